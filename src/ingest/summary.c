/* What an import did, as JSON: one shape for the command line and the API. */
#include "base/compat.h"

#include <rightstrack/ingest.h>

static json_t *file_json(const char *name, const struct rt_import_stats *s)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}", "file", name, "format",
                     rt_format_name(s->format), "rows", (json_int_t)s->rows,
                     "recommendations_added", (json_int_t)s->recs_new, "recommendations_existing",
                     (json_int_t)s->recs_existing, "recommending_states_added",
                     (json_int_t)s->by_new, "themes_added", (json_int_t)s->themes_new,
                     "unknown_recommending_state", (json_int_t)s->unknown_by, "new_source",
                     s->source_new, "private", s->marked_private);
}

json_t *rt_import_summary_json(const char *const *names, const struct rt_import_stats *stats,
                               size_t n, const struct rt_tag_stats *tags)
{
    struct rt_import_stats total = {0};
    json_t *files = json_array();

    for (size_t i = 0; i < n; i++) {
        total.rows += stats[i].rows;
        total.recs_new += stats[i].recs_new;
        total.recs_existing += stats[i].recs_existing;
        total.by_new += stats[i].by_new;
        total.themes_new += stats[i].themes_new;
        total.unknown_by += stats[i].unknown_by;
        json_array_append_new(files, file_json(names[i], &stats[i]));
    }
    return json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "files", files, "rows",
                     (json_int_t)total.rows, "recommendations_added", (json_int_t)total.recs_new,
                     "recommendations_existing", (json_int_t)total.recs_existing,
                     "recommending_states_added", (json_int_t)total.by_new, "themes_added",
                     (json_int_t)total.themes_new, "unknown_recommending_state",
                     (json_int_t)total.unknown_by, "tagged_by_model",
                     (json_int_t)(tags ? tags->tagged : 0), "categorised_by_model",
                     (json_int_t)(tags ? tags->categorised : 0));
}
