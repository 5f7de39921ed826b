/*
 * People behind the numbers (docs/persons.md): a register of persons, their names in
 * every script and spelling met, and their cases as dated events, linked to the asks
 * that name them and the steps that freed them. A person's status as of a date
 * follows from the events; the count of detained persons as of a date follows from
 * the statuses.
 *
 * Persons are private records: the faces show them only to those allowed to see
 * them (src/http/person_page.c says who), and no public report or page lists them.
 * (Issue "private": when records get a private flag, persons are private by
 * default; rt_person_list and rt_person_get are where a read filter goes.)
 *
 * Names are matched across scripts and romanisations by a key: ICU's transform
 * "Any-Latin; Latin-ASCII" (Cyrillic, Han, Vietnamese ... to plain Latin letters),
 * then a few folds of the spellings that romanisations disagree on (sh/š, ts/c,
 * ya/ia/я, o/a, e/i, h/g, a final u/v), and the words in order. Two names with the
 * same key are the same name; names whose keys are close are offered as the same
 * person, never merged without being told.
 */
#ifndef RIGHTSTRACK_PERSON_H
#define RIGHTSTRACK_PERSON_H

#include <jansson.h>

#include <rightstrack/store.h>

/* The events of a case, and the ways a release comes (NULL-terminated, static). */
RT_API extern const char *const rt_case_events[];
RT_API extern const char *const rt_release_hows[];

/* The score from which a name is offered as a known person's (rt_person_match). */
#define RT_PERSON_CLOSE 0.88

/*
 * Writes the match key of name (UTF-8, any script) into out, which it resets:
 * lower-case ASCII words in sorted order, one space between. RT_EINVAL when name
 * holds no letter or is not UTF-8, RT_EIO when ICU cannot open its transform.
 */
RT_API int rt_person_name_key(const char *name, struct rt_buf *out, struct rt_error *err);

/*
 * How close two match keys are, from 0 (nothing alike) to 1 (the same key, or the
 * same letters with the words split otherwise: "jin ping xi" and "jinping xi").
 */
RT_API double rt_person_key_similarity(const char *a, const char *b);

/* The similarity of two names (each through rt_person_name_key); -1 when either
 * has no key. */
RT_API double rt_person_name_similarity(const char *a, const char *b);

/* A person to add. birth_year 0: not known; if_close "new" makes a new person even
 * when the name is close to a known one; NULL or "refuse" refuses then; state: the
 * state that holds or held them (any name or code rt_party_resolve knows), or NULL.
 * A person is a private record (private.h) unless is_public is set. */
struct rt_person_in {
    const char *name, *sex; /* sex: "female", "male" or NULL */
    int birth_year;
    const char *groups, *note, *source, *if_close;
    const char *state;
    int is_public;
};

/*
 * Adds a person called p->name (its first spelling, from p->source) and sets *out_id,
 * marked private (only editors and admins see them) unless p->is_public.
 * A name whose key is a known person's is that person: RT_EEXIST naming "name" and
 * the person; a name close to a known person's (RT_PERSON_CLOSE) is refused the same
 * way, naming the persons it is close to, unless p->if_close is "new". RT_EINVAL
 * (err->field naming it) for an empty name, a bad sex, birth year or state; RT_ESTORE.
 */
RT_API int rt_person_add(struct rt_store *st, const struct rt_person_in *p, int64_t *out_id,
                         struct rt_error *err);

/*
 * Finds a person by id ("3", "person:3") or by a name whose key is one person's
 * (following merges to the person kept), and sets *out_id. RT_ENOTFOUND when none,
 * RT_EINVAL when the name is several persons' (err->field "person").
 */
RT_API int rt_person_find(struct rt_store *st, const char *ref, int64_t *out_id,
                          struct rt_error *err);

/*
 * The known persons whose names are close to name, best first: a new array in *out
 * of {"id", "name", "score", "same"} (same: a name of theirs has name's key), those
 * with a score of at least RT_PERSON_CLOSE. Merged persons are left out.
 */
RT_API int rt_person_match(struct rt_store *st, const char *name, json_t **out,
                           struct rt_error *err);

/* Adds a spelling to person id (source may be NULL); one it has is not an error.
 * RT_ENOTFOUND, RT_EINVAL for an empty name. */
RT_API int rt_person_name_add(struct rt_store *st, int64_t id, const char *name, const char *source,
                              struct rt_error *err);

/*
 * Merges person other into person keep: other's names, case events and asks become
 * keep's, and other points at keep (merged_into). In one transaction. RT_EINVAL when
 * they are the same or either was merged already, RT_ENOTFOUND.
 */
RT_API int rt_person_merge(struct rt_store *st, int64_t keep, int64_t other, struct rt_error *err);

/* An event of a case. how: of a release (rt_release_hows); step_id 0: none. */
struct rt_case_in {
    int64_t person_id;
    const char *event, *date, *how, *detail, *source;
    int64_t step_id;
};

/*
 * Adds an event to a person's case and sets *out_id. c->event one of
 * rt_case_events; c->how only for a release, one of rt_release_hows; c->step_id
 * only for a release: a step whose named persons then may not pass its quantity.
 * RT_EINVAL (err->field "event", "date", "how", "step"), RT_ENOTFOUND for a missing
 * person or step, RT_ESTORE.
 */
RT_API int rt_case_add(struct rt_store *st, const struct rt_case_in *c, int64_t *out_id,
                       struct rt_error *err);

/*
 * Checks the stored event case_id of a case against the rules rt_case_add applies to a
 * new one (its event, date and how; a step only for a release, and a step naming no
 * more persons than its quantity), after a correction (rt_ledger_edit calls it inside
 * its transaction, which it rolls back on an error). 0, RT_EINVAL (err->field "event",
 * "date", "how" or "step"), RT_ENOTFOUND, RT_ESTORE.
 *
 * A case event is corrected and withdrawn as the ledger's records are (entity.h:
 * rt_ledger_edit and rt_ledger_withdraw on "case:ID"); the reads below leave out an
 * event withdrawn without a date, and one withdrawn as of a date from that date on.
 */
RT_API int rt_case_check(struct rt_store *st, int64_t case_id, struct rt_error *err);

/* Records that ask ask_id names person person_id; twice is not an error.
 * RT_ENOTFOUND for either missing. */
RT_API int rt_ask_person_add(struct rt_store *st, int64_t ask_id, int64_t person_id,
                             struct rt_error *err);

/*
 * Reads; each sets *out to a new reference (json_decref it). as_of NULL: today's
 * records, all of them. A status is {"status": detained|released|died|unknown,
 * "how", "since", "inferred"} where inferred is true when the person is held only
 * because a later release is on record.
 *
 * rt_person_get: {"id", "name", "names": [{"name", "source"}], "sex", "birth_year",
 * "state" (alpha-3 code or null), "groups", "note", "merged_into", "as_of", "status", "events":
 * [{"id", "date", "date_precision", "event", "how", "detail", "source", "step"}], "asks": [{"id",
 * "round", "text"}], "steps": [step ids]}. RT_ENOTFOUND.
 */
RT_API int rt_person_get(struct rt_store *st, int64_t id, const char *as_of, json_t **out,
                         struct rt_error *err);
/* [{"id", "name", "names", "groups", "status"}] by name; q (NULL: all) keeps those
 * whose names are close to it or contain it. Merged persons are left out. */
RT_API int rt_person_list(struct rt_store *st, const char *q, const char *as_of, json_t **out,
                          struct rt_error *err);
/* The persons a step freed: {"step", "quantity", "named", "unnamed", "persons": [{"id",
 * "name"}]}; unnamed is the quantity less the named (null without a quantity). */
RT_API int rt_step_persons(struct rt_store *st, int64_t step_id, json_t **out,
                           struct rt_error *err);
/* The persons an ask names and their status: {"ask", "as_of", "held", "freed",
 * "persons": [{"id", "name", "status"}]}. */
RT_API int rt_ask_persons(struct rt_store *st, int64_t ask_id, const char *as_of, json_t **out,
                          struct rt_error *err);
/* Persons by status as of a date: {"as_of", "persons", "detained", "inferred",
 * "released", "died", "unknown"}: detained counts those held by a recorded event,
 * inferred those held only because a later release is on record (their detention's
 * date is not known). */
RT_API int rt_person_count(struct rt_store *st, const char *as_of, json_t **out,
                           struct rt_error *err);
/*
 * The register's count of detained persons beside the counts others published, read
 * from a CSV with the columns date, count and measure (and counted_by), such as
 * political_prisoners_counts.csv (read as Python's csv module reads: a quote inside an
 * unquoted field is a letter): [{"date", "published", "measure", "counted_by",
 * "register", "inferred"}], register and inferred as rt_person_count's detained and
 * inferred. RT_EIO, RT_EINVAL naming the file and line.
 */
/* The counts others published, read from such a CSV as rt_person_counts_compare
 * reads it: [{"date", "published", "measure", "counted_by"}] in the file's order.
 * RT_EIO, RT_EFORMAT, RT_EINVAL naming the file and line. */
RT_API int rt_person_counts_read(const char *path, json_t **out, struct rt_error *err);
RT_API int rt_person_counts_compare(struct rt_store *st, const char *path, json_t **out,
                                    struct rt_error *err);
/*
 * The count of persons held over time, for the persons of state (an alpha-3 code):
 * those whose state it is, and those with no state whose case concerns it (a standing
 * release of theirs names a step state took, or a standing ask to state names them). A point for
 * each day on which an event of theirs fell, up to as_of (NULL: all): {"state", "as_of", "persons",
 * "points": [{"date" (the event's date as its first day, YYYY-MM-DD), "detained", "inferred"}]},
 * detained and inferred as rt_person_count's. RT_EINVAL for a bad date, RT_ESTORE.
 */
RT_API int rt_person_series(struct rt_store *st, const char *state, const char *as_of, json_t **out,
                            struct rt_error *err);

/*
 * The persons raised in a dialogue (named by its asks) and who of them is held as of
 * a date: {"as_of", "persons": [{"id", "name", "status", "asks": [ask ids]}],
 * "held"}.
 */
RT_API int rt_dialogue_persons(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                               json_t **out, struct rt_error *err);

/*
 * Imports a CSV of persons' events, in one transaction: either our register's format
 * (columns person, date, event, and optionally how, detail, source, step) or a file of
 * release events with named persons (date, released_count, mechanism, named_persons,
 * source_url, as ../shared/data/belarus/political_prisoner_releases.csv). A name whose
 * key is a known person's is that person; a name close to one is taken as that person
 * when if_close is "same", made a new person when "new", and refused (RT_EEXIST naming
 * the line) when NULL or "refuse". state (NULL: none) is the state of the persons
 * made, and of the known persons with no state yet (RT_EINVAL when it is no party). A release on
 * the day of the one step of a release kind that day is linked to it. *out: {"rows", "persons_new",
 * "names_added", "events", "linked", "close": [{"line", "name", "person", "score"}]}.
 */
RT_API int rt_person_import(struct rt_store *st, const char *path, const char *if_close,
                            const char *state, json_t **out, struct rt_error *err);

#endif
