/*
 * The theme classifier's data written once for every back end (models.c, through
 * sql.h): both back ends' tables of operations name these. What stays each back end's
 * own is the model's blob (SQLite reads it by incremental I/O, PostgreSQL sends it as
 * bytea) and the writes of an import (SQLite's rec_write.c).
 */
#ifndef RT_STORE_MODELS_INT_H
#define RT_STORE_MODELS_INT_H

#include <rightstrack/store.h>

/* A category set (?1 recommendation, ?2 category, ?3 origin, ?4 confidence): nothing
 * when the data has a category, or when a model's would replace a person's. */
#define RT__REC_CATEGORY_SET                                                                       \
    "INSERT INTO recommendation_category(rec_id, category, origin, confidence)"                    \
    " SELECT id, ?2, ?3, ?4 FROM recommendation WHERE id = ?1 AND action_category IS NULL"         \
    " ON CONFLICT (rec_id) DO UPDATE SET category = excluded.category,"                            \
    " origin = excluded.origin, confidence = excluded.confidence"                                  \
    " WHERE excluded.origin = 'person' OR recommendation_category.origin = 'model'"

/* The members of struct rt__store_ops of the same names (backend.h). */
int rt__store_rec_texts(struct rt_store *st, const char *vocabulary, enum rt_rec_texts_which which,
                        struct rt_rec_text **out, size_t *out_n, struct rt_error *err);
int rt__store_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                               struct rt_error *err);
int rt__store_model_categories_clear(struct rt_store *st, int64_t *out_n, struct rt_error *err);
int rt__store_rec_set_category(struct rt_store *st, int64_t rec_id, int category,
                               const char *origin, double confidence, int *out_set,
                               struct rt_error *err);
int rt__store_theme_counts(struct rt_store *st, const char *vocabulary, struct rt_theme_count **out,
                           size_t *out_n, struct rt_error *err);
int rt__store_theme_areas(struct rt_store *st, struct rt_theme_area **out, size_t *out_n,
                          struct rt_error *err);

#endif
