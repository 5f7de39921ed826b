/* SQL written once for every back end (sql.h): each call goes to the store's back end. */
#include "base/compat.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rightstrack/private.h>

#include "store/backend.h"
#include "store/private_int.h"
#include "store/sql.h"

static const struct rt__store_ops *ops_of(struct rt_store *st)
{
    return ((const struct rt__store_base *)(void *)st)->ops;
}

/* Whether sql writes (INSERT INTO, UPDATE, DELETE FROM) a table that a public reader
 * reads through a view (rt__private_shadowed), named without a schema. */
static int writes_shadowed(const char *sql)
{
    static const char *const verbs[] = {"INTO ", "UPDATE ", "DELETE FROM "};

    for (const char *p = sql; *p; p++) {
        for (size_t v = 0; v < RT_ARRAY_SIZE(verbs); v++) {
            size_t n = strlen(verbs[v]), len;
            const char *t;

            if ((p != sql && p[-1] != ' ') || strncasecmp(p, verbs[v], n))
                continue;
            for (t = p + n; *t == ' '; t++)
                ;
            len = strspn(t, "abcdefghijklmnopqrstuvwxyz_");
            if (t[len] == '.')
                continue; /* main.x, public.x: the table itself */
            for (size_t i = 0; i < rt__private_n_shadowed; i++)
                if (strlen(rt__private_shadowed[i]) == len &&
                    !strncmp(t, rt__private_shadowed[i], len))
                    return 1;
        }
    }
    return 0;
}

/* A store reading for the public writes nothing that it reads through a view
 * (private.h): SQLite cannot write a view and PostgreSQL would write through it. What
 * has no view (the accounts and sessions of a sign-in, made while the visitor still
 * reads as the public) is written. A group (rt__sql_begin) is the ledger's, and
 * refused as a whole (sql NULL). */
static int public_write(struct rt_store *st, const char *sql, struct rt_error *err)
{
    if (rt_store_reader(st) == RT_READER_ALL || (sql && !writes_shadowed(sql)))
        return 0;
    return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                        "this store reads for the public and cannot write");
}

int rt__sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                 const char *types, ...)
{
    const struct rt__store_ops *o = ops_of(st);
    va_list ap;
    int rc;

    if (!o->sql_exec)
        return rt__store_missing(o, "sql_exec", err);
    if (public_write(st, sql, err) < 0)
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
        return rt__store_missing(o, "sql_scalar", err);
    va_start(ap, types);
    rc = o->sql_scalar(st, err, out_int, out_json, sql, types, ap);
    va_end(ap);
    return rc;
}

int rt__sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                 const char *sql, const char *types, ...)
{
    const struct rt__store_ops *o = ops_of(st);
    va_list ap;
    int rc;

    if (!o->sql_rows)
        return rt__store_missing(o, "sql_rows", err);
    va_start(ap, types);
    rc = o->sql_rows(st, err, fn, ctx, sql, types, ap);
    va_end(ap);
    return rc;
}

int64_t rt__sql_changes(struct rt_store *st)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->sql_changes ? o->sql_changes(st) : 0;
}

const char *rt__sql_text(const struct rt__sql_row *row, int i)
{
    return i < row->n ? row->col[i] : NULL;
}

int64_t rt__sql_int(const struct rt__sql_row *row, int i)
{
    const char *v = rt__sql_text(row, i);
    return v ? strtoll(v, NULL, 10) : 0;
}

double rt__sql_double(const struct rt__sql_row *row, int i)
{
    const char *v = rt__sql_text(row, i);
    return v ? strtod(v, NULL) : 0;
}

json_t *rt__sql_json_text(const struct rt__sql_row *row, int i)
{
    const char *v = rt__sql_text(row, i);
    return v ? json_string(v) : json_null();
}

json_t *rt__sql_json_int(const struct rt__sql_row *row, int i)
{
    const char *v = rt__sql_text(row, i);
    return v ? json_integer(strtoll(v, NULL, 10)) : json_null();
}

int rt__sql_exists(struct rt_store *st, const char *table, int64_t id, const char *what,
                   const char *field, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int64_t n = 0;
    int rc;

    rt_buf_addf(&sql, "SELECT count(*) FROM %s WHERE id = ?1", table);
    rc = rt__sql_scalar(st, err, &n, NULL, sql.buf, "i", id);
    rt_buf_release(&sql);
    if (rc == 0 && !n)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, field, "no %s with id %lld", what,
                          (long long)id);
    return rc;
}

int rt__sql_begin(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    if (public_write(st, NULL, err) < 0)
        return RT_ESTORE;
    return o->sql_group ? o->sql_group(st, RT__SQL_GROUP_BEGIN, err)
                        : rt__store_missing(o, "sql_group", err);
}

int rt__sql_end(struct rt_store *st, int rc, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    if (!o->sql_group)
        return rc < 0 ? rc : rt__store_missing(o, "sql_group", err);
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
