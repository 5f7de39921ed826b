/*
 * Exports: every hit of a search, or a list of the ledger, as a file a spreadsheet
 * opens: CSV (RFC 4180, UTF-8, CRLF line ends) or XLSX (Office Open XML, written by
 * libxlsxwriter in its constant-memory mode). There is no cap on the rows, and the
 * file comes out a part at a time, so that neither face holds it whole: the command
 * line writes it to a file or standard output (rt_export_write), the web face hands
 * the parts to the server as a streamed response (rt_export_read).
 */
#ifndef RIGHTSTRACK_EXPORT_H
#define RIGHTSTRACK_EXPORT_H

#include <stdio.h>

#include <jansson.h>

#include <rightstrack/search.h>

enum rt_export_format { RT_EXPORT_CSV, RT_EXPORT_XLSX };

/* "csv" or "xlsx" (also "excel"): 0 and *out, or RT_EINVAL (err untouched). */
RT_API int rt_export_format_parse(const char *s, enum rt_export_format *out);
/* rt_export_format_name gives a format's file name extension ("csv", "xlsx"),
 * rt_export_content_type its media type; both are static strings. */
RT_API const char *rt_export_format_name(enum rt_export_format f);
RT_API const char *rt_export_content_type(enum rt_export_format f);

/*
 * The columns of a search export, one row a hit: the keys of a hit of `search
 * --json` (rt_rec_to_json), in its order, then "source" (the file it came from).
 * Lists (recommending states and their codes, themes) are joined by "; "; an empty
 * cell stands for null. RT_EXPORT_SEARCH_COLUMNS is how many there are.
 */
#define RT_EXPORT_SEARCH_COLUMNS 16
RT_API extern const char *const rt_export_search_columns[RT_EXPORT_SEARCH_COLUMNS];

struct rt_export;

/*
 * Opens an export of every hit of q, in q's order; q's limit, offset and facets do
 * not count. The hits are found now (rt_search_ids); their rows are read from st a
 * few hundred at a time as the file is read, so st must stay open, and be used by
 * one thread at a time, until rt_export_free. *out is NULL on entry, set on success.
 * Errors as rt_search (RT_EINVAL naming "sur", "by" or "query"), RT_EIO when a
 * temporary file for XLSX cannot be made, RT_ETOOBIG when there are more hits than
 * an XLSX sheet holds (1,048,575; CSV has no limit).
 */
RT_API int rt_export_search(struct rt_store *st, const struct rt_query *q, enum rt_export_format f,
                            struct rt_export **out, struct rt_error *err);
/*
 * Opens an export of rows, a JSON array of objects (a list of the ledger, such as
 * rt_step_list gives), whose reference it takes. The columns are the objects' keys,
 * in the order they first appear; strings and numbers are written as they are,
 * lists joined by "; " and objects as JSON text. RT_EINVAL when rows is not an
 * array of objects (the reference is dropped all the same), RT_ETOOBIG as for
 * rt_export_search.
 */
RT_API int rt_export_rows(json_t *rows, enum rt_export_format f, const char *sheet,
                          struct rt_export **out, struct rt_error *err);

/*
 * Appends the next part of the file to out (at least one byte, up to about 64 KiB
 * more), or sets *done to 1 when the file is complete and nothing was appended.
 * RT_ENOTFOUND when a hit was removed from the store since the export was opened,
 * RT_ESTORE, RT_EIO; after an error the export can only be freed.
 */
RT_API int rt_export_read(struct rt_export *x, struct rt_buf *out, int *done, struct rt_error *err);
/* Reads the whole file into fp. 0, or the errors of rt_export_read and RT_EIO. */
RT_API int rt_export_write(struct rt_export *x, FILE *fp, struct rt_error *err);
/* Frees an export (NULL is fine) and removes its temporary file. */
RT_API void rt_export_free(struct rt_export *x);

/*
 * Appends to out a file name that says what an export of q holds:
 * "recommendations", then each filter and the query words made into a slug
 * (lower-case ASCII letters and digits joined by hyphens: "belarus",
 * "death-penalty", "cycle-2"), then today's date (UTC) and the extension:
 * "recommendations-belarus-death-penalty-2026-12-05.csv". Long names are cut.
 */
RT_API void rt_export_search_filename(const struct rt_query *q, enum rt_export_format f,
                                      struct rt_buf *out);

#endif
