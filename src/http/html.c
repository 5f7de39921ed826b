/* The escaping HTML builder and the page frame. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "html.h"

void html_text(struct rt_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            HTML_LIT(b, "&amp;");
            break;
        case '<':
            HTML_LIT(b, "&lt;");
            break;
        case '>':
            HTML_LIT(b, "&gt;");
            break;
        case '"':
            HTML_LIT(b, "&quot;");
            break;
        case '\'':
            HTML_LIT(b, "&#39;");
            break;
        default:
            rt_buf_addch(b, *s);
        }
    }
}

void html_textf(struct rt_buf *b, const char *fmt, ...)
{
    struct rt_buf t = RT_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    rt_buf_vaddf(&t, fmt, ap);
    va_end(ap);
    html_text(b, t.buf);
    rt_buf_release(&t);
}

void html_url_arg(struct rt_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-_.~", c)) {
            rt_buf_addch(b, c);
        } else {
            rt_buf_addch(b, '%');
            rt_buf_addch(b, hex[c >> 4]);
            rt_buf_addch(b, hex[c & 15]);
        }
    }
}

void html_json(struct rt_buf *b, json_t *v)
{
    if (json_is_string(v))
        html_text(b, json_string_value(v));
    else if (json_is_integer(v))
        rt_buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        rt_buf_addf(b, "%g", json_real_value(v));
}

void html_begin(struct rt_buf *b, const char *title)
{
    HTML_LIT(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>");
    html_text(b, title);
    HTML_LIT(b, " - rightstrack</title><style>"
                "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}"
                "header{background:#123a5a;color:#fff;padding:.5rem 1rem}"
                "header a{color:#fff;margin-right:1rem;text-decoration:none;font-weight:600}"
                "main{max-width:60rem;margin:0 auto;padding:1rem}"
                "a{color:#0b5394}table{border-collapse:collapse}td,th{padding:.2rem .5rem;"
                "text-align:left;vertical-align:top;border-bottom:1px solid #ddd}"
                ".muted{color:#555}.hit{margin:0 0 1rem}.facets{font-size:.9rem}"
                ".tag{display:inline-block;background:#eef3f7;border-radius:3px;padding:0 .3rem;"
                "margin:0 .2rem .2rem 0;font-size:.85rem}label{display:block;font-weight:600}"
                "input,select{font:inherit;padding:.2rem}form.search{display:flex;flex-wrap:wrap;"
                "gap:.5rem;align-items:end}.pos{color:#1b6e20}.neg{color:#a31515}"
                "@media print{header,form,nav.paging{display:none}main{max-width:none}"
                "a{color:inherit;text-decoration:none}}"
                "</style></head><body><header><nav><a href=\"/\">rightstrack</a>"
                "<a href=\"/search\">Recommendations</a><a href=\"/dialogues\">Dialogues</a>"
                "</nav></header><main>\n");
}

void html_end(struct rt_buf *b)
{
    HTML_LIT(b, "\n</main></body></html>\n");
}
