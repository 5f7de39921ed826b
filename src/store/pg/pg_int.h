/*
 * The PostgreSQL back end's inside (issue 16): a libpq connection with its prepared
 * statements, reconnection and retried transactions; COPY; the migrations; the
 * full-text lexemes. Nothing here is public yet: the store's table of operations per
 * back end (include/rightstrack/store.h) will call it. Only src/store/pg/ and its
 * tests include this header.
 */
#ifndef RT_STORE_PG_INT_H
#define RT_STORE_PG_INT_H

#include <stdarg.h>
#include <stddef.h>

#include <jansson.h>

#include <rightstrack/private.h>
#include <rightstrack/rt.h>
#include <rightstrack/store.h>
#include <rightstrack/text.h>

#include <libpq-fe.h>

#include "store/pg/pq.h"
#include "store/sql.h"

/* How often a transaction is tried when PostgreSQL aborts it for a serialization
 * failure (SQLSTATE 40001) or a deadlock (40P01), or loses the connection before
 * its commit was sent. */
#define RT_PG_TRIES 5

/* One connection. Not thread-safe: one per thread (the web face's workers each
 * hold one). */
struct rt_pg;

/*
 * Connects. conninfo is a URL ("postgresql://user@host/db?..."), a libpq key=value
 * string ("host=/run/pg dbname=rights"), or NULL or "" for libpq's defaults and the
 * PG* variables (PGHOST, PGDATABASE, ...). Sets the session to UTC and UTF-8. On
 * success *out is the connection (close with rt__pg_close) and 0 is returned; on
 * failure RT_ESTORE with what libpq said in err (never a password), *out NULL.
 */
int rt__pg_connect(const char *conninfo, struct rt_pg **out, struct rt_error *err);
/* Closes pg and frees it with its statement cache; NULL is allowed. */
void rt__pg_close(struct rt_pg *pg);
/* The libpq connection, for what this module does not wrap (borrowed). */
PGconn *rt__pg_conn(struct rt_pg *pg);

/*
 * Runs the statement sql with n text parameters (values[i] NULL is SQL NULL) and
 * returns its result (free with PQclear), or NULL with err set (RT_ESTORE; err's
 * field holds the statement's name, its message PostgreSQL's with the SQLSTATE).
 * name names the statement: the first call on a connection prepares it (PQprepare),
 * later calls only execute it, so each statement is parsed once per connection.
 * name and sql must be string constants that belong together (the cache holds them).
 * A connection found dropped outside a transaction is re-established (PQreset), its
 * statements prepared again, and the statement run again once; when that fails the
 * error says the server is unreachable. Inside a transaction a dropped connection is
 * an error (rt__pg_transaction tries the transaction again).
 */
PGresult *rt__pg_exec(struct rt_pg *pg, const char *name, const char *sql, int n,
                      const char *const *values, struct rt_error *err);
/*
 * A prepared statement without parameters sent ahead, its result read later, so that
 * the server runs it while the client works (a search's data version, while the
 * search is worked out in memory). rt__pg_send sends name (sql) when it is already
 * prepared on the connection: 0, or -1 when it was not sent. rt__pg_take returns the
 * result of name as rt__pg_exec does: the one sent ahead when it is name's and
 * succeeded, else it runs the statement now. Any other use of the connection (every
 * function here, rt__pg_conn included) first reads the statement sent ahead and
 * drops its result.
 */
int rt__pg_send(struct rt_pg *pg, const char *name, const char *sql);
PGresult *rt__pg_take(struct rt_pg *pg, const char *name, const char *sql, struct rt_error *err);
/* Runs sql (no parameters, not prepared; several statements allowed) for its
 * effect; rows it returns are dropped. Returns 0, or RT_ESTORE with err set, as
 * rt__pg_exec (with no name in err's field). */
int rt__pg_run(struct rt_pg *pg, const char *sql, struct rt_error *err);
/* The SQLSTATE of the last error on pg ("40001"), "" when none. */
const char *rt__pg_sqlstate(const struct rt_pg *pg);
/* How many statements pg has prepared since it connected, reconnections counted:
 * tests check that a statement run twice is prepared once. */
long rt__pg_prepares(const struct rt_pg *pg);
/* How many times pg has re-established a dropped connection. */
long rt__pg_resets(const struct rt_pg *pg);
/*
 * sql (several statements allowed; NULL: none) is run after the session's own setup
 * whenever pg re-establishes a dropped connection, so that a new session is put back
 * as the old one was (the public reader's views, src/store/pg/private.c). pg keeps a
 * copy. It is not run now: the caller has done it.
 */
void rt__pg_set_session(struct rt_pg *pg, const char *sql);

/*
 * A transaction by hand, for work that must not be run twice on its own (migrations):
 * rt__pg_begin starts one (isolation "SERIALIZABLE", "READ COMMITTED", or NULL for
 * the server's default); until rt__pg_end, a dropped connection is an error, never a
 * silent reconnection that would run the rest outside the transaction. rt__pg_end
 * commits (commit non-zero; RT_ESTORE with err set when COMMIT fails) or rolls back
 * (always 0; err may be NULL). Both return 0 or RT_ESTORE.
 */
int rt__pg_begin(struct rt_pg *pg, const char *isolation, struct rt_error *err);
int rt__pg_end(struct rt_pg *pg, int commit, struct rt_error *err);
/*
 * Writes are one at a time: a SERIALIZABLE transaction (rt__pg_begin, and so
 * rt__pg_transaction) is a write, and first waits for PostgreSQL's session-level
 * advisory lock 7242024, which it holds until it ends, before it begins, so that its
 * snapshot holds every write before it. Once rt__pg_set_audit has been called, such a
 * transaction seals the audit log's entries it added (at, actor, via, prev_hash, hash,
 * as SQLite's store seals them) just before its COMMIT; actor NULL is "rightstrack".
 */
void rt__pg_set_audit(struct rt_pg *pg, const char *actor, const char *via);

/* The work of one transaction: returns 0 or an RT_E… code with err set. */
typedef int (*rt_pg_txn_fn)(struct rt_pg *pg, void *ctx, struct rt_error *err);
/*
 * Runs fn inside BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT. When PostgreSQL aborts
 * it for a serialization failure or a deadlock (at any statement or at COMMIT), or the
 * connection is lost before COMMIT was sent, rolls back (reconnecting when needed),
 * waits a little and runs fn again, RT_PG_TRIES times in all; fn must therefore do
 * nothing outside the database that it cannot do twice. *tries (may be NULL) is set to
 * the number of runs. Returns 0 once committed; fn's error (rolled back); or
 * RT_ESTORE when the tries ran out or COMMIT's outcome is unknown (connection lost
 * during it), saying so in err.
 */
int rt__pg_transaction(struct rt_pg *pg, rt_pg_txn_fn fn, void *ctx, int *tries,
                       struct rt_error *err);
/* Whether the last error on pg was a serialization failure (SQLSTATE 40001) or a
 * deadlock (40P01): the transaction it aborted may be run again. */
int rt__pg_conflict(const struct rt_pg *pg);
/* The wait before running a transaction again for the attempt-th time (from 1): random,
 * up to a bound that doubles with each attempt (4, 8, 16 ... ms, at most 250). */
void rt__pg_back_off(int attempt);

/*
 * The statements written once for every back end (src/store/sql.h), run on a
 * connection (sql.c): each one's text with $N for ?N, prepared once per connection
 * under a name of its own. Start with RT__PG_SQL_INIT, free with rt__pg_sql_release
 * after closing the connection (it holds the names and texts).
 */
struct rt__pg_sql {
    char **sql, **name;
    size_t n;
    int group;       /* a group of statements in a transaction of its own (rt__pg_sql_group) */
    int64_t changes; /* the rows the last rt__pg_sql_exec changed (rt__sql_changes) */
};
#define RT__PG_SQL_INIT                                                                            \
    {                                                                                              \
        NULL, NULL, 0, 0, 0                                                                        \
    }
void rt__pg_sql_release(struct rt__pg_sql *c);
/*
 * rt__sql_exec, rt__sql_scalar and a group's operation (sql.h) on pg; in_tx says
 * whether the store has a transaction open (rt_store_begin's). A write outside one,
 * and outside a group, is a serializable transaction of its own (rt__pg_begin: the
 * writers' lock taken, the audit entries sealed at its commit), run again (RT_PG_TRIES times in
 * all) after a serialization failure or a deadlock. Every commit that writes raises the data
 * version (migrate.c's triggers).
 */
int rt__pg_sql_exec(struct rt_pg *pg, struct rt__pg_sql *c, int in_tx, struct rt_error *err,
                    int64_t *out_id, const char *sql, const char *types, va_list ap);
int rt__pg_sql_scalar(struct rt_pg *pg, struct rt__pg_sql *c, struct rt_error *err,
                      int64_t *out_int, json_t **out_json, const char *sql, const char *types,
                      va_list ap);
int rt__pg_sql_group(struct rt_pg *pg, struct rt__pg_sql *c, int in_tx, int op,
                     struct rt_error *err);
/* rt__sql_rows (sql.h) on pg: the whole result is read first, so fn may run statements. */
int rt__pg_sql_rows(struct rt_pg *pg, struct rt__pg_sql *c, struct rt_error *err, rt__sql_row_fn fn,
                    void *ctx, const char *sql, const char *types, va_list ap);

/*
 * COPY into a table in PostgreSQL's text format. rt__pg_copy_begin starts
 * "COPY table (cols) FROM STDIN"; rt__pg_copy_row adds one row of ncols fields
 * (values[i] NULL is SQL NULL; lens NULL: the values are NUL-terminated, else
 * lens[i] bytes, which may hold any byte but NUL), escaping backslash, tab, newline
 * and carriage return; rows are sent in blocks of about 64 KiB. rt__pg_copy_end sends
 * the end and waits for PostgreSQL's answer: 0 and *rows (may be NULL) the rows it
 * took, or RT_ESTORE. COPY is one statement, so when the server fails or the
 * connection drops part way, none of the rows is stored (nor, inside a transaction,
 * anything of the transaction), and the error says so. After any error the copy is
 * over: call rt__pg_copy_abort, which also ends a copy still running (NULL allowed).
 * table and cols are SQL identifiers from the program, never from input.
 */
struct rt_pg_copy;
int rt__pg_copy_begin(struct rt_pg *pg, const char *table, const char *const *cols, int ncols,
                      struct rt_pg_copy **out, struct rt_error *err);
int rt__pg_copy_row(struct rt_pg_copy *c, const char *const *values, const size_t *lens,
                    struct rt_error *err);
int rt__pg_copy_end(struct rt_pg_copy *c, long *rows, struct rt_error *err);
void rt__pg_copy_abort(struct rt_pg_copy *c);
/* Appends to out one row of ncols fields in COPY's text form, as rt__pg_copy_row
 * writes it: 0, or -(i + 1) when field i holds a NUL byte (out is then unchanged).
 * rt__pg_copy_put sends len bytes of such rows (rows of them) made beforehand. */
int rt__pg_copy_encode(struct rt_buf *out, int ncols, const char *const *values,
                       const size_t *lens);
int rt__pg_copy_put(struct rt_pg_copy *c, const char *data, size_t len, long rows,
                    struct rt_error *err);

/*
 * The same in COPY's binary format, for fields whose binary form the caller makes
 * (rt__pg_tsvector_pack): rt__pg_copy_begin_binary starts "COPY table (cols) FROM
 * STDIN (FORMAT binary)"; rt__pg_copy_row_binary adds a row of ncols fields, values[i]
 * being lens[i] bytes of the column type's binary form (NULL: SQL NULL; lens is
 * required). rt__pg_copy_end and rt__pg_copy_abort end it as above. A field in a form
 * the server does not accept fails the whole copy at rt__pg_copy_end.
 */
int rt__pg_copy_begin_binary(struct rt_pg *pg, const char *table, const char *const *cols,
                             int ncols, struct rt_pg_copy **out, struct rt_error *err);
int rt__pg_copy_row_binary(struct rt_pg_copy *c, const char *const *values, const size_t *lens,
                           struct rt_error *err);
/* Appends the low bytes of v to b, most significant first: the integers of COPY's
 * binary format and of a tsvector's binary form are big-endian. */
void rt__pg_put_be(struct rt_buf *b, uint32_t v, int bytes);

/* Appends to out the COPY text form of the len bytes at s (a NUL byte is refused
 * with RT_EINVAL: text fields cannot hold one). */
int rt__pg_copy_escape(struct rt_buf *out, const char *s, size_t len);

/*
 * The full-text lexemes of text as a tsvector literal ("'abolish':1 'penalti':4"):
 * the terms of our tokenizer t, with positions from 1 (PostgreSQL keeps positions up
 * to 16383 and so stores later ones as 16383), quoted and escaped for tsvector input.
 * The SQLite store indexes the same terms (fts.c), so both find the same words.
 * Terms longer than PostgreSQL's lexeme limit (2047 bytes) are left out. Appends to
 * out; returns 0 (never fails otherwise).
 */
int rt__pg_tsvector(struct rt_tokenizer *t, const char *text, size_t len, struct rt_buf *out);

/*
 * A recommendation's lexemes are those of its text, then those of its paragraph (the
 * report and paragraph, "A/HRC/30/3, 127.1", or an ODIHR recommendation's election),
 * as SQLite's FTS5 index has them in two columns: the paragraph's positions follow
 * the text's after one left empty (so that no phrase runs from one into the other)
 * and carry the weight RT_PG_PARAGRAPH_WEIGHT (B; the text's are unweighted, D). A
 * bare number looks in the text only (`'19':D`), as on SQLite (`text : "19"`).
 * rt__pg_tsvector_rec writes such a tsvector literal (paragraph NULL: none).
 */
#define RT_PG_PARAGRAPH_WEIGHT 2
#define RT_PG_PARAGRAPH_LETTER "B"
int rt__pg_tsvector_rec(struct rt_tokenizer *t, const char *text, size_t len, const char *paragraph,
                        size_t plen, struct rt_buf *out);

/* Migration 26's step in C (migrate.c), in its transaction: the lexemes of every
 * indexed recommendation with a paragraph written again with the paragraph's, and
 * search_index emptied. 0, or RT_ESTORE with err. */
int rt__pg_fts_paragraphs(struct rt_pg *pg, struct rt_error *err);

/*
 * A text's lexemes gathered one by one, then packed into a tsvector's binary form (as
 * COPY's binary format and tsvectorrecv take it): the same value that the literal of
 * rt__pg_tsvector gives once PostgreSQL has read it (lexemes in order, each once, with
 * its positions in order, each once, at most 256 of them). Start with
 * RT_PG_LEXEMES_INIT; rt__pg_lexemes_add notes term (len bytes, 1 to 2047) at
 * position pos (from 1; later ones are noted at 16383) with the weight l->weight (0,
 * D, unless the caller sets it); a position noted twice keeps the greater weight, as
 * PostgreSQL keeps it. rt__pg_lexemes_pack appends the packed tsvector to out and
 * empties l for the next text (its weight back to 0); rt__pg_lexemes_release frees l.
 * None fails.
 */
struct rt_pg_lexemes {
    struct rt_buf text;   /* the terms, one after the other */
    struct rt_pg_lexpos { /* each term noted: where in text, how long, its position */
        size_t at, len;
        unsigned pos, weight;
        const char *p; /* text.buf + at, set when packed (text may move before) */
    } * v;
    size_t n, cap;
    unsigned weight; /* of the terms noted from now on: 0 (D) to 3 (A) */
};
#define RT_PG_LEXEMES_INIT                                                                         \
    {                                                                                              \
        RT_BUF_INIT, NULL, 0, 0, 0                                                                 \
    }
void rt__pg_lexemes_add(struct rt_pg_lexemes *l, const char *term, size_t len, long pos);
void rt__pg_lexemes_pack(struct rt_pg_lexemes *l, struct rt_buf *out);
void rt__pg_lexemes_release(struct rt_pg_lexemes *l);

/* A recommendation row as the bulk loader takes it: text fields, NULL for SQL NULL,
 * numbers in decimal; id, sur_id, text and key_hash are required (the full-text rows
 * name the id), the others may be NULL (mechanism and response then get no default:
 * give them). */
struct rt_pg_rec_row {
    const char *id, *mechanism, *cycle, *session, *paragraph, *sur_id, *text, *key_hash, *response,
        *action_category, *source_id;
};
/*
 * Loads n recommendations and their full-text lexemes (made with t) in one
 * transaction: COPY into recommendation, then into recommendation_fts. All or
 * nothing: on any failure (a refused row, the server gone) nothing is stored and err
 * says what; a row refused by a check names its line of COPY's input. Afterwards the
 * table's own ids continue after the largest. Returns 0, or RT_ESTORE.
 */
int rt__pg_load_recommendations(struct rt_pg *pg, struct rt_tokenizer *t,
                                const struct rt_pg_rec_row *rows, size_t n, struct rt_error *err);

/*
 * Applies the embedded migrations (src/store/pg/schema/) newer than the version in
 * meta 'pg_schema', each in its own transaction with the version written in it,
 * under an advisory lock so that two processes starting at once apply each once.
 * Returns 0, or RT_ESTORE naming the migration that failed (nothing of it applied).
 * *version (may be NULL) is set to the version reached.
 */
int rt__pg_migrate(struct rt_pg *pg, int *version, struct rt_error *err);

/*
 * The full-text index in memory (text.c): every recommendation's lexemes as
 * recommendation_fts holds them, read in one statement (in the caller's snapshot).
 * rt__pg_text_load sets *out to a new index (rt__pg_text_free), or to NULL when a
 * row cannot be read (an id beyond 32 bits, a tsvector it does not understand): the
 * caller then asks PostgreSQL. Returns 0, or RT_ESTORE with err.
 */
struct rt__pg_text;
int rt__pg_text_load(struct rt_pg *pg, struct rt__pg_text **out, struct rt_error *err);
void rt__pg_text_free(struct rt__pg_text *tx);

/*
 * The same index built from tsvectors in hand (an import's, in tsvectorsend's binary
 * form, as rt__pg_lexemes_pack makes them): rt__pg_text_builder_add adds recommendation
 * doc's, in increasing order of doc (each once); rt__pg_text_builder_end frees the builder and
 * gives the index (rt__pg_text_free), or NULL when a row could not be read.
 */
struct rt__pg_text_builder;
struct rt__pg_text_builder *rt__pg_text_builder_new(void);
void rt__pg_text_builder_add(struct rt__pg_text_builder *b, uint64_t doc, const unsigned char *tsv,
                             size_t len);
struct rt__pg_text *rt__pg_text_builder_end(struct rt__pg_text_builder *b);

/*
 * The table word (each word and its stem), sorted by word as COLLATE "C" sorts, as the
 * store keeps it beside the index for prefixes: word NULL when it was not read.
 * rt__pg_words_release frees both arrays and their strings.
 */
struct rt__pg_words {
    char **word, **stem;
    size_t n;
};
void rt__pg_words_release(struct rt__pg_words *w);

/*
 * The index as bytes and back, to keep it in search_index for the next connection
 * (the format is text.c's), with the table word beside it (w; NULL keeps none) so that
 * a connection that reads the row needs nothing else. rt__pg_text_serialize appends
 * tx's bytes to out; rt__pg_text_deserialize returns a new index (rt__pg_text_free)
 * equal to the one the bytes were made of, with the words in *w (released first; w may
 * be NULL), or NULL when they are not such bytes (damaged, cut short, another format
 * or an older one): the caller then reads the index from the tables.
 */
void rt__pg_text_serialize(const struct rt__pg_text *tx, const struct rt__pg_words *w,
                           struct rt_buf *out);
struct rt__pg_text *rt__pg_text_deserialize(const unsigned char *b, size_t len,
                                            struct rt__pg_words *w);

/* A match and its relevance (higher first). */
struct rt__pg_hit {
    int64_t id;
    double score;
};

/*
 * Gives the words that a prefix of len bytes also stands for (FTS5's rule, kept by
 * ops.c's prefix_words: the least word of each stem that does not begin with it),
 * appended to out each ended by a NUL; 0, or an error with err.
 */
typedef int (*rt__pg_words_fn)(void *ctx, const char *prefix, size_t len, struct rt_buf *out,
                               struct rt_error *err);

/*
 * The recommendations that the parsed query root matches, the same as PostgreSQL's
 * @@ gives for the tsquery that ops.c writes from it: its terms made into lexemes by
 * t (the tokenizer of the index), a prefix's other words from words(ctx, ...) (NULL:
 * none). Each match has its bm25 score (the formula of SQLite's FTS5: k1 1.2, b 0.75,
 * a leaf's IDF from the rows it matches, a text's length its count of positions).
 * Returns 1 with *out (rt_free, in id order) and *n; 0 when the query searches a
 * field the index does not hold (then *out is NULL and the caller asks PostgreSQL);
 * or the error of words, with err.
 */
int rt__pg_text_match(const struct rt__pg_text *tx, const struct rt_search_node *root,
                      struct rt_tokenizer *t, rt__pg_words_fn words, void *ctx,
                      struct rt__pg_hit **out, size_t *n, struct rt_error *err);

/*
 * The page rows in memory (rows.c): every recommendation as a search's page shows it
 * (rt_rec's own row, its recommending states and its themes, sorted as ops.c's
 * recs_load sorts them), of one data version, so that a search asks the server only
 * for the data version. rt__pg_rows_new returns an empty set for ids up to max_id and
 * about count rows, or NULL where that would take too much memory (ids too sparse,
 * more than RT__PG_ROWS_MAX rows); the rows are added (each rt_rec's strings copied,
 * its links ignored), then their links, then rt__pg_rows_done sorts them: 0, or -1
 * when a row or link could not be held (then free it and read from the server).
 * rt__pg_rows_get fills r (rt_rec_init'ed; the caller releases it) with copies: 1,
 * or 0 when there is no such row.
 */
#define RT__PG_ROWS_MAX 100000
struct rt__pg_rows;
struct rt__pg_rows *rt__pg_rows_new(int64_t version, int64_t max_id, int64_t count);
void rt__pg_rows_free(struct rt__pg_rows *c);
void rt__pg_rows_add(struct rt__pg_rows *c, const struct rt_rec *r);
void rt__pg_rows_add_by(struct rt__pg_rows *c, int64_t id, const char *code, const char *name);
void rt__pg_rows_add_theme(struct rt__pg_rows *c, int64_t id, const char *vocabulary,
                           const char *label, const char *origin, double confidence);
int rt__pg_rows_done(struct rt__pg_rows *c);
int rt__pg_rows_get(const struct rt__pg_rows *c, int64_t id, struct rt_rec *r);
int64_t rt__pg_rows_version(const struct rt__pg_rows *c); /* -1 for NULL */
size_t rt__pg_rows_bytes(const struct rt__pg_rows *c);    /* what it takes, about */
/*
 * The sources' paths are kept apart from the rows (a row has its source's id): added in
 * ascending order of id, after the rows or after rt__pg_rows_deserialize, and checked
 * by rt__pg_rows_sources_done (0, or -1 when they were not in order).
 */
void rt__pg_rows_add_source(struct rt__pg_rows *c, int64_t id, const char *path);
int rt__pg_rows_sources_done(const struct rt__pg_rows *c);
/*
 * The rows (rt__pg_rows_done'd) as bytes, appended to out, to keep in search_index:
 * everything but the sources' paths, which a reader for the public may not see; and
 * back, as rows of data version version without sources' paths, which take bytes'
 * storage (bytes is left empty); NULL, bytes unchanged, when they are not such bytes.
 */
void rt__pg_rows_serialize(const struct rt__pg_rows *c, struct rt_buf *out);
struct rt__pg_rows *rt__pg_rows_deserialize(struct rt_buf *bytes, int64_t version);

/* For rt_store_copy (move.c): 0 when the database holds no row in rt__export_tables
 * and rt__copy_more_tables (src/store/backend.h), else RT_EEXIST naming the database
 * and the table, or RT_ESTORE. */
int rt__pg_copy_empty(struct rt_pg *pg, struct rt_error *err);

/*
 * The tables that move between a SQLite file and PostgreSQL (tables.c): those of the
 * SQLite database db that pg has too, in creation order, each with its columns in
 * SQLite's order; never SQLite's own, the full-text index, the table word and the
 * search index (each store makes them from the rest), nor meta. With with_rows, only
 * those that hold a row. 0 with *out (rt__pg_tables_free) and *n, or RT_ESTORE.
 */
struct sqlite3;
struct rt__pg_table {
    char *name;
    char **cols;
    size_t ncols;
    int done; /* for the caller */
};
int rt__pg_tables(struct sqlite3 *db, struct rt_pg *pg, int with_rows, struct rt__pg_table **out,
                  size_t *n, struct rt_error *err);
void rt__pg_tables_free(struct rt__pg_table *t, size_t n);

/* Fills st, a new SQLite store (an import's working copy, outside any transaction), with
 * every row of pg's tables, read in pg's open transaction, and starts *out, a session
 * of SQLite's session extension that records every later change to st's tables
 * (move.c). The caller deletes *out before it closes st. */
struct sqlite3_session;
int rt__pg_seed(struct rt_pg *pg, struct rt_store *st, struct sqlite3_session **out,
                struct rt_error *err);

/* The connection of PostgreSQL store st (ops.c), for the operations kept in other files. */
struct rt_pg *rt__pg_store_conn(struct rt_store *st);

/* The theme classifier's blob (models.c), members of rt__pg_ops with the contracts of
 * store.h's functions of the same names (the rest of its data is src/store/models.c's).
 * rt__pg_rec_add_theme is rec_add_theme outside an import. */
int rt__pg_model_put(struct rt_store *st, const char *name, const char *kind, const char *info,
                     const void *data, size_t len, struct rt_error *err);
int rt__pg_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                     struct rt_buf *info, struct rt_error *err);
int rt__pg_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                         const char *label, const char *origin, double confidence, int *out_new,
                         struct rt_error *err);
/*
 * Who a connection reads for (private.h): for RT_READER_PUBLIC, temporary views
 * named like the tables that hold private rows (src/store/private.c) and a
 * search_path that puts pg_temp first; for RT_READER_ALL, pg_temp last. Changing the
 * search_path makes PostgreSQL plan each prepared statement again at its next use, so
 * statements prepared before the change read what the new reader may see. Start with
 * RT__PG_READER_INIT; release with rt__pg_reader_release.
 */
struct rt__pg_reader {
    enum rt_reader reader;   /* what the connection reads for */
    enum rt_reader before;   /* ... when the open transaction began (dirty) */
    int views, views_before; /* the views exist in this session (and did before) */
    int dirty;               /* changed inside the open transaction: its rollback undoes it */
    int broken;              /* could not be put back after a rollback: reads find no table */
    char *path_all, *path_public, *views_sql; /* made at the first change */
};
#define RT__PG_READER_INIT                                                                         \
    {                                                                                              \
        RT_READER_ALL, RT_READER_ALL, 0, 0, 0, 0, NULL, NULL, NULL                                 \
    }
/* Reads for reader from now on; in_tx says whether a transaction is open (its rollback
 * would undo the change: call rt__pg_reader_ended). 0, or RT_ESTORE with err, the
 * reader then unchanged. */
int rt__pg_reader_set(struct rt_pg *pg, struct rt__pg_reader *r, int in_tx, enum rt_reader reader,
                      struct rt_error *err);
/* After the transaction ended: committed, or rolled back (then what was changed in it is
 * made again outside it). */
void rt__pg_reader_ended(struct rt_pg *pg, struct rt__pg_reader *r, int committed);
void rt__pg_reader_release(struct rt__pg_reader *r);

/* Repeats (repeats.c): the new pairs and members written by COPY, an
 * rt__repeats_put_fn (src/store/repeats_int.h). */
struct rt__corpus;
struct rt__repeat_member;
int rt__pg_repeats_put(struct rt_store *st, const struct rt__corpus *c, const struct rt_sim_pair *p,
                       size_t n_pairs, const struct rt__repeat_member *m, size_t n_m,
                       struct rt_error *err);

/* The dialogue ledger's reads and look-ups (ledger_read.c), members of rt__pg_ops: the
 * functions of ledger.h of the same names. */
int rt__pg_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err);
int rt__pg_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
int rt__pg_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err);
int rt__pg_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                     struct rt_error *err);
int rt__pg_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                  struct rt_error *err);
int rt__pg_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                 struct rt_error *err);
int rt__pg_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                    struct rt_error *err);
int rt__pg_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                       struct rt_error *err);
int rt__pg_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                      struct rt_error *err);

#endif
