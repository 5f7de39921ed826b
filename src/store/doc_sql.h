/*
 * The SQL of the documents that both back ends build in SQL (the dialogue ledger's
 * reads, src/store/ledger_sql.h), in words both dialects share. A back end's dialect
 * header defines the JSON primitives first and then includes this one: SQLite's
 * src/store/sqlite/json_sql.h, PostgreSQL's src/store/pg/json_sql.h.
 *
 * The primitives each dialect defines:
 *   JOBJ                 the function that makes an object of key, value pairs, keys
 *                        kept in the order given (json_object, json_build_object)
 *   ARRAY(select)        the JSON array of the column j of select's rows, in order
 *   IDS(select)          the JSON array of the column x of select's rows, in order
 *   NEST(x)              x, a JSON value from a sub-select, as a JSON value in an object
 *   JFIELD(x, key)       field key of the JSON object x, as a JSON value in an object
 *   MARKED(kind, id, obj) obj with "private": true at its end when record kind:id is
 *                        private (private.h)
 *
 * Parameters are written ?1 (an id), ?2 (a text) and ?9 (the as-of date, NULL: no
 * limit), as SQLite writes them; the PostgreSQL back end renumbers them ($1, $2, ...)
 * when it first prepares a statement. Dates compare as text, so a date of month or
 * year precision counts from its first day ("2016" <= "2016-05-03").
 */
#ifndef RT_STORE_DOC_SQL_H
#define RT_STORE_DOC_SQL_H

#define AS_OF(col) "(?9 IS NULL OR " col " <= ?9)"
/* Record alias a stands as of ?9: not withdrawn, or withdrawn after ?9 (schema 12; one
 * withdrawn without a date, or any withdrawn one when ?9 is NULL, does not). */
#define LIVE(a) "(" a ".withdrawn IS NULL OR " a ".withdrawn_on > ?9)"
/* Assessment alias a is not replaced by a correction. */
#define NOT_REPLACED(a) "NOT EXISTS (SELECT 1 FROM assessment ax WHERE ax.replaces = " a ".id)"
#define PRECISION(col) "CASE length(" col ") WHEN 10 THEN 'day' WHEN 7 THEN 'month' ELSE 'year' END"

/* The latest assessment of (kind, id) as of ?9 that no correction replaces, or NULL. */
#define LATEST(kind, id)                                                                           \
    "(SELECT " JOBJ "('status', a.status, 'as_of', a.as_of, 'evidence', a.evidence,"               \
    " 'source', a.source, 'assessor', a.assessor) FROM assessment a"                               \
    " WHERE a.target_kind = '" kind "' AND a.target_id = " id " AND " AS_OF(                       \
        "a.as_of") " AND " NOT_REPLACED("a") " ORDER BY a.as_of DESC, a.id DESC LIMIT 1)"

#endif
