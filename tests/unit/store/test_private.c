/* Tests of private records (private.h): the store's rule of who reads what. */
#include <criterion/criterion.h>

#include <rightstrack/audit.h>
#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/private.h>

#include "lib/ledger_fixture.h"
#include "lib/test_store.h"
#include "store/sqlite/sqlite_int.h"

static struct rt_store *st;
static int64_t dlg, rnd, open_step, secret_step, secret_part, secret_assessment;

static void ok(int rc, struct rt_error *e)
{
    fx_ok(rc, e);
}

static int64_t add_rec(const char *entity, int64_t parent, const char *body)
{
    return fx_add(st, entity, parent, body);
}

/* The fixture's ledger, with a private participant, step and assessment. */
static void build(void)
{
    struct fx_ledger l;

    fx_open("p", &st, &l);
    dlg = l.dialogue;
    rnd = l.round;
    open_step = l.release;
    add_rec("participant", rnd, "{\"name\": \"Open Person\"}");
    secret_part = add_rec("participant", rnd, "{\"name\": \"Secret Person\", \"private\": true}");
    secret_step = add_rec("step", 0,
                          "{\"actor\": \"BLR\", \"date\": \"2016-02\", \"kind\": \"pardon\","
                          " \"text\": \"Secret pardon\", \"answers\": [\"ask:1\"],"
                          " \"responds_to\": [\"step:1\"], \"private\": true}");
    add_rec("assessment", 0,
            "{\"target\": \"ask:1\", \"status\": \"partially\", \"as_of\": \"2016-01\"}");
    secret_assessment =
        add_rec("assessment", 0,
                "{\"target\": \"ask:1\", \"status\": \"fully\", \"as_of\": \"2016-03\","
                " \"evidence\": \"Secret evidence\", \"private\": true}");
}

static void teardown(void)
{
    rt_store_close(st);
}

TestSuite(private, .init = build, .fini = teardown);

static void reader(enum rt_reader r)
{
    struct rt_error e = RT_ERROR_INIT;
    ok(rt_store_set_reader(st, r, &e), &e);
    cr_assert_eq(rt_store_reader(st), r);
    rt_error_release(&e);
}

/* The JSON text of a read, for searching it. */
static char *text_of(json_t *doc)
{
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

static char *round_text(void)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;
    ok(rt_round_get(st, rnd, &doc, &e), &e);
    return text_of(doc);
}

static char *status_text(void)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;
    ok(rt_status(st, "ask:1", NULL, &doc, &e), &e);
    return text_of(doc);
}

static size_t steps(void)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;
    size_t n;
    ok(rt_step_list(st, 0, NULL, &doc, &e), &e);
    n = json_array_size(doc);
    json_decref(doc);
    return n;
}

Test(private, everybody_sees_all_by_default)
{
    char *r = round_text(), *s = status_text();
    cr_assert_eq(rt_store_reader(st), RT_READER_ALL);
    cr_assert_eq(steps(), 2);
    cr_assert(strstr(r, "Secret Person"));
    cr_assert(strstr(s, "Secret evidence"));
    cr_assert(strstr(s, "\"status\":\"fully\""));
    free(r);
    free(s);
}

Test(private, the_public_sees_none_and_no_trace)
{
    char *r, *s;

    reader(RT_READER_PUBLIC);
    r = round_text();
    s = status_text();
    cr_assert_eq(steps(), 1);
    cr_assert_null(strstr(r, "Secret"), "%s", r);
    cr_assert(strstr(r, "Open Person"));
    /* The status is the public assessment's, and the ask is answered by one step. */
    cr_assert_null(strstr(s, "Secret"), "%s", s);
    cr_assert(strstr(s, "\"status\":\"partially\""), "%s", s);
    cr_assert(strstr(r, "\"answered_by\":[1]"), "%s", r);
    free(r);
    free(s);
    {
        /* The open step is answered by nothing: the link from the secret one is gone. */
        struct rt_error e = RT_ERROR_INIT;
        json_t *doc = NULL;
        ok(rt_step_list(st, 0, NULL, &doc, &e), &e);
        cr_assert_eq(json_array_size(json_object_get(json_array_get(doc, 0), "responded_by")), 0);
        json_decref(doc);
    }
}

Test(private, the_rule_switches_back_and_forth)
{
    reader(RT_READER_PUBLIC);
    cr_assert_eq(steps(), 1);
    reader(RT_READER_PUBLIC); /* again: nothing changes */
    cr_assert_eq(steps(), 1);
    reader(RT_READER_ALL);
    cr_assert_eq(steps(), 2);
    /* And the store writes again once it reads for everybody. */
    add_rec(
        "step", 0,
        "{\"actor\": \"USA\", \"date\": \"2016-03\", \"kind\": \"visit\", \"text\": \"A visit\"}");
    cr_assert_eq(steps(), 3);
    reader(RT_READER_PUBLIC);
    cr_assert_eq(steps(), 2);
}

Test(private, marks_are_set_and_taken_away)
{
    struct rt_error e = RT_ERROR_INIT;
    char ref[64];
    int on = -1;

    snprintf(ref, sizeof(ref), "step:%lld", (long long)open_step);
    ok(rt_private_get(st, ref, &on, &e), &e);
    cr_assert_eq(on, 0);
    ok(rt_private_set(st, ref, 1, &e), &e);
    ok(rt_private_set(st, ref, 1, &e), &e); /* twice: the same */
    ok(rt_private_get(st, ref, &on, &e), &e);
    cr_assert_eq(on, 1);
    reader(RT_READER_PUBLIC);
    cr_assert_eq(steps(), 0);
    cr_assert_eq(rt_private_set(st, ref, 0, &e), RT_EINVAL, "a public reader marks nothing");
    rt_error_release(&e);
    reader(RT_READER_ALL);
    snprintf(ref, sizeof(ref), "step:%lld", (long long)secret_step);
    ok(rt_private_set(st, ref, 0, &e), &e);
    reader(RT_READER_PUBLIC);
    cr_assert_eq(steps(), 1, "the secret step is public now, the open one private");
}

Test(private, bad_references_are_refused)
{
    struct rt_error e = RT_ERROR_INIT;
    static const char *const bad[] = {"round:1", "step", "step:", "step:x", "step:0",
                                      "step:1x", ":1",   "",      "steps:1"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(rt_private_set(st, bad[i], 1, &e), RT_EINVAL, "%s", bad[i]);
        cr_assert_str_eq(e.field, "record");
        rt_error_release(&e);
    }
    cr_assert_eq(rt_private_set(st, "step:99", 1, &e), RT_ENOTFOUND);
    rt_error_release(&e);
    cr_assert_eq(rt_private_set(st, "participant:99", 1, &e), RT_ENOTFOUND);
    rt_error_release(&e);
    /* The public cannot learn that a private record exists. */
    reader(RT_READER_PUBLIC);
    {
        int on;
        char ref[64];
        snprintf(ref, sizeof(ref), "participant:%lld", (long long)secret_part);
        cr_assert_eq(rt_private_get(st, ref, &on, &e), RT_ENOTFOUND);
        rt_error_release(&e);
    }
}

Test(private, the_field_is_a_flag)
{
    struct rt_error e = RT_ERROR_INIT;
    const struct rt_entity *step = rt_entity_find("step");
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s}", "actor", "BLR", "date", "2016", "kind",
                          "visit", "text", "x", "private", "yes");

    cr_assert_eq(rt_entity_field(step, "private")->type, RT_FIELD_FLAG);
    cr_assert(rt_entity_field(rt_entity_find("participant"), "private"));
    cr_assert(rt_entity_field(rt_entity_find("assessment"), "private"));
    cr_assert_null(rt_entity_field(rt_entity_find("round"), "private"));
    cr_assert_eq(rt_entity_check(step, b, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "private");
    rt_error_release(&e);
    json_object_set_new(b, "private", json_false());
    ok(rt_entity_check(step, b, &e), &e);
    json_decref(b);
}

Test(private, the_audit_log_keeps_private_entries_from_the_public)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_audit_entry *v = NULL;
    size_t n_all = 0, n_public = 0;
    char ref[64];
    struct rt_audit_filter f = {0};

    snprintf(ref, sizeof(ref), "step:%lld", (long long)secret_step);
    f.record = ref;
    ok(rt_audit_log(st, &f, &v, &n_all, &e), &e);
    rt_audit_entries_free(v, n_all);
    cr_assert_gt(n_all, 0);
    reader(RT_READER_PUBLIC);
    ok(rt_audit_log(st, &f, &v, &n_public, &e), &e);
    rt_audit_entries_free(v, n_public);
    cr_assert_eq(n_public, 0);
    f.record = "round:1"; /* the round's participants: the private one left out */
    ok(rt_audit_log(st, &f, &v, &n_public, &e), &e);
    for (size_t i = 0; i < n_public; i++)
        cr_assert(!v[i].after || !strstr(v[i].after, "Secret"), "%s", v[i].after);
    rt_audit_entries_free(v, n_public);
    (void)secret_assessment;
}

Test(private, export_for_the_public)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL;
    json_t *t;

    ok(rt_store_export(st, &doc, &e), &e);
    t = json_object_get(doc, "tables");
    cr_assert_eq(json_array_size(json_object_get(t, "private_record")), 3);
    cr_assert_eq(json_array_size(json_object_get(t, "step")), 2);
    json_decref(doc);
    reader(RT_READER_PUBLIC);
    ok(rt_store_export(st, &doc, &e), &e);
    t = json_object_get(doc, "tables");
    cr_assert_eq(json_array_size(json_object_get(t, "private_record")), 0);
    cr_assert_eq(json_array_size(json_object_get(t, "step")), 1);
    cr_assert_eq(json_array_size(json_object_get(t, "participant")), 1);
    cr_assert_eq(json_array_size(json_object_get(t, "assessment")), 1);
    cr_assert_eq(json_array_size(json_object_get(t, "link")), 1, "only the open step's answer");
    json_decref(doc);
}

Test(private, a_commitment_fulfilled_by_a_private_step_names_no_step)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = NULL, *restored = NULL;
    struct rt_store *copy = NULL;
    char path[256], *r;
    int64_t c;

    ok(rt_commitment_add(st, rnd, "BLR", NULL, "release the rest", &c, &e), &e);
    ok(rt_commitment_resolve(st, c, "fulfilled", secret_step, "2016-02", NULL, &e), &e);
    r = round_text();
    cr_assert(strstr(r, "\"status\":\"fulfilled\",\"as_of\":\"2016-02\",\"step\":2"), "%s", r);
    free(r);
    reader(RT_READER_PUBLIC);
    r = round_text();
    cr_assert(strstr(r, "\"status\":\"fulfilled\",\"as_of\":\"2016-02\",\"step\":null"), "%s", r);
    free(r);
    /* The export for the public names no step either, and restores. */
    ok(rt_store_export(st, &doc, &e), &e);
    cr_assert(json_is_null(json_object_get(
        json_array_get(json_object_get(json_object_get(doc, "tables"), "commitment_status"), 1),
        "step_id")));
    snprintf(path, sizeof(path), "%s", test_store("restored"));
    ok(rt_store_open(&copy, path, RT_STORE_CREATE, &e), &e);
    ok(rt_store_begin_load(copy, &e), &e);
    ok(rt_store_import_export(copy, "public.json", doc, &e), &e);
    ok(rt_store_commit(copy, &e), &e);
    ok(rt_store_export(copy, &restored, &e), &e);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(restored, "tables"), "step")), 1);
    rt_store_close(copy);
    json_decref(doc);
    json_decref(restored);
}
