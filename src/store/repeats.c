/* What both back ends' repeats share (repeats_int.h). */
#include "base/compat.h"

#include <rightstrack/store.h>

#include "store/repeats_int.h"

/* What the pairs were computed with: bump when the shingles or the join change. */
#define REPEATS_VERSION "1"

/* Union-find over corpus indexes: each root is the smallest index of its set. */
static size_t find(size_t *up, size_t i)
{
    while (up[i] != i) {
        up[i] = up[up[i]];
        i = up[i];
    }
    return i;
}

static void unite(size_t *up, size_t a, size_t b)
{
    a = find(up, a);
    b = find(up, b);
    if (a < b)
        up[b] = a;
    else if (b < a)
        up[a] = b;
}

size_t *rt__repeat_clusters(const struct rt_sim_pair *p, size_t n_pairs, size_t n)
{
    size_t *up;

    RT_ALLOC_ARRAY(up, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        up[i] = i;
    for (size_t k = 0; k < n_pairs; k++)
        unite(up, p[k].a, p[k].b);
    for (size_t i = 0; i < n; i++)
        up[i] = find(up, i);
    return up;
}

void rt__repeats_fingerprint(struct rt_buf *out, int64_t count, int64_t max_id)
{
    rt_buf_addf(out, "v" REPEATS_VERSION " %.17g %lld %lld", RT_REPEAT_THRESHOLD, (long long)count,
                (long long)max_id);
}
