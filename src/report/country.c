/*
 * A state's profile (rt_report_country): its recommendations, steps and dialogues; and,
 * for those who may see persons, the count of persons held over time
 * (rt_report_country_persons).
 */
#include "base/compat.h"

#include <string.h>

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
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

/* A date as its first day ("2015-08" is "2015-08-01") into out. */
static void first_day(const char *date, char out[11])
{
    size_t n = date ? strlen(date) : 0;

    if (n > 10)
        n = 10;
    memcpy(out, date ? date : "", n);
    out[n] = '\0';
    if (n == 4)
        memcpy(out + 4, "-01-01", 7);
    else if (n == 7)
        memcpy(out + 7, "-01", 4);
}

int rt_report_country_persons(struct rt_store *st, json_t *doc, const char *counts,
                              struct rt_error *err)
{
    const char *code = rt__report_str(json_object_get(doc, "state"), "code");
    const char *as_of = rt__report_str(doc, "as_of");
    json_t *series = NULL, *published = NULL, *row, *p;
    size_t i, k;
    int rc;

    if ((rc = rt_person_series(st, code, as_of, &series, err)) < 0)
        return rc;
    if (counts && (rc = rt_person_counts_read(counts, &published, err)) < 0) {
        json_decref(series);
        return rc;
    }
    if (published) {
        json_t *kept = json_array();
        char day[11], at[11];
        json_array_foreach(published, i, row)
        {
            json_int_t held = 0, inferred = 0;
            first_day(rt__report_str(row, "date"), day);
            if (as_of && strcmp(rt__report_str(row, "date"), as_of) > 0)
                continue;
            /* The register's count on that day: its last point on or before it. */
            json_array_foreach(json_object_get(series, "points"), k, p)
            {
                first_day(rt__report_str(p, "date"), at);
                if (strcmp(at, day) > 0)
                    break;
                held = json_integer_value(json_object_get(p, "detained"));
                inferred = json_integer_value(json_object_get(p, "inferred"));
            }
            json_object_set_new(row, "register", json_integer(held));
            json_object_set_new(row, "inferred", json_integer(inferred));
            json_array_append(kept, row);
        }
        json_object_set_new(series, "published", kept);
        json_decref(published);
    }
    json_object_set_new(doc, "persons", series);
    return 0;
}
