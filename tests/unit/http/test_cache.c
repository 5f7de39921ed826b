/*
 * Tests of the web face's response cache (src/http/cache.c), shared by the server's
 * threads: what it keeps it gives back only at the same version, older entries go
 * when met and never replace newer ones, the least recently used go first when the
 * bytes pass the budget, the table grows past any count of entries, and every hold
 * of a value is matched by exactly one drop, from one thread or many.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>

#include "http/http_int.h"

/* Values are ints in this array; holds and drops of each are counted. */
#define N_VALUES 5000
static int values[N_VALUES];
static atomic_int holds[N_VALUES], drops[N_VALUES];

static void hold(void *v)
{
    atomic_fetch_add(&holds[(int *)v - values], 1);
}

static void drop(void *v)
{
    atomic_fetch_add(&drops[(int *)v - values], 1);
}

static void setup(void)
{
    cr_assert_geq(sodium_init(), 0);
    for (int i = 0; i < N_VALUES; i++) {
        values[i] = i;
        atomic_init(&holds[i], 0);
        atomic_init(&drops[i], 0);
    }
}

static void key_of(int i, char *buf, size_t size)
{
    snprintf(buf, size, "/api/v1/recommendations\n1:q%d:w%d", i % 7, i);
}

static int put(struct rt_http_cache *c, int i, uint64_t version, size_t bytes)
{
    char k[64], tag[RT_HTTP_ETAG_SIZE];

    key_of(i, k, sizeof(k));
    snprintf(tag, sizeof(tag), "\"%d\"", i);
    return rt_http_cache_put(c, k, strlen(k), version, &values[i], bytes, tag);
}

/* The value kept for i at version: its index, or -1; the reader's hold is dropped. */
static int get(struct rt_http_cache *c, int i, uint64_t version)
{
    char k[64], tag[RT_HTTP_ETAG_SIZE] = "";
    int *v;

    key_of(i, k, sizeof(k));
    v = rt_http_cache_get(c, k, strlen(k), version, tag);
    if (v) {
        char want[RT_HTTP_ETAG_SIZE];
        snprintf(want, sizeof(want), "\"%d\"", i);
        cr_assert_str_eq(tag, want, "the ETag kept with the value");
        drop(v);
    }
    return v ? (int)(v - values) : -1;
}

/* What is held of i: its holds less its drops. The drops are read first, so that
 * while other threads hold and drop it the answer is never below what this thread
 * holds. */
static int held(int i)
{
    int d = atomic_load(&drops[i]);
    return atomic_load(&holds[i]) - d;
}

static void none_held(int n)
{
    for (int i = 0; i < n; i++)
        cr_assert_eq(held(i), 0, "value %d held %d times more than dropped", i, held(i));
}

Test(cache, gives_back_what_it_keeps_at_that_version, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(1 << 20, hold, drop);

    cr_assert_eq(get(c, 1, 7), -1);
    cr_assert_eq(put(c, 1, 7, 100), 1);
    cr_assert_eq(held(1), 1, "the cache holds what it keeps");
    cr_assert_eq(put(c, 2, 7, 100), 1);
    cr_assert_eq(get(c, 1, 7), 1);
    cr_assert_eq(get(c, 2, 7), 2);
    cr_assert_eq(get(c, 3, 7), -1);
    /* A newer version: the entry is stale and goes at once. */
    cr_assert_eq(get(c, 1, 8), -1);
    cr_assert_eq(held(1), 0);
    cr_assert_eq(get(c, 1, 7), -1, "a stale entry is not kept for its old version");
    cr_assert_eq(get(c, 2, 7), 2);
    /* A new value for a key replaces the old one, which is dropped. */
    cr_assert_eq(put(c, 2, 9, 100), 1);
    cr_assert_eq(get(c, 2, 9), 2);
    cr_assert_eq(held(2), 1);
    rt_http_cache_free(c);
    none_held(3);
}

Test(cache, an_older_version_neither_sees_nor_replaces_a_newer_one, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(1 << 20, hold, drop);

    cr_assert_eq(put(c, 1, 5, 100), 1);
    /* A request that began before the data moved on (version 4) gets no answer of 5. */
    cr_assert_eq(get(c, 1, 4), -1);
    cr_assert_eq(get(c, 1, 5), 1, "and the newer answer stays");
    cr_assert_eq(put(c, 1, 4, 100), 0, "an answer of an older snapshot is not kept over it");
    cr_assert_eq(get(c, 1, 5), 1);
    cr_assert_eq(held(1), 1);
    rt_http_cache_free(c);
    none_held(2);
}

Test(cache, a_held_value_outlives_its_entry, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(1 << 20, hold, drop);
    char k[64], tag[RT_HTTP_ETAG_SIZE];
    int *v;

    cr_assert_eq(put(c, 1, 1, 100), 1);
    key_of(1, k, sizeof(k));
    v = rt_http_cache_get(c, k, strlen(k), 1, tag);
    cr_assert_eq(v, &values[1]);
    cr_assert_eq(get(c, 1, 2), -1); /* stale now: the cache lets it go */
    cr_assert_eq(held(1), 1, "the reader still holds it");
    drop(v);
    rt_http_cache_free(c);
    none_held(2);
}

Test(cache, refuses_a_value_too_big_to_keep, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(8000, hold, drop);

    cr_assert_eq(put(c, 1, 1, 1001), 0, "over an eighth of the budget");
    cr_assert_eq(get(c, 1, 1), -1);
    cr_assert_eq(held(1), 0, "what is refused is not held");
    cr_assert_eq(put(c, 1, 1, 700), 1);
    rt_http_cache_free(c);
    none_held(2);
}

Test(cache, the_least_recently_used_go_first, .init = setup)
{
    /* Room for ten entries of 1,000 bytes with their keys and bookkeeping, not eleven. */
    struct rt_http_cache *c = rt_http_cache_new(10 * 1150, hold, drop);

    for (int i = 0; i < 10; i++)
        cr_assert_eq(put(c, i, 1, 1000), 1);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(get(c, i, 1), i, "all ten are kept");
    cr_assert_eq(get(c, 0, 1), 0); /* 0 is now the most recently used, 1 the least */
    cr_assert_eq(put(c, 10, 1, 1000), 1);
    cr_assert_eq(get(c, 1, 1), -1, "the least recently used went");
    cr_assert_eq(held(1), 0);
    cr_assert_eq(get(c, 0, 1), 0, "the one just read stayed");
    for (int i = 2; i <= 10; i++)
        cr_assert_eq(get(c, i, 1), i);
    rt_http_cache_free(c);
    none_held(11);
}

Test(cache, keeps_thousands_within_its_bytes, .init = setup)
{
    /* A budget of bytes, not a count: all 5,000 small answers are kept and found
     * (the table grows), then a smaller budget keeps the most recent ones. */
    struct rt_http_cache *c = rt_http_cache_new((size_t)1 << 30, hold, drop);

    for (int i = 0; i < N_VALUES; i++) {
        cr_assert_eq(put(c, i, 1, 10), 1);
        if (i % 3 == 0 && i >= 10) /* a stale read removes an older one too */
            cr_assert_eq(get(c, i - 10, 2), -1);
    }
    for (int i = 0; i < N_VALUES; i++) {
        int stale = i % 3 == 2 && i < N_VALUES - 10 && i + 10 >= 12;
        cr_assert_eq(get(c, i, 1), stale ? -1 : i, "value %d", i);
    }
    rt_http_cache_free(c);
    none_held(N_VALUES);

    c = rt_http_cache_new(500 * 160, hold, drop);
    for (int i = 0; i < N_VALUES; i++)
        cr_assert_eq(put(c, i, 1, 10), 1);
    int kept = 0;
    for (int i = N_VALUES - 1; i >= 0; i--) {
        int v = get(c, i, 1);
        cr_assert(v == -1 || v == i);
        kept += v == i;
        if (v == -1)
            cr_assert_eq(held(i), 0, "value %d is neither kept nor dropped", i);
    }
    cr_assert_gt(kept, 450);
    cr_assert_leq(kept, 600);
    for (int i = N_VALUES - 1; i >= N_VALUES - 400; i--)
        cr_assert_eq(get(c, i, 1), i, "a recent value %d was lost", i);
    rt_http_cache_free(c);
    none_held(N_VALUES);
}

/* Threads that put, get and let go at once over a budget that evicts all the time. */
struct worker {
    struct rt_http_cache *c;
    int seed, bad;
};

static void *hammer(void *arg)
{
    struct worker *w = arg;
    unsigned r = (unsigned)w->seed;

    for (int n = 0; n < 20000; n++) {
        int i;
        r = r * 1103515245u + 12345u;
        i = (int)((r >> 8) % 300);
        if (r & 1) {
            put(w->c, i, 1 + (r >> 20) % 2, 100);
        } else {
            char k[64], tag[RT_HTTP_ETAG_SIZE];
            int *v;
            key_of(i, k, sizeof(k));
            v = rt_http_cache_get(w->c, k, strlen(k), 1 + (r >> 20) % 2, tag);
            if (v && (v != &values[i] || held(i) < 1))
                w->bad = 1;
            if (v)
                drop(v);
        }
    }
    return NULL;
}

Test(cache, threads_share_it, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(100 * 250, hold, drop);
    pthread_t t[4];
    struct worker w[4];

    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){c, i + 1, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(w[i].bad, 0, "thread %d got a value it should not have", i);
    }
    rt_http_cache_free(c);
    none_held(300);
}

Test(cache, etags_name_the_body)
{
    char a[RT_HTTP_ETAG_SIZE], b[RT_HTTP_ETAG_SIZE], c[RT_HTTP_ETAG_SIZE];

    cr_assert_geq(sodium_init(), 0);
    rt_http_etag("{\"total\": 1}", 12, a);
    rt_http_etag("{\"total\": 1}", 12, b);
    rt_http_etag("{\"total\": 2}", 12, c);
    cr_assert_eq(strlen(a), RT_HTTP_ETAG_SIZE - 1);
    cr_assert(a[0] == '"' && a[RT_HTTP_ETAG_SIZE - 2] == '"');
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
}
