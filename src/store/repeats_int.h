/*
 * Repeats (docs/repeats.md) written once for every back end: the shingle sets, the
 * join, the clusters, the fingerprint of fresh pairs, the filters, the answer of
 * repeats_of, and the SQL both dialects accept (through sql.h): the corpus, the
 * freshness, the computation around the writes and the reads of similar. Each back
 * end keeps its transaction around a computation and how it writes the pairs and
 * clusters (src/store/sqlite/repeats.c: one prepared INSERT a row; src/store/pg/repeats.c:
 * COPY).
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
/* Every recommendation, in id order, through rt__sql_rows. */
int rt__corpus_load(struct rt_store *st, struct rt__corpus *c, struct rt_error *err);
/* Whether the stored pairs were computed from the data as it is. */
int rt__repeats_fresh_read(struct rt_store *st, int *out_fresh, struct rt_error *err);

/* A recommendation with a repeat and the cluster it is in (its smallest id). */
struct rt__repeat_member {
    int64_t rec_id, cluster_id;
};
/* A back end's writes of the new pairs (p over c's indexes, n_pairs of them) and
 * members (m, n_m), into the emptied tables. */
typedef int (*rt__repeats_put_fn)(struct rt_store *st, const struct rt__corpus *c,
                                  const struct rt_sim_pair *p, size_t n_pairs,
                                  const struct rt__repeat_member *m, size_t n_m,
                                  struct rt_error *err);
/* rt_store_repeats_compute inside the caller's transaction: the corpus read, joined
 * and clustered, the old pairs and clusters deleted, put's writes, the fingerprint
 * stored in meta. */
int rt__repeats_compute_in(struct rt_store *st, rt__repeats_put_fn put, int64_t *out_pairs,
                           int64_t *out_clusters, struct rt_error *err);
/* rt_store_repeat_pairs and rt_store_repeats_of: from the stored pairs, computed again
 * first when stale; when stale on a store that cannot write (readonly), computed here
 * in memory. */
int rt__repeat_pairs_read(struct rt_store *st, int readonly, double threshold, int min_cycle_gap,
                          struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err);
int rt__repeats_of_read(struct rt_store *st, int readonly, int64_t id, double threshold,
                        struct rt_repeats *out, struct rt_error *err);

/* Fills out with the repeats ids (jaccards js) of id, each read by rt_store_rec_get,
 * sorted by cycle, session and id. */
int rt__repeats_fill(struct rt_store *st, int64_t id, int cycle, double threshold, int64_t cluster,
                     int64_t size, const int64_t *ids, const double *js, size_t n,
                     struct rt_repeats *out, struct rt_error *err);

#endif
