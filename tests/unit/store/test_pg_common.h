/* What the PostgreSQL unit tests share: a fresh database per test on the throwaway
 * cluster that tests/cli/t9020-pg-conn.sh starts (tests/lib/pg.sh) and names in
 * RT_TEST_PG. Run alone (make check's unit pass), they skip: the script runs them. */
#ifndef RT_TEST_PG_COMMON_H
#define RT_TEST_PG_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "store/pg/pg_int.h"

static inline const char *pg_base(void)
{
    const char *base = getenv("RT_TEST_PG");
    if (!base || !*base)
        cr_skip_test("no PostgreSQL cluster: tests/cli/t9020-pg-conn.sh runs these on one");
    return base;
}

static inline void pg_ok(int rc, const struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

/* A connection to a new, empty database called name (dropped first if there). */
static inline struct rt_pg *pg_fresh(const char *name)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *admin, *pg;
    char sql[256], info[1024];

    pg_ok(rt__pg_connect(pg_base(), &admin, &e), &e);
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
    pg_ok(rt__pg_run(admin, sql, &e), &e);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    pg_ok(rt__pg_run(admin, sql, &e), &e);
    rt__pg_close(admin);
    snprintf(info, sizeof(info), "%s dbname=%s", pg_base(), name);
    pg_ok(rt__pg_connect(info, &pg, &e), &e);
    return pg;
}

/* Another connection to the database of pg_fresh(name). */
static inline struct rt_pg *pg_other(const char *name)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg;
    char info[1024];

    snprintf(info, sizeof(info), "%s dbname=%s", pg_base(), name);
    pg_ok(rt__pg_connect(info, &pg, &e), &e);
    return pg;
}

/* The one value of a query without parameters, copied into a static buffer. */
static inline const char *pg_value(struct rt_pg *pg, const char *name, const char *sql)
{
    static char out[4096];
    struct rt_error e = RT_ERROR_INIT;
    PGresult *r = rt__pg_exec(pg, name, sql, 0, NULL, &e);

    cr_assert_not_null(r, "%s: %s", sql, e.msg.buf);
    cr_assert_eq(PQntuples(r), 1, "%s", sql);
    snprintf(out, sizeof(out), "%s", PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    PQclear(r);
    return out;
}

#endif
