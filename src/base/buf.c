/* struct rt_buf: the growable text buffer all of rightstrack uses. */
#include "base/compat.h"

#include <rightstrack/rt.h>

char rt_buf_slop[1];

void rt_buf_init(struct rt_buf *b, size_t max)
{
    b->buf = rt_buf_slop;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void rt_buf_release(struct rt_buf *b)
{
    size_t max = b->max;
    if (b->cap)
        rt_free(b->buf);
    rt_buf_init(b, max);
}

int rt_buf_grow(struct rt_buf *b, size_t extra)
{
    size_t want;

    if (extra > SIZE_MAX - b->len - 1)
        return RT_ETOOBIG;
    want = b->len + extra + 1;
    if (b->max && want - 1 > b->max)
        return RT_ETOOBIG;
    if (want <= b->cap)
        return 0;
    if (want < b->cap * 2)
        want = b->cap * 2;
    if (want < 64)
        want = 64;
    if (b->cap) {
        b->buf = rt_xrealloc(b->buf, want);
    } else {
        b->buf = rt_xmalloc(want);
        b->buf[0] = '\0';
    }
    b->cap = want;
    return 0;
}

int rt_buf_add(struct rt_buf *b, const void *data, size_t len)
{
    int rc = rt_buf_grow(b, len);
    if (rc < 0)
        return rc;
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return 0;
}

int rt_buf_adds(struct rt_buf *b, const char *s)
{
    return rt_buf_add(b, s, strlen(s));
}

int rt_buf_addch(struct rt_buf *b, int c)
{
    char ch = (char)c;
    return rt_buf_add(b, &ch, 1);
}

int rt_buf_vaddf(struct rt_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n, rc;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return RT_EINVAL;
    rc = rt_buf_grow(b, (size_t)n);
    if (rc < 0)
        return rc;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int rt_buf_addf(struct rt_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = rt_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void rt_buf_reset(struct rt_buf *b)
{
    rt_buf_setlen(b, 0);
}

void rt_buf_setlen(struct rt_buf *b, size_t len)
{
    if (!b->cap)
        return;
    if (len > b->len)
        len = b->len;
    b->len = len;
    b->buf[len] = '\0';
}

char *rt_buf_detach(struct rt_buf *b, size_t *out_len)
{
    char *p;

    if (out_len)
        *out_len = b->len;
    if (!b->cap)
        p = rt_xstrdup("");
    else
        p = b->buf;
    rt_buf_init(b, b->max);
    return p;
}
