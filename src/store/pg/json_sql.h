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

/*
 * Object obj with "private": true added at its end when record kind:id is private, as
 * SQLite's json_patch adds it: json has no operator that adds a key and keeps the
 * order, so the mark is written into the object's text before its closing brace.
 */
#define MARKED(kind, id, obj)                                                                      \
    "(SELECT CASE WHEN EXISTS (SELECT 1 FROM private_record pv WHERE pv.kind = '" kind             \
    "' AND pv.id = " id ") THEN (left(mk.o::text, -1) || ', \"private\" : true}')::json"           \
    " ELSE mk.o END FROM (SELECT " obj " AS o) mk)"

#include "store/doc_sql.h"

#endif
