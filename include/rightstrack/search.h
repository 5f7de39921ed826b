/*
 * Search: a user's query text and filters, turned into a store search.
 */
#ifndef RIGHTSTRACK_SEARCH_H
#define RIGHTSTRACK_SEARCH_H

#include <rightstrack/store.h>

/* What a user asks for; strings are borrowed. */
struct rt_query {
    const char *text;             /* words, "phrases", prefix*, AND/OR/NOT, (groups); NULL: all */
    const char *sur;              /* state under review: code, name or variant; NULL: any */
    const char *by;               /* recommending state, the same way */
    const char *theme;            /* theme label or code; NULL: any */
    int cycle, session, category; /* 0: any */
    int response;                 /* enum rt_response, or -1 for any */
    int64_t limit, offset;
    int facets;
    int sort; /* enum rt_search_sort (store.h); 0: relevance */
    int desc; /* 1: the order reversed */
};
#define RT_QUERY_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, NULL, NULL, 0, 0, 0, -1, 20, 0, 0, 0, 0                                        \
    }

/*
 * The name of an order (enum rt_search_sort) as users and URLs give it: "relevance",
 * "session" (also "date"), "state", "response"; rt_search_sort_name gives the first
 * of each. rt_search_sort_parse returns 0 and sets *out, or RT_EINVAL (err untouched:
 * the caller names the option).
 */
RT_API const char *rt_search_sort_name(int sort);
RT_API int rt_search_sort_parse(const char *s, int *out);

/*
 * Appends to out the FTS5 expression for a query text: each word and phrase is
 * quoted (so punctuation can never be read as syntax), AND/OR/NOT and
 * parentheses are kept where they make sense and dropped where they do not, a
 * trailing * marks a prefix, and "-word" means NOT word. With a store, a prefix
 * also looks for the words that begin with it but whose stems do not
 * (rt_store_prefix_words); with st NULL, only for the stems that begin with it.
 * Leaves out empty when the text holds no word. RT_EINVAL when it holds only
 * negations; RT_ESTORE when the store fails.
 */
RT_API int rt_search_fts_expr(struct rt_store *st, const char *text, size_t len, struct rt_buf *out,
                              struct rt_error *err);

/*
 * Runs a query. res must be zeroed; release it with rt_search_result_release.
 * RT_EINVAL with err->field "sur", "by" or "query" when a state is unknown or
 * the text cannot be read.
 */
RT_API int rt_search(struct rt_store *st, const struct rt_query *q, struct rt_search_result *res,
                     struct rt_error *err);

/*
 * Every hit of a query, in its order, ignoring limit, offset and facets: *out (a new
 * array, rt_free) and *out_n, as rt_store_search_ids. Errors as rt_search.
 */
RT_API int rt_search_ids(struct rt_store *st, const struct rt_query *q, int64_t **out,
                         size_t *out_n, struct rt_error *err);

#endif
