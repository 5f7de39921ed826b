/*
 * The theme classifier: one-vs-rest logistic regression for theme labels and a
 * softmax for the action category, over hashed unigrams and bigrams of stems
 * (and, when asked, character n-grams of the stems), each weighted by its IDF and
 * each block of a text normalised to length 1, trained by SGD with a linearly
 * decaying rate; per-label thresholds tuned on a held-out slice for micro-F1.
 */
#include "base/compat.h"

#include <math.h>
#include <pthread.h>
#include <time.h>

#include <rightstrack/classify.h>
#include <rightstrack/text.h>

#include "base/hash.h"

#define N_CAT 5                         /* action categories 1..5 */
#define MAGIC "RTCLASS4"                /* blob header: quantised rows, character n-grams, flags */
#define MAGIC_V3 "RTCLASS3"             /* the third format: no flags (n-grams of stems) */
#define MAGIC_V2 "RTCLASS2"             /* the second format: quantised rows, words only */
#define MAGIC_V1 "RTCLASS1"             /* the first format: float32 rows */
#define CHAR_SEED 0x6A09E667F3BCC908ULL /* FNV-1a start of character n-grams */
#define MIN_TUNE_POS 4 /* fewer positives in a tuning slice: keep the global threshold */
#define NO_ROW UINT32_MAX
#define FLAG_SURFACE 1u /* blob flag: character n-grams of the words as written */
#define LANES 8         /* rows are padded to a multiple of this many weights */

/* Starts reading the cache line at p (a hint; nothing where the compiler has no
 * such built-in). */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* y += s * x over kp floats (kp a multiple of LANES); the fixed inner loop
 * vectorises. */
static void add_srow(float *restrict y, const float *restrict x, float s, size_t kp)
{
    for (size_t j = 0; j < kp; j += LANES)
        for (size_t q = 0; q < LANES; q++)
            y[j + q] += s * x[j + q];
}

/* y -= s * x over kp floats. */
static void sub_srow(float *restrict y, const float *restrict x, float s, size_t kp)
{
    for (size_t j = 0; j < kp; j += LANES)
        for (size_t q = 0; q < LANES; q++)
            y[j + q] -= s * x[j + q];
}

static size_t padded(size_t k)
{
    return (k + LANES - 1) / LANES * LANES;
}

/* y += s * x over kp values (kp a multiple of LANES). */
static void add_qrow(float *restrict y, const int8_t *restrict x, float s, size_t kp)
{
    for (size_t j = 0; j < kp; j += LANES)
        for (size_t q = 0; q < LANES; q++)
            y[j + q] += s * (float)x[j + q];
}

/*
 * Quantises a row of k weights to signed bytes with one scale for the row
 * (round to nearest): w[j] is about *scale * q[j], off by at most *scale / 2.
 */
static void quantise(const float *w, size_t k, int8_t *q, float *scale)
{
    float m = 0;

    for (size_t j = 0; j < k; j++)
        m = fabsf(w[j]) > m ? fabsf(w[j]) : m;
    *scale = m / 127.0f;
    for (size_t j = 0; j < k; j++) {
        long v = m > 0 ? lrintf(w[j] / *scale) : 0;
        q[j] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
}

/* Whether a trained row of k weights stays in the model: pruning drops the rows
 * whose weights are all smaller than min_weight (0 keeps every row). */
static int row_kept(const float *w, size_t k, double min_weight)
{
    for (size_t j = 0; j < k; j++)
        if (fabsf(w[j]) >= min_weight)
            return 1;
    return 0;
}

/* Replaces each of n rows of w (stride kp, k used) by its quantised value, so
 * that a model in training scores as the saved model will. */
static void quantise_rows(float *w, size_t n, size_t k, size_t kp)
{
    int8_t *q = rt_xcalloc(k + 1, 1);
    float scale;

    for (size_t r = 0; r < n; r++) {
        quantise(w + r * kp, k, q, &scale);
        for (size_t j = 0; j < k; j++)
            w[r * kp + j] = scale * (float)q[j];
    }
    rt_free(q);
}

/* An open-addressing map from a hashed bucket to a dense row of weights. A slot
 * holds both, so that a look-up touches one cache line. */
struct fslot {
    uint32_t key; /* bucket + 1; 0 = empty */
    uint32_t row;
};

struct fmap {
    struct fslot *slot;
    size_t cap, n; /* cap a power of two */
};

static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static void fmap_release(struct fmap *m)
{
    rt_free(m->slot);
    memset(m, 0, sizeof(*m));
}

static void fmap_init(struct fmap *m, size_t want)
{
    size_t cap = 1024;
    while (cap < want * 2)
        cap *= 2;
    m->slot = rt_xcalloc(cap, sizeof(*m->slot));
    m->cap = cap;
    m->n = 0;
}

/* Returns the row of bucket, or NO_ROW when absent. */
static uint32_t fmap_get(const struct fmap *m, uint32_t bucket)
{
    size_t mask = m->cap - 1, i = mix32(bucket) & mask;

    for (;;) {
        uint32_t k = m->slot[i].key;
        if (k == bucket + 1)
            return m->slot[i].row;
        if (!k)
            return NO_ROW;
        i = (i + 1) & mask;
    }
}

static void fmap_grow(struct fmap *m);

/* Sets bucket's row; returns the row already there, or NO_ROW when it was
 * added. */
static uint32_t fmap_put(struct fmap *m, uint32_t bucket, uint32_t row)
{
    size_t mask, i;

    if ((m->n + 1) * 2 > m->cap)
        fmap_grow(m);
    mask = m->cap - 1;
    i = mix32(bucket) & mask;
    for (;;) {
        uint32_t k = m->slot[i].key;
        if (!k) {
            m->slot[i].key = bucket + 1;
            m->slot[i].row = row;
            m->n++;
            return NO_ROW;
        }
        if (k == bucket + 1)
            return m->slot[i].row;
        i = (i + 1) & mask;
    }
}

static void fmap_grow(struct fmap *m)
{
    struct fmap bigger;

    fmap_init(&bigger, m->cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            fmap_put(&bigger, m->slot[i].key - 1, m->slot[i].row);
    fmap_release(m);
    *m = bigger;
}

/*
 * Token hashes of one text, then its feature buckets: the word block
 * (bucket[0..n_word)) and the character block (bucket[n_word..n)).
 */
struct feats {
    uint64_t *tok;
    size_t n_tok, alloc_tok;
    uint32_t *cbucket; /* character n-gram buckets, while tokenizing */
    size_t n_c, alloc_c;
    uint32_t *bucket;
    size_t n, n_word, alloc;
    unsigned bits, char_min, char_max; /* what collect_token needs */
    int surface;                       /* character n-grams of the words as written */
    const char *text;
    struct wcache *wc; /* predicting: the character block as model rows, through this */
};

/* The bucket of a feature hash h among 2^bits (every saved model depends on this). */
static uint32_t bucket_of(uint64_t h, unsigned bits)
{
    return (uint32_t)(rt__mix64_half(h) & ((1ULL << bits) - 1));
}

/*
 * The character n-grams of a term, within its bounds as scikit-learn's char_wb
 * makes them: the term with a space on each side, every run of char_min to
 * char_max bytes. Their buckets are 2^bits above the words', so the two never
 * share a row. Writes them to out (room for (len + 2) * (char_max - char_min + 1)
 * of at most 64 bytes of the term) in that order; returns how many.
 */
static size_t char_buckets(const struct feats *f, const char *term, size_t len, uint32_t *out)
{
    char w[66];
    size_t m, n_out = 0;

    if (len > sizeof(w) - 2)
        len = sizeof(w) - 2;
    w[0] = ' ';
    memcpy(w + 1, term, len);
    w[len + 1] = ' ';
    m = len + 2;
    for (size_t i = 0; i < m; i++) {
        uint64_t h = CHAR_SEED;
        for (size_t n = 1; n <= f->char_max && i + n <= m; n++) {
            h = rt__fnv1a_byte(h, (unsigned char)w[i + n - 1]);
            if (n >= f->char_min)
                out[n_out++] = (1U << f->bits) | bucket_of(h, f->bits);
        }
    }
    return n_out;
}

/*
 * Predicting meets the same words again and again, so it keeps, per word (its
 * bytes as char_buckets takes them), the model rows of its character n-grams in
 * their order, absent ones left out. What it holds depends only on the word and
 * the model, so the predictions are those of computing them every time. Bounded:
 * when full, it starts again empty.
 */
struct wentry {
    uint64_t h; /* 0: empty */
    uint32_t key_off, row_off;
    uint16_t key_len, n_rows;
};

struct wcache {
    const struct fmap *map; /* the model's: bucket -> row */
    struct wentry *slot;
    size_t cap, n; /* cap a power of two */
    char *keys;
    size_t n_keys, alloc_keys;
    uint32_t *rows;
    size_t n_rows, alloc_rows;
};

#define WCACHE_MIN (1u << 12)
#define WCACHE_MAX (1u << 17)  /* slots: up to half as many words */
#define WCACHE_ROWS (1u << 22) /* rows kept for all of them */

static void wcache_release(struct wcache *wc)
{
    if (!wc)
        return;
    rt_free(wc->slot);
    rt_free(wc->keys);
    rt_free(wc->rows);
    rt_free(wc);
}

static void wcache_rehash(struct wcache *wc, size_t cap)
{
    struct wentry *old = wc->slot;
    size_t old_cap = wc->cap;

    wc->slot = rt_xcalloc(cap, sizeof(*wc->slot));
    wc->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        size_t j = old[i].h & (cap - 1);
        if (!old[i].h)
            continue;
        while (wc->slot[j].h)
            j = (j + 1) & (cap - 1);
        wc->slot[j] = old[i];
    }
    rt_free(old);
}

/* Appends n model rows to f->cbucket (none: f->cbucket may still be NULL). */
static void add_rows(struct feats *f, const uint32_t *rows, size_t n)
{
    if (!n)
        return;
    RT_ALLOC_GROW(f->cbucket, f->n_c + n, f->alloc_c);
    memcpy(f->cbucket + f->n_c, rows, n * sizeof(*rows));
    f->n_c += n;
}

/* Appends the rows of the character n-grams of w[0..m) to f->cbucket. */
static void cached_char_rows(struct feats *f, const char *w, size_t m)
{
    struct wcache *wc = f->wc;
    uint64_t h = rt__mix64(rt__fnv1a(RT__FNV1A_INIT, w, m)) | 1;
    size_t i = h & (wc->cap - 1);
    struct wentry *e;
    uint32_t tmp[66 * 8];
    size_t nb;

    for (; wc->slot[i].h; i = (i + 1) & (wc->cap - 1)) {
        e = &wc->slot[i];
        if (e->h == h && e->key_len == m && !memcmp(wc->keys + e->key_off, w, m)) {
            add_rows(f, wc->rows + e->row_off, e->n_rows);
            return;
        }
    }
    /* A new word: its rows, kept for the next time. */
    nb = char_buckets(f, w, m, tmp);
    if ((wc->n + 1) * 2 > wc->cap || wc->n_rows + nb > WCACHE_ROWS) {
        if ((wc->n + 1) * 2 > wc->cap && wc->cap < WCACHE_MAX) {
            wcache_rehash(wc, wc->cap * 2);
        } else {
            memset(wc->slot, 0, wc->cap * sizeof(*wc->slot));
            wc->n = wc->n_keys = wc->n_rows = 0;
        }
        for (i = h & (wc->cap - 1); wc->slot[i].h; i = (i + 1) & (wc->cap - 1))
            ;
    }
    e = &wc->slot[i];
    e->h = h;
    e->key_off = (uint32_t)wc->n_keys;
    e->key_len = (uint16_t)m;
    e->row_off = (uint32_t)wc->n_rows;
    RT_ALLOC_GROW(wc->keys, wc->n_keys + m + 1, wc->alloc_keys);
    memcpy(wc->keys + wc->n_keys, w, m);
    wc->n_keys += m;
    RT_ALLOC_GROW(wc->rows, wc->n_rows + nb + 1, wc->alloc_rows);
    for (size_t j = 0; j < nb; j++) {
        uint32_t r = fmap_get(wc->map, tmp[j]);
        if (r != NO_ROW)
            wc->rows[wc->n_rows++] = r;
    }
    e->n_rows = (uint16_t)(wc->n_rows - e->row_off);
    wc->n++;
    add_rows(f, wc->rows + e->row_off, e->n_rows);
}

/* Appends the character n-grams of a term to f->cbucket: their buckets, or
 * (predicting, f->wc set) their model rows. */
static void char_grams(struct feats *f, const char *term, size_t len)
{
    if (len > 64)
        len = 64;
    if (f->wc) {
        cached_char_rows(f, term, len);
        return;
    }
    RT_ALLOC_GROW(f->cbucket, f->n_c + (len + 2) * (f->char_max - f->char_min + 1), f->alloc_c);
    f->n_c += char_buckets(f, term, len, f->cbucket + f->n_c);
}

static int collect_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                         int colocated)
{
    struct feats *f = ctx;

    (void)start, (void)end, (void)colocated;
    RT_ALLOC_GROW(f->tok, f->n_tok + 1, f->alloc_tok);
    f->tok[f->n_tok++] = rt__fnv1a(RT__FNV1A_INIT, term, len);
    if (f->char_max && f->surface) {
        char w[64];
        size_t m = end - start < sizeof(w) ? end - start : sizeof(w);
        for (size_t i = 0; i < m; i++) {
            unsigned char ch = (unsigned char)f->text[start + i];
            w[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        char_grams(f, w, m);
    } else if (f->char_max)
        char_grams(f, term, len);
    return 0;
}

/* How a text becomes features. */
struct featspec {
    unsigned bits;
    int bigrams;
    unsigned char_min, char_max; /* 0 0: no character n-grams */
    int surface;                 /* 1: of the words as written (lower case); 0: of the stems */
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Tokenizes text into f->bucket: the buckets of its unigrams and bigrams, in
 * text order, repeats included (f->n_word of them), then those of its
 * character n-grams. */
static void hash_features(struct rt_tokenizer *tok, const struct featspec *fs, const char *text,
                          size_t len, struct feats *f)
{
    unsigned bits = fs->bits;
    int bigrams = fs->bigrams;

    f->n_tok = 0;
    f->n = 0;
    f->n_c = 0;
    f->bits = bits;
    f->char_min = fs->char_min;
    f->char_max = fs->char_max;
    f->surface = fs->surface;
    f->text = text;
    rt_tokenize(tok, text, len, 0, collect_token, f);
    RT_ALLOC_GROW(f->bucket, f->n_tok * 3 + f->n_c + 1, f->alloc);
    for (size_t i = 0; i < f->n_tok; i++) {
        f->bucket[f->n++] = bucket_of(f->tok[i], bits);
        if (bigrams && i > 0)
            f->bucket[f->n++] =
                bucket_of(f->tok[i - 1] * 0x9E3779B97F4A7C15ULL + f->tok[i] + 0x632BE5ABULL, bits);
        if (bigrams > 1 && i > 1)
            f->bucket[f->n++] = bucket_of((f->tok[i - 2] * 0x9E3779B97F4A7C15ULL + f->tok[i - 1]) *
                                                  0xC2B2AE3D27D4EB4FULL +
                                              f->tok[i] + 0x165667B1ULL,
                                          bits);
    }
    f->n_word = f->n;
    if (f->n_c) /* cbucket is NULL until a text has character n-grams */
        memcpy(f->bucket + f->n, f->cbucket, f->n_c * sizeof(*f->bucket));
    f->n += f->n_c;
}

/* Sorts a[0..n) and drops repeats; returns how many are left. */
static size_t sort_unique(uint32_t *a, size_t n)
{
    size_t m = 0;

    qsort(a, n, sizeof(*a), cmp_u32);
    for (size_t i = 0; i < n; i++)
        if (!m || a[i] != a[m - 1])
            a[m++] = a[i];
    return m;
}

/* Tokenizes text into f->bucket: its distinct word buckets, sorted (f->n_word),
 * then its distinct character buckets, sorted. */
static void featurize(struct rt_tokenizer *tok, const struct featspec *fs, const char *text,
                      size_t len, struct feats *f)
{
    size_t nw, nc;

    hash_features(tok, fs, text, len, f);
    nw = sort_unique(f->bucket, f->n_word);
    nc = sort_unique(f->bucket + f->n_word, f->n - f->n_word);
    memmove(f->bucket + nw, f->bucket + f->n_word, nc * sizeof(*f->bucket));
    f->n_word = nw;
    f->n = nw + nc;
}

static void feats_release(struct feats *f)
{
    rt_free(f->tok);
    rt_free(f->cbucket);
    rt_free(f->bucket);
}

struct doc {
    size_t feat_off, n_feat; /* into ts->feat: n_word word features, then characters */
    size_t n_word;
    size_t label_off, n_label; /* into ts->label */
    int category;              /* 0: unknown */
};

struct rt_trainset {
    struct rt_classify_opts o;
    struct featspec fs;
    struct rt_tokenizer *tok;
    struct fmap map;  /* bucket -> row */
    uint32_t *bucket; /* row -> bucket */
    uint32_t *df;     /* row -> texts it appears in */
    size_t n_rows, alloc_rows;
    uint32_t *feat; /* rows of every doc */
    size_t n_feat, alloc_feat;
    uint32_t *label; /* label indexes of every doc */
    size_t n_label_refs, alloc_label_refs;
    struct doc *docs;
    size_t n_docs, alloc_docs;
    char **names; /* label names */
    size_t n_names, alloc_names;
    struct feats scratch;
};

struct rt_classifier {
    struct featspec fs;
    float char_weight;  /* the character block's share of the norm (see forward) */
    size_t n_labels, k; /* k = n_labels + N_CAT outputs per row */
    size_t kp;          /* k padded to LANES: the stride of q */
    char **labels;
    float *thresholds;
    float *bias; /* kp */
    size_t n_rows;
    uint32_t *bucket; /* row -> bucket */
    int8_t *q;        /* n_rows x kp weights, quantised: weight = scale[row] * q */
    float *scale;     /* n_rows */
    float *fw;        /* n_rows: the feature's weight (IDF, or 1) */
    struct fmap map;
    struct rt_tokenizer *tok;
    struct feats scratch;
    uint32_t *seen; /* n_rows: the stamp of the last text that used the row */
    uint32_t stamp;
    float *z; /* kp, scratch */
    struct wcache *wc;
    int simd; /* 2: AVX-512, 1: AVX2, 0: neither (add_qrows) */
};

struct rt_trainset *rt_trainset_new(const struct rt_classify_opts *opts)
{
    struct rt_trainset *ts = rt_xcalloc(1, sizeof(*ts));
    struct rt_classify_opts def = RT_CLASSIFY_OPTS_INIT;

    ts->o = opts ? *opts : def;
    if (ts->o.hash_bits < 10 || ts->o.hash_bits > 26)
        ts->o.hash_bits = def.hash_bits;
    if (ts->o.epochs < 1)
        ts->o.epochs = 1;
    if (!(ts->o.holdout >= 0.02 && ts->o.holdout <= 0.5))
        ts->o.holdout = def.holdout;
    if (!(ts->o.lr > 0))
        ts->o.lr = def.lr;
    if (!(ts->o.min_weight >= 0 && ts->o.min_weight < 1e6))
        ts->o.min_weight = 0;
    if (ts->o.char_max > 8 || ts->o.char_min < 1 || ts->o.char_min > ts->o.char_max)
        ts->o.char_min = ts->o.char_max = 0;
    if (!(ts->o.char_weight >= 0 && ts->o.char_weight <= 100))
        ts->o.char_weight = def.char_weight;
    if (!(ts->o.svm_c >= 0 && ts->o.svm_c <= 1e6))
        ts->o.svm_c = def.svm_c;
    if (ts->o.svm_iter < 1 || ts->o.svm_iter > 100000)
        ts->o.svm_iter = def.svm_iter;
    if (!(ts->o.svm_eps > 0 && ts->o.svm_eps <= 100))
        ts->o.svm_eps = def.svm_eps;
    if (ts->o.bigrams < 0 || ts->o.bigrams > 2)
        ts->o.bigrams = def.bigrams;
    if (ts->o.folds < 0 || ts->o.folds > 100)
        ts->o.folds = 0;
    if (!(ts->o.svm_pos_weight > 0 && ts->o.svm_pos_weight <= 1000))
        ts->o.svm_pos_weight = 1;
    ts->fs.bits = ts->o.hash_bits;
    ts->fs.bigrams = ts->o.bigrams;
    ts->fs.char_min = (unsigned)ts->o.char_min;
    ts->fs.char_max = (unsigned)ts->o.char_max;
    ts->fs.surface = ts->o.char_surface != 0;
    ts->tok = rt_tokenizer_new("english");
    if (!ts->tok)
        RT_BUG("no English stemmer");
    fmap_init(&ts->map, 1 << 16);
    return ts;
}

void rt_trainset_free(struct rt_trainset *ts)
{
    if (!ts)
        return;
    rt_tokenizer_free(ts->tok);
    fmap_release(&ts->map);
    rt_free(ts->bucket);
    rt_free(ts->df);
    rt_free(ts->feat);
    rt_free(ts->label);
    rt_free(ts->docs);
    for (size_t i = 0; i < ts->n_names; i++)
        rt_free(ts->names[i]);
    rt_free(ts->names);
    feats_release(&ts->scratch);
    rt_free(ts);
}

size_t rt_trainset_size(const struct rt_trainset *ts)
{
    return ts->n_docs;
}

static uint32_t label_index(struct rt_trainset *ts, const char *name)
{
    for (size_t i = 0; i < ts->n_names; i++)
        if (!strcmp(ts->names[i], name))
            return (uint32_t)i;
    RT_ALLOC_GROW(ts->names, ts->n_names + 1, ts->alloc_names);
    ts->names[ts->n_names] = rt_xstrdup(name);
    return (uint32_t)ts->n_names++;
}

int rt_trainset_add(struct rt_trainset *ts, const char *text, size_t len, const char *const *labels,
                    size_t n_labels, int category, struct rt_error *err)
{
    struct feats *f = &ts->scratch;
    struct doc *d;

    if (category < 0 || category > N_CAT)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "category", "action category %d is not 1 to 5",
                            category);
    featurize(ts->tok, &ts->fs, text, len, f);
    RT_ALLOC_GROW(ts->docs, ts->n_docs + 1, ts->alloc_docs);
    d = &ts->docs[ts->n_docs++];
    d->feat_off = ts->n_feat;
    d->n_feat = f->n;
    d->n_word = f->n_word;
    d->label_off = ts->n_label_refs;
    d->n_label = 0;
    d->category = category;
    RT_ALLOC_GROW(ts->feat, ts->n_feat + f->n, ts->alloc_feat);
    for (size_t i = 0; i < f->n; i++) {
        uint32_t row = fmap_put(&ts->map, f->bucket[i], (uint32_t)ts->n_rows);
        if (row == NO_ROW) {
            row = (uint32_t)ts->n_rows++;
            if (ts->n_rows > ts->alloc_rows) {
                ts->alloc_rows = ts->alloc_rows ? ts->alloc_rows * 2 : 4096;
                RT_REALLOC_ARRAY(ts->bucket, ts->alloc_rows);
                RT_REALLOC_ARRAY(ts->df, ts->alloc_rows);
            }
            ts->bucket[row] = f->bucket[i];
            ts->df[row] = 0;
        }
        ts->df[row]++;
        ts->feat[ts->n_feat++] = row;
    }
    for (size_t i = 0; i < n_labels; i++) {
        uint32_t li = label_index(ts, labels[i]);
        int dup = 0;
        for (size_t k = 0; k < d->n_label; k++)
            dup |= ts->label[d->label_off + k] == li;
        if (dup)
            continue;
        RT_ALLOC_GROW(ts->label, ts->n_label_refs + 1, ts->alloc_label_refs);
        ts->label[ts->n_label_refs++] = li;
        d->n_label++;
    }
    return 0;
}

/* A small deterministic generator (splitmix64) for shuffles. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void shuffle(size_t *a, size_t n, uint64_t *seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_rand(seed) % i), t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* The training view: docs' features remapped to kept rows. */
struct view {
    const struct rt_trainset *ts;
    uint32_t *remap; /* ts row -> model row, NO_ROW when dropped */
    size_t n_rows, k, kp, n_labels;
    float char_weight;
    float *fw; /* model row -> the feature's weight (its IDF, or 1) */
};

/*
 * The factor of a block of features whose weights' squares sum to ss: each block
 * (words, characters) has the Euclidean length 1 (times cw for characters), as
 * the peer's TF-IDF does per block, so that long and short texts weigh the same
 * and the many character n-grams do not drown the words.
 */
static float block_value(float ss, float cw)
{
    return ss > 0 ? cw / sqrtf(ss) : 0;
}

/* The weight of a feature seen in df of n texts: sklearn's smoothed IDF. */
static float idf_of(size_t df, size_t n)
{
    return (float)(log((1.0 + (double)n) / (1.0 + (double)df)) + 1.0);
}

/* z[0..kp) *= s. */
static void scale_row(float *z, float s, size_t kp)
{
    for (size_t j = 0; j < kp; j++)
        z[j] *= s;
}

static float sigmoidf(float z)
{
    if (z >= 0)
        return 1.0f / (1.0f + expf(-z));
    float e = expf(z);
    return e / (1.0f + e);
}

/* Computes the k outputs of doc d into z (labels as probabilities, categories
 * as softmax probabilities); x[0] and x[1] get the values of its word and
 * character features. */
static void forward(const struct view *v, const float *w, const float *b, const struct doc *d,
                    float *z, float *x)
{
    const uint32_t *feat = v->ts->feat + d->feat_off;
    size_t k = v->k;
    float mx = -1e30f, sum = 0, ss = 0, sc = 0;

    memset(z, 0, v->kp * sizeof(*z));
    for (size_t i = 0; i < d->n_word; i++) {
        uint32_t r = v->remap[feat[i]];
        if (r == NO_ROW)
            continue;
        add_srow(z, w + (size_t)r * v->kp, v->fw[r], v->kp);
        ss += v->fw[r] * v->fw[r];
    }
    x[0] = block_value(ss, 1.0f);
    x[1] = 0;
    if (d->n_feat > d->n_word) {
        for (size_t i = d->n_word; i < d->n_feat; i++) {
            uint32_t r = v->remap[feat[i]];
            if (r != NO_ROW)
                sc += v->fw[r] * v->fw[r];
        }
        x[1] = block_value(sc, v->char_weight);
        if (x[1] > 0) {
            scale_row(z, x[0] / x[1], v->kp);
            for (size_t i = d->n_word; i < d->n_feat; i++) {
                uint32_t r = v->remap[feat[i]];
                if (r != NO_ROW)
                    add_srow(z, w + (size_t)r * v->kp, v->fw[r], v->kp);
            }
        }
    }
    for (size_t j = 0; j < k; j++)
        z[j] = z[j] * (x[1] > 0 ? x[1] : x[0]) + b[j];
    for (size_t j = 0; j < v->n_labels; j++)
        z[j] = sigmoidf(z[j]);
    for (size_t j = v->n_labels; j < k; j++)
        mx = z[j] > mx ? z[j] : mx;
    for (size_t j = v->n_labels; j < k; j++)
        sum += (z[j] = expf(z[j] - mx));
    for (size_t j = v->n_labels; j < k; j++)
        z[j] /= sum;
}

/* Trains w and b (zeroed here) by SGD over docs idx[0..n). */
static void sgd(const struct view *v, const struct rt_classify_opts *o, size_t *idx, size_t n,
                float *w, float *b, uint64_t *seed)
{
    size_t k = v->k, total = (size_t)o->epochs * n, t = 0;
    float *z, *g, *gc;

    memset(w, 0, v->n_rows * v->kp * sizeof(*w));
    memset(b, 0, v->kp * sizeof(*b));
    z = rt_xcalloc(v->kp, sizeof(*z));
    g = rt_xcalloc(v->kp, sizeof(*g));
    gc = rt_xcalloc(v->kp, sizeof(*gc));
    for (int e = 0; e < o->epochs; e++) {
        shuffle(idx, n, seed);
        for (size_t i = 0; i < n; i++, t++) {
            const struct doc *d = &v->ts->docs[idx[i]];
            const uint32_t *feat = v->ts->feat + d->feat_off;
            const uint32_t *lab = v->ts->label + d->label_off;
            float lr = (float)(o->lr * (1.0 - (double)t / (double)total));
            float x[2], step;

            forward(v, w, b, d, z, x);

            for (size_t j = 0; j < v->n_labels; j++)
                g[j] = z[j];
            for (size_t j = 0; j < (v->n_labels ? d->n_label : 0); j++)
                g[lab[j]] -= 1.0f;
            for (size_t j = v->n_labels; j < k; j++)
                g[j] = d->category ? z[j] : 0;
            if (d->category)
                g[v->n_labels + (size_t)d->category - 1] -= 1.0f;
            for (size_t j = 0; j < k; j++)
                b[j] -= lr * g[j];
            step = lr * x[0];
            for (size_t j = 0; j < k; j++)
                gc[j] = g[j] * lr * x[1];
            for (size_t j = 0; j < k; j++)
                g[j] *= step;
            for (size_t f = 0; f < d->n_feat; f++) {
                uint32_t r = v->remap[feat[f]];
                if (r == NO_ROW)
                    continue;
                sub_srow(w + (size_t)r * v->kp, f < d->n_word ? g : gc, v->fw[r], v->kp);
            }
        }
    }
    rt_free(z);
    rt_free(g);
    rt_free(gc);
}

/* Held-out scores: n docs by the label outputs, and whether each label is true.
 */
struct scored {
    size_t n, l;
    float *s;      /* n x l */
    uint8_t *y;    /* n x l */
    int *cat_true; /* n, 0 unknown */
    int *cat_pred; /* n */
};

struct counts {
    double tp, fp, fn;
};

static double f1_of(struct counts c)
{
    return c.tp ? 2 * c.tp / (2 * c.tp + c.fp + c.fn) : 0;
}

/* Adds the counts of label j over docs rows[0..m) at threshold t. */
static void count_label(const struct scored *sc, const size_t *rows, size_t m, size_t j, float t,
                        struct counts *c)
{
    for (size_t i = 0; i < m; i++) {
        size_t r = rows[i];
        int p = sc->s[r * sc->l + j] >= t, y = sc->y[r * sc->l + j];
        c->tp += p && y;
        c->fp += p && !y;
        c->fn += !p && y;
    }
}

/*
 * Tunes thresholds th[l] on docs rows[0..m) for micro-F1: the best global
 * threshold first, then (per_label) each label's own in two rounds of
 * coordinate ascent (labels with few positives here keep the global one).
 */
static void tune(const struct scored *sc, const size_t *rows, size_t m, float *th, int per_label)
{
    size_t l = sc->l;
    struct counts *per = rt_xcalloc(l, sizeof(*per)), all;
    float best_t = 0.5f;
    double best = -1;

    for (int step = 5; step <= 90; step++) {
        float t = (float)step / 100.0f;
        struct counts c = {0, 0, 0};
        for (size_t j = 0; j < l; j++)
            count_label(sc, rows, m, j, t, &c);
        if (f1_of(c) > best) {
            best = f1_of(c);
            best_t = t;
        }
    }
    for (size_t j = 0; j < l; j++) {
        th[j] = best_t;
        count_label(sc, rows, m, j, best_t, &per[j]);
    }
    for (int round = 0; round < (per_label ? 2 : 0); round++) {
        for (size_t j = 0; j < l; j++) {
            struct counts rest = {0, 0, 0};
            float bt = th[j];
            double bf;
            if (per[j].tp + per[j].fn < MIN_TUNE_POS)
                continue;
            all = (struct counts){0, 0, 0};
            for (size_t q = 0; q < l; q++) {
                all.tp += per[q].tp;
                all.fp += per[q].fp;
                all.fn += per[q].fn;
            }
            rest = (struct counts){all.tp - per[j].tp, all.fp - per[j].fp, all.fn - per[j].fn};
            bf = f1_of(all);
            for (int step = 5; step <= 95; step += 1) {
                float t = (float)step / 100.0f;
                struct counts c = rest;
                count_label(sc, rows, m, j, t, &c);
                if (f1_of(c) > bf + 1e-12) {
                    bf = f1_of(c);
                    bt = t;
                }
            }
            th[j] = bt;
            per[j] = (struct counts){0, 0, 0};
            count_label(sc, rows, m, j, bt, &per[j]);
        }
    }
    rt_free(per);
}

static void score(const struct view *v, const float *w, const float *b, const size_t *idx, size_t n,
                  struct scored *sc)
{
    float *z;

    sc->n = n;
    sc->l = v->n_labels;
    sc->s = rt_xcalloc(rt_st_mult(n, v->n_labels) + 1, sizeof(*sc->s));
    sc->y = rt_xcalloc(rt_st_mult(n, v->n_labels) + 1, 1);
    sc->cat_true = rt_xcalloc(n + 1, sizeof(int));
    sc->cat_pred = rt_xcalloc(n + 1, sizeof(int));
    z = rt_xcalloc(v->kp, sizeof(*z));
    for (size_t i = 0; i < n; i++) {
        const struct doc *d = &v->ts->docs[idx[i]];
        size_t best = 0;
        float x[2];
        forward(v, w, b, d, z, x);
        memcpy(sc->s + i * v->n_labels, z, v->n_labels * sizeof(*z));
        for (size_t j = 0; j < d->n_label; j++)
            sc->y[i * v->n_labels + v->ts->label[d->label_off + j]] = 1;
        for (size_t j = 1; j < N_CAT; j++)
            if (z[v->n_labels + j] > z[v->n_labels + best])
                best = j;
        sc->cat_true[i] = d->category;
        sc->cat_pred[i] = (int)best + 1;
    }
    rt_free(z);
}

static void scored_release(struct scored *sc)
{
    rt_free(sc->s);
    rt_free(sc->y);
    rt_free(sc->cat_true);
    rt_free(sc->cat_pred);
}

/*
 * Adds a trained row of c->k weights for bucket to the model c, quantised, when
 * the pruning keeps it (one of its weights at least min_weight); fw is the
 * feature's weight. c->bucket, c->scale, c->fw and c->q have room for it.
 */
static void model_add_row(struct rt_classifier *c, uint32_t bucket, const float *row, float fw,
                          double min_weight)
{
    if (!row_kept(row, c->k, min_weight))
        return;
    c->bucket[c->n_rows] = bucket;
    fmap_put(&c->map, bucket, (uint32_t)c->n_rows);
    quantise(row, c->k, c->q + c->n_rows * c->kp, &c->scale[c->n_rows]);
    c->fw[c->n_rows] = fw;
    c->n_rows++;
}

/* Gives a model whose rows are in place what predicting needs. */
static void model_ready(struct rt_classifier *c)
{
    c->seen = rt_xcalloc(c->n_rows + 1, sizeof(*c->seen));
    c->tok = rt_tokenizer_new("english");
    c->z = rt_xcalloc(c->kp, sizeof(*c->z));
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
    __builtin_cpu_init();
    c->simd = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
    if (c->fs.char_max) {
        c->wc = rt_xcalloc(1, sizeof(*c->wc));
        c->wc->map = &c->map;
        wcache_rehash(c->wc, WCACHE_MIN);
        c->scratch.wc = c->wc;
    }
}

/* The final model's training, run on a thread of its own. */
struct refit {
    const struct view *v;
    const struct rt_classify_opts *o;
    size_t *idx, n;
    float *w, *b;
    uint64_t seed;
};

static void *refit_main(void *arg)
{
    struct refit *r = arg;
    sgd(r->v, r->o, r->idx, r->n, r->w, r->b, &r->seed);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The labels as one-vs-rest linear SVMs: L2-regularised squared hinge loss,
 * min_w 1/2 |w|^2 + C sum_i max(0, 1 - y_i (w.x_i + b))^2 with the bias as a
 * feature of value 1, solved in the dual by coordinate descent with shrinking
 * (Hsieh et al., ICML 2008, as liblinear and scikit-learn's LinearSVC do it).
 */

/* The training texts as a sparse matrix: each text's kept features with their
 * values (the feature's weight times its block's factor, as forward uses them). */
struct csr {
    size_t *off;    /* n_docs + 1 */
    uint32_t *col;  /* perm[model row] */
    uint32_t *perm; /* model row -> column: the most frequent features first, so that
                       the weights most texts use share the cache */
    float *val;
    float *sq; /* n_docs: the squared length of each text, the bias's 1 included */
};

/* The columns of the model rows of v: by the number of texts each feature is in,
 * most first (ties by row); the caller frees it. */
static uint32_t *column_order(const struct view *v)
{
    const struct rt_trainset *ts = v->ts;
    uint32_t *df = rt_xcalloc(v->n_rows + 1, sizeof(*df)), *perm, *count, max = 0;

    for (size_t r = 0; r < ts->n_rows; r++)
        if (v->remap[r] != NO_ROW) {
            df[v->remap[r]] = ts->df[r];
            max = ts->df[r] > max ? ts->df[r] : max;
        }
    /* A counting sort on df, descending. */
    count = rt_xcalloc((size_t)max + 2, sizeof(*count));
    for (size_t r = 0; r < v->n_rows; r++)
        count[max - df[r] + 1]++;
    for (size_t d = 1; d <= (size_t)max + 1; d++)
        count[d] += count[d - 1];
    RT_ALLOC_ARRAY(perm, v->n_rows + 1);
    for (size_t r = 0; r < v->n_rows; r++)
        perm[r] = count[max - df[r]]++;
    rt_free(df);
    rt_free(count);
    return perm;
}

static void csr_build(const struct view *v, struct csr *m)
{
    const struct rt_trainset *ts = v->ts;
    size_t n = ts->n_docs, nnz = 0;

    RT_ALLOC_ARRAY(m->off, n + 1);
    RT_ALLOC_ARRAY(m->col, ts->n_feat + 1);
    RT_ALLOC_ARRAY(m->val, ts->n_feat + 1);
    RT_ALLOC_ARRAY(m->sq, n + 1);
    m->perm = column_order(v);
    for (size_t i = 0; i < n; i++) {
        const struct doc *d = &ts->docs[i];
        const uint32_t *feat = ts->feat + d->feat_off;
        float ss = 0, sc = 0, x[2], q = 1;

        for (size_t f = 0; f < d->n_feat; f++) {
            uint32_t r = v->remap[feat[f]];
            if (r == NO_ROW)
                continue;
            if (f < d->n_word)
                ss += v->fw[r] * v->fw[r];
            else
                sc += v->fw[r] * v->fw[r];
        }
        x[0] = block_value(ss, 1.0f);
        x[1] = block_value(sc, v->char_weight);
        m->off[i] = nnz;
        for (size_t f = 0; f < d->n_feat; f++) {
            uint32_t r = v->remap[feat[f]];
            if (r == NO_ROW)
                continue;
            m->col[nnz] = m->perm[r];
            m->val[nnz] = v->fw[r] * x[f < d->n_word ? 0 : 1];
            q += m->val[nnz] * m->val[nnz];
            nnz++;
        }
        m->sq[i] = q;
    }
    m->off[n] = nnz;
}

static void csr_release(struct csr *m)
{
    rt_free(m->off);
    rt_free(m->col);
    rt_free(m->val);
    rt_free(m->sq);
    rt_free(m->perm);
}

/* w.x_i + b. */
static double csr_dot(const struct csr *m, size_t i, const float *w, float b)
{
    const uint32_t *col = m->col + m->off[i];
    const float *val = m->val + m->off[i];
    size_t n = m->off[i + 1] - m->off[i], p = 0;
    float s[4] = {b, 0, 0, 0};

    /* Four sums, so that the multiplications do not wait on each other. */
    for (; p + 4 <= n; p += 4)
        for (size_t q = 0; q < 4; q++)
            s[q] += w[col[p + q]] * val[p + q];
    for (; p < n; p++)
        s[0] += w[col[p]] * val[p];
    return (double)(s[0] + s[1]) + (double)(s[2] + s[3]);
}

/*
 * One label's SVM over docs[0..nd), from the dual alpha (per doc) and the w, b it
 * gives (zero, or left by an earlier call over fewer docs: a warm start).
 * y[i * ystride] says whether doc i has the label. order: nd scratch slots.
 */
static void svm_solve(const struct csr *m, const uint8_t *y, size_t ystride, const size_t *docs,
                      size_t nd, const struct rt_classify_opts *o, float *alpha, float *w, float *b,
                      size_t *order, uint64_t *seed)
{
    double dneg = 0.5 / o->svm_c, dpos = dneg / (o->svm_pos_weight > 0 ? o->svm_pos_weight : 1),
           pgmax_old = HUGE_VAL;
    size_t active = nd;

    memcpy(order, docs, nd * sizeof(*order));
    for (int it = 0; it < o->svm_iter; it++) {
        double pgmax = -HUGE_VAL, pgmin = HUGE_VAL;
        size_t s = 0;

        shuffle(order, active, seed);
        while (s < active) {
            size_t i = order[s];
            float yi = y[i * ystride] ? 1.0f : -1.0f, old = alpha[i], d;
            double diag = y[i * ystride] ? dpos : dneg;
            double g = yi * csr_dot(m, i, w, *b) - 1 + old * diag, pg = g;

            if (old == 0) {
                if (g > pgmax_old) { /* shrink: it stays at 0 */
                    order[s] = order[--active];
                    order[active] = i;
                    continue;
                }
                if (g > 0)
                    pg = 0;
            }
            pgmax = pg > pgmax ? pg : pgmax;
            pgmin = pg < pgmin ? pg : pgmin;
            s++;
            if (fabs(pg) <= 1e-12)
                continue;
            alpha[i] = (float)fmax(old - g / (m->sq[i] + diag), 0);
            d = (alpha[i] - old) * yi;
            for (size_t p = m->off[i]; p < m->off[i + 1]; p++)
                w[m->col[p]] += d * m->val[p];
            *b += d;
        }
        if (pgmax - pgmin <= o->svm_eps) {
            if (active == nd)
                break;
            active = nd;
            pgmax_old = HUGE_VAL;
            continue;
        }
        pgmax_old = pgmax <= 0 ? HUGE_VAL : pgmax;
    }
}

/*
 * The action category: a softmax over the word features alone (vc), by SGD on
 * idx[0..n_train), scored on the held-out rest, then (refit) again on every doc.
 * It has its own copy of the docs' order and its own seed, so it can run beside
 * the labels' SVMs and give what it gives alone.
 */
struct cat_job {
    const struct view *vc;
    const struct rt_classify_opts *o;
    size_t *idx; /* its own */
    size_t n, n_train;
    float *wc, *bc;
    uint64_t seed;
    size_t cat_n, cat_ok; /* held-out docs with a category, and those predicted right */
};

static void cat_train(struct cat_job *cj)
{
    const struct view *vc = cj->vc;
    float *z = rt_xcalloc(vc->kp, sizeof(*z));

    sgd(vc, cj->o, cj->idx, cj->n_train, cj->wc, cj->bc, &cj->seed);
    for (size_t h = cj->n_train; h < cj->n; h++) {
        const struct doc *d = &vc->ts->docs[cj->idx[h]];
        size_t best = 0;
        float x[2];
        if (!d->category)
            continue;
        forward(vc, cj->wc, cj->bc, d, z, x);
        for (size_t q = 1; q < N_CAT; q++)
            best = z[q] > z[best] ? q : best;
        cj->cat_n++;
        cj->cat_ok += (int)best + 1 == d->category;
    }
    if (cj->o->refit)
        sgd(vc, cj->o, cj->idx, cj->n, cj->wc, cj->bc, &cj->seed);
    rt_free(z);
}

/* The labels' SVMs, shared by the training threads: each takes the next label. */
struct svm_work {
    const struct csr *m;
    const struct rt_classify_opts *o;
    const uint8_t *y; /* n_docs x n_labels */
    const size_t *idx;
    size_t n, n_train, n_rows, n_labels; /* idx[n_train..n): held out */
    float *w;                            /* n_labels x n_rows: the final weights */
    float *b;                            /* n_labels */
    float *heldout;                      /* (n - n_train) x n_labels: the first fit's values */
    pthread_mutex_t lock;
    size_t next; /* the next job, under lock: 0 the action category, then the labels */
    struct cat_job *cat;
    /* Cross-fitting (folds >= 2): block f's docs are out[f][0..n_out[f]), the rest
     * in[f][0..n_in[f]); heldout is then n_docs x n_labels, by doc. */
    size_t folds;
    size_t **in, **out, *n_in, *n_out;
};

/* Takes docs[0..nd) out of the solution w, b of label ystride-strided y: their
 * alphas go back to 0 and their share of w and b with them. */
static void svm_drop(const struct csr *m, const uint8_t *y, size_t ystride, const size_t *docs,
                     size_t nd, float *alpha, float *w, float *b)
{
    for (size_t k = 0; k < nd; k++) {
        size_t i = docs[k];
        float d;
        if (alpha[i] == 0)
            continue;
        d = -alpha[i] * (y[i * ystride] ? 1.0f : -1.0f);
        for (size_t p = m->off[i]; p < m->off[i + 1]; p++)
            w[m->col[p]] += d * m->val[p];
        *b += d;
        alpha[i] = 0;
    }
}

/* Cross-fits label j: for each block, the SVM on the other blocks (each warm
 * from the last) scores it; then the SVM on every doc, warm from the last. */
static void svm_folds(struct svm_work *sw, size_t j, float *alpha, float *w, size_t *order,
                      size_t *all, uint64_t *seed)
{
    const uint8_t *y = sw->y + j;
    size_t l = sw->n_labels;

    for (size_t f = 0; f < sw->folds; f++) {
        svm_drop(sw->m, y, l, sw->out[f], sw->n_out[f], alpha, w, &sw->b[j]);
        svm_solve(sw->m, y, l, sw->in[f], sw->n_in[f], sw->o, alpha, w, &sw->b[j], order, seed);
        for (size_t k = 0; k < sw->n_out[f]; k++) {
            size_t i = sw->out[f][k];
            sw->heldout[i * l + j] = (float)csr_dot(sw->m, i, w, sw->b[j]);
        }
    }
    svm_solve(sw->m, y, l, all, sw->n, sw->o, alpha, w, &sw->b[j], order, seed);
}

/* Trains labels until none is left: first on idx[0..n_train), scoring the held
 * out docs, then again on every doc from there. */
static void *svm_main(void *arg)
{
    struct svm_work *sw = arg;
    float *alpha = rt_xcalloc(sw->n + 1, sizeof(*alpha));
    size_t *order = rt_xcalloc(sw->n + 1, sizeof(*order)), *all;

    RT_ALLOC_ARRAY(all, sw->n + 1);
    for (size_t i = 0; i < sw->n; i++)
        all[i] = i;
    for (;;) {
        size_t j;
        float *w;
        uint64_t seed;

        pthread_mutex_lock(&sw->lock);
        j = sw->next++;
        pthread_mutex_unlock(&sw->lock);
        if (j == 0) {
            cat_train(sw->cat);
            continue;
        }
        if (--j >= sw->n_labels)
            break;
        w = sw->w + j * sw->n_rows;
        seed = sw->o->seed ^ (0x9E3779B97F4A7C15ULL * (j + 1));
        memset(alpha, 0, sw->n * sizeof(*alpha));
        memset(w, 0, sw->n_rows * sizeof(*w));
        sw->b[j] = 0;
        if (sw->folds >= 2) {
            svm_folds(sw, j, alpha, w, order, all, &seed);
            continue;
        }
        svm_solve(sw->m, sw->y + j, sw->n_labels, sw->idx, sw->n_train, sw->o, alpha, w, &sw->b[j],
                  order, &seed);
        for (size_t h = sw->n_train; h < sw->n; h++)
            sw->heldout[(h - sw->n_train) * sw->n_labels + j] =
                (float)csr_dot(sw->m, sw->idx[h], w, sw->b[j]);
        if (sw->o->refit)
            svm_solve(sw->m, sw->y + j, sw->n_labels, all, sw->n, sw->o, alpha, w, &sw->b[j], order,
                      &seed);
    }
    rt_free(alpha);
    rt_free(order);
    rt_free(all);
    return NULL;
}

/*
 * Platt scaling with one slope and offset for every label: the a, b that make
 * sigmoid(a f + b) the best probability (log loss) of the label given the SVM's
 * value f, over n values. Newton's method on the two parameters.
 */
static void platt(const float *f, const uint8_t *y, size_t n, float *a_out, float *b_out)
{
    double a = 1, b = 0;

    for (int it = 0; it < 50; it++) {
        double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9, det, da, db;
        for (size_t i = 0; i < n; i++) {
            double p = 1 / (1 + exp(-(a * f[i] + b))), r = p - y[i], q = p * (1 - p);
            ga += r * f[i];
            gb += r;
            haa += q * f[i] * f[i];
            hab += q * f[i];
            hbb += q;
        }
        det = haa * hbb - hab * hab;
        if (!(det > 0))
            break;
        da = (hbb * ga - hab * gb) / det;
        db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if (fabs(da) < 1e-6 && fabs(db) < 1e-6)
            break;
    }
    *a_out = (float)a;
    *b_out = (float)b;
}

/*
 * Training with the labels as SVMs (o->svm_c > 0): the labels on both threads,
 * one label at a time, each first on idx[0..n_train) to score the held-out
 * docs, then on every doc from where that left off; the category by SGD over
 * the word features; one Platt scaling for every label, and the thresholds
 * tuned on the held-out docs' scaled values.
 */
static int train_svm(const struct view *v, const struct rt_classify_opts *o, size_t *idx,
                     size_t n_train, struct rt_classify_report *rep, double t0,
                     struct rt_classifier **out)
{
    const struct rt_trainset *ts = v->ts;
    size_t n = ts->n_docs, n_hold = n - n_train, l = v->n_labels, half, cat_n = 0, cat_ok = 0;
    struct csr m = {0};
    struct svm_work sw;
    struct view vc = *v;
    struct scored sc = {0};
    struct counts cf = {0, 0, 0};
    struct rt_classifier *c;
    uint8_t *y;
    float *wc, *bc, *row, *th_a, pa, pb;
    size_t *rows;
    struct cat_job cj;
    uint32_t *perm;
    pthread_t thread;
    int threaded;

    csr_build(v, &m);
    y = rt_xcalloc(rt_st_mult(n, l) + 1, 1);
    for (size_t i = 0; i < n; i++) {
        const struct doc *d = &ts->docs[i];
        for (size_t q = 0; q < d->n_label; q++)
            y[i * l + ts->label[d->label_off + q]] = 1;
    }
    memset(&sw, 0, sizeof(sw));
    sw.m = &m;
    sw.o = o;
    sw.y = y;
    sw.idx = idx;
    sw.n = n;
    sw.n_train = n_train;
    sw.n_rows = v->n_rows;
    sw.n_labels = l;
    sw.w = rt_xcalloc(rt_st_mult(l, v->n_rows) + 1, sizeof(*sw.w));
    sw.b = rt_xcalloc(l + 1, sizeof(*sw.b));
    if (o->folds >= 2 && (size_t)o->folds <= n) {
        /* Block f: positions [f n / K, (f + 1) n / K) of the docs in the order given
         * (or shuffled); in[f] the rest, in the order given. */
        size_t K = (size_t)o->folds, *fold = rt_xcalloc(n + 1, sizeof(*fold));
        for (size_t p = 0; p < n; p++)
            fold[o->fold_random ? idx[p] : p] = p * K / n;
        sw.folds = K;
        sw.in = rt_xcalloc(K, sizeof(*sw.in));
        sw.out = rt_xcalloc(K, sizeof(*sw.out));
        sw.n_in = rt_xcalloc(K, sizeof(*sw.n_in));
        sw.n_out = rt_xcalloc(K, sizeof(*sw.n_out));
        for (size_t f = 0; f < K; f++) {
            RT_ALLOC_ARRAY(sw.in[f], n + 1);
            RT_ALLOC_ARRAY(sw.out[f], n + 1);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t f = 0; f < K; f++) {
                if (fold[i] == f)
                    sw.out[f][sw.n_out[f]++] = i;
                else
                    sw.in[f][sw.n_in[f]++] = i;
            }
        rt_free(fold);
        n_hold = n;
    }
    sw.heldout = rt_xcalloc(rt_st_mult(n_hold, l) + 1, sizeof(*sw.heldout));
    /* The action category: a job of the pool (cat_train), first, as the longest. */
    vc.n_labels = 0;
    vc.k = N_CAT;
    vc.kp = padded(N_CAT);
    RT_ALLOC_ARRAY(vc.remap, ts->n_rows + 1);
    for (size_t r = 0; r < ts->n_rows; r++)
        vc.remap[r] = ts->bucket[r] >> ts->fs.bits ? NO_ROW : v->remap[r];
    RT_ALLOC_ARRAY(wc, rt_st_mult(v->n_rows + 1, vc.kp));
    RT_ALLOC_ARRAY(bc, vc.kp);
    memset(&cj, 0, sizeof(cj));
    cj.vc = &vc;
    cj.o = o;
    RT_ALLOC_ARRAY(cj.idx, n + 1);
    memcpy(cj.idx, idx, n * sizeof(*idx));
    cj.n = n;
    cj.n_train = n_train;
    cj.wc = wc;
    cj.bc = bc;
    cj.seed = o->seed ^ 0xC2B2AE3D27D4EB4FULL;
    sw.cat = &cj;
    pthread_mutex_init(&sw.lock, NULL);
    threaded = pthread_create(&thread, NULL, svm_main, &sw) == 0;
    svm_main(&sw);
    if (threaded)
        pthread_join(thread, NULL);
    pthread_mutex_destroy(&sw.lock);
    perm = m.perm; /* sw.w's columns */
    m.perm = NULL;
    csr_release(&m);

    /* The held-out docs' values, as probabilities, and the thresholds. */
    sc.n = n_hold;
    sc.l = l;
    sc.s = sw.heldout;
    sc.y = rt_xcalloc(rt_st_mult(n_hold, l) + 1, 1);
    for (size_t h = 0; h < n_hold; h++)
        memcpy(sc.y + h * l, y + (sw.folds ? h : idx[n_train + h]) * l, l);
    platt(sc.s, sc.y, n_hold * l, &pa, &pb);
    for (size_t i = 0; i < n_hold * l; i++)
        sc.s[i] = sigmoidf(pa * sc.s[i] + pb);
    RT_ALLOC_ARRAY(rows, n_hold + 1);
    RT_ALLOC_ARRAY(th_a, l + 1);
    for (size_t i = 0; i < n_hold; i++)
        rows[i] = i;
    half = n_hold / 2;
    for (size_t f = 0; f < sw.folds; f++) {
        /* Thresholds tuned on the other blocks score each block. */
        tune(&sc, sw.in[f], sw.n_in[f], th_a, o->label_thresholds);
        for (size_t j = 0; j < l; j++)
            count_label(&sc, sw.out[f], sw.n_out[f], j, th_a[j], &cf);
    }
    for (int side = 0; side < (sw.folds ? 0 : 2); side++) {
        const size_t *tune_rows = side ? rows + half : rows, *test_rows = side ? rows : rows + half;
        size_t n_tune = side ? n_hold - half : half, n_test = side ? half : n_hold - half;
        tune(&sc, tune_rows, n_tune, th_a, o->label_thresholds);
        for (size_t j = 0; j < l; j++)
            count_label(&sc, test_rows, n_test, j, th_a[j], &cf);
    }
    for (size_t f = 0; f < sw.folds; f++) {
        rt_free(sw.in[f]);
        rt_free(sw.out[f]);
    }
    rt_free(sw.in);
    rt_free(sw.out);
    rt_free(sw.n_in);
    rt_free(sw.n_out);

    cat_n = cj.cat_n;
    cat_ok = cj.cat_ok;

    c = rt_xcalloc(1, sizeof(*c));
    c->fs = ts->fs;
    c->char_weight = v->char_weight;
    c->n_labels = l;
    c->k = l + N_CAT;
    c->kp = padded(c->k);
    RT_ALLOC_ARRAY(c->labels, l);
    for (size_t j = 0; j < l; j++)
        c->labels[j] = rt_xstrdup(ts->names[j]);
    RT_ALLOC_ARRAY(c->thresholds, l);
    tune(&sc, rows, n_hold, c->thresholds, o->label_thresholds);
    c->bias = rt_xcalloc(c->kp, sizeof(*c->bias));
    for (size_t j = 0; j < l; j++)
        c->bias[j] = pa * sw.b[j] + pb;
    for (size_t q = 0; q < N_CAT; q++)
        c->bias[l + q] = bc[q];
    /* The rows, scaled, pruned and quantised. */
    row = rt_xcalloc(c->kp, sizeof(*row));
    RT_ALLOC_ARRAY(c->bucket, v->n_rows + 1);
    RT_ALLOC_ARRAY(c->scale, v->n_rows + 1);
    RT_ALLOC_ARRAY(c->fw, v->n_rows + 1);
    c->q = rt_xcalloc(rt_st_mult(v->n_rows + 1, c->kp), 1);
    fmap_init(&c->map, v->n_rows);
    for (size_t r = 0; r < ts->n_rows; r++) {
        uint32_t vr = v->remap[r];
        if (vr == NO_ROW)
            continue;
        for (size_t j = 0; j < l; j++)
            row[j] = pa * sw.w[j * v->n_rows + perm[vr]];
        for (size_t q = 0; q < N_CAT; q++)
            row[l + q] = vc.remap[r] == NO_ROW ? 0 : wc[(size_t)vr * vc.kp + q];
        model_add_row(c, ts->bucket[r], row, v->fw[vr], o->min_weight);
    }
    model_ready(c);

    if (rep) {
        rep->n_texts = n;
        rep->n_train = n_train;
        rep->n_heldout = n_hold;
        rep->n_features = c->n_rows;
        rep->n_labels = l;
        rep->precision = cf.tp ? cf.tp / (cf.tp + cf.fp) : 0;
        rep->recall = cf.tp ? cf.tp / (cf.tp + cf.fn) : 0;
        rep->f1 = f1_of(cf);
        rep->category_accuracy = cat_n ? (double)cat_ok / (double)cat_n : -1;
        rep->seconds = now() - t0;
    }
    *out = c;
    rt_free(y);
    rt_free(sw.w);
    rt_free(sw.b);
    rt_free(sc.s);
    rt_free(sc.y);
    rt_free(rows);
    rt_free(th_a);
    rt_free(vc.remap);
    rt_free(wc);
    rt_free(bc);
    rt_free(cj.idx);
    rt_free(row);
    rt_free(perm);
    return 0;
}

int rt_classifier_train(struct rt_classifier **out, struct rt_trainset *ts,
                        struct rt_classify_report *rep, struct rt_error *err)
{
    const struct rt_classify_opts *o = &ts->o;
    struct rt_classifier *c = NULL;
    struct view v = {ts, NULL, 0, 0, 0, 0, 0, NULL}, pruned = {ts, NULL, 0, 0, 0, 0, 0, NULL};
    struct scored sc = {0};
    size_t *idx = NULL, *rows = NULL, n = ts->n_docs, n_hold, n_train, half;
    float *w = NULL, *b = NULL, *th_a = NULL;
    uint64_t seed = o->seed;
    double t0 = now();
    struct counts cf = {0, 0, 0};
    size_t cat_n = 0, cat_ok = 0;
    struct refit refit = {0};
    pthread_t thread;
    int rc = 0, threaded = 0;

    *out = NULL;
    if (n < 20) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                          "%zu labelled texts are too few to train on (at least 20)", n);
        goto out;
    }
    if (!ts->n_names) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "the training texts have no labels");
        goto out;
    }
    v.n_labels = ts->n_names;
    v.char_weight = (float)o->char_weight;
    v.k = v.n_labels + N_CAT;
    RT_ALLOC_ARRAY(v.remap, ts->n_rows + 1);
    for (size_t r = 0; r < ts->n_rows; r++)
        v.remap[r] = ts->df[r] >= (uint32_t)(o->min_count > 0 ? o->min_count : 1)
                         ? (uint32_t)v.n_rows++
                         : NO_ROW;
    RT_ALLOC_ARRAY(v.fw, v.n_rows + 1);
    for (size_t r = 0; r < ts->n_rows; r++)
        if (v.remap[r] != NO_ROW)
            v.fw[v.remap[r]] = o->idf ? idf_of(ts->df[r], n) : 1.0f;
    v.kp = padded(v.k);
    RT_ALLOC_ARRAY(idx, n);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    shuffle(idx, n, &seed);
    n_hold = (size_t)((double)n * o->holdout);
    if (n_hold < 10)
        n_hold = 10;
    n_train = n - n_hold;
    if (o->svm_c > 0) {
        rc = train_svm(&v, o, idx, n_train, rep, t0, out);
        goto out;
    }
    RT_ALLOC_ARRAY(w, rt_st_mult(v.n_rows + 1, v.kp));
    RT_ALLOC_ARRAY(b, v.kp);

    /*
     * Train without the held-out slice idx[n_train..n), then score it. The final
     * model on every text (refit) is independent of it, so it trains at the same
     * time on a second thread; each has its own order and seed, so the result
     * does not depend on the scheduling.
     */
    if (o->refit) {
        refit.v = &v;
        refit.o = o;
        refit.seed = o->seed ^ 0x5DEECE66DULL;
        RT_ALLOC_ARRAY(refit.idx, n);
        for (size_t i = 0; i < n; i++)
            refit.idx[i] = i;
        refit.n = n;
        RT_ALLOC_ARRAY(refit.w, rt_st_mult(v.n_rows + 1, v.kp));
        RT_ALLOC_ARRAY(refit.b, v.kp);
        threaded = pthread_create(&thread, NULL, refit_main, &refit) == 0;
        if (!threaded)
            refit_main(&refit);
    }
    sgd(&v, o, idx, n_train, w, b, &seed);
    /* Score it as it would be saved: pruned and quantised. */
    pruned = v;
    RT_ALLOC_ARRAY(pruned.remap, ts->n_rows + 1);
    for (size_t r = 0; r < ts->n_rows; r++)
        pruned.remap[r] =
            v.remap[r] != NO_ROW && row_kept(w + (size_t)v.remap[r] * v.kp, v.k, o->min_weight)
                ? v.remap[r]
                : NO_ROW;
    quantise_rows(w, v.n_rows, v.k, v.kp);
    score(&pruned, w, b, idx + n_train, n_hold, &sc);
    RT_ALLOC_ARRAY(rows, n_hold);
    RT_ALLOC_ARRAY(th_a, v.n_labels);
    for (size_t i = 0; i < n_hold; i++)
        rows[i] = i;
    /* The report: thresholds from one half score the other, both ways. */
    half = n_hold / 2;
    for (int side = 0; side < 2; side++) {
        const size_t *tune_rows = side ? rows + half : rows, *test_rows = side ? rows : rows + half;
        size_t n_tune = side ? n_hold - half : half, n_test = side ? half : n_hold - half;
        tune(&sc, tune_rows, n_tune, th_a, o->label_thresholds);
        for (size_t j = 0; j < v.n_labels; j++)
            count_label(&sc, test_rows, n_test, j, th_a[j], &cf);
    }
    for (size_t i = 0; i < n_hold; i++) {
        if (sc.cat_true[i]) {
            cat_n++;
            cat_ok += sc.cat_true[i] == sc.cat_pred[i];
        }
    }

    c = rt_xcalloc(1, sizeof(*c));
    c->fs = ts->fs;
    c->char_weight = (float)o->char_weight;
    c->n_labels = v.n_labels;
    c->k = v.k;
    c->kp = v.kp;
    RT_ALLOC_ARRAY(c->labels, c->n_labels);
    for (size_t j = 0; j < c->n_labels; j++)
        c->labels[j] = rt_xstrdup(ts->names[j]);
    RT_ALLOC_ARRAY(c->thresholds, c->n_labels);
    tune(&sc, rows, n_hold, c->thresholds, o->label_thresholds);

    if (o->refit) {
        if (threaded)
            pthread_join(thread, NULL);
        threaded = 0;
        rt_free(w);
        rt_free(b);
        w = refit.w;
        b = refit.b;
        refit.w = refit.b = NULL;
    }
    c->bias = b;
    b = NULL;
    /* The rows the pruning keeps, quantised. */
    for (size_t r = 0; r < ts->n_rows; r++)
        if (v.remap[r] != NO_ROW && row_kept(w + (size_t)v.remap[r] * v.kp, v.k, o->min_weight))
            c->n_rows++;
    RT_ALLOC_ARRAY(c->bucket, c->n_rows + 1);
    RT_ALLOC_ARRAY(c->scale, c->n_rows + 1);
    RT_ALLOC_ARRAY(c->fw, c->n_rows + 1);
    c->q = rt_xcalloc(rt_st_mult(c->n_rows + 1, c->kp), 1);
    fmap_init(&c->map, c->n_rows);
    c->n_rows = 0;
    for (size_t r = 0; r < ts->n_rows; r++) {
        if (v.remap[r] != NO_ROW)
            model_add_row(c, ts->bucket[r], w + (size_t)v.remap[r] * v.kp, v.fw[v.remap[r]],
                          o->min_weight);
    }
    model_ready(c);

    if (rep) {
        rep->n_texts = n;
        rep->n_train = n_train;
        rep->n_heldout = n_hold;
        rep->n_features = c->n_rows;
        rep->n_labels = v.n_labels;
        rep->precision = cf.tp ? cf.tp / (cf.tp + cf.fp) : 0;
        rep->recall = cf.tp ? cf.tp / (cf.tp + cf.fn) : 0;
        rep->f1 = f1_of(cf);
        rep->category_accuracy = cat_n ? (double)cat_ok / (double)cat_n : -1;
        rep->seconds = now() - t0;
    }
    *out = c;
    c = NULL;
out:
    if (threaded)
        pthread_join(thread, NULL);
    rt_free(refit.idx);
    rt_free(refit.w);
    rt_free(refit.b);
    scored_release(&sc);
    rt_free(v.remap);
    rt_free(v.fw);
    rt_free(pruned.remap);
    rt_free(w);
    rt_free(b);
    rt_free(idx);
    rt_free(rows);
    rt_free(th_a);
    rt_classifier_free(c);
    return rc;
}

void rt_classifier_free(struct rt_classifier *c)
{
    if (!c)
        return;
    for (size_t j = 0; j < c->n_labels; j++)
        rt_free(c->labels ? c->labels[j] : NULL);
    rt_free(c->labels);
    rt_free(c->thresholds);
    rt_free(c->bias);
    rt_free(c->bucket);
    rt_free(c->q);
    rt_free(c->scale);
    rt_free(c->fw);
    rt_free(c->seen);
    fmap_release(&c->map);
    rt_tokenizer_free(c->tok);
    feats_release(&c->scratch);
    rt_free(c->z);
    wcache_release(c->wc);
    rt_free(c);
}

size_t rt_classifier_n_labels(const struct rt_classifier *c)
{
    return c->n_labels;
}

const char *rt_classifier_label(const struct rt_classifier *c, size_t i)
{
    return i < c->n_labels ? c->labels[i] : NULL;
}

double rt_classifier_threshold(const struct rt_classifier *c, size_t i)
{
    return i < c->n_labels ? c->thresholds[i] : 1.0;
}

/*
 * z[j] += scale[r] * fw[r] * q[r][j] over the rows rows[0..n), in that order:
 * each product rounded to float, then added, as add_qrow does, so that every
 * path gives the same bits. Where the processor has AVX2 or AVX-512, the sums
 * of 32 or 64 outputs at a time stay in registers over all the rows.
 */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86_KERNELS 1

/* The outputs from j on (a multiple of 8). */
__attribute__((target("avx2"))) static void add_qrows_avx2(float *z, const int8_t *q, size_t kp,
                                                           const float *scale, const float *fw,
                                                           const uint32_t *rows, size_t n, size_t j)
{

    for (; j + 32 <= kp; j += 32) {
        __m256 a0 = _mm256_loadu_ps(z + j), a1 = _mm256_loadu_ps(z + j + 8),
               a2 = _mm256_loadu_ps(z + j + 16), a3 = _mm256_loadu_ps(z + j + 24);
        for (size_t i = 0; i < n; i++) {
            const int8_t *p = q + (size_t)rows[i] * kp + j;
            __m256 s = _mm256_set1_ps(scale[rows[i]] * fw[rows[i]]);
            __m128i b = _mm_loadu_si128((const __m128i *)p),
                    b2 = _mm_loadu_si128((const __m128i *)(p + 16));
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b))));
            a1 = _mm256_add_ps(
                a1,
                _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(b, 8)))));
            a2 = _mm256_add_ps(a2, _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b2))));
            a3 = _mm256_add_ps(
                a3,
                _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(b2, 8)))));
        }
        _mm256_storeu_ps(z + j, a0);
        _mm256_storeu_ps(z + j + 8, a1);
        _mm256_storeu_ps(z + j + 16, a2);
        _mm256_storeu_ps(z + j + 24, a3);
    }
    for (; j < kp; j += 8) {
        __m256 a0 = _mm256_loadu_ps(z + j);
        for (size_t i = 0; i < n; i++) {
            const int8_t *p = q + (size_t)rows[i] * kp + j;
            __m256 s = _mm256_set1_ps(scale[rows[i]] * fw[rows[i]]);
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(s, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(
                                                        _mm_loadl_epi64((const __m128i *)p)))));
        }
        _mm256_storeu_ps(z + j, a0);
    }
}

__attribute__((target("avx512f"))) static void add_qrows_avx512(float *z, const int8_t *q,
                                                                size_t kp, const float *scale,
                                                                const float *fw,
                                                                const uint32_t *rows, size_t n)
{
    size_t j = 0;

    for (; j + 64 <= kp; j += 64) {
        __m512 a0 = _mm512_loadu_ps(z + j), a1 = _mm512_loadu_ps(z + j + 16),
               a2 = _mm512_loadu_ps(z + j + 32), a3 = _mm512_loadu_ps(z + j + 48);
        for (size_t i = 0; i < n; i++) {
            const int8_t *p = q + (size_t)rows[i] * kp + j;
            __m512 s = _mm512_set1_ps(scale[rows[i]] * fw[rows[i]]);
            a0 = _mm512_add_ps(a0, _mm512_mul_ps(s, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
                                                        _mm_loadu_si128((const __m128i *)p)))));
            a1 = _mm512_add_ps(a1,
                               _mm512_mul_ps(s, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
                                                    _mm_loadu_si128((const __m128i *)(p + 16))))));
            a2 = _mm512_add_ps(a2,
                               _mm512_mul_ps(s, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
                                                    _mm_loadu_si128((const __m128i *)(p + 32))))));
            a3 = _mm512_add_ps(a3,
                               _mm512_mul_ps(s, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
                                                    _mm_loadu_si128((const __m128i *)(p + 48))))));
        }
        _mm512_storeu_ps(z + j, a0);
        _mm512_storeu_ps(z + j + 16, a1);
        _mm512_storeu_ps(z + j + 32, a2);
        _mm512_storeu_ps(z + j + 48, a3);
    }
    if (j < kp)
        add_qrows_avx2(z, q, kp, scale, fw, rows, n, j);
}
#endif

static void add_qrows(float *z, const struct rt_classifier *c, const uint32_t *rows, size_t n)
{
#ifdef HAVE_X86_KERNELS
    if (c->simd == 2) {
        add_qrows_avx512(z, c->q, c->kp, c->scale, c->fw, rows, n);
        return;
    }
    if (c->simd == 1) {
        add_qrows_avx2(z, c->q, c->kp, c->scale, c->fw, rows, n, 0);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++)
        add_qrow(z, c->q + (size_t)rows[i] * c->kp, c->scale[rows[i]] * c->fw[rows[i]], c->kp);
}

void rt_classifier_predict(struct rt_classifier *c, const char *text, size_t len, float *scores,
                           int *category, float *category_p)
{
    struct feats *f = &c->scratch;
    float *z = c->z, x, xc, mx = -1e30f, sum = 0, ss = 0, sc = 0;
    size_t n = 0, nw = 0, k = c->k, best = 0;

    /*
     * The look-ups miss the cache, one after the other if done one feature at a
     * time. So in passes, each starting the memory reads of the next: the map
     * slots of the word features, then the rows they point to, then the sums.
     * The character block comes as rows already (the word cache). Each distinct
     * feature counts once: a row used already by this text carries this text's
     * stamp, so there is no need to sort the buckets.
     */
    hash_features(c->tok, &c->fs, text, len, f);
    for (size_t i = 0; i < f->n_word; i++)
        PREFETCH(&c->map.slot[mix32(f->bucket[i]) & (c->map.cap - 1)]);
    if (++c->stamp == 0) {
        memset(c->seen, 0, c->n_rows * sizeof(*c->seen));
        c->stamp = 1;
    }
    for (size_t i = 0; i < f->n; i++) {
        uint32_t r = i < f->n_word ? fmap_get(&c->map, f->bucket[i]) : f->bucket[i];
        if (i == f->n_word)
            nw = n;
        if (r == NO_ROW || c->seen[r] == c->stamp)
            continue;
        c->seen[r] = c->stamp;
        PREFETCH(c->q + (size_t)r * c->kp);
        f->bucket[n++] = r; /* from here on, rows */
    }
    if (f->n_word == f->n)
        nw = n;
    memset(z, 0, c->kp * sizeof(*z));
    add_qrows(z, c, f->bucket, nw);
    for (size_t i = 0; i < nw; i++)
        ss += c->fw[f->bucket[i]] * c->fw[f->bucket[i]];
    for (size_t i = nw; i < n; i++)
        sc += c->fw[f->bucket[i]] * c->fw[f->bucket[i]];
    x = block_value(ss, 1.0f);
    xc = block_value(sc, c->char_weight);
    if (xc > 0) {
        scale_row(z, x / xc, c->kp);
        add_qrows(z, c, f->bucket + nw, n - nw);
        x = xc;
    }
    for (size_t j = 0; j < k; j++)
        z[j] = z[j] * x + c->bias[j];
    for (size_t j = 0; j < c->n_labels; j++)
        scores[j] = sigmoidf(z[j]);
    for (size_t j = c->n_labels; j < k; j++)
        mx = z[j] > mx ? z[j] : mx;
    for (size_t j = c->n_labels; j < k; j++)
        sum += (z[j] = expf(z[j] - mx));
    for (size_t j = 1; j < N_CAT; j++)
        if (z[c->n_labels + j] > z[c->n_labels + best])
            best = j;
    *category = (int)best + 1;
    if (category_p)
        *category_p = z[c->n_labels + best] / sum;
}

/* The blob: MAGIC, then little-endian u32 fields and float32 arrays. */
static void put_u32(struct rt_buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    rt_buf_add(b, p, 4);
}

static void put_floats(struct rt_buf *b, const float *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &a[i], 4);
        put_u32(b, u);
    }
}

int rt_classifier_save(const struct rt_classifier *c, struct rt_buf *out)
{
    int rc;

    if ((rc = rt_buf_grow(out, 64 + c->n_rows * (c->k + 8) + c->n_labels * 64)) < 0)
        return rc;
    rt_buf_add(out, MAGIC, 8);
    put_u32(out, c->fs.bits);
    put_u32(out, (uint32_t)c->fs.bigrams);
    put_u32(out, (uint32_t)c->n_labels);
    put_u32(out, (uint32_t)c->n_rows);
    put_u32(out, c->fs.char_min);
    put_u32(out, c->fs.char_max);
    put_floats(out, &c->char_weight, 1);
    put_u32(out, c->fs.surface ? FLAG_SURFACE : 0);
    for (size_t j = 0; j < c->n_labels; j++) {
        size_t n = strlen(c->labels[j]);
        put_u32(out, (uint32_t)n);
        rt_buf_add(out, c->labels[j], n);
    }
    put_floats(out, c->thresholds, c->n_labels);
    put_floats(out, c->bias, c->k);
    for (size_t r = 0; r < c->n_rows; r++)
        put_u32(out, c->bucket[r]);
    put_floats(out, c->scale, c->n_rows);
    put_floats(out, c->fw, c->n_rows);
    for (size_t r = 0; r < c->n_rows; r++)
        rt_buf_add(out, c->q + r * c->kp, c->k);
    return out->max && out->len > out->max ? RT_ETOOBIG : 0;
}

struct reader {
    const unsigned char *p;
    size_t left;
};

static int get_u32(struct reader *r, uint32_t *v)
{
    if (r->left < 4)
        return -1;
    *v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
         (uint32_t)r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return 0;
}

static int get_floats(struct reader *r, float *a, size_t n)
{
    uint32_t u = 0;

    if (r->left / 4 < n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        get_u32(r, &u);
        memcpy(&a[i], &u, 4);
    }
    return 0;
}

/*
 * Reads a blob: MAGIC (quantised rows, character n-grams), MAGIC_V2 (the same
 * without the character fields: words only) or MAGIC_V1 (the float32 rows of the
 * first format, quantised here), so that models trained before still load and
 * predict as they did.
 */
int rt_classifier_load(struct rt_classifier **out, const void *data, size_t len,
                       struct rt_error *err)
{
    struct reader r = {data, len};
    struct rt_classifier *c = NULL;
    uint32_t bits, bigrams, n_labels, n_rows, n, cmin = 0, cmax = 0, flags = 0;
    float *row = NULL, cw = 0;
    int rc = 0, v1, v3, v4;

    *out = NULL;
    if (len < 8 || (memcmp(data, MAGIC, 8) && memcmp(data, MAGIC_V3, 8) &&
                    memcmp(data, MAGIC_V2, 8) && memcmp(data, MAGIC_V1, 8))) {
        rc = rt_error_set(err, RT_EFORMAT, NULL, 0, NULL, "not a rightstrack classifier");
        goto out;
    }
    v1 = !memcmp(data, MAGIC_V1, 8);
    v4 = !memcmp(data, MAGIC, 8);
    v3 = v4 || !memcmp(data, MAGIC_V3, 8);
    r.p += 8;
    r.left -= 8;
    if (get_u32(&r, &bits) || get_u32(&r, &bigrams) || get_u32(&r, &n_labels) ||
        get_u32(&r, &n_rows) || bits < 10 || bits > 26 || bigrams > 2 || !n_labels ||
        n_labels > 100000)
        goto bad;
    if (v3 && (get_u32(&r, &cmin) || get_u32(&r, &cmax) || get_floats(&r, &cw, 1) || cmax > 8 ||
               cmin > cmax || (cmax && !cmin) || !(cw >= 0 && cw <= 100)))
        goto bad;
    if (v4 && (get_u32(&r, &flags) || flags & ~FLAG_SURFACE))
        goto bad;
    if (n_rows > r.left / 4)
        goto bad;
    c = rt_xcalloc(1, sizeof(*c));
    c->fs.bits = bits;
    c->fs.bigrams = (int)bigrams;
    c->fs.char_min = cmin;
    c->fs.char_max = cmax;
    c->fs.surface = (flags & FLAG_SURFACE) != 0;
    c->char_weight = cw;
    c->k = (size_t)n_labels + N_CAT;
    c->kp = padded(c->k);
    c->labels = rt_xcalloc(n_labels, sizeof(*c->labels));
    c->n_labels = n_labels;
    for (size_t j = 0; j < n_labels; j++) {
        if (get_u32(&r, &n) || n > r.left)
            goto bad;
        c->labels[j] = rt_xstrndup((const char *)r.p, n);
        r.p += n;
        r.left -= n;
    }
    RT_ALLOC_ARRAY(c->thresholds, n_labels);
    c->bias = rt_xcalloc(c->kp, sizeof(*c->bias));
    if (get_floats(&r, c->thresholds, n_labels) || get_floats(&r, c->bias, c->k))
        goto bad;
    /* What is left: the buckets, then (v1) float rows or (v2) scales and byte rows. */
    if (r.left != (size_t)n_rows * (v1 ? 4 * (c->k + 1) : 8 + (v3 ? 4 : 0) + c->k))
        goto bad;
    c->n_rows = n_rows;
    RT_ALLOC_ARRAY(c->bucket, (size_t)n_rows + 1);
    RT_ALLOC_ARRAY(c->scale, (size_t)n_rows + 1);
    RT_ALLOC_ARRAY(c->fw, (size_t)n_rows + 1);
    for (size_t i = 0; i < n_rows; i++)
        c->fw[i] = 1.0f;
    c->q = rt_xcalloc(rt_st_mult((size_t)n_rows + 1, c->kp), 1);
    fmap_init(&c->map, n_rows);
    for (size_t i = 0; i < n_rows; i++) {
        get_u32(&r, &c->bucket[i]);
        if (c->bucket[i] >> (bits + (cmax ? 1 : 0)) ||
            fmap_put(&c->map, c->bucket[i], (uint32_t)i) != NO_ROW)
            goto bad;
    }
    if (v1) {
        RT_ALLOC_ARRAY(row, c->k);
        for (size_t i = 0; i < n_rows; i++) {
            get_floats(&r, row, c->k);
            quantise(row, c->k, c->q + i * c->kp, &c->scale[i]);
        }
    } else {
        get_floats(&r, c->scale, n_rows);
        if (v3)
            get_floats(&r, c->fw, n_rows);
        for (size_t i = 0; i < n_rows; i++) {
            if (!(c->scale[i] >= 0 && c->scale[i] < 1e30f) || !(c->fw[i] > 0 && c->fw[i] < 1e6f))
                goto bad;
            memcpy(c->q + i * c->kp, r.p, c->k);
            r.p += c->k;
            r.left -= c->k;
        }
    }
    model_ready(c);
    *out = c;
    c = NULL;
    goto out;
bad:
    rc = rt_error_set(err, RT_EFORMAT, NULL, 0, NULL, "the classifier blob is damaged");
out:
    rt_free(row);
    rt_classifier_free(c);
    return rc;
}
