/*
 * COPY ... FROM STDIN in PostgreSQL's text format for the PostgreSQL back end's bulk
 * loads (issue 16), and the loader of recommendations with their full-text lexemes.
 */
#include "base/compat.h"

#include "store/pg/pg_int.h"

/* Rows are sent to the server in blocks of about this size. */
#define COPY_BLOCK (64 * 1024)

struct rt_pg_copy {
    struct rt_pg *pg;
    char *table;
    int ncols;
    int active; /* the server is in COPY IN: end or abort it */
    int binary; /* COPY's binary format (rt__pg_copy_begin_binary) */
    long rows;
    struct rt_buf buf;
};

int rt__pg_copy_escape(struct rt_buf *out, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        /* The run of bytes that need no escape goes in at once. */
        size_t j = i;
        while (j < len && s[j] != '\\' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j])
            j++;
        rt_buf_add(out, s + i, j - i);
        if (j == len)
            break;
        switch (s[j]) {
        case '\0':
            return RT_EINVAL;
        case '\\':
            rt_buf_add(out, "\\\\", 2);
            break;
        case '\t':
            rt_buf_add(out, "\\t", 2);
            break;
        case '\n':
            rt_buf_add(out, "\\n", 2);
            break;
        default:
            rt_buf_add(out, "\\r", 2);
        }
        i = j + 1;
    }
    return 0;
}

/* The error of a copy that failed: what the server or the connection said, and that
 * nothing of the copy is stored. */
static int copy_error(struct rt_pg_copy *c, const PGresult *r, struct rt_error *err)
{
    PGconn *conn = rt__pg_conn(c->pg);
    struct rt_buf m = RT_BUF_INIT;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *context = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = primary ? primary : PQerrorMessage(conn);
    size_t len = strlen(msg);
    int code = PQstatus(conn) == CONNECTION_BAD ? RT_EUNAVAIL : RT_ESTORE;

    c->active = 0;
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    if (code == RT_EUNAVAIL)
        rt_buf_addf(&m, "lost the connection to PostgreSQL during COPY into %s: ", c->table);
    else
        rt_buf_addf(&m, "COPY into %s failed: ", c->table);
    for (size_t i = 0; i < len; i++)
        rt_buf_addch(&m, msg[i] == '\n' ? ' ' : msg[i]);
    if (context && primary)
        rt_buf_addf(&m, " (%s)", context);
    if (state)
        rt_buf_addf(&m, " [SQLSTATE %s]", state);
    rt_buf_adds(&m, "; none of its rows was stored");
    rt_error_set(err, code, NULL, 0, c->table, "%s", m.buf);
    rt_buf_release(&m);
    return code;
}

static int copy_begin(struct rt_pg *pg, const char *table, const char *const *cols, int ncols,
                      int binary, struct rt_pg_copy **out, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    struct rt_pg_copy *c;
    PGresult *r;

    *out = NULL;
    rt_buf_addf(&sql, "COPY %s (", table);
    for (int i = 0; i < ncols; i++)
        rt_buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
    rt_buf_adds(&sql, binary ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN");
    c = rt_xcalloc(1, sizeof(*c));
    c->pg = pg;
    c->table = rt_xstrdup(table);
    c->ncols = ncols;
    c->binary = binary;
    rt_buf_init(&c->buf, 0);
    r = PQexec(rt__pg_conn(pg), sql.buf);
    rt_buf_release(&sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        copy_error(c, r, err);
        PQclear(r);
        rt__pg_copy_abort(c);
        return RT_ESTORE;
    }
    PQclear(r);
    c->active = 1;
    if (binary) /* the signature, no flags, no header extension */
        rt_buf_add(&c->buf, "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
    *out = c;
    return 0;
}

int rt__pg_copy_begin(struct rt_pg *pg, const char *table, const char *const *cols, int ncols,
                      struct rt_pg_copy **out, struct rt_error *err)
{
    return copy_begin(pg, table, cols, ncols, 0, out, err);
}

int rt__pg_copy_begin_binary(struct rt_pg *pg, const char *table, const char *const *cols,
                             int ncols, struct rt_pg_copy **out, struct rt_error *err)
{
    return copy_begin(pg, table, cols, ncols, 1, out, err);
}

static int flush(struct rt_pg_copy *c, struct rt_error *err)
{
    if (!c->buf.len)
        return 0;
    if (PQputCopyData(rt__pg_conn(c->pg), c->buf.buf, (int)c->buf.len) != 1)
        return copy_error(c, NULL, err);
    rt_buf_reset(&c->buf);
    return 0;
}

int rt__pg_copy_encode(struct rt_buf *out, int ncols, const char *const *values, const size_t *lens)
{
    size_t start = out->len;

    for (int i = 0; i < ncols; i++) {
        if (i)
            rt_buf_addch(out, '\t');
        if (!values[i]) {
            rt_buf_add(out, "\\N", 2);
        } else if (rt__pg_copy_escape(out, values[i], lens ? lens[i] : strlen(values[i])) < 0) {
            rt_buf_setlen(out, start);
            return -(i + 1);
        }
    }
    rt_buf_addch(out, '\n');
    return 0;
}

int rt__pg_copy_row(struct rt_pg_copy *c, const char *const *values, const size_t *lens,
                    struct rt_error *err)
{
    int bad;

    if (!c->active)
        return rt_error_set(err, RT_ESTORE, NULL, 0, c->table, "COPY into %s is over", c->table);
    if ((bad = rt__pg_copy_encode(&c->buf, c->ncols, values, lens)) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, c->rows + 1, c->table,
                            "field %d of row %ld holds a NUL byte", -bad, c->rows + 1);
    c->rows++;
    return c->buf.len >= COPY_BLOCK ? flush(c, err) : 0;
}

int rt__pg_copy_put(struct rt_pg_copy *c, const char *data, size_t len, long rows,
                    struct rt_error *err)
{
    if (!c->active)
        return rt_error_set(err, RT_ESTORE, NULL, 0, c->table, "COPY into %s is over", c->table);
    if (flush(c, err) < 0)
        return RT_ESTORE;
    /* The server takes CopyData messages that split rows anywhere. */
    for (size_t at = 0; at < len; at += COPY_BLOCK) {
        size_t n = len - at < COPY_BLOCK ? len - at : COPY_BLOCK;
        if (PQputCopyData(rt__pg_conn(c->pg), data + at, (int)n) != 1)
            return copy_error(c, NULL, err);
    }
    c->rows += rows;
    return 0;
}

void rt__pg_put_be(struct rt_buf *b, uint32_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        rt_buf_addch(b, (char)((v >> (8 * i)) & 0xff));
}

int rt__pg_copy_row_binary(struct rt_pg_copy *c, const char *const *values, const size_t *lens,
                           struct rt_error *err)
{
    if (!c->active)
        return rt_error_set(err, RT_ESTORE, NULL, 0, c->table, "COPY into %s is over", c->table);
    rt__pg_put_be(&c->buf, (uint32_t)c->ncols, 2);
    for (int i = 0; i < c->ncols; i++) {
        if (!values[i]) {
            rt__pg_put_be(&c->buf, 0xffffffffu, 4); /* -1: NULL */
            continue;
        }
        rt__pg_put_be(&c->buf, (uint32_t)lens[i], 4);
        rt_buf_add(&c->buf, values[i], lens[i]);
    }
    c->rows++;
    return c->buf.len >= COPY_BLOCK ? flush(c, err) : 0;
}

int rt__pg_copy_end(struct rt_pg_copy *c, long *rows, struct rt_error *err)
{
    PGconn *conn = rt__pg_conn(c->pg);
    PGresult *r;
    int rc = 0;

    if (!c->active)
        return rt_error_set(err, RT_ESTORE, NULL, 0, c->table, "COPY into %s is over", c->table);
    if (c->binary)
        rt__pg_put_be(&c->buf, 0xffffu, 2); /* the trailer: -1 fields */
    if (flush(c, err) < 0)
        return RT_ESTORE;
    if (PQputCopyEnd(conn, NULL) != 1)
        return copy_error(c, NULL, err);
    c->active = 0;
    r = PQgetResult(conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = copy_error(c, r, err);
    } else if (rows) {
        char *end;
        *rows = strtol(PQcmdTuples(r), &end, 10);
    }
    PQclear(r);
    while ((r = PQgetResult(conn)))
        PQclear(r);
    return rc;
}

void rt__pg_copy_abort(struct rt_pg_copy *c)
{
    if (!c)
        return;
    if (c->active && PQstatus(rt__pg_conn(c->pg)) == CONNECTION_OK) {
        PGresult *r;
        PQputCopyEnd(rt__pg_conn(c->pg), "abandoned by rightstrack");
        while ((r = PQgetResult(rt__pg_conn(c->pg))))
            PQclear(r);
    }
    rt_buf_release(&c->buf);
    rt_free(c->table);
    rt_free(c);
}

struct load {
    struct rt_tokenizer *t;
    const struct rt_pg_rec_row *rows;
    size_t n;
};

static const char *const rec_cols[] = {"id",        "mechanism",       "cycle",    "session",
                                       "paragraph", "sur_id",          "text",     "key_hash",
                                       "response",  "action_category", "source_id"};

static int load_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    struct load *l = ctx;
    struct rt_pg_copy *c = NULL;
    struct rt_buf lex = RT_BUF_INIT;
    static const char *const fts_cols[] = {"rec_id", "lexemes"};
    PGresult *r;
    int rc;

    if ((rc = rt__pg_copy_begin(pg, "recommendation", rec_cols, (int)RT_ARRAY_SIZE(rec_cols), &c,
                                err)) < 0)
        return rc;
    for (size_t i = 0; i < l->n && rc == 0; i++) {
        const struct rt_pg_rec_row *w = &l->rows[i];
        const char *v[] = {w->id,        w->mechanism,       w->cycle,    w->session,
                           w->paragraph, w->sur_id,          w->text,     w->key_hash,
                           w->response,  w->action_category, w->source_id};
        rc = rt__pg_copy_row(c, v, NULL, err);
    }
    if (rc == 0)
        rc = rt__pg_copy_end(c, NULL, err);
    rt__pg_copy_abort(c);
    if (rc < 0)
        return rc;
    if ((rc = rt__pg_copy_begin(pg, "recommendation_fts", fts_cols, 2, &c, err)) < 0)
        return rc;
    for (size_t i = 0; i < l->n && rc == 0; i++) {
        const char *v[2], *para = l->rows[i].paragraph;
        rt_buf_reset(&lex);
        rt__pg_tsvector_rec(l->t, l->rows[i].text, strlen(l->rows[i].text), para,
                            para ? strlen(para) : 0, &lex);
        v[0] = l->rows[i].id;
        v[1] = lex.buf;
        rc = rt__pg_copy_row(c, v, NULL, err);
    }
    if (rc == 0)
        rc = rt__pg_copy_end(c, NULL, err);
    rt__pg_copy_abort(c);
    rt_buf_release(&lex);
    if (rc < 0)
        return rc;
    /* The ids were given: the next one made by the table follows the largest. */
    PQclear(r = rt__pg_exec(pg, "rec_id_seq",
                            "SELECT setval(pg_get_serial_sequence('recommendation', 'id'),"
                            " (SELECT coalesce(max(id), 0) + 1 FROM recommendation), false)",
                            0, NULL, err));
    return r ? 0 : RT_ESTORE;
}

int rt__pg_load_recommendations(struct rt_pg *pg, struct rt_tokenizer *t,
                                const struct rt_pg_rec_row *rows, size_t n, struct rt_error *err)
{
    struct load l = {t, rows, n};

    return rt__pg_transaction(pg, load_txn, &l, NULL, err);
}
