/*
 * The reports' read of a state's recommendations (rt_report_recs): counts by
 * response, cycle and taxonomy area, implementation status and repeats, as of a date,
 * in two SQL statements, the second returning a JSON document (see json_sql.h); and the check
 * of a theme filter that searches and reports share (rt_store_theme_check).
 */
#include "base/compat.h"

#include <string.h>

#include <rightstrack/ledger.h>
#include <rightstrack/report.h>

#include "store/sqlite/json_sql.h"
#include "store/sqlite/sqlite_int.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

/* The SQL below is laid out as SQL, in macros clang-format cannot keep. */
// clang-format off
/* Counts of the rows of x, one a recommendation, by response, as JSON object members. */
#define RESPONSES(x)                                                                           \
    "'total', count(*), 'supported', count(CASE WHEN " x ".response = 'supported' THEN 1 END)," \
    " 'noted', count(CASE WHEN " x ".response = 'noted' THEN 1 END), 'pledge', count(CASE"    \
    " WHEN " x ".response = 'pledge' THEN 1 END)"

/* The other recommendation of a stored repeat pair of x.id. */
#define REPEATS_OF(x)                                                                          \
    "(SELECT p.b AS o FROM repeat_pair p WHERE p.a = " x ".id UNION ALL"                       \
    " SELECT p.a FROM repeat_pair p WHERE p.b = " x ".id)"

/* Recommendation y is one of recs (?3, the ids as a JSON array). */
#define IN_RECS(y) " AND " y ".id IN (SELECT value FROM json_each(?3))"

/*
 * ?1 the state's id, ?2 the theme or NULL, ?9 the as-of date or NULL: the ids, as JSON
 * arrays, of recs, what the state had received by then (a recommendation of a session
 * whose date we do not know counts as received; an ODIHR one, by its report's date,
 * else its election's), and of sel, those of recs on the theme. Found once here, for
 * recs_sql reads them many times, and SQLite computes a CTE again for every subquery
 * that names it (the theme match of every recommendation of the state, ten times a
 * report).
 */
static const char recs_ids_sql[] =
    "WITH recs AS (SELECT r.id FROM recommendation r"
    " LEFT JOIN upr_session u ON u.session = r.session"
    " LEFT JOIN recommendation_election e ON e.rec_id = r.id WHERE r.sur_id = ?1"
    " AND (?9 IS NULL OR u.date IS NULL OR u.date <= ?9)"
    " AND (?9 IS NULL OR e.rec_id IS NULL OR coalesce(e.report_date, e.election_date) <= ?9))"
    " SELECT json_group_array(recs.id), json_group_array(recs.id) FILTER (WHERE ?2 IS NULL OR "
    THEME_MATCH("recs.id", "?2") ") FROM recs";

/*
 * ?1 the state's id, ?2 the theme or NULL, ?3 and ?4 the ids of recs and sel
 * (recs_ids_sql), ?9 the as-of date or NULL. latest: sel's latest status.
 */
static const char recs_sql[] =
    "WITH sel AS (SELECT r.id, r.cycle, r.session, r.response, r.text FROM recommendation r"
    " WHERE r.id IN (SELECT value FROM json_each(?4))),"
    " latest AS (SELECT sel.id, (SELECT a.status FROM assessment a"
    " WHERE a.target_kind = 'recommendation' AND a.target_id = sel.id AND " AS_OF("a.as_of")
    " AND " NOT_REPLACED("a") " ORDER BY a.as_of DESC, a.id DESC LIMIT 1) AS status FROM sel)"
    " SELECT json_object('state', (SELECT code FROM state WHERE id = ?1), 'theme', ?2,"
    " 'as_of', ?9,"
    " 'total', c.total, 'supported', c.supported, 'noted', c.noted, 'pledge', c.pledge,"
    " 'by_cycle', " ARRAY("SELECT json_object('cycle', s.cycle, " RESPONSES("s") ") j"
                          " FROM sel s GROUP BY s.cycle ORDER BY s.cycle")
    /* A recommendation counts once in an area however many of its themes are in it. */
    ", 'areas', " ARRAY("SELECT json_object('area', a.code, 'label', a.label, " RESPONSES("x")
                        ") j FROM (SELECT DISTINCT m.area, s.id, s.response FROM sel s"
                        " JOIN recommendation_theme rt ON rt.rec_id = s.id"
                        " JOIN theme t ON t.id = rt.theme_id JOIN theme_area_label m"
                        " ON m.vocabulary = t.vocabulary AND m.label = t.label) x"
                        " JOIN theme_area a ON a.code = x.area GROUP BY a.code"
                        " ORDER BY count(*) DESC, a.code")
    ", 'status', " ARRAY("SELECT json_object('status', coalesce(l.status, 'unassessed'),"
                         " 'count', count(*)) j FROM latest l GROUP BY coalesce(l.status, 'unassessed') ORDER BY"
                         " instr(',fully,mostly,partially,in-progress,not-started,regressed,unknown,"
                         "unassessed,', ',' || coalesce(l.status, 'unassessed') || ',')")
    ", 'assessed', " ARRAY("SELECT json_object('id', s.id, 'cycle', s.cycle, 'session',"
                           " s.session, 'response', s.response, 'text', s.text, 'assessment',"
                           " json(" LATEST("recommendation", "s.id") ")) j FROM sel s"
                           " JOIN latest l ON l.id = s.id WHERE l.status IS NOT NULL"
                           " ORDER BY s.cycle, s.session, s.id")
    /* The first-made of each set of repeats: made again later, and not itself a repeat
     * of one made in an earlier cycle. */
    ", 'repeated', "
    ARRAY("SELECT json_object('id', x.id, 'cycle', x.cycle, 'session', x.session,"
          " 'response', x.response, 'text', x.text, 'again', "
          ARRAY("SELECT json_object('id', y.id, 'cycle', y.cycle, 'session', y.session,"
                " 'response', y.response, 'by', "
                IDS("SELECT st.name x FROM recommendation_by b JOIN state st"
                    " ON st.id = b.state_id WHERE b.rec_id = y.id ORDER BY st.name")
                ") j FROM " REPEATS_OF("x") " o JOIN recommendation y ON y.id = o.o" IN_RECS("y")
                " WHERE y.cycle > x.cycle ORDER BY y.cycle, y.session, y.id")
          ") j FROM sel x WHERE EXISTS (SELECT 1 FROM " REPEATS_OF("x") " o"
          " JOIN recommendation y ON y.id = o.o" IN_RECS("y") " WHERE y.cycle > x.cycle)"
          " AND NOT EXISTS (SELECT 1 FROM " REPEATS_OF("x") " o"
          " JOIN recommendation z ON z.id = o.o" IN_RECS("z") " WHERE z.cycle < x.cycle)"
          " ORDER BY x.cycle, x.session, x.id")
    ") FROM (SELECT count(*) AS total,"
    " count(CASE WHEN response = 'supported' THEN 1 END) AS supported,"
    " count(CASE WHEN response = 'noted' THEN 1 END) AS noted,"
    " count(CASE WHEN response = 'pledge' THEN 1 END) AS pledge FROM sel) c";

// clang-format on
int rt_report_prepare(struct rt_store *st, struct rt_error *err)
{
    /* Nothing to prepare where the reports are not yet: they say so when asked (the
     * web face calls this before it serves, on every store). */
    if (!rt__store_is(st, &rt__sqlite_ops))
        return 0;
    int fresh = 0;

    if (rt_store_repeats_fresh(st, &fresh, err) < 0)
        return RT_ESTORE;
    /* A read-only store, or one inside a transaction (a web request reads in one),
     * reports the repeats it has. */
    if (!fresh && !sqlite3_db_readonly(st->db, "main") && sqlite3_get_autocommit(st->db) &&
        rt_store_repeats_compute(st, NULL, NULL, err) < 0)
        return RT_ESTORE;
    return 0;
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

int rt_report_recs(struct rt_store *st, const char *state, const char *theme, const char *as_of,
                   json_t **out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "reports", err) < 0)
        return RT_ESTORE;
    int64_t state_id = 0;
    sqlite3_stmt *s;
    char *ids[2] = {NULL, NULL};
    int rc, i;

    *out = NULL;
    if (!state || !*state)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "state", "no state given");
    if (rt_store_state_find(st, state, strlen(state), &state_id, err) < 0)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "state", "no state is called '%s'", state);
    /* The ids first, then the document that reads them: both statements from the
     * connection's cache (stmt.c), for they are long. */
    if ((rc = rt__document_stmt(st, recs_ids_sql, state_id, theme, as_of, &s, err)) < 0)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        for (i = 0; i < 2; i++)
            ids[i] = rt_xstrdup(sqlite3_column_text(s, i) ? (const char *)sqlite3_column_text(s, i)
                                                          : "[]");
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) {
        rc = rt__db_error(st, err, "state");
        goto out;
    }
    if ((rc = rt__document_stmt(st, recs_sql, state_id, theme, as_of, &s, err)) < 0)
        goto out;
    sqlite3_bind_text(s, 3, ids[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ids[1], -1, SQLITE_STATIC);
    rc = rt__document_run(st, s, state_id, "state", out, err);
out:
    rt_free(ids[0]);
    rt_free(ids[1]);
    return rc;
}
