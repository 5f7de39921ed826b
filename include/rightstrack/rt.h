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
    RT_EUNAVAIL = -8,  /* the database cannot be reached just now: nothing was done, try again */
    RT_ENOTSUP = -9,   /* this store cannot do that (yet) */
};

/*
 * Returns a short English name for an RT_E… code ("bad input", …; "unknown error"
 * for any other value): a static string, never NULL.
 */
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

/*
 * Makes b an empty buffer with the size limit max (0: none), allocating nothing; as
 * RT_BUF_INIT, with a limit. Whatever b held before is not freed.
 */
RT_API void rt_buf_init(struct rt_buf *b, size_t max);
/*
 * Frees b's storage and leaves it empty, as rt_buf_init made it (its limit kept),
 * ready for use again. Pointers into b->buf are invalid after.
 */
RT_API void rt_buf_release(struct rt_buf *b);
/*
 * Ensures room for extra more bytes (and the NUL) without another allocation; may
 * move b->buf. RT_ETOOBIG when b->len + extra would pass max (or overflow), and b
 * is unchanged. Out of memory aborts, as everywhere.
 */
RT_API int rt_buf_grow(struct rt_buf *b, size_t extra);
/*
 * The adders append to b and keep it NUL-terminated; b->buf may move. Each returns 0,
 * or RT_ETOOBIG when the result would pass max, and then b is unchanged.
 * rt_buf_add appends len bytes at data (any bytes, NULs too; data may be NULL when
 * len is 0); rt_buf_adds the NUL-terminated s; rt_buf_addch the byte c;
 * rt_buf_addf and rt_buf_vaddf what printf would print for fmt (RT_EINVAL too, when
 * the format fails). What they read is borrowed for the call and must not lie in
 * b->buf itself, which may move under it.
 */
RT_API int rt_buf_add(struct rt_buf *b, const void *data, size_t len);
RT_API int rt_buf_adds(struct rt_buf *b, const char *s);
RT_API int rt_buf_addch(struct rt_buf *b, int c);
RT_API int rt_buf_addf(struct rt_buf *b, const char *fmt, ...) RT_PRINTF(2, 3);
RT_API int rt_buf_vaddf(struct rt_buf *b, const char *fmt, va_list ap) RT_PRINTF(2, 0);
/*
 * rt_buf_reset empties b but keeps its storage for reuse (rt_buf_setlen(b, 0));
 * rt_buf_setlen cuts b to its first len bytes (a len past b->len changes nothing)
 * and puts the NUL after them. Neither allocates nor fails.
 */
RT_API void rt_buf_reset(struct rt_buf *b);
RT_API void rt_buf_setlen(struct rt_buf *b, size_t len);
/*
 * Hands the storage to the caller, NUL-terminated (free with rt_free; a fresh ""
 * when b was empty), and sets *out_len to its length when out_len is not NULL. b is
 * left empty, with its limit, ready for use again.
 */
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

/*
 * Sets every part of *e, freeing what was there: code, a copy of file and of field
 * (each may be NULL), line (0: unknown) and the message printed from fmt. Returns
 * code, so that a failing function can end with `return rt_error_set(err, …)`. With
 * e NULL it only returns code.
 */
RT_API int rt_error_set(struct rt_error *e, int code, const char *file, long line,
                        const char *field, const char *fmt, ...) RT_PRINTF(6, 7);
/*
 * Same as rt_error_set with code RT_EIO and the message "what: strerror(errno)";
 * returns RT_EIO. Call it before anything else can change errno.
 */
RT_API int rt_error_errno(struct rt_error *e, const char *file, const char *what);
/* Frees what *e holds and leaves it as RT_ERROR_INIT made it, for use again. */
RT_API void rt_error_release(struct rt_error *e);
/*
 * Prints "prog: file:line: field 'F': message" and a newline on fp, with whichever
 * parts are known (prog NULL: none; no message: rt_strerror of the code).
 */
RT_API void rt_error_print(const struct rt_error *e, const char *prog, FILE *fp);

/*
 * Memory: rt_xmalloc, rt_xcalloc (n items of size bytes, zeroed), rt_xrealloc and
 * rt_xstrdup are malloc, calloc, realloc and strdup that abort with a message when
 * memory runs out (or a size overflows), so they never return NULL, not even for
 * 0 bytes; rt_xstrndup copies the n bytes at s (NULs too) and adds a NUL. The caller
 * owns what they return. rt_free frees it, and what the library hands out
 * (detached buffers, result strings); rt_free(NULL) does nothing.
 */
RT_API void *rt_xmalloc(size_t n);
RT_API void *rt_xcalloc(size_t n, size_t size);
RT_API void *rt_xrealloc(void *p, size_t n);
RT_API char *rt_xstrdup(const char *s);
RT_API char *rt_xstrndup(const char *s, size_t n);
RT_API void rt_free(void *p);

#endif
