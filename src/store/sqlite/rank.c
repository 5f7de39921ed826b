/*
 * rt_rank(recommendation_fts): the relevance of a match, the very number FTS5's
 * bm25() gives (the same formula, the same operations in the same order, so the
 * same double), but cheaper when the search's index is at hand.
 *
 * bm25 needs each matching row's length in tokens. FTS5 reads it from its docsize
 * table, one B-tree lookup per match: on the whole UN index a word like "women"
 * matches tens of thousands of rows, and those lookups were most of the time of a
 * ranked search. The search index (facets.c, schema 21) keeps every row's length
 * in an array, a byte each (0 for the few of 256 tokens or more); while a search runs, st->rank_len
 * points at it and the length is read from there. Without it (a write transaction,
 * rt_store_search_ids) the function asks FTS5, as bm25 does.
 */
#include "base/compat.h"

#include <math.h>

#include <roaring/roaring.h>

#include "store/sqlite/sqlite_int.h"

/* What bm25 computes once per query: the IDF of each phrase and the mean length. */
struct rank_query {
    int n_phrase;
    double avgdl;
    double *idf, *freq;
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)arg)++;
    return SQLITE_OK;
}

static void rank_query_free(void *p)
{
    rt_free(p);
}

static int rank_query(const Fts5ExtensionApi *api, Fts5Context *fts, struct rank_query **out)
{
    struct rank_query *p = api->xGetAuxdata(fts, 0);
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = SQLITE_OK, n;

    if (p) {
        *out = p;
        return SQLITE_OK;
    }
    n = api->xPhraseCount(fts);
    p = rt_xcalloc(1, sizeof(*p) + (size_t)(n > 0 ? n : 1) * 2 * sizeof(double));
    p->n_phrase = n;
    p->idf = (double *)(p + 1);
    p->freq = p->idf + (n > 0 ? n : 1);
    if ((rc = api->xRowCount(fts, &rows)) == SQLITE_OK &&
        (rc = api->xColumnTotalSize(fts, -1, &tokens)) == SQLITE_OK)
        p->avgdl = (double)tokens / (double)rows;
    for (int i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_int64 hits = 0;
        if ((rc = api->xQueryPhrase(fts, i, &hits, count_row)) == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0)
                idf = 1e-6;
            p->idf[i] = idf;
        }
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, p, rank_query_free);
    else
        rt_free(p);
    *out = rc == SQLITE_OK ? p : NULL;
    return rc;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
                    sqlite3_value **val)
{
    const double k1 = 1.2, b = 0.75;
    struct rt_store *st = api->xUserData(fts);
    struct rank_query *q = NULL;
    double score = 0.0, dl = 0.0;
    int rc, n_inst = 0;

    (void)n_val;
    (void)val;
    st->rank_calls++;
    if (st->rank_hits)
        roaring_bitmap_add(st->rank_hits, (uint32_t)api->xRowid(fts));
    if ((rc = rank_query(api, fts, &q)) == SQLITE_OK) {
        memset(q->freq, 0, sizeof(double) * (size_t)(q->n_phrase > 0 ? q->n_phrase : 1));
        rc = api->xInstCount(fts, &n_inst);
    }
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, col, off;
        if ((rc = api->xInst(fts, i, &phrase, &col, &off)) == SQLITE_OK)
            q->freq[phrase] += 1.0;
    }
    if (rc == SQLITE_OK) {
        int64_t id = api->xRowid(fts);
        unsigned len = st->rank_len && id >= 0 && (uint64_t)id < st->rank_n ? st->rank_len[id] : 0;
        int tokens = 0;

        if (len) /* a row that matches has tokens: 0 is one the array does not hold */
            dl = (double)len;
        else if ((rc = api->xColumnSize(fts, -1, &tokens)) == SQLITE_OK)
            dl = (double)tokens;
    }
    for (int i = 0; rc == SQLITE_OK && i < q->n_phrase; i++)
        score += q->idf[i] *
                 ((q->freq[i] * (k1 + 1.0)) / (q->freq[i] + k1 * (1 - b + b * dl / q->avgdl)));
    if (rc == SQLITE_OK)
        sqlite3_result_double(ctx, -1.0 * score);
    else
        sqlite3_result_error_code(ctx, rc);
}

int rt__rank_register(struct rt_store *st)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &s, NULL)) != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    rc = sqlite3_finalize(s);
    if (rc != SQLITE_OK || !api)
        return rc ? rc : SQLITE_ERROR;
    return api->xCreateFunction(api, "rt_rank", st, rank_fn, NULL);
}
