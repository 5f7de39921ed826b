/*
 * Facet counts as bitmap intersections (facets.c): for every value of the four
 * facets of a search (response, cycle, theme, state under review) a compressed
 * bitmap (CRoaring) of the recommendations that have it, built in memory on first
 * use and again after the data changes. Counting a facet over the hits of a search
 * is then one intersection count per value, whatever the number of hits.
 */
#ifndef RT_STORE_SQLITE_FACETS_H
#define RT_STORE_SQLITE_FACETS_H

#include <roaring/roaring.h>

#include "store/sqlite/sqlite_int.h"

/* roaring_bitmap_free, but NULL is fine (CRoaring 0.2 does not take it). */
static inline void rt__bitmap_free(roaring_bitmap_t *bm)
{
    if (bm)
        roaring_bitmap_free(bm);
}

/*
 * The store's facet index, fresh for the data as it is now: *out is borrowed from
 * st (valid until the next call into the store). It is kept in the table
 * search_index (schema 21), which every change to the facets' data empties: read
 * from there, or when nothing is stored built from the tables and stored for every
 * process (only outside a transaction, and when the write lock is free at once).
 * 0 with *out NULL when the index does not serve (inside a write transaction, or
 * data it cannot hold such as ids beyond 32 bits): the caller then uses SQL.
 * RT_ESTORE with err when reading the data fails.
 */
int rt__facets_get(struct rt_store *st, struct rt__facets **out, struct rt_error *err);

/* In an import's write transaction, before its COMMIT: the index built and stored
 * with the data (best effort; a search builds it when this could not). */
void rt__facets_store_in_load(struct rt_store *st);

/*
 * Building an index row by row, for a back end that reads its rows itself (the
 * PostgreSQL store; build() here feeds SQLite's rows the same way):
 * rt__facets_new gives an empty index (rt__facets_free); rt__facets_add_rec adds one
 * recommendation (cycle 0 when it has none), rt__facets_add_theme one row of
 * recommendation_theme; both return 1, adding nothing, when the row has what the
 * index cannot hold (an id beyond 32 bits, an unknown origin), and the caller then
 * frees the index and does without it. rt__facets_name gives the state (themes 0) or
 * theme (themes 1) of that id its key; rt__facets_done ends the build (entries in
 * key order, bitmaps compacted). key is copied.
 */
struct rt__facets *rt__facets_new(void);
int rt__facets_add_rec(struct rt__facets *fx, int64_t id, const char *response, int64_t cycle,
                       int64_t sur);
int rt__facets_add_theme(struct rt__facets *fx, int64_t rec, int64_t theme, const char *origin);
void rt__facets_name(struct rt__facets *fx, int themes, int64_t id, const char *key);
void rt__facets_done(struct rt__facets *fx);

/*
 * The index as bytes, for a back end that keeps it in one value (the PostgreSQL
 * store's row of search_index): rt__facets_serialize appends fx's groups (each
 * entry's key, number and CRoaring's portable bitmap, as SQLite's rows of
 * search_index hold them one by one) and its lengths to out, numbers little-endian;
 * not the version, stamp or postings, which the caller keeps. rt__facets_deserialize
 * reads len bytes at data back into a new index, built (rt__facets_free), or gives
 * NULL when they are not such bytes (a caller then builds from the tables).
 */
void rt__facets_serialize(const struct rt__facets *fx, struct rt_buf *out);
struct rt__facets *rt__facets_deserialize(const void *data, size_t len);

/*
 * rt__facets_filter without a store: the theme filter's themes are given as their
 * ids (themes, n_themes; as THEME_IDS finds them). The same returns, never an error.
 */
/* Every recommendation the index holds, as a new bitmap (roaring_bitmap_free). */
roaring_bitmap_t *rt__facets_all(const struct rt__facets *fx);

int rt__facets_pass(const struct rt__facets *fx, const struct rt_search_spec *q,
                    const int64_t *themes, size_t n_themes, roaring_bitmap_t **out);

/*
 * The recommendations that pass the filters of q other than its text, as a new
 * bitmap in *out (roaring_bitmap_free), or *out NULL when q has no filter. Returns
 * 1 when it could, 0 when q has a filter the index does not hold (by, session,
 * category), RT_ESTORE or RT_EINVAL with err on failure.
 */
int rt__facets_filter(struct rt_store *st, struct rt__facets *fx, const struct rt_search_spec *q,
                      roaring_bitmap_t **out, struct rt_error *err);

/*
 * The ids of bm into set, a bitset of 64-bit words: *bits (a new array, rt_free)
 * and *words, as read.c's struct idset holds them. Returns how many ids.
 */
int64_t rt__bitmap_to_bits(const roaring_bitmap_t *bm, uint64_t **bits, size_t *words);

/*
 * Fills res->facets[res->n_facets..] with the four facets counted over hits, in the
 * order and with the keys of the SQL GROUP BY they replace (count descending, then
 * key). The states may be counted from each row's state, which fx then keeps. Cannot
 * fail.
 */
void rt__facets_count(struct rt__facets *fx, const roaring_bitmap_t *hits,
                      struct rt_search_result *res);

/*
 * Each recommendation's length in tokens in the full-text index, by id (*n of
 * them; 0 for an id without text or a length of 256 or more), as fx was built; borrowed from fx.
 * NULL with *n 0 when fx is NULL.
 */
const uint8_t *rt__facets_doclen(const struct rt__facets *fx, size_t *n);

/* The data's version (rt_store_version) fx is fresh for; 0 when fx is NULL. */
uint64_t rt__facets_version(const struct rt__facets *fx);

/*
 * Postings in bm25 order (postings.c): for a word of the full-text index that many
 * rows have, its rows grouped by (tf, dl), the word's count in the row and the row's
 * length in tokens as bm25 reads them. cls holds n_class triples (tf, dl, count) in
 * the order (tf, dl); ids the n_post row ids, group after group, each ascending; bm
 * every row of the word. Release with rt__term_release.
 */
struct rt__term {
    uint32_t n_class, n_post;
    uint32_t *cls, *ids;
    roaring_bitmap_t *bm;
    int shared; /* borrowed from the connection's cache (rt__postings_cached) */
};

/*
 * Builds the postings of every word of the full-text index in at least 512 rows and
 * writes them to search_index (facet 5), with the row that says they were built; in
 * the caller's write transaction, after the facets' rows. dl: each row's length in
 * tokens by id, n_dl of them (0 for a row without text), or NULL to write only that
 * row, with nothing built; doclen the same as bytes (rt__facets_doclen). With len0,
 * each row's length in its first column (the text), also the postings of every pair
 * of tokens next to each other in at least 512 rows, or in 8 whose two words have
 * 8,192 positions or more between them (facet 7). *rows and *tokens:
 * the index's counts (FTS5's averages), 0 when none were built. Returns 0, RT_ESTORE
 * with err.
 */
int rt__postings_store(struct rt_store *st, const uint32_t *dl, const uint32_t *len0,
                       const uint8_t *doclen, size_t n_dl, int64_t *rows, int64_t *tokens,
                       struct rt_error *err);

/*
 * Reads the row that says the postings were built: 1 with *rows and *tokens (both 0
 * when none were), 0 when there is no such row, RT_ESTORE with err.
 */
int rt__postings_marker(struct rt_store *st, int64_t *rows, int64_t *tokens, struct rt_error *err);

/*
 * The postings of the word text (len bytes, a query's term) into *out, when the
 * word is one token of the index with postings, or two tokens whose pair has them
 * (a phrase of two words, as FTS5 matches it): 1, else 0 (*out empty), RT_ESTORE
 * with err.
 */
int rt__postings_get(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                     struct rt_error *err);

/*
 * How many rows have the word text (len bytes, a query's term) when it is one token
 * of the index with postings, or two tokens whose pair has them: 1 with *rows (what
 * FTS5 counts walking the phrase's rows), else 0; an error reading is a 0 (FTS5 then
 * counts). In a search, with the search index fresh (rt__facets_postings).
 */
int rt__postings_rows(struct rt_store *st, const char *text, size_t len, int64_t *rows);

/*
 * The postings of the word text (len bytes, a query's term, one token of the index)
 * as rt__postings_get gives them, made from FTS5's walk of the word's rows, for a
 * word without postings stored (fewer rows): 1 with *out, 0 when the word is not one
 * token or has no rows (*out empty), RT_ESTORE with err. In a search, with
 * st->rank_len set; its cost is a walk of the word's rows.
 */
int rt__postings_walk(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                      struct rt_error *err);

/* Frees what t holds (nothing when it is shared); t is then empty. */
void rt__term_release(struct rt__term *t);

/*
 * The connection's cache of terms as rt__postings_get (kind 'g'), rt__postings_walk
 * ('w') and rt__postings_prefix ('p') give them, decoded, by kind and query text, so
 * that a word a later search asks again is not read from its blob (or walked, or its
 * prefix's words joined) again. rt__postings_cache_begin, at the start of a search's
 * use of it with the search index at hand (st->search_version_known), empties it
 * when the data's version moved, and trims it when it holds more than its bound (so
 * many bytes a row of the search index, postings.c); nothing leaves it
 * until the next begin, so the terms it lends stay valid until then.
 * rt__postings_cached answers as the function of kind does, *out shared when 1 (its
 * rt__term_release frees nothing); errors are not kept.
 */
void rt__postings_cache_begin(struct rt_store *st);
int rt__postings_cached(struct rt_store *st, int kind, const char *text, size_t len,
                        struct rt__term *out, struct rt_error *err);
void rt__postings_cache_free(struct rt_store *st);

/*
 * The page of a query of the one word of t, ranked as "ORDER BY rt_rank(...), rowid
 * LIMIT limit OFFSET offset" ranks its matches (limit < 0: no limit), with the same
 * scores to the bit, over the rows in filter (every row when NULL); rows and tokens
 * are the index's (rt__facets_postings). Into *ids (rt_free), n_ids of them. Reads
 * as many postings as the page needs, not every one. Cannot fail.
 */
void rt__rank_term(const struct rt__term *t, int64_t rows, int64_t tokens,
                   const roaring_bitmap_t *filter, int64_t offset, int64_t limit, int64_t **ids,
                   size_t *n_ids);

/*
 * The page of a query of the n words of t (in the query's order) joined by AND (all
 * 1) or by OR (all 0), ranked as "ORDER BY rt_rank(...), rowid LIMIT limit OFFSET
 * offset" ranks its matches (limit < 0: no limit), with the same scores to the bit
 * (bm25 summed over the words in their order). hits: the query's matches that pass
 * its filters (the words' bitmaps intersected or joined, and cut by filter, the rows
 * that pass the filters, NULL when there are none);
 * doclen the rows' lengths as bytes (rt__facets_doclen, n_doclen of them, NULL for
 * none); rows and tokens the index's (rt__facets_postings). Into *ids (rt_free),
 * n_ids of them. With at most direct_max hits (0: 2048, < 0: none), or few beside
 * the words' rows, scores each hit; else reads the words' groups in the order of
 * their share of the score and stops when no row left can enter the page. Cannot
 * fail.
 */
void rt__rank_terms(const struct rt__term *t, size_t n, int all, const roaring_bitmap_t *hits,
                    const roaring_bitmap_t *filter, const uint8_t *doclen, size_t n_doclen,
                    int64_t rows, int64_t tokens, int64_t direct_max, int64_t offset, int64_t limit,
                    int64_t **ids, size_t *n_ids);

/*
 * Every word of the full-text index with its count of rows, in the index's order
 * (bytes), as the search index keeps them (facet 6, postings.c): n words, word i at
 * text + off[i] (NUL-ended) in doc[i] rows.
 */
struct rt__vocab {
    size_t n;
    uint32_t *off, *doc;
    char *text;
};

/* Reads the words stored with the postings: a new rt__vocab, or NULL when there is
 * none or it cannot be read (FTS5 then serves prefixes). */
struct rt__vocab *rt__vocab_read(struct rt_store *st);

/* Frees v (NULL: nothing). */
void rt__vocab_free(struct rt__vocab *v);

/*
 * The words of fx's index (rt__vocab_read), read once per build of fx and kept with
 * it; NULL when fx has no postings or no words were stored. Owned by fx.
 */
const struct rt__vocab *rt__facets_vocab(struct rt_store *st, struct rt__facets *fx);

/*
 * The postings of the prefix term text (len bytes, a query's term whose last word is
 * a prefix) as one phrase, as FTS5 matches it: the words of v that begin with the
 * prefix, their rows joined and their counts in each row added, each word's from
 * its stored postings or else walked by FTS5 (rt__postings_walk). 1 with *out (the
 * rows that have one of the words; empty when none does), 0 when the term is not
 * one token or a word cannot be read this way (FTS5 then serves the query),
 * RT_ESTORE with err. In a search, with st->rank_len set.
 */
int rt__postings_prefix(struct rt_store *st, const struct rt__vocab *v, const char *text,
                        size_t len, struct rt__term *out, struct rt_error *err);

/*
 * The index's counts of rows and tokens when fx's postings were built: 1, else 0
 * (then FTS5 serves every word). fx may be NULL.
 */
int rt__facets_postings(const struct rt__facets *fx, int64_t *rows, int64_t *tokens);

#endif
