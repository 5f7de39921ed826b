/*
 * The PostgreSQL store's full-text index in memory (pg_int.h): every recommendation's
 * lexemes, as recommendation_fts holds them, read once per data version into lists
 * of (recommendation, positions) per lexeme. A search then finds its matches in C
 * instead of one GIN lookup and one heap visit per matching row on the server, and
 * ranks them with bm25 (the formula of SQLite's FTS5, as src/store/sqlite/rank.c
 * computes it) from the lengths and counts the index holds. A recommendation's
 * lexemes are its text's and its paragraph's (fts.c, rt__pg_tsvector_rec), as FTS5's
 * two columns: a row's length is both columns' tokens, a term's count its hits in
 * both, a bare number's in the text alone (FTS5's `text : "19"`).
 *
 * The query is the parsed query itself (rt_search_node, as src/search/query.c makes
 * it), its terms made into lexemes here: no query text is written and read again.
 * The matches are those of PostgreSQL's @@ for the tsquery that ops.c's render()
 * writes from the same tree (tests/unit/store/test_pg.c compares the two).
 */
#include "base/compat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

#include "base/strmap.h"
#include "store/backend.h"
#include "store/bm25.h"
#include "store/pg/pg_int.h"

struct posting {
    uint32_t doc;
    uint32_t pos;  /* index of its first position in tx->pos */
    uint16_t npos; /* how many */
};

struct lexeme {
    char *text; /* owned */
    size_t len;
    struct posting *p;
    size_t n, alloc;
};

/* A position as the tsvector keeps it: the weight in the top 2 bits (0, D: the text's;
 * RT_PG_PARAGRAPH_WEIGHT: the paragraph's, which come after the text's), then the
 * position from 1. */
#define POS_OF(p) ((uint32_t)(p)&0x3fff)
#define IN_TEXT(p) (((p) >> 14) == 0)

struct rt__pg_text {
    struct lexeme *lex; /* sorted by text (bytes), for prefixes */
    size_t n_lex;
    uint16_t *pos;
    size_t n_pos;
    uint32_t *doclen; /* by recommendation id: tokens (positions) of its text and paragraph */
    size_t n_doclen;
    roaring_bitmap_t *all;
    double avgdl;
    int64_t docs;
};

void rt__pg_text_free(struct rt__pg_text *tx)
{
    if (!tx)
        return;
    for (size_t i = 0; i < tx->n_lex; i++) {
        rt_free(tx->lex[i].text);
        rt_free(tx->lex[i].p);
    }
    rt_free(tx->lex);
    rt_free(tx->pos);
    rt_free(tx->doclen);
    if (tx->all)
        roaring_bitmap_free(tx->all);
    rt_free(tx);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static int lex_cmp(const void *a, const void *b)
{
    const struct lexeme *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Adds one row's tsvector (tsvectorsend's binary form) to tx: 0, or 1 when it cannot
 * be read. Rows come in id order, so each lexeme's list stays in id order. */
static int add_row(struct rt__pg_text *tx, struct rt__strmap *map, size_t *lex_alloc,
                   size_t *pos_alloc, uint32_t doc, const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint32_t n, tokens = 0;

    if (len < 4)
        return 1;
    n = be32(p);
    p += 4;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *z = memchr(p, 0, (size_t)(end - p));
        size_t wl;
        int64_t at;
        struct lexeme *lx;
        uint16_t np;

        if (!z || end - z < 3)
            return 1;
        wl = (size_t)(z - p);
        if (!rt__strmap_get(map, (const char *)p, wl, &at)) {
            RT_ALLOC_GROW(tx->lex, tx->n_lex + 1, *lex_alloc);
            lx = &tx->lex[tx->n_lex];
            memset(lx, 0, sizeof(*lx));
            lx->text = rt_xcalloc(wl + 1, 1);
            memcpy(lx->text, p, wl);
            lx->len = wl;
            at = (int64_t)tx->n_lex++;
            rt__strmap_put(map, (const char *)p, wl, at);
        }
        lx = &tx->lex[at];
        np = be16(z + 1);
        p = z + 3;
        if ((size_t)(end - p) < 2 * (size_t)np)
            return 1;
        RT_ALLOC_GROW(lx->p, lx->n + 1, lx->alloc);
        lx->p[lx->n++] = (struct posting){doc, (uint32_t)tx->n_pos, np};
        RT_ALLOC_GROW(tx->pos, tx->n_pos + np, *pos_alloc);
        for (uint16_t k = 0; k < np; k++)
            tx->pos[tx->n_pos++] = be16(p + 2 * k); /* the weight in its top 2 bits */
        p += 2 * np;
        tokens += np;
    }
    if (doc >= tx->n_doclen) {
        size_t was = tx->n_doclen, want = (size_t)doc + 1 > 2 * was ? (size_t)doc + 1 : 2 * was;
        RT_REALLOC_ARRAY(tx->doclen, want);
        memset(tx->doclen + was, 0, (want - was) * sizeof(*tx->doclen));
        tx->n_doclen = want;
    }
    tx->doclen[doc] = tokens;
    roaring_bitmap_add(tx->all, doc);
    return 0;
}

struct rt__pg_text_builder {
    struct rt__pg_text *tx;
    struct rt__strmap map;
    size_t lex_alloc, pos_alloc;
    int odd;
};

struct rt__pg_text_builder *rt__pg_text_builder_new(void)
{
    struct rt__pg_text_builder *b = rt_xcalloc(1, sizeof(*b));

    b->tx = rt_xcalloc(1, sizeof(*b->tx));
    b->tx->all = roaring_bitmap_create();
    b->map = (struct rt__strmap)RT_STRMAP_INIT;
    return b;
}

void rt__pg_text_builder_add(struct rt__pg_text_builder *b, uint64_t doc, const unsigned char *tsv,
                             size_t len)
{
    if (!b->odd)
        b->odd = doc > UINT32_MAX ||
                 add_row(b->tx, &b->map, &b->lex_alloc, &b->pos_alloc, (uint32_t)doc, tsv, len);
}

struct rt__pg_text *rt__pg_text_builder_end(struct rt__pg_text_builder *b)
{
    struct rt__pg_text *tx = b->tx;
    double total = 0;

    rt__strmap_release(&b->map);
    if (b->odd) {
        rt__pg_text_free(tx);
        rt_free(b);
        return NULL;
    }
    rt_free(b);
    if (tx->n_lex > 1)
        qsort(tx->lex, tx->n_lex, sizeof(*tx->lex), lex_cmp);
    tx->docs = (int64_t)roaring_bitmap_get_cardinality(tx->all);
    for (size_t i = 0; i < tx->n_doclen; i++)
        total += tx->doclen[i];
    tx->avgdl = tx->docs ? total / (double)tx->docs : 1.0;
    return tx;
}

int rt__pg_text_load(struct rt_pg *pg, struct rt__pg_text **out, struct rt_error *err)
{
    struct rt__pg_text_builder *b;
    PGresult *r;

    *out = NULL;
    r = PQexecParams(rt__pg_conn(pg),
                     "SELECT rec_id, lexemes FROM recommendation_fts ORDER BY rec_id", 0, NULL,
                     NULL, NULL, NULL, 1);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rt_error_set(err, RT_ESTORE, NULL, 0, "recommendation_fts",
                     "reading the full-text index: %s", PQresultErrorMessage(r));
        PQclear(r);
        return RT_ESTORE;
    }
    b = rt__pg_text_builder_new();
    for (int i = 0; i < PQntuples(r) && !b->odd; i++) {
        const unsigned char *id = (const unsigned char *)PQgetvalue(r, i, 0);
        if (PQgetlength(r, i, 0) != 8 || PQgetisnull(r, i, 1)) {
            b->odd = 1;
            break;
        }
        rt__pg_text_builder_add(b, (uint64_t)be32(id) << 32 | be32(id + 4),
                                (const unsigned char *)PQgetvalue(r, i, 1),
                                (size_t)PQgetlength(r, i, 1));
    }
    PQclear(r);
    *out = rt__pg_text_builder_end(b); /* NULL: the caller asks PostgreSQL */
    return 0;
}

/*
 * The index as bytes, to keep in search_index (ops.c): what the index holds, not the
 * tsvector text. All numbers are unsigned LEB128 varints:
 *
 *   "rtpgtx01"                             8 bytes
 *   D, then D times: doc - previous doc (the first: doc), its length in tokens
 *   L, then L times, in the index's order (bytes of the text):
 *     length, text bytes, P, then P times: doc - previous doc, npos, npos positions
 *   W, then W times, in the words' order (bytes): length, word, length, its stem
 *   FNV-1a 64 of all the bytes before it, 8 bytes little-endian
 *
 * A position is written with its weight (the top 2 bits of the tsvector's 16).
 * ("rtpgtx01", before the table word was kept here, had no W part; "rtpgtx02" held
 * positions without their weights, before the paragraph was indexed: such a row is
 * refused, and the connection that reads the tables again stores the new form.)
 *
 * Read back, the index is the one rt__pg_text_load made; damaged bytes are refused.
 */
#define PG_TEXT_POS_MAX 0xffff /* a tsvector's positions: 14 bits and a weight's 2 */

static const char tx_magic[8] = {'r', 't', 'p', 'g', 't', 'x', '0', '3'};

static void put_var(struct rt_buf *b, uint64_t v)
{
    unsigned char c[10];
    size_t n = 0;

    do {
        c[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            c[n] |= 0x80;
        n++;
    } while (v);
    rt_buf_add(b, c, n);
}

static uint64_t fnv64(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

struct doc_put {
    const struct rt__pg_text *tx;
    struct rt_buf *b;
    uint32_t prev;
};

static bool put_doc(uint32_t doc, void *arg)
{
    struct doc_put *d = arg;

    put_var(d->b, doc - d->prev);
    put_var(d->b, doc < d->tx->n_doclen ? d->tx->doclen[doc] : 0);
    d->prev = doc;
    return true;
}

void rt__pg_words_release(struct rt__pg_words *w)
{
    for (size_t i = 0; w->word && i < w->n; i++) {
        rt_free(w->word[i]);
        rt_free(w->stem[i]);
    }
    rt_free(w->word);
    rt_free(w->stem);
    w->word = w->stem = NULL;
    w->n = 0;
}

void rt__pg_text_serialize(const struct rt__pg_text *tx, const struct rt__pg_words *w,
                           struct rt_buf *out)
{
    struct doc_put d = {tx, out, 0};
    size_t start = out->len;
    uint64_t h;
    unsigned char c[8];

    rt_buf_add(out, tx_magic, sizeof(tx_magic));
    put_var(out, (uint64_t)roaring_bitmap_get_cardinality(tx->all));
    roaring_iterate(tx->all, put_doc, &d);
    put_var(out, tx->n_lex);
    for (size_t i = 0; i < tx->n_lex; i++) {
        const struct lexeme *l = &tx->lex[i];
        uint32_t prev = 0;
        put_var(out, l->len);
        rt_buf_add(out, l->text, l->len);
        put_var(out, l->n);
        for (size_t j = 0; j < l->n; j++) {
            put_var(out, l->p[j].doc - prev);
            prev = l->p[j].doc;
            put_var(out, l->p[j].npos);
            for (uint16_t k = 0; k < l->p[j].npos; k++)
                put_var(out, tx->pos[l->p[j].pos + k]);
        }
    }
    put_var(out, w && w->word ? w->n : 0);
    for (size_t i = 0; w && w->word && i < w->n; i++) {
        put_var(out, strlen(w->word[i]));
        rt_buf_adds(out, w->word[i]);
        put_var(out, strlen(w->stem[i]));
        rt_buf_adds(out, w->stem[i]);
    }
    h = fnv64((const unsigned char *)out->buf + start, out->len - start);
    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(h >> (8 * i));
    rt_buf_add(out, c, 8);
}

struct reader {
    const unsigned char *p, *end;
    int bad;
};

static uint64_t get_var(struct reader *r)
{
    uint64_t v = 0;

    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = 1;
            return 0;
        }
        v |= (uint64_t)(*r->p & 0x7f) << shift;
        if (!(*r->p++ & 0x80))
            return v;
    }
    r->bad = 1;
    return 0;
}

/* A string of the bytes: its length, then itself (no NUL byte); NULL when bad. */
static char *get_str(struct reader *r)
{
    uint64_t n = get_var(r);
    char *out;

    if (r->bad || n > (uint64_t)(r->end - r->p) || memchr(r->p, '\0', (size_t)n)) {
        r->bad = 1;
        return NULL;
    }
    out = rt_xcalloc((size_t)n + 1, 1);
    memcpy(out, r->p, (size_t)n);
    r->p += n;
    return out;
}

/* The W part into w (sorted, each word once), or r->bad. */
static void get_words(struct reader *r, struct rt__pg_words *w)
{
    uint64_t n = get_var(r);

    if (r->bad || n > (uint64_t)(r->end - r->p) / 2) {
        r->bad = 1;
        return;
    }
    w->word = rt_xcalloc((size_t)n + 1, sizeof(*w->word));
    w->stem = rt_xcalloc((size_t)n + 1, sizeof(*w->stem));
    for (w->n = 0; w->n < n && !r->bad; w->n++) {
        w->word[w->n] = get_str(r);
        w->stem[w->n] = get_str(r);
        if (!r->bad && w->n && strcmp(w->word[w->n - 1], w->word[w->n]) >= 0)
            r->bad = 1;
    }
}

struct rt__pg_text *rt__pg_text_deserialize(const unsigned char *b, size_t len,
                                            struct rt__pg_words *w)
{
    struct rt__pg_words words = {NULL, NULL, 0};
    struct reader r = {b, b + len - 8, 0};
    struct rt__pg_text *tx;
    uint64_t h = 0, docs, doc = 0, n_pos = 0;
    size_t pos_alloc = 0;
    double total = 0;

    if (len < sizeof(tx_magic) + 8 || memcmp(b, tx_magic, sizeof(tx_magic)))
        return NULL;
    for (int i = 0; i < 8; i++)
        h |= (uint64_t)b[len - 8 + i] << (8 * i);
    if (h != fnv64(b, len - 8))
        return NULL;
    r.p += sizeof(tx_magic);
    tx = rt_xcalloc(1, sizeof(*tx));
    tx->all = roaring_bitmap_create();
    docs = get_var(&r);
    if (docs > (uint64_t)(r.end - r.p) / 2)
        r.bad = 1;
    for (uint64_t i = 0; i < docs && !r.bad; i++) {
        uint64_t step = get_var(&r), dl = get_var(&r);
        doc += step;
        if ((i && !step) || doc > UINT32_MAX - 1 || dl > UINT32_MAX) {
            r.bad = 1;
            break;
        }
        if (doc >= tx->n_doclen) {
            size_t was = tx->n_doclen, want = (size_t)doc + 1 > 2 * was ? (size_t)doc + 1 : 2 * was;
            RT_REALLOC_ARRAY(tx->doclen, want);
            memset(tx->doclen + was, 0, (want - was) * sizeof(*tx->doclen));
            tx->n_doclen = want;
        }
        tx->doclen[doc] = (uint32_t)dl;
        roaring_bitmap_add(tx->all, (uint32_t)doc);
    }
    tx->n_lex = r.bad ? 0 : (size_t)get_var(&r);
    if (tx->n_lex > (uint64_t)(r.end - r.p) / 2)
        r.bad = 1;
    if (!r.bad)
        tx->lex = rt_xcalloc(tx->n_lex + 1, sizeof(*tx->lex));
    for (size_t i = 0; i < tx->n_lex && !r.bad; i++) {
        struct lexeme *l = &tx->lex[i];
        uint64_t wl = get_var(&r), np;
        if (r.bad || wl > (uint64_t)(r.end - r.p)) {
            r.bad = 1;
            break;
        }
        l->text = rt_xcalloc((size_t)wl + 1, 1);
        memcpy(l->text, r.p, (size_t)wl);
        l->len = (size_t)wl;
        r.p += wl;
        if (i && lex_cmp(&tx->lex[i - 1], l) >= 0) {
            r.bad = 1;
            break;
        }
        np = get_var(&r);
        if (np > (uint64_t)(r.end - r.p) / 2) {
            r.bad = 1;
            break;
        }
        l->n = l->alloc = (size_t)np;
        l->p = rt_xcalloc(l->n + 1, sizeof(*l->p));
        doc = 0;
        for (size_t j = 0; j < l->n && !r.bad; j++) {
            uint64_t step = get_var(&r), k = get_var(&r);
            doc += step;
            if ((j && !step) || doc >= tx->n_doclen || k > UINT16_MAX ||
                k > (uint64_t)(r.end - r.p) || n_pos + k > UINT32_MAX) {
                r.bad = 1;
                break;
            }
            l->p[j] = (struct posting){(uint32_t)doc, (uint32_t)n_pos, (uint16_t)k};
            RT_ALLOC_GROW(tx->pos, n_pos + k, pos_alloc);
            for (uint64_t m = 0; m < k; m++) {
                uint64_t at = get_var(&r);
                if (at > PG_TEXT_POS_MAX)
                    r.bad = 1;
                tx->pos[n_pos++] = (uint16_t)at;
            }
        }
    }
    tx->n_pos = (size_t)n_pos;
    if (!r.bad)
        get_words(&r, &words);
    if (r.bad || r.p != r.end) {
        rt__pg_words_release(&words);
        rt__pg_text_free(tx);
        return NULL;
    }
    if (w) {
        rt__pg_words_release(w);
        *w = words;
    } else {
        rt__pg_words_release(&words);
    }
    tx->docs = (int64_t)roaring_bitmap_get_cardinality(tx->all);
    for (size_t i = 0; i < tx->n_doclen; i++)
        total += tx->doclen[i];
    tx->avgdl = tx->docs ? total / (double)tx->docs : 1.0;
    return tx;
}

/* The query: a tree built from the parsed query (rt_search_node), each term's words
 * made into lexemes by the tokenizer that made the index's. */

enum { Q_NONE, Q_LEX, Q_PHRASE, Q_AND, Q_OR, Q_NOT };

struct qnode {
    int kind;
    size_t lo, hi;       /* Q_LEX: the lexemes [lo, hi) of tx->lex it stands for */
    int text_only;       /* Q_LEX, Q_PHRASE: in the text's positions only (a bare number) */
    struct qnode **kids; /* operands (Q_NOT: the first without the others; Q_PHRASE:
                          * its Q_LEX parts, in order) */
    size_t n_kids;
    roaring_bitmap_t *bm; /* the recommendations it matches */
    double idf;           /* of a Q_LEX or Q_PHRASE outside any NOT */
    int scored;
    uint32_t *tf; /* when scored: its occurrences by recommendation id */
};

struct builder {
    const struct rt__pg_text *tx;
    struct rt_tokenizer *t;
    rt__pg_words_fn words;
    void *ctx;
    struct qnode **all; /* every node, to free */
    size_t n_all, alloc;
};

static struct qnode *node(struct builder *b, int kind)
{
    struct qnode *n = rt_xcalloc(1, sizeof(*n));
    n->kind = kind;
    RT_ALLOC_GROW(b->all, b->n_all + 1, b->alloc);
    b->all[b->n_all++] = n;
    return n;
}

static void add_kid(struct qnode *n, struct qnode *kid)
{
    RT_REALLOC_ARRAY(n->kids, n->n_kids + 1);
    n->kids[n->n_kids++] = kid;
}

/* The first lexeme of tx not below key (of len bytes); with prefix, the first that
 * begins with key or sorts after it. */
static size_t lower_bound(const struct rt__pg_text *tx, const char *key, size_t len, int prefix)
{
    size_t lo = 0, hi = tx->n_lex;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct lexeme *l = &tx->lex[mid];
        size_t n = l->len < len ? l->len : len;
        int c = memcmp(l->text, key, n);
        if (c == 0 && !prefix)
            c = (l->len > len) - (l->len < len);
        else if (c == 0 && prefix)
            c = l->len < len ? -1 : 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A lexeme as a leaf: the one equal to it, or with prefix every one it begins. */
static struct qnode *leaf(struct builder *b, const char *w, size_t len, int prefix, int text_only)
{
    const struct rt__pg_text *tx = b->tx;
    struct qnode *n = node(b, Q_LEX);

    n->text_only = text_only;
    n->lo = lower_bound(tx, w, len, prefix);
    n->hi = n->lo;
    if (prefix) {
        while (n->hi < tx->n_lex && tx->lex[n->hi].len >= len &&
               !memcmp(tx->lex[n->hi].text, w, len))
            n->hi++;
    } else if (n->lo < tx->n_lex && tx->lex[n->lo].len == len &&
               !memcmp(tx->lex[n->lo].text, w, len)) {
        n->hi = n->lo + 1;
    }
    return n;
}

struct words {
    struct rt_buf all; /* the lexemes, each ended by a NUL */
    size_t count;
};

static int keep_word(void *ctx, const char *term, size_t len, size_t start, size_t end,
                     int colocated)
{
    struct words *w = ctx;

    (void)start;
    (void)end;
    if (len && !colocated) {
        rt_buf_add(&w->all, term, len);
        rt_buf_addch(&w->all, '\0');
        w->count++;
    }
    return 0;
}

/* One term's words (a phrase when more than one; prefix: the last one is a prefix,
 * unstemmed; text_only: in the text alone); a term without words matches nothing. */
static struct qnode *phrase(struct builder *b, const char *text, size_t len, int prefix,
                            int text_only)
{
    struct words w = {RT_BUF_INIT, 0};
    struct qnode *n;
    size_t at = 0;

    rt_tokenize(b->t, text, len, prefix ? RT_TOKENIZE_LAST_UNSTEMMED : 0, keep_word, &w);
    if (!w.count) {
        n = node(b, Q_NONE);
    } else if (w.count == 1) {
        n = leaf(b, w.all.buf, strlen(w.all.buf), prefix, text_only);
    } else {
        n = node(b, Q_PHRASE);
        n->text_only = text_only;
        for (size_t i = 0; i < w.count; i++) {
            size_t l = strlen(w.all.buf + at);
            add_kid(n, leaf(b, w.all.buf + at, l, prefix && i + 1 == w.count, text_only));
            at += l + 1;
        }
    }
    rt_buf_release(&w.all);
    return n;
}

/* A term; a prefix also stands for the words that b->words gives for its last word
 * (those whose stems do not begin with it), each in its place: any of them. */
static int term(struct builder *b, const struct rt_search_node *nd, struct qnode **out,
                struct rt_error *err)
{
    struct rt__last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT, alt = RT_BUF_INIT;
    struct qnode *any;
    int rc = 0;

    if (!nd->prefix) {
        *out = phrase(b, nd->text, nd->len, 0, rt__bare_number(nd));
        return 0;
    }
    rt__last_word(nd->text, nd->len, &last);
    if (last.word.len && b->words)
        rc = b->words(b->ctx, last.word.buf, last.word.len, &words, err);
    any = node(b, Q_OR);
    add_kid(any, phrase(b, nd->text, nd->len, 1, 0));
    for (size_t i = 0; rc == 0 && i < words.len; i += strlen(words.buf + i) + 1) {
        rt_buf_reset(&alt);
        rt_buf_add(&alt, nd->text, last.start);
        rt_buf_adds(&alt, words.buf + i);
        rt_buf_add(&alt, nd->text + last.end, nd->len - last.end);
        add_kid(any, phrase(b, alt.buf, alt.len, 0, 0));
    }
    *out = any;
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    rt_buf_release(&alt);
    return rc;
}

/* The tree of nd: 1 with *out, 0 when it searches a field the index does not hold,
 * or an error. */
static int build(struct builder *b, const struct rt_search_node *nd, struct qnode **out,
                 struct rt_error *err)
{
    struct qnode *n;
    int rc;

    switch (nd->kind) {
    case RT_SEARCH_TERM:
        if (nd->field)
            return 0;
        return (rc = term(b, nd, out, err)) < 0 ? rc : 1;
    case RT_SEARCH_GROUP:
        return build(b, nd->child, out, err);
    case RT_SEARCH_AND:
    case RT_SEARCH_OR:
    case RT_SEARCH_NOT:
        n = node(b, nd->kind == RT_SEARCH_AND ? Q_AND : nd->kind == RT_SEARCH_OR ? Q_OR : Q_NOT);
        for (const struct rt_search_node *c = nd->child; c; c = c->next) {
            struct qnode *kid;
            if ((rc = build(b, c, &kid, err)) != 1)
                return rc;
            add_kid(n, kid);
        }
        if (!n->n_kids)
            n->kind = Q_NONE;
        *out = n;
        return 1;
    }
    return 0;
}

/* The posting of doc in lexeme l, or NULL. */
static const struct posting *posting_of(const struct lexeme *l, uint32_t doc)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->p[mid].doc < doc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->p[lo].doc == doc ? &l->p[lo] : NULL;
}

static int has_pos(const struct rt__pg_text *tx, const struct qnode *n, uint32_t doc, uint32_t pos)
{
    for (size_t k = n->lo; k < n->hi; k++) {
        const struct posting *p = posting_of(&tx->lex[k], doc);
        if (!p)
            continue;
        for (uint16_t j = 0; j < p->npos; j++)
            if (POS_OF(tx->pos[p->pos + j]) == pos &&
                (!n->text_only || IN_TEXT(tx->pos[p->pos + j])))
                return 1;
    }
    return 0;
}

/* How many times the phrase n occurs in doc (its starts). */
static uint32_t phrase_count(const struct rt__pg_text *tx, const struct qnode *n, uint32_t doc)
{
    const struct qnode *f = n->kids[0];
    uint32_t count = 0;

    for (size_t k = f->lo; k < f->hi; k++) {
        const struct posting *p = posting_of(&tx->lex[k], doc);
        if (!p)
            continue;
        for (uint16_t j = 0; j < p->npos; j++) {
            uint32_t at = POS_OF(tx->pos[p->pos + j]);
            size_t i = 1;
            if (n->text_only && !IN_TEXT(tx->pos[p->pos + j]))
                continue;
            while (i < n->n_kids && has_pos(tx, n->kids[i], doc, at + (uint32_t)i))
                i++;
            count += i == n->n_kids;
        }
    }
    return count;
}

static bool keep_phrase(uint32_t doc, void *arg);

struct phrase_ctx {
    const struct rt__pg_text *tx;
    const struct qnode *n;
    roaring_bitmap_t *out;
};

static bool keep_phrase(uint32_t doc, void *arg)
{
    struct phrase_ctx *c = arg;
    uint32_t count = phrase_count(c->tx, c->n, doc);

    if (count)
        roaring_bitmap_add(c->out, doc);
    if (c->n->tf)
        c->n->tf[doc] = count;
    return true;
}

/* Sets n->bm (and its operands'), marking scored the leaves outside a NOT (an
 * operand that a NOT excludes counts as negated; excluded twice, as not). */
static void eval(const struct rt__pg_text *tx, struct qnode *n, int negated)
{
    switch (n->kind) {
    case Q_NONE:
        n->bm = roaring_bitmap_create();
        break;
    case Q_LEX:
        n->bm = roaring_bitmap_create();
        n->scored = !negated;
        if (n->scored)
            n->tf = rt_xcalloc(tx->n_doclen + 1, sizeof(*n->tf));
        for (size_t k = n->lo; k < n->hi; k++)
            for (size_t j = 0; j < tx->lex[k].n; j++) {
                const struct posting *p = &tx->lex[k].p[j];
                uint32_t in = p->npos;
                if (n->text_only) /* the positions of the text only */
                    for (uint16_t i = in = 0; i < p->npos; i++)
                        in += IN_TEXT(tx->pos[p->pos + i]);
                if (!in)
                    continue;
                roaring_bitmap_add(n->bm, p->doc);
                if (n->tf)
                    n->tf[p->doc] += in;
            }
        break;
    case Q_PHRASE: {
        roaring_bitmap_t *cand = NULL;
        struct phrase_ctx c = {tx, n, roaring_bitmap_create()};
        n->scored = !negated;
        if (n->scored)
            n->tf = rt_xcalloc(tx->n_doclen + 1, sizeof(*n->tf));
        for (size_t i = 0; i < n->n_kids; i++) {
            eval(tx, n->kids[i], 1);
            if (!cand)
                cand = roaring_bitmap_copy(n->kids[i]->bm);
            else
                roaring_bitmap_and_inplace(cand, n->kids[i]->bm);
        }
        roaring_iterate(cand, keep_phrase, &c);
        roaring_bitmap_free(cand);
        n->bm = c.out;
        break;
    }
    case Q_AND:
    case Q_OR:
    case Q_NOT:
        for (size_t i = 0; i < n->n_kids; i++) {
            struct qnode *k = n->kids[i];
            eval(tx, k, n->kind == Q_NOT && i ? !negated : negated);
            if (!i)
                n->bm = roaring_bitmap_copy(k->bm);
            else if (n->kind == Q_AND)
                roaring_bitmap_and_inplace(n->bm, k->bm);
            else if (n->kind == Q_OR)
                roaring_bitmap_or_inplace(n->bm, k->bm);
            else
                roaring_bitmap_andnot_inplace(n->bm, k->bm);
        }
        break;
    }
}

struct score_ctx {
    const struct rt__pg_text *tx;
    struct qnode **leaves;
    size_t n_leaves;
    struct rt__pg_hit *out;
    size_t n;
};

static bool score_doc(uint32_t doc, void *arg)
{
    struct score_ctx *c = arg;
    double dl = doc < c->tx->n_doclen ? c->tx->doclen[doc] : 0, score = 0;

    for (size_t i = 0; i < c->n_leaves; i++) {
        const struct qnode *l = c->leaves[i];
        score += rt__bm25_part(l->idf, l->tf[doc], dl, c->tx->avgdl);
    }
    c->out[c->n].id = doc;
    c->out[c->n++].score = score;
    return true;
}

int rt__pg_text_match(const struct rt__pg_text *tx, const struct rt_search_node *root,
                      struct rt_tokenizer *t, rt__pg_words_fn words, void *ctx,
                      struct rt__pg_hit **out, size_t *n, struct rt_error *err)
{
    struct builder b = {tx, t, words, ctx, NULL, 0, 0};
    struct score_ctx c = {tx, NULL, 0, NULL, 0};
    struct qnode *top = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = build(&b, root, &top, err)) != 1)
        goto out;
    eval(tx, top, 0);
    /* bm25 over the leaves that a match must or may have: their IDF from the rows of
     * the whole index that they match, as FTS5 counts a phrase's rows. */
    for (size_t i = 0; i < b.n_all; i++) {
        struct qnode *l = b.all[i];
        if ((l->kind == Q_LEX || l->kind == Q_PHRASE) && l->scored) {
            double hits = (double)roaring_bitmap_get_cardinality(l->bm);
            l->idf = rt__bm25_idf((double)tx->docs, hits);
            RT_REALLOC_ARRAY(c.leaves, c.n_leaves + 1);
            c.leaves[c.n_leaves++] = l;
        }
    }
    c.out = rt_xcalloc((size_t)roaring_bitmap_get_cardinality(top->bm) + 1, sizeof(*c.out));
    roaring_iterate(top->bm, score_doc, &c);
    *out = c.out;
    *n = c.n;
out:
    for (size_t i = 0; i < b.n_all; i++) {
        if (b.all[i]->bm)
            roaring_bitmap_free(b.all[i]->bm);
        rt_free(b.all[i]->kids);
        rt_free(b.all[i]->tf);
        rt_free(b.all[i]);
    }
    rt_free(b.all);
    rt_free(c.leaves);
    return rc;
}
