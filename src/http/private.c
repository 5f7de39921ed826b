/*
 * Private records on the web face (private.h): the store reads for the request's
 * reader before any route reads it, and editors mark records private or public.
 * The rule itself is the store's; nothing here filters a record.
 */
#include <rightstrack/private.h>

#include "html.h"
#include "http_int.h"

int rt_http_sees_private(const struct rt_http_who *who)
{
    /* Without accounts the server is the machine's own user's, on loopback. */
    return !(who && who->accounts && who->p.role < RT_ROLE_EDITOR);
}

int rt_http_reader(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    enum rt_reader reader = rt_http_sees_private(req->who) ? RT_READER_ALL : RT_READER_PUBLIC;
    int refused = 0;

    if (rt_store_set_reader(st, reader, &err) < 0) {
        rt_http_fail(resp, &err);
        refused = 1;
    }
    rt_error_release(&err);
    return refused;
}

void rt_http_private_mark(struct rt_buf *b, const json_t *doc)
{
    if (json_is_true(json_object_get(doc, "private")))
        RT_HTML_LIT(b, " <span class=\"tag private\" title=\"Only editors and admins see this "
                       "record: not viewers, not the public\">private</span>");
}

void rt_http_private_routes(json_t *list)
{
    json_array_append_new(list,
                          json_pack("{s:s, s:s}", "method", "POST", "path", "/api/v1/private"));
}

/* POST /api/v1/private {"record": "step:3", "private": true}: 200 with the same. */
int rt_http_private_api(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_error_t jerr;
    json_t *body, *on;
    const char *record;

    if (strcmp(req->path, "/api/v1/private"))
        return 0;
    if (strcmp(req->method, "POST")) {
        rt_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed on %s", req->method,
                      req->path);
        resp->allow = "POST";
        return 1;
    }
    if (!rt_http_media_is(req->content_type, "application/json")) {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      "send the mark as application/json");
        return 1;
    }
    if (!(body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr))) {
        rt_http_error(resp, 422, "bad_json", NULL, "the body is not JSON (line %d, column %d: %s)",
                      jerr.line, jerr.column, jerr.text);
        return 1;
    }
    record = json_string_value(json_object_get(body, "record"));
    on = json_object_get(body, "private");
    if (!json_is_object(body) || json_object_size(body) != 2 || !record || !json_is_boolean(on))
        rt_http_error(resp, 422, "invalid", !record ? "record" : "private",
                      "send {\"record\": \"step:3\", \"private\": true or false}");
    else if (rt_private_set(st, record, json_is_true(on), &err) < 0)
        rt_http_fail(resp, &err);
    else
        rt_http_json(resp, 200,
                     json_pack("{s:s, s:b}", "record", record, "private", json_is_true(on)));
    json_decref(body);
    rt_error_release(&err);
    return 1;
}
