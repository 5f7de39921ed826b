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

/* The kinds of step, documented in docs/ledger.md. */
RT_API extern const char *const rt_step_kinds[];
RT_API int rt_step_kind_valid(const char *kind);

/* Dialogues. parties: n names (two or more). */
RT_API int rt_dialogue_add(struct rt_store *st, const char *name, const char *kind,
                           const char *const *parties, size_t n, int64_t *out_id,
                           struct rt_error *err);
/* Finds a dialogue by id ("3") or by exact name. */
RT_API int rt_dialogue_find(struct rt_store *st, const char *ref, int64_t *out_id,
                            struct rt_error *err);

/* Rounds: ordinal 0 means the next one. */
struct rt_round_in {
    int64_t dialogue_id;
    int ordinal;
    const char *date, *place, *summary, *source;
};
RT_API int rt_round_add(struct rt_store *st, const struct rt_round_in *r, int64_t *out_id,
                        struct rt_error *err);
/* Finds a round by id, or by "DIALOGUE#ORDINAL" (dialogue id or name). */
RT_API int rt_round_find(struct rt_store *st, const char *ref, int64_t *out_id,
                         struct rt_error *err);

RT_API int rt_participant_add(struct rt_store *st, int64_t round_id, const char *name,
                              const char *title, const char *organisation, const char *party,
                              int64_t *out_id, struct rt_error *err);
RT_API int rt_topic_add(struct rt_store *st, int64_t round_id, const char *text,
                        const char *theme, int64_t *out_id, struct rt_error *err);
RT_API int rt_ask_add(struct rt_store *st, int64_t round_id, const char *from, const char *to,
                      const char *text, const char *theme, int64_t *out_id,
                      struct rt_error *err);

struct rt_step_in {
    const char *actor, *date, *kind, *direction; /* direction: "positive" or "negative" */
    int64_t quantity;                            /* -1: none */
    const char *text, *source;
};
RT_API int rt_step_add(struct rt_store *st, const struct rt_step_in *s, int64_t *out_id,
                       struct rt_error *err);

/*
 * Links, as "KIND:ID" references (kinds: step, topic, ask, benchmark, recommendation
 * or rec, round). Allowed: step answers ask|recommendation; step welcomed-in round;
 * step responds-to step (never itself, never in a cycle, and not to a later step);
 * topic|ask about recommendation; benchmark tracks ask|recommendation|step.
 * Linking twice is not an error.
 */
RT_API int rt_link_add(struct rt_store *st, const char *from, const char *relation,
                       const char *to, struct rt_error *err);

/* Commitments: made open on the round's date; resolved once, to fulfilled (with
 * the step that fulfilled it, if any) or lapsed. Resolving twice is RT_EINVAL. */
RT_API int rt_commitment_add(struct rt_store *st, int64_t round_id, const char *party,
                             const char *condition, const char *promise, int64_t *out_id,
                             struct rt_error *err);
RT_API int rt_commitment_resolve(struct rt_store *st, int64_t id, const char *status,
                                 int64_t step_id, const char *as_of, const char *note,
                                 struct rt_error *err);

RT_API int rt_benchmark_add(struct rt_store *st, int64_t dialogue_id, const char *text,
                            int64_t *out_id, struct rt_error *err);

/*
 * Assesses a target ("rec:ID", "ask:ID", "benchmark:ID") as of a date. Statuses of
 * recommendations and asks: not-started, in-progress, partially, fully, regressed,
 * unknown; of benchmarks: met, partly-met, not-met. Never overwrites: each is a new row.
 */
struct rt_assessment_in {
    const char *target, *as_of, *status, *evidence, *source, *assessor;
};
RT_API int rt_assess(struct rt_store *st, const struct rt_assessment_in *a, int64_t *out_id,
                     struct rt_error *err);

/* Reads. Each sets *out to a new reference (json_decref it) on success. */
RT_API int rt_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err);
/* {"id", "name", "kind", "parties", "rounds": [...], "benchmarks": [...]} */
RT_API int rt_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
/* {"id", "dialogue", "ordinal", "date", "date_precision", "place", "summary", "source",
 *  "participants", "topics", "asks", "welcomed_steps", "commitments"} */
RT_API int rt_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
/* Steps by actor (NULL: all) and of a dialogue's parties (0: any), in date order. */
RT_API int rt_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor,
                        json_t **out, struct rt_error *err);
/* The status of "rec:ID", "ask:ID", "benchmark:ID" or "commitment:ID" as of a date
 * (NULL: today): {"target", "as_of", "status", "evidence", "source", "assessed_on",
 * "history": [...]} with only what was dated on or before as_of. */
RT_API int rt_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                     struct rt_error *err);
/* What moved since a round, as of a date (NULL: everything recorded). */
RT_API int rt_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                    struct rt_error *err);
/* Rounds and steps of a dialogue in date order, each response with what it answers. */
RT_API int rt_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                       json_t **out, struct rt_error *err);
/* Each party's steps, and which answered which. */
RT_API int rt_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                          json_t **out, struct rt_error *err);

/*
 * The whole database as one JSON document (docs/export.md): {"format": "rightstrack",
 * "version": 1, "schema": N, "tables": {"source": [...], "recommendation": [...], ...}}.
 */
RT_API int rt_store_export(struct rt_store *st, json_t **out, struct rt_error *err);
/* Restores an export into an empty database, inside the caller's transaction;
 * path names the file in errors. */
RT_API int rt_store_import_export(struct rt_store *st, const char *path, json_t *doc,
                                  struct rt_error *err);

#endif
