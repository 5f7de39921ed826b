/* The escaping HTML builder and inline SVG charts (include/rightstrack/html.h). */
#include "base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rightstrack/html.h>

void rt_html_text(struct rt_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            RT_HTML_LIT(b, "&amp;");
            break;
        case '<':
            RT_HTML_LIT(b, "&lt;");
            break;
        case '>':
            RT_HTML_LIT(b, "&gt;");
            break;
        case '"':
            RT_HTML_LIT(b, "&quot;");
            break;
        case '\'':
            RT_HTML_LIT(b, "&#39;");
            break;
        default:
            rt_buf_addch(b, *s);
        }
    }
}

void rt_html_textf(struct rt_buf *b, const char *fmt, ...)
{
    struct rt_buf t = RT_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    rt_buf_vaddf(&t, fmt, ap);
    va_end(ap);
    rt_html_text(b, t.buf);
    rt_buf_release(&t);
}

void rt_html_url_arg(struct rt_buf *b, const char *s)
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

void rt_html_json(struct rt_buf *b, json_t *v)
{
    if (json_is_string(v))
        rt_html_text(b, json_string_value(v));
    else if (json_is_integer(v))
        rt_buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        rt_buf_addf(b, "%g", json_real_value(v));
}

/* Bars as inline SVG: one row a label, segments of counts in the given colours. */
void rt_html_svg_bars(struct rt_buf *b, const char *title, const char *const *labels,
                      const int64_t (*counts)[3], size_t rows, const char *const *series)
{
    static const char *const colours[] = {"#2e7d32", "#c62828", "#6a6a6a"};
    int64_t max = 1;
    size_t h = rows * 28 + 40;

    /* The label column fits the longest label (about 7 px a character at 13 px),
     * between 110 and 300 px; the bars have the rest. */
    double lw = 110, span;
    for (size_t r = 0; r < rows; r++) {
        size_t chars = 0;
        for (const char *c = labels[r]; c && *c; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        if (10.0 + 7.0 * (double)chars > lw)
            lw = 10.0 + 7.0 * (double)chars;
        if (counts[r][0] + counts[r][1] + counts[r][2] > max)
            max = counts[r][0] + counts[r][1] + counts[r][2];
    }
    lw = lw > 300 ? 300 : lw;
    span = 640 - lw - 40;
    RT_HTML_LIT(b, "<figure><svg role=\"img\" viewBox=\"0 0 640 ");
    rt_html_textf(b, "%zu", h);
    RT_HTML_LIT(b, "\" width=\"640\" height=\"");
    rt_html_textf(b, "%zu", h);
    RT_HTML_LIT(b, "\"><title>");
    rt_html_text(b, title);
    RT_HTML_LIT(b, "</title>");
    for (size_t r = 0; r < rows; r++) {
        double x = lw;
        RT_HTML_LIT(b, "<text x=\"0\" y=\"");
        rt_html_textf(b, "%zu", r * 28 + 18);
        RT_HTML_LIT(b, "\" font-size=\"13\">");
        rt_html_text(b, labels[r]);
        RT_HTML_LIT(b, "</text>");
        for (int k = 0; k < 3; k++) {
            double w = span * (double)counts[r][k] / (double)max;
            if (counts[r][k] == 0)
                continue;
            RT_HTML_LIT(b, "<rect x=\"");
            rt_html_textf(b, "%.1f", x);
            RT_HTML_LIT(b, "\" y=\"");
            rt_html_textf(b, "%zu", r * 28 + 4);
            RT_HTML_LIT(b, "\" width=\"");
            rt_html_textf(b, "%.1f", w);
            RT_HTML_LIT(b, "\" height=\"20\" fill=\"");
            rt_html_text(b, colours[k]);
            RT_HTML_LIT(b, "\"><title>");
            rt_html_textf(b, "%s %s: %lld", labels[r], series[k], (long long)counts[r][k]);
            RT_HTML_LIT(b, "</title></rect>");
            x += w;
        }
        RT_HTML_LIT(b, "<text x=\"");
        rt_html_textf(b, "%.1f", x + 4);
        RT_HTML_LIT(b, "\" y=\"");
        rt_html_textf(b, "%zu", r * 28 + 18);
        RT_HTML_LIT(b, "\" font-size=\"12\">");
        rt_html_textf(b, "%lld", (long long)(counts[r][0] + counts[r][1] + counts[r][2]));
        RT_HTML_LIT(b, "</text>");
    }
    for (int k = 0; k < 3 && series[k]; k++) {
        RT_HTML_LIT(b, "<rect x=\"");
        rt_html_textf(b, "%.0f", lw + k * 140);
        RT_HTML_LIT(b, "\" y=\"");
        rt_html_textf(b, "%zu", rows * 28 + 14);
        RT_HTML_LIT(b, "\" width=\"12\" height=\"12\" fill=\"");
        rt_html_text(b, colours[k]);
        RT_HTML_LIT(b, "\"/><text x=\"");
        rt_html_textf(b, "%.0f", lw + 16 + k * 140);
        RT_HTML_LIT(b, "\" y=\"");
        rt_html_textf(b, "%zu", rows * 28 + 25);
        RT_HTML_LIT(b, "\" font-size=\"12\">");
        rt_html_text(b, series[k]);
        RT_HTML_LIT(b, "</text>");
    }
    RT_HTML_LIT(b, "</svg><figcaption>");
    rt_html_text(b, title);
    RT_HTML_LIT(b, "</figcaption></figure>");
}
