/*
 * The reports on the web: /reports/brief/{dialogue} and /reports/country/{state},
 * each with ?as_of=DATE and ?format=html|md|pdf, rendered by the same library calls
 * as `rightstrack report`.
 */
#include <rightstrack/ledger.h>
#include <rightstrack/report.h>

#include "html.h"
#include "http_int.h"

int rt_http_reports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    char buf[512], *seg[4];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 4);
    const char *as_of = rt_http_arg(req, "as_of"), *format = rt_http_arg(req, "format");
    struct rt_error err = RT_ERROR_INIT;
    enum rt_report_format fmt = RT_REPORT_HTML;
    json_t *doc = NULL;
    int64_t id = 0;
    int rc;

    if (n != 3 || strcmp(seg[0], "reports") ||
        (strcmp(seg[1], "brief") && strcmp(seg[1], "country")))
        return 0;
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        page_error(resp, 405, "Reports are read with GET");
        return 1;
    }
    if (as_of && !*as_of)
        as_of = NULL;
    if (format && *format && rt_report_format_parse(format, &fmt) < 0) {
        page_error(resp, 400, "The format is html, md or pdf");
        return 1;
    }
    if (!strcmp(seg[1], "brief"))
        rc = rt_dialogue_find(st, seg[2], &id, &err) < 0
                 ? err.code
                 : rt_report_brief(st, id, as_of, &doc, &err);
    else
        rc = rt_report_country(st, seg[2], as_of, &doc, &err);
    rt_buf_reset(&resp->body);
    if (rc == 0)
        rc = rt_report_render(doc, fmt, &resp->body, &err);
    resp->content_type = fmt == RT_REPORT_HTML       ? "text/html; charset=utf-8"
                         : fmt == RT_REPORT_MARKDOWN ? "text/markdown; charset=utf-8"
                                                     : "application/pdf";
    if (rc < 0)
        page_fail(resp, &err);
    else
        resp->status = 200;
    json_decref(doc);
    rt_error_release(&err);
    return 1;
}

void rt_http_report_form(struct rt_buf *b, const char *action, const char *title)
{
    RT_HTML_LIT(b, "<form class=\"search report\" method=\"get\" action=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "\"><div><label for=\"report-as-of\">");
    rt_html_text(b, title);
    RT_HTML_LIT(b, " as of</label><input id=\"report-as-of\" name=\"as_of\" type=\"date\">"
                   "</div><div><label for=\"report-format\">Format</label>"
                   "<select id=\"report-format\" name=\"format\"><option value=\"html\">web page"
                   "</option><option value=\"pdf\">PDF (download)</option><option value=\"md\">"
                   "Markdown</option></select></div><button>Open</button></form>"
                   "<p class=\"muted\">Leave the date empty for everything recorded. <a href=\"");
    rt_html_text(b, action);
    RT_HTML_LIT(b, "?format=pdf\" download>Download PDF</a></p>");
}
