/*
 * The theme classifier's data on PostgreSQL (docs/developer-guide.md §21, "Theme
 * models, categories and areas"): the model blob, the texts it is trained on and
 * tags, the model's tags and categories, the theme counts and the theme areas. The
 * statements are SQLite's (src/store/sqlite/models.c, taxonomy.c) in PostgreSQL's
 * words: text sorted COLLATE "C" (SQLite's BINARY), a boolean summed as an integer.
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

int rt__pg_rec_texts(struct rt_store *st, const char *vocabulary, enum rt_rec_texts_which which,
                     struct rt_rec_text **out, size_t *out_n, struct rt_error *err)
{
    static const char labelled[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = 'official'"
        " JOIN theme t ON t.id = rt.theme_id AND t.vocabulary = $1"
        " ORDER BY r.id, t.label COLLATE \"C\"";
    static const char unlabelled[] =
        "SELECT r.id, r.text, r.action_category, NULL FROM recommendation r"
        " WHERE NOT EXISTS (SELECT 1 FROM recommendation_theme rt JOIN theme t"
        " ON t.id = rt.theme_id WHERE rt.rec_id = r.id AND rt.origin = 'official'"
        " AND t.vocabulary = $1) ORDER BY r.id";
    static const char untagged[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " LEFT JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = 'official'"
        " AND rt.theme_id IN (SELECT id FROM theme WHERE vocabulary = $1)"
        " LEFT JOIN theme t ON t.id = rt.theme_id"
        " WHERE r.action_category IS NULL OR rt.rec_id IS NULL"
        " ORDER BY r.id, t.label COLLATE \"C\"";
    const char *v[1] = {vocabulary};
    struct rt_rec_text *a = NULL;
    size_t n = 0, alloc = 0, alloc_labels = 0;
    PGresult *r;
    int rows;

    *out = NULL;
    *out_n = 0;
    r = which == RT_TEXTS_LABELLED     ? rt__pg_exec(conn(st), "pg_texts_l", labelled, 1, v, err)
        : which == RT_TEXTS_UNLABELLED ? rt__pg_exec(conn(st), "pg_texts_u", unlabelled, 1, v, err)
                                       : rt__pg_exec(conn(st), "pg_texts_t", untagged, 1, v, err);
    if (!r)
        return RT_ESTORE;
    rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        int64_t id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        struct rt_rec_text *t;

        if (!n || a[n - 1].id != id) {
            RT_ALLOC_GROW(a, n + 1, alloc);
            t = &a[n++];
            t->id = id;
            t->text = rt_xstrdup(PQgetvalue(r, i, 1));
            t->labels = NULL;
            t->n_labels = 0;
            t->action_category = (int)strtol(PQgetvalue(r, i, 2), NULL, 10);
            alloc_labels = 0;
        }
        t = &a[n - 1];
        if (!PQgetisnull(r, i, 3)) {
            RT_ALLOC_GROW(t->labels, t->n_labels + 1, alloc_labels);
            t->labels[t->n_labels++] = rt_xstrdup(PQgetvalue(r, i, 3));
        }
    }
    PQclear(r);
    *out = a;
    *out_n = n;
    return 0;
}

int rt__pg_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                            struct rt_error *err)
{
    const char *v[1] = {vocabulary};

    return write1(st, "pg_model_tags_clear",
                  "DELETE FROM recommendation_theme WHERE origin = 'model' AND theme_id IN"
                  " (SELECT id FROM theme WHERE vocabulary = $1)",
                  1, v, out_n, err);
}

int rt__pg_model_categories_clear(struct rt_store *st, int64_t *out_n, struct rt_error *err)
{
    return write1(st, "pg_model_categories_clear",
                  "DELETE FROM recommendation_category WHERE origin = 'model'", 0, NULL, out_n,
                  err);
}

/* The checks of the arguments are rt_store_rec_set_category's (store.c). */
int rt__pg_rec_set_category(struct rt_store *st, int64_t rec_id, int category, const char *origin,
                            double confidence, int *out_set, struct rt_error *err)
{
    char id[24], cat[16], conf[32];
    const char *v[4] = {id, cat, origin, conf};
    int64_t n = 0;
    PGresult *r;
    int rc;

    *out_set = 0;
    snprintf(id, sizeof(id), "%lld", (long long)rec_id);
    snprintf(cat, sizeof(cat), "%d", category);
    snprintf(conf, sizeof(conf), "%.17g", confidence);
    if ((rc =
             write1(st, "pg_rec_category_set",
                    "INSERT INTO recommendation_category(rec_id, category, origin, confidence)"
                    " SELECT id, $2, $3, $4 FROM recommendation"
                    " WHERE id = $1 AND action_category IS NULL"
                    " ON CONFLICT (rec_id) DO UPDATE SET category = excluded.category,"
                    " origin = excluded.origin, confidence = excluded.confidence"
                    " WHERE excluded.origin = 'person' OR recommendation_category.origin = 'model'",
                    4, v, &n, err)) < 0)
        return rc;
    if ((*out_set = n > 0))
        return 0;
    /* Nothing written: say so when there is no such recommendation. */
    if (!(r = rt__pg_exec(conn(st), "pg_rec_exists", "SELECT 1 FROM recommendation WHERE id = $1",
                          1, v, err)))
        return RT_ESTORE;
    rc = PQntuples(r) ? 0
                      : rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL,
                                     "no recommendation with id %lld", (long long)rec_id);
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

int rt__pg_theme_counts(struct rt_store *st, const char *vocabulary, struct rt_theme_count **out,
                        size_t *out_n, struct rt_error *err)
{
    const char *v[1] = {vocabulary};
    struct rt_theme_count *a = NULL;
    PGresult *r;
    int rows;

    *out = NULL;
    *out_n = 0;
    if (!(r = rt__pg_exec(conn(st), "pg_theme_counts",
                          "SELECT t.label, coalesce(sum((rt.origin = 'official')::int), 0),"
                          " coalesce(sum((rt.origin = 'model')::int), 0) FROM theme t"
                          " LEFT JOIN recommendation_theme rt ON rt.theme_id = t.id"
                          " WHERE t.vocabulary = $1 GROUP BY t.id"
                          " ORDER BY 2 DESC, t.label COLLATE \"C\"",
                          1, v, err)))
        return RT_ESTORE;
    rows = PQntuples(r);
    if (rows)
        a = rt_xcalloc((size_t)rows, sizeof(*a));
    for (int i = 0; i < rows; i++) {
        a[i].label = rt_xstrdup(PQgetvalue(r, i, 0));
        a[i].official = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        a[i].model = strtoll(PQgetvalue(r, i, 2), NULL, 10);
    }
    PQclear(r);
    *out = a;
    *out_n = (size_t)rows;
    return 0;
}

int rt__pg_theme_areas(struct rt_store *st, struct rt_theme_area **out, size_t *out_n,
                       struct rt_error *err)
{
    struct rt_theme_area *a = NULL;
    size_t n = 0, alloc = 0, lalloc = 0;
    PGresult *r;
    int rows;

    *out = NULL;
    *out_n = 0;
    if (!(r = rt__pg_exec(conn(st), "pg_theme_areas",
                          "SELECT a.code, a.label, a.osce::int, m.vocabulary, m.label"
                          " FROM theme_area a LEFT JOIN theme_area_label m ON m.area = a.code"
                          " ORDER BY a.pos, m.vocabulary = 'osce', m.vocabulary COLLATE \"C\","
                          " lower(m.label COLLATE \"C\"), m.label COLLATE \"C\"",
                          0, NULL, err)))
        return RT_ESTORE;
    rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        const char *code = PQgetvalue(r, i, 0);
        struct rt_theme_area *cur = n ? &a[n - 1] : NULL;

        if (!cur || strcmp(cur->code, code)) {
            RT_ALLOC_GROW(a, n + 1, alloc);
            cur = &a[n++];
            memset(cur, 0, sizeof(*cur));
            cur->code = rt_xstrdup(code);
            cur->label = rt_xstrdup(PQgetvalue(r, i, 1));
            cur->osce = (int)strtol(PQgetvalue(r, i, 2), NULL, 10);
            lalloc = 0;
        }
        if (!PQgetisnull(r, i, 3)) {
            RT_ALLOC_GROW(cur->labels, cur->n_labels + 1, lalloc);
            cur->labels[cur->n_labels].vocabulary = rt_xstrdup(PQgetvalue(r, i, 3));
            cur->labels[cur->n_labels].label = rt_xstrdup(PQgetvalue(r, i, 4));
            cur->n_labels++;
        }
    }
    PQclear(r);
    *out = a;
    *out_n = n;
    return 0;
}
