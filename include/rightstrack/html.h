/*
 * The escaping HTML builder, shared by the web pages and the reports: text from data
 * is always escaped, markup comes only from string literals.
 */
#ifndef RIGHTSTRACK_HTML_H
#define RIGHTSTRACK_HTML_H

#include <jansson.h>

#include <rightstrack/rt.h>

/* Appends markup; s must be a string literal, so data can never become markup. */
#define RT_HTML_LIT(b, s) rt_buf_add((b), "" s "", sizeof(s) - 1)

/* Appends s with & < > " ' escaped (NULL appends nothing). */
RT_API void rt_html_text(struct rt_buf *b, const char *s);
/* Appends what printf prints for fmt, escaped as rt_html_text escapes. */
RT_API void rt_html_textf(struct rt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s percent-encoded for a URL query value or path segment. */
RT_API void rt_html_url_arg(struct rt_buf *b, const char *s);
/* A JSON value as text: strings as they are, numbers in decimal, null as nothing. */
RT_API void rt_html_json(struct rt_buf *b, json_t *v);

/*
 * A horizontal bar chart as inline SVG in a <figure>: one row per label, each row
 * made of up to three segments (counts[r][0..2]) drawn in the colours of series
 * (names, for the legend and the tooltips; a NULL name ends the series early).
 */
RT_API void rt_html_svg_bars(struct rt_buf *b, const char *title, const char *const *labels,
                             const int64_t (*counts)[3], size_t rows, const char *const *series);

#endif
