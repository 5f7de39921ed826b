/* Repeats written once for every back end (repeats_int.h): what does not need the
 * database, and the SQL both dialects accept. */
#include "base/compat.h"

#include <string.h>

#include "store/repeats_int.h"
#include "store/sql.h"

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

static int corpus_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    const char *text = rt__sql_text(row, 2);

    (void)err;
    rt__corpus_add(ctx, rt__sql_int(row, 0), (int)rt__sql_int(row, 1), text ? text : "",
                   text ? strlen(text) : 0);
    return 0;
}

int rt__corpus_load(struct rt_store *st, struct rt__corpus *c, struct rt_error *err)
{
    int rc =
        rt__sql_rows(st, err, corpus_row, c,
                     "SELECT id, coalesce(cycle, 0), text FROM recommendation ORDER BY id", "");

    if (rc < 0)
        rt__corpus_release(c);
    return rc;
}

struct fingerprint {
    struct rt_buf *want;
    int fresh;
};

static int fingerprint_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct fingerprint *f = ctx;
    const char *have = rt__sql_text(row, 2);

    (void)err;
    rt__repeats_fingerprint(f->want, rt__sql_int(row, 0), rt__sql_int(row, 1));
    f->fresh = have && !strcmp(have, f->want->buf);
    return 0;
}

/* The fingerprint of the data now into want, and whether meta holds it (*fresh). */
static int fingerprint(struct rt_store *st, struct rt_buf *want, int *fresh, struct rt_error *err)
{
    struct fingerprint f = {want, 0};
    int rc = rt__sql_rows(st, err, fingerprint_row, &f,
                          "SELECT count(*), coalesce(max(id), 0),"
                          " (SELECT value FROM meta WHERE key = 'repeats') FROM recommendation",
                          "");

    *fresh = f.fresh;
    return rc;
}

int rt__repeats_fresh_read(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    struct rt_buf want = RT_BUF_INIT;
    int rc = fingerprint(st, &want, out_fresh, err);

    rt_buf_release(&want);
    return rc;
}

int rt__repeats_compute_in(struct rt_store *st, rt__repeats_put_fn put, int64_t *out_pairs,
                           int64_t *out_clusters, struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct rt_sim_pair *p = NULL;
    struct rt__repeat_member *m = NULL;
    struct rt_buf fp = RT_BUF_INIT;
    unsigned char *has = NULL;
    size_t n_pairs = 0, n_m = 0, *up = NULL;
    int64_t n_clusters = 0;
    int fresh, rc;

    if ((rc = rt__corpus_load(st, &c, err)) < 0 ||
        (rc = rt__corpus_join(&c, RT_REPEAT_THRESHOLD, &p, &n_pairs, err)) < 0)
        goto out;
    /* Only recommendations with a repeat: a root that is its own root and has no
     * pair stays out. */
    up = rt__repeat_clusters(p, n_pairs, c.n);
    has = rt_xcalloc(c.n ? c.n : 1, 1);
    for (size_t k = 0; k < n_pairs; k++)
        has[p[k].a] = has[p[k].b] = 1;
    RT_ALLOC_ARRAY(m, c.n ? c.n : 1);
    for (size_t i = 0; i < c.n; i++) {
        if (!has[i])
            continue;
        if (up[i] == i)
            n_clusters++;
        m[n_m].rec_id = c.id[i];
        m[n_m].cluster_id = c.id[up[i]];
        n_m++;
    }
    if ((rc = rt__sql_exec(st, err, NULL, "DELETE FROM repeat_pair", "")) < 0 ||
        (rc = rt__sql_exec(st, err, NULL, "DELETE FROM repeat_cluster", "")) < 0 ||
        (rc = put(st, &c, p, n_pairs, m, n_m, err)) < 0 ||
        (rc = fingerprint(st, &fp, &fresh, err)) < 0 ||
        (rc = rt__sql_exec(st, err, NULL,
                           "INSERT INTO meta(key, value) VALUES ('repeats', ?1)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           "t", fp.buf)) < 0)
        goto out;
    if (out_pairs)
        *out_pairs = (int64_t)n_pairs;
    if (out_clusters)
        *out_clusters = n_clusters;
out:
    rt_buf_release(&fp);
    rt_free(m);
    rt_free(has);
    rt_free(up);
    rt_free(p);
    rt__corpus_release(&c);
    return rc;
}

/*
 * Makes the stored repeats fresh when they are not: recomputes and stores them,
 * unless the store is read-only. Sets *stored to 1 when fresh pairs are stored.
 */
static int ensure(struct rt_store *st, int readonly, int *stored, struct rt_error *err)
{
    int fresh, rc;

    *stored = 0;
    if ((rc = rt_store_repeats_fresh(st, &fresh, err)) < 0)
        return rc;
    if (!fresh && readonly)
        return 0;
    if (!fresh && (rc = rt_store_repeats_compute(st, NULL, NULL, err)) < 0)
        return rc;
    *stored = 1;
    return 0;
}

struct pairs {
    int gap;
    struct rt_repeat_pair *res;
    size_t n, alloc;
};

static int pair_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct pairs *q = ctx;
    int ca = (int)rt__sql_int(row, 3), cb = (int)rt__sql_int(row, 4);

    (void)err;
    if (!rt__repeat_gap_ok(ca, cb, q->gap))
        return 0;
    RT_ALLOC_GROW(q->res, q->n + 1, q->alloc);
    q->res[q->n].a = rt__sql_int(row, 0);
    q->res[q->n].b = rt__sql_int(row, 1);
    q->res[q->n].jaccard = rt__sql_double(row, 2);
    q->res[q->n].cycle_a = ca;
    q->res[q->n].cycle_b = cb;
    q->n++;
    return 0;
}

int rt__repeat_pairs_read(struct rt_store *st, int readonly, double threshold, int min_cycle_gap,
                          struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct pairs q = {min_cycle_gap, NULL, 0, 0};
    int stored, rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0 ||
        (rc = ensure(st, readonly, &stored, err)) < 0)
        return rc;
    if (!(stored && threshold >= RT_REPEAT_THRESHOLD)) {
        if ((rc = rt__corpus_load(st, &c, err)) == 0)
            rc = rt__repeat_pairs_memory(&c, threshold, min_cycle_gap, out, out_n, err);
        rt__corpus_release(&c);
        return rc;
    }
    if ((rc = rt__sql_rows(st, err, pair_row, &q,
                           "SELECT p.a, p.b, p.jaccard, coalesce(ra.cycle, 0),"
                           " coalesce(rb.cycle, 0) FROM repeat_pair p"
                           " JOIN recommendation ra ON ra.id = p.a"
                           " JOIN recommendation rb ON rb.id = p.b"
                           " WHERE p.jaccard >= ?1 ORDER BY p.a, p.b",
                           "d", threshold)) < 0) {
        rt_free(q.res);
        return rc;
    }
    *out = q.res;
    *out_n = q.n;
    return 0;
}

struct near {
    int64_t *ids;
    double *js;
    size_t n, alloc, alloc2;
};

static int near_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct near *q = ctx;

    (void)err;
    RT_ALLOC_GROW(q->ids, q->n + 1, q->alloc);
    RT_ALLOC_GROW(q->js, q->n + 1, q->alloc2);
    q->ids[q->n] = rt__sql_int(row, 0);
    q->js[q->n] = rt__sql_double(row, 1);
    q->n++;
    return 0;
}

static int cluster_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    int64_t *v = ctx;

    (void)err;
    v[0] = rt__sql_int(row, 0);
    v[1] = rt__sql_int(row, 1);
    return 1;
}

int rt__repeats_of_read(struct rt_store *st, int readonly, int64_t id, double threshold,
                        struct rt_repeats *out, struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct near q = {0};
    int64_t cycle = 0, cl[2] = {id, 1};
    int stored, rc;

    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0)
        return rc;
    rc = rt__sql_scalar(st, err, &cycle, NULL,
                        "SELECT coalesce(cycle, 0) FROM recommendation WHERE id = ?1", "i", id);
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                            (long long)id);
    if (rc < 0 || (rc = ensure(st, readonly, &stored, err)) < 0)
        return rc;
    if (stored && (rc = rt__sql_rows(st, err, cluster_row, cl,
                                     "SELECT cluster_id, (SELECT count(*) FROM repeat_cluster k"
                                     " WHERE k.cluster_id = c.cluster_id) FROM repeat_cluster c"
                                     " WHERE c.rec_id = ?1",
                                     "i", id)) < 0)
        goto out;
    if (stored && threshold >= RT_REPEAT_THRESHOLD)
        rc = rt__sql_rows(st, err, near_row, &q,
                          "SELECT b, jaccard FROM repeat_pair WHERE a = ?1 AND jaccard >= ?2"
                          " UNION ALL SELECT a, jaccard FROM repeat_pair"
                          " WHERE b = ?1 AND jaccard >= ?2",
                          "id", id, threshold);
    else if ((rc = rt__corpus_load(st, &c, err)) == 0) /* stale: the cluster computed here */
        rc = rt__repeats_memory(&c, id, threshold, !stored, &q.ids, &q.js, &q.n, &cl[0], &cl[1],
                                err);
    if (rc == 0)
        rc = rt__repeats_fill(st, id, (int)cycle, threshold, cl[0], cl[1], q.ids, q.js, q.n, out,
                              err);
out:
    rt_free(q.ids);
    rt_free(q.js);
    rt__corpus_release(&c);
    return rc;
}
