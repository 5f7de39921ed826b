/*
 * Benchmark driver, rightstrack side: runs every query of a query file
 * (see qfile.h) through the public search API, in one process, so that the
 * figure is the cost of the searches and not of starting the program.
 *
 *   search_driver DB QUERIES TOTALS [DUMP]
 *
 * Writes each query's total to TOTALS (one a line), and to stdout one line:
 * "<queries> <hits> <sum of totals> <seconds in the query loop> <CPU seconds in it>"
 * (CPU time as well, since the machines it runs on are often shared). With DUMP, also
 * writes each query's answer there as one line of JSON (total, the hits' ids in
 * order, the facets' counts in order), for bench/compare.sh.
 */
#include <rightstrack/search.h>

#include "qfile.h"

/* A JSON string; keys here are state codes, theme labels and numbers. */
static void dump_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void dump_result(FILE *fp, const struct rt_search_result *res)
{
    fprintf(fp, "{\"total\": %lld, \"ids\": [", (long long)res->total);
    for (size_t i = 0; i < res->n_hits; i++)
        fprintf(fp, "%s%lld", i ? ", " : "", (long long)res->hits[i].id);
    fputs("], \"facets\": {", fp);
    for (size_t f = 0; f < res->n_facets; f++) {
        fprintf(fp, "%s\"%s\": [", f ? ", " : "", res->facets[f].name);
        for (size_t i = 0; i < res->facets[f].n; i++) {
            fputs(i ? ", [" : "[", fp);
            dump_str(fp, res->facets[f].counts[i].key);
            fprintf(fp, ", %lld]", (long long)res->facets[f].counts[i].n);
        }
        fputc(']', fp);
    }
    fputs("}}\n", fp);
}

int main(int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct bq *qs;
    char *buf;
    size_t n, hits = 0;
    long long sum = 0;
    double t0, t1;
    clock_t c0, c1;
    FILE *out, *dump = NULL;

    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: search_driver DB QUERIES TOTALS [DUMP]\n");
        return 2;
    }
    n = bq_load(argv[2], &qs, &buf);
    if (!(out = fopen(argv[3], "w"))) {
        perror(argv[3]);
        return 2;
    }
    if (argc == 5 && !(dump = fopen(argv[4], "w"))) {
        perror(argv[4]);
        return 2;
    }
    if (rt_store_open(&st, argv[1], 0, &err) < 0) {
        rt_error_print(&err, "search_driver", stderr);
        return 1;
    }
    t0 = bq_now();
    c0 = clock();
    for (size_t i = 0; i < n; i++) {
        struct rt_query q = RT_QUERY_INIT;
        struct rt_search_result res = {0};
        enum rt_response r;

        q.text = qs[i].text;
        q.sur = qs[i].sur;
        q.theme = qs[i].theme;
        q.cycle = qs[i].cycle;
        q.facets = qs[i].facets;
        if (qs[i].response) {
            if (rt_response_parse(qs[i].response, &r) < 0) {
                fprintf(stderr, "search_driver: line %zu: bad response\n", i + 1);
                return 1;
            }
            q.response = (int)r;
        }
        if (rt_search(st, &q, &res, &err) < 0) {
            fprintf(stderr, "search_driver: query %zu (%s): ", i + 1, qs[i].text ? qs[i].text : "");
            rt_error_print(&err, "search_driver", stderr);
            return 1;
        }
        hits += res.n_hits;
        sum += res.total;
        fprintf(out, "%lld\n", (long long)res.total);
        if (dump)
            dump_result(dump, &res);
        rt_search_result_release(&res);
    }
    t1 = bq_now();
    c1 = clock();
    rt_store_close(st);
    if (dump && fclose(dump) != 0) {
        perror(argv[4]);
        return 1;
    }
    if (fclose(out) != 0) {
        perror(argv[3]);
        return 1;
    }
    printf("%zu %zu %lld %.6f %.6f\n", n, hits, sum, t1 - t0, (double)(c1 - c0) / CLOCKS_PER_SEC);
    free(qs);
    free(buf);
    return 0;
}
