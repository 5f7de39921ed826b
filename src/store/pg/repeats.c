/*
 * Repeats on PostgreSQL (docs/developer-guide.md §21, "Theme models, categories,
 * areas and repeats"): SQLite's statements of src/store/sqlite/repeats.c in
 * PostgreSQL's words, the rest shared (src/store/repeats.c). The pairs are stored with
 * COPY, their Jaccard written with 17 digits, so both stores hold the same doubles.
 * The stored pairs are recomputed whenever they are stale; a store whose role may not
 * write fails there (SQLite's read-only store computes them in memory instead).
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_int.h"
#include "store/repeats_int.h"
#include "store/sql.h"

static struct rt_pg *conn(struct rt_store *st)
{
    return rt__pg_store_conn(st);
}

static int corpus_load(struct rt_store *st, struct rt__corpus *c, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(conn(st), "pg_rep_corpus",
                              "SELECT id, coalesce(cycle, 0), text FROM recommendation ORDER BY id",
                              0, NULL, err);

    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++)
        rt__corpus_add(c, strtoll(PQgetvalue(r, i, 0), NULL, 10),
                       (int)strtol(PQgetvalue(r, i, 1), NULL, 10), PQgetvalue(r, i, 2),
                       (size_t)PQgetlength(r, i, 2));
    PQclear(r);
    return 0;
}

static int fingerprint(struct rt_store *st, struct rt_buf *out, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(conn(st), "pg_rep_fingerprint",
                    "SELECT count(*), coalesce(max(id), 0) FROM recommendation", 0, NULL, err);

    if (!r)
        return RT_ESTORE;
    rt__repeats_fingerprint(out, strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                            strtoll(PQgetvalue(r, 0, 1), NULL, 10));
    PQclear(r);
    return 0;
}

int rt__pg_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    struct rt_buf want = RT_BUF_INIT;
    PGresult *r;
    int rc;

    *out_fresh = 0;
    if ((rc = fingerprint(st, &want, err)) < 0)
        goto out;
    if (!(r = rt__pg_exec(conn(st), "pg_rep_meta", "SELECT value FROM meta WHERE key = 'repeats'",
                          0, NULL, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    *out_fresh = PQntuples(r) && !strcmp(PQgetvalue(r, 0, 0), want.buf);
    PQclear(r);
out:
    rt_buf_release(&want);
    return rc;
}

static int copy_pairs(struct rt_store *st, const struct rt__corpus *c, const struct rt_sim_pair *p,
                      size_t n_pairs, struct rt_error *err)
{
    static const char *const cols[] = {"a", "b", "jaccard"};
    struct rt_pg_copy *cp;
    char a[24], b[24], j[40];
    const char *v[3] = {a, b, j};
    int rc;

    if ((rc = rt__pg_copy_begin(conn(st), "repeat_pair", cols, 3, &cp, err)) < 0)
        return rc;
    for (size_t k = 0; k < n_pairs; k++) {
        snprintf(a, sizeof(a), "%lld", (long long)c->id[p[k].a]);
        snprintf(b, sizeof(b), "%lld", (long long)c->id[p[k].b]);
        snprintf(j, sizeof(j), "%.17g", p[k].jaccard);
        if ((rc = rt__pg_copy_row(cp, v, NULL, err)) < 0) {
            rt__pg_copy_abort(cp);
            return rc;
        }
    }
    rc = rt__pg_copy_end(cp, NULL, err);
    rt__pg_copy_abort(cp); /* frees the ended copy */
    return rc;
}

/* Only recommendations with a repeat, each with its cluster's smallest id. */
static int copy_clusters(struct rt_store *st, const struct rt__corpus *c,
                         const struct rt_sim_pair *p, size_t n_pairs, int64_t *out_clusters,
                         struct rt_error *err)
{
    static const char *const cols[] = {"rec_id", "cluster_id"};
    size_t *up = rt__repeat_clusters(p, n_pairs, c->n);
    unsigned char *has = rt_xcalloc(c->n ? c->n : 1, 1);
    struct rt_pg_copy *cp = NULL;
    char a[24], b[24];
    const char *v[2] = {a, b};
    int64_t n_clusters = 0;
    int rc;

    for (size_t k = 0; k < n_pairs; k++)
        has[p[k].a] = has[p[k].b] = 1;
    if ((rc = rt__pg_copy_begin(conn(st), "repeat_cluster", cols, 2, &cp, err)) < 0)
        goto out;
    for (size_t i = 0; i < c->n; i++) {
        if (!has[i])
            continue;
        if (up[i] == i)
            n_clusters++;
        snprintf(a, sizeof(a), "%lld", (long long)c->id[i]);
        snprintf(b, sizeof(b), "%lld", (long long)c->id[up[i]]);
        if ((rc = rt__pg_copy_row(cp, v, NULL, err)) < 0) {
            rt__pg_copy_abort(cp);
            goto out;
        }
    }
    if ((rc = rt__pg_copy_end(cp, NULL, err)) == 0 && out_clusters)
        *out_clusters = n_clusters;
    rt__pg_copy_abort(cp); /* frees the ended copy */
out:
    rt_free(has);
    rt_free(up);
    return rc;
}

int rt__pg_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                           struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct rt_sim_pair *p = NULL;
    struct rt_buf fp = RT_BUF_INIT;
    size_t n_pairs = 0;
    const char *v[1];
    PGresult *r;
    int rc;

    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    if ((rc = corpus_load(st, &c, err)) < 0 ||
        (rc = rt__corpus_join(&c, RT_REPEAT_THRESHOLD, &p, &n_pairs, err)) < 0 ||
        (rc = rt__pg_run(conn(st), "DELETE FROM repeat_pair; DELETE FROM repeat_cluster", err)) <
            0 ||
        (rc = copy_pairs(st, &c, p, n_pairs, err)) < 0 ||
        (rc = copy_clusters(st, &c, p, n_pairs, out_clusters, err)) < 0 ||
        (rc = fingerprint(st, &fp, err)) < 0)
        goto out;
    v[0] = fp.buf;
    if (!(r = rt__pg_exec(conn(st), "pg_rep_meta_set",
                          "INSERT INTO meta(key, value) VALUES ('repeats', $1)"
                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          1, v, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    PQclear(r);
    if (out_pairs)
        *out_pairs = (int64_t)n_pairs;
out:
    rc = rt__sql_end(st, rc, err);
    rt_buf_release(&fp);
    rt_free(p);
    rt__corpus_release(&c);
    return rc;
}

/* Makes the stored repeats fresh when they are not. */
static int ensure(struct rt_store *st, struct rt_error *err)
{
    int fresh, rc;

    if ((rc = rt_store_repeats_fresh(st, &fresh, err)) < 0)
        return rc;
    return fresh ? 0 : rt_store_repeats_compute(st, NULL, NULL, err);
}

int rt__pg_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                        struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct rt_repeat_pair *res = NULL;
    char t[40];
    const char *v[1] = {t};
    size_t n = 0, alloc = 0;
    PGresult *r;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0 || (rc = ensure(st, err)) < 0)
        return rc;
    if (threshold < RT_REPEAT_THRESHOLD) {
        if ((rc = corpus_load(st, &c, err)) == 0)
            rc = rt__repeat_pairs_memory(&c, threshold, min_cycle_gap, out, out_n, err);
        rt__corpus_release(&c);
        return rc;
    }
    snprintf(t, sizeof(t), "%.17g", threshold);
    if (!(r = rt__pg_exec(conn(st), "pg_rep_pairs",
                          "SELECT p.a, p.b, p.jaccard, coalesce(ra.cycle, 0),"
                          " coalesce(rb.cycle, 0) FROM repeat_pair p"
                          " JOIN recommendation ra ON ra.id = p.a"
                          " JOIN recommendation rb ON rb.id = p.b"
                          " WHERE p.jaccard >= $1 ORDER BY p.a, p.b",
                          1, v, err)))
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        int ca = (int)strtol(PQgetvalue(r, i, 3), NULL, 10);
        int cb = (int)strtol(PQgetvalue(r, i, 4), NULL, 10);
        if (!rt__repeat_gap_ok(ca, cb, min_cycle_gap))
            continue;
        RT_ALLOC_GROW(res, n + 1, alloc);
        res[n].a = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        res[n].b = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        res[n].jaccard = strtod(PQgetvalue(r, i, 2), NULL);
        res[n].cycle_a = ca;
        res[n].cycle_b = cb;
        n++;
    }
    PQclear(r);
    *out = res;
    *out_n = n;
    return 0;
}

int rt__pg_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                      struct rt_error *err)
{
    struct rt__corpus c = {0};
    int64_t *ids = NULL, cluster = id, size = 1;
    double *js = NULL;
    size_t n = 0;
    char sid[24], t[40];
    const char *v[2] = {sid, t};
    PGresult *r;
    int rc, cycle;

    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0)
        return rc;
    snprintf(sid, sizeof(sid), "%lld", (long long)id);
    snprintf(t, sizeof(t), "%.17g", threshold);
    if (!(r = rt__pg_exec(conn(st), "pg_rep_cycle",
                          "SELECT coalesce(cycle, 0) FROM recommendation WHERE id = $1", 1, v,
                          err)))
        return RT_ESTORE;
    if (!PQntuples(r)) {
        PQclear(r);
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                            (long long)id);
    }
    cycle = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if ((rc = ensure(st, err)) < 0)
        return rc;
    if (!(r = rt__pg_exec(conn(st), "pg_rep_cluster",
                          "SELECT cluster_id, (SELECT count(*) FROM repeat_cluster k"
                          " WHERE k.cluster_id = c.cluster_id) FROM repeat_cluster c"
                          " WHERE c.rec_id = $1",
                          1, v, err)))
        return RT_ESTORE;
    if (PQntuples(r)) {
        cluster = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        size = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    }
    PQclear(r);
    if (threshold >= RT_REPEAT_THRESHOLD) {
        size_t alloc = 0, alloc2 = 0;
        if (!(r = rt__pg_exec(conn(st), "pg_rep_of",
                              "SELECT b, jaccard FROM repeat_pair WHERE a = $1 AND jaccard >= $2"
                              " UNION ALL SELECT a, jaccard FROM repeat_pair"
                              " WHERE b = $1 AND jaccard >= $2",
                              2, v, err)))
            return RT_ESTORE;
        for (int i = 0; i < PQntuples(r); i++) {
            RT_ALLOC_GROW(ids, n + 1, alloc);
            RT_ALLOC_GROW(js, n + 1, alloc2);
            ids[n] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            js[n] = strtod(PQgetvalue(r, i, 1), NULL);
            n++;
        }
        PQclear(r);
    } else if ((rc = corpus_load(st, &c, err)) < 0 ||
               (rc = rt__repeats_memory(&c, id, threshold, 0, &ids, &js, &n, &cluster, &size,
                                        err)) < 0) {
        goto out;
    }
    rc = rt__repeats_fill(st, id, cycle, threshold, cluster, size, ids, js, n, out, err);
out:
    rt_free(ids);
    rt_free(js);
    rt__corpus_release(&c);
    return rc;
}
