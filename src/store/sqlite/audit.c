/*
 * The audit log in SQLite (schema 11): the triggers that log every ledger write,
 * the temporary trigger that seals each entry on the store's own connection, the
 * log read back, and its check (chain, replay of the ledger, triggers present).
 */
#include "base/compat.h"

#include <ctype.h>
#include <time.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>

#include "auth/audit_int.h"
#include "base/alloc.h"
#include "model/rules.h"
#include "store/sqlite/sqlite_int.h"

/*
 * The tables whose rows the log follows. In each expression "$." stands for the
 * row (NEW., OLD. or a plain table alias): record is how the command line names
 * the row, ref1 and ref2 the records it belongs to or joins (history of those shows
 * it too). skip lists columns never logged (secrets, and what changes on every use).
 * A table missing from the database (accounts before their migration) is left out.
 */
static const struct audited {
    const char *table, *record, *ref1, *ref2, *skip;
} audited[] = {
    {"dialogue", "'dialogue:' || $.id", NULL, NULL, NULL},
    {"dialogue_party", "'dialogue:' || $.dialogue_id || ' party ' || $.party",
     "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"round", "'round:' || $.id", "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"participant", "'participant:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"topic", "'topic:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"ask", "'ask:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"step", "'step:' || $.id", NULL, NULL, NULL},
    {"link",
     "$.from_kind || ':' || $.from_id || ' ' || $.relation || ' ' || $.to_kind || ':' || $.to_id",
     "$.from_kind || ':' || $.from_id", "$.to_kind || ':' || $.to_id", NULL},
    {"ledger_theme", "$.item_kind || ':' || $.item_id || ' theme ' || $.area",
     "$.item_kind || ':' || $.item_id", NULL, NULL},
    {"commitment", "'commitment:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"commitment_status", "'commitment_status:' || $.id", "'commitment:' || $.commitment_id", NULL,
     NULL},
    {"benchmark", "'benchmark:' || $.id", "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"assessment", "'assessment:' || $.id", "$.target_kind || ':' || $.target_id", NULL, NULL},
    /* Private records (schema 13): a mark, made and taken away. */
    {"private_record", "$.kind || ':' || $.id || ' private'", "$.kind || ':' || $.id", NULL, NULL},
    /* Accounts (schema 10): who may write; never a password or a token's hash. */
    {"account", "'account:' || $.id", NULL, NULL, ",password,"},
    {"account_token", "'token:' || $.id", "'account:' || $.account_id", NULL, ",hash,last_used,"},
    /* Persons and their cases (schema 14). */
    {"person", "'person:' || $.id", NULL, NULL, NULL},
    {"person_name", "'person:' || $.person_id || ' name ' || $.name", "'person:' || $.person_id",
     NULL, NULL},
    {"case_event", "'case:' || $.id", "'person:' || $.person_id", "'step:' || $.step_id", NULL},
    {"ask_person", "'ask:' || $.ask_id || ' names person:' || $.person_id", "'ask:' || $.ask_id",
     "'person:' || $.person_id", NULL},
};

static const char *const ops[] = {"insert", "update", "delete"};

/* Appends expr with "$." replaced by prefix (which may be ""). */
static void add_expr(struct rt_buf *b, const char *expr, const char *prefix)
{
    for (const char *p = expr; *p; p++) {
        if (p[0] == '$' && p[1] == '.') {
            rt_buf_adds(b, prefix);
            p++;
        } else {
            rt_buf_addch(b, *p);
        }
    }
}

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
static int add_row_json(struct rt_store *st, const struct audited *a, const char *prefix,
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

static void add_ref(struct rt_buf *b, const char *expr, const char *prefix)
{
    if (expr)
        add_expr(b, expr, prefix);
    else
        rt_buf_adds(b, "NULL");
}

/* The CREATE TRIGGER statement that logs operation op (0-2) on a's table. */
static int trigger_sql(struct rt_store *st, const struct audited *a, int op, struct rt_buf *b,
                       struct rt_error *err)
{
    const char *row = op == 2 ? "OLD." : "NEW.";
    int rc = 0;

    rt_buf_addf(b, "CREATE TRIGGER audit_%s_%s AFTER %s ON %s", a->table, ops[op],
                op == 0   ? "INSERT"
                : op == 1 ? "UPDATE"
                          : "DELETE",
                a->table);
    if (op == 1) { /* an update that changes nothing logged is no change */
        rt_buf_adds(b, " WHEN ");
        if ((rc = add_row_json(st, a, "OLD.", b, err)) < 0 ||
            (rt_buf_adds(b, " IS NOT "), rc = add_row_json(st, a, "NEW.", b, err)) < 0)
            return rc;
    }
    rt_buf_addf(b,
                " BEGIN INSERT INTO audit_log(tbl, op, record, ref1, ref2, before, after)"
                " VALUES ('%s', '%s', ",
                a->table, ops[op]);
    add_expr(b, a->record, row);
    rt_buf_adds(b, ", ");
    add_ref(b, a->ref1, row);
    rt_buf_adds(b, ", ");
    add_ref(b, a->ref2, row);
    rt_buf_adds(b, ", ");
    if (op == 0)
        rt_buf_adds(b, "NULL");
    else if ((rc = add_row_json(st, a, "OLD.", b, err)) < 0)
        return rc;
    rt_buf_adds(b, ", ");
    if (op == 2)
        rt_buf_adds(b, "NULL");
    else if ((rc = add_row_json(st, a, "NEW.", b, err)) < 0)
        return rc;
    rt_buf_adds(b, "); END");
    return 0;
}

/*
 * The SELECT that compares a's table with the log: one row for every record whose
 * current state (now, NULL when gone) differs from the "after" of the last sealed
 * entry about it (logged, NULL when none or deleted): record, ref1, ref2, logged,
 * now, the entry's id (NULL when none) and its op.
 */
static int replay_sql(struct rt_store *st, const struct audited *a, struct rt_buf *b,
                      struct rt_error *err)
{
    int rc;

    rt_buf_adds(b, "SELECT coalesce(c.record, l.record) AS record, c.ref1 AS ref1, c.ref2 AS ref2,"
                   " l.after AS logged, c.j AS now, l.id AS entry, l.op AS entry_op FROM (SELECT ");
    add_expr(b, a->record, "t.");
    rt_buf_adds(b, " AS record, ");
    add_ref(b, a->ref1, "t.");
    rt_buf_adds(b, " AS ref1, ");
    add_ref(b, a->ref2, "t.");
    rt_buf_adds(b, " AS ref2, ");
    if ((rc = add_row_json(st, a, "t.", b, err)) < 0)
        return rc;
    rt_buf_addf(b,
                " AS j FROM \"%s\" t) c FULL OUTER JOIN (SELECT e.record, e.after, e.id, e.op"
                " FROM audit_log e JOIN (SELECT max(id) AS m FROM audit_log"
                " WHERE tbl = '%s' AND hash IS NOT NULL GROUP BY record) x ON e.id = x.m) l"
                " ON l.record = c.record WHERE c.j IS NOT l.after ORDER BY 1",
                a->table, a->table);
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
static int trigger_state(struct rt_store *st, const struct audited *a, int op, struct rt_buf *name,
                         struct rt_buf *sql, char **now, struct rt_error *err)
{
    int rc;

    *now = NULL;
    rt_buf_reset(sql);
    rt_buf_reset(name);
    rt_buf_addf(name, "audit_%s_%s", a->table, ops[op]);
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
    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(audited); i++) {
        const struct audited *a = &audited[i];
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
            if ((rc = replay_sql(st, a, &ins, err)) == 0) {
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

/* Reading the log. */

static char *col_or_null(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : rt__col_strdup(s, i);
}

static int since_valid(const char *since)
{
    char day[11];
    size_t n = strcspn(since, "T ");

    if (n >= sizeof(day))
        return 0;
    memcpy(day, since, n);
    day[n] = '\0';
    return rt_date_check(day, NULL) == 0;
}

/* What a reader who may not see private records does not see of the log (private.h). */
#define HIDDEN RT__PRIVATE_HIDDEN("audit_log")

int rt_audit_log(struct rt_store *st, const struct rt_audit_filter *f, struct rt_audit_entry **out,
                 size_t *out_n, struct rt_error *err)
{
    if (rt__sqlite_only(st, "the audit log", err) < 0)
        return RT_ESTORE;
    static const char sql[] =
        "SELECT * FROM (SELECT id, at, actor, via, tbl, op, record, before, after, prev_hash,"
        " hash FROM audit_log WHERE (?1 IS NULL OR at >= ?1)"
        " AND (?2 IS NULL OR record = ?2 OR ref1 = ?2 OR ref2 = ?2)"
        " AND (?4 = 0 OR NOT " HIDDEN ") ORDER BY id DESC LIMIT ?3) ORDER BY id";
    struct rt_audit_entry *v = NULL;
    size_t n = 0, alloc = 0;
    sqlite3_stmt *s = NULL;
    int rc, have = 0;

    *out = NULL;
    *out_n = 0;
    if (f && f->since && !since_valid(f->since)) /* the message for the whole text */
        return rt__need_date(f->since, "since", err);
    if ((rc = table_exists(st, "audit_log", &have, err)) < 0)
        return rc;
    if (!have) {
        *out = rt_xcalloc(1, sizeof(**out));
        return 0;
    }
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "audit log");
    if (f && f->since)
        sqlite3_bind_text(s, 1, f->since, -1, SQLITE_TRANSIENT);
    if (f && f->record)
        sqlite3_bind_text(s, 2, f->record, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, f && f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int(s, 4, st->hide_private != 0); /* private.h: the reader's rule */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt_audit_entry *e;
        RT_ALLOC_GROW(v, n + 1, alloc);
        e = &v[n++];
        e->id = sqlite3_column_int64(s, 0);
        e->at = col_or_null(s, 1);
        e->actor = col_or_null(s, 2);
        e->via = col_or_null(s, 3);
        e->table = rt__col_strdup(s, 4);
        e->op = rt__col_strdup(s, 5);
        e->record = rt__col_strdup(s, 6);
        e->before = col_or_null(s, 7);
        e->after = col_or_null(s, 8);
        e->prev_hash = col_or_null(s, 9);
        e->hash = col_or_null(s, 10);
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "audit log");
        sqlite3_finalize(s);
        rt_audit_entries_free(v, n);
        return rc;
    }
    sqlite3_finalize(s);
    *out = v ? v : rt_xcalloc(1, sizeof(*v));
    *out_n = n;
    return 0;
}

void rt_audit_entries_free(struct rt_audit_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rt_free(v[i].at);
        rt_free(v[i].actor);
        rt_free(v[i].via);
        rt_free(v[i].table);
        rt_free(v[i].op);
        rt_free(v[i].record);
        rt_free(v[i].before);
        rt_free(v[i].after);
        rt_free(v[i].prev_hash);
        rt_free(v[i].hash);
    }
    rt_free(v);
}

static json_t *parse_or_null(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

/* The names of the fields whose values differ between two JSON objects. */
static json_t *changed_fields(json_t *before, json_t *after)
{
    json_t *out = json_array(), *v;
    const char *k;

    if (!json_is_object(before) || !json_is_object(after))
        return out;
    json_object_foreach(after, k, v)
    {
        if (!json_equal(json_object_get(before, k), v))
            json_array_append_new(out, json_string(k));
    }
    json_object_foreach(before, k, v)
    {
        if (!json_object_get(after, k))
            json_array_append_new(out, json_string(k));
    }
    return out;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *rt_audit_entries_json(const struct rt_audit_entry *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *before = parse_or_null(v[i].before), *after = parse_or_null(v[i].after);
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "at", str_or_null(v[i].at));
        json_object_set_new(o, "actor", str_or_null(v[i].actor));
        json_object_set_new(o, "via", str_or_null(v[i].via));
        json_object_set_new(o, "table", json_string(v[i].table));
        json_object_set_new(o, "op", json_string(v[i].op));
        json_object_set_new(o, "record", json_string(v[i].record));
        json_object_set_new(o, "changed", changed_fields(before, after));
        json_object_set_new(o, "before", before);
        json_object_set_new(o, "after", after);
        json_object_set_new(o, "hash", str_or_null(v[i].hash));
        json_array_append_new(a, o);
    }
    return a;
}

/* A link as the command line names it, "FROM RELATION TO" (FROM and TO in any form a
 * record takes, TO also a bare id as `link` takes it), into the log's "step:3 answers
 * recommendation:14"; 1 when ref is no link (a round of a dialogue whose name has spaces
 * is one record). */
static int link_ref(struct rt_store *st, const char *ref, char out[128], struct rt_error *err)
{
    const char *hash = strrchr(ref, '#'), *to, *rel;
    char from[128], relation[32], a[128], b[128], bare[64], whole[300];
    int rc;

    if ((hash && rt__digits_only(hash + 1)) || !(to = strrchr(ref, ' ')))
        return 1;
    for (rel = to; rel > ref && rel[-1] != ' '; rel--)
        ;
    if (rel == ref || to - rel == 0 || (size_t)(to - rel) >= sizeof(relation) ||
        (size_t)(rel - 1 - ref) >= sizeof(from) || !to[1])
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "'%s' is not a link such as 'step:3 answers ask:2'", ref);
    snprintf(relation, sizeof(relation), "%.*s", (int)(to - rel), rel);
    snprintf(from, sizeof(from), "%.*s", (int)(rel - 1 - ref), ref);
    to++;
    if (rt__digits_only(to)) { /* a bare id, as `link` takes it */
        snprintf(bare, sizeof(bare), "%s:%.40s",
                 !strcmp(relation, "responds-to")   ? "step"
                 : !strcmp(relation, "welcomed-in") ? "round"
                                                    : "rec",
                 to);
        to = bare;
    }
    if ((rc = rt_audit_ref(st, from, a, err)) < 0 || (rc = rt_audit_ref(st, to, b, err)) < 0)
        return rc;
    snprintf(whole, sizeof(whole), "%s %s %s", a, relation, b);
    if (strlen(whole) >= 128)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record", "'%s' is too long", ref);
    memcpy(out, whole, strlen(whole) + 1);
    return 0;
}

int rt_audit_ref(struct rt_store *st, const char *ref, char out[128], struct rt_error *err)
{
    if (rt__sqlite_only(st, "the audit log", err) < 0)
        return RT_ESTORE;
    static const struct {
        const char *word, *kind;
    } kinds[] = {
        {"step", "step"},
        {"ask", "ask"},
        {"topic", "topic"},
        {"participant", "participant"},
        {"round", "round"},
        {"dialogue", "dialogue"},
        {"commitment", "commitment"},
        {"benchmark", "benchmark"},
        {"assessment", "assessment"},
        {"rec", "recommendation"},
        {"recommendation", "recommendation"},
        {"source", "source"},
        {"account", "account"},
        {"token", "token"},
        {"person", "person"},
        {"case", "case"},
    };
    const char *colon = ref ? strchr(ref, ':') : NULL;
    int64_t id;
    int rc;
    const char *hash = ref ? strrchr(ref, '#') : NULL;

    if (ref && (rc = link_ref(st, ref, out, err)) <= 0)
        return rc;
    if (hash &&
        rt__digits_only(hash + 1)) { /* DIALOGUE#N or round:DIALOGUE#N, whatever the name holds */
        if ((rc = rt_round_find(st, strncmp(ref, "round:", 6) ? ref : ref + 6, &id, err)) < 0)
            return rc;
        snprintf(out, 128, "round:%lld", (long long)id);
        return 0;
    }
    if (colon && rt__digits_only(colon + 1) && strlen(colon + 1) < 19) {
        for (size_t i = 0; i < RT_ARRAY_SIZE(kinds); i++) {
            if (strlen(kinds[i].word) == (size_t)(colon - ref) &&
                !strncmp(ref, kinds[i].word, (size_t)(colon - ref))) {
                if (!strcmp(kinds[i].kind, "round")) { /* "round:D#2" goes above */
                    if ((rc = rt_round_find(st, colon + 1, &id, err)) < 0)
                        return rc;
                    snprintf(out, 128, "round:%lld", (long long)id);
                } else {
                    snprintf(out, 128, "%s:%s", kinds[i].kind, colon + 1);
                }
                return 0;
            }
        }
    }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                        "'%s' is not a record such as step:3, ask:2, rec:14, DIALOGUE#2 or a "
                        "link (step:3 answers ask:2)",
                        ref ? ref : "");
}

int rt_audit_head(struct rt_store *st, int64_t *out_id, char out_hash[RT_AUDIT_HASH_HEX],
                  struct rt_error *err)
{
    if (rt__sqlite_only(st, "the audit log", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    int rc = 0, have = 0;

    *out_id = 0;
    out_hash[0] = '\0';
    if ((rc = table_exists(st, "audit_log", &have, err)) < 0 || !have)
        return rc;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, hash FROM audit_log WHERE hash IS NOT NULL"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "audit head");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(s, 0);
        snprintf(out_hash, RT_AUDIT_HASH_HEX, "%s", (const char *)sqlite3_column_text(s, 1));
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "audit head");
    }
    sqlite3_finalize(s);
    return rc;
}

/* The check. */

/* One sealed entry as the chain check needs it. */
struct link {
    int64_t id;
    char prev[RT_AUDIT_HASH_HEX]; /* "" when NULL */
    char hash[RT_AUDIT_HASH_HEX];
    int intact; /* its hash is that of its contents */
    int moved;  /* named already as reordered or inserted */
};

/* A sealed entry's position, sorted by hash, to find what an entry follows. */
struct by_hash {
    const char *hash;
    size_t pos;
};

static int by_hash_cmp(const void *a, const void *b)
{
    return strcmp(((const struct by_hash *)a)->hash, ((const struct by_hash *)b)->hash);
}

static RT_PRINTF(5, 6) void finding(struct rt_audit_report *r, const char *kind, int64_t entry,
                                    const char *record, const char *fmt, ...)
{
    struct rt_audit_finding *f;
    struct rt_buf msg = RT_BUF_INIT;
    va_list ap;

    r->findings = rt_xrealloc(r->findings, (r->n_findings + 1) * sizeof(*r->findings));
    f = &r->findings[r->n_findings++];
    va_start(ap, fmt);
    rt_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    f->kind = kind;
    f->entry = entry;
    f->record = record ? rt_xstrdup(record) : NULL;
    f->message = rt_buf_detach(&msg, NULL);
}

static long find_pos(const struct by_hash *idx, size_t n, const char *hash)
{
    struct by_hash key = {hash, 0};
    const struct by_hash *p;

    if (!*hash)
        return -1;
    p = bsearch(&key, idx, n, sizeof(*idx), by_hash_cmp);
    return p ? (long)p->pos : -1;
}

/* Reads every entry, recomputing sealed ones' hashes; unsealed ones are findings. */
static int load_chain(struct rt_store *st, struct rt_audit_report *r, struct link **out,
                      size_t *out_n, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    struct link *v = NULL;
    size_t n = 0, alloc = 0;
    int rc;

    *out = NULL;
    *out_n = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT id, " HASHED_COLUMNS ", hash FROM audit_log ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "audit verify");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt__audit_bytes f[RT__AUDIT_NFIELDS];
        const char *stored = (const char *)sqlite3_column_text(s, 1 + RT__AUDIT_NFIELDS);
        const char *prev = (const char *)sqlite3_column_text(s, 1);
        int64_t id = sqlite3_column_int64(s, 0);
        char hex[65];

        r->entries++;
        if (!stored) {
            r->unsealed++;
            finding(r, "unsealed", id, (const char *)sqlite3_column_text(s, 7),
                    "entry %lld (%s %s) has no hash: it was written behind the program's back",
                    (long long)id, (const char *)sqlite3_column_text(s, 6),
                    (const char *)sqlite3_column_text(s, 7));
            continue;
        }
        for (int i = 0; i < RT__AUDIT_NFIELDS; i++)
            f[i] = bytes_of(sqlite3_column_value(s, 1 + i));
        rt__audit_hash(f, hex);
        RT_ALLOC_GROW(v, n + 1, alloc);
        memset(&v[n], 0, sizeof(v[n]));
        v[n].id = id;
        snprintf(v[n].prev, sizeof(v[n].prev), "%s", prev ? prev : "");
        snprintf(v[n].hash, sizeof(v[n].hash), "%s", stored);
        v[n].intact = !strcmp(hex, stored);
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "audit verify");
        rt_free(v);
    } else {
        rc = 0;
        *out = v;
        *out_n = n;
    }
    sqlite3_finalize(s);
    return rc;
}

/* The chain: each sealed entry follows the one before it. */
static void check_chain(struct rt_audit_report *r, struct link *v, size_t n, const char *head)
{
    struct by_hash *idx = rt_xcalloc(n ? n : 1, sizeof(*idx));

    for (size_t i = 0; i < n; i++)
        idx[i] = (struct by_hash){v[i].hash, i};
    qsort(idx, n, sizeof(*idx), by_hash_cmp);
    /* The same hash twice: a copy of an entry slipped in (the later one). */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(idx[i - 1].hash, idx[i].hash))
            continue;
        size_t a = idx[i - 1].pos < idx[i].pos ? idx[i - 1].pos : idx[i].pos;
        size_t b = idx[i - 1].pos < idx[i].pos ? idx[i].pos : idx[i - 1].pos;
        if (!v[b].moved)
            finding(r, "inserted", v[b].id, NULL,
                    "entry %lld is a copy of entry %lld: it was inserted", (long long)v[b].id,
                    (long long)v[a].id);
        v[b].moved = 1;
    }
    for (size_t k = 0; k < n; k++) {
        const char *want = k ? v[k - 1].hash : "";
        long j;

        if (!v[k].intact)
            finding(r, "edited", v[k].id, NULL,
                    "entry %lld was changed after it was written: its hash does not match it",
                    (long long)v[k].id);
        if (!strcmp(v[k].prev, want) || v[k].moved)
            continue;
        j = find_pos(idx, n, v[k].prev);
        if (j > (long)k) {
            if (!v[k].moved && !v[j].moved)
                finding(r, "reordered", v[k].id, NULL,
                        "entries %lld and %lld are out of order: entry %lld follows entry %lld,"
                        " which comes after it",
                        (long long)v[k].id, (long long)v[j].id, (long long)v[k].id,
                        (long long)v[j].id);
            v[k].moved = v[j].moved = 1;
        } else if (k + 1 < n && !strcmp(v[k + 1].prev, want)) {
            /* The next entry follows the one before this one: this one was slipped in. */
            finding(r, "inserted", v[k].id, NULL,
                    "entry %lld is not in the chain: it was inserted (entry %lld follows entry"
                    " %lld)",
                    (long long)v[k].id, (long long)v[k + 1].id, k ? (long long)v[k - 1].id : 0LL);
            v[k].moved = 1;
        } else if (j >= 0) {
            for (size_t i = (size_t)j + 1; i < k; i++) {
                if (!v[i].moved)
                    finding(r, "inserted", v[i].id, NULL,
                            "entry %lld is not in the chain: it was inserted (entry %lld"
                            " follows entry %lld)",
                            (long long)v[i].id, (long long)v[k].id, (long long)v[j].id);
                v[i].moved = 1;
            }
        } else if (!*v[k].prev) {
            finding(r, "inserted", v[k].id, NULL,
                    "entry %lld claims to be the first of the log, after entry %lld",
                    (long long)v[k].id, k ? (long long)v[k - 1].id : 0LL);
        } else {
            int64_t from = k ? v[k - 1].id + 1 : 1;
            if (v[k].moved)
                continue;
            if (from + 1 < v[k].id)
                finding(r, "removed", from, NULL, "entries %lld to %lld are missing: removed",
                        (long long)from, (long long)(v[k].id - 1));
            else if (from < v[k].id)
                finding(r, "removed", from, NULL, "entry %lld is missing: removed",
                        (long long)from);
            else
                finding(r, "removed", v[k].id, NULL,
                        "entry %lld follows an entry that is not in the log: one was removed"
                        " before it (and the numbers changed), or it was inserted",
                        (long long)v[k].id);
        }
    }
    if (head) {
        long h = find_pos(idx, n, head);
        if (h < 0)
            finding(r, "head", 0, NULL,
                    "the log no longer holds the head %.16s…: entries were cut off its end"
                    " (or it was rewritten)",
                    head);
    }
    rt_free(idx);
}

/* Replay: every ledger row is as the last sealed entry about it left it. */
static int check_replay(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0, have;

    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(audited); i++) {
        const struct audited *a = &audited[i];
        sqlite3_stmt *s = NULL;
        struct rt_buf count = RT_BUF_INIT;

        if ((rc = table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        rt_buf_addf(&count, "SELECT count(*) FROM \"%s\"", a->table);
        if (sqlite3_prepare_v2(st->db, count.buf, -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            r->records += sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        rt_buf_release(&count);
        rt_buf_reset(&sql);
        if ((rc = replay_sql(st, a, &sql, err)) < 0)
            break;
        if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK) {
            rc = rt__db_error(st, err, "audit replay");
            break;
        }
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *rec = (const char *)sqlite3_column_text(s, 0);
            const char *logged = (const char *)sqlite3_column_text(s, 3);
            const char *now = (const char *)sqlite3_column_text(s, 4);
            int64_t entry = sqlite3_column_int64(s, 5);

            if (!now) {
                finding(r, "unexplained", entry, rec,
                        "%s is gone, but the log has no entry for its removal (last: entry %lld)",
                        rec, (long long)entry);
            } else if (sqlite3_column_type(s, 5) == SQLITE_NULL) {
                finding(r, "unexplained", 0, rec,
                        "%s has no entry in the log: it was written behind the program's back",
                        rec);
            } else if (!logged) {
                finding(r, "unexplained", entry, rec,
                        "%s is there, but the log says entry %lld removed it", rec,
                        (long long)entry);
            } else {
                json_t *b = json_loads(logged, 0, NULL), *c = json_loads(now, 0, NULL);
                json_t *diff = changed_fields(b, c);
                struct rt_buf names = RT_BUF_INIT;
                size_t k;
                json_t *v;
                json_array_foreach(diff, k, v)
                    rt_buf_addf(&names, "%s%s", k ? ", " : "", json_string_value(v));
                finding(r, "unexplained", entry, rec,
                        "%s is not as the log last left it (entry %lld): %s changed behind the"
                        " program's back",
                        rec, (long long)entry, names.len ? names.buf : "its contents");
                rt_buf_release(&names);
                json_decref(diff);
                json_decref(b);
                json_decref(c);
            }
        }
        rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "audit replay");
        sqlite3_finalize(s);
    }
    rt_buf_release(&sql);
    return rc;
}

/* The triggers that log writes, and the log's guards, are all there, unchanged. */
static int check_triggers(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err)
{
    static const char *const guards[] = {"audit_log_no_update", "audit_log_no_delete"};
    struct rt_buf sql = RT_BUF_INIT, name = RT_BUF_INIT;
    int rc = 0, have;

    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(audited); i++) {
        const struct audited *a = &audited[i];
        if ((rc = table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        for (int op = 0; op < 3; op++) {
            char *now;
            if ((rc = trigger_state(st, a, op, &name, &sql, &now, err)) < 0)
                break;
            if (!now || strcmp(now, sql.buf))
                finding(r, "trigger", 0, NULL,
                        "the trigger %s is %s: %ss of table %s are not logged as they should be",
                        name.buf, now ? "changed" : "missing", ops[op], a->table);
            rt_free(now);
        }
    }
    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(guards); i++) {
        char *now = stored_sql(st, guards[i]);
        if (!now)
            finding(r, "trigger", 0, NULL,
                    "the trigger %s is missing: the log is not protected from changes", guards[i]);
        rt_free(now);
    }
    rt_buf_release(&sql);
    rt_buf_release(&name);
    return rc;
}

static int hex64(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
            return 0;
    return n == 64;
}

int rt_audit_verify(struct rt_store *st, const char *head, struct rt_audit_report *out,
                    struct rt_error *err)
{
    if (rt__sqlite_only(st, "the audit log", err) < 0)
        return RT_ESTORE;
    struct link *chain = NULL;
    size_t n = 0;
    int rc, have = 0, own = 0;

    if (head && !hex64(head))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "head",
                            "'%s' is not a head (64 hex digits, as 'audit head' prints)", head);
    if (sqlite3_get_autocommit(st->db)) {
        if ((rc = rt_store_read_begin(st, err)) < 0)
            return rc;
        own = 1;
    }
    if ((rc = table_exists(st, "audit_log", &have, err)) < 0)
        goto out;
    if (!have) {
        finding(out, "trigger", 0, NULL,
                "the database has no audit log (schema %d; it comes with schema 11)",
                rt_store_schema_version(st));
        goto out;
    }
    if ((rc = load_chain(st, out, &chain, &n, err)) < 0)
        goto out;
    check_chain(out, chain, n, head);
    if (n) {
        out->head_id = chain[n - 1].id;
        snprintf(out->head, sizeof(out->head), "%s", chain[n - 1].hash);
    }
    if ((rc = check_replay(st, out, err)) < 0)
        goto out;
    rc = check_triggers(st, out, err);
out:
    if (own)
        rt_store_read_end(st);
    rt_free(chain);
    return rc;
}

void rt_audit_report_release(struct rt_audit_report *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        rt_free(r->findings[i].record);
        rt_free(r->findings[i].message);
    }
    rt_free(r->findings);
    memset(r, 0, sizeof(*r));
}
