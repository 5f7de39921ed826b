/* What the model's files share about entities (entity.c, ledger_edit.c). */
#ifndef RT_MODEL_ENTITY_INT_H
#define RT_MODEL_ENTITY_INT_H

#include <rightstrack/entity.h>

/*
 * A list entry e of a field whose bare ids mean kind, as "KIND:ID": "ask:2" as it
 * is, a bare number with kind; a round also as DIALOGUE#ORDINAL, found in the store
 * ("round:5"). 0, or the store's error for a round that is not there.
 */
int rt__entity_ref(struct rt_store *st, const json_t *e, const char *kind, char out[80],
                   struct rt_error *err);

#endif
