/*
 * Private records (private.h) on SQLite: the connection reads for the public through
 * temporary views (src/store/private.c has them and the marks).
 *
 * A store reading for the public shadows each table of a kind that can be private
 * with a temporary view of the same name, without the rows marked private (and
 * without the links that lead to them): SQLite looks a name up in the connection's
 * temporary schema first, so every read of the store, whatever it counts or joins,
 * reads the views, and no read needs a condition of its own. The views belong to
 * this connection only; they are dropped when the store reads for everybody again,
 * so writes (which name the tables) meet the tables. The audit log is not shadowed
 * (the store seals its entries through it): rt_audit_log asks RT__PRIVATE_HIDDEN.
 */
#include "base/compat.h"

#include <rightstrack/private.h>

#include "store/private_int.h"
#include "store/sqlite/sqlite_int.h"

static int exec_sql(struct rt_store *st, const char *sql, struct rt_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "private records: %s",
                 msg ? msg : sqlite3_errmsg(st->db));
    sqlite3_free(msg);
    return RT_ESTORE;
}

/* Makes the views (those that exist already stay). */
static int views_make(struct rt_store *st, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < rt__private_n_shadowed; i++) {
        rt_buf_reset(&sql);
        rt__private_view(&sql, i, "CREATE TEMP VIEW IF NOT EXISTS", "main");
        rc = exec_sql(st, sql.buf, err);
    }
    rt_buf_release(&sql);
    return rc;
}

int rt__sqlite_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err)
{
    int rc = 0;

    if (reader == RT_READER_PUBLIC && st->hide_private != 1) {
        rc = views_make(st, err);
        /* Half made: the next switch to everybody drops what was made. */
        st->hide_private = rc == 0 ? 1 : 2;
    } else if (reader == RT_READER_ALL && st->hide_private) {
        struct rt_buf sql = RT_BUF_INIT;
        for (size_t i = 0; i < rt__private_n_shadowed; i++)
            rt_buf_addf(&sql, "DROP VIEW IF EXISTS temp.%s;", rt__private_shadowed[i]);
        if ((rc = exec_sql(st, sql.buf, err)) == 0)
            st->hide_private = 0;
        rt_buf_release(&sql);
    }
    return rc;
}

enum rt_reader rt__sqlite_reader(const struct rt_store *st)
{
    return st->hide_private ? RT_READER_PUBLIC : RT_READER_ALL;
}
