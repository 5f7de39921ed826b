/*
 * Accounts, web sessions and API tokens (schema 10): the SQL of src/auth/, written once
 * for every back end over src/store/sql.h. A hash goes to the database as hex digits
 * (the executor's 'x': a BLOB in SQLite, a bytea in PostgreSQL); a row comes back as
 * one JSON array, built by the database (json_array, json_build_array).
 */
#include "base/compat.h"

#include "store/auth_store.h"
#include "store/sql.h"

/* Now as both stores write it: "2026-12-05T07:04:13Z". */
#define NOW_SQLITE "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define NOW_PG "rt_now()"

void rt__account_release(struct rt__account *a)
{
    rt_free(a->name);
    rt_free(a->role);
    rt_free(a->password);
    rt_free(a->created_at);
    memset(a, 0, sizeof(*a));
}

/* hash as 64 hex digits (every request with a session comes here: no printf). */
static void hex(const unsigned char *hash, char out[2 * RT__AUTH_HASH_BYTES + 1])
{
    static const char digit[] = "0123456789abcdef";

    for (int i = 0; i < RT__AUTH_HASH_BYTES; i++) {
        out[2 * i] = digit[hash[i] >> 4];
        out[2 * i + 1] = digit[hash[i] & 15];
    }
    out[2 * RT__AUTH_HASH_BYTES] = '\0';
}

/* Item i of a row as an integer: a boolean is 1 or 0 (PostgreSQL gives booleans where
 * SQLite gives integers). */
static int64_t jint(const json_t *row, size_t i)
{
    const json_t *v = json_array_get(row, i);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : json_is_true(v);
}

static const char *jstr(const json_t *row, size_t i)
{
    return json_string_value(json_array_get(row, i));
}

static char *jdup(const json_t *row, size_t i)
{
    const char *v = jstr(row, i);
    return rt_xstrdup(v ? v : "");
}

static void jcopy(char *out, size_t size, const json_t *row, size_t i)
{
    const char *v = jstr(row, i);
    snprintf(out, size, "%s", v ? v : "");
}

/* A statement whose one row is a JSON array of the columns cols_from lists (then closes
 * the array and says FROM where), in SQLite's words and PostgreSQL's. */
#define ROW_SQL(cols_from) "SELECT json_array(" cols_from
#define ROW_PG(cols_from) "SELECT json_build_array(" cols_from

int rt__account_count(struct rt_store *st, int64_t *out, struct rt_error *err)
{
    return rt__sql_scalar(st, err, out, NULL, "SELECT count(*) FROM account", "");
}

int rt__account_add(struct rt_store *st, const char *name, const char *role, const char *pwhash,
                    int64_t *out_id, struct rt_error *err)
{
    int rc = rt__sql_exec(st, err, out_id,
                          rt__sql_pick(st,
                                       "INSERT INTO account (name, role, password, created_at)"
                                       " VALUES (?1, ?2, ?3, " NOW_SQLITE ")",
                                       "INSERT INTO account (name, role, password, created_at)"
                                       " VALUES (?1, ?2, ?3, " NOW_PG ")"),
                          "ttt", name, role, pwhash);

    if (rc == RT_EINVAL) {
        rt_error_release(err);
        return rt_error_set(err, RT_EEXIST, NULL, 0, "user", "there is a user called '%s' already",
                            name);
    }
    return rc;
}

#define ACCOUNT_COLS "id, name, role, password, disabled, created_at) FROM account WHERE name = ?1"

int rt__account_get(struct rt_store *st, const char *name, struct rt__account *a,
                    struct rt_error *err)
{
    json_t *row = NULL;
    int rc =
        rt__sql_scalar(st, err, NULL, &row,
                       rt__sql_pick(st, ROW_SQL(ACCOUNT_COLS), ROW_PG(ACCOUNT_COLS)), "t", name);

    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "user", "there is no user called '%s'",
                            name);
    if (rc < 0)
        return rc;
    a->id = jint(row, 0);
    a->name = jdup(row, 1);
    a->role = jdup(row, 2);
    a->password = jdup(row, 3);
    a->disabled = (int)jint(row, 4);
    a->created_at = jdup(row, 5);
    json_decref(row);
    return 0;
}

int rt__account_set(struct rt_store *st, const char *name, const char *what, const char *value,
                    struct rt_error *err)
{
    int64_t id;
    int ends = !strcmp(what, "password") || (!strcmp(what, "disabled") && !strcmp(value, "1"));
    int rc =
        rt__sql_scalar(st, err, &id, NULL, "SELECT id FROM account WHERE name = ?1", "t", name);

    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "user", "there is no user called '%s'",
                            name);
    if (rc < 0)
        return rc;
    if (!strcmp(what, "disabled"))
        rc = rt__sql_exec(st, err, NULL, "UPDATE account SET disabled = ?2 WHERE id = ?1", "ii", id,
                          (int64_t)!strcmp(value, "1"));
    else
        rc = rt__sql_exec(st, err, NULL,
                          !strcmp(what, "password")
                              ? "UPDATE account SET password = ?2 WHERE id = ?1"
                              : "UPDATE account SET role = ?2 WHERE id = ?1",
                          "it", id, value);
    if (rc < 0 || !ends)
        return rc;
    return rt__sql_exec(st, err, NULL, "DELETE FROM account_session WHERE account_id = ?1", "i",
                        id);
}

/* The accounts by name (in the order of the bytes), their open tokens and sessions. */
#define LIST_COLS                                                                                  \
    "a.id, a.name, a.role, a.disabled, a.created_at,"                                              \
    " (SELECT count(*) FROM account_token t WHERE t.account_id = a.id"                             \
    "  AND t.revoked_at IS NULL),"                                                                 \
    " (SELECT count(*) FROM account_session x WHERE x.account_id = a.id"                           \
    "  AND x.expires_at > ?1)"

int rt__account_list(struct rt_store *st, int64_t now, json_t **out, struct rt_error *err)
{
    json_t *rows = NULL, *list, *r;
    size_t i;
    int rc = rt__sql_scalar(
        st, err, NULL, &rows,
        rt__sql_pick(st,
                     "SELECT json_group_array(json(j)) FROM (SELECT json_array(" LIST_COLS
                     ") j FROM account a ORDER BY a.name)",
                     "SELECT coalesce(json_agg(json_build_array(" LIST_COLS
                     ") ORDER BY a.name COLLATE \"C\"), '[]') FROM account a"),
        "i", now);

    if (rc < 0)
        return rc;
    list = json_array();
    json_array_foreach(rows, i, r) json_array_append_new(
        list, json_pack("{s:I, s:s, s:s, s:b, s:s, s:I, s:I}", "id", (json_int_t)jint(r, 0), "name",
                        jstr(r, 1), "role", jstr(r, 2), "disabled", (int)jint(r, 3), "created_at",
                        jstr(r, 4), "tokens", (json_int_t)jint(r, 5), "sessions",
                        (json_int_t)jint(r, 6)));
    json_decref(rows);
    *out = list;
    return 0;
}

int rt__session_add(struct rt_store *st, const unsigned char *hash, int64_t account_id, int64_t now,
                    int64_t expires_at, struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];
    int rc;

    hex(hash, h);
    rc = rt__sql_exec(st, err, NULL,
                      "INSERT INTO account_session (hash, account_id, created_at,"
                      " last_seen, expires_at) VALUES (?1, ?2, ?3, ?3, ?4)",
                      "xiii", h, account_id, now, expires_at);
    if (rc == RT_EINVAL && err)
        err->code = rc = RT_EEXIST;
    return rc;
}

/* The session's one row, its columns read as they come (every request with a session
 * asks: no JSON built and parsed). */
static int session_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct rt__session *out = ctx;
    const char *name = rt__sql_text(row, 5), *role = rt__sql_text(row, 6);

    (void)err;
    out->account_id = rt__sql_int(row, 0);
    out->created_at = rt__sql_int(row, 1);
    out->last_seen = rt__sql_int(row, 2);
    out->expires_at = rt__sql_int(row, 3);
    out->disabled = rt__sql_int(row, 4) != 0;
    snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
    snprintf(out->role, sizeof(out->role), "%s", role ? role : "");
    return 1; /* one row */
}

int rt__session_get(struct rt_store *st, const unsigned char *hash, struct rt__session *out,
                    struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];
    int rc;

    hex(hash, h);
    out->account_id = 0;
    rc = rt__sql_rows(st, err, session_row, out,
                      "SELECT x.account_id, x.created_at, x.last_seen, x.expires_at,"
                      " a.disabled, a.name, a.role FROM account_session x"
                      " JOIN account a ON a.id = x.account_id WHERE x.hash = ?1",
                      "x", h);
    if (rc < 0)
        return rc;
    return out->account_id ? 0 : RT_ENOTFOUND;
}

int rt__session_touch(struct rt_store *st, const unsigned char *hash, int64_t now,
                      struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];

    hex(hash, h);
    return rt__sql_exec(st, err, NULL, "UPDATE account_session SET last_seen = ?2 WHERE hash = ?1",
                        "xi", h, now);
}

int rt__session_end(struct rt_store *st, const unsigned char *hash, struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];

    hex(hash, h);
    return rt__sql_exec(st, err, NULL, "DELETE FROM account_session WHERE hash = ?1", "x", h);
}

int rt__session_purge(struct rt_store *st, int64_t now, int64_t idle_before, struct rt_error *err)
{
    return rt__sql_exec(st, err, NULL,
                        "DELETE FROM account_session WHERE expires_at <= ?1 OR last_seen < ?2",
                        "ii", now, idle_before);
}

int rt__token_add(struct rt_store *st, int64_t account_id, const unsigned char *hash,
                  const char *scope, int64_t *out_id, struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];
    int rc;

    hex(hash, h);
    rc = rt__sql_exec(st, err, out_id,
                      rt__sql_pick(st,
                                   "INSERT INTO account_token (account_id, hash, scope, created_at)"
                                   " VALUES (?1, ?2, ?3, " NOW_SQLITE ")",
                                   "INSERT INTO account_token (account_id, hash, scope, created_at)"
                                   " VALUES (?1, ?2, ?3, " NOW_PG ")"),
                      "ixt", account_id, h, scope);
    if (rc == RT_EINVAL && err)
        err->code = rc = RT_EEXIST;
    return rc;
}

/* Whether the token's last use is older than a minute (or never noted). */
#define TOKEN_COLS                                                                                 \
    "t.id, t.account_id, a.disabled, t.revoked_at IS NOT NULL,"                                    \
    " t.scope = 'write', a.name, a.role, t.last_used IS NULL OR t.last_used"
#define TOKEN_FROM ") FROM account_token t JOIN account a ON a.id = t.account_id WHERE t.hash = ?1"

int rt__token_use(struct rt_store *st, const unsigned char *hash, struct rt__token *out,
                  struct rt_error *err)
{
    char h[2 * RT__AUTH_HASH_BYTES + 1];
    json_t *row = NULL;
    int rc, stale;

    hex(hash, h);
    rc = rt__sql_scalar(
        st, err, NULL, &row,
        rt__sql_pick(st,
                     ROW_SQL(TOKEN_COLS
                             " < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-60 seconds')" TOKEN_FROM),
                     ROW_PG(TOKEN_COLS " COLLATE \"C\" < to_char((clock_timestamp()"
                                       " - interval '60 seconds') AT TIME ZONE 'UTC',"
                                       " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" TOKEN_FROM)),
        "x", h);
    if (rc < 0)
        return rc;
    out->id = jint(row, 0);
    out->account_id = jint(row, 1);
    out->disabled = (int)jint(row, 2);
    out->revoked = (int)jint(row, 3);
    out->write = (int)jint(row, 4);
    jcopy(out->name, sizeof(out->name), row, 5);
    jcopy(out->role, sizeof(out->role), row, 6);
    stale = (int)jint(row, 7);
    json_decref(row);
    /* The last use to the minute: a write each request would empty the web face's
     * response cache (it follows the database's version) all the time. A busy
     * database only delays the note, as a session's: the web face reads who asks
     * inside the request's read snapshot, where another connection's newer write
     * makes this one fail (SQLite's SQLITE_BUSY_SNAPSHOT). The token stays good. */
    if (stale && !out->revoked &&
        rt__sql_exec(
            st, err, NULL,
            rt__sql_pick(st, "UPDATE account_token SET last_used = " NOW_SQLITE " WHERE id = ?1",
                         "UPDATE account_token SET last_used = " NOW_PG " WHERE id = ?1"),
            "i", out->id) < 0 &&
        err)
        rt_error_release(err);
    return 0;
}

int rt__token_list(struct rt_store *st, int64_t account_id, json_t **out, struct rt_error *err)
{
    json_t *rows = NULL, *list, *r;
    size_t i;
    int rc = rt__sql_scalar(
        st, err, NULL, &rows,
        rt__sql_pick(
            st,
            "SELECT json_group_array(json(j)) FROM (SELECT json_array(id, scope, created_at,"
            " last_used, revoked_at) j FROM account_token WHERE account_id = ?1"
            " ORDER BY id)",
            "SELECT coalesce(json_agg(json_build_array(id, scope, created_at,"
            " last_used, revoked_at) ORDER BY id), '[]') FROM account_token"
            " WHERE account_id = ?1"),
        "i", account_id);

    if (rc < 0)
        return rc;
    list = json_array();
    json_array_foreach(rows, i, r) json_array_append_new(
        list,
        json_pack("{s:I, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)jint(r, 0), "scope", jstr(r, 1),
                  "created_at", jstr(r, 2), "last_used", jstr(r, 3), "revoked_at", jstr(r, 4)));
    json_decref(rows);
    *out = list;
    return 0;
}

int rt__token_revoke(struct rt_store *st, int64_t id, struct rt_error *err)
{
    int64_t open;
    int rc = rt__sql_scalar(st, err, &open, NULL,
                            "SELECT id FROM account_token WHERE id = ?1 AND revoked_at IS NULL",
                            "i", id);

    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "token",
                            "there is no token %lld that is not revoked already", (long long)id);
    if (rc < 0)
        return rc;
    return rt__sql_exec(st, err, NULL,
                        rt__sql_pick(st,
                                     "UPDATE account_token SET revoked_at = " NOW_SQLITE
                                     " WHERE id = ?1 AND revoked_at IS NULL",
                                     "UPDATE account_token SET revoked_at = " NOW_PG
                                     " WHERE id = ?1 AND revoked_at IS NULL"),
                        "i", id);
}
