/*
 * The names of records (lookup.h) for every back end: the statements of
 * src/store/lookup_sql.h in SQLite's words and in PostgreSQL's, run through
 * src/store/sql.h (each prepared once per connection on PostgreSQL; on SQLite from
 * the connection's statement cache, for a page names many records).
 */
#include "base/compat.h"

#include <rightstrack/lookup.h>

#include "store/sql.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

#define LK(name) sqlite_##name
#define JOBJ "json_object"
#define ARRAY_OF(select) "SELECT json_group_array(json(j)) FROM (" select " LIMIT ?4)"
#define JBOOL(cond) "json(CASE WHEN " cond " THEN 'true' ELSE 'false' END)"
#define INSTR(hay, x) "instr(" hay ", " x ")"
#define C(col) col
#include "store/lookup_sql.h"
#undef LK
#undef JOBJ
#undef ARRAY_OF
#undef JBOOL
#undef INSTR
#undef C

/* PostgreSQL's: json (not jsonb) keeps the keys in the order given; text sorts by its
 * bytes (COLLATE "C") as SQLite's does whatever the database's collation. */
#define LK(name) pg_##name
#define JOBJ "json_build_object"
#define ARRAY_OF(select) "SELECT coalesce(json_agg(j), '[]') FROM (" select " LIMIT ?4) ja"
#define JBOOL(cond) "(" cond ")"
#define INSTR(hay, x) "strpos(" hay ", " x ")"
#define C(col) col " COLLATE \"C\""
#include "store/lookup_sql.h"

static const struct {
    const char *kind, *sqlite, *pg;
} kinds[] = {
    {"round", sqlite_round_sql, pg_round_sql},
    {"step", sqlite_step_sql, pg_step_sql},
    {"ask", sqlite_ask_sql, pg_ask_sql},
    {"topic", sqlite_topic_sql, pg_topic_sql},
    {"rec", sqlite_rec_sql, pg_rec_sql},
    {"party", sqlite_party_sql, pg_party_sql},
    {"dialogue", sqlite_dialogue_sql, pg_dialogue_sql},
    {"assessment", sqlite_assessment_sql, pg_assessment_sql},
    {"benchmark", sqlite_benchmark_sql, pg_benchmark_sql},
    {"commitment", sqlite_commitment_sql, pg_commitment_sql},
    {"participant", sqlite_participant_sql, pg_participant_sql},
};

int rt_store_lookup(struct rt_store *st, const char *kind, const char *q, int64_t dialogue_id,
                    int64_t id, int limit, json_t **out, struct rt_error *err)
{
    const char *sql = NULL;
    int rc;

    *out = NULL;
    for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(kinds[i].kind, kind))
            sql = rt__sql_pick(st, kinds[i].sqlite, kinds[i].pg);
    if (!sql)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "kind", "no records of kind '%s' to look up",
                            kind ? kind : "");
    if (limit < 1 || limit > 100)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "limit", "'limit' must be from 1 to 100");
    rc = rt__sql_scalar(st, err, NULL, out, sql, "tiii", q && *q ? q : NULL, dialogue_id, id,
                        (int64_t)limit);
    if (rc == RT_ENOTFOUND) { /* json_group_array of no row is '[]': never here */
        *out = json_array();
        rc = 0;
    }
    return rc;
}
