/*
 * The tables that move between a SQLite file and PostgreSQL: the import's transfer
 * (import.c) and rt_store_copy's way back (move.c) list them the same way.
 */
#include "base/compat.h"

#include <string.h>

#include <sqlite3.h>

#include "base/alloc.h"
#include "store/pg/pg_int.h"

void rt__pg_tables_free(struct rt__pg_table *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < t[i].ncols; c++)
            rt_free(t[i].cols[c]);
        rt_free(t[i].cols);
        rt_free(t[i].name);
    }
    rt_free(t);
}

/* Whether db's table name holds a row. */
static int has_rows(sqlite3 *db, const char *name)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *c = NULL;
    int rows = 0;

    rt_buf_addf(&sql, "SELECT EXISTS (SELECT 1 FROM \"%s\")", name);
    if (sqlite3_prepare_v2(db, sql.buf, -1, &c, NULL) == SQLITE_OK && sqlite3_step(c) == SQLITE_ROW)
        rows = sqlite3_column_int(c, 0);
    sqlite3_finalize(c);
    rt_buf_release(&sql);
    return rows;
}

/* Adds t's columns, in db's order. */
static void columns(sqlite3 *db, struct rt__pg_table *t)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *c = NULL;
    size_t alloc = 0;

    rt_buf_addf(&sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid", t->name);
    if (sqlite3_prepare_v2(db, sql.buf, -1, &c, NULL) == SQLITE_OK)
        while (sqlite3_step(c) == SQLITE_ROW) {
            RT_ALLOC_GROW(t->cols, t->ncols + 1, alloc);
            t->cols[t->ncols++] = rt_xstrdup((const char *)sqlite3_column_text(c, 0));
        }
    sqlite3_finalize(c);
    rt_buf_release(&sql);
}

int rt__pg_tables(struct sqlite3 *db, struct rt_pg *pg, int with_rows, struct rt__pg_table **out,
                  size_t *out_n, struct rt_error *err)
{
    struct rt__pg_table *v = NULL;
    size_t n = 0, alloc = 0;
    sqlite3_stmt *q = NULL;
    int rc = 0;

    *out = NULL;
    *out_n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'recommendation_fts%'"
                           " AND name NOT IN ('meta', 'search_index', 'word') ORDER BY rootpage",
                           -1, &q, NULL) != SQLITE_OK)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the SQLite tables: %s",
                            sqlite3_errmsg(db));
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *v1[1] = {name};
        PGresult *r;
        int there;

        if (with_rows && !has_rows(db, name))
            continue;
        if (!(r = rt__pg_exec(pg, "pg_has_table", "SELECT to_regclass(quote_ident($1)) IS NOT NULL",
                              1, v1, err))) {
            rc = RT_ESTORE;
            break;
        }
        there = !strcmp(PQgetvalue(r, 0, 0), "t");
        PQclear(r);
        if (!there)
            continue;
        RT_ALLOC_GROW(v, n + 1, alloc);
        memset(&v[n], 0, sizeof(v[n]));
        v[n].name = rt_xstrdup(name);
        columns(db, &v[n++]);
    }
    sqlite3_finalize(q);
    if (rc < 0) {
        rt__pg_tables_free(v, n);
        return rc;
    }
    *out = v;
    *out_n = n;
    return 0;
}
