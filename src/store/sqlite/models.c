/* Trained models as named blobs, read by SQLite's incremental I/O. The texts and
 * labels the theme classifier reads, and its tags' and categories' writes, are
 * src/store/models.c's, for every back end. */
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
