/*
 * The PostgreSQL back end's table of operations (src/store/backend.h): the core that
 * import, search, show, stats and export --json use, and the executor of the ledger's
 * writes (sql_exec, sql_scalar, sql_group, retry: pg/sql.c). The rest of the table is
 * left empty, so that store.c answers "not yet supported on PostgreSQL"
 * (rt__store_missing).
 *
 * An import is built in a private SQLite store in a temporary directory, by the SQLite
 * back end and so with every domain rule it applies (twins merged, responses ranked,
 * sources, themes, the audit entry), and at commit streamed into PostgreSQL with COPY,
 * table by table, in one serializable transaction: all or nothing. Until the domain
 * rules move out of the SQLite back end (issue 16, step 1), this keeps both stores'
 * rows the same by construction. Into a database that already holds data, the working
 * copy is first given PostgreSQL's rows, and the commit writes only what the import
 * changed in it (merge_txn). Reads are PostgreSQL's own SQL.
 */
#define SQLITE_ENABLE_SESSION 1 /* sqlite3.h's session API: a merging import's changes */
#include "base/compat.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>
#include <rightstrack/search.h>
#include <rightstrack/text.h>

#include "base/strmap.h"
#include "store/backend.h"
#include "store/pg/json_sql.h"
#include "store/pg/pg_int.h"
#include "store/sql.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/ops.h"

/*
 * A connection reads the whole full-text index into memory (some 20 MB for the UPR
 * Info file, a few hundred ms) only once it has run this many searches with text:
 * a process that runs one search (the command line) does better with PostgreSQL's
 * GIN index, one that runs many (the web face, bench/search_driver) with its own.
 * RT_PG_TEXT_AFTER in the environment sets another number (0: at once), for tests.
 */
#define PG_TEXT_AFTER 3

/*
 * A connection reads every recommendation's page row (rows.c: some 13 MB and 0.1-0.2 s
 * for the UPR Info file) once it has read this many pages at one data version from the
 * server: then a search asks the server only for the data version. A process that runs
 * a few searches (the command line), or a web face whose data keeps changing, reads
 * only its pages. RT_PG_ROWS_AFTER in the environment sets another number (0: at the
 * first page), for tests and bench/.
 */
#define PG_ROWS_AFTER 40

struct pg_store {
    struct rt__store_base base; /* first: &rt__pg_ops */
    struct rt_pg *pg;
    int schema;
    int in_tx;    /* a transaction begun by rt_store_begin (not a load) */
    int in_read;  /* rt_store_read_begin's */
    int readonly; /* opened RT_STORE_READONLY */
    char *actor, *via;
    /* During a load: the SQLite store it is built in, and its directory. */
    struct rt_store *scratch;
    char *scratch_dir;
    /* The load began on a database with data (merge): the working copy holds
     * PostgreSQL's rows of data version merge_version, and track records what the
     * load changes in it. */
    int merge;
    int64_t merge_version;
    struct sqlite3_session *track;
    /* The search statements prepared so far (run(), in the search part below). */
    char **search_sql, **search_name;
    size_t n_search;
    /* The facet index (facets.h) of data version fx_version, built from this
     * connection's reads; fx_state 1 built, -1 the data has what it cannot hold, 0
     * not yet read. */
    struct rt__facets *fx;
    int64_t fx_version;
    int fx_state;
    struct rt_buf theme_ids_sql; /* PG_THEME_IDS with $1 (theme_ids) */
    /* The full-text index in memory (text.c), of fx_version too; read once this
     * connection has run PG_TEXT_AFTER searches with text. */
    struct rt__pg_text *tx;
    int tx_read;                 /* tx was read (it may be NULL: data it cannot hold) */
    unsigned n_text, text_after; /* PG_TEXT_AFTER, or $RT_PG_TEXT_AFTER (tests) */
    int64_t tx_kept;             /* the data version of the text index in search_index (-1: none) */
    /* Every recommendation's page row (rows.c), of its own data version: used while
     * that is fx_version; read once n_pages pages were read at one version. */
    struct rt__pg_rows *rows;
    unsigned n_pages, rows_after; /* PG_ROWS_AFTER, or $RT_PG_ROWS_AFTER */
    int64_t rows_tried;           /* the data version rows could not hold (-1: none) */
    int64_t pages_version;        /* the data version n_pages counts at */
    /* Answers kept until the index is read again (fx_build): a state's id by its
     * name key (pg_state_find, found ones only), a theme filter's theme ids
     * (theme_ids: the offset in theme_pool of their count, then the ids), and with
     * tx the table word, sorted (prefix_words). */
    struct rt__strmap state_ids, theme_at;
    int64_t *theme_pool;
    size_t n_theme_pool, theme_pool_alloc;
    struct rt__pg_words words;
    struct rt__pg_sql sql;   /* the ledger's writes (sql.c) */
    struct rt__pg_reader rd; /* who the connection reads for (private.c) */
};

static struct pg_store *PG(struct rt_store *st)
{
    return (struct pg_store *)(void *)st;
}

static int pg_fail(struct rt_error *err, const char *what)
{
    return rt_error_set(err, RT_ENOTSUP, NULL, 0, NULL, "not yet supported on PostgreSQL: %s",
                        what);
}

/* Opening and closing. */

static int pg_begin_load(struct rt_store *st, struct rt_error *err);
static int pg_commit(struct rt_store *st, struct rt_error *err);
static void pg_close(struct rt_store *st);

/*
 * init (RT_STORE_INIT) gives a new database the states (ISO 3166, their names and
 * groups) as a new SQLite file gets them from its first migration, so that a ledger can
 * be written before any import (dialogue add --party Canada): an empty load, whose
 * commit moves the seeded tables of its working copy. An import moves them anyway.
 */
static int pg_seed(struct rt_store *st, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(PG(st)->pg, "pg_seeded", "SELECT EXISTS (SELECT 1 FROM state)", 0, NULL, err);
    int seeded, rc;

    if (!r)
        return RT_ESTORE;
    seeded = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (seeded)
        return 0;
    if ((rc = pg_begin_load(st, err)) < 0)
        return rc;
    return pg_commit(st, err);
}

static int pg_open(struct rt_store **out, const char *target, unsigned flags, struct rt_error *err)
{
    struct pg_store *s;
    int rc;

    *out = NULL;
    s = rt_xcalloc(1, sizeof(*s));
    rt_buf_init(&s->theme_ids_sql, 0);
    {
        const char *after = getenv("RT_PG_TEXT_AFTER");
        s->text_after = after && *after ? (unsigned)strtoul(after, NULL, 10) : PG_TEXT_AFTER;
        s->tx_kept = -1;
        after = getenv("RT_PG_ROWS_AFTER");
        s->rows_after = after && *after ? (unsigned)strtoul(after, NULL, 10) : PG_ROWS_AFTER;
        s->rows_tried = -1;
    }
    s->base.ops = &rt__pg_ops;
    s->rd = (struct rt__pg_reader)RT__PG_READER_INIT;
    if ((rc = rt__pg_connect(target, &s->pg, err)) < 0) {
        rt_free(s);
        return rc;
    }
    s->readonly = (flags & RT_STORE_READONLY) != 0;
    if (flags & RT_STORE_READONLY) {
        PGresult *r = rt__pg_exec(s->pg, "pg_open_version",
                                  "SELECT value FROM meta WHERE key = 'pg_schema'", 0, NULL, err);
        if (!r) {
            rc = RT_ESTORE;
        } else {
            s->schema = PQntuples(r) ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
            PQclear(r);
        }
    } else {
        rc = rt__pg_migrate(s->pg, &s->schema, err);
    }
    if (rc < 0) {
        rt__pg_close(s->pg);
        rt_free(s);
        return rc;
    }
    if (s->schema >= 11) /* the audit log's: its entries are sealed at COMMIT */
        rt__pg_set_audit(s->pg, NULL, NULL);
    if ((flags & RT_STORE_INIT) && !(flags & RT_STORE_READONLY) &&
        (rc = pg_seed((struct rt_store *)(void *)s, err)) < 0) {
        pg_close((struct rt_store *)(void *)s);
        return rc;
    }
    *out = (struct rt_store *)(void *)s;
    return 0;
}

static void scratch_drop(struct pg_store *s)
{
    static const char *const files[] = {"load.db", "load.db-wal", "load.db-shm", "load.db-journal"};
    struct rt_buf p = RT_BUF_INIT;

    if (s->track)
        sqlite3session_delete(s->track);
    s->track = NULL;
    if (s->scratch)
        rt__sqlite_close(s->scratch);
    s->scratch = NULL;
    if (!s->scratch_dir)
        return;
    for (size_t i = 0; i < RT_ARRAY_SIZE(files); i++) {
        rt_buf_reset(&p);
        rt_buf_addf(&p, "%s/%s", s->scratch_dir, files[i]);
        unlink(p.buf);
    }
    rmdir(s->scratch_dir);
    rt_buf_release(&p);
    rt_free(s->scratch_dir);
    s->scratch_dir = NULL;
    s->merge = 0;
}

static void caches_clear(struct pg_store *s)
{
    rt__strmap_release(&s->state_ids);
    rt__strmap_release(&s->theme_at);
    rt_free(s->theme_pool);
    s->theme_pool = NULL;
    s->n_theme_pool = s->theme_pool_alloc = 0;
    rt__pg_words_release(&s->words);
}

static void pg_close(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    scratch_drop(s);
    if (s->in_tx || s->in_read)
        rt__pg_end(s->pg, 0, NULL);
    rt__pg_rows_free(s->rows);
    rt__pg_close(s->pg);
    rt__pg_sql_release(&s->sql);
    rt__pg_reader_release(&s->rd);
    for (size_t i = 0; i < s->n_search; i++) {
        rt_free(s->search_sql[i]);
        rt_free(s->search_name[i]);
    }
    rt_free(s->search_sql);
    rt_free(s->search_name);
    rt__facets_free(s->fx);
    rt__pg_text_free(s->tx);
    caches_clear(s);
    rt_buf_release(&s->theme_ids_sql);
    rt_free(s->actor);
    rt_free(s->via);
    rt_free(s);
}

static int pg_schema_version(struct rt_store *st)
{
    return PG(st)->schema;
}

static void pg_set_actor(struct rt_store *st, const char *actor, const char *via)
{
    struct pg_store *s = PG(st);

    rt_free(s->actor);
    rt_free(s->via);
    s->actor = actor ? rt_xstrdup(actor) : NULL;
    s->via = via ? rt_xstrdup(via) : NULL;
    if (s->schema >= 11) /* the audit log's: its entries are sealed at COMMIT */
        rt__pg_set_audit(s->pg, actor, via);
}

static int pg_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return pg_fail(err, "changing the reader during an import");
    return rt__pg_reader_set(s->pg, &s->rd, s->in_tx || s->in_read, reader, err);
}

static enum rt_reader pg_reader(const struct rt_store *st)
{
    return ((const struct pg_store *)(const void *)st)->rd.reader;
}

/* Repeats (repeats.c). */

static void pg_read_end(struct rt_store *st);

static int pg_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return pg_fail(err, "repeats during an import");
    return rt__pg_repeats_fresh(s->pg, out_fresh, err);
}

static int pg_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                              struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return pg_fail(err, "repeats during an import");
    if (s->readonly)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "the database is open read-only: repeats cannot be stored");
    pg_read_end(st);
    return rt__pg_repeats_compute(s->pg, s->in_tx, out_pairs, out_clusters, err);
}

static int pg_may_write(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    return !s->readonly && !s->in_tx && !s->in_read && !s->scratch;
}

/* Transactions. */

static int pg_read_begin(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->in_tx || s->in_read)
        return 0;
    if ((rc = rt__pg_begin(s->pg, "REPEATABLE READ", err)) == 0)
        s->in_read = 1;
    return rc;
}

static void pg_read_end(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    /* A read wrote nothing: committed when the reader changed in it, so that the
     * change stays (else rolled back, and the change made again). */
    if (s->in_read)
        rt__pg_reader_ended(s->pg, &s->rd,
                            rt__pg_end(s->pg, s->rd.dirty, NULL) == 0 && s->rd.dirty);
    s->in_read = 0;
}

static int pg_begin(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->in_tx || s->scratch)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "a transaction is already open");
    pg_read_end(st);
    if ((rc = rt__pg_begin(s->pg, "SERIALIZABLE", err)) == 0)
        s->in_tx = 1;
    return rc;
}

/* Whether PostgreSQL holds any recommendation or audit entry: a load needs neither. */
static int pg_empty(struct pg_store *s, int *empty, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(s->pg, "pg_empty",
                              "SELECT NOT EXISTS (SELECT 1 FROM recommendation)"
                              " AND NOT EXISTS (SELECT 1 FROM audit_log)",
                              0, NULL, err);

    if (!r)
        return RT_ESTORE;
    *empty = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return 0;
}

static int data_version(struct pg_store *s, int64_t *out, struct rt_error *err);

/* The working copy of a load on a database with data gets PostgreSQL's rows, and the
 * data version they are of, from one snapshot (rt__pg_seed, move.c). */
static int merge_seed(struct pg_store *s, struct rt_error *err)
{
    int rc;

    if ((rc = rt__pg_begin(s->pg, "REPEATABLE READ READ ONLY", err)) < 0)
        return rc;
    if ((rc = data_version(s, &s->merge_version, err)) == 0)
        rc = rt__pg_seed(s->pg, s->scratch, &s->track, err);
    rt__pg_end(s->pg, 0, NULL);
    if (rc == 0)
        s->merge = 1;
    return rc;
}

static int pg_begin_load(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf path = RT_BUF_INIT;
    const char *tmp = getenv("TMPDIR");
    int empty, rc;

    if (s->in_tx || s->scratch)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "a transaction is already open");
    /* The transfer names the tables by current_schema(), which is pg_temp then. */
    if (s->rd.reader != RT_READER_ALL)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "this store reads for the public and cannot write");
    pg_read_end(st);
    if ((rc = pg_empty(s, &empty, err)) < 0)
        return rc;
    rt_buf_addf(&path, "%s/rightstrack-pg-load.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(path.buf)) {
        rc = rt_error_set(err, RT_EIO, path.buf, 0, NULL,
                          "cannot make the import's working directory: %s", strerror(errno));
        rt_buf_release(&path);
        return rc;
    }
    s->scratch_dir = rt_xstrdup(path.buf);
    rt_buf_adds(&path, "/load.db");
    rc = rt__sqlite_open(&s->scratch, path.buf, RT_STORE_CREATE, err);
    rt_buf_release(&path);
    if (rc == 0) {
        rt_store_set_actor(s->scratch, s->actor, s->via);
        if (!empty)
            rc = merge_seed(s, err);
    }
    if (rc == 0 && (rc = rt__sqlite_begin_load(s->scratch, err)) == 0)
        rt__sqlite_load_scratch(s->scratch);
    if (rc < 0)
        scratch_drop(s);
    return rc;
}

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

/* The full-text lexemes of every recommendation in db (its text), or of those whose ids
 * the JSON array ids lists, then the words of their texts and paragraphs, into out;
 * with paragraphs_only, only the words of their paragraphs (a merge that filled
 * paragraphs in). 0, or RT_ESTORE and SQLite's message in msg. */
static int lexemes_make(sqlite3 *db, struct rt_tokenizer *tok, const char *ids, int paragraphs_only,
                        struct lexemes *out, char *msg, size_t msg_len)
{
    struct rt_buf tsv = RT_BUF_INIT;
    struct rt_pg_lexemes lx = RT_PG_LEXEMES_INIT;
    sqlite3_stmt *q = NULL;
    int step;

    if (sqlite3_prepare_v2(db,
                           ids ? "SELECT id, text, paragraph FROM recommendation"
                                 " WHERE id IN (SELECT value FROM json_each(?1))"
                               : "SELECT id, text, paragraph FROM recommendation",
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
        if (!paragraphs_only)
            rt_tokenize(tok, (const char *)sqlite3_column_text(q, 1),
                        (size_t)sqlite3_column_bytes(q, 1), RT_TOKENIZE_NEW_WORDS, lex_term, &l);
        if (sqlite3_column_type(q, 2) != SQLITE_NULL) {
            struct lex p = {NULL, &out->words, 0, NULL, 0};
            rt_tokenize(tok, (const char *)sqlite3_column_text(q, 2),
                        (size_t)sqlite3_column_bytes(q, 2), RT_TOKENIZE_NEW_WORDS, lex_term, &p);
        }
        if (paragraphs_only)
            continue;
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

/* Sends l: its rows into recommendation_fts (none with paragraphs_only), its words
 * into word_table (word, or a merge's temporary table). */
static int lexemes_send(struct pg_store *s, const struct lexemes *l, int paragraphs_only,
                        const char *word_table, struct rt_error *err)
{
    static const char *const cols[] = {"rec_id", "lexemes"};
    static const char *const wcols[] = {"word", "stem"};
    struct rt_pg_copy *cp = NULL;
    int rc = 0;

    if (!paragraphs_only &&
        ((rc = rt__pg_copy_begin_binary(s->pg, "recommendation_fts", cols, 2, &cp, err)) < 0 ||
         (rc = rt__pg_copy_put(cp, l->rows.buf, l->rows.len, l->nrows, err)) < 0 ||
         (rc = rt__pg_copy_end(cp, NULL, err)) < 0))
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
static int copy_lexemes(struct transfer *x, const char *ids, int paragraphs_only,
                        const char *word_table, struct rt_error *err)
{
    struct lexemes l;
    char msg[256] = "";
    int rc;

    memset(&l, 0, sizeof(l));
    rt_buf_init(&l.rows, 0);
    rt_buf_init(&l.words, 0);
    if ((rc = lexemes_make(x->db, x->tok, ids, paragraphs_only, &l, msg, sizeof(msg))) < 0)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "recommendation: %s", msg);
    else
        rc = lexemes_send(x->s, &l, paragraphs_only, word_table, err);
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
    const char *ids, *pids; /* a merge's (merge_collect), else NULL: every text */
    pthread_t thread;
    int started, rc;
    struct lexemes l, lp; /* lp: the words of the paragraphs of pids */
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
        j->rc = 0;
        if (j->ids || !j->pids)
            j->rc = lexemes_make(db, tok, j->ids, 0, &j->l, msg, sizeof(msg));
        if (j->rc == 0 && j->pids)
            j->rc = lexemes_make(db, tok, j->pids, 1, &j->lp, msg, sizeof(msg));
    }
    sqlite3_close(db);
    rt_tokenizer_free(tok);
    return NULL;
}

/* Starts the thread on the working copy at path: the lexemes of the texts ids lists
 * and the words of the paragraphs pids lists (JSON arrays, kept by the caller until
 * lexemes_job_release), or with both NULL those of every text. */
static void lexemes_job_start(struct lexemes_job *j, const char *path, const char *ids,
                              const char *pids)
{
    memset(j, 0, sizeof(*j));
    rt_buf_init(&j->l.rows, 0);
    rt_buf_init(&j->l.words, 0);
    rt_buf_init(&j->lp.rows, 0);
    rt_buf_init(&j->lp.words, 0);
    j->rc = RT_ESTORE;
    j->ids = ids;
    j->pids = pids;
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
    lexemes_release(&j->lp);
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

/* The indexes of the tables named (an array literal) that no constraint owns, as CREATE
 * INDEX statements appended to defs (each ended by NUL); they are dropped now, in one
 * round trip, to be made again after the copy. */
static int indexes_drop(struct pg_store *s, const char *tables, struct rt_buf *defs,
                        struct rt_error *err)
{
    const char *v[1] = {tables};
    PGresult *r = rt__pg_exec(s->pg, "pg_indexes",
                              "SELECT indexname, indexdef FROM pg_indexes i"
                              " WHERE schemaname = current_schema()"
                              " AND tablename = ANY ($1::text[])"
                              " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                              " format('%I.%I', i.schemaname, i.indexname)::regclass)"
                              " ORDER BY array_position($1::text[], tablename::text), indexname",
                              1, v, err);
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        rt_buf_addf(&sql, "DROP INDEX \"%s\";", PQgetvalue(r, i, 0));
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
/*
 * The data version: meta 'data_version', a number that every write transaction
 * raises before its COMMIT (none yet: 0). Being a row, it is read in the same
 * snapshot as the data, so a reader never pairs a new version with old rows; two
 * writers that raise it at once conflict, and rt__pg_transaction runs one again.
 */
#define PG_BUMP_VERSION                                                                            \
    "INSERT INTO meta(key, value) VALUES ('data_version', '1') ON CONFLICT (key)"                  \
    " DO UPDATE SET value = (meta.value::bigint + 1)::text"
#define PG_VERSION "SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'data_version'), 0)"

static int transfer_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    static const char *const fts_tables[] = {"recommendation_fts", "word", NULL};
    struct transfer *x = ctx;
    struct rt_buf defs = RT_BUF_INIT, sql = RT_BUF_INIT, names = RT_BUF_INIT;
    PGresult *r;
    int rc, empty, super;

    (void)pg;
    x->done = 0; /* run again after a serialization failure */
    if ((rc = pg_empty(x->s, &empty, err)) < 0)
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
        rc = lexemes_send(x->s, &x->lex->l, 0, "word", err);
    else
        rc = copy_lexemes(x, NULL, 0, "word", err);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < defs.len && rc == 0; i += strlen(defs.buf + i) + 1)
        rc = rt__pg_run(x->s->pg, defs.buf + i, err);
    if (rc == 0)
        rc = rt__pg_run(x->s->pg, "DELETE FROM search_index", err);
    if (rc == 0)
        rc = rt__pg_run(x->s->pg, PG_BUMP_VERSION, err);
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

static int transfer(struct pg_store *s, struct rt_error *err)
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
    lexemes_job_start(&lex, path.buf, NULL, NULL);
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
    if ((rc = pg_open(&st, pg_target, 0, err)) < 0)
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
    struct lexemes_job *lex;   /* the lexemes of ids and the words of pids, made meanwhile */
    char *touched;             /* x.t[i] has changes */
    struct merge_rows *rows;   /* x.t[i]'s changes, made ready before the transaction */
    struct rt_buf ids, ids_pg; /* recommendations added or with a new text: [1,2] and {1,2} */
    struct rt_buf pids;        /* those with only a new paragraph: [1,2] */
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

/* Notes recommendation id: new, or with a new text (its lexemes and words made again),
 * or with only a new paragraph (paragraph: its words). */
static void merge_note_rec(struct merge *m, sqlite3_value *v, int paragraph)
{
    if (!v)
        return;
    if (paragraph) {
        rt_buf_addf(&m->pids, "%s%lld", m->pids.len > 1 ? "," : "",
                    (long long)sqlite3_value_int64(v));
        return;
    }
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
    rt_buf_addch(&m->pids, '[');
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
                merge_note_rec(m, v, 0);
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
                merge_note_rec(m, v, !merge_changed(it, t, "text"));
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
    rt_buf_addch(&m->pids, ']');
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

static int merge_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    struct merge *m = ctx;
    struct pg_store *s = m->x.s;
    int64_t v;
    PGresult *r;
    int rc, super;

    (void)pg;
    if ((rc = data_version(s, &v, err)) < 0)
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
    if (rc == 0 && (m->ids.len > 2 || m->pids.len > 2))
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
            rc = lexemes_send(s, &m->lex->l, 0, "rt_merge_word", err);
        else
            rc = copy_lexemes(&m->x, m->ids.buf, 0, "rt_merge_word", err);
    }
    if (rc == 0 && m->pids.len > 2) {
        if (m->lex && lexemes_job_wait(m->lex) == 0)
            rc = lexemes_send(s, &m->lex->lp, 1, "rt_merge_word", err);
        else
            rc = copy_lexemes(&m->x, m->pids.buf, 1, "rt_merge_word", err);
    }
    if (rc == 0 && (m->ids.len > 2 || m->pids.len > 2))
        rc = rt__pg_run(s->pg,
                        "INSERT INTO word SELECT word, stem FROM rt_merge_word"
                        " ON CONFLICT (word) DO NOTHING",
                        err);
    for (size_t i = 0; i < m->x.n && rc == 0; i++)
        if (!super && m->touched[i])
            rc = table_triggers(s, m->x.t[i].name, 1, err);
    if (rc == 0)
        rc = rt__pg_run(s->pg, "DELETE FROM search_index", err);
    if (rc == 0)
        rc = rt__pg_run(s->pg, PG_BUMP_VERSION, err);
    return rc;
}

/* Writes into PostgreSQL what the load changed in its working copy (changeset cs). */
static int merge_write(struct pg_store *s, void *cs, int cs_len, struct rt_error *err)
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
    rt_buf_init(&m.pids, 0);
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
        if (m.ids.len > 2 || m.pids.len > 2) {
            lexemes_job_start(&lex, path.buf, m.ids.len > 2 ? m.ids.buf : NULL,
                              m.pids.len > 2 ? m.pids.buf : NULL);
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
    rt_buf_release(&m.pids);
    transfer_release(&m.x);
    rt_buf_release(&path);
    return rc;
}

static void pg_rollback(struct rt_store *st);

static int pg_commit(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->scratch && s->merge) {
        void *cs = NULL;
        int cs_len = 0;
        rc = rt__sqlite_commit(s->scratch, err);
        if (rc == 0 && sqlite3session_changeset(s->track, &cs_len, &cs) != SQLITE_OK)
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the import's changes cannot be read");
        sqlite3session_delete(s->track);
        s->track = NULL;
        rt__sqlite_close(s->scratch);
        s->scratch = NULL;
        if (rc == 0)
            rc = merge_write(s, cs, cs_len, err);
        sqlite3_free(cs);
        scratch_drop(s);
        return rc;
    }
    if (s->scratch) {
        rc = rt__sqlite_commit(s->scratch, err);
        rt__sqlite_close(s->scratch);
        s->scratch = NULL;
        if (rc == 0)
            rc = transfer(s, err);
        scratch_drop(s);
        return rc;
    }
    if (!s->in_tx)
        return 0;
    s->in_tx = 0;
    rc = rt__pg_end(s->pg, 1, err);
    rt__pg_reader_ended(s->pg, &s->rd, rc == 0);
    return rc;
}

static void pg_rollback(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        rt__sqlite_rollback(s->scratch);
    scratch_drop(s);
    if (s->in_tx) {
        rt__pg_end(s->pg, 0, NULL);
        rt__pg_reader_ended(s->pg, &s->rd, 0);
    }
    s->in_tx = 0;
}

/* The writes of a load: done in the load's SQLite store. */

#define IN_LOAD(s, what)                                                                           \
    do {                                                                                           \
        if (!(s)->scratch)                                                                         \
            return pg_fail(err, what " outside an import");                                        \
    } while (0)

static int pg_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                         int *out_new, struct rt_error *err)
{
    IN_LOAD(PG(st), "adding a source");
    return rt__sqlite_source_put(PG(st)->scratch, src, out_id, out_new, err);
}

static int pg_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                      unsigned *out_flags, struct rt_error *err)
{
    IN_LOAD(PG(st), "adding a recommendation");
    return rt__sqlite_rec_put(PG(st)->scratch, r, out_id, out_flags, err);
}

static int pg_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                         struct rt_error *err)
{
    IN_LOAD(PG(st), "linking a recommending state");
    return rt__sqlite_rec_add_by(PG(st)->scratch, rec_id, state_id, out_new, err);
}

static int pg_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                            const char *label, const char *origin, double confidence, int *out_new,
                            struct rt_error *err)
{
    if (!PG(st)->scratch) /* themes tag */
        return rt__pg_rec_add_theme(st, rec_id, vocabulary, label, origin, confidence, out_new,
                                    err);
    IN_LOAD(PG(st), "tagging a theme");
    return rt__sqlite_rec_add_theme(PG(st)->scratch, rec_id, vocabulary, label, origin, confidence,
                                    out_new, err);
}

static int pg_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                           struct rt_error *err)
{
    IN_LOAD(PG(st), "linking a recommending state");
    return rt__sqlite_rec_queue_by(PG(st)->scratch, rec_id, state_id, err);
}

static int pg_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                              const char *label, const char *origin, double confidence,
                              struct rt_error *err)
{
    IN_LOAD(PG(st), "tagging a theme");
    return rt__sqlite_rec_queue_theme(PG(st)->scratch, rec_id, vocabulary, label, origin,
                                      confidence, err);
}

static int pg_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                              struct rt_error *err)
{
    if (!PG(st)->scratch) {
        if (by_new)
            *by_new = 0;
        if (themes_new)
            *themes_new = 0;
        return 0;
    }
    return rt__sqlite_rec_links_flush(PG(st)->scratch, by_new, themes_new, err);
}

static int pg_audit_note(struct rt_store *st, const char *table, const char *op, const char *record,
                         const char *after, struct rt_error *err)
{
    IN_LOAD(PG(st), "writing to the audit log");
    return rt_audit_note(PG(st)->scratch, table, op, record, after, err);
}

/* A restore (import of an export file) is written into the load's working copy by
 * SQLite's rules and checks, as any import; the commit moves every table it filled,
 * the ledger's too. Into a database with data, the working copy holds its rows, and
 * SQLite refuses the restore as it does on its own store. */
static int pg_import_export(struct rt_store *st, const char *path, json_t *doc,
                            struct rt_error *err)
{
    IN_LOAD(PG(st), "restoring an export");
    return rt__sqlite_import_export(PG(st)->scratch, path, doc, err);
}

/* Reads. */

/* Runs a statement with one int64 parameter. */
static PGresult *exec_id(struct pg_store *s, const char *name, const char *sql, int64_t id,
                         struct rt_error *err)
{
    char num[24];
    const char *v[1] = {num};

    snprintf(num, sizeof(num), "%lld", (long long)id);
    return rt__pg_exec(s->pg, name, sql, 1, v, err);
}

static char *dup_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : rt_xstrdup(PQgetvalue(r, row, col));
}

static int pg_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                         struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf key = RT_BUF_INIT;
    const char *v[1];
    PGresult *r;
    int rc;

    if (s->scratch)
        return rt__sqlite_state_find(s->scratch, name, len, out_id, err);
    if (rt_text_name_key(name, len, &key) < 0 || !key.len) {
        rt_buf_release(&key);
        return RT_ENOTFOUND;
    }
    if (rt__strmap_get(&s->state_ids, key.buf, key.len, out_id)) {
        rt_buf_release(&key);
        return 0;
    }
    v[0] = key.buf;
    r = rt__pg_exec(s->pg, "pg_state_find", "SELECT state_id FROM state_name WHERE key = $1", 1, v,
                    err);
    if (!r) {
        rt_buf_release(&key);
        return RT_ESTORE;
    }
    rc = PQntuples(r) ? 0 : RT_ENOTFOUND;
    if (rc == 0) {
        *out_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        rt__strmap_put(&s->state_ids, key.buf, key.len, *out_id);
    }
    rt_buf_release(&key);
    PQclear(r);
    return rc;
}

static int pg_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                        struct rt_error *err)
{
    struct pg_store *s = PG(st);
    PGresult *r;
    int rc = 0;

    if (s->scratch)
        return rt__sqlite_state_get(s->scratch, id, ref, err);
    if (!(r = exec_id(s, "pg_state_get", "SELECT code, name FROM state WHERE id = $1", id, err)))
        return RT_ESTORE;
    if (PQntuples(r)) {
        snprintf(ref->code, sizeof(ref->code), "%s", PQgetvalue(r, 0, 0));
        ref->name = rt_xstrdup(PQgetvalue(r, 0, 1));
    } else {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no state with id %lld", (long long)id);
    }
    PQclear(r);
    return rc;
}

/* THEME_IDS of src/store/pg/json_sql.h with the theme as $T (theme_sql puts the
 * parameter's number there). */
#define PG_THEME_IDS THEME_IDS("$T")

/* Appends sql with each $T replaced by the parameter name p ("$8"). */
static void theme_sql(struct rt_buf *out, const char *sql, const char *p)
{
    for (const char *q = sql; *q; q++) {
        if (q[0] == '$' && q[1] == 'T') {
            rt_buf_adds(out, p);
            q++;
        } else {
            rt_buf_addch(out, *q);
        }
    }
}

static int theme_ids(struct pg_store *s, const char *theme, int known, int64_t **out, size_t *n,
                     struct rt_error *err);

/*
 * A theme no theme row matches: still known when it names an area (by its code, its
 * label or a word of it: SQLite's rt__sqlite_theme_check), which finds nothing on a
 * database without themes yet; else refused with the close labels, as on SQLite.
 */
static int theme_unknown(struct pg_store *s, const char *theme, struct rt_error *err)
{
    const char *v[1] = {theme};
    struct rt_buf close = RT_BUF_INIT;
    PGresult *r;
    int rc, n;

    if (!(r = rt__pg_exec(s->pg, "pg_theme_area",
                          "SELECT 1 FROM theme_area a WHERE lower(a.code) = lower($1)"
                          " OR lower(a.label) = lower($1) OR strpos(" THEME_WORDS(
                              "a.label") ", ' ' || trim(lower($1)) || ' ') > 0 LIMIT 1",
                          1, v, err)))
        return RT_ESTORE;
    n = PQntuples(r);
    PQclear(r);
    if (n)
        return 0;
    /* Labels with a word that begins with its first three letters, shortest first. */
    if (!(r = rt__pg_exec(s->pg, "pg_theme_close",
                          "SELECT l FROM (SELECT label COLLATE \"C\" l FROM theme_area UNION"
                          " SELECT label COLLATE \"C\" FROM theme) x WHERE strpos(" THEME_WORDS(
                              "l") ", ' ' || lower(substr(trim($1), 1, 3))) > 0"
                                   " ORDER BY length(l), l LIMIT 5",
                          1, v, err)))
        return RT_ESTORE;
    n = PQntuples(r);
    for (int i = 0; i < n; i++)
        rt_buf_addf(&close, "%s'%s'", i ? ", " : "", PQgetvalue(r, i, 0));
    PQclear(r);
    rc = rt_error_set(err, RT_EINVAL, NULL, 0, "theme", "no theme matches '%s'%s%s", theme,
                      n ? "; close: " : " ('rightstrack themes areas' lists the areas)",
                      close.buf ? close.buf : "");
    rt_buf_release(&close);
    return rc;
}

static int pg_theme_check(struct rt_store *st, const char *theme, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc;

    if (s->scratch)
        return rt__sqlite_theme_check(s->scratch, theme, err);
    /* The theme's ids, as the search's filter takes them and keeps them (theme_ids,
     * until the index is read again for new data): a search with a theme, which
     * checks it first, then asks the server once per theme, not twice a search. A
     * theme found unknown is asked again: the search that would notice new data
     * does not run after a refusal. */
    if ((rc = theme_ids(s, theme, 1, &ids, &n, err)) < 0)
        return rc;
    rt_free(ids);
    return n ? 0 : theme_unknown(s, theme, err);
}

/* A recommendation's own row (RT__REC_COLUMNS, from column c on) into r. */
static void rec_fill(const PGresult *q, int row, int c, struct rt_rec *r)
{
    r->id = strtoll(PQgetvalue(q, row, c), NULL, 10);
    r->mechanism = rt_xstrdup(PQgetvalue(q, row, c + 1));
    r->cycle = (int)strtol(PQgetvalue(q, row, c + 2), NULL, 10);
    r->session = (int)strtol(PQgetvalue(q, row, c + 3), NULL, 10);
    r->paragraph = dup_or_null(q, row, c + 4);
    r->text = rt_xstrdup(PQgetvalue(q, row, c + 5));
    snprintf(r->sur.code, sizeof(r->sur.code), "%s", PQgetvalue(q, row, c + 6));
    r->sur.name = rt_xstrdup(PQgetvalue(q, row, c + 7));
    if (rt_response_parse(PQgetvalue(q, row, c + 8), &r->response) < 0)
        r->response = RT_RESPONSE_PENDING;
    r->action_category = (int)strtol(PQgetvalue(q, row, c + 9), NULL, 10);
    r->source_id = strtoll(PQgetvalue(q, row, c + 10), NULL, 10);
    r->source_path = dup_or_null(q, row, c + 11);
    r->created_at = rt_xstrdup(PQgetvalue(q, row, c + 12));
    if (!PQgetisnull(q, row, c + 13)) {
        r->action_category_origin = rt_xstrdup(PQgetvalue(q, row, c + 13));
        r->action_category_confidence = strtod(PQgetvalue(q, row, c + 14), NULL);
    }
}

/* The recommending states and themes of r. */
static int rec_links(struct pg_store *s, struct rt_rec *r, struct rt_error *err)
{
    PGresult *q;
    int n;

    if (!(q = exec_id(s, "pg_rec_by",
                      "SELECT s.code, s.name FROM recommendation_by b JOIN state s"
                      " ON s.id = b.state_id WHERE b.rec_id = $1 ORDER BY s.name COLLATE \"C\"",
                      r->id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->by = rt_xcalloc((size_t)n, sizeof(*r->by));
        for (int i = 0; i < n; i++) {
            snprintf(r->by[i].code, sizeof(r->by[i].code), "%s", PQgetvalue(q, i, 0));
            r->by[i].name = rt_xstrdup(PQgetvalue(q, i, 1));
        }
        r->n_by = (size_t)n;
    }
    PQclear(q);
    if (!(q = exec_id(s, "pg_rec_themes",
                      "SELECT t.vocabulary, t.label, rt.origin, rt.confidence"
                      " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
                      " WHERE rt.rec_id = $1 ORDER BY t.vocabulary COLLATE \"C\","
                      " t.label COLLATE \"C\", rt.origin COLLATE \"C\"",
                      r->id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->themes = rt_xcalloc((size_t)n, sizeof(*r->themes));
        for (int i = 0; i < n; i++) {
            r->themes[i].vocabulary = rt_xstrdup(PQgetvalue(q, i, 0));
            r->themes[i].label = rt_xstrdup(PQgetvalue(q, i, 1));
            r->themes[i].origin = rt_xstrdup(PQgetvalue(q, i, 2));
            r->themes[i].confidence = strtod(PQgetvalue(q, i, 3), NULL);
        }
        r->n_themes = (size_t)n;
    }
    PQclear(q);
    return 0;
}

static int pg_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    PGresult *q;
    int n, rc;

    if (!(q = exec_id(s, "pg_rec_get", RT__REC_SELECT " WHERE r.id = $1", id, err)))
        return RT_ESTORE;
    if (!PQntuples(q)) {
        PQclear(q);
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                            (long long)id);
    }
    rec_fill(q, 0, 0, r);
    PQclear(q);
    if ((rc = rec_links(s, r, err)) < 0)
        return rc;
    if (!(q = exec_id(s, "pg_rec_sources",
                      "SELECT src.id, src.kind, src.path, rs.response"
                      " FROM recommendation_source rs JOIN source src ON src.id = rs.source_id"
                      " WHERE rs.rec_id = $1 ORDER BY src.id",
                      id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->sources = rt_xcalloc((size_t)n, sizeof(*r->sources));
        for (int i = 0; i < n; i++) {
            struct rt_rec_source *src = &r->sources[i];
            src->id = strtoll(PQgetvalue(q, i, 0), NULL, 10);
            src->kind = rt_xstrdup(PQgetvalue(q, i, 1));
            src->path = rt_xstrdup(PQgetvalue(q, i, 2));
            src->response = RT_RESPONSE_PENDING;
            rt_response_parse(PQgetvalue(q, i, 3), &src->response);
        }
        r->n_sources = (size_t)n;
    }
    PQclear(q);
    if (!(q = exec_id(s, "pg_rec_election",
                      "SELECT election, election_date, report_date, priority"
                      " FROM recommendation_election WHERE rec_id = $1",
                      id, err)))
        return RT_ESTORE;
    if (PQntuples(q)) {
        r->election = dup_or_null(q, 0, 0);
        r->election_date = dup_or_null(q, 0, 1);
        r->report_date = dup_or_null(q, 0, 2);
        r->priority = (int)strtol(PQgetvalue(q, 0, 3), NULL, 10);
    }
    PQclear(q);
    return 0;
}

/*
 * The page's rows in one statement, whatever the page (prepared once, ids an array in
 * the page's order): rows (part, place, then RT__REC_COLUMNS, then a state's code and
 * name, then a theme's vocabulary, label, origin and confidence), in no order. Part 0
 * is one row whose place is the data version (PG_VERSION), of the same snapshot as
 * the rest; part 1 a recommendation's row, place its index in the array; part 2 a
 * recommending state and part 3 a theme of the recommendation at place (recs_load
 * sorts them as rec_links' statements do). The NULLs of the first part give the later
 * parts' types.
 */
#define PG_PAGE_NULLS15 "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
#define PG_PAGE_SQL                                                                                \
    "WITH ids(id, place) AS (SELECT u.id, u.n - 1 FROM unnest($1::bigint[])"                       \
    " WITH ORDINALITY u(id, n))"                                                                   \
    " SELECT 1, ids.place, " RT__REC_COLUMNS ","                                                   \
    " NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::float8"                    \
    " FROM ids JOIN " RT__REC_TABLES " ON r.id = ids.id"                                           \
    " UNION ALL SELECT 0, (" PG_VERSION "), " PG_PAGE_NULLS15 " NULL, NULL, NULL,"                 \
    " NULL, NULL, NULL, NULL, NULL, NULL"                                                          \
    " UNION ALL SELECT 2, ids.place, " PG_PAGE_NULLS15 " NULL, NULL, NULL, s.code, s.name,"        \
    " NULL, NULL, NULL, NULL"                                                                      \
    " FROM ids JOIN recommendation_by b ON b.rec_id = ids.id JOIN state s ON s.id = b.state_id"    \
    " UNION ALL SELECT 3, ids.place, " PG_PAGE_NULLS15 " NULL, NULL, NULL, NULL, NULL,"            \
    " t.vocabulary, t.label, rt.origin, rt.confidence"                                             \
    " FROM ids JOIN recommendation_theme rt ON rt.rec_id = ids.id"                                 \
    " JOIN theme t ON t.id = rt.theme_id"

/* rec_links' orders: states by name, themes by vocabulary, label and origin, as
 * COLLATE "C" sorts (bytes). */
static int by_cmp(const void *a, const void *b)
{
    const struct rt_state_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->code, y->code);
}

static int theme_cmp(const void *a, const void *b)
{
    const struct rt_rec_theme *x = a, *y = b;
    int c = strcmp(x->vocabulary, y->vocabulary);
    if (!c)
        c = strcmp(x->label, y->label);
    return c ? c : strcmp(x->origin, y->origin);
}

static int data_version(struct pg_store *s, int64_t *out, struct rt_error *err);

/*
 * As rec_get loads one, without sources and election (as SQLite's recs_load): one
 * statement for all of them (PG_PAGE_SQL), one round trip; with version not NULL,
 * *version is the data version of the same snapshot, so that a search learns with
 * its page whether the facet index it used is still of the data (with no page, that
 * alone).
 */
static int recs_load(struct pg_store *s, const int64_t *ids, size_t n, struct rt_rec *recs,
                     int64_t *version, struct rt_error *err)
{
    enum { C_REC = 2, C_BY = C_REC + 15, C_THEME = C_BY + 2 };
    struct rt_buf arr = RT_BUF_INIT;
    const char *v[1];
    PGresult *q;
    size_t found = 0;
    int rc = 0;

    if (!n)
        return version ? data_version(s, version, err) : 0;
    rt_buf_addch(&arr, '{');
    for (size_t i = 0; i < n; i++)
        rt_buf_addf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
    rt_buf_addch(&arr, '}');
    v[0] = arr.buf;
    q = rt__pg_exec(s->pg, "pg_recs_page", PG_PAGE_SQL, 1, v, err);
    rt_buf_release(&arr);
    if (!q)
        return RT_ESTORE;
    for (int row = 0; row < PQntuples(q); row++) {
        long part = strtol(PQgetvalue(q, row, 0), NULL, 10);
        long long at = strtoll(PQgetvalue(q, row, 1), NULL, 10);
        struct rt_rec *r;

        if (part == 0) {
            if (version)
                *version = at;
            continue;
        }
        if (at < 0 || (size_t)at >= n)
            continue;
        r = &recs[at];
        if (part == 1 && !r->id) {
            rec_fill(q, row, C_REC, r);
            found++;
        } else if (part == 2) {
            r->by = rt_xrealloc(r->by, (r->n_by + 1) * sizeof(*r->by));
            snprintf(r->by[r->n_by].code, sizeof(r->by[r->n_by].code), "%s",
                     PQgetvalue(q, row, C_BY));
            r->by[r->n_by++].name = rt_xstrdup(PQgetvalue(q, row, C_BY + 1));
        } else if (part == 3) {
            struct rt_rec_theme *t;
            r->themes = rt_xrealloc(r->themes, (r->n_themes + 1) * sizeof(*r->themes));
            t = &r->themes[r->n_themes++];
            t->vocabulary = rt_xstrdup(PQgetvalue(q, row, C_THEME));
            t->label = rt_xstrdup(PQgetvalue(q, row, C_THEME + 1));
            t->origin = rt_xstrdup(PQgetvalue(q, row, C_THEME + 2));
            t->confidence = strtod(PQgetvalue(q, row, C_THEME + 3), NULL);
        }
    }
    PQclear(q);
    for (size_t i = 0; i < n; i++) {
        if (recs[i].n_by > 1)
            qsort(recs[i].by, recs[i].n_by, sizeof(*recs[i].by), by_cmp);
        if (recs[i].n_themes > 1)
            qsort(recs[i].themes, recs[i].n_themes, sizeof(*recs[i].themes), theme_cmp);
    }
    if (found < n)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "a recommendation is no longer there");
    return rc;
}

static int pg_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                        struct rt_error *err)
{
    return recs_load(PG(st), ids, n, recs, NULL, err);
}

static int64_t scalar(struct pg_store *s, const char *name, const char *sql, int64_t sur_id,
                      int *rc, struct rt_error *err)
{
    PGresult *r;
    int64_t v = 0;

    if (*rc < 0)
        return 0;
    if (!(r = exec_id(s, name, sql, sur_id, err))) {
        *rc = RT_ESTORE;
        return 0;
    }
    if (PQntuples(r))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

/* Every recommendation ($1 = 0) or those to the state $1. */
#define SUR_R " WHERE ($1 = 0 OR r.sur_id = $1)"

static int counts_of(PGresult *r, struct rt_count **out, size_t *n)
{
    int rows = PQntuples(r);

    *out = rt_xcalloc(rows ? (size_t)rows : 1, sizeof(**out));
    for (int i = 0; i < rows; i++) {
        (*out)[i].key = rt_xstrdup(PQgetvalue(r, i, 0));
        (*out)[i].n = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    *n = (size_t)rows;
    return 0;
}

static int pg_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *out, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    PGresult *r;
    int rc = 0;

    out->recommendations =
        scalar(s, "pg_stats_recs", "SELECT count(*) FROM recommendation r" SUR_R, sur_id, &rc, err);
    out->states_under_review =
        scalar(s, "pg_stats_sur", "SELECT count(DISTINCT r.sur_id) FROM recommendation r" SUR_R,
               sur_id, &rc, err);
    out->recommending_states = scalar(s, "pg_stats_by",
                                      "SELECT count(DISTINCT b.state_id) FROM recommendation r"
                                      " JOIN recommendation_by b ON b.rec_id = r.id" SUR_R,
                                      sur_id, &rc, err);
    out->sources =
        scalar(s, "pg_stats_sources", "SELECT count(*) + 0 * $1 FROM source", sur_id, &rc, err);
    out->themes = scalar(s, "pg_stats_themes",
                         "SELECT count(DISTINCT rt.theme_id) FROM recommendation r"
                         " JOIN recommendation_theme rt ON rt.rec_id = r.id" SUR_R,
                         sur_id, &rc, err);
    if (rc < 0)
        return rc;
    if (!(r = exec_id(s, "pg_stats_responses",
                      "SELECT r.response, count(*) FROM recommendation r" SUR_R
                      " GROUP BY r.response",
                      sur_id, err)))
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        enum rt_response resp;
        if (rt_response_parse(PQgetvalue(r, i, 0), &resp) == 0)
            out->by_response[resp] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    PQclear(r);
    if (!(r = exec_id(s, "pg_stats_cycles",
                      "SELECT r.cycle, count(*) FROM recommendation r" SUR_R
                      " AND r.cycle > 0 GROUP BY 1 ORDER BY 1",
                      sur_id, err)))
        return RT_ESTORE;
    counts_of(r, &out->by_cycle, &out->n_by_cycle);
    PQclear(r);
    return 0;
}

/* Search: the parsed query as a tsquery over the lexemes our tokenizer made. */

struct tsq_terms {
    struct rt_buf *out;
    long last_pos;
    int n;
    int prefix_last; /* the last term is a prefix (:*) */
    size_t count, seen;
};

static void add_lexeme(struct rt_buf *out, const char *term, size_t len)
{
    rt_buf_addch(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (term[i] == '\'' || term[i] == '\\')
            rt_buf_addch(out, term[i]);
        rt_buf_addch(out, term[i]);
    }
    rt_buf_addch(out, '\'');
}

static int count_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    (void)term;
    (void)start;
    (void)end;
    if (len && !colocated)
        ((struct tsq_terms *)ctx)->count++;
    return 0;
}

static int phrase_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    struct tsq_terms *p = ctx;

    (void)start;
    (void)end;
    if (!len || colocated)
        return 0;
    p->seen++;
    if (p->n++)
        rt_buf_adds(p->out, " <-> ");
    add_lexeme(p->out, term, len);
    if (p->prefix_last && p->seen == p->count)
        rt_buf_adds(p->out, ":*");
    return 0;
}

/* The words of the table word whose stems do not begin with prefix (fts_query.c). */
static int prefix_words(struct pg_store *s, const char *prefix, size_t len, struct rt_buf *out,
                        struct rt_error *err)
{
    struct rt_buf p = RT_BUF_INIT;
    const char *v[1];
    PGresult *r;

    if (s->words.word) {
        /* As the statement below, from the table read with the index: the least
         * word of each stem that does not begin with the prefix. */
        struct rt__strmap seen = RT_STRMAP_INIT;
        size_t lo = 0, hi = s->words.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strncmp(s->words.word[mid], prefix, len) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < s->words.n && !strncmp(s->words.word[lo], prefix, len); lo++) {
            int64_t x;
            const char *stem = s->words.stem[lo];
            if (!strncmp(stem, prefix, len) || rt__strmap_get(&seen, stem, strlen(stem), &x))
                continue;
            rt__strmap_put(&seen, stem, strlen(stem), 1);
            rt_buf_adds(out, s->words.word[lo]);
            rt_buf_addch(out, '\0');
        }
        rt__strmap_release(&seen);
        return 0;
    }
    rt_buf_add(&p, prefix, len);
    v[0] = p.buf;
    r = rt__pg_exec(s->pg, "pg_prefix_words",
                    "SELECT min(word COLLATE \"C\") FROM word"
                    " WHERE word COLLATE \"C\" >= $1 AND word COLLATE \"C\" < $1 || chr(1114111)"
                    " AND substr(stem, 1, length($1)) <> $1 GROUP BY stem ORDER BY 1",
                    1, v, err);
    rt_buf_release(&p);
    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        rt_buf_adds(out, PQgetvalue(r, i, 0));
        rt_buf_addch(out, '\0');
    }
    PQclear(r);
    return 0;
}

/* One term (a word or a phrase) as a tsquery; an empty one matches nothing. */
static void render_phrase(struct rt_tokenizer *t, const char *text, size_t len, int prefix,
                          struct rt_buf *out)
{
    struct tsq_terms p = {out, 0, 0, prefix, 0, 0};
    size_t mark = out->len;

    rt_tokenize(t, text, len, prefix ? RT_TOKENIZE_LAST_UNSTEMMED : 0, count_term, &p);
    if (!p.count) {
        rt_buf_adds(out, "'a' & !'a'"); /* never true (PostgreSQL refuses an empty lexeme) */
        return;
    }
    if (p.count > 1)
        rt_buf_addch(out, '(');
    rt_tokenize(t, text, len, prefix ? RT_TOKENIZE_LAST_UNSTEMMED : 0, phrase_term, &p);
    if (p.count > 1)
        rt_buf_addch(out, ')');
    (void)mark;
}

static int render_term(struct pg_store *s, struct rt_tokenizer *t, const struct rt_search_node *nd,
                       struct rt_buf *out, struct rt_error *err)
{
    struct rt__last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT, alt = RT_BUF_INIT;
    int rc = 0;

    if (nd->field)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "query",
                            "the PostgreSQL store cannot search the field '%s'", nd->field);
    if (!nd->prefix) {
        render_phrase(t, nd->text, nd->len, 0, out);
        return 0;
    }
    rt__last_word(nd->text, nd->len, &last);
    if (last.word.len)
        rc = prefix_words(s, last.word.buf, last.word.len, &words, err);
    if (rc == 0) {
        rt_buf_addch(out, '(');
        render_phrase(t, nd->text, nd->len, 1, out);
        for (size_t i = 0; i < words.len; i += strlen(words.buf + i) + 1) {
            rt_buf_reset(&alt);
            rt_buf_add(&alt, nd->text, last.start);
            rt_buf_adds(&alt, words.buf + i);
            rt_buf_add(&alt, nd->text + last.end, nd->len - last.end);
            rt_buf_adds(out, " | ");
            render_phrase(t, alt.buf, alt.len, 0, out);
        }
        rt_buf_addch(out, ')');
    }
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    rt_buf_release(&alt);
    return rc;
}

static int words_of(void *ctx, const char *prefix, size_t len, struct rt_buf *out,
                    struct rt_error *err)
{
    return prefix_words(ctx, prefix, len, out, err);
}

/* The tree's operators bind as FTS5's do; a NOT node is its first operand without the
 * others. */
static int render(struct pg_store *s, struct rt_tokenizer *t, const struct rt_search_node *nd,
                  struct rt_buf *out, struct rt_error *err)
{
    int rc = 0;

    switch (nd->kind) {
    case RT_SEARCH_TERM:
        return render_term(s, t, nd, out, err);
    case RT_SEARCH_GROUP:
        rt_buf_addch(out, '(');
        if ((rc = render(s, t, nd->child, out, err)) < 0)
            return rc;
        rt_buf_addch(out, ')');
        return 0;
    case RT_SEARCH_AND:
    case RT_SEARCH_OR:
    case RT_SEARCH_NOT:
        rt_buf_addch(out, '(');
        for (const struct rt_search_node *c = nd->child; c; c = c->next) {
            if (c != nd->child)
                rt_buf_adds(out, nd->kind == RT_SEARCH_AND  ? " & "
                                 : nd->kind == RT_SEARCH_OR ? " | "
                                                            : " & !");
            if (nd->kind == RT_SEARCH_NOT && c != nd->child)
                rt_buf_addch(out, '(');
            if ((rc = render(s, t, c, out, err)) < 0)
                return rc;
            if (nd->kind == RT_SEARCH_NOT && c != nd->child)
                rt_buf_addch(out, ')');
        }
        rt_buf_addch(out, ')');
        return 0;
    }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "query", "a query node of unknown kind");
}

/* The WHERE clause of spec, with its parameters $1 … in v (strings in nums). */
struct where {
    struct rt_buf sql;
    struct rt_buf tsq;
    char nums[12][24];
    const char *v[12];
    int n;
    int uses_r; /* the clause names recommendation r (a filter) */
};

static const char *param(struct where *w, const char *s)
{
    static const char *const names[] = {"$1", "$2", "$3", "$4",  "$5",  "$6",
                                        "$7", "$8", "$9", "$10", "$11", "$12"};
    w->v[w->n] = s;
    return names[w->n++];
}

static const char *param_int(struct where *w, int64_t x)
{
    snprintf(w->nums[w->n], sizeof(w->nums[w->n]), "%lld", (long long)x);
    return param(w, w->nums[w->n]);
}

static int where_of(struct pg_store *s, const struct rt_search_spec *q, struct where *w,
                    struct rt_error *err)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->sql = (struct rt_buf)RT_BUF_INIT;
    w->tsq = (struct rt_buf)RT_BUF_INIT;
    rt_buf_adds(&w->sql, " WHERE true");
    if (q->query && q->query->root) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rc = render(s, t, q->query->root, &w->tsq, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            return rc;
        rt_buf_addf(&w->sql, " AND f.lexemes @@ %s::tsquery", param(w, w->tsq.buf));
    }
    if (q->sur_id)
        rt_buf_addf(&w->sql, " AND r.sur_id = %s", param_int(w, q->sur_id));
    if (q->by_id)
        rt_buf_addf(&w->sql,
                    " AND r.id IN (SELECT b.rec_id FROM recommendation_by b WHERE b.state_id = %s)",
                    param_int(w, q->by_id));
    if (q->cycle)
        rt_buf_addf(&w->sql, " AND r.cycle = %s", param_int(w, q->cycle));
    if (q->session)
        rt_buf_addf(&w->sql, " AND r.session = %s", param_int(w, q->session));
    if (q->category)
        rt_buf_addf(&w->sql,
                    " AND coalesce(r.action_category, (SELECT c.category"
                    " FROM recommendation_category c WHERE c.rec_id = r.id)) = %s",
                    param_int(w, q->category));
    if (q->response >= 0)
        rt_buf_addf(&w->sql, " AND r.response = %s",
                    param(w, rt_response_name((enum rt_response)q->response)));
    if (q->theme) {
        rt_buf_adds(&w->sql, " AND EXISTS (SELECT 1 FROM recommendation_theme rt0"
                             " WHERE rt0.rec_id = r.id AND rt0.theme_id IN (");
        theme_sql(&w->sql, PG_THEME_IDS, param(w, q->theme));
        rt_buf_adds(&w->sql, "))");
    }
    if (q->mechanism)
        rt_buf_addf(&w->sql, " AND r.mechanism = %s", param(w, q->mechanism));
    w->uses_r = q->sur_id || q->by_id || q->cycle || q->session || q->category ||
                q->response >= 0 || q->theme || q->mechanism;
    return 0;
}

static void where_release(struct where *w)
{
    rt_buf_release(&w->sql);
    rt_buf_release(&w->tsq);
}

/*
 * The rows a search matches, as the CTE m (id, score) that its one statement reads:
 * with text, the lexemes' GIN index finds them (recommendation r joined only when a
 * filter names it) and score is ts_rank divided by 1 + the log of the text's length
 * (normalization 1: bm25 too favours shorter texts; on bench/search.sh's queries it
 * gives SQLite's first page more often than ts_rank alone); without text, the filters
 * alone, score 0.
 */
/*
 * The keys of the orders other than relevance (enum rt_search_sort), as SQLite's
 * (sqlite/read.c, sort_key): the state's name in the order of its bytes, as BINARY
 * orders it; the response in the order of enum rt_response. order_of adds the id.
 */
static const char *const sort_key[4] = {
    "r.id",
    "r.session",
    "(SELECT st.name FROM state st WHERE st.id = r.sur_id) COLLATE \"C\"",
    "CASE r.response WHEN 'supported' THEN 0 WHEN 'noted' THEN 1 WHEN 'pledge' THEN 2 ELSE 3 END",
};

static void matches_of(const struct rt_search_spec *q, const struct where *w, struct rt_buf *out)
{
    /* With facets, m carries the columns they count, so that they need not join
     * recommendation again; with another order than relevance, its key k. */
    struct rt_buf cols = RT_BUF_INIT;
    int sorted = q->sort != RT_SORT_RELEVANCE;

    if (q->facets)
        rt_buf_adds(&cols, ", r.response, coalesce(r.cycle, 0) AS cycle, r.sur_id");
    if (sorted)
        rt_buf_addf(&cols, ", %s AS k", sort_key[q->sort < 4 ? q->sort : 1]);
    if (q->query && q->query->root)
        rt_buf_addf(out,
                    "WITH m AS MATERIALIZED (SELECT f.rec_id AS id,"
                    " ts_rank(f.lexemes, $1::tsquery, 1) AS score%s FROM recommendation_fts f%s%s)",
                    cols.buf,
                    w->uses_r || q->facets || sorted ? " JOIN recommendation r ON r.id = f.rec_id"
                                                     : "",
                    w->sql.buf);
    else
        rt_buf_addf(out,
                    "WITH m AS MATERIALIZED (SELECT r.id, 0::real AS score%s"
                    " FROM recommendation r%s)",
                    cols.buf, w->sql.buf);
    rt_buf_release(&cols);
}

/* The ORDER BY of spec over the rows called a (m, or a part of it): another order's
 * key k then the id (NULL first, as SQLite orders it), or relevance (ts_rank, ties by
 * id) with text, else by id. */
static int order_of(const struct rt_search_spec *q, const char *a, struct rt_buf *out,
                    struct rt_error *err)
{
    const char *dir = q->desc ? " DESC" : "";

    (void)err;
    if (q->sort != RT_SORT_RELEVANCE)
        rt_buf_addf(out, "ORDER BY %s.k%s, %s.id%s", a,
                    q->desc ? " DESC NULLS LAST" : " NULLS FIRST", a, dir);
    else if (q->query && q->query->root)
        rt_buf_addf(out, "ORDER BY %s.score%s, %s.id%s", a, q->desc ? "" : " DESC", a, dir);
    else
        rt_buf_addf(out, "ORDER BY %s.id%s", a, dir);
    return 0;
}

/*
 * Runs a search's statement: prepared once per connection and kept by the store (the
 * statements differ only by which filters a search has, so there are few), or, past
 * PG_SEARCH_STMTS of them, sent unprepared.
 */
#define PG_SEARCH_STMTS 64

static PGresult *run(struct pg_store *s, const char *sql, const struct where *w,
                     struct rt_error *err)
{
    PGresult *r;
    size_t i;

    for (i = 0; i < s->n_search; i++)
        if (!strcmp(s->search_sql[i], sql))
            break;
    if (i == s->n_search && i < PG_SEARCH_STMTS) {
        char name[32];
        s->search_sql = rt_xrealloc(s->search_sql, (i + 1) * sizeof(*s->search_sql));
        s->search_name = rt_xrealloc(s->search_name, (i + 1) * sizeof(*s->search_name));
        snprintf(name, sizeof(name), "pg_search_%zu", i);
        s->search_sql[i] = rt_xstrdup(sql);
        s->search_name[i] = rt_xstrdup(name);
        s->n_search++;
    }
    if (i < s->n_search) {
        if (!(r = rt__pg_exec(s->pg, s->search_name[i], s->search_sql[i], w->n, w->v, err)))
            return NULL;
        return r;
    }
    r = PQexecParams(rt__pg_conn(s->pg), sql, w->n, NULL, w->v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rt_error_set(err, RT_ESTORE, NULL, 0, "search", "search: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The facets: name, key, the tables it needs joined to m, and the key's order among
 * equal counts (as SQLite's). */
static const char *const facet_sql[4][4] = {
    {"response", "m.response", "", "m.response COLLATE \"C\""},
    {"cycle", "nullif(m.cycle, 0)", "", "nullif(m.cycle, 0)"}, /* no UPR cycle: none */
    {"theme", "t.label",
     " JOIN recommendation_theme rt ON rt.rec_id = m.id JOIN theme t ON t.id = rt.theme_id",
     "t.label COLLATE \"C\""},
    {"state_under_review", "s.code", " JOIN state s ON s.id = m.sur_id", "s.code COLLATE \"C\""},
};

static int pg_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                         size_t *out_n, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf sql = RT_BUF_INIT;
    struct where w;
    PGresult *r = NULL;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = where_of(s, spec, &w, err)) < 0)
        goto out;
    matches_of(spec, &w, &sql);
    rt_buf_adds(&sql, " SELECT m.id FROM m ");
    if ((rc = order_of(spec, "m", &sql, err)) < 0)
        goto out;
    if (!(r = run(s, sql.buf, &w, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    if (PQntuples(r)) {
        *out = rt_xcalloc((size_t)PQntuples(r), sizeof(**out));
        for (int i = 0; i < PQntuples(r); i++)
            (*out)[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        *out_n = (size_t)PQntuples(r);
    }
out:
    PQclear(r);
    where_release(&w);
    rt_buf_release(&sql);
    return rc;
}

/*
 * The facet index (src/store/sqlite/facets.c, shared with SQLite's store): for each
 * value of the four facets a bitmap of the recommendations that have it, read once
 * per data version and connection. A search then asks PostgreSQL only for the
 * matches of its text; the filters on state, cycle, response and theme, the total,
 * the facets and, without text, the page come from the bitmaps in C.
 */

/* The data version as this connection sees it now (PG_VERSION). */
static int data_version(struct pg_store *s, int64_t *out, struct rt_error *err)
{
    PGresult *r = rt__pg_take(s->pg, "pg_data_version", PG_VERSION, err);

    if (!r)
        return RT_ESTORE;
    *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

static int pg_version(struct rt_store *st, uint64_t *out, struct rt_error *err)
{
    int64_t v;

    if (data_version(PG(st), &v, err) < 0)
        return RT_ESTORE;
    *out = (uint64_t)v;
    return 0;
}

static const char *value_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Reads the index from the tables at the data version of the same snapshot: 0 built,
 * 1 the data has what it cannot hold, RT_ESTORE. */
static int fx_read(struct pg_store *s, struct rt__facets *fx, int64_t *version,
                   struct rt_error *err)
{
    static const char *const sql[4] = {
        "SELECT id, response, coalesce(cycle, 0), sur_id FROM recommendation",
        "SELECT rec_id, theme_id, origin FROM recommendation_theme",
        "SELECT id, code FROM state",
        "SELECT id, label FROM theme",
    };
    static const char *const name[4] = {"pg_fx_recs", "pg_fx_themes", "pg_fx_states",
                                        "pg_fx_labels"};
    int odd = 0;

    if (data_version(s, version, err) < 0)
        return RT_ESTORE;
    for (int q = 0; q < 4 && !odd; q++) {
        PGresult *r = rt__pg_exec(s->pg, name[q], sql[q], 0, NULL, err);
        if (!r)
            return RT_ESTORE;
        for (int i = 0; i < PQntuples(r) && !odd; i++) {
            int64_t a = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            if (q == 0)
                odd = rt__facets_add_rec(fx, a, value_or_null(r, i, 1),
                                         strtoll(PQgetvalue(r, i, 2), NULL, 10),
                                         strtoll(PQgetvalue(r, i, 3), NULL, 10));
            else if (q == 1)
                odd = rt__facets_add_theme(fx, a, strtoll(PQgetvalue(r, i, 1), NULL, 10),
                                           value_or_null(r, i, 2));
            else
                rt__facets_name(fx, q == 3, a, PQgetvalue(r, i, 1));
        }
        PQclear(r);
    }
    if (odd)
        return 1;
    rt__facets_done(fx);
    return 0;
}

/* The table word into s->words, sorted by word as COLLATE "C" sorts. */
static int words_read(struct pg_store *s, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(s->pg, "pg_fx_words", "SELECT word, stem FROM word ORDER BY word COLLATE \"C\"",
                    0, NULL, err);

    if (!r)
        return RT_ESTORE;
    rt__pg_words_release(&s->words);
    s->words.n = (size_t)PQntuples(r);
    s->words.word = rt_xcalloc(s->words.n + 1, sizeof(*s->words.word));
    s->words.stem = rt_xcalloc(s->words.n + 1, sizeof(*s->words.stem));
    for (size_t i = 0; i < s->words.n; i++) {
        s->words.word[i] = rt_xstrdup(PQgetvalue(r, (int)i, 0));
        s->words.stem[i] = rt_xstrdup(PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return 0;
}

/*
 * The facet index kept in search_index (schema 21), as SQLite keeps its own, so that
 * a new connection reads one value instead of building it from the tables: one row
 * (facet PG_FX_ROW, pos 0) whose bitmap is rt__facets_serialize's bytes and whose num
 * is the data version it was built at. It is used only when that is the data
 * version of the reading snapshot (every commit that writes raises it); the triggers
 * of schema 21 also empty the table when the facets' data changes.
 */
#define PG_FX_ROW "100"

/* The bytes of a bytea in the server's hex output ("\x0a1b...", n characters) into
 * *out (rt_free), *len of them; -1 when it is not such text. */
static int unhex(const char *t, size_t n, unsigned char **out, size_t *len)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char *b;

    if (n < 2 || t[0] != '\\' || t[1] != 'x' || n % 2)
        return -1;
    *len = (n - 2) / 2;
    b = rt_xmalloc(*len ? *len : 1);
    for (size_t i = 0; i < *len; i++) {
        const char *hi = memchr(digits, t[2 + 2 * i] | 0x20, 16),
                   *lo = memchr(digits, t[3 + 2 * i] | 0x20, 16);
        if (!hi || !lo) {
            rt_free(b);
            return -1;
        }
        b[i] = (unsigned char)((hi - digits) << 4 | (lo - digits));
    }
    *out = b;
    return 0;
}

/* In the caller's snapshot: the stored index into *out when it is of the data version
 * v (1), else 0 with *out NULL; RT_ESTORE. */
static int fx_load(struct pg_store *s, int64_t v, struct rt__facets **out, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(s->pg, "pg_fx_load",
                    "SELECT num, bitmap FROM search_index WHERE facet = " PG_FX_ROW " AND pos = 0",
                    0, NULL, err);
    unsigned char *b = NULL;
    size_t n = 0;

    *out = NULL;
    if (!r)
        return RT_ESTORE;
    if (PQntuples(r) == 1 && strtoll(PQgetvalue(r, 0, 0), NULL, 10) == v &&
        unhex(PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1), &b, &n) == 0)
        *out = rt__facets_deserialize(b, n);
    PQclear(r);
    rt_free(b);
    return *out ? 1 : 0;
}

/*
 * Stores bytes as row (facet, 0) of search_index, named key, for the next connections:
 * at data version v, in a transaction of its own, only while v is still the data
 * version, and without raising it (the row changes nothing the caches show). Not tried
 * where nothing can be written (a standby in recovery, default_transaction_read_only),
 * which would only leave an error in the server's log at every new connection. A
 * failure (a role that may not write, a dropped connection) only means the next
 * connection builds the index again. Sent in libpq's binary format, so that megabytes
 * are not written out in hex.
 */
static void save_row(struct pg_store *s, const char *facet, const char *key, int64_t v,
                     const struct rt_buf *bytes)
{
    struct rt_error e = RT_ERROR_INIT;
    unsigned char ver[8];
    const char *vals[4];
    int lens[4], fmts[4] = {0, 0, 1, 1}, ok;
    PGresult *r;

    if (bytes->len >= INT32_MAX || rt__pg_begin(s->pg, "READ COMMITTED", &e) < 0) {
        rt_error_release(&e);
        return;
    }
    r = rt__pg_exec(s->pg, "pg_save_writable",
                    "SELECT CASE WHEN pg_is_in_recovery()"
                    " OR current_setting('transaction_read_only') = 'on' THEN false"
                    " ELSE set_config('rightstrack.version_raised', txid_current()::text, true)"
                    " IS NOT NULL END",
                    0, NULL, &e);
    ok = r && PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (ok) {
        for (int i = 0; i < 8; i++)
            ver[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
        vals[0] = facet;
        vals[1] = key;
        lens[0] = lens[1] = 0;
        vals[2] = (const char *)ver;
        lens[2] = 8;
        vals[3] = bytes->buf ? bytes->buf : "";
        lens[3] = (int)bytes->len;
        r = PQexecParams(rt__pg_conn(s->pg),
                         "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                         " SELECT $1::bigint, 0, $2::text, $3::bigint, $4::bytea"
                         " WHERE (" PG_VERSION ") = $3::bigint"
                         " ON CONFLICT (facet, pos) DO UPDATE"
                         " SET num = excluded.num, bitmap = excluded.bitmap",
                         4, NULL, vals, lens, fmts, 0);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    rt__pg_end(s->pg, ok, NULL);
    rt_error_release(&e);
}

/* Stores s->fx, built at data version s->fx_version, for the next connections. */
static void fx_save(struct pg_store *s)
{
    struct rt_buf b = RT_BUF_INIT;

    rt__facets_serialize(s->fx, &b);
    save_row(s, PG_FX_ROW, "facets", s->fx_version, &b);
    rt_buf_release(&b);
}

/*
 * The text index kept the same way (facet PG_TX_ROW, pos 0): its bytes are
 * rt__pg_text_serialize's (the lexemes and their postings, not the tsvector text, and
 * the table word that prefixes need), num the data version it was read at. Sent and
 * read in libpq's binary format, so that a few megabytes are not written out in hex.
 */
#define PG_TX_ROW "101"

/* In the caller's snapshot: the stored text index into *out, and the table word into
 * s->words, when it is of the data version v (1), else 0 with *out NULL; RT_ESTORE. */
static int tx_load(struct pg_store *s, int64_t v, struct rt__pg_text **out, struct rt_error *err)
{
    PGresult *r = PQexecParams(rt__pg_conn(s->pg),
                               "SELECT num, bitmap FROM search_index"
                               " WHERE facet = " PG_TX_ROW " AND pos = 0",
                               0, NULL, NULL, NULL, NULL, 1);
    const unsigned char *num;
    uint64_t at = 0;

    *out = NULL;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rt_error_set(err, RT_ESTORE, NULL, 0, "search_index", "reading the text index: %s",
                     PQresultErrorMessage(r));
        PQclear(r);
        return RT_ESTORE;
    }
    if (PQntuples(r) == 1 && PQgetlength(r, 0, 0) == 8) {
        num = (const unsigned char *)PQgetvalue(r, 0, 0);
        for (int i = 0; i < 8; i++)
            at = at << 8 | num[i];
        if ((int64_t)at == v)
            *out = rt__pg_text_deserialize((const unsigned char *)PQgetvalue(r, 0, 1),
                                           (size_t)PQgetlength(r, 0, 1), &s->words);
    }
    PQclear(r);
    return *out ? 1 : 0;
}

/* Stores s->tx, read at data version v, for the next connections (save_row). */
static void tx_save(struct pg_store *s, int64_t v)
{
    struct rt_buf b = RT_BUF_INIT;

    rt__pg_text_serialize(s->tx, &s->words, &b);
    save_row(s, PG_TX_ROW, "text", v, &b);
    rt_buf_release(&b);
}

/* Notes in s->tx_kept the data version of the stored text index, or -1. 0, RT_ESTORE. */
static int tx_kept(struct pg_store *s, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(
        s->pg, "pg_tx_kept", "SELECT num FROM search_index WHERE facet = " PG_TX_ROW " AND pos = 0",
        0, NULL, err);

    if (!r)
        return RT_ESTORE;
    s->tx_kept = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    return 0;
}

/* Makes s->fx the index of the data as it is now (in the caller's read transaction,
 * or in one of its own): 0 (s->fx_state says whether it serves), RT_ESTORE. */
static int fx_build(struct pg_store *s, struct rt_error *err)
{
    int own = !s->in_read, keep, rc = 0, save = 0, save_tx = 0;
    int64_t v = -1;

    if (own && rt__pg_begin(s->pg, "REPEATABLE READ", err) < 0)
        return RT_ESTORE;
    /* When only the text index is wanted (after PG_TEXT_AFTER searches with text, or
     * at the first when search_index keeps it) and the bitmaps are still of the data,
     * they are kept. */
    keep = s->fx_state == 1 && !s->tx_read &&
           (s->n_text >= s->text_after || s->tx_kept == s->fx_version);
    if (keep && (rc = data_version(s, &v, err)) == 0)
        keep = v == s->fx_version;
    if (rc == 0 && !keep) {
        struct rt__facets *kept = NULL;

        rt__facets_free(s->fx);
        s->fx = NULL;
        s->fx_state = 0;
        if ((rc = data_version(s, &v, err)) == 0 && (rc = tx_kept(s, err)) == 0 &&
            (rc = fx_load(s, v, &kept, err)) == 1) {
            s->fx = kept;
            s->fx_version = v;
            rc = 0;
        } else if (rc == 0) {
            s->fx = rt__facets_new();
            rc = fx_read(s, s->fx, &s->fx_version, err);
            save = rc == 0 && own;
        }
    }
    rt__pg_text_free(s->tx);
    s->tx = NULL;
    caches_clear(s);
    /* Read after PG_TEXT_AFTER searches with text, or at the first when it is kept. */
    s->tx_read = rc == 0 && (s->n_text >= s->text_after || (s->n_text && s->tx_kept == v));
    if (s->tx_read && (rc = tx_load(s, v, &s->tx, err)) == 0) {
        rc = rt__pg_text_load(s->pg, &s->tx, err);
        save_tx = rc == 0 && own && s->tx;
        if (rc == 0) /* from the tables, then the table word too (a stored row has it) */
            rc = words_read(s, err);
    } else if (s->tx_read && rc == 1) {
        rc = 0;
    }
    if (own && rt__pg_end(s->pg, rc == 0 || rc == 1, rc < 0 ? NULL : err) < 0 && rc >= 0)
        rc = RT_ESTORE;
    if (rc < 0) {
        rt__facets_free(s->fx);
        s->fx = NULL;
        s->fx_state = 0;
        s->tx_read = 0;
        return rc;
    }
    s->fx_state = rc == 0 ? 1 : -1;
    if (save)
        fx_save(s);
    if (save_tx)
        tx_save(s, v);
    return 0;
}

/* A store that serves many searches (the web face's threads): the text index is read
 * at once rather than after PG_TEXT_AFTER searches with text, and both indexes now,
 * before the first request. */
static int pg_keep_search(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch || s->in_tx)
        return 0;
    s->text_after = 0;
    return fx_build(s, err);
}

/* The ids of the themes the filter theme names (THEME_IDS), in *out (rt_free); kept
 * with the index, and with known a kept empty answer is not trusted. */
static int theme_ids(struct pg_store *s, const char *theme, int known, int64_t **out, size_t *n,
                     struct rt_error *err)
{
    const char *v[1] = {theme};
    PGresult *r;

    if (!s->theme_ids_sql.len) /* kept: rt__pg_exec keeps the text it prepared */
        theme_sql(&s->theme_ids_sql, PG_THEME_IDS, "$1");
    int64_t at;

    if (rt__strmap_get(&s->theme_at, theme, strlen(theme), &at) &&
        (!known || s->theme_pool[at] > 0)) {
        *n = (size_t)s->theme_pool[at];
        *out = rt_xcalloc(*n ? *n : 1, sizeof(**out));
        if (*n)
            memcpy(*out, s->theme_pool + at + 1, *n * sizeof(**out));
        return 0;
    }
    if (!(r = rt__pg_exec(s->pg, "pg_fx_theme_ids", s->theme_ids_sql.buf, 1, v, err)))
        return RT_ESTORE;
    *n = (size_t)PQntuples(r);
    *out = rt_xcalloc(*n ? *n : 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
    PQclear(r);
    RT_ALLOC_GROW(s->theme_pool, s->n_theme_pool + *n + 1, s->theme_pool_alloc);
    at = (int64_t)s->n_theme_pool;
    s->theme_pool[s->n_theme_pool++] = (int64_t)*n;
    if (*n)
        memcpy(s->theme_pool + s->n_theme_pool, *out, *n * sizeof(**out));
    s->n_theme_pool += *n;
    rt__strmap_put(&s->theme_at, theme, strlen(theme), at);
    return 0;
}

static int scored_cmp(const void *a, const void *b)
{
    const struct rt__pg_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Puts the k first of the n matches in m (scored_cmp's order) at its start, in
 * order; the rest is left in no order, and some of it overwritten. */
static void top_k(struct rt__pg_hit *m, size_t n, size_t k)
{
    size_t have = 0;

    if (k > 256 || k >= n / 4) {
        qsort(m, n, sizeof(*m), scored_cmp);
        return;
    }
    for (size_t i = 0; i < n && k; i++) {
        struct rt__pg_hit x = m[i];
        size_t j;
        if (have == k && scored_cmp(&x, &m[k - 1]) >= 0)
            continue;
        j = have < k ? have++ : k - 1;
        while (j > 0 && scored_cmp(&x, &m[j - 1]) < 0) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = x;
    }
}

/*
 * The matches of q's text that pass (NULL: all), as rows of (id, score) in *out
 * (rt_free), and in hits; run with the data version's row, so that an index of
 * another version is read again and the statement run once more. 0, RT_ESTORE.
 */
static int fx_matches(struct pg_store *s, const struct rt_search_spec *q, const char *tsq,
                      roaring_bitmap_t **pass, struct rt__pg_hit **out, size_t *n,
                      roaring_bitmap_t *hits, struct rt_error *err)
{
    const char *v[1] = {tsq};

    *out = NULL;
    *n = 0;
    for (int tries = 0;; tries++) {
        PGresult *r = rt__pg_exec(s->pg, "pg_fx_match",
                                  "SELECT NULL::bigint, NULL::real, (" PG_VERSION ")"
                                  " UNION ALL SELECT rec_id, ts_rank(lexemes, $1::tsquery, 1),"
                                  " NULL FROM recommendation_fts WHERE lexemes @@ $1::tsquery",
                                  1, v, err);
        int64_t version = -1;
        size_t k = 0;

        if (!r)
            return RT_ESTORE;
        for (int i = 0; i < PQntuples(r); i++)
            if (PQgetisnull(r, i, 0))
                version = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        if (version != s->fx_version && tries < 3) {
            int rc;
            PQclear(r);
            if ((rc = fx_build(s, err)) < 0)
                return rc;
            if (s->fx_state != 1)
                return 0;
            /* The filters are of the index read before. */
            if (*pass) {
                roaring_bitmap_free(*pass);
                *pass = NULL;
                return 2;
            }
            continue;
        }
        *out = rt_xcalloc((size_t)PQntuples(r) + 1, sizeof(**out));
        for (int i = 0; i < PQntuples(r); i++) {
            int64_t id;
            if (PQgetisnull(r, i, 0))
                continue;
            id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            if (id < 0 || id > (int64_t)UINT32_MAX ||
                (*pass && !roaring_bitmap_contains(*pass, (uint32_t)id)))
                continue;
            (*out)[k].id = id;
            (*out)[k++].score = strtod(PQgetvalue(r, i, 1), NULL);
            if (q->facets)
                roaring_bitmap_add(hits, (uint32_t)id);
        }
        *n = k;
        PQclear(r);
        return 1;
    }
}

/*
 * A search through the facet index: 1 with res filled but for the page's rows, whose
 * ids are in *page (rt_free); 0 when the index does not serve q (a filter it does not
 * hold, another sort, a plain text search that SQL answers in one statement, data it
 * cannot hold); RT_ESTORE or RT_EINVAL with err.
 */
static int fx_search(struct pg_store *s, const struct rt_search_spec *q,
                     struct rt_search_result *res, int64_t **page, size_t *n_page,
                     struct rt_error *err)
{
    int text = q->query && q->query->root;
    int filters = q->sur_id || q->cycle || q->response >= 0 || q->theme;
    int64_t *themes = NULL;
    size_t n_themes = 0, n = 0, off = q->offset > 0 ? (size_t)q->offset : 0, lim;
    struct rt__pg_hit *m = NULL;
    roaring_bitmap_t *pass = NULL, *hits = NULL;
    struct rt_buf tsq = RT_BUF_INIT;
    int rc, rounds = 0, in_memory;

    *page = NULL;
    *n_page = 0;
    if (q->sort != RT_SORT_RELEVANCE || q->by_id || q->session || q->category || q->mechanism ||
        s->in_tx || s->scratch)
        return 0;
    if (text && s->n_text < s->text_after)
        s->n_text++;
    in_memory = text && (s->n_text >= s->text_after ||
                         (s->fx_state == 1 && s->tx_kept >= 0 && s->tx_kept == s->fx_version));
    if (text && !filters && !q->facets && !in_memory)
        return 0;
again:
    /* The index is checked against the data version when the page's rows are read
     * (pg_search), or with the matches (fx_matches); one that could not serve, here. */
    if (s->fx_state == -1) {
        int64_t v = -1;
        if ((rc = data_version(s, &v, err)) < 0)
            goto out;
        if (v != s->fx_version && (rc = fx_build(s, err)) < 0)
            goto out;
    } else if ((s->fx_state == 0 || (in_memory && !s->tx_read)) && (rc = fx_build(s, err)) < 0) {
        goto out;
    }
    rc = 0;
    if (s->fx_state != 1)
        goto out;
    /* After the index: a prefix's words and a theme's ids are kept with it. */
    rt_free(themes);
    themes = NULL;
    if (q->theme && (rc = theme_ids(s, q->theme, 0, &themes, &n_themes, err)) < 0)
        goto out;
    rt__facets_pass(s->fx, q, themes, n_themes, &pass);
    hits = roaring_bitmap_create();
    /* In memory, the parsed query itself is evaluated; PostgreSQL gets it as a tsquery. */
    if (text && s->tx) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rt_free(m);
        m = NULL;
        rc = rt__pg_text_match(s->tx, q->query->root, t, words_of, s, &m, &n, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            goto out;
    }
    if (text && rc == 1) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (pass && !roaring_bitmap_contains(pass, (uint32_t)m[i].id))
                continue;
            m[k++] = m[i];
            if (q->facets)
                roaring_bitmap_add(hits, (uint32_t)m[i].id);
        }
        n = k;
        if (q->desc || q->limit < 0)
            qsort(m, n, sizeof(*m), scored_cmp);
        else
            top_k(m, n, off + (size_t)q->limit);
        if (q->desc)
            for (size_t i = 0; i < n / 2; i++) {
                struct rt__pg_hit x = m[i];
                m[i] = m[n - 1 - i];
                m[n - 1 - i] = x;
            }
    } else if (text) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rt_buf_reset(&tsq);
        rc = render(s, t, q->query->root, &tsq, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            goto out;
        if ((rc = fx_matches(s, q, tsq.buf, &pass, &m, &n, hits, err)) == 2 && rounds++ < 3) {
            roaring_bitmap_free(hits);
            hits = NULL;
            goto again;
        }
        if (rc != 1) {
            rc = rc == 2 ? 0 : rc; /* the data kept changing: SQL answers */
            goto out;
        }
        qsort(m, n, sizeof(*m), scored_cmp);
        if (q->desc)
            for (size_t i = 0; i < n / 2; i++) {
                struct rt__pg_hit x = m[i];
                m[i] = m[n - 1 - i];
                m[n - 1 - i] = x;
            }
    } else {
        roaring_bitmap_free(hits);
        hits = pass ? pass : rt__facets_all(s->fx);
        pass = NULL;
        n = (size_t)roaring_bitmap_get_cardinality(hits);
    }
    res->total = (int64_t)n;
    lim = off >= n ? 0 : n - off;
    if (q->limit >= 0 && (size_t)q->limit < lim)
        lim = (size_t)q->limit;
    if (lim) {
        *page = rt_xcalloc(lim, sizeof(**page));
        for (size_t i = 0; i < lim; i++) {
            uint32_t id = 0;
            size_t at = off + i;
            if (text)
                (*page)[i] = m[at].id;
            else if (roaring_bitmap_select(hits, (uint32_t)(q->desc ? n - 1 - at : at), &id))
                (*page)[i] = id;
        }
        *n_page = lim;
    }
    if (q->facets)
        rt__facets_count(s->fx, hits, res);
    rc = 1;
out:
    rt__bitmap_free(pass);
    rt__bitmap_free(hits);
    rt_free(m);
    rt_free(themes);
    rt_buf_release(&tsq);
    return rc;
}

/* A small table's rows by id (the first column of r), for rows_read's joins in C. */
struct by_id {
    int64_t id;
    int row;
};

static int by_id_cmp(const void *a, const void *b)
{
    const struct by_id *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static struct by_id *by_id_of(const PGresult *r)
{
    int n = PQntuples(r);
    struct by_id *m = rt_xcalloc(n ? (size_t)n : 1, sizeof(*m));

    for (int i = 0; i < n; i++) {
        m[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        m[i].row = i;
    }
    qsort(m, (size_t)n, sizeof(*m), by_id_cmp);
    return m;
}

/* The row of id in r (by_id_of's m), or -1. */
static int row_by_id(const PGresult *r, const struct by_id *m, const char *id)
{
    struct by_id k = {strtoll(id, NULL, 10), 0};
    const struct by_id *f;

    if (!*id)
        return -1;
    f = bsearch(&k, m, (size_t)PQntuples(r), sizeof(*m), by_id_cmp);
    return f ? f->row : -1;
}

/*
 * Every recommendation's page row into s->rows (rows.c), in one snapshot whose data
 * version must be the index's (s->fx_version): else nothing is read, and the search
 * that asked finds its index out of date with its page. The rows are those of
 * RT__REC_SELECT and of PG_PAGE_SQL's parts 2 and 3, with the small tables (state,
 * source, theme) joined here rather than sent once per row: seven statements in a
 * transaction of their own (or the caller's read), each table's rows in one result (the
 * largest, the recommendations' own rows, some 15 MB in libpq for a moment). Where the
 * rows cannot be held, s->rows_tried notes the version. 0, RT_ESTORE.
 */
enum { RQ_SIZE, RQ_STATE, RQ_SOURCE, RQ_THEME, RQ_RECS, RQ_BY, RQ_THEMES, RQ_N };

static int rows_read(struct pg_store *s, struct rt_error *err)
{
    static const char *const sql[RQ_N] = {
        PG_VERSION,
        "SELECT id, code, name FROM state",
        "SELECT id, path FROM source",
        "SELECT id, vocabulary, label FROM theme",
        /* RT__REC_COLUMNS with the state's and the source's ids for their columns */
        "SELECT r.id, r.mechanism, r.cycle, r.session, r.paragraph, r.text, r.sur_id,"
        " r.response, coalesce(r.action_category, c.category), r.source_id, r.created_at,"
        " CASE WHEN r.action_category IS NOT NULL THEN 'official' ELSE c.origin END,"
        " CASE WHEN r.action_category IS NOT NULL THEN 1.0 ELSE c.confidence END"
        " FROM recommendation r LEFT JOIN recommendation_category c ON c.rec_id = r.id",
        "SELECT rec_id, state_id FROM recommendation_by",
        "SELECT rec_id, theme_id, origin, confidence FROM recommendation_theme",
    };
    static const char *const name[RQ_N] = {"pg_data_version", "pg_rows_state", "pg_rows_source",
                                           "pg_rows_theme",   "pg_rows_recs",  "pg_rows_by",
                                           "pg_rows_themes"};
    PGresult *r[RQ_N] = {NULL};
    struct by_id *m[RQ_N] = {NULL};
    int own = !s->in_read, rc = 0;
    struct rt__pg_rows *c = NULL;
    int64_t v = -1;

    rt__pg_rows_free(s->rows);
    s->rows = NULL;
    if (!s->fx)
        return 0;
    if (own && rt__pg_begin(s->pg, "REPEATABLE READ", err) < 0)
        return RT_ESTORE;
    for (int q = 0; q < RQ_N && rc == 0; q++) {
        PGresult *x = r[q] = rt__pg_exec(s->pg, name[q], sql[q], 0, NULL, err);
        if (!x) {
            rc = RT_ESTORE;
            break;
        }
        if (q == RQ_SIZE) {
            /* The index, of this version, knows how many rows there are. */
            roaring_bitmap_t *all = rt__facets_all(s->fx);
            v = strtoll(PQgetvalue(x, 0, 0), NULL, 10);
            if (v == s->fx_version &&
                !(c = rt__pg_rows_new(v, (int64_t)roaring_bitmap_maximum(all),
                                      (int64_t)roaring_bitmap_get_cardinality(all))))
                s->rows_tried = v;
            roaring_bitmap_free(all);
            rc = c ? 0 : 1;
        } else if (q < RQ_RECS) {
            m[q] = by_id_of(x);
        }
        for (int i = 0; q >= RQ_RECS && i < PQntuples(x); i++) {
            int64_t id = strtoll(PQgetvalue(x, i, 0), NULL, 10);
            if (q == RQ_RECS) {
                /* As rec_fill fills it; a row without its state is not a page's row. */
                int st = row_by_id(r[RQ_STATE], m[RQ_STATE], PQgetvalue(x, i, 6)),
                    src = row_by_id(r[RQ_SOURCE], m[RQ_SOURCE], PQgetvalue(x, i, 9));
                struct rt_rec rec;
                if (st < 0)
                    continue;
                rt_rec_init(&rec);
                rec.id = id;
                rec.mechanism = PQgetvalue(x, i, 1);
                rec.cycle = (int)strtol(PQgetvalue(x, i, 2), NULL, 10);
                rec.session = (int)strtol(PQgetvalue(x, i, 3), NULL, 10);
                rec.paragraph = PQgetisnull(x, i, 4) ? NULL : PQgetvalue(x, i, 4);
                rec.text = PQgetvalue(x, i, 5);
                snprintf(rec.sur.code, sizeof(rec.sur.code), "%s", PQgetvalue(r[RQ_STATE], st, 1));
                rec.sur.name = PQgetvalue(r[RQ_STATE], st, 2);
                if (rt_response_parse(PQgetvalue(x, i, 7), &rec.response) < 0)
                    rec.response = RT_RESPONSE_PENDING;
                rec.action_category = (int)strtol(PQgetvalue(x, i, 8), NULL, 10);
                rec.source_id = strtoll(PQgetvalue(x, i, 9), NULL, 10);
                rec.source_path = src < 0 || PQgetisnull(r[RQ_SOURCE], src, 1)
                                      ? NULL
                                      : PQgetvalue(r[RQ_SOURCE], src, 1);
                rec.created_at = PQgetvalue(x, i, 10);
                if (!PQgetisnull(x, i, 11)) {
                    rec.action_category_origin = PQgetvalue(x, i, 11);
                    rec.action_category_confidence = strtod(PQgetvalue(x, i, 12), NULL);
                }
                rt__pg_rows_add(c, &rec); /* copies the strings */
            } else if (q == RQ_BY) {
                int st = row_by_id(r[RQ_STATE], m[RQ_STATE], PQgetvalue(x, i, 1));
                if (st >= 0)
                    rt__pg_rows_add_by(c, id, PQgetvalue(r[RQ_STATE], st, 1),
                                       PQgetvalue(r[RQ_STATE], st, 2));
            } else {
                int t = row_by_id(r[RQ_THEME], m[RQ_THEME], PQgetvalue(x, i, 1));
                if (t >= 0)
                    rt__pg_rows_add_theme(c, id, PQgetvalue(r[RQ_THEME], t, 1),
                                          PQgetvalue(r[RQ_THEME], t, 2), PQgetvalue(x, i, 2),
                                          strtod(PQgetvalue(x, i, 3), NULL));
            }
        }
        if (q >= RQ_RECS) { /* the largest results, one at a time */
            PQclear(x);
            r[q] = NULL;
        }
    }
    for (int q = 0; q < RQ_N; q++) {
        PQclear(r[q]);
        rt_free(m[q]);
    }
    if (own && rt__pg_end(s->pg, rc >= 0, rc < 0 ? NULL : err) < 0 && rc >= 0)
        rc = RT_ESTORE;
    if (rc == 0 && rt__pg_rows_done(c) < 0) {
        s->rows_tried = v;
        rc = 1;
    }
    if (rc == 0)
        s->rows = c;
    else
        rt__pg_rows_free(c);
    return rc < 0 ? rc : 0;
}

/* Whether s->rows serve a search now: of the index's data version, and read for
 * everybody as the connection reads now. The public reader's `source` is a view that
 * hides private sources (src/store/private.c), whose paths the rows hold: a connection
 * reading for the public reads its pages from the server, and never reads rows. */
static int rows_serve(const struct pg_store *s)
{
    return s->rows && rt__pg_rows_version(s->rows) == s->fx_version &&
           s->rd.reader == RT_READER_ALL;
}

/*
 * The page's rows as recs_load gives them, from s->rows when they are of the index's
 * data version (then the server is asked only for the data version, *version), else
 * from the server (recs_load), reading s->rows first once this connection has read
 * s->rows_after pages at the index's version. 0, RT_ENOTFOUND, RT_ESTORE.
 */
static int page_rows(struct pg_store *s, const int64_t *ids, size_t n, struct rt_rec *recs,
                     int64_t *version, struct rt_error *err)
{
    int rc;

    if (n && !rows_serve(s) && s->rows_tried != s->fx_version && s->rd.reader == RT_READER_ALL) {
        if (s->pages_version != s->fx_version) {
            s->pages_version = s->fx_version;
            s->n_pages = 0;
        }
        if (s->n_pages < s->rows_after)
            s->n_pages++;
        else if ((rc = rows_read(s, err)) < 0)
            return rc;
    }
    if (!n || !rows_serve(s))
        return recs_load(s, ids, n, recs, version, err);
    if ((rc = data_version(s, version, err)) < 0)
        return rc;
    /* Another version: the rows as they are now, with it (the caller reads the index
     * again, or takes them as they are once the data has kept changing). */
    if (*version != s->fx_version)
        return recs_load(s, ids, n, recs, version, err);
    for (size_t i = 0; i < n; i++)
        if (!rt__pg_rows_get(s->rows, ids[i], &recs[i])) {
            for (size_t j = 0; j < i; j++)
                rt_rec_release(&recs[j]);
            return recs_load(s, ids, n, recs, version, err);
        }
    return 0;
}

/*
 * One statement for the total, the page and the facets, each a part of a UNION ALL
 * over the matches m, found once: rows (part, place, key, n), part 0 the total, 1 the
 * page's ids in order, 2 + f the counts of facet f in order. Then the page's rows
 * (recs_load).
 */
static int pg_search(struct rt_store *st, const struct rt_search_spec *spec,
                     struct rt_search_result *res, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf sql = RT_BUF_INIT;
    struct where w;
    PGresult *r = NULL;
    int64_t *ids = NULL;
    size_t n = 0, nf[4] = {0};
    int rc;

    memset(&w, 0, sizeof(w));
    /* Through the facet index, which is trusted to be of the data until the page's
     * rows come back with the data version: when that is another, the index is read
     * again and the search run again. */
    for (int round = 0;; round++) {
        int64_t v = -1;
        /* With the page's rows in memory, the server is asked only for the data
         * version: sent now, it is read (data_version) once the search is worked out
         * in memory. */
        if (s->fx_state == 1 && rows_serve(s) && !s->in_tx && !s->scratch)
            rt__pg_send(s->pg, "pg_data_version", PG_VERSION);
        if ((rc = fx_search(s, spec, res, &ids, &n, err)) <= 0)
            break;
        if (n) {
            res->hits = rt_xcalloc(n, sizeof(*res->hits));
            for (size_t i = 0; i < n; i++)
                rt_rec_init(&res->hits[i]);
            res->n_hits = n;
        }
        rc = page_rows(s, ids, n, res->hits, &v, err);
        if ((rc == 0 || rc == RT_ENOTFOUND) && v != s->fx_version && round < 2) {
            rt_search_result_release(res);
            rt_free(ids);
            ids = NULL;
            n = 0;
            s->fx_state = 0;
            continue;
        }
        rc = rc < 0 ? rc : 1;
        break;
    }
    if (rc != 0) {
        rc = rc > 0 ? 0 : rc;
        goto out;
    }
    if ((rc = where_of(s, spec, &w, err)) < 0)
        goto out;
    matches_of(spec, &w, &sql);
    rt_buf_adds(&sql, " SELECT 0, 0::bigint, NULL::text, count(*) FROM m"
                      " UNION ALL SELECT 1, row_number() OVER (");
    if ((rc = order_of(spec, "p", &sql, err)) < 0)
        goto out;
    rt_buf_addf(&sql, "), NULL, p.id FROM (SELECT m.id, m.score%s FROM m ",
                spec->sort != RT_SORT_RELEVANCE ? ", m.k" : "");
    order_of(spec, "m", &sql, err);
    rt_buf_addf(&sql, " LIMIT %s::bigint", spec->limit >= 0 ? param_int(&w, spec->limit) : "NULL");
    rt_buf_addf(&sql, " OFFSET %s::bigint) p", param_int(&w, spec->offset > 0 ? spec->offset : 0));
    for (size_t f = 0; spec->facets && f < RT_ARRAY_SIZE(facet_sql); f++)
        rt_buf_addf(&sql,
                    " UNION ALL SELECT %zu, row_number() OVER (ORDER BY count(*) DESC, %s),"
                    " (%s)::text, count(*) FROM m%s GROUP BY %s",
                    f + 2, facet_sql[f][3], facet_sql[f][1], facet_sql[f][2], facet_sql[f][1]);
    rt_buf_adds(&sql, " ORDER BY 1, 2");
    if (!(r = run(s, sql.buf, &w, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        long part = strtol(PQgetvalue(r, i, 0), NULL, 10);
        if (part == 1)
            n++;
        else if (part >= 2 && part < 6)
            nf[part - 2]++;
    }
    if (n) {
        ids = rt_xcalloc(n, sizeof(*ids));
        res->hits = rt_xcalloc(n, sizeof(*res->hits));
        for (size_t i = 0; i < n; i++)
            rt_rec_init(&res->hits[i]);
        res->n_hits = n;
    }
    for (size_t f = 0; spec->facets && f < RT_ARRAY_SIZE(facet_sql); f++) {
        struct rt_facet *fc = &res->facets[res->n_facets++];
        fc->name = facet_sql[f][0];
        fc->counts = rt_xcalloc(nf[f] ? nf[f] : 1, sizeof(*fc->counts));
    }
    for (int i = 0, k = 0; i < PQntuples(r); i++) {
        long part = strtol(PQgetvalue(r, i, 0), NULL, 10);
        int64_t v = strtoll(PQgetvalue(r, i, 3), NULL, 10);
        if (part == 0) {
            res->total = v;
        } else if (part == 1) {
            ids[k++] = v;
        } else if (part >= 2 && part < 6 && spec->facets && !PQgetisnull(r, i, 2)) {
            struct rt_facet *fc = &res->facets[part - 2];
            fc->counts[fc->n].key = rt_xstrdup(PQgetvalue(r, i, 2));
            fc->counts[fc->n++].n = v;
        }
    }
    if (n && (rc = pg_recs_load(st, ids, n, res->hits, err)) < 0)
        goto out;
out:
    PQclear(r);
    rt_free(ids);
    where_release(&w);
    rt_buf_release(&sql);
    return rc;
}

/* export --json: the tables of rt__export_tables (src/store/store.c), in the form of
 * src/store/sqlite/exchange.c. */

static const char *key_of(const char *col)
{
    if (!strcmp(col, "sur_id"))
        return "state_under_review";
    if (!strcmp(col, "state_id"))
        return "state";
    return col;
}

/* A value of PostgreSQL's text output as JSON, by the column's type. */
static json_t *value_json(const PGresult *r, int row, int col, const char *type)
{
    const char *v;

    if (PQgetisnull(r, row, col))
        return json_null();
    v = PQgetvalue(r, row, col);
    if (!strcmp(type, "bigint") || !strcmp(type, "integer") || !strcmp(type, "smallint"))
        return json_integer(strtoll(v, NULL, 10));
    if (!strcmp(type, "double precision") || !strcmp(type, "real") || !strcmp(type, "numeric")) {
        /* SQLite's json_object writes a real with 15 significant digits, which its
         * export reads back: the same rounding here (a model's confidences). */
        char d[40];
        snprintf(d, sizeof(d), "%.15g", strtod(v, NULL));
        return json_real(strtod(d, NULL));
    }
    return json_string(v);
}

static int export_table(struct pg_store *s, const char *table, json_t *tabs, struct rt_error *err)
{
    const char *v[1] = {table};
    struct rt_buf sql = RT_BUF_INIT, order = RT_BUF_INIT;
    PGresult *cols, *rows = NULL;
    json_t *arr;
    int n, rc = 0;

    if (!(cols = rt__pg_exec(
              s->pg, "pg_export_columns",
              /* The table in the schema of the tables (meta's), not the view that
               * shadows it for the public (private.c), nor pg_temp, which is then the
               * current schema. */
              "WITH s AS (SELECT n.nspname, to_regclass(format('%I.%I', n.nspname, $1::text)) AS t"
              " FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
              " WHERE k.oid = to_regclass('meta'))"
              " SELECT c.column_name, c.data_type,"
              " coalesce((SELECT k.n FROM pg_index i,"
              " unnest(i.indkey::int2[]) WITH ORDINALITY k(att, n)"
              " JOIN pg_attribute a ON a.attrelid = s.t AND a.attnum = k.att"
              " WHERE i.indrelid = s.t AND i.indisprimary"
              " AND a.attname = c.column_name), 0)"
              " FROM s, information_schema.columns c WHERE c.table_schema = s.nspname"
              " AND c.table_name = $1::text ORDER BY c.ordinal_position",
              1, v, err)))
        return RT_ESTORE;
    n = PQntuples(cols);
    if (!n) {
        PQclear(cols);
        json_object_set_new(tabs, table, json_array());
        return 0;
    }
    rt_buf_adds(&sql, "SELECT ");
    for (int i = 0; i < n; i++) {
        const char *c = PQgetvalue(cols, i, 0);
        if (i)
            rt_buf_adds(&sql, ", ");
        if (!strcmp(c, "sur_id") || !strcmp(c, "state_id"))
            rt_buf_addf(&sql, "(SELECT code FROM state WHERE id = t.%s)", c);
        else if (!strcmp(c, "source_id") || !strcmp(c, "step_id"))
            /* null: a record private.h hides from the reader (as exchange.c) */
            rt_buf_addf(&sql, "(SELECT id FROM %.*s WHERE id = t.%s)", (int)(strlen(c) - 3), c, c);
        else
            rt_buf_addf(&sql, "t.%s", c);
    }
    for (int k = 1; k <= n; k++)
        for (int i = 0; i < n; i++)
            if (strtol(PQgetvalue(cols, i, 2), NULL, 10) == k)
                rt_buf_addf(&order, "%st.%s", order.len ? ", " : "", PQgetvalue(cols, i, 0));
    rt_buf_addf(&sql, " FROM %s t ORDER BY %s", table, order.len ? order.buf : "1");
    rows = PQexec(rt__pg_conn(s->pg), sql.buf);
    if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, table, "export: %s", PQresultErrorMessage(rows));
        goto out;
    }
    arr = json_array();
    for (int row = 0; row < PQntuples(rows); row++) {
        json_t *o = json_object();
        for (int i = 0; i < n; i++) {
            const char *c = PQgetvalue(cols, i, 0);
            json_t *val = !strcmp(c, "sur_id") || !strcmp(c, "state_id")
                              ? value_json(rows, row, i, "text")
                              : value_json(rows, row, i, PQgetvalue(cols, i, 1));
            json_object_set_new(o, key_of(c), val);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(tabs, table, arr);
out:
    PQclear(rows);
    PQclear(cols);
    rt_buf_release(&sql);
    rt_buf_release(&order);
    return rc;
}

static int pg_export(struct rt_store *st, json_t **out, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    json_t *doc = json_object(), *tabs = json_object();
    int rc = 0;

    *out = NULL;
    json_object_set_new(doc, "format", json_string("rightstrack"));
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "schema", json_integer(s->schema));
    json_object_set_new(doc, "tables", tabs);
    for (size_t t = 0; rt__export_tables[t] && rc == 0; t++)
        rc = export_table(s, rt__export_tables[t], tabs, err);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}

/* The ledger's writes (src/store/sql.h, pg/sql.c). A read transaction ends first and
 * begins again after the write (a web request notes a session's use inside its read),
 * in a snapshot that holds the write. During an import they go to its working copy,
 * through SQLite's store, as the import's own writes do (the private mark of
 * `import --private`, rt_private_set): its triggers make the audit entry, and the
 * commit writes the rows into PostgreSQL with the rest. */

static int pg_sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                       const char *types, va_list ap)
{
    struct pg_store *s = PG(st);
    int reading = s->in_read, rc;

    if (s->scratch)
        return rt__sqlite_ops.sql_exec(s->scratch, err, out_id, sql, types, ap);
    pg_read_end(st);
    rc = rt__pg_sql_exec(s->pg, &s->sql, s->in_tx, err, out_id, sql, types, ap);
    if (reading)
        pg_read_begin(st, NULL);
    return rc;
}

static int pg_sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int,
                         json_t **out_json, const char *sql, const char *types, va_list ap)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_scalar(s->scratch, err, out_int, out_json, sql, types, ap);
    return rt__pg_sql_scalar(s->pg, &s->sql, err, out_int, out_json, sql, types, ap);
}

static int pg_sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                       const char *sql, const char *types, va_list ap)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_rows(s->scratch, err, fn, ctx, sql, types, ap);
    return rt__pg_sql_rows(s->pg, &s->sql, err, fn, ctx, sql, types, ap);
}

static int pg_sql_group(struct rt_store *st, int op, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_group(s->scratch, op, err);
    if (op == RT__SQL_GROUP_BEGIN && !s->in_tx)
        pg_read_end(st);
    return rt__pg_sql_group(s->pg, &s->sql, s->in_tx, op, err);
}

/* A transaction PostgreSQL aborted for a conflict with another writer is run again,
 * RT_PG_TRIES times in all. */
static int pg_retry(struct rt_store *st, int attempt, struct rt_error *err)
{
    char *msg;

    if (!rt__pg_conflict(PG(st)->pg))
        return 0;
    if (attempt < RT_PG_TRIES) {
        rt__pg_back_off(attempt);
        if (err)
            rt_error_release(err);
        return 1;
    }
    if (err) {
        msg = rt_xstrdup(err->msg.buf ? err->msg.buf : "");
        rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "gave up after %d tries: %s", attempt, msg);
        rt_free(msg);
    }
    return 0;
}

struct rt_pg *rt__pg_store_conn(struct rt_store *st)
{
    return PG(st)->pg;
}

const struct rt__store_ops rt__pg_ops = {
    .name = "PostgreSQL",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .version = pg_version,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .begin_load = pg_begin_load,
    .state_find = pg_state_find,
    .theme_check = pg_theme_check,
    .state_get = pg_state_get,
    .source_put = pg_source_put,
    .rec_put = pg_rec_put,
    .rec_add_by = pg_rec_add_by,
    .rec_add_theme = pg_rec_add_theme,
    .rec_queue_by = pg_rec_queue_by,
    .rec_queue_theme = pg_rec_queue_theme,
    .rec_links_flush = pg_rec_links_flush,
    .rec_get = pg_rec_get,
    .stats = pg_stats,
    .search = pg_search,
    .search_ids = pg_search_ids,
    .keep_search = pg_keep_search,
    .recs_load = pg_recs_load,
    .model_put = rt__pg_model_put,
    .model_get = rt__pg_model_get,
    .rec_texts = rt__pg_rec_texts,
    .model_tags_clear = rt__pg_model_tags_clear,
    .rec_set_category = rt__pg_rec_set_category,
    .model_categories_clear = rt__pg_model_categories_clear,
    .theme_counts = rt__pg_theme_counts,
    .theme_areas = rt__pg_theme_areas,
    .repeat_pairs = rt__pg_repeat_pairs,
    .repeats_of = rt__pg_repeats_of,
    .sql_exec = pg_sql_exec,
    .sql_scalar = pg_sql_scalar,
    .sql_group = pg_sql_group,
    .sql_rows = pg_sql_rows,
    .retry = pg_retry,
    .set_actor = pg_set_actor,
    .repeats_fresh = pg_repeats_fresh,
    .repeats_compute = pg_repeats_compute,
    .may_write = pg_may_write,
    .set_reader = pg_set_reader,
    .reader = pg_reader,
    .audit_note = pg_audit_note,
    .rec_ledger = rt__pg_rec_ledger,
    .export = pg_export,
    .dialogue_list = rt__pg_dialogue_list,
    .dialogue_get = rt__pg_dialogue_get,
    .round_get = rt__pg_round_get,
    .step_list = rt__pg_step_list,
    .status = rt__pg_status,
    .since = rt__pg_since,
    .timeline = rt__pg_timeline,
    .reciprocity = rt__pg_reciprocity,
    .import_export = pg_import_export,
};
