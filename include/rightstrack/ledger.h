/*
 * The dialogue ledger: dialogues and their rounds, participants, topics and asks;
 * steps taken by the parties and what they answer; conditional commitments;
 * benchmarks; assessments. Writes take plain values and return the new id; reads
 * return jansson documents, the one shape the CLI (--json), the HTTP API and the
 * export share.
 *
 * A party is a state (any name, code or variant: stored as its ISO alpha-3 code) or
 * an organisation: EU, OSCE, ODIHR, UN, OHCHR, COE.
 * A date is YYYY-MM-DD, YYYY-MM or YYYY; its precision is day, month or year. Dates
 * compare by their first day: "2015-08" is before "2015-08-15", and so on.
 * Every write checks what it refers to and fails with RT_EINVAL or RT_ENOTFOUND,
 * err->field naming the argument, and writes nothing.
 */
#ifndef RIGHTSTRACK_LEDGER_H
#define RIGHTSTRACK_LEDGER_H

#include <jansson.h>

#include <rightstrack/store.h>

/* Checks a date; sets *precision ("day", "month", "year"; static) when not NULL.
 * RT_EINVAL for anything else, such as 2015-13-01 or 2015-02-30. */
RT_API int rt_date_check(const char *date, const char **precision);

/* Resolves a party to its stored code (alpha-3 or organisation) in out[16].
 * RT_EINVAL when it is neither a state nor a known organisation. */
RT_API int rt_party_resolve(struct rt_store *st, const char *name, char out[16],
                            struct rt_error *err);

/* A party's name for people: a state's short name ("Belarus" for BLR), an
 * organisation's code as it is ("OSCE"); code itself when the store does not know it.
 * A new string: rt_free it. The web pages, the briefing and the command line all name
 * parties with it. */
RT_API char *rt_party_name(struct rt_store *st, const char *code);

/*
 * The parties rt_party_resolve knows, for a form's completion: a new array (json_decref
 * it) of {"code", "name", "kind": "organisation" or "state"}, the organisations first,
 * then the states by name. *out is NULL on failure: RT_ESTORE (err filled).
 */
RT_API int rt_party_list(struct rt_store *st, json_t **out, struct rt_error *err);

/*
 * The kinds of step, documented in docs/ledger.md: rt_step_kinds lists them (static
 * strings, NULL at the end); rt_step_kind_valid returns 1 when kind (not NULL) is
 * one of them, else 0.
 */
RT_API extern const char *const rt_step_kinds[];
RT_API int rt_step_kind_valid(const char *kind);

/*
 * Adds a dialogue called name (unique; not a number, no '#') of kind (NULL:
 * "bilateral") between n parties (2 to 16, each resolved by rt_party_resolve, none
 * twice), and sets *out_id to its id. The strings are borrowed for the call.
 * RT_EINVAL (err->field "name" or "party") for a bad name or party, RT_EEXIST when
 * the name is taken, RT_ESTORE when the database fails; then nothing is written.
 */
RT_API int rt_dialogue_add(struct rt_store *st, const char *name, const char *kind,
                           const char *const *parties, size_t n, int64_t *out_id,
                           struct rt_error *err);
/*
 * Finds a dialogue by id ("3") or by name (case-blind) and sets *out_id.
 * RT_EINVAL for an empty ref, RT_ENOTFOUND when there is none (err->field
 * "dialogue"), RT_ESTORE when the database fails.
 */
RT_API int rt_dialogue_find(struct rt_store *st, const char *ref, int64_t *out_id,
                            struct rt_error *err);

/* Rounds: ordinal 0 means the next one. */
struct rt_round_in {
    int64_t dialogue_id;
    int ordinal;
    const char *date, *place, *summary, *source;
};
/*
 * Adds a round of r->dialogue_id on r->date (place, summary and source optional,
 * NULL for none) as number r->ordinal, or the next number when it is 0, and sets
 * *out_id to its id. r and its strings are borrowed for the call. RT_ENOTFOUND for
 * a missing dialogue, RT_EINVAL for a bad date or a negative ordinal, RT_EEXIST when
 * the dialogue has a round of that number (err->field names which), RT_ESTORE when
 * the database fails.
 */
RT_API int rt_round_add(struct rt_store *st, const struct rt_round_in *r, int64_t *out_id,
                        struct rt_error *err);
/*
 * Finds a round by id, or by "DIALOGUE#ORDINAL" (dialogue id or name), and sets
 * *out_id. RT_EINVAL when ref is neither, RT_ENOTFOUND when there is no such
 * dialogue or round (err->field "dialogue" or "round"), RT_ESTORE when the
 * database fails.
 */
RT_API int rt_round_find(struct rt_store *st, const char *ref, int64_t *out_id,
                         struct rt_error *err);
/*
 * Where round round_id sits: its dialogue's id and its number in it (people name it
 * "DIALOGUE#ORDINAL"). 0, RT_ENOTFOUND (no such round, err->field "round") or
 * RT_ESTORE. Every back end has it (the writes' commands print the reference).
 */
RT_API int rt_round_place(struct rt_store *st, int64_t round_id, int64_t *dialogue_id,
                          int64_t *ordinal, struct rt_error *err);

/*
 * Adds a participant to round round_id: name (required); title, organisation and
 * party (resolved by rt_party_resolve) optional, NULL for none. Sets *out_id to its
 * id; the strings are borrowed for the call. RT_ENOTFOUND for a missing round,
 * RT_EINVAL for an empty name or an unknown party, RT_ESTORE when the database fails.
 */
RT_API int rt_participant_add(struct rt_store *st, int64_t round_id, const char *name,
                              const char *title, const char *organisation, const char *party,
                              int64_t *out_id, struct rt_error *err);
/*
 * Adds a topic raised in round round_id: text (required) and a free theme (NULL for
 * none). Sets *out_id to its id; the strings are borrowed for the call.
 * RT_ENOTFOUND for a missing round, RT_EINVAL for an empty text, RT_ESTORE when the
 * database fails.
 */
RT_API int rt_topic_add(struct rt_store *st, int64_t round_id, const char *text, const char *theme,
                        int64_t *out_id, struct rt_error *err);
/*
 * Adds an ask made in round round_id by party from to party to (each resolved by
 * rt_party_resolve): text (required) and a free theme (NULL for none). Sets *out_id
 * to its id; the strings are borrowed for the call. RT_ENOTFOUND for a missing
 * round, RT_EINVAL for an empty text or an unknown party (err->field "text" or
 * "party"), RT_ESTORE when the database fails.
 */
RT_API int rt_ask_add(struct rt_store *st, int64_t round_id, const char *from, const char *to,
                      const char *text, const char *theme, int64_t *out_id, struct rt_error *err);

struct rt_step_in {
    const char *actor, *date, *kind, *direction; /* direction: "positive" or "negative" */
    int64_t quantity;                            /* -1: none */
    const char *text, *source;
};
/*
 * Adds a step taken by s->actor (a party, rt_party_resolve) on s->date: s->kind one
 * of rt_step_kinds, s->direction "positive" (also for NULL) or "negative",
 * s->quantity 0 or more (-1: none), s->text required, s->source optional. Sets
 * *out_id to its id; s and its strings are borrowed for the call. RT_EINVAL with
 * err->field naming the bad one ("party", "date", "kind", "direction", "quantity",
 * "text"), RT_ESTORE when the database fails; then nothing is written.
 */
RT_API int rt_step_add(struct rt_store *st, const struct rt_step_in *s, int64_t *out_id,
                       struct rt_error *err);

/*
 * Links, as "KIND:ID" references (kinds: step, topic, ask, benchmark, recommendation
 * or rec, round). Allowed: step answers ask|recommendation; step welcomed-in round;
 * step responds-to step (never itself, never in a cycle, and not to a later step);
 * topic|ask|round about recommendation (a round itself: schema 20); benchmark tracks
 * ask|recommendation|step.
 * Linking twice is not an error; linking again what was withdrawn restores the link.
 */
RT_API int rt_link_add(struct rt_store *st, const char *from, const char *relation, const char *to,
                       struct rt_error *err);

/*
 * Tags a topic or an ask ("topic:3", "ask:5") with an area of the theme taxonomy
 * ("expression", see `themes areas`; case-blind, stored as the area's code). origin
 * is "readout" (found by rt_readout_themes), "person" (NULL) or "model". RT_EINVAL
 * for an unknown area, RT_ENOTFOUND for a missing item; tagging twice is not an error.
 */
RT_API int rt_item_theme_add(struct rt_store *st, const char *item, const char *area,
                             const char *origin, struct rt_error *err);

/*
 * Commitments: made open on the round's date; resolved once, to fulfilled (with
 * the committing party's step that fulfilled it, if any) or lapsed.
 * rt_commitment_add records that party (rt_party_resolve) promised promise
 * (required) in round round_id, on condition (NULL for none), and sets *out_id.
 * rt_commitment_resolve sets commitment id to status "fulfilled" or "lapsed" as of
 * a date no earlier than it was made, with step_id (0: none; a step of the same
 * party) and a note (NULL for none). Strings are borrowed for the call. Both
 * return RT_ENOTFOUND for a missing round, commitment or step, RT_EINVAL for a bad
 * party, status, date or step, or a second resolution (err->field names it), and
 * RT_ESTORE when the database fails; then nothing is written.
 */
RT_API int rt_commitment_add(struct rt_store *st, int64_t round_id, const char *party,
                             const char *condition, const char *promise, int64_t *out_id,
                             struct rt_error *err);
RT_API int rt_commitment_resolve(struct rt_store *st, int64_t id, const char *status,
                                 int64_t step_id, const char *as_of, const char *note,
                                 struct rt_error *err);

/*
 * Adds a benchmark (text, required) by which dialogue dialogue_id will be judged,
 * and sets *out_id to its id; text is borrowed for the call. RT_ENOTFOUND for a
 * missing dialogue, RT_EINVAL for an empty text, RT_ESTORE when the database fails.
 */
RT_API int rt_benchmark_add(struct rt_store *st, int64_t dialogue_id, const char *text,
                            int64_t *out_id, struct rt_error *err);

/*
 * Assesses a target ("rec:ID", "ask:ID", "benchmark:ID") as of a date. Statuses of
 * recommendations and asks: not-started, in-progress, partially, mostly, fully, regressed,
 * unknown; of benchmarks: met, partly-met, not-met. Never overwrites: each is a new row.
 */
struct rt_assessment_in {
    const char *target, *as_of, *status, *evidence, *source, *assessor;
};
/*
 * rt_assess adds a's assessment (evidence, source and assessor optional, NULL for
 * none) and sets *out_id to its id; a and its strings are borrowed for the call.
 * RT_EINVAL for a bad target, date or status (err->field "target", "date" or
 * "status"), RT_ENOTFOUND for a missing target, RT_ESTORE when the database fails.
 * rt_assess_replacing does the same for the correction of assessment replaces (0:
 * none), an earlier one of the same target: reads show the new one instead of the
 * old, which stays. RT_EINVAL (err->field "replaces") when replaces is of another
 * target, RT_ENOTFOUND when there is no such assessment.
 */
RT_API int rt_assess(struct rt_store *st, const struct rt_assessment_in *a, int64_t *out_id,
                     struct rt_error *err);
RT_API int rt_assess_replacing(struct rt_store *st, const struct rt_assessment_in *a,
                               int64_t replaces, int64_t *out_id, struct rt_error *err);

/*
 * Reads. Each sets *out to a new reference (json_decref it) on success. as_of is a
 * date or NULL for everything recorded; with a date, only what is dated on or
 * before it appears. A step is {"id", "actor", "date", "date_precision", "kind",
 * "direction", "quantity", "text", "source", "responds_to": [step ids],
 * "responded_by": [step ids], "answers": ["ask:2", "recommendation:6159"],
 * "welcomed_in": [round ids]}. An assessment is {"status", "as_of", "evidence",
 * "source", "assessor"}, null when there is none.
 */
/* [{"id", "name", "kind", "parties": [codes], "rounds": count, "last_round": date}] */
RT_API int rt_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err);
/* {"id", "name", "kind", "parties", "rounds": [{"id", "ordinal", "date", "place",
 *  "summary", "source"}], "benchmarks": [{"id", "text", "tracks", "assessment"}]} */
RT_API int rt_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
/* {"id", "dialogue": {"id", "name", "parties"}, "ordinal", "date", "date_precision",
 *  "place", "summary", "source", "recommendations": [ids linked to the round itself by
 *  hand], "participants": [{"id", "name", "title",
 *  "organisation", "party"}], "topics": [{"id", "text", "theme", "areas",
 *  "recommendations"}], "asks": [ask], "welcomed_steps": [step], "commitments":
 *  [commitment], "linked_recommendations": {"states": [codes], "count", "areas":
 *  [{"code", "label", "count"}]}}, where an ask is {"id", "round", "from", "to", "text",
 *  "theme", "areas", "recommendations", "answered_by", "assessment"} and a commitment
 *  {"id", "round", "party", "condition", "promise", "status": {"status", "as_of",
 *  "step", "note"}}. "areas" are the theme areas of a topic or ask (rt_item_theme_add).
 *  linked_recommendations counts the recommendations made to the round's states on
 *  the areas of its topics and asks (a recommendation's theme of any vocabulary that
 *  maps onto the area): the states are those the round's asks are addressed to, or,
 *  when no ask is addressed to a state, the dialogue's parties that are states. */
RT_API int rt_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
/* [step] by actor (NULL: all) and of a dialogue's parties (0: any), in date order. */
RT_API int rt_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                        struct rt_error *err);
/*
 * Where "rec:ID", "ask:ID", "benchmark:ID" or "commitment:ID" stood as of a date.
 * Recommendations, asks, benchmarks: {"target", "as_of", "status" (the latest
 * assessment's, or "unassessed"), "latest": assessment, "history": [assessments in
 * date order]}. Commitments: {"target", "as_of", "status" (open, fulfilled, lapsed),
 * "since": date, "step": id or null, "history": [{"as_of", "status", "step", "note"}]}.
 */
RT_API int rt_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                     struct rt_error *err);
/*
 * What the ledger links to recommendation rec_id: {"recommendation": id, "rounds":
 * [round], "topics": [{"id", "text", "theme", "round": round}], "asks": [{"id",
 * "from", "to", "text", "theme", "round": round, "assessment"}], "steps": [{"id",
 * "actor", "date", "kind", "direction", "text", "source"}] (the steps that answer
 * it), "assessments": [{"id", "as_of", "status", "evidence", "source", "assessor"}]
 * (its own, in date order)}, where a round is {"id", "ordinal", "date", "dialogue":
 * {"id", "name"}, "label": "round 2 of NAME"} and "rounds" are those of its topics
 * and asks and those linked to it themselves. RT_ENOTFOUND when there is no such recommendation.
 */
RT_API int rt_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                         struct rt_error *err);
/* What moved after a round: {"round", "dialogue", "as_of", "steps": [{"party",
 * "steps": [step dated after the round]}], "asks_open": [ask], "asks_closed": [ask],
 * "commitments": [commitment], "assessments": [{"target", "as_of", "status",
 * "evidence", "source"} made after the round on the dialogue's asks, benchmarks or
 * recommendations to its parties, each one that changed the status before it],
 * "new_recommendations": [{"id", "state_under_review", "session", "date", "response", "text"} from
 * UPR sessions after the round]}. */
RT_API int rt_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                    struct rt_error *err);
/* {"dialogue", "as_of", "events": [{"type": "round", "date", "id", "ordinal", "place",
 *  "summary"} or {"type": "step", "date", "step": step, "in_response_to": [{"id",
 *  "actor", "date", "kind", "text"}]}]} in date order, rounds before steps of a day. */
RT_API int rt_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                       struct rt_error *err);
/* {"dialogue", "as_of", "parties": [{"party", "positive", "negative", "steps": [step]}],
 *  "responses": [{"step", "actor", "date", "text", "responds_to", "to_actor", "to_date",
 *  "to_text"}]} */
RT_API int rt_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                          struct rt_error *err);

/*
 * The whole database as one JSON document (docs/export.md): {"format": "rightstrack",
 * "version": 1, "schema": N, "tables": {"source": [...], "recommendation": [...], ...}}.
 */
RT_API int rt_store_export(struct rt_store *st, json_t **out, struct rt_error *err);
/* Restores an export into an empty database, inside the caller's transaction;
 * path names the file in errors. */
RT_API int rt_store_import_export(struct rt_store *st, const char *path, json_t *doc,
                                  struct rt_error *err);

/*
 * Corrections and withdrawals (schema 12). A dialogue, round, participant, topic, ask,
 * step, commitment or benchmark (kind) is read, corrected and withdrawn by its id; a
 * link by its name, "step:3 answers ask:2". A person (person.h) is read and corrected,
 * never withdrawn (RT_EINVAL: it is merged), and an event of a case ("case", schema
 * 18) is read, corrected and withdrawn as the others; a person's document also has
 * "merged_into". Withdrawn records stay in the database:
 * the reads leave them out as of their withdrawal date (withdrawn_on) and after,
 * and always when they were withdrawn without a date. These take values the caller
 * checked (rt_ledger_edit and rt_ledger_withdraw in entity.h do): faces call those.
 *
 * rt_record_get sets *out to {"kind", "id", "ref", "parent": "round:5" or null,
 * "name" (a round's D#N), "withdrawn": reason or null, "withdrawn_on", "fields": {the
 * entity's fields by their JSON names, with the record's standing links as lists}}.
 * rt_record_exists is rt_record_get without the document. Both RT_ENOTFOUND for no
 * such record, RT_EINVAL for a kind that is none of the above.
 */
RT_API int rt_record_get(struct rt_store *st, const char *kind, int64_t id, json_t **out,
                         struct rt_error *err);
RT_API int rt_record_exists(struct rt_store *st, const char *kind, int64_t id,
                            struct rt_error *err);
/*
 * Sets the fields of record kind:id named in fields (JSON names; null or "" clears
 * one; a dialogue's "parties", a list of codes, replaces its parties). Fields that
 * are lists of links are the caller's (rt_link_add, rt_links_keep). RT_EINVAL for a
 * field the record does not have or a value the table refuses (a round number taken),
 * RT_ENOTFOUND for no record, RT_ESTORE when the database fails.
 */
RT_API int rt_record_update(struct rt_store *st, const char *kind, int64_t id, const json_t *fields,
                            struct rt_error *err);
/* Withdraws record kind:id for reason (borrowed), as of date (NULL: it was a mistake,
 * gone from every view). Withdrawing again sets the new reason and date.
 * RT_ENOTFOUND, RT_EINVAL for a kind that is not withdrawn so, RT_ESTORE. */
RT_API int rt_record_withdraw(struct rt_store *st, const char *kind, int64_t id, const char *reason,
                              const char *date, struct rt_error *err);
/* The same for the link named link ("step:3 answers ask:2", rec or recommendation).
 * RT_EINVAL for a name that is no link, RT_ENOTFOUND when there is no such link. */
RT_API int rt_link_withdraw(struct rt_store *st, const char *link, const char *reason,
                            const char *date, struct rt_error *err);
/* Withdraws (without a date, for reason) the standing links from record from ("step:3")
 * by relation whose other end is not in keep, a JSON array of "KIND:ID" strings
 * ("rec:5" or "recommendation:5", "round:2"). RT_EINVAL for a bad from, RT_ESTORE. */
RT_API int rt_links_keep(struct rt_store *st, const char *from, const char *relation,
                         const json_t *keep, const char *reason, struct rt_error *err);

#endif
