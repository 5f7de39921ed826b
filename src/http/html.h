/* The web pages' frame, around the escaping builder of <rightstrack/html.h>. */
#ifndef RT_HTTP_HTML_H
#define RT_HTTP_HTML_H

#include <rightstrack/html.h>

/* The page frame: <!doctype>, head with the style sheet, header, main. */
void html_begin(struct rt_buf *b, const char *title);
void html_end(struct rt_buf *b);

#endif
