/* Tests of the word tokenizer shared by the index and the queries. */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

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

Test(tokenize, surface_forms_ride_along)
{
    char *s = toks_flags("english", "Investigate the cases", RT_TOKENIZE_SURFACE);
    cr_assert_str_eq(s, "investig/investigate the case/cases");
    rt_free(s);
    s = toks_flags("english", "death penalties", RT_TOKENIZE_LAST_UNSTEMMED);
    cr_assert_str_eq(s, "death penalties");
    rt_free(s);
}
