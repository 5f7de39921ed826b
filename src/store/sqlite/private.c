/*
 * Private records (private.h, schema 13): the one place that decides what a reader
 * who may not see them is shown.
 *
 * A store reading for the public shadows each table of a kind that can be private
 * with a temporary view of the same name, without the rows marked private (and
 * without the links that lead to them): SQLite looks a name up in the connection's
 * temporary schema first, so every read of the store, whatever it counts or joins,
 * reads the views, and no read needs a condition of its own. The views belong to
 * this connection only; they are dropped when the store reads for everybody again,
 * so writes (which name the tables) meet the tables. The audit log is not shadowed
 * (the store seals its entries through it): rt_audit_log asks RT__PRIVATE_HIDDEN.
 *
 * This is a separate condition from any other filter of reads (withdrawn records,
 * say): each shadowing view here only removes what is private.
 */
#include "base/compat.h"

#include <inttypes.h>

#include <rightstrack/private.h>

#include "store/sqlite/sqlite_int.h"

const char *const rt_private_kinds[] = {"step",   "participant", "assessment",
                                        "source", "person",      NULL};

/* The ids of kind k that are private, as SQL. */
#define PRIVATE_IDS(k) "(SELECT pr.id FROM main.private_record pr WHERE pr.kind = '" k "')"

/* What a reader who may not see private records reads instead of each table. */
static const char *const shadows[] = {
    ("CREATE TEMP VIEW IF NOT EXISTS step AS SELECT * FROM main.step"
     " WHERE id NOT IN " PRIVATE_IDS("step")),
    ("CREATE TEMP VIEW IF NOT EXISTS participant AS SELECT * FROM main.participant"
     " WHERE id NOT IN " PRIVATE_IDS("participant")),
    ("CREATE TEMP VIEW IF NOT EXISTS assessment AS SELECT * FROM main.assessment"
     " WHERE id NOT IN " PRIVATE_IDS("assessment")),
    ("CREATE TEMP VIEW IF NOT EXISTS source AS SELECT * FROM main.source"
     " WHERE id NOT IN " PRIVATE_IDS("source")),
    /* That a recommendation came from a private source (import --private) is private. */
    ("CREATE TEMP VIEW IF NOT EXISTS recommendation_source AS SELECT * FROM"
     " main.recommendation_source WHERE source_id NOT IN " PRIVATE_IDS("source")),
    /* A link to or from a private step would name it (a step's "responded_by"). */
    ("CREATE TEMP VIEW IF NOT EXISTS link AS SELECT * FROM main.link"
     " WHERE NOT (from_kind = 'step' AND from_id IN " PRIVATE_IDS(
         "step") ")"
                 " AND NOT (to_kind = 'step' AND to_id IN " PRIVATE_IDS("step") ")"),
    /* A person's names, case and the asks that name them are the person's (schema 16);
     * a case event keeps its date and kind without a private step's id. */
    ("CREATE TEMP VIEW IF NOT EXISTS person AS SELECT * FROM main.person"
     " WHERE id NOT IN " PRIVATE_IDS("person")),
    ("CREATE TEMP VIEW IF NOT EXISTS person_name AS SELECT * FROM main.person_name"
     " WHERE person_id NOT IN " PRIVATE_IDS("person")),
    ("CREATE TEMP VIEW IF NOT EXISTS case_event AS SELECT id, person_id, date, event, how,"
     " detail, source, CASE WHEN step_id IN " PRIVATE_IDS(
         "step") " THEN NULL ELSE step_id END AS step_id, created_at, withdrawn, withdrawn_on"
                 " FROM main.case_event"
                 " WHERE person_id NOT IN " PRIVATE_IDS("person")),
    ("CREATE TEMP VIEW IF NOT EXISTS ask_person AS SELECT * FROM main.ask_person"
     " WHERE person_id NOT IN " PRIVATE_IDS("person")),
    /* Which records are private is itself private (an export for the public has none). */
    ("CREATE TEMP VIEW IF NOT EXISTS private_record AS SELECT * FROM main.private_record"
     " WHERE 0"),
};
static const char *const shadowed[] = {
    "step",   "participant", "assessment", "source",     "recommendation_source", "link",
    "person", "person_name", "case_event", "ask_person", "private_record"};
_Static_assert(RT_ARRAY_SIZE(shadows) == RT_ARRAY_SIZE(shadowed), "one view per table shadowed");

static int exec_sql(struct rt_store *st, const char *sql, struct rt_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "private records: %s",
                 msg ? msg : sqlite3_errmsg(st->db));
    sqlite3_free(msg);
    return RT_ESTORE;
}

int rt__sqlite_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err)
{
    int rc = 0;

    if (reader == RT_READER_PUBLIC && !st->hide_private) {
        for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(shadows); i++)
            rc = exec_sql(st, shadows[i], err);
        /* Half made: the next switch to everybody drops what was made. */
        st->hide_private = rc == 0 ? 1 : 2;
    } else if (reader == RT_READER_ALL && st->hide_private) {
        struct rt_buf sql = RT_BUF_INIT;
        for (size_t i = 0; i < RT_ARRAY_SIZE(shadowed); i++)
            rt_buf_addf(&sql, "DROP VIEW IF EXISTS temp.%s;", shadowed[i]);
        if ((rc = exec_sql(st, sql.buf, err)) == 0)
            st->hide_private = 0;
        rt_buf_release(&sql);
    } else if (reader == RT_READER_PUBLIC && st->hide_private == 2) {
        for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(shadows); i++)
            rc = exec_sql(st, shadows[i], err);
        st->hide_private = rc == 0 ? 1 : 2;
    }
    return rc;
}

enum rt_reader rt_store_reader(const struct rt_store *st)
{
    return st->hide_private ? RT_READER_PUBLIC : RT_READER_ALL;
}

int rt_reader_parse(const char *s, enum rt_reader *out, struct rt_error *err)
{
    if (s && !strcmp(s, "all"))
        *out = RT_READER_ALL;
    else if (s && (!strcmp(s, "public") || !strcmp(s, "viewer")))
        *out = RT_READER_PUBLIC;
    else
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as", "'%s' is not public, viewer or all",
                            s ? s : "");
    return 0;
}

/* Splits ref, "KIND:ID" of a kind that can be private, into its kind and id. */
static int parse_ref(const char *ref, const char **kind, int64_t *id, struct rt_error *err)
{
    for (size_t i = 0; ref && rt_private_kinds[i]; i++) {
        size_t n = strlen(rt_private_kinds[i]);
        char *end;
        long long v;
        if (strncmp(ref, rt_private_kinds[i], n) || ref[n] != ':')
            continue;
        errno = 0;
        v = strtoll(ref + n + 1, &end, 10);
        if (errno || end == ref + n + 1 || *end || v <= 0)
            break;
        *kind = rt_private_kinds[i];
        *id = v;
        return 0;
    }
    return rt_error_set(
        err, RT_EINVAL, NULL, 0, "record",
        "'%s' is not step:ID, participant:ID, assessment:ID, source:ID or person:ID",
        ref ? ref : "");
}

/* Runs sql with ?1 kind and ?2 id; *out the first column of its row (0 without one). */
static int run(struct rt_store *st, const char *sql, const char *kind, int64_t id, int *out,
               struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, id);
    rc = sqlite3_step(s);
    if (out)
        *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "private records");
    sqlite3_reset(s);
    return rc;
}

/* RT_ENOTFOUND when there is no record kind:id (read as the reader may see it). */
static int exists(struct rt_store *st, const char *kind, int64_t id, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int found = 0, rc;

    /* kind is one of rt_private_kinds, each the name of its table. */
    rt_buf_addf(&sql, "SELECT count(*) FROM %s WHERE ?1 IS NOT NULL AND id = ?2", kind);
    rc = run(st, sql.buf, kind, id, &found, err);
    rt_buf_release(&sql);
    if (rc == 0 && !found)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "record", "no %s with id %" PRId64, kind, id);
    return rc;
}

int rt_private_get(struct rt_store *st, const char *ref, int *out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "private records", err) < 0)
        return RT_ESTORE;
    const char *kind;
    int64_t id;
    int rc;

    *out = 0;
    if ((rc = parse_ref(ref, &kind, &id, err)) < 0 || (rc = exists(st, kind, id, err)) < 0)
        return rc;
    return run(st, "SELECT count(*) FROM private_record WHERE kind = ?1 AND id = ?2", kind, id, out,
               err);
}

int rt_private_set(struct rt_store *st, const char *ref, int on, struct rt_error *err)
{
    const char *kind;
    int64_t id;
    int own, rc;

    if (rt__sqlite_only(st, "private records", err) < 0) /* the ledger's writes reach it */
        return RT_ESTORE;
    own = !st->in_tx;
    if ((rc = parse_ref(ref, &kind, &id, err)) < 0)
        return rc;
    if (st->hide_private)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "this store reads for the public and cannot mark records");
    if (own && (rc = rt_store_begin(st, err)) < 0)
        return rc;
    if ((rc = exists(st, kind, id, err)) == 0)
        rc = run(st,
                 on ? "INSERT OR IGNORE INTO private_record(kind, id) VALUES (?1, ?2)"
                    : "DELETE FROM private_record WHERE kind = ?1 AND id = ?2",
                 kind, id, NULL, err);
    if (!own)
        return rc;
    if (rc < 0) {
        rt_store_rollback(st);
        return rc;
    }
    return rt_store_commit(st, err);
}
