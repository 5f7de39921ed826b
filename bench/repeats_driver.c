/*
 * Benchmark driver, rightstrack side: every pair of recommendations at a Jaccard
 * threshold through the public API, rt_text_shingles then rt_shingle_join (the
 * prefix-filtered join), in one process.
 *
 *   repeats_driver DB THRESHOLD PAIRS
 *
 * Writes the pairs to PAIRS ("A B JACCARD", sorted by A then B) and to stdout one
 * line: "<recommendations> <pairs> <seconds shingling> <seconds joining>". Reading
 * the texts from the database is not timed.
 */
#include <rightstrack/text.h>

#include "repeats_texts.h"

int main(int argc, char **argv)
{
    struct texts t;
    struct rt_sim_pair *p;
    uint64_t **sets;
    size_t *lens, n;
    uint32_t *a, *b;
    double *j, t0, t1, t2;

    if (argc != 4) {
        fprintf(stderr, "usage: repeats_driver DB THRESHOLD PAIRS\n");
        return 2;
    }
    rb_load(argv[1], &t);
    sets = calloc(t.n ? t.n : 1, sizeof(*sets));
    lens = calloc(t.n ? t.n : 1, sizeof(*lens));
    t0 = rb_now();
    for (size_t i = 0; i < t.n; i++)
        rt_text_shingles(t.text[i], t.len[i], &sets[i], &lens[i]);
    t1 = rb_now();
    if (rt_shingle_join((const uint64_t *const *)sets, lens, t.n, strtod(argv[2], NULL), &p,
                        &n) < 0) {
        fprintf(stderr, "repeats_driver: bad threshold\n");
        return 1;
    }
    t2 = rb_now();
    a = malloc((n + 1) * sizeof(*a));
    b = malloc((n + 1) * sizeof(*b));
    j = malloc((n + 1) * sizeof(*j));
    for (size_t i = 0; i < n; i++)
        a[i] = p[i].a, b[i] = p[i].b, j[i] = p[i].jaccard;
    rb_write(argv[3], &t, a, b, j, n);
    printf("%zu %zu %.4f %.4f\n", t.n, n, t1 - t0, t2 - t1);
    return 0;
}
