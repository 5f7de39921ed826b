/* Internals of the reports (src/report/). */
#ifndef RT_REPORT_INT_H
#define RT_REPORT_INT_H

#include <jansson.h>

#include <rightstrack/rt.h>

/* The string member key of o, or NULL. */
const char *rt__report_str(const json_t *o, const char *key);

/* A new object with the members keys (NULL-terminated) of o; null for a missing one. */
json_t *rt__report_pick(const json_t *o, ...) __attribute__((sentinel));

/* Numbers the distinct "source" strings of doc in document order: adds "cite" to each
 * object that names one, and doc["sources"] = [{"n", "text"}]. */
void rt__report_cite(json_t *doc);

/*
 * Prints html to PDF with headless Chromium ($RIGHTSTRACK_CHROMIUM, else "chromium"),
 * in a private temporary folder, waiting at most 60 seconds; appends the PDF to out.
 * Sandboxed unless Chromium cannot start its sandbox here (then --no-sandbox).
 * RT_EIO naming the program when it is missing, fails or writes no PDF.
 */
int rt__report_pdf(const char *html, size_t len, struct rt_buf *out, struct rt_error *err);

#endif
