/* Trained models as named blobs, and the texts and labels the theme classifier
 * reads. */
#include "base/compat.h"

#include "store/sqlite/sqlite_int.h"

/* Prepares sql, or fills err and returns RT_ESTORE. */
static int prepare(struct rt_store *st, const char *sql, sqlite3_stmt **s, struct rt_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    return 0;
}

int rt__sqlite_model_put(struct rt_store *st, const char *name, const char *kind, const char *info,
                         const void *data, size_t len, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = prepare(st,
                      "INSERT OR REPLACE INTO model(name, kind, info, data)"
                      " VALUES (?1, ?2, ?3, ?4)",
                      &s, err)) < 0)
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    if (info)
        sqlite3_bind_text(s, 3, info, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 4, len ? data : "", (sqlite3_uint64)len, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rt__db_error(st, err, "save model");
out:
    sqlite3_finalize(s);
    return rc;
}

/*
 * Reads the blob with SQLite's incremental I/O, straight into data: a plain
 * column read would first copy the whole model into a value of its own.
 */
int rt__sqlite_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                         struct rt_buf *info, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    sqlite3_blob *blob = NULL;
    int rc, step, bytes;

    if ((rc = prepare(st, "SELECT rowid, coalesce(info, '{}') FROM model WHERE name = ?1", &s,
                      err)) < 0)
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    step = sqlite3_step(s);
    if (step == SQLITE_DONE) {
        rc = RT_ENOTFOUND;
        goto out;
    }
    if (step != SQLITE_ROW ||
        sqlite3_blob_open(st->db, "main", "model", "data", sqlite3_column_int64(s, 0), 0, &blob) !=
            SQLITE_OK) {
        rc = rt__db_error(st, err, "load model");
        goto out;
    }
    bytes = sqlite3_blob_bytes(blob);
    if ((rc = rt_buf_grow(data, (size_t)bytes)) < 0) {
        rt_error_set(err, rc, st->path, 0, NULL, "model '%s' is too big", name);
        goto out;
    }
    if (sqlite3_blob_read(blob, data->buf + data->len, bytes, 0) != SQLITE_OK) {
        rc = rt__db_error(st, err, "load model");
        goto out;
    }
    data->len += (size_t)bytes;
    data->buf[data->len] = '\0';
    if (info)
        rt_buf_add(info, sqlite3_column_text(s, 1), (size_t)sqlite3_column_bytes(s, 1));
out:
    sqlite3_blob_close(blob);
    sqlite3_finalize(s);
    return rc;
}

void rt_rec_texts_free(struct rt_rec_text *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        rt_free(a[i].text);
        for (size_t k = 0; k < a[i].n_labels; k++)
            rt_free(a[i].labels[k]);
        rt_free(a[i].labels);
    }
    rt_free(a);
}

int rt__sqlite_rec_texts(struct rt_store *st, const char *vocabulary, enum rt_rec_texts_which which,
                         struct rt_rec_text **out, size_t *out_n, struct rt_error *err)
{
    static const char labelled[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = "
        "'official'"
        " JOIN theme t ON t.id = rt.theme_id AND t.vocabulary = ?1"
        " ORDER BY r.id, t.label";
    static const char unlabelled[] =
        "SELECT r.id, r.text, r.action_category, NULL FROM recommendation r"
        " WHERE NOT EXISTS (SELECT 1 FROM recommendation_theme rt JOIN theme t"
        " ON t.id = rt.theme_id WHERE rt.rec_id = r.id AND rt.origin = 'official'"
        " AND t.vocabulary = ?1) ORDER BY r.id";
    static const char untagged[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " LEFT JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = 'official'"
        " AND rt.theme_id IN (SELECT id FROM theme WHERE vocabulary = ?1)"
        " LEFT JOIN theme t ON t.id = rt.theme_id"
        " WHERE r.action_category IS NULL OR rt.rec_id IS NULL ORDER BY r.id, t.label";
    sqlite3_stmt *s = NULL;
    struct rt_rec_text *a = NULL;
    size_t n = 0, alloc = 0, alloc_labels = 0;
    int rc, step;

    *out = NULL;
    *out_n = 0;
    if ((rc = prepare(st,
                      which == RT_TEXTS_LABELLED     ? labelled
                      : which == RT_TEXTS_UNLABELLED ? unlabelled
                                                     : untagged,
                      &s, err)) < 0)
        goto out;
    sqlite3_bind_text(s, 1, vocabulary, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        struct rt_rec_text *r;

        if (!n || a[n - 1].id != id) {
            RT_ALLOC_GROW(a, n + 1, alloc);
            r = &a[n++];
            r->id = id;
            r->text = rt__col_strdup(s, 1);
            r->labels = NULL;
            r->n_labels = 0;
            r->action_category = sqlite3_column_int(s, 2);
            alloc_labels = 0;
        }
        r = &a[n - 1];
        if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
            RT_ALLOC_GROW(r->labels, r->n_labels + 1, alloc_labels);
            r->labels[r->n_labels++] = rt__col_strdup(s, 3);
        }
    }
    if (step != SQLITE_DONE) {
        rc = rt__db_error(st, err, "read recommendation texts");
        goto out;
    }
    *out = a;
    *out_n = n;
    a = NULL;
out:
    sqlite3_finalize(s);
    rt_rec_texts_free(a, n);
    return rc;
}

int rt__sqlite_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                                struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = prepare(st,
                      "DELETE FROM recommendation_theme WHERE origin = 'model' "
                      "AND theme_id IN"
                      " (SELECT id FROM theme WHERE vocabulary = ?1)",
                      &s, err)) < 0)
        goto out;
    sqlite3_bind_text(s, 1, vocabulary, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = rt__db_error(st, err, "remove model tags");
        goto out;
    }
    *out_n = sqlite3_changes(st->db);
out:
    sqlite3_finalize(s);
    return rc;
}

int rt__sqlite_rec_set_category(struct rt_store *st, int64_t rec_id, int category,
                                const char *origin, double confidence, int *out_set,
                                struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc;

    *out_set = 0; /* the arguments are checked by rt_store_rec_set_category */
    if (!(s = rt__stmt(st, STMT_REC_CATEGORY_SET, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, rec_id);
    sqlite3_bind_int(s, 2, category);
    sqlite3_bind_text(s, 3, origin, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, confidence);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rt__db_error(st, err, "set action category");
    sqlite3_reset(s);
    if (rc < 0)
        return rc;
    *out_set = sqlite3_changes(st->db) > 0;
    if (*out_set)
        return 0;
    /* Nothing written: say so when there is no such recommendation. */
    if ((rc = prepare(st, "SELECT 1 FROM recommendation WHERE id = ?1", &s, err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, rec_id);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        rc = 0;
    else if (rc == SQLITE_DONE)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                          (long long)rec_id);
    else
        rc = rt__db_error(st, err, "set action category");
    sqlite3_finalize(s);
    return rc;
}

int rt__sqlite_model_categories_clear(struct rt_store *st, int64_t *out_n, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = prepare(st, "DELETE FROM recommendation_category WHERE origin = 'model'", &s, err)) <
        0)
        goto out;
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = rt__db_error(st, err, "remove model categories");
        goto out;
    }
    *out_n = sqlite3_changes(st->db);
out:
    sqlite3_finalize(s);
    return rc;
}

void rt_theme_counts_free(struct rt_theme_count *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        rt_free(a[i].label);
    rt_free(a);
}

int rt__sqlite_theme_counts(struct rt_store *st, const char *vocabulary,
                            struct rt_theme_count **out, size_t *out_n, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    struct rt_theme_count *a = NULL;
    size_t n = 0, alloc = 0;
    int rc, step;

    *out = NULL;
    *out_n = 0;
    if ((rc = prepare(st,
                      "SELECT t.label, coalesce(sum(rt.origin = 'official'), 0),"
                      " coalesce(sum(rt.origin = 'model'), 0) FROM theme t"
                      " LEFT JOIN recommendation_theme rt ON rt.theme_id = t.id"
                      " WHERE t.vocabulary = ?1 GROUP BY t.id ORDER BY 2 DESC, t.label",
                      &s, err)) < 0)
        goto out;
    sqlite3_bind_text(s, 1, vocabulary, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        RT_ALLOC_GROW(a, n + 1, alloc);
        a[n].label = rt__col_strdup(s, 0);
        a[n].official = sqlite3_column_int64(s, 1);
        a[n].model = sqlite3_column_int64(s, 2);
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = rt__db_error(st, err, "count themes");
        goto out;
    }
    *out = a;
    *out_n = n;
    a = NULL;
out:
    sqlite3_finalize(s);
    rt_theme_counts_free(a, n);
    return rc;
}
