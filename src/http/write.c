/*
 * Writes through the web face: one checked path for the JSON API and the HTML forms.
 * A write arrives as a JSON object (forms are turned into one), is checked field by
 * field, and goes to the ledger in one transaction.
 */
#include <errno.h>

#include <rightstrack/ledger.h>

#include "http_int.h"

struct field {
    const char *name;
    char type; /* 's' string, 'i' integer, 'a' array of strings */
    int required;
};

static const struct field step_fields[] = {
    {"actor", 's', 1},       {"date", 's', 1},        {"kind", 's', 1},   {"direction", 's', 0},
    {"quantity", 'i', 0},    {"text", 's', 1},        {"source", 's', 0}, {"answers", 'a', 0},
    {"welcomed_in", 'a', 0}, {"responds_to", 'a', 0}, {NULL, 0, 0}};
static const struct field round_fields[] = {{"date", 's', 1},   {"ordinal", 'i', 0},
                                            {"place", 's', 0},  {"summary", 's', 0},
                                            {"source", 's', 0}, {NULL, 0, 0}};
static const struct field ask_fields[] = {{"from", 's', 1},
                                          {"to", 's', 1},
                                          {"text", 's', 1},
                                          {"theme", 's', 0},
                                          {"recommendations", 'a', 0},
                                          {NULL, 0, 0}};
static const struct field assessment_fields[] = {
    {"target", 's', 1}, {"as_of", 's', 1},    {"status", 's', 1}, {"evidence", 's', 0},
    {"source", 's', 0}, {"assessor", 's', 0}, {NULL, 0, 0}};

static const struct field *fields_of(const char *what)
{
    if (!strcmp(what, "step"))
        return step_fields;
    if (!strcmp(what, "round"))
        return round_fields;
    if (!strcmp(what, "ask"))
        return ask_fields;
    if (!strcmp(what, "assessment"))
        return assessment_fields;
    return NULL;
}

static int check(json_t *body, const struct field *f, struct rt_error *err)
{
    const char *k;
    json_t *v;

    if (!json_is_object(body))
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "the body must be a JSON object");
    json_object_foreach(body, k, v)
    {
        const struct field *x = NULL;
        for (const struct field *g = f; g->name; g++)
            if (!strcmp(g->name, k))
                x = g;
        if (!x)
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "unknown field '%s'", k);
        if (json_is_null(v))
            continue;
        if ((x->type == 's' && !json_is_string(v)) || (x->type == 'i' && !json_is_integer(v)))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a %s", k,
                                x->type == 's' ? "string" : "whole number");
        if (x->type == 'a') {
            size_t i;
            json_t *e;
            if (!json_is_array(v))
                return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a list", k);
            json_array_foreach(v, i, e)
            {
                if (!json_is_string(e) && !json_is_integer(e))
                    return rt_error_set(err, RT_EINVAL, NULL, 0, k,
                                        "'%s' must list references such as \"ask:2\"", k);
            }
        }
    }
    for (const struct field *g = f; g->name; g++) {
        json_t *v2 = json_object_get(body, g->name);
        if (g->required &&
            (!v2 || json_is_null(v2) || (json_is_string(v2) && !*json_string_value(v2))))
            return rt_error_set(err, RT_EINVAL, NULL, 0, g->name, "'%s' is required", g->name);
    }
    return 0;
}

static const char *str(json_t *body, const char *k)
{
    const char *s = json_string_value(json_object_get(body, k));
    return s && *s ? s : NULL;
}

/* A list entry as a reference: "ask:2" as it is; a bare number gets the default kind. */
static void ref_of(json_t *e, const char *kind, char *out, size_t n)
{
    if (json_is_integer(e))
        snprintf(out, n, "%s:%lld", kind, (long long)json_integer_value(e));
    else if (strchr(json_string_value(e), ':'))
        snprintf(out, n, "%s", json_string_value(e));
    else
        snprintf(out, n, "%s:%s", kind, json_string_value(e));
}

/* Links every entry of list key: step:id RELATION entry. */
static int link_all(struct rt_store *st, int64_t step_id, json_t *body, const char *key,
                    const char *relation, const char *kind, struct rt_error *err)
{
    char from[40], to[64];
    size_t i;
    json_t *e;
    int rc;

    snprintf(from, sizeof(from), "step:%lld", (long long)step_id);
    json_array_foreach(json_object_get(body, key), i, e)
    {
        ref_of(e, kind, to, sizeof(to));
        if ((rc = rt_link_add(st, from, relation, to, err)) < 0) {
            if (!err->field || strcmp(err->field, key)) {
                rt_free(err->field);
                err->field = rt_xstrdup(key);
            }
            return rc;
        }
    }
    return 0;
}

int rt_http_write(struct rt_store *st, const char *what, int64_t parent, json_t *body,
                  int64_t *out_id, struct rt_error *err)
{
    const struct field *f = fields_of(what);
    int64_t id = 0;
    int rc;

    if (!f)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "nothing called %s to add", what);
    if ((rc = check(body, f, err)) < 0)
        return rc;
    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    if (!strcmp(what, "step")) {
        json_t *q = json_object_get(body, "quantity");
        struct rt_step_in s = {str(body, "actor"),
                               str(body, "date"),
                               str(body, "kind"),
                               str(body, "direction"),
                               json_is_integer(q) ? json_integer_value(q) : -1,
                               str(body, "text"),
                               str(body, "source")};
        if ((rc = rt_step_add(st, &s, &id, err)) == 0 &&
            (rc = link_all(st, id, body, "answers", "answers", "rec", err)) == 0 &&
            (rc = link_all(st, id, body, "welcomed_in", "welcomed-in", "round", err)) == 0)
            rc = link_all(st, id, body, "responds_to", "responds-to", "step", err);
    } else if (!strcmp(what, "round")) {
        json_t *o = json_object_get(body, "ordinal");
        struct rt_round_in r = {parent,
                                json_is_integer(o) ? (int)json_integer_value(o) : 0,
                                str(body, "date"),
                                str(body, "place"),
                                str(body, "summary"),
                                str(body, "source")};
        rc = rt_round_add(st, &r, &id, err);
    } else if (!strcmp(what, "ask")) {
        rc = rt_ask_add(st, parent, str(body, "from"), str(body, "to"), str(body, "text"),
                        str(body, "theme"), &id, err);
        if (rc == 0) {
            char from[40], to[64];
            size_t i;
            json_t *e;
            snprintf(from, sizeof(from), "ask:%lld", (long long)id);
            json_array_foreach(json_object_get(body, "recommendations"), i, e)
            {
                ref_of(e, "rec", to, sizeof(to));
                if ((rc = rt_link_add(st, from, "about", to, err)) < 0)
                    break;
            }
        }
    } else {
        struct rt_assessment_in a = {str(body, "target"), str(body, "as_of"),
                                     str(body, "status"), str(body, "evidence"),
                                     str(body, "source"), str(body, "assessor")};
        rc = rt_assess(st, &a, &id, err);
    }
    if (rc < 0) {
        rt_store_rollback(st);
        return rc;
    }
    if ((rc = rt_store_commit(st, err)) < 0)
        return rc;
    *out_id = id;
    return 0;
}

json_t *rt_http_form_to_json(const struct rt_http_req *req, const char *what, struct rt_error *err)
{
    const struct field *f = fields_of(what);
    json_t *o = json_object();

    for (size_t i = 0; f && i < req->n_args; i++) {
        const char *k = req->args[i].key, *v = req->args[i].value;
        const struct field *x = NULL;
        for (const struct field *g = f; g->name; g++)
            if (!strcmp(g->name, k))
                x = g;
        if (!x || !*v)
            continue; /* buttons and empty fields */
        if (x->type == 'i') {
            char *end;
            long long n;
            errno = 0;
            n = strtoll(v, &end, 10);
            if (errno || *end) {
                rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a whole number", k);
                json_decref(o);
                return NULL;
            }
            json_object_set_new(o, k, json_integer(n));
        } else if (x->type == 'a') {
            json_t *list = json_array();
            char *copy = rt_xstrdup(v), *save = NULL;
            for (char *t = strtok_r(copy, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save))
                json_array_append_new(list, json_string(t));
            rt_free(copy);
            json_object_set_new(o, k, list);
        } else {
            json_object_set_new(o, k, json_string(v));
        }
    }
    return o;
}
