/* Tests of corrections and withdrawals: rt_ledger_edit, rt_ledger_withdraw, and the
 * reads as of dates around a withdrawal; assessments corrected by replacement. */
#include <criterion/criterion.h>

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>

#include "lib/ledger_fixture.h"
#include "lib/test_store.h"

static struct rt_store *st;
static int64_t dlg, round1, release, eased, ask1;

static void ok(int rc, struct rt_error *e)
{
    fx_ok(rc, e);
}

static int64_t add(const char *entity, int64_t parent, const char *body_json)
{
    return fx_add(st, entity, parent, body_json);
}

/* rt_ledger_edit of ref with body_json: its return code, err->field in field. */
static int edit(const char *ref, const char *body_json, char field[32])
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *body = json_loads(body_json, 0, NULL);
    char out[128];
    int rc;

    cr_assert_not_null(body, "%s", body_json);
    rc = rt_ledger_edit(st, ref, body, out, &e);
    snprintf(field, 32, "%s", e.field ? e.field : "");
    json_decref(body);
    rt_error_release(&e);
    return rc;
}

static json_t *record(const char *kind, int64_t id)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;

    ok(rt_record_get(st, kind, id, &doc, &e), &e);
    rt_error_release(&e);
    return doc;
}

static void build(void)
{
    struct fx_ledger l;

    fx_open("e", &st, &l);
    dlg = l.dialogue;
    round1 = l.round;
    ask1 = l.ask;
    release = l.release;
    eased = add("step", 0,
                "{\"actor\": \"USA\", \"date\": \"2015-10-29\", \"kind\": \"sanctions-eased\","
                " \"text\": \"Sanctions eased\", \"responds_to\": [1]}");
}

static void teardown(void)
{
    rt_store_close(st);
}

TestSuite(edit, .init = build, .fini = teardown);

Test(edit, checks_as_add_does)
{
    char field[32];

    cr_assert_eq(edit("step:1", "{\"date\": \"2015-13-01\"}", field), RT_EINVAL);
    cr_assert_str_eq(field, "date");
    cr_assert_eq(edit("step:1", "{\"actor\": \"Narnia\"}", field), RT_EINVAL);
    cr_assert_str_eq(field, "actor");
    cr_assert_eq(edit("step:1", "{\"kind\": \"miracle\"}", field), RT_EINVAL);
    cr_assert_str_eq(field, "kind");
    cr_assert_eq(edit("step:1", "{\"colour\": \"red\"}", field), RT_EINVAL);
    cr_assert_str_eq(field, "colour");
    cr_assert_eq(edit("step:1", "{\"text\": \"\"}", field), RT_EINVAL, "a required field");
    cr_assert_str_eq(field, "text");
    cr_assert_eq(edit("step:1", "{\"text\": \"bad \\u0007 bell\"}", field), RT_EINVAL);
    cr_assert_eq(edit("step:9", "{\"text\": \"x\"}", field), RT_ENOTFOUND);
    cr_assert_eq(edit("dialogue:1", "{\"name\": \"42\"}", field), RT_EINVAL);
    cr_assert_eq(edit("assessment:1", "{\"status\": \"fully\"}", field), RT_EINVAL);
    {
        json_t *r = record("step", release);
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(r, "fields"), "quantity")),
                     6, "nothing refused was written");
        json_decref(r);
    }
}

Test(edit, corrects_only_the_fields_given)
{
    char field[32];
    json_t *r, *f;

    cr_assert_eq(
        edit("step:1", "{\"quantity\": 7, \"actor\": \"Belarus\", \"source\": null}", field), 0,
        "%s", field);
    r = record("step", release);
    f = json_object_get(r, "fields");
    cr_assert_eq(json_integer_value(json_object_get(f, "quantity")), 7);
    cr_assert_str_eq(json_string_value(json_object_get(f, "actor")), "BLR", "a party's code");
    cr_assert_str_eq(json_string_value(json_object_get(f, "text")), "Six released");
    json_decref(r);
    /* A round by its name in the dialogue; its number is checked as add checks it. */
    cr_assert_eq(edit("US-Belarus#1", "{\"place\": \"Washington\"}", field), 0, "%s", field);
    r = record("round", round1);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "fields"), "place")),
                     "Washington");
    json_decref(r);
    /* A dialogue's parties are replaced, each resolved. */
    cr_assert_eq(edit("dialogue:1", "{\"parties\": [\"United States\", \"BLR\", \"EU\"]}", field),
                 0, "%s", field);
    r = record("dialogue", dlg);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(r, "fields"), "parties")), 3);
    json_decref(r);
}

Test(edit, a_list_given_is_the_new_list)
{
    struct rt_error e = RT_ERROR_INIT;
    char field[32];
    json_t *doc = NULL;

    /* The release answered ask 1; corrected, it answers nothing: the link is withdrawn,
     * and the ask's page no longer counts it. */
    cr_assert_eq(edit("step:1", "{\"answers\": []}", field), 0, "%s", field);
    ok(rt_round_get(st, round1, &doc, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(doc, "asks"), 0),
                                                 "answered_by")),
                 0);
    json_decref(doc);
    cr_assert_eq(edit("step:1", "{\"answers\": [\"ask:1\"]}", field), 0, "%s", field);
    ok(rt_round_get(st, round1, &doc, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(doc, "asks"), 0),
                                                 "answered_by")),
                 1, "linked again");
    json_decref(doc);
    rt_error_release(&e);
}

static size_t steps_in_timeline(const char *as_of)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL, *ev;
    size_t i, n = 0;

    ok(rt_timeline(st, dlg, as_of, &doc, &e), &e);
    json_array_foreach(json_object_get(doc, "events"), i, ev) n +=
        !strcmp(json_string_value(json_object_get(ev, "type")), "step");
    json_decref(doc);
    rt_error_release(&e);
    return n;
}

Test(edit, withdrawn_leaves_the_reads_as_of_its_date)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL, *r;
    char out[128];

    cr_assert_eq(steps_in_timeline("2015-12-31"), 2);
    cr_assert_eq(rt_ledger_withdraw(st, "step:2", "", NULL, out, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "reason");
    rt_error_release(&e);
    cr_assert_eq(rt_ledger_withdraw(st, "step:2", "lifted early", "2016-13", out, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "date");
    rt_error_release(&e);
    ok(rt_ledger_withdraw(st, "step:2", "the suspension ended", "2016-02", out, &e), &e);
    cr_assert_str_eq(out, "step:2");
    cr_assert_eq(steps_in_timeline("2015-12-31"), 2, "before its withdrawal it stands");
    cr_assert_eq(steps_in_timeline("2016-02-01"), 1, "on the day it is withdrawn");
    cr_assert_eq(steps_in_timeline(NULL), 1, "and in every view of now");
    ok(rt_reciprocity(st, dlg, "2016-03", &doc, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(doc, "responses")), 0);
    json_decref(doc);
    ok(rt_reciprocity(st, dlg, "2015-12", &doc, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(doc, "responses")), 1);
    json_decref(doc);
    /* Still in the database, with its reason. */
    r = record("step", eased);
    cr_assert_str_eq(json_string_value(json_object_get(r, "withdrawn")), "the suspension ended");
    cr_assert_str_eq(json_string_value(json_object_get(r, "withdrawn_on")), "2016-02");
    json_decref(r);
    /* Without a date it was a mistake: gone from every view. */
    ok(rt_ledger_withdraw(st, "step:1", "entered by mistake", NULL, out, &e), &e);
    cr_assert_eq(steps_in_timeline("2015-12-31"), 1);
    ok(rt_step_list(st, 0, NULL, &doc, &e), &e);
    cr_assert_eq(json_array_size(doc), 0);
    json_decref(doc);
    /* A round, and a link by its name. */
    ok(rt_ledger_withdraw(st, "US-Belarus#1", "never met", NULL, out, &e), &e);
    cr_assert_str_eq(out, "round:1");
    ok(rt_dialogue_get(st, dlg, &doc, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(doc, "rounds")), 0);
    json_decref(doc);
    cr_assert_eq(rt_ledger_withdraw(st, "step:2 responds-to step:3", "x", NULL, out, &e),
                 RT_ENOTFOUND);
    rt_error_release(&e);
    ok(rt_ledger_withdraw(st, "step:2 responds-to step:1", "not a response", NULL, out, &e), &e);
    rt_error_release(&e);
}

Test(edit, an_assessment_is_corrected_by_a_new_one)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;
    int64_t first, second, other;
    char field[32];

    first = add("assessment", 0,
                "{\"target\": \"ask:1\", \"status\": \"fully\", \"as_of\": \"2016-01\"}");
    other = add("assessment", 0,
                "{\"target\": \"ask:1\", \"status\": \"in-progress\", \"as_of\": \"2015-09\"}");
    second = add("assessment", 0,
                 "{\"target\": \"ask:1\", \"status\": \"partially\", \"as_of\": \"2016-01\","
                 " \"replaces\": \"assessment:1\"}");
    cr_assert_gt(second, first);
    ok(rt_status(st, "ask:1", NULL, &doc, &e), &e);
    cr_assert_str_eq(json_string_value(json_object_get(doc, "status")), "partially");
    cr_assert_eq(json_array_size(json_object_get(doc, "history")), 2,
                 "the replaced one leaves the history of statuses");
    json_decref(doc);
    /* Only an assessment of the same record is replaced. */
    add("ask", round1, "{\"from\": \"USA\", \"to\": \"BLR\", \"text\": \"Another\"}");
    {
        json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "target", "ask:2", "status", "fully",
                                 "as_of", "2016", "replaces", "assessment:2");
        int64_t id = 0;
        cr_assert_eq(rt_ledger_write(st, "assessment", 0, body, &id, &e), RT_EINVAL);
        cr_assert_str_eq(e.field, "replaces");
        rt_error_release(&e);
        json_decref(body);
    }
    cr_assert_eq(edit("assessment:1", "{\"status\": \"fully\"}", field), RT_EINVAL,
                 "assessments are append-only");
    (void)other;
}
