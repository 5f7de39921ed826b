/*
 * Tests of the one definition of a word (src/text/text_int.h): the tokenizer and
 * the shingles split text where rt__char_class and rt__word_cp say, for every
 * code point, and on the tricky cases by name.
 */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

#include "text/text_int.h"

/* Writes cp as UTF-8 at b; returns the number of bytes. */
static size_t put_utf8(char *b, utf8proc_int32_t cp)
{
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b);
}

static int count_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    (void)term, (void)len, (void)start, (void)end, (void)colocated;
    (*(size_t *)ctx)++;
    return 0;
}

static size_t n_tokens(struct rt_tokenizer *t, const char *s, size_t len)
{
    size_t n = 0;
    cr_assert_eq(rt_tokenize(t, s, len, 0, count_token, &n), 0);
    return n;
}

static int is_surrogate(utf8proc_int32_t cp)
{
    return cp >= 0xD800 && cp <= 0xDFFF;
}

Test(text_int, ascii_alnum_is_letters_and_digits)
{
    for (unsigned c = 0; c < 256; c++) {
        int want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        cr_assert_eq(rt__ascii_alnum(c), want, "byte 0x%02x", c);
        if (want)
            cr_assert_eq(c | 0x20, (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    }
}

Test(text_int, classes_of_the_tricky_characters)
{
    static const struct {
        utf8proc_int32_t cp;
        enum rt__char_class want;
    } cases[] = {
        {'a', RT__WORD},     {'Z', RT__WORD},     {'7', RT__WORD},    {'\'', RT__APOS},
        {0x2019, RT__APOS},  {0x2018, RT__SEP},   {'-', RT__SEP},     {0x2010, RT__SEP},
        {0x2013, RT__SEP},   {'_', RT__SEP},      {'.', RT__SEP},     {' ', RT__SEP},
        {0xA0, RT__SEP},     {0xE9, RT__WORD},    {0xDF, RT__WORD},   {0x301, RT__WORD},
        {0x0915, RT__WORD},  {0x093E, RT__WORD},  {0x0627, RT__WORD}, {0x05D0, RT__WORD},
        {0x0416, RT__WORD},  {0xFF12, RT__WORD},  {0xB2, RT__WORD},   {0xBD, RT__WORD},
        {0x2167, RT__WORD},  {0x0663, RT__WORD},  {0x4EBA, RT__IDEO}, {0x3042, RT__IDEO},
        {0x30FC, RT__IDEO},  {0x20000, RT__IDEO}, {0xAC00, RT__WORD}, {0x1F600, RT__SEP},
        {0x20AC, RT__SEP},   {0xAB, RT__SEP},     {0x200B, RT__SEP},  {0xFE0F, RT__WORD},
        {0x10FFFF, RT__SEP},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_assert_eq(rt__char_class(cases[i].cp), cases[i].want, "U+%04X", (unsigned)cases[i].cp);
    /* The shingles' words: ideographs and kana are letters, apostrophes are not. */
    cr_assert(rt__word_cp(0x4EBA));
    cr_assert(rt__word_cp(0x3042));
    cr_assert(!rt__word_cp('\''));
    cr_assert(!rt__word_cp(0x2019));
}

/*
 * Every code point c between two letters: the tokenizer makes one token of "xcx"
 * when c is a word character or an apostrophe, two when it separates, and one
 * more for an ideograph, a token of its own.
 */
Test(text_int, tokenizer_splits_where_the_class_says)
{
    struct rt_tokenizer *t = rt_tokenizer_new("none");
    char s[16];

    cr_assert_not_null(t);
    for (utf8proc_int32_t cp = 1; cp <= 0x10FFFF; cp++) {
        size_t n = 0, got, want;
        if (is_surrogate(cp))
            continue;
        s[n++] = 'x';
        n += put_utf8(s + n, cp);
        s[n++] = 'x';
        got = n_tokens(t, s, n);
        switch (rt__char_class(cp)) {
        case RT__WORD:
        case RT__APOS:
            want = 1;
            break;
        case RT__IDEO: /* unless normalising leaves nothing of it (U+3099, a mark) */
            want = 2 + n_tokens(t, s + 1, n - 2);
            break;
        default:
            want = 2;
        }
        if (got != want)
            cr_assert_fail("U+%04X: %zu tokens, the class says %zu", (unsigned)cp, got, want);
    }
    rt_tokenizer_free(t);
}

/* The shingles of text, compared with those of other. */
static int same_shingles(const char *text, size_t len, const char *other)
{
    uint64_t *a, *b;
    size_t na, nb;
    int same;

    cr_assert_eq(rt_text_shingles(text, len, &a, &na), 0);
    cr_assert_eq(rt_text_shingles(other, strlen(other), &b, &nb), 0);
    same = na == nb && (!na || !memcmp(a, b, na * sizeof(*a)));
    rt_free(a);
    rt_free(b);
    return same;
}

/*
 * Every code point c that normalisation leaves as it is, between two letters:
 * "acb" has the shingles of "a b" exactly when rt__word_cp(c) says c separates.
 * (The shingles read the text after NFKC and case folding, so a code point that
 * normalisation changes is judged by what it becomes.)
 */
Test(text_int, shingles_split_where_the_class_says)
{
    char s[16];

    for (utf8proc_int32_t cp = 0x80; cp <= 0x10FFFF; cp++) {
        utf8proc_uint8_t *mapped = NULL;
        utf8proc_ssize_t k;
        size_t n = 0;
        int stable;

        if (is_surrogate(cp))
            continue;
        n = put_utf8(s, cp);
        k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
                         UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
        stable = k == (utf8proc_ssize_t)n && !memcmp(mapped, s, n);
        rt_free(mapped);
        if (!stable)
            continue;
        s[0] = 'a';
        n = 1 + put_utf8(s + 1, cp);
        s[n++] = 'b';
        if (same_shingles(s, n, "a b") == rt__word_cp(cp))
            cr_assert_fail("U+%04X: the shingles %s a word character", (unsigned)cp,
                           rt__word_cp(cp) ? "split at" : "do not split at");
    }
}

/* The named cases, through the tokenizer and the shingles. */
Test(text_int, tricky_words)
{
    static const struct {
        const char *text;
        size_t tokens;  /* by the tokenizer */
        const char *as; /* a text the shingles take as the same words */
    } cases[] = {
        {"don't", 1, "don t"},                /* apostrophe: joined; shingles split */
        {"l\xe2\x80\x99homme", 1, "l homme"}, /* U+2019: joined; shingles split */
        {"'quoted'", 1, "quoted"},            /* leading and trailing: dropped */
        {"human-rights", 2, "human rights"},  /* hyphen separates */
        {"COVID-19", 2, "covid 19"},          /* digits are word characters */
        {"115.1", 2, "115 1"},                /* so is the number before a dot */
        {"na\xc3\xafve", 1, "na\xc3\xafve"},  /* a precomposed letter */
        {"nai\xcc\x88ve", 1, "na\xc3\xafve"}, /* a base and a combining mark */
        {"Stra\xc3\x9f"
         "e",
         1, "strasse"},                                                  /* sharp s folds to ss */
        {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94", 1, "2024"}, /* full-width digits */
        {"x\xc2\xb2", 1, "x2"}, /* superscript two: a number */
        {"\xd0\x96\xd0\xb5\xd0\xbd\xd0\xb5\xd0\xb2\xd0\xb0", 1,
         "\xd0\xb6\xd0\xb5\xd0\xbd\xd0\xb5\xd0\xb2\xd0\xb0"},
        {"\xe4\xba\xba\xe6\x9d\x83", 2, "\xe4\xba\xba\xe6\x9d\x83"}, /* ideographs: a token each */
        {"ok\xf0\x9f\x98\x80ok", 2, "ok ok"},                        /* an emoji separates */
        {"a\xc2\xa0"
         "b",
         2, "a b"}, /* so does a no-break space */
    };
    struct rt_tokenizer *t = rt_tokenizer_new("none");

    cr_assert_not_null(t);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *s = cases[i].text;
        cr_assert_eq(n_tokens(t, s, strlen(s)), cases[i].tokens, "tokens of '%s'", s);
        cr_assert(same_shingles(s, strlen(s), cases[i].as), "shingles of '%s'", s);
    }
    /* To the shingles a run of ideographs is one word. */
    cr_assert(!same_shingles("\xe4\xba\xba\xe6\x9d\x83", 6, "\xe4\xba\xba \xe6\x9d\x83"));
    rt_tokenizer_free(t);
}
