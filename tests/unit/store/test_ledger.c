/* Tests of the dialogue ledger in the store: the US-Belarus 2015 round, built here. */
#include <criterion/criterion.h>

#include <rightstrack/ledger.h>

#include "lib/test_store.h"
#include "lib/testutil.h"
#include "store/sql.h"

static struct rt_store *st;
static int64_t dlg, r1, r2, release_step, sanctions_step, ask_more, ask_elections, commit_id;

static void ok(int rc, struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

static void build(void)
{
    struct rt_error e = RT_ERROR_INIT;
    char path[256];
    const char *parties[] = {"United States", "Belarus"};
    struct rt_round_in ri = {0};
    struct rt_step_in si = {0};
    int64_t id;

    snprintf(path, sizeof(path), "%s", test_store("l"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    ok(rt_dialogue_add(st, "US-Belarus WG", NULL, parties, 2, &dlg, &e), &e);
    ri.dialogue_id = dlg;
    ri.date = "2015-04";
    ri.place = "Minsk";
    ok(rt_round_add(st, &ri, &r1, &e), &e);
    ri.date = "2015-12-16";
    ri.place = "Washington";
    ok(rt_round_add(st, &ri, &r2, &e), &e);
    ok(rt_participant_add(st, r2, "A. Person", "Deputy Assistant Secretary", "State Department",
                          "USA", &id, &e),
       &e);
    ok(rt_topic_add(st, r2, "Parliamentary elections", "Elections", &id, &e), &e);
    ok(rt_ask_add(st, r2, "USA", "BLR", "Take further positive steps", NULL, &ask_more, &e), &e);
    ok(rt_ask_add(st, r2, "USA", "Belarus", "Hold elections to OSCE/ODIHR standards", "Elections",
                  &ask_elections, &e),
       &e);
    si.actor = "Belarus";
    si.date = "2015-08";
    si.kind = "prisoner-release";
    si.quantity = 6;
    si.text = "Six political prisoners released";
    ok(rt_step_add(st, &si, &release_step, &e), &e);
    si.actor = "USA";
    si.date = "2015-10";
    si.kind = "sanctions-eased";
    si.quantity = -1;
    si.text = "Sanctions on nine companies suspended";
    ok(rt_step_add(st, &si, &sanctions_step, &e), &e);
    ok(rt_link_add(st, "step:1", "welcomed-in", "round:2", &e), &e);
    ok(rt_link_add(st, "step:2", "responds-to", "step:1", &e), &e);
    ok(rt_item_theme_add(st, "topic:1", "elections", "readout", &e), &e);
    ok(rt_item_theme_add(st, "ask:2", "elections", "readout", &e), &e);
    ok(rt_commitment_add(st, r2, "USA", "Belarus takes further positive steps",
                         "additional steps toward normalization", &commit_id, &e),
       &e);
    rt_error_release(&e);
}

static void teardown(void)
{
    rt_store_close(st);
}

TestSuite(ledger, .init = build, .fini = teardown);

static const char *str(json_t *o, const char *path)
{
    json_t *v = o;
    char buf[256], *tok, *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)strtol(tok, NULL, 10))
                             : json_object_get(v, tok);
    cr_assert_not_null(v, "no %s", path);
    return json_is_string(v) ? json_string_value(v) : json_is_null(v) ? "null" : "(value)";
}

static json_int_t num(json_t *o, const char *path)
{
    json_t *v = o;
    char buf[256], *tok, *save = NULL;
    snprintf(buf, sizeof(buf), "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)strtol(tok, NULL, 10))
                             : json_object_get(v, tok);
    cr_assert(json_is_integer(v), "%s is not a number", path);
    return json_integer_value(v);
}

Test(ledger, round_holds_everything)
{
    json_t *r = NULL;
    cr_assert_eq(rt_round_get(st, r2, &r, NULL), 0);
    cr_assert_eq(num(r, "ordinal"), 2);
    cr_assert_str_eq(str(r, "date_precision"), "day");
    cr_assert_str_eq(str(r, "dialogue.parties.1"), "BLR");
    cr_assert_str_eq(str(r, "participants.0.party"), "USA");
    cr_assert_eq(json_array_size(json_object_get(r, "asks")), 2);
    cr_assert_str_eq(str(r, "asks.1.to"), "BLR");
    cr_assert_eq(num(r, "welcomed_steps.0.quantity"), 6);
    cr_assert_str_eq(str(r, "welcomed_steps.0.date_precision"), "month");
    cr_assert_str_eq(str(r, "commitments.0.status.status"), "open");
    cr_assert_str_eq(str(r, "commitments.0.status.as_of"), "2015-12-16");
    json_decref(r);
}

Test(ledger, reciprocity_pairs_the_steps)
{
    json_t *r = NULL;
    cr_assert_eq(rt_reciprocity(st, dlg, NULL, &r, NULL), 0);
    cr_assert_str_eq(str(r, "parties.0.party"), "USA");
    cr_assert_eq(num(r, "parties.1.steps.0.responded_by.0"), sanctions_step);
    cr_assert_eq(num(r, "responses.0.step"), sanctions_step);
    cr_assert_eq(num(r, "responses.0.responds_to"), release_step);
    cr_assert_str_eq(str(r, "responses.0.to_actor"), "BLR");
    json_decref(r);
}

Test(ledger, timeline_in_date_order)
{
    json_t *t = NULL;
    cr_assert_eq(rt_timeline(st, dlg, NULL, &t, NULL), 0);
    cr_assert_eq(json_array_size(json_object_get(t, "events")), 4);
    cr_assert_str_eq(str(t, "events.0.type"), "round");                 /* 2015-04 */
    cr_assert_str_eq(str(t, "events.1.step.kind"), "prisoner-release"); /* 2015-08 */
    cr_assert_str_eq(str(t, "events.2.step.kind"), "sanctions-eased");  /* 2015-10 */
    cr_assert_eq(num(t, "events.2.in_response_to.0.id"), release_step);
    cr_assert_str_eq(str(t, "events.3.type"), "round"); /* 2015-12-16 */
    json_decref(t);
    cr_assert_eq(rt_timeline(st, dlg, "2015-09-01", &t, NULL), 0);
    cr_assert_eq(json_array_size(json_object_get(t, "events")), 2);
    json_decref(t);
}

Test(ledger, since_a_round)
{
    struct rt_assessment_in a = {"ask:1", "2016-02-01", "in-progress", "Talks held", NULL, "NGO"};
    struct rt_step_in si = {"Belarus",  "2016-09-11", "election-held",
                            "positive", -1,           "Parliamentary elections held",
                            NULL};
    json_t *s = NULL;
    int64_t id;

    cr_assert_eq(rt_step_add(st, &si, &id, NULL), 0);
    cr_assert_eq(rt_assess(st, &a, &id, NULL), 0);
    cr_assert_eq(rt_since(st, r2, NULL, &s, NULL), 0);
    cr_assert_str_eq(str(s, "steps.1.party"), "BLR");
    cr_assert_eq(
        json_array_size(json_object_get(json_array_get(json_object_get(s, "steps"), 1), "steps")),
        1);
    cr_assert_str_eq(str(s, "steps.1.steps.0.kind"), "election-held");
    cr_assert_eq(json_array_size(json_object_get(s, "asks_open")), 2);
    cr_assert_str_eq(str(s, "asks_open.0.assessment.status"), "in-progress");
    cr_assert_str_eq(str(s, "commitments.0.status.status"), "open");
    cr_assert_str_eq(str(s, "assessments.0.target"), "ask:1");
    cr_assert_eq(json_array_size(json_object_get(s, "assessments")), 1);
    json_decref(s);
    /* Saying the same again is not a change. */
    a.as_of = "2016-03-01";
    a.evidence = "Still talking";
    cr_assert_eq(rt_assess(st, &a, &id, NULL), 0);
    cr_assert_eq(rt_since(st, r2, NULL, &s, NULL), 0);
    cr_assert_eq(json_array_size(json_object_get(s, "assessments")), 1);
    json_decref(s);
    /* As of the end of 2015 neither the elections nor the 2016 assessment exist. */
    cr_assert_eq(rt_since(st, r2, "2015-12-31", &s, NULL), 0);
    cr_assert_eq(
        json_array_size(json_object_get(json_array_get(json_object_get(s, "steps"), 1), "steps")),
        0);
    cr_assert_eq(json_array_size(json_object_get(s, "assessments")), 0);
    cr_assert_str_eq(str(s, "asks_open.0.assessment"), "null");
    json_decref(s);
}

Test(ledger, status_as_of_keeps_history)
{
    struct rt_assessment_in a = {"ask:2", "2016-01-15", "not-started", NULL, NULL, NULL};
    json_t *s = NULL;
    int64_t id;

    cr_assert_eq(rt_assess(st, &a, &id, NULL), 0);
    a.as_of = "2016-10-01";
    a.status = "partially";
    a.evidence = "Some observers admitted";
    cr_assert_eq(rt_assess(st, &a, &id, NULL), 0);
    cr_assert_eq(rt_status(st, "ask:2", "2015-12-31", &s, NULL), 0);
    cr_assert_str_eq(str(s, "status"), "unassessed");
    cr_assert_eq(json_array_size(json_object_get(s, "history")), 0);
    json_decref(s);
    cr_assert_eq(rt_status(st, "ask:2", "2016-06-30", &s, NULL), 0);
    cr_assert_str_eq(str(s, "status"), "not-started");
    json_decref(s);
    cr_assert_eq(rt_status(st, "ask:2", NULL, &s, NULL), 0);
    cr_assert_str_eq(str(s, "status"), "partially");
    cr_assert_str_eq(str(s, "latest.evidence"), "Some observers admitted");
    cr_assert_eq(json_array_size(json_object_get(s, "history")), 2);
    json_decref(s);
}

Test(ledger, commitment_resolved_once)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *s = NULL;
    /* The US promise is not kept by a Belarusian step. */
    cr_assert_eq(
        rt_commitment_resolve(st, commit_id, "fulfilled", release_step, "2016-02-01", NULL, &e),
        RT_EINVAL);
    cr_assert_str_eq(e.field, "step");
    cr_assert_eq(
        rt_commitment_resolve(st, commit_id, "fulfilled", sanctions_step, "2016-02-01", NULL, &e),
        0, "%s", e.msg.buf);
    cr_assert_eq(rt_commitment_resolve(st, commit_id, "lapsed", 0, "2016-03-01", NULL, &e),
                 RT_EINVAL);
    cr_assert(strstr(e.msg.buf, "resolved already") != NULL, "%s", e.msg.buf);
    cr_assert_eq(rt_status(st, "commitment:1", "2016-01-31", &s, NULL), 0);
    cr_assert_str_eq(str(s, "status"), "open");
    json_decref(s);
    cr_assert_eq(rt_status(st, "commitment:1", NULL, &s, NULL), 0);
    cr_assert_str_eq(str(s, "status"), "fulfilled");
    json_decref(s);
    rt_error_release(&e);
}

static void refused(int rc, struct rt_error *e, int code, const char *field)
{
    cr_assert_eq(rc, code, "%s", e->msg.buf);
    cr_assert_str_eq(e->field ? e->field : "(none)", field, "%s", e->msg.buf);
    rt_error_release(e);
}

Test(ledger, bad_input_writes_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_round_in ri = {dlg, 0, "2015-13-01", NULL, NULL, NULL};
    struct rt_step_in si = {"Atlantis", "2016-01-01", "visit", NULL, -1, "x", NULL};
    json_t *before = NULL, *after = NULL;
    int64_t id;

    cr_assert_eq(rt_timeline(st, dlg, NULL, &before, NULL), 0);
    refused(rt_round_add(st, &ri, &id, &e), &e, RT_EINVAL, "date");
    ri.date = "2016-01-01";
    ri.ordinal = 2;
    refused(rt_round_add(st, &ri, &id, &e), &e, RT_EEXIST, "ordinal");
    refused(rt_step_add(st, &si, &id, &e), &e, RT_EINVAL, "party");
    si.actor = "USA";
    si.kind = "party";
    refused(rt_step_add(st, &si, &id, &e), &e, RT_EINVAL, "kind");
    refused(rt_link_add(st, "step:1", "responds-to", "step:1", &e), &e, RT_EINVAL, "to");
    refused(rt_link_add(st, "step:1", "responds-to", "step:2", &e), &e, RT_EINVAL, "to");
    refused(rt_link_add(st, "step:99", "answers", "ask:1", &e), &e, RT_ENOTFOUND, "from");
    refused(rt_link_add(st, "ask:1", "answers", "step:1", &e), &e, RT_EINVAL, "relation");
    refused(rt_link_add(st, "step:x", "answers", "ask:1", &e), &e, RT_EINVAL, "from");
    refused(rt_participant_add(st, 99, "X", NULL, NULL, NULL, &id, &e), &e, RT_ENOTFOUND, "round");
    {
        struct rt_assessment_in a = {"ask:1", "2016-01-01", "met", NULL, NULL, NULL};
        refused(rt_assess(st, &a, &id, &e), &e, RT_EINVAL, "status");
        a.target = "rec:12345";
        a.status = "fully";
        refused(rt_assess(st, &a, &id, &e), &e, RT_ENOTFOUND, "target");
    }
    {
        const char *same[] = {"USA", "United States of America"};
        refused(rt_dialogue_add(st, "Twice", NULL, same, 2, &id, &e), &e, RT_EINVAL, "party");
    }
    cr_assert_eq(rt_timeline(st, dlg, NULL, &after, NULL), 0);
    cr_assert(json_equal(before, after));
    json_decref(before);
    json_decref(after);
}

Test(ledger, a_cycle_of_three_is_refused)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_step_in si = {"Belarus", "2015-10", "statement", NULL, -1, "Welcomed the easing",
                            NULL};
    int64_t third;
    cr_assert_eq(rt_step_add(st, &si, &third, NULL), 0);
    cr_assert_eq(rt_link_add(st, "step:3", "responds-to", "step:2", &e), 0);
    /* step 1 responding to step 3 would close 3 -> 2 -> 1 -> 3 (and 3 is later anyway). */
    refused(rt_link_add(st, "step:1", "responds-to", "step:3", &e), &e, RT_EINVAL, "to");
}

Test(ledger, assessments_are_append_only)
{
    struct rt_assessment_in a = {"ask:1", "2016-01-01", "fully", NULL, NULL, NULL};
    struct rt_error e = RT_ERROR_INIT;
    int64_t id;

    cr_assert_eq(rt_assess(st, &a, &id, NULL), 0);
    /* The store offers no update, and the schema refuses one even from raw SQL. */
    cr_assert_neq(rt__sql_exec(st, &e, NULL, "UPDATE assessment SET status = 'regressed'", ""), 0);
    cr_assert(strstr(e.msg.buf, "history") != NULL, "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_neq(rt__sql_exec(st, &e, NULL, "DELETE FROM commitment_status", ""), 0);
    rt_error_release(&e);
}

/* A recommendation to state (a name) in session 5, tagged with label in vocabulary: a
 * load of its own, as an import writes them (PostgreSQL takes them in no other way). */
static void rec(const char *state, const char *text, const char *vocabulary, const char *label)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec_in r = {0};
    int64_t id;
    unsigned flags;
    int is_new;

    cr_assert_eq(rt_store_state_find(st, state, strlen(state), &r.sur_id, &e), 0);
    r.session = 5;
    r.text = text;
    r.text_len = strlen(text);
    r.response = RT_RESPONSE_SUPPORTED;
    ok(rt_store_begin_load(st, &e), &e);
    ok(rt_store_rec_put(st, &r, &id, &flags, &e), &e);
    ok(rt_store_rec_add_theme(st, id, vocabulary, label, "official", 1.0, &is_new, &e), &e);
    ok(rt_store_commit(st, &e), &e);
    rt_error_release(&e);
}

Test(ledger, theme_areas_link_a_round_to_recommendations)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *r = NULL;

    /* case-blind area, stored by its code; twice is not an error */
    ok(rt_item_theme_add(st, "topic:1", "ELECTIONS", NULL, &e), &e);
    ok(rt_item_theme_add(st, "ask:2", "expression", "person", &e), &e);
    cr_assert_eq(rt_item_theme_add(st, "topic:1", "no-such-area", NULL, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "area");
    cr_assert_eq(rt_item_theme_add(st, "step:1", "elections", NULL, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "item");
    cr_assert_eq(rt_item_theme_add(st, "topic:99", "elections", NULL, &e), RT_ENOTFOUND);
    cr_assert_eq(rt_item_theme_add(st, "topic:1", "elections", "guess", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "origin");

    /* to Belarus on elections (UPR Info) and on expression (UHRI's label); to Belarus
     * on torture and to Ukraine on elections, which are not linked */
    rec("Belarus", "Hold free elections", "upr-info", "Elections");
    rec("Belarus", "Protect journalists and bloggers", "uhri", "Freedom of opinion and expression");
    rec("Belarus", "Prevent torture in prisons", "upr-info", "Torture and other CID treatment");
    rec("Ukraine", "Reform the electoral code", "upr-info", "Elections");

    ok(rt_round_get(st, r2, &r, &e), &e);
    cr_assert_str_eq(str(r, "topics.0.areas.0"), "elections");
    cr_assert_eq(
        json_array_size(json_object_get(json_array_get(json_object_get(r, "topics"), 0), "areas")),
        1);
    /* in the taxonomy's order */
    cr_assert_str_eq(str(r, "asks.1.areas.0"), "expression");
    cr_assert_str_eq(str(r, "asks.1.areas.1"), "elections");
    cr_assert_eq(
        json_array_size(json_object_get(json_array_get(json_object_get(r, "asks"), 0), "areas")),
        0);
    /* the asks address Belarus only, so the United States' recommendations do not count */
    cr_assert_str_eq(str(r, "linked_recommendations.states.0"), "BLR");
    cr_assert_eq(
        json_array_size(json_object_get(json_object_get(r, "linked_recommendations"), "states")),
        1);
    cr_assert_eq(num(r, "linked_recommendations.count"), 2);
    cr_assert_str_eq(str(r, "linked_recommendations.areas.0.code"), "expression");
    cr_assert_eq(num(r, "linked_recommendations.areas.0.count"), 1);
    cr_assert_str_eq(str(r, "linked_recommendations.areas.1.code"), "elections");
    cr_assert_eq(num(r, "linked_recommendations.areas.1.count"), 1);
    json_decref(r);

    /* a round without asks is about the dialogue's parties that are states */
    ok(rt_round_get(st, r1, &r, &e), &e);
    cr_assert_eq(num(r, "linked_recommendations.count"), 0);
    cr_assert_eq(
        json_array_size(json_object_get(json_object_get(r, "linked_recommendations"), "states")),
        2);
    json_decref(r);
    rt_error_release(&e);
}

/* Export, restore into an empty database, export again: the same bytes. */
Test(ledger, export_round_trip_is_lossless)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *copy = NULL;
    json_t *a = NULL, *b = NULL;
    char path[256], *sa, *sb;

    cr_assert_eq(rt_store_export(st, &a, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "tables"), "step")), 2);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "tables"), "ledger_theme")), 2);
    snprintf(path, sizeof(path), "%s", test_store("copy"));
    cr_assert_eq(rt_store_open(&copy, path, RT_STORE_CREATE, &e), 0);
    cr_assert_eq(rt_store_begin_load(copy, &e), 0);
    cr_assert_eq(rt_store_import_export(copy, "x.json", a, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_store_commit(copy, &e), 0);
    cr_assert_eq(rt_store_export(copy, &b, &e), 0);
    sa = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    sb = json_dumps(b, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    cr_assert_str_eq(sa, sb);
    /* A second restore into a database that holds data is refused. */
    cr_assert_eq(rt_store_begin_load(copy, &e), 0);
    cr_assert_eq(rt_store_import_export(copy, "x.json", a, &e), RT_EINVAL);
    rt_store_rollback(copy);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);
    rt_store_close(copy);
    rt_error_release(&e);
}
