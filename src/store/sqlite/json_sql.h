/*
 * SQL shared by the store's reads: the theme match of searches and reports, and the
 * pieces of reads that return JSON documents built by one SQL statement with
 * SQLite's JSON functions (ledger_read.c, report_read.c). In those statements ?9
 * is the as-of date (NULL: no limit); dates compare as text, so a date of month or
 * year precision counts from its first day ("2016" <= "2016-05-03").
 */
#ifndef RT_SQLITE_JSON_SQL_H
#define RT_SQLITE_JSON_SQL_H

#include <jansson.h>

#include <rightstrack/rt.h>

struct rt_store;
struct sqlite3_stmt;

#define AS_OF(col) "(?9 IS NULL OR " col " <= ?9)"
/* Record alias a stands as of ?9: not withdrawn, or withdrawn after ?9 (schema 12; one
 * withdrawn without a date, or any withdrawn one when ?9 is NULL, does not). */
#define LIVE(a) "(" a ".withdrawn IS NULL OR " a ".withdrawn_on > ?9)"
/* Assessment alias a is not replaced by a correction. */
#define NOT_REPLACED(a) "NOT EXISTS (SELECT 1 FROM assessment ax WHERE ax.replaces = " a ".id)"
#define PRECISION(col) "CASE length(" col ") WHEN 10 THEN 'day' WHEN 7 THEN 'month' ELSE 'year' END"
#define ARRAY(select) "json((SELECT json_group_array(json(j)) FROM (" select ")))"
#define IDS(select) "json((SELECT json_group_array(x) FROM (" select ")))"

/*
 * Object obj (a JSON expression) of record kind:id, with "private": true when the
 * record is private (private.h). A reader who may not see private records reads an
 * empty private_record, so their documents never carry the mark.
 */
#define MARKED(kind, id, obj)                                                                      \
    "json_patch(" obj ", CASE WHEN EXISTS (SELECT 1 FROM private_record pv WHERE pv.kind = '" kind \
    "' AND pv.id = " id ") THEN '{\"private\":true}' ELSE '{}' END)"

/* The words of a label col, lowercased, between spaces: " women s rights " (the SQL
 * function rt_theme_words, read.c: lower() with , ' - & / . made spaces). */
#define THEME_WORDS(col) "rt_theme_words(" col ")"

/* Does label col contain theme (an SQL parameter) as a word or words? */
#define THEME_WORD_IN(col, theme)                                                                  \
    "instr(" THEME_WORDS(col) ", ' ' || trim(lower(" theme ")) || ' ') > 0"

/*
 * The ids of the themes (any vocabulary) that theme (an SQL parameter) names: a label
 * or code, a label that has theme as a word ("death" for "Death penalty"), or any
 * label that shares a taxonomy area with one of those; theme may also name an area by
 * its code, its label or a word of its label (docs/themes.md, "Taxonomy").
 */
/* clang-format off */
#define THEME_IDS(theme)                                                                           \
    "SELECT t.id FROM theme t WHERE t.label = " theme " COLLATE NOCASE"                            \
    " OR t.code = " theme " COLLATE NOCASE OR " THEME_WORD_IN("t.label", theme)                    \
    " OR EXISTS (SELECT 1 FROM theme_area_label m WHERE m.vocabulary = t.vocabulary"               \
    " AND m.label = t.label AND m.area IN (SELECT a.code FROM theme_area a WHERE a.code = " theme  \
    " OR a.label = " theme " COLLATE NOCASE OR " THEME_WORD_IN("a.label", theme)                   \
    " UNION SELECT m2.area FROM theme_area_label m2 WHERE m2.label = " theme " COLLATE NOCASE"     \
    " OR " THEME_WORD_IN("m2.label", theme) "))"
/* clang-format on */

/* Recommendation rec has a theme that theme (an SQL parameter) names (THEME_IDS). */
#define THEME_MATCH(rec, theme)                                                                    \
    "EXISTS (SELECT 1 FROM recommendation_theme rt WHERE rt.rec_id = " rec                         \
    " AND rt.theme_id IN (" THEME_IDS(theme) "))"

/* The latest assessment of (kind, id) as of ?9 that no correction replaces, or NULL. */
#define LATEST(kind, id)                                                                           \
    "(SELECT json_object('status', a.status, 'as_of', a.as_of, 'evidence', a.evidence,"            \
    " 'source', a.source, 'assessor', a.assessor) FROM assessment a"                               \
    " WHERE a.target_kind = '" kind "' AND a.target_id = " id " AND " AS_OF(                       \
        "a.as_of") " AND " NOT_REPLACED("a") " ORDER BY a.as_of DESC, a.id DESC LIMIT 1)"

/*
 * Runs sql, binding ?1 = id and ?9 = as_of (checked as a date when not NULL), and
 * parses the one JSON value it returns into *out. RT_ENOTFOUND naming what when it
 * returns no row or NULL.
 */
int rt__document(struct rt_store *st, const char *sql, int64_t id, const char *as_of,
                 const char *what, json_t **out, struct rt_error *err);
/*
 * rt__document in two halves, for a statement with more parameters: *s is sql from the
 * connection's cache with ?1 = id, ?2 = text and ?9 = as_of bound (text and as_of when
 * not NULL; as_of checked as a date), for the caller to bind the rest; 0, or a negative
 * RT_E* with err set and *s NULL. rt__document_run steps s, parses its one JSON value
 * into *out as rt__document does (what and id name a missing row) and resets s.
 */
int rt__document_stmt(struct rt_store *st, const char *sql, int64_t id, const char *text,
                      const char *as_of, struct sqlite3_stmt **s, struct rt_error *err);
int rt__document_run(struct rt_store *st, struct sqlite3_stmt *s, int64_t id, const char *what,
                     json_t **out, struct rt_error *err);

#endif
