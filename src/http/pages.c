/* Server-rendered pages: readable without JavaScript, built with the escaping builder. */
#include <errno.h>

#include <rightstrack/json.h>
#include <rightstrack/ledger.h>
#include <rightstrack/search.h>

#include "html.h"
#include "http_int.h"

static void page_error(struct rt_http_resp *resp, int status, const char *msg)
{
    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    html_begin(&resp->body, "Not found");
    HTML_LIT(&resp->body, "<h1>");
    html_text(&resp->body, msg);
    HTML_LIT(&resp->body, "</h1><p><a href=\"/\">Back to the start</a></p>");
    html_end(&resp->body);
}

static void page_fail(struct rt_http_resp *resp, const struct rt_error *err)
{
    page_error(resp, err->code == RT_ENOTFOUND ? 404 : err->code == RT_EINVAL ? 400 : 500,
               err->msg.len ? err->msg.buf : rt_strerror(err->code));
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A step as a list item. */
static void step_item(struct rt_buf *b, json_t *s)
{
    json_t *v;
    size_t i;

    HTML_LIT(b, "<li><strong>");
    html_text(b, jstr(s, "date"));
    HTML_LIT(b, "</strong> ");
    html_text(b, jstr(s, "actor"));
    HTML_LIT(b, " <span class=\"tag\">");
    html_text(b, jstr(s, "kind"));
    if (json_is_integer(json_object_get(s, "quantity"))) {
        HTML_LIT(b, ", ");
        html_json(b, json_object_get(s, "quantity"));
    }
    HTML_LIT(b, "</span> ");
    if (!strcmp(jstr(s, "direction") ? jstr(s, "direction") : "", "negative"))
        HTML_LIT(b, "<span class=\"neg\">(negative)</span> ");
    html_text(b, jstr(s, "text"));
    json_array_foreach(json_object_get(s, "responds_to"), i, v) {
        HTML_LIT(b, " <span class=\"muted\">in response to step ");
        html_json(b, v);
        HTML_LIT(b, "</span>");
    }
    json_array_foreach(json_object_get(s, "answers"), i, v) {
        HTML_LIT(b, " <span class=\"muted\">answers ");
        html_json(b, v);
        HTML_LIT(b, "</span>");
    }
    HTML_LIT(b, "</li>\n");
}

static void home(struct rt_store *st, struct rt_http_resp *resp)
{
    struct rt_buf *b = &resp->body;
    struct rt_stats s = {0};
    json_t *list = NULL, *d;
    size_t i;

    html_begin(b, "Start");
    HTML_LIT(b, "<h1>rightstrack</h1><p>Follow-up of human-rights recommendations and "
                "dialogues.</p><form class=\"search\" action=\"/search\" method=\"get\">"
                "<div><label for=\"q\">Find recommendations</label>"
                "<input id=\"q\" name=\"q\" size=\"40\" placeholder=\"e.g. death penalty\"></div>"
                "<div><label for=\"sur\">State under review</label>"
                "<input id=\"sur\" name=\"sur\" size=\"16\" placeholder=\"e.g. Belarus\"></div>"
                "<button type=\"submit\">Search</button></form>");
    if (rt_store_stats(st, 0, &s, NULL) == 0) {
        HTML_LIT(b, "<p class=\"muted\">");
        html_textf(b, "%lld recommendations to %lld states.", (long long)s.recommendations,
                   (long long)s.states_under_review);
        HTML_LIT(b, "</p>");
    }
    rt_stats_release(&s);
    HTML_LIT(b, "<h2>Dialogues</h2><ul>");
    if (rt_dialogue_list(st, &list, NULL) == 0) {
        json_array_foreach(list, i, d) {
            HTML_LIT(b, "<li><a href=\"/dialogues/");
            html_json(b, json_object_get(d, "id"));
            HTML_LIT(b, "\">");
            html_text(b, jstr(d, "name"));
            HTML_LIT(b, "</a> <span class=\"muted\">");
            html_json(b, json_object_get(d, "rounds"));
            HTML_LIT(b, " rounds");
            if (jstr(d, "last_round")) {
                HTML_LIT(b, ", last ");
                html_text(b, jstr(d, "last_round"));
            }
            HTML_LIT(b, "</span></li>");
        }
    }
    json_decref(list);
    HTML_LIT(b, "</ul>");
    html_end(b);
}

/* The search page's link to itself with one argument changed (value NULL: removed). */
static void self_link(struct rt_buf *b, const struct rt_http_req *req, const char *key,
                      const char *value)
{
    int first = 1;
    HTML_LIT(b, "/search");
    for (size_t i = 0; i < req->n_args; i++) {
        if (!strcmp(req->args[i].key, key) || !strcmp(req->args[i].key, "offset") ||
            !*req->args[i].value)
            continue;
        rt_buf_addch(b, first ? '?' : '&');
        first = 0;
        html_url_arg(b, req->args[i].key);
        rt_buf_addch(b, '=');
        html_url_arg(b, req->args[i].value);
    }
    if (value) {
        rt_buf_addch(b, first ? '?' : '&');
        html_url_arg(b, key);
        rt_buf_addch(b, '=');
        html_url_arg(b, value);
    }
}

static void input(struct rt_buf *b, const char *id, const char *label, const char *value,
                  const char *size)
{
    HTML_LIT(b, "<div><label for=\"");
    html_text(b, id);
    HTML_LIT(b, "\">");
    html_text(b, label);
    HTML_LIT(b, "</label><input id=\"");
    html_text(b, id);
    HTML_LIT(b, "\" name=\"");
    html_text(b, id);
    HTML_LIT(b, "\" size=\"");
    html_text(b, size);
    HTML_LIT(b, "\" value=\"");
    html_text(b, value);
    HTML_LIT(b, "\"></div>");
}

static void search_page(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    static const char *const facet_arg[] = {"response", "cycle", "theme", "sur"};
    struct rt_buf *b = &resp->body;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error err = RT_ERROR_INIT;
    char num[32];
    /* The page reads its arguments as the API does; a bad one is shown above the form. */
    int bad = rt_http_query(req, &q, &err) < 0;

    q.facets = 1;
    html_begin(b, "Recommendations");
    HTML_LIT(b, "<h1>Recommendations</h1><form class=\"search\" action=\"/search\" "
                "method=\"get\" role=\"search\">");
    input(b, "q", "Words", q.text, "30");
    input(b, "sur", "State under review", q.sur, "14");
    input(b, "by", "Recommended by", q.by, "14");
    input(b, "theme", "Theme", q.theme, "14");
    HTML_LIT(b, "<div><label for=\"response\">Response</label><select id=\"response\" "
                "name=\"response\"><option value=\"\">any</option>");
    {
        static const char *const rs[] = {"supported", "noted", "pledge", "pending"};
        for (size_t i = 0; i < 4; i++) {
            HTML_LIT(b, "<option");
            if (q.response >= 0 && !strcmp(rt_response_name((enum rt_response)q.response), rs[i]))
                HTML_LIT(b, " selected");
            HTML_LIT(b, ">");
            html_text(b, rs[i]);
            HTML_LIT(b, "</option>");
        }
    }
    HTML_LIT(b, "</select></div>");
    snprintf(num, sizeof(num), "%d", q.cycle);
    input(b, "cycle", "Cycle", q.cycle ? num : "", "3");
    HTML_LIT(b, "<button type=\"submit\">Search</button></form>\n");
    if (bad || rt_search(st, &q, &res, &err) < 0) {
        HTML_LIT(b, "<p role=\"alert\"><strong>");
        html_text(b, err.msg.buf);
        HTML_LIT(b, "</strong></p>");
        goto out;
    }
    HTML_LIT(b, "<p><strong>");
    html_textf(b, "%lld recommendation%s", (long long)res.total, res.total == 1 ? "" : "s");
    HTML_LIT(b, "</strong>");
    if (res.n_hits)
        html_textf(b, ", %lld to %lld", (long long)q.offset + 1,
                   (long long)q.offset + (long long)res.n_hits);
    HTML_LIT(b, "</p><div class=\"facets\">");
    for (size_t f = 0; f < res.n_facets; f++) {
        HTML_LIT(b, "<p><strong>");
        html_text(b, res.facets[f].name);
        HTML_LIT(b, ":</strong> ");
        for (size_t k = 0; k < res.facets[f].n && k < 12; k++) {
            HTML_LIT(b, "<a href=\"");
            self_link(b, req, facet_arg[f], res.facets[f].counts[k].key);
            HTML_LIT(b, "\">");
            html_text(b, res.facets[f].counts[k].key);
            HTML_LIT(b, "</a> (");
            html_textf(b, "%lld", (long long)res.facets[f].counts[k].n);
            HTML_LIT(b, ") ");
        }
        HTML_LIT(b, "</p>");
    }
    HTML_LIT(b, "</div><ol start=\"");
    html_textf(b, "%lld", (long long)q.offset + 1);
    HTML_LIT(b, "\">");
    for (size_t i = 0; i < res.n_hits; i++) {
        const struct rt_rec *r = &res.hits[i];
        HTML_LIT(b, "<li class=\"hit\"><a href=\"/recommendations/");
        html_textf(b, "%lld", (long long)r->id);
        HTML_LIT(b, "\">");
        html_text(b, r->text);
        HTML_LIT(b, "</a><br><span class=\"muted\">");
        html_textf(b, "%s, cycle %d, session %d, %s", r->sur.name, r->cycle, r->session,
                   rt_response_name(r->response));
        if (r->n_by) {
            HTML_LIT(b, "; by ");
            for (size_t k = 0; k < r->n_by; k++) {
                if (k)
                    HTML_LIT(b, ", ");
                html_text(b, r->by[k].name);
            }
        }
        HTML_LIT(b, "</span></li>\n");
    }
    HTML_LIT(b, "</ol><nav class=\"paging\">");
    if (q.offset > 0) {
        snprintf(num, sizeof(num), "%lld", (long long)(q.offset > q.limit ? q.offset - q.limit : 0));
        HTML_LIT(b, "<a rel=\"prev\" href=\"");
        self_link(b, req, "offset", num);
        HTML_LIT(b, "\">Previous</a> ");
    }
    if (q.offset + (int64_t)res.n_hits < res.total) {
        snprintf(num, sizeof(num), "%lld", (long long)(q.offset + q.limit));
        HTML_LIT(b, "<a rel=\"next\" href=\"");
        self_link(b, req, "offset", num);
        HTML_LIT(b, "\">Next</a>");
    }
    HTML_LIT(b, "</nav>");
out:
    html_end(b);
    rt_search_result_release(&res);
    rt_error_release(&err);
}

/* A form field: name, label, input kind ("text", "textarea", "number", "kind",
 * "direction", "status"), required. */
struct form_field {
    const char *name, *label, *kind;
    int required;
};

static const struct form_field step_form[] = {
    {"actor", "Who acted (state or organisation)", "text", 1},
    {"date", "Date (YYYY-MM-DD, YYYY-MM or YYYY)", "text", 1},
    {"kind", "Kind", "kind", 1},
    {"direction", "Direction", "direction", 0},
    {"quantity", "Quantity (e.g. people released)", "number", 0},
    {"text", "What happened", "textarea", 1},
    {"source", "Source", "text", 0},
    {"answers", "Answers (e.g. ask:2 rec:14)", "text", 0},
    {"welcomed_in", "Welcomed in rounds (round ids)", "text", 0},
    {"responds_to", "In response to steps (step ids)", "text", 0},
    {NULL, NULL, NULL, 0}};
static const struct form_field round_form[] = {
    {"date", "Date (YYYY-MM-DD, YYYY-MM or YYYY)", "text", 1},
    {"ordinal", "Round number (empty: the next)", "number", 0},
    {"place", "Place", "text", 0},
    {"summary", "Summary", "textarea", 0},
    {"source", "Source", "text", 0},
    {NULL, NULL, NULL, 0}};
static const struct form_field ask_form[] = {
    {"from", "Asked by", "text", 1},
    {"to", "Asked of", "text", 1},
    {"text", "What was asked", "textarea", 1},
    {"theme", "Theme", "text", 0},
    {"recommendations", "About recommendations (ids)", "text", 0},
    {NULL, NULL, NULL, 0}};
static const struct form_field assessment_form[] = {
    {"as_of", "As of (date)", "text", 1},
    {"status", "Status", "status", 1},
    {"evidence", "Evidence", "textarea", 0},
    {"source", "Source", "text", 0},
    {"assessor", "Assessed by (organisation)", "text", 0},
    {NULL, NULL, NULL, 0}};

/* The value a field had, as text (lists joined by spaces). */
static void field_value(struct rt_buf *b, json_t *values, const char *name)
{
    json_t *v = json_object_get(values, name), *e;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            if (i)
                rt_buf_addch(b, ' ');
            rt_buf_adds(b, json_string_value(e) ? json_string_value(e) : "");
        }
    } else if (json_is_integer(v)) {
        rt_buf_addf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_string(v)) {
        rt_buf_adds(b, json_string_value(v));
    }
}

static void options(struct rt_buf *b, const char *const *list, const char *selected)
{
    for (size_t i = 0; list[i]; i++) {
        HTML_LIT(b, "<option");
        if (selected && !strcmp(selected, list[i]))
            HTML_LIT(b, " selected");
        HTML_LIT(b, ">");
        html_text(b, list[i]);
        HTML_LIT(b, "</option>");
    }
}

/*
 * A form that posts to action; values (may be NULL) refill it after an error, which is
 * shown above it, and the field it names is marked.
 */
static void render_form(struct rt_buf *b, const char *action, const char *title,
                        const struct form_field *f, json_t *values, const struct rt_error *err)
{
    static const char *const directions[] = {"positive", "negative", NULL};
    static const char *const statuses[] = {"not-started", "in-progress", "partially", "fully",
                                           "regressed",   "unknown",     NULL};
    struct rt_buf val = RT_BUF_INIT;
    const char *key = strrchr(action, '/') + 1; /* "steps", "rounds": ids unique on a page */

    HTML_LIT(b, "<section><h2 id=\"");
    html_text(b, action);
    HTML_LIT(b, "\">");
    html_text(b, title);
    HTML_LIT(b, "</h2>");
    if (err && err->code) {
        HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not saved: ");
        if (err->field) {
            html_text(b, err->field);
            HTML_LIT(b, ": ");
        }
        html_text(b, err->msg.buf);
        HTML_LIT(b, "</strong></p>");
    }
    HTML_LIT(b, "<form method=\"post\" action=\"");
    html_text(b, action);
    HTML_LIT(b, "\">");
    for (; f->name; f++) {
        rt_buf_reset(&val);
        field_value(&val, values, f->name);
        HTML_LIT(b, "<p><label for=\"f-");
        html_text(b, key);
        rt_buf_addch(b, '-');
        html_text(b, f->name);
        HTML_LIT(b, "\">");
        html_text(b, f->label);
        if (f->required)
            HTML_LIT(b, " (required)");
        HTML_LIT(b, "</label>");
        if (!strcmp(f->kind, "textarea")) {
            HTML_LIT(b, "<textarea rows=\"3\" cols=\"60\" id=\"f-");
            html_text(b, key);
            rt_buf_addch(b, '-');
            html_text(b, f->name);
            HTML_LIT(b, "\" name=\"");
            html_text(b, f->name);
            HTML_LIT(b, "\"");
            if (f->required)
                HTML_LIT(b, " required");
            HTML_LIT(b, ">");
            html_text(b, val.buf);
            HTML_LIT(b, "</textarea>");
        } else if (!strcmp(f->kind, "kind") || !strcmp(f->kind, "direction") ||
                   !strcmp(f->kind, "status")) {
            HTML_LIT(b, "<select id=\"f-");
            html_text(b, key);
            rt_buf_addch(b, '-');
            html_text(b, f->name);
            HTML_LIT(b, "\" name=\"");
            html_text(b, f->name);
            HTML_LIT(b, "\">");
            options(b,
                    !strcmp(f->kind, "kind")        ? rt_step_kinds
                    : !strcmp(f->kind, "direction") ? directions
                                                    : statuses,
                    val.len ? val.buf : NULL);
            HTML_LIT(b, "</select>");
        } else {
            HTML_LIT(b, "<input id=\"f-");
            html_text(b, key);
            rt_buf_addch(b, '-');
            html_text(b, f->name);
            HTML_LIT(b, "\" name=\"");
            html_text(b, f->name);
            HTML_LIT(b, "\" size=\"40\" value=\"");
            html_text(b, val.buf);
            HTML_LIT(b, "\"");
            if (!strcmp(f->kind, "number"))
                HTML_LIT(b, " inputmode=\"numeric\"");
            if (f->required)
                HTML_LIT(b, " required");
            if (err && err->field && !strcmp(err->field, f->name))
                HTML_LIT(b, " aria-invalid=\"true\" autofocus");
            HTML_LIT(b, ">");
        }
        HTML_LIT(b, "</p>");
    }
    HTML_LIT(b, "<p><button type=\"submit\">Save</button></p></form></section>");
    rt_buf_release(&val);
}

static void recommendation_page(struct rt_store *st, int64_t id, struct rt_http_resp *resp,
                                json_t *values, const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_rec r;
    json_t *status = NULL, *h;
    char target[40];
    size_t i;

    rt_rec_init(&r);
    if (rt_store_rec_get(st, id, &r, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    html_begin(b, "Recommendation");
    HTML_LIT(b, "<h1>Recommendation ");
    html_textf(b, "%lld", (long long)r.id);
    HTML_LIT(b, "</h1><blockquote><p>");
    html_text(b, r.text);
    HTML_LIT(b, "</p></blockquote><table><tr><th>State under review</th><td><a href=\"/states/");
    html_url_arg(b, r.sur.code);
    HTML_LIT(b, "\">");
    html_text(b, r.sur.name);
    HTML_LIT(b, "</a>");
    HTML_LIT(b, "</td></tr><tr><th>Recommended by</th><td>");
    for (size_t k = 0; k < r.n_by; k++) {
        if (k)
            HTML_LIT(b, ", ");
        html_text(b, r.by[k].name);
    }
    HTML_LIT(b, "</td></tr><tr><th>Cycle, session</th><td>");
    html_textf(b, "%d, %d", r.cycle, r.session);
    HTML_LIT(b, "</td></tr><tr><th>Response</th><td>");
    html_text(b, rt_response_name(r.response));
    HTML_LIT(b, "</td></tr>");
    if (r.action_category) {
        HTML_LIT(b, "<tr><th>Action category</th><td>");
        html_textf(b, "%d", r.action_category);
        if (r.action_category_origin && strcmp(r.action_category_origin, "official"))
            html_textf(b, " (%s, %.2f)", r.action_category_origin, r.action_category_confidence);
        HTML_LIT(b, "</td></tr>");
    }
    HTML_LIT(b, "<tr><th>Themes</th><td>");
    for (size_t k = 0; k < r.n_themes; k++) {
        HTML_LIT(b, "<a class=\"tag\" href=\"/search?theme=");
        html_url_arg(b, r.themes[k].label);
        HTML_LIT(b, "\">");
        html_text(b, r.themes[k].label);
        HTML_LIT(b, "</a>");
    }
    HTML_LIT(b, "</td></tr></table><h2>Implementation</h2>");
    snprintf(target, sizeof(target), "rec:%lld", (long long)id);
    if (rt_status(st, target, NULL, &status, NULL) == 0 &&
        json_array_size(json_object_get(status, "history"))) {
        HTML_LIT(b, "<table><tr><th>As of</th><th>Status</th><th>Evidence</th><th>Source</th>"
                    "</tr>");
        json_array_foreach(json_object_get(status, "history"), i, h) {
            HTML_LIT(b, "<tr><td>");
            html_text(b, jstr(h, "as_of"));
            HTML_LIT(b, "</td><td>");
            html_text(b, jstr(h, "status"));
            HTML_LIT(b, "</td><td>");
            html_text(b, jstr(h, "evidence"));
            HTML_LIT(b, "</td><td>");
            html_text(b, jstr(h, "source"));
            HTML_LIT(b, "</td></tr>");
        }
        HTML_LIT(b, "</table>");
    } else {
        HTML_LIT(b, "<p class=\"muted\">Not assessed yet.</p>");
    }
    {
        char action[64];
        snprintf(action, sizeof(action), "/recommendations/%lld/assessments", (long long)id);
        render_form(b, action, "Record an assessment", assessment_form, values, ferr);
    }
    html_end(b);
out:
    json_decref(status);
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
    HTML_LIT(b, "<h1>");
    html_text(b, jstr(d, "name"));
    HTML_LIT(b, "</h1><p>Between ");
    json_array_foreach(json_object_get(d, "parties"), i, v) {
        if (i)
            HTML_LIT(b, " and ");
        html_json(b, v);
    }
    HTML_LIT(b, ".</p><h2>Rounds</h2><ul>");
    json_array_foreach(json_object_get(d, "rounds"), i, v) {
        HTML_LIT(b, "<li><a href=\"/rounds/");
        html_json(b, json_object_get(v, "id"));
        HTML_LIT(b, "\">Round ");
        html_json(b, json_object_get(v, "ordinal"));
        HTML_LIT(b, "</a>, ");
        html_text(b, jstr(v, "date"));
        if (jstr(v, "place")) {
            HTML_LIT(b, ", ");
            html_text(b, jstr(v, "place"));
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><h2>Timeline</h2><ol class=\"timeline\">");
    json_array_foreach(json_object_get(t, "events"), i, v) {
        if (!strcmp(jstr(v, "type"), "round")) {
            HTML_LIT(b, "<li><strong>");
            html_text(b, jstr(v, "date"));
            HTML_LIT(b, "</strong> <a href=\"/rounds/");
            html_json(b, json_object_get(v, "id"));
            HTML_LIT(b, "\">Round ");
            html_json(b, json_object_get(v, "ordinal"));
            HTML_LIT(b, "</a></li>");
        } else {
            step_item(b, json_object_get(v, "step"));
        }
    }
    HTML_LIT(b, "</ol>");
    {
        char action[64];
        snprintf(action, sizeof(action), "/dialogues/%lld/steps", (long long)id);
        render_form(b, action, "Record a step", step_form,
                    form && !strcmp(form, "step") ? values : NULL,
                    form && !strcmp(form, "step") ? ferr : NULL);
        snprintf(action, sizeof(action), "/dialogues/%lld/rounds", (long long)id);
        render_form(b, action, "Record a round", round_form,
                    form && !strcmp(form, "round") ? values : NULL,
                    form && !strcmp(form, "round") ? ferr : NULL);
    }
    html_end(b);
out:
    json_decref(d);
    json_decref(t);
    rt_error_release(&err);
}

static void round_page(struct rt_store *st, int64_t id, struct rt_http_resp *resp, json_t *values,
                       const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    json_t *r = NULL, *s = NULL, *v, *w;
    size_t i, k;

    if (rt_round_get(st, id, &r, &err) < 0 || rt_since(st, id, NULL, &s, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    html_begin(b, "Round");
    HTML_LIT(b, "<h1>Round ");
    html_json(b, json_object_get(r, "ordinal"));
    HTML_LIT(b, " of <a href=\"/dialogues/");
    html_json(b, json_object_get(json_object_get(r, "dialogue"), "id"));
    HTML_LIT(b, "\">");
    html_text(b, jstr(json_object_get(r, "dialogue"), "name"));
    HTML_LIT(b, "</a></h1><p>");
    html_text(b, jstr(r, "date"));
    if (jstr(r, "place")) {
        HTML_LIT(b, ", ");
        html_text(b, jstr(r, "place"));
    }
    HTML_LIT(b, "</p>");
    if (jstr(r, "summary")) {
        HTML_LIT(b, "<p>");
        html_text(b, jstr(r, "summary"));
        HTML_LIT(b, "</p>");
    }
    HTML_LIT(b, "<h2>Participants</h2><ul>");
    json_array_foreach(json_object_get(r, "participants"), i, v) {
        HTML_LIT(b, "<li>");
        html_text(b, jstr(v, "name"));
        if (jstr(v, "title")) {
            HTML_LIT(b, ", ");
            html_text(b, jstr(v, "title"));
        }
        if (jstr(v, "party")) {
            HTML_LIT(b, " <span class=\"muted\">(");
            html_text(b, jstr(v, "party"));
            HTML_LIT(b, ")</span>");
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><h2>Topics</h2><ul>");
    json_array_foreach(json_object_get(r, "topics"), i, v) {
        HTML_LIT(b, "<li>");
        html_text(b, jstr(v, "text"));
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><h2>Asks</h2><ul>");
    json_array_foreach(json_object_get(r, "asks"), i, v) {
        HTML_LIT(b, "<li>");
        html_text(b, jstr(v, "from"));
        HTML_LIT(b, " asks ");
        html_text(b, jstr(v, "to"));
        HTML_LIT(b, ": ");
        html_text(b, jstr(v, "text"));
        if ((w = json_object_get(v, "assessment")) && json_is_object(w)) {
            HTML_LIT(b, " <span class=\"tag\">");
            html_text(b, jstr(w, "status"));
            HTML_LIT(b, "</span>");
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><h2>Steps welcomed</h2><ul>");
    json_array_foreach(json_object_get(r, "welcomed_steps"), i, v)
        step_item(b, v);
    HTML_LIT(b, "</ul><h2>Commitments</h2><ul>");
    json_array_foreach(json_object_get(r, "commitments"), i, v) {
        HTML_LIT(b, "<li>");
        html_text(b, jstr(v, "party"));
        if (jstr(v, "condition")) {
            HTML_LIT(b, ": if ");
            html_text(b, jstr(v, "condition"));
            HTML_LIT(b, ", then ");
        } else {
            HTML_LIT(b, ": ");
        }
        html_text(b, jstr(v, "promise"));
        HTML_LIT(b, " <span class=\"tag\">");
        html_text(b, jstr(json_object_get(v, "status"), "status"));
        HTML_LIT(b, "</span></li>");
    }
    HTML_LIT(b, "</ul><h2>What moved since this round</h2>");
    json_array_foreach(json_object_get(s, "steps"), i, v) {
        HTML_LIT(b, "<h3>Steps by ");
        html_text(b, jstr(v, "party"));
        HTML_LIT(b, "</h3><ul>");
        json_array_foreach(json_object_get(v, "steps"), k, w)
            step_item(b, w);
        if (!json_array_size(json_object_get(v, "steps")))
            HTML_LIT(b, "<li class=\"muted\">none recorded</li>");
        HTML_LIT(b, "</ul>");
    }
    HTML_LIT(b, "<h3>Assessments since</h3><ul>");
    json_array_foreach(json_object_get(s, "assessments"), i, v) {
        HTML_LIT(b, "<li>");
        html_text(b, jstr(v, "target"));
        HTML_LIT(b, ": <strong>");
        html_text(b, jstr(v, "status"));
        HTML_LIT(b, "</strong> as of ");
        html_text(b, jstr(v, "as_of"));
        if (jstr(v, "evidence")) {
            HTML_LIT(b, " &mdash; ");
            html_text(b, jstr(v, "evidence"));
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul>");
    {
        char action[64];
        snprintf(action, sizeof(action), "/rounds/%lld/asks", (long long)id);
        render_form(b, action, "Record an ask", ask_form, values, ferr);
    }
    html_end(b);
out:
    json_decref(r);
    json_decref(s);
    rt_error_release(&err);
}

/* Bars as inline SVG: one row a label, segments of counts in the given colours. */
static void svg_bars(struct rt_buf *b, const char *title, const char *const *labels,
                     const int64_t (*counts)[3], size_t rows, const char *const *series)
{
    static const char *const colours[] = {"#2e7d32", "#c62828", "#6a6a6a"};
    int64_t max = 1;
    size_t h = rows * 28 + 40;

    for (size_t r = 0; r < rows; r++)
        if (counts[r][0] + counts[r][1] + counts[r][2] > max)
            max = counts[r][0] + counts[r][1] + counts[r][2];
    HTML_LIT(b, "<figure><svg role=\"img\" viewBox=\"0 0 640 ");
    html_textf(b, "%zu", h);
    HTML_LIT(b, "\" width=\"640\" height=\"");
    html_textf(b, "%zu", h);
    HTML_LIT(b, "\"><title>");
    html_text(b, title);
    HTML_LIT(b, "</title>");
    for (size_t r = 0; r < rows; r++) {
        double x = 110;
        HTML_LIT(b, "<text x=\"0\" y=\"");
        html_textf(b, "%zu", r * 28 + 18);
        HTML_LIT(b, "\" font-size=\"13\">");
        html_text(b, labels[r]);
        HTML_LIT(b, "</text>");
        for (int k = 0; k < 3; k++) {
            double w = 480.0 * (double)counts[r][k] / (double)max;
            if (counts[r][k] == 0)
                continue;
            HTML_LIT(b, "<rect x=\"");
            html_textf(b, "%.1f", x);
            HTML_LIT(b, "\" y=\"");
            html_textf(b, "%zu", r * 28 + 4);
            HTML_LIT(b, "\" width=\"");
            html_textf(b, "%.1f", w);
            HTML_LIT(b, "\" height=\"20\" fill=\"");
            html_text(b, colours[k]);
            HTML_LIT(b, "\"><title>");
            html_textf(b, "%s %s: %lld", labels[r], series[k], (long long)counts[r][k]);
            HTML_LIT(b, "</title></rect>");
            x += w;
        }
        HTML_LIT(b, "<text x=\"");
        html_textf(b, "%.1f", x + 4);
        HTML_LIT(b, "\" y=\"");
        html_textf(b, "%zu", r * 28 + 18);
        HTML_LIT(b, "\" font-size=\"12\">");
        html_textf(b, "%lld", (long long)(counts[r][0] + counts[r][1] + counts[r][2]));
        HTML_LIT(b, "</text>");
    }
    for (int k = 0; k < 3; k++) {
        HTML_LIT(b, "<rect x=\"");
        html_textf(b, "%d", 110 + k * 140);
        HTML_LIT(b, "\" y=\"");
        html_textf(b, "%zu", rows * 28 + 14);
        HTML_LIT(b, "\" width=\"12\" height=\"12\" fill=\"");
        html_text(b, colours[k]);
        HTML_LIT(b, "\"/><text x=\"");
        html_textf(b, "%d", 126 + k * 140);
        HTML_LIT(b, "\" y=\"");
        html_textf(b, "%zu", rows * 28 + 25);
        HTML_LIT(b, "\" font-size=\"12\">");
        html_text(b, series[k]);
        HTML_LIT(b, "</text>");
    }
    HTML_LIT(b, "</svg><figcaption>");
    html_text(b, title);
    HTML_LIT(b, "</figcaption></figure>");
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
    json_t *steps = NULL, *v;
    int64_t id = 0, (*counts)[3] = NULL;
    const char **labels = NULL;
    char (*names)[32] = NULL;
    size_t i;

    if (rt_store_state_find(st, name, strlen(name), &id, NULL) < 0 ||
        rt_store_state_get(st, id, &ref, NULL) < 0) {
        page_error(resp, 404, "No such state");
        return;
    }
    rt_store_stats(st, id, &s, NULL);
    html_begin(b, ref.name);
    HTML_LIT(b, "<h1>");
    html_text(b, ref.name);
    HTML_LIT(b, "</h1><p>");
    html_textf(b, "%lld recommendations received from %lld states: %lld supported, %lld noted, "
                  "%lld voluntary pledges.",
               (long long)s.recommendations, (long long)s.recommending_states,
               (long long)s.by_response[RT_RESPONSE_SUPPORTED],
               (long long)s.by_response[RT_RESPONSE_NOTED],
               (long long)s.by_response[RT_RESPONSE_PLEDGE]);
    HTML_LIT(b, " <a href=\"/search?sur=");
    html_url_arg(b, ref.code);
    HTML_LIT(b, "\">Read them</a>.</p><h2>Responses by cycle</h2>");
    counts = rt_xcalloc(s.n_by_cycle + 1, sizeof(*counts));
    labels = rt_xcalloc(s.n_by_cycle + 1, sizeof(*labels));
    names = rt_xcalloc(s.n_by_cycle + 1, sizeof(*names));
    for (i = 0; i < s.n_by_cycle; i++) {
        snprintf(names[i], sizeof(names[i]), "cycle %s", s.by_cycle[i].key);
        labels[i] = names[i];
        q.sur = ref.code;
        q.cycle = (int)strtol(s.by_cycle[i].key, NULL, 10);
        q.limit = 1;
        q.facets = 1;
        if (rt_search(st, &q, &res, NULL) == 0 && res.n_facets) {
            for (size_t k = 0; k < res.facets[0].n; k++) {
                const char *key = res.facets[0].counts[k].key;
                int slot = !strcmp(key, "supported") ? 0 : !strcmp(key, "noted") ? 1
                         : !strcmp(key, "pledge")    ? 2 : -1;
                if (slot >= 0)
                    counts[i][slot] = res.facets[0].counts[k].n;
            }
        }
        rt_search_result_release(&res);
    }
    if (s.n_by_cycle)
        svg_bars(b, "Recommendations by cycle and response", labels, (const int64_t(*)[3])counts,
                 s.n_by_cycle, series);
    q = (struct rt_query)RT_QUERY_INIT;
    q.sur = ref.code;
    q.limit = 1;
    q.facets = 1;
    HTML_LIT(b, "<h2>Themes</h2><p>");
    if (rt_search(st, &q, &res, NULL) == 0 && res.n_facets > 2) {
        for (size_t k = 0; k < res.facets[2].n && k < 20; k++) {
            HTML_LIT(b, "<a class=\"tag\" href=\"/search?sur=");
            html_url_arg(b, ref.code);
            HTML_LIT(b, "&amp;theme=");
            html_url_arg(b, res.facets[2].counts[k].key);
            HTML_LIT(b, "\">");
            html_textf(b, "%s (%lld)", res.facets[2].counts[k].key,
                       (long long)res.facets[2].counts[k].n);
            HTML_LIT(b, "</a> ");
        }
    }
    rt_search_result_release(&res);
    HTML_LIT(b, "</p><h2>Steps taken</h2><ul>");
    if (rt_step_list(st, 0, ref.code, &steps, NULL) == 0) {
        json_array_foreach(steps, i, v)
            step_item(b, v);
        if (!json_array_size(steps))
            HTML_LIT(b, "<li class=\"muted\">none recorded</li>");
    }
    HTML_LIT(b, "</ul>");
    html_end(b);
    json_decref(steps);
    rt_free(counts);
    rt_free(labels);
    rt_free(names);
    rt_stats_release(&s);
    rt_free(ref.name);
}

/* A form posted: saved and redirected (303) to its page, or the page again with the
 * user's input and the error. */
static void post_form(struct rt_store *st, const struct rt_http_req *req, const char *kind,
                      const char *what, int64_t id, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_t *values = rt_http_form_to_json(req, what, &err);
    int64_t new_id = 0, parent = id;
    char target[40];

    if (values && !strcmp(what, "assessment")) {
        snprintf(target, sizeof(target), "rec:%lld", (long long)id);
        json_object_set_new(values, "target", json_string(target));
    }
    if (values && rt_http_write(st, what, parent, values, &new_id, &err) == 0) {
        resp->status = 303;
        snprintf(resp->location, sizeof(resp->location), "/%s/%lld", kind, (long long)id);
        HTML_LIT(&resp->body, "Saved.");
        goto out;
    }
    if (!values)
        values = json_object();
    rt_buf_reset(&resp->body);
    if (!strcmp(kind, "dialogues"))
        dialogue_page(st, id, resp, what, values, &err);
    else if (!strcmp(kind, "rounds"))
        round_page(st, id, resp, values, &err);
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
    char buf[512], *seg[4];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 4);
    int post = !strcmp(req->method, "POST");
    int64_t id = 0;

    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    if (n == 2 && !strcmp(seg[0], "states") && !post) {
        state_page(st, seg[1], resp);
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
    if (post) {
        static const struct {
            const char *kind, *sub, *what;
        } targets[] = {{"dialogues", "steps", "step"},
                       {"dialogues", "rounds", "round"},
                       {"rounds", "asks", "ask"},
                       {"recommendations", "assessments", "assessment"}};
        for (size_t i = 0; n == 3 && i < sizeof(targets) / sizeof(targets[0]); i++) {
            if (!strcmp(seg[0], targets[i].kind) && !strcmp(seg[2], targets[i].sub)) {
                post_form(st, req, targets[i].kind, targets[i].what, id, resp);
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
    else if (n == 2 && !strcmp(seg[0], "rounds"))
        round_page(st, id, resp, NULL, NULL);
    else
        return 0;
    return 1;
}
