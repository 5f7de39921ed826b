/*
 * The JSON shape of model values, shared by `--json` on the command line and the
 * HTTP API so that both print the same thing. Built with jansson.
 */
#ifndef RIGHTSTRACK_JSON_H
#define RIGHTSTRACK_JSON_H

#include <jansson.h>

#include <rightstrack/store.h>

/*
 * Each returns a new reference (json_decref it). A recommendation:
 * {"id", "mechanism", "cycle", "session", "paragraph", "text", "state_under_review",
 *  "state_under_review_code", "recommending_states": [names],
 *  "recommending_state_codes": [codes], "response", "action_category",
 *  "themes": [labels]}; with detail, also "theme_tags": [{"vocabulary", "label",
 *  "origin", "confidence"}], "source" and "created_at".
 */
RT_API json_t *rt_rec_to_json(const struct rt_rec *r, int detail);
/* {"total", "limit", "offset", "hits": [...], "facets": {"response": {key: n}, ...}} */
RT_API json_t *rt_search_result_to_json(const struct rt_search_result *res, int64_t limit,
                                        int64_t offset);
/* {"recommendations", "states_under_review", "recommending_states", "by_response": {...},
 *  "by_cycle": {...}, "sources", "themes"} */
RT_API json_t *rt_stats_to_json(const struct rt_stats *s);

#endif
