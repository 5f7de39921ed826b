/*
 * The store's back ends (docs/developer-guide.md, "Store back ends"). A back end is a
 * table of operations, one for each function of include/rightstrack/store.h that needs
 * a database; src/store/store.c picks the table by the database URL when a store is
 * opened and then calls through it. Every store a back end hands out begins with a
 * struct rt__store_base naming its table, so store.c finds the table of any store
 * without knowing the back end's own struct.
 */
#ifndef RT_STORE_BACKEND_H
#define RT_STORE_BACKEND_H

#include <stdarg.h>

#include <jansson.h>

#include <rightstrack/private.h>
#include <rightstrack/store.h>

#include "store/sql.h"

/*
 * What a back end implements. Each member takes what the public function of the same
 * name (rt_store_NAME) takes and keeps its contract; open, check_file and restore get
 * the target with any "sqlite:" prefix removed (a path for SQLite, the connection
 * string for PostgreSQL). A member left NULL is an operation the back end does not
 * have: its public function fails with RT_ESTORE saying so (close, read_end and
 * rollback then do nothing; schema_version gives -1).
 */
struct rt__store_ops {
    const char *name; /* "SQLite": for messages */
    int (*open)(struct rt_store **out, const char *target, unsigned flags, struct rt_error *err);
    void (*close)(struct rt_store *st);
    int (*schema_version)(struct rt_store *st);
    int (*read_begin)(struct rt_store *st, struct rt_error *err);
    void (*read_end)(struct rt_store *st);
    int (*version)(struct rt_store *st, uint64_t *out, struct rt_error *err);
    int (*begin)(struct rt_store *st, struct rt_error *err);
    int (*commit)(struct rt_store *st, struct rt_error *err);
    void (*rollback)(struct rt_store *st);
    int (*begin_load)(struct rt_store *st, struct rt_error *err);
    int (*state_find)(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                      struct rt_error *err);
    int (*theme_check)(struct rt_store *st, const char *theme, struct rt_error *err);
    int (*state_get)(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                     struct rt_error *err);
    int (*source_put)(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                      int *out_new, struct rt_error *err);
    int (*rec_put)(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                   unsigned *out_flags, struct rt_error *err);
    int (*rec_add_by)(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                      struct rt_error *err);
    int (*rec_add_theme)(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                         const char *label, const char *origin, double confidence, int *out_new,
                         struct rt_error *err);
    int (*rec_queue_by)(struct rt_store *st, int64_t rec_id, int64_t state_id,
                        struct rt_error *err);
    int (*rec_queue_theme)(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                           const char *label, const char *origin, double confidence,
                           struct rt_error *err);
    int (*rec_links_flush)(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                           struct rt_error *err);
    int (*rec_get)(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err);
    int (*stats)(struct rt_store *st, int64_t sur_id, struct rt_stats *s, struct rt_error *err);
    int (*search)(struct rt_store *st, const struct rt_search_spec *spec,
                  struct rt_search_result *res, struct rt_error *err);
    int (*search_ids)(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                      size_t *out_n, struct rt_error *err);
    int (*keep_search)(struct rt_store *st, struct rt_error *err);
    int (*recs_load)(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                     struct rt_error *err);
    int (*model_put)(struct rt_store *st, const char *name, const char *kind, const char *info,
                     const void *data, size_t len, struct rt_error *err);
    int (*model_get)(struct rt_store *st, const char *name, struct rt_buf *data,
                     struct rt_buf *info, struct rt_error *err);
    int (*repeats_compute)(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                           struct rt_error *err);
    int (*repeats_fresh)(struct rt_store *st, int *out_fresh, struct rt_error *err);
    /* Whether a write may begin now: the store is writable and no transaction is open
     * (rt_report_prepare recomputes stale repeats only then); NULL: never. */
    int (*may_write)(struct rt_store *st);
    int (*repeat_pairs)(struct rt_store *st, double threshold, int min_cycle_gap,
                        struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err);
    int (*repeats_of)(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                      struct rt_error *err);
    int (*backup)(struct rt_store *st, const char *path, struct rt_error *err);
    int (*check_file)(const char *target, struct rt_store_check *out, struct rt_error *err);
    int (*restore)(const char *target, const char *from, struct rt_store_check *out,
                   struct rt_error *err);
    /* The ledger's writes, written once for every back end (src/store/sql.h): one-off
     * statements with ?N placeholders and arguments bound by a type string, with
     * rt__sql_exec's and rt__sql_scalar's contract; sql_group begins (op
     * RT__SQL_GROUP_BEGIN) and ends (RT__SQL_GROUP_COMMIT, RT__SQL_GROUP_ROLLBACK) a
     * group of them that is all or nothing, inside rt_store_begin's transaction or not;
     * retry says whether a failed transaction is worth running again (NULL: never). */
    int (*sql_exec)(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                    const char *types, va_list ap);
    int (*sql_scalar)(struct rt_store *st, struct rt_error *err, int64_t *out_int,
                      json_t **out_json, const char *sql, const char *types, va_list ap);
    int (*sql_group)(struct rt_store *st, int op, struct rt_error *err);
    /* rt__sql_changes (sql.h): the rows the last sql_exec changed. */
    int64_t (*sql_changes)(struct rt_store *st);
    /* rt__sql_rows (sql.h): each row of a statement to fn. */
    int (*sql_rows)(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                    const char *sql, const char *types, va_list ap);
    int (*retry)(struct rt_store *st, int attempt, struct rt_error *err);
    /* Those of the other headers that every command reaches (private.h, audit.h,
     * ledger.h): a back end without set_actor ignores the actor. */
    void (*set_actor)(struct rt_store *st, const char *actor, const char *via);
    int (*set_reader)(struct rt_store *st, enum rt_reader reader, struct rt_error *err);
    enum rt_reader (*reader)(const struct rt_store *st); /* NULL: always RT_READER_ALL */
    int (*audit_note)(struct rt_store *st, const char *table, const char *op, const char *record,
                      const char *after, struct rt_error *err);
    int (*rec_ledger)(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                      struct rt_error *err);
    int (*export)(struct rt_store *st, json_t **out, struct rt_error *err);
    /* The dialogue ledger's reads (ledger.h; src/store/ledger_read.c): the documents of
     * src/store/ledger_sql.h. */
    int (*dialogue_list)(struct rt_store *st, json_t **out, struct rt_error *err);
    int (*dialogue_get)(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
    int (*round_get)(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
    int (*step_list)(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                     struct rt_error *err);
    int (*status)(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                  struct rt_error *err);
    int (*since)(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                 struct rt_error *err);
    int (*timeline)(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                    struct rt_error *err);
    int (*reciprocity)(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                       struct rt_error *err);
    /* rt_store_import_export (ledger.h): an export restored into an empty store. */
    int (*import_export)(struct rt_store *st, const char *path, json_t *doc, struct rt_error *err);
};

/* The first member of every back end's store. */
struct rt__store_base {
    const struct rt__store_ops *ops;
};

/* Whether store is one of the back end o: for what only one back end has so far. */
static inline int rt__store_is(struct rt_store *store, const struct rt__store_ops *o)
{
    return ((const struct rt__store_base *)(void *)store)->ops == o;
}

/*
 * The failure of an operation that back end o's table leaves empty (NULL): RT_ENOTSUP,
 * "'OP' is not yet supported on NAME". Every public function that goes through the
 * table says so, so that any command opens any store and fails there, at the first
 * thing its back end lacks.
 */
int rt__store_missing(const struct rt__store_ops *o, const char *op, struct rt_error *err);

/* What a database URL names. */
enum rt__store_kind {
    RT__STORE_SQLITE,     /* a path, or sqlite:PATH */
    RT__STORE_POSTGRESQL, /* postgresql://..., postgres://..., or libpq's key=value words */
};

/*
 * Says which back end url names and sets *target to what that back end opens: url
 * itself, or what follows "sqlite:". Never fails: what is not PostgreSQL's is a path.
 */
enum rt__store_kind rt__store_kind(const char *url, const char **target);

/* The SQLite back end (src/store/sqlite/). */
extern const struct rt__store_ops rt__sqlite_ops;

/* The PostgreSQL back end (src/store/pg/ops.c). */
extern const struct rt__store_ops rt__pg_ops;

/*
 * rt_store_copy's two directions (src/store/pg/import.c, move.c): from the SQLite file
 * sqlite_path into the PostgreSQL database pg_target (a connection string), and from
 * pg_target into sqlite_path. Both refuse a target with rows in any table of
 * rt__export_tables or rt__copy_more_tables.
 */
typedef void (*rt__copy_progress_fn)(void *ctx, uint64_t done, uint64_t total);
int rt__pg_copy_in(const char *sqlite_path, const char *pg_target,
                   struct rt_store_copy_stats *stats, rt__copy_progress_fn progress, void *pctx,
                   struct rt_error *err);
int rt__pg_copy_out(const char *pg_target, const char *sqlite_path,
                    struct rt_store_copy_stats *stats, rt__copy_progress_fn progress, void *pctx,
                    struct rt_error *err);
/* With rt__export_tables, the tables that make a store not empty for rt_store_copy:
 * the audit log, the accounts and the models; NULL-ended (src/store/store.c). */
extern const char *const rt__copy_more_tables[];

/* The tables of export --json, in an order that satisfies their references; NULL-ended
 * (src/store/store.c). */
extern const char *const rt__export_tables[];

/*
 * A recommendation's own row, as both stores' rec_fill take it (read.c, pg/read.c): the official
 * action category, or where the data has none a predicted one, with its origin and confidence. Add
 * the WHERE clause. RT__REC_COLUMNS and RT__REC_TABLES are its two halves, for a statement that
 * selects more (the PostgreSQL store's page in one statement).
 */
#define RT__REC_COLUMNS                                                                            \
    "r.id, r.mechanism, r.cycle, r.session, r.paragraph, r.text, s.code, s.name,"                  \
    " r.response, coalesce(r.action_category, c.category), r.source_id, src.path,"                 \
    " r.created_at,"                                                                               \
    " CASE WHEN r.action_category IS NOT NULL THEN 'official' ELSE c.origin END,"                  \
    " CASE WHEN r.action_category IS NOT NULL THEN 1.0 ELSE c.confidence END"
#define RT__REC_TABLES                                                                             \
    "recommendation r JOIN state s ON s.id = r.sur_id"                                             \
    " LEFT JOIN source src ON src.id = r.source_id"                                                \
    " LEFT JOIN recommendation_category c ON c.rec_id = r.id"
#define RT__REC_SELECT "SELECT " RT__REC_COLUMNS " FROM " RT__REC_TABLES

/*
 * The last word of a query term as the "none" tokenizer folds it, and where it sits in
 * the term (bytes [start, end)), for a prefix: each back end looks up the index's words
 * that begin with it. w->word is empty when the term has no word; the caller releases
 * it (rt_buf_release). Shared by both back ends' query renderers.
 */
struct rt__last_word {
    struct rt_buf word;
    size_t start, end;
};
void rt__last_word(const char *text, size_t len, struct rt__last_word *w);

/*
 * Is the term a bare number ("19", not a prefix)? The full-text index's second column,
 * the paragraph, is made of numbers ("A/HRC/30/3, 127.1"): a bare number looks in the
 * text only, so that "article 19" does not find every paragraph with a 19 in it. A
 * report symbol or a paragraph number (A/HRC/30/3, 127.1) looks in both. Both back
 * ends' renderers and PostgreSQL's index in memory ask this.
 */
int rt__bare_number(const struct rt_search_node *nd);

/*
 * rt_status's target ("rec:ID", "recommendation:ID", "ask:ID", "benchmark:ID",
 * "commitment:ID"): *kind the kind as the tables name it ("recommendation", ...;
 * static), *id its id. RT_EINVAL (err->field "target") for anything else. Both back
 * ends' status (src/store/ledger_read.c).
 */
int rt__status_target(const char *target, const char **kind, int64_t *id, struct rt_error *err);

#endif
