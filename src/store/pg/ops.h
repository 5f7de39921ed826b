/*
 * The PostgreSQL store's handle, shared by the files of its table of operations
 * (rt__pg_ops, src/store/backend.h): ops.c opens, closes and ends transactions and
 * holds the table; import.c writes an import's working copy into PostgreSQL; read.c
 * reads recommendations, states, counts and the export; search.c runs searches.
 */
#ifndef RT_STORE_PG_OPS_H
#define RT_STORE_PG_OPS_H

#include <stdint.h>

#include <jansson.h>

#include <rightstrack/search.h>
#include <rightstrack/store.h>

#include "base/strmap.h"
#include "store/backend.h"
#include "store/pg/pg_int.h"

/*
 * A connection reads the whole full-text index into memory (some 20 MB for the UPR
 * Info file, a few hundred ms) only once it has run this many searches with text:
 * a process that runs one search (the command line) does better with PostgreSQL's
 * GIN index, one that runs many (the web face, bench/search_driver) with its own.
 * RT_PG_TEXT_AFTER in the environment sets another number (0: at once), for tests.
 */
#define PG_TEXT_AFTER 3

/*
 * A connection reads every recommendation's page row (rows.c: some 13 MB and 0.1-0.2 s
 * for the UPR Info file) once it has read this many pages at one data version from the
 * server: then a search asks the server only for the data version. A process that runs
 * a few searches (the command line), or a web face whose data keeps changing, reads
 * only its pages. RT_PG_ROWS_AFTER in the environment sets another number (0: at the
 * first page), for tests and bench/.
 */
#define PG_ROWS_AFTER 40

/*
 * Once a connection has read the rows from the tables, it keeps them in search_index
 * for the next connections (search.c: the sources' paths left out), as the facet and
 * text indexes are kept: a connection that finds them there at the data version it
 * reads reads them after this many pages (RT_PG_ROWS_AFTER, when smaller, still
 * rules), one value instead of seven statements' rows.
 */
#define PG_ROWS_KEPT_AFTER 3

struct pg_store {
    struct rt__store_base base; /* first: &rt__pg_ops */
    struct rt_pg *pg;
    int schema;
    int in_tx;    /* a transaction begun by rt_store_begin (not a load) */
    int in_read;  /* rt_store_read_begin's */
    int readonly; /* opened RT_STORE_READONLY */
    char *actor, *via;
    /* During a load: the SQLite store it is built in, and its directory. */
    struct rt_store *scratch;
    char *scratch_dir;
    /* The load began on a database with data (merge): the working copy holds
     * PostgreSQL's rows of data version merge_version, and track records what the
     * load changes in it. */
    int merge;
    int64_t merge_version;
    struct sqlite3_session *track;
    /* The search statements prepared so far (run(), in the search part below). */
    char **search_sql, **search_name;
    size_t n_search;
    /* The facet index (facets.h) of data version fx_version, built from this
     * connection's reads; fx_state 1 built, -1 the data has what it cannot hold, 0
     * not yet read. */
    struct rt__facets *fx;
    int64_t fx_version;
    int fx_state;
    struct rt_buf theme_ids_sql; /* PG_THEME_IDS with $1 (theme_ids) */
    /* The full-text index in memory (text.c), of fx_version too; read once this
     * connection has run PG_TEXT_AFTER searches with text. */
    struct rt__pg_text *tx;
    int tx_read;                 /* tx was read (it may be NULL: data it cannot hold) */
    unsigned n_text, text_after; /* PG_TEXT_AFTER, or $RT_PG_TEXT_AFTER (tests) */
    int64_t tx_kept;             /* the data version of the text index in search_index (-1: none) */
    /* Every recommendation's page row (rows.c), of its own data version: used while
     * that is fx_version; read once n_pages pages were read at one version. */
    struct rt__pg_rows *rows;
    unsigned n_pages, rows_after; /* PG_ROWS_AFTER, or $RT_PG_ROWS_AFTER */
    int64_t rows_tried;           /* the data version rows could not hold (-1: none) */
    int64_t pages_version;        /* the data version n_pages counts at */
    int64_t rows_kept;            /* the data version of the rows in search_index (-1: none) */
    /* Answers kept until the index is read again (fx_build): a state's id by its
     * name key (pg_state_find, found ones only), a state's code and name by its id
     * (pg_state_get, found ones only: states[i] for the id's decimal digits i in
     * state_at), a theme filter's theme ids (theme_ids: the offset in theme_pool of
     * their count, then the ids), and with tx the table word, sorted (prefix_words).
     * A ledger's write looks its parties up before it takes the writers' lock, and
     * then again under it, from these. */
    struct rt__strmap state_ids, state_at, theme_at;
    struct rt_state_ref *states;
    size_t n_states, states_alloc;
    int64_t *theme_pool;
    size_t n_theme_pool, theme_pool_alloc;
    struct rt__pg_words words;
    struct rt__pg_sql sql;   /* the ledger's writes (sql.c) */
    struct rt__pg_reader rd; /* who the connection reads for (private.c) */
};

static inline struct pg_store *PG(struct rt_store *st)
{
    return (struct pg_store *)(void *)st;
}

/* RT_ENOTSUP: "not yet supported on PostgreSQL: WHAT". */
int rt__pg_fail(struct rt_error *err, const char *what);

/*
 * The data version: meta 'data_version', a number that every write transaction
 * raises before its COMMIT (none yet: 0). Being a row, it is read in the same
 * snapshot as the data, so a reader never pairs a new version with old rows; two
 * writers that raise it at once conflict, and rt__pg_transaction runs one again.
 */
#define PG_BUMP_VERSION                                                                            \
    "INSERT INTO meta(key, value) VALUES ('data_version', '1') ON CONFLICT (key)"                  \
    " DO UPDATE SET value = (meta.value::bigint + 1)::text"
#define PG_VERSION "SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'data_version'), 0)"

/* The rows of search_index (pos 0) that keep the facet index and the text index, num
 * the data version they were built at (search.c; an import that adds nothing keeps them, import.c).
 */
#define PG_FX_ROW "100"
#define PG_TX_ROW "101"

/* ops.c */
int rt__pg_open(struct rt_store **out, const char *target, unsigned flags, struct rt_error *err);
int rt__pg_empty(struct pg_store *s, int *empty, struct rt_error *err);
/* Forgets the answers kept until the index is read again (state_ids, theme_at, words). */
void rt__pg_caches_clear(struct pg_store *s);

/* import.c: an import's commit, from its working copy into an empty database, or of
 * what it changed (the session's changeset) into one with data. */
int rt__pg_transfer(struct pg_store *s, struct rt_error *err);
int rt__pg_merge_write(struct pg_store *s, void *cs, int cs_len, struct rt_error *err);

/* read.c */
int rt__pg_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                      struct rt_error *err);
int rt__pg_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                     struct rt_error *err);
int rt__pg_theme_check(struct rt_store *st, const char *theme, struct rt_error *err);
int rt__pg_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err);
int rt__pg_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                     struct rt_error *err);
int rt__pg_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *out, struct rt_error *err);
/* The rows of recommendations ids (as rt__pg_recs_load) and, with version not NULL,
 * the data version of the same snapshot. */
int rt__pg_recs_read(struct pg_store *s, const int64_t *ids, size_t n, struct rt_rec *recs,
                     int64_t *version, struct rt_error *err);
int rt__pg_export(struct rt_store *st, json_t **out, struct rt_error *err);

/* search.c */
int rt__pg_data_version(struct pg_store *s, int64_t *out, struct rt_error *err);
int rt__pg_version(struct rt_store *st, uint64_t *out, struct rt_error *err);
int rt__pg_search(struct rt_store *st, const struct rt_search_spec *spec,
                  struct rt_search_result *res, struct rt_error *err);
int rt__pg_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                      size_t *out_n, struct rt_error *err);
int rt__pg_keep_search(struct rt_store *st, struct rt_error *err);
/* Keeps in search_index the page rows read from the tables during a read transaction
 * (the web face's requests), once it has ended; nothing when they are kept already. */
void rt__pg_rows_keep(struct pg_store *s);

#endif
