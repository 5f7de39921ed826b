/* Internals of the web face: requests, responses, the router and the pages. */
#ifndef RT_HTTP_INT_H
#define RT_HTTP_INT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <rightstrack/auth.h>
#include <rightstrack/http.h>
#include <rightstrack/store.h>

#define RT_HTTP_MAX_BODY (1u << 20)    /* larger request bodies get 413 */
#define RT_HTTP_MAX_PATH 511u          /* longer paths get 414 */
#define RT_HTTP_MAX_QUERY_ARGS 256u    /* more query arguments get 431 */
#define RT_HTTP_MAX_UPLOAD (64u << 20) /* a larger uploaded file is refused (import_page.c) */

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
    const char *accept;     /* Accept: "text/csv", ... */
    const char *body;
    size_t body_len;
    /* An upload (rt_http_is_upload): the server streamed the file, the body or a
     * multipart part with a file name, to upload_path (NULL when none came), named
     * upload_name by the client (may be NULL); the form's other fields are args.
     * upload_too_big: it was over RT_HTTP_MAX_UPLOAD and was not kept. */
    const char *upload_path, *upload_name;
    uint64_t upload_bytes;
    int upload_too_big;
    /* Who sends it: the headers auth_page.c reads (each may be NULL), the address of
     * the other end ("" unknown), whether it came over TLS, and what auth_page.c made
     * of them (NULL: no accounts and no checks, as in the fuzz target). */
    const char *cookie, *authorization, *forwarded_for, *forwarded_proto;
    char peer[64];
    int tls;
    struct rt_http_who *who;
};

/*
 * Who a request acts for (auth_page.c). The audit log reads the actor here: p.name
 * ("" nobody), p.role, p.id; from a page, rt_http_who_now() gives the request's.
 */
struct rt_http_who {
    int accounts;                     /* the database has accounts: logins count */
    int bearer;                       /* it came with an API token (Authorization: Bearer) */
    int bad_bearer;                   /* it came with a token that is not valid: 401 */
    int secure;                       /* served over TLS, or by the trusted proxy over https */
    int down;                         /* the database could not be reached to say who asks */
    struct rt_principal p;            /* p.id 0: nobody logged in */
    char session[RT_AUTH_TOKEN_SIZE]; /* the session's token; "" none */
    char csrf[RT_AUTH_TOKEN_SIZE];    /* the form token of this session or browser */
    char addr[64];                    /* the client's address, after a trusted proxy */
};

struct rt_export;
struct rt_http_resp {
    int status;
    const char *content_type; /* static string */
    struct rt_buf body;
    char location[256]; /* for redirects; "" when none */
    const char *allow;  /* a 405's Allow header (static); NULL: "GET, HEAD" */
    /* A download: the body is this export (rt_export_read), streamed as it is made
     * and never cached; whoever gets resp frees it (rt_export_free). */
    struct rt_export *export;
    char filename[160];    /* with export: Content-Disposition's file name */
    char cookies[2][192];  /* Set-Cookie values; "" when none (the answer is then not cached) */
    char disposition[256]; /* Content-Disposition of a download; "" when none */
    int retry_after;       /* seconds for Retry-After (a 503); 0 when none */
    int no_cache;          /* the answer changes without the database changing: never kept */
};

/*
 * Is content_type (a Content-Type header, may be NULL) the media type type, exactly
 * (case aside), with or without parameters ("; charset=utf-8")?
 */
int rt_http_media_is(const char *content_type, const char *type);

/* The value of query argument or form field key, or NULL. */
const char *rt_http_arg(const struct rt_http_req *r, const char *key);

/*
 * Cross-site request forgery. A write (any method but GET and HEAD) that the browser
 * says comes from another site (Sec-Fetch-Site other than same-origin or none, or an
 * Origin that is not this server's) is refused with 403. Form posts also carry the
 * token of this run of the server in the hidden field "csrf" (RT_HTTP_CSRF_FIELD).
 */
#define RT_HTTP_CSRF_FIELD "csrf"
/* Starts libsodium and makes this run's keys; call once before serving. RT_EIO when
 * libsodium fails. */
int rt_http_csrf_init(struct rt_error *err);
/* The form token of the request being answered (per session, or per browser without
 * a session; per run when nobody is known, as in the fuzz target): 64 hex digits. */
const char *rt_http_csrf_token(void);
/* Writes the hidden form field that carries it. */
void rt_http_csrf_field(struct rt_buf *b);
/* Why req, a write, looks sent by another site; NULL when it does not. */
const char *rt_http_cross_site(const struct rt_http_req *req);
/* Does the form posted in req carry this run's token? */
int rt_http_csrf_ok(const struct rt_http_req *req);
/* A 403 page: title and the explanation. */
void rt_http_page_refused(struct rt_http_resp *resp, const char *title, const char *why);

/*
 * Accounts on the web face (auth_page.c). setup takes serve's options once, before
 * serving. request fills who from req's headers (a session cookie, a bearer token,
 * the pre-session cookie, which it sets in resp when the browser has none) and
 * points req->who at it. route answers /login, /logout, /api/v1/session and /users,
 * and refuses what the role may not do (401, 403, or a redirect to /login) and form
 * posts without the right token: 1 when it answered, 0 to route on. who_now is the
 * request being answered in this thread (NULL when none is known).
 */
void rt_http_auth_setup(const struct rt_http_opts *o);
void rt_http_auth_request(struct rt_store *st, struct rt_http_req *req, struct rt_http_who *who,
                          struct rt_http_resp *resp);
int rt_http_auth_route(struct rt_store *st, const struct rt_http_req *req,
                       struct rt_http_resp *resp);
const struct rt_http_who *rt_http_who_now(void);
/* Appends the routes auth_page.c answers to the API's list of routes. */
void rt_http_auth_routes(json_t *list);
/* What the response cache adds to a request's key: who may see a different answer. */
void rt_http_auth_cache_key(const struct rt_http_req *req, struct rt_buf *key);

/*
 * Private records (private.c). reader makes st read for the request's reader: the
 * public and viewers see no private record (private.h); 1 when it failed and resp
 * says so, 0 to route on. private_api answers POST /api/v1/private (1), or 0 for
 * another path; private_routes appends it to the API's list of routes.
 */
int rt_http_reader(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
/* Whether who reads private records (an editor or admin, or anyone while the database
 * has no accounts, when the server is on loopback): 1, or 0 for the public and viewers. */
int rt_http_sees_private(const struct rt_http_who *who);
/* Appends the "private" mark to a page when the record doc (a store's document) is
 * marked private; documents read for the public or a viewer never are (private.h). */
void rt_http_private_mark(struct rt_buf *b, const json_t *doc);
/* Appends a party's name, escaped ("Belarus" for BLR, "OSCE/ODIHR" for an organisation),
 * or the code itself for one that is not known (record_page.c). */
void rt_http_party_text(struct rt_store *st, struct rt_buf *b, const char *code);
int rt_http_private_api(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp);
void rt_http_private_routes(json_t *list);

/* Routes one request; fills resp. Never fails: errors become error responses. */
void rt_http_route(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);

/* JSON answers: the document (reference taken), or {"error": {...}}. */
void rt_http_json(struct rt_http_resp *resp, int status, json_t *doc);
void rt_http_error(struct rt_http_resp *resp, int status, const char *code, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Maps a library error to an HTTP status and an error document. */
void rt_http_fail(struct rt_http_resp *resp, const struct rt_error *err);
/* The status of a store's failure that is not the request's fault: 503 for
 * RT_EUNAVAIL, the database server cannot be reached (PostgreSQL stopped or
 * restarting: the thread's connection is made again by its next request), 501 for
 * RT_ENOTSUP, what the store's back end does not have; else 0. */
int rt_http_store_status(const struct rt_error *err);

/* The JSON API (api.c) and the pages (pages.c); each returns 0 when the path is not theirs. */
int rt_http_api(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
int rt_http_pages(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
/* The add forms' form of entity (pages.c), for other pages: posts to action, values
 * (may be NULL) fill it, err (may be NULL) is shown above it and marks its field. */
void rt_http_entity_form(struct rt_buf *b, const char *action, const char *title,
                         const char *entity, const char *const *skip, json_t *values,
                         const struct rt_error *err);
/* /records/REF (a record's page with its Edit and Withdraw forms), POST
 * /records/REF/edit and /withdraw, and /records/REF/history (record_page.c). 1 when
 * it answered, 0 for another path. */
int rt_http_record_pages(struct rt_store *st, const struct rt_http_req *req,
                         struct rt_http_resp *resp);
/* The reports (reports.c): /reports/brief/{dialogue} and /reports/country/{state}. */
int rt_http_reports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);
/* The form that opens a report at action ("/reports/brief/3") as of a date, in a format,
 * and the button that downloads it as a PDF. */
void rt_http_report_form(struct rt_buf *b, const char *action, const char *title);
/* The "Download PDF" button: a form posting format=pdf, as_of (NULL: none) and the
 * CSRF token to action. */
void rt_http_report_pdf_button(struct rt_buf *b, const char *action, const char *as_of);
/* Puts the site's menu and the PDF button (both hidden in print) at the top of the
 * report page in b, a whole HTML document from rt_report_render, as one line after
 * its <body> line; action and as_of as for rt_http_report_pdf_button (frame.c). */
void rt_http_report_frame(struct rt_buf *b, const char *action, const char *as_of);

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
void rt_http_round_links(struct rt_store *st, struct rt_buf *b, const json_t *round);

/*
 * The response cache (cache.c), one for all the worker threads (it locks): values
 * (the server's prepared responses) kept by key (the request and who asks) and
 * version (the server's generation of the data, which only grows), within a budget
 * of bytes; the least recently used go first. Values are shared: the cache calls
 * hold(value) for each reference it hands out or keeps and drop(value) for each it
 * gives up, so a value lives while anyone holds it.
 * get: NULL when key is not kept at version (an entry of an older version is dropped
 * then); else the value, held for the caller, who drops it when done, and its ETag
 * copied into etag.
 * put: keeps value (holding it: the caller's own reference stays the caller's) and
 * returns 1; returns 0 when the value is too big to keep (over an eighth of the
 * budget) or an answer of a newer version is kept already.
 */
#define RT_HTTP_ETAG_SIZE 35 /* a quoted hex digest of 16 bytes */
struct rt_http_cache;
struct rt_http_cache *rt_http_cache_new(size_t budget, void (*hold)(void *value),
                                        void (*drop)(void *value));
void rt_http_cache_free(struct rt_http_cache *c);
void *rt_http_cache_get(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                        char etag[RT_HTTP_ETAG_SIZE]);
int rt_http_cache_put(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                      void *value, size_t bytes, const char *etag);
/* The strong entity tag of a body, quoted: a keyed hash, the same for the same body
 * while the server runs (cache.c). */
void rt_http_etag(const void *body, size_t len, char out[RT_HTTP_ETAG_SIZE]);

/*
 * Imports on the web (import_page.c). is_upload: does a request of method to path
 * carry a file the server streams to a temporary file (see rt_http_req) instead of
 * holding it in memory? imports_setup: the database the import jobs open, once
 * before serving. rt_http_imports answers /imports, /imports/{n} and POST
 * /api/v1/imports (0 for other paths); a job runs in a thread of its own and takes
 * over the uploaded file (it renames it), which the server deletes otherwise.
 */
int rt_http_is_upload(const char *method, const char *path);
void rt_http_imports_setup(const char *db_path);
int rt_http_imports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp);

/*
 * Creating a dialogue (dialogue_form.c). rt_http_dialogue_form answers /dialogues/new
 * (0 for other paths). rt_http_dialogue_fields writes the fields of a new dialogue,
 * named prefix+"name", prefix+"kind", prefix+"party1"... (with the completion list of
 * the known parties), filled with name, kind and n parties (each may be NULL); bad is
 * the field to mark ("name", "kind", "party"; NULL none); required marks the name and
 * the first two parties required. rt_http_dialogue_create saves the dialogue those
 * fields posted (rt_ledger_write) and sets *out_id; the library's error otherwise.
 */
int rt_http_dialogue_form(struct rt_store *st, const struct rt_http_req *req,
                          struct rt_http_resp *resp);
void rt_http_dialogue_fields(struct rt_buf *b, struct rt_store *st, const char *prefix,
                             const char *name, const char *kind, const char *const *parties,
                             size_t n, const char *bad, int required);
int rt_http_dialogue_create(struct rt_store *st, const struct rt_http_req *req, const char *prefix,
                            int64_t *out_id, struct rt_error *err);

/*
 * Persons (person_page.c), private records unless marked public: the store reads
 * them for the request's reader (private.h), so the public and viewers meet only
 * the persons marked public. person_page answers /persons and /persons/{id} (0 for
 * other paths). person_names appends the persons an ask or a step ("ask", "step")
 * names to a page. person_api reads what ("list", "person", "ask", "step") for the API.
 */
int rt_http_person_page(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp);
void rt_http_person_names(struct rt_store *st, struct rt_buf *b, const char *kind, int64_t id);
int rt_http_person_api(struct rt_store *st, const struct rt_http_req *req, const char *what,
                       int64_t id, json_t **doc, struct rt_error *err);

/* Splits path "/a/b/c" into at most max segments (pointers into buf); returns the count. */
size_t rt_http_segments(const char *path, char *buf, size_t bufsize, char **seg, size_t max);

/*
 * Records by name (pick.c). pick_begin notes the store and request this thread
 * answers (the router calls it), for flash, which writes into a page's frame the
 * banner saying what the write before it saved: the request's "saved" argument (a
 * reference, never markup: it is looked up and named, or ignored) and "linked" (how
 * many recommendations were linked to it). saved_location appends "saved=WHAT:ID" to
 * resp->location, dropping its fragment. ref_href appends the page of a lookup entry
 * (lookup.h; "" when it has none), a step's on dialogue's page when dialogue > 0;
 * ref_link writes the record ref names as a link, by its name or (with_text) its
 * label, and returns -1 when it is not there. lookup answers GET /api/v1/lookup into
 * *out ({"kind", "q", "results": [entry with "href"]}); errors as rt_lookup.
 * pick_field writes the attributes that make the field f of entity's form at action a
 * picker (the script /assets/pick.js, which pick_asset answers) and returns 1, or 0
 * when f names no record.
 */
struct rt_field;
void rt_http_pick_begin(struct rt_store *st, const struct rt_http_req *req);
void rt_http_flash(struct rt_buf *b);
void rt_http_saved_location(struct rt_http_resp *resp, const char *what, long long id);
void rt_http_ref_href(const json_t *entry, long long dialogue, struct rt_buf *out);
int rt_http_ref_link(struct rt_store *st, struct rt_buf *b, const char *ref, long long dialogue,
                     int with_text);
/* The recommendations (ids) linked by hand to record from ("topic:3", "ask:2",
 * "round:1"), as a list of links, each with a form that withdraws it (with a reason,
 * posted to /links/withdraw, which then goes back to the page back). */
void rt_http_linked_recs(struct rt_store *st, struct rt_buf *b, const json_t *ids, const char *from,
                         const char *back);
/* POST /links/withdraw: rt_ledger_withdraw of the link named in "link" for "reason",
 * then back to "back" with the banner; an error page (422, 404) when refused. */
void rt_http_link_withdraw(struct rt_store *st, const struct rt_http_req *req,
                           struct rt_http_resp *resp);
/* The steps of dialogue that are not its parties' (by organisations, or linked to it),
 * as a section of its page; nothing when there are none. */
void rt_http_other_steps(struct rt_store *st, struct rt_buf *b, long long dialogue,
                         const json_t *parties);
/*
 * The search's check boxes: select_begin opens the form that links the ticked
 * recommendations to a topic, ask or benchmark picked by name (it posts to /links),
 * select_box is a row's cell (text: the recommendation's, to name the box), select_end closes the
 * form. link_selected answers the post: one rt_ledger_write of a link from the target to every
 * ticked recommendation (as the command line's link), then 303 to the target's page with the
 * banner, or a page saying why nothing was linked.
 */
void rt_http_select_begin(struct rt_buf *b);
void rt_http_select_box(struct rt_buf *b, long long id, const char *text);
void rt_http_select_end(struct rt_buf *b);
void rt_http_link_selected(struct rt_store *st, const struct rt_http_req *req,
                           struct rt_http_resp *resp);
int rt_http_lookup(struct rt_store *st, const struct rt_http_req *req, json_t **out,
                   struct rt_error *err);
int rt_http_pick_field(struct rt_buf *b, const char *entity, const char *action,
                       const struct rt_field *f);
/* The hint of the picker of f in entity's form, or NULL to keep the field's help. */
const char *rt_http_pick_hint(const char *entity, const struct rt_field *f);
int rt_http_pick_asset(const struct rt_http_req *req, struct rt_http_resp *resp);

#endif
