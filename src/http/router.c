/* The router: JSON API under /api/v1/, pages elsewhere; errors as JSON or HTML. */
#include <stdarg.h>

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

    va_start(ap, fmt);
    rt_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    rt_http_json(resp, status,
                 json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", msg.buf,
                           "field", field));
    rt_buf_release(&msg);
}

void rt_http_fail(struct rt_http_resp *resp, const struct rt_error *err)
{
    int status = 500;
    const char *code = "internal";

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

void rt_http_route(struct rt_store *st, const struct rt_http_req *req,
                   struct rt_http_resp *resp)
{
    if (!strncmp(req->path, "/api/", 5)) {
        if (!rt_http_api(st, req, resp))
            rt_http_error(resp, 404, "not_found", NULL, "no such endpoint: %s", req->path);
        return;
    }
    if (!rt_http_pages(st, req, resp))
        rt_http_error(resp, 404, "not_found", NULL, "no such page: %s", req->path);
}
