/*
 * Benchmark driver, naive side: every pair of recommendations at a Jaccard
 * threshold by the straightforward exact method, with no filter at all. Each
 * text's shingle set comes from rt_text_shingles, as on the rightstrack side (the
 * shingles themselves are checked independently, in Python, by
 * tests/cli/t6000-similar.sh); then an inverted index from shingle to the
 * recommendations seen so far counts, for each recommendation, its overlap with
 * every earlier one that shares a shingle (ScanCount), and every pair with an
 * overlap is tested: (double)overlap / (double)union >= threshold.
 *
 *   repeats_naive DB THRESHOLD PAIRS
 *
 * Output as repeats_driver's.
 */
#include <rightstrack/text.h>

#include "repeats_texts.h"

struct list {
    uint64_t key;
    uint32_t *ids;
    uint32_t n, cap, used;
};

static void *xrealloc(void *p, size_t n)
{
    if (!(p = realloc(p, n))) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

int main(int argc, char **argv)
{
    struct texts t;
    struct list *tab;
    uint64_t **sets;
    size_t *lens, mask, n_pairs = 0, cap_pairs = 0, total = 0, slots = 16;
    uint32_t *count, *touched, *a = NULL, *b = NULL;
    double *j = NULL, thr, t0, t1, t2;

    if (argc != 4) {
        fprintf(stderr, "usage: repeats_naive DB THRESHOLD PAIRS\n");
        return 2;
    }
    thr = strtod(argv[2], NULL);
    rb_load(argv[1], &t);
    sets = calloc(t.n ? t.n : 1, sizeof(*sets));
    lens = calloc(t.n ? t.n : 1, sizeof(*lens));
    t0 = rb_now();
    for (size_t i = 0; i < t.n; i++) {
        rt_text_shingles(t.text[i], t.len[i], &sets[i], &lens[i]);
        total += lens[i];
    }
    t1 = rb_now();
    while (slots < 2 * total)
        slots *= 2;
    mask = slots - 1;
    tab = calloc(slots, sizeof(*tab));
    count = calloc(t.n ? t.n : 1, sizeof(*count));
    touched = malloc((t.n ? t.n : 1) * sizeof(*touched));
    for (size_t x = 0; x < t.n; x++) {
        size_t n_touched = 0;
        for (size_t k = 0; k < lens[x]; k++) {
            uint64_t h = sets[x][k];
            size_t s = (size_t)(h ^ (h >> 29)) & mask;
            struct list *l;
            while (tab[s].used && tab[s].key != h)
                s = (s + 1) & mask;
            l = &tab[s];
            if (!l->used) {
                l->used = 1;
                l->key = h;
            }
            for (uint32_t i = 0; i < l->n; i++) {
                uint32_t y = l->ids[i];
                if (!count[y]++)
                    touched[n_touched++] = y;
            }
            if (l->n == l->cap) {
                l->cap = l->cap ? l->cap * 2 : 4;
                l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
            }
            l->ids[l->n++] = (uint32_t)x;
        }
        for (size_t i = 0; i < n_touched; i++) {
            uint32_t y = touched[i];
            size_t o = count[y], u = lens[x] + lens[y] - o;
            count[y] = 0;
            if ((double)o / (double)u >= thr) {
                if (n_pairs == cap_pairs) {
                    cap_pairs = cap_pairs ? cap_pairs * 2 : 1024;
                    a = xrealloc(a, cap_pairs * sizeof(*a));
                    b = xrealloc(b, cap_pairs * sizeof(*b));
                    j = xrealloc(j, cap_pairs * sizeof(*j));
                }
                a[n_pairs] = y; /* y was seen first: y < x */
                b[n_pairs] = (uint32_t)x;
                j[n_pairs] = (double)o / (double)u;
                n_pairs++;
            }
        }
    }
    t2 = rb_now();
    rb_write(argv[3], &t, a, b, j, n_pairs);
    printf("%zu %zu %.4f %.4f\n", t.n, n_pairs, t1 - t0, t2 - t1);
    return 0;
}
