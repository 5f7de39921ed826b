/* Repeats written once for every back end: what does not need the database
 * (repeats_int.h). */
#include "base/compat.h"

#include "store/repeats_int.h"

/* What the pairs were computed with: bump when the shingles or the join change. */
#define REPEATS_VERSION "1"

void rt__corpus_add(struct rt__corpus *c, int64_t id, int cycle, const char *text, size_t len)
{
    size_t n = c->n;

    if (n + 1 > c->alloc) {
        size_t want = c->alloc;
        RT_ALLOC_GROW(c->id, n + 1, want);
        RT_REALLOC_ARRAY(c->cycle, want);
        RT_REALLOC_ARRAY(c->sets, want);
        RT_REALLOC_ARRAY(c->lens, want);
        c->alloc = want;
    }
    c->id[n] = id;
    c->cycle[n] = cycle;
    rt_text_shingles(text, len, &c->sets[n], &c->lens[n]);
    c->n++;
}

void rt__corpus_release(struct rt__corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        rt_free(c->sets[i]);
    rt_free(c->sets);
    rt_free(c->lens);
    rt_free(c->cycle);
    rt_free(c->id);
    memset(c, 0, sizeof(*c));
}

int rt__corpus_join(const struct rt__corpus *c, double threshold, struct rt_sim_pair **out,
                    size_t *out_n, struct rt_error *err)
{
    if (rt_shingle_join((const uint64_t *const *)c->sets, c->lens, c->n, threshold, out, out_n) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "too many recommendations to compare");
    return 0;
}

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

int rt__repeat_gap_ok(int ca, int cb, int gap)
{
    if (gap <= 0)
        return 1;
    if (!ca || !cb)
        return 0;
    return (ca > cb ? ca - cb : cb - ca) >= gap;
}

int rt__repeat_threshold_check(double t, struct rt_error *err)
{
    if (!(t > 0 && t <= 1))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "threshold",
                            "the threshold must be above 0 and at most 1");
    return 0;
}

void rt__repeats_fingerprint(struct rt_buf *out, int64_t count, int64_t max_id)
{
    rt_buf_addf(out, "v" REPEATS_VERSION " %.17g %lld %lld", RT_REPEAT_THRESHOLD, (long long)count,
                (long long)max_id);
}

int rt__repeat_pairs_memory(const struct rt__corpus *c, double threshold, int gap,
                            struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    struct rt_sim_pair *p = NULL;
    struct rt_repeat_pair *res = NULL;
    size_t n_p = 0, n = 0, alloc = 0;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__corpus_join(c, threshold, &p, &n_p, err)) < 0)
        return rc;
    for (size_t k = 0; k < n_p; k++) {
        int ca = c->cycle[p[k].a], cb = c->cycle[p[k].b];
        if (!rt__repeat_gap_ok(ca, cb, gap))
            continue;
        RT_ALLOC_GROW(res, n + 1, alloc);
        /* The corpus is in id order, so a < b as indexes means a < b as ids. */
        res[n].a = c->id[p[k].a];
        res[n].b = c->id[p[k].b];
        res[n].jaccard = p[k].jaccard;
        res[n].cycle_a = ca;
        res[n].cycle_b = cb;
        n++;
    }
    rt_free(p);
    *out = res;
    *out_n = n;
    return 0;
}

int rt__repeats_memory(const struct rt__corpus *c, int64_t id, double threshold, int with_cluster,
                       int64_t **ids, double **js, size_t *n, int64_t *cluster, int64_t *size,
                       struct rt_error *err)
{
    size_t lo = 0, hi, x, alloc = 0, alloc2 = 0;

    for (hi = c->n; lo < hi;) { /* the corpus is in id order */
        size_t mid = lo + (hi - lo) / 2;
        if (c->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == c->n || c->id[lo] != id)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                            (long long)id);
    x = lo;
    for (size_t i = 0; i < c->n; i++) {
        double j;
        if (i == x || !c->lens[x] || !c->lens[i])
            continue;
        j = rt_jaccard(c->sets[x], c->lens[x], c->sets[i], c->lens[i]);
        if (j >= threshold) {
            RT_ALLOC_GROW(*ids, *n + 1, alloc);
            RT_ALLOC_GROW(*js, *n + 1, alloc2);
            (*ids)[*n] = c->id[i];
            (*js)[*n] = j;
            (*n)++;
        }
    }
    if (with_cluster) { /* the cluster from pairs computed here */
        struct rt_sim_pair *p = NULL;
        size_t n_p = 0, *up;
        int rc;
        if ((rc = rt__corpus_join(c, RT_REPEAT_THRESHOLD, &p, &n_p, err)) < 0)
            return rc;
        up = rt__repeat_clusters(p, n_p, c->n);
        *cluster = c->id[up[x]];
        *size = 0;
        for (size_t i = 0; i < c->n; i++)
            *size += up[i] == up[x];
        rt_free(up);
        rt_free(p);
    }
    return 0;
}

void rt_repeats_release(struct rt_repeats *r)
{
    for (size_t i = 0; i < r->n; i++)
        rt_rec_release(&r->items[i].rec);
    rt_free(r->items);
    memset(r, 0, sizeof(*r));
}

static int repeat_cmp(const void *x, const void *y)
{
    const struct rt_repeat *a = x, *b = y;
    if (a->rec.cycle != b->rec.cycle)
        return a->rec.cycle < b->rec.cycle ? -1 : 1;
    if (a->rec.session != b->rec.session)
        return a->rec.session < b->rec.session ? -1 : 1;
    return a->rec.id < b->rec.id ? -1 : a->rec.id > b->rec.id;
}

int rt__repeats_fill(struct rt_store *st, int64_t id, int cycle, double threshold, int64_t cluster,
                     int64_t size, const int64_t *ids, const double *js, size_t n,
                     struct rt_repeats *out, struct rt_error *err)
{
    int rc = 0;

    out->id = id;
    out->cycle = cycle;
    out->threshold = threshold;
    out->cluster_id = cluster;
    out->cluster_size = size;
    if (n)
        out->items = rt_xcalloc(n, sizeof(*out->items));
    for (size_t i = 0; i < n; i++) {
        rt_rec_init(&out->items[i].rec);
        out->items[i].jaccard = js[i];
        out->n++;
        if ((rc = rt_store_rec_get(st, ids[i], &out->items[i].rec, err)) < 0)
            break;
    }
    if (rc < 0)
        rt_repeats_release(out);
    else if (out->n > 1)
        qsort(out->items, out->n, sizeof(*out->items), repeat_cmp);
    return rc;
}
