/* Accounts, web sessions and API tokens in SQLite (schema 10): the SQL of src/auth/. */
#include "base/compat.h"

#include "store/auth_store.h"
#include "store/sqlite/sqlite_int.h"

#define NOW_TEXT "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

void rt__account_release(struct rt__account *a)
{
    rt_free(a->name);
    rt_free(a->role);
    rt_free(a->password);
    rt_free(a->created_at);
    memset(a, 0, sizeof(*a));
}

/* The cached statement for sql, or NULL with err. */
static sqlite3_stmt *stmt(struct rt_store *st, const char *sql, struct rt_error *err)
{
    return rt__stmt_sql(st, sql, err);
}

/* Steps a statement that returns no rows and resets it; RT_EEXIST on a constraint. */
static int done(struct rt_store *st, sqlite3_stmt *s, const char *what, struct rt_error *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        rc = 0;
    else if (rc == SQLITE_CONSTRAINT)
        rc = rt_error_set(err, RT_EEXIST, NULL, 0, NULL, "%s: %s", what, sqlite3_errmsg(st->db));
    else
        rc = rt__db_error(st, err, what);
    sqlite3_reset(s);
    return rc;
}

static void copy_col(char *out, size_t size, sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(out, size, "%s", v ? (const char *)v : "");
}

int rt__account_count(struct rt_store *st, int64_t *out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st, "SELECT count(*) FROM account", err);
    int rc;

    if (!s)
        return RT_ESTORE;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = 0;
    } else {
        rc = rt__db_error(st, err, "count accounts");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__account_add(struct rt_store *st, const char *name, const char *role, const char *pwhash,
                    int64_t *out_id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "INSERT INTO account (name, role, password, created_at)"
                           " VALUES (?1, ?2, ?3, " NOW_TEXT ")",
                           err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, pwhash, -1, SQLITE_STATIC);
    rc = done(st, s, "add account", err);
    if (rc == RT_EEXIST) {
        rt_error_release(err);
        return rt_error_set(err, RT_EEXIST, NULL, 0, "user", "there is a user called '%s' already",
                            name);
    }
    if (rc == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int rt__account_get(struct rt_store *st, const char *name, struct rt__account *a,
                    struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "SELECT id, name, role, password, disabled, created_at"
                           " FROM account WHERE name = ?1",
                           err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        a->id = sqlite3_column_int64(s, 0);
        a->name = rt__col_strdup(s, 1);
        a->role = rt__col_strdup(s, 2);
        a->password = rt__col_strdup(s, 3);
        a->disabled = sqlite3_column_int(s, 4);
        a->created_at = rt__col_strdup(s, 5);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "user", "there is no user called '%s'", name);
    } else {
        rc = rt__db_error(st, err, "read account");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__account_set(struct rt_store *st, const char *name, const char *what, const char *value,
                    struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    const char *sql = !strcmp(what, "password") ? "UPDATE account SET password = ?2 WHERE name = ?1"
                      : !strcmp(what, "role")   ? "UPDATE account SET role = ?2 WHERE name = ?1"
                                              : "UPDATE account SET disabled = ?2 WHERE name = ?1";
    int ends = !strcmp(what, "password") || (!strcmp(what, "disabled") && !strcmp(value, "1"));
    sqlite3_stmt *s = stmt(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (!strcmp(what, "disabled"))
        sqlite3_bind_int(s, 2, !strcmp(value, "1"));
    else
        sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if ((rc = done(st, s, "change account", err)) < 0)
        return rc;
    if (sqlite3_changes(st->db) == 0)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "user", "there is no user called '%s'",
                            name);
    if (!ends)
        return 0;
    if (!(s = stmt(st,
                   "DELETE FROM account_session WHERE account_id ="
                   " (SELECT id FROM account WHERE name = ?1)",
                   err)))
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    return done(st, s, "end sessions", err);
}

int rt__account_list(struct rt_store *st, int64_t now, json_t **out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "SELECT a.id, a.name, a.role, a.disabled, a.created_at,"
                           " (SELECT count(*) FROM account_token t WHERE t.account_id = a.id"
                           "  AND t.revoked_at IS NULL),"
                           " (SELECT count(*) FROM account_session x WHERE x.account_id = a.id"
                           "  AND x.expires_at > ?1)"
                           " FROM account a ORDER BY a.name",
                           err);
    json_t *list;
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, now);
    list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b, s:s, s:I, s:I}", "id",
                                              (json_int_t)sqlite3_column_int64(s, 0), "name",
                                              (const char *)sqlite3_column_text(s, 1), "role",
                                              (const char *)sqlite3_column_text(s, 2), "disabled",
                                              sqlite3_column_int(s, 3), "created_at",
                                              (const char *)sqlite3_column_text(s, 4), "tokens",
                                              (json_int_t)sqlite3_column_int64(s, 5), "sessions",
                                              (json_int_t)sqlite3_column_int64(s, 6)));
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "list accounts");
        sqlite3_reset(s);
        json_decref(list);
        return rc;
    }
    sqlite3_reset(s);
    *out = list;
    return 0;
}

int rt__session_add(struct rt_store *st, const unsigned char *hash, int64_t account_id, int64_t now,
                    int64_t expires_at, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "INSERT INTO account_session (hash, account_id, created_at,"
                           " last_seen, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)",
                           err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_blob(s, 1, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, account_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires_at);
    return done(st, s, "add session", err);
}

int rt__session_get(struct rt_store *st, const unsigned char *hash, struct rt__session *out,
                    struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "SELECT x.account_id, x.created_at, x.last_seen, x.expires_at,"
                           " a.disabled, a.name, a.role FROM account_session x"
                           " JOIN account a ON a.id = x.account_id WHERE x.hash = ?1",
                           err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_blob(s, 1, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->account_id = sqlite3_column_int64(s, 0);
        out->created_at = sqlite3_column_int64(s, 1);
        out->last_seen = sqlite3_column_int64(s, 2);
        out->expires_at = sqlite3_column_int64(s, 3);
        out->disabled = sqlite3_column_int(s, 4);
        copy_col(out->name, sizeof(out->name), s, 5);
        copy_col(out->role, sizeof(out->role), s, 6);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = RT_ENOTFOUND;
    } else {
        rc = rt__db_error(st, err, "read session");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__session_touch(struct rt_store *st, const unsigned char *hash, int64_t now,
                      struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st, "UPDATE account_session SET last_seen = ?2 WHERE hash = ?1", err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_blob(s, 1, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    return done(st, s, "touch session", err);
}

int rt__session_end(struct rt_store *st, const unsigned char *hash, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st, "DELETE FROM account_session WHERE hash = ?1", err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_blob(s, 1, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    return done(st, s, "end session", err);
}

int rt__session_purge(struct rt_store *st, int64_t now, int64_t idle_before, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "DELETE FROM account_session WHERE expires_at <= ?1"
                           " OR last_seen < ?2",
                           err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, idle_before);
    return done(st, s, "purge sessions", err);
}

int rt__token_add(struct rt_store *st, int64_t account_id, const unsigned char *hash,
                  const char *scope, int64_t *out_id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "INSERT INTO account_token (account_id, hash, scope, created_at)"
                           " VALUES (?1, ?2, ?3, " NOW_TEXT ")",
                           err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, account_id);
    sqlite3_bind_blob(s, 2, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, scope, -1, SQLITE_STATIC);
    if ((rc = done(st, s, "add token", err)) == 0 && out_id)
        *out_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int rt__token_use(struct rt_store *st, const unsigned char *hash, struct rt__token *out,
                  struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "SELECT t.id, t.account_id, a.disabled, t.revoked_at IS NOT NULL,"
                           " t.scope = 'write', a.name, a.role,"
                           " t.last_used IS NULL OR t.last_used < strftime('%Y-%m-%dT%H:%M:%SZ',"
                           " 'now', '-60 seconds')"
                           " FROM account_token t JOIN account a ON a.id = t.account_id"
                           " WHERE t.hash = ?1",
                           err);
    int rc, stale = 0;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_blob(s, 1, hash, RT__AUTH_HASH_BYTES, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        out->account_id = sqlite3_column_int64(s, 1);
        out->disabled = sqlite3_column_int(s, 2);
        out->revoked = sqlite3_column_int(s, 3);
        out->write = sqlite3_column_int(s, 4);
        copy_col(out->name, sizeof(out->name), s, 5);
        copy_col(out->role, sizeof(out->role), s, 6);
        stale = sqlite3_column_int(s, 7);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = RT_ENOTFOUND;
    } else {
        rc = rt__db_error(st, err, "read token");
    }
    sqlite3_reset(s);
    /* The last use to the minute: a write each request would empty the web face's
     * response cache (it follows the database's version) all the time. */
    if (rc == 0 && stale && !out->revoked) {
        if (!(s = stmt(st, "UPDATE account_token SET last_used = " NOW_TEXT " WHERE id = ?1", err)))
            return RT_ESTORE;
        sqlite3_bind_int64(s, 1, out->id);
        /* A busy database only delays the note, as a session's: the web face reads who
         * asks inside the request's read snapshot, where another connection's newer
         * write makes this one fail (SQLITE_BUSY_SNAPSHOT). The token stays good. */
        if (done(st, s, "note token use", err) < 0 && err)
            rt_error_release(err);
    }
    return rc;
}

int rt__token_list(struct rt_store *st, int64_t account_id, json_t **out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "SELECT id, scope, created_at, last_used, revoked_at"
                           " FROM account_token WHERE account_id = ?1 ORDER BY id",
                           err);
    json_t *list;
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, account_id);
    list = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?, s:s?}", "id",
                                              (json_int_t)sqlite3_column_int64(s, 0), "scope",
                                              (const char *)sqlite3_column_text(s, 1), "created_at",
                                              (const char *)sqlite3_column_text(s, 2), "last_used",
                                              (const char *)sqlite3_column_text(s, 3), "revoked_at",
                                              (const char *)sqlite3_column_text(s, 4)));
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "list tokens");
        sqlite3_reset(s);
        json_decref(list);
        return rc;
    }
    sqlite3_reset(s);
    *out = list;
    return 0;
}

int rt__token_revoke(struct rt_store *st, int64_t id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "accounts", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = stmt(st,
                           "UPDATE account_token SET revoked_at = " NOW_TEXT
                           " WHERE id = ?1 AND revoked_at IS NULL",
                           err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = done(st, s, "revoke token", err)) < 0)
        return rc;
    if (sqlite3_changes(st->db) == 0)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "token",
                            "there is no token %lld that is not revoked already", (long long)id);
    return 0;
}
