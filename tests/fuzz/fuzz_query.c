/*
 * libFuzzer target for the search query language (rt_search_parse), the SQLite back
 * end's rendering of it (rt__fts_render) and the store's search over what it makes.
 * Any text must give either RT_EINVAL (only negations) or a query whose FTS5
 * expression FTS5 accepts: a search with it must never fail, whatever quotes, stars,
 * operators, parentheses or bytes the text holds.
 * The store is a small one made once, so that prefixes are looked up in its table
 * of words too. A NUL byte once stopped the lexer for good; this target would have
 * found it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rightstrack/search.h>

#include "fuzz.h"
#include "store/sqlite/sqlite_int.h"

static struct rt_store *store(void)
{
    static struct rt_store *st;
    static const char *const texts[] = {
        "Investigate allegations of torture and ill-treatment in detention",
        "Ratify the Optional Protocol to the Convention against Torture",
        "Abolish the death penalty and declare a moratorium on executions",
        "Guarantee freedom of expression, of peaceful assembly and of association",
        "Release the political prisoners and rehabilitate them fully",
    };
    char path[64];
    struct rt_error err = RT_ERROR_INIT;
    int64_t sur, id;
    unsigned flags;

    if (st)
        return st;
    snprintf(path, sizeof(path), "/tmp/rt-fuzz-query-%ld.db", (long)getpid());
    unlink(path);
    CHECK_MSG(rt_store_open(&st, path, RT_STORE_CREATE, &err) == 0, "%s", err.msg.buf);
    unlink(path); /* the open connection keeps it while the fuzzer runs */
    CHECK_MSG(rt_store_state_find(st, "BLR", 3, &sur, &err) == 0, "%s", err.msg.buf);
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        struct rt_rec_in in = {0};
        in.sur_id = sur;
        in.session = 8;
        in.cycle = 1;
        in.text = texts[i];
        in.text_len = strlen(texts[i]);
        in.response = RT_RESPONSE_SUPPORTED;
        CHECK_MSG(rt_store_rec_put(st, &in, &id, &flags, &err) == 0, "%s", err.msg.buf);
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rt_store *st = store();
    struct rt_buf expr = RT_BUF_INIT, again = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_search_query *q = NULL;
    int rc = rt_search_parse((const char *)data, size, &q, &err);

    if (rc == 0)
        CHECK_MSG(rt__fts_render(st, q, &expr, &err) == 0, "%s", err.msg.buf);

    CHECK_MSG(rc == 0 || rc == RT_EINVAL, "rc %d", rc);
    /* Without a store, the same but for the words that prefixes add. */
    CHECK_MSG(rt__fts_expr(NULL, (const char *)data, size, &again, NULL) == rc, "no store");
    CHECK_MSG((q != NULL) == (expr.len > 0), "a query without an expression");
    CHECK_MSG(rc < 0 || again.len <= expr.len, "%s / %s", again.buf, expr.buf);
    if (rc == 0 && expr.len) {
        struct rt_search_spec spec = {0};
        struct rt_search_result res = {0};

        CHECK_MSG(strlen(expr.buf) == expr.len, "a NUL in the expression");
        spec.query = q;
        spec.response = -1;
        spec.limit = 3;
        spec.facets = (size & 1) != 0;
        rc = rt_store_search(st, &spec, &res, &err);
        CHECK_MSG(rc == 0, "FTS5 refused %s: %s", expr.buf, err.msg.buf);
        CHECK_MSG(res.total >= 0 && res.total <= 5 && res.n_hits <= 3, "%lld hits",
                  (long long)res.total);
        rt_search_result_release(&res);
    }
    rt_search_query_free(q);
    rt_buf_release(&expr);
    rt_buf_release(&again);
    rt_error_release(&err);
    return 0;
}
