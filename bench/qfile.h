/*
 * Benchmark query files, shared by search_driver.c and search_raw.c.
 *
 * One query a line, six fields separated by tabs (an empty field means "none"):
 *   text  sur  cycle  response  theme  facets
 * text is both a rightstrack query and a valid FTS5 expression; sur is an
 * ISO 3166-1 alpha-3 code; response is supported, noted or pledge; facets is 0 or 1.
 */
#ifndef BENCH_QFILE_H
#define BENCH_QFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BQ_MAX 20000

struct bq {
    char *text, *sur, *response, *theme; /* NULL when the field is empty */
    int cycle, facets;
};

static char *bq_field(char **p)
{
    char *s = *p, *t = strchr(s, '\t');
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = s + strlen(s);
    }
    return *s ? s : NULL;
}

/* Reads every query of path into a new array; the strings live in *buf. */
static size_t bq_load(const char *path, struct bq **out, char **buf)
{
    FILE *fp = fopen(path, "r");
    size_t n = 0, cap = 0, len = 0;
    char *line = NULL, *all;
    struct bq *qs = NULL;
    long size;

    if (!fp || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
        perror(path);
        exit(2);
    }
    all = malloc((size_t)size + 1);
    if (!all || fread(all, 1, (size_t)size, fp) != (size_t)size) {
        perror(path);
        exit(2);
    }
    all[size] = '\0';
    fclose(fp);
    for (line = all; line < all + size; line += len + 1) {
        char *nl = strchr(line, '\n'), *p = line, *f;
        struct bq *q;
        len = nl ? (size_t)(nl - line) : strlen(line);
        line[len] = '\0';
        if (!len)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (!(qs = realloc(qs, cap * sizeof(*qs)))) {
                perror("realloc");
                exit(2);
            }
        }
        q = &qs[n++];
        q->text = bq_field(&p);
        q->sur = bq_field(&p);
        q->cycle = (f = bq_field(&p)) ? atoi(f) : 0;
        q->response = bq_field(&p);
        q->theme = bq_field(&p);
        q->facets = (f = bq_field(&p)) ? atoi(f) : 0;
    }
    *out = qs;
    *buf = all;
    return n;
}

static double bq_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
