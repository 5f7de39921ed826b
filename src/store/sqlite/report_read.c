/*
 * The reports on SQLite: the statements of src/store/report_sql.h in SQLite's words
 * (src/store/report_read.c runs them), whether a write may begin now (the reports
 * recompute stale repeats only then), and the check of a theme filter that searches and
 * reports share (rt_store_theme_check).
 */
#include "base/compat.h"

#include <pthread.h>
#include <string.h>

#include "store/sqlite/json_sql.h"
#include "store/report_sql.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

static char *numbered[2];
static pthread_once_t numbered_once = PTHREAD_ONCE_INIT;

static void make_numbered(void)
{
    numbered[0] = rt__report_sql_params(REPORT_IDS_SQL, '3', 0);
    numbered[1] = rt__report_sql_params(REPORT_RECS_SQL, '5', 0);
}

const char *rt__sqlite_report_sql(int which)
{
    pthread_once(&numbered_once, make_numbered);
    return numbered[which ? 1 : 0];
}

int rt__sqlite_may_write(struct rt_store *st)
{
    /* A read-only store, or one inside a transaction (a web request reads in one),
     * does not write. */
    return !sqlite3_db_readonly(st->db, "main") && sqlite3_get_autocommit(st->db);
}

int rt__sqlite_theme_check(struct rt_store *st, const char *theme, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    struct rt_buf close = RT_BUF_INIT;
    int rc, n = 0;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT EXISTS (" THEME_IDS(
                               "?1") ") OR EXISTS (SELECT 1 FROM"
                                     " theme_area a WHERE a.code = ?1 OR a.label = ?1 COLLATE "
                                     "NOCASE OR " THEME_WORD_IN("a.label", "?1") ")",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, theme, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_int(s, 0)) {
        sqlite3_finalize(s);
        return 0;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW)
        return rt__db_error(st, err, "theme");
    /* Labels with a word that begins with its first three letters, shortest first. */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT DISTINCT l FROM (SELECT label l FROM theme_area UNION"
                           " SELECT label FROM theme) WHERE instr(" THEME_WORDS(
                               "l") ", ' ' || lower(substr(trim(?1), 1, 3))) > 0"
                                    " ORDER BY length(l), l LIMIT 5",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, theme, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW)
        rt_buf_addf(&close, "%s'%s'", n++ ? ", " : "", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    rc = rt_error_set(err, RT_EINVAL, NULL, 0, "theme", "no theme matches '%s'%s%s", theme,
                      n ? "; close: " : " ('rightstrack themes areas' lists the areas)", close.buf);
    rt_buf_release(&close);
    return rc;
}
