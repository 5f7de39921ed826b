/*
 * Tests of the query language: user text to a parsed query (rt_search_parse), and
 * that query rendered by the SQLite back end as a safe FTS5 expression (rt__fts_expr).
 */
#include <criterion/criterion.h>

#include <rightstrack/search.h>

#include "store/sqlite/sqlite_int.h"

/* Appends nd as an S-expression: terms as written ('*' for a prefix, "" for a phrase). */
static void sexpr(const struct rt_search_node *nd, struct rt_buf *out)
{
    static const char *const name[] = {"", "AND", "OR", "NOT", "GROUP"};

    if (nd->kind == RT_SEARCH_TERM) {
        if (nd->phrase)
            rt_buf_addch(out, '"');
        rt_buf_add(out, nd->text, nd->len);
        if (nd->phrase)
            rt_buf_addch(out, '"');
        if (nd->prefix)
            rt_buf_addch(out, '*');
        return;
    }
    rt_buf_addf(out, "(%s", name[nd->kind]);
    for (const struct rt_search_node *c = nd->child; c; c = c->next) {
        rt_buf_addch(out, ' ');
        sexpr(c, out);
    }
    rt_buf_addch(out, ')');
}

static void tree(const char *in, const char *want)
{
    struct rt_search_query *q = NULL;
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt_search_parse(in, strlen(in), &q, &e), 0, "'%s': %s", in, e.msg.buf);
    if (q)
        sexpr(q->root, &b);
    cr_assert_str_eq(b.len ? b.buf : "", want, "query '%s'", in);
    rt_search_query_free(q);
    rt_buf_release(&b);
    rt_error_release(&e);
}

/* The tree the back ends render: NOT binds tightest, then AND, then OR. */
Test(query, parsed_tree)
{
    tree("torture", "torture");
    tree("death penalty", "(AND death penalty)");
    tree("\"death penalty\" abolit*", "(AND \"death penalty\" abolit*)");
    tree("a OR b c", "(OR a (AND b c))");
    tree("a b OR c", "(OR (AND a b) c)");
    tree("a NOT b c", "(AND (NOT a b) c)");
    tree("a OR b NOT c", "(OR a (NOT b c))");
    tree("-women rights", "(NOT rights women)");
    tree("(a OR b) c", "(AND (GROUP (OR a b)) c)");
    tree("a AND (b OR (c NOT d))", "(AND a (GROUP (OR b (GROUP (NOT c d)))))");
    tree("a -b -c", "(NOT a b c)");
    /* What makes no sense is dropped, as in the FTS5 expression. */
    tree("AND OR a OR", "a");
    tree("((a", "a");
    tree("a )) b", "(AND a b)");
    tree("() ** \"\"", "");
    tree("", "");
}

Test(query, parsed_terms_own_their_text)
{
    char text[] = "\"ill-treatment\" prison*";
    struct rt_search_query *q = NULL;
    const struct rt_search_node *a, *b;

    cr_assert_eq(rt_search_parse(text, strlen(text), &q, NULL), 0);
    memset(text, 'x', strlen(text)); /* the query keeps a copy */
    a = q->root->child;
    b = a->next;
    cr_assert_eq(q->root->kind, RT_SEARCH_AND);
    cr_assert(a->phrase && !a->prefix && !a->field);
    cr_assert_eq(a->len, 13);
    cr_assert_eq(memcmp(a->text, "ill-treatment", 13), 0);
    cr_assert(!b->phrase && b->prefix && b->len == 6 && !memcmp(b->text, "prison", 6));
    cr_assert_null(b->next);
    rt_search_query_free(q);
    rt_search_query_free(NULL);
}

/* A field the SQLite index does not have is refused, not searched as text. */
Test(query, unknown_field_refused)
{
    struct rt_search_node term = {0};
    struct rt_search_query q = {0};
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;

    term.kind = RT_SEARCH_TERM;
    term.text = "x";
    term.len = 1;
    term.field = "title";
    q.root = &term;
    cr_assert_eq(rt__fts_render(NULL, &q, &b, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "query");
    rt_buf_release(&b);
    rt_error_release(&e);
}

static void expect(const char *in, const char *want)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt__fts_expr(NULL, in, strlen(in), &b, &e), 0, "'%s'", in);
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
    struct rt_search_query *q = (struct rt_search_query *)&b;
    cr_assert_eq(rt__fts_expr(NULL, "-torture", 8, &b, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "query");
    cr_assert_eq(rt_search_parse("-torture -a", 11, &q, NULL), RT_EINVAL);
    cr_assert_null(q);
    rt_buf_release(&b);
    rt_error_release(&e);
}

/* A NUL byte inside the text separates words (it once stopped the lexer for good). */
Test(query, nul_bytes_separate_words, .timeout = 10)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt__fts_expr(NULL, "torture\0prison", 14, &b, NULL), 0);
    cr_assert_str_eq(b.buf, "\"torture\" AND \"prison\"");
    rt_buf_reset(&b);
    cr_assert_eq(rt__fts_expr(NULL, "\"death\0penalty\"*", 16, &b, NULL), 0);
    cr_assert_str_eq(b.buf, "\"death penalty\" *");
    rt_buf_release(&b);
}
