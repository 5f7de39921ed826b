/*
 * The store's public functions (include/rightstrack/store.h): each finds the back end's
 * table of operations (src/store/backend.h) and calls through it. rt_store_open picks
 * the back end by the database URL.
 */
#include "base/compat.h"

#include <string.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>
#include <rightstrack/text.h>

#include "store/backend.h"

/* libpq's connection keywords: a string that begins "KEYWORD=" is a connection string. */
static const char *const pg_keywords[] = {
    "application_name",
    "channel_binding",
    "client_encoding",
    "connect_timeout",
    "dbname",
    "fallback_application_name",
    "gssencmode",
    "gsslib",
    "host",
    "hostaddr",
    "keepalives",
    "keepalives_count",
    "keepalives_idle",
    "keepalives_interval",
    "krbsrvname",
    "load_balance_hosts",
    "options",
    "passfile",
    "password",
    "port",
    "replication",
    "requirepeer",
    "service",
    "sslcert",
    "sslcompression",
    "sslcrl",
    "sslcrldir",
    "sslkey",
    "sslmode",
    "sslpassword",
    "sslrootcert",
    "sslsni",
    "ssl_max_protocol_version",
    "ssl_min_protocol_version",
    "target_session_attrs",
    "tcp_user_timeout",
    "user",
};

/* Whether s begins as libpq's "keyword = value" strings do, with a keyword of libpq's. */
static int pg_keyword_string(const char *s)
{
    size_t n = 0;

    while (*s == ' ' || *s == '\t')
        s++;
    while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_')
        n++;
    if (n == 0)
        return 0;
    for (const char *p = s + n; *p != '='; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    for (size_t i = 0; i < sizeof(pg_keywords) / sizeof(pg_keywords[0]); i++)
        if (strlen(pg_keywords[i]) == n && memcmp(pg_keywords[i], s, n) == 0)
            return 1;
    return 0;
}

enum rt__store_kind rt__store_kind(const char *url, const char **target)
{
    *target = url;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0 ||
        pg_keyword_string(url))
        return RT__STORE_POSTGRESQL;
    if (strncmp(url, "sqlite:", 7) == 0)
        *target = url + 7;
    return RT__STORE_SQLITE;
}

const char *rt_store_url_file(const char *url)
{
    const char *target;

    return rt__store_kind(url, &target) == RT__STORE_SQLITE ? target : NULL;
}

/*
 * The table of the back end url names, with *target set as rt__store_kind sets it;
 * NULL with err filled when this build has no such back end. The message never
 * repeats url: a connection string may hold a password.
 */
static const struct rt__store_ops *ops_for(const char *url, const char **target,
                                           struct rt_error *err)
{
    switch (rt__store_kind(url, target)) {
    case RT__STORE_SQLITE:
        return &rt__sqlite_ops;
    case RT__STORE_POSTGRESQL:
        return &rt__pg_ops;
    }
    rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "a database URL of no known kind");
    return NULL;
}

static const struct rt__store_ops *ops_of(struct rt_store *st)
{
    return ((const struct rt__store_base *)(void *)st)->ops;
}

int rt__store_missing(const struct rt__store_ops *o, const char *op, struct rt_error *err)
{
    return rt_error_set(err, RT_ENOTSUP, NULL, 0, NULL, "'%s' is not yet supported on %s", op,
                        o->name);
}

/*
 * backup and restore copy SQLite files. On PostgreSQL they refuse, in one message that
 * says what to do instead: PostgreSQL's own tools (docs/deployment-postgresql.md, 6).
 */
static int no_file_copy(const struct rt__store_ops *o, const char *op, struct rt_error *err)
{
    return rt_error_set(err, RT_ENOTSUP, NULL, 0, NULL,
                        "%s copies SQLite files; for a %s database use pg_dump and "
                        "pg_restore, or pg_basebackup and an archive of the write-ahead log "
                        "for recovery to a point in time (docs/deployment-postgresql.md, "
                        "section 6)",
                        op, o->name);
}

int rt_store_open(struct rt_store **out, const char *path, unsigned flags, struct rt_error *err)
{
    const char *target;
    const struct rt__store_ops *o;

    *out = NULL;
    if (!(o = ops_for(path, &target, err)))
        return RT_ESTORE;
    return o->open(out, target, flags, err);
}

void rt_store_close(struct rt_store *st)
{
    if (st && ops_of(st)->close)
        ops_of(st)->close(st);
}

int rt_store_schema_version(struct rt_store *st)
{
    return ops_of(st)->schema_version ? ops_of(st)->schema_version(st) : -1;
}

void rt_store_read_end(struct rt_store *st)
{
    if (ops_of(st)->read_end)
        ops_of(st)->read_end(st);
}

void rt_store_rollback(struct rt_store *st)
{
    if (ops_of(st)->rollback)
        ops_of(st)->rollback(st);
}

int rt_store_check_file(const char *path, struct rt_store_check *out, struct rt_error *err)
{
    const char *target;
    const struct rt__store_ops *o;

    if (!(o = ops_for(path, &target, err)))
        return RT_ESTORE;
    return o->check_file ? o->check_file(target, out, err)
                         : rt__store_missing(o, "check_file", err);
}

int rt_store_restore(const char *db_path, const char *from, struct rt_store_check *out,
                     struct rt_error *err)
{
    const char *target;
    const struct rt__store_ops *o;

    if (!(o = ops_for(db_path, &target, err)))
        return RT_ESTORE;
    if (!o->restore)
        return o == &rt__pg_ops ? no_file_copy(o, "restore", err)
                                : rt__store_missing(o, "restore", err);
    return o->restore(target, from, out, err);
}

int rt_store_read_begin(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->read_begin ? o->read_begin(st, err) : rt__store_missing(o, "read_begin", err);
}

int rt_store_version(struct rt_store *st, uint64_t *out, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->version ? o->version(st, out, err) : rt__store_missing(o, "version", err);
}

int rt_store_begin(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->begin ? o->begin(st, err) : rt__store_missing(o, "begin", err);
}

int rt_store_commit(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->commit ? o->commit(st, err) : rt__store_missing(o, "commit", err);
}

int rt_store_begin_load(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->begin_load ? o->begin_load(st, err) : rt__store_missing(o, "begin_load", err);
}

int rt_store_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                        struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->state_find ? o->state_find(st, name, len, out_id, err)
                         : rt__store_missing(o, "state_find", err);
}

int rt_store_theme_check(struct rt_store *st, const char *theme, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->theme_check ? o->theme_check(st, theme, err)
                          : rt__store_missing(o, "theme_check", err);
}

int rt_store_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                       struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->state_get ? o->state_get(st, id, ref, err) : rt__store_missing(o, "state_get", err);
}

int rt_store_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                        int *out_new, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->source_put ? o->source_put(st, src, out_id, out_new, err)
                         : rt__store_missing(o, "source_put", err);
}

int rt_store_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                     unsigned *out_flags, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_put ? o->rec_put(st, r, out_id, out_flags, err)
                      : rt__store_missing(o, "rec_put", err);
}

int rt_store_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                        struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_add_by ? o->rec_add_by(st, rec_id, state_id, out_new, err)
                         : rt__store_missing(o, "rec_add_by", err);
}

int rt_store_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                           const char *label, const char *origin, double confidence, int *out_new,
                           struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_add_theme
               ? o->rec_add_theme(st, rec_id, vocabulary, label, origin, confidence, out_new, err)
               : rt__store_missing(o, "rec_add_theme", err);
}

int rt_store_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                          struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_queue_by ? o->rec_queue_by(st, rec_id, state_id, err)
                           : rt__store_missing(o, "rec_queue_by", err);
}

int rt_store_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                             const char *label, const char *origin, double confidence,
                             struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_queue_theme
               ? o->rec_queue_theme(st, rec_id, vocabulary, label, origin, confidence, err)
               : rt__store_missing(o, "rec_queue_theme", err);
}

int rt_store_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                             struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_links_flush ? o->rec_links_flush(st, by_new, themes_new, err)
                              : rt__store_missing(o, "rec_links_flush", err);
}

int rt_store_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_get ? o->rec_get(st, id, r, err) : rt__store_missing(o, "rec_get", err);
}

int rt_store_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *s, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);
    int rc = o->stats ? o->stats(st, sur_id, s, err) : rt__store_missing(o, "stats", err);

    if (rc == 0) {
        s->no_cycle = s->recommendations;
        for (size_t i = 0; i < s->n_by_cycle; i++)
            s->no_cycle -= s->by_cycle[i].n;
    }
    return rc;
}

int rt_store_search(struct rt_store *st, const struct rt_search_spec *spec,
                    struct rt_search_result *res, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->search ? o->search(st, spec, res, err) : rt__store_missing(o, "search", err);
}

int rt_store_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                        size_t *out_n, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->search_ids ? o->search_ids(st, spec, out, out_n, err)
                         : rt__store_missing(o, "search_ids", err);
}

int rt_store_keep_search(struct rt_store *st, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);
    return o->keep_search ? o->keep_search(st, err) : 0;
}

int rt_store_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                       struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->recs_load ? o->recs_load(st, ids, n, recs, err)
                        : rt__store_missing(o, "recs_load", err);
}

int rt_store_model_put(struct rt_store *st, const char *name, const char *kind, const char *info,
                       const void *data, size_t len, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->model_put ? o->model_put(st, name, kind, info, data, len, err)
                        : rt__store_missing(o, "model_put", err);
}

int rt_store_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                       struct rt_buf *info, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->model_get ? o->model_get(st, name, data, info, err)
                        : rt__store_missing(o, "model_get", err);
}

int rt_store_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                             struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->repeats_compute ? o->repeats_compute(st, out_pairs, out_clusters, err)
                              : rt__store_missing(o, "repeats_compute", err);
}

int rt_store_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->repeats_fresh ? o->repeats_fresh(st, out_fresh, err)
                            : rt__store_missing(o, "repeats_fresh", err);
}

int rt_store_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                          struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->repeat_pairs ? o->repeat_pairs(st, threshold, min_cycle_gap, out, out_n, err)
                           : rt__store_missing(o, "repeat_pairs", err);
}

int rt_store_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                        struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->repeats_of ? o->repeats_of(st, id, threshold, out, err)
                         : rt__store_missing(o, "repeats_of", err);
}

int rt_store_backup(struct rt_store *st, const char *path, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    if (!o->backup)
        return o == &rt__pg_ops ? no_file_copy(o, "backup", err)
                                : rt__store_missing(o, "backup", err);
    return o->backup(st, path, err);
}

void rt_store_set_actor(struct rt_store *st, const char *actor, const char *via)
{
    if (ops_of(st)->set_actor)
        ops_of(st)->set_actor(st, actor, via);
}

int rt_store_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->set_reader ? o->set_reader(st, reader, err) : rt__store_missing(o, "set_reader", err);
}

int rt_audit_note(struct rt_store *st, const char *table, const char *op, const char *record,
                  const char *after, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->audit_note ? o->audit_note(st, table, op, record, after, err)
                         : rt__store_missing(o, "audit_note", err);
}

int rt_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                  struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->rec_ledger ? o->rec_ledger(st, rec_id, as_of, out, err)
                         : rt__store_missing(o, "rec_ledger", err);
}

int rt_store_export(struct rt_store *st, json_t **out, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->export ? o->export(st, out, err) : rt__store_missing(o, "export", err);
}

int rt_store_import_export(struct rt_store *st, const char *path, json_t *doc, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    return o->import_export ? o->import_export(st, path, doc, err)
                            : rt__store_missing(o, "import_export", err);
}

/* The tables an export carries, in an order that satisfies their references: one list
 * for both stores, so that their exports cannot drift apart. */
const char *const rt__export_tables[] = {
    "source",
    "theme",
    "recommendation",
    "recommendation_by",
    "recommendation_theme",
    "recommendation_source",
    "recommendation_election",
    "recommendation_category",
    "dialogue",
    "dialogue_party",
    "round",
    "participant",
    "topic",
    "ask",
    "step",
    "link",
    "ledger_theme",
    "commitment",
    "commitment_status",
    "benchmark",
    "assessment",
    "private_record",
    "person",
    "person_name",
    "case_event",
    "ask_person",
    NULL,
};

const char *const rt__copy_more_tables[] = {"audit_log", "account", "model", NULL};

int rt_store_copy(const char *from, const char *to, struct rt_store_copy_stats *stats,
                  void (*progress)(void *ctx, uint64_t done, uint64_t total), void *pctx,
                  struct rt_error *err)
{
    const char *src, *dst;
    enum rt__store_kind kf = rt__store_kind(from, &src), kt = rt__store_kind(to, &dst);

    if (stats)
        stats->tables = stats->rows = 0;
    if (!*src || !*dst)
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "copy needs a source and a target");
    if (kf == kt)
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                            "copy moves between SQLite and PostgreSQL: both URLs name %s (%s)",
                            kf == RT__STORE_SQLITE ? "a SQLite file" : "a PostgreSQL database",
                            kf == RT__STORE_SQLITE ? "for a copy of a SQLite file, use backup"
                                                   : "between PostgreSQL databases, use pg_dump");
    if (kf == RT__STORE_SQLITE)
        return rt__pg_copy_in(src, dst, stats, progress, pctx, err);
    return rt__pg_copy_out(src, dst, stats, progress, pctx, err);
}

static int keep_last(void *ctx, const char *term, size_t len, size_t start, size_t end,
                     int colocated)
{
    struct rt__last_word *w = ctx;

    (void)colocated;
    rt_buf_reset(&w->word);
    rt_buf_add(&w->word, term, len);
    w->start = start;
    w->end = end;
    return 0;
}

void rt__last_word(const char *text, size_t len, struct rt__last_word *w)
{
    struct rt_tokenizer *none = rt_tokenizer_new("none");

    w->start = w->end = 0;
    rt_buf_reset(&w->word);
    rt_tokenize(none, text, len, 0, keep_last, w);
    rt_tokenizer_free(none);
}

int rt__bare_number(const struct rt_search_node *nd)
{
    if (nd->prefix)
        return 0;
    for (size_t k = 0; k < nd->len; k++)
        if (nd->text[k] < '0' || nd->text[k] > '9')
            return 0;
    return nd->len > 0;
}
