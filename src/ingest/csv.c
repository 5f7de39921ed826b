/* CSV reading for the importers: our own strict RFC 4180 reader with line numbers, and MacRoman. */
#include "base/compat.h"

#include <iconv.h>

#include "ingest/ingest_int.h"

/*
 * The reader takes what libcsv took in CSV_STRICT mode (which it replaced, being three
 * times faster on the UPR Info file; tests/unit/ingest/test_csv.c still checks the two
 * against each other): fields separated by commas, rows ended by CR, LF or CRLF; spaces
 * and tabs around a field dropped; a field in double quotes may hold commas, line ends
 * and doubled quotes; lines that are empty or only blanks are no rows. A quote inside
 * an unquoted field, or anything but blanks after a closing quote before the comma or
 * the line end, is an error, and so is a quoted field still open at the end.
 */

enum state {
    ROW_START,   /* no field of a row yet */
    FIELD_START, /* after a comma */
    UNQUOTED,    /* in a field without quotes */
    QUOTED,      /* inside quotes */
    AFTER_QUOTE, /* after the quote that may close the field */
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

struct reader {
    struct rt__csv_row row;
    size_t alloc;
    struct rt_buf bytes; /* the record's fields, each followed by a NUL */
    size_t *offs;        /* where each field starts in bytes */
    size_t field;        /* where the field being read starts in bytes */
    int failed;          /* a field was too big: read to the line's end, then stop */
    long big_line;
    rt__csv_row_fn fn;
    void *ctx;
    int rc; /* first error from fn */
    struct rt_error *err;
};

/* Ends the field being read; its bytes are bytes.buf[field, len). */
static void end_field(struct reader *r, long line)
{
    size_t len = r->bytes.len - r->field;

    if (r->failed || r->rc < 0)
        return;
    if (len > RT_IMPORT_MAX_FIELD) {
        r->failed = 1;
        r->big_line = r->row.n ? r->row.line : line;
        return;
    }
    if (r->row.n == r->alloc) {
        r->alloc = r->alloc ? r->alloc * 2 : 16;
        RT_REALLOC_ARRAY(r->row.fields, r->alloc);
        RT_REALLOC_ARRAY(r->row.lens, r->alloc);
        RT_REALLOC_ARRAY(r->offs, r->alloc);
    }
    /* The pointers are set when the record is complete: the buffer may move. */
    r->offs[r->row.n] = r->field;
    r->row.lens[r->row.n] = len;
    r->row.n++;
    if (rt_buf_addch(&r->bytes, '\0') < 0)
        RT_BUG("CSV record buffer overflow");
    r->field = r->bytes.len;
}

static void end_row(struct reader *r)
{
    if (!r->failed && r->rc == 0 && r->row.n) {
        for (size_t i = 0; i < r->row.n; i++)
            r->row.fields[i] = r->bytes.buf + r->offs[i];
        r->rc = r->fn(r->ctx, &r->row, r->err);
    }
    r->row.n = 0;
    rt_buf_reset(&r->bytes);
    r->field = 0;
}

/* Appends data to the field being read. */
static void add(struct reader *r, const char *data, size_t n)
{
    if (rt_buf_add(&r->bytes, data, n) < 0)
        RT_BUG("CSV record buffer overflow");
}

/* Drops the blanks that end an unquoted field. */
static void trim_field(struct reader *r)
{
    size_t n = r->bytes.len;
    while (n > r->field && is_blank(r->bytes.buf[n - 1]))
        n--;
    rt_buf_setlen(&r->bytes, n);
}

/* The bytes that end a run of an unquoted field. */
static size_t unquoted_run(const char *d, size_t i, size_t len)
{
    while (i < len && d[i] != ',' && d[i] != '"' && d[i] != '\n' && d[i] != '\r')
        i++;
    return i;
}

int rt__csv_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                  rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                  struct rt_error *err)
{
    struct reader r = {.fn = fn, .ctx = ctx, .err = err, .bytes = RT_BUF_INIT};
    enum state st = ROW_START;
    size_t i = 0, blanks = 0;
    long line = 1; /* physical line of data[i] */
    int rc = 0;

    /* A UTF-8 byte order mark is not part of the first field. */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len) {
        char c = data[i];

        if (c == '\n' || c == '\r') {
            /* A line end: inside quotes it is part of the field. */
            size_t n = c == '\r' && i + 1 < len && data[i + 1] == '\n' ? 2 : 1;
            if (st == QUOTED) {
                add(&r, data + i, n);
            } else if (st != ROW_START) {
                if (st == UNQUOTED)
                    trim_field(&r);
                end_field(&r, line);
                end_row(&r);
                st = ROW_START;
            }
            i += n;
            line++;
            if (progress && (line & 1023) == 0)
                progress(pctx, base + i, total);
            if (r.rc || r.failed)
                break;
            continue;
        }
        switch (st) {
        case ROW_START:
        case FIELD_START:
            if (is_blank(c)) {
                i++;
                break;
            }
            if (st == ROW_START)
                r.row.line = line;
            if (c == ',') {
                end_field(&r, line);
                st = FIELD_START;
                i++;
            } else if (c == '"') {
                st = QUOTED;
                i++;
            } else {
                st = UNQUOTED;
            }
            break;
        case UNQUOTED: {
            size_t j = unquoted_run(data, i, len);
            add(&r, data + i, j - i);
            i = j;
            if (i < len && data[i] == ',') {
                trim_field(&r);
                end_field(&r, line);
                st = FIELD_START;
                i++;
            } else if (i < len && data[i] == '"') {
                goto stray_quote;
            }
            break;
        }
        case QUOTED: {
            /* To the next quote or line end, found with memchr: quoted fields are
             * the long ones (the texts). */
            const char *q = memchr(data + i, '"', len - i), *nl;
            size_t j = q ? (size_t)(q - data) : len;
            if ((nl = memchr(data + i, '\n', j - i)))
                j = (size_t)(nl - data);
            if ((nl = memchr(data + i, '\r', j - i)))
                j = (size_t)(nl - data);
            add(&r, data + i, j - i);
            i = j;
            if (i < len && data[i] == '"') {
                st = AFTER_QUOTE;
                blanks = 0;
                i++;
            }
            break;
        }
        case AFTER_QUOTE:
            if (is_blank(c)) {
                blanks++;
                i++;
            } else if (c == '"' && !blanks) { /* a doubled quote */
                add(&r, "\"", 1);
                st = QUOTED;
                i++;
            } else if (c == ',') {
                end_field(&r, line);
                st = FIELD_START;
                i++;
            } else {
                goto stray_quote;
            }
            break;
        }
    }
    if (r.failed) {
        rc = rt_error_set(err, RT_ETOOBIG, path, r.big_line, NULL,
                          "a field is longer than %u bytes", RT_IMPORT_MAX_FIELD);
        goto out;
    }
    if (r.rc == 0) {
        /* The end of the data ends the last row. */
        if (st == QUOTED) {
            long last = i > 0 && (data[i - 1] == '\n' || data[i - 1] == '\r') ? line - 1 : line;
            rc = rt_error_set(err, RT_EINVAL, path, r.row.n ? r.row.line : last, NULL,
                              "malformed CSV: a quoted field is not closed before the end of the "
                              "file");
            goto out;
        }
        if (st != ROW_START) {
            if (st == UNQUOTED)
                trim_field(&r);
            end_field(&r, line);
            end_row(&r);
        }
        if (r.failed) {
            rc = rt_error_set(err, RT_ETOOBIG, path, r.big_line, NULL,
                              "a field is longer than %u bytes", RT_IMPORT_MAX_FIELD);
            goto out;
        }
    }
    rc = r.rc;
    if (progress)
        progress(pctx, base + len, total);
    goto out;
stray_quote:
    rc = rt_error_set(err, RT_EINVAL, path, line, NULL,
                      "malformed CSV in field %zu: a quote inside a field that is not quoted, "
                      "or text after a closing quote",
                      r.row.n + 1);
out:
    rt_buf_release(&r.bytes);
    rt_free(r.offs);
    rt_free(r.row.fields);
    rt_free(r.row.lens);
    return rc;
}

int rt__macroman_to_utf8(const char *path, const char *data, size_t len, struct rt_buf *out,
                         struct rt_error *err)
{
    iconv_t cd = iconv_open("UTF-8", "MACINTOSH");
    char *in = (char *)(uintptr_t)data, *o;
    size_t in_left = len, out_left;
    int rc = 0;

    if (cd == (iconv_t)-1)
        return rt_error_errno(err, path, "cannot convert from MacRoman");
    /* MacRoman is one byte a character and at most three bytes in UTF-8. */
    if ((rc = rt_buf_grow(out, len * 3)) < 0)
        goto out;
    o = out->buf + out->len;
    out_left = len * 3;
    if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        rc = rt_error_set(err, RT_EINVAL, path, 0, NULL,
                          "cannot convert from MacRoman at byte %zu", len - in_left);
        goto out;
    }
    out->len = (size_t)(o - out->buf);
    out->buf[out->len] = '\0';
out:
    iconv_close(cd);
    return rc;
}
