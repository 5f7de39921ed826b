/* Documents shaped in one place: JSON made from the rows any back end reads (documents.h). */
#include "base/compat.h"

#include "model/documents.h"

void rt__dialogue_rows_free(struct rt__dialogue_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        rt_free(rows[i].name);
        rt_free(rows[i].kind);
        rt_free(rows[i].last_round);
        for (size_t k = 0; k < rows[i].n_parties; k++)
            rt_free(rows[i].parties[k]);
        rt_free(rows[i].parties);
    }
    rt_free(rows);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *rt__dialogue_list_json(const struct rt__dialogue_row *rows, size_t n)
{
    json_t *list = json_array();

    for (size_t i = 0; i < n; i++) {
        const struct rt__dialogue_row *d = &rows[i];
        json_t *o = json_object(), *parties = json_array();

        for (size_t k = 0; k < d->n_parties; k++)
            json_array_append_new(parties, json_string(d->parties[k]));
        json_object_set_new(o, "id", json_integer(d->id));
        json_object_set_new(o, "name", str_or_null(d->name));
        json_object_set_new(o, "kind", str_or_null(d->kind));
        json_object_set_new(o, "parties", parties);
        json_object_set_new(o, "rounds", json_integer(d->rounds));
        json_object_set_new(o, "last_round", str_or_null(d->last_round));
        json_array_append_new(list, o);
    }
    return list;
}
