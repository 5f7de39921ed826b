/*
 * An import's commit into PostgreSQL (ops.c: begin_load and commit). The import was
 * built in a private SQLite store (the working copy), by the SQLite back end and so
 * with every domain rule it applies; the commit streams it into PostgreSQL with COPY,
 * table by table, in one serializable transaction: all or nothing. Into an empty
 * database every table is copied (rt__pg_transfer; `copy --to postgresql://` too,
 * rt__pg_copy_in); into one with data, only what the import changed in the working
 * copy, which was first given PostgreSQL's rows (rt__pg_merge_write).
 */
#define SQLITE_ENABLE_SESSION 1 /* sqlite3.h's session API: a merging import's changes */
#include "base/compat.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <rightstrack/text.h>

#include "store/pg/ops.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/ops.h"

/* Copying the load's rows into PostgreSQL. */

static int sq_error(sqlite3 *db, struct rt_error *err, const char *what)
{
    return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "%s: %s", what, sqlite3_errmsg(db));
}

/* Whether table t's references all point at tables already placed. */
static int refs_placed(sqlite3 *db, const struct rt__pg_table *v, size_t n,
                       const struct rt__pg_table *t)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *q = NULL;
    int ok = 1;

    rt_buf_addf(&sql, "SELECT \"table\" FROM pragma_foreign_key_list('%s')", t->name);
    if (sqlite3_prepare_v2(db, sql.buf, -1, &q, NULL) == SQLITE_OK) {
        while (ok && sqlite3_step(q) == SQLITE_ROW) {
            const char *to = (const char *)sqlite3_column_text(q, 0);
            if (!strcmp(to, t->name))
                continue;
            for (size_t i = 0; i < n; i++)
                if (!strcmp(v[i].name, to) && !v[i].done)
                    ok = 0;
        }
    }
    sqlite3_finalize(q);
    rt_buf_release(&sql);
    return ok;
}

/*
 * The load's tables that hold rows and that PostgreSQL has, in an order that satisfies
 * their references: every table but SQLite's own, the full-text index and the table
 * word (made here from the texts), the search index on disk (made again when needed)
 * and meta.
 */
static int load_tables(sqlite3 *db, struct pg_store *s, int with_rows, struct rt__pg_table **out,
                       size_t *out_n, struct rt_error *err)
{
    struct rt__pg_table *v, *sorted;
    size_t n, placed = 0;
    int rc;

    if ((rc = rt__pg_tables(db, s->pg, with_rows, &v, &n, err)) < 0)
        return rc;
    /* References first: repeatedly place a table whose references are placed. */
    sorted = rt_xcalloc(n ? n : 1, sizeof(*sorted));
    while (placed < n) {
        size_t before = placed;
        for (size_t i = 0; i < n; i++)
            if (!v[i].done && refs_placed(db, v, n, &v[i])) {
                v[i].done = 1;
                sorted[placed++] = v[i];
            }
        if (placed == before) /* a cycle: keep the rest in creation order */
            for (size_t i = 0; i < n; i++)
                if (!v[i].done) {
                    v[i].done = 1;
                    sorted[placed++] = v[i];
                }
    }
    rt_free(v);
    *out = sorted;
    *out_n = n;
    return 0;
}

struct transfer {
    struct pg_store *s;
    sqlite3 *db;
    struct rt__pg_table *t;
    size_t n;
    struct rt_tokenizer *tok;
    /* For rt_store_copy: its progress, the rows to copy and those copied so far. */
    rt__copy_progress_fn progress;
    void *pctx;
    uint64_t total, done;
    struct lexemes_job *lex; /* an import's lexemes made meanwhile, or NULL */
};

/* Appends v in decimal: what "%lld" writes, without printf's cost on every number of
 * a copy. */
static void add_int(struct rt_buf *b, long long v)
{
    char d[24];
    size_t n = sizeof(d);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    do
        d[--n] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        d[--n] = '-';
    rt_buf_add(b, d + n, sizeof(d) - n);
}

/* Appends v as "%.17g" would, integers (most confidences are 1) without printf. */
static void add_double(struct rt_buf *b, double v)
{
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v && (v != 0 || !signbit(v)))
        add_int(b, (long long)v);
    else
        rt_buf_addf(b, "%.17g", v);
}

/* COPY one table's rows from the load into PostgreSQL. */
static int copy_table(struct transfer *x, const struct rt__pg_table *t, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, num = RT_BUF_INIT;
    struct rt_pg_copy *cp = NULL;
    sqlite3_stmt *q = NULL;
    const char **vals = rt_xcalloc(t->ncols, sizeof(*vals));
    size_t *lens = rt_xcalloc(t->ncols, sizeof(*lens)), *offs = rt_xcalloc(t->ncols, sizeof(*offs));
    int rc, step;

    rt_buf_adds(&sql, "SELECT ");
    for (size_t c = 0; c < t->ncols; c++)
        rt_buf_addf(&sql, "%s\"%s\"", c ? ", " : "", t->cols[c]);
    rt_buf_addf(&sql, " FROM \"%s\"", t->name);
    if (sqlite3_prepare_v2(x->db, sql.buf, -1, &q, NULL) != SQLITE_OK) {
        rc = sq_error(x->db, err, t->name);
        goto out;
    }
    if ((rc = rt__pg_copy_begin(x->s->pg, t->name, (const char *const *)t->cols, (int)t->ncols, &cp,
                                err)) < 0)
        goto out;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        /* Numbers are written into num first: its buffer may move while it grows. */
        rt_buf_reset(&num);
        for (size_t c = 0; c < t->ncols; c++) {
            int type = sqlite3_column_type(q, (int)c);
            offs[c] = num.len;
            if (type == SQLITE_INTEGER)
                add_int(&num, (long long)sqlite3_column_int64(q, (int)c));
            else if (type == SQLITE_FLOAT)
                add_double(&num, sqlite3_column_double(q, (int)c));
            else if (type == SQLITE_BLOB) {
                const unsigned char *b = sqlite3_column_blob(q, (int)c);
                int bn = sqlite3_column_bytes(q, (int)c);
                rt_buf_adds(&num, "\\x");
                for (int k = 0; k < bn; k++)
                    rt_buf_addf(&num, "%02x", b[k]);
            }
            lens[c] = num.len - offs[c];
            rt_buf_addch(&num, '\0');
        }
        for (size_t c = 0; c < t->ncols; c++) {
            int type = sqlite3_column_type(q, (int)c);
            if (type == SQLITE_NULL) {
                vals[c] = NULL;
                lens[c] = 0;
            } else if (type == SQLITE_TEXT) {
                vals[c] = (const char *)sqlite3_column_text(q, (int)c);
                lens[c] = (size_t)sqlite3_column_bytes(q, (int)c);
            } else {
                vals[c] = num.buf + offs[c];
            }
        }
        if ((rc = rt__pg_copy_row(cp, vals, lens, err)) < 0)
            goto out;
        if (++x->done % 4096 == 0 && x->progress)
            x->progress(x->pctx, x->done, x->total);
    }
    if (step != SQLITE_DONE) {
        rc = sq_error(x->db, err, t->name);
        goto out;
    }
    rc = rt__pg_copy_end(cp, NULL, err);
out:
    rt__pg_copy_abort(cp);
    sqlite3_finalize(q);
    rt_buf_release(&sql);
    rt_buf_release(&num);
    rt_free(vals);
    rt_free(lens);
    rt_free(offs);
    return rc;
}

/* PostgreSQL's limits: a lexeme's length (MAXSTRLEN) and a position (MAXENTRYPOS - 1),
 * as fts.c keeps them. */
#define PG_LEXEME_MAX 2047
#define PG_POS_MAX 16383

/* One text's lexemes (gathered for rt__pg_lexemes_pack), and the new words the
 * tokenizer met, each with its stem, for the table word (as SQLite's fts.c notes them). */
struct lex {
    struct rt_pg_lexemes *lx; /* NULL: only the words */
    struct rt_buf *words;     /* word NUL stem NUL … */
    long pos;
    const char *stem;
    size_t stem_len;
};

static int lex_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                    int colocated)
{
    struct lex *l = ctx;

    (void)start;
    (void)end;
    if (colocated) {
        rt_buf_add(l->words, term, len);
        rt_buf_addch(l->words, '\0');
        rt_buf_add(l->words, l->stem, l->stem_len);
        rt_buf_addch(l->words, '\0');
        return 0;
    }
    l->stem = term;
    l->stem_len = len;
    l->pos++;
    if (l->lx)
        rt__pg_lexemes_add(l->lx, term, len, l->pos);
    return 0;
}

/* The lexemes of texts and the new words met in them, made ready for their COPYs. */
struct lexemes {
    struct rt_buf rows; /* recommendation_fts's rows in COPY's binary form */
    long nrows;
    struct rt_buf words; /* word NUL stem NUL … */
};

/* The full-text lexemes of every recommendation in db (its text and its paragraph, as
 * rt__pg_tsvector_rec places them), or of those whose ids the JSON array ids lists,
 * then the words of their texts and paragraphs, into out. 0, or RT_ESTORE and
 * SQLite's message in msg. */
static int lexemes_make(sqlite3 *db, struct rt_tokenizer *tok, const char *ids, struct lexemes *out,
                        char *msg, size_t msg_len)
{
    struct rt_buf tsv = RT_BUF_INIT;
    struct rt_pg_lexemes lx = RT_PG_LEXEMES_INIT;
    sqlite3_stmt *q = NULL;
    int step;

    if (sqlite3_prepare_v2(db,
                           ids ? "SELECT id, text, paragraph FROM recommendation"
                                 " WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id"
                               : "SELECT id, text, paragraph FROM recommendation ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(msg, msg_len, "%s", sqlite3_errmsg(db));
        return RT_ESTORE;
    }
    if (ids)
        sqlite3_bind_text(q, 1, ids, -1, SQLITE_STATIC);
    rt_tokenizer_forget(tok);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        struct lex l = {&lx, &out->words, 0, NULL, 0};
        uint64_t rec_id = (uint64_t)sqlite3_column_int64(q, 0);
        rt_tokenize(tok, (const char *)sqlite3_column_text(q, 1),
                    (size_t)sqlite3_column_bytes(q, 1), RT_TOKENIZE_NEW_WORDS, lex_term, &l);
        if (sqlite3_column_type(q, 2) != SQLITE_NULL) {
            /* After the text's, one position left empty, weighted as the paragraph. */
            struct lex p = {&lx, &out->words, l.pos + 1, NULL, 0};
            lx.weight = RT_PG_PARAGRAPH_WEIGHT;
            rt_tokenize(tok, (const char *)sqlite3_column_text(q, 2),
                        (size_t)sqlite3_column_bytes(q, 2), RT_TOKENIZE_NEW_WORDS, lex_term, &p);
        }
        /* A row of two fields: the id as int8 (big-endian), the packed tsvector. */
        rt_buf_reset(&tsv);
        rt__pg_lexemes_pack(&lx, &tsv);
        rt__pg_put_be(&out->rows, 2, 2);
        rt__pg_put_be(&out->rows, 8, 4);
        rt__pg_put_be(&out->rows, (uint32_t)(rec_id >> 32), 4);
        rt__pg_put_be(&out->rows, (uint32_t)rec_id, 4);
        rt__pg_put_be(&out->rows, (uint32_t)tsv.len, 4);
        rt_buf_add(&out->rows, tsv.buf, tsv.len);
        out->nrows++;
    }
    if (step != SQLITE_DONE)
        snprintf(msg, msg_len, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    rt__pg_lexemes_release(&lx);
    rt_buf_release(&tsv);
    return step == SQLITE_DONE ? 0 : RT_ESTORE;
}

static void lexemes_release(struct lexemes *l)
{
    rt_buf_release(&l->rows);
    rt_buf_release(&l->words);
}

/* Sends l: its rows into recommendation_fts, its words into word_table (word, or a
 * merge's temporary table). */
static int lexemes_send(struct pg_store *s, const struct lexemes *l, const char *word_table,
                        struct rt_error *err)
{
    static const char *const cols[] = {"rec_id", "lexemes"};
    static const char *const wcols[] = {"word", "stem"};
    struct rt_pg_copy *cp = NULL;
    int rc = 0;

    if ((rc = rt__pg_copy_begin_binary(s->pg, "recommendation_fts", cols, 2, &cp, err)) < 0 ||
        (rc = rt__pg_copy_put(cp, l->rows.buf, l->rows.len, l->nrows, err)) < 0 ||
        (rc = rt__pg_copy_end(cp, NULL, err)) < 0)
        goto out;
    rt__pg_copy_abort(cp); /* frees the ended copy */
    cp = NULL;
    if ((rc = rt__pg_copy_begin(s->pg, word_table, wcols, 2, &cp, err)) < 0)
        goto out;
    for (size_t i = 0; i < l->words.len;) {
        const char *v[2] = {l->words.buf + i, NULL};
        v[1] = v[0] + strlen(v[0]) + 1;
        i = (size_t)(v[1] - l->words.buf) + strlen(v[1]) + 1;
        if ((rc = rt__pg_copy_row(cp, v, NULL, err)) < 0)
            goto out;
    }
    rc = rt__pg_copy_end(cp, NULL, err);
out:
    rt__pg_copy_abort(cp);
    return rc;
}

/* The lexemes and words of the recommendations ids lists (NULL: all), made and sent
 * (lexemes_make, lexemes_send). */
static int copy_lexemes(struct transfer *x, const char *ids, const char *word_table,
                        struct rt_error *err)
{
    struct lexemes l;
    char msg[256] = "";
    int rc;

    memset(&l, 0, sizeof(l));
    rt_buf_init(&l.rows, 0);
    rt_buf_init(&l.words, 0);
    if ((rc = lexemes_make(x->db, x->tok, ids, &l, msg, sizeof(msg))) < 0)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "recommendation: %s", msg);
    else
        rc = lexemes_send(x->s, &l, word_table, err);
    lexemes_release(&l);
    return rc;
}

/*
 * A first import's lexemes are made by a thread of their own, from the working copy
 * (opened again, read-only), while the transaction copies the tables before them:
 * tokenizing the texts, the largest part of the client's work in the transfer, then
 * overlaps with the server's instead of holding up the COPY of recommendation_fts.
 * Nobody else writes the working copy, so the thread reads the rows the transfer
 * reads. When the thread cannot be started or fails, transfer_txn makes them itself
 * (copy_lexemes). rt_store_copy does not use it: it reads its source in one snapshot
 * of one connection.
 */
/* How long a reader of the working copy waits for the other (lexemes_job). */
#define WORK_BUSY_MS 10000

struct lexemes_job {
    char *path;
    const char *ids; /* a merge's (merge_collect), else NULL: every text */
    pthread_t thread;
    int started, rc;
    struct lexemes l;
};

static void *lexemes_thread(void *arg)
{
    struct lexemes_job *j = arg;
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    sqlite3 *db = NULL;
    char msg[256];

    if (tok && sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
                   SQLITE_OK) {
        sqlite3_busy_timeout(db, WORK_BUSY_MS);
        j->rc = lexemes_make(db, tok, j->ids, &j->l, msg, sizeof(msg));
    }
    sqlite3_close(db);
    rt_tokenizer_free(tok);
    return NULL;
}

/* Starts the thread on the working copy at path: the lexemes of the recommendations
 * ids lists (a JSON array, kept by the caller until lexemes_job_release), or with NULL
 * those of every one. */
static void lexemes_job_start(struct lexemes_job *j, const char *path, const char *ids)
{
    memset(j, 0, sizeof(*j));
    rt_buf_init(&j->l.rows, 0);
    rt_buf_init(&j->l.words, 0);
    j->rc = RT_ESTORE;
    j->ids = ids;
    j->path = rt_xstrdup(path);
    j->started = pthread_create(&j->thread, NULL, lexemes_thread, j) == 0;
}

/* Waits for the thread (once): 0 when its lexemes are ready in j->l. */
static int lexemes_job_wait(struct lexemes_job *j)
{
    if (j->started) {
        pthread_join(j->thread, NULL);
        j->started = 0;
    }
    return j->rc;
}

static void lexemes_job_release(struct lexemes_job *j)
{
    lexemes_job_wait(j);
    lexemes_release(&j->l);
    rt_free(j->path);
}

/* The names of the tables of t marked in only (NULL: all), and extra (NULL-ended), as
 * an array literal of text: {"a","b"}. */
static void table_names(struct rt_buf *out, const struct rt__pg_table *t, size_t n,
                        const char *only, const char *const *extra)
{
    size_t k = 0;

    rt_buf_addch(out, '{');
    for (; extra && *extra; extra++)
        rt_buf_addf(out, "%s\"%s\"", k++ ? "," : "", *extra);
    for (size_t i = 0; i < n; i++)
        if (!only || only[i])
            rt_buf_addf(out, "%s\"%s\"", k++ ? "," : "", t[i].name);
    rt_buf_addch(out, '}');
}

/*
 * What the copy fills faster without, on the tables named (an array literal): the
 * indexes that no constraint owns, and the primary keys and UNIQUE constraints that
 * nothing depends on (no foreign key points at them: those of the link tables, of
 * recommendation_fts, of word). Each is dropped now, all in one round trip, and the
 * statement that makes it again is appended to defs (each ended by NUL), to run after
 * the copy: an index made from the rows at once, by sorting them, costs less than
 * one grown row by row (a fifth less for the link tables and the lexemes, measured).
 * The rows come from a working copy that had the same keys, so making a key again does
 * not fail; if it did, the transaction would roll back like any other failure.
 */
static int indexes_drop(struct pg_store *s, const char *tables, struct rt_buf *defs,
                        struct rt_error *err)
{
    const char *v[1] = {tables};
    PGresult *r =
        rt__pg_exec(s->pg, "pg_indexes",
                    "SELECT format('DROP INDEX %I;', indexname), indexdef,"
                    " array_position($1::text[], tablename::text) AS t, indexname AS n"
                    " FROM pg_indexes i WHERE schemaname = current_schema()"
                    " AND tablename = ANY ($1::text[])"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                    " format('%I.%I', i.schemaname, i.indexname)::regclass)"
                    " UNION ALL"
                    " SELECT format('ALTER TABLE %I DROP CONSTRAINT %I;', t.relname, c.conname),"
                    " format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, c.conname,"
                    " pg_get_constraintdef(c.oid)),"
                    " array_position($1::text[], t.relname::text), c.conname"
                    " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                    " WHERE t.relnamespace = current_schema()::regnamespace"
                    " AND t.relname = ANY ($1::text[]) AND c.contype IN ('p', 'u')"
                    " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.deptype <> 'i' AND"
                    " ((d.refclassid = 'pg_constraint'::regclass AND d.refobjid = c.oid) OR"
                    " (d.refclassid = 'pg_class'::regclass AND d.refobjid = c.conindid)))"
                    " ORDER BY t, n",
                    1, v, err);
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        rt_buf_adds(&sql, PQgetvalue(r, i, 0));
        rt_buf_adds(defs, PQgetvalue(r, i, 1));
        rt_buf_addch(defs, '\0');
    }
    PQclear(r);
    if (sql.len)
        rc = rt__pg_run(s->pg, sql.buf, err);
    rt_buf_release(&sql);
    return rc;
}

/* Moves the identity sequence of each table named (an array literal) that has one past
 * its largest id, in two round trips whatever the number of tables. */
static int move_sequences(struct pg_store *s, const char *tables, struct rt_error *err)
{
    const char *v[1] = {tables};
    PGresult *r = rt__pg_exec(s->pg, "pg_identity",
                              "SELECT c.relname, a.attname FROM pg_attribute a"
                              " JOIN pg_class c ON c.oid = a.attrelid"
                              " WHERE c.relnamespace = current_schema()::regnamespace"
                              " AND c.relname = ANY ($1::text[]) AND a.attidentity <> ''"
                              " AND NOT a.attisdropped AND a.attnum > 0",
                              1, v, err);
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *t = PQgetvalue(r, i, 0), *c = PQgetvalue(r, i, 1);
        rt_buf_addf(&sql,
                    "SELECT setval(pg_get_serial_sequence('%s', '%s'), max(\"%s\"))"
                    " FROM \"%s\" HAVING max(\"%s\") IS NOT NULL;",
                    t, c, c, t, c);
    }
    PQclear(r);
    if (sql.len)
        rc = rt__pg_run(s->pg, sql.buf, err);
    rt_buf_release(&sql);
    return rc;
}

static int table_triggers(struct pg_store *s, const char *table, int on, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    rt_buf_addf(&sql, "ALTER TABLE \"%s\" %s TRIGGER USER", table, on ? "ENABLE" : "DISABLE");
    rc = rt__pg_run(s->pg, sql.buf, err);
    rt_buf_release(&sql);
    return rc;
}

/*
 * The transaction that moves the load into PostgreSQL. The load's triggers already
 * made what PostgreSQL's would (the audit entries, the repeats' marks), so PostgreSQL's
 * are off for the copy, in the transaction only: for a superuser through
 * session_replication_role, which also skips the checks of foreign keys (the load's
 * SQLite store checked them); for others table by table (ALTER TABLE … DISABLE
 * TRIGGER USER), the foreign keys then checked row by row. The indexes that no
 * constraint owns are made again after the rows are in, which is faster than growing
 * them row by row.
 */

static int transfer_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    static const char *const fts_tables[] = {"recommendation_fts", "word", NULL};
    struct transfer *x = ctx;
    struct rt_buf defs = RT_BUF_INIT, sql = RT_BUF_INIT, names = RT_BUF_INIT;
    PGresult *r;
    int rc, empty, super;

    (void)pg;
    x->done = 0; /* run again after a serialization failure */
    if ((rc = rt__pg_empty(x->s, &empty, err)) < 0)
        return rc;
    if (!empty)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "another client wrote to the database while this import was"
                            " prepared; nothing was imported (import again)");
    if (!(r = rt__pg_exec(x->s->pg, "pg_super",
                          "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", 0, NULL,
                          err)))
        return RT_ESTORE;
    super = PQntuples(r) && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if ((super &&
         (rc = rt__pg_run(x->s->pg, "SET LOCAL session_replication_role = replica", err)) < 0) ||
        (rc = rt__pg_run(x->s->pg, "SET LOCAL maintenance_work_mem = '128MB'", err)) < 0)
        goto out;
    /* The seeded rows go, the indexes no constraint owns too: a few round trips. */
    for (size_t i = x->n; i-- > 0;)
        rt_buf_addf(&sql, "DELETE FROM \"%s\";", x->t[i].name);
    if (sql.len && (rc = rt__pg_run(x->s->pg, sql.buf, err)) < 0)
        goto out;
    table_names(&names, x->t, x->n, NULL, fts_tables);
    if ((rc = indexes_drop(x->s, names.buf, &defs, err)) < 0)
        goto out;
    for (size_t i = 0; i < x->n; i++) {
        if ((!super && (rc = table_triggers(x->s, x->t[i].name, 0, err)) < 0) ||
            (rc = copy_table(x, &x->t[i], err)) < 0 ||
            (!super && (rc = table_triggers(x->s, x->t[i].name, 1, err)) < 0))
            goto out;
    }
    rt_buf_reset(&names);
    table_names(&names, x->t, x->n, NULL, NULL);
    if ((rc = move_sequences(x->s, names.buf, err)) < 0)
        goto out;
    if (x->lex && lexemes_job_wait(x->lex) == 0)
        rc = lexemes_send(x->s, &x->lex->l, "word", err);
    else
        rc = copy_lexemes(x, NULL, "word", err);
    if (rc < 0)
        goto out;
    /* The indexes and keys made again, search_index emptied and the data version
     * raised: one round trip. */
    rt_buf_reset(&sql);
    for (size_t i = 0; i < defs.len; i += strlen(defs.buf + i) + 1)
        rt_buf_addf(&sql, "%s;", defs.buf + i);
    rt_buf_addf(&sql, "DELETE FROM search_index;%s", PG_BUMP_VERSION);
    rc = rt__pg_run(x->s->pg, sql.buf, err);
out:
    rt_buf_release(&defs);
    rt_buf_release(&sql);
    rt_buf_release(&names);
    return rc;
}

/* Moves the rows of the SQLite database x->db into PostgreSQL (x->s). */
static int transfer_from(struct transfer *x, struct rt_error *err)
{
    struct pg_store *s = x->s;
    int rc;

    if ((rc = load_tables(x->db, s, 1, &x->t, &x->n, err)) < 0)
        return rc;
    if (x->progress) {
        x->total = 0;
        for (size_t i = 0; i < x->n; i++) {
            struct rt_buf sql = RT_BUF_INIT;
            sqlite3_stmt *q = NULL;
            rt_buf_addf(&sql, "SELECT count(*) FROM \"%s\"", x->t[i].name);
            if (sqlite3_prepare_v2(x->db, sql.buf, -1, &q, NULL) == SQLITE_OK &&
                sqlite3_step(q) == SQLITE_ROW)
                x->total += (uint64_t)sqlite3_column_int64(q, 0);
            sqlite3_finalize(q);
            rt_buf_release(&sql);
        }
    }
    x->tok = rt_tokenizer_new("english");
    rc = rt__pg_transaction(s->pg, transfer_txn, x, NULL, err);
    if (rc == 0) {
        /* The planner's statistics, for the searches that follow: of the tables the
         * import filled only (not the whole database's, catalogs included), from a
         * sample of 3,000 rows rather than 30,000 (statistics target 10, not 100): a
         * third of the time, and enough for the few values the filters take; autovacuum
         * samples more when the tables change. */
        struct rt_buf sql = RT_BUF_INIT;
        rt_buf_adds(&sql, "SET default_statistics_target = 10; ANALYZE recommendation_fts");
        for (size_t i = 0; i < x->n; i++)
            rt_buf_addf(&sql, ", \"%s\"", x->t[i].name);
        rt_buf_adds(&sql, "; RESET default_statistics_target");
        rt__pg_run(s->pg, sql.buf, NULL);
        rt_buf_release(&sql);
        if (x->progress)
            x->progress(x->pctx, x->done, x->total);
    }
    return rc;
}

static void transfer_release(struct transfer *x)
{
    rt_tokenizer_free(x->tok);
    rt__pg_tables_free(x->t, x->n);
    sqlite3_close(x->db);
}

int rt__pg_transfer(struct pg_store *s, struct rt_error *err)
{
    struct rt_buf path = RT_BUF_INIT;
    struct transfer x = {s, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, NULL};
    struct lexemes_job lex;
    int rc;

    rt_buf_addf(&path, "%s/load.db", s->scratch_dir);
    if (sqlite3_open_v2(path.buf, &x.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = sq_error(x.db, err, "the import's working copy");
        transfer_release(&x);
        rt_buf_release(&path);
        return rc;
    }
    /* Two connections read the working copy: the first to read a WAL file sets up its
     * index under a lock that the other must wait for, not fail on. */
    sqlite3_busy_timeout(x.db, WORK_BUSY_MS);
    lexemes_job_start(&lex, path.buf, NULL);
    x.lex = &lex;
    rc = transfer_from(&x, err);
    lexemes_job_release(&lex);
    transfer_release(&x);
    rt_buf_release(&path);
    return rc;
}

/*
 * rt_store_copy from SQLite into PostgreSQL: the transfer of an import, from the
 * SQLite file itself (opened read-only) instead of an import's working copy.
 */
int rt__pg_copy_in(const char *sqlite_path, const char *pg_target,
                   struct rt_store_copy_stats *stats, rt__copy_progress_fn progress, void *pctx,
                   struct rt_error *err)
{
    struct transfer x = {NULL, NULL, NULL, 0, NULL, progress, pctx, 0, 0, NULL};
    struct rt_store *st = NULL;
    sqlite3_stmt *q = NULL;
    int rc, version = -1;

    if (sqlite3_open_v2(sqlite_path, &x.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = rt_error_set(err, RT_EIO, sqlite_path, 0, NULL, "cannot open the source: %s",
                          sqlite3_errmsg(x.db));
        goto out;
    }
    if (sqlite3_prepare_v2(x.db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(x.db, "SELECT 1 FROM recommendation LIMIT 1", -1, &q, NULL) !=
        SQLITE_OK) {
        rc = rt_error_set(err, RT_EFORMAT, sqlite_path, 0, NULL,
                          "the source is not a rightstrack database: %s", sqlite3_errmsg(x.db));
        goto out;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((rc = rt__pg_open(&st, pg_target, 0, err)) < 0)
        goto out;
    x.s = PG(st);
    if (version != x.s->schema) {
        rc = rt_error_set(err, RT_EINVAL, sqlite_path, 0, NULL,
                          "the source has schema version %d, the target %d: open the source"
                          " with this version of rightstrack first (any command brings it up"
                          " to date)",
                          version, x.s->schema);
        goto out;
    }
    if ((rc = rt__pg_copy_empty(x.s->pg, err)) < 0)
        goto out;
    /* One snapshot of the source for every table, while others may write to it. */
    if (sqlite3_exec(x.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sq_error(x.db, err, "the source");
        goto out;
    }
    if ((rc = transfer_from(&x, err)) == 0 && stats) {
        stats->tables = (int64_t)x.n;
        stats->rows = (int64_t)x.done;
    }
out:
    sqlite3_finalize(q);
    transfer_release(&x);
    rt_store_close(st);
    return rc;
}

/*
 * An import into a database that holds data. Its working copy was given PostgreSQL's
 * rows first (merge_seed), so SQLite's rules merged the import into them as they do
 * on a SQLite store; a session of SQLite's session extension recorded what changed:
 * each row added, changed (the new values of the changed columns) or removed, by
 * primary key, once however often it changed. The commit writes just that, in one
 * serializable transaction: rows removed (none that an import makes today), rows
 * added with one COPY a table, changed rows with an UPDATE each, every table in the
 * order of its references; the identity sequences moved past the largest id; the
 * lexemes of the recommendations added or changed made again, and their new words;
 * the search index emptied and the data version raised. The transaction first checks
 * that the data version is still the one the working copy was seeded at: a write by
 * another client meanwhile fails the import, which leaves nothing, rather than
 * writing rows computed from data that is no longer there. PostgreSQL's triggers are
 * off, as for a first import: the working copy's made the audit entry, chained to the
 * last one copied from PostgreSQL.
 */
/* One table's changes in COPY's text form: rows added, and changed rows read whole from
 * the working copy (keys: the primary key's columns); del: rows were removed. */
struct merge_rows {
    struct rt_buf ins, upd;
    long n_ins, n_upd;
    int del;
    unsigned char *keys;
    sqlite3_stmt *row; /* reads a changed row by its primary key */
};

struct merge {
    struct transfer x; /* db: the working copy; t, n: its tables, references first */
    void *cs;          /* the session's changeset */
    int cs_len;
    int64_t version;
    struct lexemes_job *lex;   /* the lexemes of ids, made meanwhile */
    char *touched;             /* x.t[i] has changes */
    struct merge_rows *rows;   /* x.t[i]'s changes, made ready before the transaction */
    struct rt_buf ids, ids_pg; /* recommendations added or with a new text or paragraph:
                                * [1,2] and {1,2} */
    struct rt_buf *vb;         /* a value's text form, per column */
    const char **vals;
    size_t *lens;
};

/* The text form of value v (COPY's and PQexecParams' alike) into vals[c]. */
static void merge_value(struct merge *m, size_t c, sqlite3_value *v)
{
    struct rt_buf *b = &m->vb[c];

    rt_buf_reset(b);
    switch (v ? sqlite3_value_type(v) : SQLITE_NULL) {
    case SQLITE_NULL:
        m->vals[c] = NULL;
        m->lens[c] = 0;
        return;
    case SQLITE_INTEGER:
        add_int(b, (long long)sqlite3_value_int64(v));
        break;
    case SQLITE_FLOAT:
        add_double(b, sqlite3_value_double(v));
        break;
    case SQLITE_BLOB: {
        const unsigned char *p = sqlite3_value_blob(v);
        int n = sqlite3_value_bytes(v);
        rt_buf_adds(b, "\\x");
        for (int k = 0; k < n; k++)
            rt_buf_addf(b, "%02x", p[k]);
        break;
    }
    default:
        rt_buf_add(b, (const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
    }
    m->vals[c] = b->buf;
    m->lens[c] = b->len;
}

/* Runs sql with n text parameters, unprepared (its text differs row by row). */
static int merge_exec(struct merge *m, const char *table, const char *sql, int n,
                      struct rt_error *err)
{
    PGresult *r = PQexecParams(rt__pg_conn(m->x.s->pg), sql, n, NULL, m->vals, NULL, NULL, 0);
    int rc = 0;

    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, table, "%s: %s", table, PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

/* Notes recommendation id: new, or with a new text or paragraph (its lexemes and words
 * made again: the tsvector holds the paragraph's lexemes too). */
static void merge_note_rec(struct merge *m, sqlite3_value *v)
{
    if (!v)
        return;
    rt_buf_addf(&m->ids, "%s%lld", m->ids.len > 1 ? "," : "", (long long)sqlite3_value_int64(v));
    rt_buf_addf(&m->ids_pg, "%s%lld", m->ids_pg.len > 1 ? "," : "",
                (long long)sqlite3_value_int64(v));
}

/* Whether the change at it gives a recommendation a new column col. */
static int merge_changed(sqlite3_changeset_iter *it, const struct rt__pg_table *t, const char *col)
{
    for (size_t c = 0; c < t->ncols; c++) {
        sqlite3_value *v = NULL;
        if (!strcmp(t->cols[c], col) && sqlite3changeset_new(it, (int)c, &v) == SQLITE_OK && v)
            return 1;
    }
    return 0;
}

/* The statement that reads a row of t from the working copy by its primary key (the
 * columns pk marks), for a changed row whose changeset holds only what changed. */
static sqlite3_stmt *merge_row_stmt(struct merge *m, const struct rt__pg_table *t,
                                    const unsigned char *pk, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *q = NULL;

    rt_buf_adds(&sql, "SELECT ");
    for (size_t c = 0; c < t->ncols; c++)
        rt_buf_addf(&sql, "%s\"%s\"", c ? ", " : "", t->cols[c]);
    rt_buf_addf(&sql, " FROM \"%s\"", t->name);
    for (size_t c = 0, k = 0; c < t->ncols; c++)
        if (pk[c])
            rt_buf_addf(&sql, "%s\"%s\" = ?%zu", k++ ? " AND " : " WHERE ", t->cols[c], c + 1);
    if (sqlite3_prepare_v2(m->x.db, sql.buf, -1, &q, NULL) != SQLITE_OK) {
        sq_error(m->x.db, err, t->name);
        q = NULL;
    }
    rt_buf_release(&sql);
    return q;
}

/* The rows removed from table t, with a DELETE each (an import removes none today). */
static int merge_deletes(struct merge *m, const struct rt__pg_table *t, struct rt_error *err)
{
    sqlite3_changeset_iter *it = NULL;
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    if (sqlite3changeset_start(&it, m->cs_len, m->cs) != SQLITE_OK)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the import's changes cannot be read");
    while (rc == 0 && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, indirect, n = 0;
        unsigned char *pk;

        sqlite3changeset_op(it, &name, &ncol, &op, &indirect);
        if (op != SQLITE_DELETE || strcmp(name, t->name))
            continue;
        sqlite3changeset_pk(it, &pk, NULL);
        rt_buf_reset(&sql);
        rt_buf_addf(&sql, "DELETE FROM \"%s\"", t->name);
        for (size_t c = 0, k = 0; c < t->ncols; c++) {
            sqlite3_value *v = NULL;
            if (!pk[c])
                continue;
            sqlite3changeset_old(it, (int)c, &v);
            merge_value(m, (size_t)n, v);
            rt_buf_addf(&sql, "%s\"%s\" = $%d", k++ ? " AND " : " WHERE ", t->cols[c], n + 1);
            n++;
        }
        rc = merge_exec(m, t->name, sql.buf, n, err);
    }
    sqlite3changeset_finalize(it);
    rt_buf_release(&sql);
    return rc;
}

/*
 * Reads the changeset once, before the transaction, into m->rows: for each table the
 * rows added (their new values) and the rows changed (read whole from the working
 * copy, since the changeset holds only what changed) in COPY's text form, and whether
 * rows were removed; the recommendations whose lexemes or words are made again are
 * noted. Reading the changeset once per table and kind of change cost about 0.1 s a
 * pass for the UPR Info database, inside the transaction.
 */
static int merge_collect(struct merge *m, struct rt_error *err)
{
    sqlite3_changeset_iter *it = NULL;
    size_t i = m->x.n;
    const char *last = NULL;
    int rc = 0;

    rt_buf_addch(&m->ids, '[');
    rt_buf_addch(&m->ids_pg, '{');
    if (sqlite3changeset_start(&it, m->cs_len, m->cs) != SQLITE_OK)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the import's changes cannot be read");
    while (rc == 0 && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, indirect, bad;
        unsigned char *pk;
        sqlite3_value *v = NULL;
        const struct rt__pg_table *t;
        struct merge_rows *w;

        sqlite3changeset_op(it, &name, &ncol, &op, &indirect);
        if (!last || strcmp(name, last)) { /* a table's changes come together */
            for (i = 0; i < m->x.n && strcmp(m->x.t[i].name, name); i++)
                ;
            last = i < m->x.n ? m->x.t[i].name : NULL;
        }
        if (i == m->x.n)
            continue;
        t = &m->x.t[i];
        w = &m->rows[i];
        if ((size_t)ncol != t->ncols) {
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, t->name,
                              "%s: the import's changes have %d columns, the table %zu", t->name,
                              ncol, t->ncols);
            break;
        }
        sqlite3changeset_pk(it, &pk, NULL);
        if (op == SQLITE_DELETE) {
            w->del = 1;
            continue;
        }
        if (op == SQLITE_INSERT) {
            for (size_t c = 0; c < t->ncols; c++) {
                v = NULL;
                sqlite3changeset_new(it, (int)c, &v);
                merge_value(m, c, v);
            }
            if (!strcmp(t->name, "recommendation")) {
                v = NULL;
                sqlite3changeset_new(it, 0, &v);
                merge_note_rec(m, v);
            }
            bad = rt__pg_copy_encode(&w->ins, (int)t->ncols, m->vals, m->lens);
            w->n_ins++;
        } else {
            if (!w->row) {
                w->keys = rt_xcalloc(t->ncols, 1);
                memcpy(w->keys, pk, t->ncols);
                if (!(w->row = merge_row_stmt(m, t, pk, err))) {
                    rc = RT_ESTORE;
                    break;
                }
            }
            for (size_t c = 0; c < t->ncols; c++)
                if (pk[c]) {
                    v = NULL;
                    sqlite3changeset_old(it, (int)c, &v);
                    sqlite3_bind_value(w->row, (int)c + 1, v);
                }
            if (sqlite3_step(w->row) != SQLITE_ROW) {
                rc = sq_error(m->x.db, err, t->name);
                break;
            }
            for (size_t c = 0; c < t->ncols; c++)
                merge_value(m, c, sqlite3_column_value(w->row, (int)c));
            if (!strcmp(t->name, "recommendation") &&
                (merge_changed(it, t, "text") || merge_changed(it, t, "paragraph"))) {
                v = NULL;
                sqlite3changeset_old(it, 0, &v);
                merge_note_rec(m, v);
            }
            bad = rt__pg_copy_encode(&w->upd, (int)t->ncols, m->vals, m->lens);
            sqlite3_reset(w->row);
            w->n_upd++;
        }
        if (bad < 0)
            rc = rt_error_set(err, RT_EINVAL, NULL, 0, t->name,
                              "%s: field %d of a row holds a NUL byte", t->name, -bad);
    }
    sqlite3changeset_finalize(it);
    rt_buf_addch(&m->ids, ']');
    rt_buf_addch(&m->ids_pg, '}');
    return rc;
}

/* Sends rows (n of them, made by merge_collect) with one COPY into table. */
static int merge_copy(struct merge *m, const char *table, const struct rt__pg_table *t,
                      const struct rt_buf *rows, long n, struct rt_error *err)
{
    struct rt_pg_copy *cp = NULL;
    int rc;

    if ((rc = rt__pg_copy_begin(m->x.s->pg, table, (const char *const *)t->cols, (int)t->ncols, &cp,
                                err)) == 0 &&
        (rc = rt__pg_copy_put(cp, rows->buf, rows->len, n, err)) == 0)
        rc = rt__pg_copy_end(cp, NULL, err);
    rt__pg_copy_abort(cp);
    return rc;
}

/*
 * Table t's rows added (one COPY) and changed (one COPY into a temporary table and one
 * UPDATE … FROM it), from w.
 */
static int merge_table(struct merge *m, const struct rt__pg_table *t, const struct merge_rows *w,
                       struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, tmp = RT_BUF_INIT;
    int rc = 0;
    size_t n = 0;

    if (w->n_ins && (rc = merge_copy(m, t->name, t, &w->ins, w->n_ins, err)) < 0)
        return rc;
    if (!w->n_upd)
        return 0;
    rt_buf_addf(&tmp, "rt_merge_%s", t->name);
    rt_buf_addf(&sql,
                "CREATE TEMP TABLE IF NOT EXISTS \"%s\" (LIKE \"%s\")"
                " ON COMMIT DROP; TRUNCATE \"%s\"",
                tmp.buf, t->name, tmp.buf);
    if ((rc = rt__pg_run(m->x.s->pg, sql.buf, err)) < 0 ||
        (rc = merge_copy(m, tmp.buf, t, &w->upd, w->n_upd, err)) < 0)
        goto out;
    /* UPDATE "t" SET ("a", "b") = (ROW(u."a", u."b")) FROM tmp u WHERE "t"."k" = u."k" */
    rt_buf_reset(&sql);
    rt_buf_addf(&sql, "UPDATE \"%s\" SET (", t->name);
    for (size_t c = 0; c < t->ncols; c++)
        if (!w->keys[c])
            rt_buf_addf(&sql, "%s\"%s\"", n++ ? ", " : "", t->cols[c]);
    rt_buf_adds(&sql, ") = ROW(");
    n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (!w->keys[c])
            rt_buf_addf(&sql, "%su.\"%s\"", n++ ? ", " : "", t->cols[c]);
    rt_buf_addf(&sql, ") FROM \"%s\" u", tmp.buf);
    n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (w->keys[c])
            rt_buf_addf(&sql, "%s\"%s\".\"%s\" = u.\"%s\"", n++ ? " AND " : " WHERE ", t->name,
                        t->cols[c], t->cols[c]);
    rc = rt__pg_run(m->x.s->pg, sql.buf, err);
out:
    rt_buf_release(&sql);
    rt_buf_release(&tmp);
    return rc;
}

/*
 * Whether the merge leaves the stored search index as it is (an import that adds
 * nothing, whose only write is its audit entry): none of the tables the facet index
 * is made of changed, nor any lexeme (whose recommendation would have). The index is
 * then kept and stamped with the data version the merge raises it to, instead of
 * being emptied and built again by the next search.
 */
static int merge_keeps_index(const struct merge *m)
{
    static const char *const made_of[] = {"recommendation", "recommendation_theme", "state",
                                          "theme"};

    if (m->ids.len > 2)
        return 0;
    for (size_t i = 0; i < m->x.n; i++)
        for (size_t k = 0; k < sizeof(made_of) / sizeof(*made_of); k++)
            if (m->touched[i] && !strcmp(m->x.t[i].name, made_of[k]))
                return 0;
    return 1;
}

/* Stamps the facet and text indexes stored at data version was (by the searches before
 * it) with the version this transaction raised it to, which it marks as raised
 * (rightstrack.version_raised), so that no deferred trigger raises it again at commit:
 * an import that adds nothing keeps the stored index, as on SQLite. */
static int index_restamp(struct pg_store *s, int64_t was, struct rt_error *err)
{
    char num[24];
    const char *v[1] = {num};
    PGresult *r;
    int rc;

    snprintf(num, sizeof(num), "%lld", (long long)was);
    if ((rc = rt__pg_run(s->pg,
                         "SELECT set_config('rightstrack.version_raised', txid_current()::text,"
                         " true)",
                         err)) < 0)
        return rc;
    if (!(r = rt__pg_exec(s->pg, "pg_index_restamp",
                          "UPDATE search_index SET num = (" PG_VERSION ")"
                          " WHERE facet IN (" PG_FX_ROW ", " PG_TX_ROW ") AND pos = 0"
                          " AND num = $1::bigint",
                          1, v, err)))
        return RT_ESTORE;
    PQclear(r);
    return 0;
}

static int merge_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    struct merge *m = ctx;
    struct pg_store *s = m->x.s;
    int64_t v;
    PGresult *r;
    int rc, super;

    (void)pg;
    if ((rc = rt__pg_data_version(s, &v, err)) < 0)
        return rc;
    if (v != m->version)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "another client wrote to the database while this import was"
                            " prepared; nothing was imported (import again)");
    if (!(r = rt__pg_exec(s->pg, "pg_super",
                          "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", 0, NULL,
                          err)))
        return RT_ESTORE;
    super = PQntuples(r) && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (super)
        rc = rt__pg_run(s->pg, "SET LOCAL session_replication_role = replica", err);
    /* The new lexemes go to the GIN index's pending list rather than into its tree
     * 4 MB at a time (a file that gives most recommendations a paragraph rewrites
     * nearly every row's: 0.44 s of COPY against 0.2 s); autovacuum, or the next
     * insert past the usual limit, moves them into the tree after the commit. */
    if (rc == 0)
        rc = rt__pg_run(s->pg, "SET LOCAL gin_pending_list_limit = '64MB'", err);
    for (size_t i = 0; i < m->x.n && rc == 0; i++)
        if (!super && m->touched[i])
            rc = table_triggers(s, m->x.t[i].name, 0, err);
    for (size_t i = m->x.n; i-- > 0 && rc == 0;)
        if (m->rows[i].del)
            rc = merge_deletes(m, &m->x.t[i], err);
    for (size_t i = 0; i < m->x.n && rc == 0; i++)
        if (m->touched[i])
            rc = merge_table(m, &m->x.t[i], &m->rows[i], err);
    if (rc == 0) {
        struct rt_buf names = RT_BUF_INIT;
        char *added = rt_xcalloc(m->x.n ? m->x.n : 1, 1);
        for (size_t i = 0; i < m->x.n; i++)
            added[i] = m->rows[i].n_ins > 0;
        table_names(&names, m->x.t, m->x.n, added, NULL);
        if (names.len > 2)
            rc = move_sequences(s, names.buf, err);
        rt_buf_release(&names);
        rt_free(added);
    }
    if (rc == 0 && m->ids.len > 2)
        rc = rt__pg_run(s->pg,
                        "CREATE TEMP TABLE IF NOT EXISTS rt_merge_word"
                        " (word text, stem text) ON COMMIT DROP",
                        err);
    if (rc == 0 && m->ids.len > 2) {
        const char *p[1] = {m->ids_pg.buf};
        if (!(r = rt__pg_exec(s->pg, "pg_merge_fts",
                              "DELETE FROM recommendation_fts WHERE rec_id = ANY ($1::bigint[])", 1,
                              p, err)))
            return RT_ESTORE;
        PQclear(r);
        if (m->lex && lexemes_job_wait(m->lex) == 0)
            rc = lexemes_send(s, &m->lex->l, "rt_merge_word", err);
        else
            rc = copy_lexemes(&m->x, m->ids.buf, "rt_merge_word", err);
    }
    if (rc == 0 && m->ids.len > 2)
        rc = rt__pg_run(s->pg,
                        "INSERT INTO word SELECT word, stem FROM rt_merge_word"
                        " ON CONFLICT (word) DO NOTHING",
                        err);
    for (size_t i = 0; i < m->x.n && rc == 0; i++)
        if (!super && m->touched[i])
            rc = table_triggers(s, m->x.t[i].name, 1, err);
    if (rc == 0 && !merge_keeps_index(m))
        rc = rt__pg_run(s->pg, "DELETE FROM search_index", err);
    if (rc == 0)
        rc = rt__pg_run(s->pg, PG_BUMP_VERSION, err);
    if (rc == 0 && merge_keeps_index(m))
        rc = index_restamp(s, m->version, err);
    return rc;
}

/* Writes into PostgreSQL what the load changed in its working copy (changeset cs). */
int rt__pg_merge_write(struct pg_store *s, void *cs, int cs_len, struct rt_error *err)
{
    struct rt_buf path = RT_BUF_INIT;
    struct lexemes_job lex;
    struct merge m;
    sqlite3_changeset_iter *it = NULL;
    size_t maxcols = 1;
    int rc;

    memset(&m, 0, sizeof(m));
    rt_buf_init(&m.ids, 0);
    rt_buf_init(&m.ids_pg, 0);
    m.x.s = s;
    m.cs = cs;
    m.cs_len = cs_len;
    m.version = s->merge_version;
    rt_buf_addf(&path, "%s/load.db", s->scratch_dir);
    if (sqlite3_open_v2(path.buf, &m.x.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = sq_error(m.x.db, err, "the import's working copy");
        goto out;
    }
    sqlite3_busy_timeout(m.x.db, WORK_BUSY_MS); /* the lexemes' thread reads it too */
    if ((rc = load_tables(m.x.db, s, 0, &m.x.t, &m.x.n, err)) < 0)
        goto out;
    m.touched = rt_xcalloc(m.x.n ? m.x.n : 1, 1);
    if (sqlite3changeset_start(&it, cs_len, cs) != SQLITE_OK) {
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the import's changes cannot be read");
        goto out;
    }
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, indirect;
        sqlite3changeset_op(it, &name, &ncol, &op, &indirect);
        for (size_t i = 0; i < m.x.n; i++)
            if (!strcmp(m.x.t[i].name, name)) {
                m.touched[i] = 1;
                if (m.x.t[i].ncols > maxcols)
                    maxcols = m.x.t[i].ncols;
            }
    }
    sqlite3changeset_finalize(it);
    m.vb = rt_xcalloc(maxcols, sizeof(*m.vb));
    m.vals = rt_xcalloc(maxcols, sizeof(*m.vals));
    m.lens = rt_xcalloc(maxcols, sizeof(*m.lens));
    for (size_t c = 0; c < maxcols; c++)
        rt_buf_init(&m.vb[c], 0);
    m.x.tok = rt_tokenizer_new("english");
    m.rows = rt_xcalloc(m.x.n ? m.x.n : 1, sizeof(*m.rows));
    for (size_t i = 0; i < m.x.n; i++) {
        rt_buf_init(&m.rows[i].ins, 0);
        rt_buf_init(&m.rows[i].upd, 0);
    }
    if ((rc = merge_collect(&m, err)) == 0) {
        /* Their lexemes are made meanwhile, as a first import's are (lexemes_job). */
        if (m.ids.len > 2) {
            lexemes_job_start(&lex, path.buf, m.ids.buf);
            m.lex = &lex;
        }
        rc = rt__pg_transaction(s->pg, merge_txn, &m, NULL, err);
    }
out:
    if (m.lex)
        lexemes_job_release(m.lex);
    if (m.rows)
        for (size_t i = 0; i < m.x.n; i++) {
            rt_buf_release(&m.rows[i].ins);
            rt_buf_release(&m.rows[i].upd);
            rt_free(m.rows[i].keys);
            sqlite3_finalize(m.rows[i].row);
        }
    rt_free(m.rows);
    if (m.vb)
        for (size_t c = 0; c < maxcols; c++)
            rt_buf_release(&m.vb[c]);
    rt_free(m.vb);
    rt_free(m.vals);
    rt_free(m.lens);
    rt_free(m.touched);
    rt_buf_release(&m.ids);
    rt_buf_release(&m.ids_pg);
    transfer_release(&m.x);
    rt_buf_release(&path);
    return rc;
}
