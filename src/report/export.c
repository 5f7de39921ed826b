/* Exports of searches and ledger lists as CSV or XLSX, written a part at a time. */
#include "base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include <rightstrack/export.h>
#include <rightstrack/private.h>
#include <rightstrack/json.h>

#define CHUNK 256               /* hits loaded from the store at a time */
#define PART ((size_t)64 << 10) /* bytes handed out at a time, about */
#define XLSX_MAX_CELL 32767     /* the most characters a cell holds */

const char *const rt_export_search_columns[RT_EXPORT_SEARCH_COLUMNS] = {
    "id",
    "mechanism",
    "cycle",
    "session",
    "paragraph",
    "text",
    "state_under_review",
    "state_under_review_code",
    "recommending_states",
    "recommending_state_codes",
    "response",
    "action_category",
    "action_category_origin",
    "action_category_confidence",
    "themes",
    "source",
};

struct rt_export {
    enum rt_export_format fmt;
    /* A search: the hits' ids and the next to write. */
    struct rt_store *st;
    enum rt_reader reader; /* who st read for when the export began (private.h) */
    int64_t *ids;
    size_t n_ids, next;
    /* A list: the rows, their columns, the next row to write. */
    json_t *rows;
    const char **cols; /* borrowed from rows */
    size_t n_cols, next_row;
    int header_done, rows_done;
    /* XLSX: the workbook until it is closed, then its file, read from fd. */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_row_t row;
    char path[PATH_MAX];
    int fd;
    int failed;
};

int rt_export_format_parse(const char *s, enum rt_export_format *out)
{
    if (!strcmp(s, "csv")) {
        *out = RT_EXPORT_CSV;
        return 0;
    }
    if (!strcmp(s, "xlsx") || !strcmp(s, "excel")) {
        *out = RT_EXPORT_XLSX;
        return 0;
    }
    return RT_EINVAL;
}

const char *rt_export_format_name(enum rt_export_format f)
{
    return f == RT_EXPORT_XLSX ? "xlsx" : "csv";
}

const char *rt_export_content_type(enum rt_export_format f)
{
    return f == RT_EXPORT_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "text/csv; charset=utf-8";
}

/* Writing cells: CSV into out, XLSX into the worksheet (out untouched). */
static int xlsx_fail(struct rt_error *err, lxw_error e)
{
    return rt_error_set(err, RT_EIO, NULL, 0, NULL, "cannot write the spreadsheet: %s",
                        lxw_strerror(e));
}

static int put_str(struct rt_export *x, struct rt_buf *out, size_t col, const char *s,
                   struct rt_error *err)
{
    lxw_error e;

    if (!s)
        s = "";
    if (x->fmt == RT_EXPORT_CSV) {
        if (col)
            rt_buf_addch(out, ',');
        if (!s[strcspn(s, ",\"\r\n")]) {
            rt_buf_adds(out, s);
            return 0;
        }
        rt_buf_addch(out, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                rt_buf_addch(out, '"');
            rt_buf_addch(out, *p);
        }
        rt_buf_addch(out, '"');
        return 0;
    }
    if (!*s)
        return 0;
    if (strlen(s) > XLSX_MAX_CELL) { /* cut at a character's start */
        char *cut = rt_xstrndup(s, XLSX_MAX_CELL);
        size_t n = XLSX_MAX_CELL;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut[n] = '\0';
        e = worksheet_write_string(x->ws, x->row, (lxw_col_t)col, cut, x->row ? NULL : x->bold);
        rt_free(cut);
    } else {
        e = worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, x->row ? NULL : x->bold);
    }
    return e == LXW_NO_ERROR ? 0 : xlsx_fail(err, e);
}

/* A number; integers print without a fraction, others with six significant digits. */
static int put_num(struct rt_export *x, struct rt_buf *out, size_t col, double v,
                   struct rt_error *err)
{
    char num[40];
    lxw_error e;

    if (x->fmt == RT_EXPORT_CSV) {
        if (v == (double)(long long)v)
            snprintf(num, sizeof(num), "%lld", (long long)v);
        else
            snprintf(num, sizeof(num), "%.6g", v);
        return put_str(x, out, col, num, err);
    }
    e = worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, NULL);
    return e == LXW_NO_ERROR ? 0 : xlsx_fail(err, e);
}

static void end_row(struct rt_export *x, struct rt_buf *out)
{
    if (x->fmt == RT_EXPORT_CSV)
        rt_buf_adds(out, "\r\n");
    else
        x->row++;
}

/* The workbook in a new temporary file, with one sheet. */
static int xlsx_open(struct rt_export *x, const char *sheet, struct rt_error *err)
{
    /* No zip64: a full sheet is far below 4 GiB, and Excel for Mac warns about it. */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    const char *dir = getenv("TMPDIR");
    int fd;

    if (!dir || !*dir)
        dir = "/tmp";
    if (snprintf(x->path, sizeof(x->path), "%s/rightstrack-export-XXXXXX", dir) >=
        (int)sizeof(x->path))
        return rt_error_set(err, RT_EIO, NULL, 0, NULL, "TMPDIR is too long");
    if ((fd = mkstemp(x->path)) < 0) {
        x->path[0] = '\0';
        return rt_error_errno(err, dir, "cannot make a temporary file in");
    }
    close(fd);
    if (!(x->wb = workbook_new_opt(x->path, &opt)) ||
        !(x->ws = workbook_add_worksheet(x->wb, sheet)))
        return rt_error_set(err, RT_EIO, x->path, 0, NULL, "cannot start the spreadsheet");
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    worksheet_freeze_panes(x->ws, 1, 0);
    return 0;
}

/* A sheet holds LXW_ROW_MAX rows, the header among them. */
static int xlsx_fits(size_t rows, struct rt_error *err)
{
    if (rows < LXW_ROW_MAX)
        return 0;
    return rt_error_set(err, RT_ETOOBIG, NULL, 0, "format",
                        "%zu rows do not fit in an Excel sheet (%d at most): export them as CSV",
                        rows, LXW_ROW_MAX - 1);
}

static struct rt_export *export_new(enum rt_export_format f)
{
    struct rt_export *x = rt_xcalloc(1, sizeof(*x));

    x->fmt = f;
    x->fd = -1;
    return x;
}

int rt_export_search(struct rt_store *st, const struct rt_query *q, enum rt_export_format f,
                     struct rt_export **out, struct rt_error *err)
{
    struct rt_export *x = export_new(f);
    int rc;

    *out = NULL;
    x->st = st;
    x->reader = rt_store_reader(st);
    if ((rc = rt_search_ids(st, q, &x->ids, &x->n_ids, err)) < 0 ||
        (f == RT_EXPORT_XLSX && (rc = xlsx_fits(x->n_ids, err)) < 0) ||
        (f == RT_EXPORT_XLSX && (rc = xlsx_open(x, "Recommendations", err)) < 0)) {
        rt_export_free(x);
        return rc;
    }
    if (f == RT_EXPORT_XLSX) {
        worksheet_set_column(x->ws, 5, 5, 80, NULL); /* the text */
        worksheet_set_column(x->ws, 6, 14, 18, NULL);
    }
    *out = x;
    return 0;
}

int rt_export_rows(json_t *rows, enum rt_export_format f, const char *sheet, struct rt_export **out,
                   struct rt_error *err)
{
    struct rt_export *x;
    size_t i, alloc = 0;
    json_t *row, *v;
    const char *key;
    int rc;

    *out = NULL;
    if (!json_is_array(rows)) {
        json_decref(rows);
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "a list to export must be an array");
    }
    x = export_new(f);
    x->rows = rows;
    json_array_foreach(rows, i, row)
    {
        if (!json_is_object(row)) {
            rt_export_free(x);
            return rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                                "row %zu of the list is not an object", i + 1);
        }
        json_object_foreach(row, key, v)
        {
            size_t k = 0;
            while (k < x->n_cols && strcmp(x->cols[k], key))
                k++;
            if (k == x->n_cols) {
                RT_ALLOC_GROW(x->cols, x->n_cols + 1, alloc);
                x->cols[x->n_cols++] = key;
            }
        }
    }
    if (f == RT_EXPORT_XLSX && ((rc = xlsx_fits(json_array_size(rows), err)) < 0 ||
                                (rc = xlsx_open(x, sheet ? sheet : "List", err)) < 0)) {
        rt_export_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

static int add_to_buf(const char *p, size_t n, void *b)
{
    return rt_buf_add(b, p, n);
}

/* A JSON value as one cell's text. */
static void scalar_text(struct rt_buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        rt_buf_add(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        rt_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        rt_buf_addf(b, "%.6g", json_real_value(v));
        break;
    case JSON_TRUE:
        rt_buf_adds(b, "true");
        break;
    case JSON_FALSE:
        rt_buf_adds(b, "false");
        break;
    case JSON_NULL:
        break;
    default:
        json_dump_callback(v, add_to_buf, b, JSON_COMPACT | JSON_PRESERVE_ORDER);
        break;
    }
}

static int put_json(struct rt_export *x, struct rt_buf *out, size_t col, const json_t *v,
                    struct rt_error *err)
{
    struct rt_buf text = RT_BUF_INIT;
    size_t i;
    json_t *e;
    int rc;

    if (json_is_integer(v))
        return put_num(x, out, col, (double)json_integer_value(v), err);
    if (json_is_real(v))
        return put_num(x, out, col, json_real_value(v), err);
    if (json_is_array(v)) {
        json_array_foreach(v, i, e)
        {
            if (i)
                rt_buf_adds(&text, "; ");
            scalar_text(&text, e);
        }
    } else if (v) {
        scalar_text(&text, v);
    }
    rc = put_str(x, out, col, text.buf, err);
    rt_buf_release(&text);
    return rc;
}

static int header(struct rt_export *x, struct rt_buf *out, struct rt_error *err)
{
    size_t n = x->rows ? x->n_cols : RT_EXPORT_SEARCH_COLUMNS;
    int rc = 0;

    for (size_t c = 0; c < n && rc == 0; c++)
        rc = put_str(x, out, c, x->rows ? x->cols[c] : rt_export_search_columns[c], err);
    end_row(x, out);
    x->header_done = 1;
    return rc;
}

/* One hit as a row, its cells in the order of rt_export_search_columns. */
static int rec_row(struct rt_export *x, struct rt_buf *out, const struct rt_rec *r,
                   struct rt_error *err)
{
    json_t *o = rt_rec_to_json(r, 0);
    int rc = 0;
    size_t c;

    json_object_set_new(o, "source", r->source_path ? json_string(r->source_path) : json_null());
    for (c = 0; c < RT_EXPORT_SEARCH_COLUMNS && rc == 0; c++)
        rc = put_json(x, out, c, json_object_get(o, rt_export_search_columns[c]), err);
    json_decref(o);
    end_row(x, out);
    return rc;
}

/* Writes the next rows (a chunk of hits, or of the list); sets rows_done at the end. */
static int write_rows(struct rt_export *x, struct rt_buf *out, struct rt_error *err)
{
    int rc = 0;

    if (x->rows) {
        size_t end = x->next_row + CHUNK, n = json_array_size(x->rows);
        for (; x->next_row < n && x->next_row < end && rc == 0; x->next_row++) {
            json_t *row = json_array_get(x->rows, x->next_row);
            for (size_t c = 0; c < x->n_cols && rc == 0; c++)
                rc = put_json(x, out, c, json_object_get(row, x->cols[c]), err);
            end_row(x, out);
        }
        x->rows_done = x->next_row == n;
        return rc;
    }
    if (x->next < x->n_ids) {
        size_t n = x->n_ids - x->next < CHUNK ? x->n_ids - x->next : CHUNK;
        struct rt_rec recs[CHUNK];

        for (size_t i = 0; i < n; i++)
            rt_rec_init(&recs[i]);
        rc = rt_store_recs_load(x->st, x->ids + x->next, n, recs, err);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = rec_row(x, out, &recs[i], err);
        for (size_t i = 0; i < n; i++)
            rt_rec_release(&recs[i]);
        x->next += n;
    }
    x->rows_done = x->next == x->n_ids;
    return rc;
}

/* Closes the workbook (which writes its file) and opens the file to be read. */
static int xlsx_finish(struct rt_export *x, struct rt_error *err)
{
    size_t n = x->rows ? x->n_cols : RT_EXPORT_SEARCH_COLUMNS;
    lxw_error e;

    if (n && x->row > 1)
        worksheet_autofilter(x->ws, 0, 0, x->row - 1, (lxw_col_t)(n - 1));
    e = workbook_close(x->wb);
    x->wb = NULL;
    if (e != LXW_NO_ERROR)
        return xlsx_fail(err, e);
    if ((x->fd = open(x->path, O_RDONLY | O_CLOEXEC)) < 0)
        return rt_error_errno(err, x->path, "cannot read");
    unlink(x->path); /* the open descriptor keeps it until it is closed */
    x->path[0] = '\0';
    return 0;
}

int rt_export_read(struct rt_export *x, struct rt_buf *out, int *done, struct rt_error *err)
{
    size_t start = out->len;
    int rc = 0;

    *done = 0;
    if (x->failed)
        return rt_error_set(err, RT_EIO, NULL, 0, NULL, "the export failed before");
    /* The web face streams it between other requests on the same store: the rest is
     * read for the reader it began for, whoever the store read for meanwhile. */
    if (x->st && (rc = rt_store_set_reader(x->st, x->reader, err)) < 0)
        return rc;
    while (rc == 0 && out->len == start) {
        if (!x->header_done) {
            rc = header(x, out, err);
        } else if (!x->rows_done) {
            rc = write_rows(x, out, err);
        } else if (x->fmt == RT_EXPORT_CSV) {
            *done = 1;
            return 0;
        } else {
            char chunk[16384];
            ssize_t got;
            if (x->wb && (rc = xlsx_finish(x, err)) < 0)
                break;
            got = read(x->fd, chunk, sizeof(chunk));
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                rc = rt_error_errno(err, "the spreadsheet", "cannot read");
                break;
            }
            if (got == 0) {
                *done = 1;
                return 0;
            }
            if ((rc = rt_buf_add(out, chunk, (size_t)got)) < 0)
                break;
        }
        if (x->fmt == RT_EXPORT_CSV && out->len - start >= PART)
            break;
    }
    if (rc < 0)
        x->failed = 1;
    return rc;
}

int rt_export_write(struct rt_export *x, FILE *fp, struct rt_error *err)
{
    struct rt_buf part = RT_BUF_INIT;
    int done = 0, rc = 0;

    while (rc == 0 && !done) {
        rt_buf_reset(&part);
        if ((rc = rt_export_read(x, &part, &done, err)) == 0 && part.len &&
            fwrite(part.buf, 1, part.len, fp) != part.len)
            rc = rt_error_errno(err, NULL, "cannot write the export");
    }
    if (rc == 0 && fflush(fp) != 0)
        rc = rt_error_errno(err, NULL, "cannot write the export");
    rt_buf_release(&part);
    return rc;
}

void rt_export_free(struct rt_export *x)
{
    if (!x)
        return;
    if (x->wb)
        workbook_close(x->wb);
    if (x->path[0])
        unlink(x->path);
    if (x->fd >= 0)
        close(x->fd);
    rt_free(x->ids);
    rt_free(x->cols);
    json_decref(x->rows);
    rt_free(x);
}

/* Appends "-" and s as a slug: ASCII letters lower-cased and digits, other runs a hyphen. */
static void add_slug(struct rt_buf *out, const char *s)
{
    int gap = 1;

    if (!s || !*s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int c = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap)
                rt_buf_addch(out, '-');
            rt_buf_addch(out, c);
            gap = 0;
        } else {
            gap = 1;
        }
    }
}

void rt_export_search_filename(const struct rt_query *q, enum rt_export_format f,
                               struct rt_buf *out)
{
    size_t start = out->len;
    char num[32], day[16];
    struct tm tm;
    time_t now = time(NULL);

    rt_buf_adds(out, "recommendations");
    add_slug(out, q->sur);
    if (q->by) {
        rt_buf_adds(out, "-by");
        add_slug(out, q->by);
    }
    add_slug(out, q->theme);
    add_slug(out, q->text);
    if (q->response >= 0)
        add_slug(out, rt_response_name((enum rt_response)q->response));
    if (q->cycle) {
        snprintf(num, sizeof(num), "cycle %d", q->cycle);
        add_slug(out, num);
    }
    if (q->session) {
        snprintf(num, sizeof(num), "session %d", q->session);
        add_slug(out, num);
    }
    if (q->category) {
        snprintf(num, sizeof(num), "category %d", q->category);
        add_slug(out, num);
    }
    if (out->len - start > 100) { /* cut at a hyphen */
        size_t n = start + 100;
        while (n > start + 15 && out->buf[n] != '-')
            n--;
        rt_buf_setlen(out, n);
    }
    if (gmtime_r(&now, &tm) && strftime(day, sizeof(day), "%Y-%m-%d", &tm))
        rt_buf_addf(out, "-%s", day);
    rt_buf_addf(out, ".%s", rt_export_format_name(f));
}
