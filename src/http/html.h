/* The escaping HTML builder: text from data is always escaped; markup only from literals. */
#ifndef RT_HTML_H
#define RT_HTML_H

#include <jansson.h>

#include <rightstrack/rt.h>

/* Appends markup; s must be a string literal, so data can never become markup. */
#define HTML_LIT(b, s) rt_buf_add((b), "" s "", sizeof(s) - 1)

/* Appends s with & < > " ' escaped (NULL appends nothing). */
void html_text(struct rt_buf *b, const char *s);
/* printf, then escaped. */
void html_textf(struct rt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s percent-encoded for a URL query value. */
void html_url_arg(struct rt_buf *b, const char *s);
/* A JSON value as text: strings as they are, numbers in decimal, null as nothing. */
void html_json(struct rt_buf *b, json_t *v);

/* The page frame: <!doctype>, head with the style sheet, header, main. */
void html_begin(struct rt_buf *b, const char *title);
void html_end(struct rt_buf *b);

#endif
