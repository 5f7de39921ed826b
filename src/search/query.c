/* The search query language: user text to a parsed query (store.h), then a store search. */
#include "base/compat.h"

#include <rightstrack/search.h>
#include <rightstrack/text.h>

enum item_kind { TERM, OP_AND, OP_OR, OP_NOT, LPAREN, RPAREN };

struct item {
    enum item_kind kind;
    const char *ptr; /* TERM: the word or the phrase's inside */
    size_t len;
    int prefix;
    int phrase; /* TERM: in double quotes */
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
        struct item it = {TERM, NULL, 0, 0, 0};
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
            it.phrase = 1;
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
            items[n++] = (struct item){OP_NOT, NULL, 0, 0, 0};
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

/* Builds the tree of a tidied item list (the grammar of rt_search_parse). */
struct parser {
    const struct item *it;
    size_t n, i;
    const char *base; /* the text the items point into */
    struct rt_search_query *q;
};

static struct rt_search_node *node_new(struct parser *p, enum rt_search_node_kind kind)
{
    struct rt_search_node *nd = &p->q->nodes[p->q->n++];

    memset(nd, 0, sizeof(*nd));
    nd->kind = kind;
    return nd;
}

static int peek(const struct parser *p, enum item_kind kind)
{
    return p->i < p->n && p->it[p->i].kind == kind;
}

static struct rt_search_node *parse_or(struct parser *p);

/* A term or a group; NULL when the items hold neither here (tidy leaves none such). */
static struct rt_search_node *parse_primary(struct parser *p)
{
    struct rt_search_node *nd;

    if (peek(p, TERM)) {
        const struct item *it = &p->it[p->i++];
        nd = node_new(p, RT_SEARCH_TERM);
        nd->text = p->q->text + (it->ptr - p->base);
        nd->len = it->len;
        nd->phrase = it->phrase;
        nd->prefix = it->prefix;
        return nd;
    }
    if (!peek(p, LPAREN))
        return NULL;
    p->i++;
    nd = node_new(p, RT_SEARCH_GROUP);
    nd->child = parse_or(p);
    if (peek(p, RPAREN))
        p->i++;
    return nd->child ? nd : NULL;
}

/*
 * operand (OP operand)* for one operator: a node of kind with the operands as its
 * children, or the one operand alone. implicit: neighbours without an operator are
 * joined by this one too (AND).
 */
static struct rt_search_node *parse_chain(struct parser *p, enum item_kind op,
                                          enum rt_search_node_kind kind, int implicit,
                                          struct rt_search_node *(*operand)(struct parser *))
{
    struct rt_search_node *first = operand(p), *nd = NULL, *last;

    if (!first)
        return NULL;
    last = first;
    for (;;) {
        struct rt_search_node *next;
        size_t at = p->i;

        if (peek(p, op))
            p->i++;
        else if (!(implicit && (peek(p, TERM) || peek(p, LPAREN))))
            break;
        if (!(next = operand(p))) {
            p->i = at;
            break;
        }
        if (!nd) {
            nd = node_new(p, kind);
            nd->child = first;
        }
        last->next = next;
        last = next;
    }
    return nd ? nd : first;
}

static struct rt_search_node *parse_not(struct parser *p)
{
    return parse_chain(p, OP_NOT, RT_SEARCH_NOT, 0, parse_primary);
}

static struct rt_search_node *parse_and(struct parser *p)
{
    return parse_chain(p, OP_AND, RT_SEARCH_AND, 1, parse_not);
}

static struct rt_search_node *parse_or(struct parser *p)
{
    return parse_chain(p, OP_OR, RT_SEARCH_OR, 0, parse_and);
}

int rt_search_parse(const char *text, size_t len, struct rt_search_query **out,
                    struct rt_error *err)
{
    struct item items[256];
    size_t n = lex(text, len, items, RT_ARRAY_SIZE(items));
    size_t terms = 0, negated = 0, lead = 0;
    struct rt_search_query *q;
    struct parser p;

    *out = NULL;
    /* FTS5's NOT joins two sides, and so does ours: "-a b" is read as "b NOT a". */
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
    if (n == 0)
        return 0;

    q = rt_xcalloc(1, sizeof(*q));
    q->text = rt_xmalloc(len + 1);
    memcpy(q->text, text, len);
    q->text[len] = '\0';
    q->nodes = rt_xcalloc(2 * n + 1, sizeof(*q->nodes));
    p = (struct parser){items, n, 0, text, q};
    q->root = parse_or(&p);
    *out = q;
    return 0;
}

void rt_search_query_free(struct rt_search_query *q)
{
    if (!q)
        return;
    rt_free(q->nodes);
    rt_free(q->text);
    rt_free(q);
}

const char *const rt_mechanisms[] = {"upr",       "odihr", "treaty-body", "special-procedure",
                                     "bilateral", NULL};

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

/* The store's spec for q; its query is *parsed, which the caller frees. */
static int spec_of(struct rt_store *st, const struct rt_query *q, struct rt_search_spec *spec,
                   struct rt_search_query **parsed, struct rt_error *err)
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
    if (q->mechanism) {
        int known = 0;
        for (size_t i = 0; rt_mechanisms[i]; i++)
            known |= !strcmp(q->mechanism, rt_mechanisms[i]);
        if (!known)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "mechanism",
                                "no mechanism called '%s' (upr, odihr, treaty-body, "
                                "special-procedure or bilateral)",
                                q->mechanism);
        spec->mechanism = q->mechanism;
    }
    if ((rc = find_state(st, q->sur, "sur", &spec->sur_id, err)) < 0 ||
        (rc = find_state(st, q->by, "by", &spec->by_id, err)) < 0)
        return rc;
    if (q->text && (rc = rt_search_parse(q->text, strlen(q->text), parsed, err)) < 0)
        return rc;
    if (q->theme && (rc = rt_store_theme_check(st, q->theme, err)) < 0)
        return rc;
    spec->query = *parsed;
    return 0;
}

int rt_search(struct rt_store *st, const struct rt_query *q, struct rt_search_result *res,
              struct rt_error *err)
{
    struct rt_search_query *parsed = NULL;
    struct rt_search_spec spec;
    int rc;

    if ((rc = spec_of(st, q, &spec, &parsed, err)) == 0)
        rc = rt_store_search(st, &spec, res, err);
    rt_search_query_free(parsed);
    return rc;
}

int rt_search_ids(struct rt_store *st, const struct rt_query *q, int64_t **out, size_t *out_n,
                  struct rt_error *err)
{
    struct rt_search_query *parsed = NULL;
    struct rt_search_spec spec;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = spec_of(st, q, &spec, &parsed, err)) == 0)
        rc = rt_store_search_ids(st, &spec, out, out_n, err);
    rt_search_query_free(parsed);
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
