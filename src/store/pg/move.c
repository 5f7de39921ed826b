/*
 * rt_store_copy's checks and its direction from PostgreSQL into SQLite (the other
 * direction is the import's transfer, src/store/pg/import.c). The SQLite target is made
 * by the SQLite back end with its own migrations; the rows of each table are read from
 * PostgreSQL in one REPEATABLE READ snapshot, row by row (libpq's single-row mode: the
 * whole table is never in memory), and written in one SQLite transaction opened as an
 * import's (rt__sqlite_begin_load: foreign keys checked once at the end), whose commit
 * makes the full-text index, the table word and the search index from the rows.
 */
#define SQLITE_ENABLE_SESSION 1 /* sqlite3.h's session API, for rt__pg_seed */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/sqlite_int.h"

/* PostgreSQL's type oids (pg_type.dat) that are not text in SQLite. */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23 };
enum { OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/* The first table of both lists that has a row, through has(ctx, table): 1, 0, or <0. */
static int first_full(int (*has)(void *ctx, const char *table, struct rt_error *err), void *ctx,
                      const char **which, struct rt_error *err)
{
    const char *const *lists[2] = {rt__export_tables, rt__copy_more_tables};

    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            int rc = has(ctx, lists[l][i], err);
            if (rc < 0)
                return rc;
            if (rc) {
                *which = lists[l][i];
                return 1;
            }
        }
    return 0;
}

static int pg_has(void *ctx, const char *table, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    PGresult *r;
    int rc;

    rt_buf_addf(&sql, "SELECT EXISTS (SELECT 1 FROM \"%s\")", table);
    r = PQexec(rt__pg_conn(ctx), sql.buf);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, table, "%s", PQresultErrorMessage(r));
    else
        rc = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    rt_buf_release(&sql);
    return rc;
}

int rt__pg_copy_empty(struct rt_pg *pg, struct rt_error *err)
{
    const char *which = NULL;
    int rc = first_full(pg_has, pg, &which, err);

    if (rc <= 0)
        return rc;
    return rt_error_set(err, RT_EEXIST, NULL, 0, NULL,
                        "the target, PostgreSQL database \"%s\", is not empty (table %s has rows):"
                        " copy writes only into an empty database",
                        PQdb(rt__pg_conn(pg)), which);
}

static int sq_has(void *ctx, const char *table, struct rt_error *err)
{
    struct rt_store *st = ctx;
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *q = NULL;
    int rc;

    rt_buf_addf(&sql, "SELECT EXISTS (SELECT 1 FROM \"%s\")", table);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        rc = rt__db_error(st, err, table);
    else
        rc = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    rt_buf_release(&sql);
    return rc;
}

struct copy_out {
    struct rt_pg *pg;
    struct rt_store *st;
    struct rt__pg_table *t; /* the tables to fill (rt__pg_tables) */
    size_t n;
    rt__copy_progress_fn progress;
    void *pctx;
    uint64_t total, done;
};

static int hexval(char h)
{
    return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h - 'A' + 10;
}

/* Binds column c of PostgreSQL's row (text form) as SQLite keeps its type. */
static void bind_value(sqlite3_stmt *ins, const PGresult *r, int c, struct rt_buf *blob)
{
    const char *v = PQgetvalue(r, 0, c);
    int len = PQgetlength(r, 0, c);

    if (PQgetisnull(r, 0, c)) {
        sqlite3_bind_null(ins, c + 1);
        return;
    }
    switch (PQftype(r, c)) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        sqlite3_bind_int64(ins, c + 1, strtoll(v, NULL, 10));
        break;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        sqlite3_bind_double(ins, c + 1, strtod(v, NULL));
        break;
    case OID_BOOL:
        sqlite3_bind_int(ins, c + 1, v[0] == 't');
        break;
    case OID_BYTEA: /* bytea_output 'hex': \x then two digits a byte */
        rt_buf_reset(blob);
        for (int i = 2; i + 1 < len; i += 2)
            rt_buf_addch(blob, (char)(hexval(v[i]) << 4 | hexval(v[i + 1])));
        sqlite3_bind_blob(ins, c + 1, blob->len ? blob->buf : "", (int)blob->len, SQLITE_TRANSIENT);
        break;
    default:
        sqlite3_bind_text(ins, c + 1, v, len, SQLITE_STATIC);
    }
}

/* Streams one table's rows from PostgreSQL into SQLite. */
static int copy_out_table(struct copy_out *x, const struct rt__pg_table *t, struct rt_error *err)
{
    PGconn *conn = rt__pg_conn(x->pg);
    struct rt_buf sql = RT_BUF_INIT, blob = RT_BUF_INIT, cols = RT_BUF_INIT;
    sqlite3_stmt *ins = NULL;
    PGresult *r;
    int rc = 0, ended = 0;

    for (size_t c = 0; c < t->ncols; c++) /* "a", "b", ... quoted, for both statements */
        rt_buf_addf(&cols, "%s\"%s\"", c ? ", " : "", t->cols[c]);

    rt_buf_addf(&sql, "DELETE FROM \"%s\"", t->name); /* rows the migrations put in */
    if (sqlite3_exec(x->st->db, sql.buf, NULL, NULL, NULL) != SQLITE_OK) {
        rc = rt__db_error(x->st, err, t->name);
        goto out;
    }
    rt_buf_reset(&sql);
    rt_buf_addf(&sql, "INSERT INTO \"%s\" (%s) VALUES (", t->name, cols.buf);
    for (size_t c = 0; c < t->ncols; c++)
        rt_buf_adds(&sql, c ? ", ?" : "?");
    rt_buf_adds(&sql, ")");
    if (sqlite3_prepare_v2(x->st->db, sql.buf, -1, &ins, NULL) != SQLITE_OK) {
        rc = rt__db_error(x->st, err, t->name);
        goto out;
    }
    rt_buf_reset(&sql);
    rt_buf_addf(&sql, "SELECT %s FROM \"%s\"", cols.buf, t->name);
    if (!PQsendQuery(conn, sql.buf) || !PQsetSingleRowMode(conn)) {
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, t->name, "%s", PQerrorMessage(conn));
        goto out;
    }
    while ((r = PQgetResult(conn))) {
        ExecStatusType status = PQresultStatus(r);
        if (status == PGRES_SINGLE_TUPLE && rc == 0) {
            for (size_t c = 0; c < t->ncols; c++)
                bind_value(ins, r, (int)c, &blob);
            if (sqlite3_step(ins) != SQLITE_DONE)
                rc = rt__db_error(x->st, err, t->name);
            sqlite3_reset(ins);
            sqlite3_clear_bindings(ins);
            if (++x->done % 4096 == 0 && x->progress)
                x->progress(x->pctx, x->done, x->total);
        } else if (status == PGRES_TUPLES_OK) {
            ended = 1;
        } else if (status != PGRES_SINGLE_TUPLE && rc == 0) {
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, t->name, "%s", PQresultErrorMessage(r));
        }
        PQclear(r); /* every result is read, so that the connection is free again */
    }
    if (rc == 0 && !ended)
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, t->name, "%s", PQerrorMessage(conn));
out:
    sqlite3_finalize(ins);
    rt_buf_release(&sql);
    rt_buf_release(&blob);
    rt_buf_release(&cols);
    return rc;
}

static int64_t pg_count(struct rt_pg *pg, const char *table)
{
    struct rt_buf sql = RT_BUF_INIT;
    PGresult *r;
    int64_t n = 0;

    rt_buf_addf(&sql, "SELECT count(*) FROM \"%s\"", table);
    r = PQexec(rt__pg_conn(pg), sql.buf);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    rt_buf_release(&sql);
    return n;
}

/*
 * The SQLite store's triggers write what the copied rows already hold (the audit
 * log's entries and seals, the search index's marks): like PostgreSQL's during an
 * import (import.c, transfer_txn), they are off for the copy. SQLite has no switch, so
 * each is dropped inside the copy's transaction, its statement kept in defs (each
 * ended by NUL) to be run again before the commit; the audit log's temporary sealing
 * trigger is dropped for this connection only.
 */
static int triggers_drop(struct rt_store *st, struct rt_buf *defs, struct rt_error *err)
{
    sqlite3_stmt *q = NULL;
    struct rt_buf names = RT_BUF_INIT, sql = RT_BUF_INIT;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'", -1,
                           &q, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "triggers");
    while (sqlite3_step(q) == SQLITE_ROW) {
        rt_buf_adds(&names, (const char *)sqlite3_column_text(q, 0));
        rt_buf_addch(&names, '\0');
        rt_buf_adds(defs, (const char *)sqlite3_column_text(q, 1));
        rt_buf_addch(defs, '\0');
    }
    sqlite3_finalize(q);
    rt_buf_adds(&sql, "DROP TRIGGER IF EXISTS temp.audit_seal;");
    for (size_t i = 0; i < names.len; i += strlen(names.buf + i) + 1)
        rt_buf_addf(&sql, "DROP TRIGGER main.\"%s\";", names.buf + i);
    if (sqlite3_exec(st->db, sql.buf, NULL, NULL, NULL) != SQLITE_OK)
        rc = rt__db_error(st, err, "triggers");
    st->audit_ready = 0; /* made again by the next connection's first write */
    rt_buf_release(&names);
    rt_buf_release(&sql);
    return rc;
}

static int triggers_make(struct rt_store *st, const struct rt_buf *defs, struct rt_error *err)
{
    for (size_t i = 0; i < defs->len; i += strlen(defs->buf + i) + 1)
        if (sqlite3_exec(st->db, defs->buf + i, NULL, NULL, NULL) != SQLITE_OK)
            return rt__db_error(st, err, "triggers");
    return 0;
}

/*
 * The working copy's own indexes (not those of its keys and UNIQUE constraints) are
 * dropped for the seed, their statements appended to defs to be run again after it:
 * SQLite makes an index from the rows at once faster than it grows it row by row.
 */
static int indexes_drop(struct rt_store *st, struct rt_buf *defs, struct rt_error *err)
{
    sqlite3_stmt *q = NULL;
    struct rt_buf sql = RT_BUF_INIT;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                           " AND sql IS NOT NULL",
                           -1, &q, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "indexes");
    while (sqlite3_step(q) == SQLITE_ROW) {
        rt_buf_addf(&sql, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(q, 0));
        rt_buf_adds(defs, (const char *)sqlite3_column_text(q, 1));
        rt_buf_addch(defs, '\0');
    }
    sqlite3_finalize(q);
    if (sql.len && sqlite3_exec(st->db, sql.buf, NULL, NULL, NULL) != SQLITE_OK)
        rc = rt__db_error(st, err, "indexes");
    rt_buf_release(&sql);
    return rc;
}

/* Removes the SQLite file copy made, with what SQLite keeps beside it. */
static void remove_made(const char *path)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    struct rt_buf p = RT_BUF_INIT;

    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        rt_buf_reset(&p);
        rt_buf_addf(&p, "%s%s", path, tails[i]);
        unlink(p.buf);
    }
    rt_buf_release(&p);
}

int rt__pg_copy_out(const char *pg_target, const char *sqlite_path,
                    struct rt_store_copy_stats *stats, rt__copy_progress_fn progress, void *pctx,
                    struct rt_error *err)
{
    struct copy_out x = {NULL, NULL, NULL, 0, progress, pctx, 0, 0};
    struct rt_buf defs = RT_BUF_INIT;
    struct stat sb;
    const char *which = NULL;
    int64_t full = 0;
    PGresult *r;
    int rc, made = stat(sqlite_path, &sb) != 0, schema = -1, in_pg = 0, in_sq = 0;

    if ((rc = rt__pg_connect(pg_target, &x.pg, err)) < 0)
        goto out;
    r = PQexec(rt__pg_conn(x.pg), "SELECT value FROM meta WHERE key = 'pg_schema'");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        schema = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if (schema < 0) {
        rc = rt_error_set(err, RT_EFORMAT, NULL, 0, NULL,
                          "the source, PostgreSQL database \"%s\", is not a rightstrack database",
                          PQdb(rt__pg_conn(x.pg)));
        goto out;
    }
    if ((rc = rt__sqlite_open(&x.st, sqlite_path, RT_STORE_CREATE, err)) < 0)
        goto out;
    if (rt__sqlite_schema_version(x.st) != schema) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL,
                          "the source has schema version %d, the target %d: open the source"
                          " with this version of rightstrack first (any command brings it up"
                          " to date)",
                          schema, rt__sqlite_schema_version(x.st));
        goto out;
    }
    if ((rc = first_full(sq_has, x.st, &which, err)) < 0)
        goto out;
    if (rc > 0) {
        rc = rt_error_set(err, RT_EEXIST, sqlite_path, 0, NULL,
                          "the target is not empty (table %s has rows): copy writes only into an"
                          " empty database",
                          which);
        goto out;
    }
    /* One snapshot of the source for every table. */
    if ((rc = rt__pg_begin(x.pg, "REPEATABLE READ READ ONLY", err)) < 0)
        goto out;
    in_pg = 1;
    if ((rc = rt__pg_tables(x.st->db, x.pg, 0, &x.t, &x.n, err)) < 0)
        goto out;
    if (progress)
        for (size_t i = 0; i < x.n; i++)
            x.total += (uint64_t)pg_count(x.pg, x.t[i].name);
    if ((rc = rt__sqlite_begin_load(x.st, err)) < 0)
        goto out;
    in_sq = 1;
    rc = triggers_drop(x.st, &defs, err);
    for (size_t i = 0; i < x.n && rc == 0; i++) {
        uint64_t before = x.done;
        rc = copy_out_table(&x, &x.t[i], err);
        full += x.done > before; /* counted as the other direction counts them */
    }
    if (rc == 0)
        rc = triggers_make(x.st, &defs, err);
    if (rc == 0) {
        in_sq = 0;
        rc = rt__sqlite_commit(x.st, err); /* rolls back itself when it fails */
    }
    if (rc == 0 && progress)
        progress(pctx, x.done, x.total);
    if (rc == 0 && stats) {
        stats->tables = full;
        stats->rows = (int64_t)x.done;
    }
out:
    if (in_sq)
        rt__sqlite_rollback(x.st);
    if (in_pg)
        rt__pg_end(x.pg, 0, NULL);
    rt__pg_tables_free(x.t, x.n);
    rt_buf_release(&defs);
    if (x.st)
        rt__sqlite_close(x.st);
    rt__pg_close(x.pg);
    if (rc < 0 && made)
        remove_made(sqlite_path);
    return rc;
}

/*
 * An import into a PostgreSQL database that holds data (ops.c, pg_begin_load; its
 * commit: import.c, rt__pg_merge_write): the working copy st, new and still outside
 * any transaction, is given every row of
 * PostgreSQL's tables, read in the caller's transaction on pg (one snapshot), with
 * its triggers off as copy's are and nothing indexed (rt__sqlite_load_scratch). Then
 * a session (SQLite's session extension) starts recording every change made to st's
 * tables, which is what the commit writes into PostgreSQL.
 */
int rt__pg_seed(struct rt_pg *pg, struct rt_store *st, struct sqlite3_session **out,
                struct rt_error *err)
{
    struct copy_out x = {pg, st, NULL, 0, NULL, NULL, 0, 0};
    struct rt_buf defs = RT_BUF_INIT;
    sqlite3_session *sess = NULL;
    int rc;

    *out = NULL;
    if ((rc = rt__pg_tables(st->db, pg, 0, &x.t, &x.n, err)) < 0)
        return rc;
    if ((rc = rt__sqlite_begin_load(st, err)) < 0)
        goto out;
    rt__sqlite_load_scratch(st);
    if ((rc = triggers_drop(st, &defs, err)) == 0)
        rc = indexes_drop(st, &defs, err);
    for (size_t i = 0; i < x.n && rc == 0; i++)
        rc = copy_out_table(&x, &x.t[i], err);
    if (rc == 0)
        rc = triggers_make(st, &defs, err);
    if (rc < 0) {
        rt__sqlite_rollback(st);
        goto out;
    }
    if ((rc = rt__sqlite_commit(st, err)) < 0)
        goto out;
    if (sqlite3session_create(st->db, "main", &sess) != SQLITE_OK ||
        sqlite3session_attach(sess, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "the import's record of changes");
        if (sess)
            sqlite3session_delete(sess);
        goto out;
    }
    *out = sess;
out:
    rt__pg_tables_free(x.t, x.n);
    rt_buf_release(&defs);
    return rc;
}
