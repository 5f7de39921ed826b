/*
 * The response cache. A GET answer depends only on its path, its arguments and
 * the database, so while the database stays at one version (rt_store_version) the
 * same request may be given the same answer without reading anything again.
 *
 * One cache a worker thread, so no lock: each thread's store connection has its
 * own version numbers. Entries are found by a SipHash of the key (libsodium, keyed
 * afresh each run, so that nobody can choose keys that collide) in an open-addressed
 * table; when the entries pass the byte budget, the least recently used go.
 */
#include <pthread.h>
#include <sodium.h>

#include "http_int.h"

#define SLOTS 1024 /* a power of two; at most SLOTS / 2 entries are kept */

struct entry {
    char *key; /* owned; NULL when the slot is empty */
    size_t key_len;
    uint64_t hash, version, used;
    size_t bytes;
    void *value;
    char etag[RT_HTTP_ETAG_SIZE];
};

struct rt_http_cache {
    struct entry slots[SLOTS];
    size_t n, bytes, budget;
    uint64_t tick;
    void (*drop)(void *value);
};

static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t keyed = PTHREAD_ONCE_INIT;

static void make_key(void)
{
    crypto_shorthash_keygen(hash_key); /* sodium_init has run: rt_http_csrf_init */
}

struct rt_http_cache *rt_http_cache_new(size_t budget, void (*drop)(void *value))
{
    struct rt_http_cache *c = rt_xcalloc(1, sizeof(*c));

    pthread_once(&keyed, make_key);
    c->budget = budget;
    c->drop = drop;
    return c;
}

static void clear(struct rt_http_cache *c, struct entry *e)
{
    c->drop(e->value);
    c->bytes -= e->bytes;
    c->n--;
    rt_free(e->key);
    memset(e, 0, sizeof(*e));
}

void rt_http_cache_free(struct rt_http_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        if (c->slots[i].key)
            clear(c, &c->slots[i]);
    rt_free(c);
}

static uint64_t hash_of(const char *key, size_t len)
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t v = 0;

    crypto_shorthash(h, (const unsigned char *)key, len, hash_key);
    for (size_t i = 0; i < sizeof(h) && i < sizeof(v); i++)
        v = v << 8 | h[i];
    return v;
}

/* The slot of key, or the empty slot where it would go. */
static struct entry *slot_of(struct rt_http_cache *c, const char *key, size_t len, uint64_t h)
{
    for (size_t i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        struct entry *e = &c->slots[i];
        if (!e->key || (e->hash == h && e->key_len == len && !memcmp(e->key, key, len)))
            return e;
    }
}

/*
 * Removes e and moves up the entries after it that would otherwise no longer be
 * found (deletion without tombstones in a linear-probing table).
 */
static void remove_at(struct rt_http_cache *c, struct entry *e)
{
    size_t i = (size_t)(e - c->slots);

    clear(c, e);
    for (size_t j = (i + 1) & (SLOTS - 1); c->slots[j].key; j = (j + 1) & (SLOTS - 1)) {
        size_t home = c->slots[j].hash & (SLOTS - 1);
        /* Move j into the hole at i when its home is not in (i, j]. */
        if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
            c->slots[i] = c->slots[j];
            memset(&c->slots[j], 0, sizeof(c->slots[j]));
            i = j;
        }
    }
}

void *rt_http_cache_get(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                        const char **etag)
{
    struct entry *e = slot_of(c, key, len, hash_of(key, len));

    if (!e->key)
        return NULL;
    if (e->version != version) { /* the database moved on */
        remove_at(c, e);
        return NULL;
    }
    e->used = ++c->tick;
    *etag = e->etag;
    return e->value;
}

static void evict_oldest(struct rt_http_cache *c)
{
    struct entry *old = NULL;

    for (size_t i = 0; i < SLOTS; i++)
        if (c->slots[i].key && (!old || c->slots[i].used < old->used))
            old = &c->slots[i];
    if (old)
        remove_at(c, old);
}

int rt_http_cache_put(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                      void *value, size_t bytes, const char *etag)
{
    uint64_t h = hash_of(key, len);
    struct entry *e;

    if (bytes > c->budget / 8) /* one answer may not push out most of the others */
        return 0;
    e = slot_of(c, key, len, h);
    if (e->key)
        remove_at(c, e);
    while (c->n >= SLOTS / 2 || (c->n && c->bytes + bytes > c->budget))
        evict_oldest(c);
    e = slot_of(c, key, len, h);
    e->key = memcpy(rt_xmalloc(len + 1), key, len);
    e->key_len = len;
    e->hash = h;
    e->version = version;
    e->used = ++c->tick;
    e->bytes = bytes + len;
    e->value = value;
    snprintf(e->etag, sizeof(e->etag), "%s", etag);
    c->bytes += e->bytes;
    c->n++;
    return 1;
}

void rt_http_etag(const void *body, size_t len, char out[RT_HTTP_ETAG_SIZE])
{
    unsigned char h[16];

    crypto_generichash(h, sizeof(h), body, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 2 * sizeof(h) + 1, h, sizeof(h));
    out[1 + 2 * sizeof(h)] = '"';
    out[2 + 2 * sizeof(h)] = '\0';
}
