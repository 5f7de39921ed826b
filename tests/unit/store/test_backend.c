/* Tests of the store's back ends (src/store/store.c, backend.h): which back end a
 * database URL names, sqlite:PATH opening PATH, PostgreSQL refused clearly without
 * repeating a password, and every public operation reaching the SQLite table. */
#include <criterion/criterion.h>

#include <rightstrack/store.h>

#include "lib/testutil.h"
#include "store/backend.h"

static enum rt__store_kind kind(const char *url, const char **target)
{
    const char *t = NULL;
    enum rt__store_kind k = rt__store_kind(url, &t);
    if (target)
        *target = t;
    return k;
}

Test(backend, paths_are_sqlite)
{
    const char *t;

    cr_assert_eq(kind("rightstrack.db", &t), RT__STORE_SQLITE);
    cr_assert_str_eq(t, "rightstrack.db");
    cr_assert_eq(kind("/var/lib/rt/x.db", &t), RT__STORE_SQLITE);
    cr_assert_str_eq(t, "/var/lib/rt/x.db");
    cr_assert_eq(kind("sqlite:/tmp/a.db", &t), RT__STORE_SQLITE);
    cr_assert_str_eq(t, "/tmp/a.db");
    cr_assert_eq(kind("sqlite:rel.db", &t), RT__STORE_SQLITE);
    cr_assert_str_eq(t, "rel.db");
    /* A path with '=' whose start is no libpq keyword is still a path. */
    cr_assert_eq(kind("a=b.db", &t), RT__STORE_SQLITE);
    cr_assert_str_eq(t, "a=b.db");
    cr_assert_eq(kind("hosts=x.db", NULL), RT__STORE_SQLITE);
    cr_assert_eq(kind("", NULL), RT__STORE_SQLITE);
    /* Not a URL scheme of libpq's. */
    cr_assert_eq(kind("postgresql:x.db", NULL), RT__STORE_SQLITE);
}

Test(backend, postgresql_urls)
{
    const char *t;

    cr_assert_eq(kind("postgresql://u:pw@db.example/rt", &t), RT__STORE_POSTGRESQL);
    cr_assert_str_eq(t, "postgresql://u:pw@db.example/rt");
    cr_assert_eq(kind("postgres://localhost/rt", NULL), RT__STORE_POSTGRESQL);
    cr_assert_eq(kind("postgresql://", NULL), RT__STORE_POSTGRESQL);
    cr_assert_eq(kind("dbname=rt host=/tmp", NULL), RT__STORE_POSTGRESQL);
    cr_assert_eq(kind("  host = db1 port=5433", NULL), RT__STORE_POSTGRESQL);
    cr_assert_eq(kind("service=rightstrack", NULL), RT__STORE_POSTGRESQL);
}

Test(backend, postgresql_server_missing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = (struct rt_store *)&e; /* set to NULL by the failure */
    struct rt_store_check found;

    /* A server that is not there is a clear error, without the password. */
    cr_assert_eq(rt_store_open(&st, "host=/nonexistent dbname=rt password=s3cret connect_timeout=2",
                               0, &e),
                 RT_EUNAVAIL);
    cr_assert_null(st);
    cr_assert_gt(e.msg.len, 0);
    cr_assert_null(strstr(e.msg.buf, "s3cret"), "the password is repeated: %s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_eq(rt_store_check_file("postgres://h/rt", &found, &e), RT_ENOTSUP);
    rt_error_release(&e);
    cr_assert_eq(rt_store_restore("postgres://h/rt", "/nonexistent", &found, &e), RT_ENOTSUP);
    cr_assert_not_null(strstr(e.msg.buf, "restore copies SQLite files"), "%s", e.msg.buf);
    cr_assert_not_null(strstr(e.msg.buf, "pg_dump"), "%s", e.msg.buf);
    rt_error_release(&e);
}

Test(backend, sqlite_prefix_opens_the_path)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_store_check found;
    char url[300], path[280];
    uint64_t v = 0;

    snprintf(path, sizeof(path), "%s/p.db", test_dir());
    snprintf(url, sizeof(url), "sqlite:%s", path);
    cr_assert_eq(rt_store_open(&st, url, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
    cr_assert_gt(rt_store_schema_version(st), 0);
    cr_assert_eq(rt_store_version(st, &v, &e), 0);
    cr_assert_eq(rt_store_begin(st, &e), 0);
    rt_store_rollback(st);
    rt_store_close(st);
    cr_assert_eq(access(path, F_OK), 0, "sqlite:PATH did not create PATH");
    cr_assert_neq(access(url, F_OK), 0, "a file named after the URL was made");
    cr_assert_eq(rt_store_check_file(url, &found, &e), 0, "%s", e.msg.buf);
    cr_assert_gt(found.schema_version, 0);
    rt_store_close(NULL);
}

/* Every member of the SQLite table is filled: a public function never finds a hole. */
Test(backend, sqlite_table_complete)
{
    const void *const *m = (const void *const *)(const void *)&rt__sqlite_ops;
    size_t n = sizeof(rt__sqlite_ops) / sizeof(void *);

    cr_assert_str_eq(rt__sqlite_ops.name, "SQLite");
    for (size_t i = 1; i < n; i++)
        cr_assert_not_null(m[i], "member %zu of rt__sqlite_ops is NULL", i);
}
