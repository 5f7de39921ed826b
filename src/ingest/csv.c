/* CSV reading for the importers: libcsv plus line numbers, limits and MacRoman. */
#include "base/compat.h"

#include <csv.h>
#include <iconv.h>
#include <pthread.h>

#include "ingest/ingest_int.h"

/*
 * Two threads: a reader thread runs libcsv over the data and hands complete records
 * over in batches; the caller's thread calls fn on each, in order. Parsing then
 * costs an import nothing but the hand-over: it happens while the store writes.
 * What the caller sees is what one thread would give: the same records, and on
 * an error, every record before it and then that error.
 */
#define BATCH_RECORDS 256
#define BATCH_BYTES (512 * 1024)
#define N_BATCHES 4

struct record {
    size_t first, n; /* its fields in the batch */
    long line;       /* physical line it starts on */
};

struct batch {
    struct rt_buf bytes; /* the fields of its records, each followed by a NUL */
    size_t *offs, *lens; /* per field: where it starts in bytes, its length */
    size_t n_fields, alloc_fields;
    struct record *recs; /* the last one may be incomplete while it is being read */
    size_t n_recs, alloc_recs;
    size_t end; /* input bytes read when it was handed over */
};

struct reader {
    const char *path, *data;
    size_t len, pos;
    long line;  /* physical line being fed */
    int failed; /* a field was too big: ignore the rest */
    long big_line;
    struct batch *cur;   /* being filled, or NULL while waiting for a free one */
    size_t rec_fields;   /* fields of the record being read (0: none yet) */
    struct rt_error err; /* the reader's own error */
    int rc;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch batches[N_BATCHES];
    size_t filled, consumed; /* batch k sits in batches[k % N_BATCHES] */
    int done, stop;
};

/* The reader thread: waits until the caller has taken batch (filled - N_BATCHES). */
static struct batch *take_free(struct reader *r)
{
    struct batch *b = NULL;

    pthread_mutex_lock(&r->mu);
    while (r->filled - r->consumed >= N_BATCHES && !r->stop)
        pthread_cond_wait(&r->cv, &r->mu);
    if (!r->stop) {
        b = &r->batches[r->filled % N_BATCHES];
        rt_buf_reset(&b->bytes);
        b->n_fields = b->n_recs = 0;
    }
    pthread_mutex_unlock(&r->mu);
    return b;
}

/* The reader thread: hands the current batch over (its records are complete). */
static void hand_over(struct reader *r)
{
    pthread_mutex_lock(&r->mu);
    r->cur->end = r->pos;
    r->filled++;
    r->cur = NULL;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    struct batch *b = r->cur;
    struct record *rec;

    if (r->failed || !b)
        return;
    if (len > RT_IMPORT_MAX_FIELD) {
        r->failed = 1;
        r->big_line = r->rec_fields ? b->recs[b->n_recs].line : r->line;
        return;
    }
    if (r->rec_fields == 0) {
        /* The record started as many lines back as its first field spans. */
        const char *f = s;
        RT_ALLOC_GROW(b->recs, b->n_recs + 1, b->alloc_recs);
        rec = &b->recs[b->n_recs];
        rec->first = b->n_fields;
        rec->line = r->line;
        for (size_t i = 0; f && i < len; i++)
            if (f[i] == '\n' || (f[i] == '\r' && (i + 1 == len || f[i + 1] != '\n')))
                rec->line--;
    }
    if (b->n_fields == b->alloc_fields) {
        b->alloc_fields = b->alloc_fields ? b->alloc_fields * 2 : 1024;
        RT_REALLOC_ARRAY(b->offs, b->alloc_fields);
        RT_REALLOC_ARRAY(b->lens, b->alloc_fields);
    }
    b->offs[b->n_fields] = b->bytes.len;
    if (rt_buf_add(&b->bytes, s, len) < 0 || rt_buf_addch(&b->bytes, '\0') < 0)
        RT_BUG("CSV batch buffer overflow");
    b->lens[b->n_fields++] = len;
    r->rec_fields++;
}

static void on_row(int c, void *data)
{
    struct reader *r = data;
    struct batch *b = r->cur;

    (void)c;
    if (r->failed || !b || !r->rec_fields)
        return;
    b->recs[b->n_recs++].n = r->rec_fields;
    r->rec_fields = 0;
    if (b->n_recs >= BATCH_RECORDS || b->bytes.len >= BATCH_BYTES) {
        hand_over(r);
        r->cur = take_free(r);
    }
}

/* The reader thread's body: the whole input, then csv_fini; it sets rc and err. */
static void *read_all(void *arg)
{
    struct reader *r = arg;
    struct csv_parser p;
    int only;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        RT_BUG("csv_init failed");
    /* libcsv grows its field buffer by this much at a time: by its default of 128
     * bytes, a long field costs a quadratic number of copies. */
    csv_set_blk_size(&p, 64 * 1024);
    r->cur = take_free(r);
    /* A file that ends its lines with only one of CR and LF (nearly all do) is cut
     * into lines with memchr; a file with both, byte by byte. */
    only = !memchr(r->data, '\r', r->len) ? '\n' : !memchr(r->data, '\n', r->len) ? '\r' : 0;
    while (r->pos < r->len && r->cur && !r->failed) {
        const char *data = r->data;
        size_t i = r->pos, j = i, len = r->len;
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
        r->pos = j;
        if (csv_parse(&p, data + i, j - i, on_field, on_row, r) != j - i) {
            if (csv_error(&p) == CSV_EPARSE)
                r->rc = rt_error_set(&r->err, RT_EINVAL, r->path, r->line, NULL,
                                     "malformed CSV in field %zu: a quote inside a field that "
                                     "is not quoted, or text after a closing quote",
                                     r->rec_fields + 1);
            else
                r->rc = rt_error_set(&r->err, RT_EINVAL, r->path, r->line, NULL,
                                     "malformed CSV: %s", csv_strerror(csv_error(&p)));
            goto out;
        }
        r->line++;
    }
    if (r->cur && !r->failed && csv_fini(&p, on_field, on_row, r) != 0) {
        struct batch *b = r->cur;
        r->rc = rt_error_set(&r->err, RT_EINVAL, r->path,
                             r->rec_fields ? b->recs[b->n_recs].line : r->line - 1, NULL,
                             "malformed CSV: a quoted field is not closed before the end of "
                             "the file");
    }
    if (r->failed)
        r->rc = rt_error_set(&r->err, RT_ETOOBIG, r->path, r->big_line, NULL,
                             "a field is longer than %u bytes", RT_IMPORT_MAX_FIELD);
out:
    if (r->cur) /* with its complete records only */
        hand_over(r);
    csv_free(&p);
    pthread_mutex_lock(&r->mu);
    r->done = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int rt__csv_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                  rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                  struct rt_error *err)
{
    struct reader r = {.path = path, .data = data, .len = len, .line = 1, .err = RT_ERROR_INIT};
    struct rt__csv_row row = {0};
    size_t alloc = 0;
    pthread_t thread;
    int rc = 0;

    /* A UTF-8 byte order mark is not part of the first field. */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        r.pos = 3;
    for (size_t k = 0; k < N_BATCHES; k++)
        r.batches[k].bytes = (struct rt_buf)RT_BUF_INIT;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    if (pthread_create(&thread, NULL, read_all, &r) != 0)
        RT_BUG("cannot start the CSV reader thread");

    for (;;) {
        struct batch *b;

        pthread_mutex_lock(&r.mu);
        while (r.consumed == r.filled && !r.done)
            pthread_cond_wait(&r.cv, &r.mu);
        b = r.consumed < r.filled ? &r.batches[r.consumed % N_BATCHES] : NULL;
        pthread_mutex_unlock(&r.mu);
        if (!b)
            break;
        for (size_t i = 0; i < b->n_recs && rc == 0; i++) {
            const struct record *rec = &b->recs[i];
            RT_ALLOC_GROW(row.fields, rec->n, alloc);
            for (size_t k = 0; k < rec->n; k++)
                row.fields[k] = b->bytes.buf + b->offs[rec->first + k];
            row.lens = b->lens + rec->first;
            row.n = rec->n;
            row.line = rec->line;
            rc = fn(ctx, &row, err);
        }
        if (rc == 0 && progress)
            progress(pctx, base + b->end, total);
        pthread_mutex_lock(&r.mu);
        r.consumed++;
        if (rc < 0)
            r.stop = 1;
        pthread_cond_broadcast(&r.cv);
        pthread_mutex_unlock(&r.mu);
        if (rc < 0)
            break;
    }
    pthread_join(thread, NULL);
    /* The reader's error comes after every record before it. */
    if (rc == 0 && r.rc < 0) {
        rc =
            rt_error_set(err, r.err.code, r.err.file, r.err.line, r.err.field, "%s", r.err.msg.buf);
    }
    rt_error_release(&r.err);
    for (size_t k = 0; k < N_BATCHES; k++) {
        rt_buf_release(&r.batches[k].bytes);
        rt_free(r.batches[k].offs);
        rt_free(r.batches[k].lens);
        rt_free(r.batches[k].recs);
    }
    rt_free(row.fields);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
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
        rc = rt_error_set(err, RT_EINVAL, path, 0, NULL, "cannot convert from MacRoman at byte %zu",
                          len - in_left);
        goto out;
    }
    out->len = (size_t)(o - out->buf);
    out->buf[out->len] = '\0';
out:
    iconv_close(cd);
    return rc;
}
