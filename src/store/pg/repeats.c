/*
 * Repeats on PostgreSQL: the pairs and clusters written by COPY (rt__repeats_put_fn),
 * each jaccard as %.17g, which PostgreSQL reads back as the same double. The corpus,
 * the join, the clusters, the fingerprint and the reads of similar are
 * src/store/repeats.c's, the same as SQLite's store runs, so the reports say the same
 * on both stores.
 */
#include "base/compat.h"

#include <stdio.h>

#include "store/pg/pg_int.h"
#include "store/repeats_int.h"

/* Ends a copy: its rows sent (or, when rc < 0, dropped). */
static int copy_done(struct rt_pg_copy *c, int rc, struct rt_error *err)
{
    if (rc == 0)
        rc = rt__pg_copy_end(c, NULL, err);
    rt__pg_copy_abort(c);
    return rc;
}

int rt__pg_repeats_put(struct rt_store *st, const struct rt__corpus *c, const struct rt_sim_pair *p,
                       size_t n_pairs, const struct rt__repeat_member *m, size_t n_m,
                       struct rt_error *err)
{
    static const char *const pair_cols[] = {"a", "b", "jaccard"};
    static const char *const cluster_cols[] = {"rec_id", "cluster_id"};
    struct rt_pg *pg = rt__pg_store_conn(st);
    struct rt_pg_copy *cp = NULL;
    int rc;

    if ((rc = rt__pg_copy_begin(pg, "repeat_pair", pair_cols, 3, &cp, err)) < 0)
        return rc;
    for (size_t k = 0; k < n_pairs && rc == 0; k++) {
        char a[24], b[24], jac[32];
        const char *v[3] = {a, b, jac};
        snprintf(a, sizeof(a), "%lld", (long long)c->id[p[k].a]);
        snprintf(b, sizeof(b), "%lld", (long long)c->id[p[k].b]);
        snprintf(jac, sizeof(jac), "%.17g", p[k].jaccard);
        rc = rt__pg_copy_row(cp, v, NULL, err);
    }
    if ((rc = copy_done(cp, rc, err)) < 0 ||
        (rc = rt__pg_copy_begin(pg, "repeat_cluster", cluster_cols, 2, &cp, err)) < 0)
        return rc;
    for (size_t i = 0; i < n_m && rc == 0; i++) {
        char r[24], k[24];
        const char *v[2] = {r, k};
        snprintf(r, sizeof(r), "%lld", (long long)m[i].rec_id);
        snprintf(k, sizeof(k), "%lld", (long long)m[i].cluster_id);
        rc = rt__pg_copy_row(cp, v, NULL, err);
    }
    return copy_done(cp, rc, err);
}
