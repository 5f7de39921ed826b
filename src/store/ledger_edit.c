/*
 * Corrections and withdrawals of ledger records (schema 12): a record read as the
 * fields of its entity (entity.h), its columns set, and its withdrawal, written once
 * for every back end over src/store/sql.h. The checks of the values are the model's
 * (rt_ledger_edit, src/model/entity.c); this file only speaks SQL, and only to the
 * columns it lists.
 */
#include "base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rightstrack/ledger.h>

#include "store/sql.h"

/* A field of an entity and the column it is kept in. */
struct column {
    const char *field, *column;
};

/* A list of the links a record holds: its key in the record's JSON and the SELECT of
 * its members, each as column x, in order ("@C" after a text sorted: SQLite compares
 * bytes, PostgreSQL by its collation unless told COLLATE "C"). */
struct list {
    const char *key, *select;
};

/* The records that can be corrected: their table (table_of), the column of the record
 * they belong to and its kind, their columns by field, and the lists of links they hold. */
static const struct editable {
    const char *kind, *parent_column, *parent_kind;
    struct column cols[8];
    struct list lists[3];
} editable[] = {
    {"dialogue",
     NULL,
     NULL,
     {{"name", "name"}, {"kind", "kind"}},
     {{"parties",
       "SELECT party x FROM dialogue_party WHERE dialogue_id = t.id ORDER BY position"}}},
    {"round",
     "dialogue_id",
     "dialogue",
     {{"date", "date"},
      {"ordinal", "ordinal"},
      {"place", "place"},
      {"summary", "summary"},
      {"source", "source"}},
     {{NULL, NULL}}},
    {"participant",
     "round_id",
     "round",
     {{"name", "name"}, {"title", "title"}, {"organisation", "organisation"}, {"party", "party"}},
     {{NULL, NULL}}},
    {"topic",
     "round_id",
     "round",
     {{"text", "text"}, {"theme", "theme"}},
     {{"recommendations", "SELECT l.to_id x FROM link l WHERE l.from_kind = 'topic'"
                          " AND l.from_id = t.id AND l.relation = 'about' AND"
                          " l.withdrawn IS NULL ORDER BY 1"}}},
    {"ask",
     "round_id",
     "round",
     {{"from", "from_party"}, {"to", "to_party"}, {"text", "text"}, {"theme", "theme"}},
     {{"recommendations", "SELECT l.to_id x FROM link l WHERE l.from_kind = 'ask'"
                          " AND l.from_id = t.id AND l.relation = 'about' AND"
                          " l.withdrawn IS NULL ORDER BY 1"}}},
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
     {{"answers", "SELECT (CASE l.to_kind WHEN 'recommendation' THEN 'rec' ELSE l.to_kind END"
                  " || ':' || l.to_id)@C x FROM link l WHERE l.from_kind = 'step' AND"
                  " l.from_id = t.id AND l.relation = 'answers' AND l.withdrawn IS NULL"
                  " ORDER BY 1"},
      {"welcomed_in", "SELECT wr.dialogue_id || '#' || wr.ordinal x FROM link l JOIN round wr"
                      " ON wr.id = l.to_id WHERE l.from_kind = 'step' AND l.from_id = t.id AND"
                      " l.relation = 'welcomed-in' AND l.withdrawn IS NULL ORDER BY l.to_id"},
      {"responds_to", "SELECT l.to_id x FROM link l WHERE l.from_kind = 'step' AND"
                      " l.from_id = t.id AND l.relation = 'responds-to' AND"
                      " l.withdrawn IS NULL ORDER BY 1"}}},
    {"commitment",
     "round_id",
     "round",
     {{"party", "party"}, {"condition", "condition"}, {"promise", "promise"}},
     {{NULL, NULL}}},
    {"benchmark",
     "dialogue_id",
     "dialogue",
     {{"text", "text"}},
     {{"tracks", "SELECT (CASE l.to_kind WHEN 'recommendation' THEN 'rec' ELSE l.to_kind END"
                 " || ':' || l.to_id)@C x FROM link l WHERE l.from_kind = 'benchmark' AND"
                 " l.from_id = t.id AND l.relation = 'tracks' AND l.withdrawn IS NULL"
                 " ORDER BY 1"}}},
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
     {{NULL, NULL}}},
    {"case",
     "person_id",
     "person",
     {{"event", "event"},
      {"date", "date"},
      {"how", "how"},
      {"detail", "detail"},
      {"source", "source"},
      {"step", "step_id"}},
     {{NULL, NULL}}},
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

/* Appends text, with each "@C" made what orders text by its bytes on st's back end. */
static void add_sql(struct rt_store *st, struct rt_buf *b, const char *text)
{
    const char *c = rt__sql_pick(st, "", " COLLATE \"C\"");

    for (const char *at; (at = strstr(text, "@C")); text = at + 2) {
        rt_buf_add(b, text, (size_t)(at - text));
        rt_buf_adds(b, c);
    }
    rt_buf_adds(b, text);
}

int rt_record_get(struct rt_store *st, const char *kind, int64_t id, json_t **out,
                  struct rt_error *err)
{
    const struct editable *e = find_kind(kind, err);
    const char *obj = rt__sql_pick(st, "json_object(", "json_build_object(");
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    *out = NULL;
    if (!e)
        return RT_EINVAL;
    rt_buf_addf(&sql, "SELECT %s'kind', '%s', 'id', t.id, 'ref', '%s:' || t.id,", obj, kind, kind);
    if (e->parent_column)
        rt_buf_addf(&sql, " 'parent', '%s:' || t.%s,", e->parent_kind, e->parent_column);
    else
        rt_buf_adds(&sql, " 'parent', NULL,");
    if (!strcmp(kind, "round"))
        rt_buf_adds(&sql, " 'name', t.dialogue_id || '#' || t.ordinal,");
    if (!strcmp(kind, "person")) /* merged, never withdrawn */
        rt_buf_adds(&sql, " 'withdrawn', NULL, 'withdrawn_on', NULL, 'merged_into',"
                          " t.merged_into,");
    else
        rt_buf_adds(&sql, " 'withdrawn', t.withdrawn, 'withdrawn_on', t.withdrawn_on,");
    rt_buf_addf(&sql, " 'fields', %s", obj);
    for (size_t i = 0; i < RT_ARRAY_SIZE(e->cols) && e->cols[i].field; i++)
        rt_buf_addf(&sql, "%s'%s', t.%s", i ? ", " : "", e->cols[i].field, e->cols[i].column);
    /* A list of links, among the fields, as a JSON array, [] when empty: SQLite's
     * json_group_array, PostgreSQL's json_agg (NULL of no rows). */
    for (size_t i = 0; i < RT_ARRAY_SIZE(e->lists) && e->lists[i].key; i++) {
        rt_buf_addf(&sql, ", '%s', ", e->lists[i].key);
        rt_buf_adds(&sql, rt__sql_pick(st, "json((SELECT json_group_array(x) FROM (",
                                       "(SELECT coalesce(json_agg(x), '[]') FROM ("));
        add_sql(st, &sql, e->lists[i].select);
        rt_buf_adds(&sql, rt__sql_pick(st, ")))", ") ja)"));
    }
    rt_buf_addf(&sql, ")) FROM %s t WHERE t.id = ?1", table_of(e));
    rc = rt__sql_scalar(st, err, NULL, out, sql.buf, "i", id);
    rt_buf_release(&sql);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, kind, "no %s with id %lld", kind,
                          (long long)id);
    return rc;
}

/*
 * Runs sql, an UPDATE of one row that ends "RETURNING id", in a group the caller began
 * (on PostgreSQL a write outside a transaction is sealed in the audit log at its
 * group's COMMIT): ?1 is id, ?2.. the n texts of vals (NULL binds NULL). RT_ENOTFOUND
 * saying missing when it changes no row; a constraint it breaks is RT_EINVAL.
 */
static int update_one(struct rt_store *st, const char *sql, int64_t id, const char *const *vals,
                      size_t n, const char *missing, struct rt_error *err)
{
    static const char types[] = "itttttttt";
    const char *v[8] = {NULL};
    char t[sizeof(types)];
    int64_t got = 0;
    int rc;

    if (n > RT_ARRAY_SIZE(v))
        RT_BUG("an update of %zu columns", n);
    for (size_t i = 0; i < n; i++)
        v[i] = vals[i];
    snprintf(t, sizeof(t), "%.*s", (int)(n + 1), types);
    rc = rt__sql_scalar(st, err, &got, NULL, sql, t, id, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                        v[7]);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "record", "%s", missing);
    return rc;
}

/* A dialogue's parties, all of them replaced by list (codes, checked by the caller). The
 * old ones go one by one in the order of their codes' bytes, so that the audit log
 * notes the same entries in the same order on every store. */
static int set_parties(struct rt_store *st, int64_t id, const json_t *list, struct rt_error *err)
{
    json_t *old = NULL;
    int rc = rt__sql_scalar(
        st, err, NULL, &old,
        rt__sql_pick(st,
                     "SELECT json_group_array(party) FROM (SELECT party FROM dialogue_party"
                     " WHERE dialogue_id = ?1 ORDER BY party)",
                     "SELECT coalesce(json_agg(party ORDER BY party COLLATE \"C\"), '[]')"
                     " FROM dialogue_party WHERE dialogue_id = ?1"),
        "i", id);

    for (size_t i = 0; rc == 0 && i < json_array_size(old); i++)
        rc = rt__sql_exec(st, err, NULL,
                          "DELETE FROM dialogue_party WHERE dialogue_id = ?1 AND party = ?2", "it",
                          id, json_string_value(json_array_get(old, i)));
    json_decref(old);
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++)
        rc = rt__sql_exec(st, err, NULL,
                          "INSERT INTO dialogue_party(dialogue_id, party, position)"
                          " VALUES (?1, ?2, ?3)",
                          "iti", id, json_string_value(json_array_get(list, i)), (int64_t)i);
    return rc;
}

/* What a table's unique keys would refuse, said as an add says it, the same on every
 * store: a dialogue's name, a round's number in its dialogue. */
static int still_unique(struct rt_store *st, const char *kind, int64_t id, const json_t *fields,
                        struct rt_error *err)
{
    const json_t *name = json_object_get(fields, "name");
    const json_t *ordinal = json_object_get(fields, "ordinal");
    int64_t n = 0;
    int rc = 0;

    if (!strcmp(kind, "dialogue") && json_is_string(name)) {
        rc = rt__sql_scalar(st, err, &n, NULL,
                            "SELECT count(*) FROM dialogue WHERE name = ?1 AND id <> ?2", "ti",
                            json_string_value(name), id);
        if (rc == 0 && n)
            return rt_error_set(err, RT_EEXIST, NULL, 0, "name", "a dialogue called '%s' exists",
                                json_string_value(name));
    } else if (!strcmp(kind, "round") && json_is_integer(ordinal)) {
        rc = rt__sql_scalar(st, err, &n, NULL,
                            "SELECT count(*) FROM round WHERE dialogue_id = (SELECT dialogue_id"
                            " FROM round WHERE id = ?1) AND ordinal = ?2 AND id <> ?1",
                            "ii", id, (int64_t)json_integer_value(ordinal));
        if (rc == 0 && n)
            return rt_error_set(err, RT_EEXIST, NULL, 0, "ordinal",
                                "the dialogue has a round %lld already",
                                (long long)json_integer_value(ordinal));
    }
    return rc;
}

int rt_record_update(struct rt_store *st, const char *kind, int64_t id, const json_t *fields,
                     struct rt_error *err)
{
    const struct editable *e = find_kind(kind, err);
    const char *vals[8];
    char nums[8][24], missing[64];
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
        /* Every value goes as text: an integer cast back, an empty text as NULL. */
        if (json_is_integer(v)) {
            snprintf(nums[n], sizeof(nums[n]), "%" PRId64, (int64_t)json_integer_value(v));
            vals[n] = nums[n];
            rt_buf_addf(&sql, "%s%s = CAST(?%zu AS BIGINT)", n ? ", " : "", e->cols[i].column,
                        n + 2);
        } else {
            const char *s = json_string_value(v);
            vals[n] = s && *s ? s : NULL;
            rt_buf_addf(&sql, "%s%s = ?%zu", n ? ", " : "", e->cols[i].column, n + 2);
        }
        n++;
    }
    rt_buf_adds(&sql, " WHERE id = ?1 RETURNING id");
    snprintf(missing, sizeof(missing), "no record with id %" PRId64, id);
    if ((rc = rt__sql_begin(st, err)) == 0) {
        rc = still_unique(st, kind, id, fields, err);
        if (rc == 0)
            rc = n ? update_one(st, sql.buf, id, vals, n, missing, err)
                   : rt_record_exists(st, kind, id, err);
        if (rc == 0 && !strcmp(kind, "dialogue") && json_object_get(fields, "parties"))
            rc = set_parties(st, id, json_object_get(fields, "parties"), err);
        rc = rt__sql_end(st, rc, err);
    }
    rt_buf_release(&sql);
    return rc;
}

int rt_record_exists(struct rt_store *st, const char *kind, int64_t id, struct rt_error *err)
{
    json_t *doc = NULL;
    int rc = rt_record_get(st, kind, id, &doc, err);

    json_decref(doc);
    return rc;
}

int rt_record_withdraw(struct rt_store *st, const char *kind, int64_t id, const char *reason,
                       const char *date, struct rt_error *err)
{
    const struct editable *e = find_kind(kind, err);
    const char *vals[2] = {reason && *reason ? reason : NULL, date};
    struct rt_buf sql = RT_BUF_INIT;
    char missing[64];
    int rc;

    if (!e)
        return RT_EINVAL;
    if (!strcmp(kind, "person"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "a person is not withdrawn: merge a duplicate into the person it is "
                            "(person merge), or withdraw the events that were wrong");
    rt_buf_addf(&sql, "UPDATE %s SET withdrawn = ?2, withdrawn_on = ?3 WHERE id = ?1 RETURNING id",
                table_of(e));
    snprintf(missing, sizeof(missing), "no record with id %" PRId64, id);
    if ((rc = rt__sql_begin(st, err)) == 0)
        rc = rt__sql_end(st, update_one(st, sql.buf, id, vals, 2, missing, err), err);
    rt_buf_release(&sql);
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
    const char *sp1 = link ? strchr(link, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    const char *fk = NULL, *tk = NULL;
    int64_t fid = 0, tid = 0, got = 0;
    char relation[32];
    int rc;

    if (!sp2 || strchr(sp2 + 1, ' ') || split_ref(link, (size_t)(sp1 - link), &fk, &fid) < 0 ||
        split_ref(sp2 + 1, strlen(sp2 + 1), &tk, &tid) < 0 ||
        (size_t)(sp2 - sp1 - 1) >= sizeof(relation))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "'%s' is not a link such as 'step:3 answers ask:2'", link ? link : "");
    memcpy(relation, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    relation[sp2 - sp1 - 1] = '\0';
    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    rc = rt__sql_scalar(st, err, &got, NULL,
                        "UPDATE link SET withdrawn = ?6, withdrawn_on = ?7 WHERE from_kind = ?1"
                        " AND from_id = ?2 AND relation = ?3 AND to_kind = ?4 AND to_id = ?5"
                        " RETURNING 1",
                        "tittitt", fk, fid, relation, tk, tid, reason ? reason : "", date);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "record", "there is no link '%s'", link);
    return rt__sql_end(st, rc, err);
}

static int add_to_buf(const char *buffer, size_t size, void *data)
{
    rt_buf_add(data, buffer, size);
    return 0;
}

int rt_links_keep(struct rt_store *st, const char *from, const char *relation, const json_t *keep,
                  const char *reason, struct rt_error *err)
{
    const char *fk = NULL;
    int64_t fid = 0;
    struct rt_buf list = RT_BUF_INIT;
    int rc;

    if (!from || split_ref(from, strlen(from), &fk, &fid) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record", "'%s' is not KIND:ID",
                            from ? from : "");
    json_dump_callback(keep, add_to_buf, &list, JSON_COMPACT | JSON_ENCODE_ANY);
    /* keep lists "KIND:ID" (rec or recommendation); rounds as round:ID. */
    rc = rt__sql_exec(
        st, err, NULL,
        rt__sql_pick(st,
                     "UPDATE link SET withdrawn = ?4, withdrawn_on = NULL"
                     " WHERE from_kind = ?1 AND from_id = ?2 AND relation = ?3"
                     " AND withdrawn IS NULL AND replace(to_kind, 'recommendation', 'rec')"
                     " || ':' || to_id NOT IN (SELECT replace(value, 'recommendation',"
                     " 'rec') FROM json_each(?5))",
                     "UPDATE link SET withdrawn = ?4, withdrawn_on = NULL"
                     " WHERE from_kind = ?1 AND from_id = ?2 AND relation = ?3"
                     " AND withdrawn IS NULL AND replace(to_kind, 'recommendation', 'rec')"
                     " || ':' || to_id NOT IN (SELECT replace(value, 'recommendation',"
                     " 'rec') FROM json_array_elements_text(CAST(?5 AS json)))"),
        "tittt", fk, fid, relation, reason, list.len ? list.buf : "[]");
    rt_buf_release(&list);
    return rc;
}
