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

#include "store/sqlite/facets.h"
#include "store/bm25.h"
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

/* bm25's IDF of a phrase that rows of the index's hits match. */
static double idf_of(sqlite3_int64 rows, sqlite3_int64 hits)
{
    return rt__bm25_idf((double)rows, (double)hits);
}

/*
 * The text of phrase i of a query of n, from st->match_phrases, into *key and *len;
 * 0 when the phrases cannot be told apart by text (struct rt_store), or the
 * cache's data is not known to be of the data read.
 */
static int phrase_key(struct rt_store *st, int n, int i, const char **key, size_t *len)
{
    const char *p = st->match_phrases.buf;

    if (!st->search_version_known || !st->match_phrases.len || (size_t)n != st->match_n)
        return 0;
    for (int k = 0; k < i; k++)
        p += strlen(p) + 1;
    *key = p;
    *len = strlen(p);
    if (st->phrase_rows_version != st->search_version || st->phrase_rows.n > 65536) {
        rt__strmap_release(&st->phrase_rows);
        st->phrase_rows_version = st->search_version;
    }
    return 1;
}

/* How many rows of the index phrase i of the query matches (st->phrase_rows). */
static int phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, struct rt_store *st, int n,
                       int i, sqlite3_int64 *hits)
{
    const char *key;
    size_t len;
    int64_t v, rows;
    int known = phrase_key(st, n, i, &key, &len), rc;

    if (known && rt__strmap_get(&st->phrase_rows, key, len, &v)) {
        *hits = v;
        return SQLITE_OK;
    }
    /* A word with postings: its count of rows is stored with them (postings.c). */
    if (known && rt__facets_postings(st->facets, &v, &rows) &&
        rt__postings_rows(st, key, len, &v)) {
        *hits = v;
        rt__strmap_put(&st->phrase_rows, key, len, v);
        return SQLITE_OK;
    }
    *hits = 0;
    if ((rc = api->xQueryPhrase(fts, i, hits, count_row)) == SQLITE_OK && known)
        rt__strmap_put(&st->phrase_rows, key, len, *hits);
    return rc;
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
        if ((rc = phrase_rows(api, fts, api->xUserData(fts), n, i, &hits)) == SQLITE_OK)
            p->idf[i] = idf_of(rows, hits);
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, p, rank_query_free);
    else
        rt_free(p);
    *out = rc == SQLITE_OK ? p : NULL;
    return rc;
}

/* bm25 of a row of length dl with freq[i] hits of phrase i, as FTS5 computes it. */
static double score_of(const double *idf, const double *freq, int n_phrase, double dl, double avgdl)
{
    double score = 0.0;

    for (int i = 0; i < n_phrase; i++)
        score += rt__bm25_part(idf[i], freq[i], dl, avgdl);
    return -1.0 * score;
}

/* The row's length: from the search index, else from FTS5. */
static int row_length(const Fts5ExtensionApi *api, Fts5Context *fts, const struct rt_store *st,
                      int64_t id, double *dl)
{
    unsigned len = st->rank_len && id >= 0 && (uint64_t)id < st->rank_n ? st->rank_len[id] : 0;
    int tokens = 0, rc = SQLITE_OK;

    if (len) /* a row that matches has tokens: 0 is one the array does not hold */
        *dl = (double)len;
    else if ((rc = api->xColumnSize(fts, -1, &tokens)) == SQLITE_OK)
        *dl = (double)tokens;
    return rc;
}

/* Notes the row fts is at, when in pass (struct rt__rank_collect). */
static int note_row(const Fts5ExtensionApi *api, Fts5Context *fts, const struct rt_store *st,
                    struct rt__rank_collect *c)
{
    int64_t id = api->xRowid(fts);
    int rc = SQLITE_OK;
    size_t at;

    c->matched++;
    if (c->filtered && !(id >= 0 && (size_t)id / 64 < c->pass_words &&
                         (c->pass[(size_t)id / 64] >> (id % 64) & 1)))
        return SQLITE_OK;
    if (c->n == c->alloc) {
        c->alloc = c->alloc < 64 ? 64 : c->alloc * 2;
        RT_REALLOC_ARRAY(c->ids, c->alloc);
        RT_REALLOC_ARRAY(c->dl, c->alloc);
        c->freq = rt_xrealloc(c->freq, rt_st_mult(rt_st_mult(sizeof(*c->freq), c->alloc),
                                                  (size_t)(c->n_phrase > 0 ? c->n_phrase : 1)));
    }
    at = c->n;
    if ((rc = row_length(api, fts, st, id, &c->dl[at])) != SQLITE_OK)
        return rc;
    /* Each phrase's hits in the row, read from its list of positions: the instances
     * xInst gives, without building the array of them. */
    for (int i = 0; i < c->n_phrase; i++) {
        Fts5PhraseIter it;
        int col = -1, off = 0;
        uint32_t n = 0;
        if ((rc = api->xPhraseFirst(fts, i, &it, &col, &off)) != SQLITE_OK)
            return rc;
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
            if (c->grid && i == 0)
                rt__grid_note(c->grid, id, col, off);
            n++;
        }
        c->freq[at * (size_t)c->n_phrase + (size_t)i] = n;
    }
    c->ids[at] = id;
    c->n++;
    return SQLITE_OK;
}

struct sweep {
    const struct rt_store *st;
    struct rt__rank_collect *c;
};

/* xQueryPhrase's callback of a sweep: each match of the phrase, in the phrase's own
 * query (its phrase 0). */
static int sweep_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
    struct sweep *w = arg;
    return note_row(api, fts, w->st, w->c);
}

/* rt_rank with st->rank_collect: notes the row (struct rt__rank_collect), or every
 * match at once (swept). */
static int collect_row(const Fts5ExtensionApi *api, Fts5Context *fts, struct rt_store *st,
                       struct rt__rank_collect *c)
{
    int rc = SQLITE_OK;

    if (!c->ready) {
        sqlite3_int64 rows = 0, tokens = 0;
        c->n_phrase = api->xPhraseCount(fts);
        if ((rc = api->xRowCount(fts, &rows)) != SQLITE_OK ||
            (rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK)
            return rc;
        c->rows = rows;
        c->avgdl = (double)tokens / (double)rows;
        c->deferred = c->plain && (c->n_phrase == 1 || (c->or_query && !c->filtered));
        c->idf = rt_xcalloc((size_t)(c->n_phrase > 0 ? c->n_phrase : 1), sizeof(double));
        for (int i = 0; !c->deferred && rc == SQLITE_OK && i < c->n_phrase; i++) {
            sqlite3_int64 hits = 0;
            if ((rc = phrase_rows(api, fts, st, c->n_phrase, i, &hits)) == SQLITE_OK)
                c->idf[i] = idf_of(rows, hits);
        }
        if (rc != SQLITE_OK)
            return rc;
        c->ready = 1;
        if (c->plain && c->n_phrase == 1) {
            /* A query of one phrase (no column, no bare number) matches what the
             * phrase matches: FTS5 walks its rows here in one loop, without a step of
             * the statement for each. The statement then stops (rank_fn). */
            struct sweep w = {st, c};
            const char *key;
            size_t len;
            int64_t rows_known = 0;
            /* The arrays at their size when the phrase's count of rows is known. */
            if (!c->filtered && phrase_key(st, 1, 0, &key, &len) &&
                rt__strmap_get(&st->phrase_rows, key, len, &rows_known) && rows_known > 64 &&
                (uint64_t)rows_known < SIZE_MAX / 64) {
                c->alloc = (size_t)rows_known;
                RT_ALLOC_ARRAY(c->ids, c->alloc);
                RT_ALLOC_ARRAY(c->dl, c->alloc);
                RT_ALLOC_ARRAY(c->freq, c->alloc);
            }
            c->swept = 1;
            /* Every match was seen, in the filters' set or not: the phrase's count of
             * rows, for later queries with it (phrase_rows). */
            if ((rc = api->xQueryPhrase(fts, 0, &w, sweep_row)) == SQLITE_OK &&
                phrase_key(st, 1, 0, &key, &len))
                rt__strmap_put(&st->phrase_rows, key, len, c->matched);
            return rc;
        }
    }
    return note_row(api, fts, st, c);
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
                    sqlite3_value **val)
{
    struct rt_store *st = api->xUserData(fts);
    struct rank_query *q = NULL;
    double dl = 0.0;
    int rc, n_inst = 0;

    (void)n_val;
    (void)val;
    if (st->rank_collect) {
        if ((rc = collect_row(api, fts, st, st->rank_collect)) != SQLITE_OK)
            sqlite3_result_error_code(ctx, rc);
        else if (st->rank_collect->swept)
            sqlite3_result_int(ctx, 1); /* every match is noted: a row, to stop */
        else
            sqlite3_result_null(ctx);
        return;
    }
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
    if (rc == SQLITE_OK)
        rc = row_length(api, fts, st, api->xRowid(fts), &dl);
    if (rc == SQLITE_OK)
        sqlite3_result_double(ctx, score_of(q->idf, q->freq, q->n_phrase, dl, q->avgdl));
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

/* A ranked row: its score as rt_rank gives it, and its id, which breaks ties. */
struct ranked {
    double score;
    int64_t id;
};

/* a before b in "ORDER BY rt_rank(...), rowid" */
static int ranked_before(const struct ranked *a, const struct ranked *b)
{
    return a->score < b->score || (a->score == b->score && a->id < b->id);
}

static int ranked_cmp(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    return ranked_before(a, b) ? -1 : ranked_before(b, a);
}

/* Restores the heap h of n (the last of the order at the top) from slot i down. */
static void sift_down(struct ranked *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct ranked t;
        if (l < n && ranked_before(&h[m], &h[l]))
            m = l;
        if (r < n && ranked_before(&h[m], &h[r]))
            m = r;
        if (m == i)
            return;
        t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(struct ranked *h, size_t i)
{
    while (i > 0) {
        size_t up = (i - 1) / 2;
        struct ranked t;
        if (!ranked_before(&h[up], &h[i]))
            return;
        t = h[i];
        h[i] = h[up];
        h[up] = t;
        i = up;
    }
}

void rt__rank_top(struct rt__rank_collect *c, int64_t offset, int64_t limit, int64_t **ids,
                  size_t *n_ids)
{
    size_t from = offset > 0 ? (size_t)offset : 0, k = c->n, n_heap = 0;
    double *freq;
    struct ranked *heap;

    *ids = NULL;
    *n_ids = 0;
    if (limit >= 0 && (uint64_t)limit < (uint64_t)c->n && from + (size_t)limit < c->n)
        k = from + (size_t)limit;
    if (!c->n || k <= from)
        return;
    if (c->deferred) {
        /* The number of rows each phrase matches, from the pass (see sqlite_int.h). */
        for (int i = 0; i < c->n_phrase; i++) {
            sqlite3_int64 hits = 0;
            if (c->n_phrase == 1)
                hits = c->matched;
            else
                for (size_t r = 0; r < c->n; r++)
                    hits += c->freq[r * (size_t)c->n_phrase + (size_t)i] > 0;
            c->idf[i] = idf_of(c->rows, hits);
        }
    }
    RT_ALLOC_ARRAY(freq, (size_t)(c->n_phrase > 0 ? c->n_phrase : 1));
    RT_ALLOC_ARRAY(heap, k);
    for (size_t r = 0; r < c->n; r++) {
        struct ranked x;
        for (int i = 0; i < c->n_phrase; i++)
            freq[i] = (double)c->freq[r * (size_t)c->n_phrase + (size_t)i];
        x.score = score_of(c->idf, freq, c->n_phrase, c->dl[r], c->avgdl);
        x.id = c->ids[r];
        if (n_heap < k) {
            heap[n_heap] = x;
            sift_up(heap, n_heap++);
        } else if (ranked_before(&x, &heap[0])) {
            heap[0] = x;
            sift_down(heap, n_heap, 0);
        }
    }
    qsort(heap, n_heap, sizeof(*heap), ranked_cmp);
    RT_ALLOC_ARRAY(*ids, n_heap - from);
    for (size_t i = from; i < n_heap; i++)
        (*ids)[i - from] = heap[i].id;
    *n_ids = n_heap - from;
    rt_free(heap);
    rt_free(freq);
}

void rt__rank_collect_release(struct rt__rank_collect *c)
{
    rt_free(c->idf);
    rt_free(c->ids);
    rt_free(c->dl);
    rt_free(c->freq);
    memset(c, 0, sizeof(*c));
}

/* A group of a word's postings (struct rt__term) with its bm25 score. */
struct term_group {
    double score;
    size_t at, n; /* its ids: t->ids[at..at + n) */
};

static int group_cmp(const void *x, const void *y)
{
    const struct term_group *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static int u32_cmp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

void rt__rank_term(const struct rt__term *t, int64_t rows, int64_t tokens,
                   const roaring_bitmap_t *filter, int64_t offset, int64_t limit, int64_t **ids,
                   size_t *n_ids)
{
    size_t from = offset > 0 ? (size_t)offset : 0, want = SIZE_MAX, seen = 0, n = 0, alloc = 0;
    double avgdl = (double)tokens / (double)rows, idf = idf_of(rows, (sqlite3_int64)t->n_post);
    struct term_group *g;
    uint32_t *tmp = NULL;
    size_t tmp_alloc = 0;

    *ids = NULL;
    *n_ids = 0;
    if (limit >= 0)
        want = from + (size_t)limit;
    if (!t->n_class || want <= from)
        return;
    RT_ALLOC_ARRAY(g, t->n_class);
    for (size_t c = 0, at = 0; c < t->n_class; c++) {
        /* bm25 of one phrase, as score_of computes it for the row (the same operations) */
        double freq = (double)t->cls[c * 3], dl = (double)t->cls[c * 3 + 1];
        g[c].score = score_of(&idf, &freq, 1, dl, avgdl);
        g[c].at = at;
        g[c].n = t->cls[c * 3 + 2];
        at += g[c].n;
    }
    qsort(g, t->n_class, sizeof(*g), group_cmp);
    /* Groups in the order of their scores; the rows of groups of one score by id. */
    for (size_t a = 0, b; a < t->n_class && seen < want; a = b) {
        const uint32_t *v = t->ids + g[a].at;
        size_t m = g[a].n;
        for (b = a + 1; b < t->n_class && g[b].score == g[a].score; b++)
            ;
        if (b - a > 1) {
            m = 0;
            for (size_t k = a; k < b; k++) {
                RT_ALLOC_GROW(tmp, m + g[k].n, tmp_alloc);
                memcpy(tmp + m, t->ids + g[k].at, g[k].n * sizeof(*tmp));
                m += g[k].n;
            }
            qsort(tmp, m, sizeof(*tmp), u32_cmp);
            v = tmp;
        }
        for (size_t i = 0; i < m && seen < want; i++) {
            if (filter && !roaring_bitmap_contains(filter, v[i]))
                continue;
            if (seen++ < from)
                continue;
            RT_ALLOC_GROW(*ids, n + 1, alloc);
            (*ids)[n++] = v[i];
        }
    }
    *n_ids = n;
    rt_free(tmp);
    rt_free(g);
}

/* A word of a query of several, ranked from its postings (rt__rank_terms). */
struct word_rank {
    const struct rt__term *t;
    double idf;
    double *part;    /* each group's share of a row's score, in the order of t->cls */
    size_t *at;      /* each group's first id in t->ids */
    uint32_t *order; /* the groups by share, largest first */
    size_t pos;      /* groups of order read so far */
    size_t *run;     /* groups of one tf: run[r] to run[r + 1], n_run of them */
    size_t n_run;
    /* While another word's group is read (word_at_dl): this word's groups of its
     * length, one a run at most, n_cand of them, each with where its ids were left. */
    size_t *cand, *cur, n_cand;
    /* When each hit is scored, in id order: where each group's ids were left. */
    size_t *gcur;
    uint8_t *visited; /* each group: 1 once its rows were read */
};

/* The first of v's n ids (ascending) from k on that is not below id: a galloping search
 * from k, cheap when it is near. */
static size_t gallop(const uint32_t *v, size_t n, size_t k, uint32_t id)
{
    size_t lo = k, hi = k + 1, step = 1;

    if (k >= n || v[k] >= id)
        return k;
    while (hi < n && v[hi] < id) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    if (hi > n)
        hi = n;
    for (lo++; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Is id among group c's ids (ascending)? With w->gcur, the ids are asked in ascending
 * order and each group's search goes on from where the last left it. */
static int in_group(const struct word_rank *w, size_t c, uint32_t id)
{
    const uint32_t *v = w->t->ids + w->at[c];
    size_t lo = 0, hi = w->t->cls[c * 3 + 2];

    if (w->gcur) {
        lo = w->gcur[c] = gallop(v, hi, w->gcur[c], id);
        return lo < hi && v[lo] == id;
    }

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->t->cls[c * 3 + 2] && v[lo] == id;
}

/*
 * The word's count in row id, which has it, and its group in *group: the groups of
 * each tf are in the order of dl, so with the row's length *dl known it is a search
 * per tf; with *dl 0 (a length the search index does not hold) every group is looked
 * in, and *dl is set.
 */
static uint32_t word_tf(const struct word_rank *w, uint32_t id, uint32_t *dl, size_t *group)
{
    const uint32_t *cls = w->t->cls;

    for (size_t r = 0; r < w->n_run; r++) {
        size_t lo = w->run[r], hi = w->run[r + 1];
        if (!*dl) {
            for (size_t c = lo; c < hi; c++)
                if (in_group(w, c, id)) {
                    *dl = cls[c * 3 + 1];
                    *group = c;
                    return cls[c * 3];
                }
            continue;
        }
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cls[mid * 3 + 1] < *dl)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < w->run[r + 1] && cls[lo * 3 + 1] == *dl && in_group(w, lo, id)) {
            *group = lo;
            return cls[lo * 3];
        }
    }
    *group = 0;
    return 0;
}

/* Makes w's groups of rows of length dl its candidates (word_tf_next), cursors at their
 * first ids. */
static void word_at_dl(struct word_rank *w, uint32_t dl)
{
    const uint32_t *cls = w->t->cls;

    w->n_cand = 0;
    for (size_t r = 0; r < w->n_run; r++) {
        size_t lo = w->run[r], hi = w->run[r + 1];
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cls[mid * 3 + 1] < dl)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < w->run[r + 1] && cls[lo * 3 + 1] == dl) {
            w->cand[w->n_cand] = lo;
            w->cur[w->n_cand++] = 0;
        }
    }
}

/*
 * word_tf for row id of the length word_at_dl was given, the rows asked in ascending
 * order (those of one group of another word): each candidate group's ids are read on
 * from where the last row left them (a galloping search), not searched from the start.
 * The word's count in the row and its group in *group, or 0 when the row has no group
 * of that length (the word is not in it).
 */
static uint32_t word_tf_next(struct word_rank *w, uint32_t id, size_t *group)
{
    for (size_t i = 0; i < w->n_cand; i++) {
        size_t c = w->cand[i], n = w->t->cls[c * 3 + 2], k;
        const uint32_t *v = w->t->ids + w->at[c];
        k = w->cur[i] = gallop(v, n, w->cur[i], id);
        if (k < n && v[k] == id) {
            *group = c;
            return w->t->cls[c * 3];
        }
    }
    *group = 0;
    return 0;
}

/* The word's groups' shares, places and order. */
static void word_rank_init(struct word_rank *w, const struct rt__term *t, double idf, double avgdl,
                           int ordered)
{
    size_t at = 0;

    memset(w, 0, sizeof(*w));
    w->t = t;
    w->idf = idf;
    RT_ALLOC_ARRAY(w->part, (size_t)t->n_class + 1);
    RT_ALLOC_ARRAY(w->at, (size_t)t->n_class + 1);
    RT_ALLOC_ARRAY(w->order, (size_t)t->n_class + 1);
    RT_ALLOC_ARRAY(w->run, (size_t)t->n_class + 2);
    RT_ALLOC_ARRAY(w->cand, (size_t)t->n_class + 1);
    RT_ALLOC_ARRAY(w->cur, (size_t)t->n_class + 1);
    w->visited = rt_xcalloc((size_t)t->n_class + 1, 1);
    for (size_t c = 0; c < t->n_class; c++) {
        w->part[c] = rt__bm25_part(idf, (double)t->cls[c * 3], (double)t->cls[c * 3 + 1], avgdl);
        w->at[c] = at;
        at += t->cls[c * 3 + 2];
        w->order[c] = (uint32_t)c;
        if (!c || t->cls[c * 3] != t->cls[(c - 1) * 3])
            w->run[w->n_run++] = c;
    }
    w->run[w->n_run] = t->n_class;
    /* By share, largest first: an insertion sort would do for most words, qsort for all.
     * Not when each hit is scored (ordered 0): only the groups best first need it. */
    for (size_t i = 1; ordered && i < t->n_class; i++) {
        uint32_t x = w->order[i];
        size_t j = i;
        for (; j > 0 && w->part[w->order[j - 1]] < w->part[x]; j--)
            w->order[j] = w->order[j - 1];
        w->order[j] = x;
    }
}

static void word_rank_release(struct word_rank *w)
{
    rt_free(w->part);
    rt_free(w->at);
    rt_free(w->order);
    rt_free(w->run);
    rt_free(w->cand);
    rt_free(w->cur);
    rt_free(w->gcur);
    rt_free(w->visited);
}

/* Keeps x in the heap of the best k (the last of them at the top). */
static void heap_offer(struct ranked *heap, size_t *n_heap, size_t k, struct ranked x)
{
    if (*n_heap < k) {
        heap[*n_heap] = x;
        sift_up(heap, (*n_heap)++);
    } else if (ranked_before(&x, &heap[0])) {
        heap[0] = x;
        sift_down(heap, *n_heap, 0);
    }
}

/* Scores row id, of length dl (0: unknown), a hit: each word's count, then bm25. */
static struct ranked score_row(const struct word_rank *w, size_t n, double *freq, uint32_t id,
                               uint32_t dl, double avgdl, double *idf)
{
    struct ranked x;
    size_t g;

    for (size_t j = 0; j < n; j++)
        freq[j] =
            roaring_bitmap_contains(w[j].t->bm, id) ? (double)word_tf(&w[j], id, &dl, &g) : 0.0;
    x.score = score_of(idf, freq, (int)n, (double)dl, avgdl);
    x.id = id;
    return x;
}

/*
 * Row id of group c (length dl) of word pick, read in the order of shares: 1 with its
 * score in *x when it is a hit not read before (through another word's group), else
 * 0. filter: the rows that pass the filters, or NULL for every row.
 */
static int score_new_row(struct word_rank *w, size_t n, int all, size_t pick, size_t c,
                         const roaring_bitmap_t *filter, double *freq, uint32_t id, uint32_t dl,
                         double avgdl, double *idf, struct ranked *x)
{
    if (filter && !roaring_bitmap_contains(filter, id))
        return 0;
    for (size_t j = 0; j < n; j++) {
        size_t g;
        uint32_t tf;
        if (j == pick) {
            freq[j] = (double)w[j].t->cls[c * 3];
        } else if (!(tf = word_tf_next(&w[j], id, &g))) {
            if (all)
                return 0;
            freq[j] = 0.0;
        } else {
            freq[j] = (double)tf;
            if (w[j].visited[g])
                return 0;
        }
    }
    x->score = score_of(idf, freq, (int)n, (double)dl, avgdl);
    x->id = id;
    return 1;
}

void rt__rank_terms(const struct rt__term *t, size_t n, int all, const roaring_bitmap_t *hits,
                    const roaring_bitmap_t *filter, const uint8_t *doclen, size_t n_doclen,
                    int64_t rows, int64_t tokens, int64_t direct_max, int64_t offset, int64_t limit,
                    int64_t **ids, size_t *n_ids)
{
    size_t from = offset > 0 ? (size_t)offset : 0, want, n_heap = 0, sum_post = 0;
    uint64_t card = roaring_bitmap_get_cardinality(hits);
    double avgdl = (double)tokens / (double)rows, *idf, *freq;
    struct word_rank *w;
    struct ranked *heap;
    int direct;

    *ids = NULL;
    *n_ids = 0;
    want = limit >= 0 && (uint64_t)limit < card && from + (size_t)limit < card
               ? from + (size_t)limit
               : (size_t)card;
    if (!n || want <= from)
        return;
    RT_ALLOC_ARRAY(w, n);
    RT_ALLOC_ARRAY(idf, n);
    RT_ALLOC_ARRAY(freq, n);
    RT_ALLOC_ARRAY(heap, want);
    for (size_t i = 0; i < n; i++)
        sum_post += t[i].n_post;
    if (!direct_max)
        direct_max = 2048;
    direct = direct_max > 0 && (card <= (uint64_t)direct_max || card * 8 <= sum_post);
    for (size_t i = 0; i < n; i++) {
        idf[i] = idf_of(rows, (sqlite3_int64)t[i].n_post);
        word_rank_init(&w[i], &t[i], idf[i], avgdl, !direct);
        if (direct) /* the hits come in id order */
            w[i].gcur = rt_xcalloc((size_t)t[i].n_class + 1, sizeof(*w[i].gcur));
    }
    if (direct) {
        /* Few hits, or few of the words' rows: each hit scored. */
        roaring_uint32_iterator_t it;
        for (roaring_init_iterator(hits, &it); it.has_value; roaring_advance_uint32_iterator(&it)) {
            uint32_t id = it.current_value;
            uint32_t dl = doclen && id < n_doclen ? doclen[id] : 0;
            heap_offer(heap, &n_heap, want, score_row(w, n, freq, id, dl, avgdl, idf));
        }
    } else {
        /*
         * Groups in the order of their share, the largest share of all words first
         * (Fagin's threshold algorithm): a hit not yet seen scores at most the sum of
         * the shares of each word's next group, so once the page is full of rows that
         * score more than that, no row left can enter it.
         */
        uint64_t n_seen = 0;
        for (;;) {
            double bound = 0.0, best = -1.0;
            size_t pick = n, ended = 0;
            for (size_t i = 0; i < n; i++) {
                if (w[i].pos == t[i].n_class) {
                    ended++;
                    continue;
                }
                bound += w[i].part[w[i].order[w[i].pos]];
                if (w[i].part[w[i].order[w[i].pos]] > best) {
                    best = w[i].part[w[i].order[w[i].pos]];
                    pick = i;
                }
            }
            if (pick == n || n_seen == card || (all && ended))
                break;
            /* With a margin for the rounding of sums in another order. */
            if (n_heap == want && -heap[0].score > bound + bound * 1e-9)
                break;
            {
                size_t c = w[pick].order[w[pick].pos++];
                const uint32_t *v = t[pick].ids + w[pick].at[c];
                uint32_t dl = t[pick].cls[c * 3 + 1];
                struct ranked x;
                /* Its rows have one length, and come in id order. */
                for (size_t j = 0; j < n; j++)
                    if (j != pick)
                        word_at_dl(&w[j], dl);
                for (size_t k = 0; k < t[pick].cls[c * 3 + 2]; k++)
                    if (score_new_row(w, n, all, pick, c, filter, freq, v[k], dl, avgdl, idf, &x)) {
                        n_seen++;
                        heap_offer(heap, &n_heap, want, x);
                    }
                /* After its rows: a row read again through another word is skipped. */
                w[pick].visited[c] = 1;
            }
        }
    }
    qsort(heap, n_heap, sizeof(*heap), ranked_cmp);
    if (n_heap > from) {
        RT_ALLOC_ARRAY(*ids, n_heap - from);
        for (size_t i = from; i < n_heap; i++)
            (*ids)[i - from] = heap[i].id;
        *n_ids = n_heap - from;
    }
    for (size_t i = 0; i < n; i++)
        word_rank_release(&w[i]);
    rt_free(w);
    rt_free(idf);
    rt_free(freq);
    rt_free(heap);
}
