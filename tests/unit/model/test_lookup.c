/* Tests of finding records by name (lookup.h): rt_lookup and rt_ref_name. */
#include <criterion/criterion.h>

#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

static struct rt_store *st;

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
    char path[256];
    int64_t dlg, r1, id;

    snprintf(path, sizeof(path), "%s", test_store("k"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    ok(rt_dialogue_add(st, "US-Belarus WG", NULL, parties, 2, &dlg, &e), &e);
    ri.dialogue_id = dlg;
    ri.date = "2015-12-16";
    ri.place = "Washington";
    ri.ordinal = 2;
    ok(rt_round_add(st, &ri, &r1, &e), &e);
    ok(rt_topic_add(st, r1, "Parliamentary elections", NULL, &id, &e), &e);
    ok(rt_ask_add(st, r1, "USA", "BLR", "Release the remaining prisoners", NULL, &id, &e), &e);
    ok(rt_ask_add(st, r1, "USA", "BLR", "Hold elections to OSCE standards", NULL, &id, &e), &e);
    si.actor = "Belarus";
    si.date = "2015-08-22";
    si.kind = "prisoner-release";
    si.quantity = 6;
    si.direction = "positive";
    si.text = "Six political prisoners pardoned";
    ok(rt_step_add(st, &si, &id, &e), &e);
    si.actor = "ODIHR";
    si.date = "2016-12-08";
    si.kind = "statement";
    si.quantity = -1;
    si.text = "Final report on the elections";
    ok(rt_step_add(st, &si, &id, &e), &e);
    rt_error_release(&e);
}

static void teardown(void)
{
    rt_store_close(st);
}

TestSuite(lookup, .init = build, .fini = teardown);

/* The labels of a lookup, joined by " | ". */
static void labels(const char *kind, const char *q, int64_t dialogue, struct rt_buf *out)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *list = NULL, *v;
    size_t i;

    ok(rt_lookup(st, kind, q, dialogue, 10, &list, &e), &e);
    json_array_foreach(list, i, v)
    {
        rt_buf_addf(out, "%s%s=%s", i ? " | " : "", json_string_value(json_object_get(v, "ref")),
                    json_string_value(json_object_get(v, "label")));
    }
    json_decref(list);
}

Test(lookup, names_as_a_person_reads_them)
{
    struct rt_buf b = RT_BUF_INIT;

    labels("step", "pardon", 0, &b);
    cr_assert_str_eq(b.buf,
                     "step:1=step of 2015-08-22 by Belarus: Six political prisoners pardoned");
    rt_buf_reset(&b);
    labels("round", NULL, 1, &b);
    cr_assert_str_eq(b.buf, "1#2=round 2 of US-Belarus WG (2015-12-16, Washington)");
    rt_buf_reset(&b);
    labels("ask", "ELECTIONS", 1, &b);
    cr_assert_str_eq(b.buf, "ask:2=ask 2 of round 2 (United States to Belarus): Hold elections "
                            "to OSCE standards");
    rt_buf_reset(&b);
    labels("topic", "elect", 0, &b);
    cr_assert_str_eq(b.buf, "topic:1=topic of round 2: Parliamentary elections");
    rt_buf_reset(&b);
    labels("ask", "nothing like it", 0, &b);
    cr_assert_str_eq(b.buf, "");
    rt_buf_release(&b);
}

Test(lookup, parties_and_a_dialogue_s_steps)
{
    struct rt_buf b = RT_BUF_INIT;

    labels("party", "belar", 0, &b);
    cr_assert_str_eq(b.buf, "BLR=Belarus");
    rt_buf_reset(&b);
    labels("party", "odihr", 0, &b);
    cr_assert(strstr(b.buf, "ODIHR=ODIHR (OSCE Office"), "%s", b.buf);
    rt_buf_reset(&b);
    /* An organisation's step belongs to every dialogue; a party's to its own. */
    labels("step", NULL, 1, &b);
    cr_assert(strstr(b.buf, "step:1=") && strstr(b.buf, "step:2="), "%s", b.buf);
    rt_buf_release(&b);
}

Test(lookup, references_name_their_record)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *n = NULL;

    ok(rt_ref_name(st, "US-Belarus WG#2", &n, &e), &e);
    cr_assert_str_eq(json_string_value(json_object_get(n, "name")), "round 2 of US-Belarus WG");
    json_decref(n);
    ok(rt_ref_name(st, "step:2", &n, &e), &e);
    cr_assert_str_eq(json_string_value(json_object_get(n, "name")), "step of 2016-12-08 by ODIHR");
    json_decref(n);
    cr_assert_eq(rt_ref_name(st, "step:9", &n, &e), RT_ENOTFOUND);
    cr_assert_null(n);
    rt_error_release(&e);
    cr_assert_eq(rt_ref_name(st, "colour:1", &n, &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(rt_lookup(st, "colour", "a", 0, 10, &n, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "kind");
    rt_error_release(&e);
    cr_assert_eq(rt_lookup(st, "step", "a", 0, 0, &n, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "limit");
    rt_error_release(&e);
    /* A reference of the kind finds that record, and nothing else. */
    ok(rt_lookup(st, "ask", "ask:1", 0, 10, &n, &e), &e);
    cr_assert_eq(json_array_size(n), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(n, 0), "ref")), "ask:1");
    json_decref(n);
    ok(rt_lookup(st, "round", "1#7", 0, 10, &n, &e), &e);
    cr_assert_eq(json_array_size(n), 0);
    json_decref(n);
}
