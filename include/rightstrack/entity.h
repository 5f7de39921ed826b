/*
 * The ledger's records described once: each kind of record (dialogue, round,
 * participant, topic, ask, step, commitment, benchmark, assessment, link) is a static
 * table of its fields, with the name the JSON API uses, the option the command line
 * uses, its type, whether it is required, the words a person reads about it and, for
 * a choice, its vocabulary. The web's forms, the API's checks and the CLI's options
 * are all made from these tables, and rt_ledger_write writes a record from a JSON
 * object checked against its table: adding a field to a table adds it to all three
 * faces at once (docs/developer-guide.md, "How to add a field").
 */
#ifndef RIGHTSTRACK_ENTITY_H
#define RIGHTSTRACK_ENTITY_H

#include <jansson.h>

#include <rightstrack/store.h>

enum rt_field_type {
    RT_FIELD_TEXT = 1, /* a line of text */
    RT_FIELD_LONGTEXT, /* a paragraph: a text area on the web, the rest of the line on the CLI */
    RT_FIELD_DATE,     /* YYYY-MM-DD, YYYY-MM or YYYY (rt_date_check) */
    RT_FIELD_PARTY,    /* a state (any name, code or variant) or an organisation */
    RT_FIELD_PARTIES,  /* a list of parties */
    RT_FIELD_INT,      /* a whole number in [lo, hi] */
    RT_FIELD_CHOICE,   /* one word of vocabulary */
    RT_FIELD_REF,      /* a record: "KIND:ID", or a bare id of ref_kind */
    RT_FIELD_REFS,     /* a list of records, each linked by relation */
    RT_FIELD_FLAG      /* yes or no: JSON true or false, a check box, an option without value */
};

enum {
    RT_FIELD_REQUIRED = 1 << 0,
    /* A choice whose vocabulary is what a form offers; the writer checks the value
     * against the record it concerns (an assessment's status). */
    RT_FIELD_OPEN = 1 << 1,
};

struct rt_field {
    const char *name;   /* in JSON and in forms: "welcomed_in" */
    const char *option; /* on the command line, "--welcomed-in"; NULL: an argument */
    enum rt_field_type type;
    unsigned flags;
    const char *label;             /* a form's label: "Welcomed in rounds" */
    const char *help;              /* a sentence for --help and the form's hint */
    const char *arg;               /* what --help calls the value: "ROUND" */
    const char *const *vocabulary; /* RT_FIELD_CHOICE, NULL-terminated */
    /* RT_FIELD_REF(S): the kind a bare id means ("rec", "round", "step"), and the words
     * of an error for a value that is no reference ("ask:ID or rec:ID"). */
    const char *ref_kind, *need;
    const char *relation; /* RT_FIELD_REFS of a record: the link it makes ("answers") */
    long lo, hi;          /* RT_FIELD_INT: the range; RT_FIELD_PARTIES: how many */
};

struct rt_entity {
    const char *name;              /* "step" */
    const char *plural;            /* "steps" */
    const char *parent;            /* the kind of record it belongs to ("round"), or NULL */
    const char *help;              /* what it is, in a sentence */
    const struct rt_field *fields; /* ends with a field whose name is NULL */
};

/* Every entity, ending with NULL. */
RT_API extern const struct rt_entity *const rt_entities[];

/* The entity called name ("step"), or NULL. */
RT_API const struct rt_entity *rt_entity_find(const char *name);

/* The field of e called name (its JSON name), or NULL. */
RT_API const struct rt_field *rt_entity_field(const struct rt_entity *e, const char *name);

/* The vocabularies of the choice fields. */
RT_API extern const char *const rt_directions[];          /* positive, negative */
RT_API extern const char *const rt_assessment_statuses[]; /* of recommendations and asks */
RT_API extern const char *const rt_benchmark_statuses[];  /* met, partly-met, not-met */
RT_API extern const char *const rt_link_relations[];

/*
 * Finds a record of kind "dialogue" or "round" by the reference a person types
 * (rt_dialogue_find, rt_round_find), for an entity's parent. RT_ENOTFOUND, or
 * RT_EINVAL for another kind.
 */
RT_API int rt_ledger_find(struct rt_store *st, const char *kind, const char *ref, int64_t *out_id,
                          struct rt_error *err);

/*
 * Checks body, a JSON object, against the fields of entity e: no field it does not
 * describe, each of its type, the required ones there (a null or "" is absent), each
 * choice in its vocabulary. RT_EINVAL with err->field naming the field; 0 when good.
 */
RT_API int rt_entity_check(const struct rt_entity *e, const json_t *body, struct rt_error *err);

/*
 * Writes a record of the entity called entity ("step", "round", ...) from body, which
 * rt_entity_check checks first, with the links its list fields make (a step's answers,
 * welcomed_in and responds_to; the recommendations of a topic or an ask; the targets
 * of a link). parent_id is the record of e->parent it belongs to (0 for none). All in
 * one transaction: on any error nothing is written, and err->field names the field of
 * body that was wrong. Sets *out_id to the new record's id (for a link, to the number
 * of links made). 0, RT_EINVAL, RT_ENOTFOUND or the store's error; RT_ENOTFOUND too for
 * an entity that does not exist.
 */
RT_API int rt_ledger_write(struct rt_store *st, const char *entity, int64_t parent_id,
                           const json_t *body, int64_t *out_id, struct rt_error *err);

/*
 * Corrects the record ref names ("step:3", "ask:2", "D#2" or "round:5" for a round,
 * "dialogue:1", ...) with the fields of body, a JSON object of some of its entity's
 * fields: each is checked as rt_ledger_write checks it (its type, vocabulary, the
 * text rule, dates, parties) and the record as corrected must still have its
 * required fields; null or "" clears a field. A list of links (a step's answers, a
 * topic's recommendations) given is the new list: links not in it are withdrawn,
 * new ones made. All in one transaction; the audit log keeps what was there before.
 * Sets out_ref (128 bytes, or NULL) to the record as the log names it ("round:5").
 * Links and assessments are not corrected: a link is withdrawn and made again, an
 * assessment replaced by a new one (its "replaces"). RT_EINVAL with err->field naming
 * the field, RT_ENOTFOUND for no such record, or the store's error.
 */
RT_API int rt_ledger_edit(struct rt_store *st, const char *ref, const json_t *body, char *out_ref,
                          struct rt_error *err);

/*
 * Withdraws the record ref names (as rt_ledger_edit; a link as "step:3 answers ask:2")
 * for reason (required, the text rule), as of date (YYYY-MM-DD, YYYY-MM or YYYY; NULL:
 * it was a mistake and leaves every view). It stays in the database, the export and
 * its history; the reads show it as of dates before date. Sets out_ref as
 * rt_ledger_edit does. RT_EINVAL (err->field "reason", "date" or "record"),
 * RT_ENOTFOUND, or the store's error.
 */
RT_API int rt_ledger_withdraw(struct rt_store *st, const char *ref, const char *reason,
                              const char *date, char *out_ref, struct rt_error *err);

#endif
