/*
 * Private records (private.h) on PostgreSQL: the connection reads for the public
 * through temporary views, as SQLite's does (src/store/private.c has the views).
 *
 * PostgreSQL too looks a name up in the session's temporary schema (pg_temp) first,
 * unless search_path names pg_temp elsewhere. But each statement is prepared once per
 * connection (rt__pg_exec), and a prepared plan keeps the relations it found: a view
 * made after the statement was prepared is not seen, nor is a view's table after the
 * view is dropped. A change of search_path, though, makes PostgreSQL parse each
 * prepared statement again at its next use. So the views are made once per session,
 * at the first switch to the public, and left there; the reader is the search_path:
 * pg_temp first for the public, last for everybody (tests/unit/store/test_pg_private.c
 * checks a statement prepared before each switch).
 *
 * The views and the SET are undone by the rollback of a transaction open when they
 * were made (a web request reads in one): rt__pg_reader_ended makes them again. A
 * dropped connection's new session gets them from rt__pg_set_session.
 */
#include "base/compat.h"

#include "store/pg/pg_int.h"
#include "store/private_int.h"

void rt__pg_reader_release(struct rt__pg_reader *r)
{
    rt_free(r->path_all);
    rt_free(r->path_public);
    rt_free(r->views_sql);
    *r = (struct rt__pg_reader)RT__PG_READER_INIT;
}

/* The two search paths and the views' statements, from the session's search_path
 * and the schema that holds the tables. */
static int prepare(struct rt_pg *pg, struct rt__pg_reader *r, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    const char *path, *schema;
    PGresult *res;

    if (r->views_sql)
        return 0;
    if (!(res = rt__pg_exec(pg, "pg_reader_paths",
                            "SELECT current_setting('search_path'), (SELECT quote_ident(n.nspname)"
                            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " WHERE c.oid = to_regclass('private_record'))",
                            0, NULL, err)))
        return RT_ESTORE;
    path = PQgetvalue(res, 0, 0);
    schema = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);
    if (!schema || !*path) {
        PQclear(res);
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "private records: the database has no table private_record");
    }
    rt_buf_addf(&b, "%s, pg_temp", path);
    r->path_all = rt_buf_detach(&b, NULL);
    rt_buf_addf(&b, "pg_temp, %s", path);
    r->path_public = rt_buf_detach(&b, NULL);
    for (size_t i = 0; i < rt__private_n_shadowed; i++) {
        rt__private_view(&b, i, "CREATE OR REPLACE TEMP VIEW", schema);
        rt_buf_adds(&b, ";\n");
    }
    r->views_sql = rt_buf_detach(&b, NULL);
    PQclear(res);
    return 0;
}

int rt__pg_reader_set(struct rt_pg *pg, struct rt__pg_reader *r, int in_tx, enum rt_reader reader,
                      struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    if (reader == r->reader && !r->broken)
        return 0;
    if ((rc = prepare(pg, r, err)) < 0)
        return rc;
    if (reader == RT_READER_PUBLIC && !r->views)
        rt_buf_adds(&sql, r->views_sql);
    rt_buf_addf(&sql, "SET search_path = %s",
                reader == RT_READER_PUBLIC ? r->path_public : r->path_all);
    if ((rc = rt__pg_run(pg, sql.buf, err)) == 0) {
        if (in_tx && !r->dirty) {
            r->dirty = 1;
            r->before = r->reader;
            r->views_before = r->views;
        }
        if (reader == RT_READER_PUBLIC)
            r->views = 1;
        r->reader = reader;
        r->broken = 0;
        /* A new session has no views and the server's search_path: everybody's. */
        rt_buf_reset(&sql);
        if (reader == RT_READER_PUBLIC)
            rt_buf_addf(&sql, "%sSET search_path = %s", r->views_sql, r->path_public);
        rt__pg_set_session(pg, reader == RT_READER_PUBLIC ? sql.buf : NULL);
    }
    rt_buf_release(&sql);
    return rc;
}

void rt__pg_reader_ended(struct rt_pg *pg, struct rt__pg_reader *r, int committed)
{
    enum rt_reader want = r->reader;

    if (!r->dirty)
        return;
    r->dirty = 0;
    if (committed)
        return;
    /* The session is as it was before the transaction: put the reader back. */
    r->reader = r->before;
    r->views = r->views_before;
    if (rt__pg_reader_set(pg, r, 0, want, NULL) < 0 && want == RT_READER_PUBLIC) {
        /* Never more than was asked: a reader that cannot be put back reads nothing
         * until a new switch succeeds. */
        r->broken = 1;
        rt__pg_run(pg, "SET search_path = ''", NULL);
    }
}
