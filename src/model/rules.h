/*
 * Domain rules that every store back end applies (src/model/rules.c): pure functions
 * over values, with no database, so that a second back end calls them instead of
 * copying them. The back ends do the reads these rules need (does a state exist, does
 * a step come later) and the writes.
 */
#ifndef RT_MODEL_RULES_H
#define RT_MODEL_RULES_H

#include <rightstrack/ledger.h>
#include <rightstrack/model.h>

/*
 * The strength of a response when twins (the same recommendation given twice) are
 * merged: supported 3, noted 2, pledge 1, pending 0.
 */
int rt__response_rank(enum rt_response r);

/* Whether s is all ASCII digits and not empty: a bare record id, as references give it. */
int rt__digits_only(const char *s);

/*
 * Merges a twin's response in_resp and action category in_cat (0: unknown) into
 * *resp and *cat, whatever order the twins arrive in: the strongest response, the
 * higher category. Returns RT_PUT_CONFLICT (store.h) when the two disagree (two known
 * responses or two known categories that differ), else 0.
 */
unsigned rt__rec_merge(enum rt_response *resp, int *cat, enum rt_response in_resp, int in_cat);

/*
 * The text rule (rt_text_check) for each (field, value) pair given, up to a NULL
 * field; a NULL value is skipped. 0, or the first failure with err filled.
 */
int rt__check_texts(struct rt_error *err, ...);
/* RT_EINVAL on field when s is NULL or empty ("FIELD must not be empty"). */
int rt__need_text(const char *s, const char *field, struct rt_error *err);
/*
 * RT_EINVAL on field when s (NULL counts as "") is not a date rt_date_check takes, with
 * the one message every reader of dates gives: "'S' is not a date (YYYY-MM-DD, YYYY-MM
 * or YYYY)". rt__need_date_at also names the file and line the date came from.
 */
int rt__need_date(const char *s, const char *field, struct rt_error *err);
int rt__need_date_at(const char *s, const char *file, long line, const char *field,
                     struct rt_error *err);

/*
 * The organisations a party may be instead of a state, as codes (EU, OSCE, ODIHR, UN,
 * OHCHR, COE), NULL at the end.
 */
extern const char *const rt__organisations[];
/*
 * The code of the organisation name means (a code in any case, or "European Union"),
 * or NULL when it names none.
 */
const char *rt__organisation(const char *name);

/* A "KIND:ID" reference to a ledger record, read. */
struct rt__ref {
    const char *kind;  /* as stored: step, topic, ask, benchmark, recommendation, round,
                          commitment */
    const char *table; /* its table */
    int64_t id;
};
/*
 * Reads s ("step:3", "rec:6159", ...) into *out. RT_EINVAL on field when it is not
 * such a reference (NULL is allowed and refused).
 */
int rt__ref_parse(const char *s, const char *field, struct rt__ref *out, struct rt_error *err);
/* 1 when a from_kind may be linked to a to_kind by relation ("step answers ask"), else 0. */
int rt__link_allowed(const char *from_kind, const char *relation, const char *to_kind);

/*
 * The checks of a new step after its actor (which needs the store's states): a date,
 * a text, a kind of rt_step_kinds, a direction (positive, the default, or negative)
 * and a quantity of 0 or more (-1: none). Sets *dir to the direction to write.
 * RT_EINVAL naming the field on the first that fails.
 */
int rt__step_check(const struct rt_step_in *s, const char **dir, struct rt_error *err);

#endif
