/*
 * The statements written once for every back end (src/store/sql.h), on PostgreSQL:
 * ?N made $N, the arguments sent as text parameters (PostgreSQL infers each one's type
 * from where it stands), the new row's id by RETURNING id, a broken constraint
 * RT_EINVAL as in SQLite, each statement prepared once per connection (rt__pg_exec).
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_int.h"
#include "store/sql.h"

/* At most this many arguments a statement (the ledger's take eight). */
#define PG_SQL_ARGS 16

void rt__pg_sql_release(struct rt__pg_sql *c)
{
    for (size_t i = 0; i < c->n; i++) {
        rt_free(c->sql[i]);
        rt_free(c->name[i]);
    }
    rt_free(c->sql);
    rt_free(c->name);
    *c = (struct rt__pg_sql)RT__PG_SQL_INIT;
}

/* sql with each ?N as $N (outside quotes), and " RETURNING id" when returning. */
static void rewrite(const char *sql, int returning, struct rt_buf *out)
{
    char quote = 0;

    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
            rt_buf_addch(out, '$');
            continue;
        }
        rt_buf_addch(out, *p);
    }
    if (returning)
        rt_buf_adds(out, " RETURNING id");
}

/* The statement's index in c, added when new. */
static size_t stmt_of(struct rt__pg_sql *c, const char *sql, int returning)
{
    struct rt_buf text = RT_BUF_INIT;
    char name[32];
    size_t i;

    rewrite(sql, returning, &text);
    for (i = 0; i < c->n; i++)
        if (!strcmp(c->sql[i], text.buf))
            break;
    if (i == c->n) {
        c->sql = rt_xrealloc(c->sql, (i + 1) * sizeof(*c->sql));
        c->name = rt_xrealloc(c->name, (i + 1) * sizeof(*c->name));
        snprintf(name, sizeof(name), "rt_sql_%zu", i);
        c->sql[i] = rt_buf_detach(&text, NULL);
        c->name[i] = rt_xstrdup(name);
        c->n++;
    }
    rt_buf_release(&text);
    return i;
}

/* Runs sql with its arguments; the result, or NULL with err set (a broken constraint
 * RT_EINVAL, naming no field, as SQLite's). */
static PGresult *run(struct rt_pg *pg, struct rt__pg_sql *c, const char *sql, int returning,
                     const char *types, va_list ap, struct rt_error *err)
{
    char nums[PG_SQL_ARGS][132]; /* an integer, or bytea's "\\x" and 128 hex digits */
    const char *values[PG_SQL_ARGS];
    int n = (int)strlen(types);
    size_t i;
    PGresult *r;

    if (n > PG_SQL_ARGS)
        RT_BUG("a statement with %d arguments", n);
    for (int k = 0; k < n; k++) {
        if (types[k] == 't') {
            values[k] = va_arg(ap, const char *);
        } else if (types[k] == 'x') {
            snprintf(nums[k], sizeof(nums[k]), "\\x%.128s", va_arg(ap, const char *));
            values[k] = nums[k];
        } else if (types[k] == 'd') { /* read back as the same double */
            snprintf(nums[k], sizeof(nums[k]), "%.17g", va_arg(ap, double));
            values[k] = nums[k];
        } else {
            int64_t v = va_arg(ap, int64_t);
            snprintf(nums[k], sizeof(nums[k]), "%lld", (long long)v);
            values[k] = types[k] == 'I' && !v ? NULL : nums[k];
        }
    }
    i = stmt_of(c, sql, returning);
    if (!(r = rt__pg_exec(pg, c->name[i], c->sql[i], n, values, err))) {
        if (!strncmp(rt__pg_sqlstate(pg), "23", 2) && err) {
            err->code = RT_EINVAL;
            rt_free(err->field);
            err->field = NULL;
        }
    }
    return r;
}

/* The statement, its id into *out_id. */
static int exec_one(struct rt_pg *pg, struct rt__pg_sql *c, struct rt_error *err, int64_t *out_id,
                    const char *sql, const char *types, va_list ap)
{
    PGresult *r = run(pg, c, sql, out_id != NULL, types, ap, err);

    if (!r)
        return err && err->code ? err->code : RT_ESTORE;
    if (out_id)
        *out_id = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    c->changes = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

int rt__pg_sql_exec(struct rt_pg *pg, struct rt__pg_sql *c, int in_tx, struct rt_error *err,
                    int64_t *out_id, const char *sql, const char *types, va_list ap)
{
    int rc = 0;

    if (in_tx || c->group)
        return exec_one(pg, c, err, out_id, sql, types, ap);
    /* A transaction of its own: run again when PostgreSQL aborts it for a conflict
     * with another writer. */
    for (int attempt = 1; attempt <= RT_PG_TRIES; attempt++) {
        va_list aq;

        if ((rc = rt__pg_begin(pg, "SERIALIZABLE", err)) < 0)
            return rc;
        va_copy(aq, ap);
        rc = exec_one(pg, c, err, out_id, sql, types, aq);
        va_end(aq);
        if (rc == 0 && (rc = rt__pg_end(pg, 1, err)) == 0)
            return 0;
        rt__pg_end(pg, 0, NULL);
        if (!rt__pg_conflict(pg))
            return rc;
        if (attempt < RT_PG_TRIES)
            rt__pg_back_off(attempt);
    }
    if (err) {
        char *msg = rt_xstrdup(err->msg.buf ? err->msg.buf : "");
        rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "gave up after %d tries: %s", RT_PG_TRIES, msg);
        rt_free(msg);
    }
    return RT_ESTORE;
}

int rt__pg_sql_scalar(struct rt_pg *pg, struct rt__pg_sql *c, struct rt_error *err,
                      int64_t *out_int, json_t **out_json, const char *sql, const char *types,
                      va_list ap)
{
    PGresult *r = run(pg, c, sql, 0, types, ap, err);
    int rc = 0;

    if (!r)
        return err && err->code ? err->code : RT_ESTORE;
    if (!PQntuples(r) || PQgetisnull(r, 0, 0)) {
        rc = RT_ENOTFOUND;
    } else {
        const char *v = PQgetvalue(r, 0, 0);
        if (out_int)
            *out_int = PQftype(r, 0) == 16 /* bool */ ? !strcmp(v, "t") : strtoll(v, NULL, 10);
        if (out_json) {
            json_error_t jerr;
            if (!(*out_json = json_loads(v, 0, &jerr)))
                rc =
                    rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "bad JSON from SQL: %s", jerr.text);
        }
    }
    PQclear(r);
    return rc;
}

int rt__pg_sql_rows(struct rt_pg *pg, struct rt__pg_sql *c, struct rt_error *err, rt__sql_row_fn fn,
                    void *ctx, const char *sql, const char *types, va_list ap)
{
    const char *col[RT__SQL_COLS];
    PGresult *r = run(pg, c, sql, 0, types, ap, err);
    int n, rows, rc = 0;

    if (!r)
        return err && err->code ? err->code : RT_ESTORE;
    if ((n = PQnfields(r)) > RT__SQL_COLS)
        RT_BUG("a statement of %d columns", n);
    rows = PQntuples(r);
    for (int i = 0; i < rows && rc == 0; i++) {
        struct rt__sql_row row = {n, col};
        for (int k = 0; k < n; k++) {
            const char *v = PQgetvalue(r, i, k);
            if (PQgetisnull(r, i, k))
                col[k] = NULL;
            else if (PQftype(r, k) == 16) /* bool: 1 or 0, as SQLite gives it */
                col[k] = !strcmp(v, "t") ? "1" : "0";
            else
                col[k] = v;
        }
        rc = fn(ctx, &row, err);
    }
    PQclear(r);
    return rc < 0 ? rc : 0;
}

int rt__pg_sql_group(struct rt_pg *pg, struct rt__pg_sql *c, int in_tx, int op,
                     struct rt_error *err)
{
    int rc;

    if (op == RT__SQL_GROUP_BEGIN) {
        if (in_tx)
            return rt__pg_run(pg, "SAVEPOINT ledger_write", err);
        if ((rc = rt__pg_begin(pg, "SERIALIZABLE", err)) == 0)
            c->group = 1;
        return rc;
    }
    if (c->group) {
        c->group = 0;
        return rt__pg_end(pg, op == RT__SQL_GROUP_COMMIT, err);
    }
    if (op == RT__SQL_GROUP_ROLLBACK) { /* by hand too: the failure's SQLSTATE stays */
        PQclear(PQexec(rt__pg_conn(pg),
                       "ROLLBACK TO SAVEPOINT ledger_write; RELEASE SAVEPOINT ledger_write"));
        return 0;
    }
    return rt__pg_run(pg, "RELEASE SAVEPOINT ledger_write", err);
}
