/* CSV reading for the importers: libcsv plus line numbers, limits and MacRoman. */
#include "base/compat.h"

#include <csv.h>
#include <iconv.h>

#include "ingest/ingest_int.h"

struct reader {
    struct rt__csv_row row;
    size_t alloc;
    struct rt_buf bytes; /* the record's fields, each followed by a NUL */
    size_t *offs;        /* where each field starts in bytes */
    long line;     /* physical line being fed */
    int failed;    /* a field was too big: ignore the rest */
    long big_line;
    rt__csv_row_fn fn;
    void *ctx;
    int rc;        /* first error from fn */
    struct rt_error *err;
};

static void clear_row(struct reader *r)
{
    r->row.n = 0;
    rt_buf_reset(&r->bytes);
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->failed || r->rc < 0)
        return;
    if (len > RT_IMPORT_MAX_FIELD) {
        r->failed = 1;
        r->big_line = r->row.n ? r->row.line : r->line;
        return;
    }
    if (r->row.n == 0) {
        /* The record started as many lines back as its first field spans. */
        const char *f = s;
        r->row.line = r->line;
        for (size_t i = 0; f && i < len; i++)
            if (f[i] == '\n' || (f[i] == '\r' && (i + 1 == len || f[i + 1] != '\n')))
                r->row.line--;
    }
    if (r->row.n == r->alloc) {
        r->alloc = r->alloc ? r->alloc * 2 : 16;
        RT_REALLOC_ARRAY(r->row.fields, r->alloc);
        RT_REALLOC_ARRAY(r->row.lens, r->alloc);
        RT_REALLOC_ARRAY(r->offs, r->alloc);
    }
    /* Copied into one buffer per record: the pointers are set when it is complete. */
    r->offs[r->row.n] = r->bytes.len;
    if (rt_buf_add(&r->bytes, s, len) < 0 || rt_buf_addch(&r->bytes, '\0') < 0)
        RT_BUG("CSV record buffer overflow");
    r->row.lens[r->row.n] = len;
    r->row.n++;
}

static void on_row(int c, void *data)
{
    struct reader *r = data;

    (void)c;
    if (!r->failed && r->rc == 0 && r->row.n) {
        for (size_t i = 0; i < r->row.n; i++)
            r->row.fields[i] = r->bytes.buf + r->offs[i];
        r->rc = r->fn(r->ctx, &r->row, r->err);
    }
    clear_row(r);
}

int rt__csv_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                  rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                  struct rt_error *err)
{
    struct csv_parser p;
    struct reader r = {.fn = fn, .ctx = ctx, .err = err, .bytes = RT_BUF_INIT};
    size_t i = 0;
    int rc = 0, only;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        RT_BUG("csv_init failed");
    /* libcsv grows its field buffer by this much at a time: by its default of 128
     * bytes, a long field costs a quadratic number of copies. */
    csv_set_blk_size(&p, 64 * 1024);
    /* A UTF-8 byte order mark is not part of the first field. */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    r.line = 1;
    /* A file that ends its lines with only one of CR and LF (nearly all do) is cut
     * into lines with memchr; a file with both, byte by byte. */
    only = !memchr(data, '\r', len) ? '\n' : !memchr(data, '\n', len) ? '\r' : 0;
    while (i < len && r.rc == 0 && !r.failed) {
        size_t j = i;
        if (only) {
            const char *e = memchr(data + i, only, len - i);
            j = e ? (size_t)(e - data) : len;
        } else {
            while (j < len && data[j] != '\n' && data[j] != '\r')
                j++;
            if (j < len && data[j] == '\r' && j + 1 < len && data[j + 1] == '\n')
                j++;
        }
        if (j < len)
            j++;
        if (csv_parse(&p, data + i, j - i, on_field, on_row, &r) != j - i) {
            if (csv_error(&p) == CSV_EPARSE)
                rc = rt_error_set(err, RT_EINVAL, path, r.line, NULL,
                                  "malformed CSV in field %zu: a quote inside a field that is "
                                  "not quoted, or text after a closing quote",
                                  r.row.n + 1);
            else
                rc = rt_error_set(err, RT_EINVAL, path, r.line, NULL, "malformed CSV: %s",
                                  csv_strerror(csv_error(&p)));
            goto out;
        }
        i = j;
        r.line++;
        if (progress && (r.line & 1023) == 0)
            progress(pctx, base + i, total);
    }
    if (r.failed) {
        rc = rt_error_set(err, RT_ETOOBIG, path, r.big_line, NULL,
                          "a field is longer than %u bytes", RT_IMPORT_MAX_FIELD);
        goto out;
    }
    if (r.rc == 0 && csv_fini(&p, on_field, on_row, &r) != 0) {
        rc = rt_error_set(err, RT_EINVAL, path, r.row.n ? r.row.line : r.line - 1, NULL,
                          "malformed CSV: a quoted field is not closed before the end of the file");
        goto out;
    }
    if (r.failed) {
        rc = rt_error_set(err, RT_ETOOBIG, path, r.big_line, NULL,
                          "a field is longer than %u bytes", RT_IMPORT_MAX_FIELD);
        goto out;
    }
    rc = r.rc;
    if (progress)
        progress(pctx, base + len, total);
out:
    rt_buf_release(&r.bytes);
    rt_free(r.offs);
    rt_free(r.row.fields);
    rt_free(r.row.lens);
    csv_free(&p);
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
