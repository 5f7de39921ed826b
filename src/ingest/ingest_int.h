/* Internals of the importers: reading CSV files with line numbers. */
#ifndef RT_INGEST_INT_H
#define RT_INGEST_INT_H

#include <rightstrack/ingest.h>

/* One parsed CSV record; fields are NUL-terminated and owned by the reader. */
struct rt__csv_row {
    char **fields;
    size_t *lens;
    size_t n;
    long line; /* physical line the record starts on, from 1 */
};

/* Called per record (the header included, as line 1); a negative return stops. */
typedef int (*rt__csv_row_fn)(void *ctx, const struct rt__csv_row *row, struct rt_error *err);

/*
 * Parses UTF-8 CSV data (RFC 4180, CR, LF or CRLF line ends) from path, calling fn
 * for each record. Rejects stray or unterminated quotes and fields longer than
 * RT_IMPORT_MAX_FIELD with an error naming the line. progress, if set, gets the
 * bytes parsed so far (plus base) out of total.
 */
int rt__csv_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                  rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                  struct rt_error *err);

/*
 * Converts MacRoman bytes to UTF-8 (appended to out) with iconv.
 */
int rt__macroman_to_utf8(const char *path, const char *data, size_t len, struct rt_buf *out,
                         struct rt_error *err);

#endif
