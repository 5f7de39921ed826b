/*
 * Tests of the domain rules every store back end applies (src/model/rules.c): the
 * merge of twin recommendations, organisations, references, allowed links and the
 * checks of a step. Pure functions: no database.
 */
#include <criterion/criterion.h>

#include <rightstrack/store.h>

#include "model/rules.h"

Test(rules, response_rank)
{
    cr_assert_eq(rt__response_rank(RT_RESPONSE_SUPPORTED), 3);
    cr_assert_eq(rt__response_rank(RT_RESPONSE_NOTED), 2);
    cr_assert_eq(rt__response_rank(RT_RESPONSE_PLEDGE), 1);
    cr_assert_eq(rt__response_rank(RT_RESPONSE_PENDING), 0);
}

/* Whatever order two twins come in, the merge gives the same values and flags. */
Test(rules, merge_does_not_depend_on_order)
{
    static const enum rt_response rs[] = {RT_RESPONSE_SUPPORTED, RT_RESPONSE_NOTED,
                                          RT_RESPONSE_PLEDGE, RT_RESPONSE_PENDING};
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++)
            for (int ca = 0; ca <= 5; ca++)
                for (int cb = 0; cb <= 5; cb++) {
                    enum rt_response r1 = rs[a], r2 = rs[b];
                    int c1 = ca, c2 = cb;
                    unsigned f1 = rt__rec_merge(&r1, &c1, rs[b], cb);
                    unsigned f2 = rt__rec_merge(&r2, &c2, rs[a], ca);
                    cr_assert_eq(r1, r2);
                    cr_assert_eq(c1, c2);
                    cr_assert_eq(f1, f2);
                    cr_assert_eq(c1, ca > cb ? ca : cb);
                    cr_assert_eq(rt__response_rank(r1),
                                 rt__response_rank(rs[a]) > rt__response_rank(rs[b])
                                     ? rt__response_rank(rs[a])
                                     : rt__response_rank(rs[b]));
                }
}

Test(rules, merge_conflicts)
{
    enum rt_response r = RT_RESPONSE_NOTED;
    int c = 0;

    cr_assert_eq(rt__rec_merge(&r, &c, RT_RESPONSE_SUPPORTED, 3), RT_PUT_CONFLICT);
    cr_assert_eq(r, RT_RESPONSE_SUPPORTED);
    cr_assert_eq(c, 3);
    /* Pending is no answer: no conflict, and it never wins. */
    cr_assert_eq(rt__rec_merge(&r, &c, RT_RESPONSE_PENDING, 0), 0);
    cr_assert_eq(r, RT_RESPONSE_SUPPORTED);
    /* The same response with a known category beside an unknown one: none. */
    cr_assert_eq(rt__rec_merge(&r, &c, RT_RESPONSE_SUPPORTED, 0), 0);
    cr_assert_eq(rt__rec_merge(&r, &c, RT_RESPONSE_SUPPORTED, 4), RT_PUT_CONFLICT);
    cr_assert_eq(c, 4);
}

Test(rules, organisations)
{
    cr_assert_str_eq(rt__organisation("odihr"), "ODIHR");
    cr_assert_str_eq(rt__organisation("European Union"), "EU");
    cr_assert_str_eq(rt__organisation("eu"), "EU");
    cr_assert_str_eq(rt__organisation("CoE"), "COE");
    cr_assert_null(rt__organisation("Belarus"));
    cr_assert_null(rt__organisation("European"));
    cr_assert_null(rt__organisation(""));
}

Test(rules, references)
{
    struct rt__ref r;
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt__ref_parse("rec:6159", "to", &r, NULL), 0);
    cr_assert_str_eq(r.kind, "recommendation");
    cr_assert_str_eq(r.table, "recommendation");
    cr_assert_eq(r.id, 6159);
    cr_assert_eq(rt__ref_parse("step:3", "from", &r, NULL), 0);
    cr_assert_str_eq(r.kind, "step");
    cr_assert_eq(r.id, 3);
    static const char *const bad[] = {"step",    "step:",   "step:0",
                                      "step:-1", "step:3x", "person:1",
                                      "steps:1", ":1",      "step:99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        cr_assert_eq(rt__ref_parse(bad[i], "from", &r, &e), RT_EINVAL, "%s", bad[i]);
        cr_assert_str_eq(e.field, "from");
    }
    cr_assert_eq(rt__ref_parse(NULL, "to", &r, &e), RT_EINVAL);
    rt_error_release(&e);
}

Test(rules, links)
{
    cr_assert(rt__link_allowed("step", "answers", "ask"));
    cr_assert(rt__link_allowed("step", "responds-to", "step"));
    cr_assert(rt__link_allowed("benchmark", "tracks", "recommendation"));
    cr_assert_not(rt__link_allowed("ask", "answers", "step"));
    cr_assert_not(rt__link_allowed("step", "about", "recommendation"));
    cr_assert_not(rt__link_allowed("round", "tracks", "step"));
}

Test(rules, step_checks)
{
    struct rt_step_in s = {0};
    struct rt_error e = RT_ERROR_INIT;
    const char *dir = NULL;

    s.date = "2016-09";
    s.text = "Elections held";
    s.kind = "election-held";
    s.quantity = -1;
    cr_assert_eq(rt__step_check(&s, &dir, &e), 0, "%s", e.msg.buf);
    cr_assert_str_eq(dir, "positive");
    s.direction = "negative";
    cr_assert_eq(rt__step_check(&s, &dir, &e), 0);
    cr_assert_str_eq(dir, "negative");
    s.direction = "sideways";
    cr_assert_eq(rt__step_check(&s, &dir, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "direction");
    s.direction = NULL;
    s.kind = "picnic";
    cr_assert_eq(rt__step_check(&s, &dir, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "kind");
    s.kind = "visit";
    s.quantity = -2;
    cr_assert_eq(rt__step_check(&s, &dir, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "quantity");
    s.quantity = 0;
    s.date = "16 May";
    cr_assert_eq(rt__step_check(&s, &dir, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "date");
    s.date = "2016";
    s.text = "";
    cr_assert_eq(rt__step_check(&s, &dir, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "text");
    rt_error_release(&e);
}

Test(rules, texts)
{
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt__check_texts(&e, "name", "Belarus", "note", NULL, "kind", "visit", NULL), 0);
    cr_assert_eq(rt__check_texts(&e, "name", "ok", "note", "bad\x01text", NULL), RT_EINVAL);
    cr_assert_str_eq(e.field, "note");
    rt_error_release(&e);
}

/* The words a reader sees for stored values (model.h), the same on both faces. */
Test(rules, words_for_readers)
{
    struct rt_rec r;
    char out[48];

    cr_assert_str_eq(rt_theme_prefix("16.1"), "SDG ");
    cr_assert_str_eq(rt_theme_prefix("16. Peace, justice and strong institutions"), "SDG ");
    cr_assert_str_eq(rt_theme_prefix("4.b"), "SDG ");
    cr_assert_str_eq(rt_theme_prefix("Women's rights"), "");
    cr_assert_str_eq(rt_theme_prefix("1325 agenda"), "");
    cr_assert_str_eq(rt_theme_prefix("123.4"), "");
    cr_assert_str_eq(rt_theme_prefix(""), "");

    cr_assert_str_eq(rt_facet_heading("state_under_review"), "State under review");
    cr_assert_str_eq(rt_facet_heading("cycle"), "Cycle");
    cr_assert_str_eq(rt_facet_heading("other"), "other");
    cr_assert_str_eq(rt_mechanism_text("odihr"), "OSCE/ODIHR");
    cr_assert_str_eq(rt_mechanism_text("something"), "something");

    rt_rec_init(&r);
    r.mechanism = (char *)"upr";
    r.cycle = 2;
    r.session = 13;
    cr_assert_str_eq(rt_rec_made_text(&r, out), "session 13 (cycle 2)");
    r.session = 0;
    cr_assert_str_eq(rt_rec_made_text(&r, out), "cycle 2");
    r.cycle = 0;
    cr_assert_str_eq(rt_rec_made_text(&r, out), "UPR");
    r.mechanism = (char *)"odihr";
    cr_assert_str_eq(rt_rec_made_text(&r, out), "OSCE/ODIHR");
}
