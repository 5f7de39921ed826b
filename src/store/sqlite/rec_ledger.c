/* What the dialogue ledger links to one recommendation: rounds, topics, asks, steps and
 * its assessments, as one JSON document built by one SQL statement. */
#include "base/compat.h"

#include <rightstrack/ledger.h>

#include "store/sqlite/json_sql.h"
#include "store/sqlite/sqlite_int.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

/* The SQL of this file is laid out as SQL, in macros clang-format cannot keep. */
// clang-format off
/* Round r of dialogue d, named by its number in the dialogue. */
#define ROUND_JSON                                                                             \
    "json_object('id', r.id, 'ordinal', r.ordinal, 'date', r.date, 'dialogue',"                \
    " json_object('id', d.id, 'name', d.name), 'label', 'round ' || r.ordinal || ' of ' ||"    \
    " d.name)"

/* The items of kind (topic, ask) linked to the recommendation ?1 as 'about'. */
#define ABOUT(kind) \
    "SELECT l.from_id FROM link l WHERE l.to_kind = 'recommendation' AND l.to_id = ?1"         \
    " AND l.from_kind = '" kind "' AND l.relation = 'about' AND " LIVE("l")

#define REC_LEDGER                                                                             \
    "SELECT json_object('recommendation', rec.id,"                                             \
    " 'rounds', " ARRAY("SELECT " ROUND_JSON " j FROM round r JOIN dialogue d"                 \
                        " ON d.id = r.dialogue_id WHERE r.id IN (SELECT t.round_id FROM topic" \
                        " t WHERE t.id IN (" ABOUT("topic") ") AND " LIVE("t") " UNION SELECT k.round_id FROM"   \
                        " ask k WHERE k.id IN (" ABOUT("ask") ") AND " LIVE("k")               \
                        " UNION " ABOUT("round") ") AND "                                      \
                        LIVE("r") " ORDER BY r.date, r.id") ","                                \
    " 'topics', " ARRAY("SELECT json_object('id', t.id, 'text', t.text, 'theme', t.theme,"     \
                        " 'round', json(" ROUND_JSON ")) j FROM topic t JOIN round r"          \
                        " ON r.id = t.round_id JOIN dialogue d ON d.id = r.dialogue_id"        \
                        " WHERE t.id IN (" ABOUT("topic") ") AND " LIVE("t") " AND " LIVE("r") \
                        " ORDER BY r.date, t.id") ","                                          \
    " 'asks', " ARRAY("SELECT json_object('id', k.id, 'from', k.from_party, 'to',"             \
                      " k.to_party, 'text', k.text, 'theme', k.theme, 'round', json("          \
                      ROUND_JSON "), 'assessment', json(" LATEST("ask", "k.id") ")) j"         \
                      " FROM ask k JOIN round r ON r.id = k.round_id JOIN dialogue d"          \
                      " ON d.id = r.dialogue_id WHERE k.id IN (" ABOUT("ask") ") AND "         \
                      LIVE("k") " AND " LIVE("r")                                              \
                      " ORDER BY r.date, k.id") ","                                            \
    " 'steps', " ARRAY("SELECT json_object('id', s.id, 'actor', s.actor, 'date', s.date,"      \
                       " 'kind', s.kind, 'direction', s.direction, 'text', s.text, 'source',"  \
                       " s.source) j FROM step s WHERE s.id IN (SELECT l.from_id FROM link l"  \
                       " WHERE l.to_kind = 'recommendation' AND l.to_id = ?1"                  \
                       " AND l.from_kind = 'step' AND l.relation = 'answers' AND " LIVE("l") \
                       ") AND " AS_OF("s.date") " AND " LIVE("s") " ORDER BY s.date, s.id") "," \
    " 'assessments', " ARRAY("SELECT " MARKED("assessment", "a.id",                           \
                             "json_object('id', a.id, 'as_of', a.as_of, 'status',"             \
                             " a.status, 'evidence', a.evidence, 'source', a.source,"          \
                             " 'assessor', a.assessor)") " j FROM assessment a"                \
                             " WHERE a.target_kind = 'recommendation' AND a.target_id = ?1"    \
                             " AND " AS_OF("a.as_of") " AND " NOT_REPLACED("a")                   \
                             " ORDER BY a.as_of, a.id")                                        \
    ") FROM recommendation rec WHERE rec.id = ?1"
// clang-format on

int rt__sqlite_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                          struct rt_error *err)
{
    return rt__document(st, REC_LEDGER, rec_id, as_of, "recommendation", out, err);
}
