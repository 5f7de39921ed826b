/*
 * The reports' read of a state's recommendations (rt_report_recs, src/store/report_read.c):
 * counts by response, cycle and taxonomy area, implementation status and repeats, as of
 * a date, in two statements, the second returning a JSON document. Written once in the
 * primitives of src/store/doc_sql.h, which each dialect's json_sql.h defines before it
 * includes this header; the back ends instantiate the statements
 * (src/store/sqlite/report_read.c, src/store/pg/report_read.c).
 *
 * Beyond doc_sql.h's, these use: THEME_MATCH; JGROUP(col, filter), the JSON array of col
 * over the rows (filter: "" or " FILTER (WHERE ...)"), [] for none; JSON_IDS(p), the
 * ids of the JSON array p as rows of a column value; JARR, the function that makes an
 * array of its arguments; STRPOS, SQLite's instr; and
 * BYTEWISE, the collation that orders text as bytes (SQLite's BINARY).
 */
#ifndef RT_STORE_REPORT_SQL_H
#define RT_STORE_REPORT_SQL_H

/* The two statements in each back end's dialect: which 0 REPORT_IDS_SQL, 1
 * REPORT_RECS_SQL, made once by rt__report_sql_params. */
const char *rt__sqlite_report_sql(int which);
const char *rt__pg_report_sql(int which);

/*
 * src with its ?9 (the as-of date, doc_sql.h's) made ?N, for sql.h binds its
 * arguments in order and PostgreSQL refuses a parameter no statement uses; with cast,
 * each parameter outside quotes is written CAST(?N AS type), PostgreSQL being unable to
 * tell the type of one first met in "?9 IS NULL": ?1 bigint, ?3 and ?4 json when N is 5
 * (the arrays of ids), the others text. A new string (rt_free).
 */
char *rt__report_sql_params(const char *src, char n, int cast);

/*
 * src with each ?N outside quotes written CAST(?N AS type), by types[N - 1]: 't' text,
 * 'i' bigint, 'j' json (PostgreSQL's statements of lookup_sql.h). A new string
 * (rt_free).
 */
char *rt__sql_typed(const char *src, const char *types);

#ifdef JOBJ
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
#define IN_RECS(y) " AND " y ".id IN (" JSON_IDS("?3") ")"

/*
 * ?1 the state's id, ?2 the theme or NULL, ?9 the as-of date or NULL: an array of two
 * arrays, the ids of recs, what the state had received by then (a recommendation of a session
 * whose date we do not know counts as received; an ODIHR one, by its report's date,
 * else its election's), and of sel, those of recs on the theme. Found once here, for
 * REPORT_RECS_SQL reads them many times, and SQLite computes a CTE again for every
 * subquery that names it (the theme match of every recommendation of the state, ten
 * times a report).
 */
#define REPORT_IDS_SQL                                                                         \
    "WITH recs AS (SELECT r.id FROM recommendation r"                                          \
    " LEFT JOIN upr_session u ON u.session = r.session"                                        \
    " LEFT JOIN recommendation_election e ON e.rec_id = r.id WHERE r.sur_id = ?1"              \
    " AND (?9 IS NULL OR u.date IS NULL OR u.date <= ?9)"                                      \
    " AND (?9 IS NULL OR e.rec_id IS NULL OR coalesce(e.report_date, e.election_date) <= ?9))" \
    " SELECT " JARR "(" JGROUP("recs.id", "") ", " JGROUP("recs.id", " FILTER (WHERE ?2 IS NULL" \
    " OR " THEME_MATCH("recs.id", "?2") ")") ") FROM recs"

/*
 * ?1 the state's id, ?2 the theme or NULL, ?3 and ?4 the ids of recs and sel
 * (REPORT_IDS_SQL), ?9 the as-of date or NULL. latest: sel's latest status.
 */
#define REPORT_RECS_SQL                                                                        \
    "WITH sel AS (SELECT r.id, r.cycle, r.session, r.response, r.text FROM recommendation r"   \
    " WHERE r.id IN (" JSON_IDS("?4") ")),"                                                    \
    " latest AS (SELECT sel.id, (SELECT a.status FROM assessment a"                            \
    " WHERE a.target_kind = 'recommendation' AND a.target_id = sel.id AND " AS_OF("a.as_of")   \
    " AND " NOT_REPLACED("a") " ORDER BY a.as_of DESC, a.id DESC LIMIT 1) AS status FROM sel)" \
    " SELECT " JOBJ "('state', (SELECT code FROM state WHERE id = ?1), 'theme', ?2,"           \
    " 'as_of', ?9,"                                                                            \
    " 'total', c.total, 'supported', c.supported, 'noted', c.noted, 'pledge', c.pledge,"       \
    " 'by_cycle', " ARRAY("SELECT " JOBJ "('cycle', s.cycle, " RESPONSES("s") ") j"             \
                          " FROM sel s GROUP BY s.cycle ORDER BY s.cycle")                     \
    /* A recommendation counts once in an area however many of its themes are in it. */     \
    ", 'areas', " ARRAY("SELECT " JOBJ "('area', a.code, 'label', a.label, " RESPONSES("x")    \
                        ") j FROM (SELECT DISTINCT m.area, s.id, s.response FROM sel s"        \
                        " JOIN recommendation_theme rt ON rt.rec_id = s.id"                    \
                        " JOIN theme t ON t.id = rt.theme_id JOIN theme_area_label m"          \
                        " ON m.vocabulary = t.vocabulary AND m.label = t.label) x"             \
                        " JOIN theme_area a ON a.code = x.area GROUP BY a.code, a.label"       \
                        " ORDER BY count(*) DESC, a.code" BYTEWISE)                            \
    ", 'status', " ARRAY("SELECT " JOBJ "('status', coalesce(l.status, 'unassessed'),"         \
                         " 'count', count(*)) j FROM latest l"                                 \
                         " GROUP BY coalesce(l.status, 'unassessed') ORDER BY " STRPOS          \
                         "(',fully,mostly,partially,in-progress,not-started,regressed,unknown," \
                         "unassessed,', ',' || coalesce(l.status, 'unassessed') || ',')")      \
    ", 'assessed', " ARRAY("SELECT " JOBJ "('id', s.id, 'cycle', s.cycle, 'session',"          \
                           " s.session, 'response', s.response, 'text', s.text, 'assessment'," \
                           " " NEST(LATEST("recommendation", "s.id")) ") j FROM sel s"         \
                           " JOIN latest l ON l.id = s.id WHERE l.status IS NOT NULL"          \
                           " ORDER BY s.cycle, s.session, s.id")                               \
    /* The first-made of each set of repeats: made again later, and not itself a repeat   \
     * of one made in an earlier cycle. */                                                     \
    ", 'repeated', "                                                                           \
    ARRAY("SELECT " JOBJ "('id', x.id, 'cycle', x.cycle, 'session', x.session,"                \
          " 'response', x.response, 'text', x.text, 'again', "                                 \
          ARRAY("SELECT " JOBJ "('id', y.id, 'cycle', y.cycle, 'session', y.session,"          \
                " 'response', y.response, 'by', "                                              \
                IDS("SELECT st.name x FROM recommendation_by b JOIN state st"                  \
                    " ON st.id = b.state_id WHERE b.rec_id = y.id ORDER BY st.name" BYTEWISE)  \
                ") j FROM " REPEATS_OF("x") " o JOIN recommendation y ON y.id = o.o" IN_RECS("y") \
                " WHERE y.cycle > x.cycle ORDER BY y.cycle, y.session, y.id")                  \
          ") j FROM sel x WHERE EXISTS (SELECT 1 FROM " REPEATS_OF("x") " o"                   \
          " JOIN recommendation y ON y.id = o.o" IN_RECS("y") " WHERE y.cycle > x.cycle)"      \
          " AND NOT EXISTS (SELECT 1 FROM " REPEATS_OF("x") " o"                               \
          " JOIN recommendation z ON z.id = o.o" IN_RECS("z") " WHERE z.cycle < x.cycle)"      \
          " ORDER BY x.cycle, x.session, x.id")                                                \
    ") FROM (SELECT count(*) AS total,"                                                        \
    " count(CASE WHEN response = 'supported' THEN 1 END) AS supported,"                        \
    " count(CASE WHEN response = 'noted' THEN 1 END) AS noted,"                                \
    " count(CASE WHEN response = 'pledge' THEN 1 END) AS pledge FROM sel) c"
// clang-format on
#endif

#endif
