/*
 * The SQLite back end's rendering of a parsed query (struct rt_search_query, store.h)
 * as an FTS5 MATCH expression over our tokens: every term quoted, so that no user
 * text is ever read as FTS5 syntax, and the operators written out.
 */
#include "base/compat.h"

#include <rightstrack/search.h>
#include <rightstrack/text.h>

#include "store/sqlite/sqlite_int.h"

/* Appends s for the inside of an FTS5 string: double quotes doubled, NUL a space. */
static void add_escaped(struct rt_buf *out, const char *s, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '"')
            rt_buf_addch(out, '"');
        rt_buf_addch(out, s[k] ? s[k] : ' ');
    }
}

/* Appends s as an FTS5 string. */
static void add_quoted(struct rt_buf *out, const char *s, size_t len)
{
    rt_buf_addch(out, '"');
    add_escaped(out, s, len);
    rt_buf_addch(out, '"');
}

/*
 * Appends to out, each ended by a NUL, one word for every stem that words beginning
 * with prefix (folded as the index folds words) have but that does not itself begin
 * with it ("investigate" for "investigat", whose stem is "investig"): the index holds
 * stems, so a prefix must look for these as well as for the stems that begin with it
 * (schema 9, the table word).
 */
static int prefix_words(struct rt_store *st, const char *prefix, size_t len, struct rt_buf *out,
                        struct rt_error *err)
{
    /* U+10FFFF sorts after every character a word can go on with. */
    sqlite3_stmt *s = rt__stmt_sql(st,
                                   "SELECT min(word) FROM word"
                                   " WHERE word >= ?1 AND word < ?1 || char(1114111)"
                                   " AND substr(stem, 1, length(?1)) <> ?1"
                                   " GROUP BY stem ORDER BY 1",
                                   err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, prefix, (int)len, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rt_buf_add(out, sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0));
        rt_buf_addch(out, '\0');
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "search");
    sqlite3_reset(s);
    return rc;
}

/*
 * Appends a prefix term. The index holds stems: the prefix finds the stems that
 * begin with it, and with a store, also the words whose stems do not (the
 * store's table word): `investigat*` is ("investigat" * OR "investigate"), where the
 * last one is read as its stem "investig". In a phrase, the last word is the prefix.
 */
static int add_prefix(struct rt_store *st, const struct rt_search_node *nd, struct rt_buf *out,
                      struct rt_error *err)
{
    struct rt__last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT;
    int rc = 0;

    if (st) {
        rt__last_word(nd->text, nd->len, &last);
        if (last.word.len)
            rc = prefix_words(st, last.word.buf, last.word.len, &words, err);
    }
    if (rc == 0) {
        if (words.len)
            rt_buf_addch(out, '(');
        add_quoted(out, nd->text, nd->len);
        rt_buf_adds(out, " *");
        for (size_t i = 0; i < words.len; i += strlen(words.buf + i) + 1) {
            rt_buf_adds(out, " OR ");
            rt_buf_addch(out, '"');
            add_escaped(out, nd->text, last.start);
            rt_buf_adds(out, words.buf + i);
            add_escaped(out, nd->text + last.end, nd->len - last.end);
            rt_buf_addch(out, '"');
        }
        if (words.len)
            rt_buf_addch(out, ')');
    }
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    return rc;
}

int rt__fts_prefix_phrases(struct rt_store *st, const struct rt_search_node *nd, struct rt_buf *out,
                           struct rt_error *err)
{
    struct rt__last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT;
    int rc = 0;

    rt__last_word(nd->text, nd->len, &last);
    if (last.word.len)
        rc = prefix_words(st, last.word.buf, last.word.len, &words, err);
    for (size_t i = 0; rc == 0 && i < words.len; i += strlen(words.buf + i) + 1) {
        rt_buf_add(out, nd->text, last.start);
        rt_buf_adds(out, words.buf + i);
        rt_buf_add(out, nd->text + last.end, nd->len - last.end);
        rt_buf_addch(out, '\0');
    }
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    return rc;
}

/*
 * Appends node nd. The tree's operators bind as FTS5's do (NOT, then AND, then OR),
 * so only groups need parentheses; every operator is written out, as FTS5 joins
 * neighbours without one only when both are phrases, and then more tightly than NOT.
 */
static int render(struct rt_store *st, const struct rt_search_node *nd, struct rt_buf *out,
                  struct rt_error *err)
{
    static const char *const op[] = {
        [RT_SEARCH_AND] = " AND ", [RT_SEARCH_OR] = " OR ", [RT_SEARCH_NOT] = " NOT "};
    int rc = 0;

    switch (nd->kind) {
    case RT_SEARCH_TERM:
        if (nd->field)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "query",
                                "the SQLite store cannot search the field '%s'", nd->field);
        if (rt__bare_number(nd))
            rt_buf_adds(out, "text : ");
        if (!nd->prefix)
            add_quoted(out, nd->text, nd->len);
        else
            rc = add_prefix(st, nd, out, err);
        return rc;
    case RT_SEARCH_GROUP:
        rt_buf_adds(out, "( ");
        if ((rc = render(st, nd->child, out, err)) < 0)
            return rc;
        rt_buf_adds(out, " )");
        return 0;
    case RT_SEARCH_AND:
    case RT_SEARCH_OR:
    case RT_SEARCH_NOT:
        for (const struct rt_search_node *c = nd->child; c; c = c->next) {
            if (c != nd->child)
                rt_buf_adds(out, op[nd->kind]);
            if ((rc = render(st, c, out, err)) < 0)
                return rc;
        }
        return 0;
    }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "query", "a query node of unknown kind");
}

int rt__fts_render(struct rt_store *st, const struct rt_search_query *q, struct rt_buf *out,
                   struct rt_error *err)
{
    return q && q->root ? render(st, q->root, out, err) : 0;
}

int rt__fts_expr(struct rt_store *st, const char *text, size_t len, struct rt_buf *out,
                 struct rt_error *err)
{
    struct rt_search_query *q = NULL;
    int rc = rt_search_parse(text, len, &q, err);

    if (rc == 0)
        rc = rt__fts_render(st, q, out, err);
    rt_search_query_free(q);
    return rc;
}
