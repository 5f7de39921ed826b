/*
 * libFuzzer target for the XLSX reader (src/ingest/xlsx.c): any bytes as a workbook.
 * Whatever they are, the reader must either refuse them with a message (and hand
 * over no row after its error), or give rows that all have the header's width, with
 * fields as long as their lengths say, and row numbers that only go up. The seeds
 * (tests/fuzz/corpus/xlsx/) are small workbooks stored without compression, so that
 * the fuzzer reaches the XML as well as the zip.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compat.h"
#include "fuzz.h"
#include "ingest/ingest_int.h"

struct seen {
    size_t width;
    long last_line;
    size_t rows;
};

static int on_row(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct seen *s = ctx;

    (void)err;
    if (!s->rows)
        s->width = row->n;
    CHECK(row->n == s->width);
    CHECK(row->n > 0);
    CHECK(row->line > s->last_line);
    for (size_t i = 0; i < row->n; i++) {
        CHECK(strlen(row->fields[i]) == row->lens[i]);
        CHECK(row->lens[i] <= RT_IMPORT_MAX_FIELD);
    }
    s->last_line = row->line;
    s->rows++;
    /* Stop at the fifth row now and then: the reader must unwind cleanly. */
    return s->rows == 5 && row->lens[0] == 1 ? RT_EINVAL : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = {0};
    struct rt_error err = RT_ERROR_INIT;
    char *sheet = NULL;
    int rc = rt__xlsx_parse("fuzz.xlsx", (const char *)data, size, on_row, &s, NULL, NULL, 0, 0,
                            &sheet, &err);

    if (rc == 0) {
        CHECK(sheet != NULL);
        CHECK(s.rows > 0);
    } else {
        CHECK(rc < 0);
        CHECK(sheet == NULL);
        CHECK(err.msg.len > 0 || (s.rows == 5));
    }
    rt_free(sheet);
    rt_error_release(&err);
    return 0;
}
