/*
 * The audit log in SQLite (schema 11): the triggers that log every ledger write,
 * the temporary trigger that seals each entry on the store's own connection, and the
 * check that those triggers are there. The log is read back and checked for both
 * stores by src/store/audit_read.c.
 */
#include "base/compat.h"

#include <ctype.h>
#include <time.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>

#include "auth/audit_int.h"
#include "base/alloc.h"
#include "model/rules.h"
#include "store/audit_int.h"
#include "store/sqlite/sqlite_int.h"

static int table_exists(struct rt_store *st, const char *table, int *out, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(
        st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return rt__db_error(st, err, "audit");
    }
    *out = sqlite3_column_int(s, 0) > 0;
    sqlite3_reset(s);
    return 0;
}

/*
 * Appends json_object('col', prefix"col", ...) over the columns of a's table that
 * are logged, in their order in the table.
 */
int rt__sqlite_audit_row_json(struct rt_store *st, const struct rt__audited *a, const char *prefix,
                              struct rt_buf *b, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", err);
    struct rt_buf probe = RT_BUF_INIT;
    int first = 1, rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, a->table, -1, SQLITE_STATIC);
    rt_buf_adds(b, "json_object(");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(s, 0);
        rt_buf_reset(&probe);
        rt_buf_addf(&probe, ",%s,", col);
        if (a->skip && strstr(a->skip, probe.buf))
            continue;
        rt_buf_addf(b, "%s'%s', %s\"%s\"", first ? "" : ", ", col, prefix, col);
        first = 0;
    }
    rt_buf_addch(b, ')');
    rt_buf_release(&probe);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "audit columns");
}

/* The CREATE TRIGGER statement that logs operation op (0-2) on a's table. */
static int trigger_sql(struct rt_store *st, const struct rt__audited *a, int op, struct rt_buf *b,
                       struct rt_error *err)
{
    const char *row = op == 2 ? "OLD." : "NEW.";
    int rc = 0;

    rt_buf_addf(b, "CREATE TRIGGER audit_%s_%s AFTER %s ON %s", a->table, rt__audit_ops[op],
                op == 0   ? "INSERT"
                : op == 1 ? "UPDATE"
                          : "DELETE",
                a->table);
    if (op == 1) { /* an update that changes nothing logged is no change */
        rt_buf_adds(b, " WHEN ");
        if ((rc = rt__sqlite_audit_row_json(st, a, "OLD.", b, err)) < 0 ||
            (rt_buf_adds(b, " IS NOT "), rc = rt__sqlite_audit_row_json(st, a, "NEW.", b, err)) < 0)
            return rc;
    }
    rt_buf_addf(b,
                " BEGIN INSERT INTO audit_log(tbl, op, record, ref1, ref2, before, after)"
                " VALUES ('%s', '%s', ",
                a->table, rt__audit_ops[op]);
    rt__audit_expr(b, a->record, row);
    rt_buf_adds(b, ", ");
    rt__audit_expr(b, a->ref1, row);
    rt_buf_adds(b, ", ");
    rt__audit_expr(b, a->ref2, row);
    rt_buf_adds(b, ", ");
    if (op == 0)
        rt_buf_adds(b, "NULL");
    else if ((rc = rt__sqlite_audit_row_json(st, a, "OLD.", b, err)) < 0)
        return rc;
    rt_buf_adds(b, ", ");
    if (op == 2)
        rt_buf_adds(b, "NULL");
    else if ((rc = rt__sqlite_audit_row_json(st, a, "NEW.", b, err)) < 0)
        return rc;
    rt_buf_adds(b, "); END");
    return 0;
}

/* SQL functions of the store's connection, for the sealing trigger. */

static void fn_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct rt_store *st = sqlite3_user_data(ctx);
    char buf[24];
    const char *now = st->now;

    (void)argc, (void)argv;
    if (!st->in_tx || !*now) {
        time_t t = time(NULL);
        struct tm tm;
        if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
            RT_BUG("cannot format the current time");
        now = buf;
    }
    sqlite3_result_text(ctx, now, -1, SQLITE_TRANSIENT);
}

static void fn_actor(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct rt_store *st = sqlite3_user_data(ctx);

    (void)argc, (void)argv;
    sqlite3_result_text(ctx, st->actor ? st->actor : "rightstrack", -1, SQLITE_TRANSIENT);
}

static void fn_via(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct rt_store *st = sqlite3_user_data(ctx);

    (void)argc, (void)argv;
    if (st->via)
        sqlite3_result_text(ctx, st->via, -1, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

static struct rt__audit_bytes bytes_of(sqlite3_value *v)
{
    struct rt__audit_bytes b = {NULL, 0};

    if (sqlite3_value_type(v) != SQLITE_NULL) {
        b.ptr = sqlite3_value_text(v);
        b.len = (size_t)sqlite3_value_bytes(v);
        if (!b.ptr)
            b.ptr = "";
    }
    return b;
}

static void fn_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct rt__audit_bytes f[RT__AUDIT_NFIELDS];
    char hex[65];

    if (argc != RT__AUDIT_NFIELDS)
        RT_BUG("rt_audit_hash takes %d arguments", RT__AUDIT_NFIELDS);
    for (int i = 0; i < RT__AUDIT_NFIELDS; i++)
        f[i] = bytes_of(argv[i]);
    rt__audit_hash(f, hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* The columns the hash covers, in the order of enum rt__audit_field. */
#define HASHED_COLUMNS "prev_hash, at, actor, via, tbl, op, record, ref1, ref2, before, after"

/*
 * Seals each entry as it is added, in the statement that adds it: who, when, the
 * hash of the sealed entry before it, and its own hash. Temporary: it exists on the
 * store's connections only, so an entry written by another program stays unsealed.
 */
static const char seal_trigger[] =
    "CREATE TEMP TRIGGER IF NOT EXISTS audit_seal AFTER INSERT ON main.audit_log"
    " WHEN NEW.hash IS NULL BEGIN"
    " UPDATE audit_log SET at = rt_audit_now(), actor = rt_audit_actor(), via = rt_audit_via(),"
    " prev_hash = (SELECT hash FROM audit_log WHERE id < NEW.id AND hash IS NOT NULL"
    " ORDER BY id DESC LIMIT 1) WHERE id = NEW.id;"
    " UPDATE audit_log SET hash = rt_audit_hash(" HASHED_COLUMNS ") WHERE id = NEW.id;"
    " END";

/* Registers the functions and the sealing trigger on st's connection (once). */
static int connect(struct rt_store *st, struct rt_error *err)
{
    const int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
    int have = 0, rc;

    if (st->audit_ready)
        return 0;
    if ((rc = table_exists(st, "audit_log", &have, err)) < 0 || !have)
        return rc;
    if (sqlite3_create_function(st->db, "rt_audit_now", 0, flags, st, fn_now, NULL, NULL) ||
        sqlite3_create_function(st->db, "rt_audit_actor", 0, flags, st, fn_actor, NULL, NULL) ||
        sqlite3_create_function(st->db, "rt_audit_via", 0, flags, st, fn_via, NULL, NULL) ||
        sqlite3_create_function(st->db, "rt_audit_hash", RT__AUDIT_NFIELDS,
                                flags | SQLITE_DETERMINISTIC, st, fn_hash, NULL, NULL))
        return rt__db_error(st, err, "audit functions");
    if (sqlite3_exec(st->db, seal_trigger, NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "audit seal");
    st->audit_ready = 1;
    return 0;
}

int rt__audit_open(struct rt_store *st, struct rt_error *err)
{
    return connect(st, err);
}

/* The trigger's SQL as stored, or NULL (a new string, or NULL when none). */
static char *stored_sql(struct rt_store *st, const char *name)
{
    sqlite3_stmt *s = rt__stmt_sql(
        st, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", NULL);
    char *sql = NULL;

    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        sql = rt__col_strdup(s, 0);
    sqlite3_reset(s);
    return sql;
}

/*
 * The trigger of table a for operation op, as migration writes it and as verify
 * checks it: its name into name, the SQL it should have into sql, and what the
 * database holds under that name into *now (NULL when none; the caller frees it).
 */
static int trigger_state(struct rt_store *st, const struct rt__audited *a, int op,
                         struct rt_buf *name, struct rt_buf *sql, char **now, struct rt_error *err)
{
    int rc;

    *now = NULL;
    rt_buf_reset(sql);
    rt_buf_reset(name);
    rt_buf_addf(name, "audit_%s_%s", a->table, rt__audit_ops[op]);
    if ((rc = trigger_sql(st, a, op, sql, err)) < 0)
        return rc;
    *now = stored_sql(st, name->buf);
    return 0;
}

int rt__audit_migrated(struct rt_store *st, int version, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, name = RT_BUF_INIT, via = RT_BUF_INIT;
    char *saved_via = st->via;
    int rc = 0, have;

    if ((rc = connect(st, err)) < 0 || !st->audit_ready)
        return rc;
    rt_buf_addf(&via, "schema %d", version);
    st->via = via.buf;
    for (size_t i = 0; rc == 0 && i < rt__n_audited; i++) {
        const struct rt__audited *a = &rt__audited[i];
        if ((rc = table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        for (int op = 0; rc == 0 && op < 3; op++) {
            char *now;
            if ((rc = trigger_state(st, a, op, &name, &sql, &now, err)) < 0)
                break;
            if (!now || strcmp(now, sql.buf)) {
                struct rt_buf drop = RT_BUF_INIT;
                rt_buf_addf(&drop, "DROP TRIGGER IF EXISTS \"%s\"", name.buf);
                if (sqlite3_exec(st->db, drop.buf, NULL, NULL, NULL) != SQLITE_OK ||
                    sqlite3_exec(st->db, sql.buf, NULL, NULL, NULL) != SQLITE_OK)
                    rc = rt__db_error(st, err, "audit trigger");
                rt_buf_release(&drop);
            }
            rt_free(now);
        }
        /* Rows the log does not explain as they now are (all of them when the log
         * starts, or those a migration changed): their state now, as a snapshot. */
        if (rc == 0) {
            struct rt_buf ins = RT_BUF_INIT;
            rt_buf_addf(&ins,
                        "INSERT INTO audit_log(tbl, op, record, ref1, ref2, before, after)"
                        " SELECT '%s', 'snapshot', record, ref1, ref2, logged, now FROM (",
                        a->table);
            if ((rc = rt__audit_replay_sql(st, a, &ins, err)) == 0) {
                rt_buf_adds(&ins, ")");
                if (sqlite3_exec(st->db, ins.buf, NULL, NULL, NULL) != SQLITE_OK)
                    rc = rt__db_error(st, err, "audit snapshot");
            }
            rt_buf_release(&ins);
        }
    }
    st->via = saved_via;
    rt_buf_release(&sql);
    rt_buf_release(&name);
    rt_buf_release(&via);
    return rc;
}

void rt__sqlite_set_actor(struct rt_store *st, const char *actor, const char *via)
{
    rt_free(st->actor);
    rt_free(st->via);
    st->actor = actor ? rt_xstrdup(actor) : NULL;
    st->via = via ? rt_xstrdup(via) : NULL;
}

int rt__sqlite_audit_note(struct rt_store *st, const char *table, const char *op,
                          const char *record, const char *after, struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = connect(st, err)) < 0)
        return rc;
    if (!(s = rt__stmt_sql(
              st, "INSERT INTO audit_log(tbl, op, record, after) VALUES (?1, ?2, ?3, ?4)", err)))
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, table, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, op, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, record, -1, SQLITE_TRANSIENT);
    if (after)
        sqlite3_bind_text(s, 4, after, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rt__db_error(st, err, "audit note");
    sqlite3_reset(s);
    return rc;
}

/* The triggers that log writes, and the log's guards, are all there, unchanged. */
int rt__sqlite_audit_triggers(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err)
{
    static const char *const guards[] = {"audit_log_no_update", "audit_log_no_delete"};
    struct rt_buf sql = RT_BUF_INIT, name = RT_BUF_INIT;
    int rc = 0, have;

    for (size_t i = 0; rc == 0 && i < rt__n_audited; i++) {
        const struct rt__audited *a = &rt__audited[i];
        if ((rc = table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        for (int op = 0; op < 3; op++) {
            char *now;
            if ((rc = trigger_state(st, a, op, &name, &sql, &now, err)) < 0)
                break;
            if (!now || strcmp(now, sql.buf))
                rt__audit_finding(
                    r, "trigger", 0, NULL,
                    "the trigger %s is %s: %ss of table %s are not logged as they should be",
                    name.buf, now ? "changed" : "missing", rt__audit_ops[op], a->table);
            rt_free(now);
        }
    }
    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(guards); i++) {
        char *now = stored_sql(st, guards[i]);
        if (!now)
            rt__audit_finding(r, "trigger", 0, NULL,
                              "the trigger %s is missing: the log is not protected from changes",
                              guards[i]);
        rt_free(now);
    }
    rt_buf_release(&sql);
    rt_buf_release(&name);
    return rc;
}

int rt__sqlite_idle(struct rt_store *st)
{
    return sqlite3_get_autocommit(st->db) != 0;
}
