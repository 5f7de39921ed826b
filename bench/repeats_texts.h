/*
 * What both repeats benchmark drivers share: reading every recommendation's id and
 * text from a rightstrack database (not timed), a clock, and writing pairs.
 */
#ifndef BENCH_REPEATS_TEXTS_H
#define BENCH_REPEATS_TEXTS_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct texts {
    long long *id;
    char **text;
    size_t *len;
    size_t n;
};

static double rb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Exits with a message on failure: this is a benchmark, not a library. */
static void rb_load(const char *path, struct texts *t)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    size_t cap = 0;

    memset(t, 0, sizeof(*t));
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id, text FROM recommendation ORDER BY id", -1, &s,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
        exit(1);
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (t->n == cap) {
            cap = cap ? cap * 2 : 1024;
            t->id = realloc(t->id, cap * sizeof(*t->id));
            t->text = realloc(t->text, cap * sizeof(*t->text));
            t->len = realloc(t->len, cap * sizeof(*t->len));
            if (!t->id || !t->text || !t->len) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
        }
        t->id[t->n] = sqlite3_column_int64(s, 0);
        t->len[t->n] = (size_t)sqlite3_column_bytes(s, 1);
        t->text[t->n] = malloc(t->len[t->n] + 1);
        if (!t->text[t->n]) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        memcpy(t->text[t->n], sqlite3_column_text(s, 1), t->len[t->n] + 1);
        t->n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* One pair a line: "A B JACCARD" with ids, a < b, Jaccard to 6 decimals. */
static void rb_write(const char *path, const struct texts *t, const uint32_t *a,
                     const uint32_t *b, const double *j, size_t n)
{
    FILE *fp = fopen(path, "w");

    if (!fp) {
        perror(path);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%lld %lld %.6f\n", t->id[a[i]], t->id[b[i]], j[i]);
    if (fclose(fp)) {
        perror(path);
        exit(1);
    }
}

#endif
