/*
 * Postings in bm25 order (facets.h): for each word of the full-text index that
 * many recommendations have, the recommendations that have it, grouped by how many
 * times the word is in each (tf) and how long each is (dl), kept in the search index
 * (schema 21, facet 5) beside the facets' bitmaps.
 *
 * bm25 of a query of one word is idf x g(tf, dl), with the same idf for every hit; a
 * group's rows all have the same score, so ranking a word's hits is ranking its
 * groups (a few hundred) and reading their rows in that order, ties by id, as far
 * as the page needs (rank.c, rt__rank_term). The word's bitmap gives the total and
 * the facets' hits. FTS5 reads every posting and its positions for the same answer.
 *
 * A row of facet 5 is one word: pos a hash of the word (the key, checked when read:
 * a word whose hash another took is left to FTS5), key the word as the index holds
 * it, num its count of rows, and bitmap the blob
 *
 *   n_class, n_post                      u32 little-endian each
 *   n_class x (tf, dl, count)            u32 each, in the order (tf, dl)
 *   n_post ids                           u32 each, group after group, each ascending
 *   the word's rows                      a CRoaring bitmap, portable format
 *
 * The row of facet 5, pos 0, says that the postings were built, and of which index:
 * its key is "<rows> <tokens>", the index's count of rows and of tokens (FTS5's
 * averages), from which bm25 takes the mean length.
 *
 * The row of facet 6, pos 0, holds every word of the index with its count of rows,
 * for prefixes (rt__postings_prefix): n (u32), n counts (u32 each), then the n words
 * in the index's order, each ended by a NUL. A word that a query of it does not find
 * (its stem is another word) gets postings whatever its count, since FTS5 cannot walk
 * it on its own.
 *
 * A row of facet 7 is a pair of words that follow each other in many rows (a phrase
 * of two words, "death penalty" as the index holds it, "death penalti"), as a row of
 * facet 5 is a word: pos a hash of the key, key the two words with a space between,
 * num the pair's count of rows, bitmap the blob of facet 5, each row's count being
 * how many times the pair is in it (in one column, the second word at the position
 * after the first), which is FTS5's count of the phrase's hits there. A pair in 512
 * rows or more has both its words in 512 rows or more, so the pairs are found from
 * the positions of the words of facet 5, which FTS5's walk of each word gives while
 * its postings are built (struct rt__grid): no text is tokenized again. Pairs of
 * those words in fewer rows are kept too when FTS5 would read many positions for
 * them (pair_kept: "of crc" is in few rows, but a phrase reads every "of"). A phrase
 * of two words whose pair has no row is left to FTS5.
 */
#include "base/compat.h"

#include <limits.h>

#include <rightstrack/text.h>

#include "store/sqlite/facets.h"

/* Words in at least this many recommendations get postings; FTS5 serves the rest
 * (st->postings_min_rows when set). */
#define POSTINGS_MIN_ROWS 512

/* SQLite's varint, as FTS5 writes its docsize and averages records; 0 at the end. */
static int get_varint(const unsigned char *p, int n, int *i, uint64_t *out)
{
    uint64_t v = 0;

    if (*i >= n)
        return 0;
    for (int k = 0; *i < n && k < 9; k++) {
        if (k == 8) {
            v = v << 8 | p[(*i)++];
            break;
        }
        v = v << 7 | (p[*i] & 0x7f);
        if (!(p[(*i)++] & 0x80))
            break;
    }
    *out = v;
    return 1;
}

static uint64_t hash_of(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    h &= INT64_MAX;
    return h ? h : 1;
}

static void put_u32(struct rt_buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    rt_buf_add(b, c, 4);
}

/* v at p, little-endian; returns p + 4. */
static unsigned char *set_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
    return p + 4;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A posting while building: the row, its count of the word and its length. */
struct posting {
    uint32_t id, tf, dl;
};

/*
 * The positions of the words walked for their postings, for the postings of pairs.
 * Every token of every row has a slot, row after row: row id's slots begin at
 * base[id], the first column's len0[id] tokens, an empty slot, the second column's
 * tokens, an empty slot (base[id + 1] - base[id] is the row's length plus 2, 0
 * without text), so that two slots are next to each other only for two tokens next
 * to each other in one column of one row. A word's walk notes the slots of its
 * tokens in at[] as FTS5 gives them (by row, then position: ascending); word w's
 * (numbered from 1 in the order walked) are at[from[w] .. from[w + 1]). The pairs
 * are then read a block of slots at a time (pairs_scan): writing each token's word
 * into one array of every slot as the walks go wrote all over 20 MB at 8x, a cache
 * miss a token, and took more time than the rest of the pairs.
 */
struct rt__grid {
    uint32_t *base; /* n_rows + 1 */
    const uint32_t *len0;
    size_t n_rows;
    uint32_t *at; /* the slots noted, at most one a slot */
    size_t n_at, alloc_at;
    size_t *from; /* n_words + 2 */
    size_t n_words;
    int bad; /* a position out of its row or out of order: no pairs */
};

void rt__grid_note(struct rt__grid *g, int64_t id, int col, int off)
{
    uint64_t at;

    if (id < 0 || (uint64_t)id >= g->n_rows || off < 0 || col < 0 || col > 1 ||
        (col == 0 && (uint32_t)off >= g->len0[id]) || g->n_at == g->alloc_at) {
        g->bad = 1;
        return;
    }
    at = (uint64_t)g->base[id] + (col ? (uint64_t)g->len0[id] + 1 : 0) + (uint64_t)off;
    /* In the row's slots but its last, after the slot the word had before. */
    if (at + 1 >= g->base[id + 1] || (g->n_at > g->from[g->n_words] && g->at[g->n_at - 1] >= at)) {
        g->bad = 1;
        return;
    }
    g->at[g->n_at++] = (uint32_t)at;
}

/* A grid for rows of dl tokens (n_dl of them; len0 of the first column) and at most
 * n_words words: 1, else 0 (too many tokens). */
static int grid_make(struct rt__grid *g, const uint32_t *dl, const uint32_t *len0, size_t n_dl,
                     size_t n_words)
{
    uint64_t at = 0;

    memset(g, 0, sizeof(*g));
    RT_ALLOC_ARRAY(g->base, n_dl + 1);
    for (size_t id = 0; id < n_dl; id++) {
        g->base[id] = (uint32_t)at;
        if (len0[id] > dl[id])
            g->bad = 1;
        at += dl[id] ? (uint64_t)dl[id] + 2 : 0;
        if (at >= UINT32_MAX)
            g->bad = 1;
    }
    if (g->bad) {
        rt_free(g->base);
        g->base = NULL;
        return 0;
    }
    g->base[n_dl] = (uint32_t)at;
    g->len0 = len0;
    g->n_rows = n_dl;
    /* At most a slot a token: the memory is touched only as far as it is written. */
    g->alloc_at = (size_t)at;
    RT_ALLOC_ARRAY(g->at, g->alloc_at + 1);
    g->from = rt_xcalloc(n_words + 2, sizeof(*g->from));
    return 1;
}

/* The next word's walk begins. */
static void grid_word(struct rt__grid *g)
{
    g->from[++g->n_words] = g->n_at;
    g->from[g->n_words + 1] = g->n_at;
}

/* The walk of the word begun last is over. */
static void grid_word_end(struct rt__grid *g)
{
    g->from[g->n_words + 1] = g->n_at;
}

static void grid_free(struct rt__grid *g)
{
    rt_free(g->base);
    rt_free(g->at);
    rt_free(g->from);
    memset(g, 0, sizeof(*g));
}

/* Keys of (tf, dl) that one counting sort takes at once (a count each). */
#define SORT_KEYS_MAX (1u << 16)

/*
 * Sorts p (in id order) into the order (tf, dl, id): counting sorts, stable, instead
 * of qsort's comparisons (most of the build's time). One by the pair (tf, dl) when
 * there are few enough pairs for a count each, else two, by dl then by tf.
 */
static void posting_sort(struct posting *p, size_t n)
{
    struct posting *tmp;
    size_t *count, max = 0, max_tf = 0, max_dl = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i].dl > max_dl)
            max_dl = p[i].dl;
        if (p[i].tf > max_tf)
            max_tf = p[i].tf;
    }
    RT_ALLOC_ARRAY(tmp, n + 1);
    max = max_tf > max_dl ? max_tf : max_dl;
    /* One pass reads the keys' counts once and the postings twice, where two read
     * twice their counts and four times the postings. */
    if (max_tf < SORT_KEYS_MAX && max_dl < SORT_KEYS_MAX &&
        (max_tf + 1) * (max_dl + 1) <= SORT_KEYS_MAX &&
        (max_tf + 1) * (max_dl + 1) <= 2 * (max + 2) + 2 * n) {
        size_t keys = (max_tf + 1) * (max_dl + 1);
        count = rt_xcalloc(keys + 1, sizeof(*count));
        for (size_t i = 0; i < n; i++)
            count[p[i].tf * (max_dl + 1) + p[i].dl + 1]++;
        for (size_t k = 1; k <= keys; k++)
            count[k] += count[k - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[p[i].tf * (max_dl + 1) + p[i].dl]++] = p[i];
        memcpy(p, tmp, n * sizeof(*p));
        rt_free(count);
        rt_free(tmp);
        return;
    }
    count = rt_xcalloc(max + 2, sizeof(*count));
    for (int pass = 0; pass < 2; pass++) {
        memset(count, 0, (max + 2) * sizeof(*count));
        for (size_t i = 0; i < n; i++)
            count[(pass ? p[i].tf : p[i].dl) + 1]++;
        for (size_t k = 1; k < max + 2; k++)
            count[k] += count[k - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[pass ? p[i].tf : p[i].dl]++] = p[i];
        memcpy(p, tmp, n * sizeof(*p));
    }
    rt_free(count);
    rt_free(tmp);
}

static int take_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated);

/* Keeps the last term given by the tokenizer, and counts them. */
struct one_token {
    struct rt_buf term;
    int n;
};

/* The query word text as the one token FTS5 looks for, into tok: 1, else 0. */
static int query_token(struct rt_store *st, const char *text, size_t len, struct one_token *tok)
{
    /* The table's tokenizer ("rightstrack" is English, fts.c) on a query. */
    if (!st->query_tok && !(st->query_tok = rt_tokenizer_new("english")))
        return 0;
    rt_tokenize(st->query_tok, text, len, 0, take_token, tok);
    return tok->n == 1 && tok->term.len;
}

/*
 * The rows of the token term and its count in each, in id order, into *out (n): by
 * FTS5's own walk of the word's rows (rank.c's pass over a phrase) when a query of
 * the token finds the token itself, else from the instances of fts5vocab (slower:
 * a row of SQL for every instance).
 */
static int word_rows(struct rt_store *st, sqlite3_stmt *inst, const char *term, int len,
                     const uint8_t *doclen, size_t n_dl, struct rt__grid *grid,
                     struct posting **out, size_t *n, int *walked, struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    struct posting *p = NULL;
    size_t alloc = 0;
    int rc;

    *out = NULL;
    *n = 0;
    *walked = 0;
    if (query_token(st, term, (size_t)len, &tok) && tok.term.len == (size_t)len &&
        !memcmp(tok.term.buf, term, (size_t)len)) {
        struct rt__rank_collect c = {0};
        struct rt_buf match = RT_BUF_INIT;
        sqlite3_stmt *s = rt__stmt_sql(st,
                                       "SELECT 1 FROM recommendation_fts WHERE recommendation_fts"
                                       " MATCH ?1 AND rt_rank(recommendation_fts) IS NOT NULL",
                                       err);
        rt_buf_release(&tok.term);
        if (!s)
            return RT_ESTORE;
        rt_buf_addch(&match, '"');
        for (int i = 0; i < len; i++) {
            if (term[i] == '"')
                rt_buf_addch(&match, '"');
            rt_buf_addch(&match, term[i]);
        }
        rt_buf_addch(&match, '"');
        sqlite3_bind_text(s, 1, match.buf, (int)match.len, SQLITE_STATIC);
        c.plain = 1;
        c.grid = grid;
        st->rank_collect = &c;
        st->search_version_known = 0; /* no cache of rows by phrase (rank.c) */
        st->rank_len = doclen;
        st->rank_n = n_dl;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && !c.swept)
            ;
        st->rank_collect = NULL;
        st->rank_len = NULL;
        st->rank_n = 0;
        sqlite3_reset(s);
        rt_buf_release(&match);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            rt__rank_collect_release(&c);
            return rt__db_error(st, err, "postings");
        }
        if (c.n_phrase == 1 && c.n) {
            /* Every match noted, and so every position of the word in grid. */
            *walked = c.swept && (int64_t)c.n == c.matched;
            RT_ALLOC_ARRAY(p, c.n);
            for (size_t i = 0; i < c.n; i++)
                p[i] = (struct posting){(uint32_t)c.ids[i], c.freq[i], 0};
            *n = c.n;
            for (size_t i = 1; i < c.n; i++)
                if (p[i].id <= p[i - 1].id)
                    *n = 0; /* not in id order: left to FTS5 */
            *walked = *walked && *n;
        }
        rt__rank_collect_release(&c);
        if (!*n)
            rt_free(p);
        else
            *out = p;
        return 0;
    }
    rt_buf_release(&tok.term);
    sqlite3_bind_text(inst, 1, term, len, SQLITE_STATIC);
    while ((rc = sqlite3_step(inst)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(inst, 0);
        if (id < 0 || id > (int64_t)UINT32_MAX || (*n && p[*n - 1].id > (uint32_t)id)) {
            *n = 0;
            break;
        }
        if (*n && p[*n - 1].id == (uint32_t)id) {
            p[*n - 1].tf++;
            continue;
        }
        RT_ALLOC_GROW(p, *n + 1, alloc);
        p[(*n)++] = (struct posting){(uint32_t)id, 1, 0};
    }
    sqlite3_reset(inst);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt_free(p);
        *n = 0;
        return rt__db_error(st, err, "postings");
    }
    if (!*n)
        rt_free(p);
    else
        *out = p;
    return 0;
}

/* The index's rows and tokens, from FTS5's averages record: 1, 0 when unreadable. */
static int averages(struct rt_store *st, int64_t *rows, int64_t *tokens, struct rt_error *err)
{
    sqlite3_stmt *s =
        rt__stmt_sql(st, "SELECT block FROM recommendation_fts_data WHERE id = 1", err);
    int rc, ok = 0;

    if (!s)
        return RT_ESTORE;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0), i = 0;
        uint64_t v = 0, sum = 0;
        if (p && get_varint(p, n, &i, &v) && v > 0 && v <= INT64_MAX) {
            *rows = (int64_t)v;
            while (get_varint(p, n, &i, &v) && sum <= INT64_MAX)
                sum += v;
            *tokens = (int64_t)sum;
            ok = sum <= INT64_MAX;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rt__db_error(st, err, "postings");
    return ok;
}

/*
 * The postings p of key (len bytes; n of them, in id order, each row once, its
 * length set) as a row of ins (facet 5 or 7: pos, key, num, bitmap), with blob as
 * room; sorts p. 0 (nothing written when the rows are not each once), RT_ESTORE.
 */
static int write_postings(struct rt_store *st, sqlite3_stmt *ins, const char *key, size_t len,
                          struct posting *p, size_t n, struct rt_buf *blob, struct rt_error *err)
{
    size_t n_class = 0, size;
    roaring_bitmap_t *bm;
    unsigned char *at;
    uint32_t *ids;
    int rc;

    RT_ALLOC_ARRAY(ids, n + 1);
    for (size_t i = 0; i < n; i++)
        ids[i] = p[i].id;
    bm = roaring_bitmap_create();
    roaring_bitmap_add_many(bm, n, ids);
    rt_free(ids);
    /* Rows come in id order, each once: the bitmap says so. */
    if (roaring_bitmap_get_cardinality(bm) != n) {
        roaring_bitmap_free(bm);
        return 0;
    }
    roaring_bitmap_run_optimize(bm);
    posting_sort(p, n);
    for (size_t i = 0; i < n; i++)
        n_class += !i || p[i].tf != p[i - 1].tf || p[i].dl != p[i - 1].dl;
    /* Written in place: the numbers, then the bitmap. */
    size = 8 + (n_class * 3 + n) * 4;
    rt_buf_reset(blob);
    rt_buf_grow(blob, size + roaring_bitmap_portable_size_in_bytes(bm));
    at = (unsigned char *)blob->buf;
    at = set_u32(at, (uint32_t)n_class);
    at = set_u32(at, (uint32_t)n);
    for (size_t i = 0, from = 0; i <= n; i++) {
        if (i == n || (i > from && (p[i].tf != p[from].tf || p[i].dl != p[from].dl))) {
            at = set_u32(at, p[from].tf);
            at = set_u32(at, p[from].dl);
            at = set_u32(at, (uint32_t)(i - from));
            from = i;
        }
    }
    for (size_t i = 0; i < n; i++)
        at = set_u32(at, p[i].id);
    size += roaring_bitmap_portable_serialize(bm, (char *)at);
    blob->len = size; /* within the room made above */
    blob->buf[size] = '\0';
    roaring_bitmap_free(bm);
    sqlite3_bind_int64(ins, 1, (int64_t)hash_of(key, len));
    sqlite3_bind_text(ins, 2, key, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 3, (int64_t)n);
    sqlite3_bind_blob(ins, 4, blob->buf, (int)blob->len, SQLITE_STATIC);
    rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "postings");
}

/*
 * The postings of one word as a row of facet 5; with grid, FTS5's walk of the word
 * notes its positions there, and *walked says whether all of them were.
 */
static int store_word(struct rt_store *st, sqlite3_stmt *inst, sqlite3_stmt *ins, const char *term,
                      int len, const uint32_t *dl, const uint8_t *doclen, size_t n_dl,
                      struct rt__grid *grid, int *walked, struct rt_buf *blob, struct rt_error *err)
{
    struct posting *p = NULL;
    size_t n = 0;
    int rc;

    if ((rc = word_rows(st, inst, term, len, doclen, n_dl, grid, &p, &n, walked, err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if ((size_t)p[i].id >= n_dl || !dl[p[i].id]) {
            n = 0;
            break;
        }
        p[i].dl = dl[p[i].id];
    }
    if (n)
        rc = write_postings(st, ins, term, (size_t)len, p, n, blob, err);
    /* else left to FTS5 */
    rt_free(p);
    return rc;
}

static int own_query_form(struct rt_store *st, const char *term, size_t len);

/*
 * store_word from the tokens of a load (tokcap.c) instead of FTS5's walk: token t of
 * cap, with the same rows, counts and positions as the walk gives (the walk is taken
 * only for a word that a query of it finds; the others note no positions).
 */
static int store_word_cap(struct rt_store *st, const struct rt__tokcap *cap, uint32_t t,
                          sqlite3_stmt *ins, const char *term, size_t len, const uint32_t *dl,
                          size_t n_dl, struct rt__grid *grid, int *walked, struct rt_buf *blob,
                          struct rt_error *err)
{
    struct posting *p = NULL;
    int64_t id = 0;
    int col = 0, off = 0, own = own_query_form(st, term, len), rc = 0;
    size_t n_occ = rt__tokcap_occ(cap, t, 0, &id, &col, &off), n = 0;

    *walked = 0;
    if (!n_occ)
        return 0;
    RT_ALLOC_ARRAY(p, n_occ);
    for (size_t i = 0; i < n_occ; i++) {
        rt__tokcap_occ(cap, t, i, &id, &col, &off);
        if (own && grid)
            rt__grid_note(grid, id, col, off);
        if (n && p[n - 1].id == (uint32_t)id) {
            p[n - 1].tf++;
            continue;
        }
        if (id < 0 || (uint64_t)id >= n_dl || !dl[id]) {
            n = 0;
            break;
        }
        p[n++] = (struct posting){(uint32_t)id, 1, dl[id]};
    }
    *walked = own && n;
    if (n)
        rc = write_postings(st, ins, term, len, p, n, blob, err);
    rt_free(p);
    return rc;
}

/* A pair of words while the pairs are counted: its key (first << 16 | second), its
 * count of rows, and then where its postings go. */
struct pair {
    uint32_t key, rows;
    uint32_t last; /* the last row counted; then how many postings are in */
    uint32_t at;   /* its first posting in the batch; UINT32_MAX when not kept */
    uint32_t batch;
};

struct pair_map {
    struct pair *p;
    size_t cap, n; /* cap a power of 2 */
};

static struct pair *pair_find(struct pair_map *m, uint32_t key)
{
    uint32_t h = key;
    size_t i;

    /* murmur3's finaliser: every bit of the key moves the low bits taken. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    i = (size_t)h & (m->cap - 1);

    while (m->p[i].key && m->p[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return &m->p[i];
}

/* The pair of key, added (its count 0) when new. */
static struct pair *pair_add(struct pair_map *m, uint32_t key)
{
    struct pair *e;

    if ((m->n + 1) * 2 > m->cap) {
        struct pair_map bigger = {NULL, m->cap ? m->cap * 2 : 4096, m->n};
        bigger.p = rt_xcalloc(bigger.cap, sizeof(*bigger.p));
        for (size_t i = 0; i < m->cap; i++)
            if (m->p[i].key)
                *pair_find(&bigger, m->p[i].key) = m->p[i];
        rt_free(m->p);
        *m = bigger;
    }
    e = pair_find(m, key);
    if (!e->key) {
        e->key = key;
        e->last = UINT32_MAX;
        m->n++;
    }
    return e;
}

/* A pair in fewer rows than a word needs for postings still gets them when it is in
 * PAIR_MIN_ROWS rows or more and FTS5 would read PAIR_COST times that many positions
 * of its words for it (pair_kept). */
#define PAIR_MIN_ROWS 8
#define PAIR_COST 16

/* Postings of pairs made in one pass over the slots, at most (the rest in more). */
#define PAIRS_BATCH (4u << 20)

/* Slots laid out at once by pairs_scan: 512 KiB of words. */
#define GRID_BLOCK (1u << 18)

/*
 * Lays out in blk the words of g (those ok) at the slots b0 to b1 (both in), from
 * cur[w], word w's first slot not below b0, which moves on to its first not below
 * b1. 1 when two words have one slot (no pairs then), else 0.
 */
static int grid_block(const struct rt__grid *g, const uint8_t *ok, size_t *cur, uint64_t b0,
                      uint64_t b1, uint16_t *blk)
{
    memset(blk, 0, (size_t)(b1 - b0 + 1) * sizeof(*blk));
    for (size_t w = 1; w <= g->n_words; w++) {
        size_t k = cur[w], end = g->from[w + 1];
        if (!ok[w])
            continue;
        for (; k < end && g->at[k] <= b1; k++) {
            uint16_t *slot = &blk[g->at[k] - b0];
            if (*slot)
                return 1;
            *slot = (uint16_t)w;
        }
        if (k > cur[w] && g->at[k - 1] == b1)
            k--; /* the next block's first */
        cur[w] = k;
    }
    return 0;
}

/*
 * Every two words (those ok) next to each other, block of slots after block, in row
 * order: counted into m (a pair's count of rows, emit 0), or (emit 1) each row's
 * count of the pairs of batch written to their postings in post, a row's length from
 * dl. 1 when two words have one slot, else 0.
 */
static int pairs_scan(const struct rt__grid *g, const uint8_t *ok, struct pair_map *m, int emit,
                      uint32_t batch, struct posting *post, const uint32_t *dl)
{
    uint64_t n = g->base[g->n_rows];
    size_t *cur, r = 0;
    uint16_t *blk;
    int bad = 0;

    RT_ALLOC_ARRAY(cur, g->n_words + 2);
    for (size_t w = 1; w <= g->n_words; w++)
        cur[w] = g->from[w];
    RT_ALLOC_ARRAY(blk, (size_t)GRID_BLOCK + 1);
    for (uint64_t b0 = 0; b0 < n && !bad; b0 += GRID_BLOCK) {
        uint64_t b1 = n - b0 > GRID_BLOCK ? b0 + GRID_BLOCK : n;
        if ((bad = grid_block(g, ok, cur, b0, b1, blk)))
            break;
        for (uint64_t p = b0; p < b1; p++) {
            uint16_t a = blk[p - b0], b = blk[p - b0 + 1];
            uint32_t key = (uint32_t)a << 16 | b;
            struct pair *e;
            struct posting *q;
            if (!a || !b)
                continue;
            while (g->base[r + 1] <= p)
                r++;
            if (!emit) {
                e = pair_add(m, key);
                if (e->last != (uint32_t)r) {
                    e->last = (uint32_t)r;
                    e->rows++;
                }
                continue;
            }
            e = pair_find(m, key);
            if (e->at == UINT32_MAX || e->batch != batch)
                continue;
            q = &post[e->at + e->last];
            if (e->last && q[-1].id == (uint32_t)r) {
                q[-1].tf++;
            } else {
                *q = (struct posting){(uint32_t)r, 1, dl[r]};
                e->last++;
            }
        }
    }
    rt_free(blk);
    rt_free(cur);
    return bad;
}

/*
 * Is pair e of g's words (counted) worth postings? FTS5 answers a phrase by reading
 * every position of both its words, however few rows the pair itself is in: a pair
 * gets postings when it is in min rows or more, or in PAIR_MIN_ROWS or more and its
 * two words have at least PAIR_COST x min positions between them ("of crc": few rows,
 * but FTS5 would read every "of").
 */
static int pair_kept(const struct rt__grid *g, const struct pair *e, int64_t min)
{
    uint32_t a = e->key >> 16, b = e->key & 0xffff;
    uint64_t read = (uint64_t)(g->from[a + 1] - g->from[a]) + (g->from[b + 1] - g->from[b]);

    if ((int64_t)e->rows >= min)
        return 1;
    return e->rows >= PAIR_MIN_ROWS && read >= (uint64_t)min * PAIR_COST;
}

/*
 * The postings of every pair of words of g (by number, their text in words; ok[w]
 * when all of word w's positions are in g) next to each other in at least min rows,
 * as rows of facet 7 (ins). 0, RT_ESTORE with err.
 */
static int store_pairs(struct rt_store *st, sqlite3_stmt *ins, const struct rt__grid *g,
                       const char *const *words, const uint8_t *ok, const uint32_t *dl, int64_t min,
                       struct rt_buf *blob, struct rt_error *err)
{
    struct pair_map m = {NULL, 0, 0};
    struct posting *post = NULL;
    struct rt_buf key = RT_BUF_INIT;
    uint32_t n_batch = 0;
    uint64_t fill = 0;
    int rc = 0;

    /* The pairs' counts of rows (none when two words had one slot). */
    if (pairs_scan(g, ok, &m, 0, 0, NULL, dl)) {
        rt_free(m.p);
        return 0;
    }
    /* Those in min rows or more, in batches of postings. */
    for (size_t i = 0; i < m.cap; i++) {
        struct pair *e = &m.p[i];
        if (!e->key)
            continue;
        e->at = UINT32_MAX;
        e->last = 0;
        if (!pair_kept(g, e, min))
            continue;
        if (fill && fill + e->rows > PAIRS_BATCH) {
            n_batch++;
            fill = 0;
        }
        e->batch = n_batch;
        e->at = (uint32_t)fill;
        fill += e->rows;
    }
    if (fill)
        n_batch++;
    for (uint32_t batch = 0; batch < n_batch && rc == 0; batch++) {
        size_t size = 0;
        for (size_t i = 0; i < m.cap; i++)
            if (m.p[i].key && m.p[i].at != UINT32_MAX && m.p[i].batch == batch &&
                m.p[i].at + m.p[i].rows > size)
                size = m.p[i].at + m.p[i].rows;
        RT_REALLOC_ARRAY(post, size ? size : 1);
        /* Each row's count of the pair, row after row. */
        if (pairs_scan(g, ok, &m, 1, batch, post, dl))
            break;
        for (size_t i = 0; i < m.cap && rc == 0; i++) {
            struct pair *e = &m.p[i];
            if (!e->key || e->at == UINT32_MAX || e->batch != batch || e->last != e->rows)
                continue;
            rt_buf_reset(&key);
            rt_buf_adds(&key, words[e->key >> 16]);
            rt_buf_addch(&key, ' ');
            rt_buf_adds(&key, words[e->key & 0xffff]);
            rc = write_postings(st, ins, key.buf, key.len, post + e->at, e->rows, blob, err);
        }
    }
    rt_free(post);
    rt_free(m.p);
    rt_buf_release(&key);
    return rc;
}

/* How many words terms holds, each ended by a NUL. */
static size_t n_terms_of(const struct rt_buf *terms)
{
    size_t n = 0;

    for (size_t i = 0; i < terms->len; i++)
        n += terms->buf[i] == '\0';
    return n;
}

/* Does a query of the index's token term (len bytes) look for the token itself? */
static int own_query_form(struct rt_store *st, const char *term, size_t len)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    int own =
        query_token(st, term, len, &tok) && tok.term.len == len && !memcmp(tok.term.buf, term, len);

    rt_buf_release(&tok.term);
    return own;
}

/*
 * The row of facet 6, pos 0: every word of the index (n of them) with its count of
 * rows, for prefixes (rt__vocab_read): n, the n counts, the words each ended by a NUL,
 * in the index's order.
 */
static int store_vocab(struct rt_store *st, uint32_t n, const struct rt_buf *docs,
                       const struct rt_buf *words, struct rt_error *err)
{
    struct rt_buf blob = RT_BUF_INIT;
    sqlite3_stmt *ins = rt__stmt_sql(st,
                                     "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                                     " VALUES (6, 0, '', ?1, ?2)",
                                     err);
    int rc;

    if (!ins)
        return RT_ESTORE;
    put_u32(&blob, n);
    rt_buf_add(&blob, docs->buf, docs->len);
    rt_buf_add(&blob, words->buf, words->len);
    sqlite3_bind_int64(ins, 1, (int64_t)n);
    sqlite3_bind_blob(ins, 2, blob.buf, (int)blob.len, SQLITE_STATIC);
    rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : rt__db_error(st, err, "postings");
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    rt_buf_release(&blob);
    return rc;
}

int rt__postings_store(struct rt_store *st, const uint32_t *dl, const uint32_t *len0,
                       const uint8_t *doclen, size_t n_dl, int64_t *rows, int64_t *tokens,
                       struct rt_error *err)
{
    sqlite3_stmt *voc, *inst, *ins, *ins_pair;
    struct rt__grid grid = {0};
    const char **word_of = NULL; /* by number in grid */
    uint8_t *ok = NULL;
    struct rt_buf terms = RT_BUF_INIT, blob = RT_BUF_INIT, key = RT_BUF_INIT;
    struct rt_buf docs = RT_BUF_INIT, words = RT_BUF_INIT;
    struct rt__tokcap *cap = NULL;
    uint32_t n_words = 0, *order = NULL, *term_num = NULL;
    uint8_t *chosen = NULL;
    size_t n_order = 0, k = 0;
    int64_t n_terms = 0;
    int rc;

    *rows = *tokens = 0;
    if ((rc = averages(st, rows, tokens, err)) < 0)
        return rc;
    /* The tokens of the load that filled the index, when they are all of it: no
     * reading back of the vocabulary and of each word's rows. */
    if (rc == 1 && dl && rt__tokcap_check(st->words.cap, *rows, *tokens, dl, len0, n_dl)) {
        cap = st->words.cap;
        st->postings_from_load++;
        order = rt__tokcap_order(cap);
        n_order = rt__tokcap_terms(cap);
        RT_ALLOC_ARRAY(term_num, n_order + 1);
        chosen = rt_xcalloc(n_order + 1, 1);
    }
    if (rc == 1 && dl && !cap &&
        (sqlite3_exec(st->db,
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_vocab_row"
                      " USING fts5vocab(main, recommendation_fts, row);"
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_vocab_inst"
                      " USING fts5vocab(main, recommendation_fts, instance)",
                      NULL, NULL, NULL) != SQLITE_OK))
        return rt__db_error(st, err, "postings");
    if (rc == 1 && dl) {
        /* The words first (the statement ends before the instances are read). */
        int64_t min = st->postings_min_rows > 0 ? st->postings_min_rows : POSTINGS_MIN_ROWS;
        voc = cap ? NULL : rt__stmt_sql(st, "SELECT term, doc FROM temp.rt_vocab_row", err);
        if (!cap && !voc) {
            rc = RT_ESTORE;
            goto out;
        }
        while (cap ? (rc = k < n_order ? SQLITE_ROW : SQLITE_DONE) == SQLITE_ROW
                   : (rc = sqlite3_step(voc)) == SQLITE_ROW) {
            int64_t doc;
            const unsigned char *w;
            size_t wlen;
            if (cap) {
                uint32_t d;
                w = (const unsigned char *)rt__tokcap_term(cap, order[k], &wlen, &d);
                doc = d;
                k++;
            } else {
                doc = sqlite3_column_int64(voc, 1);
                w = sqlite3_column_text(voc, 0);
                wlen = (size_t)sqlite3_column_bytes(voc, 0);
            }
            if (!w || memchr(w, '\0', wlen) || doc < 0 || doc > (int64_t)UINT32_MAX) {
                n_words = UINT32_MAX; /* no vocabulary row: FTS5 serves prefixes */
                continue;
            }
            /* A word that a query of it does not find (its stem is another word) cannot
             * be walked by FTS5 when a prefix needs it: it gets postings whatever its
             * count. */
            if (doc >= min || !own_query_form(st, (const char *)w, wlen)) {
                rt_buf_add(&terms, w, wlen);
                rt_buf_addch(&terms, '\0');
                if (cap) {
                    term_num[n_terms_of(&terms) - 1] = order[k - 1];
                    chosen[order[k - 1]] = 1;
                }
            }
            if (n_words < UINT32_MAX) {
                put_u32(&docs, (uint32_t)doc);
                rt_buf_add(&words, w, wlen);
                rt_buf_addch(&words, '\0');
                n_words++;
            }
        }
        if (voc)
            sqlite3_reset(voc);
        if (rc != SQLITE_DONE) {
            rc = rt__db_error(st, err, "postings");
            goto out;
        }
        if (cap)
            rt__tokcap_select(cap, chosen);
        inst = cap ? NULL
                   : rt__stmt_sql(st, "SELECT doc FROM temp.rt_vocab_inst WHERE term = ?1", err);
        ins = rt__stmt_sql(st,
                           "INSERT OR IGNORE INTO search_index(facet, pos, key, num, bitmap)"
                           " VALUES (5, ?1, ?2, ?3, ?4)",
                           err);
        ins_pair = rt__stmt_sql(st,
                                "INSERT OR IGNORE INTO search_index(facet, pos, key, num, bitmap)"
                                " VALUES (7, ?1, ?2, ?3, ?4)",
                                err);
        if ((!cap && !inst) || !ins || !ins_pair) {
            rc = RT_ESTORE;
            goto out;
        }
        /* The words' positions while they are walked, for the pairs (a number of
         * 16 bits each). */
        if (len0 && (uint64_t)n_terms_of(&terms) < UINT16_MAX &&
            grid_make(&grid, dl, len0, n_dl, n_terms_of(&terms))) {
            RT_ALLOC_ARRAY(word_of, n_terms_of(&terms) + 1);
            ok = rt_xcalloc(n_terms_of(&terms) + 1, 1);
        }
        rc = 0;
        for (size_t i = 0; i < terms.len && rc == 0; i += strlen(terms.buf + i) + 1) {
            const char *w = terms.buf + i;
            int walked = 0;
            if (grid.base) {
                grid_word(&grid);
                word_of[grid.n_words] = w;
            }
            if (cap)
                rc = store_word_cap(st, cap, term_num[n_terms], ins, w, strlen(w), dl, n_dl,
                                    grid.base ? &grid : NULL, &walked, &blob, err);
            else
                rc = store_word(st, inst, ins, w, (int)strlen(w), dl, doclen, n_dl,
                                grid.base ? &grid : NULL, &walked, &blob, err);
            /* A word with a space would make a pair's key another pair's. */
            if (grid.base) {
                grid_word_end(&grid);
                ok[grid.n_words] = (uint8_t)(walked && !strchr(w, ' '));
            }
            n_terms++;
        }
        sqlite3_clear_bindings(ins);
        if (rc == 0 && grid.base && !grid.bad)
            rc = store_pairs(st, ins_pair, &grid, word_of, ok, dl, min, &blob, err);
        sqlite3_clear_bindings(ins_pair);
        grid_free(&grid);
        if (rc < 0)
            goto out;
        if (n_words < UINT32_MAX && (rc = store_vocab(st, n_words, &docs, &words, err)) < 0)
            goto out;
    } else {
        *rows = *tokens = 0;
    }
    /* The row that says they were built (rows 0: none, FTS5 serves every word). */
    rt_buf_addf(&key, "%lld %lld", (long long)*rows, (long long)*tokens);
    if (!(ins = rt__stmt_sql(st,
                             "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                             " VALUES (5, 0, ?1, ?2, x'')",
                             err))) {
        rc = RT_ESTORE;
        goto out;
    }
    sqlite3_bind_text(ins, 1, key.buf, (int)key.len, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, n_terms);
    rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : rt__db_error(st, err, "postings");
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
out:
    grid_free(&grid);
    rt_free(order);
    rt_free(term_num);
    rt_free(chosen);
    rt_free(word_of);
    rt_free(ok);
    rt_buf_release(&docs);
    rt_buf_release(&words);
    rt_buf_release(&terms);
    rt_buf_release(&blob);
    rt_buf_release(&key);
    return rc;
}

int rt__postings_marker(struct rt_store *st, int64_t *rows, int64_t *tokens, struct rt_error *err)
{
    sqlite3_stmt *s =
        rt__stmt_sql(st, "SELECT key FROM search_index WHERE facet = 5 AND pos = 0", err);
    long long r = 0, t = 0;
    int rc, found = 0;

    *rows = *tokens = 0;
    if (!s)
        return RT_ESTORE;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 0);
        char *end = NULL;
        found = 1;
        if (k) {
            r = strtoll(k, &end, 10);
            if (end && *end == ' ')
                t = strtoll(end + 1, NULL, 10);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rt__db_error(st, err, "postings");
    if (r > 0 && t > 0) {
        *rows = r;
        *tokens = t;
    }
    return found;
}

static int take_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    struct one_token *t = ctx;

    (void)start;
    (void)end;
    if (colocated)
        return 0;
    t->n++;
    rt_buf_reset(&t->term);
    rt_buf_add(&t->term, term, len);
    return 0;
}

/* Keeps the tokens given by the tokenizer, a space between two, and counts them. */
struct tokens {
    struct rt_buf text;
    int n;
};

static int take_tokens(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    struct tokens *t = ctx;

    (void)start;
    (void)end;
    if (colocated)
        return 0;
    if (t->n++)
        rt_buf_addch(&t->text, ' ');
    rt_buf_add(&t->text, term, len);
    return 0;
}

/*
 * The query word or phrase text as the tokens FTS5 looks for, into tok->text (a
 * space between two): 1 when one or two tokens, else 0. *facet: where the search
 * index keeps the postings of such (5 a word, 7 a pair).
 */
static int query_tokens(struct rt_store *st, const char *text, size_t len, struct tokens *tok,
                        int *facet)
{
    if (!st->query_tok && !(st->query_tok = rt_tokenizer_new("english")))
        return 0;
    rt_tokenize(st->query_tok, text, len, 0, take_tokens, tok);
    *facet = tok->n == 2 ? 7 : 5;
    return (tok->n == 1 || tok->n == 2) && tok->text.len;
}

int rt__postings_rows(struct rt_store *st, const char *text, size_t len, int64_t *rows)
{
    struct tokens tok = {RT_BUF_INIT, 0};
    sqlite3_stmt *s;
    int found = 0, facet;

    if (query_tokens(st, text, len, &tok, &facet) &&
        (s = rt__stmt_sql(st, "SELECT key, num FROM search_index WHERE facet = ?2 AND pos = ?1",
                          NULL))) {
        sqlite3_bind_int64(s, 1, (int64_t)hash_of(tok.text.buf, tok.text.len));
        sqlite3_bind_int(s, 2, facet);
        if (sqlite3_step(s) == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == tok.text.len &&
            !memcmp(sqlite3_column_text(s, 0), tok.text.buf, tok.text.len)) {
            *rows = sqlite3_column_int64(s, 1);
            found = 1;
        }
        sqlite3_reset(s);
    }
    rt_buf_release(&tok.text);
    return found;
}

/* n little-endian u32 of the blob at off into v (as get_u32 reads them), 1 when read. */
static int blob_u32s(sqlite3_blob *b, uint32_t *v, size_t n, size_t off)
{
    const uint16_t one = 1;

    if (n && sqlite3_blob_read(b, v, (int)(n * 4), (int)off) != SQLITE_OK)
        return 0;
    if (!*(const unsigned char *)&one) /* a big-endian host */
        for (size_t i = 0; i < n; i++)
            v[i] = get_u32((const unsigned char *)&v[i]);
    return 1;
}

/*
 * The stored postings of the index's token term (len bytes; facet 5), or pair of
 * tokens (facet 7): as rt__postings_get. The blob is read with sqlite3_blob_read
 * straight into the term's arrays: a column read would first copy all of it (over a
 * megabyte for a frequent word at 8x) into memory of SQLite's own. The statement
 * stays on its row meanwhile, so the blob is the row's in the same read.
 */
static int term_postings(struct rt_store *st, int facet, const char *term, size_t len,
                         struct rt__term *out, struct rt_error *err)
{
    sqlite3_stmt *s;
    sqlite3_blob *b = NULL;
    int rc, found = 0;

    memset(out, 0, sizeof(*out));
    if (!(s = rt__stmt_sql(st,
                           "SELECT key, rowid, length(bitmap) FROM search_index"
                           " WHERE facet = ?2 AND pos = ?1",
                           err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, (int64_t)hash_of(term, len));
    sqlite3_bind_int(s, 2, facet);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == len &&
        !memcmp(sqlite3_column_text(s, 0), term, len) && sqlite3_column_int64(s, 2) >= 8 &&
        sqlite3_column_int64(s, 2) <= INT_MAX &&
        sqlite3_blob_open(st->db, "main", "search_index", "bitmap", sqlite3_column_int64(s, 1), 0,
                          &b) == SQLITE_OK) {
        size_t n = (size_t)sqlite3_column_int64(s, 2), need;
        unsigned char head[8];
        char *tail;
        if (sqlite3_blob_read(b, head, 8, 0) == SQLITE_OK) {
            out->n_class = get_u32(head);
            out->n_post = get_u32(head + 4);
            need = 8 + ((size_t)out->n_class * 3 + out->n_post) * 4;
            if (need <= n) {
                RT_ALLOC_ARRAY(out->cls, (size_t)out->n_class * 3 + 1);
                RT_ALLOC_ARRAY(out->ids, (size_t)out->n_post + 1);
                tail = rt_xmalloc(n - need + 1);
                if (blob_u32s(b, out->cls, (size_t)out->n_class * 3, 8) &&
                    blob_u32s(b, out->ids, out->n_post, 8 + (size_t)out->n_class * 12) &&
                    (n == need ||
                     sqlite3_blob_read(b, tail, (int)(n - need), (int)need) == SQLITE_OK) &&
                    roaring_bitmap_portable_deserialize_size(tail, n - need) == n - need &&
                    (out->bm = roaring_bitmap_portable_deserialize_safe(tail, n - need)))
                    found = roaring_bitmap_get_cardinality(out->bm) == out->n_post;
                rt_free(tail);
            }
        }
    }
    sqlite3_blob_close(b);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt__term_release(out);
        return rt__db_error(st, err, "postings");
    }
    if (!found)
        rt__term_release(out);
    return found;
}

int rt__postings_get(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                     struct rt_error *err)
{
    struct tokens tok = {RT_BUF_INIT, 0};
    int rc = 0, facet;

    memset(out, 0, sizeof(*out));
    if (query_tokens(st, text, len, &tok, &facet))
        rc = term_postings(st, facet, tok.text.buf, tok.text.len, out, err);
    rt_buf_release(&tok.text);
    return rc;
}

void rt__term_release(struct rt__term *t)
{
    if (t->shared) {
        memset(t, 0, sizeof(*t));
        return;
    }
    rt_free(t->cls);
    rt_free(t->ids);
    rt__bitmap_free(t->bm);
    memset(t, 0, sizeof(*t));
}

static void term_from(struct posting *p, size_t n, roaring_bitmap_t *bm, struct rt__term *out);

int rt__postings_walk(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                      struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    struct rt__rank_collect c = {0};
    struct rt_buf match = RT_BUF_INIT;
    struct posting *p = NULL;
    roaring_bitmap_t *bm;
    sqlite3_stmt *s;
    int known = st->search_version_known, one, rc, ok;

    memset(out, 0, sizeof(*out));
    one = query_token(st, text, len, &tok);
    rt_buf_release(&tok.term);
    if (!one)
        return 0;
    /* Not the text of read.c's statement of the same work, which a search may have
     * bound (the statements are kept by their text). */
    if (!(s = rt__stmt_sql(st,
                           "SELECT 2 FROM recommendation_fts WHERE recommendation_fts"
                           " MATCH ?1 AND rt_rank(recommendation_fts) IS NOT NULL",
                           err)))
        return RT_ESTORE;
    /* The word as a phrase of its one token, walked by FTS5 in one call (rank.c). */
    rt_buf_addch(&match, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            rt_buf_addch(&match, '"');
        rt_buf_addch(&match, text[i]);
    }
    rt_buf_addch(&match, '"');
    sqlite3_bind_text(s, 1, match.buf, (int)match.len, SQLITE_STATIC);
    c.plain = 1;
    st->rank_collect = &c;
    st->search_version_known = 0; /* not the search's phrases: no cache of rows by phrase */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !c.swept)
        ;
    st->rank_collect = NULL;
    st->search_version_known = known;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    rt_buf_release(&match);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt__rank_collect_release(&c);
        return rt__db_error(st, err, "postings");
    }
    ok = c.swept && c.n_phrase == 1 && c.n && (int64_t)c.n == c.matched && c.n <= UINT32_MAX;
    if (ok) {
        RT_ALLOC_ARRAY(p, c.n);
        for (size_t i = 0; i < c.n && ok; i++) {
            ok = c.ids[i] >= 0 && c.ids[i] <= (int64_t)UINT32_MAX &&
                 (!i || c.ids[i] > c.ids[i - 1]) && c.dl[i] >= 1.0 &&
                 c.dl[i] <= (double)UINT32_MAX && c.freq[i];
            if (ok)
                p[i] = (struct posting){(uint32_t)c.ids[i], c.freq[i], (uint32_t)c.dl[i]};
        }
    }
    if (!ok) { /* left to FTS5 */
        rt_free(p);
        rt__rank_collect_release(&c);
        return 0;
    }
    bm = roaring_bitmap_create();
    for (size_t i = 0; i < c.n; i++)
        roaring_bitmap_add(bm, p[i].id);
    term_from(p, c.n, bm, out);
    rt__rank_collect_release(&c);
    rt_free(p);
    return 1;
}

/*
 * The postings p (n, in id order, each id once: the rows of bm) as a term's groups into
 * *out, which takes bm; sorts p.
 */
static void term_from(struct posting *p, size_t n, roaring_bitmap_t *bm, struct rt__term *out)
{
    size_t max_tf = 0, max_dl = 0, keys;

    out->n_post = (uint32_t)n;
    out->bm = bm;
    for (size_t i = 0; i < n; i++) {
        if (p[i].dl > max_dl)
            max_dl = p[i].dl;
        if (p[i].tf > max_tf)
            max_tf = p[i].tf;
    }
    keys = (max_tf + 1) * (max_dl + 1);
    if (max_tf < SORT_KEYS_MAX && max_dl < SORT_KEYS_MAX && keys <= SORT_KEYS_MAX &&
        keys <= 4 * n + 256) {
        /* Few keys (tf, dl): one counting sort that writes the ids into their groups and
         * the groups from its counts, as posting_sort and the loop below would (stable:
         * the ids stay ascending in each group), without moving the postings twice. */
        uint32_t *count = rt_xcalloc(keys + 1, sizeof(*count));
        size_t k = 0, at = 0;
        for (size_t i = 0; i < n; i++)
            count[p[i].tf * (max_dl + 1) + p[i].dl]++;
        for (size_t c = 0; c < keys; c++)
            out->n_class += count[c] > 0;
        RT_ALLOC_ARRAY(out->cls, (size_t)out->n_class * 3 + 1);
        RT_ALLOC_ARRAY(out->ids, (size_t)out->n_post + 1);
        for (size_t c = 0; c < keys; c++) {
            uint32_t m = count[c];
            if (!m)
                continue;
            out->cls[k * 3] = (uint32_t)(c / (max_dl + 1));
            out->cls[k * 3 + 1] = (uint32_t)(c % (max_dl + 1));
            out->cls[k * 3 + 2] = m;
            k++;
            count[c] = (uint32_t)at;
            at += m;
        }
        for (size_t i = 0; i < n; i++)
            out->ids[count[p[i].tf * (max_dl + 1) + p[i].dl]++] = p[i].id;
        rt_free(count);
        return;
    }
    /* Groups by (tf, dl), ids ascending in each, as rt__postings_get gives them. */
    posting_sort(p, out->n_post);
    for (size_t i = 0; i < out->n_post; i++)
        out->n_class += !i || p[i].tf != p[i - 1].tf || p[i].dl != p[i - 1].dl;
    RT_ALLOC_ARRAY(out->cls, (size_t)out->n_class * 3 + 1);
    RT_ALLOC_ARRAY(out->ids, (size_t)out->n_post + 1);
    for (size_t i = 0, from = 0, k = 0; i <= out->n_post; i++) {
        if (i > from && (i == out->n_post || p[i].tf != p[from].tf || p[i].dl != p[from].dl)) {
            out->cls[k * 3] = p[from].tf;
            out->cls[k * 3 + 1] = p[from].dl;
            out->cls[k * 3 + 2] = (uint32_t)(i - from);
            k++;
            from = i;
        }
        if (i < out->n_post)
            out->ids[i] = p[i].id;
    }
}

struct rt__vocab *rt__vocab_read(struct rt_store *st)
{
    sqlite3_stmt *s =
        rt__stmt_sql(st, "SELECT bitmap FROM search_index WHERE facet = 6 AND pos = 0", NULL);
    struct rt__vocab *v = NULL;

    if (!s)
        return NULL;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0), at, k;
        if (b && n >= 4 && (size_t)get_u32(b) <= (n - 4) / 4) {
            v = rt_xcalloc(1, sizeof(*v));
            v->n = get_u32(b);
            RT_ALLOC_ARRAY(v->doc, v->n + 1);
            RT_ALLOC_ARRAY(v->off, v->n + 1);
            for (size_t i = 0; i < v->n; i++)
                v->doc[i] = get_u32(b + 4 + i * 4);
            at = 4 + v->n * 4;
            v->text = rt_xmalloc(n - at + 1);
            memcpy(v->text, b + at, n - at);
            /* Each word ended by a NUL, and no more than n of them. */
            for (k = 0, at = 0; k < v->n && at < n - 4 - v->n * 4; k++) {
                const char *e = memchr(v->text + at, '\0', n - 4 - v->n * 4 - at);
                if (!e)
                    break;
                v->off[k] = (uint32_t)at;
                at = (size_t)(e - v->text) + 1;
            }
            if (k != v->n || at != n - 4 - v->n * 4) {
                rt__vocab_free(v);
                v = NULL;
            }
        }
    }
    sqlite3_reset(s);
    return v;
}

void rt__vocab_free(struct rt__vocab *v)
{
    if (!v)
        return;
    rt_free(v->off);
    rt_free(v->doc);
    rt_free(v->text);
    rt_free(v);
}

/* The first word of v not before the bytes p (len) in the index's order. */
static size_t vocab_seek(const struct rt__vocab *v, const char *p, size_t len)
{
    size_t lo = 0, hi = v->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = v->text + v->off[mid];
        size_t wl = strlen(w);
        int c = memcmp(w, p, wl < len ? wl : len);
        if (c < 0 || (c == 0 && wl < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rt__postings_prefix(struct rt_store *st, const struct rt__vocab *v, const char *text,
                        size_t len, struct rt__term *out, struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    struct rt__term *m = NULL;
    size_t n = 0, alloc = 0;
    int64_t min = st->postings_min_rows > 0 ? st->postings_min_rows : POSTINGS_MIN_ROWS;
    int rc = 1, own;

    memset(out, 0, sizeof(*out));
    if (!v)
        return 0;
    /* The prefix as FTS5 gives it to the index: the last word folded, not stemmed. */
    if (!st->query_tok && !(st->query_tok = rt_tokenizer_new("english")))
        return 0;
    rt_tokenize(st->query_tok, text, len, RT_TOKENIZE_LAST_UNSTEMMED, take_token, &tok);
    if (tok.n != 1 || !tok.term.len) {
        rt_buf_release(&tok.term);
        return 0;
    }
    for (size_t i = vocab_seek(v, tok.term.buf, tok.term.len); i < v->n && rc == 1; i++) {
        const char *w = v->text + v->off[i];
        size_t wl = strlen(w);
        struct one_token self = {RT_BUF_INIT, 0};
        if (wl < tok.term.len || memcmp(w, tok.term.buf, tok.term.len))
            break;
        RT_ALLOC_GROW(m, n + 1, alloc);
        memset(&m[n], 0, sizeof(m[n]));
        own = query_token(st, w, wl, &self) && self.term.len == wl && !memcmp(self.term.buf, w, wl);
        /* Postings are stored for the words in enough rows and those a query does not
         * find (rt__postings_store); the others are walked. */
        rc = 0;
        if (v->doc[i] >= min || !own)
            rc = term_postings(st, 5, w, wl, &m[n], err);
        if (rc == 0 && own)
            rc = rt__postings_walk(st, w, wl, &m[n], err);
        rt_buf_release(&self.term);
        if (rc == 1)
            n++;
    }
    rt_buf_release(&tok.term);
    if (rc == 1 && n == 1) {
        *out = m[0];
        n = 0;
    } else if (rc == 1) {
        /* The words' rows joined, their counts in a row added (FTS5's count of the
         * phrase's hits there), each row's length from any word's group. */
        roaring_bitmap_t *bm;
        struct posting *p;
        uint32_t *acc, *idv;
        size_t k = 0, max, card;
        const roaring_bitmap_t **all;
        RT_ALLOC_ARRAY(all, n);
        for (size_t i = 0; i < n; i++)
            all[i] = m[i].bm;
        bm = roaring_bitmap_or_many(n, all);
        rt_free(all);
        max = roaring_bitmap_is_empty(bm) ? 0 : roaring_bitmap_maximum(bm);
        card = (size_t)roaring_bitmap_get_cardinality(bm);
        /* Kept zeroed between queries: only the rows touched are cleared again. */
        if (st->prefix_acc_n < max + 1) {
            rt_free(st->prefix_acc);
            st->prefix_acc = rt_xcalloc(max + 1, 2 * sizeof(*st->prefix_acc));
            st->prefix_acc_n = max + 1;
        }
        acc = st->prefix_acc;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0, at = 0; c < m[i].n_class; c++)
                for (size_t e = at + m[i].cls[c * 3 + 2]; at < e; at++) {
                    acc[m[i].ids[at] * 2] += m[i].cls[c * 3];
                    acc[m[i].ids[at] * 2 + 1] = m[i].cls[c * 3 + 1];
                }
        RT_ALLOC_ARRAY(p, card + 1);
        RT_ALLOC_ARRAY(idv, card + 1);
        roaring_bitmap_to_uint32_array(bm, idv);
        for (; k < card; k++) {
            uint32_t id = idv[k];
            p[k] = (struct posting){id, acc[id * 2], acc[id * 2 + 1]};
            acc[id * 2] = acc[id * 2 + 1] = 0;
        }
        rt_free(idv);
        term_from(p, k, bm, out);
        rt_free(p);
    }
    for (size_t i = 0; i < n; i++)
        rt__term_release(&m[i]);
    rt_free(m);
    if (rc == 1 && !out->bm)
        out->bm = roaring_bitmap_create(); /* no word begins with it */
    return rc;
}

/*
 * What the cache of terms may hold past a search before the next trims it: so many
 * bytes a row of the search index, at least TERM_CACHE_MIN and at most TERM_CACHE_MAX.
 * A word's decoded postings grow with its rows, so the same searches over data eight
 * times as large read eight times as much: a flat bound kept the frequent words of the
 * UPR Info file (1x, about 35,000 rows, under 8 MB for scale.sh's mix) but made the 8x
 * data (about 28 MB for the same mix) decode them again every few searches. Each web
 * worker keeps one (two by default); with the UPR Info file (35,369 rows, 7.9 MB) the
 * bound is the floor, 8 MB, as before, so the server's RSS stays under 64 MB
 * (bench/http.sh); eight times the file gives 63 MB.
 */
#define TERM_CACHE_ROW_BYTES 224u
#define TERM_CACHE_MIN (8u << 20)
#define TERM_CACHE_MAX (128u << 20)

struct rt__term_cache {
    struct rt__strmap at; /* kind and text -> index in terms */
    struct rt__term *terms;
    uint32_t *uses; /* how many times each term was found here since kept */
    size_t n, alloc, uses_alloc, bytes;
    uint64_t version;
    struct rt_buf key;
};

static void term_cache_clear(struct rt__term_cache *c)
{
    for (size_t i = 0; i < c->n; i++)
        rt__term_release(&c->terms[i]);
    c->n = 0;
    c->bytes = 0;
    rt__strmap_release(&c->at);
}

/* What the cache counts for t (0 for a term without rows). */
static size_t term_bytes(const struct rt__term *t)
{
    if (!t->bm)
        return 0;
    return ((size_t)t->n_class * 3 + t->n_post) * 4 + roaring_bitmap_size_in_bytes(t->bm) +
           sizeof(*t);
}

struct term_use {
    uint64_t saved; /* uses x bytes: what decoding it again would cost */
    uint32_t i;
};

static int term_use_cmp(const void *a, const void *b)
{
    const struct term_use *x = a, *y = b;
    if (x->saved != y->saved)
        return x->saved > y->saved ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The cache past its bound at the start of a search: keeps the terms found here again,
 * those that would cost most to decode again first (times found by size), in up to
 * three quarters of the bound, and lets the others go (emptying it all, as it did,
 * made the 8x data decode its frequent words again every few searches); the kept
 * terms' counts are halved, so that terms no longer asked make way.
 */
static void term_cache_trim(struct rt__term_cache *c, size_t bound)
{
    struct term_use *u;
    struct rt__strmap at = RT_STRMAP_INIT;
    int64_t *to;
    size_t kept = 0, n = 0;

    RT_ALLOC_ARRAY(u, c->n + 1);
    RT_ALLOC_ARRAY(to, c->n + 1);
    for (size_t i = 0; i < c->n; i++) {
        u[i] = (struct term_use){(uint64_t)c->uses[i] * term_bytes(&c->terms[i]), (uint32_t)i};
        to[i] = -1;
    }
    qsort(u, c->n, sizeof(*u), term_use_cmp);
    for (size_t k = 0; k < c->n && u[k].saved > 0; k++) {
        size_t b = term_bytes(&c->terms[u[k].i]);
        if (kept + b > bound / 4 * 3)
            continue;
        kept += b;
        to[u[k].i] = 0;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (to[i] < 0) {
            rt__term_release(&c->terms[i]);
            continue;
        }
        to[i] = (int64_t)n;
        c->uses[n] = c->uses[i] / 2;
        c->terms[n++] = c->terms[i];
    }
    for (size_t s = 0; s < c->at.cap; s++) {
        const struct rt__strmap_slot *e = &c->at.slots[s];
        if (e->key && to[e->value] >= 0)
            rt__strmap_put(&at, e->key, e->len, to[e->value]);
    }
    rt__strmap_release(&c->at);
    c->at = at;
    c->n = n;
    c->bytes = kept;
    rt_free(u);
    rt_free(to);
}

void rt__postings_cache_begin(struct rt_store *st)
{
    struct rt__term_cache *c = st->term_cache;
    size_t bound = st->term_cache_bytes;
    int64_t rows = 0, tokens;

    if (!bound) {
        if (!rt__facets_postings(st->facets, &rows, &tokens) || rows < 0)
            rows = 0;
        bound = (uint64_t)rows > TERM_CACHE_MAX / TERM_CACHE_ROW_BYTES
                    ? TERM_CACHE_MAX
                    : (size_t)rows * TERM_CACHE_ROW_BYTES;
        if (bound < TERM_CACHE_MIN)
            bound = TERM_CACHE_MIN;
    }
    if (!c)
        c = st->term_cache = rt_xcalloc(1, sizeof(*c));
    if (c->version != st->search_version) {
        term_cache_clear(c);
        c->version = st->search_version;
    } else if (c->bytes > bound) {
        term_cache_trim(c, bound);
    }
}

int rt__postings_cached(struct rt_store *st, int kind, const char *text, size_t len,
                        struct rt__term *out, struct rt_error *err)
{
    struct rt__term_cache *c = st->term_cache;
    int64_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    if (c) {
        rt_buf_reset(&c->key);
        rt_buf_addch(&c->key, (char)kind);
        rt_buf_add(&c->key, text, len);
        if (rt__strmap_get(&c->at, c->key.buf, c->key.len, &i)) {
            c->uses[i]++;
            if (!c->terms[i].bm)
                return 0;
            *out = c->terms[i];
            out->shared = 1;
            return 1;
        }
    }
    if (kind == 'g')
        rc = rt__postings_get(st, text, len, out, err);
    else if (kind == 'w')
        rc = rt__postings_walk(st, text, len, out, err);
    else
        rc = rt__postings_prefix(st, rt__facets_vocab(st, st->facets), text, len, out, err);
    if (!c || rc < 0)
        return rc;
    /* Kept, an answer of 0 too; the key was made above. */
    RT_ALLOC_GROW(c->terms, c->n + 1, c->alloc);
    RT_ALLOC_GROW(c->uses, c->n + 1, c->uses_alloc);
    c->terms[c->n] = *out;
    c->uses[c->n] = 0;
    if (rc == 1) {
        c->bytes += term_bytes(out);
        out->shared = 1;
    } else {
        memset(&c->terms[c->n], 0, sizeof(c->terms[c->n]));
    }
    rt__strmap_put(&c->at, c->key.buf, c->key.len, (int64_t)c->n);
    c->n++;
    return rc;
}

void rt__postings_cache_free(struct rt_store *st)
{
    struct rt__term_cache *c = st->term_cache;

    if (!c)
        return;
    term_cache_clear(c);
    rt_free(c->terms);
    rt_free(c->uses);
    rt_buf_release(&c->key);
    rt_free(c);
    st->term_cache = NULL;
}
