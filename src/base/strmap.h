/* A small open-addressing hash map from strings to 64-bit integers. */
#ifndef RT_STRMAP_H
#define RT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/hash.h" /* rt__hash, the map's hash */

struct rt__strmap_slot {
    char *key; /* owned; NULL when empty */
    size_t len;
    int64_t value;
};

struct rt__strmap {
    struct rt__strmap_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
};
#define RT_STRMAP_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Returns 1 and sets *value when key is present, else 0. */
int rt__strmap_get(const struct rt__strmap *m, const char *key, size_t len, int64_t *value);
/* Sets key to value, adding it when missing. */
void rt__strmap_put(struct rt__strmap *m, const char *key, size_t len, int64_t value);
void rt__strmap_release(struct rt__strmap *m);

#endif
