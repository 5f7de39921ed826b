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
 *  "action_category_origin", "action_category_confidence", "themes": [labels]}, where
 *  action_category is the official category or, where the data has none, a predicted
 *  one; its origin says which ("official", "model", "person"; null with no category)
 *  and its confidence is 1 for an official one, the model's probability for a
 *  predicted one; with detail, also "theme_tags": [{"vocabulary", "label",
 *  "origin", "confidence"}], "source" and "created_at".
 */
RT_API json_t *rt_rec_to_json(const struct rt_rec *r, int detail);
/*
 * A search result, as a new reference (json_decref it): {"total", "limit", "offset",
 * "hits": [recommendation], "facets": {"response": {key: n}, ...}}.
 */
RT_API json_t *rt_search_result_to_json(const struct rt_search_result *res, int64_t limit,
                                        int64_t offset);
/*
 * The same document written to out as json_dump_callback writes it with
 * JSON_INDENT(1) | JSON_PRESERVE_ORDER, byte for byte, but straight from res (no
 * document is built: the web face's answer to a search). Returns 0, or -1 with out
 * as it was when res holds what jansson would not take as it is (text that is not
 * UTF-8, a missing name, a key twice): the caller then dumps
 * rt_search_result_to_json.
 */
RT_API int rt_search_result_write_json(const struct rt_search_result *res, int64_t limit,
                                       int64_t offset, struct rt_buf *out);
/*
 * The store's figures, as a new reference (json_decref it): {"recommendations",
 * "states_under_review", "recommending_states", "by_response": {...}, "by_cycle":
 * {"1": n, ...} (the UPR cycles), "no_cycle" (the others, OSCE/ODIHR's), "sources",
 * "themes"}.
 */
RT_API json_t *rt_stats_to_json(const struct rt_stats *s);

/*
 * A recommendation's repeats (rt_store_repeats_of): {"id", "cycle", "threshold",
 * "cluster": {"id", "size"}, "repeats": [recommendation (as rt_rec_to_json) with
 * "jaccard"]}; jaccard values are rounded to 4 decimals (print them with
 * JSON_REAL_PRECISION(10) or less to see them so). rt_repeat_pairs_to_json: the n
 * pairs at p (rt_store_repeat_pairs) as [{"a", "b", "jaccard"}], rounded the same
 * way. Each returns a new reference (json_decref it); the input stays the caller's.
 */
RT_API json_t *rt_repeats_to_json(const struct rt_repeats *r);
RT_API json_t *rt_repeat_pairs_to_json(const struct rt_repeat_pair *p, size_t n);
/* x rounded to 4 decimals, the precision repeats are shown with. */
RT_API double rt_round4(double x);

#endif
