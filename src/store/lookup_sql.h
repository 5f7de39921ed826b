/*
 * The names of records (lookup.h): one statement per kind builds the entries a
 * picker lists and a page shows in place of a reference, so each name is made in one
 * place, in words both dialects share. src/store/lookup.c includes this file twice,
 * once with SQLite's primitives and once with PostgreSQL's (no include guard):
 *   LK(name)          the name of a statement in that dialect
 *   JOBJ              json_object, json_build_object
 *   ARRAY_OF(select)  the JSON array of the column j of select's first ?4 rows
 *   JBOOL(cond)       cond as a JSON true or false
 *   INSTR(hay, x)     where x begins in hay, from 1 (0: nowhere)
 *   C(col)            col as a sort key, in the order of its bytes
 * Parameters: ?1 the text looked for (NULL: anything), ?2 the dialogue (0: any), ?3
 * the record's id (0: any), ?4 the most entries.
 */
// clang-format off
/* A party's name: a state's short name, else its code (an organisation). */
#define PARTY(col) "coalesce((SELECT pn.name FROM state pn WHERE pn.code = " col "), " col ")"
/* The start of a text, cut at 90 characters. */
#define SHORT(col)                                                                             \
    "CASE WHEN length(" col ") > 90 THEN rtrim(substr(" col ", 1, 88)) || '\xe2\x80\xa6'"      \
    " ELSE " col " END"
/* Does haystack hold ?1 (NULL: anything)? */
#define HOLDS(haystack) "(CAST(?1 AS text) IS NULL OR " INSTR("lower(" haystack ")", "lower(?1)") " > 0)"
/* Is col ?3 (0: any)? As a range of the row id, so that one record is found by its key,
 * not by reading the table (a page names many recommendations of 35,000). */
#define ANY_ID(col)                                                                            \
    "(" col " BETWEEN (CASE WHEN ?3 = 0 THEN 0 ELSE ?3 END) AND (CASE WHEN ?3 = 0 THEN"        \
    " 9223372036854775807 ELSE ?3 END))"

/* For the kinds that belong to no dialogue: ?2 named all the same, for PostgreSQL
 * types every parameter from where it stands and refuses one that stands nowhere. */
#define NO_DIALOGUE "CAST(?2 AS bigint) IS NOT NULL"

#define ROUND_NAME "'round ' || r.ordinal || ' of ' || d.name"
#define ROUND_WHEN "' (' || r.date || coalesce(', ' || r.place, '') || ')'"
#define ASK_NUMBER "(SELECT count(*) FROM ask kn WHERE kn.round_id = k.round_id AND kn.id <= k.id)"

static const char LK(round_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'round', 'ref', r.dialogue_id || '#' || r.ordinal, 'id', r.id,"
    " 'dialogue', r.dialogue_id, 'ordinal', r.ordinal, 'name', " ROUND_NAME ", 'label', "
    ROUND_NAME " || " ROUND_WHEN ", 'text', coalesce(r.summary, '')) j"
    " FROM round r JOIN dialogue d ON d.id = r.dialogue_id"
    " WHERE (?2 = 0 OR r.dialogue_id = ?2) AND " ANY_ID("r.id") " AND "
    HOLDS("'round ' || r.ordinal || ' ' || d.name || ' ' || r.date || ' ' ||"
          " coalesce(r.place, '') || ' ' || coalesce(r.summary, '')")
    /* The latest first: a desk officer picks the round just held or the one before it,
     * and with a long history the oldest would fill the list (LIMIT ?4). */
    " ORDER BY " C("r.date") " DESC, r.dialogue_id, r.ordinal DESC");

#define STEP_NAME "'step of ' || s.date || ' by ' || " PARTY("s.actor")
/* Steps of dialogue ?2: by its parties or by organisations, or linked to its rounds or asks. */
#define STEP_OF_DIALOGUE                                                                       \
    "(?2 = 0 OR s.actor IN (SELECT party FROM dialogue_party WHERE dialogue_id = ?2)"          \
    " OR NOT EXISTS (SELECT 1 FROM state so WHERE so.code = s.actor)"                          \
    " OR EXISTS (SELECT 1 FROM link l JOIN round r2 ON r2.id = l.to_id WHERE l.from_kind ="    \
    " 'step' AND l.from_id = s.id AND l.to_kind = 'round' AND r2.dialogue_id = ?2)"            \
    " OR EXISTS (SELECT 1 FROM link l JOIN ask k2 ON k2.id = l.to_id JOIN round r2 ON r2.id"   \
    " = k2.round_id WHERE l.from_kind = 'step' AND l.from_id = s.id AND l.to_kind = 'ask'"     \
    " AND r2.dialogue_id = ?2))"

/*
 * Is step s one dialogue ?2's page shows (docs/web.md, "Steps of others")? Its parties'
 * steps, and another's step linked to the dialogue: welcomed in one of its rounds,
 * answering one of its asks or a recommendation linked to its rounds, topics or asks,
 * in response to (or answered by) a step of one of its parties, fulfilling one of its
 * commitments, or tracked by one of its benchmarks. An organisation's step linked to
 * nothing of the dialogue is not shown there, whatever dialogue it was typed on.
 */
#define LINK_LIVE "l.withdrawn IS NULL AND l.from_kind = 'step' AND l.from_id = s.id"
#define STEP_SHOWN                                                                                 "(?2 = 0 OR s.actor IN (SELECT party FROM dialogue_party WHERE dialogue_id = ?2)"              " OR EXISTS (SELECT 1 FROM link l JOIN round r2 ON r2.id = l.to_id WHERE " LINK_LIVE           " AND l.to_kind = 'round' AND r2.dialogue_id = ?2)"                                            " OR EXISTS (SELECT 1 FROM link l JOIN ask k2 ON k2.id = l.to_id JOIN round r2 ON r2.id"       " = k2.round_id WHERE " LINK_LIVE " AND l.to_kind = 'ask' AND r2.dialogue_id = ?2)"            " OR EXISTS (SELECT 1 FROM link l JOIN link lr ON lr.to_kind = 'recommendation' AND"           " lr.to_id = l.to_id AND lr.relation = 'about' AND lr.withdrawn IS NULL WHERE " LINK_LIVE      " AND l.to_kind = 'recommendation' AND ((lr.from_kind = 'round' AND lr.from_id IN"             " (SELECT id FROM round WHERE dialogue_id = ?2)) OR (lr.from_kind = 'topic' AND"               " lr.from_id IN (SELECT t3.id FROM topic t3 JOIN round r3 ON r3.id = t3.round_id WHERE"        " r3.dialogue_id = ?2)) OR (lr.from_kind = 'ask' AND lr.from_id IN (SELECT k3.id FROM"         " ask k3 JOIN round r3 ON r3.id = k3.round_id WHERE r3.dialogue_id = ?2))))"                   " OR EXISTS (SELECT 1 FROM link l JOIN step p2 ON p2.id = CASE WHEN l.from_id = s.id"          " THEN l.to_id ELSE l.from_id END WHERE l.withdrawn IS NULL AND l.relation ="                  " 'responds-to' AND ((l.from_kind = 'step' AND l.from_id = s.id) OR (l.to_kind = 'step'"       " AND l.to_id = s.id)) AND p2.actor IN (SELECT party FROM dialogue_party WHERE"                " dialogue_id = ?2))"                                                                          " OR EXISTS (SELECT 1 FROM commitment_status cs JOIN commitment c2 ON c2.id ="                 " cs.commitment_id JOIN round r2 ON r2.id = c2.round_id WHERE cs.step_id = s.id AND"           " r2.dialogue_id = ?2)"                                                                        " OR EXISTS (SELECT 1 FROM link l JOIN benchmark b2 ON b2.id = l.from_id WHERE"                " l.withdrawn IS NULL AND l.from_kind = 'benchmark' AND l.to_kind = 'step' AND l.to_id ="      " s.id AND b2.dialogue_id = ?2))"

static const char LK(step_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'step', 'ref', 'step:' || s.id, 'id', s.id, 'name', "
    STEP_NAME ", 'label', " STEP_NAME " || ': ' || " SHORT("s.text") ", 'text', s.text,"
    " 'date', s.date, 'actor', s.actor, 'state', " JBOOL("EXISTS (SELECT 1 FROM state sa WHERE sa.code = s.actor)") ", 'shown', "
    JBOOL(STEP_SHOWN) ") j FROM step s WHERE " STEP_OF_DIALOGUE " AND "
    ANY_ID("s.id") " AND " HOLDS("s.date || ' ' || " PARTY("s.actor") " || ' ' || s.actor ||"
                                 " ' ' || s.kind || ' ' || s.text")
    /* The dialogue's own first (its parties', and others' linked to it): an
     * organisation's step linked to nothing of it comes after them all. */
    " ORDER BY " STEP_SHOWN " DESC, " C("s.date") ", s.id");

#define ASK_NAME                                                                               \
    "'ask ' || " ASK_NUMBER " || ' of round ' || r.ordinal || ' (' || " PARTY("k.from_party")  \
    " || ' to ' || " PARTY("k.to_party") " || ')'"

static const char LK(ask_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'ask', 'ref', 'ask:' || k.id, 'id', k.id, 'name', " ASK_NAME
    ", 'label', " ASK_NAME " || ': ' || " SHORT("k.text") ", 'text', k.text, 'round_ref',"
    " r.dialogue_id || '#' || r.ordinal, 'dialogue', r.dialogue_id) j"
    " FROM ask k JOIN round r ON r.id = k.round_id"
    " WHERE (?2 = 0 OR r.dialogue_id = ?2) AND " ANY_ID("k.id") " AND "
    HOLDS("k.text || ' ' || " PARTY("k.from_party") " || ' ' || " PARTY("k.to_party")
          " || ' ' || coalesce(k.theme, '')")
    " ORDER BY " C("r.date") " DESC, r.dialogue_id, r.ordinal DESC, k.id");

#define TOPIC_NAME "'topic of round ' || r.ordinal"

static const char LK(topic_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'topic', 'ref', 'topic:' || t.id, 'id', t.id, 'name', "
    TOPIC_NAME ", 'label', " TOPIC_NAME " || ': ' || " SHORT("t.text") ", 'text', t.text,"
    " 'round_ref', r.dialogue_id || '#' || r.ordinal, 'dialogue', r.dialogue_id) j"
    " FROM topic t JOIN round r ON r.id = t.round_id"
    " WHERE (?2 = 0 OR r.dialogue_id = ?2) AND " ANY_ID("t.id") " AND "
    HOLDS("t.text || ' ' || coalesce(t.theme, '')")
    " ORDER BY " C("r.date") " DESC, r.dialogue_id, r.ordinal DESC, t.id");

#define REC_NAME "s.name || ', session ' || coalesce(CAST(r.session AS text), '?')"

static const char LK(rec_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'rec', 'ref', 'rec:' || r.id, 'id', r.id, 'name', " REC_NAME
    ", 'label', " REC_NAME " || ' (' || r.response || '): ' || " SHORT("r.text") ", 'text',"
    " r.text) j FROM recommendation r JOIN state s ON s.id = r.sur_id"
    " WHERE " NO_DIALOGUE " AND " ANY_ID("r.id") " AND " HOLDS("r.text") " AND (?3 <> 0 OR CAST(?1 AS text) IS NOT NULL)"
    " ORDER BY r.id");

/* The organisations a party may be (as rt_party_resolve takes them), and the states. */
#define ORGANISATIONS                                                                          \
    "SELECT 'EU' code, 'European Union' name UNION ALL SELECT 'OSCE', 'Organization for"       \
    " Security and Co-operation in Europe' UNION ALL SELECT 'ODIHR', 'OSCE Office for"         \
    " Democratic Institutions and Human Rights' UNION ALL SELECT 'UN', 'United Nations'"       \
    " UNION ALL SELECT 'OHCHR', 'Office of the UN High Commissioner for Human Rights'"         \
    " UNION ALL SELECT 'COE', 'Council of Europe'"

static const char LK(party_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'party', 'ref', p.code, 'id', 0, 'name', p.name, 'label',"
    " p.label, 'text', '', 'state', " JBOOL("p.state = 1") ") j FROM (SELECT code, name, name label, 1 state FROM state UNION ALL"
    " SELECT code, code, code || ' (' || name || ')', 0 FROM (" ORGANISATIONS ") o) p"
    " WHERE ?3 = 0 AND (" HOLDS("p.label") " OR lower(p.code) = lower(?1)"
    " OR p.code = (SELECT st.code FROM state st WHERE lower(st.alpha2) = lower(?1)))"
    " ORDER BY p.code IN (SELECT party FROM dialogue_party WHERE dialogue_id = ?2) DESC,"
    " lower(p.code) = lower(coalesce(?1, '')) DESC,"
    " " INSTR("lower(p.label)", "lower(coalesce(?1, ''))") " = 1 DESC, p.state, " C("p.name"));

static const char LK(dialogue_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'dialogue', 'ref', d.name, 'id', d.id, 'name', d.name,"
    " 'label', d.name, 'text', '') j FROM dialogue d"
    " WHERE (?2 = 0 OR d.id = ?2) AND " ANY_ID("d.id") " AND " HOLDS("d.name")
    " ORDER BY " C("d.name"));

/* What an assessment judges, by name. */
#define ASSESSED                                                                               \
    "CASE a.target_kind WHEN 'recommendation' THEN (SELECT 'the recommendation to ' || s.name"  \
    " || ', session ' || coalesce(CAST(r.session AS text), '?') FROM recommendation r JOIN state s ON s.id"  \
    " = r.sur_id WHERE r.id = a.target_id) WHEN 'ask' THEN (SELECT 'ask ' || (SELECT count(*)" \
    " FROM ask kn WHERE kn.round_id = k.round_id AND kn.id <= k.id) || ' of round ' ||"        \
    " r.ordinal FROM ask k JOIN round r ON r.id = k.round_id WHERE k.id = a.target_id)"        \
    " ELSE 'a benchmark' END"
#define ASSESSMENT_NAME "'assessment of ' || " ASSESSED " || ' as of ' || a.as_of"

static const char LK(assessment_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'assessment', 'ref', 'assessment:' || a.id, 'id', a.id,"
    " 'name', " ASSESSMENT_NAME ", 'label', " ASSESSMENT_NAME " || ': ' || a.status, 'text',"
    " coalesce(a.evidence, ''), 'rec', CASE a.target_kind WHEN 'recommendation' THEN"
    " a.target_id ELSE 0 END, 'ask', CASE a.target_kind WHEN 'ask' THEN a.target_id ELSE 0"
    " END, 'ask_round', (SELECT r.dialogue_id || '#' || r.ordinal FROM ask k JOIN round r ON"
    " r.id = k.round_id WHERE a.target_kind = 'ask' AND k.id = a.target_id), 'dialogue',"
    " (SELECT b.dialogue_id FROM benchmark b WHERE a.target_kind = 'benchmark' AND b.id ="
    " a.target_id), 'target_id', a.target_id) j FROM assessment a WHERE " NO_DIALOGUE " AND "
    ANY_ID("a.id") " AND "
    HOLDS("a.status || ' ' || coalesce(a.evidence, '')") " ORDER BY a.id");

static const char LK(benchmark_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'benchmark', 'ref', 'benchmark:' || b.id, 'id', b.id, 'name',"
    " 'benchmark: ' || " SHORT("b.text") ", 'label', 'benchmark: ' || " SHORT("b.text") ","
    " 'text', b.text, 'dialogue', b.dialogue_id) j FROM benchmark b"
    " WHERE (?2 = 0 OR b.dialogue_id = ?2) AND " ANY_ID("b.id") " AND " HOLDS("b.text")
    " ORDER BY b.id");

#define COMMITMENT_NAME "'commitment of ' || " PARTY("c.party") " || ' in round ' || r.ordinal"

static const char LK(commitment_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'commitment', 'ref', 'commitment:' || c.id, 'id', c.id,"
    " 'name', " COMMITMENT_NAME ", 'label', " COMMITMENT_NAME " || ': ' || " SHORT("c.promise")
    ", 'text', c.promise, 'round_ref', r.dialogue_id || '#' || r.ordinal, 'dialogue',"
    " r.dialogue_id) j FROM commitment c JOIN round r ON r.id = c.round_id"
    " WHERE (?2 = 0 OR r.dialogue_id = ?2) AND " ANY_ID("c.id") " AND " HOLDS("c.promise")
    " ORDER BY c.id");

#define PARTICIPANT_NAME "p.name || ' in round ' || r.ordinal"

static const char LK(participant_sql)[] = ARRAY_OF(
    "SELECT " JOBJ "('kind', 'participant', 'ref', 'participant:' || p.id, 'id', p.id,"
    " 'name', " PARTICIPANT_NAME ", 'label', " PARTICIPANT_NAME ", 'text', coalesce(p.title,"
    " ''), 'round_ref', r.dialogue_id || '#' || r.ordinal, 'dialogue', r.dialogue_id) j"
    " FROM participant p JOIN round r ON r.id = p.round_id"
    " WHERE (?2 = 0 OR r.dialogue_id = ?2) AND " ANY_ID("p.id") " AND " HOLDS("p.name")
    " ORDER BY p.id");
// clang-format on
