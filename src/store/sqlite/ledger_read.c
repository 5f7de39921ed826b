/*
 * Reads of the dialogue ledger in SQLite. Each document is built by one SQL statement
 * of src/store/ledger_sql.h, in SQLite's JSON functions here (json_sql.h) and in
 * PostgreSQL's in src/store/pg/ledger_read.c, so its shape is stated in one place for
 * both back ends; jansson parses it for the faces. ?9 is always the as-of date (NULL:
 * no limit).
 */
#include "base/compat.h"

#include <rightstrack/ledger.h>

#include "model/documents.h"
#include "model/rules.h"
#include "store/backend.h"
#include "store/sqlite/json_sql.h"
#include "store/ledger_sql.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

/* The statements below are long string literals by design; gcc and clang take them. */
#pragma GCC diagnostic ignored "-Woverlength-strings"

int rt__document_stmt(struct rt_store *st, const char *sql, int64_t id, const char *text,
                      const char *as_of, sqlite3_stmt **s, struct rt_error *err)
{
    *s = NULL;
    if (as_of && rt__need_date(as_of, "as-of", err) < 0)
        return RT_EINVAL;
    /* From the connection's cache: these statements are long, and preparing one cost
     * more than running it (a third of a briefing's instructions). */
    if (!(*s = rt__stmt_sql(st, sql, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(*s, 1, id);
    if (text)
        sqlite3_bind_text(*s, 2, text, -1, SQLITE_STATIC);
    if (as_of)
        sqlite3_bind_text(*s, 9, as_of, -1, SQLITE_STATIC);
    return 0;
}

int rt__document_run(struct rt_store *st, sqlite3_stmt *s, int64_t id, const char *what,
                     json_t **out, struct rt_error *err)
{
    json_error_t jerr;
    int rc = sqlite3_step(s);

    *out = NULL;
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        *out = json_loads((const char *)sqlite3_column_text(s, 0), JSON_DECODE_ANY, &jerr);
        rc = *out ? 0
                  : rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "bad JSON from SQL: %s",
                                 jerr.text);
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, what, "no %s with id %lld", what,
                          (long long)id);
    } else {
        rc = rt__db_error(st, err, what);
    }
    sqlite3_reset(s);
    return rc;
}

int rt__document(struct rt_store *st, const char *sql, int64_t id, const char *as_of,
                 const char *what, json_t **out, struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc;

    *out = NULL;
    if ((rc = rt__document_stmt(st, sql, id, NULL, as_of, &s, err)) < 0)
        return rc;
    return rt__document_run(st, s, id, what, out, err);
}

static char *column_dup(sqlite3_stmt *s, int c)
{
    const char *t = (const char *)sqlite3_column_text(s, c);
    return t ? rt_xstrdup(t) : NULL;
}

/* The rows of the list of dialogues (model/documents.h), in id order. */
static int dialogue_rows(struct rt_store *st, struct rt__dialogue_row **out, size_t *out_n,
                         struct rt_error *err)
{
    sqlite3_stmt *s = NULL, *p = NULL;
    struct rt__dialogue_row *rows = NULL;
    size_t n = 0, alloc = 0;
    int rc;

    if ((rc = rt__prepare(st, &s, err, LEDGER_DIALOGUE_ROWS_SQL, "")) < 0 ||
        (rc = rt__prepare(st, &p, err, LEDGER_DIALOGUE_PARTIES_SQL, "")) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt__dialogue_row *d;
        size_t pa = 0;

        RT_ALLOC_GROW(rows, n + 1, alloc);
        d = &rows[n++];
        memset(d, 0, sizeof(*d));
        d->id = sqlite3_column_int64(s, 0);
        d->name = column_dup(s, 1);
        d->kind = column_dup(s, 2);
        d->rounds = sqlite3_column_int64(s, 3);
        d->last_round = column_dup(s, 4);
        sqlite3_reset(p);
        sqlite3_bind_int64(p, 1, d->id);
        while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
            RT_ALLOC_GROW(d->parties, d->n_parties + 1, pa);
            d->parties[d->n_parties++] = column_dup(p, 0);
        }
        if (rc != SQLITE_DONE)
            break;
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "dialogue");
out:
    sqlite3_finalize(s);
    sqlite3_finalize(p);
    if (rc < 0) {
        rt__dialogue_rows_free(rows, n);
        return rc;
    }
    *out = rows;
    *out_n = n;
    return 0;
}

int rt__sqlite_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err)
{
    struct rt__dialogue_row *rows = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = dialogue_rows(st, &rows, &n, err)) < 0)
        return rc;
    *out = rt__dialogue_list_json(rows, n);
    rt__dialogue_rows_free(rows, n);
    return 0;
}

int rt__sqlite_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    return rt__document(st, LEDGER_DIALOGUE_GET_SQL, id, NULL, "dialogue", out, err);
}

int rt__sqlite_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    return rt__document(st, LEDGER_ROUND_GET_SQL, id, NULL, "round", out, err);
}

int rt__sqlite_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                         struct rt_error *err)
{
    char code[16] = "";
    sqlite3_stmt *s = NULL;
    json_error_t jerr;
    int rc;

    *out = NULL;
    if (actor && (rc = rt_party_resolve(st, actor, code, err)) < 0)
        return rc;
    /* From the connection's cache: preparing it cost a briefing 1 M instructions. */
    if (!(s = rt__stmt_sql(st, LEDGER_STEP_LIST_SQL, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, dialogue_id);
    if (actor)
        sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        *out = json_loads((const char *)sqlite3_column_text(s, 0), 0, &jerr);
        rc = *out ? 0 : rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "%s", jerr.text);
    } else {
        rc = rt__db_error(st, err, "steps");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__sqlite_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
                      struct rt_error *err)
{
    const char *kind;
    int64_t id;
    int rc;

    *out = NULL;
    if ((rc = rt__status_target(target, &kind, &id, err)) < 0)
        return rc;
    return rt__document(st, LEDGER_STATUS_SQL_OF(kind), id, as_of, kind, out, err);
}

int rt__sqlite_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
                     struct rt_error *err)
{
    return rt__document(st, LEDGER_SINCE_SQL, round_id, as_of, "round", out, err);
}

int rt__sqlite_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                        struct rt_error *err)
{
    return rt__document(st, LEDGER_TIMELINE_SQL, dialogue_id, as_of, "dialogue", out, err);
}

int rt__sqlite_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                           json_t **out, struct rt_error *err)
{
    return rt__document(st, LEDGER_RECIPROCITY_SQL, dialogue_id, as_of, "dialogue", out, err);
}
