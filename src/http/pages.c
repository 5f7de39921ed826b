/* Server-rendered pages: readable without JavaScript, built with the escaping builder. */
#include <errno.h>

#include <rightstrack/entity.h>
#include <rightstrack/json.h>
#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>
#include <rightstrack/report.h>
#include <rightstrack/search.h>

#include "html.h"
#include "http_int.h"

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A round's page: /dialogues/D/rounds/N, from a round object with dialogue and ordinal. */
/* Says, when the record o (a dialogue or round as read) was withdrawn, as of when and why. */
static void withdrawn_note(struct rt_buf *b, json_t *o)
{
    if (!jstr(o, "withdrawn"))
        return;
    RT_HTML_LIT(b, "<p role=\"status\" class=\"neg\"><strong>Withdrawn");
    if (jstr(o, "withdrawn_on")) {
        RT_HTML_LIT(b, " as of ");
        rt_html_text(b, jstr(o, "withdrawn_on"));
    }
    RT_HTML_LIT(b, ":</strong> ");
    rt_html_text(b, jstr(o, "withdrawn"));
    RT_HTML_LIT(b, "</p>");
}

/* Links to the record's page (to edit or withdraw it) and its history (record_page.c). */
static void record_links(struct rt_buf *b, const char *kind, json_t *id)
{
    RT_HTML_LIT(b, " <small class=\"record-links\"><a href=\"/records/");
    rt_html_text(b, kind);
    rt_buf_addch(b, ':');
    rt_html_json(b, id);
    RT_HTML_LIT(b, "\">edit</a> &middot; <a href=\"/records/");
    rt_html_text(b, kind);
    rt_buf_addch(b, ':');
    rt_html_json(b, id);
    RT_HTML_LIT(b, "/history\">history</a></small>");
}

/* The same for a round, named as the CLI names it (D#N, the # escaped), not by its row. */
static void round_record_links(struct rt_buf *b, long long dialogue, json_t *r)
{
    long long n = (long long)json_integer_value(json_object_get(r, "ordinal"));

    rt_buf_addf(b,
                " <small class=\"record-links\"><a href=\"/records/%lld%%23%lld\">edit</a>"
                " &middot; <a href=\"/records/%lld%%23%lld/history\">history</a></small>",
                dialogue, n, dialogue, n);
}

static void round_href(struct rt_buf *b, long long dialogue, json_t *r)
{
    rt_buf_addf(b, "/dialogues/%lld/rounds/%lld", dialogue,
                (long long)json_integer_value(json_object_get(r, "ordinal")));
}

/* The same for the round whose record id is id, in out[256]; -1 when there is none. */
static int round_url(struct rt_store *st, int64_t id, char *out, size_t size)
{
    json_t *r = NULL;
    int n = -1;

    if (rt_round_get(st, id, &r, NULL) == 0)
        n = snprintf(
            out, size, "/dialogues/%lld/rounds/%lld",
            (long long)json_integer_value(json_object_get(json_object_get(r, "dialogue"), "id")),
            (long long)json_integer_value(json_object_get(r, "ordinal")));
    json_decref(r);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* A step as a list item, what it answers and responds to named (pick.c); a step of
 * dialogue's page links there (0: its actor's page). */
static void step_item(struct rt_store *st, struct rt_buf *b, json_t *s, long long dialogue)
{
    json_t *v;
    size_t i;

    RT_HTML_LIT(b, "<li id=\"step-");
    rt_html_json(b, json_object_get(s, "id"));
    RT_HTML_LIT(b, "\"><strong>");
    rt_html_text(b, jstr(s, "date"));
    RT_HTML_LIT(b, "</strong> ");
    rt_http_party_text(st, b, jstr(s, "actor") ? jstr(s, "actor") : "");
    RT_HTML_LIT(b, " <span class=\"tag\">");
    rt_html_text(b, jstr(s, "kind"));
    if (json_is_integer(json_object_get(s, "quantity"))) {
        RT_HTML_LIT(b, ", ");
        rt_html_json(b, json_object_get(s, "quantity"));
    }
    RT_HTML_LIT(b, "</span>");
    rt_http_private_mark(b, s);
    RT_HTML_LIT(b, " ");
    if (!strcmp(jstr(s, "direction") ? jstr(s, "direction") : "", "negative"))
        RT_HTML_LIT(b, "<span class=\"neg\">(negative)</span> ");
    rt_html_text(b, jstr(s, "text"));
    json_array_foreach(json_object_get(s, "responds_to"), i, v)
    {
        char ref[40];
        snprintf(ref, sizeof(ref), "step:%lld", (long long)json_integer_value(v));
        RT_HTML_LIT(b, "<br><span class=\"muted\">in response to ");
        rt_http_ref_link(st, b, ref, dialogue, 1);
        RT_HTML_LIT(b, "</span>");
    }
    json_array_foreach(json_object_get(s, "answers"), i, v)
    {
        RT_HTML_LIT(b, "<br><span class=\"muted\">answers ");
        rt_http_ref_link(st, b, json_string_value(v), dialogue, 1);
        RT_HTML_LIT(b, "</span>");
    }
    record_links(b, "step", json_object_get(s, "id"));
    rt_http_person_names(st, b, "step", json_integer_value(json_object_get(s, "id")));
    RT_HTML_LIT(b, "</li>\n");
}

/* n with thousands separated by commas: 1,433. */
static void add_count(struct rt_buf *b, long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? 0 : n);

    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            rt_buf_addch(b, ',');
        rt_buf_addch(b, digits[i]);
    }
}

static void home(struct rt_store *st, struct rt_http_resp *resp)
{
    struct rt_buf *b = &resp->body;
    int64_t recs = 0, states = 0;
    json_t *list = NULL, *d;
    size_t i;

    html_begin(b, "Start");
    RT_HTML_LIT(b,
                "<h1>rightstrack</h1><p>Follow-up of human-rights recommendations and "
                "dialogues.</p><form class=\"search\" action=\"/search\" method=\"get\">"
                "<div><label for=\"q\">Find recommendations</label>"
                "<input id=\"q\" name=\"q\" size=\"40\" placeholder=\"e.g. death penalty\"></div>"
                "<div><label for=\"sur\">State under review</label>"
                "<input id=\"sur\" name=\"sur\" size=\"16\" placeholder=\"e.g. Belarus\"></div>"
                "<button type=\"submit\">Search</button></form>");
    if (rt_store_totals(st, &recs, &states, NULL) == 0) {
        RT_HTML_LIT(b, "<p class=\"muted\">");
        add_count(b, (long long)recs);
        rt_html_text(b, " recommendations to ");
        add_count(b, (long long)states);
        rt_html_text(b, " states.");
        RT_HTML_LIT(b, "</p>");
    }
    RT_HTML_LIT(b, "<h2>Dialogues</h2><ul>");
    if (rt_dialogue_list(st, &list, NULL) == 0) {
        json_array_foreach(list, i, d)
        {
            RT_HTML_LIT(b, "<li><a href=\"/dialogues/");
            rt_html_json(b, json_object_get(d, "id"));
            RT_HTML_LIT(b, "\">");
            rt_html_text(b, jstr(d, "name"));
            RT_HTML_LIT(b, "</a> <span class=\"muted\">");
            rt_html_json(b, json_object_get(d, "rounds"));
            RT_HTML_LIT(b, " rounds");
            if (jstr(d, "last_round")) {
                RT_HTML_LIT(b, ", last ");
                rt_html_text(b, jstr(d, "last_round"));
            }
            RT_HTML_LIT(b, "</span></li>");
        }
    }
    json_decref(list);
    RT_HTML_LIT(b, "</ul><p><a id=\"new-dialogue\" href=\"/dialogues/new\">Create a dialogue</a> "
                   "&middot; <a href=\"/imports\">Import recommendations</a></p>");
    html_end(b);
}

/*
 * A link to the search with the page's arguments, less those named in drop (a
 * NULL-ended list), and then key=value when key is not NULL. path is "/search" or
 * the API's. offset always goes, and sort and order go with a new sort.
 */
static void search_link(struct rt_buf *b, const struct rt_http_req *req, const char *path,
                        const char *const *drop, const char *key, const char *value)
{
    int first = 1;
    rt_buf_adds(b, path);
    for (size_t i = 0; i < req->n_args; i++) {
        int skip = !strcmp(req->args[i].key, "offset") || !*req->args[i].value;
        for (size_t k = 0; drop && drop[k]; k++)
            skip |= !strcmp(req->args[i].key, drop[k]);
        if (skip)
            continue;
        rt_buf_addch(b, first ? '?' : '&');
        first = 0;
        rt_html_url_arg(b, req->args[i].key);
        rt_buf_addch(b, '=');
        rt_html_url_arg(b, req->args[i].value);
    }
    if (key) {
        rt_buf_addch(b, first ? '?' : '&');
        rt_html_url_arg(b, key);
        rt_buf_addch(b, '=');
        rt_html_url_arg(b, value);
    }
}

/* The search page's link to itself with one argument changed (value NULL: removed). */
static void self_link(struct rt_buf *b, const struct rt_http_req *req, const char *key,
                      const char *value)
{
    const char *drop[] = {key, NULL};
    search_link(b, req, "/search", drop, value ? key : NULL, value);
}

/*
 * A column header that sorts: a link to the results in that order, ascending, or
 * reversed when they are in it already; aria-sort says the order shown.
 */
static void sort_header(struct rt_buf *b, const struct rt_http_req *req, const struct rt_query *q,
                        int sort, const char *label)
{
    static const char *const drop[] = {"sort", "order", NULL};
    int on = q->sort == sort;
    struct rt_buf href = RT_BUF_INIT;

    RT_HTML_LIT(b, "<th scope=\"col\"");
    if (on && q->desc)
        RT_HTML_LIT(b, " aria-sort=\"descending\"");
    else if (on)
        RT_HTML_LIT(b, " aria-sort=\"ascending\"");
    RT_HTML_LIT(b, "><a href=\"");
    search_link(&href, req, "/search", drop, "sort", rt_search_sort_name(sort));
    rt_buf_add(b, href.buf, href.len);
    if (on && !q->desc)
        RT_HTML_LIT(b, "&order=desc");
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, label);
    if (on)
        rt_html_text(b, q->desc ? " \u25bc" : " \u25b2");
    RT_HTML_LIT(b, "</a></th>");
    rt_buf_release(&href);
}

/* A link to page number n (1-based) of the results, or the page itself when current. */
static void page_link(struct rt_buf *b, const struct rt_http_req *req, const struct rt_query *q,
                      long long n, long long current, const char *rel, const char *label)
{
    char num[32];

    if (n == current && !rel) {
        RT_HTML_LIT(b, "<strong aria-current=\"page\">");
        rt_html_textf(b, "%lld", n);
        RT_HTML_LIT(b, "</strong> ");
        return;
    }
    snprintf(num, sizeof(num), "%lld", (long long)((n - 1) * q->limit));
    RT_HTML_LIT(b, "<a ");
    if (rel) {
        RT_HTML_LIT(b, "rel=\"");
        rt_html_text(b, rel);
        RT_HTML_LIT(b, "\" ");
    }
    RT_HTML_LIT(b, "href=\"");
    self_link(b, req, "offset", num);
    RT_HTML_LIT(b, "\">");
    if (label)
        rt_html_text(b, label);
    else
        rt_html_textf(b, "%lld", n);
    RT_HTML_LIT(b, "</a> ");
}

/* Numbered pages with the total: "Page 3 of 72 · 1,433 results", Previous, 1 … 5, Next. */
static void paging(struct rt_buf *b, const struct rt_http_req *req, const struct rt_query *q,
                   int64_t total)
{
    long long pages = total > 0 ? (long long)((total + q->limit - 1) / q->limit) : 1;
    long long current = q->offset / q->limit + 1;
    long long from = current - 2 > 1 ? current - 2 : 1, to = current + 2;

    if (to > pages)
        to = pages;
    RT_HTML_LIT(b, "<nav class=\"paging\" aria-label=\"Pages of results\"><p>");
    rt_html_textf(b, "Page %lld of %lld \u00b7 ", current, pages);
    add_count(b, (long long)total);
    rt_html_text(b, total == 1 ? " result" : " results");
    RT_HTML_LIT(b, "</p><p>");
    if (q->offset > 0) {
        char num[32];
        snprintf(num, sizeof(num), "%lld",
                 (long long)(q->offset > q->limit ? q->offset - q->limit : 0));
        RT_HTML_LIT(b, "<a rel=\"prev\" href=\"");
        self_link(b, req, "offset", num);
        RT_HTML_LIT(b, "\">Previous</a> ");
    }
    if (pages > 1) {
        if (from > 1)
            page_link(b, req, q, 1, current, NULL, NULL);
        if (from > 2)
            RT_HTML_LIT(b, "\u2026 ");
        for (long long n = from; n <= to; n++)
            page_link(b, req, q, n, current, NULL, NULL);
        if (to < pages - 1)
            RT_HTML_LIT(b, "\u2026 ");
        if (to < pages)
            page_link(b, req, q, pages, current, NULL, NULL);
    }
    if (q->offset + q->limit < total)
        page_link(b, req, q, current + 1, current, "next", "Next");
    RT_HTML_LIT(b, "</p></nav>");
}

static void input(struct rt_buf *b, const char *id, const char *label, const char *value,
                  const char *size)
{
    RT_HTML_LIT(b, "<div><label for=\"");
    rt_html_text(b, id);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, label);
    RT_HTML_LIT(b, "</label><input id=\"");
    rt_html_text(b, id);
    RT_HTML_LIT(b, "\" name=\"");
    rt_html_text(b, id);
    RT_HTML_LIT(b, "\" size=\"");
    rt_html_text(b, size);
    RT_HTML_LIT(b, "\" value=\"");
    rt_html_text(b, value);
    RT_HTML_LIT(b, "\"></div>");
}

static void search_page(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    /* Each facet's name in the store, its argument in the page's links and its heading. */
    /* A facet's name in the store and the argument that filters on it. */
    static const char *const facet[][2] = {{"response", "response"},
                                           {"cycle", "cycle"},
                                           {"theme", "theme"},
                                           {"state_under_review", "sur"}};
    struct rt_buf *b = &resp->body;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error err = RT_ERROR_INIT;
    char num[32];
    /* The page reads its arguments as the API does; a bad one is shown above the form. */
    int bad = rt_http_query(req, &q, &err) < 0;

    q.facets = 1;
    html_begin(b, "Recommendations");
    RT_HTML_LIT(b, "<h1>Recommendations</h1><form class=\"search\" action=\"/search\" "
                   "method=\"get\" role=\"search\">");
    input(b, "q", "Words", q.text, "30");
    input(b, "sur", "State under review", q.sur, "14");
    input(b, "by", "Recommended by", q.by, "14");
    input(b, "theme", "Theme", q.theme, "14");
    RT_HTML_LIT(b, "<div><label for=\"response\">Response</label><select id=\"response\" "
                   "name=\"response\"><option value=\"\">any</option>");
    {
        static const char *const rs[] = {"supported", "noted", "pledge", "pending"};
        for (size_t i = 0; i < 4; i++) {
            RT_HTML_LIT(b, "<option");
            if (q.response >= 0 && !strcmp(rt_response_name((enum rt_response)q.response), rs[i]))
                RT_HTML_LIT(b, " selected");
            RT_HTML_LIT(b, ">");
            rt_html_text(b, rs[i]);
            RT_HTML_LIT(b, "</option>");
        }
    }
    RT_HTML_LIT(b, "</select></div>");
    snprintf(num, sizeof(num), "%d", q.cycle);
    input(b, "cycle", "Cycle", q.cycle ? num : "", "3");
    RT_HTML_LIT(b, "<div><label for=\"mechanism\">From</label><select id=\"mechanism\" "
                   "name=\"mechanism\"><option value=\"\">any mechanism</option>");
    {
        /* The mechanisms the data holds today, by the names a desk officer knows. */
        static const char *const ms[] = {"upr", "odihr", "treaty-body"};
        for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
            RT_HTML_LIT(b, "<option value=\"");
            rt_html_text(b, ms[i]);
            RT_HTML_LIT(b, "\"");
            if (q.mechanism && !strcmp(q.mechanism, ms[i]))
                RT_HTML_LIT(b, " selected");
            RT_HTML_LIT(b, ">");
            rt_html_text(b, rt_mechanism_text(ms[i]));
            RT_HTML_LIT(b, "</option>");
        }
    }
    RT_HTML_LIT(b, "</select></div>");
    RT_HTML_LIT(b, "<button type=\"submit\">Search</button></form>\n");
    if (bad || rt_search(st, &q, &res, &err) < 0) {
        RT_HTML_LIT(b, "<p role=\"alert\"><strong>");
        rt_html_text(b, err.msg.buf);
        RT_HTML_LIT(b, "</strong></p>");
        goto out;
    }
    RT_HTML_LIT(b, "<p><strong>");
    add_count(b, (long long)res.total);
    rt_html_text(b, res.total == 1 ? " recommendation" : " recommendations");
    RT_HTML_LIT(b, "</strong>");
    if (res.n_hits)
        rt_html_textf(b, ", %lld to %lld", (long long)q.offset + 1,
                      (long long)q.offset + (long long)res.n_hits);
    RT_HTML_LIT(b, "</p><div class=\"facets\">");
    for (size_t f = 0; f < res.n_facets; f++) {
        size_t i = 0;
        int states;

        while (i < 3 && strcmp(facet[i][0], res.facets[f].name))
            i++;
        states = !strcmp(facet[i][0], "state_under_review");
        RT_HTML_LIT(b, "<p><strong>");
        rt_html_text(b, rt_facet_heading(facet[i][0]));
        RT_HTML_LIT(b, ":</strong> ");
        for (size_t k = 0; k < res.facets[f].n && k < 12; k++) {
            RT_HTML_LIT(b, "<a href=\"");
            self_link(b, req, facet[i][1], res.facets[f].counts[k].key);
            RT_HTML_LIT(b, "\">");
            if (states) {
                rt_http_party_text(st, b, res.facets[f].counts[k].key);
            } else {
                if (!strcmp(facet[i][0], "theme"))
                    rt_html_text(b, rt_theme_prefix(res.facets[f].counts[k].key));
                rt_html_text(b, res.facets[f].counts[k].key);
            }
            RT_HTML_LIT(b, "</a> (");
            add_count(b, (long long)res.facets[f].counts[k].n);
            RT_HTML_LIT(b, ") ");
        }
        RT_HTML_LIT(b, "</p>");
    }
    RT_HTML_LIT(b, "</div>");
    if (res.total > 0) {
        static const char *const drop[] = {"format", "limit", NULL};
        RT_HTML_LIT(b, "<p class=\"download\">All ");
        add_count(b, (long long)res.total);
        rt_html_text(b, res.total == 1 ? " result, " : " results, ");
        RT_HTML_LIT(b, "not only this page: <a download href=\"");
        search_link(b, req, "/api/v1/recommendations", drop, "format", "csv");
        RT_HTML_LIT(b, "\">Download CSV</a> \u00b7 <a download href=\"");
        search_link(b, req, "/api/v1/recommendations", drop, "format", "xlsx");
        RT_HTML_LIT(b, "\">Download Excel</a></p>");
    }
    rt_http_select_begin(b); /* check boxes to link the selected (pick.c) */
    RT_HTML_LIT(b, "<table class=\"results\"><thead><tr><th scope=\"col\">Select</th>"
                   "<th scope=\"col\">#</th>");
    sort_header(b, req, &q, RT_SORT_RELEVANCE,
                q.text ? "Recommendation (by relevance)" : "Recommendation (as imported)");
    sort_header(b, req, &q, RT_SORT_STATE, "State under review");
    RT_HTML_LIT(b, "<th scope=\"col\">Recommended by</th>");
    sort_header(b, req, &q, RT_SORT_SESSION, "Session");
    sort_header(b, req, &q, RT_SORT_RESPONSE, "Response");
    RT_HTML_LIT(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < res.n_hits; i++) {
        const struct rt_rec *r = &res.hits[i];
        RT_HTML_LIT(b, "<tr class=\"hit\">");
        rt_http_select_box(b, (long long)r->id, r->text);
        RT_HTML_LIT(b, "<td class=\"muted\">");
        rt_html_textf(b, "%lld", (long long)q.offset + (long long)i + 1);
        RT_HTML_LIT(b, "</td><td><a href=\"/recommendations/");
        rt_html_textf(b, "%lld", (long long)r->id);
        RT_HTML_LIT(b, "\">");
        rt_html_text(b, r->text);
        RT_HTML_LIT(b, "</a></td><td>");
        rt_html_text(b, r->sur.name);
        RT_HTML_LIT(b, "</td><td>");
        for (size_t k = 0; k < r->n_by; k++) {
            if (k)
                RT_HTML_LIT(b, ", ");
            rt_html_text(b, r->by[k].name);
        }
        RT_HTML_LIT(b, "</td><td>");
        {
            char made[48];
            rt_html_text(b, rt_rec_made_text(r, made));
        }
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, rt_response_name(r->response));
        RT_HTML_LIT(b, "</td></tr>\n");
    }
    RT_HTML_LIT(b, "</tbody></table>");
    rt_http_select_end(b);
    paging(b, req, &q, res.total);
out:
    html_end(b);
    rt_search_result_release(&res);
    rt_error_release(&err);
}

/* A form shows the fields of an entity (entity.h) but those the page fills itself. */
static int form_skips(const char *const *skip, const char *name)
{
    for (size_t i = 0; skip && skip[i]; i++)
        if (!strcmp(skip[i], name))
            return 1;
    return 0;
}

/* The value a field had, as text (lists joined by spaces). */
static void field_value(struct rt_buf *b, json_t *values, const char *name)
{
    json_t *v = json_object_get(values, name), *e;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e)
        {
            if (i)
                rt_buf_addch(b, ' ');
            rt_buf_adds(b, json_string_value(e) ? json_string_value(e) : "");
        }
    } else if (json_is_integer(v)) {
        rt_buf_addf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_true(v)) {
        rt_buf_adds(b, "on"); /* a ticked check box */
    } else if (json_is_string(v)) {
        rt_buf_adds(b, json_string_value(v));
    }
}

static void options(struct rt_buf *b, const char *const *list, const char *selected)
{
    for (size_t i = 0; list[i]; i++) {
        RT_HTML_LIT(b, "<option");
        if (selected && !strcmp(selected, list[i]))
            RT_HTML_LIT(b, " selected");
        RT_HTML_LIT(b, ">");
        rt_html_text(b, list[i]);
        RT_HTML_LIT(b, "</option>");
    }
}

/* The hint under a field: its help, and for a date the formats it takes; a picker's
 * says what to type to find its records, and without the script how to name them. */
static void field_hint(struct rt_buf *b, const char *key, const struct rt_field *f,
                       const char *entity)
{
    const char *pick = rt_http_pick_hint(entity, f);

    RT_HTML_LIT(b, "<small class=\"muted\" id=\"h-");
    rt_html_text(b, key);
    rt_buf_addch(b, '-');
    rt_html_text(b, f->name);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, pick ? pick : f->help);
    if (pick) {
        RT_HTML_LIT(b, "<noscript> (");
        rt_html_text(b, f->help);
        RT_HTML_LIT(b, ")</noscript>");
    }
    RT_HTML_LIT(b, "</small>");
}

/*
 * One field of a form, by its type: a text area for a long text, a select for a choice,
 * an input otherwise. The one place a field becomes HTML (a picker for references
 * belongs here).
 */
static void form_field(struct rt_buf *b, const char *key, const struct rt_field *f,
                       const char *value, const struct rt_error *err, const char *entity,
                       const char *action)
{
    int required = (f->flags & RT_FIELD_REQUIRED) != 0;
    int invalid = err && err->field && !strcmp(err->field, f->name);

    RT_HTML_LIT(b, "<p><label for=\"f-");
    rt_html_text(b, key);
    rt_buf_addch(b, '-');
    rt_html_text(b, f->name);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, f->label);
    if (required)
        RT_HTML_LIT(b, " (required)");
    RT_HTML_LIT(b, "</label> ");
    switch (f->type) {
    case RT_FIELD_LONGTEXT:
        RT_HTML_LIT(b, "<textarea rows=\"3\" cols=\"60\"");
        break;
    case RT_FIELD_CHOICE:
        RT_HTML_LIT(b, "<select");
        break;
    case RT_FIELD_FLAG:
        RT_HTML_LIT(b, "<input type=\"checkbox\"");
        break;
    default:
        RT_HTML_LIT(b, "<input size=\"40\"");
    }
    RT_HTML_LIT(b, " id=\"f-");
    rt_html_text(b, key);
    rt_buf_addch(b, '-');
    rt_html_text(b, f->name);
    RT_HTML_LIT(b, "\" name=\"");
    rt_html_text(b, f->name);
    RT_HTML_LIT(b, "\" aria-describedby=\"h-");
    rt_html_text(b, key);
    rt_buf_addch(b, '-');
    rt_html_text(b, f->name);
    RT_HTML_LIT(b, "\"");
    if (f->type == RT_FIELD_INT)
        RT_HTML_LIT(b, " inputmode=\"numeric\"");
    rt_http_pick_field(b, entity, action, f); /* a record: picked by name (pick.c) */
    if (required && f->type != RT_FIELD_CHOICE)
        RT_HTML_LIT(b, " required");
    if (invalid)
        RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
    if (f->type == RT_FIELD_LONGTEXT) {
        RT_HTML_LIT(b, ">");
        rt_html_text(b, value);
        RT_HTML_LIT(b, "</textarea>");
    } else if (f->type == RT_FIELD_CHOICE) {
        RT_HTML_LIT(b, ">");
        options(b, f->vocabulary, *value ? value : NULL);
        RT_HTML_LIT(b, "</select>");
    } else if (f->type == RT_FIELD_FLAG) {
        RT_HTML_LIT(b, " value=\"on\"");
        if (*value)
            RT_HTML_LIT(b, " checked");
        RT_HTML_LIT(b, ">");
    } else {
        RT_HTML_LIT(b, " value=\"");
        rt_html_text(b, value);
        RT_HTML_LIT(b, "\">");
    }
    rt_buf_addch(b, ' ');
    field_hint(b, key, f, entity);
    RT_HTML_LIT(b, "</p>");
}

/*
 * The form of an entity (entity.h) that posts to action, its fields but skip made by
 * form_field; values (may be NULL) refill it after an error, which is shown above it,
 * and the field it names is marked.
 */
static void render_form(struct rt_buf *b, const char *action, const char *title, const char *entity,
                        const char *const *skip, json_t *values, const struct rt_error *err)
{
    const struct rt_entity *e = rt_entity_find(entity);
    struct rt_buf val = RT_BUF_INIT;
    const char *key = strrchr(action, '/') + 1; /* "steps", "rounds": ids unique on a page */

    RT_HTML_LIT(b, "<section><h2 id=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, title);
    RT_HTML_LIT(b, "</h2>");
    if (err && err->code) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not saved: ");
        if (err->field) {
            rt_html_text(b, err->field);
            RT_HTML_LIT(b, ": ");
        }
        rt_html_text(b, err->msg.buf);
        RT_HTML_LIT(b, "</strong></p>");
    }
    RT_HTML_LIT(b, "<form method=\"post\" action=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "\"><input type=\"hidden\" name=\"" RT_HTTP_CSRF_FIELD "\" value=\"");
    rt_html_text(b, rt_http_csrf_token());
    RT_HTML_LIT(b, "\">");
    for (const struct rt_field *f = e->fields; f->name; f++) {
        if (form_skips(skip, f->name))
            continue;
        rt_buf_reset(&val);
        field_value(&val, values, f->name);
        form_field(b, key, f, val.len ? val.buf : "", err, entity, action);
    }
    RT_HTML_LIT(b, "<p><button type=\"submit\">Save</button></p></form></section>");
    rt_buf_release(&val);
}

void rt_http_entity_form(struct rt_buf *b, const char *action, const char *title,
                         const char *entity, const char *const *skip, json_t *values,
                         const struct rt_error *err)
{
    render_form(b, action, title, entity, skip, values, err);
}

/* A round as a link to its page, named by its number in its dialogue. */
static void round_ref(struct rt_buf *b, json_t *round)
{
    RT_HTML_LIT(b, "<a href=\"/rounds/");
    rt_html_textf(b, "%lld", (long long)json_integer_value(json_object_get(round, "id")));
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, jstr(round, "label"));
    RT_HTML_LIT(b, "</a>");
}

/*
 * What the ledger links to a recommendation (rt_rec_ledger): the rounds, topics and
 * asks about it, the steps that answer it, and its assessments with who made them.
 */
static void rec_ledger_sections(struct rt_store *st, struct rt_buf *b, json_t *ledger)
{
    json_t *rounds = json_object_get(ledger, "rounds"), *topics = json_object_get(ledger, "topics");
    json_t *asks = json_object_get(ledger, "asks"), *steps = json_object_get(ledger, "steps");
    json_t *assessments = json_object_get(ledger, "assessments"), *v;
    size_t i;

    RT_HTML_LIT(b, "<h2>In the dialogue ledger</h2>");
    if (!json_array_size(rounds) && !json_array_size(steps)) {
        RT_HTML_LIT(b, "<p class=\"muted\">No round, topic, ask or step is linked to this "
                       "recommendation yet.</p>");
    }
    if (json_array_size(rounds)) {
        RT_HTML_LIT(b, "<h3>Rounds</h3><ul class=\"ledger-rounds\">");
        json_array_foreach(rounds, i, v)
        {
            RT_HTML_LIT(b, "<li>");
            round_ref(b, v);
            RT_HTML_LIT(b, " <span class=\"muted\">");
            rt_html_text(b, jstr(v, "date"));
            RT_HTML_LIT(b, "</span></li>");
        }
        RT_HTML_LIT(b, "</ul>");
    }
    if (json_array_size(topics)) {
        RT_HTML_LIT(b, "<h3>Topics</h3><table class=\"ledger-topics\"><thead><tr>"
                       "<th scope=\"col\">Topic</th><th scope=\"col\">Round</th></tr></thead>"
                       "<tbody>");
        json_array_foreach(topics, i, v)
        {
            RT_HTML_LIT(b, "<tr><td>");
            rt_html_text(b, jstr(v, "text"));
            RT_HTML_LIT(b, "</td><td>");
            round_ref(b, json_object_get(v, "round"));
            RT_HTML_LIT(b, "</td></tr>");
        }
        RT_HTML_LIT(b, "</tbody></table>");
    }
    if (json_array_size(asks)) {
        RT_HTML_LIT(b, "<h3>Asks</h3><table class=\"ledger-asks\"><thead><tr>"
                       "<th scope=\"col\">Ask</th><th scope=\"col\">By, of</th>"
                       "<th scope=\"col\">Round</th><th scope=\"col\">Latest assessment</th>"
                       "</tr></thead><tbody>");
        json_array_foreach(asks, i, v)
        {
            json_t *a = json_object_get(v, "assessment");
            RT_HTML_LIT(b, "<tr><td>");
            rt_html_text(b, jstr(v, "text"));
            RT_HTML_LIT(b, "</td><td>");
            rt_http_party_text(st, b, jstr(v, "from"));
            RT_HTML_LIT(b, " to ");
            rt_http_party_text(st, b, jstr(v, "to"));
            RT_HTML_LIT(b, "</td><td>");
            round_ref(b, json_object_get(v, "round"));
            RT_HTML_LIT(b, "</td><td>");
            if (json_is_object(a)) {
                rt_html_textf(b, "%s, %s", jstr(a, "status"), jstr(a, "as_of"));
                if (jstr(a, "assessor"))
                    rt_html_textf(b, ", by %s", jstr(a, "assessor"));
            } else {
                RT_HTML_LIT(b, "<span class=\"muted\">not assessed</span>");
            }
            RT_HTML_LIT(b, "</td></tr>");
        }
        RT_HTML_LIT(b, "</tbody></table>");
    }
    if (json_array_size(steps)) {
        RT_HTML_LIT(b, "<h3>Steps that answer it</h3><table class=\"ledger-steps\"><thead><tr>"
                       "<th scope=\"col\">Date</th><th scope=\"col\">Who</th>"
                       "<th scope=\"col\">Kind</th><th scope=\"col\">What happened</th>"
                       "<th scope=\"col\">Source</th></tr></thead><tbody>");
        json_array_foreach(steps, i, v)
        {
            RT_HTML_LIT(b, "<tr><td>");
            rt_html_text(b, jstr(v, "date"));
            RT_HTML_LIT(b, "</td><td>");
            rt_http_party_text(st, b, jstr(v, "actor") ? jstr(v, "actor") : "");
            RT_HTML_LIT(b, "</td><td>");
            rt_html_text(b, jstr(v, "kind"));
            RT_HTML_LIT(b, "</td><td>");
            rt_html_text(b, jstr(v, "text"));
            RT_HTML_LIT(b, "</td><td>");
            rt_html_text(b, jstr(v, "source"));
            RT_HTML_LIT(b, "</td></tr>");
        }
        RT_HTML_LIT(b, "</tbody></table>");
    }
    RT_HTML_LIT(b, "<h2>Implementation</h2>");
    if (!json_array_size(assessments)) {
        RT_HTML_LIT(b, "<p class=\"muted\">Not assessed yet.</p>");
        return;
    }
    RT_HTML_LIT(b, "<table class=\"assessments\"><thead><tr><th scope=\"col\">As of</th>"
                   "<th scope=\"col\">Status</th><th scope=\"col\">Assessed by</th>"
                   "<th scope=\"col\">Evidence</th><th scope=\"col\">Source</th></tr></thead>"
                   "<tbody>");
    json_array_foreach(assessments, i, v)
    {
        RT_HTML_LIT(b, "<tr><td>");
        rt_html_text(b, jstr(v, "as_of"));
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "status"));
        rt_http_private_mark(b, v);
        RT_HTML_LIT(b, "</td><td>");
        if (jstr(v, "assessor"))
            rt_html_text(b, jstr(v, "assessor"));
        else
            RT_HTML_LIT(b, "<span class=\"muted\">not said</span>");
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "evidence"));
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "source"));
        RT_HTML_LIT(b, "</td></tr>");
    }
    RT_HTML_LIT(b, "</tbody></table>");
}

static void recommendation_page(struct rt_store *st, int64_t id, struct rt_http_resp *resp,
                                json_t *values, const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_rec r;
    json_t *ledger = NULL;

    rt_rec_init(&r);
    if (rt_store_rec_get(st, id, &r, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    {
        /* Named as every page names it: to whom, at which session; never its row id. */
        char title[200];
        if (r.session > 0)
            snprintf(title, sizeof(title), "Recommendation to %s, session %d", r.sur.name,
                     r.session);
        else
            snprintf(title, sizeof(title), "Recommendation to %s", r.sur.name);
        html_begin(b, title);
        RT_HTML_LIT(b, "<h1>");
        rt_html_text(b, title);
    }
    RT_HTML_LIT(b, "</h1><blockquote><p>");
    rt_html_text(b, r.text);
    RT_HTML_LIT(b, "</p></blockquote><table><tr><th>State under review</th><td><a href=\"/states/");
    rt_html_url_arg(b, r.sur.code);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, r.sur.name);
    RT_HTML_LIT(b, "</a>");
    RT_HTML_LIT(b, "</td></tr><tr><th>Recommended by</th><td>");
    for (size_t k = 0; k < r.n_by; k++) {
        if (k)
            RT_HTML_LIT(b, ", ");
        rt_html_text(b, r.by[k].name);
    }
    if (!r.n_by && r.election)
        RT_HTML_LIT(b, "OSCE/ODIHR (election observation)");
    if (r.cycle) {
        RT_HTML_LIT(b, "</td></tr><tr><th>Cycle, session</th><td>");
        rt_html_textf(b, "%d, %d", r.cycle, r.session);
    }
    RT_HTML_LIT(b, "</td></tr><tr><th>Response</th><td>");
    rt_html_text(b, rt_response_name(r.response));
    RT_HTML_LIT(b, "</td></tr>");
    if (r.action_category) {
        RT_HTML_LIT(b, "<tr><th>Action category</th><td>");
        rt_html_textf(b, "%d (%s", r.action_category, rt_action_category_text(r.action_category));
        if (r.action_category_origin && strcmp(r.action_category_origin, "official"))
            rt_html_textf(b, "; %s, %.2f", r.action_category_origin, r.action_category_confidence);
        RT_HTML_LIT(b, ")");
        RT_HTML_LIT(b, "</td></tr>");
    }
    RT_HTML_LIT(b, "<tr><th>Themes</th><td>");
    for (size_t k = 0; k < r.n_themes; k++) {
        RT_HTML_LIT(b, "<a class=\"tag\" href=\"/search?theme=");
        rt_html_url_arg(b, r.themes[k].label);
        RT_HTML_LIT(b, "\">");
        rt_html_text(b, rt_theme_prefix(r.themes[k].label));
        rt_html_text(b, r.themes[k].label);
        RT_HTML_LIT(b, "</a>");
    }
    RT_HTML_LIT(b, "</td></tr>");
    if (r.election) {
        RT_HTML_LIT(b, "<tr><th>Election</th><td>");
        rt_html_textf(b, "%s of %s", r.election, r.election_date ? r.election_date : "?");
        RT_HTML_LIT(b, "</td></tr><tr><th>Final report</th><td>");
        rt_html_text(b, r.report_date ? r.report_date : "date unknown");
        if (r.priority)
            RT_HTML_LIT(b, "; a priority recommendation");
        RT_HTML_LIT(b, "</td></tr>");
    }
    if (r.paragraph) {
        RT_HTML_LIT(b, "<tr><th>Report, paragraph</th><td>");
        rt_html_text(b, r.paragraph);
        RT_HTML_LIT(b, "</td></tr>");
    }
    /* Every export it came from, by file name (not the importer's path), and what each
     * said of the response. */
    RT_HTML_LIT(b, "<tr><th>Sources</th><td><ul class=\"sources\">");
    for (size_t k = 0; k < r.n_sources; k++) {
        const char *path = r.sources[k].path ? r.sources[k].path : "?";
        const char *slash = strrchr(path, '/');
        RT_HTML_LIT(b, "<li>");
        rt_html_text(b, slash ? slash + 1 : path);
        rt_html_textf(b, " (%s, %s)", r.sources[k].kind, rt_response_name(r.sources[k].response));
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul>");
    for (size_t k = 1; k < r.n_sources; k++)
        if (r.sources[k].response != r.sources[0].response) {
            RT_HTML_LIT(b, "<p>The sources disagree on the response.</p>");
            break;
        }
    RT_HTML_LIT(b, "</td></tr></table>");
    if (rt_rec_ledger(st, id, NULL, &ledger, &err) < 0) {
        RT_HTML_LIT(b, "<p role=\"alert\">");
        rt_html_text(b, err.msg.buf);
        RT_HTML_LIT(b, "</p>");
    }
    rec_ledger_sections(st, b, ledger);
    {
        char action[64];
        snprintf(action, sizeof(action), "/recommendations/%lld/assessments", (long long)id);
        {
            static const char *const skip[] = {"target", NULL};
            render_form(b, action, "Record an assessment", "assessment", skip, values, ferr);
        }
    }
    html_end(b);
out:
    json_decref(ledger);
    rt_rec_release(&r);
    rt_error_release(&err);
}

static void dialogues_page(struct rt_store *st, struct rt_http_resp *resp)
{
    home(st, resp);
}

static void dialogue_page(struct rt_store *st, int64_t id, struct rt_http_resp *resp,
                          const char *form, json_t *values, const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    json_t *d = NULL, *t = NULL, *v;
    size_t i;

    if (rt_dialogue_get(st, id, &d, &err) < 0 || rt_timeline(st, id, NULL, &t, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    html_begin(b, jstr(d, "name"));
    RT_HTML_LIT(b, "<h1>");
    rt_html_text(b, jstr(d, "name"));
    RT_HTML_LIT(b, "</h1><p>Between ");
    json_array_foreach(json_object_get(d, "parties"), i, v)
    {
        if (i)
            RT_HTML_LIT(b, " and ");
        rt_http_party_text(st, b, json_string_value(v));
    }
    RT_HTML_LIT(b, ".");
    record_links(b, "dialogue", json_object_get(d, "id"));
    RT_HTML_LIT(b, "</p>");
    withdrawn_note(b, d);
    RT_HTML_LIT(b, "<h2>Rounds</h2><ul>");
    json_array_foreach(json_object_get(d, "rounds"), i, v)
    {
        RT_HTML_LIT(b, "<li><a href=\"");
        round_href(b, (long long)id, v);
        RT_HTML_LIT(b, "\">Round ");
        rt_html_json(b, json_object_get(v, "ordinal"));
        RT_HTML_LIT(b, "</a>, ");
        rt_html_text(b, jstr(v, "date"));
        if (jstr(v, "place")) {
            RT_HTML_LIT(b, ", ");
            rt_html_text(b, jstr(v, "place"));
        }
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul><h2>Briefing for the next round</h2>");
    {
        char action[64];
        snprintf(action, sizeof(action), "/reports/brief/%lld", (long long)id);
        rt_http_report_form(b, action, "Briefing");
    }
    RT_HTML_LIT(b, "<h2>Timeline</h2><ol class=\"timeline\">");
    json_array_foreach(json_object_get(t, "events"), i, v)
    {
        if (!strcmp(jstr(v, "type"), "round")) {
            RT_HTML_LIT(b, "<li><strong>");
            rt_html_text(b, jstr(v, "date"));
            RT_HTML_LIT(b, "</strong> <a href=\"");
            round_href(b, (long long)id, v);
            RT_HTML_LIT(b, "\">Round ");
            rt_html_json(b, json_object_get(v, "ordinal"));
            RT_HTML_LIT(b, "</a></li>");
        } else {
            step_item(st, b, json_object_get(v, "step"), (long long)id);
        }
    }
    RT_HTML_LIT(b, "</ol>");
    rt_http_other_steps(st, b, (long long)id, json_object_get(d, "parties"));
    {
        char action[64];
        snprintf(action, sizeof(action), "/dialogues/%lld/steps", (long long)id);
        render_form(b, action, "Record a step", "step", NULL,
                    form && !strcmp(form, "step") ? values : NULL,
                    form && !strcmp(form, "step") ? ferr : NULL);
        snprintf(action, sizeof(action), "/dialogues/%lld/rounds", (long long)id);
        render_form(b, action, "Record a round", "round", NULL,
                    form && !strcmp(form, "round") ? values : NULL,
                    form && !strcmp(form, "round") ? ferr : NULL);
        RT_HTML_LIT(b, "<p><a id=\"from-readout\" href=\"/readouts/new?dialogue=");
        rt_html_textf(b, "%lld", (long long)id);
        RT_HTML_LIT(b, "\">Record a round from its readout</a></p>");
    }
    html_end(b);
out:
    json_decref(d);
    json_decref(t);
    rt_error_release(&err);
}

static void round_page(struct rt_store *st, int64_t id, struct rt_http_resp *resp, const char *form,
                       json_t *values, const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    json_t *r = NULL, *s = NULL, *v, *w;
    long long dlg;
    size_t i, k;
    char from[48], back[80];

    if (rt_round_get(st, id, &r, &err) < 0 || rt_since(st, id, NULL, &s, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    dlg = (long long)json_integer_value(json_object_get(json_object_get(r, "dialogue"), "id"));
    {
        char title[300];
        snprintf(title, sizeof(title), "Round %lld of %s",
                 (long long)json_integer_value(json_object_get(r, "ordinal")),
                 jstr(json_object_get(r, "dialogue"), "name"));
        html_begin(b, title);
    }
    RT_HTML_LIT(b, "<h1>Round ");
    rt_html_json(b, json_object_get(r, "ordinal"));
    RT_HTML_LIT(b, " of <a href=\"/dialogues/");
    rt_html_json(b, json_object_get(json_object_get(r, "dialogue"), "id"));
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, jstr(json_object_get(r, "dialogue"), "name"));
    RT_HTML_LIT(b, "</a></h1><p>");
    rt_html_text(b, jstr(r, "date"));
    if (jstr(r, "place")) {
        RT_HTML_LIT(b, ", ");
        rt_html_text(b, jstr(r, "place"));
    }
    round_record_links(b, dlg, r);
    RT_HTML_LIT(b, "</p>");
    withdrawn_note(b, r);
    if (jstr(r, "summary")) {
        RT_HTML_LIT(b, "<p>");
        rt_html_text(b, jstr(r, "summary"));
        RT_HTML_LIT(b, "</p>");
    }
    snprintf(back, sizeof(back), "/dialogues/%lld/rounds/%lld", dlg,
             (long long)json_integer_value(json_object_get(r, "ordinal")));
    if (json_array_size(json_object_get(r, "recommendations"))) {
        /* Recommendations linked to the round itself (a search's check boxes). */
        RT_HTML_LIT(b, "<h2 id=\"recommendations\">Recommendations linked to this round</h2>");
        snprintf(from, sizeof(from), "%lld#%lld", dlg,
                 (long long)json_integer_value(json_object_get(r, "ordinal")));
        rt_http_linked_recs(st, b, json_object_get(r, "recommendations"), from, back);
    }
    RT_HTML_LIT(b, "<h2 id=\"participants\">Participants</h2><ul>");
    json_array_foreach(json_object_get(r, "participants"), i, v)
    {
        RT_HTML_LIT(b, "<li>");
        rt_html_text(b, jstr(v, "name"));
        rt_http_private_mark(b, v);
        if (jstr(v, "title")) {
            RT_HTML_LIT(b, ", ");
            rt_html_text(b, jstr(v, "title"));
        }
        if (jstr(v, "party")) {
            RT_HTML_LIT(b, " <span class=\"muted\">(");
            rt_http_party_text(st, b, jstr(v, "party")); /* United States, not USA */
            RT_HTML_LIT(b, ")</span>");
        }
        record_links(b, "participant", json_object_get(v, "id"));
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul><h2 id=\"topics\">Topics</h2><ul>");
    json_array_foreach(json_object_get(r, "topics"), i, v)
    {
        RT_HTML_LIT(b, "<li id=\"topic-");
        rt_html_json(b, json_object_get(v, "id"));
        RT_HTML_LIT(b, "\">");
        rt_html_text(b, jstr(v, "text"));
        rt_http_area_tags(b, json_object_get(v, "areas"));
        record_links(b, "topic", json_object_get(v, "id"));
        snprintf(from, sizeof(from), "topic:%lld",
                 (long long)json_integer_value(json_object_get(v, "id")));
        rt_http_linked_recs(st, b, json_object_get(v, "recommendations"), from, back);
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul><h2 id=\"asks\">Asks</h2><ul>");
    json_array_foreach(json_object_get(r, "asks"), i, v)
    {
        RT_HTML_LIT(b, "<li id=\"ask-");
        rt_html_json(b, json_object_get(v, "id"));
        RT_HTML_LIT(b, "\">");
        rt_http_party_text(st, b, jstr(v, "from"));
        RT_HTML_LIT(b, " asks ");
        rt_http_party_text(st, b, jstr(v, "to"));
        RT_HTML_LIT(b, ": ");
        rt_html_text(b, jstr(v, "text"));
        rt_http_area_tags(b, json_object_get(v, "areas"));
        if ((w = json_object_get(v, "assessment")) && json_is_object(w)) {
            RT_HTML_LIT(b, " <span class=\"tag\">");
            rt_html_text(b, jstr(w, "status"));
            RT_HTML_LIT(b, "</span>");
        }
        record_links(b, "ask", json_object_get(v, "id"));
        snprintf(from, sizeof(from), "ask:%lld",
                 (long long)json_integer_value(json_object_get(v, "id")));
        rt_http_linked_recs(st, b, json_object_get(v, "recommendations"), from, back);
        rt_http_person_names(st, b, "ask", json_integer_value(json_object_get(v, "id")));
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul><h2 id=\"welcomed\">Steps welcomed</h2><ul>");
    json_array_foreach(json_object_get(r, "welcomed_steps"), i, v) step_item(st, b, v, dlg);
    RT_HTML_LIT(b, "</ul><h2 id=\"commitments\">Commitments</h2><ul>");
    json_array_foreach(json_object_get(r, "commitments"), i, v)
    {
        RT_HTML_LIT(b, "<li>");
        rt_http_party_text(st, b, jstr(v, "party"));
        if (jstr(v, "condition")) {
            RT_HTML_LIT(b, ": if ");
            rt_html_text(b, jstr(v, "condition"));
            RT_HTML_LIT(b, ", then ");
        } else {
            RT_HTML_LIT(b, ": ");
        }
        rt_html_text(b, jstr(v, "promise"));
        RT_HTML_LIT(b, " <span class=\"tag\">");
        rt_html_text(b, jstr(json_object_get(v, "status"), "status"));
        RT_HTML_LIT(b, "</span>");
        record_links(b, "commitment", json_object_get(v, "id"));
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul>");
    rt_http_round_links(st, b, r);
    RT_HTML_LIT(b, "<h2>What moved since this round</h2>");
    json_array_foreach(json_object_get(s, "steps"), i, v)
    {
        RT_HTML_LIT(b, "<h3>Steps by ");
        rt_http_party_text(st, b, jstr(v, "party"));
        RT_HTML_LIT(b, "</h3><ul>");
        json_array_foreach(json_object_get(v, "steps"), k, w) step_item(st, b, w, dlg);
        if (!json_array_size(json_object_get(v, "steps")))
            RT_HTML_LIT(b, "<li class=\"muted\">none recorded</li>");
        RT_HTML_LIT(b, "</ul>");
    }
    RT_HTML_LIT(b, "<h3>Assessments since</h3><ul>");
    json_array_foreach(json_object_get(s, "assessments"), i, v)
    {
        RT_HTML_LIT(b, "<li>");
        rt_http_ref_link(st, b, jstr(v, "target"), dlg, 0);
        RT_HTML_LIT(b, ": <strong>");
        rt_html_text(b, jstr(v, "status"));
        RT_HTML_LIT(b, "</strong> as of ");
        rt_html_text(b, jstr(v, "as_of"));
        if (jstr(v, "evidence")) {
            RT_HTML_LIT(b, " &mdash; ");
            rt_html_text(b, jstr(v, "evidence"));
        }
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul>");
    {
        char action[64];
        snprintf(
            action, sizeof(action), "/dialogues/%lld/rounds/%lld/asks",
            (long long)json_integer_value(json_object_get(json_object_get(r, "dialogue"), "id")),
            (long long)json_integer_value(json_object_get(r, "ordinal")));
        render_form(b, action, "Record an ask", "ask", NULL,
                    form && !strcmp(form, "ask") ? values : NULL,
                    form && !strcmp(form, "ask") ? ferr : NULL);
        snprintf(action, sizeof(action), "/dialogues/%lld/rounds/%lld/topics", dlg,
                 (long long)json_integer_value(json_object_get(r, "ordinal")));
        render_form(b, action, "Record a topic", "topic", NULL,
                    form && !strcmp(form, "topic") ? values : NULL,
                    form && !strcmp(form, "topic") ? ferr : NULL);
        /* An ask of the round (or a recommendation, a benchmark) judged: ODIHR on the
         * elections the round asked for, say. */
        snprintf(action, sizeof(action), "/dialogues/%lld/rounds/%lld/assessments", dlg,
                 (long long)json_integer_value(json_object_get(r, "ordinal")));
        render_form(b, action, "Record an assessment", "assessment", NULL,
                    form && !strcmp(form, "assessment") ? values : NULL,
                    form && !strcmp(form, "assessment") ? ferr : NULL);
    }
    html_end(b);
out:
    json_decref(r);
    json_decref(s);
    rt_error_release(&err);
}

/* A country: its recommendations by cycle and response, its themes, its steps. */
static void state_page(struct rt_store *st, const char *name, struct rt_http_resp *resp)
{
    static const char *const series[] = {"supported", "noted", "pledge"};
    struct rt_buf *b = &resp->body;
    struct rt_state_ref ref = {{0}, NULL};
    struct rt_stats s = {0};
    struct rt_search_result res = {0};
    struct rt_query q = RT_QUERY_INIT;
    json_t *steps = NULL, *areas = NULL, *v;
    int64_t id = 0, (*counts)[3] = NULL;
    const char **labels = NULL;
    char(*names)[32] = NULL;
    size_t i;

    if (rt_store_state_find(st, name, strlen(name), &id, NULL) < 0 ||
        rt_store_state_get(st, id, &ref, NULL) < 0) {
        page_error(resp, 404, "No such state");
        return;
    }
    rt_store_stats(st, id, &s, NULL);
    html_begin(b, ref.name);
    RT_HTML_LIT(b, "<h1>");
    rt_html_text(b, ref.name);
    RT_HTML_LIT(b, "</h1><p>");
    add_count(b, (long long)s.recommendations);
    rt_html_text(b, " recommendations received from ");
    add_count(b, (long long)s.recommending_states);
    rt_html_text(b, " states: ");
    add_count(b, (long long)s.by_response[RT_RESPONSE_SUPPORTED]);
    rt_html_text(b, " supported, ");
    add_count(b, (long long)s.by_response[RT_RESPONSE_NOTED]);
    rt_html_text(b, " noted, ");
    add_count(b, (long long)s.by_response[RT_RESPONSE_PLEDGE]);
    rt_html_text(b, s.by_response[RT_RESPONSE_PLEDGE] == 1 ? " voluntary pledge"
                                                           : " voluntary pledges");
    if (s.by_response[RT_RESPONSE_PENDING]) {
        rt_html_text(b, ", ");
        add_count(b, (long long)s.by_response[RT_RESPONSE_PENDING]);
        rt_html_text(b, " without a response yet");
    }
    RT_HTML_LIT(b, ".");
    RT_HTML_LIT(b, " <a href=\"/search?sur=");
    rt_html_url_arg(b, ref.code);
    RT_HTML_LIT(b, "\">Read them</a>.</p>");
    {
        char action[64];
        snprintf(action, sizeof(action), "/reports/country/%s", ref.code);
        rt_http_report_form(b, action, "Country profile");
    }
    RT_HTML_LIT(b, "<h2>Responses by cycle</h2>");
    counts = rt_xcalloc(s.n_by_cycle + 1, sizeof(*counts));
    labels = rt_xcalloc(s.n_by_cycle + 1, sizeof(*labels));
    names = rt_xcalloc(s.n_by_cycle + 1, sizeof(*names));
    i = 0;
    for (size_t c = 0; c < s.n_by_cycle; c++) {
        snprintf(names[i], sizeof(names[i]), "cycle %s", s.by_cycle[c].key);
        labels[i] = names[i];
        q.sur = ref.code;
        q.cycle = (int)strtol(s.by_cycle[c].key, NULL, 10);
        q.limit = 1;
        q.facets = 1;
        if (rt_search(st, &q, &res, NULL) == 0 && res.n_facets) {
            for (size_t k = 0; k < res.facets[0].n; k++) {
                const char *key = res.facets[0].counts[k].key;
                int slot = !strcmp(key, "supported") ? 0
                           : !strcmp(key, "noted")   ? 1
                           : !strcmp(key, "pledge")  ? 2
                                                     : -1;
                if (slot >= 0)
                    counts[i][slot] = res.facets[0].counts[k].n;
            }
        }
        rt_search_result_release(&res);
        i++;
    }
    if (i)
        rt_html_svg_bars(b, "Recommendations by cycle and response", labels,
                         (const int64_t(*)[3])counts, i, series);
    q = (struct rt_query)RT_QUERY_INIT;
    q.sur = ref.code;
    q.limit = 1;
    q.facets = 1;
    /* The taxonomy's areas, counted as the country profile counts them (every
     * vocabulary's labels of an area), by label; the code goes in the link only. */
    RT_HTML_LIT(b, "<h2>Themes</h2><p>");
    if (rt_report_recs(st, ref.code, NULL, NULL, &areas, NULL) == 0) {
        json_array_foreach(json_object_get(areas, "areas"), i, v)
        {
            if (i == 20)
                break;
            RT_HTML_LIT(b, "<a class=\"tag\" href=\"/search?sur=");
            rt_html_url_arg(b, ref.code);
            RT_HTML_LIT(b, "&amp;theme=");
            rt_html_url_arg(b, jstr(v, "area"));
            RT_HTML_LIT(b, "\">");
            rt_html_textf(b, "%s (%lld)", jstr(v, "label"),
                          (long long)json_integer_value(json_object_get(v, "total")));
            RT_HTML_LIT(b, "</a> ");
        }
    }
    rt_search_result_release(&res);
    RT_HTML_LIT(b, "</p><h2>Steps taken</h2><ul>");
    if (rt_step_list(st, 0, ref.code, &steps, NULL) == 0) {
        json_array_foreach(steps, i, v) step_item(st, b, v, 0);
        if (!json_array_size(steps))
            RT_HTML_LIT(b, "<li class=\"muted\">none recorded</li>");
    }
    RT_HTML_LIT(b, "</ul>");
    html_end(b);
    json_decref(steps);
    json_decref(areas);
    rt_free(counts);
    rt_free(labels);
    rt_free(names);
    rt_stats_release(&s);
    rt_free(ref.name);
}

/* A form posted: saved and redirected (303) to its page, or the page again with the
 * user's input and the error. */
/* Does dialogue's page list step id (its parties' steps and those linked to it)? */
static int step_shown(struct rt_store *st, int64_t id, int64_t dialogue)
{
    json_t *list = NULL;
    int shown;

    if (rt_store_lookup(st, "step", NULL, dialogue, id, 1, &list, NULL) < 0)
        return 1;
    shown = json_is_true(json_object_get(json_array_get(list, 0), "shown"));
    json_decref(list);
    return shown;
}

static void post_form(struct rt_store *st, const struct rt_http_req *req, const char *kind,
                      const char *what, int64_t id, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_t *values = rt_http_form_to_json(req, what, &err);
    int64_t new_id = 0, parent = id;
    char target[40];

    if (values && !strcmp(what, "assessment") && !strcmp(kind, "recommendations")) {
        snprintf(target, sizeof(target), "rec:%lld", (long long)id);
        json_object_set_new(values, "target", json_string(target));
    }
    if (values && rt_ledger_write(st, what, parent, values, &new_id, &err) == 0) {
        resp->status = 303;
        if (strcmp(kind, "rounds") || round_url(st, id, resp->location, sizeof(resp->location)))
            snprintf(resp->location, sizeof(resp->location), "/%s/%lld", kind, (long long)id);
        if (!strcmp(what, "step") && !strcmp(kind, "dialogues") &&
            !step_shown(st, new_id, id)) /* an organisation's, linked to nothing here */
            snprintf(resp->location, sizeof(resp->location), "/records/step:%lld",
                     (long long)new_id);
        rt_http_saved_location(resp, what, (long long)new_id); /* the banner (pick.c) */
        RT_HTML_LIT(&resp->body, "Saved.");
        goto out;
    }
    if (!values)
        values = json_object();
    rt_buf_reset(&resp->body);
    if (!strcmp(kind, "dialogues"))
        dialogue_page(st, id, resp, what, values, &err);
    else if (!strcmp(kind, "rounds"))
        round_page(st, id, resp, what, values, &err);
    else
        recommendation_page(st, id, resp, values, &err);
    if (resp->status == 200)
        resp->status = 422;
out:
    json_decref(values);
    rt_error_release(&err);
}

int rt_http_pages(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    char buf[512], *seg[6];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 6);
    int post = !strcmp(req->method, "POST");
    int64_t id = 0, round = 0;

    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    if (n == 2 && !strcmp(seg[0], "states") && !post) {
        state_page(st, seg[1], resp);
        return 1;
    }
    if (n == 2 && post && !strcmp(seg[0], "links") && !strcmp(seg[1], "withdraw")) {
        if (rt_http_csrf_ok(req))
            rt_http_link_withdraw(st, req, resp);
        else
            rt_http_page_refused(resp, "This form is out of date",
                                 "The form did not carry the token of this run of the server: "
                                 "it was sent from another site, or from a page opened before "
                                 "the server restarted. Reload the page and send the form "
                                 "again.");
        return 1;
    }
    if (n >= 2) {
        char *end;
        errno = 0;
        id = strtoll(seg[1], &end, 10);
        if (errno || *end || id <= 0) {
            page_error(resp, 404, "No such page");
            return 1;
        }
    }
    /* A round is named by its number in its dialogue: /dialogues/D/rounds/N[/asks]. */
    if ((n == 4 || n == 5) && !strcmp(seg[0], "dialogues") && !strcmp(seg[2], "rounds")) {
        char ref[64];
        if (strspn(seg[3], "0123456789") != strlen(seg[3]) || strlen(seg[3]) > 9 ||
            (snprintf(ref, sizeof(ref), "%lld#%s", (long long)id, seg[3]),
             rt_round_find(st, ref, &round, NULL) < 0)) {
            page_error(resp, 404, "No such round");
            return 1;
        }
        if (n == 5 && (!post || (strcmp(seg[4], "asks") && strcmp(seg[4], "topics") &&
                                 strcmp(seg[4], "assessments")))) {
            page_error(resp, post ? 404 : 405,
                       post ? "No such page" : "This page can only be read");
            return 1;
        }
        if (n == 4 && post) {
            page_error(resp, 405, "This page can only be read");
            return 1;
        }
        if (n == 4) {
            if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))
                page_error(resp, 405, "This page can only be read");
            else
                round_page(st, round, resp, NULL, NULL, NULL);
            return 1;
        }
        if (rt_http_csrf_ok(req))
            post_form(st, req, "rounds",
                      !strcmp(seg[4], "topics")        ? "topic"
                      : !strcmp(seg[4], "assessments") ? "assessment"
                                                       : "ask",
                      round, resp);
        else
            rt_http_page_refused(resp, "This form is out of date",
                                 "The form did not carry the token of this run of the server: "
                                 "it was sent from another site, or from a page opened before "
                                 "the server restarted. Reload the page and send the form "
                                 "again.");
        return 1;
    }
    if (post && n == 1 && !strcmp(seg[0], "links")) {
        if (rt_http_csrf_ok(req))
            rt_http_link_selected(st, req, resp);
        else
            rt_http_page_refused(resp, "This form is out of date",
                                 "The form did not carry the token of this run of the server: "
                                 "it was sent from another site, or from a page opened before "
                                 "the server restarted. Reload the page and send the form "
                                 "again.");
        return 1;
    }
    if (post) {
        static const struct {
            const char *kind, *sub, *what;
        } targets[] = {{"dialogues", "steps", "step"},
                       {"dialogues", "rounds", "round"},
                       {"recommendations", "assessments", "assessment"}};
        for (size_t i = 0; n == 3 && i < sizeof(targets) / sizeof(targets[0]); i++) {
            if (!strcmp(seg[0], targets[i].kind) && !strcmp(seg[2], targets[i].sub)) {
                if (rt_http_csrf_ok(req))
                    post_form(st, req, targets[i].kind, targets[i].what, id, resp);
                else
                    rt_http_page_refused(
                        resp, "This form is out of date",
                        "The form did not carry the token of this run of the server: it was "
                        "sent from another site, or from a page opened before the server "
                        "restarted. Reload the page and send the form again.");
                return 1;
            }
        }
        page_error(resp, 405, "This page can only be read");
        return 1;
    }
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        page_error(resp, 405, "This page can only be read");
        return 1;
    }
    if (n == 0)
        home(st, resp);
    else if (n == 1 && !strcmp(seg[0], "search"))
        search_page(st, req, resp);
    else if (n == 1 && !strcmp(seg[0], "dialogues"))
        dialogues_page(st, resp);
    else if (n == 2 && !strcmp(seg[0], "recommendations"))
        recommendation_page(st, id, resp, NULL, NULL);
    else if (n == 2 && !strcmp(seg[0], "dialogues"))
        dialogue_page(st, id, resp, NULL, NULL, NULL);
    else if (n == 2 && !strcmp(seg[0], "rounds")) {
        /* The old address by record id: moved for good to the round's own. */
        if (round_url(st, id, resp->location, sizeof(resp->location)) < 0) {
            page_error(resp, 404, "No such round");
        } else {
            resp->status = 301;
            RT_HTML_LIT(&resp->body, "Moved.");
        }
    } else
        return 0;
    return 1;
}
