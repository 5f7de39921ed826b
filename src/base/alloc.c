/* The only place that calls malloc and free (STYLE.md rule 8). */
#include "base/compat.h"

static void oom(size_t n)
{
    fprintf(stderr, "rightstrack: out of memory allocating %zu bytes\n", n);
    abort();
}

void *rt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *rt_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *rt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *rt_xstrndup(const char *s, size_t n)
{
    char *p = rt_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rt_xstrdup(const char *s)
{
    return rt_xstrndup(s, strlen(s));
}

void rt_free(void *p)
{
    free(p);
}

size_t rt_st_mult(size_t a, size_t b)
{
    if (b && a > SIZE_MAX / b) {
        fprintf(stderr, "rightstrack: size overflow: %zu * %zu\n", a, b);
        abort();
    }
    return a * b;
}

void rt__bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
