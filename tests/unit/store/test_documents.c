/*
 * Documents shaped in one place (src/model/documents.c): the list of dialogues, now
 * made in C from rows, must be the same, byte for byte, as the document SQLite built
 * with its JSON functions before (the statement is kept here), with parties in their
 * order, a dialogue without rounds, withdrawn rounds and a withdrawn dialogue.
 */
#include <criterion/criterion.h>

#include <rightstrack/ledger.h>
#include <rightstrack/store.h>

#include "lib/test_store.h"
#include "lib/testutil.h"
#include "model/documents.h"
#include "store/sqlite/json_sql.h"
#include "store/sqlite/sqlite_int.h"

/* The statement rt_dialogue_list ran until the list was shaped in C. */
#define OLD_PARTIES                                                                                \
    "json((SELECT json_group_array(party) FROM (SELECT party FROM dialogue_party"                  \
    " WHERE dialogue_id = d.id ORDER BY position)))"
static const char old_sql[] =
    "SELECT " ARRAY("SELECT json_object('id', d.id, 'name', d.name, 'kind', d.kind,"
                    " 'parties', " OLD_PARTIES ", 'rounds', (SELECT count(*) FROM"
                    " round r WHERE r.dialogue_id = d.id AND " LIVE(
                        "r") "),"
                             " 'last_round', (SELECT max(r.date) FROM round r"
                             " WHERE r.dialogue_id = d.id AND " LIVE(
                                 "r") ")) j"
                                      " FROM dialogue d WHERE " LIVE("d") " ORDER BY d.id");

static void ok(int rc, const struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s", e->msg.buf ? e->msg.buf : "");
}

static void same(struct rt_store *st, const char *when)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *now = NULL, *before = NULL;
    char *a, *b;

    ok(rt_dialogue_list(st, &now, &e), &e);
    ok(rt__document(st, old_sql, 0, NULL, "dialogue", &before, &e), &e);
    a = json_dumps(now, JSON_INDENT(2));
    b = json_dumps(before, JSON_INDENT(2));
    cr_assert_str_eq(a, b, "%s", when);
    free(a);
    free(b);
    json_decref(now);
    json_decref(before);
}

Test(documents, dialogue_list_as_sql_made_it)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *p1[] = {"USA", "Belarus"}, *p2[] = {"EU", "BLR", "OSCE"}, *p3[] = {"UN", "VNM"};
    struct rt_round_in r = {0};
    int64_t d1, d2, d3, r1, r2;
    char path[256];

    test_on_sqlite("the SQL it is compared with is SQLite's (JSON1)");
    snprintf(path, sizeof(path), "%s", test_store("d"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    same(st, "no dialogues");
    ok(rt_dialogue_add(st, "US-Belarus", NULL, p1, 2, &d1, &e), &e);
    ok(rt_dialogue_add(st, "Human rights dialogue", "multilateral", p2, 3, &d2, &e), &e);
    ok(rt_dialogue_add(st, "Quiet \"one\"", NULL, p3, 2, &d3, &e), &e);
    same(st, "no rounds");
    r.dialogue_id = d1;
    r.date = "2015-12-16";
    ok(rt_round_add(st, &r, &r1, &e), &e);
    r.date = "2016-03";
    ok(rt_round_add(st, &r, &r2, &e), &e);
    r.dialogue_id = d2;
    r.date = "2014";
    ok(rt_round_add(st, &r, NULL, &e), &e);
    same(st, "rounds");
    ok(rt_record_withdraw(st, "round", r2, "entered twice", NULL, &e), &e);
    ok(rt_record_withdraw(st, "dialogue", d3, "a test", NULL, &e), &e);
    same(st, "withdrawn");
    rt_store_close(st);
}

Test(documents, dialogue_list_json_shape)
{
    char *parties[] = {"USA", "BLR"};
    struct rt__dialogue_row rows[2] = {{0}, {0}};
    json_t *doc;
    char *text;

    rows[0].id = 1;
    rows[0].name = "A";
    rows[0].kind = "bilateral";
    rows[0].parties = parties;
    rows[0].n_parties = 2;
    rows[0].rounds = 2;
    rows[0].last_round = "2015-12-16";
    rows[1].id = 7;
    rows[1].name = "B";
    rows[1].kind = "bilateral";
    doc = rt__dialogue_list_json(rows, 2);
    text = json_dumps(doc, JSON_COMPACT);
    cr_assert_str_eq(text,
                     "[{\"id\":1,\"name\":\"A\",\"kind\":\"bilateral\",\"parties\":[\"USA\","
                     "\"BLR\"],\"rounds\":2,\"last_round\":\"2015-12-16\"},{\"id\":7,\"name\":"
                     "\"B\",\"kind\":\"bilateral\",\"parties\":[],\"rounds\":0,"
                     "\"last_round\":null}]");
    free(text);
    json_decref(doc);
    rt__dialogue_rows_free(NULL, 0);
}
