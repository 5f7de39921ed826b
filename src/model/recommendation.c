/* Recommendation values: responses, cycles, lifecycle. */
#include "base/compat.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <rightstrack/model.h>

const char *rt_response_name(enum rt_response r)
{
    switch (r) {
    case RT_RESPONSE_SUPPORTED:
        return "supported";
    case RT_RESPONSE_NOTED:
        return "noted";
    case RT_RESPONSE_PLEDGE:
        return "pledge";
    case RT_RESPONSE_PENDING:
        break;
    }
    return "pending";
}

const char *rt_action_category_text(int category)
{
    static const char *const text[] = {"other states or assistance", "continue", "consider",
                                       "general action", "specific action"};

    return category >= 1 && category <= 5 ? text[category - 1] : "no such category";
}

/* The second word of the pair whose first is key in names (n pairs), else key. */
static const char *word_for(const char *const (*names)[2], size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, names[i][0]))
            return names[i][1];
    return key;
}

const char *rt_mechanism_text(const char *mechanism)
{
    static const char *const names[][2] = {{"upr", "UPR"},
                                           {"odihr", "OSCE/ODIHR"},
                                           {"treaty-body", "treaty body"},
                                           {"special-procedure", "special procedure"}};

    return word_for(names, RT_ARRAY_SIZE(names), mechanism);
}

const char *rt_facet_heading(const char *name)
{
    static const char *const names[][2] = {{"response", "Response"},
                                           {"cycle", "Cycle"},
                                           {"theme", "Theme"},
                                           {"state_under_review", "State under review"}};

    return word_for(names, RT_ARRAY_SIZE(names), name);
}

const char *rt_theme_prefix(const char *label)
{
    size_t n = 0;

    while (label[n] >= '0' && label[n] <= '9')
        n++;
    return n >= 1 && n <= 2 && label[n] == '.' ? "SDG " : "";
}

const char *rt_rec_made_text(const struct rt_rec *r, char out[48])
{
    if (r->mechanism && strcmp(r->mechanism, "upr"))
        snprintf(out, 48, "%s", rt_mechanism_text(r->mechanism));
    else if (r->session > 0 && r->cycle > 0)
        snprintf(out, 48, "session %d (cycle %d)", r->session, r->cycle);
    else if (r->session > 0)
        snprintf(out, 48, "session %d", r->session);
    else if (r->cycle > 0)
        snprintf(out, 48, "cycle %d", r->cycle);
    else
        snprintf(out, 48, "UPR");
    return out;
}

int rt_response_parse(const char *s, enum rt_response *out)
{
    static const struct {
        const char *word;
        enum rt_response r;
    } words[] = {
        {"supported", RT_RESPONSE_SUPPORTED}, {"accepted", RT_RESPONSE_SUPPORTED},
        {"support", RT_RESPONSE_SUPPORTED},   {"noted", RT_RESPONSE_NOTED},
        {"pledge", RT_RESPONSE_PLEDGE},       {"voluntary pledge", RT_RESPONSE_PLEDGE},
        {"pending", RT_RESPONSE_PENDING},
    };
    for (size_t i = 0; i < RT_ARRAY_SIZE(words); i++) {
        if (!strcasecmp(s, words[i].word)) {
            *out = words[i].r;
            return 0;
        }
    }
    return RT_EINVAL;
}

int rt_upr_cycle_of_session(int session)
{
    if (session <= 0)
        return 0;
    if (session <= 12)
        return 1;
    return 2 + (session - 13) / 14;
}

void rt_rec_init(struct rt_rec *r)
{
    memset(r, 0, sizeof(*r));
}

void rt_rec_release(struct rt_rec *r)
{
    rt_free(r->mechanism);
    rt_free(r->paragraph);
    rt_free(r->text);
    rt_free(r->sur.name);
    for (size_t i = 0; i < r->n_by; i++)
        rt_free(r->by[i].name);
    rt_free(r->by);
    for (size_t i = 0; i < r->n_themes; i++) {
        rt_free(r->themes[i].vocabulary);
        rt_free(r->themes[i].label);
        rt_free(r->themes[i].origin);
    }
    rt_free(r->themes);
    rt_free(r->action_category_origin);
    rt_free(r->source_path);
    rt_free(r->created_at);
    for (size_t i = 0; i < r->n_sources; i++) {
        rt_free(r->sources[i].kind);
        rt_free(r->sources[i].path);
    }
    rt_free(r->sources);
    rt_free(r->election);
    rt_free(r->election_date);
    rt_free(r->report_date);
    rt_rec_init(r);
}
