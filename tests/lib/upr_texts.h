/* For unit tests: every recommendation text of the real UPR Info file, as it is in the file. */
#ifndef RT_UPR_TEXTS_H
#define RT_UPR_TEXTS_H

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "ingest/ingest_int.h"
#include "lib/testutil.h"

typedef void (*upr_text_fn)(void *ctx, const char *text, size_t len);

struct upr_texts_run {
    int col; /* of "text"; -1 before the header */
    upr_text_fn fn;
    void *ctx;
    size_t n;
};

static inline int upr_texts_row(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct upr_texts_run *r = ctx;
    (void)err;
    if (r->col < 0) {
        for (size_t k = 0; k < row->n; k++)
            if (!strcmp(row->fields[k], "text"))
                r->col = (int)k;
        cr_assert_geq(r->col, 0, "no text column");
        return 0;
    }
    cr_assert_gt(row->n, (size_t)r->col);
    r->fn(r->ctx, row->fields[r->col], row->lens[r->col]);
    r->n++;
    return 0;
}

/* Calls fn for the text of every row of upr/upr_info_s01-s18.csv (skips the test when
 * the real data is absent); returns how many. */
static inline size_t upr_texts(upr_text_fn fn, void *ctx)
{
    struct upr_texts_run r = {-1, fn, ctx, 0};
    struct rt_error err = RT_ERROR_INIT;
    char path[600];
    struct stat sb;
    void *map;
    int fd;

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", shared_data());
    fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "cannot open %s", path);
    cr_assert_eq(fstat(fd, &sb), 0);
    map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    cr_assert_neq(map, MAP_FAILED);
    close(fd);
    cr_assert_eq(
        rt__csv_parse(path, map, (size_t)sb.st_size, upr_texts_row, &r, NULL, NULL, 0, 0, &err), 0,
        "%s", err.msg.buf);
    munmap(map, (size_t)sb.st_size);
    return r.n;
}

#endif
