/*
 * The reports' reads (report.h), written once for both back ends over src/store/sql.h:
 * rt_report_recs runs the two statements of src/store/report_sql.h in the store's
 * dialect, and rt_report_prepare makes stale repeats fresh where the back end can.
 */
#include "base/compat.h"

#include <string.h>

#include <rightstrack/report.h>

#include "model/rules.h"
#include "store/backend.h"
#include "store/report_sql.h"
#include "store/sql.h"

static const struct rt__store_ops *ops_of(struct rt_store *st)
{
    return ((const struct rt__store_base *)(void *)st)->ops;
}

char *rt__report_sql_params(const char *src, char n, int cast)
{
    struct rt_buf b = RT_BUF_INIT;
    char quote = 0;

    for (const char *p = src; *p; p++) {
        char k;
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
            k = p[1] == '9' ? n : p[1];
            if (cast)
                rt_buf_addf(&b, "CAST(?%c AS %s)", k,
                            k == '1'                             ? "bigint"
                            : n == '5' && (k == '3' || k == '4') ? "json"
                                                                 : "text");
            else
                rt_buf_addf(&b, "?%c", k);
            p++;
            continue;
        }
        rt_buf_addch(&b, *p);
    }
    return rt_buf_detach(&b, NULL);
}

char *rt__sql_typed(const char *src, const char *types)
{
    struct rt_buf b = RT_BUF_INIT;
    size_t n = strlen(types);
    char quote = 0;

    for (const char *p = src; *p; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '1' && p[1] <= '9' && (size_t)(p[1] - '1') < n) {
            char t = types[p[1] - '1'];
            rt_buf_addf(&b, "CAST(?%c AS %s)", p[1],
                        t == 'i'   ? "bigint"
                        : t == 'j' ? "json"
                                   : "text");
            p++;
            continue;
        }
        rt_buf_addch(&b, *p);
    }
    return rt_buf_detach(&b, NULL);
}

static int add_to_buf(const char *b, size_t n, void *ctx)
{
    rt_buf_add(ctx, b, n);
    return 0;
}

int rt_report_prepare(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);
    int fresh = 0;

    /* A back end that cannot compute repeats (PostgreSQL, so far) reports those it
     * holds (copied from SQLite), as a read-only store does. */
    if (!o->repeats_fresh || !o->repeats_compute)
        return 0;
    if (rt_store_repeats_fresh(st, &fresh, err) < 0)
        return RT_ESTORE;
    /* A read-only store, or one inside a transaction (a web request reads in one),
     * reports the repeats it has. */
    if (!fresh && o->may_write && o->may_write(st) &&
        rt_store_repeats_compute(st, NULL, NULL, err) < 0)
        return RT_ESTORE;
    return 0;
}

int rt_report_recs(struct rt_store *st, const char *state, const char *theme, const char *as_of,
                   json_t **out, struct rt_error *err)
{
    int64_t state_id = 0;
    json_t *ids = NULL;
    struct rt_buf list[2] = {RT_BUF_INIT, RT_BUF_INIT};
    int rc;

    *out = NULL;
    if (!state || !*state)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "state", "no state given");
    if (rt_store_state_find(st, state, strlen(state), &state_id, err) < 0)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "state", "no state is called '%s'", state);
    if (as_of && rt__need_date(as_of, "as-of", err) < 0)
        return RT_EINVAL;
    /* The ids first, then the document that reads them. */
    rc = rt__sql_scalar(st, err, NULL, &ids,
                        rt__sql_pick(st, rt__sqlite_report_sql(0), rt__pg_report_sql(0)), "itt",
                        state_id, theme, as_of);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "state", "no state with id %lld",
                          (long long)state_id);
    for (int i = 0; rc == 0 && i < 2; i++)
        if (!json_is_array(json_array_get(ids, (size_t)i)) ||
            json_dump_callback(json_array_get(ids, (size_t)i), add_to_buf, &list[i], JSON_COMPACT) <
                0)
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "bad ids from SQL");
    if (rc == 0)
        rc = rt__sql_scalar(st, err, NULL, out,
                            rt__sql_pick(st, rt__sqlite_report_sql(1), rt__pg_report_sql(1)),
                            "itttt", state_id, theme, list[0].buf, list[1].buf, as_of);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "state", "no state with id %lld",
                          (long long)state_id);
    json_decref(ids);
    rt_buf_release(&list[0]);
    rt_buf_release(&list[1]);
    return rc;
}
