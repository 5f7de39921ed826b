/*
 * Benchmark driver, rightstrack side: runs every query of a query file
 * (see qfile.h) through the public search API, in one process, so that the
 * figure is the cost of the searches and not of starting the program.
 *
 *   search_driver DB QUERIES TOTALS
 *
 * Writes each query's total to TOTALS (one a line), and to stdout one line:
 * "<queries> <hits> <sum of totals> <seconds in the query loop>".
 */
#include <rightstrack/search.h>

#include "qfile.h"

int main(int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct bq *qs;
    char *buf;
    size_t n, hits = 0;
    long long sum = 0;
    double t0, t1;
    FILE *out;

    if (argc != 4) {
        fprintf(stderr, "usage: search_driver DB QUERIES TOTALS\n");
        return 2;
    }
    n = bq_load(argv[2], &qs, &buf);
    if (!(out = fopen(argv[3], "w"))) {
        perror(argv[3]);
        return 2;
    }
    if (rt_store_open(&st, argv[1], 0, &err) < 0) {
        rt_error_print(&err, "search_driver", stderr);
        return 1;
    }
    t0 = bq_now();
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
            fprintf(stderr, "search_driver: query %zu (%s): ", i + 1,
                    qs[i].text ? qs[i].text : "");
            rt_error_print(&err, "search_driver", stderr);
            return 1;
        }
        hits += res.n_hits;
        sum += res.total;
        fprintf(out, "%lld\n", (long long)res.total);
        rt_search_result_release(&res);
    }
    t1 = bq_now();
    rt_store_close(st);
    if (fclose(out) != 0) {
        perror(argv[3]);
        return 1;
    }
    printf("%zu %zu %lld %.6f\n", n, hits, sum, t1 - t0);
    free(qs);
    free(buf);
    return 0;
}
