/*
 * Corrections and withdrawals of ledger records (schema 12): a record read as the
 * fields of its entity (entity.h), its columns set, and its withdrawal. The checks of
 * the values are the model's (rt_ledger_edit, src/model/entity.c); this file only
 * speaks SQL, and only to the columns it lists.
 */
#include "base/compat.h"

#include <inttypes.h>

#include <rightstrack/ledger.h>

#include "store/sqlite/json_sql.h"
#include "store/sqlite/sqlite_int.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

/* A field of an entity and the column it is kept in. */
struct column {
    const char *field, *column;
};

/* The records that can be corrected: their table (table_of), the column of the record
 * they belong to and its kind, their columns by field, and the lists of links they hold. */
static const struct editable {
    const char *kind, *parent_column, *parent_kind;
    struct column cols[8];
    const char *lists; /* SQL: the json_object members of its links, or "" */
} editable[] = {
    {"dialogue",
     NULL,
     NULL,
     {{"name", "name"}, {"kind", "kind"}},
     ", 'parties', json((SELECT json_group_array(party) FROM (SELECT party FROM"
     " dialogue_party WHERE dialogue_id = t.id ORDER BY position)))"},
    {"round",
     "dialogue_id",
     "dialogue",
     {{"date", "date"},
      {"ordinal", "ordinal"},
      {"place", "place"},
      {"summary", "summary"},
      {"source", "source"}},
     ""},
    {"participant",
     "round_id",
     "round",
     {{"name", "name"}, {"title", "title"}, {"organisation", "organisation"}, {"party", "party"}},
     ""},
    {"topic",
     "round_id",
     "round",
     {{"text", "text"}, {"theme", "theme"}},
     ", 'recommendations', " IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'topic'"
                                 " AND l.from_id = t.id AND l.relation = 'about' AND"
                                 " l.withdrawn IS NULL ORDER BY 1")},
    {"ask",
     "round_id",
     "round",
     {{"from", "from_party"}, {"to", "to_party"}, {"text", "text"}, {"theme", "theme"}},
     ", 'recommendations', " IDS("SELECT l.to_id x FROM link l WHERE l.from_kind = 'ask'"
                                 " AND l.from_id = t.id AND l.relation = 'about' AND"
                                 " l.withdrawn IS NULL ORDER BY 1")},
    {"step",
     NULL,
     NULL,
     {{"actor", "actor"},
      {"date", "date"},
      {"kind", "kind"},
      {"direction", "direction"},
      {"quantity", "quantity"},
      {"text", "text"},
      {"source", "source"}},
     ", 'answers', " IDS(
         "SELECT CASE l.to_kind WHEN 'recommendation' THEN 'rec' ELSE"
         " l.to_kind END || ':' || l.to_id x FROM link l WHERE l.from_kind ="
         " 'step' AND l.from_id = t.id AND l.relation = 'answers' AND"
         " l.withdrawn IS NULL ORDER BY 1") ", 'welcomed_in', " IDS("SELECT wr.dialogue_id || '#' "
                                                                    "|| wr.ordinal x FROM link l "
                                                                    "JOIN"
                                                                    " round wr ON wr.id = l.to_id "
                                                                    "WHERE l.from_kind = 'step' AND"
                                                                    " l.from_id = t.id AND "
                                                                    "l.relation = 'welcomed-in' AND"
                                                                    " l.withdrawn IS NULL ORDER BY "
                                                                    "l.to_id") ", "
                                                                               "'responds_to',"
                                                                               " " IDS("SELECT "
                                                                                       "l.to_id x "
                                                                                       "FROM link "
                                                                                       "l WHERE "
                                                                                       "l.from_"
                                                                                       "kind = "
                                                                                       "'step' AND"
                                                                                       " l.from_id "
                                                                                       "= t.id AND "
                                                                                       "l.relation "
                                                                                       "= "
                                                                                       "'responds-"
                                                                                       "to' AND"
                                                                                       " l."
                                                                                       "withdrawn "
                                                                                       "IS NULL "
                                                                                       "ORDER BY "
                                                                                       "1")},
    {"commitment",
     "round_id",
     "round",
     {{"party", "party"}, {"condition", "condition"}, {"promise", "promise"}},
     ""},
    {"benchmark",
     "dialogue_id",
     "dialogue",
     {{"text", "text"}},
     ", 'tracks', " IDS("SELECT CASE l.to_kind WHEN 'recommendation' THEN 'rec' ELSE"
                        " l.to_kind END || ':' || l.to_id x FROM link l WHERE l.from_kind ="
                        " 'benchmark' AND l.from_id = t.id AND l.relation = 'tracks' AND"
                        " l.withdrawn IS NULL ORDER BY 1")},
    /* Persons and their case events (schema 14; a person is not withdrawn but merged,
     * and its names are added, not corrected: rt_ledger_edit says so). */
    {"person",
     NULL,
     NULL,
     {{"name", "name"},
      {"sex", "sex"},
      {"birth_year", "birth_year"},
      {"groups", "groups"},
      {"note", "note"},
      {"state", "state"}},
     ""},
    {"case",
     "person_id",
     "person",
     {{"event", "event"},
      {"date", "date"},
      {"how", "how"},
      {"detail", "detail"},
      {"source", "source"},
      {"step", "step_id"}},
     ""},
};

/* The table of the records of e: named as the kind, but for a case's events. */
static const char *table_of(const struct editable *e)
{
    return !strcmp(e->kind, "case") ? "case_event" : e->kind;
}

static const struct editable *find_kind(const char *kind, struct rt_error *err)
{
    for (size_t i = 0; kind && i < RT_ARRAY_SIZE(editable); i++)
        if (!strcmp(editable[i].kind, kind))
            return &editable[i];
    rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                 "a %s is not corrected or withdrawn here (dialogues, rounds, participants,"
                 " topics, asks, steps, links, commitments, benchmarks, persons and case"
                 " events are)",
                 kind ? kind : "(null)");
    return NULL;
}

int rt_record_get(struct rt_store *st, const char *kind, int64_t id, json_t **out,
                  struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    const struct editable *e = find_kind(kind, err);
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    *out = NULL;
    if (!e)
        return RT_EINVAL;
    rt_buf_addf(&sql, "SELECT json_object('kind', '%s', 'id', t.id, 'ref', '%s:' || t.id,", kind,
                kind);
    if (e->parent_column)
        rt_buf_addf(&sql, " 'parent', '%s:' || t.%s,", e->parent_kind, e->parent_column);
    else
        rt_buf_adds(&sql, " 'parent', NULL,");
    if (!strcmp(kind, "round"))
        rt_buf_adds(&sql, " 'name', t.dialogue_id || '#' || t.ordinal,");
    if (!strcmp(kind, "person")) /* merged, never withdrawn */
        rt_buf_adds(&sql, " 'withdrawn', NULL, 'withdrawn_on', NULL, 'merged_into',"
                          " t.merged_into, 'fields', json_object(");
    else
        rt_buf_adds(&sql, " 'withdrawn', t.withdrawn, 'withdrawn_on', t.withdrawn_on,"
                          " 'fields', json_object(");
    for (size_t i = 0; i < RT_ARRAY_SIZE(e->cols) && e->cols[i].field; i++)
        rt_buf_addf(&sql, "%s'%s', t.%s", i ? ", " : "", e->cols[i].field, e->cols[i].column);
    rt_buf_addf(&sql, "%s)) FROM %s t WHERE t.id = ?1", e->lists, table_of(e));
    rc = rt__document(st, sql.buf, id, NULL, kind, out, err);
    rt_buf_release(&sql);
    return rc;
}

/* Binds v (a string, an integer or null) as parameter i of s. */
static void bind_json(sqlite3_stmt *s, int i, const json_t *v)
{
    if (json_is_integer(v))
        sqlite3_bind_int64(s, i, (sqlite3_int64)json_integer_value(v));
    else if (json_is_string(v) && *json_string_value(v))
        sqlite3_bind_text(s, i, json_string_value(v), -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Runs sql with ?1 the id and ?2.. the values of vals; RT_EINVAL for a constraint. */
static int run_update(struct rt_store *st, const char *sql, int64_t id, const json_t *const *vals,
                      size_t n, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_int64(s, 1, id);
    for (size_t i = 0; i < n; i++)
        bind_json(s, (int)i + 2, vals[i]);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        rc = sqlite3_changes(st->db) ? 0
                                     : rt_error_set(err, RT_ENOTFOUND, NULL, 0, "record",
                                                    "no record with id %" PRId64, id);
    else if (rc == SQLITE_CONSTRAINT)
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "%s", sqlite3_errmsg(st->db));
    else
        rc = rt__db_error(st, err, "write");
    sqlite3_finalize(s);
    return rc;
}

/* A dialogue's parties, all of them replaced by list (codes, checked by the caller). */
static int set_parties(struct rt_store *st, int64_t id, const json_t *list, struct rt_error *err)
{
    const json_t *none[1] = {NULL};
    int rc;

    if ((rc = run_update(st, "DELETE FROM dialogue_party WHERE dialogue_id = ?1", id, none, 0,
                         err)) < 0 &&
        rc != RT_ENOTFOUND)
        return rc;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *v[2] = {json_array_get(list, i), NULL};
        json_t *pos = json_integer((json_int_t)i);
        v[1] = pos;
        rc = run_update(st,
                        "INSERT INTO dialogue_party(dialogue_id, party, position)"
                        " VALUES (?1, ?2, ?3)",
                        id, v, 2, err);
        json_decref(pos);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int rt_record_update(struct rt_store *st, const char *kind, int64_t id, const json_t *fields,
                     struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    const struct editable *e = find_kind(kind, err);
    const json_t *vals[8];
    struct rt_buf sql = RT_BUF_INIT;
    const char *k;
    json_t *v;
    size_t n = 0;
    int rc = 0;

    if (!e)
        return RT_EINVAL;
    rt_buf_addf(&sql, "UPDATE %s SET ", table_of(e));
    json_object_foreach((json_t *)(uintptr_t)fields, k, v)
    {
        size_t i;
        if (!strcmp(kind, "dialogue") && !strcmp(k, "parties"))
            continue;
        for (i = 0; i < RT_ARRAY_SIZE(e->cols) && e->cols[i].field; i++)
            if (!strcmp(e->cols[i].field, k))
                break;
        if (i == RT_ARRAY_SIZE(e->cols) || !e->cols[i].field) {
            rt_buf_release(&sql);
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "a %s has no field '%s' to correct",
                                kind, k);
        }
        rt_buf_addf(&sql, "%s%s = ?%zu", n ? ", " : "", e->cols[i].column, n + 2);
        vals[n++] = v;
    }
    rt_buf_adds(&sql, " WHERE id = ?1");
    if (n)
        rc = run_update(st, sql.buf, id, vals, n, err);
    else
        rc = rt_record_exists(st, kind, id, err);
    rt_buf_release(&sql);
    if (rc == 0 && !strcmp(kind, "dialogue") && json_object_get(fields, "parties"))
        rc = set_parties(st, id, json_object_get(fields, "parties"), err);
    return rc;
}

int rt_record_exists(struct rt_store *st, const char *kind, int64_t id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    json_t *doc = NULL;
    int rc = rt_record_get(st, kind, id, &doc, err);

    json_decref(doc);
    return rc;
}

int rt_record_withdraw(struct rt_store *st, const char *kind, int64_t id, const char *reason,
                       const char *date, struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    const struct editable *e = find_kind(kind, err);
    json_t *r = json_string(reason ? reason : ""), *d = date ? json_string(date) : json_null();
    const json_t *vals[2] = {r, d};
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    if (!e) {
        rc = RT_EINVAL;
    } else if (!strcmp(kind, "person")) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                          "a person is not withdrawn: merge a duplicate into the person it is "
                          "(person merge), or withdraw the events that were wrong");
    } else {
        rt_buf_addf(&sql, "UPDATE %s SET withdrawn = ?2, withdrawn_on = ?3 WHERE id = ?1",
                    table_of(e));
        rc = run_update(st, sql.buf, id, vals, 2, err);
    }
    rt_buf_release(&sql);
    json_decref(r);
    json_decref(d);
    return rc;
}

/* The kind of a link's end as the table keeps it ("rec" is "recommendation"). */
static const char *stored_kind(const char *k, size_t n)
{
    static const char *const kinds[] = {"step",  "topic", "ask",           "benchmark",
                                        "round", "rec",   "recommendation"};
    for (size_t i = 0; i < RT_ARRAY_SIZE(kinds); i++)
        if (strlen(kinds[i]) == n && !strncmp(kinds[i], k, n))
            return !strcmp(kinds[i], "rec") ? "recommendation" : kinds[i];
    return NULL;
}

/* "KIND:ID" into a stored kind and an id; -1 when it is not one. */
static int split_ref(const char *s, size_t n, const char **kind, int64_t *id)
{
    const char *colon = memchr(s, ':', n);
    char num[24];
    char *end;

    if (!colon || (size_t)(s + n - colon - 1) >= sizeof(num) || colon + 1 == s + n)
        return -1;
    memcpy(num, colon + 1, (size_t)(s + n - colon - 1));
    num[s + n - colon - 1] = '\0';
    errno = 0;
    *id = strtoll(num, &end, 10);
    *kind = stored_kind(s, (size_t)(colon - s));
    return *kind && !errno && !*end && *id > 0 ? 0 : -1;
}

int rt_link_withdraw(struct rt_store *st, const char *link, const char *reason, const char *date,
                     struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    const char *sp1 = link ? strchr(link, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    const char *fk = NULL, *tk = NULL;
    int64_t fid = 0, tid = 0;
    sqlite3_stmt *s = NULL;
    char relation[32];
    int rc;

    if (!sp2 || strchr(sp2 + 1, ' ') || split_ref(link, (size_t)(sp1 - link), &fk, &fid) < 0 ||
        split_ref(sp2 + 1, strlen(sp2 + 1), &tk, &tid) < 0 ||
        (size_t)(sp2 - sp1 - 1) >= sizeof(relation))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "'%s' is not a link such as 'step:3 answers ask:2'", link ? link : "");
    memcpy(relation, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    relation[sp2 - sp1 - 1] = '\0';
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE link SET withdrawn = ?6, withdrawn_on = ?7 WHERE from_kind = ?1"
                           " AND from_id = ?2 AND relation = ?3 AND to_kind = ?4 AND to_id = ?5",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, fk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, fid);
    sqlite3_bind_text(s, 3, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, tk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, tid);
    sqlite3_bind_text(s, 6, reason ? reason : "", -1, SQLITE_STATIC);
    if (date)
        sqlite3_bind_text(s, 7, date, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        rc = sqlite3_changes(st->db) ? 0
                                     : rt_error_set(err, RT_ENOTFOUND, NULL, 0, "record",
                                                    "there is no link '%s'", link);
    else
        rc = rt__db_error(st, err, "withdraw");
    sqlite3_finalize(s);
    return rc;
}

static int add_to_buf(const char *buffer, size_t size, void *data)
{
    rt_buf_add(data, buffer, size);
    return 0;
}

int rt_links_keep(struct rt_store *st, const char *from, const char *relation, const json_t *keep,
                  const char *reason, struct rt_error *err)
{
    if (rt__sqlite_only(st, "edits and withdrawals", err) < 0)
        return RT_ESTORE;
    const char *fk = NULL;
    int64_t fid = 0;
    struct rt_buf list = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int rc;

    if (!from || split_ref(from, strlen(from), &fk, &fid) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record", "'%s' is not KIND:ID",
                            from ? from : "");
    json_dump_callback(keep, add_to_buf, &list, JSON_COMPACT | JSON_ENCODE_ANY);
    /* keep lists "KIND:ID" (rec or recommendation); rounds as round:ID. */
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE link SET withdrawn = ?4, withdrawn_on = NULL"
                           " WHERE from_kind = ?1 AND from_id = ?2 AND relation = ?3"
                           " AND withdrawn IS NULL AND replace(to_kind, 'recommendation', 'rec')"
                           " || ':' || to_id NOT IN (SELECT replace(value, 'recommendation',"
                           " 'rec') FROM json_each(?5))",
                           -1, &s, NULL) != SQLITE_OK) {
        rt_buf_release(&list);
        return rt__db_error(st, err, "prepare");
    }
    sqlite3_bind_text(s, 1, fk, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, fid);
    sqlite3_bind_text(s, 3, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, list.len ? list.buf : "[]", -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rt__db_error(st, err, "withdraw");
    sqlite3_finalize(s);
    rt_buf_release(&list);
    return rc;
}
