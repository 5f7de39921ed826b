/*
 * SQL shared by the store's reads: the theme match of searches and reports, and the
 * pieces of reads that return JSON documents built by one SQL statement with
 * SQLite's JSON functions (ledger_read.c, report_read.c): SQLite's dialect of
 * src/store/doc_sql.h (AS_OF, LIVE, LATEST, ... are there). In those statements ?9
 * is the as-of date (NULL: no limit).
 */
#ifndef RT_SQLITE_JSON_SQL_H
#define RT_SQLITE_JSON_SQL_H

#include <jansson.h>

#include <rightstrack/rt.h>

#include "store/doc_sql.h"

struct rt_store;
struct sqlite3_stmt;

/* The JSON primitives of src/store/doc_sql.h in SQLite's words: json() gives back its
 * JSON subtype to what a sub-select returns as text. */
#define JOBJ "json_object"
#define NEST(x) "json(" x ")"
#define JFIELD(x, key) "(" x ") ->> '" key "'"
#define ARRAY(select) "json((SELECT json_group_array(json(j)) FROM (" select ")))"
#define IDS(select) "json((SELECT json_group_array(x) FROM (" select ")))"

/* The primitives of src/store/report_sql.h. */
#define JGROUP(col, filter) "json_group_array(" col ")" filter
#define JSON_IDS(p) "SELECT value FROM json_each(" p ")"
#define JARR "json_array"
#define STRPOS "instr"
/* A JSON true or false: whether cond holds (lookup_sql.h). */
#define JBOOL(cond) "json(CASE WHEN " cond " THEN 'true' ELSE 'false' END)"
#define BYTEWISE ""

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
