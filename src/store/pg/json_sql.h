/*
 * The JSON primitives of src/store/doc_sql.h in PostgreSQL's words, for the documents
 * of src/store/ledger_sql.h (ledger_read.c). Every value is of type json (never jsonb,
 * which would sort an object's keys), so an object keeps its keys in the order given
 * and a sub-select's document nests as it is. json_agg of no rows is NULL, hence the
 * coalesce to an empty array. json_agg takes the rows in the order of its ordered
 * sub-select: a plain aggregate over one sorted input, with no parallel workers
 * (conn.c turns them off), keeps that order.
 */
#ifndef RT_PG_JSON_SQL_H
#define RT_PG_JSON_SQL_H

#define JOBJ "json_build_object"
#define NEST(x) "(" x ")"
#define JFIELD(x, key) "(" x ") -> '" key "'"
#define ARRAY(select) "(SELECT coalesce(json_agg(j), '[]') FROM (" select ") ja)"
#define IDS(select) "(SELECT coalesce(json_agg(x), '[]') FROM (" select ") ja)"

/* The primitives of src/store/report_sql.h. */
#define JGROUP(col, filter) "coalesce(json_agg(" col ")" filter ", '[]')"
#define JSON_IDS(p) "SELECT value::bigint FROM json_array_elements_text(" p ")"
#define JARR "json_build_array"
#define STRPOS "strpos"
/* A JSON true or false: whether cond holds (lookup_sql.h). */
#define JBOOL(cond) "(" cond ")"
#define BYTEWISE " COLLATE \"C\""

/*
 * Object obj with "private": true added at its end when record kind:id is private, as
 * SQLite's json_patch adds it: json has no operator that adds a key and keeps the
 * order, so the mark is written into the object's text before its closing brace.
 */
#define MARKED(kind, id, obj)                                                                      \
    "(SELECT CASE WHEN EXISTS (SELECT 1 FROM private_record pv WHERE pv.kind = '" kind             \
    "' AND pv.id = " id ") THEN (left(mk.o::text, -1) || ', \"private\" : true}')::json"           \
    " ELSE mk.o END FROM (SELECT " obj " AS o) mk)"

/*
 * The theme match of searches and reports (src/store/sqlite/json_sql.h's) in
 * PostgreSQL's words: NOCASE becomes lower(), instr strpos, and the label's words are
 * cut as rt_theme_words cuts them (lower() with , ' - & / . made spaces). theme is an
 * SQL expression (a parameter).
 */
#define THEME_WORDS(col)                                                                           \
    "(' ' || replace(replace(replace(replace(replace(replace(lower(" col                           \
    " COLLATE \"C\"), ',', ' '), '''',"                                                            \
    " ' '), '-', ' '), '&', ' '), '/', ' '), '.', ' ') || ' ')"
#define THEME_WORD_IN(col, theme)                                                                  \
    "strpos(" THEME_WORDS(col) ", ' ' || trim(lower(" theme ")) || ' ') > 0"
/* clang-format off */
#define THEME_IDS(theme)                                                                           \
    "SELECT t.id FROM theme t WHERE lower(t.label) = lower(" theme ") OR lower(t.code) = lower("  \
    theme ") OR " THEME_WORD_IN("t.label", theme) " OR EXISTS (SELECT 1 FROM theme_area_label m"   \
    " WHERE m.vocabulary = t.vocabulary AND m.label = t.label AND m.area IN (SELECT a.code"       \
    " FROM theme_area a WHERE a.code = " theme " OR lower(a.label) = lower(" theme ") OR "        \
    THEME_WORD_IN("a.label", theme) " UNION SELECT m2.area FROM theme_area_label m2"              \
    " WHERE lower(m2.label) = lower(" theme ") OR " THEME_WORD_IN("m2.label", theme) "))"
/* clang-format on */
#define THEME_MATCH(rec, theme)                                                                    \
    "EXISTS (SELECT 1 FROM recommendation_theme rt WHERE rt.rec_id = " rec                         \
    " AND rt.theme_id IN (" THEME_IDS(theme) "))"

#include "store/doc_sql.h"

#endif
