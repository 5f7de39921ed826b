/* Word 3-shingles of a text and an exact all-pairs Jaccard join over shingle sets. */
#include "base/compat.h"

#include <math.h>

#include <utf8proc.h>

#include <rightstrack/text.h>

#include "base/hash.h"
#include "text/text_int.h"

/*
 * The words of a text, as hashes, in a growable array. A shingle's hash chains
 * the hashes of its words through rt__mix64, with the number of words as the seed,
 * so that "a b" (a text of two words) and any three-word shingle differ.
 */
struct words {
    uint64_t *h; /* stack, or the heap once there are more words than fit there */
    size_t n, alloc;
    uint64_t stack[256];
};

static void word_add(struct words *w, uint64_t h)
{
    if (w->n == w->alloc) {
        if (w->h == w->stack) {
            w->h = rt_xmalloc(rt_st_mult(w->alloc * 2, sizeof(*w->h)));
            memcpy(w->h, w->stack, sizeof(w->stack));
        } else {
            w->h = rt_xrealloc(w->h, rt_st_mult(w->alloc * 2, sizeof(*w->h)));
        }
        w->alloc *= 2;
    }
    w->h[w->n++] = rt__mix64(h);
}

static uint64_t chain(uint64_t seed, const uint64_t *h, size_t n)
{
    uint64_t x = rt__mix64(seed * 0x9e3779b97f4a7c15ULL);
    for (size_t i = 0; i < n; i++)
        x = rt__mix64(x ^ h[i]);
    return x;
}

/* Words of ASCII text: runs of letters and digits, hashed in lower case. */
static void words_ascii(const char *s, size_t len, struct words *w)
{
    uint64_t h = RT__FNV1A_INIT;
    int in = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (rt__ascii_alnum(c)) {
            h = rt__fnv1a_byte(h, c | 0x20); /* lower case */
            in = 1;
        } else if (in) {
            word_add(w, h);
            h = RT__FNV1A_INIT;
            in = 0;
        }
    }
    if (in)
        word_add(w, h);
}

/* Words of normalised, valid UTF-8 (the bytes of each word are hashed as they are). */
static void words_utf8(const utf8proc_uint8_t *p, size_t len, struct words *w)
{
    uint64_t h = RT__FNV1A_INIT;
    size_t i = 0;
    int in = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = 1;

        if (p[i] < 0x80)
            cp = p[i];
        else if ((k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp)) < 0)
            cp = ' ', k = 1;
        if (rt__word_cp(cp)) {
            h = rt__fnv1a(h, p + i, (size_t)k);
            in = 1;
        } else if (in) {
            word_add(w, h);
            h = RT__FNV1A_INIT;
            in = 0;
        }
        i += (size_t)k;
    }
    if (in)
        word_add(w, h);
}

/*
 * Normalises s (NFKC with case folding) and splits it into words. Invalid UTF-8
 * bytes become spaces first, so that they separate words and utf8proc accepts
 * the rest.
 */
static void words_unicode(const char *s, size_t len, struct words *w)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_uint8_t *mapped = NULL, *copy = NULL;
    utf8proc_ssize_t k;

    if (!rt_text_valid_utf8(s, len)) {
        size_t i = 0;
        copy = rt_xmalloc(len ? len : 1);
        while (i < len) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t n = 1;
            if (p[i] >= 0x80 &&
                (n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp)) < 0) {
                copy[i++] = ' ';
                continue;
            }
            memcpy(copy + i, p + i, (size_t)n);
            i += (size_t)n;
        }
        p = copy;
    }
    k = utf8proc_map(p, (utf8proc_ssize_t)len, &mapped,
                     UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (k >= 0)
        words_utf8(mapped, (size_t)k, w);
    else /* cannot happen for valid UTF-8 short of memory; read the text unnormalised */
        words_utf8(p, len, w);
    rt_free(mapped); /* utf8proc allocates with malloc, as rt_free frees */
    rt_free(copy);
}

static void sort_u64(uint64_t *a, size_t n);

int rt_text_shingles(const char *s, size_t len, uint64_t **out, size_t *out_n)
{
    struct words w;
    uint64_t *sh = NULL;
    size_t n = 0;
    int ascii = 1;

    *out = NULL;
    *out_n = 0;
    w.h = w.stack;
    w.n = 0;
    w.alloc = RT_ARRAY_SIZE(w.stack);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii)
        words_ascii(s, len, &w);
    else
        words_unicode(s, len, &w);
    if (w.n == 0)
        goto out;
    if (w.n < 3) {
        RT_ALLOC_ARRAY(sh, 1);
        sh[n++] = chain(w.n, w.h, w.n);
    } else {
        RT_ALLOC_ARRAY(sh, w.n - 2);
        for (size_t i = 0; i + 2 < w.n; i++)
            sh[n++] = chain(3, w.h + i, 3);
        sort_u64(sh, n);
        {
            size_t k = 1;
            for (size_t i = 1; i < n; i++)
                if (sh[i] != sh[k - 1])
                    sh[k++] = sh[i];
            n = k;
        }
    }
    *out = sh;
    *out_n = n;
out:
    if (w.h != w.stack)
        rt_free(w.h);
    return 0;
}

double rt_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, o = 0;

    if (!na && !nb)
        return 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            o++, i++, j++;
    }
    return (double)o / (double)(na + nb - o);
}

/* Sorting: insertion sort for short runs, else quicksort on the median of three. */
#define DEFINE_SORT(name, type)                                                                    \
    static void name(type *a, size_t n)                                                            \
    {                                                                                              \
        while (n > 16) {                                                                           \
            type p, t;                                                                             \
            size_t i = 0, j = n - 1, m = n / 2;                                                    \
            if (a[m] < a[0])                                                                       \
                t = a[m], a[m] = a[0], a[0] = t;                                                   \
            if (a[j] < a[0])                                                                       \
                t = a[j], a[j] = a[0], a[0] = t;                                                   \
            if (a[j] < a[m])                                                                       \
                t = a[j], a[j] = a[m], a[m] = t;                                                   \
            p = a[m];                                                                              \
            for (;;) {                                                                             \
                while (a[i] < p)                                                                   \
                    i++;                                                                           \
                while (p < a[j])                                                                   \
                    j--;                                                                           \
                if (i >= j)                                                                        \
                    break;                                                                         \
                t = a[i], a[i] = a[j], a[j] = t;                                                   \
                i++, j--;                                                                          \
            }                                                                                      \
            /* [0, j] <= p <= [j + 1, n): recurse on the smaller part, loop on the other */        \
            if (j + 1 < n - j - 1) {                                                               \
                name(a, j + 1);                                                                    \
                a += j + 1, n -= j + 1;                                                            \
            } else {                                                                               \
                name(a + j + 1, n - j - 1);                                                        \
                n = j + 1;                                                                         \
            }                                                                                      \
        }                                                                                          \
        for (size_t i = 1; i < n; i++) {                                                           \
            type v = a[i];                                                                         \
            size_t k = i;                                                                          \
            while (k && v < a[k - 1]) {                                                            \
                a[k] = a[k - 1];                                                                   \
                k--;                                                                               \
            }                                                                                      \
            a[k] = v;                                                                              \
        }                                                                                          \
    }

DEFINE_SORT(sort_u64, uint64_t)
DEFINE_SORT(sort_u32, uint32_t)

/*
 * The join (PPJoin, Xiao et al. 2008, on AllPairs, Bayardo et al. 2007).
 *
 * 1. Every distinct value becomes a token, ranked by how many sets hold it, rarest
 *    first; each set becomes the sorted array of its tokens' ranks, so that the
 *    first tokens of a set are its rarest.
 * 2. Sets are visited by increasing size. A pair with |x & y| >= a, where a is the
 *    least overlap that reaches the threshold, shares a token among the first
 *    |x| - a + 1 tokens of x and the first |y| - a + 1 of y (the prefix filter).
 *    Visiting x, we look up the first |x| - ceil(t |x|) + 1 tokens of x in an
 *    index of the sets seen before (each entered with its first
 *    |y| - ceil(2t/(1+t) |y|) + 1 tokens, enough since |y| <= |x|), skip those
 *    smaller than t |x| (the length filter), and drop a candidate once the
 *    tokens left after the matching positions cannot bring the overlap to a (the
 *    position filter).
 * 3. Each remaining candidate is verified by merging the two rank arrays, and
 *    kept when (double)overlap / (double)union >= t.
 *
 * The filters only ever need to be generous: their bounds are computed with a
 * slack of 1e-9, far above the rounding error of a double, and the final test is
 * the exact one. So the join finds exactly the pairs the definition gives.
 */
#define SLACK 1e-9

/* ceil(v) computed generously: never above the true ceiling of a value near v. */
static size_t ceil_low(double v)
{
    double c = ceil(v - SLACK);
    return c < 0 ? 0 : (size_t)c;
}

/*
 * Numbers the distinct values of all sets: toks[k] becomes the token of the k-th
 * value (sets laid end to end). The values are taken in passes, one per range of
 * their top bits, so that each pass's hash table stays small enough for the
 * cache. Memory matters more than passes here: a first touch of a page is costly
 * (very much so on some virtual machines), and one table, or one copy of all the
 * values spread over buckets, would touch several times more pages than the
 * extra reads of the sets cost. Returns the number of tokens.
 */
static uint32_t number_tokens(const uint64_t *const *sets, const size_t *lens, size_t n,
                              size_t total, uint32_t *toks)
{
    uint64_t *key = NULL;
    uint32_t *tok = NULL, n_tok = 0;
    size_t per_pass = 1u << 17, cap = 16;
    unsigned bits = 0;

    while (bits < 16 && (total >> bits) > per_pass)
        bits++;
    while (cap < 2 * ((total >> bits) + (total >> bits) / 4 + 64))
        cap *= 2;
    RT_ALLOC_ARRAY(key, cap);
    RT_ALLOC_ARRAY(tok, cap);
    for (uint64_t pass = 0; pass < (1u << bits); pass++) {
        size_t used = 0;
        memset(tok, 0, cap * sizeof(*tok));
        for (size_t i = 0, k = 0; i < n; i++) {
            for (size_t j = 0; j < lens[i]; j++, k++) {
                uint64_t h = sets[i][j];
                size_t s;
                if (bits && (h >> (64 - bits)) != pass)
                    continue;
                s = (size_t)rt__mix64(h) & (cap - 1);
                while (tok[s] && key[s] != h)
                    s = (s + 1) & (cap - 1);
                if (!tok[s]) {
                    if (++used > cap / 2) { /* values that crowd one range: grow */
                        size_t old = cap;
                        uint64_t *okey = key;
                        uint32_t *otok = tok;
                        cap *= 2;
                        RT_ALLOC_ARRAY(key, cap);
                        tok = rt_xcalloc(cap, sizeof(*tok));
                        for (size_t m = 0; m < old; m++) {
                            size_t d;
                            if (!otok[m])
                                continue;
                            d = (size_t)rt__mix64(okey[m]) & (cap - 1);
                            while (tok[d])
                                d = (d + 1) & (cap - 1);
                            key[d] = okey[m];
                            tok[d] = otok[m];
                        }
                        rt_free(okey);
                        rt_free(otok);
                        s = (size_t)rt__mix64(h) & (cap - 1);
                        while (tok[s])
                            s = (s + 1) & (cap - 1);
                    }
                    key[s] = h;
                    tok[s] = ++n_tok;
                }
                toks[k] = tok[s] - 1;
            }
        }
    }
    rt_free(tok);
    rt_free(key);
    return n_tok;
}

/* An index entry: a set (by its place in size order) and the position of the token. */
struct posting {
    uint32_t set, pos;
};

static int pair_cmp(const void *x, const void *y)
{
    const struct rt_sim_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

int rt_shingle_join(const uint64_t *const *sets, const size_t *lens, size_t n, double threshold,
                    struct rt_sim_pair **out, size_t *out_n)
{
    uint32_t *freq = NULL, *toks = NULL, *order = NULL;
    uint32_t *istart = NULL, *ifill = NULL, *cands = NULL;
    size_t *off = NULL, *cnt = NULL;
    int32_t *acc = NULL;
    struct posting *post = NULL;
    struct rt_sim_pair *pairs = NULL;
    size_t total = 0, n_pairs = 0, a_pairs = 0, max_len = 0, n_post = 0;
    uint32_t n_tok = 0;
    double t = threshold, tt = 2 * threshold / (1 + threshold), tp = threshold / (1 + threshold);
    int rc = 0;

    *out = NULL;
    *out_n = 0;
    if (!(threshold > 0 && threshold <= 1) || n >= UINT32_MAX)
        return RT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        total += lens[i];
        if (lens[i] > max_len)
            max_len = lens[i];
    }
    if (!total)
        goto out;
    if (total >= UINT32_MAX)
        return RT_EINVAL;

    /* 1. Tokens and their frequencies. */
    RT_ALLOC_ARRAY(toks, total);
    RT_ALLOC_ARRAY(off, n + 1);
    off[0] = 0;
    for (size_t i = 0; i < n; i++)
        off[i + 1] = off[i] + lens[i];
    n_tok = number_tokens(sets, lens, n, total, toks);
    freq = rt_xcalloc(n_tok, sizeof(*freq));
    for (size_t k = 0; k < total; k++)
        freq[toks[k]]++;
    /* Ranks by increasing frequency (a counting sort; ties by first appearance),
     * written over the frequencies. */
    cnt = rt_xcalloc(n + 2, sizeof(*cnt));
    for (uint32_t k = 0; k < n_tok; k++)
        cnt[freq[k] + 1]++;
    for (size_t f = 1; f < n + 2; f++)
        cnt[f] += cnt[f - 1];
    for (uint32_t k = 0; k < n_tok; k++)
        freq[k] = (uint32_t)cnt[freq[k]]++;
    for (size_t k = 0; k < total; k++)
        toks[k] = freq[toks[k]];
    for (size_t i = 0; i < n; i++)
        sort_u32(toks + off[i], off[i + 1] - off[i]);

    /* 2. Sets by increasing size (a counting sort; ties by input order). */
    RT_FREE_AND_NULL(cnt);
    cnt = rt_xcalloc(max_len + 2, sizeof(*cnt));
    for (size_t i = 0; i < n; i++)
        cnt[lens[i] + 1]++;
    for (size_t l = 1; l < max_len + 2; l++)
        cnt[l] += cnt[l - 1];
    RT_ALLOC_ARRAY(order, n);
    for (size_t i = 0; i < n; i++)
        order[cnt[lens[i]]++] = (uint32_t)i;

    /* The index: room for each set's indexing prefix under its token. istart (the
     * frequencies' array, free again) is where a token's list starts, ifill where
     * it ends; both start at the list's first slot. */
    istart = freq;
    freq = NULL;
    memset(istart, 0, n_tok * sizeof(*istart));
    for (size_t i = 0; i < n; i++) {
        size_t l = lens[i], p;
        if (!l)
            continue;
        p = l - ceil_low(tt * (double)l) + 1;
        if (p > l)
            p = l;
        for (size_t j = 0; j < p; j++)
            istart[toks[off[i] + j]]++;
        n_post += p;
    }
    RT_ALLOC_ARRAY(ifill, n_tok);
    for (uint32_t k = 0, sum = 0; k < n_tok; k++) {
        uint32_t c = istart[k];
        istart[k] = ifill[k] = sum;
        sum += c;
    }
    RT_ALLOC_ARRAY(post, n_post ? n_post : 1);
    acc = rt_xcalloc(n, sizeof(*acc));
    RT_ALLOC_ARRAY(cands, n);

    for (size_t oi = 0; oi < n; oi++) {
        uint32_t xi = order[oi], *x = toks + off[xi];
        size_t lx = lens[xi], px, minlen, n_cands = 0;

        if (!lx)
            continue;
        minlen = ceil_low(t * (double)lx);
        px = lx - minlen + 1;
        if (px > lx)
            px = lx;
        for (size_t i = 0; i < px; i++) {
            uint32_t w = x[i], k = istart[w];
            /* Sets too small for x are too small for every later x: skip them for good. */
            while (k < ifill[w] && lens[order[post[k].set]] < minlen)
                k++;
            istart[w] = k;
            for (; k < ifill[w]; k++) {
                uint32_t ys = post[k].set, yi = order[ys];
                size_t ly = lens[yi], alpha, rx = lx - i - 1, ry = ly - post[k].pos - 1;
                if (acc[ys] < 0)
                    continue;
                alpha = ceil_low(tp * (double)(lx + ly));
                if ((size_t)acc[ys] + 1 + (rx < ry ? rx : ry) >= alpha) {
                    if (!acc[ys])
                        cands[n_cands++] = ys;
                    acc[ys]++;
                } else {
                    if (!acc[ys])
                        cands[n_cands++] = ys;
                    acc[ys] = -1;
                }
            }
        }
        /* 3. Verify. */
        for (size_t c = 0; c < n_cands; c++) {
            uint32_t ys = cands[c], yi = order[ys];
            const uint32_t *y = toks + off[yi];
            size_t ly = lens[yi], i = 0, j = 0, o = 0, alpha;
            int32_t seen = acc[ys];

            acc[ys] = 0;
            if (seen < 0)
                continue;
            alpha = ceil_low(tp * (double)(lx + ly));
            while (i < lx && j < ly) {
                size_t rx = lx - i, ry = ly - j;
                if (o + (rx < ry ? rx : ry) < alpha)
                    break;
                if (x[i] < y[j])
                    i++;
                else if (x[i] > y[j])
                    j++;
                else
                    o++, i++, j++;
            }
            if ((double)o / (double)(lx + ly - o) >= t) {
                RT_ALLOC_GROW(pairs, n_pairs + 1, a_pairs);
                pairs[n_pairs].a = xi < yi ? xi : yi;
                pairs[n_pairs].b = xi < yi ? yi : xi;
                pairs[n_pairs].jaccard = (double)o / (double)(lx + ly - o);
                n_pairs++;
            }
        }
        /* Index x's prefix. */
        {
            size_t p = lx - ceil_low(tt * (double)lx) + 1;
            if (p > lx)
                p = lx;
            for (size_t i = 0; i < p; i++) {
                struct posting *e = &post[ifill[x[i]]++];
                e->set = (uint32_t)oi;
                e->pos = (uint32_t)i;
            }
        }
    }
    if (n_pairs)
        qsort(pairs, n_pairs, sizeof(*pairs), pair_cmp);
    *out = pairs;
    *out_n = n_pairs;
    pairs = NULL;
out:
    rt_free(pairs);
    rt_free(cands);
    rt_free(acc);
    rt_free(ifill);
    rt_free(istart);
    rt_free(post);
    rt_free(order);
    rt_free(cnt);
    rt_free(freq);
    rt_free(off);
    rt_free(toks);
    return rc;
}
