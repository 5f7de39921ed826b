/* The search query language: user text to a safe FTS5 expression, then a store search. */
#include "base/compat.h"

#include <rightstrack/search.h>
#include <rightstrack/text.h>

enum item_kind { TERM, OP_AND, OP_OR, OP_NOT, LPAREN, RPAREN };

struct item {
    enum item_kind kind;
    const char *ptr; /* TERM: the word or the phrase's inside */
    size_t len;
    int prefix;
};

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int has_word(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_word_byte((unsigned char)p[i]))
            return 1;
    return 0;
}

static int is_op(const struct item *it)
{
    return it->kind == OP_AND || it->kind == OP_OR || it->kind == OP_NOT;
}

/* Splits text into items; returns how many were written to items (at most max). */
static size_t lex(const char *s, size_t len, struct item *items, size_t max)
{
    size_t i = 0, n = 0;

    while (i < len && n + 2 < max) {
        unsigned char c = (unsigned char)s[i];
        struct item it = {TERM, NULL, 0, 0};
        int negate = 0;

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
            i++;
            continue;
        }
        if (c == '(' || c == ')') {
            it.kind = c == '(' ? LPAREN : RPAREN;
            items[n++] = it;
            i++;
            continue;
        }
        if (c == '-' && i + 1 < len && (s[i + 1] == '"' || is_word_byte((unsigned char)s[i + 1]))) {
            negate = 1;
            i++;
        }
        if (s[i] == '"') {
            size_t start = ++i;
            while (i < len && s[i] != '"')
                i++;
            it.ptr = s + start;
            it.len = i - start;
            if (i < len)
                i++;
        } else {
            size_t start = i;
            while (i < len && !memchr(" \t\n\r()\"", s[i], 8)) /* and NUL */
                i++;
            it.ptr = s + start;
            it.len = i - start;
        }
        if (i < len && s[i] == '*') {
            it.prefix = 1;
            i++;
        }
        while (it.len && it.ptr[it.len - 1] == '*') {
            it.prefix = 1;
            it.len--;
        }
        if (!negate && !it.prefix) {
            if (it.len == 3 && !memcmp(it.ptr, "AND", 3))
                it.kind = OP_AND;
            else if (it.len == 2 && !memcmp(it.ptr, "OR", 2))
                it.kind = OP_OR;
            else if (it.len == 3 && !memcmp(it.ptr, "NOT", 3))
                it.kind = OP_NOT;
        }
        if (it.kind == TERM && !has_word(it.ptr, it.len))
            continue;
        if (negate)
            items[n++] = (struct item){OP_NOT, NULL, 0, 0};
        items[n++] = it;
    }
    return n;
}

/* Drops operators and parentheses that have nothing to join; returns the new count. */
static size_t tidy(struct item *it, size_t n)
{
    int changed = 1;

    while (changed) {
        size_t m = 0;
        int depth = 0;

        changed = 0;
        for (size_t i = 0; i < n; i++) {
            struct item *prev = m ? &it[m - 1] : NULL;
            int next_ok = i + 1 < n && (it[i + 1].kind == TERM || it[i + 1].kind == LPAREN ||
                                        (it[i].kind != OP_NOT && it[i + 1].kind == OP_NOT));
            int drop = 0;

            if (is_op(&it[i]))
                drop = !prev || prev->kind == LPAREN || is_op(prev) || !next_ok;
            else if (it[i].kind == RPAREN)
                drop = depth == 0 || (prev && prev->kind == LPAREN);
            if (it[i].kind == RPAREN && !drop)
                depth--;
            if (it[i].kind == LPAREN)
                depth++;
            if (it[i].kind == RPAREN && prev && prev->kind == LPAREN && !drop)
                drop = 1;
            if (it[i].kind == RPAREN && prev && prev->kind == LPAREN) {
                m--; /* "()" goes away whole */
                depth--;
                changed = 1;
                continue;
            }
            if (drop) {
                changed = 1;
                continue;
            }
            it[m++] = it[i];
        }
        /* Unclosed "(": drop the last ones. */
        while (depth > 0) {
            for (size_t i = m; i-- > 0;) {
                if (it[i].kind == LPAREN) {
                    memmove(&it[i], &it[i + 1], (m - i - 1) * sizeof(*it));
                    m--;
                    break;
                }
            }
            depth--;
            changed = 1;
        }
        n = m;
    }
    return n;
}

/* Appends s for the inside of an FTS5 string: double quotes doubled, NUL a space. */
static void add_escaped(struct rt_buf *out, const char *s, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '"')
            rt_buf_addch(out, '"');
        rt_buf_addch(out, s[k] ? s[k] : ' ');
    }
}

/*
 * Is the term a bare number ("19")? The index's second column, the paragraph, is
 * made of numbers ("A/HRC/30/3, 127.1"): a bare number looks in the text only, so
 * that "article 19" does not find every paragraph with a 19 in it. A report symbol
 * or a paragraph number (A/HRC/30/3, 127.1) looks in both.
 */
static int bare_number(const struct item *it)
{
    for (size_t k = 0; k < it->len; k++)
        if (it->ptr[k] < '0' || it->ptr[k] > '9')
            return 0;
    return it->len > 0;
}

/* Appends s as an FTS5 string. */
static void add_quoted(struct rt_buf *out, const char *s, size_t len)
{
    rt_buf_addch(out, '"');
    add_escaped(out, s, len);
    rt_buf_addch(out, '"');
}

struct last_word {
    struct rt_buf word; /* folded */
    size_t start, end;  /* where it sits in the term */
};

static int keep_last(void *ctx, const char *term, size_t len, size_t start, size_t end,
                     int colocated)
{
    struct last_word *w = ctx;

    (void)colocated;
    rt_buf_reset(&w->word);
    rt_buf_add(&w->word, term, len);
    w->start = start;
    w->end = end;
    return 0;
}

/*
 * Appends a prefix term. The index holds stems: the prefix finds the stems that
 * begin with it, and with a store, also the words whose stems do not (the
 * store's table word): `investigat*` is ("investigat" * OR "investigate"), where the
 * last one is read as its stem "investig". In a phrase, the last word is the prefix.
 */
static int add_prefix(struct rt_store *st, const struct item *it, struct rt_buf *out,
                      struct rt_error *err)
{
    struct last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT;
    struct rt_tokenizer *t;
    int rc = 0;

    if (st) {
        t = rt_tokenizer_new("none");
        rt_tokenize(t, it->ptr, it->len, 0, keep_last, &last);
        rt_tokenizer_free(t);
        if (last.word.len)
            rc = rt_store_prefix_words(st, last.word.buf, last.word.len, &words, err);
    }
    if (rc == 0) {
        if (words.len)
            rt_buf_addch(out, '(');
        add_quoted(out, it->ptr, it->len);
        rt_buf_adds(out, " *");
        for (size_t i = 0; i < words.len; i += strlen(words.buf + i) + 1) {
            rt_buf_adds(out, " OR ");
            rt_buf_addch(out, '"');
            add_escaped(out, it->ptr, last.start);
            rt_buf_adds(out, words.buf + i);
            add_escaped(out, it->ptr + last.end, it->len - last.end);
            rt_buf_addch(out, '"');
        }
        if (words.len)
            rt_buf_addch(out, ')');
    }
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    return rc;
}

int rt_search_fts_expr(struct rt_store *st, const char *text, size_t len, struct rt_buf *out,
                       struct rt_error *err)
{
    int rc;
    struct item items[256];
    size_t n = lex(text, len, items, RT_ARRAY_SIZE(items));
    size_t start = out->len, terms = 0, negated = 0, lead = 0;

    /* FTS5's NOT joins two sides: "-a b" is read as "b NOT a". */
    while (lead + 1 < n && items[lead].kind == OP_NOT && items[lead + 1].kind == TERM)
        lead += 2;
    if (lead && lead < n) {
        struct item moved[256];
        memcpy(moved, items, lead * sizeof(*items));
        memmove(items, items + lead, (n - lead) * sizeof(*items));
        memcpy(items + n - lead, moved, lead * sizeof(*items));
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind == TERM) {
            terms++;
            negated += i > 0 && items[i - 1].kind == OP_NOT;
        }
    }
    if (terms && terms == negated)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "query",
                            "a query needs a word to look for, not only words to leave out");
    n = tidy(items, n);

    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];

        if (out->len > start)
            rt_buf_addch(out, ' ');
        /* FTS5 joins neighbours without an operator only when both are phrases, and
         * then more tightly than NOT: say AND every time. */
        if (i > 0 && (it->kind == TERM || it->kind == LPAREN) &&
            (items[i - 1].kind == TERM || items[i - 1].kind == RPAREN))
            rt_buf_adds(out, "AND ");
        switch (it->kind) {
        case TERM:
            if (!it->prefix && bare_number(it))
                rt_buf_adds(out, "text : ");
            if (!it->prefix)
                add_quoted(out, it->ptr, it->len);
            else if ((rc = add_prefix(st, it, out, err)) < 0)
                return rc;
            break;
        case OP_AND:
            rt_buf_adds(out, "AND");
            break;
        case OP_OR:
            rt_buf_adds(out, "OR");
            break;
        case OP_NOT:
            rt_buf_adds(out, "NOT");
            break;
        case LPAREN:
            rt_buf_addch(out, '(');
            break;
        case RPAREN:
            rt_buf_addch(out, ')');
            break;
        }
    }
    return 0;
}

static int find_state(struct rt_store *st, const char *name, const char *field, int64_t *out,
                      struct rt_error *err)
{
    int rc;

    if (!name)
        return 0;
    rc = rt_store_state_find(st, name, strlen(name), out, err);
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_EINVAL, NULL, 0, field, "no state called '%s'", name);
    return rc;
}

/* The store's spec for q; match points into expr, which the caller releases. */
static int spec_of(struct rt_store *st, const struct rt_query *q, struct rt_search_spec *spec,
                   struct rt_buf *expr, struct rt_error *err)
{
    int rc;

    memset(spec, 0, sizeof(*spec));
    spec->response = q->response;
    spec->cycle = q->cycle;
    spec->session = q->session;
    spec->category = q->category;
    spec->theme = q->theme;
    spec->limit = q->limit;
    spec->offset = q->offset;
    spec->facets = q->facets;
    spec->sort = q->sort;
    spec->desc = q->desc;
    if ((rc = find_state(st, q->sur, "sur", &spec->sur_id, err)) < 0 ||
        (rc = find_state(st, q->by, "by", &spec->by_id, err)) < 0)
        return rc;
    if (q->text && (rc = rt_search_fts_expr(st, q->text, strlen(q->text), expr, err)) < 0)
        return rc;
    if (q->theme && (rc = rt_store_theme_check(st, q->theme, err)) < 0)
        return rc;
    if (expr->len)
        spec->match = expr->buf;
    return 0;
}

int rt_search(struct rt_store *st, const struct rt_query *q, struct rt_search_result *res,
              struct rt_error *err)
{
    struct rt_buf expr = RT_BUF_INIT;
    struct rt_search_spec spec;
    int rc;

    if ((rc = spec_of(st, q, &spec, &expr, err)) == 0)
        rc = rt_store_search(st, &spec, res, err);
    rt_buf_release(&expr);
    return rc;
}

int rt_search_ids(struct rt_store *st, const struct rt_query *q, int64_t **out, size_t *out_n,
                  struct rt_error *err)
{
    struct rt_buf expr = RT_BUF_INIT;
    struct rt_search_spec spec;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = spec_of(st, q, &spec, &expr, err)) == 0)
        rc = rt_store_search_ids(st, &spec, out, out_n, err);
    rt_buf_release(&expr);
    return rc;
}

static const char *const sort_names[] = {"relevance", "session", "state", "response"};

const char *rt_search_sort_name(int sort)
{
    return sort >= 0 && sort < (int)RT_ARRAY_SIZE(sort_names) ? sort_names[sort] : "relevance";
}

int rt_search_sort_parse(const char *s, int *out)
{
    for (size_t i = 0; i < RT_ARRAY_SIZE(sort_names); i++) {
        if (!strcmp(s, sort_names[i])) {
            *out = (int)i;
            return 0;
        }
    }
    if (!strcmp(s, "date")) {
        *out = RT_SORT_SESSION;
        return 0;
    }
    return RT_EINVAL;
}
