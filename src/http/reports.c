/*
 * The reports on the web: /reports/brief/{dialogue} and /reports/country/{state},
 * each with ?as_of=DATE and ?format=html|md, rendered by the same library calls as
 * `rightstrack report`. A PDF is made only for a POST from the page's own form (with
 * its CSRF token), one at a time: Chromium is heavy, and a GET (an <img> on another
 * site) must not start it. It comes as a download named for what it holds.
 */
#include <pthread.h>

#include <rightstrack/ledger.h>
#include <rightstrack/report.h>

#include "html.h"
#include <rightstrack/person.h>

#include "http_int.h"

/* Seconds a refused PDF request is told to wait before it asks again. */
enum { PDF_RETRY_AFTER_S = 10 };

/* Held while Chromium prints a PDF; a second request is refused, not queued, since a
 * waiting request would hold one of the server's few threads. */
static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;

/* Appends s to b in lowercase ASCII letters and digits, other runs as one '-'. */
static void slug(struct rt_buf *b, const char *s)
{
    size_t start = b->len;
    int dash = 0;

    for (; s && *s && b->len - start < 80; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (dash && b->len > start)
                rt_buf_addch(b, '-');
            rt_buf_addch(b, (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (b->len == start)
        rt_buf_adds(b, "report");
}

/* "us-belarus-working-group-briefing-2016-12-31.pdf": what, kind and as-of date. */
static void pdf_name(const json_t *doc, const char *as_of, struct rt_buf *out)
{
    int brief = !strcmp(json_string_value(json_object_get(doc, "report")), "brief");
    const json_t *who = json_object_get(doc, brief ? "dialogue" : "state");

    slug(out, json_string_value(json_object_get(who, "name")));
    rt_buf_adds(out, brief ? "-briefing" : "-country-profile");
    if (as_of) {
        rt_buf_addch(out, '-');
        slug(out, as_of);
    }
    rt_buf_adds(out, ".pdf");
}

/*
 * The report's document as of the date, for the page and its PDF alike (the PDF's read
 * in one snapshot of the database, snapshot 1): with the private sections on persons
 * when the visitor may see them (persons 1).
 */
static int report_doc(struct rt_store *st, const char *kind, const char *name, const char *as_of,
                      int persons, int snapshot, json_t **doc, struct rt_error *err)
{
    int64_t id = 0;
    int rc;

    if (snapshot && (rc = rt_store_read_begin(st, err)) < 0)
        return rc;
    if (!strcmp(kind, "brief")) {
        rc = rt_dialogue_find(st, name, &id, err) < 0 ? err->code
                                                      : rt_report_brief(st, id, as_of, doc, err);
        if (rc == 0 && persons) {
            json_t *p = NULL;
            if ((rc = rt_dialogue_persons(st, id, as_of, &p, err)) == 0)
                json_object_set_new(*doc, "persons", p);
        }
    } else {
        rc = rt_report_country(st, name, as_of, doc, err);
        if (rc == 0 && persons)
            rc = rt_report_country_persons(st, *doc, NULL, err);
    }
    if (snapshot)
        rt_store_read_end(st);
    if (rc < 0) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

/* POST …?format=pdf: the PDF as a download, or 503 while another is being made. */
static void pdf(struct rt_store *st, const struct rt_http_req *req, const char *kind,
                const char *name, const char *as_of, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf file = RT_BUF_INIT;
    json_t *doc = NULL;
    int rc;

    if (!rt_http_csrf_ok(req)) {
        rt_http_page_refused(resp, "This form is out of date",
                             "The form did not carry the token of this run of the server: it "
                             "was sent from another site, or from a page opened before the "
                             "server restarted. Reload the page and ask for the PDF again.");
        return;
    }
    if ((rc = report_doc(st, kind, name, as_of, rt_http_sees_private(req->who), 1, &doc, &err)) <
        0) {
        page_fail(resp, &err);
        goto out;
    }
    if (pthread_mutex_trylock(&pdf_lock) != 0) {
        page_error(resp, 503, "Another PDF is being made: try again in a few seconds");
        resp->retry_after = PDF_RETRY_AFTER_S;
        goto out;
    }
    rt_buf_reset(&resp->body);
    rc = rt_report_render(doc, RT_REPORT_PDF, &resp->body, &err);
    pthread_mutex_unlock(&pdf_lock);
    if (rc < 0) {
        page_fail(resp, &err);
        goto out;
    }
    pdf_name(doc, as_of, &file);
    resp->status = 200;
    resp->content_type = "application/pdf";
    snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"%s\"", file.buf);
out:
    json_decref(doc);
    rt_buf_release(&file);
    rt_error_release(&err);
}

int rt_http_reports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    char buf[512], *seg[4];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 4);
    const char *as_of = rt_http_arg(req, "as_of"), *format = rt_http_arg(req, "format");
    struct rt_error err = RT_ERROR_INIT;
    enum rt_report_format fmt = RT_REPORT_HTML;
    int post = !strcmp(req->method, "POST");
    json_t *doc = NULL;
    int rc;

    if (n != 3 || strcmp(seg[0], "reports") ||
        (strcmp(seg[1], "brief") && strcmp(seg[1], "country")))
        return 0;
    if (!post && strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        page_error(resp, 405, "Reports are read with GET");
        return 1;
    }
    if (as_of && !*as_of)
        as_of = NULL;
    if (format && *format && rt_report_format_parse(format, &fmt) < 0) {
        page_error(resp, 400, "The format is html, md or pdf");
        return 1;
    }
    if (fmt == RT_REPORT_PDF && post) {
        pdf(st, req, seg[1], seg[2], as_of, resp);
        return 1;
    }
    if (fmt == RT_REPORT_PDF || post) {
        page_error(resp, 405,
                   "A PDF is made by the \"Download PDF\" button of the report's page; "
                   "other reports are read with GET");
        return 1;
    }
    /* The private sections on individual cases, for those who see private records. */
    rc = report_doc(st, seg[1], seg[2], as_of, rt_http_sees_private(req->who), 0, &doc, &err);
    rt_buf_reset(&resp->body);
    if (rc == 0)
        rc = rt_report_render(doc, fmt, &resp->body, &err);
    resp->content_type =
        fmt == RT_REPORT_HTML ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8";
    if (rc < 0) {
        page_fail(resp, &err);
    } else {
        resp->status = 200;
        if (fmt == RT_REPORT_HTML)
            rt_http_report_frame(&resp->body, req->path, as_of);
    }
    json_decref(doc);
    rt_error_release(&err);
    return 1;
}

void rt_http_report_pdf_button(struct rt_buf *b, const char *action, const char *as_of)
{
    RT_HTML_LIT(b, "<form class=\"pdf\" method=\"post\" action=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "\"><input type=\"hidden\" name=\"" RT_HTTP_CSRF_FIELD "\" value=\"");
    rt_html_text(b, rt_http_csrf_token());
    RT_HTML_LIT(b, "\"><input type=\"hidden\" name=\"format\" value=\"pdf\">");
    if (as_of) {
        RT_HTML_LIT(b, "<input type=\"hidden\" name=\"as_of\" value=\"");
        rt_html_text(b, as_of);
        RT_HTML_LIT(b, "\">");
    }
    RT_HTML_LIT(b, "<button type=\"submit\">Download PDF</button></form>");
}

void rt_http_report_form(struct rt_buf *b, const char *action, const char *title)
{
    RT_HTML_LIT(b, "<form class=\"search report\" method=\"get\" action=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "\"><div><label for=\"report-as-of\">");
    rt_html_text(b, title);
    RT_HTML_LIT(b, " as of</label><span class=\"hint\" id=\"report-as-of-hint\">for example "
                   "2015-08-22 or 2015-08; empty for everything recorded</span>"
                   "<input id=\"report-as-of\" name=\"as_of\" size=\"10\" "
                   "aria-describedby=\"report-as-of-hint\"></div>"
                   "<div><label for=\"report-format\">Format</label>"
                   "<select id=\"report-format\" name=\"format\"><option value=\"html\">web page"
                   "</option><option value=\"md\">Markdown</option></select></div>"
                   "<button>Open</button></form><p class=\"muted\">Open the report to download "
                   "it as a PDF of the same date; or, for everything recorded:</p>");
    rt_http_report_pdf_button(b, action, NULL);
}
