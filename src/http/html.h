/* The web pages' frame, around the escaping builder of <rightstrack/html.h>. */
#ifndef RT_HTTP_HTML_H
#define RT_HTTP_HTML_H

#include <rightstrack/html.h>

/* The page frame: <!doctype>, head with the style sheet, header, main. */
void html_begin(struct rt_buf *b, const char *title);
void html_end(struct rt_buf *b);

struct rt_http_resp;
/* An error page with status and message (frame.c); page_fail maps a library error. */
void page_error(struct rt_http_resp *resp, int status, const char *msg);
void page_fail(struct rt_http_resp *resp, const struct rt_error *err);

#endif
