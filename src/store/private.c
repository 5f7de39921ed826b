/*
 * Private records (private.h, schema 13), written once for both back ends: the marks
 * (rt_private_set, rt_private_get over src/store/sql.h), the reader's name, and the
 * views that a reader who may not see private records reads instead of the tables
 * (private_int.h). Each back end makes its connection read the views its own way:
 * src/store/sqlite/private.c and src/store/pg/private.c.
 *
 * This is a separate condition from any other filter of reads (withdrawn records,
 * say): each shadowing view here only removes what is private.
 */
#include "base/compat.h"

#include <inttypes.h>

#include <rightstrack/private.h>

#include "store/backend.h"
#include "store/private_int.h"
#include "store/sql.h"

const char *const rt_private_kinds[] = {"step",   "participant", "assessment",
                                        "source", "person",      NULL};

/* The ids of kind k that are private, as SQL; @ is the tables' schema. */
#define PRIVATE_IDS(k) "(SELECT pr.id FROM @.private_record pr WHERE pr.kind = '" k "')"

/* What a reader who may not see private records reads instead of each table (the
 * name, then its rows), in both dialects; @ stands for the tables' schema. */
static const char *const shadows[][2] = {
    {"step", "SELECT * FROM @.step WHERE id NOT IN " PRIVATE_IDS("step")},
    {"participant", "SELECT * FROM @.participant WHERE id NOT IN " PRIVATE_IDS("participant")},
    {"assessment", "SELECT * FROM @.assessment WHERE id NOT IN " PRIVATE_IDS("assessment")},
    {"source", "SELECT * FROM @.source WHERE id NOT IN " PRIVATE_IDS("source")},
    /* That a recommendation came from a private source (import --private) is private. */
    {"recommendation_source",
     "SELECT * FROM @.recommendation_source WHERE source_id NOT IN " PRIVATE_IDS("source")},
    /* A link to or from a private step would name it (a step's "responded_by"). */
    {"link", "SELECT * FROM @.link WHERE NOT (from_kind = 'step' AND from_id IN " PRIVATE_IDS(
                 "step") ") AND NOT (to_kind = 'step' AND to_id IN " PRIVATE_IDS("step") ")"},
    /* A person's names, case and the asks that name them are the person's (schema 16);
     * a case event keeps its date and kind without a private step's id. */
    {"person", "SELECT * FROM @.person WHERE id NOT IN " PRIVATE_IDS("person")},
    {"person_name", "SELECT * FROM @.person_name WHERE person_id NOT IN " PRIVATE_IDS("person")},
    {"case_event",
     "SELECT id, person_id, date, event, how, detail, source, CASE WHEN step_id IN " PRIVATE_IDS(
         "step") " THEN NULL ELSE step_id END AS step_id, created_at, withdrawn, withdrawn_on"
                 " FROM @.case_event WHERE person_id NOT IN " PRIVATE_IDS("person")},
    {"ask_person", "SELECT * FROM @.ask_person WHERE person_id NOT IN " PRIVATE_IDS("person")},
    /* Which records are private is itself private (an export for the public has none). */
    {"private_record", "SELECT * FROM @.private_record WHERE 1 = 0"},
};

const char *const rt__private_shadowed[] = {
    "step",   "participant", "assessment", "source",     "recommendation_source", "link",
    "person", "person_name", "case_event", "ask_person", "private_record"};
const size_t rt__private_n_shadowed = RT_ARRAY_SIZE(rt__private_shadowed);
_Static_assert(RT_ARRAY_SIZE(shadows) == RT_ARRAY_SIZE(rt__private_shadowed),
               "one view per table shadowed");

void rt__private_view(struct rt_buf *out, size_t i, const char *create, const char *schema)
{
    if (i >= RT_ARRAY_SIZE(shadows) || strcmp(shadows[i][0], rt__private_shadowed[i]))
        RT_BUG("no view %zu", i);
    rt_buf_addf(out, "%s %s AS ", create, shadows[i][0]);
    for (const char *p = shadows[i][1]; *p; p++) {
        if (*p == '@')
            rt_buf_adds(out, schema);
        else
            rt_buf_addch(out, *p);
    }
}

enum rt_reader rt_store_reader(const struct rt_store *st)
{
    const struct rt__store_ops *o = ((const struct rt__store_base *)(const void *)st)->ops;

    return o->reader ? o->reader(st) : RT_READER_ALL;
}

int rt_reader_parse(const char *s, enum rt_reader *out, struct rt_error *err)
{
    if (s && !strcmp(s, "all"))
        *out = RT_READER_ALL;
    else if (s && (!strcmp(s, "public") || !strcmp(s, "viewer")))
        *out = RT_READER_PUBLIC;
    else
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as", "'%s' is not public, viewer or all",
                            s ? s : "");
    return 0;
}

/* Splits ref, "KIND:ID" of a kind that can be private, into its kind and id. */
static int parse_ref(const char *ref, const char **kind, int64_t *id, struct rt_error *err)
{
    for (size_t i = 0; ref && rt_private_kinds[i]; i++) {
        size_t n = strlen(rt_private_kinds[i]);
        char *end;
        long long v;
        if (strncmp(ref, rt_private_kinds[i], n) || ref[n] != ':')
            continue;
        errno = 0;
        v = strtoll(ref + n + 1, &end, 10);
        if (errno || end == ref + n + 1 || *end || v <= 0)
            break;
        *kind = rt_private_kinds[i];
        *id = v;
        return 0;
    }
    return rt_error_set(
        err, RT_EINVAL, NULL, 0, "record",
        "'%s' is not step:ID, participant:ID, assessment:ID, source:ID or person:ID",
        ref ? ref : "");
}

int rt_private_get(struct rt_store *st, const char *ref, int *out, struct rt_error *err)
{
    const char *kind;
    int64_t id, n = 0;
    int rc;

    *out = 0;
    if ((rc = parse_ref(ref, &kind, &id, err)) < 0 ||
        (rc = rt__sql_exists(st, kind, id, kind, "record", err)) < 0)
        return rc;
    rc = rt__sql_scalar(st, err, &n, NULL,
                        "SELECT count(*) FROM private_record WHERE kind = ?1 AND id = ?2", "ti",
                        kind, id);
    *out = n > 0;
    return rc;
}

int rt_private_set(struct rt_store *st, const char *ref, int on, struct rt_error *err)
{
    const char *kind;
    int64_t id;
    int rc;

    if ((rc = parse_ref(ref, &kind, &id, err)) < 0)
        return rc;
    if (rt_store_reader(st) != RT_READER_ALL)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "this store reads for the public and cannot mark records");
    /* In the caller's transaction when one is open, else in one of its own. */
    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, kind, id, kind, "record", err)) == 0)
        rc = rt__sql_exec(st, err, NULL,
                          on ? "INSERT INTO private_record(kind, id) VALUES (?1, ?2)"
                               " ON CONFLICT DO NOTHING"
                             : "DELETE FROM private_record WHERE kind = ?1 AND id = ?2",
                          "ti", kind, id);
    return rt__sql_end(st, rc, err);
}
