/* The router: JSON API under /api/v1/, pages elsewhere; errors as JSON or HTML. */
#include <errno.h>
#include <stdarg.h>
#include <strings.h>

#include <rightstrack/search.h>
#include <rightstrack/text.h>

#include "http_int.h"

const char *rt_http_arg(const struct rt_http_req *r, const char *key)
{
    for (size_t i = 0; i < r->n_args; i++)
        if (!strcmp(r->args[i].key, key))
            return r->args[i].value;
    return NULL;
}

size_t rt_http_segments(const char *path, char *buf, size_t bufsize, char **seg, size_t max)
{
    size_t n = 0;
    char *p;

    snprintf(buf, bufsize, "%s", path);
    for (p = buf; *p && n < max;) {
        while (*p == '/')
            *p++ = '\0';
        if (!*p)
            break;
        seg[n++] = p;
        while (*p && *p != '/')
            p++;
    }
    return n;
}

int rt_http_media_is(const char *content_type, const char *type)
{
    size_t n = strlen(type);

    if (!content_type || strncasecmp(content_type, type, n))
        return 0;
    content_type += n;
    while (*content_type == ' ' || *content_type == '\t')
        content_type++;
    return !*content_type || *content_type == ';';
}

static int append(const char *data, size_t len, void *buf)
{
    return rt_buf_add(buf, data, len) < 0 ? -1 : 0;
}

void rt_http_json(struct rt_http_resp *resp, int status, json_t *doc)
{
    resp->status = status;
    resp->content_type = "application/json";
    rt_buf_reset(&resp->body);
    json_dump_callback(doc, append, &resp->body, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    rt_buf_addch(&resp->body, '\n');
    json_decref(doc);
}

void rt_http_error(struct rt_http_resp *resp, int status, const char *code, const char *field,
                   const char *fmt, ...)
{
    struct rt_buf msg = RT_BUF_INIT;
    va_list ap;

    struct rt_buf safe = RT_BUF_INIT, safe_field = RT_BUF_INIT;

    va_start(ap, fmt);
    rt_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    /* The message may quote what the request sent: bytes that are not UTF-8 would
     * make the document (and the answer's body) empty. */
    rt_text_printable(msg.buf, msg.len, &safe);
    if (field)
        rt_text_printable(field, strlen(field), &safe_field);
    rt_http_json(resp, status,
                 json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", safe.buf,
                           "field", field ? safe_field.buf : NULL));
    rt_buf_release(&msg);
    rt_buf_release(&safe);
    rt_buf_release(&safe_field);
}

int rt_http_store_status(const struct rt_error *err)
{
    return err->code == RT_EUNAVAIL ? 503 : err->code == RT_ENOTSUP ? 501 : 0;
}

void rt_http_fail(struct rt_http_resp *resp, const struct rt_error *err)
{
    int status = rt_http_store_status(err);
    const char *code = status == 503   ? "unavailable"
                       : status == 501 ? "not_implemented"
                                       : "internal";

    if (!status)
        status = 500;
    switch (err->code) {
    case RT_ENOTFOUND:
        status = 404, code = "not_found";
        break;
    case RT_EINVAL:
    case RT_EFORMAT:
        status = 422, code = "invalid";
        break;
    case RT_EEXIST:
        status = 409, code = "exists";
        break;
    case RT_ETOOBIG:
        status = 413, code = "too_big";
        break;
    default:
        break;
    }
    rt_http_error(resp, status, code, err->field, "%s",
                  err->msg.len ? err->msg.buf : rt_strerror(err->code));
}

/* Is origin "http://HOST" or "https://HOST" for this request's Host? */
static int same_origin(const char *origin, const char *host)
{
    size_t n = strlen(origin);

    if (!host)
        return 0;
    if (n > 7 && !strncmp(origin, "http://", 7))
        return !strcmp(origin + 7, host);
    if (n > 8 && !strncmp(origin, "https://", 8))
        return !strcmp(origin + 8, host);
    return 0;
}

const char *rt_http_cross_site(const struct rt_http_req *req)
{
    /* Browsers set Sec-Fetch-Site themselves; pages cannot change it. */
    if (req->fetch_site)
        return strcmp(req->fetch_site, "same-origin") && strcmp(req->fetch_site, "none")
                   ? req->fetch_site
                   : NULL;
    /* Older browsers: the Origin of a POST, when they send one, must be this server. */
    if (req->origin && !same_origin(req->origin, req->host))
        return "cross-site";
    return NULL;
}

/* The request this thread answers, for the pages' frame and form tokens. */
static _Thread_local const struct rt_http_req *current;

const struct rt_http_who *rt_http_who_now(void)
{
    return current ? current->who : NULL;
}

void rt_http_route(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    int writes = strcmp(req->method, "GET") && strcmp(req->method, "HEAD");
    const char *why = writes ? rt_http_cross_site(req) : NULL;

    current = req;
    rt_http_pick_begin(st, req);
    if (why && !strncmp(req->path, "/api/", 5)) {
        rt_http_error(resp, 403, "cross_site", NULL,
                      "refused: the browser says this request comes from another site (%s); "
                      "rightstrack takes writes only from its own pages and from programs",
                      why);
        return;
    }
    if (why) {
        rt_http_page_refused(resp, "This form was sent from another site",
                             "Your browser says the form came from a page of another site, so "
                             "rightstrack did not save it: another site must not be able to add "
                             "records in your name. Open the form on rightstrack's own page and "
                             "send it from there.");
        return;
    }
    if (strncmp(req->path, "/api/", 5) && strcmp(req->method, "GET") &&
        strcmp(req->method, "HEAD") && strcmp(req->method, "POST")) {
        /* Pages are read, and their forms posted; nothing else. */
        rt_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed here", req->method);
        resp->allow = "GET, HEAD, POST";
        return;
    }
    if (rt_http_auth_route(st, req, resp)) /* logins, and what the role may not do */
        return;
    if (rt_http_reader(st, req, resp)) /* private records: what this reader may see */
        return;
    if (!strncmp(req->path, "/api/", 5)) {
        if (!rt_http_private_api(st, req, resp) && !rt_http_api(st, req, resp))
            rt_http_error(resp, 404, "not_found", NULL, "no such endpoint: %s", req->path);
        return;
    }
    if (rt_http_pick_asset(req, resp))
        return;
    if (!rt_http_reports(st, req, resp) && !rt_http_imports(st, req, resp) &&
        !rt_http_dialogue_form(st, req, resp) && !rt_http_readout_page(st, req, resp) &&
        !rt_http_record_pages(st, req, resp) && !rt_http_person_page(st, req, resp) &&
        !rt_http_pages(st, req, resp))
        rt_http_error(resp, 404, "not_found", NULL, "no such page: %s", req->path);
}

/* Reads a whole-number argument in [lo, hi] into *out; absent or empty leaves it. */
static int int_arg(const struct rt_http_req *req, const char *key, long lo, long hi, long *out,
                   struct rt_error *err)
{
    const char *s = rt_http_arg(req, key);
    char *end;
    long v;

    if (!s || !*s)
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return rt_error_set(err, RT_EINVAL, NULL, 0, key,
                            "'%s' must be a whole number from %ld to %ld", key, lo, hi);
    *out = v;
    return 0;
}

/* An argument's value, or NULL when it is absent or empty. */
static const char *text_arg(const struct rt_http_req *req, const char *key)
{
    const char *s = rt_http_arg(req, key);
    return s && *s ? s : NULL;
}

int rt_http_query(const struct rt_http_req *req, struct rt_query *q, struct rt_error *err)
{
    static const char *const known[] = {
        "q",         "sur",   "by",     "cycle",  "session", "response", "theme",  "category",
        "mechanism", "limit", "offset", "facets", "sort",    "order",    "format", NULL};
    long cycle = 0, session = 0, category = 0, limit = q->limit, offset = 0;
    const char *r;

    for (size_t i = 0; i < req->n_args; i++) {
        int ok = 0;
        for (size_t k = 0; known[k]; k++)
            ok |= !strcmp(known[k], req->args[i].key);
        if (!ok)
            return rt_error_set(err, RT_EINVAL, NULL, 0, req->args[i].key, "unknown argument '%s'",
                                req->args[i].key);
    }
    if (int_arg(req, "cycle", 1, 99, &cycle, err) < 0 ||
        int_arg(req, "session", 1, 999, &session, err) < 0 ||
        int_arg(req, "category", 1, 5, &category, err) < 0 ||
        int_arg(req, "limit", 1, 1000, &limit, err) < 0 ||
        int_arg(req, "offset", 0, 1000000000L, &offset, err) < 0)
        return RT_EINVAL;
    r = text_arg(req, "response");
    if (r) {
        enum rt_response v;
        if (rt_response_parse(r, &v) < 0)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "response",
                                "response is supported, noted, pledge or pending");
        q->response = (int)v;
    }
    q->text = text_arg(req, "q");
    q->sur = text_arg(req, "sur");
    q->by = text_arg(req, "by");
    q->theme = text_arg(req, "theme");
    q->mechanism = text_arg(req, "mechanism");
    q->cycle = (int)cycle;
    q->session = (int)session;
    q->category = (int)category;
    q->limit = limit;
    q->offset = offset;
    r = rt_http_arg(req, "facets");
    q->facets = r && (!strcmp(r, "1") || !strcmp(r, "true"));
    if ((r = text_arg(req, "sort")) && rt_search_sort_parse(r, &q->sort) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "sort",
                            "sort is relevance, session, state or response");
    r = text_arg(req, "order");
    if (r && strcmp(r, "asc") && strcmp(r, "desc"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "order", "order is asc or desc");
    q->desc = r && !strcmp(r, "desc");
    return 0;
}
