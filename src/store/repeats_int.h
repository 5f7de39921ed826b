/*
 * Repeats (docs/repeats.md) written once for every back end: what does not need the
 * database. Each back end reads the corpus and stores or reads the pairs with its own
 * SQL (src/store/sqlite/repeats.c, src/store/pg/repeats.c) and leaves the rest here:
 * the shingle sets, the join, the clusters, the fingerprint of fresh pairs, the
 * filters, and the answer of repeats_of.
 */
#ifndef RT_STORE_REPEATS_INT_H
#define RT_STORE_REPEATS_INT_H

#include <rightstrack/store.h>
#include <rightstrack/text.h>

/* Every recommendation's id, cycle and shingle set, in id order. */
struct rt__corpus {
    int64_t *id;
    int *cycle;
    uint64_t **sets;
    size_t *lens;
    size_t n, alloc;
};

/* Adds a recommendation (ids must come in increasing order). */
void rt__corpus_add(struct rt__corpus *c, int64_t id, int cycle, const char *text, size_t len);
void rt__corpus_release(struct rt__corpus *c);
/* Every pair of c at or above threshold (rt_shingle_join); RT_EINVAL when too many. */
int rt__corpus_join(const struct rt__corpus *c, double threshold, struct rt_sim_pair **out,
                    size_t *out_n, struct rt_error *err);
/* The root (smallest index) of each index's cluster of pairs: a new array of n. */
size_t *rt__repeat_clusters(const struct rt_sim_pair *p, size_t n_pairs, size_t n);
/* Whether the pair's cycles are gap apart (gap <= 0: any pair). */
int rt__repeat_gap_ok(int ca, int cb, int gap);
/* RT_EINVAL unless 0 < t <= 1. */
int rt__repeat_threshold_check(double t, struct rt_error *err);
/* What pairs computed from count recommendations up to max_id are stored under
 * (meta 'repeats'): bump REPEATS_VERSION in repeats.c when the shingles or the join
 * change. */
void rt__repeats_fingerprint(struct rt_buf *out, int64_t count, int64_t max_id);
/* The pairs of c at threshold whose cycles are gap apart, computed here. */
int rt__repeat_pairs_memory(const struct rt__corpus *c, double threshold, int gap,
                            struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err);
/* The repeats of recommendation id at threshold, compared with every other text of c
 * (new arrays ids, js of *n); with_cluster also sets its cluster at
 * RT_REPEAT_THRESHOLD (*cluster, *size) from pairs computed here. */
int rt__repeats_memory(const struct rt__corpus *c, int64_t id, double threshold, int with_cluster,
                       int64_t **ids, double **js, size_t *n, int64_t *cluster, int64_t *size,
                       struct rt_error *err);
/* Fills out with the repeats ids (jaccards js) of id, each read by rt_store_rec_get,
 * sorted by cycle, session and id. */
int rt__repeats_fill(struct rt_store *st, int64_t id, int cycle, double threshold, int64_t cluster,
                     int64_t size, const int64_t *ids, const double *js, size_t n,
                     struct rt_repeats *out, struct rt_error *err);

#endif
