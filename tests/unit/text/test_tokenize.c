/* Tests of the word tokenizer shared by the index and the queries. */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

#include "lib/upr_texts.h"

struct collect {
    struct rt_buf out;
    size_t n;
    size_t last_end;
};

static int add(void *ctx, const char *term, size_t len, size_t start, size_t end,
               int colocated)
{
    struct collect *c = ctx;
    if (c->n++)
        rt_buf_addch(&c->out, colocated ? '/' : ' ');
    rt_buf_add(&c->out, term, len);
    cr_assert(start < end);
    c->last_end = end;
    return 0;
}

static char *toks_flags(const char *lang, const char *s, unsigned flags)
{
    struct rt_tokenizer *t = rt_tokenizer_new(lang);
    struct collect c = {RT_BUF_INIT, 0, 0};
    cr_assert_not_null(t);
    cr_assert_eq(rt_tokenize(t, s, strlen(s), flags, add, &c), 0);
    rt_tokenizer_free(t);
    return rt_buf_detach(&c.out, NULL);
}

static char *toks(const char *lang, const char *s)
{
    return toks_flags(lang, s, 0);
}

static void expect(const char *lang, const char *in, const char *want)
{
    char *got = toks(lang, in);
    cr_assert_str_eq(got, want, "tokens of '%s'", in);
    rt_free(got);
}

Test(tokenize, stems_so_forms_meet)
{
    char *a = toks("english", "tortured"), *b = toks("english", "torture");
    cr_assert_str_eq(a, b);
    rt_free(a);
    rt_free(b);
    expect("english", "Ratifying the Conventions", "ratifi the convent");
}

Test(tokenize, folds_case_and_accents)
{
    expect("none", "\xc3\x89QUIT\xc3\x89 Stra\xc3\x9f" "e", "equite strasse");
    expect("none", "Ｒatify", "ratify");
}

Test(tokenize, apostrophes_join_words)
{
    expect("none", "women's rights", "womens rights");
    expect("none", "State\xe2\x80\x99s 'quoted'", "states quoted");
}

Test(tokenize, punctuation_separates)
{
    expect("none", "115.1 human-rights (ICCPR);", "115 1 human rights iccpr");
}

Test(tokenize, cjk_ideographs_one_each)
{
    expect("none", "\xe4\xba\xba\xe6\x9d\x83 ok", "\xe4\xba\xba \xe6\x9d\x83 ok");
}

Test(tokenize, offsets_cover_the_source)
{
    struct rt_tokenizer *t = rt_tokenizer_new("english");
    struct collect c = {RT_BUF_INIT, 0, 0};
    const char *s = "Abolish the death penalty.";
    rt_tokenize(t, s, strlen(s), 0, add, &c);
    cr_assert_eq(c.last_end, strlen(s) - 1); /* "penalty" ends before the full stop */
    rt_buf_release(&c.out);
    rt_tokenizer_free(t);
}

Test(tokenize, invalid_utf8_is_a_separator)
{
    expect("none", "ab\xff" "cd", "ab cd");
}

Test(tokenize, unknown_language)
{
    cr_assert_null(rt_tokenizer_new("klingon"));
}

Test(tokenize, last_unstemmed)
{
    char *s = toks_flags("english", "death penalties", RT_TOKENIZE_LAST_UNSTEMMED);
    cr_assert_str_eq(s, "death penalties");
    rt_free(s);
}

/* With RT_TOKENIZE_NEW_WORDS a word rides along only the first time the tokenizer
 * meets it, until rt_tokenizer_forget; words that are their own stems never do. */
Test(tokenize, new_words_ride_along_once)
{
    struct rt_tokenizer *t = rt_tokenizer_new("english");
    struct collect c = {RT_BUF_INIT, 0, 0};
    const char *a = "Investigate cases", *b = "investigate the cases and torture";

    cr_assert_eq(rt_tokenize(t, "cases", 5, 0, add, &c), 0); /* a query: no marks */
    rt_buf_reset(&c.out), c.n = 0;
    cr_assert_eq(rt_tokenize(t, a, strlen(a), RT_TOKENIZE_NEW_WORDS, add, &c), 0);
    cr_assert_str_eq(c.out.buf, "investig/investigate case/cases");
    rt_buf_reset(&c.out), c.n = 0;
    cr_assert_eq(rt_tokenize(t, b, strlen(b), RT_TOKENIZE_NEW_WORDS, add, &c), 0);
    cr_assert_str_eq(c.out.buf, "investig the case and tortur/torture");
    rt_tokenizer_forget(t);
    rt_buf_reset(&c.out), c.n = 0;
    cr_assert_eq(rt_tokenize(t, a, strlen(a), RT_TOKENIZE_NEW_WORDS, add, &c), 0);
    cr_assert_str_eq(c.out.buf, "investig/investigate case/cases");
    rt_buf_release(&c.out);
    rt_tokenizer_free(t);
}

/*
 * The general path (utf8proc: NFKC, case folding, marks stripped) against the ASCII
 * fast path and the stem cache. A combining acute accent (U+0301) after the first
 * letter of a word sends the word down the general path, which strips the accent
 * again: the terms must be the very same. One long-lived tokenizer per side, as in
 * the index, so that the stem cache is warm and grows.
 */
struct two_paths {
    struct rt_tokenizer *fast, *general;
    size_t texts;
};

/* s with U+0301 after each ASCII letter that starts a word. */
static void mark_words(const char *s, size_t len, struct rt_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
        int letter = (unsigned)((c | 0x20) - 'a') < 26;
        int after_word = prev >= 0x80 || prev == '\'' || (unsigned)((prev | 0x20) - 'a') < 26 ||
                         (unsigned)(prev - '0') < 10;
        rt_buf_addch(out, (char)c);
        if (letter && !after_word)
            rt_buf_adds(out, "\xcc\x81");
    }
}

static void same_terms(struct two_paths *tp, const char *s, size_t len)
{
    struct collect a = {RT_BUF_INIT, 0, 0}, b = {RT_BUF_INIT, 0, 0};
    struct rt_buf marked = RT_BUF_INIT;

    mark_words(s, len, &marked);
    cr_assert_eq(rt_tokenize(tp->fast, s, len, RT_TOKENIZE_NEW_WORDS, add, &a), 0);
    cr_assert_eq(rt_tokenize(tp->general, marked.buf, marked.len, RT_TOKENIZE_NEW_WORDS, add, &b), 0);
    cr_assert_str_eq(a.out.buf ? a.out.buf : "", b.out.buf ? b.out.buf : "", "text: %.*s", (int)len,
                     s);
    rt_buf_release(&a.out);
    rt_buf_release(&b.out);
    rt_buf_release(&marked);
    tp->texts++;
}

static void same_terms_cb(void *ctx, const char *s, size_t len)
{
    /* A word near the 256-byte cut would be cut elsewhere once marked. */
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        run = (unsigned char)s[i] > ' ' ? run + 1 : 0;
        if (run > 200)
            return;
    }
    same_terms(ctx, s, len);
}

Test(tokenize, ascii_path_and_stem_cache_agree_with_the_general_path)
{
    static const char *const crafted[] = {
        "Investigate ALL cases of torture, and the children's rights",
        "C\xc3\xb4te d\xe2\x80\x99Ivoire's R\xc3\xa9publique: na\xc3\xafve caf\xc3\xa9s",
        "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 and Moscow, "
        "\xd0\xa0\xd0\xbe\xd1\x81\xd1\x81"
        "\xd0\xb8\xd1\x8f",
        "mixed\xc3\xa9word ASCII\xd0\xb6 2nd 1990s \xef\xac\x81nance (U.N.) x'y",
        "\xe4\xb8\xad\xe5\x9b\xbd Beijing \xe6\x97\xa5\xe6\x9c\xac"};
    struct two_paths tp = {rt_tokenizer_new("english"), rt_tokenizer_new("english"), 0};

    cr_assert_not_null(tp.fast);
    cr_assert_not_null(tp.general);
    for (size_t i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++)
        same_terms(&tp, crafted[i], strlen(crafted[i]));
    cr_assert_gt(upr_texts(same_terms_cb, &tp), 30000);
    cr_assert_gt(tp.texts, 30000, "only %zu texts compared", tp.texts);
    rt_tokenizer_free(tp.fast);
    rt_tokenizer_free(tp.general);
}
