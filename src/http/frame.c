/* The web pages' frame: head, style sheet, navigation. */
#include "html.h"
#include "http_int.h"

/* Who is logged in and a button to log out, or a link to log in (with accounts only). */
static void account_menu(struct rt_buf *b)
{
    const struct rt_http_who *who = rt_http_who_now();

    if (!who || !who->accounts)
        return;
    RT_HTML_LIT(b, "<div class=\"account\">");
    if (!who->p.id) {
        RT_HTML_LIT(b, "<a href=\"/login\">Log in</a></div>");
        return;
    }
    RT_HTML_LIT(b, "<span>");
    rt_html_text(b, who->p.name);
    RT_HTML_LIT(b, " (");
    rt_html_text(b, rt_role_name(who->p.role));
    RT_HTML_LIT(b, ")</span> ");
    if (who->p.role == RT_ROLE_ADMIN)
        RT_HTML_LIT(b, "<a href=\"/users\">Users</a>");
    RT_HTML_LIT(b, "<form method=\"post\" action=\"/logout\">");
    rt_http_csrf_field(b);
    RT_HTML_LIT(b, "<button type=\"submit\">Log out</button></form></div>");
}

/* The site's menu, on every page and at the top of the reports. */
#define NAV                                                                                        \
    "<nav><a href=\"/\">rightstrack</a><a href=\"/search\">Recommendations</a>"                    \
    "<a href=\"/dialogues\">Dialogues</a><a href=\"/readouts/new\">Record a readout</a>"           \
    "<a href=\"/imports\">Import</a></nav>"

void html_begin(struct rt_buf *b, const char *title)
{
    RT_HTML_LIT(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>");
    rt_html_text(b, title);
    RT_HTML_LIT(
        b, " - rightstrack</title><style>"
           "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}"
           "header{background:#123a5a;color:#fff;padding:.5rem 1rem}"
           "header a{color:#fff;margin-right:1rem;text-decoration:none;font-weight:600}"
           "header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem}"
           "header .account form{display:inline;margin-left:.5rem}"
           "main{max-width:60rem;margin:0 auto;padding:1rem}"
           "a{color:#0b5394}table{border-collapse:collapse}td,th{padding:.2rem .5rem;"
           "text-align:left;vertical-align:top;border-bottom:1px solid #ddd}"
           ".muted{color:#555}.hint{display:block;color:#555;font-size:.9rem;font-weight:400}."
           "hit{margin:0 0 1rem}.facets{font-size:.9rem}"
           ".tag{display:inline-block;background:#eef3f7;border-radius:3px;padding:0 .3rem;"
           "margin:0 .2rem .2rem 0;font-size:.85rem}label{display:block;font-weight:600}"
           "input,select{font:inherit;padding:.2rem}form.search{display:flex;flex-wrap:wrap;"
           "gap:.5rem;align-items:end}.pos{color:#1b6e20}.neg{color:#a31515}"
           ".tag.private{background:#fbe3c4;color:#5c3200;font-weight:600}"
           ".banner{border:4px solid #1b6e20;padding:0 1rem;margin:0 0 1rem}"
           ".pick-list{list-style:none;margin:0;padding:0;border:1px solid #777;"
           "max-width:44rem;max-height:18rem;overflow:auto;background:#fff}"
           ".pick-list li{padding:.25rem .5rem;cursor:pointer}.pick-list li[aria-selected=true],"
           ".pick-list li:hover{background:#dde8f0}.pick-chosen{list-style:none;padding:0;"
           "margin:.2rem 0}.pick-chosen li{display:inline-block;background:#eef3f7;"
           "border-radius:3px;padding:0 .3rem;margin:0 .3rem .3rem 0}"
           "@media print{header,form,nav.paging{display:none}main{max-width:none}"
           "a{color:inherit;text-decoration:none}}"
           "</style><script defer src=\"/assets/pick.js\"></script></head><body><header>" NAV);
    account_menu(b);
    RT_HTML_LIT(b, "</header><main>\n");
    rt_http_flash(b);
}

void rt_http_report_frame(struct rt_buf *b, const char *action, const char *as_of)
{
    struct rt_buf line = RT_BUF_INIT, out = RT_BUF_INIT;
    const char *body = strstr(b->buf, "<body>\n");
    size_t at;

    if (!body)
        return;
    at = (size_t)(body - b->buf) + 7;
    RT_HTML_LIT(&line,
                "<header class=\"site\"><style>header.site{background:#123a5a;color:#fff;"
                "margin:-1rem -1rem 1rem;padding:.5rem 1rem;display:flex;flex-wrap:wrap;"
                "gap:.5rem 1rem;align-items:center}header.site a{color:#fff;margin-right:1rem;"
                "text-decoration:none;font-weight:600}header.site form{margin:0 0 0 auto}"
                "@media print{header.site{display:none}}</style>" NAV);
    rt_http_report_pdf_button(&line, action, as_of);
    RT_HTML_LIT(&line, "</header>\n");
    rt_buf_add(&out, b->buf, at);
    rt_buf_add(&out, line.buf, line.len);
    rt_buf_add(&out, b->buf + at, b->len - at);
    rt_buf_release(&line);
    rt_buf_release(b);
    *b = out;
}

void html_end(struct rt_buf *b)
{
    RT_HTML_LIT(b, "\n</main></body></html>\n");
}

void page_error(struct rt_http_resp *resp, int status, const char *msg)
{
    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    html_begin(&resp->body, status == 503   ? "Database unavailable"
                            : status == 501 ? "Not yet supported"
                                            : "Not found");
    RT_HTML_LIT(&resp->body, "<h1>");
    rt_html_text(&resp->body, msg);
    RT_HTML_LIT(&resp->body, "</h1><p><a href=\"/\">Back to the start</a></p>");
    html_end(&resp->body);
}

void page_fail(struct rt_http_resp *resp, const struct rt_error *err)
{
    int store = rt_http_store_status(err);

    if (store == 503) {
        struct rt_buf m = RT_BUF_INIT;
        rt_buf_addf(&m, "The database cannot be reached just now; try again in a moment (%s)",
                    err->msg.buf);
        page_error(resp, 503, m.buf);
        rt_buf_release(&m);
        return;
    }
    page_error(resp,
               store                       ? store
               : err->code == RT_ENOTFOUND ? 404
               : err->code == RT_EINVAL    ? 400
                                           : 500,
               err->msg.len ? err->msg.buf : rt_strerror(err->code));
}

void rt_http_page_refused(struct rt_http_resp *resp, const char *title, const char *why)
{
    resp->status = 403;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    html_begin(&resp->body, title);
    RT_HTML_LIT(&resp->body, "<h1>");
    rt_html_text(&resp->body, title);
    RT_HTML_LIT(&resp->body, "</h1><p role=\"alert\">");
    rt_html_text(&resp->body, why);
    RT_HTML_LIT(&resp->body, "</p><p>Nothing was saved. <a href=\"/\">Back to the start</a></p>");
    html_end(&resp->body);
}
