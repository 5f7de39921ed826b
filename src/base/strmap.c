/* A small open-addressing hash map from strings to 64-bit integers. */
#include "base/compat.h"

#include "base/hash.h"
#include "base/strmap.h"

static struct rt__strmap_slot *find(const struct rt__strmap *m, const char *key, size_t len)
{
    size_t mask = m->cap - 1, i = (size_t)rt__hash(key, len) & mask;

    for (;;) {
        struct rt__strmap_slot *s = &m->slots[i];
        if (!s->key || (s->len == len && !memcmp(s->key, key, len)))
            return s;
        i = (i + 1) & mask;
    }
}

int rt__strmap_get(const struct rt__strmap *m, const char *key, size_t len, int64_t *value)
{
    struct rt__strmap_slot *s;

    if (!m->cap)
        return 0;
    s = find(m, key, len);
    if (!s->key)
        return 0;
    *value = s->value;
    return 1;
}

static void grow(struct rt__strmap *m)
{
    struct rt__strmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 64;
    m->slots = rt_xcalloc(m->cap, sizeof(*m->slots));
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].len) = old.slots[i];
    }
    rt_free(old.slots);
}

void rt__strmap_put(struct rt__strmap *m, const char *key, size_t len, int64_t value)
{
    struct rt__strmap_slot *s;

    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    s = find(m, key, len);
    if (!s->key) {
        s->key = rt_xstrndup(key, len);
        s->len = len;
        m->n++;
    }
    s->value = value;
}

void rt__strmap_release(struct rt__strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        rt_free(m->slots[i].key);
    rt_free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
