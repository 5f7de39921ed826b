/* Repeats: pairs of recommendations with similar word shingles, and their clusters.
 * SQLite's reads and writes; the rest is src/store/repeats.c (repeats_int.h). */
#include "base/compat.h"

#include <rightstrack/text.h>

#include "store/repeats_int.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

static int corpus_load(struct rt_store *st, struct rt__corpus *c, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, coalesce(cycle, 0), text FROM recommendation ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        rt__corpus_add(c, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1),
                       (const char *)sqlite3_column_text(s, 2), (size_t)sqlite3_column_bytes(s, 2));
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "recommendations");
    sqlite3_finalize(s);
    if (rc < 0)
        rt__corpus_release(c);
    return rc;
}

/* What the stored pairs must have been computed from to be fresh. */
static int fingerprint(struct rt_store *st, struct rt_buf *out, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db, "SELECT count(*), coalesce(max(id), 0) FROM recommendation", -1,
                           &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    if (sqlite3_step(s) == SQLITE_ROW)
        rt__repeats_fingerprint(out, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    else
        rc = rt__db_error(st, err, "recommendations");
    sqlite3_finalize(s);
    return rc;
}

int rt__sqlite_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    struct rt_buf want = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    uint64_t version = 0;
    int rc;

    *out_fresh = 0;
    if ((rc = rt__sqlite_version(st, &version, err)) < 0)
        return rc;
    if (st->repeats_known && st->repeats_version == version) {
        *out_fresh = st->repeats_fresh;
        return 0;
    }
    if ((rc = fingerprint(st, &want, err)) < 0)
        goto out;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'repeats'", -1, &s, NULL) !=
        SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        *out_fresh = !strcmp((const char *)sqlite3_column_text(s, 0), want.buf);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "meta");
    if (rc == 0) {
        st->repeats_known = 1;
        st->repeats_fresh = *out_fresh;
        st->repeats_version = version;
    }
out:
    sqlite3_finalize(s);
    rt_buf_release(&want);
    return rc;
}

static int exec(struct rt_store *st, const char *sql, struct rt_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "repeats");
    return 0;
}

/* Replaces the stored pairs and clusters (inside a transaction). */
static int store(struct rt_store *st, const struct rt__corpus *c, const struct rt_sim_pair *p,
                 size_t n_pairs, int64_t *out_clusters, struct rt_error *err)
{
    struct rt_buf fp = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    size_t *up = NULL;
    int64_t n_clusters = 0;
    int rc;

    if ((rc = exec(st, "DELETE FROM repeat_pair; DELETE FROM repeat_cluster", err)) < 0)
        goto out;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO repeat_pair(a, b, jaccard) VALUES (?1, ?2, ?3)", -1,
                           &s, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    for (size_t k = 0; k < n_pairs; k++) {
        sqlite3_bind_int64(s, 1, c->id[p[k].a]);
        sqlite3_bind_int64(s, 2, c->id[p[k].b]);
        sqlite3_bind_double(s, 3, p[k].jaccard);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = rt__db_error(st, err, "repeat pairs");
            goto out;
        }
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    s = NULL;
    up = rt__repeat_clusters(p, n_pairs, c->n);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO repeat_cluster(rec_id, cluster_id) VALUES (?1, ?2)",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    /* Only recommendations with a repeat: a root that is its own root and has no
     * pair stays out. Mark the roots that have members. */
    {
        unsigned char *has = rt_xcalloc(c->n ? c->n : 1, 1);
        for (size_t k = 0; k < n_pairs; k++)
            has[p[k].a] = has[p[k].b] = 1;
        for (size_t i = 0; i < c->n && rc == 0; i++) {
            if (!has[i])
                continue;
            if (up[i] == i)
                n_clusters++;
            sqlite3_bind_int64(s, 1, c->id[i]);
            sqlite3_bind_int64(s, 2, c->id[up[i]]);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = rt__db_error(st, err, "repeat clusters");
            sqlite3_reset(s);
        }
        rt_free(has);
        if (rc < 0)
            goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = fingerprint(st, &fp, err)) < 0)
        goto out;
    if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('repeats', ?1)",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    sqlite3_bind_text(s, 1, fp.buf, (int)fp.len, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = rt__db_error(st, err, "meta");
        goto out;
    }
    if (out_clusters)
        *out_clusters = n_clusters;
out:
    sqlite3_finalize(s);
    rt_free(up);
    rt_buf_release(&fp);
    return rc;
}

int rt__sqlite_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                               struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct rt_sim_pair *p = NULL;
    size_t n_pairs = 0;
    int own = !st->in_tx, rc;

    if (sqlite3_db_readonly(st->db, "main") == 1)
        return rt_error_set(err, RT_ESTORE, st->path, 0, NULL,
                            "the database is open read-only: repeats cannot be stored");
    if (own && (rc = exec(st, "BEGIN IMMEDIATE", err)) < 0)
        return rc;
    if ((rc = corpus_load(st, &c, err)) < 0 ||
        (rc = rt__corpus_join(&c, RT_REPEAT_THRESHOLD, &p, &n_pairs, err)) < 0 ||
        (rc = store(st, &c, p, n_pairs, out_clusters, err)) < 0)
        goto out;
    if (own && (rc = exec(st, "COMMIT", err)) < 0)
        goto out;
    if (out_pairs)
        *out_pairs = (int64_t)n_pairs;
out:
    if (rc < 0 && own)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    rt_free(p);
    rt__corpus_release(&c);
    return rc;
}

/*
 * Makes the stored repeats fresh when they are not: recomputes and stores them,
 * unless the store is read-only. Sets *stored to 1 when fresh pairs are stored.
 */
static int ensure(struct rt_store *st, int *stored, struct rt_error *err)
{
    int fresh, rc;

    *stored = 0;
    if ((rc = rt_store_repeats_fresh(st, &fresh, err)) < 0)
        return rc;
    if (!fresh && sqlite3_db_readonly(st->db, "main") == 1)
        return 0;
    if (!fresh && (rc = rt_store_repeats_compute(st, NULL, NULL, err)) < 0)
        return rc;
    *stored = 1;
    return 0;
}

int rt__sqlite_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                            struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    struct rt__corpus c = {0};
    struct rt_repeat_pair *res = NULL;
    sqlite3_stmt *s = NULL;
    size_t n = 0, alloc = 0;
    int stored, rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0 ||
        (rc = ensure(st, &stored, err)) < 0)
        return rc;
    if (!(stored && threshold >= RT_REPEAT_THRESHOLD)) {
        if ((rc = corpus_load(st, &c, err)) == 0)
            rc = rt__repeat_pairs_memory(&c, threshold, min_cycle_gap, out, out_n, err);
        rt__corpus_release(&c);
        return rc;
    }
    if (sqlite3_prepare_v2(st->db,
                           "SELECT p.a, p.b, p.jaccard, coalesce(ra.cycle, 0),"
                           " coalesce(rb.cycle, 0) FROM repeat_pair p"
                           " JOIN recommendation ra ON ra.id = p.a"
                           " JOIN recommendation rb ON rb.id = p.b"
                           " WHERE p.jaccard >= ?1 ORDER BY p.a, p.b",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_double(s, 1, threshold);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int ca = sqlite3_column_int(s, 3), cb = sqlite3_column_int(s, 4);
        if (!rt__repeat_gap_ok(ca, cb, min_cycle_gap))
            continue;
        RT_ALLOC_GROW(res, n + 1, alloc);
        res[n].a = sqlite3_column_int64(s, 0);
        res[n].b = sqlite3_column_int64(s, 1);
        res[n].jaccard = sqlite3_column_double(s, 2);
        res[n].cycle_a = ca;
        res[n].cycle_b = cb;
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "repeat pairs");
        rt_free(res);
    } else {
        rc = 0;
        *out = res;
        *out_n = n;
    }
    sqlite3_finalize(s);
    return rc;
}

int rt__sqlite_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                          struct rt_error *err)
{
    struct rt__corpus c = {0};
    sqlite3_stmt *s = NULL;
    int64_t *ids = NULL, cluster = id, size = 1;
    double *js = NULL;
    size_t n = 0;
    int stored, rc, cycle = 0;

    if ((rc = rt__repeat_threshold_check(threshold, err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(cycle, 0) FROM recommendation WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        cycle = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL,
                                                "no recommendation with id %lld", (long long)id)
                                 : rt__db_error(st, err, "recommendation");
    if ((rc = ensure(st, &stored, err)) < 0)
        return rc;
    if (stored) {
        if (sqlite3_prepare_v2(st->db,
                               "SELECT cluster_id, (SELECT count(*) FROM repeat_cluster k"
                               " WHERE k.cluster_id = c.cluster_id) FROM repeat_cluster c"
                               " WHERE c.rec_id = ?1",
                               -1, &s, NULL) != SQLITE_OK) {
            rc = rt__db_error(st, err, "prepare");
            goto out;
        }
        sqlite3_bind_int64(s, 1, id);
        if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            cluster = sqlite3_column_int64(s, 0);
            size = sqlite3_column_int64(s, 1);
        } else if (rc != SQLITE_DONE) {
            rc = rt__db_error(st, err, "repeat clusters");
            goto out;
        }
        sqlite3_finalize(s);
        s = NULL;
    }
    if (stored && threshold >= RT_REPEAT_THRESHOLD) {
        size_t alloc = 0, alloc2 = 0;
        if (sqlite3_prepare_v2(st->db,
                               "SELECT b, jaccard FROM repeat_pair WHERE a = ?1 AND jaccard >= ?2"
                               " UNION ALL SELECT a, jaccard FROM repeat_pair"
                               " WHERE b = ?1 AND jaccard >= ?2",
                               -1, &s, NULL) != SQLITE_OK) {
            rc = rt__db_error(st, err, "prepare");
            goto out;
        }
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_double(s, 2, threshold);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            RT_ALLOC_GROW(ids, n + 1, alloc);
            RT_ALLOC_GROW(js, n + 1, alloc2);
            ids[n] = sqlite3_column_int64(s, 0);
            js[n] = sqlite3_column_double(s, 1);
            n++;
        }
        if (rc != SQLITE_DONE) {
            rc = rt__db_error(st, err, "repeat pairs");
            goto out;
        }
    } else {
        /* read-only and stale: the cluster from pairs computed here */
        if ((rc = corpus_load(st, &c, err)) < 0 ||
            (rc = rt__repeats_memory(&c, id, threshold, !stored, &ids, &js, &n, &cluster, &size,
                                     err)) < 0)
            goto out;
    }
    rc = rt__repeats_fill(st, id, cycle, threshold, cluster, size, ids, js, n, out, err);
out:
    sqlite3_finalize(s);
    rt_free(ids);
    rt_free(js);
    rt__corpus_release(&c);
    return rc;
}
