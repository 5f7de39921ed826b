/* struct rt_error: error records that name file, line and field. */
#include "base/compat.h"

#include <rightstrack/rt.h>

const char *rt_strerror(int code)
{
    switch (code) {
    case RT_OK:
        return "ok";
    case RT_EINVAL:
        return "bad input";
    case RT_EIO:
        return "input/output error";
    case RT_ENOTFOUND:
        return "not found";
    case RT_ETOOBIG:
        return "too big";
    case RT_EFORMAT:
        return "unknown format";
    case RT_ESTORE:
        return "database error";
    case RT_EEXIST:
        return "already exists";
    case RT_EUNAVAIL:
        return "database unavailable";
    case RT_ENOTSUP:
        return "not supported";
    }
    return "unknown error";
}

int rt_error_set(struct rt_error *e, int code, const char *file, long line, const char *field,
                 const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return code;
    rt_error_release(e);
    e->code = code;
    e->file = file ? rt_xstrdup(file) : NULL;
    e->line = line;
    e->field = field ? rt_xstrdup(field) : NULL;
    va_start(ap, fmt);
    rt_buf_vaddf(&e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int rt_error_errno(struct rt_error *e, const char *file, const char *what)
{
    return rt_error_set(e, RT_EIO, file, 0, NULL, "%s: %s", what, strerror(errno));
}

void rt_error_release(struct rt_error *e)
{
    RT_FREE_AND_NULL(e->file);
    RT_FREE_AND_NULL(e->field);
    rt_buf_release(&e->msg);
    e->code = 0;
    e->line = 0;
}

void rt_error_print(const struct rt_error *e, const char *prog, FILE *fp)
{
    if (prog)
        fprintf(fp, "%s: ", prog);
    if (e->file) {
        fputs(e->file, fp);
        if (e->line > 0)
            fprintf(fp, ":%ld", e->line);
        fputs(": ", fp);
    }
    if (e->field)
        fprintf(fp, "field '%s': ", e->field);
    if (e->msg.len)
        fprintf(fp, "%s\n", e->msg.buf);
    else
        fprintf(fp, "%s\n", rt_strerror(e->code));
}
