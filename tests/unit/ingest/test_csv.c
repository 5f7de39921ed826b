/*
 * The CSV reader (src/ingest/csv.c): libcsv in a thread of its own, records handed
 * over in batches. The caller must see what one thread would give: every record in
 * order with its line, and on an error every record before it, then the error.
 */
#include <criterion/criterion.h>

#include "ingest/ingest_int.h"

struct seen {
    size_t n;        /* records seen */
    size_t fail_at;  /* return an error on this record (1-based; 0: never) */
    long last_line;
    int in_order;    /* each record's first field is its number */
    uint64_t progress;
    int progress_ok; /* never went back */
};

static int on_record(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct seen *s = ctx;
    char want[32];

    s->n++;
    snprintf(want, sizeof(want), "%zu", s->n);
    if (row->n < 2 || strcmp(row->fields[0], want) || row->lens[0] != strlen(want))
        s->in_order = 0;
    s->last_line = row->line;
    if (s->fail_at && s->n == s->fail_at)
        return rt_error_set(err, RT_EINVAL, "x.csv", row->line, "text", "stop here");
    return 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct seen *s = ctx;
    if (done < s->progress || done > total)
        s->progress_ok = 0;
    s->progress = done;
}

/* n records "k,text"; every 7th text spans two lines, so records and lines differ.
 * With bad_at, that record has a stray quote. Sets *line_of_bad. */
static void make_csv(struct rt_buf *b, size_t n, size_t bad_at, size_t text_len, long *line_of_bad)
{
    long line = 1;
    for (size_t k = 1; k <= n; k++) {
        if (k == bad_at)
            *line_of_bad = line;
        rt_buf_addf(b, "%zu,", k);
        if (k == bad_at)
            rt_buf_adds(b, "a \"stray\" quote");
        else if (k % 7 == 0) {
            rt_buf_adds(b, "\"two\nlines\"");
            line++;
        } else {
            for (size_t i = 0; i < text_len; i++)
                rt_buf_addch(b, (char)('a' + i % 26));
        }
        rt_buf_addch(b, '\n');
        line++;
    }
}

static int parse(const struct rt_buf *b, struct seen *s, struct rt_error *e)
{
    s->in_order = s->progress_ok = 1;
    return rt__csv_parse("x.csv", b->buf, b->len, on_record, s, on_progress, s, 0, b->len, e);
}

Test(csv, many_batches_in_order)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {0};
    long unused;

    make_csv(&b, 5000, 0, 20, &unused);
    cr_assert_eq(parse(&b, &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.n, 5000);
    cr_assert(s.in_order);
    cr_assert_eq(s.last_line, 5000 + 5000 / 7); /* one more line per two-line record */
    cr_assert(s.progress_ok);
    cr_assert_eq(s.progress, b.len);
    rt_buf_release(&b);
}

Test(csv, big_records_fill_batches_by_size)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {0};
    long unused;

    make_csv(&b, 40, 0, 100000, &unused); /* 4 MB: batches by bytes, not by count */
    cr_assert_eq(parse(&b, &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.n, 40);
    cr_assert(s.in_order);
    rt_buf_release(&b);
}

/* The row function's error stops the reader: nothing after it is seen. */
Test(csv, caller_error_stops_the_reader, .timeout = 20)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {.fail_at = 3000};
    long unused;

    make_csv(&b, 5000, 0, 20, &unused);
    cr_assert_eq(parse(&b, &s, &e), RT_EINVAL);
    cr_assert_eq(s.n, 3000);
    cr_assert_str_eq(e.msg.buf, "stop here");
    cr_assert_eq(e.line, 3000 + 3000 / 7);
    rt_error_release(&e);
    rt_buf_release(&b);
}

/* A CSV error comes after every record before it, with its own line. */
Test(csv, reader_error_after_the_records_before_it, .timeout = 20)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {0};
    long bad_line = 0;

    make_csv(&b, 5000, 4001, 20, &bad_line);
    cr_assert_eq(parse(&b, &s, &e), RT_EINVAL);
    cr_assert_eq(s.n, 4000);
    cr_assert(s.in_order);
    cr_assert_eq(e.line, bad_line);
    cr_assert(strstr(e.msg.buf, "malformed CSV in field 2"), "%s", e.msg.buf);
    rt_error_release(&e);
    rt_buf_release(&b);
}

/* An error in the reader before the row function has failed, and the other way
 * round: the first one in file order wins. */
Test(csv, first_error_in_file_order_wins, .timeout = 20)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {.fail_at = 100};
    long bad_line = 0;

    make_csv(&b, 5000, 4001, 20, &bad_line);
    cr_assert_eq(parse(&b, &s, &e), RT_EINVAL);
    cr_assert_eq(s.n, 100);
    cr_assert_str_eq(e.msg.buf, "stop here");
    rt_error_release(&e);
    rt_buf_release(&b);
}

Test(csv, unclosed_quote_at_the_end)
{
    struct rt_error e = RT_ERROR_INIT;
    struct seen s = {0};
    struct rt_buf b = RT_BUF_INIT;

    rt_buf_adds(&b, "1,ok\n2,\"never closed\n");
    cr_assert_eq(parse(&b, &s, &e), RT_EINVAL);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(e.line, 2);
    cr_assert(strstr(e.msg.buf, "not closed"), "%s", e.msg.buf);
    rt_error_release(&e);
    rt_buf_release(&b);
}
