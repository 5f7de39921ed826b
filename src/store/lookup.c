/*
 * The names of records (lookup.h), written once for both back ends: the statement of
 * each kind (src/store/lookup_sql.h) in the store's dialect, run through
 * src/store/sql.h.
 */
#include "base/compat.h"

#include <rightstrack/lookup.h>

#include "store/lookup_sql.h"
#include "store/sql.h"

int rt_store_lookup(struct rt_store *st, const char *kind, const char *q, int64_t dialogue_id,
                    int64_t id, int limit, json_t **out, struct rt_error *err)
{
    const char *sql = rt__sql_pick(st, rt__sqlite_lookup_sql(kind), rt__pg_lookup_sql(kind));
    int rc;

    *out = NULL;
    if (!sql)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "kind", "no records of kind '%s' to look up",
                            kind ? kind : "");
    if (limit < 1 || limit > 100)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "limit", "'limit' must be from 1 to 100");
    rc = rt__sql_scalar(st, err, NULL, out, sql, "tiii", q && *q ? q : NULL, dialogue_id, id,
                        (int64_t)limit);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "lookup: no answer");
    return rc;
}
