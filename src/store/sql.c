/* SQL written once for every back end (sql.h): each call goes to the store's back end. */
#include "base/compat.h"

#include <stdarg.h>

#include <rightstrack/private.h>

#include "store/backend.h"
#include "store/sql.h"

static const struct rt__store_ops *ops_of(struct rt_store *st)
{
    return ((const struct rt__store_base *)(void *)st)->ops;
}

/* A store reading for the public writes nothing (private.h): its reads go through
 * views, which SQLite cannot write and PostgreSQL would write through. */
static int public_write(struct rt_store *st, struct rt_error *err)
{
    if (rt_store_reader(st) == RT_READER_ALL)
        return 0;
    return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                        "this store reads for the public and cannot write");
}

static int missing(const struct rt__store_ops *o, struct rt_error *err)
{
    return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                        "the ledger's writes are not yet supported"
                        " on %s",
                        o->name);
}

int rt__sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                 const char *types, ...)
{
    const struct rt__store_ops *o = ops_of(st);
    va_list ap;
    int rc;

    if (!o->sql_exec)
        return missing(o, err);
    if (public_write(st, err) < 0)
        return RT_ESTORE;
    va_start(ap, types);
    rc = o->sql_exec(st, err, out_id, sql, types, ap);
    va_end(ap);
    return rc;
}

int rt__sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int, json_t **out_json,
                   const char *sql, const char *types, ...)
{
    const struct rt__store_ops *o = ops_of(st);
    va_list ap;
    int rc;

    if (!o->sql_scalar)
        return missing(o, err);
    va_start(ap, types);
    rc = o->sql_scalar(st, err, out_int, out_json, sql, types, ap);
    va_end(ap);
    return rc;
}

int rt__sql_begin(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    if (public_write(st, err) < 0)
        return RT_ESTORE;
    return o->sql_group ? o->sql_group(st, RT__SQL_GROUP_BEGIN, err) : missing(o, err);
}

int rt__sql_end(struct rt_store *st, int rc, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    if (!o->sql_group)
        return rc < 0 ? rc : missing(o, err);
    if (rc < 0) {
        o->sql_group(st, RT__SQL_GROUP_ROLLBACK, NULL);
        return rc;
    }
    return o->sql_group(st, RT__SQL_GROUP_COMMIT, err);
}

const char *rt__sql_pick(struct rt_store *st, const char *sqlite, const char *pg)
{
    return rt__store_is(st, &rt__pg_ops) ? pg : sqlite;
}

int rt__store_retry(struct rt_store *st, int attempt, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->retry ? o->retry(st, attempt, err) : 0;
}
