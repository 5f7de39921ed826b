/* Tests of the query language: user text to a safe FTS5 expression. */
#include <criterion/criterion.h>

#include <rightstrack/search.h>

static void expect(const char *in, const char *want)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_search_fts_expr(NULL, in, strlen(in), &b, &e), 0, "'%s'", in);
    cr_assert_str_eq(b.buf, want, "query '%s'", in);
    rt_buf_release(&b);
    rt_error_release(&e);
}

Test(query, words_are_quoted)
{
    expect("death penalty", "\"death\" AND \"penalty\"");
    expect("women's", "\"women's\"");
}

Test(query, phrases_prefixes_operators)
{
    expect("\"death penalty\" OR tortur*", "\"death penalty\" OR \"tortur\" *");
    expect("a AND (b OR c)", "\"a\" AND ( \"b\" OR \"c\" )");
    expect("torture -children", "\"torture\" NOT \"children\"");
    expect("torture NOT children", "\"torture\" NOT \"children\"");
    expect("-children torture", "\"torture\" NOT \"children\"");
    expect("a (b) c", "\"a\" AND ( \"b\" ) AND \"c\"");
    expect("a -b c", "\"a\" NOT \"b\" AND \"c\"");
}

/* The index's paragraph column holds report symbols and paragraph numbers: a bare
 * number looks in the text only, a symbol or a paragraph number in both. */
Test(query, bare_numbers_look_in_the_text)
{
    expect("article 19", "\"article\" AND text : \"19\"");
    expect("-19 torture", "\"torture\" NOT text : \"19\"");
    expect("\"article 19\"", "\"article 19\"");
    expect("A/HRC/30/3 127.1", "\"A/HRC/30/3\" AND \"127.1\"");
    expect("19*", "\"19\" *");
}

Test(query, lowercase_operators_are_words)
{
    expect("law and order", "\"law\" AND \"and\" AND \"order\"");
}

Test(query, stray_syntax_is_dropped)
{
    expect("OR torture AND", "\"torture\"");
    expect("((torture", "\"torture\"");
    expect("torture) )", "\"torture\"");
    expect("() torture", "\"torture\"");
    expect("a AND OR b", "\"a\" OR \"b\"");
    expect("- : ; *", "");
    expect("\"unclosed phrase", "\"unclosed phrase\"");
    expect("say \"\"hi\"\"", "\"say\" AND \"hi\"");
}

Test(query, quotes_inside_words_are_escaped)
{
    expect("a\"b", "\"a\" AND \"b\"");
    expect("x*y", "\"x*y\"");
}

Test(query, only_negations_is_an_error)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_search_fts_expr(NULL, "-torture", 8, &b, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "query");
    rt_buf_release(&b);
    rt_error_release(&e);
}

/* A NUL byte inside the text separates words (it once stopped the lexer for good). */
Test(query, nul_bytes_separate_words, .timeout = 10)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_search_fts_expr(NULL, "torture\0prison", 14, &b, NULL), 0);
    cr_assert_str_eq(b.buf, "\"torture\" AND \"prison\"");
    rt_buf_reset(&b);
    cr_assert_eq(rt_search_fts_expr(NULL, "\"death\0penalty\"*", 16, &b, NULL), 0);
    cr_assert_str_eq(b.buf, "\"death penalty\" *");
    rt_buf_release(&b);
}
