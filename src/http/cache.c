/*
 * The response cache. A GET answer depends only on its path, its arguments, who
 * asks (the key says it) and the database, so while the database stays at one
 * version the same request may be given the same answer without reading anything
 * again.
 *
 * One cache for all the worker threads, behind one lock, so that an answer built by
 * one thread serves the others, and a working set of thousands of answers stays
 * warm; it is bounded by bytes, not by a count of entries. The versions it is given
 * are the server's generations (server.c), which only grow: an entry of an older one
 * is stale and goes when met; one of a newer one is not given to a request of an
 * older one. Entries are found by a SipHash of the key (libsodium, keyed afresh each
 * run, so that nobody can choose keys that collide, hashed outside the lock) in a
 * chained table that doubles as it fills; a list in order of use says which go first
 * when the bytes pass the budget. Values are shared: get holds one for its caller,
 * the cache holds its own while it keeps it, and each hold is matched by a drop.
 */
#include <pthread.h>
#include <sodium.h>

#include "http_int.h"

#define FIRST_BUCKETS 1024 /* a power of two; doubled when entries outnumber buckets */

struct entry {
    struct entry *chain;         /* the next in its bucket */
    struct entry *newer, *older; /* the list in order of use */
    uint64_t hash, version;
    size_t key_len, bytes;
    void *value;
    char etag[RT_HTTP_ETAG_SIZE];
    char *key; /* key_len bytes, after the entry in its allocation */
};

struct rt_http_cache {
    pthread_mutex_t lock;
    struct entry **buckets;
    size_t n_buckets;  /* a power of two */
    struct entry used; /* the list's head: used.older is the most recent */
    size_t n, bytes, budget;
    void (*hold)(void *value);
    void (*drop)(void *value);
};

static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static unsigned char etag_key[crypto_shorthash_siphashx24_KEYBYTES];
static pthread_once_t keyed = PTHREAD_ONCE_INIT;

static void make_key(void)
{
    /* sodium_init has run: rt_http_csrf_init */
    crypto_shorthash_keygen(hash_key);
    randombytes_buf(etag_key, sizeof(etag_key));
}

struct rt_http_cache *rt_http_cache_new(size_t budget, void (*hold)(void *value),
                                        void (*drop)(void *value))
{
    struct rt_http_cache *c = rt_xcalloc(1, sizeof(*c));

    pthread_once(&keyed, make_key);
    pthread_mutex_init(&c->lock, NULL);
    c->n_buckets = FIRST_BUCKETS;
    c->buckets = rt_xcalloc(c->n_buckets, sizeof(*c->buckets));
    c->used.newer = c->used.older = &c->used;
    c->budget = budget;
    c->hold = hold;
    c->drop = drop;
    return c;
}

static void unlink_use(struct entry *e)
{
    e->newer->older = e->older;
    e->older->newer = e->newer;
}

/* Puts e first in the list: the most recently used. */
static void link_use(struct rt_http_cache *c, struct entry *e)
{
    e->newer = &c->used;
    e->older = c->used.older;
    c->used.older->newer = e;
    c->used.older = e;
}

/* The link that points at key's entry, or at the NULL ending its bucket. */
static struct entry **find(struct rt_http_cache *c, const char *key, size_t len, uint64_t h)
{
    struct entry **p = &c->buckets[h & (c->n_buckets - 1)];

    while (*p && !((*p)->hash == h && (*p)->key_len == len && !memcmp((*p)->key, key, len)))
        p = &(*p)->chain;
    return p;
}

/* Takes the entry *p points at out of the table and the list, and frees it. */
static void remove_at(struct rt_http_cache *c, struct entry **p)
{
    struct entry *e = *p;

    *p = e->chain;
    unlink_use(e);
    c->drop(e->value);
    c->bytes -= e->bytes;
    c->n--;
    rt_free(e);
}

void rt_http_cache_free(struct rt_http_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_buckets; i++)
        while (c->buckets[i])
            remove_at(c, &c->buckets[i]);
    rt_free(c->buckets);
    pthread_mutex_destroy(&c->lock);
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

void *rt_http_cache_get(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                        char etag[RT_HTTP_ETAG_SIZE])
{
    uint64_t h = hash_of(key, len);
    struct entry **p, *e;
    void *value = NULL;

    pthread_mutex_lock(&c->lock);
    p = find(c, key, len, h);
    if ((e = *p) != NULL) {
        if (e->version < version) { /* the database moved on */
            remove_at(c, p);
        } else if (e->version == version) {
            unlink_use(e);
            link_use(c, e);
            memcpy(etag, e->etag, RT_HTTP_ETAG_SIZE);
            c->hold(e->value);
            value = e->value;
        } /* else made at a newer version than the caller's: not for it */
    }
    pthread_mutex_unlock(&c->lock);
    return value;
}

/* Doubles the buckets and moves every entry to its new one. */
static void grow(struct rt_http_cache *c)
{
    size_t n = c->n_buckets * 2;
    struct entry **b = rt_xcalloc(n, sizeof(*b));

    for (size_t i = 0; i < c->n_buckets; i++) {
        struct entry *e = c->buckets[i], *next;
        for (; e; e = next) {
            next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    rt_free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
}

int rt_http_cache_put(struct rt_http_cache *c, const char *key, size_t len, uint64_t version,
                      void *value, size_t bytes, const char *etag)
{
    uint64_t h = hash_of(key, len);
    size_t size = bytes + len + sizeof(struct entry);
    struct entry **p, *e;

    if (size > c->budget / 8) /* one answer may not push out most of the others */
        return 0;
    e = rt_xmalloc(sizeof(*e) + len);
    e->key = memcpy((char *)(e + 1), key, len);
    e->key_len = len;
    e->hash = h;
    e->version = version;
    e->bytes = size;
    e->value = value;
    snprintf(e->etag, sizeof(e->etag), "%s", etag);
    pthread_mutex_lock(&c->lock);
    p = find(c, key, len, h);
    if (*p && (*p)->version > version) { /* a newer answer is kept already */
        pthread_mutex_unlock(&c->lock);
        rt_free(e);
        return 0;
    }
    if (*p)
        remove_at(c, p);
    while (c->n && c->bytes + size > c->budget) {
        struct entry *old = c->used.newer; /* the least recently used */
        remove_at(c, find(c, old->key, old->key_len, old->hash));
    }
    if (c->n >= c->n_buckets)
        grow(c);
    p = find(c, key, len, h);
    e->chain = NULL;
    *p = e;
    link_use(c, e);
    c->bytes += size;
    c->n++;
    c->hold(value);
    pthread_mutex_unlock(&c->lock);
    return 1;
}

/*
 * SipHash-2-4 with a 128-bit result, keyed afresh each run: about five times as fast
 * as BLAKE2b over a search's answer (it was 5 % of an answer built afresh), and as a
 * keyed function nobody can make two bodies share a tag. A tag holds for one run of
 * the server; after a restart a browser's If-None-Match gets the body again once.
 */
void rt_http_etag(const void *body, size_t len, char out[RT_HTTP_ETAG_SIZE])
{
    unsigned char h[crypto_shorthash_siphashx24_BYTES];

    pthread_once(&keyed, make_key);
    crypto_shorthash_siphashx24(h, body, len, etag_key);
    out[0] = '"';
    sodium_bin2hex(out + 1, 2 * sizeof(h) + 1, h, sizeof(h));
    out[1 + 2 * sizeof(h)] = '"';
    out[2 + 2 * sizeof(h)] = '\0';
}
