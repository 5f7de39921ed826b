/*
 * The tokens of a load, kept as FTS5 is given them (struct rt__tokcap, sqlite_int.h).
 *
 * When a load into an empty store indexes its rows at commit (rt__index_from), our
 * FTS5 tokenizer (fts.c) hands every token it gives FTS5 to this capture as well, and
 * the statement's SELECT marks where each row begins (the function rt_tokcap_row).
 * The search index's postings of words and of pairs of words are then built from
 * these tokens (postings.c) instead of being read back out of FTS5's index: its
 * vocabulary by fts5vocab, each word's rows by a walk of the word, a fifth of an
 * import. What is kept: each distinct token once (a number, its bytes, its count of
 * rows), and the stream of token numbers, row after row, column after column.
 */
#include "base/compat.h"

#include "base/hash.h"
#include "store/sqlite/sqlite_int.h"

struct cap_term {
    uint32_t hash, off, len;
    uint32_t docs;     /* rows that have it */
    uint32_t last_row; /* the last row (numbered from 1) counted in docs */
};

struct cap_row {
    int64_t id;
    uint32_t from;  /* its first token in stream */
    uint32_t len0;  /* tokens in its first column (the text) */
    uint32_t n;     /* tokens in all its columns */
    uint32_t n_col; /* columns given so far */
};

struct rt__tokcap {
    uint32_t *slot; /* open addressing: term number + 1, 0 empty; cap a power of 2 */
    size_t cap;
    struct cap_term *term;
    size_t n_term, alloc_term;
    struct rt_buf strings;
    uint32_t *stream;
    size_t n_stream, alloc_stream;
    struct cap_row *row;
    size_t n_row, alloc_row;
    int bad; /* something the build cannot rely on: postings read from FTS5 */
    /* rt__tokcap_select: each chosen term's occurrences, (row, col << 31 | offset) */
    uint32_t *occ_from; /* by term, n_term + 1; NULL until selected */
    uint32_t *occ;      /* two u32 an occurrence */
};

struct rt__tokcap *rt__tokcap_new(void)
{
    struct rt__tokcap *c = rt_xcalloc(1, sizeof(*c));

    c->strings = (struct rt_buf)RT_BUF_INIT;
    c->cap = 1u << 14;
    c->slot = rt_xcalloc(c->cap, sizeof(*c->slot));
    return c;
}

void rt__tokcap_free(struct rt__tokcap *c)
{
    if (!c)
        return;
    rt_free(c->slot);
    rt_free(c->term);
    rt_buf_release(&c->strings);
    rt_free(c->stream);
    rt_free(c->row);
    rt_free(c->occ_from);
    rt_free(c->occ);
    rt_free(c);
}

void rt__tokcap_row(struct rt__tokcap *c, int64_t id)
{
    if (c->bad)
        return;
    if (c->n_row && c->row[c->n_row - 1].id >= id) {
        c->bad = 1; /* not in id order */
        return;
    }
    RT_ALLOC_GROW(c->row, c->n_row + 1, c->alloc_row);
    c->row[c->n_row++] = (struct cap_row){id, (uint32_t)c->n_stream, 0, 0, 0};
}

void rt__tokcap_column(struct rt__tokcap *c)
{
    struct cap_row *r;

    if (c->bad)
        return;
    if (!c->n_row) {
        c->bad = 1;
        return;
    }
    r = &c->row[c->n_row - 1];
    r->n = (uint32_t)(c->n_stream - r->from);
    if (r->n_col++ == 0)
        r->len0 = r->n;
}

static uint32_t *find(const struct rt__tokcap *c, uint32_t hash, const char *s, size_t len)
{
    size_t mask = c->cap - 1, i = hash & mask;

    for (;; i = (i + 1) & mask) {
        uint32_t k = c->slot[i];
        if (!k)
            return &c->slot[i];
        const struct cap_term *t = &c->term[k - 1];
        if (t->hash == hash && t->len == len && !memcmp(c->strings.buf + t->off, s, len))
            return &c->slot[i];
    }
}

static void grow(struct rt__tokcap *c)
{
    size_t cap = c->cap * 2;
    uint32_t *slot = rt_xcalloc(cap, sizeof(*slot));

    for (size_t i = 0; i < c->cap; i++) {
        size_t j;
        if (!c->slot[i])
            continue;
        j = c->term[c->slot[i] - 1].hash & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = c->slot[i];
    }
    rt_free(c->slot);
    c->slot = slot;
    c->cap = cap;
}

void rt__tokcap_token(struct rt__tokcap *c, const char *s, size_t len)
{
    uint32_t hash, *k, row;
    struct cap_term *t;

    if (c->bad)
        return;
    if (!c->n_row || c->n_stream >= UINT32_MAX - 1 || c->strings.len + len >= UINT32_MAX) {
        c->bad = 1;
        return;
    }
    hash = (uint32_t)rt__hash(s, len);
    k = find(c, hash, s, len);
    if (!*k) {
        if ((c->n_term + 1) * 2 > c->cap) {
            grow(c);
            k = find(c, hash, s, len);
        }
        RT_ALLOC_GROW(c->term, c->n_term + 1, c->alloc_term);
        c->term[c->n_term] = (struct cap_term){hash, (uint32_t)c->strings.len, (uint32_t)len, 0, 0};
        if (rt_buf_add(&c->strings, s, len) < 0) {
            c->bad = 1;
            return;
        }
        *k = (uint32_t)++c->n_term;
    }
    t = &c->term[*k - 1];
    row = (uint32_t)c->n_row;
    if (t->last_row != row) {
        t->last_row = row;
        t->docs++;
    }
    RT_ALLOC_GROW(c->stream, c->n_stream + 1, c->alloc_stream);
    c->stream[c->n_stream++] = *k - 1;
}

int rt__tokcap_check(const struct rt__tokcap *c, int64_t rows, int64_t tokens, const uint32_t *dl,
                     const uint32_t *len0, size_t n_dl)
{
    if (!c || c->bad || !dl || !len0 || (int64_t)c->n_row != rows || (int64_t)c->n_stream != tokens)
        return 0;
    for (size_t i = 0; i < c->n_row; i++) {
        const struct cap_row *r = &c->row[i];
        /* The text, then the paragraph when it has one (FTS5 skips a NULL). */
        if (r->id < 0 || (uint64_t)r->id >= n_dl || r->n_col < 1 || r->n_col > 2 ||
            dl[r->id] != r->n || len0[r->id] != r->len0)
            return 0;
    }
    for (size_t t = 0; t < c->n_term; t++)
        if (memchr(c->strings.buf + c->term[t].off, '\0', c->term[t].len))
            return 0; /* fts5vocab would give it cut */
    return 1;
}

size_t rt__tokcap_terms(const struct rt__tokcap *c)
{
    return c->n_term;
}

const char *rt__tokcap_term(const struct rt__tokcap *c, uint32_t t, size_t *len, uint32_t *docs)
{
    *len = c->term[t].len;
    *docs = c->term[t].docs;
    return c->strings.buf + c->term[t].off;
}

static const struct rt__tokcap *sort_cap; /* qsort has no context argument */

/* FTS5's order of terms: by bytes, a prefix first. */
static int term_cmp(const void *a, const void *b)
{
    const struct cap_term *x = &sort_cap->term[*(const uint32_t *)a];
    const struct cap_term *y = &sort_cap->term[*(const uint32_t *)b];
    int d = memcmp(sort_cap->strings.buf + x->off, sort_cap->strings.buf + y->off,
                   x->len < y->len ? x->len : y->len);

    return d ? d : (x->len > y->len) - (x->len < y->len);
}

uint32_t *rt__tokcap_order(const struct rt__tokcap *c)
{
    uint32_t *order;

    RT_ALLOC_ARRAY(order, c->n_term + 1);
    for (size_t t = 0; t < c->n_term; t++)
        order[t] = (uint32_t)t;
    sort_cap = c;
    qsort(order, c->n_term, sizeof(*order), term_cmp);
    sort_cap = NULL;
    return order;
}

void rt__tokcap_select(struct rt__tokcap *c, const uint8_t *chosen)
{
    uint32_t *at;

    rt_free(c->occ_from);
    rt_free(c->occ);
    c->occ_from = rt_xcalloc(c->n_term + 1, sizeof(*c->occ_from));
    for (size_t i = 0; i < c->n_stream; i++)
        if (chosen[c->stream[i]])
            c->occ_from[c->stream[i] + 1]++;
    for (size_t t = 0; t < c->n_term; t++)
        c->occ_from[t + 1] += c->occ_from[t];
    RT_ALLOC_ARRAY(c->occ, 2 * (size_t)c->occ_from[c->n_term] + 1);
    RT_ALLOC_ARRAY(at, c->n_term + 1);
    memcpy(at, c->occ_from, c->n_term * sizeof(*at));
    for (size_t r = 0; r < c->n_row; r++) {
        const struct cap_row *row = &c->row[r];
        for (uint32_t k = 0; k < row->n; k++) {
            uint32_t t = c->stream[row->from + k];
            if (!chosen[t])
                continue;
            c->occ[2 * at[t]] = (uint32_t)r;
            c->occ[2 * at[t] + 1] = k < row->len0 ? k : 1u << 31 | (k - row->len0);
            at[t]++;
        }
    }
    rt_free(at);
}

size_t rt__tokcap_occ(const struct rt__tokcap *c, uint32_t t, size_t i, int64_t *id, int *col,
                      int *off)
{
    size_t n = c->occ_from[t + 1] - c->occ_from[t];
    const uint32_t *o;

    if (i >= n)
        return n;
    o = c->occ + 2 * ((size_t)c->occ_from[t] + i);
    *id = c->row[o[0]].id;
    *col = (int)(o[1] >> 31);
    *off = (int)(o[1] & 0x7fffffffu);
    return n;
}
