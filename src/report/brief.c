/*
 * The reports' documents: the briefing for a dialogue's next round and a state's
 * profile, assembled from the ledger's reads (rt_dialogue_get, rt_round_get,
 * rt_since, rt_status, rt_timeline, rt_step_list) and rt_report_recs.
 */
#include "base/compat.h"

#include <stdarg.h>
#include <string.h>

#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>
#include <rightstrack/report.h>

#include "report/report_int.h"

const char *rt__report_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

json_t *rt__report_pick(const json_t *o, ...)
{
    json_t *out = json_object();
    const char *key;
    va_list ap;

    va_start(ap, o);
    while ((key = va_arg(ap, const char *)))
        json_object_set(out, key, json_object_get(o, key) ? json_object_get(o, key) : json_null());
    va_end(ap);
    return out;
}

/* date <= as_of, comparing as the ledger does (a shorter date counts from its start). */
static int on_or_before(const char *date, const char *as_of)
{
    return !as_of || (date && strcmp(date, as_of) <= 0);
}

/* {"code", "name"}: the party and its name for people (rt_party_name). */
static json_t *party(struct rt_store *st, const char *code)
{
    char *name = rt_party_name(st, code);
    json_t *p = json_pack("{s:s, s:s}", "code", code, "name", name);

    rt_free(name);
    return p;
}

static json_t *parties(struct rt_store *st, const json_t *codes)
{
    json_t *out = json_array(), *v;
    size_t i;

    json_array_foreach(codes, i, v) json_array_append_new(out, party(st, json_string_value(v)));
    return out;
}

/*
 * Numbers every distinct "source" string in document order, adding "cite" to the
 * objects that carry one; returns [{"n", "text"}].
 */
static void cite_walk(json_t *v, json_t *sources)
{
    const char *key;
    json_t *x;
    size_t i;

    if (json_is_array(v)) {
        json_array_foreach(v, i, x) cite_walk(x, sources);
        return;
    }
    if (!json_is_object(v))
        return;
    key = rt__report_str(v, "source");
    if (key && *key) {
        size_t n = json_array_size(sources);
        for (i = 0; i < n; i++)
            if (!strcmp(rt__report_str(json_array_get(sources, i), "text"), key))
                break;
        if (i == n)
            json_array_append_new(sources,
                                  json_pack("{s:I, s:s}", "n", (json_int_t)n + 1, "text", key));
        json_object_set_new(v, "cite", json_integer((json_int_t)i + 1));
    }
    json_object_foreach(v, key, x) cite_walk(x, sources);
}

void rt__report_cite(json_t *doc)
{
    json_t *sources = json_array();
    cite_walk(doc, sources);
    json_object_set_new(doc, "sources", sources);
}

/* The step ids responded to, as {"id", "actor", "date", "text"}, from all steps. */
static json_t *responded_steps(const json_t *step, const json_t *all)
{
    json_t *out = json_array(), *id, *s;
    size_t i, j;

    json_array_foreach(json_object_get(step, "responds_to"), i, id)
    {
        json_array_foreach(all, j, s)
        {
            if (json_integer_value(json_object_get(s, "id")) != json_integer_value(id))
                continue;
            json_array_append_new(out, rt__report_pick(s, "id", "actor", "date", "text", NULL));
        }
    }
    return out;
}

/*
 * Every step that answers another, both dated by as_of, whatever the rounds:
 * [{"step": {…}, "responds_to": {…}}] in the answering step's order.
 */
static json_t *reciprocity(const json_t *all, const char *as_of)
{
    json_t *out = json_array(), *s, *id, *t;
    size_t i, j, k;

    json_array_foreach(all, i, s)
    {
        if (!on_or_before(rt__report_str(s, "date"), as_of))
            continue;
        json_array_foreach(json_object_get(s, "responds_to"), j, id)
        {
            json_array_foreach(all, k, t)
            {
                if (json_integer_value(json_object_get(t, "id")) != json_integer_value(id) ||
                    !on_or_before(rt__report_str(t, "date"), as_of))
                    continue;
                json_array_append_new(
                    out, json_pack("{s:o, s:o}", "step",
                                   rt__report_pick(s, "id", "actor", "date", "kind", "quantity",
                                                   "direction", "text", "source", NULL),
                                   "responds_to",
                                   rt__report_pick(t, "id", "actor", "date", "kind", "quantity",
                                                   "direction", "text", "source", NULL)));
            }
        }
    }
    return out;
}

/* Steps with a quantity, as series by actor and kind, in date order. */
static json_t *figures(const json_t *steps, const char *as_of)
{
    json_t *out = json_array(), *s, *f = NULL;
    size_t i, j;

    json_array_foreach(steps, i, s)
    {
        const char *actor = rt__report_str(s, "actor"), *kind = rt__report_str(s, "kind");
        json_t *q = json_object_get(s, "quantity");
        if (!json_is_integer(q) || !on_or_before(rt__report_str(s, "date"), as_of))
            continue;
        json_array_foreach(out, j, f) if (!strcmp(rt__report_str(f, "actor"), actor) &&
                                          !strcmp(rt__report_str(f, "kind"), kind)) break;
        if (j == json_array_size(out)) {
            f = json_pack("{s:s, s:s, s:I, s:[]}", "actor", actor, "kind", kind, "total",
                          (json_int_t)0, "points");
            json_array_append_new(out, f);
        }
        json_object_set_new(
            f, "total",
            json_integer(json_integer_value(json_object_get(f, "total")) + json_integer_value(q)));
        json_array_append_new(json_object_get(f, "points"),
                              json_pack("{s:O, s:O, s:O}", "date", json_object_get(s, "date"),
                                        "quantity", q, "step", json_object_get(s, "id")));
    }
    return out;
}

/* A topic linked by hand to more recommendations than this is summed up, not listed. */
#define LINKED_LISTED 12

/* The commonest themes kept of a group of linked recommendations. */
#define SUMMARY_THEMES 5

/*
 * The recommendations linked to a topic, summed up by state under review, mechanism
 * and session (a whole UPR review, or ODIHR's): [{"state", "mechanism", "session",
 * "total", "supported", "noted", "pledge", "themes": [{"label", "count"}] (the
 * commonest first, at most SUMMARY_THEMES)}], in the order first met.
 */
static int linked_summary(struct rt_store *st, const json_t *ids, json_t **out,
                          struct rt_error *err)
{
    json_t *id, *g, *all_themes = json_array();
    size_t n, k;

    *out = json_array();
    json_array_foreach(ids, n, id)
    {
        struct rt_rec r;
        const char *resp;
        json_t *themes;
        rt_rec_init(&r);
        if (rt_store_rec_get(st, json_integer_value(id), &r, err) < 0) {
            rt_rec_release(&r);
            json_decref(all_themes);
            return err->code;
        }
        g = NULL;
        json_array_foreach(*out, k, g)
        {
            if (!strcmp(json_string_value(json_object_get(g, "state")), r.sur.code) &&
                !strcmp(json_string_value(json_object_get(g, "mechanism")),
                        r.mechanism ? r.mechanism : "upr") &&
                json_integer_value(json_object_get(g, "session")) == r.session)
                break;
            g = NULL;
        }
        if (!g) {
            g = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "state", r.sur.code, "mechanism",
                          r.mechanism ? r.mechanism : "upr", "session", (json_int_t)r.session,
                          "total", (json_int_t)0, "supported", (json_int_t)0, "noted",
                          (json_int_t)0, "pledge", (json_int_t)0);
            json_array_append_new(*out, g);
            json_array_append_new(all_themes, json_object());
        }
        k = json_array_size(*out) - 1;
        while (json_array_get(*out, k) != g)
            k--;
        themes = json_array_get(all_themes, k);
        json_object_set_new(g, "total",
                            json_integer(json_integer_value(json_object_get(g, "total")) + 1));
        resp = rt_response_name(r.response);
        if (json_object_get(g, resp))
            json_object_set_new(g, resp,
                                json_integer(json_integer_value(json_object_get(g, resp)) + 1));
        for (size_t t = 0; t < r.n_themes; t++) {
            int dup = 0;
            for (size_t u = 0; u < t; u++)
                dup |= !strcmp(r.themes[u].label, r.themes[t].label);
            if (!dup)
                json_object_set_new(
                    themes, r.themes[t].label,
                    json_integer(json_integer_value(json_object_get(themes, r.themes[t].label)) +
                                 1));
        }
        rt_rec_release(&r);
    }
    /* Each group's commonest themes, ties by label. */
    json_array_foreach(*out, n, g)
    {
        json_t *themes = json_array_get(all_themes, n), *top = json_array(), *v;
        const char *label;
        for (int i = 0; i < SUMMARY_THEMES; i++) {
            const char *best = NULL;
            json_int_t most = 0;
            json_object_foreach(themes, label, v)
            {
                json_int_t c = json_integer_value(v);
                if (c > most || (c == most && best && strcmp(label, best) < 0)) {
                    best = label;
                    most = c;
                }
            }
            if (!best)
                break;
            json_array_append_new(top, json_pack("{s:s, s:I}", "label", best, "count", most));
            json_object_set_new(themes, best, json_integer(0));
        }
        json_object_set_new(g, "themes", top);
    }
    json_decref(all_themes);
    return 0;
}

/* The recommendations (ids) linked by hand, named as a person reads them (lookup.h):
 * [{"id", "name", "label"}], a new array. */
static json_t *named_recs(struct rt_store *st, const json_t *ids)
{
    json_t *out = json_array(), *id;
    size_t n;

    json_array_foreach(ids, n, id)
    {
        char ref[40];
        json_t *e = NULL;
        snprintf(ref, sizeof(ref), "rec:%lld", (long long)json_integer_value(id));
        if (rt_ref_name(st, ref, &e, NULL) == 0)
            json_array_append_new(out, rt__report_pick(e, "id", "name", "label", NULL));
        json_decref(e);
    }
    return out;
}

/* A copy of the asks of list, each with its hand-made links named
 * ("linked_recommendations", as a topic's). */
static json_t *asks_named(struct rt_store *st, const json_t *list)
{
    json_t *out = json_deep_copy(list), *a;
    size_t i;

    if (!out)
        return json_array();
    json_array_foreach(out, i, a) json_object_set_new(
        a, "linked_recommendations", named_recs(st, json_object_get(a, "recommendations")));
    return out;
}

/* A copy of the assessments of list, each with its target named ("target_named":
 * {"kind", "name", "label"}, null when the target is not found). */
static json_t *assessments_named(struct rt_store *st, const json_t *list)
{
    json_t *out = json_deep_copy(list), *a;
    size_t i;

    if (!out)
        return json_array();
    json_array_foreach(out, i, a)
    {
        json_t *e = NULL;
        if (rt_ref_name(st, rt__report_str(a, "target"), &e, NULL) == 0)
            json_object_set_new(a, "target_named",
                                rt__report_pick(e, "kind", "name", "label", NULL));
        else
            json_object_set_new(a, "target_named", json_null());
        json_decref(e);
    }
    return out;
}

/*
 * Each topic with the counterparts' recommendations on its theme; a topic without
 * one uses the taxonomy areas it was tagged with (a readout's topics are). What was
 * linked by hand is listed by name, or summed up when there is more of it than
 * LINKED_LISTED (a whole review).
 */
static int topics(struct rt_store *st, const json_t *round, const json_t *states, const char *as_of,
                  json_t **out, struct rt_error *err)
{
    json_t *t, *s, *themes, *th;
    size_t i, j, k;

    *out = json_array();
    json_array_foreach(json_object_get(round, "topics"), i, t)
    {
        json_t *topic = rt__report_pick(t, "id", "text", "theme", NULL);
        json_object_set(topic, "linked", json_object_get(t, "recommendations"));
        if (json_array_size(json_object_get(t, "recommendations")) > LINKED_LISTED) {
            json_t *sum = NULL;
            if (linked_summary(st, json_object_get(t, "recommendations"), &sum, err) < 0) {
                json_decref(sum);
                json_decref(topic);
                return err->code;
            }
            json_object_set_new(topic, "linked_summary", sum);
        }
        /* The same, named as a person reads them (lookup.h). */
        json_object_set_new(topic, "linked_recommendations",
                            json_array_size(json_object_get(t, "recommendations")) > LINKED_LISTED
                                ? json_array()
                                : named_recs(st, json_object_get(t, "recommendations")));
        json_object_set_new(topic, "states", json_array());
        json_array_append_new(*out, topic);
        themes = json_array();
        if (rt__report_str(t, "theme"))
            json_array_append(themes, json_object_get(t, "theme"));
        else
            json_array_extend(themes, json_object_get(t, "areas"));
        json_array_foreach(themes, k, th)
        {
            json_array_foreach(states, j, s)
            {
                json_t *recs = NULL;
                if (rt_report_recs(st, json_string_value(s), json_string_value(th), as_of, &recs,
                                   err) < 0) {
                    json_decref(themes);
                    return err->code;
                }
                json_array_append_new(json_object_get(topic, "states"), recs);
            }
        }
        json_decref(themes);
    }
    return 0;
}

/* The benchmarks with their status as of the date. */
static int benchmarks(struct rt_store *st, const json_t *d, const char *as_of, json_t **out,
                      struct rt_error *err)
{
    json_t *b;
    size_t i;

    *out = json_array();
    json_array_foreach(json_object_get(d, "benchmarks"), i, b)
    {
        char target[48];
        json_t *status = NULL;
        snprintf(target, sizeof(target), "benchmark:%lld",
                 (long long)json_integer_value(json_object_get(b, "id")));
        if (rt_status(st, target, as_of, &status, err) < 0)
            return err->code;
        json_t *e = rt__report_pick(b, "id", "text", NULL);
        json_object_set(e, "status", json_object_get(status, "status"));
        json_object_set(e, "latest", json_object_get(status, "latest"));
        json_array_append_new(*out, e);
        json_decref(status);
    }
    return 0;
}

/* The moved steps of since, each with the steps it responds to and its party's name. */
static json_t *moved(struct rt_store *st, const json_t *since, const json_t *all)
{
    json_t *out = json_array(), *p, *s;
    size_t i, j;

    json_array_foreach(json_object_get(since, "steps"), i, p)
    {
        json_t *e = party(st, rt__report_str(p, "party")), *steps = json_array();
        json_array_foreach(json_object_get(p, "steps"), j, s)
        {
            json_t *c = json_deep_copy(s), *named = json_array(), *a;
            size_t k;
            json_object_set_new(c, "responds_to_steps", responded_steps(s, all));
            /* What it answers, named as a person reads it (lookup.h). */
            json_array_foreach(json_object_get(s, "answers"), k, a)
            {
                json_t *n = NULL;
                if (rt_ref_name(st, json_string_value(a), &n, NULL) == 0)
                    json_array_append_new(named,
                                          rt__report_pick(n, "kind", "ref", "name", "label", NULL));
                else
                    json_array_append_new(named, json_null());
                json_decref(n);
            }
            json_object_set_new(c, "answers_named", named);
            json_array_append_new(steps, c);
        }
        json_object_set_new(e, "party", json_string(rt__report_str(e, "code")));
        json_object_del(e, "code");
        json_object_set_new(e, "steps", steps);
        json_array_append_new(out, e);
    }
    return out;
}

int rt_report_brief(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                    struct rt_error *err)
{
    json_t *d = NULL, *round = NULL, *since = NULL, *all = NULL, *tl = NULL, *doc = NULL;
    json_t *rounds, *r, *last = NULL, *list;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = rt_report_prepare(st, err)) < 0 ||
        (rc = rt_dialogue_get(st, dialogue_id, &d, err)) < 0 ||
        (rc = rt_timeline(st, dialogue_id, as_of, &tl, err)) < 0 ||
        (rc = rt_step_list(st, dialogue_id, NULL, &all, err)) < 0)
        goto done;
    rounds = json_array();
    json_array_foreach(json_object_get(d, "rounds"), i, r)
    {
        if (!on_or_before(rt__report_str(r, "date"), as_of))
            continue;
        json_array_append_new(rounds, rt__report_pick(r, "id", "ordinal", "date", "place", NULL));
        last = r;
    }
    doc = json_pack("{s:s, s:o, s:{s:O, s:O, s:O, s:o}, s:o}", "report", "brief", "as_of",
                    as_of ? json_string(as_of) : json_null(), "dialogue", "id",
                    json_object_get(d, "id"), "name", json_object_get(d, "name"), "kind",
                    json_object_get(d, "kind"), "parties",
                    parties(st, json_object_get(d, "parties")), "rounds", rounds);
    if (last) {
        int64_t round_id = json_integer_value(json_object_get(last, "id"));
        if ((rc = rt_round_get(st, round_id, &round, err)) < 0 ||
            (rc = rt_since(st, round_id, as_of, &since, err)) < 0)
            goto done;
        /* The round as of the date: its record, without what came later. */
        json_object_del(round, "asks");
        json_object_del(round, "commitments");
        /* The recommendations linked to the round itself by hand, named. */
        json_object_set_new(round, "linked_by_hand",
                            named_recs(st, json_object_get(round, "recommendations")));
        json_object_set(doc, "last_round", round);
        /* Whom the round asked, else the dialogue's parties that are states. */
        json_object_set(
            doc, "counterparts",
            json_object_get(json_object_get(round, "linked_recommendations"), "states"));
        /* In the order the renderers show them, so that sources number in reading order. */
        json_object_set_new(doc, "moved", moved(st, since, all));
        json_object_set_new(doc, "reciprocity", reciprocity(all, as_of));
        json_object_set_new(doc, "assessments",
                            assessments_named(st, json_object_get(since, "assessments")));
        json_object_set(doc, "new_recommendations", json_object_get(since, "new_recommendations"));
        json_object_set_new(doc, "asks_open", asks_named(st, json_object_get(since, "asks_open")));
        json_object_set_new(doc, "asks_closed",
                            asks_named(st, json_object_get(since, "asks_closed")));
        json_object_set(doc, "commitments", json_object_get(since, "commitments"));
    } else {
        json_object_set_new(doc, "last_round", json_null());
        json_object_set_new(doc, "reciprocity", reciprocity(all, as_of));
    }
    if ((rc = benchmarks(st, d, as_of, &list, err)) < 0) {
        json_decref(list);
        goto done;
    }
    json_object_set_new(doc, "benchmarks", list);
    if (round) {
        if ((rc = topics(st, round, json_object_get(doc, "counterparts"), as_of, &list, err)) < 0) {
            json_decref(list);
            goto done;
        }
        json_object_set_new(doc, "topics", list);
    }
    json_object_set_new(doc, "figures", figures(all, as_of));
    json_object_set(doc, "timeline", json_object_get(tl, "events"));
    rt__report_cite(doc);
    *out = doc;
    doc = NULL;
done:
    json_decref(doc);
    json_decref(d);
    json_decref(round);
    json_decref(since);
    json_decref(all);
    json_decref(tl);
    return rc < 0 ? rc : 0;
}
