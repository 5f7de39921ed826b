/* Tests of the audit log in the store: sealing, history, snapshots, the check. */
#include <criterion/criterion.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>

#include "auth/audit_int.h"
#include "lib/test_store.h"
#include "lib/testutil.h"
#include "store/sql.h"
#include "store/sqlite/sqlite_int.h"

static struct rt_store *st;
static char path[256];
static int64_t dlg, round1, step1;

static void ok(int rc, struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

static void build(void)
{
    struct rt_error e = RT_ERROR_INIT;
    const char *parties[] = {"United States", "Belarus"};
    struct rt_round_in ri = {0};
    struct rt_step_in si = {0};

    snprintf(path, sizeof(path), "%s", test_store("a"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    rt_store_set_actor(st, "cli:alice", "test");
    ok(rt_dialogue_add(st, "US-Belarus WG", NULL, parties, 2, &dlg, &e), &e);
    ri.dialogue_id = dlg;
    ri.date = "2015-12-16";
    ok(rt_round_add(st, &ri, &round1, &e), &e);
    si.actor = "Belarus";
    si.date = "2015-08";
    si.kind = "prisoner-release";
    si.quantity = 6;
    si.text = "Six political prisoners released";
    ok(rt_step_add(st, &si, &step1, &e), &e);
    rt_error_release(&e);
}

static void teardown(void)
{
    rt_store_close(st);
    st = NULL;
}

/* The integer the query gives, on either store (-1 for no row or NULL). */
static int64_t scalar(const char *sql)
{
    struct rt_error e = RT_ERROR_INIT;
    int64_t v = -1;
    int rc = rt__sql_scalar(st, &e, &v, NULL, sql, "");

    cr_assert(rc == 0 || rc == RT_ENOTFOUND, "%s: %s", sql, e.msg.buf);
    rt_error_release(&e);
    return rc == 0 ? v : -1;
}

/* A statement on the store's own connection (SQLite: several at once). */
static void exec(const char *sql)
{
    struct rt_error e = RT_ERROR_INIT;

    if (test_is_pg()) {
        ok(rt__sql_exec(st, &e, NULL, sql, ""), &e);
        return;
    }
    cr_assert_eq(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(st->db));
}

static size_t findings(const char *head)
{
    struct rt_audit_report r = {0};
    struct rt_error e = RT_ERROR_INIT;
    size_t n;

    ok(rt_audit_verify(st, head, &r, &e), &e);
    for (size_t i = 0; i < r.n_findings; i++)
        cr_log_info("%s: %s", r.findings[i].kind, r.findings[i].message);
    n = r.n_findings;
    rt_audit_report_release(&r);
    rt_error_release(&e);
    return n;
}

Test(audit_hash, known_answer)
{
    /* Computed independently with Python's hashlib.blake2b(digest_size=32). */
    struct rt__audit_bytes f[RT__AUDIT_NFIELDS] = {{NULL, 0},        {"2026-12-05T07:00:00Z", 20},
                                                   {"cli:alice", 9}, {"step add", 8},
                                                   {"step", 4},      {"insert", 6},
                                                   {"step:1", 6},    {NULL, 0},
                                                   {NULL, 0},        {NULL, 0},
                                                   {"{\"id\":1}", 8}};
    char hex[65];

    rt__audit_hash(f, hex);
    cr_assert_str_eq(hex, "e5d5f848dae612423259e7aace015a13ae17b673d10f920e2231cc630bd457ca");
    f[RT__AUDIT_VIA].ptr = NULL; /* NULL and "" differ, and so do fields moved about */
    f[RT__AUDIT_VIA].len = 0;
    rt__audit_hash(f, hex);
    cr_assert_str_neq(hex, "e5d5f848dae612423259e7aace015a13ae17b673d10f920e2231cc630bd457ca");
}

TestSuite(audit, .init = build, .fini = teardown);

Test(audit, writes_are_sealed_with_the_actor)
{
    cr_assert_gt(scalar("SELECT count(*) FROM audit_log"), 3);
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE hash IS NULL"), 0);
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE actor IS DISTINCT FROM 'cli:alice'"
                        " OR via IS DISTINCT FROM 'test'"),
                 0);
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id - 1"
                        " WHERE a.prev_hash IS DISTINCT FROM b.hash"),
                 0);
    cr_assert_eq(findings(NULL), 0);
}

Test(audit, an_update_shows_in_the_history_with_what_changed)
{
    struct rt_audit_filter f = {0};
    struct rt_audit_entry *v = NULL;
    struct rt_error e = RT_ERROR_INIT;
    char ref[128];
    size_t n = 0;
    json_t *doc;

    /* An edit as the library will make it: on the store's own connection. */
    rt_store_set_actor(st, "web:bob", "PUT /api/v1/steps/1");
    exec("UPDATE step SET text = 'Six released' WHERE id = 1");
    exec("UPDATE step SET text = text WHERE id = 1"); /* no change: no entry */
    ok(rt_audit_ref(st, "step:1", ref, &e), &e);
    f.record = ref;
    ok(rt_audit_log(st, &f, &v, &n, &e), &e);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(v[0].op, "insert");
    cr_assert_str_eq(v[1].op, "update");
    cr_assert_str_eq(v[1].actor, "web:bob");
    cr_assert_str_eq(v[1].via, "PUT /api/v1/steps/1");
    doc = rt_audit_entries_json(v, n);
    cr_assert_str_eq(
        json_string_value(json_array_get(json_object_get(json_array_get(doc, 1), "changed"), 0)),
        "text");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(doc, 1), "before"), "text")),
                     "Six political prisoners released");
    json_decref(doc);
    rt_audit_entries_free(v, n);
    cr_assert_eq(findings(NULL), 0);
    rt_error_release(&e);
}

Test(audit, a_round_by_its_dialogue_number_and_what_belongs_to_it)
{
    struct rt_audit_filter f = {0};
    struct rt_audit_entry *v = NULL;
    struct rt_error e = RT_ERROR_INIT;
    char ref[128];
    size_t n = 0;
    int64_t id;

    ok(rt_topic_add(st, round1, "Elections", NULL, &id, &e), &e);
    ok(rt_link_add(st, "step:1", "welcomed-in", "round:1", &e), &e); /* outside a transaction */
    ok(rt_audit_ref(st, "US-Belarus WG#1", ref, &e), &e);
    cr_assert_str_eq(ref, "round:1");
    f.record = ref;
    ok(rt_audit_log(st, &f, &v, &n, &e), &e);
    cr_assert_eq(n, 3, "the round, its topic and the link to it: %zu", n);
    cr_assert_str_eq(v[2].record, "step:1 welcomed-in round:1");
    cr_assert_not_null(v[2].hash);
    rt_audit_entries_free(v, n);
    ok(rt_audit_ref(st, "rec:14", ref, &e), &e);
    cr_assert_str_eq(ref, "recommendation:14");
    cr_assert_eq(rt_audit_ref(st, "step:x", ref, &e), RT_EINVAL);
    rt_error_release(&e);
}

Test(audit, a_rollback_leaves_no_entry)
{
    struct rt_error e = RT_ERROR_INIT;
    int64_t before = scalar("SELECT count(*) FROM audit_log"), id;

    ok(rt_store_begin(st, &e), &e);
    ok(rt_topic_add(st, round1, "Rolled back", NULL, &id, &e), &e);
    rt_store_rollback(st);
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log"), before);
    ok(rt_topic_add(st, round1, "Kept", NULL, &id, &e), &e);
    cr_assert_eq(findings(NULL), 0, "ids after a rollback chain on");
    rt_error_release(&e);
}

Test(audit, the_log_starts_with_a_snapshot_of_what_is_there)
{
    struct rt_error e = RT_ERROR_INIT;

    test_on_sqlite(
        "a database as SQLite schema 10 left it (its triggers, sqlite_sequence, user_version)");

    /* The database as schema 10 left it: ledger rows, no log, no audit triggers. */
    exec("UPDATE step SET text = 'Changed before the log' WHERE id = 1");
    exec("DROP TABLE audit_log; DELETE FROM sqlite_sequence WHERE name = 'audit_log'");
    for (;;) {
        sqlite3_stmt *s = NULL;
        char drop[128] = "";
        cr_assert_eq(sqlite3_prepare_v2(st->db,
                                        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name LIKE 'audit%'",
                                        -1, &s, NULL),
                     SQLITE_OK);
        if (sqlite3_step(s) == SQLITE_ROW)
            snprintf(drop, sizeof(drop), "DROP TRIGGER %s", sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        if (!drop[0])
            break;
        exec(drop);
    }
    /* Nor the columns of later migrations: schema 12's withdrawals and corrections. */
    {
        static const char *const tables[] = {"dialogue", "round", "participant", "topic",    "ask",
                                             "step",     "link",  "commitment",  "benchmark"};
        char sql[160];
        for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
            snprintf(sql, sizeof(sql),
                     "ALTER TABLE %s DROP COLUMN withdrawn; ALTER TABLE %s DROP COLUMN"
                     " withdrawn_on",
                     tables[i], tables[i]);
            exec(sql);
        }
        exec("DROP INDEX assessment_replaces; ALTER TABLE assessment DROP COLUMN replaces");
    }
    rt_store_close(st);
    {
        sqlite3 *db;
        cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 10", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    ok(rt_store_open(&st, path, 0, &e), &e);
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE op = 'snapshot'"
                        " AND via = 'schema 11'"),
                 scalar("SELECT (SELECT count(*) FROM dialogue) + (SELECT count(*) FROM"
                        " dialogue_party) + (SELECT count(*) FROM round) + (SELECT count(*)"
                        " FROM step)"));
    /* Schema 12 adds columns: the rows are logged again with them. */
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE via IS NOT 'schema 11'"
                        " AND via IS NOT 'schema 12'"),
                 0);
    cr_assert_eq(findings(NULL), 0);
    rt_error_release(&e);
}

Test(audit, a_column_added_by_a_later_migration_is_logged)
{
    struct rt_error e = RT_ERROR_INIT;

    test_on_sqlite("the snapshot after a SQLite migration (rt__audit_migrated)");

    exec("BEGIN; ALTER TABLE step ADD COLUMN note TEXT DEFAULT 'none'");
    ok(rt__audit_migrated(st, 12, &e), &e);
    exec("COMMIT");
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE op = 'snapshot'"
                        " AND json_extract(after, '$.note') = 'none'"),
                 1);
    exec("UPDATE step SET note = 'checked' WHERE id = 1");
    cr_assert_eq(scalar("SELECT count(*) FROM audit_log WHERE op = 'update'"
                        " AND json_extract(after, '$.note') = 'checked'"),
                 1);
    cr_assert_eq(findings(NULL), 0);
    rt_error_release(&e);
}

Test(audit, verify_finds_a_changed_row_and_a_cut_head_read_only)
{
    struct rt_error e = RT_ERROR_INIT;
    char head[RT_AUDIT_HASH_HEX];
    int64_t id;

    test_on_sqlite("SQLite's trigger names and a read-only file");

    ok(rt_audit_head(st, &id, head, &e), &e);
    cr_assert_eq(id, scalar("SELECT max(id) FROM audit_log"));
    exec("DROP TRIGGER audit_step_update; UPDATE step SET quantity = 7 WHERE id = 1");
    exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = (SELECT max(id)"
         " FROM audit_log)");
    rt_store_close(st);
    ok(rt_store_open(&st, path, RT_STORE_READONLY, &e), &e);
    /* The step the cut entry added (and then changed) has no entry now, and two
     * triggers are missing; with the head kept elsewhere, the cut is found too. */
    cr_assert_eq(findings(NULL), 3);
    cr_assert_eq(findings(head), 4);
    cr_assert_eq(rt_audit_verify(st, "abc", &(struct rt_audit_report){0}, &e), RT_EINVAL);
    rt_error_release(&e);
}
