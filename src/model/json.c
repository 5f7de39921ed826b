/* JSON shapes of model values, one for the CLI and the API alike. */
#include "base/compat.h"

#include <rightstrack/json.h>

static json_t *int_or_null(int64_t v)
{
    return v ? json_integer(v) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *rt_rec_to_json(const struct rt_rec *r, int detail)
{
    json_t *o = json_object(), *names = json_array(), *codes = json_array(), *themes = json_array();

    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "mechanism", str_or_null(r->mechanism));
    json_object_set_new(o, "cycle", int_or_null(r->cycle));
    json_object_set_new(o, "session", int_or_null(r->session));
    json_object_set_new(o, "paragraph", str_or_null(r->paragraph));
    json_object_set_new(o, "text", json_string(r->text ? r->text : ""));
    json_object_set_new(o, "state_under_review", str_or_null(r->sur.name));
    json_object_set_new(o, "state_under_review_code", json_string(r->sur.code));
    for (size_t i = 0; i < r->n_by; i++) {
        json_array_append_new(names, json_string(r->by[i].name));
        json_array_append_new(codes, json_string(r->by[i].code));
    }
    json_object_set_new(o, "recommending_states", names);
    json_object_set_new(o, "recommending_state_codes", codes);
    json_object_set_new(o, "response", json_string(rt_response_name(r->response)));
    json_object_set_new(o, "action_category", int_or_null(r->action_category));
    json_object_set_new(o, "action_category_origin",
                        r->action_category ? str_or_null(r->action_category_origin) : json_null());
    json_object_set_new(o, "action_category_confidence",
                        r->action_category && r->action_category_origin
                            ? json_real(r->action_category_confidence)
                            : json_null());
    for (size_t i = 0; i < r->n_themes; i++) {
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= !strcmp(r->themes[k].label, r->themes[i].label);
        if (!dup)
            json_array_append_new(themes, json_string(r->themes[i].label));
    }
    json_object_set_new(o, "themes", themes);
    if (detail) {
        json_t *tags = json_array();
        for (size_t i = 0; i < r->n_themes; i++)
            json_array_append_new(tags, json_pack("{s:s, s:s, s:s, s:f}", "vocabulary",
                                                  r->themes[i].vocabulary, "label",
                                                  r->themes[i].label, "origin", r->themes[i].origin,
                                                  "confidence", r->themes[i].confidence));
        json_object_set_new(o, "theme_tags", tags);
        json_t *sources = json_array();
        int disagree = 0;
        json_object_set_new(o, "source", str_or_null(r->source_path));
        for (size_t i = 0; i < r->n_sources; i++) {
            const struct rt_rec_source *s = &r->sources[i];
            json_array_append_new(sources,
                                  json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)s->id, "kind",
                                            s->kind, "file", str_or_null(s->path), "response",
                                            rt_response_name(s->response)));
            disagree |= s->response != r->sources[0].response;
        }
        json_object_set_new(o, "sources", sources);
        json_object_set_new(o, "sources_disagree", json_boolean(disagree));
        json_object_set_new(o, "election",
                            r->election
                                ? json_pack("{s:s, s:o, s:o, s:b}", "election", r->election, "date",
                                            str_or_null(r->election_date), "report_date",
                                            str_or_null(r->report_date), "priority", r->priority)
                                : json_null());
        json_object_set_new(o, "created_at", str_or_null(r->created_at));
    }
    return o;
}

json_t *rt_search_result_to_json(const struct rt_search_result *res, int64_t limit, int64_t offset)
{
    json_t *o = json_object(), *hits = json_array(), *facets = json_object();

    json_object_set_new(o, "total", json_integer(res->total));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "offset", json_integer(offset));
    for (size_t i = 0; i < res->n_hits; i++)
        json_array_append_new(hits, rt_rec_to_json(&res->hits[i], 0));
    json_object_set_new(o, "hits", hits);
    for (size_t f = 0; f < res->n_facets; f++) {
        json_t *counts = json_object();
        for (size_t i = 0; i < res->facets[f].n; i++)
            json_object_set_new(counts, res->facets[f].counts[i].key,
                                json_integer(res->facets[f].counts[i].n));
        json_object_set_new(facets, res->facets[f].name, counts);
    }
    json_object_set_new(o, "facets", facets);
    return o;
}

json_t *rt_stats_to_json(const struct rt_stats *s)
{
    json_t *o = json_object(), *resp = json_object(), *cyc = json_object();

    json_object_set_new(o, "recommendations", json_integer(s->recommendations));
    json_object_set_new(o, "states_under_review", json_integer(s->states_under_review));
    json_object_set_new(o, "recommending_states", json_integer(s->recommending_states));
    json_object_set_new(resp, "supported", json_integer(s->by_response[RT_RESPONSE_SUPPORTED]));
    json_object_set_new(resp, "noted", json_integer(s->by_response[RT_RESPONSE_NOTED]));
    json_object_set_new(resp, "pledge", json_integer(s->by_response[RT_RESPONSE_PLEDGE]));
    json_object_set_new(resp, "pending", json_integer(s->by_response[RT_RESPONSE_PENDING]));
    json_object_set_new(o, "by_response", resp);
    for (size_t i = 0; i < s->n_by_cycle; i++)
        json_object_set_new(cyc, s->by_cycle[i].key, json_integer(s->by_cycle[i].n));
    json_object_set_new(o, "by_cycle", cyc);
    json_object_set_new(o, "sources", json_integer(s->sources));
    json_object_set_new(o, "themes", json_integer(s->themes));
    return o;
}
