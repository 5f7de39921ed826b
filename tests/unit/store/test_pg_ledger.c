/*
 * The ledger's writes on a PostgreSQL store through the library (src/store/ledger_write.c
 * over src/store/sql.h and pg/sql.c), where the command line does not reach: writes
 * outside a transaction (each its own), a group all or nothing outside one and inside
 * one, a broken constraint as RT_EINVAL, finds by a name in another case and by a
 * number too big for an id, a theme noted twice. tests/cli/t9170-pg-ledger-writes.sh
 * runs it on its cluster; alone it skips.
 */
#include <rightstrack/ledger.h>

#include "store/sql.h"
#include "test_pg_common.h"

static struct rt_store *open_store(const char *db)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char url[1024];

    snprintf(url, sizeof(url), "%s dbname=%s", pg_base(), db);
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    return st;
}

Test(pg_ledger, writes_outside_a_transaction_and_groups_all_or_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_ledger");
    struct rt_store *st = open_store("t_ledger");
    const char *const parties[] = {"EU", "OSCE"}, *const refused[] = {"EU", "UN"};
    int64_t id = 0, round = 0, topic = 0, dialogue = 0, ordinal = 0;

    /* A group outside a transaction is one of its own. */
    pg_ok(rt_dialogue_add(st, "First", NULL, parties, 2, &id, &e), &e);
    cr_assert_eq(id, 1);
    cr_assert_str_eq(pg_value(pg, "n1", "SELECT count(*) FROM dialogue_party"), "2");

    /* Its second statement fails: nothing of it stays, outside a transaction ... */
    pg_ok(rt__pg_run(pg,
                     "CREATE FUNCTION no_un() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                     " RAISE EXCEPTION 'no UN here'; END $$;"
                     " CREATE TRIGGER no_un BEFORE INSERT ON dialogue_party FOR EACH ROW"
                     " WHEN (NEW.party = 'UN') EXECUTE FUNCTION no_un()",
                     &e),
          &e);
    cr_assert_lt(rt_dialogue_add(st, "Second", NULL, refused, 2, &id, &e), 0);
    cr_assert(strstr(e.msg.buf, "no UN here"), "%s", e.msg.buf);
    cr_assert_str_eq(pg_value(pg, "n2", "SELECT count(*) FROM dialogue"), "1");

    /* ... and inside one, which goes on after it (back to the savepoint). */
    pg_ok(rt_store_begin(st, &e), &e);
    cr_assert_lt(rt_dialogue_add(st, "Third", NULL, refused, 2, &id, &e), 0);
    pg_ok(rt_dialogue_add(st, "Fourth", NULL, parties, 2, &id, &e), &e);
    cr_assert_eq(id, 2, "the id the failed group took is taken again, as SQLite does");
    pg_ok(rt_store_commit(st, &e), &e);
    cr_assert_str_eq(pg_value(pg, "n3", "SELECT string_agg(name, ',' ORDER BY id) FROM dialogue"),
                     "First,Fourth");

    /* A single write outside a transaction; where a round sits. */
    pg_ok(rt_round_add(st, &(struct rt_round_in){1, 0, "2016-05", NULL, NULL, NULL}, &round, &e),
          &e);
    pg_ok(rt_round_place(st, round, &dialogue, &ordinal, &e), &e);
    cr_assert(dialogue == 1 && ordinal == 1);
    cr_assert_eq(rt_round_place(st, 99, &dialogue, &ordinal, &e), RT_ENOTFOUND);

    /* Finds: a name in any case of its ASCII letters; a number too big is no id. */
    pg_ok(rt_dialogue_find(st, "fIRST", &id, &e), &e);
    cr_assert_eq(id, 1);
    cr_assert_eq(rt_dialogue_find(st, "99999999999999999999", &id, &e), RT_ENOTFOUND);
    cr_assert_eq(rt_round_find(st, "First#99999999999999999999", &id, &e), RT_ENOTFOUND);
    pg_ok(rt_round_find(st, "first#1", &id, &e), &e);
    cr_assert_eq(id, round);

    /* A theme noted twice is one row (ON CONFLICT DO NOTHING), an unknown area refused. */
    pg_ok(
        rt__pg_run(pg, "INSERT INTO theme_area(code, label, pos) VALUES ('elections', 'E', 1)", &e),
        &e);
    pg_ok(rt_topic_add(st, round, "A topic", NULL, &topic, &e), &e);
    pg_ok(rt_item_theme_add(st, "topic:1", "elections", NULL, &e), &e);
    pg_ok(rt_item_theme_add(st, "topic:1", "ELECTIONS", "readout", &e), &e);
    cr_assert_str_eq(
        pg_value(pg, "n4", "SELECT count(*) || origin FROM ledger_theme GROUP BY origin"),
        "1person");
    cr_assert_eq(rt_item_theme_add(st, "topic:1", "nowhere", NULL, &e), RT_EINVAL);

    /* A broken constraint is RT_EINVAL with PostgreSQL's message, naming no field. */
    cr_assert_eq(rt__sql_exec(st, &e, NULL, "INSERT INTO dialogue(id, name) VALUES (?1, ?2)", "it",
                              (int64_t)1, "Again"),
                 RT_EINVAL);
    cr_assert(strstr(e.msg.buf, "23505"), "%s", e.msg.buf);
    cr_assert_null(e.field);

    rt_error_release(&e);
    rt_store_close(st);
    rt__pg_close(pg);
}

/* The number a statement prepared once on st's connection gives now. */
static const char *count_now(struct rt_store *st, const char *name, const char *sql)
{
    return pg_value(rt__pg_store_conn(st), name, sql);
}

/*
 * Reading as the public (src/store/pg/private.c): statements prepared before a change of
 * reader read what the new reader may see (the views, then the tables again), a reader
 * changed inside a read that is rolled back stays changed, the marks are written once
 * for both stores, a dropped connection's new session reads for the same reader, and a
 * write through a store reading for the public is refused.
 */
Test(pg_ledger, reading_as_the_public)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_reader");
    struct rt_store *st = open_store("t_reader");
    const char *const parties[] = {"EU", "OSCE"};
    const char *steps = "SELECT count(*) FROM participant", *srcs = "SELECT count(*) FROM source";
    int64_t id = 0, round = 0, p1 = 0, p2 = 0;
    int on = -1;
    char sql[128];

    pg_ok(rt_dialogue_add(st, "D", NULL, parties, 2, &id, &e), &e);
    pg_ok(rt_round_add(st, &(struct rt_round_in){id, 0, "2016-05", NULL, NULL, NULL}, &round, &e),
          &e);
    pg_ok(rt_participant_add(st, round, "Open", NULL, "EU", NULL, &p1, &e), &e);
    pg_ok(rt_participant_add(st, round, "Secret", NULL, "EU", NULL, &p2, &e), &e);
    pg_ok(rt__pg_run(pg,
                     "INSERT INTO source(kind, path, sha256) VALUES ('csv', 'a.csv', 'a'),"
                     " ('csv', 'b.csv', 'b')",
                     &e),
          &e);
    snprintf(sql, sizeof(sql), "participant:%lld", (long long)p2);
    pg_ok(rt_private_set(st, sql, 1, &e), &e);
    pg_ok(rt_private_set(st, "source:2", 1, &e), &e);
    pg_ok(rt_private_set(st, "source:2", 1, &e), &e); /* twice is once */
    pg_ok(rt_private_get(st, sql, &on, &e), &e);
    cr_assert_eq(on, 1);
    cr_assert_eq(rt_private_get(st, "participant:99", &on, &e), RT_ENOTFOUND);
    cr_assert_eq(rt_private_set(st, "dialogue:1", 1, &e), RT_EINVAL);
    cr_assert_str_eq(pg_value(pg, "marks", "SELECT count(*) FROM private_record"), "2");

    /* Prepared while everything is read. */
    cr_assert_str_eq(count_now(st, "t_parts", steps), "2");
    cr_assert_str_eq(count_now(st, "t_srcs", srcs), "2");
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    cr_assert_eq(rt_store_reader(st), RT_READER_PUBLIC);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "1");
    cr_assert_str_eq(count_now(st, "t_srcs", srcs), "1");
    cr_assert_str_eq(count_now(st, "t_marks", "SELECT count(*) FROM private_record"), "0");
    cr_assert_eq(rt_private_get(st, sql, &on, &e), RT_ENOTFOUND, "hidden from the public");
    cr_assert_eq(rt_private_set(st, "source:1", 1, &e), RT_EINVAL);
    cr_assert_lt(rt_participant_add(st, round, "Third", NULL, "EU", NULL, &id, &e), 0);
    cr_assert(strstr(e.msg.buf, "reads for the public"), "%s", e.msg.buf);
    cr_assert_lt(rt_store_begin_load(st, &e), 0, "nor load");
    pg_ok(rt_store_set_reader(st, RT_READER_ALL, &e), &e);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "2", "the tables again");
    cr_assert_str_eq(count_now(st, "t_marks", "SELECT count(*) FROM private_record"), "2");

    /* Changed inside a read, which ends in a rollback: the change stays, both ways. */
    pg_ok(rt_store_read_begin(st, &e), &e);
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "1");
    rt_store_read_end(st);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "1", "still the public's after the read");
    pg_ok(rt_store_read_begin(st, &e), &e);
    pg_ok(rt_store_set_reader(st, RT_READER_ALL, &e), &e);
    rt_store_read_end(st);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "2");
    pg_ok(rt_store_begin(st, &e), &e);
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    rt_store_rollback(st);
    cr_assert_eq(rt_store_reader(st), RT_READER_PUBLIC);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "1", "and after a write rolled back");

    /* A dropped connection: the new session reads for the public too. */
    pg_ok(rt__pg_run(pg,
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE datname = 't_reader' AND pid <> pg_backend_pid()",
                     &e),
          &e);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "1", "after a reconnection");
    cr_assert_eq(rt__pg_resets(rt__pg_store_conn(st)), 1);
    pg_ok(rt_store_set_reader(st, RT_READER_ALL, &e), &e);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "2");

    /* Public again: marked public again, the record is read by the public. */
    pg_ok(rt_private_set(st, sql, 0, &e), &e);
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    cr_assert_str_eq(count_now(st, "t_parts", steps), "2");
    rt_error_release(&e);
    rt_store_close(st);
    rt__pg_close(pg);
}
