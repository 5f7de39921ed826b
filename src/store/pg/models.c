/*
 * The theme classifier's data on PostgreSQL (docs/developer-guide.md §21, "Theme
 * models, categories and areas"): the model blob (bytea, hex both ways) and a model's
 * theme tag outside an import. The texts, the clearing of tags and categories, a
 * category set, the counts and the areas are src/store/models.c's, for both stores.
 * Writes run inside rt_store_begin's transaction when there is one, else in a group
 * of their own (rt__sql_begin: the writers' lock and a serializable transaction).
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_int.h"
#include "store/sql.h"

static struct rt_pg *conn(struct rt_store *st)
{
    return rt__pg_store_conn(st);
}

/* The number of rows a write changed. */
static int64_t changed(PGresult *r)
{
    return strtoll(PQcmdTuples(r), NULL, 10);
}

/* Runs one write statement in a group of its own (a savepoint inside a transaction);
 * *out_n (may be NULL) gets the rows it changed. */
static int write1(struct rt_store *st, const char *name, const char *sql, int n,
                  const char *const *v, int64_t *out_n, struct rt_error *err)
{
    PGresult *r;
    int rc;

    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    if (!(r = rt__pg_exec(conn(st), name, sql, n, v, err)))
        return rt__sql_end(st, RT_ESTORE, err);
    if (out_n)
        *out_n = changed(r);
    PQclear(r);
    return rt__sql_end(st, 0, err);
}

int rt__pg_model_put(struct rt_store *st, const char *name, const char *kind, const char *info,
                     const void *data, size_t len, struct rt_error *err)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data;
    char *x = rt_xmalloc(2 * len + 3);
    const char *v[4] = {name, kind, info, x};
    int rc;

    x[0] = '\\';
    x[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        x[2 + 2 * i] = hex[p[i] >> 4];
        x[3 + 2 * i] = hex[p[i] & 15];
    }
    x[2 + 2 * len] = '\0';
    /* SQLite's INSERT OR REPLACE: the whole row anew, its time included. */
    rc = write1(st, "pg_model_put",
                "INSERT INTO model(name, kind, info, data) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, info = excluded.info,"
                " data = excluded.data, created_at = excluded.created_at",
                4, v, NULL, err);
    rt_free(x);
    return rc;
}

static int unhex(int c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

int rt__pg_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                     struct rt_buf *info, struct rt_error *err)
{
    const char *v[1] = {name};
    PGresult *r = rt__pg_exec(conn(st), "pg_model_get",
                              "SELECT encode(data, 'hex'), coalesce(info, '{}') FROM model"
                              " WHERE name = $1",
                              1, v, err);
    const char *x;
    size_t n;
    int rc = 0;

    if (!r)
        return RT_ESTORE;
    if (!PQntuples(r)) {
        PQclear(r);
        return RT_ENOTFOUND;
    }
    x = PQgetvalue(r, 0, 0);
    n = (size_t)PQgetlength(r, 0, 0) / 2;
    if ((rc = rt_buf_grow(data, n)) < 0) {
        rt_error_set(err, rc, NULL, 0, NULL, "model '%s' is too big", name);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        data->buf[data->len + i] = (char)(unhex(x[2 * i]) << 4 | unhex(x[2 * i + 1]));
    data->len += n;
    data->buf[data->len] = '\0';
    if (info)
        rt_buf_add(info, PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1));
out:
    PQclear(r);
    return rc;
}

/* A theme's id by vocabulary and label, added when new (rec_write.c's theme_id). */
static int theme_id(struct rt_store *st, const char *vocabulary, const char *label, int64_t *out_id,
                    struct rt_error *err)
{
    const char *v[2] = {vocabulary, label};
    PGresult *r;
    int rc;

    if (!(r = rt__pg_exec(conn(st), "pg_theme_find",
                          "SELECT id FROM theme WHERE vocabulary = $1 AND label = $2", 2, v, err)))
        return RT_ESTORE;
    if (PQntuples(r)) {
        *out_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        return 0;
    }
    PQclear(r);
    /* The id SQLite would give (developer guide §6, "New ids as SQLite gives them"). */
    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    if (!(r = rt__pg_exec(conn(st), "pg_theme_add",
                          "INSERT INTO theme(id, vocabulary, label)"
                          " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM theme), $1, $2)"
                          " RETURNING id",
                          2, v, err)))
        return rt__sql_end(st, RT_ESTORE, err);
    *out_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return rt__sql_end(st, 0, err);
}

int rt__pg_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                         const char *label, const char *origin, double confidence, int *out_new,
                         struct rt_error *err)
{
    char id[24], tid[24], conf[32];
    const char *v[4] = {id, tid, origin, conf};
    int64_t t = 0, n = 0;
    int rc;

    if ((rc = theme_id(st, vocabulary, label, &t, err)) < 0)
        return rc;
    snprintf(id, sizeof(id), "%lld", (long long)rec_id);
    snprintf(tid, sizeof(tid), "%lld", (long long)t);
    snprintf(conf, sizeof(conf), "%.17g", confidence);
    if ((rc = write1(st, "pg_rec_theme_add",
                     "INSERT INTO recommendation_theme(rec_id, theme_id, origin, confidence)"
                     " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                     4, v, &n, err)) < 0)
        return rc;
    *out_new = n > 0;
    return 0;
}
