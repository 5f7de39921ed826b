/*
 * Corrections and withdrawals of ledger records, checked against their entity's
 * fields (entity.h) as rt_ledger_write checks an add: the one library call the
 * command line (`edit`, `withdraw`, `person edit`, `case edit|withdraw`), the API
 * (PATCH, POST .../withdraw) and the web's forms make.
 */
#include "base/compat.h"

#include <inttypes.h>

#include <rightstrack/audit.h>
#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
#include <rightstrack/text.h>

#include "model/entity_int.h"
#include "model/rules.h"

/* Whether ref names a link ("step:3 answers ask:2") rather than a record; a round
 * of a dialogue whose name has spaces ("US-Belarus WG#2") is a record. */
static int is_link(const char *ref)
{
    const char *hash = ref ? strrchr(ref, '#') : NULL;

    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1))
        return 0;
    return ref && strchr(ref, ' ') != NULL;
}

/* The record ref names, as "KIND:ID" in out (128 bytes), and its kind and id. Links and
 * assessments are refused with what to do instead. */
static int record_of(struct rt_store *st, const char *ref, const char *what, char out[128],
                     const struct rt_entity **e, int64_t *id, struct rt_error *err)
{
    const char *colon;
    char kind[32];
    int rc;

    if (is_link(ref))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "a link is not %s: withdraw it and make the one you mean", what);
    if ((rc = rt_audit_ref(st, ref, out, err)) < 0)
        return rc;
    colon = strchr(out, ':');
    snprintf(kind, sizeof(kind), "%.*s", (int)(colon - out), out);
    *id = strtoll(colon + 1, NULL, 10);
    *e = rt_entity_find(kind);
    if (!strcmp(kind, "assessment"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "assessments are history: add a new one that replaces %s "
                            "(assess ... --replaces %s)",
                            out, out);
    if (!*e || !strcmp(kind, "link"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record", "a %s is not %s here", kind, what);
    return rt_record_exists(st, kind, *id, err);
}

/* The error names field, whatever the check called it ("party" for an actor). */
static json_t *named(const char *field, struct rt_error *err)
{
    if (!err->field || strcmp(err->field, field)) {
        rt_free(err->field);
        err->field = rt_xstrdup(field);
    }
    return NULL;
}

/* Checks and resolves the value v of field f (not a list of links) for the store: the
 * text rule, dates, parties as their codes, a dialogue's name. The new value, or NULL
 * after setting err. */
static json_t *check_value(struct rt_store *st, const struct rt_entity *e, const struct rt_field *f,
                           json_t *v, struct rt_error *err)
{
    char code[16];
    const char *s = json_string_value(v);

    if (json_is_null(v) || (s && !*s))
        return json_null();
    if (f->type == RT_FIELD_PARTIES) {
        json_t *out = json_array(), *p;
        size_t i;
        json_array_foreach(v, i, p)
        {
            const char *name = json_string_value(p);
            if (rt_text_check(f->name, name, strlen(name), err) < 0 ||
                rt_party_resolve(st, name, code, err) < 0) {
                json_decref(out);
                return NULL;
            }
            for (size_t k = 0; k < json_array_size(out); k++)
                if (!strcmp(json_string_value(json_array_get(out, k)), code)) {
                    rt_error_set(err, RT_EINVAL, NULL, 0, f->name, "party %s is named twice", code);
                    json_decref(out);
                    return NULL;
                }
            json_array_append_new(out, json_string(code));
        }
        return out;
    }
    if (f->type == RT_FIELD_REF) { /* stored as the id of a record of ref_kind */
        char ref[80], *end = NULL;
        size_t n = strlen(f->ref_kind);
        long long ref_id = 0;
        if (rt__entity_ref(st, v, f->ref_kind, ref, err) < 0)
            return NULL;
        if (!strncmp(ref, f->ref_kind, n) && ref[n] == ':')
            ref_id = strtoll(ref + n + 1, &end, 10);
        if (!end || *end || ref_id <= 0) {
            rt_error_set(err, RT_EINVAL, NULL, 0, f->name, "'%s' is not %s", ref, f->need);
            return NULL;
        }
        return json_integer(ref_id);
    }
    if (!s)
        return json_incref(v);
    if (rt_text_check(f->name, s, strlen(s), err) < 0)
        return NULL;
    if (f->type == RT_FIELD_DATE && rt__need_date(s, f->name, err) < 0)
        return NULL;
    if (f->type == RT_FIELD_PARTY) {
        if (rt_party_resolve(st, s, code, err) < 0)
            return NULL;
        return json_string(code);
    }
    if (!strcmp(e->name, "dialogue") && !strcmp(f->name, "name") &&
        (strchr(s, '#') || strspn(s, "0123456789") == strlen(s))) {
        rt_error_set(err, RT_EINVAL, NULL, 0, "name",
                     "a dialogue's name must not be a number or contain '#'");
        return NULL;
    }
    return json_incref(v);
}

static json_t *value_of(struct rt_store *st, const struct rt_entity *e, const struct rt_field *f,
                        json_t *v, struct rt_error *err)
{
    json_t *out = check_value(st, e, f, v, err);
    return out ? out : named(f->name, err);
}

/* The new list of links of field f from record from: made, and the others withdrawn. */
static int set_links(struct rt_store *st, const char *from, const struct rt_field *f,
                     const json_t *list, struct rt_error *err)
{
    json_t *keep = json_array(), *e;
    char to[80];
    size_t i;
    int rc = 0;

    json_array_foreach(list, i, e)
    {
        if ((rc = rt__entity_ref(st, e, f->ref_kind, to, err)) < 0 ||
            (rc = rt_link_add(st, from, f->relation, to, err)) < 0)
            break;
        json_array_append_new(keep, json_string(to));
    }
    if (rc == 0)
        rc = rt_links_keep(st, from, f->relation, keep, "taken out of the list by a correction",
                           err);
    json_decref(keep);
    if (rc < 0 && (!err->field || strcmp(err->field, f->name))) {
        rt_free(err->field);
        err->field = rt_xstrdup(f->name);
    }
    return rc;
}

int rt_ledger_edit(struct rt_store *st, const char *ref, const json_t *body, char *out_ref,
                   struct rt_error *err)
{
    const struct rt_entity *e = NULL;
    json_t *doc = NULL, *merged, *cols = NULL, *v;
    char rec[128];
    const char *k;
    int64_t id = 0;
    int rc;

    if ((rc = record_of(st, ref, "corrected", rec, &e, &id, err)) < 0)
        return rc;
    if (!json_is_object(body) || !json_object_size(body))
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                            "a correction names the fields it changes, as a JSON object");
    if ((rc = rt_record_get(st, e->name, id, &doc, err)) < 0)
        return rc;
    /* The record as it would be, checked as a new one is. */
    merged = json_deep_copy(json_object_get(doc, "fields"));
    json_object_update(merged, (json_t *)(uintptr_t)body);
    rc = rt_entity_check(e, merged, err);
    json_decref(merged);
    if (rc < 0)
        goto out;
    cols = json_object();
    json_object_foreach((json_t *)(uintptr_t)body, k, v)
    {
        const struct rt_field *f = rt_entity_field(e, k);
        json_t *val;
        if (f->type == RT_FIELD_REFS)
            continue;
        /* What only the adding of a person takes: left empty by a form, else refused. */
        if (!strcmp(e->name, "person") && (!strcmp(k, "source") || !strcmp(k, "if_close"))) {
            if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
                continue;
            rc = rt_error_set(err, RT_EINVAL, NULL, 0, k,
                              "a person's %s is given when it is added; a new spelling "
                              "with its source is added with 'person name'",
                              k);
            goto out;
        }
        if (!(val = value_of(st, e, f, v, err))) {
            rc = RT_EINVAL;
            goto out;
        }
        json_object_set_new(cols, k, val);
    }
    if ((rc = rt_store_begin(st, err)) < 0)
        goto out;
    rc = rt_record_update(st, e->name, id, cols, err);
    for (const struct rt_field *f = e->fields; rc == 0 && f->name; f++)
        if (f->type == RT_FIELD_REFS && f->relation && json_object_get(body, f->name))
            rc = set_links(st, rec, f, json_object_get(body, f->name), err);
    /* A person's name shown is one of its spellings; a case event keeps its rules. */
    if (rc == 0 && !strcmp(e->name, "person") && json_string_value(json_object_get(cols, "name")))
        rc =
            rt_person_name_add(st, id, json_string_value(json_object_get(cols, "name")), NULL, err);
    if (rc == 0 && !strcmp(e->name, "case"))
        rc = rt_case_check(st, id, err);
    if (rc < 0)
        rt_store_rollback(st);
    else
        rc = rt_store_commit(st, err);
    if (rc == 0 && out_ref)
        snprintf(out_ref, 128, "%s", rec);
out:
    json_decref(cols);
    json_decref(doc);
    return rc;
}

int rt_ledger_withdraw(struct rt_store *st, const char *ref, const char *reason, const char *date,
                       char *out_ref, struct rt_error *err)
{
    const struct rt_entity *e = NULL;
    char rec[128];
    int64_t id = 0;
    int rc;

    if (!reason || !*reason)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "reason",
                            "a withdrawal needs a reason, in your own words");
    if ((rc = rt_text_check("reason", reason, strlen(reason), err)) < 0)
        return rc;
    if (date && *date && (rc = rt__need_date(date, "date", err)) < 0)
        return rc;
    if (date && !*date)
        date = NULL;
    if (is_link(ref)) { /* its ends in any form a record takes (1#2 about rec:14) */
        if ((rc = rt_audit_ref(st, ref, rec, err)) < 0)
            return rc;
        rc = rt_link_withdraw(st, rec, reason, date, err);
        if (rc == 0 && out_ref)
            snprintf(out_ref, 128, "%s", ref);
        return rc;
    }
    if ((rc = record_of(st, ref, "withdrawn", rec, &e, &id, err)) < 0 ||
        (rc = rt_record_withdraw(st, e->name, id, reason, date, err)) < 0)
        return rc;
    if (out_ref)
        snprintf(out_ref, 128, "%s", rec);
    return 0;
}
