/*
 * Tests of the web face's response cache (src/http/cache.c): what it keeps it gives
 * back only at the same version, the least recently used go first, and every value
 * is dropped exactly once.
 */
#include <criterion/criterion.h>
#include <sodium.h>

#include "http/http_int.h"

/* Values are ints in this array; dropping one counts it. */
#define N_VALUES 5000
static int values[N_VALUES], drops[N_VALUES];

static void drop(void *v)
{
    drops[(int *)v - values]++;
}

static void setup(void)
{
    cr_assert_geq(sodium_init(), 0);
    memset(drops, 0, sizeof(drops));
    for (int i = 0; i < N_VALUES; i++)
        values[i] = i;
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

/* The value kept for i at version: its index, or -1. */
static int get(struct rt_http_cache *c, int i, uint64_t version)
{
    char k[64];
    const char *tag = NULL;
    int *v;

    key_of(i, k, sizeof(k));
    v = rt_http_cache_get(c, k, strlen(k), version, &tag);
    if (v) {
        char want[RT_HTTP_ETAG_SIZE];
        snprintf(want, sizeof(want), "\"%d\"", i);
        cr_assert_str_eq(tag, want, "the ETag kept with the value");
    }
    return v ? (int)(v - values) : -1;
}

static void all_dropped_once(int n)
{
    for (int i = 0; i < n; i++)
        cr_assert_eq(drops[i], 1, "value %d dropped %d times", i, drops[i]);
}

Test(cache, gives_back_what_it_keeps_at_that_version, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(1 << 20, drop);

    cr_assert_eq(get(c, 1, 7), -1);
    cr_assert_eq(put(c, 1, 7, 100), 1);
    cr_assert_eq(put(c, 2, 7, 100), 1);
    cr_assert_eq(get(c, 1, 7), 1);
    cr_assert_eq(get(c, 2, 7), 2);
    cr_assert_eq(get(c, 3, 7), -1);
    /* Another version: the entry is stale and goes at once. */
    cr_assert_eq(get(c, 1, 8), -1);
    cr_assert_eq(drops[1], 1);
    cr_assert_eq(get(c, 1, 7), -1, "a stale entry is not kept for its old version");
    cr_assert_eq(get(c, 2, 7), 2);
    /* A new value for a key replaces the old one, which is dropped. */
    cr_assert_eq(put(c, 2, 9, 100), 1);
    cr_assert_eq(drops[2], 1);
    cr_assert_eq(get(c, 2, 9), 2);
    rt_http_cache_free(c);
    cr_assert_eq(drops[2], 2);
}

Test(cache, refuses_a_value_too_big_to_keep, .init = setup)
{
    struct rt_http_cache *c = rt_http_cache_new(8000, drop);

    cr_assert_eq(put(c, 1, 1, 1001), 0, "over an eighth of the budget");
    cr_assert_eq(get(c, 1, 1), -1);
    cr_assert_eq(drops[1], 0, "what is refused stays the caller's");
    cr_assert_eq(put(c, 1, 1, 900), 1);
    rt_http_cache_free(c);
    cr_assert_eq(drops[1], 1);
}

Test(cache, the_least_recently_used_go_first, .init = setup)
{
    /* Room for ten entries of 100 bytes and their keys, not eleven. */
    struct rt_http_cache *c = rt_http_cache_new(10 * (100 + 40), drop);

    for (int i = 0; i < 10; i++)
        cr_assert_eq(put(c, i, 1, 100), 1);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(get(c, i, 1), i, "all ten are kept");
    cr_assert_eq(get(c, 0, 1), 0); /* 0 is now the most recently used, 1 the least */
    cr_assert_eq(put(c, 10, 1, 100), 1);
    cr_assert_eq(get(c, 1, 1), -1, "the least recently used went");
    cr_assert_eq(drops[1], 1);
    cr_assert_eq(get(c, 0, 1), 0, "the one just read stayed");
    for (int i = 2; i <= 10; i++)
        cr_assert_eq(get(c, i, 1), i);
    rt_http_cache_free(c);
    all_dropped_once(11);
}

Test(cache, stays_whole_through_many_evictions, .init = setup)
{
    /* Many more keys than slots: entries are removed from the middle of probe runs
     * again and again, and each kept one must still be found. */
    struct rt_http_cache *c = rt_http_cache_new((size_t)1 << 30, drop);

    for (int i = 0; i < N_VALUES; i++) {
        cr_assert_eq(put(c, i, 1, 10), 1);
        if (i % 3 == 0 && i >= 10) /* a stale read removes an older one too */
            cr_assert_eq(get(c, i - 10, 2), -1);
    }
    /* At most 512 are kept, the most recent ones; each of them is found. */
    int kept = 0;
    for (int i = N_VALUES - 1; i >= 0; i--) {
        int v = get(c, i, 1);
        cr_assert(v == -1 || v == i);
        if (v == i)
            kept++;
        else
            cr_assert_eq(drops[i], 1, "value %d is neither kept nor dropped", i);
    }
    cr_assert_gt(kept, 400);
    cr_assert_leq(kept, 512);
    for (int i = N_VALUES - 1; i >= N_VALUES - 300; i--)
        if (i % 3 != 2 || i > N_VALUES - 11) /* not removed as stale above */
            cr_assert_eq(get(c, i, 1), i, "a recent value %d was lost", i);
    rt_http_cache_free(c);
    all_dropped_once(N_VALUES);
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
