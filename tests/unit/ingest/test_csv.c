/*
 * Tests of the CSV reader (src/ingest/csv.c) against the reader it replaced: libcsv in
 * strict mode behind the same interface, kept here as the reference. Both read the
 * same inputs (random ones from the characters that matter, crafted ones, the real
 * files) and must give the same rows, fields and line numbers, or the same error.
 */
#include "base/compat.h"

#include <criterion/criterion.h>

#include <csv.h>

#include "lib/upr_texts.h"

/* The reader before, as it was in src/ingest/csv.c. */
struct ref_reader {
    struct rt__csv_row row;
    size_t alloc;
    struct rt_buf bytes; /* the record's fields, each followed by a NUL */
    size_t *offs;        /* where each field starts in bytes */
    long line;           /* physical line being fed */
    int failed;          /* a field was too big: ignore the rest */
    long big_line;
    rt__csv_row_fn fn;
    void *ctx;
    int rc; /* first error from fn */
    struct rt_error *err;
};

static void ref_clear_row(struct ref_reader *r)
{
    r->row.n = 0;
    rt_buf_reset(&r->bytes);
}

static void ref_on_field(void *s, size_t len, void *data)
{
    struct ref_reader *r = data;

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

static void ref_on_row(int c, void *data)
{
    struct ref_reader *r = data;

    (void)c;
    if (!r->failed && r->rc == 0 && r->row.n) {
        for (size_t i = 0; i < r->row.n; i++)
            r->row.fields[i] = r->bytes.buf + r->offs[i];
        r->rc = r->fn(r->ctx, &r->row, r->err);
    }
    ref_clear_row(r);
}

static int ref_csv_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn,
                         void *ctx, rt_progress_fn progress, void *pctx, uint64_t base,
                         uint64_t total, struct rt_error *err)
{
    struct csv_parser p;
    struct ref_reader r = {.fn = fn, .ctx = ctx, .err = err, .bytes = RT_BUF_INIT};
    size_t i = 0;
    int rc = 0;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        RT_BUG("csv_init failed");
    /* libcsv grows its field buffer by this much at a time: by its default of 128
     * bytes, a long field costs a quadratic number of copies. */
    csv_set_blk_size(&p, 64 * 1024);
    /* A UTF-8 byte order mark is not part of the first field. */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    r.line = 1;
    while (i < len && r.rc == 0 && !r.failed) {
        size_t j = i;
        while (j < len && data[j] != '\n' && data[j] != '\r')
            j++;
        if (j < len && data[j] == '\r' && j + 1 < len && data[j + 1] == '\n')
            j++;
        if (j < len)
            j++;
        if (csv_parse(&p, data + i, j - i, ref_on_field, ref_on_row, &r) != j - i) {
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
    if (r.rc == 0 && csv_fini(&p, ref_on_field, ref_on_row, &r) != 0) {
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

/* What a parse gave: every row as "line:field|field|...", then the error. */
static int log_row(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct rt_buf *b = ctx;
    (void)err;
    rt_buf_addf(b, "%ld:", row->line);
    for (size_t k = 0; k < row->n; k++) {
        cr_assert_eq(row->fields[k][row->lens[k]], '\0');
        rt_buf_addf(b, "%s", k ? "|" : "");
        rt_buf_add(b, row->fields[k], row->lens[k]);
    }
    rt_buf_addch(b, '\n');
    return 0;
}

typedef int (*parse_fn)(const char *, const char *, size_t, rt__csv_row_fn, void *, rt_progress_fn,
                        void *, uint64_t, uint64_t, struct rt_error *);

static char *run(parse_fn parse, const char *data, size_t len)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    int rc = parse("x.csv", data, len, log_row, &b, NULL, NULL, 0, 0, &e);

    rt_buf_addf(&b, "rc %d", rc);
    if (rc < 0)
        rt_buf_addf(&b, " line %ld: %s", e.line, e.msg.buf);
    rt_error_release(&e);
    return rt_buf_detach(&b, NULL);
}

/*
 * One difference is meant: the reference gave the last row of data without a final
 * line end the line number after it (libcsv hands that row over only at csv_fini, when
 * the count had moved on). So the reference reads such data with a line end added,
 * which changes nothing else.
 */
static void same(const char *data, size_t len)
{
    struct rt_buf ended = RT_BUF_INIT;
    char *want, *got;

    rt_buf_add(&ended, data, len);
    if (len && data[len - 1] != '\n' && data[len - 1] != '\r')
        rt_buf_addch(&ended, '\n');
    want = run(ref_csv_parse, ended.buf ? ended.buf : "", ended.len);
    got = run(rt__csv_parse, data, len);
    rt_buf_release(&ended);
    cr_assert_str_eq(got, want, "input: [%.*s]\ngot:  [%s]\nwant: [%s]", (int)len, data, got, want);
    rt_free(want);
    rt_free(got);
}

#define SAME(s) same((s), sizeof(s) - 1)

Test(csv, crafted)
{
    SAME("");
    SAME("\xEF\xBB\xBF"
         "a,b\n");
    SAME("a,b\nc,d");
    SAME("a,b\r\nc,d\r\n");
    SAME("a,b\rc,d\r");
    SAME("\n\n  \t\n a , b \n\r\n");
    SAME(" , \n,\n,,\n");
    SAME("\"q\",\"w, x\"\n\"multi\nline\r\nfield\",z\n");
    SAME("\"doubled \"\"quote\"\"\",x\n");
    SAME("\"closed\"  ,x\n\"closed\"\t\n\"end\" ");
    SAME("a\"b,c\n");
    SAME("\"a\" b,c\n");
    SAME("\"a\" \"b\n");
    SAME("x,\"open\n\nstill open");
    SAME("x,\"open\n");
    SAME("\"open");
    SAME("a,b\n\"c\nd\"\"\ne\",f\ng,\"h\"x\n");
}

/* The last row keeps its own line number when the data does not end with a line end. */
Test(csv, last_row_without_line_end)
{
    char *got = run(rt__csv_parse, "a\n\"b\nc\",d", 9);
    cr_assert_str_eq(got, "1:a\n2:b\nc|d\nrc 0");
    rt_free(got);
}

/* Short random inputs from the characters that matter, with a fixed seed. */
Test(csv, random)
{
    static const char alphabet[] = "ab ,\",\"\r\n\t";
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    char buf[48];

    for (int n = 0; n < 100000; n++) {
        size_t len;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        len = (size_t)(x % sizeof(buf));
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[i] = alphabet[x % (sizeof(alphabet) - 1)];
        }
        same(buf, len);
    }
}

/* The real files: the normalised UPR Info file and the raw exports (MacRoman, CR). */
Test(csv, real_files)
{
    static const char *const files[] = {"upr/upr_info_s01-s18.csv", "upr/raw/v2-upr-info/1-5.csv",
                                        "upr/raw/v2-upr-info/voluntary-s01-s18.csv"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char path[600];
        struct stat sb;
        void *map;
        int fd;

        snprintf(path, sizeof(path), "%s/%s", shared_data(), files[f]);
        fd = open(path, O_RDONLY);
        cr_assert_geq(fd, 0, "cannot open %s", path);
        cr_assert_eq(fstat(fd, &sb), 0);
        map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        cr_assert_neq(map, MAP_FAILED);
        close(fd);
        same(map, (size_t)sb.st_size);
        munmap(map, (size_t)sb.st_size);
    }
}
