/* The word tokenizer shared by the full-text index and the query parser. */
#include "base/compat.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <rightstrack/text.h>

#include "base/hash.h"
#include "text/text_int.h"

#define MAX_WORD 256    /* longer runs are cut into pieces of this many bytes */
#define CACHE_MIN 1024  /* stem cache slots at first (a power of two) */
#define CACHE_MAX 65536 /* at most; when half of these are taken, the cache starts again */

/*
 * The stem cache: open addressing over words already stemmed. A slot keeps the
 * word's hash and where the word and then its stem sit in one string buffer, so a
 * look-up compares the hash and the length before any bytes, and adding a word is
 * one append. English UPR text has about 10,000 distinct words.
 */
struct stem_slot {
    uint32_t hash;
    uint32_t off; /* the word at strings.buf + off, its stem right after it */
    uint32_t len; /* 0: an empty slot */
    uint32_t stem_len : 31;
    uint32_t given : 1; /* given with RT_TOKENIZE_NEW_WORDS */
};

struct rt_tokenizer {
    struct sb_stemmer *stemmer; /* NULL: no stemming */
    struct stem_slot *cache;
    size_t cap, n_cached;
    struct rt_buf strings;
};

struct rt_tokenizer *rt_tokenizer_new(const char *lang)
{
    struct rt_tokenizer *t = rt_xcalloc(1, sizeof(*t));

    t->strings = (struct rt_buf)RT_BUF_INIT;
    if (lang && strcmp(lang, "none")) {
        t->stemmer = sb_stemmer_new(lang, "UTF_8");
        if (!t->stemmer) {
            rt_free(t);
            return NULL;
        }
        t->cap = CACHE_MIN;
        t->cache = rt_xcalloc(t->cap, sizeof(*t->cache));
    }
    return t;
}

void rt_tokenizer_free(struct rt_tokenizer *t)
{
    if (!t)
        return;
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    rt_free(t->cache);
    rt_buf_release(&t->strings);
    rt_free(t);
}

void rt_tokenizer_forget(struct rt_tokenizer *t)
{
    for (size_t i = 0; i < t->cap; i++)
        t->cache[i].given = 0;
}

/* The slot of the word with this hash, or the empty slot where it would go. */
static struct stem_slot *cache_find(const struct rt_tokenizer *t, uint32_t hash, const char *word,
                                    size_t n)
{
    size_t mask = t->cap - 1, i = hash & mask;

    for (;; i = (i + 1) & mask) {
        struct stem_slot *slot = &t->cache[i];
        if (!slot->len ||
            (slot->hash == hash && slot->len == n && !memcmp(t->strings.buf + slot->off, word, n)))
            return slot;
    }
}

/* Makes room for one more word: doubles the table up to CACHE_MAX, then empties it. */
static void cache_make_room(struct rt_tokenizer *t)
{
    struct stem_slot *old = t->cache;
    size_t old_cap = t->cap;

    if ((t->n_cached + 1) * 2 <= t->cap)
        return;
    if (t->cap >= CACHE_MAX) {
        memset(t->cache, 0, t->cap * sizeof(*t->cache));
        rt_buf_reset(&t->strings);
        t->n_cached = 0;
        return;
    }
    t->cap *= 2;
    t->cache = rt_xcalloc(t->cap, sizeof(*t->cache));
    for (size_t i = 0; i < old_cap; i++) {
        size_t j = old[i].hash & (t->cap - 1);
        if (!old[i].len)
            continue;
        while (t->cache[j].len)
            j = (j + 1) & (t->cap - 1);
        t->cache[j] = old[i];
    }
    rt_free(old);
}

/*
 * Stems word (normalised, n bytes); the result is borrowed until the next call.
 * With first non-NULL, sets *first to whether the word is new to RT_TOKENIZE_NEW_WORDS,
 * and marks it met.
 */
static const char *stem(struct rt_tokenizer *t, const char *word, size_t n, size_t *out_len,
                        int *first)
{
    uint32_t hash = (uint32_t)rt__hash(word, n);
    struct stem_slot *slot = cache_find(t, hash, word, n);
    const sb_symbol *s;
    size_t stem_len;

    if (slot->len) {
        if (first) {
            *first = !slot->given;
            slot->given = 1;
        }
        *out_len = slot->stem_len;
        return t->strings.buf + slot->off + slot->len;
    }
    s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)word, (int)n);
    if (!s) { /* out of memory inside libstemmer: fall back to the word itself */
        if (first)
            *first = 0;
        *out_len = n;
        return word;
    }
    stem_len = (size_t)sb_stemmer_length(t->stemmer);
    if ((t->n_cached + 1) * 2 > t->cap) {
        cache_make_room(t);
        slot = cache_find(t, hash, word, n);
    }
    slot->hash = hash;
    slot->off = (uint32_t)t->strings.len;
    slot->len = (uint32_t)n;
    slot->stem_len = (uint32_t)stem_len & 0x7fffffffu;
    slot->given = first != NULL;
    if (first)
        *first = 1;
    if (rt_buf_add(&t->strings, word, n) < 0 || rt_buf_add(&t->strings, s, stem_len) < 0)
        RT_BUG("stem cache overflow");
    t->n_cached++;
    *out_len = stem_len;
    return t->strings.buf + slot->off + n;
}

struct run {
    unsigned flags;
    size_t n_tokens; /* tokens reported so far */
    size_t last;     /* with RT_TOKENIZE_LAST_UNSTEMMED: index of the last token */
    rt_token_fn fn;
    void *ctx;
};

static int count_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    (void)term, (void)len, (void)start, (void)end, (void)colocated;
    (*(size_t *)ctx)++;
    return 0;
}

/* Normalises and stems the word s[start, end) and reports it. */
static int emit(struct rt_tokenizer *t, const char *s, size_t start, size_t end, int ascii,
                struct run *run)
{
    char word[MAX_WORD * 4 + 8];
    utf8proc_uint8_t *mapped = NULL;
    const char *term = word;
    size_t n = 0;
    int rc;

    if (ascii) {
        for (size_t i = start; i < end; i++) {
            char c = s[i];
            if (c == '\'')
                continue;
            word[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    } else {
        utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s + start,
                                          (utf8proc_ssize_t)(end - start), &mapped,
                                          UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                              UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
        if (k < 0)
            return 0;
        for (utf8proc_ssize_t i = 0; i < k && n < sizeof(word) - 4; i++) {
            if (mapped[i] == '\'')
                continue;
            if (mapped[i] == 0xE2 && i + 2 < k && mapped[i + 1] == 0x80 && mapped[i + 2] == 0x99) {
                i += 2;
                continue;
            }
            word[n++] = (char)mapped[i];
        }
        rt_free(mapped);
    }
    if (!n)
        return 0;
    word[n] = '\0';
    {
        size_t stem_len = n, index = run->n_tokens++;
        int unstemmed = (run->flags & RT_TOKENIZE_LAST_UNSTEMMED) && index == run->last;
        int first = 0;

        if (t->stemmer && !unstemmed)
            term =
                stem(t, word, n, &stem_len, (run->flags & RT_TOKENIZE_NEW_WORDS) ? &first : NULL);
        if ((rc = run->fn(run->ctx, term, stem_len, start, end, 0)))
            return rc;
        if (first && term != word && (stem_len != n || memcmp(term, word, n)))
            return run->fn(run->ctx, word, n, start, end, 1);
    }
    return 0;
}

static int tokenize(struct rt_tokenizer *t, const char *s, size_t len, struct run *run);

int rt_tokenize(struct rt_tokenizer *t, const char *s, size_t len, unsigned flags, rt_token_fn fn,
                void *ctx)
{
    struct run run = {flags, 0, 0, fn, ctx};

    if (flags & RT_TOKENIZE_LAST_UNSTEMMED) {
        size_t n = 0;
        struct run count = {0, 0, 0, count_token, &n};
        tokenize(t, s, len, &count);
        run.last = n ? n - 1 : 0;
    }
    return tokenize(t, s, len, &run);
}

static int tokenize(struct rt_tokenizer *t, const char *s, size_t len, struct run *run)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, start = 0, last_word_end = 0;
    int in_word = 0, ascii = 1, rc;

    while (i < len) {
        utf8proc_int32_t cp;
        size_t n = 1;
        enum rt__char_class c;

        /* The common case, taken before the general one below: more ASCII letters or
         * digits inside a word that has room for them. */
        if (in_word && rt__ascii_alnum(p[i]) && i - start < MAX_WORD) {
            size_t stop = len - start > MAX_WORD ? start + MAX_WORD : len;
            while (i < stop && rt__ascii_alnum(p[i]))
                i++;
            last_word_end = i;
            continue;
        }
        if (p[i] < 0x80) {
            cp = p[i];
        } else {
            utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            if (k < 0)
                cp = ' ';
            else
                n = (size_t)k;
        }
        c = rt__char_class(cp);
        if (c == RT__APOS && !in_word)
            c = RT__SEP;
        if (in_word && (c == RT__SEP || c == RT__IDEO || i - start >= MAX_WORD)) {
            if ((rc = emit(t, s, start, last_word_end, ascii, run)))
                return rc;
            in_word = 0;
        }
        if (c == RT__WORD || (c == RT__APOS && in_word)) {
            if (!in_word) {
                in_word = 1;
                start = i;
                ascii = 1;
            }
            if (n > 1)
                ascii = 0;
            if (c == RT__WORD)
                last_word_end = i + n;
        } else if (c == RT__IDEO) {
            if ((rc = emit(t, s, i, i + n, 0, run)))
                return rc;
        }
        i += n;
    }
    if (in_word && (rc = emit(t, s, start, last_word_end, ascii, run)))
        return rc;
    return 0;
}
