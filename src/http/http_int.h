/* Internals of the web face: requests, responses, the router and the pages. */
#ifndef RT_HTTP_INT_H
#define RT_HTTP_INT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <rightstrack/http.h>
#include <rightstrack/store.h>

#define RT_HTTP_MAX_BODY (1u << 20) /* larger request bodies get 413 */

struct rt_http_arg {
    const char *key, *value; /* borrowed from the server for the request's life */
};

struct rt_http_req {
    const char *method;           /* "GET", "POST", ... */
    const char *path;             /* decoded, without the query */
    struct rt_http_arg args[512]; /* query arguments, or form fields of a POST */
    size_t n_args;
    const char *content_type; /* may be NULL */
    /* Where the request comes from, as the browser says (each may be NULL). */
    const char *host;       /* Host: "127.0.0.1:8080" */
    const char *origin;     /* Origin: "http://127.0.0.1:8080", "null" */
    const char *fetch_site; /* Sec-Fetch-Site: same-origin, same-site, cross-site, none */
    const char *body;
    size_t body_len;
};

struct rt_http_resp {
    int status;
    const char *content_type; /* static string */
    struct rt_buf body;
    char location[256]; /* for redirects; "" when none */
};

/* The value of query argument or form field key, or NULL. */
const char *rt_http_arg(const struct rt_http_req *r, const char *key);

/*
 * Cross-site request forgery. A write (any method but GET and HEAD) that the browser
 * says comes from another site (Sec-Fetch-Site other than same-origin or none, or an
 * Origin that is not this server's) is refused with 403. Form posts also carry the
 * token of this run of the server in the hidden field "csrf" (RT_HTTP_CSRF_FIELD).
 */
#define RT_HTTP_CSRF_FIELD "csrf"
/* Makes this run's token; call once before serving. RT_EIO when libsodium fails. */
int rt_http_csrf_init(struct rt_error *err);
/* The token: 64 hex digits. */
const char *rt_http_csrf_token(void);
/* Why req, a write, looks sent by another site; NULL when it does not. */
const char *rt_http_cross_site(const struct rt_http_req *req);
/* Does the form posted in req carry this run's token? */
int rt_http_csrf_ok(const struct rt_http_req *req);
/* A 403 page: title and the explanation. */
void rt_http_page_refused(struct rt_http_resp *resp, const char *title, const char *why);

/* Routes one request; fills resp. Never fails: errors become error responses. */
void rt_http_route(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);

/* JSON answers: the document (reference taken), or {"error": {...}}. */
void rt_http_json(struct rt_http_resp *resp, int status, json_t *doc);
void rt_http_error(struct rt_http_resp *resp, int status, const char *code, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Maps a library error to an HTTP status and an error document. */
void rt_http_fail(struct rt_http_resp *resp, const struct rt_error *err);

/* The JSON API (api.c) and the pages (pages.c); each returns 0 when the path is not theirs. */
int rt_http_api(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
int rt_http_pages(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
/* The reports (reports.c): /reports/brief/{dialogue} and /reports/country/{state}. */
int rt_http_reports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
/* The form that opens a report at action ("/reports/brief/3") as of a date, in a format. */
void rt_http_report_form(struct rt_buf *b, const char *action, const char *title);

/* A form's fields as the JSON object rt_ledger_write takes for the entity what (entity.h);
 * NULL with err on a bad number. */
json_t *rt_http_form_to_json(const struct rt_http_req *req, const char *what, struct rt_error *err);

struct rt_query;
/*
 * Reads the search arguments (q, sur, by, cycle, session, response, theme, category,
 * limit, offset, facets) of the API and the search page into q, which holds the
 * defaults. RT_EINVAL naming the argument for an unknown one or a bad value.
 */
int rt_http_query(const struct rt_http_req *req, struct rt_query *q, struct rt_error *err);

/*
 * The readout page and its API (readout_page.c): rt_http_readout_page answers
 * /readouts/new (0 for other paths); the API functions answer POST
 * /api/v1/readouts/parse and POST /api/v1/dialogues/{id}/readouts. The round page
 * shows a topic's or an ask's theme areas with rt_http_area_tags and the
 * recommendations on the same themes with rt_http_round_links.
 */
int rt_http_readout_page(struct rt_store *st, const struct rt_http_req *req,
                         struct rt_http_resp *resp);
void rt_http_readout_parse_api(const struct rt_http_req *req, struct rt_http_resp *resp);
void rt_http_readout_save_api(struct rt_store *st, const struct rt_http_req *req,
                              int64_t dialogue_id, struct rt_http_resp *resp);
void rt_http_area_tags(struct rt_buf *b, const json_t *areas);
void rt_http_round_links(struct rt_buf *b, const json_t *round);

/*
 * The response cache (cache.c), one a worker thread: values (the server's prepared
 * responses, dropped with the function given) kept by key (the request) and the
 * store's version (rt_store_version), within a budget of bytes. get returns NULL
 * when key is not kept at that version, else the value and its ETag; put returns 1
 * when it kept the value (then the cache drops it), 0 when it is too big to keep.
 */
#define RT_HTTP_ETAG_SIZE 35 /* a quoted hex digest of 16 bytes */
struct rt_http_cache;
struct rt_http_cache *rt_http_cache_new(size_t budget, void (*drop)(void *value));
void rt_http_cache_free(struct rt_http_cache *c);
void *rt_http_cache_get(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                        const char **etag);
int rt_http_cache_put(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                      void *value, size_t bytes, const char *etag);
/* The strong entity tag of a body, quoted. */
void rt_http_etag(const void *body, size_t len, char out[RT_HTTP_ETAG_SIZE]);

/* Splits path "/a/b/c" into at most max segments (pointers into buf); returns the count. */
size_t rt_http_segments(const char *path, char *buf, size_t bufsize, char **seg, size_t max);

#endif
