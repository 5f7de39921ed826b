/*
 * Persons on the web face (person.h): the list with search, a page per person, their
 * names on the round page's asks and steps, and the API's person routes. Persons are
 * private records unless marked public: the store reads for the request's reader
 * (private.h), so the public and viewers meet only those marked public, and nothing
 * here decides who sees whom.
 */
#include <rightstrack/entity.h>
#include <rightstrack/person.h>

#include "html.h"
#include "http_int.h"

static const char *jstr(const json_t *v, const char *k)
{
    return json_string_value(json_object_get(v, k));
}

/* "released (pardon) since 2015-08-22" */
static void status_text(struct rt_buf *b, const json_t *x)
{
    RT_HTML_LIT(b, "<span class=\"tag\">");
    rt_html_text(b, jstr(x, "status") ? jstr(x, "status") : "unknown");
    if (jstr(x, "how")) {
        RT_HTML_LIT(b, ", ");
        rt_html_text(b, jstr(x, "how"));
    }
    RT_HTML_LIT(b, "</span>");
    if (jstr(x, "since")) {
        RT_HTML_LIT(b, " since ");
        rt_html_text(b, jstr(x, "since"));
    }
    if (json_is_true(json_object_get(x, "inferred")))
        RT_HTML_LIT(b, " <span class=\"muted\">(held before a release on record)</span>");
}

static void person_link(struct rt_buf *b, const json_t *p)
{
    rt_buf_addf(b, "<a href=\"/persons/%lld\">",
                (long long)json_integer_value(json_object_get(p, "id")));
    rt_html_text(b, jstr(p, "name"));
    RT_HTML_LIT(b, "</a>");
}

void rt_http_person_names(struct rt_store *st, struct rt_buf *b, const char *kind, int64_t id)
{
    json_t *doc = NULL, *p;
    size_t i;
    int rc;

    if (!st)
        return;
    rc = !strcmp(kind, "ask") ? rt_ask_persons(st, id, NULL, &doc, NULL)
                              : rt_step_persons(st, id, &doc, NULL);
    if (rc < 0 || !json_array_size(json_object_get(doc, "persons"))) {
        json_decref(doc);
        return;
    }
    RT_HTML_LIT(b, " <span class=\"persons\">Persons: ");
    json_array_foreach(json_object_get(doc, "persons"), i, p)
    {
        if (i)
            RT_HTML_LIT(b, ", ");
        person_link(b, p);
        if (json_is_object(json_object_get(p, "status"))) {
            RT_HTML_LIT(b, " ");
            status_text(b, json_object_get(p, "status"));
        }
    }
    if (!strcmp(kind, "step") && json_is_integer(json_object_get(doc, "unnamed")) &&
        json_integer_value(json_object_get(doc, "unnamed")) > 0)
        rt_html_textf(b, " and %lld not named",
                      (long long)json_integer_value(json_object_get(doc, "unnamed")));
    RT_HTML_LIT(b, "</span>");
    json_decref(doc);
}

static void list_page(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf *b = &resp->body;
    const char *q = rt_http_arg(req, "q"), *as_of = rt_http_arg(req, "as_of");
    json_t *list = NULL, *p;
    size_t i;

    if (q && !*q)
        q = NULL;
    if (as_of && !*as_of)
        as_of = NULL;
    if (rt_person_list(st, q, as_of, &list, &err) < 0) {
        page_fail(resp, &err);
        rt_error_release(&err);
        return;
    }
    html_begin(b, "Persons");
    RT_HTML_LIT(b, "<h1>Persons</h1><p class=\"muted\">People detained, charged, sentenced "
                   "and freed, with their status as of a date. A person is private (seen by "
                   "editors and admins only) unless marked public.</p>"
                   "<form method=\"get\" action=\"/persons\"><label>Name <input name=\"q\" "
                   "value=\"");
    rt_html_text(b, q ? q : "");
    RT_HTML_LIT(b, "\"></label> <label>As of <input name=\"as_of\" placeholder=\"YYYY-MM-DD\" "
                   "value=\"");
    rt_html_text(b, as_of ? as_of : "");
    RT_HTML_LIT(b, "\"></label> <button type=\"submit\">Search</button></form>");
    rt_buf_addf(b, "<p>%zu persons</p>", json_array_size(list));
    RT_HTML_LIT(b, "<table class=\"persons\"><thead><tr><th>Name</th><th>Also written</th>"
                   "<th>Status</th></tr></thead><tbody>");
    json_array_foreach(list, i, p)
    {
        const json_t *n;
        size_t k, shown = 0;
        RT_HTML_LIT(b, "<tr><td>");
        person_link(b, p);
        rt_http_private_mark(b, p);
        RT_HTML_LIT(b, "</td><td>");
        json_array_foreach(json_object_get(p, "names"), k, n)
        {
            if (!strcmp(jstr(n, "name"), jstr(p, "name")))
                continue;
            if (shown++)
                RT_HTML_LIT(b, ", ");
            rt_html_text(b, jstr(n, "name"));
        }
        RT_HTML_LIT(b, "</td><td>");
        status_text(b, json_object_get(p, "status"));
        RT_HTML_LIT(b, "</td></tr>\n");
    }
    RT_HTML_LIT(b, "</tbody></table>");
    html_end(b);
    json_decref(list);
}

static void person_page(struct rt_store *st, int64_t id, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf *b = &resp->body;
    const char *as_of = rt_http_arg(req, "as_of");
    json_t *doc = NULL, *v;
    size_t i;

    if (as_of && !*as_of)
        as_of = NULL;
    if (rt_person_get(st, id, as_of, &doc, &err) < 0) {
        if (err.code == RT_ENOTFOUND)
            page_error(resp, 404, "No such person");
        else
            page_fail(resp, &err);
        rt_error_release(&err);
        return;
    }
    html_begin(b, jstr(doc, "name"));
    RT_HTML_LIT(b, "<h1>");
    rt_html_text(b, jstr(doc, "name"));
    RT_HTML_LIT(b, "</h1>");
    if (json_is_true(json_object_get(doc, "private")))
        RT_HTML_LIT(b, "<p role=\"status\" id=\"private\"><span class=\"tag private\">private"
                       "</span> Only editors and admins see this person: not viewers, not the "
                       "public.</p>");
    RT_HTML_LIT(b, "<p>");
    status_text(b, json_object_get(doc, "status"));
    RT_HTML_LIT(b, ", as of ");
    rt_html_text(b, as_of ? as_of : "today");
    RT_HTML_LIT(b, "</p>");
    if (json_is_integer(json_object_get(doc, "merged_into")))
        rt_buf_addf(b, "<p>Merged into person %lld.</p>",
                    (long long)json_integer_value(json_object_get(doc, "merged_into")));
    RT_HTML_LIT(b, "<dl>");
    if (jstr(doc, "groups")) {
        RT_HTML_LIT(b, "<dt>Groups</dt><dd>");
        rt_html_text(b, jstr(doc, "groups"));
        RT_HTML_LIT(b, "</dd>");
    }
    if (json_is_integer(json_object_get(doc, "birth_year")))
        rt_buf_addf(b, "<dt>Born</dt><dd>%lld</dd>",
                    (long long)json_integer_value(json_object_get(doc, "birth_year")));
    RT_HTML_LIT(b, "<dt>Names met</dt><dd><ul class=\"names\">");
    json_array_foreach(json_object_get(doc, "names"), i, v)
    {
        RT_HTML_LIT(b, "<li>");
        rt_html_text(b, jstr(v, "name"));
        if (jstr(v, "source")) {
            RT_HTML_LIT(b, " <span class=\"muted\">");
            rt_html_text(b, jstr(v, "source"));
            RT_HTML_LIT(b, "</span>");
        }
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul></dd></dl>");
    rt_buf_addf(b,
                "<p><a id=\"edit\" href=\"/records/person:%lld#edit\">Correct this person</a> "
                "&middot; <a href=\"/records/person:%lld/history\">History</a></p>",
                (long long)id, (long long)id);
    RT_HTML_LIT(b, "<h2>Case</h2><table class=\"case\"><thead><tr><th>Date</th>"
                   "<th>Event</th><th>Detail</th><th>Source</th><th>Record</th></tr></thead>"
                   "<tbody>");
    json_array_foreach(json_object_get(doc, "events"), i, v)
    {
        RT_HTML_LIT(b, "<tr><td>");
        rt_html_text(b, jstr(v, "date"));
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "event"));
        if (jstr(v, "how")) {
            RT_HTML_LIT(b, " (");
            rt_html_text(b, jstr(v, "how"));
            RT_HTML_LIT(b, ")");
        }
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "detail") ? jstr(v, "detail") : "");
        if (json_is_integer(json_object_get(v, "step")))
            rt_html_textf(b, " (step %lld)",
                          (long long)json_integer_value(json_object_get(v, "step")));
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(v, "source") ? jstr(v, "source") : "");
        /* Each event is corrected or withdrawn on its record's page, as the ledger's are. */
        rt_buf_addf(b, "</td><td><a href=\"/records/case:%lld\">case:%lld</a></td></tr>\n",
                    (long long)json_integer_value(json_object_get(v, "id")),
                    (long long)json_integer_value(json_object_get(v, "id")));
    }
    RT_HTML_LIT(b, "</tbody></table>");
    if (json_array_size(json_object_get(doc, "asks"))) {
        RT_HTML_LIT(b, "<h2>Named in asks</h2><ul>");
        json_array_foreach(json_object_get(doc, "asks"), i, v)
        {
            RT_HTML_LIT(b, "<li>");
            rt_html_text(b, jstr(v, "round_label"));
            RT_HTML_LIT(b, ": ");
            rt_html_text(b, jstr(v, "text"));
            RT_HTML_LIT(b, "</li>");
        }
        RT_HTML_LIT(b, "</ul>");
    }
    RT_HTML_LIT(b, "<p><a href=\"/persons\">All persons</a></p>");
    html_end(b);
    json_decref(doc);
}

int rt_http_person_page(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    char buf[256], *seg[4], *end;
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 4);
    long long id = 0;

    if (n < 1 || n > 2 || strcmp(seg[0], "persons"))
        return 0;
    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        page_error(resp, 405, "This page can only be read");
        return 1;
    }
    if (n == 1) {
        list_page(st, req, resp);
        return 1;
    }
    id = strtoll(seg[1], &end, 10);
    if (*end || id <= 0)
        page_error(resp, 404, "No such person");
    else
        person_page(st, id, req, resp);
    return 1;
}

int rt_http_person_api(struct rt_store *st, const struct rt_http_req *req, const char *what,
                       int64_t id, json_t **doc, struct rt_error *err)
{
    const char *as_of = rt_http_arg(req, "as_of"), *q = rt_http_arg(req, "q");

    if (as_of && !*as_of)
        as_of = NULL;
    if (!strcmp(what, "list"))
        return rt_person_list(st, q && *q ? q : NULL, as_of, doc, err);
    if (!strcmp(what, "person"))
        return rt_person_get(st, id, as_of, doc, err);
    if (!strcmp(what, "ask"))
        return rt_ask_persons(st, id, as_of, doc, err);
    return rt_step_persons(st, id, doc, err);
}
