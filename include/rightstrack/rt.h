/*
 * rightstrack's public basics: version, error codes, the error record, the text buffer.
 * Every other public header includes this one.
 */
#ifndef RIGHTSTRACK_RT_H
#define RIGHTSTRACK_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RT_API __attribute__((visibility("default")))
#define RT_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define RT_VERSION "0.1.0"

/* Error codes: every function that can fail returns 0 or one of these. */
enum rt_errcode {
    RT_OK = 0,
    RT_EINVAL = -1,    /* bad input: the data or the arguments are wrong */
    RT_EIO = -2,       /* a file could not be read or written */
    RT_ENOTFOUND = -3, /* no such record */
    RT_ETOOBIG = -4,   /* input over a size limit */
    RT_EFORMAT = -5,   /* a file is not in a format we know */
    RT_ESTORE = -6,    /* the database failed */
    RT_EEXIST = -7,    /* the record exists already */
};

/* Returns a short English name for an RT_E… code ("bad input", …); never NULL. */
RT_API const char *rt_strerror(int code);

/*
 * A growable, NUL-terminated, binary-safe byte buffer (after git's strbuf).
 * buf is never NULL: RT_BUF_INIT points it at a shared empty string. max, when
 * not 0, is a hard size limit: appends past it fail with RT_ETOOBIG and leave
 * the buffer unchanged.
 */
struct rt_buf {
    char *buf;
    size_t len;
    size_t cap; /* 0 while buf is the shared empty string */
    size_t max; /* 0 = no limit */
};

extern char rt_buf_slop[];
#define RT_BUF_INIT                                                                                \
    {                                                                                              \
        rt_buf_slop, 0, 0, 0                                                                       \
    }

RT_API void rt_buf_init(struct rt_buf *b, size_t max);
RT_API void rt_buf_release(struct rt_buf *b);
/* Ensures room for extra more bytes; RT_ETOOBIG past max. */
RT_API int rt_buf_grow(struct rt_buf *b, size_t extra);
RT_API int rt_buf_add(struct rt_buf *b, const void *data, size_t len);
RT_API int rt_buf_adds(struct rt_buf *b, const char *s);
RT_API int rt_buf_addch(struct rt_buf *b, int c);
RT_API int rt_buf_addf(struct rt_buf *b, const char *fmt, ...) RT_PRINTF(2, 3);
RT_API int rt_buf_vaddf(struct rt_buf *b, const char *fmt, va_list ap) RT_PRINTF(2, 0);
RT_API void rt_buf_reset(struct rt_buf *b);
RT_API void rt_buf_setlen(struct rt_buf *b, size_t len);
/* Hands the storage to the caller (free with rt_free); the buffer is left empty. */
RT_API char *rt_buf_detach(struct rt_buf *b, size_t *out_len);

/* A borrowed view of bytes: pointer, then length. */
struct rt_str {
    const char *ptr;
    size_t len;
};

/*
 * What went wrong, for a person to read. Filled by the function that failed;
 * success leaves it untouched. file and field may be NULL, line 0 when unknown.
 * Release with rt_error_release.
 */
struct rt_error {
    int code;
    char *file;
    long line;
    char *field;
    struct rt_buf msg;
};
#define RT_ERROR_INIT                                                                              \
    {                                                                                              \
        0, NULL, 0, NULL, RT_BUF_INIT                                                              \
    }

/* Sets every part of *e (replacing what was there) and returns code. */
RT_API int rt_error_set(struct rt_error *e, int code, const char *file, long line,
                        const char *field, const char *fmt, ...) RT_PRINTF(6, 7);
/* Same as rt_error_set with the message taken from errno; returns RT_EIO. */
RT_API int rt_error_errno(struct rt_error *e, const char *file, const char *what);
RT_API void rt_error_release(struct rt_error *e);
/* Prints "file:line: field 'F': message" on fp, with whichever parts are known. */
RT_API void rt_error_print(const struct rt_error *e, const char *prog, FILE *fp);

/*
 * Memory: these abort with a message when memory runs out, so they never return
 * NULL. rt_free frees what they and the library hand out (detached buffers,
 * result strings).
 */
RT_API void *rt_xmalloc(size_t n);
RT_API void *rt_xcalloc(size_t n, size_t size);
RT_API void *rt_xrealloc(void *p, size_t n);
RT_API char *rt_xstrdup(const char *s);
RT_API char *rt_xstrndup(const char *s, size_t n);
RT_API void rt_free(void *p);

#endif
