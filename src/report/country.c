/* A state's profile (rt_report_country): its recommendations, steps and dialogues. */
#include "base/compat.h"

#include <string.h>

#include <rightstrack/ledger.h>
#include <rightstrack/report.h>

#include "report/report_int.h"

/* The dialogues with code among their parties, each with its last round as of the date. */
static int dialogues(struct rt_store *st, const char *code, const char *as_of, json_t **out,
                     struct rt_error *err)
{
    json_t *list = NULL, *d, *p, *r;
    size_t i, j;

    *out = json_array();
    if (rt_dialogue_list(st, &list, err) < 0)
        return err->code;
    json_array_foreach(list, i, d)
    {
        json_t *full = NULL, *last = json_null();
        json_int_t held = 0;
        json_array_foreach(json_object_get(d, "parties"), j,
                           p) if (!strcmp(json_string_value(p), code)) break;
        if (j == json_array_size(json_object_get(d, "parties")))
            continue;
        if (rt_dialogue_get(st, json_integer_value(json_object_get(d, "id")), &full, err) < 0) {
            json_decref(list);
            return err->code;
        }
        json_array_foreach(json_object_get(full, "rounds"), j, r)
        {
            const char *date = rt__report_str(r, "date");
            if (as_of && (!date || strcmp(date, as_of) > 0))
                continue;
            held++;
            json_decref(last);
            last = rt__report_pick(r, "ordinal", "date", "place", NULL);
        }
        json_array_append_new(
            *out, json_pack("{s:O, s:O, s:O, s:I, s:o}", "id", json_object_get(d, "id"), "name",
                            json_object_get(d, "name"), "parties", json_object_get(d, "parties"),
                            "rounds", held, "last_round", last));
        json_decref(full);
    }
    json_decref(list);
    return 0;
}

int rt_report_country(struct rt_store *st, const char *state, const char *as_of, json_t **out,
                      struct rt_error *err)
{
    struct rt_state_ref ref = {{0}, NULL};
    json_t *recs = NULL, *steps = NULL, *mine = json_array(), *list = NULL, *s;
    int64_t id = 0;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = rt_report_prepare(st, err)) < 0 ||
        (rc = rt_report_recs(st, state, NULL, as_of, &recs, err)) < 0)
        goto done;
    if ((rc = rt_store_state_find(st, state, strlen(state), &id, err)) < 0 ||
        (rc = rt_store_state_get(st, id, &ref, err)) < 0 ||
        (rc = rt_step_list(st, 0, ref.code, &steps, err)) < 0 ||
        (rc = dialogues(st, ref.code, as_of, &list, err)) < 0)
        goto done;
    json_array_foreach(steps, i, s)
    {
        const char *date = rt__report_str(s, "date");
        if (!as_of || (date && strcmp(date, as_of) <= 0))
            json_array_append(mine, s);
    }
    *out = json_pack("{s:s, s:o, s:{s:s, s:s}, s:O, s:O, s:O}", "report", "country", "as_of",
                     as_of ? json_string(as_of) : json_null(), "state", "code", ref.code, "name",
                     ref.name, "recommendations", recs, "steps", mine, "dialogues", list);
    rt__report_cite(*out);
done:
    json_decref(recs);
    json_decref(steps);
    json_decref(mine);
    json_decref(list);
    rt_free(ref.name);
    return rc < 0 ? rc : 0;
}
