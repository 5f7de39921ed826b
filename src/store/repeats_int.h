/*
 * What both back ends' repeats share (src/store/repeats.c): the clusters of a set of
 * pairs, and the fingerprint of the data the stored pairs were computed from (meta
 * 'repeats'), so that each back end says "fresh" of the same data.
 */
#ifndef RT_STORE_REPEATS_INT_H
#define RT_STORE_REPEATS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <rightstrack/rt.h>
#include <rightstrack/text.h>

/* A new array of n entries: each corpus index's cluster, the smallest index of its set
 * under the pairs (rt_free). */
size_t *rt__repeat_clusters(const struct rt_sim_pair *p, size_t n_pairs, size_t n);

/* Appends the fingerprint of a corpus of count recommendations whose largest id is
 * max_id. */
void rt__repeats_fingerprint(struct rt_buf *out, int64_t count, int64_t max_id);

#endif
