/*
 * Documents shaped in one place (docs/developer-guide.md, "Documents shaped in one
 * place"): a back end reads the rows of a document into plain structs, and these
 * functions make its JSON, the same for every back end. One entity so far: the list
 * of dialogues.
 */
#ifndef RT_MODEL_DOCUMENTS_H
#define RT_MODEL_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* A dialogue as the list of dialogues shows it; the strings are owned. */
struct rt__dialogue_row {
    int64_t id;
    char *name, *kind;
    char **parties; /* in the dialogue's order */
    size_t n_parties;
    int64_t rounds;   /* rounds not withdrawn */
    char *last_round; /* the latest of their dates; NULL when there is none */
};

/* Frees the n rows at rows, their strings and rows itself; NULL is allowed. */
void rt__dialogue_rows_free(struct rt__dialogue_row *rows, size_t n);

/*
 * The list of dialogues (rt_dialogue_list, ledger.h) as a new JSON array: for each
 * row, id, name, kind, parties, rounds and last_round (null when NULL), in that order.
 */
json_t *rt__dialogue_list_json(const struct rt__dialogue_row *rows, size_t n);

#endif
