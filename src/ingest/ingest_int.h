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

/*
 * Reads the first sheet of the XLSX workbook in data (len bytes) as rt__csv_parse
 * reads CSV: fn is called for each row that holds a value, the first of them (the
 * header) included, with line set to the sheet's row number; every row has as many
 * fields as the header (cells left out are empty; numbers as a spreadsheet shows
 * them). On success *sheet_out is the sheet's name (the caller frees it with
 * rt_free). On failure (a broken zip, a part that inflates past RT_XLSX_MAX_PART,
 * bad XML, a DTD, a cell that cannot be read, an empty sheet, or fn's own error)
 * returns a negative RT_E… code with err naming the part, or the sheet, row and
 * column.
 */
int rt__xlsx_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                   rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                   char **sheet_out, struct rt_error *err);

#endif
