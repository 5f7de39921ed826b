/*
 * The dialogue ledger's reads on PostgreSQL: the documents of src/store/ledger_sql.h
 * in PostgreSQL's JSON functions (json_sql.h), the same statements SQLite runs
 * (src/store/sqlite/ledger_read.c), so both stores give the same documents.
 */
#include "base/compat.h"

#include <inttypes.h>
#include <pthread.h>

#include <jansson.h>

#include <rightstrack/ledger.h>

#include "model/documents.h"
#include "model/rules.h"
#include "store/backend.h"
#include "store/pg/json_sql.h"
#include "store/ledger_sql.h"
#include "store/pg/pg_int.h"

/* The statements are long string literals by design; gcc and clang take them. */
#pragma GCC diagnostic ignored "-Woverlength-strings"

/*
 * A statement of ledger_sql.h made PostgreSQL's: ?1, ?2 and ?9 become $1, $2, ... in
 * the order of their first use, typed (?1 bigint, ?2 and ?9 text) so that the server
 * need not guess, and param[] says which each is. Made once per process and kept (the
 * connection's cache of prepared statements holds the text and the name).
 */
struct pg_doc_sql {
    const char *src; /* the statement as ledger_sql.h writes it */
    char *sql;
    char name[24];
    int n, param[3];
};

static struct pg_doc_sql doc_sql[32];
static size_t n_doc_sql;
static pthread_mutex_t doc_sql_lock = PTHREAD_MUTEX_INITIALIZER;

static void convert(struct pg_doc_sql *q)
{
    struct rt_buf b = RT_BUF_INIT;
    int quoted = 0;

    for (const char *p = q->src; *p; p++) {
        int k, i;

        if (*p == '\'')
            quoted = !quoted;
        if (quoted || *p != '?' || (p[1] != '1' && p[1] != '2' && p[1] != '9')) {
            rt_buf_addch(&b, *p);
            continue;
        }
        k = p[1] - '0';
        for (i = 0; i < q->n && q->param[i] != k; i++)
            ;
        if (i == q->n)
            q->param[q->n++] = k;
        rt_buf_addf(&b, "$%d::%s", i + 1, k == 1 ? "bigint" : "text");
        p++;
    }
    q->sql = rt_buf_detach(&b, NULL);
}

static const struct pg_doc_sql *doc_sql_of(const char *src)
{
    const struct pg_doc_sql *q = NULL;

    pthread_mutex_lock(&doc_sql_lock);
    for (size_t i = 0; i < n_doc_sql && !q; i++)
        if (doc_sql[i].src == src)
            q = &doc_sql[i];
    if (!q) {
        struct pg_doc_sql *nq = &doc_sql[n_doc_sql];
        if (n_doc_sql == RT_ARRAY_SIZE(doc_sql))
            RT_BUG("more ledger statements than doc_sql holds");
        nq->src = src;
        snprintf(nq->name, sizeof(nq->name), "ledger_read_%zu", n_doc_sql);
        convert(nq);
        n_doc_sql++;
        q = nq;
    }
    pthread_mutex_unlock(&doc_sql_lock);
    return q;
}

/* Runs statement src with ?1 = id, ?2 = text, ?9 = as_of; the result, or NULL with err. */
static PGresult *run(struct rt_store *st, const char *src, int64_t id, const char *text,
                     const char *as_of, struct rt_error *err)
{
    const struct pg_doc_sql *q = doc_sql_of(src);
    const char *values[3];
    char num[24];

    snprintf(num, sizeof(num), "%" PRId64, id);
    for (int i = 0; i < q->n; i++)
        values[i] = q->param[i] == 1 ? num : q->param[i] == 2 ? text : as_of;
    return rt__pg_exec(rt__pg_store_conn(st), q->name, q->sql, q->n, values, err);
}

/* rt__document of the SQLite back end: the one JSON value src returns, parsed. */
static int document(struct rt_store *st, const char *src, int64_t id, const char *text,
                    const char *as_of, const char *what, json_t **out, struct rt_error *err)
{
    json_error_t jerr;
    PGresult *r;
    int rc = 0;

    *out = NULL;
    if (as_of && rt__need_date(as_of, "as-of", err) < 0)
        return RT_EINVAL;
    if (!(r = run(st, src, id, text, as_of, err)))
        return RT_ESTORE;
    if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0))
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, what, "no %s with id %lld", what,
                          (long long)id);
    else if (!(*out = json_loads(PQgetvalue(r, 0, 0), JSON_DECODE_ANY, &jerr)))
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "bad JSON from SQL: %s", jerr.text);
    PQclear(r);
    return rc;
}

static char *value_dup(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : rt_xstrdup(PQgetvalue(r, row, col));
}

int rt__pg_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err)
{
    struct rt__dialogue_row *rows = NULL;
    size_t n = 0;
    PGresult *r;
    int rc = 0;

    *out = NULL;
    if (!(r = run(st, LEDGER_DIALOGUE_ROWS_SQL, 0, NULL, NULL, err)))
        return RT_ESTORE;
    n = (size_t)PQntuples(r);
    rows = rt_xcalloc(n ? n : 1, sizeof(*rows));
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct rt__dialogue_row *d = &rows[i];
        PGresult *p;

        d->id = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
        d->name = value_dup(r, (int)i, 1);
        d->kind = value_dup(r, (int)i, 2);
        d->rounds = strtoll(PQgetvalue(r, (int)i, 3), NULL, 10);
        d->last_round = value_dup(r, (int)i, 4);
        if (!(p = run(st, LEDGER_DIALOGUE_PARTIES_SQL, d->id, NULL, NULL, err))) {
            rc = RT_ESTORE;
            break;
        }
        d->n_parties = (size_t)PQntuples(p);
        d->parties = rt_xcalloc(d->n_parties ? d->n_parties : 1, sizeof(*d->parties));
        for (size_t k = 0; k < d->n_parties; k++)
            d->parties[k] = value_dup(p, (int)k, 0);
        PQclear(p);
    }
    PQclear(r);
    if (rc == 0)
        *out = rt__dialogue_list_json(rows, n);
    rt__dialogue_rows_free(rows, n);
    return rc;
}

int rt__pg_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    return document(st, LEDGER_DIALOGUE_GET_SQL, id, NULL, NULL, "dialogue", out, err);
}

int rt__pg_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    return document(st, LEDGER_ROUND_GET_SQL, id, NULL, NULL, "round", out, err);
}

int rt__pg_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                     struct rt_error *err)
{
    char code[16] = "";
    int rc;

    *out = NULL;
    if (actor && (rc = rt_party_resolve(st, actor, code, err)) < 0)
        return rc;
    return document(st, LEDGER_STEP_LIST_SQL, dialogue_id, actor ? code : NULL, NULL, "steps", out,
                    err);
}

int rt__pg_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                  struct rt_error *err)
{
    const char *kind;
    int64_t id;
    int rc;

    *out = NULL;
    if ((rc = rt__status_target(target, &kind, &id, err)) < 0)
        return rc;
    return document(st, LEDGER_STATUS_SQL_OF(kind), id, NULL, as_of, kind, out, err);
}

int rt__pg_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                 struct rt_error *err)
{
    return document(st, LEDGER_SINCE_SQL, round_id, NULL, as_of, "round", out, err);
}

int rt__pg_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                    struct rt_error *err)
{
    return document(st, LEDGER_TIMELINE_SQL, dialogue_id, NULL, as_of, "dialogue", out, err);
}

int rt__pg_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                       struct rt_error *err)
{
    return document(st, LEDGER_RECIPROCITY_SQL, dialogue_id, NULL, as_of, "dialogue", out, err);
}

int rt__pg_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                      struct rt_error *err)
{
    return document(st, LEDGER_REC_SQL, rec_id, NULL, as_of, "recommendation", out, err);
}
