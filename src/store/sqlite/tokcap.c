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

#include <pthread.h>

#include <rightstrack/text.h>

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

/* A column of a row tokenized by the load's thread: its text and its new words. */
struct cap_col {
    uint32_t text, len;      /* in texts */
    uint32_t words, n_words; /* in words */
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
    /* Made by the load's thread (rt__tokwork): each token's start and end in its text
     * (two u32 a token), each row's two columns, their texts and new words. */
    uint32_t *span;
    size_t alloc_span;
    struct cap_col *col;
    size_t alloc_col;
    struct rt_buf texts, words;
    int replay;         /* to be given to FTS5 again (rt__tokcap_replay) */
    size_t cursor, cur; /* the next row to look at; the row being given (SIZE_MAX none) */
    uint32_t cur_col;
};

struct rt__tokcap *rt__tokcap_new(void)
{
    struct rt__tokcap *c = rt_xcalloc(1, sizeof(*c));

    c->strings = (struct rt_buf)RT_BUF_INIT;
    c->texts = (struct rt_buf)RT_BUF_INIT;
    c->words = (struct rt_buf)RT_BUF_INIT;
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
    rt_free(c->span);
    rt_free(c->col);
    rt_buf_release(&c->texts);
    rt_buf_release(&c->words);
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

/*
 * The load's tokenizer thread (struct rt__tokwork): the rows a load writes are
 * tokenized on the second core while the load goes on, into a capture that also keeps
 * each token's place in its text and the new words each text gave (for the table
 * word); at commit FTS5 is given those tokens again (rt__tokcap_replay) instead of our
 * tokenizer running on the caller's thread. A text that is not the one tokenized (a
 * paragraph added to a row after it was written) is tokenized there as before, and
 * the capture is then not used for the search index.
 */
struct work_chunk {
    struct work_chunk *next;
    struct rt_buf data; /* rows: id (8 bytes), text_len, par_len (4 each, ~0u none), bytes */
};

struct rt__tokwork {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct work_chunk *head, *tail; /* queued for the thread */
    struct work_chunk *filling;     /* the caller's */
    int done;
    struct rt_tokenizer *t;
    struct rt__tokcap *cap; /* the thread's until rt__tokwork_finish */
};

#define WORK_CHUNK (64u << 10)

/* The rt_tokenize callback of the thread: as fts.c's emit with a capture. */
static int work_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    struct rt__tokcap *c = ctx;

    if (colocated) {
        /* A new word of the text: word NUL stem NUL, the stem being the last token. */
        const struct cap_term *t = &c->term[c->stream[c->n_stream - 1]];
        rt_buf_add(&c->words, term, len);
        rt_buf_addch(&c->words, '\0');
        rt_buf_add(&c->words, c->strings.buf + t->off, t->len);
        rt_buf_addch(&c->words, '\0');
        return 0;
    }
    rt__tokcap_token(c, term, len);
    if (c->bad)
        return 1;
    RT_ALLOC_GROW(c->span, 2 * c->n_stream, c->alloc_span);
    c->span[2 * c->n_stream - 2] = (uint32_t)start;
    c->span[2 * c->n_stream - 1] = (uint32_t)end;
    return 0;
}

static void work_column(struct rt__tokwork *w, const char *s, uint32_t len)
{
    struct rt__tokcap *c = w->cap;
    struct cap_row *r = &c->row[c->n_row - 1];
    struct cap_col *col = &c->col[2 * (c->n_row - 1) + r->n_col];

    col->text = (uint32_t)c->texts.len;
    col->len = len;
    col->words = (uint32_t)c->words.len;
    rt_buf_add(&c->texts, s, len);
    if (len && rt_tokenize(w->t, s, len, RT_TOKENIZE_NEW_WORDS, work_token, c))
        c->bad = 1;
    col->n_words = (uint32_t)(c->words.len - col->words);
    rt__tokcap_column(c);
}

static void work_chunk_do(struct rt__tokwork *w, const struct rt_buf *d)
{
    struct rt__tokcap *c = w->cap;
    size_t i = 0;

    while (i + 16 <= d->len && !c->bad) {
        int64_t id;
        uint32_t tl, pl;
        memcpy(&id, d->buf + i, 8);
        memcpy(&tl, d->buf + i + 8, 4);
        memcpy(&pl, d->buf + i + 12, 4);
        i += 16;
        if (c->texts.len + tl + (pl == UINT32_MAX ? 0 : pl) >= UINT32_MAX) {
            c->bad = 1;
            break;
        }
        rt__tokcap_row(c, id);
        if (c->bad)
            break;
        RT_ALLOC_GROW(c->col, 2 * c->n_row, c->alloc_col);
        memset(&c->col[2 * (c->n_row - 1)], 0, 2 * sizeof(*c->col));
        work_column(w, d->buf + i, tl);
        i += tl;
        if (pl != UINT32_MAX) {
            work_column(w, d->buf + i, pl);
            i += pl;
        }
    }
}

static void *work_main(void *arg)
{
    struct rt__tokwork *w = arg;

    for (;;) {
        struct work_chunk *k;
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->done)
            pthread_cond_wait(&w->cv, &w->mu);
        k = w->head;
        if (k) {
            w->head = k->next;
            if (!w->head)
                w->tail = NULL;
        }
        pthread_mutex_unlock(&w->mu);
        if (!k)
            break;
        if (!w->cap->bad)
            work_chunk_do(w, &k->data);
        rt_buf_release(&k->data);
        rt_free(k);
    }
    return NULL;
}

struct rt__tokwork *rt__tokwork_start(void)
{
    struct rt__tokwork *w = rt_xcalloc(1, sizeof(*w));

    if (!(w->t = rt_tokenizer_new("english"))) {
        rt_free(w);
        return NULL;
    }
    w->cap = rt__tokcap_new();
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, work_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        rt__tokcap_free(w->cap);
        rt_tokenizer_free(w->t);
        rt_free(w);
        return NULL;
    }
    return w;
}

static void work_push(struct rt__tokwork *w)
{
    struct work_chunk *k = w->filling;

    if (!k)
        return;
    w->filling = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->tail)
        w->tail->next = k;
    else
        w->head = k;
    w->tail = k;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void rt__tokwork_row(struct rt__tokwork *w, int64_t id, const char *text, size_t text_len,
                     const char *par)
{
    size_t par_len = par ? strlen(par) : 0;
    uint32_t tl = (uint32_t)text_len, pl = par ? (uint32_t)par_len : UINT32_MAX;
    struct rt_buf *d;

    if (text_len >= UINT32_MAX || par_len >= UINT32_MAX)
        tl = pl = 0; /* cannot be told: the capture will not match, and is not used */
    if (!w->filling) {
        w->filling = rt_xcalloc(1, sizeof(*w->filling));
        w->filling->data = (struct rt_buf)RT_BUF_INIT;
    }
    d = &w->filling->data;
    rt_buf_add(d, &id, 8);
    rt_buf_add(d, &tl, 4);
    rt_buf_add(d, &pl, 4);
    rt_buf_add(d, text, tl);
    if (par)
        rt_buf_add(d, par, pl == UINT32_MAX ? 0 : pl);
    if (d->len >= WORK_CHUNK)
        work_push(w);
}

/* Ends the thread; its capture, or NULL with cancel. */
static struct rt__tokcap *work_end(struct rt__tokwork *w, int cancel)
{
    struct rt__tokcap *c;

    if (!cancel)
        work_push(w);
    pthread_mutex_lock(&w->mu);
    if (cancel) {
        w->cap->bad = 1; /* the thread drops what is queued */
    }
    w->done = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    if (w->filling) {
        rt_buf_release(&w->filling->data);
        rt_free(w->filling);
    }
    c = w->cap;
    rt_tokenizer_free(w->t);
    rt_free(w);
    if (cancel) {
        rt__tokcap_free(c);
        return NULL;
    }
    c->replay = 1;
    c->cursor = 0;
    c->cur = SIZE_MAX;
    return c;
}

struct rt__tokcap *rt__tokwork_finish(struct rt__tokwork *w)
{
    return w ? work_end(w, 0) : NULL;
}

void rt__tokwork_cancel(struct rt__tokwork *w)
{
    if (w)
        work_end(w, 1);
}

void rt__tokcap_replay_row(struct rt__tokcap *c, int64_t id)
{
    while (c->cursor < c->n_row && c->row[c->cursor].id < id)
        c->cursor++;
    if (c->cursor < c->n_row && c->row[c->cursor].id == id) {
        c->cur = c->cursor++;
        c->cur_col = 0;
    } else {
        c->cur = SIZE_MAX;
    }
}

int rt__tokcap_replay(struct rt__tokcap *c, const char *text, int n,
                      int (*x_token)(void *, int, const char *, int, int, int), void *ctx,
                      struct rt_buf *pending)
{
    const struct cap_row *r;
    const struct cap_col *col;
    uint32_t from, to;
    int rc = SQLITE_OK;

    if (c->bad || c->cur == SIZE_MAX) {
        c->bad = 1; /* a row the thread was not given (written by other means) */
        return -1;
    }
    r = &c->row[c->cur];
    if (c->cur_col >= r->n_col) {
        c->bad = 1;
        return -1;
    }
    col = &c->col[2 * c->cur + c->cur_col];
    if ((uint32_t)n != col->len || (n && memcmp(c->texts.buf + col->text, text, (size_t)n))) {
        c->bad = 1;
        return -1;
    }
    from = r->from + (c->cur_col ? r->len0 : 0);
    to = c->cur_col ? r->from + r->n : r->from + r->len0;
    c->cur_col++;
    for (uint32_t k = from; k < to && rc == SQLITE_OK; k++) {
        const struct cap_term *t = &c->term[c->stream[k]];
        rc = x_token(ctx, 0, c->strings.buf + t->off, (int)t->len, (int)c->span[2 * k],
                     (int)c->span[2 * k + 1]);
    }
    if (rc == SQLITE_OK && col->n_words &&
        rt_buf_add(pending, c->words.buf + col->words, col->n_words) < 0)
        rc = SQLITE_NOMEM;
    return rc;
}

int rt__tokcap_replayed(const struct rt__tokcap *c)
{
    return c->replay && !c->bad;
}
