/*
 * Benchmark driver for the theme classifier: times loading the stored model and,
 * apart from it, predicting, in one process and through the public API.
 *
 *   themes_driver DB TEXTS REPEAT
 *
 * Load: rt_store_open (read-only), rt_store_model_get and rt_classifier_load of
 * "themes/upr-info". Predictions: rt_classifier_predict on every line of TEXTS
 * (read into memory first), REPEAT times over, and the labels at or above their
 * thresholds, as `themes predict` finds them (without printing them). Writes one
 * line to stdout: "<load seconds> <predictions> <prediction seconds> <labels>
 * <prediction CPU seconds>" (the CPU time of this process while predicting: on
 * a loaded machine, the figure that does not depend on the others' work).
 */
#include <rightstrack/classify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_of(CLOCK_MONOTONIC);
}

/* Reads path into *buf and splits it into lines (without their newlines). */
static size_t read_lines(const char *path, char **buf, char ***lines)
{
    FILE *fp = fopen(path, "rb");
    size_t len = 0, cap = 1 << 20, n = 0, alloc = 0, got;
    char *b, **a = NULL;

    if (!fp) {
        perror(path);
        exit(2);
    }
    b = malloc(cap);
    while (b && (got = fread(b + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap)
            b = realloc(b, cap *= 2);
    }
    if (!b || ferror(fp)) {
        fprintf(stderr, "themes_driver: cannot read %s\n", path);
        exit(2);
    }
    fclose(fp);
    b[len] = '\0';
    for (char *p = b; *p;) {
        char *e = strchr(p, '\n');
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 4096;
            a = realloc(a, alloc * sizeof(*a));
            if (!a)
                exit(2);
        }
        a[n++] = p;
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    *buf = b;
    *lines = a;
    return n;
}

int main(int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_classifier *c = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    char *buf, **lines;
    size_t n, n_labels;
    long repeat, labels = 0;
    float *scores;
    double t0, t1, t2, t3, c2, c3;

    if (argc != 4 || (repeat = strtol(argv[3], NULL, 10)) < 1) {
        fprintf(stderr, "usage: themes_driver DB TEXTS REPEAT\n");
        return 2;
    }
    n = read_lines(argv[2], &buf, &lines);
    t0 = now();
    if (rt_store_open(&st, argv[1], RT_STORE_READONLY, &err) < 0 ||
        rt_store_model_get(st, "themes/upr-info", &blob, NULL, &err) < 0 ||
        rt_classifier_load(&c, blob.buf, blob.len, &err) < 0) {
        rt_error_print(&err, "themes_driver", stderr);
        return 1;
    }
    t1 = now();
    n_labels = rt_classifier_n_labels(c);
    scores = calloc(n_labels + 1, sizeof(*scores));
    if (!scores)
        return 2;
    t2 = now();
    c2 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
    for (long r = 0; r < repeat; r++) {
        for (size_t i = 0; i < n; i++) {
            int category;
            rt_classifier_predict(c, lines[i], strlen(lines[i]), scores, &category, NULL);
            for (size_t j = 0; j < n_labels; j++)
                labels += scores[j] >= rt_classifier_threshold(c, j);
        }
    }
    t3 = now();
    c3 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
    printf("%.6f %zu %.6f %ld %.6f\n", t1 - t0, n * (size_t)repeat, t3 - t2, labels, c3 - c2);
    free(scores);
    rt_classifier_free(c);
    rt_buf_release(&blob);
    rt_store_close(st);
    free(lines);
    free(buf);
    return 0;
}
