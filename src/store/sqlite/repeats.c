/* Repeats: pairs of recommendations with similar word shingles, and their clusters.
 * SQLite's transaction around a computation, its writes of the pairs and clusters (one
 * prepared INSERT a row) and the freshness it keeps per data version; the rest is
 * src/store/repeats.c (repeats_int.h), for every back end. */
#include "base/compat.h"

#include "store/repeats_int.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

int rt__sqlite_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    uint64_t version = 0;
    int rc;

    *out_fresh = 0;
    if ((rc = rt__sqlite_version(st, &version, err)) < 0)
        return rc;
    if (st->repeats_known && st->repeats_version == version) {
        *out_fresh = st->repeats_fresh;
        return 0;
    }
    if ((rc = rt__repeats_fresh_read(st, out_fresh, err)) == 0) {
        st->repeats_known = 1;
        st->repeats_fresh = *out_fresh;
        st->repeats_version = version;
    }
    return rc;
}

static int exec(struct rt_store *st, const char *sql, struct rt_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "repeats");
    return 0;
}

/* Steps s once for each of n rows, set(i) binding row i; then finalizes it. */
static int insert_rows(struct rt_store *st, sqlite3_stmt *s, size_t n,
                       void (*set)(sqlite3_stmt *, const void *, size_t), const void *ctx,
                       const char *what, struct rt_error *err)
{
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0; i++) {
        set(s, ctx, i);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = rt__db_error(st, err, what);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return rc;
}

struct pairs_ctx {
    const struct rt__corpus *c;
    const struct rt_sim_pair *p;
};

static void set_pair(sqlite3_stmt *s, const void *ctx, size_t k)
{
    const struct pairs_ctx *x = ctx;

    sqlite3_bind_int64(s, 1, x->c->id[x->p[k].a]);
    sqlite3_bind_int64(s, 2, x->c->id[x->p[k].b]);
    sqlite3_bind_double(s, 3, x->p[k].jaccard);
}

static void set_member(sqlite3_stmt *s, const void *ctx, size_t i)
{
    const struct rt__repeat_member *m = ctx;

    sqlite3_bind_int64(s, 1, m[i].rec_id);
    sqlite3_bind_int64(s, 2, m[i].cluster_id);
}

/* The pairs and clusters, into the emptied tables (rt__repeats_put_fn). */
static int put(struct rt_store *st, const struct rt__corpus *c, const struct rt_sim_pair *p,
               size_t n_pairs, const struct rt__repeat_member *m, size_t n_m, struct rt_error *err)
{
    struct pairs_ctx x = {c, p};
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "INSERT INTO repeat_pair(a, b, jaccard) VALUES (?1, ?2, ?3)", -1,
                           &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    if ((rc = insert_rows(st, s, n_pairs, set_pair, &x, "repeat pairs", err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO repeat_cluster(rec_id, cluster_id) VALUES (?1, ?2)",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    return insert_rows(st, s, n_m, set_member, m, "repeat clusters", err);
}

int rt__sqlite_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                               struct rt_error *err)
{
    int own = !st->in_tx, rc;

    if (sqlite3_db_readonly(st->db, "main") == 1)
        return rt_error_set(err, RT_ESTORE, st->path, 0, NULL,
                            "the database is open read-only: repeats cannot be stored");
    if (own && (rc = exec(st, "BEGIN IMMEDIATE", err)) < 0)
        return rc;
    if ((rc = rt__repeats_compute_in(st, put, out_pairs, out_clusters, err)) == 0 && own)
        rc = exec(st, "COMMIT", err);
    if (rc < 0 && own)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* A stale store that cannot write computes the repeats in memory. */

int rt__sqlite_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                            struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    return rt__repeat_pairs_read(st, sqlite3_db_readonly(st->db, "main") == 1, threshold,
                                 min_cycle_gap, out, out_n, err);
}

int rt__sqlite_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                          struct rt_error *err)
{
    return rt__repeats_of_read(st, sqlite3_db_readonly(st->db, "main") == 1, id, threshold, out,
                               err);
}
