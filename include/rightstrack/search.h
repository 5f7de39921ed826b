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
    int sort;              /* enum rt_search_sort (store.h); 0: relevance */
    int desc;              /* 1: the order reversed */
    const char *mechanism; /* "upr", "odihr", "treaty-body" … (rt_mechanisms); NULL: any */
};
#define RT_QUERY_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, NULL, NULL, 0, 0, 0, -1, 20, 0, 0, 0, 0, NULL                                  \
    }

/* The mechanisms a recommendation comes from, as the filter and the data name them:
 * upr, odihr, treaty-body, special-procedure, bilateral; NULL-terminated. */
RT_API extern const char *const rt_mechanisms[];

/*
 * The name of an order (enum rt_search_sort) as users and URLs give it: "relevance",
 * "session" (also "date"), "state", "response"; rt_search_sort_name gives the first
 * of each. rt_search_sort_parse returns 0 and sets *out, or RT_EINVAL (err untouched:
 * the caller names the option).
 */
RT_API const char *rt_search_sort_name(int sort);
RT_API int rt_search_sort_parse(const char *s, int *out);

/*
 * Parses a query text (len bytes, any of them, NUL too) into *out, a new query the
 * caller frees with rt_search_query_free: each word and "phrase" a term (a trailing *
 * makes a prefix of its last word), AND/OR/NOT and parentheses kept where they make
 * sense and dropped where they do not, "-word" meaning NOT word, neighbours without
 * an operator joined by AND. NOT binds tightest, then AND, then OR. Sets *out to NULL
 * when the text holds no word. RT_EINVAL (field "query") when it holds only
 * negations; *out is then NULL.
 */
RT_API int rt_search_parse(const char *text, size_t len, struct rt_search_query **out,
                           struct rt_error *err);
/* Frees q, its nodes and its text; NULL is allowed. */
RT_API void rt_search_query_free(struct rt_search_query *q);

/*
 * Runs a query. res must be zeroed; release it with rt_search_result_release.
 * RT_EINVAL with err->field "sur", "by" or "query" when a state is unknown or
 * the text cannot be read, "mechanism" when it is none of rt_mechanisms.
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
