/*
 * Repeats on PostgreSQL (rt_store_repeats_fresh, rt_store_repeats_compute): the same
 * pairs as SQLite's store computes (src/store/sqlite/repeats.c), from the same shingles
 * and join, with the same clusters and fingerprint (src/store/repeats.c), so the reports
 * say the same on both stores. The pairs and clusters go in by COPY; each jaccard as
 * %.17g, which PostgreSQL reads back as the same double.
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include <rightstrack/text.h>

#include "store/pg/pg_int.h"
#include "store/repeats_int.h"
#include "store/sql.h"

/* The fingerprint of the data now into want, and whether meta holds it (*fresh). */
static int fingerprint(struct rt_pg *pg, struct rt_buf *want, int *fresh, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(pg, "pg_repeats_fp",
                              "SELECT count(*), coalesce(max(id), 0),"
                              " (SELECT value FROM meta WHERE key = 'repeats') FROM recommendation",
                              0, NULL, err);

    if (!r)
        return RT_ESTORE;
    rt__repeats_fingerprint(want, strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                            strtoll(PQgetvalue(r, 0, 1), NULL, 10));
    *fresh = !PQgetisnull(r, 0, 2) && !strcmp(PQgetvalue(r, 0, 2), want->buf);
    PQclear(r);
    return 0;
}

int rt__pg_repeats_fresh(struct rt_pg *pg, int *out_fresh, struct rt_error *err)
{
    struct rt_buf want = RT_BUF_INIT;
    int rc = fingerprint(pg, &want, out_fresh, err);

    rt_buf_release(&want);
    return rc;
}

/* Computes and stores the pairs and clusters, in the caller's transaction. */
static int compute(struct rt_pg *pg, int64_t *out_pairs, int64_t *out_clusters,
                   struct rt_error *err)
{
    static const char *const pair_cols[] = {"a", "b", "jaccard"};
    static const char *const cluster_cols[] = {"rec_id", "cluster_id"};
    struct rt_buf fp = RT_BUF_INIT;
    PGresult *r;
    size_t n, n_pairs = 0, *up = NULL;
    uint64_t **sets = NULL;
    size_t *lens = NULL;
    struct rt_sim_pair *p = NULL;
    struct rt_pg_copy *c = NULL;
    unsigned char *has = NULL;
    int64_t n_clusters = 0;
    int fresh, rc = 0;

    if (!(r = rt__pg_exec(pg, "pg_repeats_corpus",
                          "SELECT id, coalesce(cycle, 0), text FROM recommendation ORDER BY id", 0,
                          NULL, err)))
        return RT_ESTORE;
    n = (size_t)PQntuples(r);
    RT_ALLOC_ARRAY(sets, n ? n : 1);
    RT_ALLOC_ARRAY(lens, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        rt_text_shingles(PQgetvalue(r, (int)i, 2), (size_t)PQgetlength(r, (int)i, 2), &sets[i],
                         &lens[i]);
    if (rt_shingle_join((const uint64_t *const *)sets, lens, n, RT_REPEAT_THRESHOLD, &p, &n_pairs) <
        0) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "too many recommendations to compare");
        goto out;
    }
    if ((rc = rt__pg_run(pg, "DELETE FROM repeat_pair; DELETE FROM repeat_cluster", err)) < 0 ||
        (rc = rt__pg_copy_begin(pg, "repeat_pair", pair_cols, 3, &c, err)) < 0)
        goto out;
    for (size_t k = 0; k < n_pairs && rc == 0; k++) {
        char jac[32];
        const char *v[3] = {PQgetvalue(r, (int)p[k].a, 0), PQgetvalue(r, (int)p[k].b, 0), jac};
        snprintf(jac, sizeof(jac), "%.17g", p[k].jaccard);
        rc = rt__pg_copy_row(c, v, NULL, err);
    }
    if (rc < 0 || (rc = rt__pg_copy_end(c, NULL, err)) < 0)
        goto out;
    rt__pg_copy_abort(c);
    c = NULL;
    /* Only recommendations with a repeat, as SQLite's store keeps them. */
    up = rt__repeat_clusters(p, n_pairs, n);
    has = rt_xcalloc(n ? n : 1, 1);
    for (size_t k = 0; k < n_pairs; k++)
        has[p[k].a] = has[p[k].b] = 1;
    if ((rc = rt__pg_copy_begin(pg, "repeat_cluster", cluster_cols, 2, &c, err)) < 0)
        goto out;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *v[2] = {PQgetvalue(r, (int)i, 0), PQgetvalue(r, (int)up[i], 0)};
        if (!has[i])
            continue;
        if (up[i] == i)
            n_clusters++;
        rc = rt__pg_copy_row(c, v, NULL, err);
    }
    if (rc < 0 || (rc = rt__pg_copy_end(c, NULL, err)) < 0)
        goto out;
    rt__pg_copy_abort(c);
    c = NULL;
    if ((rc = fingerprint(pg, &fp, &fresh, err)) < 0)
        goto out;
    {
        const char *v[1] = {fp.buf};
        PGresult *w = rt__pg_exec(pg, "pg_repeats_meta",
                                  "INSERT INTO meta(key, value) VALUES ('repeats', $1)"
                                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  1, v, err);
        rc = w ? 0 : RT_ESTORE;
        PQclear(w);
    }
    if (rc == 0 && out_pairs)
        *out_pairs = (int64_t)n_pairs;
    if (rc == 0 && out_clusters)
        *out_clusters = n_clusters;
out:
    rt__pg_copy_abort(c);
    for (size_t i = 0; i < n; i++)
        rt_free(sets[i]);
    rt_free(sets);
    rt_free(lens);
    rt_free(p);
    rt_free(up);
    rt_free(has);
    rt_buf_release(&fp);
    PQclear(r);
    return rc;
}

int rt__pg_repeats_compute(struct rt_pg *pg, int in_tx, int64_t *out_pairs, int64_t *out_clusters,
                           struct rt_error *err)
{
    int rc;

    if (in_tx)
        return compute(pg, out_pairs, out_clusters, err);
    if ((rc = rt__pg_begin(pg, "SERIALIZABLE", err)) < 0)
        return rc;
    if ((rc = compute(pg, out_pairs, out_clusters, err)) < 0) {
        rt__pg_end(pg, 0, NULL);
        return rc;
    }
    return rt__pg_end(pg, 1, err);
}

/* The reads of similar (repeat_pairs, repeats_of), SQLite's statements. */

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
