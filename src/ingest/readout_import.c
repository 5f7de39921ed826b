/*
 * A readout's draft into the ledger: the round, its participants, topics and asks
 * with their theme areas, the steps it welcomed and its conditional commitments, in
 * one transaction. The command line (readout import) and the web face (the readout
 * page, POST /api/v1/dialogues/{id}/readouts) both come here, so a draft corrected
 * by a person is stored exactly as a parsed one.
 */
#include "base/compat.h"
#include "model/rules.h"

#include <inttypes.h>

#include <rightstrack/ledger.h>
#include <rightstrack/readout.h>

/* The plan of an import: what will be written, and what is left out and why. */
struct plan {
    json_t *written; /* {"round": {...}, "participants": [...], ...} */
    json_t *skipped; /* [{"item", "text", "why"}] */
};

static const char *jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static void skip(struct plan *p, const char *what, const char *text, const char *why)
{
    json_array_append_new(p->skipped,
                          json_pack("{s:s, s:s?, s:s}", "item", what, "text", text, "why", why));
}

/* Names the draft's field in an error that a ledger write set ("urged[2].target"). */
static int in_field(struct rt_error *err, int rc, const char *list, size_t i, const char *key)
{
    struct rt_buf f = RT_BUF_INIT;

    if (!err)
        return rc;
    rt_buf_addf(&f, "%s[%zu]%s%s", list, i, key ? "." : "", key ? key : "");
    rt_free(err->field);
    err->field = rt_buf_detach(&f, NULL);
    return rc;
}

/* ---------------------------------------------------------------------------------- */
/* Checking a draft that a person may have edited. */

/* Is o[k] absent, null or of the type ('s' string, 'i' integer, 'a' array, 'o' object)? */
static int type_ok(const json_t *o, const char *k, char type)
{
    const json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v))
        return 1;
    switch (type) {
    case 's':
        return json_is_string(v);
    case 'i':
        return json_is_integer(v);
    case 'a':
        return json_is_array(v);
    default:
        return json_is_object(v);
    }
}

static const char *type_name(char type)
{
    return type == 's'   ? "a string"
           : type == 'i' ? "a whole number"
           : type == 'a' ? "a list"
                         : "an object";
}

/* A list of objects whose keys (a string of "name:type" pairs) have the right types. */
static int check_list(const json_t *draft, const char *list, const char *const *keys,
                      struct rt_error *err)
{
    const json_t *a = json_object_get(draft, list), *v;
    size_t i;

    if (!type_ok(draft, list, 'a'))
        return rt_error_set(err, RT_EINVAL, NULL, 0, list, "'%s' must be a list", list);
    json_array_foreach(a, i, v)
    {
        if (!json_is_object(v))
            return in_field(err, rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "must be an object"),
                            list, i, NULL);
        for (size_t k = 0; keys[k]; k++) {
            char type = keys[k][strlen(keys[k]) - 1];
            char name[32];
            snprintf(name, sizeof(name), "%.*s", (int)(strlen(keys[k]) - 2), keys[k]);
            if (!type_ok(v, name, type))
                return in_field(
                    err, rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "must be %s", type_name(type)),
                    list, i, name);
        }
    }
    return 0;
}

/* A list of theme area codes; each must be an area of the taxonomy. */
static int check_areas(const json_t *areas, const char *list, size_t i, const char *key,
                       struct rt_error *err)
{
    const json_t *v;
    size_t k;

    if (!areas || json_is_null(areas))
        return 0;
    if (!json_is_array(areas))
        return in_field(err, rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "must be a list"), list, i,
                        key);
    json_array_foreach(areas, k, v)
    {
        if (!json_is_string(v) || !rt_theme_area_label(json_string_value(v)))
            return in_field(err,
                            rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                                         "'%s' is not an area of the theme taxonomy (see "
                                         "themes areas)",
                                         json_is_string(v) ? json_string_value(v) : "?"),
                            list, i, key);
    }
    return 0;
}

static int check_draft(const json_t *d, struct rt_error *err)
{
    static const char *const participant[] = {"name:s", "title:s", "organization:s", "side:s",
                                              NULL};
    static const char *const urged[] = {"by:s", "target:s", "what:s", "themes:a", NULL};
    static const char *const welcomed[] = {"by:s", "what:s", NULL};
    static const char *const cond[] = {"by:s", "if:s", "then:s", NULL};
    static const char *const topic_theme[] = {"topic:s", "themes:a", NULL};
    static const char *const event[] = {"type:s", "country:s", "date:s", NULL};
    static const char *const scalars[] = {"date:s", "place:s", "dialogue_name:s", "round:i", NULL};
    const json_t *v;
    size_t i;
    int rc;

    if (!json_is_object(d))
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "a draft is a JSON object");
    for (i = 0; scalars[i]; i++) {
        char name[32];
        snprintf(name, sizeof(name), "%.*s", (int)(strlen(scalars[i]) - 2), scalars[i]);
        if (!type_ok(d, name, scalars[i][strlen(scalars[i]) - 1]))
            return rt_error_set(err, RT_EINVAL, NULL, 0, name, "'%s' must be %s", name,
                                type_name(scalars[i][strlen(scalars[i]) - 1]));
    }
    if (!jstr(d, "date"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "date",
                            "no date found in the readout: a round needs one");
    if ((rc = rt__need_date(jstr(d, "date"), "date", err)) < 0)
        return rc;
    v = json_object_get(d, "round");
    if (json_is_integer(v) && (json_integer_value(v) <= 0 || json_integer_value(v) > 100000))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "round",
                            "the round number must be from 1 to 100000");
    if ((rc = check_list(d, "participants", participant, err)) < 0 ||
        (rc = check_list(d, "urged", urged, err)) < 0 ||
        (rc = check_list(d, "welcomed", welcomed, err)) < 0 ||
        (rc = check_list(d, "conditional_commitments", cond, err)) < 0 ||
        (rc = check_list(d, "topic_themes", topic_theme, err)) < 0 ||
        (rc = check_list(d, "events", event, err)) < 0)
        return rc;
    if (!type_ok(d, "topics", 'a') || !type_ok(d, "sides", 'a'))
        return rt_error_set(err, RT_EINVAL, NULL, 0, type_ok(d, "topics", 'a') ? "sides" : "topics",
                            "must be a list");
    json_array_foreach(json_object_get(d, "topics"), i, v)
    {
        if (!json_is_string(v))
            return in_field(err, rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "must be a string"),
                            "topics", i, NULL);
    }
    json_array_foreach(json_object_get(d, "sides"), i, v)
    {
        if (!json_is_string(v))
            return in_field(err, rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "must be a string"),
                            "sides", i, NULL);
    }
    json_array_foreach(json_object_get(d, "topic_themes"), i, v)
    {
        if ((rc = check_areas(json_object_get(v, "themes"), "topic_themes", i, "themes", err)) < 0)
            return rc;
    }
    json_array_foreach(json_object_get(d, "urged"), i, v)
    {
        if ((rc = check_areas(json_object_get(v, "themes"), "urged", i, "themes", err)) < 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Writing. */

/* A side's party code if the store knows it, else NULL. */
static const char *party(struct rt_store *st, const char *side, char out[16])
{
    const char *code;

    if (!side)
        return NULL;
    code = rt_readout_party_code(side);
    if (rt_party_resolve(st, code ? code : side, out, NULL) < 0)
        return NULL;
    return out;
}

/* The event that a welcomed item is about (the same sentence). */
static const json_t *event_for(const json_t *draft, const json_t *item)
{
    const json_t *e;
    size_t i;
    const char *s = jstr(item, "sentence");

    json_array_foreach(json_object_get(draft, "events"), i, e)
    {
        const char *es = jstr(e, "sentence");
        if (s && es && !strcmp(s, es))
            return e;
    }
    return NULL;
}

/* The theme areas of topic i: the draft's when its topic_themes entry is for this
 * text, else found again (a person may have changed the topic). New reference. */
static json_t *topic_areas(const json_t *draft, size_t i, const char *text)
{
    const json_t *tt = json_array_get(json_object_get(draft, "topic_themes"), i);

    if (tt && jstr(tt, "topic") && !strcmp(jstr(tt, "topic"), text) &&
        json_is_array(json_object_get(tt, "themes")))
        return json_deep_copy(json_object_get(tt, "themes"));
    return rt_readout_themes(text, strlen(text));
}

/* Tags item ("topic:3") with every area; a dry run only lists them. */
static int tag(struct rt_store *st, int dry, const char *kind, int64_t id, const json_t *areas,
               struct rt_error *err)
{
    char item[40];
    const json_t *v;
    size_t i;
    int rc;

    if (dry)
        return 0;
    snprintf(item, sizeof(item), "%s:%" PRId64, kind, id);
    json_array_foreach(areas, i, v)
    {
        if ((rc = rt_item_theme_add(st, item, json_string_value(v), "readout", err)) < 0)
            return rc;
    }
    return 0;
}

static int write_draft(struct rt_store *st, const json_t *draft, const char *source, int64_t dlg,
                       int dry, struct plan *p, int64_t *out_round, struct rt_error *err)
{
    const json_t *v;
    size_t i;
    int64_t round = 0, id = 0;
    char a[16], b[16];
    const char *date = jstr(draft, "date");
    struct rt_round_in r = {0};
    json_t *list;
    int rc = 0;

    r.dialogue_id = dlg;
    r.ordinal = json_is_integer(json_object_get(draft, "round"))
                    ? (int)json_integer_value(json_object_get(draft, "round"))
                    : 0;
    r.date = date;
    r.place = jstr(draft, "place");
    r.summary = jstr(draft, "dialogue_name");
    r.source = source;
    json_object_set_new(p->written, "round",
                        json_pack("{s:i, s:s, s:s?, s:s?, s:s?}", "ordinal", r.ordinal, "date",
                                  date, "place", r.place, "summary", r.summary, "source", source));
    if (!dry && (rc = rt_round_add(st, &r, &round, err)) < 0)
        return rc;

    list = json_array();
    json_object_set_new(p->written, "participants", list);
    json_array_foreach(json_object_get(draft, "participants"), i, v)
    {
        const char *name = jstr(v, "name") ? jstr(v, "name") : jstr(v, "organization");
        const char *code = party(st, jstr(v, "side"), a);
        if (!name) {
            skip(p, "participant", NULL, "no name");
            continue;
        }
        json_array_append_new(list, json_pack("{s:s, s:s?, s:s?, s:s?}", "name", name, "title",
                                              jstr(v, "title"), "organisation",
                                              jstr(v, "organization"), "party", code));
        if (!dry && (rc = rt_participant_add(st, round, name, jstr(v, "title"),
                                             jstr(v, "organization"), code, &id, err)) < 0)
            return in_field(err, rc, "participants", i, err && err->field ? err->field : NULL);
    }

    list = json_array();
    json_object_set_new(p->written, "topics", list);
    json_array_foreach(json_object_get(draft, "topics"), i, v)
    {
        const char *text = json_string_value(v);
        json_t *areas;
        if (!*text)
            continue;
        areas = topic_areas(draft, i, text);
        json_array_append_new(list, json_pack("{s:s, s:O}", "text", text, "areas", areas));
        if (!dry && (rc = rt_topic_add(st, round, text, NULL, &id, err)) < 0) {
            json_decref(areas);
            return in_field(err, rc, "topics", i, NULL);
        }
        rc = tag(st, dry, "topic", id, areas, err);
        json_decref(areas);
        if (rc < 0)
            return in_field(err, rc, "topic_themes", i, "themes");
    }

    list = json_array();
    json_object_set_new(p->written, "asks", list);
    json_array_foreach(json_object_get(draft, "urged"), i, v)
    {
        const char *from = party(st, jstr(v, "by"), a), *to = party(st, jstr(v, "target"), b);
        const char *what = jstr(v, "what");
        json_t *areas;
        if (!what)
            continue;
        if (!from || !to) {
            skip(p, "ask", what, "the party asking or asked is not known");
            continue;
        }
        areas = json_is_array(json_object_get(v, "themes"))
                    ? json_deep_copy(json_object_get(v, "themes"))
                    : rt_readout_themes(what, strlen(what));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:O}", "from", from, "to", to,
                                              "text", what, "areas", areas));
        if (!dry && (rc = rt_ask_add(st, round, from, to, what, NULL, &id, err)) < 0) {
            json_decref(areas);
            return in_field(err, rc, "urged", i, NULL);
        }
        rc = tag(st, dry, "ask", id, areas, err);
        json_decref(areas);
        if (rc < 0)
            return in_field(err, rc, "urged", i, "themes");
    }

    list = json_array();
    json_object_set_new(p->written, "steps", list);
    json_array_foreach(json_object_get(draft, "welcomed"), i, v)
    {
        const json_t *ev = event_for(draft, v);
        const char *by = jstr(v, "by"), *actor_side = NULL;
        const json_t *sides = json_object_get(draft, "sides");
        struct rt_step_in s = {0};
        char link_from[64], link_to[64];
        if (!jstr(v, "what"))
            continue;
        /* the step is the other side's, or the event's country's */
        if (ev && jstr(ev, "country"))
            actor_side = jstr(ev, "country");
        else if (by && json_array_size(sides) == 2)
            for (size_t k = 0; k < 2; k++)
                if (strcmp(json_string_value(json_array_get(sides, k)), by))
                    actor_side = json_string_value(json_array_get(sides, k));
        s.actor = party(st, actor_side, a);
        if (!s.actor) {
            skip(p, "step", jstr(v, "what"), "whose step it was is not known");
            continue;
        }
        s.date = ev && jstr(ev, "date") && rt_date_check(jstr(ev, "date"), NULL) == 0
                     ? jstr(ev, "date")
                     : date;
        s.kind = rt_readout_step_kind(ev ? jstr(ev, "type") : NULL);
        s.direction = "positive";
        s.quantity = ev && json_is_integer(json_object_get(ev, "count")) &&
                             json_integer_value(json_object_get(ev, "count")) >= 0
                         ? json_integer_value(json_object_get(ev, "count"))
                         : -1;
        s.text = jstr(v, "what");
        s.source = source;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:s}", "actor", s.actor, "date",
                                              s.date, "kind", s.kind, "quantity",
                                              (json_int_t)s.quantity, "text", s.text));
        if (dry)
            continue;
        if ((rc = rt_step_add(st, &s, &id, err)) < 0)
            return in_field(err, rc, "welcomed", i, NULL);
        snprintf(link_from, sizeof(link_from), "step:%" PRId64, id);
        snprintf(link_to, sizeof(link_to), "round:%" PRId64, round);
        if ((rc = rt_link_add(st, link_from, "welcomed-in", link_to, err)) < 0)
            return rc;
    }

    list = json_array();
    json_object_set_new(p->written, "commitments", list);
    json_array_foreach(json_object_get(draft, "conditional_commitments"), i, v)
    {
        const char *code = party(st, jstr(v, "by"), a);
        if (!jstr(v, "then"))
            continue;
        if (!code) {
            skip(p, "commitment", jstr(v, "then"), "the committing party is not known");
            continue;
        }
        json_array_append_new(list, json_pack("{s:s, s:s?, s:s}", "party", code, "condition",
                                              jstr(v, "if"), "promise", jstr(v, "then")));
        if (!dry &&
            (rc = rt_commitment_add(st, round, code, jstr(v, "if"), jstr(v, "then"), &id, err)) < 0)
            return in_field(err, rc, "conditional_commitments", i, NULL);
    }
    *out_round = round;
    return 0;
}

int rt_readout_import(struct rt_store *st, const json_t *draft, const char *source,
                      int64_t dialogue_id, unsigned flags, json_t **out, struct rt_error *err)
{
    struct plan p = {json_object(), json_array()};
    int dry = (flags & RT_READOUT_DRY_RUN) != 0, rc;
    int64_t round = 0;
    json_t *linked = NULL;

    *out = NULL;
    if ((rc = check_draft(draft, err)) < 0)
        goto out;
    if (!dry && (rc = rt_store_begin(st, err)) < 0)
        goto out;
    rc = write_draft(st, draft, source, dialogue_id, dry, &p, &round, err);
    if (rc == 0 && !dry) {
        json_t *doc = NULL;
        if ((rc = rt_round_get(st, round, &doc, err)) == 0)
            linked = json_incref(json_object_get(doc, "linked_recommendations"));
        json_decref(doc);
    }
    if (!dry) {
        if (rc < 0)
            rt_store_rollback(st);
        else
            rc = rt_store_commit(st, err);
    }
    if (rc < 0)
        goto out;
    *out = json_pack("{s:b, s:o, s:O, s:O, s:o}", "dry_run", dry, "round",
                     dry ? json_null() : json_integer(round), "written", p.written, "skipped",
                     p.skipped, "linked_recommendations", linked ? linked : json_null());
    linked = NULL;
out:
    json_decref(linked);
    json_decref(p.written);
    json_decref(p.skipped);
    return rc;
}
