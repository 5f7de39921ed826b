/* Allocation wrappers that abort on out-of-memory (STYLE.md rule 8). */
#ifndef RT_ALLOC_H
#define RT_ALLOC_H

#include <stddef.h>

#include <rightstrack/rt.h>

/* Multiply with an overflow check; aborts when a * b does not fit in size_t. */
size_t rt_st_mult(size_t a, size_t b);

#define RT_ALLOC_ARRAY(p, n) ((p) = rt_xmalloc(rt_st_mult(sizeof(*(p)), (n))))
#define RT_REALLOC_ARRAY(p, n) ((p) = rt_xrealloc((p), rt_st_mult(sizeof(*(p)), (n))))

/* Grow array p (of alloc slots) so that it holds at least n items. */
#define RT_ALLOC_GROW(p, n, alloc)                                                                 \
    do {                                                                                           \
        if ((n) > (alloc)) {                                                                       \
            (alloc) = (alloc) < 8 ? 8 : (alloc)*2;                                                 \
            if ((alloc) < (n))                                                                     \
                (alloc) = (n);                                                                     \
            RT_REALLOC_ARRAY(p, alloc);                                                            \
        }                                                                                          \
    } while (0)

#define RT_FREE_AND_NULL(p)                                                                        \
    do {                                                                                           \
        rt_free(p);                                                                                \
        (p) = NULL;                                                                                \
    } while (0)

#define RT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
