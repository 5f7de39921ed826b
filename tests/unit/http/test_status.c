/*
 * Tests of how the web face answers a library error (src/http/router.c): the HTTP
 * status and the error document's code follow the error's code alone, never the
 * words of its message.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "http/http_int.h"

/* The status and error code of rt_http_fail for an error of code with message msg. */
static int answer(int code, const char *msg, char *what, size_t size)
{
    struct rt_http_resp resp = {0};
    struct rt_error err = RT_ERROR_INIT;
    json_error_t jerr;
    json_t *doc;
    int status;

    rt_error_set(&err, code, NULL, 0, NULL, "%s", msg);
    rt_http_fail(&resp, &err);
    doc = json_loadb(resp.body.buf, resp.body.len, 0, &jerr);
    cr_assert_not_null(doc, "the body is JSON: %s", jerr.text);
    snprintf(what, size, "%s",
             json_string_value(json_object_get(json_object_get(doc, "error"), "code")));
    /* An error without words says its code's name. */
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "error"), "message")),
                     *msg ? msg : rt_strerror(code));
    status = resp.status;
    json_decref(doc);
    rt_buf_release(&resp.body);
    rt_error_release(&err);
    return status;
}

Test(status, by_code)
{
    static const struct {
        int code;
        int status;
        const char *what;
    } cases[] = {
        {RT_EUNAVAIL, 503, "unavailable"}, {RT_ENOTSUP, 501, "not_implemented"},
        {RT_ESTORE, 500, "internal"},      {RT_EIO, 500, "internal"},
        {RT_ENOTFOUND, 404, "not_found"},  {RT_EINVAL, 422, "invalid"},
        {RT_EFORMAT, 422, "invalid"},      {RT_EEXIST, 409, "exists"},
        {RT_ETOOBIG, 413, "too_big"},
    };
    char what[32];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cr_expect_eq(answer(cases[i].code, "something went wrong", what, sizeof(what)),
                     cases[i].status, "%s", rt_strerror(cases[i].code));
        cr_expect_str_eq(what, cases[i].what);
    }
}

/* A database error that quotes the words of an outage or of a missing operation is
 * still a database error: the status is not guessed from the text. */
Test(status, not_by_words)
{
    char what[32];

    cr_expect_eq(
        answer(RT_ESTORE, "lost the connection to PostgreSQL: server closed", what, sizeof(what)),
        500);
    cr_expect_str_eq(what, "internal");
    cr_expect_eq(answer(RT_ESTORE, "not yet supported on PostgreSQL: x", what, sizeof(what)), 500);
    cr_expect_eq(answer(RT_EUNAVAIL, "", what, sizeof(what)), 503);
}

Test(status, names)
{
    cr_expect_str_eq(rt_strerror(RT_EUNAVAIL), "database unavailable");
    cr_expect_str_eq(rt_strerror(RT_ENOTSUP), "not supported");
    cr_expect_str_eq(rt_strerror(-100), "unknown error");
}
