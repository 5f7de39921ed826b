/*
 * One-off statements with arguments bound by a type string, for SQLite's own small reads
 * and writes (sqlite_int.h), and the SQLite side of the statements written once for every
 * back end (src/store/sql.h: the ledger's writes, the register of persons' rows).
 */
#include "base/compat.h"

#include "store/sql.h"
#include "store/sqlite/sqlite_int.h"

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static void bind_types(sqlite3_stmt *s, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't') {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(s, i + 1, v, -1, SQLITE_TRANSIENT);
        } else if (types[i] == 'x') { /* hex digits, bound as the bytes they spell */
            const char *v = va_arg(ap, const char *);
            unsigned char b[64];
            size_t n = 0;
            while (n < sizeof(b) && hex_digit(v[2 * n]) >= 0 && hex_digit(v[2 * n + 1]) >= 0) {
                b[n] = (unsigned char)(hex_digit(v[2 * n]) << 4 | hex_digit(v[2 * n + 1]));
                n++;
            }
            sqlite3_bind_blob(s, i + 1, b, (int)n, SQLITE_TRANSIENT);
        } else if (types[i] == 'd') {
            sqlite3_bind_double(s, i + 1, va_arg(ap, double));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (types[i] == 'i' || v)
                sqlite3_bind_int64(s, i + 1, v);
        }
    }
}

static int prepare_va(struct rt_store *st, sqlite3_stmt **s, struct rt_error *err, const char *sql,
                      const char *types, va_list ap)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
        *s = NULL;
        return rt__db_error(st, err, "prepare");
    }
    bind_types(*s, types, ap);
    return 0;
}

int rt__prepare(struct rt_store *st, sqlite3_stmt **s, struct rt_error *err, const char *sql,
                const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = prepare_va(st, s, err, sql, types, ap);
    va_end(ap);
    return rc;
}

/* From the connection's statement cache too (rt__stmt_sql), as the reads below: a
 * ledger write or a category set prepared its statement at each call (some 20 us). */
int rt__sqlite_sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                        const char *types, va_list ap)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    bind_types(s, types, ap);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        rc = 0;
        if (out_id)
            *out_id = sqlite3_last_insert_rowid(st->db);
    } else if (rc == SQLITE_CONSTRAINT) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "%s", sqlite3_errmsg(st->db));
    } else {
        rc = rt__db_error(st, err, "write");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
             const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = rt__sqlite_sql_exec(st, err, out_id, sql, types, ap);
    va_end(ap);
    return rc;
}

/* A read from the connection's statement cache (rt__stmt_sql): the web face's pages
 * name many records (lookup.c) and check a session every request (auth.c), and
 * preparing their statements each time made a dialogue's page four times as slow. */
int rt__sqlite_sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int,
                          json_t **out_json, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    bind_types(s, types, ap);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        rc = 0;
        if (out_int)
            *out_int = sqlite3_column_int64(s, 0);
        if (out_json) {
            json_error_t jerr;
            *out_json = json_loads((const char *)sqlite3_column_text(s, 0), 0, &jerr);
            if (!*out_json)
                rc = rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "bad JSON from SQL: %s",
                                  jerr.text);
        }
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        rc = RT_ENOTFOUND;
    } else if (rc == SQLITE_CONSTRAINT) { /* an UPDATE ... RETURNING, as rt__sql_exec */
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "%s", sqlite3_errmsg(st->db));
    } else {
        rc = rt__db_error(st, err, "read");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int, json_t **out_json,
               const char *sql, const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = rt__sqlite_sql_scalar(st, err, out_int, out_json, sql, types, ap);
    va_end(ap);
    return rc;
}

int64_t rt__sqlite_sql_changes(struct rt_store *st)
{
    return sqlite3_changes64(st->db);
}

int rt__sqlite_sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                        const char *sql, const char *types, va_list ap)
{
    const char *col[RT__SQL_COLS];
    char reals[RT__SQL_COLS][32];
    struct rt__sql_slot *slot;
    sqlite3_stmt *s = rt__stmt_sql_slot(st, sql, &slot, err);
    int rc, n, r = 0;

    if (!s)
        return RT_ESTORE;
    bind_types(s, types, ap);
    if ((n = sqlite3_column_count(s)) > RT__SQL_COLS)
        RT_BUG("a statement of %d columns", n);
    slot->held = 1; /* fn may ask for statements, this one too */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt__sql_row row = {n, col};
        for (int i = 0; i < n; i++) {
            int type = sqlite3_column_type(s, i);
            if (type == SQLITE_NULL) {
                col[i] = NULL;
            } else if (type == SQLITE_FLOAT) { /* SQLite's own text keeps 15 digits */
                snprintf(reals[i], sizeof(reals[i]), "%.17g", sqlite3_column_double(s, i));
                col[i] = reals[i];
            } else {
                col[i] = (const char *)sqlite3_column_text(s, i);
            }
        }
        if ((r = fn(ctx, &row, err)) != 0)
            break;
    }
    slot->held = 0;
    if (r != 0)
        rc = r < 0 ? r : 0;
    else
        rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
    sqlite3_reset(s);
    return rc;
}

/* A savepoint is a group all or nothing, inside a transaction or not. */
int rt__sqlite_sql_group(struct rt_store *st, int op, struct rt_error *err)
{
    if (op == RT__SQL_GROUP_BEGIN)
        return rt__exec(st, err, NULL, "SAVEPOINT ledger_write", "");
    if (op == RT__SQL_GROUP_ROLLBACK) {
        sqlite3_exec(st->db, "ROLLBACK TO ledger_write; RELEASE ledger_write", NULL, NULL, NULL);
        return 0;
    }
    return rt__exec(st, err, NULL, "RELEASE ledger_write", "");
}

/* SQLite's writers take turns (BEGIN IMMEDIATE, the busy timeout): no transaction is
 * aborted for a clash with another, so none is run again. */
int rt__sqlite_sql_retry(struct rt_store *st, int attempt, struct rt_error *err)
{
    (void)st;
    (void)attempt;
    (void)err;
    return 0;
}
