/*
 * Finding records by what a person reads: the names of the ledger's records and of
 * recommendations and parties, so that the faces never show a row id where a name
 * belongs. A form's picker asks rt_lookup for the records whose name holds what the
 * user typed and posts the reference ("ref") it answers, the reference the library
 * takes ("rec:14", "ask:2", "step:3", "1#2" for a round, "BLR" for a party); a page
 * that shows a reference names it with rt_ref_name.
 *
 * An entry is {"kind", "ref", "id", "name", "label", "text"} where name is short
 * ("step of 2015-08-22 by Belarus", "round 2 of NAME (2015-12-16, Washington)") and
 * label is what a list shows (the name and the start of the text). Entries may carry
 * more: "dialogue" (id) and "ordinal" of a round, and of an ask or topic the round's
 * "round_ref" and "dialogue"; "rec" of an assessment (the recommendation it judges,
 * 0 when it judges something else); "state" of a party (true for a state, false for an
 * organisation).
 */
#ifndef RIGHTSTRACK_LOOKUP_H
#define RIGHTSTRACK_LOOKUP_H

#include <jansson.h>

#include <rightstrack/store.h>

/*
 * The records of kind ("rec", "step", "ask", "round", "topic", "party", "dialogue")
 * whose name or text holds q (case-blind; NULL or "" matches all but recommendations,
 * which are found by rt_search's words, with a word that names a state taken as the
 * state under review), of dialogue dialogue_id (0: any; steps of its parties and of
 * organisations, and steps linked to its rounds or asks), at most limit (1 to 100) of them, into
 * *out, a new array of entries the caller frees with json_decref. A q that is a reference of the
 * kind ("ask:2", "1#2", "rec:14" or a bare id of a recommendation) finds that record.
 * RT_EINVAL for an unknown kind or limit, RT_ESTORE when the database fails; *out is
 * NULL then.
 */
RT_API int rt_lookup(struct rt_store *st, const char *kind, const char *q, int64_t dialogue_id,
                     int limit, json_t **out, struct rt_error *err);

/*
 * The entry of the record ref names ("rec:14", "recommendation:14", "step:3",
 * "ask:2", "topic:1", "round:1" or "1#2", "dialogue:1", "assessment:4",
 * "benchmark:1", "commitment:1", "participant:2"), into *out, a new object the caller
 * frees with json_decref. RT_EINVAL when ref is none of these forms, RT_ENOTFOUND
 * when there is no such record, RT_ESTORE when the database fails; *out is NULL then.
 */
RT_API int rt_ref_name(struct rt_store *st, const char *ref, json_t **out, struct rt_error *err);

/*
 * The store's half of the two above, for the ledger's kinds ("step", "ask", "round",
 * "topic", "party", "dialogue", "assessment", "benchmark", "commitment",
 * "participant") and recommendations by id ("rec"): the entries whose name or text
 * holds q (NULL: any), of dialogue_id (0: any), with id (0: any), at most limit.
 * Ownership and errors as rt_lookup.
 */
RT_API int rt_store_lookup(struct rt_store *st, const char *kind, const char *q,
                           int64_t dialogue_id, int64_t id, int limit, json_t **out,
                           struct rt_error *err);

#endif
