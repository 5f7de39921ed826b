/*
 * The store a unit test writes to, on the store of the run (issue 16: the whole suite
 * on both stores). make check runs the unit tests on SQLite; tests/run.sh's PostgreSQL
 * pass (make check-pg) runs again the binaries whose source includes this header, with
 * RT_TEST_STORE=postgresql and RT_TEST_PG naming the run's throwaway cluster.
 *   test_store(name)    the target of store `name`: a file in the test's scratch
 *                       directory, or a new database on the cluster (made at the first
 *                       call of the name in the test; the same target after), as
 *                       `rightstrack init` leaves it: with the states, as a new SQLite
 *                       file has them from its first migration
 *   test_on_sqlite(why) skips the rest of a test in the PostgreSQL pass, saying why:
 *                       for what only SQLite has (its file, its own SQL through st->db)
 *   test_is_pg()        whether this is the PostgreSQL pass
 */
#ifndef RT_TEST_STORE_H
#define RT_TEST_STORE_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rightstrack/store.h>

#include "lib/testutil.h"
#include "store/pg/pg_int.h"

static inline int test_is_pg(void)
{
    const char *s = getenv("RT_TEST_STORE");
    return s && !strcmp(s, "postgresql");
}

static inline void test_on_sqlite(const char *why)
{
    if (test_is_pg())
        cr_skip_test("SQLite only: %s", why);
}

static inline const char *test_store(const char *name)
{
    static char targets[8][512], names[8][64];
    static int n;
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *admin;
    const char *base = getenv("RT_TEST_PG");
    char db[96], sql[160];
    size_t k = 0;

    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return targets[i];
    cr_assert_lt(n, 8, "test_store: more than 8 stores in one test");
    snprintf(names[n], sizeof(names[n]), "%s", name);
    if (!test_is_pg()) {
        snprintf(targets[n], sizeof(targets[n]), "%s/%s.db", test_dir(), name);
        return targets[n++];
    }
    cr_assert(base && *base,
              "RT_TEST_STORE=postgresql without RT_TEST_PG (tests/run.sh sets both)");
    /* Criterion runs each test in a process of its own: the id keeps tests that run at
     * once apart, the name a test's stores. */
    k = (size_t)snprintf(db, sizeof(db), "rt_unit_%ld_", (long)getpid());
    for (const char *p = name; *p && k + 1 < sizeof(db); p++)
        db[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    db[k] = '\0';
    cr_assert_eq(rt__pg_connect(base, &admin, &e), 0, "%s", e.msg.buf);
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
    cr_assert_eq(rt__pg_run(admin, sql, &e), 0, "%s", e.msg.buf);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
    cr_assert_eq(rt__pg_run(admin, sql, &e), 0, "%s", e.msg.buf);
    rt__pg_close(admin);
    rt_error_release(&e);
    snprintf(targets[n], sizeof(targets[n]), "%s dbname=%s", base, db);
    {
        struct rt_store *st = NULL;
        cr_assert_eq(rt_store_open(&st, targets[n], RT_STORE_CREATE | RT_STORE_INIT, &e), 0, "%s",
                     e.msg.buf);
        rt_store_close(st);
    }
    return targets[n++];
}

#endif
