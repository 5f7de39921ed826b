/* Internals shared by the SQLite store's files. */
#ifndef RT_SQLITE_INT_H
#define RT_SQLITE_INT_H

#include <sqlite3.h>
#include <jansson.h>

#include <rightstrack/store.h>

#include "base/strmap.h"
#include "store/backend.h"
#include "store/sqlite/ops.h"

enum rt__stmt_id {
    STMT_STATE_BY_KEY,
    STMT_REC_FIND,
    STMT_REC_INSERT,
    STMT_REC_FILL,
    STMT_BY_INSERT,
    STMT_THEME_FIND,
    STMT_THEME_INSERT,
    STMT_REC_THEME_INSERT,
    STMT_REC_GET,
    STMT_REC_GET_BY,
    STMT_REC_GET_THEMES,
    STMT_FTS_INSERT,
    STMT_FTS_INSERT_CAP,
    STMT_REC_CATEGORY_SET,
    STMT_BY_INSERT_MANY,        /* LINK_BATCH rows of STMT_BY_INSERT */
    STMT_REC_THEME_INSERT_MANY, /* LINK_BATCH rows of STMT_REC_THEME_INSERT */
    STMT_REC_BY_ID,             /* what rt_store_rec_put compares and merges, by id */
    STMT_REC_INSERT_ID,         /* STMT_REC_INSERT with the id given */
    STMT_REC_INSERT_MANY,       /* REC_BATCH rows of STMT_REC_INSERT_ID */
    STMT_SRC_INSERT,            /* a recommendation's source, with its response */
    STMT_SRC_INSERT_MANY,       /* LINK_BATCH rows of STMT_SRC_INSERT */
    STMT_REC_GET_SOURCES,
    STMT__COUNT
};

/* Statements prepared from SQL built at run time (searches), kept per connection. */
#define RT__SQL_CACHE 32

struct rt__sql_slot {
    sqlite3_stmt *stmt; /* NULL when empty; sqlite3_sql(stmt) is its key */
    uint64_t hash;
    uint64_t used; /* the store's tick when last handed out; the oldest is replaced */
    int held;      /* stepped through by rt__sqlite_sql_rows: not handed out nor replaced */
};

/* Rows per statement when queued links are written. */
#define LINK_BATCH 32

/* A queued recommendation_by (to: state) or recommendation_theme (to: theme) row. */
struct rt__link {
    int64_t rec_id, to_id;
    const char *origin; /* themes: one of the static strings of the origin check */
    double confidence;
};

struct rt__link_queue {
    struct rt__link *v;
    size_t n, alloc;
    int64_t added; /* rows written that were new, since the last rt_store_rec_links_flush */
};

/*
 * A source that gives a recommendation again keeps the strongest response it gave
 * (supported, noted, pledge, pending: the rule of twins), whatever the rows' order.
 */
#define RT__SRC_RANK(r)                                                                            \
    "(CASE " r " WHEN 'supported' THEN 3 WHEN 'noted' THEN 2 WHEN 'pledge' THEN 1 ELSE 0 END)"
#define RT__SRC_UPSERT                                                                             \
    " ON CONFLICT (rec_id, source_id) DO UPDATE SET response = excluded.response"                  \
    " WHERE " RT__SRC_RANK("excluded.response") " > " RT__SRC_RANK(                                \
        "recommendation_source.response")

/* Recommendations per statement when queued ones are written. */
#define REC_BATCH 32

/* The columns of STMT_REC_INSERT_ID. */
#define REC_COLUMNS 12

/* A new recommendation queued in a load (rec_write.c): its strings sit in the queue's buffer. */
struct rt__rec_row {
    int64_t id, sur_id, source_id, key_hash;
    int cycle, session, action_category;
    enum rt_response response;
    size_t mechanism, text, paragraph; /* offsets in strings; paragraph 0: none */
    size_t text_len;
};

/* One recommendation of a load's twin table: 8 bytes, as the table is read at random. */
struct rt__twin {
    uint32_t key; /* from its key hash and state under review; its low bits place it */
    uint32_t id;  /* 0: an empty slot */
};

/*
 * New recommendations of a load into an empty store: ids assigned here, rows written
 * REC_BATCH to a statement, and every recommendation of the transaction in a hash
 * table, so that a twin is found without asking SQLite.
 */
struct rt__rec_queue {
    int on;          /* the transaction began with no recommendations at all */
    int64_t next_id; /* the id of the next new recommendation */
    struct rt__rec_row *v;
    size_t n, alloc;
    struct rt_buf strings;
    struct rt__twin *twins;
    size_t twins_cap, twins_n;
};

/* The words the full-text index met since the last commit, for the table word. */
struct rt__fts_words {
    struct rt_buf pending;     /* word NUL stem NUL, word NUL stem NUL, ... */
    unsigned forgotten;        /* moves when pending words were dropped: meet them afresh */
    struct rt__tokcap *cap;    /* when not NULL, the tokens of documents go there too */
    struct rt__tokcap *replay; /* when not NULL, documents are tokenized from it */
};

/*
 * The tokens a load's rows gave the full-text index (tokcap.c): each distinct token
 * with its count of rows, and every token in order, row by row, column by column, so
 * that the search index is built from them and not read back out of FTS5.
 */
struct rt__tokcap;
struct rt__tokcap *rt__tokcap_new(void);
void rt__tokcap_free(struct rt__tokcap *c);
/* Row id begins (ids ascending). */
void rt__tokcap_row(struct rt__tokcap *c, int64_t id);
/* A token of the row begun last; a column of it is over. */
void rt__tokcap_token(struct rt__tokcap *c, const char *s, size_t len);
void rt__tokcap_column(struct rt__tokcap *c);
/* 1 when the capture is the whole index: rows and tokens FTS5's counts, each row's
 * length dl[id] and first column's len0[id] (n_dl of them); else 0. */
int rt__tokcap_check(const struct rt__tokcap *c, int64_t rows, int64_t tokens, const uint32_t *dl,
                     const uint32_t *len0, size_t n_dl);
/* How many distinct tokens; token t's bytes (*len) and count of rows (*docs). */
size_t rt__tokcap_terms(const struct rt__tokcap *c);
const char *rt__tokcap_term(const struct rt__tokcap *c, uint32_t t, size_t *len, uint32_t *docs);
/* The tokens' numbers in FTS5's order of terms (bytes, a prefix first); rt_free. */
uint32_t *rt__tokcap_order(const struct rt__tokcap *c);
/* Gathers the occurrences of the tokens t with chosen[t] set, for rt__tokcap_occ. */
void rt__tokcap_select(struct rt__tokcap *c, const uint8_t *chosen);
/* The i-th occurrence of chosen token t (row id, column, position in the column, in
 * that order ascending) when i is below the returned count of them. */
size_t rt__tokcap_occ(const struct rt__tokcap *c, uint32_t t, size_t i, int64_t *id, int *col,
                      int *off);

/*
 * The load's tokenizer thread (tokcap.c): started with the load, given each row as
 * it is written (its text, and its paragraph or NULL), and finished at commit, when
 * it hands over its capture, whose tokens FTS5 is then given again, or cancelled.
 */
struct rt__tokwork;
struct rt__tokwork *rt__tokwork_start(void);
void rt__tokwork_row(struct rt__tokwork *w, int64_t id, const char *text, size_t text_len,
                     const char *par);
struct rt__tokcap *rt__tokwork_finish(struct rt__tokwork *w);
void rt__tokwork_cancel(struct rt__tokwork *w);
/* Row id's texts are given to FTS5 next (from rt_tokcap_row). */
void rt__tokcap_replay_row(struct rt__tokcap *c, int64_t id);
/* Gives FTS5 (x_token, ctx) the tokens of text (n bytes), the next column of the row,
 * and appends its new words to pending: SQLite's code, or -1 when the text is not the
 * one the thread tokenized (the caller tokenizes it; the capture is then not used). */
int rt__tokcap_replay(struct rt__tokcap *c, const char *text, int n,
                      int (*x_token)(void *, int, const char *, int, int, int), void *ctx,
                      struct rt_buf *pending);
/* 1 when every text FTS5 was given came from the thread. */
int rt__tokcap_replayed(const struct rt__tokcap *c);

/* How long a statement waits for another connection's lock, in milliseconds. */
#define RT__BUSY_TIMEOUT_MS 5000

struct rt_store {
    struct rt__store_base base; /* first: rt__sqlite_ops (store.c calls through it) */
    sqlite3 *db;
    char *path;
    int in_tx;
    unsigned load; /* in rt_store_begin_load's transaction: enum load_flags of sqlite.c */
    char *load_trigger_sql[2]; /* the search index's triggers dropped for a load (sqlite.c) */
    int64_t fts_from;          /* in a transaction: rows with a larger id are not indexed yet */
    int fts_redo;              /* rows noted in temp.fts_redo (rt__fts_redo_note) */
    int fts_redo_table;        /* temp.fts_redo exists on this connection */
    int no_fts;                /* a PostgreSQL import's working copy: nothing is indexed */
    sqlite3_stmt *stmt[STMT__COUNT];
    struct rt__sql_slot sql_cache[RT__SQL_CACHE];
    uint64_t sql_tick;
    struct rt__strmap state_cache; /* raw name -> state id */
    struct rt__strmap theme_cache; /* "vocabulary\tlabel" -> theme id */
    struct rt_buf theme_key;       /* scratch for theme_cache keys */
    struct rt__link_queue by_queue, theme_queue;
    struct rt__link_queue src_queue; /* to_id: the source; origin: its response's name */
    struct rt__rec_queue recs;
    struct rt__tokwork *tokwork; /* a load's tokenizer thread, or NULL */
    char now[24]; /* in a transaction: its time, UTC, as created_at columns hold it */
    struct rt__fts_words words;
    char *actor, *via; /* who writes, for the audit log (rt_store_set_actor); owned */
    int audit_ready;   /* the audit log's functions and sealing trigger are set up */
    /* The search facets' bitmaps, built on first use (facets.c). */
    struct rt__facets *facets;
    /* Every recommendation's states and themes in memory (hit_rows.c), when the store
     * keeps them (rt_store_keep_search); else NULL. */
    struct rt__hit_rows *hit_rows;
    /* While a search runs: its index's lengths of rows for rt_rank (rank.c), or NULL. */
    const uint8_t *rank_len;
    size_t rank_n;
    uint64_t rank_calls;                /* rows rt_rank scored since the search set it to 0 */
    struct roaring_bitmap_s *rank_hits; /* when not NULL, rt_rank adds each row to it */
    /* When not NULL, rt_rank collects instead of scoring (struct rt__rank_collect). */
    struct rt__rank_collect *rank_collect;
    /* During a search (read.c): its query is terms joined by OR only; it has no term
     * limited to a column (a bare number, fts_query.c). */
    int match_or, match_plain;
    /* During a search (read.c): the texts of its terms in order, each ended by a NUL,
     * when each term is one phrase of FTS5's (no prefix, no column): FTS5 numbers
     * its phrases in that order. match_n of them; match_phrases.len 0 otherwise. */
    struct rt_buf match_phrases;
    size_t match_n;
    /* rank.c: how many rows of the index each phrase matches, by its text, for bm25's
     * IDF, while the data stays at phrase_rows_version (rt_store_version). During a
     * search with the search index at hand, search_version is the data's version and
     * search_version_known 1. */
    struct rt__strmap phrase_rows;
    uint64_t phrase_rows_version, search_version;
    int search_version_known;
    /* The full-text index's tokenizer on queries, for the postings (postings.c). */
    struct rt_tokenizer *query_tok;
    /* postings.c: words in at least this many rows get postings when the search index
     * is built (0: the default, 512; tests set less); pages served from them. */
    int64_t postings_min_rows;
    uint64_t postings_served;
    /* postings.c: search indexes built from a load's tokens (tokcap.c), not FTS5's */
    uint64_t postings_from_load;
    /* postings.c: the bound of the connection's cache of decoded terms (0: the default,
     * 224 bytes a row of the search index, at least 8 MB and at most 128 MB; tests set
     * less). */
    size_t term_cache_bytes;
    /* rank.c: a query of several words with postings and at most this many hits scores
     * each hit; with more it reads the words' groups best first and stops early
     * (rt__rank_terms). 0: the default, 2048; tests set -1 for always the latter. */
    int64_t postings_direct_max;
    /* postings.c: a prefix's count and length by row id while its words' postings are
     * joined (rt__postings_prefix), two each; all 0 between queries. */
    uint32_t *prefix_acc;
    size_t prefix_acc_n;
    /* postings.c: decoded terms by kind and query text (rt__postings_cached). */
    struct rt__term_cache *term_cache;
    /* Private records (private.c): 0 every record is read; 1 the tables of private
     * kinds are shadowed by views without them; 2 a switch to 1 failed half way. */
    int hide_private;
    /* During a search (read.c): its query as an FTS5 expression (fts_query.c), else NULL. */
    const char *match;
    /* Are the repeats fresh (repeats.c)? Known while the data version (rt__sqlite_version)
     * is repeats_version: a page that reports asks it on every request, and the answer
     * counts the recommendations. */
    int repeats_known, repeats_fresh;
    uint64_t repeats_version;
};

/*
 * Appends q (NULL: nothing) to out as an FTS5 MATCH expression (fts_query.c). A prefix
 * also looks for the words of the table word whose stems do not begin with it; with st
 * NULL, only for the stems that do. RT_EINVAL for a field the index does not have,
 * RT_ESTORE when the store fails.
 */
int rt__fts_render(struct rt_store *st, const struct rt_search_query *q, struct rt_buf *out,
                   struct rt_error *err);
/*
 * The texts of the phrases that the prefix term nd is rendered with after the prefix
 * itself, in their order, each ended by a NUL, appended to out: one for each word of
 * the table word whose stem does not begin with the prefix (add_prefix). Returns 0,
 * RT_ESTORE with err.
 */
int rt__fts_prefix_phrases(struct rt_store *st, const struct rt_search_node *nd, struct rt_buf *out,
                           struct rt_error *err);
/* rt_search_parse then rt__fts_render: the FTS5 expression of a query text (tests). */
int rt__fts_expr(struct rt_store *st, const char *text, size_t len, struct rt_buf *out,
                 struct rt_error *err);

/* Starts queueing the new recommendations of a load into an empty store (rec_write.c). */
void rt__recs_start(struct rt_store *st);

/* Stops queueing; what is still queued is dropped (write it first to keep it). */
void rt__recs_stop(struct rt_store *st);

/* Writes the recommendations a load has queued and stops queueing them: for writers
 * of recommendation rows other than rt_store_rec_put (the restore of an export). */
int rt__recs_flush_and_stop(struct rt_store *st, struct rt_error *err);

/*
 * Sets st->now to the current time as the schema's created_at default writes it
 * ("2024-05-01T12:00:00Z"). Rows added in one transaction share it: computing it in
 * SQL for every row was a twentieth of an import.
 */
void rt__set_now(struct rt_store *st);

/*
 * Indexes the recommendations added since id `from` (one statement: one FTS5 flush),
 * then writes the words the tokenizer noted, in these texts and in any that triggers
 * indexed since the last call.
 */
int rt__index_from(struct rt_store *st, int64_t from, struct rt_error *err);

/*
 * Notes that recommendation id, already in the full-text index without a paragraph,
 * now has one: it is indexed again at commit (rt__index_from), or at once outside a
 * transaction. RT_ESTORE (err filled) on failure.
 */
int rt__fts_redo_note(struct rt_store *st, int64_t id, struct rt_error *err);

/* rt_store_open: replay the migrations even when there is a schema image (tests). */
#define RT__STORE_NO_IMAGE (1u << 16)

/* Whether this binary holds a schema image (image.c). */
int rt__image_available(void);

/* Creates the file at path (it must not exist) from the schema image, on disk. */
int rt__image_write(const char *path, struct rt_error *err);
/* Removes the PATH.init-PID files of processes no longer alive (killed during init). */
void rt__image_remove_stale(const char *path);

/* Registers the "rightstrack" FTS5 tokenizer on db; it notes new words in *words. */
int rt__fts_register(sqlite3 *db, struct rt__fts_words *words);

/* Writes the words noted since the last call to the table word. */
int rt__fts_words_flush(struct rt_store *st, struct rt_error *err);

/* Drops the words noted (a rollback took them away): the tokenizer meets them afresh. */
void rt__fts_words_drop(struct rt_store *st);

/*
 * The audit log's entries that a reader who may not see private records must not
 * see: those of a private record, or of a record that belongs to one or joins one
 * (e is the audit_log row). private.c keeps the rest of the rule.
 */
#define RT__PRIVATE_HIDDEN(e)                                                                      \
    "EXISTS (SELECT 1 FROM main.private_record pr WHERE pr.kind || ':' || pr.id IN"                \
    " (" e ".record, " e ".ref1, " e ".ref2))"

/* Fills err from the connection's last error; returns RT_ESTORE. */
int rt__db_error(struct rt_store *st, struct rt_error *err, const char *what);

/*
 * One-off statements (stmt.c), their arguments bound by types, one letter each: 't'
 * text (a NULL binds NULL), 'i' int64, 'I' int64 where 0 binds NULL.
 * rt__prepare prepares sql into *s with its arguments bound (the caller finalizes it).
 * rt__exec runs a statement that returns no rows and sets *out_id (when not NULL) to
 * the new rowid; a constraint it breaks is RT_EINVAL. rt__scalar reads the first
 * column of the first row as an integer into *out_int and/or as JSON text into
 * *out_json (a new reference); RT_ENOTFOUND for no row or NULL. Otherwise each
 * returns 0, or RT_ESTORE with err filled.
 */
int rt__prepare(struct rt_store *st, sqlite3_stmt **s, struct rt_error *err, const char *sql,
                const char *types, ...);
int rt__exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
             const char *types, ...);
int rt__scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int, json_t **out_json,
               const char *sql, const char *types, ...);

/* Returns the cached prepared statement id, reset and with bindings cleared. */
sqlite3_stmt *rt__stmt(struct rt_store *st, enum rt__stmt_id id, struct rt_error *err);

/*
 * Returns a prepared statement for sql, reset and with bindings cleared, from the
 * connection's cache (prepared on first use). It stays valid until RT__SQL_CACHE
 * other statements have been asked for; reset it when done, so that it holds no
 * read transaction open. NULL with err on a bad statement. A slot that is held
 * (rt__sqlite_sql_rows stepping through its rows, whose callback may ask for
 * statements, the same one too) is neither handed out nor replaced.
 */
sqlite3_stmt *rt__stmt_sql(struct rt_store *st, const char *sql, struct rt_error *err);
/* The same, and its slot, which the caller marks held while it steps. */
sqlite3_stmt *rt__stmt_sql_slot(struct rt_store *st, const char *sql, struct rt__sql_slot **out,
                                struct rt_error *err);

/*
 * The hash by which the store finds a recommendation's twins (recommendation.key_hash):
 * of its session and text, and for a mechanism other than "upr" (NULL is "upr") of
 * its paragraph too, which names an ODIHR recommendation's election.
 */
int64_t rt__rec_key_hash(const char *text, size_t len, int session, const char *mechanism,
                         const char *paragraph);

/* Frees a facet index (facets.c); NULL is fine. */
void rt__facets_free(struct rt__facets *fx);

/*
 * Every recommendation's recommending states and theme tags (hit_rows.c), kept when
 * rt_store_keep_search asked for them. rt__hit_rows_get gives them, fresh for the data
 * as the caller's read transaction sees it (*out borrowed from st until the next call
 * into the store), or *out NULL when they are not kept, outside a read transaction or
 * inside a write one, or for data they cannot hold: the caller then uses SQL.
 * RT_ESTORE with err. rt__hit_rows_fill adds r->id's states and themes to r (both
 * empty before), as load_hits' statements (read.c) give them.
 */
struct rt__hit_rows;
int rt__hit_rows_get(struct rt_store *st, const struct rt__hit_rows **out, struct rt_error *err);
void rt__hit_rows_fill(const struct rt__hit_rows *h, struct rt_rec *r);
void rt__hit_rows_free(struct rt__hit_rows *h);

/* Registers the SQL functions searches and theme filters use (rt_idset, rt_theme_words; read.c) on
 * db. */
int rt__search_register(sqlite3 *db);

/* Registers the FTS5 function rt_rank (rank.c: bm25, reading st->rank_len) on st->db. */
int rt__rank_register(struct rt_store *st);

/*
 * A ranked search in one pass (rank.c). With st->rank_collect pointing at one, the
 * statement "SELECT rt_rank(recommendation_fts) ... MATCH ?1" gives NULL for each
 * match and notes instead the row's id, length and each phrase's count of hits, for
 * the rows in pass (all of them when pass is NULL). bm25 needs, for each phrase, the
 * number of rows of the whole index that it matches: FTS5's bm25 reads the phrase's
 * list of rows once more for that. When the query is one phrase, that number is the
 * count of matches, and when it is phrases joined by OR (or_query), the count of
 * matches in which the phrase has hits; the pass counts them, and the second read is
 * saved. Zero-initialise, set filtered, pass, pass_words, or_query and plain;
 * rt__rank_collect_release.
 */
struct rt__rank_collect {
    int filtered;         /* 0: every row is noted; 1: only those in pass */
    const uint64_t *pass; /* a bitset of ids (read.c's struct idset) */
    size_t pass_words;
    int or_query; /* st->match_or */
    int plain;    /* st->match_plain: without it, the second read is never saved */
    /* Filled by rt_rank. */
    int ready, deferred, n_phrase;
    int swept;    /* every match was noted in the first row's call (rank.c) */
    int64_t rows; /* in the index */
    double avgdl;
    double *idf;     /* n_phrase of them, known unless deferred */
    int64_t matched; /* matches seen, in pass or not */
    int64_t *ids;    /* of the rows in pass, n of them */
    double *dl;      /* their lengths */
    uint32_t *freq;  /* their phrases' hits: n_phrase for each */
    size_t n, alloc;
    /* When not NULL, every position of phrase 0 in a noted row goes to it (postings.c,
     * the postings of word pairs). */
    struct rt__grid *grid;
};

/* Notes that the word g is walking is at (col, off) of row id (postings.c). */
void rt__grid_note(struct rt__grid *g, int64_t id, int col, int off);

/*
 * After the statement of rt__rank_collect ran: into *ids (rt_free, n_ids of them)
 * the ids of the collected rows ranked as "ORDER BY rt_rank(...), rowid LIMIT limit
 * OFFSET offset" ranks them (limit < 0: no limit), with the same scores to the bit.
 * Cannot fail.
 */
void rt__rank_top(struct rt__rank_collect *c, int64_t offset, int64_t limit, int64_t **ids,
                  size_t *n_ids);

/* Frees what c holds (not c). */
void rt__rank_collect_release(struct rt__rank_collect *c);

/* Seeds the state tables from iso-codes and our embedded variants (schema 1). */
int rt__states_seed(struct rt_store *st, struct rt_error *err);

/* Adds our name variants and UN groups (data/states/) to the state tables; safe to
 * run again, as it is when those files change. */
int rt__states_refresh(struct rt_store *st, struct rt_error *err);

/* Refills the theme taxonomy tables from data/themes/ (inside the caller's
 * transaction); run when those files change. RT_EFORMAT for a bad line. */
int rt__taxonomy_refresh(struct rt_store *st, struct rt_error *err);

/*
 * The audit log (audit.c). rt__audit_open sets up the sealing of entries on st's
 * connection (when the database has the log). rt__audit_migrated runs inside the
 * transaction of migration version: it makes every ledger table's audit triggers
 * from its columns as they now are, and logs a snapshot of each row the log does
 * not explain (every row when the log starts).
 */
int rt__audit_open(struct rt_store *st, struct rt_error *err);
int rt__audit_migrated(struct rt_store *st, int version, struct rt_error *err);

/* Returns a new copy of column i of stmt, "" for NULL. */
char *rt__col_strdup(sqlite3_stmt *stmt, int i);

#endif
