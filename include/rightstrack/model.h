/*
 * Plain model values shared by the store, the importers and the faces. No I/O.
 */
#ifndef RIGHTSTRACK_MODEL_H
#define RIGHTSTRACK_MODEL_H

#include <rightstrack/rt.h>

/* The state's answer to a recommendation. */
enum rt_response {
    RT_RESPONSE_PENDING = 0,
    RT_RESPONSE_SUPPORTED,
    RT_RESPONSE_NOTED,
    RT_RESPONSE_PLEDGE,
};

/* The name of a response: "supported", "noted", "pledge", "pending" (static). */
RT_API const char *rt_response_name(enum rt_response r);

/*
 * What UPR Info's action category 1-5 asks of the state, in a few words for a reader:
 * "other states or assistance", "continue", "consider", "general action", "specific
 * action" (static); "no such category" for any other number.
 */
RT_API const char *rt_action_category_text(int category);
/*
 * A mechanism by the name a desk officer knows: "UPR", "OSCE/ODIHR", "treaty body"
 * (static); the stored word itself for any other (mechanism, not NULL).
 */
RT_API const char *rt_mechanism_text(const char *mechanism);
/*
 * A search facet's heading: "Response", "Cycle", "Theme", "State under review"
 * (static), for the store's names of the facets; name itself for any other.
 */
RT_API const char *rt_facet_heading(const char *name);
/*
 * What goes before a theme's label for a reader: "SDG " for a goal or target of the
 * Sustainable Development Goals, whose labels alone are numbers ("16.1",
 * "16. Peace, justice and strong institutions"), else "" (static). The label stays
 * what is stored and filtered on.
 */
RT_API const char *rt_theme_prefix(const char *label);
/*
 * Reads a response as users and exports write it: "supported", "Accepted",
 * "support", "noted", "Voluntary Pledge", "pledge", "pending" (any case).
 * Returns 0, or RT_EINVAL for anything else.
 */
RT_API int rt_response_parse(const char *s, enum rt_response *out);

/* The UPR cycle a Working Group session belongs to (1-12: 1, 13-26: 2, 27-40: 3,
 * 41-54: 4), or 0 when session is not positive. */
RT_API int rt_upr_cycle_of_session(int session);

/* A theme attached to a recommendation, with where the label came from. */
struct rt_rec_theme {
    char *vocabulary; /* "upr-info", "uhri", "osce" */
    char *label;
    char *origin; /* "official", "model", "person" */
    double confidence;
};

/* A source a recommendation came from (an imported file), with the response it gave. */
struct rt_rec_source {
    int64_t id;
    char *kind; /* the format it was read as: "upr-info", "uhri", "dihr", … */
    char *path; /* the file as it was named when imported */
    enum rt_response response;
};

/* A state as shown to users. */
struct rt_state_ref {
    char code[4]; /* ISO 3166-1 alpha-3 */
    char *name;
};

/* A recommendation with everything a face shows. All strings owned. */
struct rt_rec {
    int64_t id;
    char *mechanism;
    int cycle;   /* 0 when unknown */
    int session; /* 0 when unknown */
    char *paragraph;
    char *text;
    struct rt_state_ref sur;
    struct rt_state_ref *by;
    size_t n_by;
    enum rt_response response;
    /* 1-5, 0 when unknown: the official category, or where the data has none a
     * predicted one; its origin "official", "model" or "person" (NULL when unknown),
     * and confidence (1 for an official one, a model's probability) */
    int action_category;
    char *action_category_origin;
    double action_category_confidence;
    struct rt_rec_theme *themes;
    size_t n_themes;
    int64_t source_id; /* 0 when none: the first source */
    char *source_path;
    char *created_at;
    /* every source it came from, oldest first (filled by rt_store_rec_get only) */
    struct rt_rec_source *sources;
    size_t n_sources;
    /* an ODIHR recommendation's election (filled by rt_store_rec_get only; election
     * NULL for others): its kind, its date, the final report's date (NULL when
     * unknown), and 1 when the report made it a priority */
    char *election, *election_date, *report_date;
    int priority;
};

/*
 * rt_rec_init makes *r empty (all zero, NULL strings), allocating nothing;
 * rt_rec_release frees every string and array *r owns and leaves it as rt_rec_init
 * made it. Every rt_rec a read fills (rt_store_rec_get) is released by the caller.
 */
RT_API void rt_rec_init(struct rt_rec *r);
RT_API void rt_rec_release(struct rt_rec *r);

/*
 * Where a recommendation was made, in a few words: "session 13 (cycle 2)" for the
 * UPR ("cycle 2" when the session is unknown, "UPR" when both are); the mechanism's
 * name for any other ("OSCE/ODIHR"). Written into out, which it returns.
 */
RT_API const char *rt_rec_made_text(const struct rt_rec *r, char out[48]);

#endif
