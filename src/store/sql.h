/*
 * SQL written once for every back end (docs/developer-guide.md, "Store back ends"): the
 * ledger's writes (ledger_write.c) run their statements through these, and each back end
 * runs them its own way (struct rt__store_ops: sql_exec, sql_scalar, sql_group, retry).
 * The SQL must be of the dialect both SQLite and PostgreSQL accept; where they differ,
 * rt__sql_pick chooses between two texts in the smallest place.
 */
#ifndef RT_STORE_SQL_H
#define RT_STORE_SQL_H

#include <jansson.h>

#include <rightstrack/store.h>

/*
 * One-off statements, their placeholders ?1, ?2 ... and their arguments bound by types,
 * one letter each: 't' text (a NULL binds NULL), 'i' int64, 'I' int64 where 0 binds
 * NULL, 'd' double, 'x' bytes given as hex digits (a string of at most 128), bound as a
 * BLOB on SQLite and a bytea on PostgreSQL (the accounts' hashes). rt__sql_exec runs a statement
 * that returns no rows and sets *out_id (when not NULL) to the id of the row it inserted (the
 * statement is an INSERT into a table with an id); a constraint it breaks (unique, check, foreign
 * key, not null) is RT_EINVAL with the database's message (and rt__sql_scalar's: an UPDATE ...
 * RETURNING id). rt__sql_scalar reads the first column of the first row as an integer into
 * *out_int (a boolean is 1 or 0) and/or as JSON text into *out_json (a new reference);
 * RT_ENOTFOUND for no row or NULL. Otherwise each returns 0, or RT_ESTORE with err
 * filled. On PostgreSQL each statement is prepared once per connection, and a write outside a
 * transaction is its own transaction (tried again after a serialization failure or a deadlock).
 */
int rt__sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                 const char *types, ...);
int rt__sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int, json_t **out_json,
                   const char *sql, const char *types, ...);
/* The number of rows the last rt__sql_exec on st inserted, updated or deleted (SQLite's
 * sqlite3_changes, PostgreSQL's command tag). */
int64_t rt__sql_changes(struct rt_store *st);

/*
 * Rows read one at a time, for reads that C shapes (the register of persons): each
 * row's columns as text, an integer in decimal, a boolean 1 or 0, a real as the
 * shortest text that reads back as the same double (rt__sql_double), SQL NULL as NULL;
 * valid only during the call. rt__sql_rows runs sql (placeholders and types as above)
 * and calls fn for each row, in the order the statement gives: fn returns 0 to go on,
 * 1 to stop early (rt__sql_rows then returns 0), or an error code, which rt__sql_rows
 * returns as it is (fn fills err). fn may run statements of its own on the same store,
 * this one too. Both stores prepare each statement once per connection (SQLite: its
 * statement cache, the slot held while fn runs).
 * No row is not an error. Order by text in C or by integers: the two stores compare
 * text by different collations.
 */
struct rt__sql_row {
    int n;                  /* columns */
    const char *const *col; /* col[i]: column i's text, NULL for NULL */
};
typedef int (*rt__sql_row_fn)(void *ctx, const struct rt__sql_row *row, struct rt_error *err);
int rt__sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                 const char *sql, const char *types, ...);
/* Column i as text (NULL for NULL), as an integer (0 for NULL), as JSON (a string or
 * an integer, null for NULL: a new reference). */
const char *rt__sql_text(const struct rt__sql_row *row, int i);
int64_t rt__sql_int(const struct rt__sql_row *row, int i);
json_t *rt__sql_json_text(const struct rt__sql_row *row, int i);
json_t *rt__sql_json_int(const struct rt__sql_row *row, int i);
/* Column i as a double (0 for NULL). */
double rt__sql_double(const struct rt__sql_row *row, int i);

/* 0 when table has a row of that id; else RT_ENOTFOUND with err naming field, "no WHAT
 * with id ID" (or the read's error). table is a name of ours, never the user's. */
int rt__sql_exists(struct rt_store *st, const char *table, int64_t id, const char *what,
                   const char *field, struct rt_error *err);
/* The most columns a row of rt__sql_rows may have. */
#define RT__SQL_COLS 16

/* sql_group's operations. */
enum { RT__SQL_GROUP_BEGIN, RT__SQL_GROUP_COMMIT, RT__SQL_GROUP_ROLLBACK };

/*
 * A group of statements that is all or nothing. rt__sql_begin starts it: a savepoint
 * inside a transaction (rt_store_begin's), else a transaction of its own (SQLite: a
 * savepoint, which is one). rt__sql_end ends it: rc 0 keeps what it did and returns 0
 * or the error of keeping it; rc < 0 undoes it and returns rc (err as the failure left
 * it). Groups do not nest.
 */
int rt__sql_begin(struct rt_store *st, struct rt_error *err);
int rt__sql_end(struct rt_store *st, int rc, struct rt_error *err);

/* sqlite's text on a SQLite store, pg's on PostgreSQL. */
const char *rt__sql_pick(struct rt_store *st, const char *sqlite, const char *pg);

/*
 * After a transaction (rt_store_begin ... rt_store_commit) failed and was rolled back:
 * 1 when running it again may succeed (PostgreSQL aborted it for a serialization
 * failure or a deadlock) and attempt, the number of runs so far, is below the bound;
 * it then waits a little (a random back-off) and empties err. 0 otherwise: when the
 * bound was reached, err says how many tries were given up after.
 */
int rt__store_retry(struct rt_store *st, int attempt, struct rt_error *err);

#endif
