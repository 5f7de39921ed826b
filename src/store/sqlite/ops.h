/*
 * The SQLite back end's operations (the table rt__sqlite_ops, src/store/backend.h). They
 * are called through store.c's public functions, never directly from outside.
 */
#ifndef RT_SQLITE_OPS_H
#define RT_SQLITE_OPS_H

#include <stdarg.h>

#include <jansson.h>

#include <rightstrack/private.h>
#include <rightstrack/store.h>

#include "store/sql.h"

int rt__sqlite_open(struct rt_store **out, const char *target, unsigned flags,
                    struct rt_error *err);
void rt__sqlite_close(struct rt_store *st);
int rt__sqlite_schema_version(struct rt_store *st);
int rt__sqlite_read_begin(struct rt_store *st, struct rt_error *err);
void rt__sqlite_read_end(struct rt_store *st);
int rt__sqlite_version(struct rt_store *st, uint64_t *out, struct rt_error *err);
int rt__sqlite_begin(struct rt_store *st, struct rt_error *err);
int rt__sqlite_commit(struct rt_store *st, struct rt_error *err);
void rt__sqlite_rollback(struct rt_store *st);
int rt__sqlite_begin_load(struct rt_store *st, struct rt_error *err);
int rt__sqlite_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                          struct rt_error *err);
int rt__sqlite_theme_check(struct rt_store *st, const char *theme, struct rt_error *err);
int rt__sqlite_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                         struct rt_error *err);
int rt__sqlite_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                          int *out_new, struct rt_error *err);
int rt__sqlite_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                       unsigned *out_flags, struct rt_error *err);
int rt__sqlite_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                          struct rt_error *err);
int rt__sqlite_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                             const char *label, const char *origin, double confidence, int *out_new,
                             struct rt_error *err);
int rt__sqlite_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                            struct rt_error *err);
int rt__sqlite_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                               const char *label, const char *origin, double confidence,
                               struct rt_error *err);
int rt__sqlite_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                               struct rt_error *err);
int rt__sqlite_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err);
int rt__sqlite_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *s, struct rt_error *err);
int rt__sqlite_search(struct rt_store *st, const struct rt_search_spec *spec,
                      struct rt_search_result *res, struct rt_error *err);
int rt__sqlite_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                          size_t *out_n, struct rt_error *err);
int rt__sqlite_keep_search(struct rt_store *st, struct rt_error *err);
int rt__sqlite_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                         struct rt_error *err);
int rt__sqlite_model_put(struct rt_store *st, const char *name, const char *kind, const char *info,
                         const void *data, size_t len, struct rt_error *err);
int rt__sqlite_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                         struct rt_buf *info, struct rt_error *err);
int rt__sqlite_rec_texts(struct rt_store *st, const char *vocabulary, enum rt_rec_texts_which which,
                         struct rt_rec_text **out, size_t *out_n, struct rt_error *err);
int rt__sqlite_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                                struct rt_error *err);
int rt__sqlite_rec_set_category(struct rt_store *st, int64_t rec_id, int category,
                                const char *origin, double confidence, int *out_set,
                                struct rt_error *err);
int rt__sqlite_model_categories_clear(struct rt_store *st, int64_t *out_n, struct rt_error *err);
int rt__sqlite_theme_counts(struct rt_store *st, const char *vocabulary,
                            struct rt_theme_count **out, size_t *out_n, struct rt_error *err);
int rt__sqlite_theme_areas(struct rt_store *st, struct rt_theme_area **out, size_t *out_n,
                           struct rt_error *err);
int rt__sqlite_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                               struct rt_error *err);
int rt__sqlite_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err);
int rt__sqlite_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                            struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err);
int rt__sqlite_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                          struct rt_error *err);
int rt__sqlite_backup(struct rt_store *st, const char *path, struct rt_error *err);
int rt__sqlite_check_file(const char *target, struct rt_store_check *out, struct rt_error *err);
int rt__sqlite_restore(const char *target, const char *from, struct rt_store_check *out,
                       struct rt_error *err);
/* The ledger's writes through src/store/sql.h (stmt.c): rt__exec's and rt__scalar's
 * contract, the arguments as a va_list; the group is a savepoint; no transaction is
 * run again. */
int rt__sqlite_sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                        const char *types, va_list ap);
int rt__sqlite_sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int,
                          json_t **out_json, const char *sql, const char *types, va_list ap);
int rt__sqlite_sql_group(struct rt_store *st, int op, struct rt_error *err);
int rt__sqlite_sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                        const char *sql, const char *types, va_list ap);
int rt__sqlite_sql_retry(struct rt_store *st, int attempt, struct rt_error *err);
void rt__sqlite_set_actor(struct rt_store *st, const char *actor, const char *via);
int rt__sqlite_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err);
enum rt_reader rt__sqlite_reader(const struct rt_store *st);
int rt__sqlite_may_write(struct rt_store *st);
int rt__sqlite_audit_note(struct rt_store *st, const char *table, const char *op,
                          const char *record, const char *after, struct rt_error *err);
int rt__sqlite_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                          struct rt_error *err);
int rt__sqlite_export(struct rt_store *st, json_t **out, struct rt_error *err);
/* The dialogue ledger's reads (ledger_read.c). */
int rt__sqlite_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err);
int rt__sqlite_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
int rt__sqlite_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
int rt__sqlite_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                         struct rt_error *err);
int rt__sqlite_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                      struct rt_error *err);
int rt__sqlite_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                     struct rt_error *err);
int rt__sqlite_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                        struct rt_error *err);
int rt__sqlite_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                           json_t **out, struct rt_error *err);
int rt__sqlite_import_export(struct rt_store *st, const char *path, json_t *doc,
                             struct rt_error *err);
/* For a store that only carries a load elsewhere (the PostgreSQL import's working copy),
 * called after rt__sqlite_begin_load: no syncs, no full-text index (nor its table word)
 * and no search index for the load's rows, nor, from then on, for any row whose paragraph
 * a merge fills in (the rows a PostgreSQL store copied in were never indexed). */
void rt__sqlite_load_scratch(struct rt_store *st);

#endif
