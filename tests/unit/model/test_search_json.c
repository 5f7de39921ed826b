/*
 * rt_search_result_write_json (src/model/json.c) writes the bytes jansson writes for
 * rt_search_result_to_json with JSON_INDENT(1) | JSON_PRESERVE_ORDER, as the web
 * face's answers did; and refuses, leaving its buffer as it was, what jansson would
 * not take as it is. Made-up results: no database.
 */
#include <criterion/criterion.h>

#include <rightstrack/json.h>

static int append(const char *data, size_t len, void *buf)
{
    return rt_buf_add(buf, data, len) < 0 ? -1 : 0;
}

/* Both ways; returns what the writer returned, and checks the bytes when it wrote. */
static int same_as_jansson(const struct rt_search_result *res, int64_t limit, int64_t offset)
{
    struct rt_buf want = RT_BUF_INIT, got = RT_BUF_INIT;
    json_t *doc = rt_search_result_to_json(res, limit, offset);
    int rc;

    json_dump_callback(doc, append, &want, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    rt_buf_adds(&got, "x");
    rc = rt_search_result_write_json(res, limit, offset, &got);
    if (rc == 0) {
        cr_assert_eq(got.len, want.len + 1, "\n%s\n---\n%s", got.buf + 1, want.buf);
        cr_assert(!memcmp(got.buf + 1, want.buf, want.len), "\n%s\n---\n%s", got.buf + 1, want.buf);
    } else {
        cr_assert_str_eq(got.buf, "x", "a refusal leaves the buffer as it was");
    }
    rt_buf_release(&want);
    rt_buf_release(&got);
    return rc;
}

static struct rt_state_ref by[2] = {{"FRA", "France"}, {"CHL", "Chile"}};
static struct rt_rec_theme themes[3] = {
    {"upr-info", "Women's rights", "official", 1.0},
    {"uhri", "Women's rights", "model", 0.73},
    {"upr-info", "Torture and other CID treatment", "model", 0.1 + 0.2},
};
static struct rt_count responses[2] = {{"supported", 12}, {"noted", 3}};
static struct rt_count states[2] = {{"FRA", 9}, {"CHL", 6}};

static void fill(struct rt_rec *r, int64_t id, char *text)
{
    memset(r, 0, sizeof(*r));
    r->id = id;
    r->text = text;
    memcpy(r->sur.code, "BLR", 4);
}

Test(search_json, the_bytes_of_jansson)
{
    struct rt_rec hits[3];
    struct rt_search_result res = {0};
    char t0[] = "Ensure \"free\" expression\\ in law\n\tand\x01 in practice \x7f",
         t1[] = "Élargir l’accès — 女性 😀", t2[] = "";

    cr_assert_eq(same_as_jansson(&res, 20, 0), 0); /* nothing: [] and {} */
    fill(&hits[0], 1, t0);
    hits[0].mechanism = "UPR";
    hits[0].cycle = 3;
    hits[0].session = 36;
    hits[0].paragraph = "A/HRC/30/3, 127.1";
    hits[0].sur.name = "Belarus";
    hits[0].by = by;
    hits[0].n_by = 2;
    hits[0].response = RT_RESPONSE_NOTED;
    hits[0].action_category = 4;
    hits[0].action_category_origin = "model";
    hits[0].action_category_confidence = 0.8123456789012345;
    hits[0].themes = themes;
    hits[0].n_themes = 3;
    fill(&hits[1], 22, t1);
    hits[1].action_category = 2; /* no origin: null confidence */
    hits[1].themes = themes + 2;
    hits[1].n_themes = 1;
    fill(&hits[2], 3000000000LL, t2);
    hits[2].action_category_origin = "official"; /* no category: both null */
    hits[2].action_category_confidence = 1;
    res.hits = hits;
    res.n_hits = 3;
    res.total = 123456;
    cr_assert_eq(same_as_jansson(&res, 3, 40), 0);
    res.facets[0] = (struct rt_facet){"response", responses, 2};
    res.facets[1] = (struct rt_facet){"cycle", NULL, 0};
    res.facets[2] = (struct rt_facet){"state_under_review", states, 2};
    res.n_facets = 3;
    cr_assert_eq(same_as_jansson(&res, -1, 0), 0);
}

Test(search_json, refuses_what_jansson_would_change)
{
    struct rt_rec hit;
    struct rt_search_result res = {0};
    char bad[] = "over\xc0\xaflong", surrogate[] = "\xed\xa0\x80", cut[] = "cut \xe2\x82",
         fine[] = "fine";
    struct rt_count twice[2] = {{"FRA", 2}, {"FRA", 1}};

    res.hits = &hit;
    res.n_hits = 1;
    fill(&hit, 7, bad);
    cr_assert_eq(same_as_jansson(&res, 20, 0), -1);
    fill(&hit, 7, surrogate);
    cr_assert_eq(same_as_jansson(&res, 20, 0), -1);
    fill(&hit, 7, cut);
    cr_assert_eq(same_as_jansson(&res, 20, 0), -1);
    fill(&hit, 7, fine);
    cr_assert_eq(same_as_jansson(&res, 20, 0), 0);
    res.facets[0] = (struct rt_facet){"state_under_review", twice, 2};
    res.n_facets = 1;
    cr_assert_eq(same_as_jansson(&res, 20, 0), -1);
}

Test(search_json, a_facet_of_many_keys)
{
    struct rt_search_result res = {0};
    static struct rt_count many[200];
    static char keys[200][8];

    for (int i = 0; i < 200; i++) {
        snprintf(keys[i], sizeof(keys[i]), "K%03d", (i * 37) % 200); /* all different */
        many[i] = (struct rt_count){keys[i], 200 - i};
    }
    res.total = -5;
    res.facets[0] = (struct rt_facet){"recommending_state", many, 200};
    res.n_facets = 1;
    cr_assert_eq(same_as_jansson(&res, INT64_MIN, INT64_MAX), 0);
    memcpy(keys[150], keys[3], sizeof(keys[3])); /* one key twice, far apart */
    cr_assert_eq(same_as_jansson(&res, 20, 0), -1);
}
