/*
 * The documents of the dialogue ledger's reads (ledger.h), each one SQL statement that
 * returns one JSON document, written once for both back ends: a back end includes its
 * dialect header first (src/store/sqlite/json_sql.h, src/store/pg/json_sql.h), which
 * defines the JSON primitives of src/store/doc_sql.h, and then this one. ?1 is the
 * record's id, ?2 a text (rt_step_list's actor), ?9 the as-of date (NULL: no limit).
 * The statements are long string literals by design (-Woverlength-strings).
 */
#ifndef RT_STORE_LEDGER_SQL_H
#define RT_STORE_LEDGER_SQL_H

#include "store/doc_sql.h"

/* The SQL of this file is laid out as SQL, in macros clang-format cannot keep. */
// clang-format off
/* A step, as alias s. */
#define STEP_JSON MARKED("step", "s.id", STEP_OBJ)
#define STEP_OBJ                                                                               \
    JOBJ "('id', s.id, 'actor', s.actor, 'date', s.date, 'date_precision', "                   \
    PRECISION("s.date") ", 'kind', s.kind, 'direction', s.direction, 'quantity', s.quantity,"  \
    " 'text', s.text, 'source', s.source,"                                                     \
    " 'responds_to', " IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'step'"           \
                           " AND l.from_id = s.id AND l.relation = 'responds-to' AND " LIVE("l") \
                           " ORDER BY 1")                                                     \
    ", 'responded_by', " IDS("SELECT l.from_id x FROM link l WHERE l.to_kind = 'step'"         \
                             " AND l.to_id = s.id AND l.relation = 'responds-to' AND " LIVE("l")  \
                             " AND EXISTS (SELECT 1 FROM step sr WHERE sr.id = l.from_id AND " \
                             LIVE("sr") ") ORDER BY 1")                                        \
    ", 'answers', " IDS("SELECT l.to_kind || ':' || l.to_id x FROM link l"                     \
                        " WHERE l.from_kind = 'step' AND l.from_id = s.id"                     \
                        " AND l.relation = 'answers' AND " LIVE("l") " ORDER BY 1")        \
    ", 'welcomed_in', " IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'step'"          \
                            " AND l.from_id = s.id AND l.relation = 'welcomed-in' AND " LIVE("l") \
                            " ORDER BY 1")                                                     \
    ", 'welcomed_in_rounds', " IDS("SELECT wr.dialogue_id || '#' || wr.ordinal x FROM link l"  \
                                   " JOIN round wr ON wr.id = l.to_id WHERE l.from_kind ="     \
                                   " 'step' AND l.from_id = s.id AND l.relation ="             \
                                   " 'welcomed-in' AND l.to_kind = 'round' AND " LIVE("l")    \
                                   " ORDER BY l.to_id")                                        \
    ")"


/* How people name the round whose id is col: its dialogue, its number there, "D#N". */
#define ROUND_NAME(col)                                                                        \
    "'round_ordinal', (SELECT rn.ordinal FROM round rn WHERE rn.id = " col "), 'round_ref',"   \
    " (SELECT rn.dialogue_id || '#' || rn.ordinal FROM round rn WHERE rn.id = " col ")"

/* The step that fulfilled a commitment (cs.step_id), if the reader may see it (private.h). */
#define CS_STEP "(SELECT fs.id FROM step fs WHERE fs.id = cs.step_id)"

/* The status of commitment c as of ?9. */
#define COMMITMENT_STATUS                                                                      \
    "(SELECT " JOBJ "('status', cs.status, 'as_of', cs.as_of, 'step', " CS_STEP ","            \
    " 'note', cs.note) FROM commitment_status cs WHERE cs.commitment_id = c.id AND "           \
    AS_OF("cs.as_of") " ORDER BY cs.as_of DESC, cs.id DESC LIMIT 1)"

#define COMMITMENT_JSON                                                                        \
    JOBJ "('id', c.id, 'round', c.round_id, " ROUND_NAME("c.round_id") ", 'party',"            \
    " c.party, 'condition', c.condition, 'promise', c.promise, 'status', "                     \
    NEST(COMMITMENT_STATUS) ")"

/* The theme areas of a topic or an ask, in the taxonomy's order. */
#define AREAS(kind, id)                                                                        \
    IDS("SELECT lt.area x FROM ledger_theme lt LEFT JOIN theme_area ta ON ta.code = lt.area"   \
        " WHERE lt.item_kind = '" kind "' AND lt.item_id = " id " ORDER BY ta.pos, lt.area")

#define ASK_JSON                                                                               \
    JOBJ "('id', k.id, 'round', k.round_id, " ROUND_NAME("k.round_id") ", 'number',"           \
    " (SELECT count(*) FROM ask kn WHERE kn.round_id = k.round_id AND kn.id <= k.id),"         \
    " 'from', k.from_party, 'to', k.to_party, 'text', k.text, 'theme', k.theme, 'areas', " AREAS("ask", "k.id") ","                    \
    " 'recommendations', "                                                                     \
    IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'ask' AND l.from_id = k.id"          \
        " AND l.relation = 'about' AND " LIVE("l") " ORDER BY 1")                              \
    ", 'answered_by', " IDS("SELECT l.from_id x FROM link l JOIN step s2 ON s2.id = l.from_id" \
                            " WHERE l.to_kind = 'ask' AND l.to_id = k.id"                      \
                            " AND l.relation = 'answers' AND " AS_OF("s2.date") " AND "     \
                            LIVE("l") " AND " LIVE("s2") " ORDER BY 1")                        \
    ", 'assessment', " NEST(LATEST("ask", "k.id")) ")"

/* The theme areas of round ?1's topics and asks (rt_round_get's: the round as ?1, not r.id,
 * so that SQLite reads each list once, not once a recommendation). */
#define ROUND_AREAS                                                                            \
    "SELECT lt.area FROM ledger_theme lt JOIN topic t2 ON lt.item_kind = 'topic'"              \
    " AND lt.item_id = t2.id WHERE t2.round_id = ?1 AND " LIVE("t2") " UNION SELECT lt.area FROM ledger_theme"  \
    " lt JOIN ask k2 ON lt.item_kind = 'ask' AND lt.item_id = k2.id WHERE k2.round_id = ?1"   \
    " AND " LIVE("k2")

/* The states (ids) round ?1 is about: those its asks address, else the dialogue's. */
#define ROUND_STATES                                                                           \
    "SELECT s3.id FROM state s3 WHERE s3.code IN (SELECT k3.to_party FROM ask k3"              \
    " WHERE k3.round_id = ?1 AND " LIVE("k3") ") OR (NOT EXISTS (SELECT 1 FROM ask k4 JOIN state s4"            \
    " ON s4.code = k4.to_party WHERE k4.round_id = ?1 AND " LIVE("k4") ") AND s3.code IN (SELECT dp.party"      \
    " FROM dialogue_party dp WHERE dp.dialogue_id = (SELECT r5.dialogue_id FROM round r5"      \
    " WHERE r5.id = ?1)))"

/* (rec, area): recommendations to round ?1's states with a theme on one of its areas. */
#define LINKED_RECS                                                                            \
    "SELECT rt.rec_id rec, m.area area FROM recommendation rec"                                \
    " JOIN recommendation_theme rt ON rt.rec_id = rec.id JOIN theme th ON th.id = rt.theme_id" \
    " JOIN theme_area_label m ON m.vocabulary = th.vocabulary AND m.label = th.label"          \
    " WHERE rec.sur_id IN (" ROUND_STATES ") AND m.area IN (" ROUND_AREAS ")"

/* Parties of dialogue d in their order. */
#define PARTIES IDS("SELECT party x FROM dialogue_party WHERE dialogue_id = d.id ORDER BY position")

/* The rows of the list of dialogues (model/documents.h), in id order, and the parties
 * of dialogue ?1 in their order. */
#define LEDGER_DIALOGUE_ROWS_SQL                                                               \
    "SELECT d.id, d.name, d.kind, (SELECT count(*) FROM round r"                               \
    " WHERE r.dialogue_id = d.id AND " LIVE("r") "), (SELECT max(r.date)"                      \
    " FROM round r WHERE r.dialogue_id = d.id AND " LIVE("r") ")"                              \
    " FROM dialogue d WHERE " LIVE("d") " ORDER BY d.id"
#define LEDGER_DIALOGUE_PARTIES_SQL                                                            \
    "SELECT party FROM dialogue_party WHERE dialogue_id = ?1 ORDER BY position"

/* rt_dialogue_get: dialogue ?1. */
#define LEDGER_DIALOGUE_GET_SQL                                                                \
        "SELECT " JOBJ "('id', d.id, 'name', d.name, 'kind', d.kind, 'parties', " PARTIES      \
        ", 'withdrawn', d.withdrawn, 'withdrawn_on', d.withdrawn_on"                           \
        ", 'rounds', " ARRAY("SELECT " JOBJ "('id', r.id, 'dialogue', r.dialogue_id, 'ordinal'," \
                             " r.ordinal, 'ref', r.dialogue_id || '#' || r.ordinal, 'date',"   \
                             " r.date, 'place', r.place, 'summary', r.summary, 'source', r.source) j" \
                             " FROM round r WHERE r.dialogue_id = d.id AND " LIVE("r")         \
                             " ORDER BY r.ordinal")                                            \
        ", 'benchmarks', " ARRAY("SELECT " JOBJ "('id', b.id, 'text', b.text, 'tracks', "      \
                                 IDS("SELECT l.to_kind || ':' || l.to_id x FROM link l"        \
                                     " WHERE l.from_kind = 'benchmark' AND l.from_id = b.id"   \
                                     " AND " LIVE("l") " ORDER BY 1")                          \
                                 ", 'assessment', " NEST(LATEST("benchmark", "b.id")) ") j"    \
                                 " FROM benchmark b WHERE b.dialogue_id = d.id AND " LIVE("b") \
                                 " ORDER BY b.id")                                             \
        ") FROM dialogue d WHERE d.id = ?1"

/* rt_round_get: round ?1. */
#define LEDGER_ROUND_GET_SQL                                                                   \
        "SELECT " JOBJ "('id', r.id, 'dialogue', " JOBJ "('id', d.id, 'name', d.name,"         \
        " 'parties', " PARTIES "), 'ordinal', r.ordinal, 'ref', d.id || '#' || r.ordinal,"     \
        " 'date', r.date, 'date_precision', "                                                  \
        PRECISION("r.date") ", 'place', r.place, 'summary', r.summary, 'source', r.source,"    \
        " 'withdrawn', r.withdrawn, 'withdrawn_on', r.withdrawn_on,"                           \
        " 'recommendations', " IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'round'"  \
                                   " AND l.from_id = r.id AND l.relation = 'about' AND "       \
                                   LIVE("l") " ORDER BY 1") ","                                \
                " 'participants', " ARRAY("SELECT " MARKED("participant", "p.id",              \
                                  JOBJ "('id', p.id, 'name', p.name, 'title',"                 \
                                  " p.title, 'organisation', p.organisation, 'party', p.party)") " j" \
                                  " FROM participant p WHERE p.round_id = r.id AND " LIVE("p") \
                                  " ORDER BY p.id")                                            \
        ", 'topics', " ARRAY("SELECT " JOBJ "('id', t.id, 'text', t.text, 'theme', t.theme,"   \
                             " 'areas', " AREAS("topic", "t.id") ", 'recommendations', "       \
                             IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'topic'"    \
                                 " AND l.from_id = t.id AND l.relation = 'about' AND " LIVE("l") \
                                 " ORDER BY 1")                                                \
                             ") j FROM topic t WHERE t.round_id = r.id AND " LIVE("t")         \
                             " ORDER BY t.id")                                                 \
        ", 'asks', " ARRAY("SELECT " ASK_JSON " j FROM ask k WHERE k.round_id = r.id"          \
                           " AND " LIVE("k") " ORDER BY k.id")                                 \
        ", 'welcomed_steps', " ARRAY("SELECT " STEP_JSON " j FROM step s JOIN link l"          \
                                     " ON l.from_kind = 'step' AND l.from_id = s.id"           \
                                     " AND l.relation = 'welcomed-in' AND l.to_kind = 'round'" \
                                     " WHERE l.to_id = r.id AND " LIVE("l") " AND " LIVE("s")  \
                                     " ORDER BY s.date, s.id")                                 \
        ", 'commitments', " ARRAY("SELECT " COMMITMENT_JSON " j FROM commitment c"             \
                                  " WHERE c.round_id = r.id AND " LIVE("c") " ORDER BY c.id")  \
        ", 'linked_recommendations', " JOBJ "('states', "                                      \
        IDS("SELECT s.code x FROM state s WHERE s.id IN (" ROUND_STATES ") ORDER BY 1")        \
        ", 'count', (SELECT count(DISTINCT lr.rec) FROM (" LINKED_RECS ") lr)"                 \
        ", 'areas', " ARRAY("SELECT " JOBJ "('code', ta.code, 'label', ta.label, 'count',"     \
                            " (SELECT count(DISTINCT lr.rec) FROM (" LINKED_RECS ") lr"        \
                            " WHERE lr.area = ta.code)) j FROM theme_area ta"                  \
                            " WHERE ta.code IN (" ROUND_AREAS ") ORDER BY ta.pos")             \
        ")) FROM round r JOIN dialogue d ON d.id = r.dialogue_id WHERE r.id = ?1"

/* rt_step_list: the steps of dialogue ?1's parties (0: any), by actor ?2 (NULL: any). */
#define LEDGER_STEP_LIST_SQL                                                                   \
    "SELECT " ARRAY("SELECT " STEP_JSON " j FROM step s WHERE (?1 = 0 OR"                      \
                    " s.actor IN (SELECT party FROM dialogue_party"                            \
                    " WHERE dialogue_id = ?1)) AND (?2 IS NULL OR"                             \
                    " s.actor = ?2) AND " LIVE("s")                                            \
                    " ORDER BY s.date, s.id")

/* rt_status of commitment ?1. */
#define LEDGER_STATUS_COMMITMENT_SQL                                                           \
    "SELECT " JOBJ "('target', 'commitment:' || c.id, 'as_of', ?9,"                            \
    " 'status', " JFIELD(COMMITMENT_STATUS, "status") ", 'since', "                            \
    JFIELD(COMMITMENT_STATUS, "as_of") ", 'step', " JFIELD(COMMITMENT_STATUS, "step")         \
    ", 'history', "                                                                            \
    ARRAY("SELECT " JOBJ "('as_of', cs.as_of, 'status', cs.status, 'step',"                    \
          " " CS_STEP ", 'note', cs.note) j FROM commitment_status cs"                         \
          " WHERE cs.commitment_id = c.id AND " AS_OF("cs.as_of")                              \
          " ORDER BY cs.as_of, cs.id")                                                         \
    ") FROM commitment c WHERE c.id = ?1"

/* rt_status of a record ?1 assessed of kind kind ("recommendation", "ask", "benchmark"),
 * kept in table table. */
#define LEDGER_STATUS_SQL(kind, table)                                                         \
    "SELECT " JOBJ "('target', '" kind ":' || t.id, 'as_of', ?9,"                              \
    " 'status', coalesce((SELECT a.status FROM assessment a"                                   \
    " WHERE a.target_kind = '" kind "' AND a.target_id = t.id AND " AS_OF("a.as_of")           \
    " AND " NOT_REPLACED("a") " ORDER BY a.as_of DESC, a.id DESC LIMIT 1), 'unassessed'),"     \
    " 'latest', " NEST(LATEST(kind, "t.id")) ", 'history', "                                   \
    ARRAY("SELECT " MARKED("assessment", "a.id",                                               \
          JOBJ "('id', a.id, 'as_of', a.as_of, 'status', a.status,"                            \
          " 'evidence', a.evidence, 'source', a.source, 'assessor', a.assessor,"               \
          " 'replaces', a.replaces)") " j"                                                     \
          " FROM assessment a WHERE a.target_kind = '" kind "'"                                \
          " AND a.target_id = t.id AND " AS_OF("a.as_of")                                      \
          " AND " NOT_REPLACED("a") " ORDER BY a.as_of, a.id")                                 \
    ") FROM " table " t WHERE t.id = ?1"

/* rt_status's statement for a target of kind (as rt__status_target gives it). */
#define LEDGER_STATUS_SQL_OF(kind)                                                             \
    (!strcmp(kind, "commitment")       ? LEDGER_STATUS_COMMITMENT_SQL                        \
     : !strcmp(kind, "recommendation") ? LEDGER_STATUS_SQL("recommendation", "recommendation") \
     : !strcmp(kind, "ask")            ? LEDGER_STATUS_SQL("ask", "ask")                     \
                                       : LEDGER_STATUS_SQL("benchmark", "benchmark"))

/* rt_since: what moved after round ?1. */
#define LEDGER_SINCE_SQL                                                                       \
        "SELECT " JOBJ "('round', " JOBJ "('id', r.id, 'dialogue', d.id, 'ordinal',"           \
        " r.ordinal, 'ref', d.id || '#' || r.ordinal, 'date', r.date, 'place', r.place), 'dialogue', " JOBJ "('id', d.id, 'name', d.name," \
        " 'parties', " PARTIES "), 'as_of', ?9,"                                               \
        " 'steps', " ARRAY("SELECT " JOBJ "('party', dp.party, 'steps', "                      \
                           ARRAY("SELECT " STEP_JSON " j FROM step s WHERE s.actor = dp.party" \
                                 " AND s.date > r.date AND " AS_OF("s.date") " AND " LIVE("s") \
                                 " ORDER BY s.date, s.id")                                     \
                           ") j FROM dialogue_party dp WHERE dp.dialogue_id = d.id"            \
                           " ORDER BY dp.position")                                            \
        ", 'asks_open', " ARRAY("SELECT " ASK_JSON " j FROM ask k JOIN round kr"               \
                                " ON kr.id = k.round_id WHERE kr.dialogue_id = d.id"           \
                                " AND " AS_OF("kr.date") " AND " LIVE("k") " AND " LIVE("kr") " AND coalesce((" LATEST("ask", "k.id") \
                                ") ->> 'status', '') <> 'fully' ORDER BY kr.date, k.id")       \
        ", 'asks_closed', " ARRAY("SELECT " ASK_JSON " j FROM ask k JOIN round kr"             \
                                  " ON kr.id = k.round_id WHERE kr.dialogue_id = d.id"         \
                                  " AND " AS_OF("kr.date") " AND " LIVE("k") " AND " LIVE("kr") " AND (" LATEST("ask", "k.id") \
                                  ") ->> 'status' = 'fully' ORDER BY kr.date, k.id")           \
        ", 'commitments', " ARRAY("SELECT " COMMITMENT_JSON " j FROM commitment c JOIN round cr" \
                                  " ON cr.id = c.round_id WHERE cr.dialogue_id = d.id"         \
                                  " AND " AS_OF("cr.date") " AND " LIVE("c") " AND " LIVE("cr") \
                                  " ORDER BY cr.date, c.id")                                   \
        ", 'assessments', " ARRAY("SELECT " JOBJ "('target', CASE a.target_kind"               \
                                  " WHEN 'recommendation' THEN 'rec' ELSE a.target_kind END"   \
                                  " || ':' || a.target_id, 'as_of', a.as_of, 'status', a.status," \
                                  " 'evidence', a.evidence, 'source', a.source) j"             \
                                  " FROM assessment a WHERE a.as_of > r.date AND "             \
                                  AS_OF("a.as_of") " AND " NOT_REPLACED("a") " AND a.status IS DISTINCT FROM (SELECT p.status" \
                                  " FROM assessment p WHERE p.target_kind = a.target_kind"     \
                                  " AND p.target_id = a.target_id AND (p.as_of < a.as_of"      \
                                  " OR (p.as_of = a.as_of AND p.id < a.id)) AND " NOT_REPLACED("p") \
                                  " ORDER BY p.as_of DESC, p.id DESC LIMIT 1)"                 \
                                  " AND ((a.target_kind = 'recommendation'"                    \
                                  " AND a.target_id IN (SELECT rec.id FROM recommendation rec" \
                                  " JOIN state s2 ON s2.id = rec.sur_id JOIN dialogue_party dp2" \
                                  " ON dp2.party = s2.code WHERE dp2.dialogue_id = d.id))"     \
                                  " OR (a.target_kind = 'ask' AND a.target_id IN (SELECT k2.id" \
                                  " FROM ask k2 JOIN round r2 ON r2.id = k2.round_id"          \
                                  " WHERE r2.dialogue_id = d.id)) OR (a.target_kind ="         \
                                  " 'benchmark' AND a.target_id IN (SELECT b2.id FROM"         \
                                  " benchmark b2 WHERE b2.dialogue_id = d.id)))"               \
                                  " ORDER BY a.as_of, a.id")                                   \
        ", 'new_recommendations', " ARRAY("SELECT " JOBJ "('id', rec.id, 'state_under_review'," \
                                          " s3.code, 'session', rec.session, 'date', us.date," \
                                          " 'response', rec.response, 'text', rec.text) j"     \
                                          " FROM recommendation rec JOIN state s3"             \
                                          " ON s3.id = rec.sur_id JOIN upr_session us"         \
                                          " ON us.session = rec.session JOIN dialogue_party dp3" \
                                          " ON dp3.party = s3.code AND dp3.dialogue_id = d.id" \
                                          " WHERE us.date > r.date AND " AS_OF("us.date")      \
                                          " ORDER BY us.date, rec.id")                         \
        ") FROM round r JOIN dialogue d ON d.id = r.dialogue_id WHERE r.id = ?1"

/* rt_timeline of dialogue ?1. */
#define LEDGER_TIMELINE_SQL                                                                    \
        "SELECT " JOBJ "('dialogue', " JOBJ "('id', d.id, 'name', d.name, 'parties', "         \
        PARTIES "), 'as_of', ?9, 'events', "                                                   \
        ARRAY("SELECT j FROM (SELECT r.date AS date, 0 AS k, r.id AS id,"                      \
              " " JOBJ "('type', 'round', 'date', r.date, 'id', r.id, 'dialogue', d.id,"       \
              " 'ordinal', r.ordinal, 'ref', d.id || '#' || r.ordinal,"                        \
              " 'place', r.place, 'summary', r.summary) AS j FROM round r WHERE r.dialogue_id = d.id AND " \
              AS_OF("r.date") " AND " LIVE("r") " UNION ALL SELECT s.date, 1, s.id, " JOBJ "('type', 'step'," \
              " 'date', s.date, 'step', " NEST(STEP_JSON) ", 'in_response_to', "              \
              ARRAY("SELECT " JOBJ "('id', p.id, 'actor', p.actor, 'date', p.date, 'kind',"    \
                    " p.kind, 'text', p.text) j FROM step p JOIN link l ON l.to_id = p.id"     \
                    " AND l.to_kind = 'step' WHERE l.from_kind = 'step' AND l.from_id = s.id"  \
                    " AND l.relation = 'responds-to' AND " LIVE("l") " AND " LIVE("p")         \
                    " ORDER BY p.date, p.id")                                                  \
              ") FROM step s WHERE s.actor IN (SELECT party FROM dialogue_party"               \
              " WHERE dialogue_id = d.id) AND " AS_OF("s.date") " AND " LIVE("s")              \
              ") u ORDER BY date, k, id")                                                      \
        ") FROM dialogue d WHERE d.id = ?1"

/* rt_reciprocity of dialogue ?1. */
#define LEDGER_RECIPROCITY_SQL                                                                 \
        "SELECT " JOBJ "('dialogue', " JOBJ "('id', d.id, 'name', d.name, 'parties', "         \
        PARTIES "), 'as_of', ?9, 'parties', "                                                  \
        ARRAY("SELECT " JOBJ "('party', dp.party, 'positive', (SELECT count(*) FROM step s"    \
              " WHERE s.actor = dp.party AND s.direction = 'positive' AND " AS_OF("s.date")    \
              " AND " LIVE("s") "), 'negative', (SELECT count(*) FROM step s WHERE s.actor = dp.party" \
              " AND s.direction = 'negative' AND " AS_OF("s.date") " AND " LIVE("s")           \
              "), 'steps', "                                                                   \
              ARRAY("SELECT " STEP_JSON " j FROM step s WHERE s.actor = dp.party AND "         \
                    AS_OF("s.date") " AND " LIVE("s") " ORDER BY s.date, s.id")                \
              ") j FROM dialogue_party dp WHERE dp.dialogue_id = d.id ORDER BY dp.position")   \
        ", 'responses', "                                                                      \
        ARRAY("SELECT " JOBJ "('step', a.id, 'actor', a.actor, 'date', a.date, 'text', a.text," \
              " 'responds_to', b.id, 'to_actor', b.actor, 'to_date', b.date, 'to_text', b.text) j" \
              " FROM link l JOIN step a ON a.id = l.from_id JOIN step b ON b.id = l.to_id"     \
              " WHERE l.from_kind = 'step' AND l.relation = 'responds-to' AND l.to_kind = 'step'" \
              " AND a.actor IN (SELECT party FROM dialogue_party WHERE dialogue_id = d.id)"    \
              " AND " AS_OF("a.date") " AND " LIVE("l") " AND " LIVE("a") " AND " LIVE("b")    \
              " ORDER BY a.date, a.id")                                                        \
        ") FROM dialogue d WHERE d.id = ?1"
/* rt_rec_ledger: what the ledger links to recommendation ?1.
 * Round r of dialogue d, named by its number in the dialogue. */
#define ROUND_JSON                                                                             \
    JOBJ "('id', r.id, 'ordinal', r.ordinal, 'date', r.date, 'dialogue',"                \
    " " JOBJ "('id', d.id, 'name', d.name), 'label', 'round ' || r.ordinal || ' of ' ||"    \
    " d.name)"

/* The items of kind (topic, ask) linked to the recommendation ?1 as 'about'. */
#define ABOUT(kind) \
    "SELECT l.from_id FROM link l WHERE l.to_kind = 'recommendation' AND l.to_id = ?1"         \
    " AND l.from_kind = '" kind "' AND l.relation = 'about' AND " LIVE("l")

#define LEDGER_REC_SQL                                                                             \
    "SELECT " JOBJ "('recommendation', rec.id,"                                             \
    " 'rounds', " ARRAY("SELECT " ROUND_JSON " j FROM round r JOIN dialogue d"                 \
                        " ON d.id = r.dialogue_id WHERE r.id IN (SELECT t.round_id FROM topic" \
                        " t WHERE t.id IN (" ABOUT("topic") ") AND " LIVE("t") " UNION SELECT k.round_id FROM"   \
                        " ask k WHERE k.id IN (" ABOUT("ask") ") AND " LIVE("k")               \
                        " UNION " ABOUT("round") ") AND "                                      \
                        LIVE("r") " ORDER BY r.date, r.id") ","                                \
    " 'topics', " ARRAY("SELECT " JOBJ "('id', t.id, 'text', t.text, 'theme', t.theme,"     \
                        " 'round', " NEST(ROUND_JSON) ") j FROM topic t JOIN round r"          \
                        " ON r.id = t.round_id JOIN dialogue d ON d.id = r.dialogue_id"        \
                        " WHERE t.id IN (" ABOUT("topic") ") AND " LIVE("t") " AND " LIVE("r") \
                        " ORDER BY r.date, t.id") ","                                          \
    " 'asks', " ARRAY("SELECT " JOBJ "('id', k.id, 'from', k.from_party, 'to',"             \
                      " k.to_party, 'text', k.text, 'theme', k.theme, 'round', "               \
                      NEST(ROUND_JSON) ", 'assessment', " NEST(LATEST("ask", "k.id")) ") j"         \
                      " FROM ask k JOIN round r ON r.id = k.round_id JOIN dialogue d"          \
                      " ON d.id = r.dialogue_id WHERE k.id IN (" ABOUT("ask") ") AND "         \
                      LIVE("k") " AND " LIVE("r")                                              \
                      " ORDER BY r.date, k.id") ","                                            \
    " 'steps', " ARRAY("SELECT " JOBJ "('id', s.id, 'actor', s.actor, 'date', s.date,"      \
                       " 'kind', s.kind, 'direction', s.direction, 'text', s.text, 'source',"  \
                       " s.source) j FROM step s WHERE s.id IN (SELECT l.from_id FROM link l"  \
                       " WHERE l.to_kind = 'recommendation' AND l.to_id = ?1"                  \
                       " AND l.from_kind = 'step' AND l.relation = 'answers' AND " LIVE("l") \
                       ") AND " AS_OF("s.date") " AND " LIVE("s") " ORDER BY s.date, s.id") "," \
    " 'assessments', " ARRAY("SELECT " MARKED("assessment", "a.id",                           \
                             JOBJ "('id', a.id, 'as_of', a.as_of, 'status',"             \
                             " a.status, 'evidence', a.evidence, 'source', a.source,"          \
                             " 'assessor', a.assessor)") " j FROM assessment a"                \
                             " WHERE a.target_kind = 'recommendation' AND a.target_id = ?1"    \
                             " AND " AS_OF("a.as_of") " AND " NOT_REPLACED("a")                   \
                             " ORDER BY a.as_of, a.id")                                        \
    ") FROM recommendation rec WHERE rec.id = ?1"
// clang-format on

#endif
