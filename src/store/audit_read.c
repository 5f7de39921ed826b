/*
 * The audit log read back and checked, written once for every back end over
 * src/store/sql.h: the entries (rt_audit_log), a record's name in the log
 * (rt_audit_ref), the head, and the check (chain, replay of the ledger, triggers
 * present). Rows come back as one JSON array each statement (json_group_array or
 * json_agg), whose texts are the stored bytes. What only one store has is its own:
 * SQLite's triggers are made in SQL per table (src/store/sqlite/audit.c), PostgreSQL's
 * are one function with a trigger per table (schema 11 there).
 */
#include "base/compat.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>
#include <rightstrack/private.h>

#include "auth/audit_int.h"
#include "base/alloc.h"
#include "model/rules.h"
#include "store/audit_int.h"
#include "store/backend.h"
#include "store/sql.h"

const struct rt__audited rt__audited[] = {
    {"dialogue", "'dialogue:' || $.id", NULL, NULL, NULL},
    {"dialogue_party", "'dialogue:' || $.dialogue_id || ' party ' || $.party",
     "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"round", "'round:' || $.id", "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"participant", "'participant:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"topic", "'topic:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"ask", "'ask:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"step", "'step:' || $.id", NULL, NULL, NULL},
    {"link",
     "$.from_kind || ':' || $.from_id || ' ' || $.relation || ' ' || $.to_kind || ':' || $.to_id",
     "$.from_kind || ':' || $.from_id", "$.to_kind || ':' || $.to_id", NULL},
    {"ledger_theme", "$.item_kind || ':' || $.item_id || ' theme ' || $.area",
     "$.item_kind || ':' || $.item_id", NULL, NULL},
    {"commitment", "'commitment:' || $.id", "'round:' || $.round_id", NULL, NULL},
    {"commitment_status", "'commitment_status:' || $.id", "'commitment:' || $.commitment_id", NULL,
     NULL},
    {"benchmark", "'benchmark:' || $.id", "'dialogue:' || $.dialogue_id", NULL, NULL},
    {"assessment", "'assessment:' || $.id", "$.target_kind || ':' || $.target_id", NULL, NULL},
    /* Private records (schema 13): a mark, made and taken away. */
    {"private_record", "$.kind || ':' || $.id || ' private'", "$.kind || ':' || $.id", NULL, NULL},
    /* Accounts (schema 10): who may write; never a password or a token's hash. */
    {"account", "'account:' || $.id", NULL, NULL, ",password,"},
    {"account_token", "'token:' || $.id", "'account:' || $.account_id", NULL, ",hash,last_used,"},
    /* Persons and their cases (schema 14). */
    {"person", "'person:' || $.id", NULL, NULL, NULL},
    {"person_name", "'person:' || $.person_id || ' name ' || $.name", "'person:' || $.person_id",
     NULL, NULL},
    {"case_event", "'case:' || $.id", "'person:' || $.person_id", "'step:' || $.step_id", NULL},
    {"ask_person", "'ask:' || $.ask_id || ' names person:' || $.person_id", "'ask:' || $.ask_id",
     "'person:' || $.person_id", NULL},
};
const size_t rt__n_audited = RT_ARRAY_SIZE(rt__audited);

const char *const rt__audit_ops[3] = {"insert", "update", "delete"};

static int is_pg(struct rt_store *st)
{
    return rt__store_is(st, &rt__pg_ops);
}

void rt__audit_expr(struct rt_buf *b, const char *expr, const char *prefix)
{
    if (!expr) {
        rt_buf_adds(b, "NULL");
        return;
    }
    for (const char *p = expr; *p; p++) {
        if (p[0] == '$' && p[1] == '.') {
            rt_buf_adds(b, prefix);
            p++;
        } else {
            rt_buf_addch(b, *p);
        }
    }
}

int rt__audit_table_exists(struct rt_store *st, const char *table, int *out, struct rt_error *err)
{
    int64_t n = 0;
    int rc = rt__sql_scalar(
        st, err, &n, NULL,
        rt__sql_pick(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                     "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                     " AND tablename = ?1"),
        "t", table);

    *out = rc == 0 && n > 0;
    return rc < 0 && rc != RT_ENOTFOUND ? rc : 0;
}

void rt__audit_finding(struct rt_audit_report *r, const char *kind, int64_t entry,
                       const char *record, const char *fmt, ...)
{
    struct rt_audit_finding *f;
    struct rt_buf msg = RT_BUF_INIT;
    va_list ap;

    r->findings = rt_xrealloc(r->findings, (r->n_findings + 1) * sizeof(*r->findings));
    f = &r->findings[r->n_findings++];
    va_start(ap, fmt);
    rt_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    f->kind = kind;
    f->entry = entry;
    f->record = record ? rt_xstrdup(record) : NULL;
    f->message = rt_buf_detach(&msg, NULL);
}

/* PostgreSQL's row of a's table t as its trigger logs it (rt_audit_json, schema 24). */
static void pg_row_json(const struct rt__audited *a, struct rt_buf *b)
{
    rt_buf_adds(b, "rt_audit_json(to_json(t), ");
    if (a->skip)
        rt_buf_addf(b, "string_to_array('%.*s', ',')", (int)strlen(a->skip) - 2, a->skip + 1);
    else
        rt_buf_adds(b, "CAST('{}' AS text[])");
    rt_buf_adds(b, ")");
}

int rt__audit_replay_sql(struct rt_store *st, const struct rt__audited *a, struct rt_buf *b,
                         struct rt_error *err)
{
    int rc;

    rt_buf_adds(b, "SELECT coalesce(c.record, l.record) AS record, c.ref1 AS ref1, c.ref2 AS ref2,"
                   " l.after AS logged, c.j AS now, l.id AS entry, l.op AS entry_op FROM (SELECT ");
    rt__audit_expr(b, a->record, "t.");
    rt_buf_adds(b, " AS record, ");
    rt__audit_expr(b, a->ref1, "t.");
    rt_buf_adds(b, " AS ref1, ");
    rt__audit_expr(b, a->ref2, "t.");
    rt_buf_adds(b, " AS ref2, ");
    if (is_pg(st))
        pg_row_json(a, b);
    else if ((rc = rt__sqlite_audit_row_json(st, a, "t.", b, err)) < 0)
        return rc;
    rt_buf_addf(b,
                " AS j FROM \"%s\" t) c FULL OUTER JOIN (SELECT e.record, e.after, e.id, e.op"
                " FROM audit_log e JOIN (SELECT max(id) AS m FROM audit_log"
                " WHERE tbl = '%s' AND hash IS NOT NULL GROUP BY record) x ON e.id = x.m) l"
                " ON l.record = c.record WHERE c.j %s l.after"
                " ORDER BY coalesce(c.record, l.record)%s",
                a->table, a->table, rt__sql_pick(st, "IS NOT", "IS DISTINCT FROM"),
                rt__sql_pick(st, "", " COLLATE \"C\""));
    return 0;
}

/*
 * Into sql: the statement that reads the rows of select (columns cols, a list of SQL
 * expressions) as one JSON array of arrays, in select's order. Its texts are the
 * stored bytes, and NULL is null.
 */
static void rows_sql(struct rt_store *st, struct rt_buf *sql, const char *cols, const char *select)
{
    rt_buf_addf(
        sql, "SELECT %s%s%s FROM (%s) q",
        rt__sql_pick(st, "json_group_array(json_array(", "coalesce(json_agg(json_build_array("),
        cols, rt__sql_pick(st, "))", ")), '[]')"), select);
}

static int add_to_buf(const char *buffer, size_t size, void *data)
{
    rt_buf_add(data, buffer, size);
    return 0;
}

/* Element i of row as a new string or NULL (a number as its digits). */
static char *col_text(const json_t *row, size_t i)
{
    const json_t *v = json_array_get(row, i);

    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return rt_xstrdup(json_string_value(v));
    {
        struct rt_buf b = RT_BUF_INIT;
        json_dump_callback(v, add_to_buf, &b, JSON_ENCODE_ANY | JSON_COMPACT);
        rt_buf_adds(&b, "");
        return rt_buf_detach(&b, NULL);
    }
}

/* Reading the log. */

static int since_valid(const char *since)
{
    char day[11];
    size_t n = strcspn(since, "T ");

    if (n >= sizeof(day))
        return 0;
    memcpy(day, since, n);
    day[n] = '\0';
    return rt_date_check(day, NULL) == 0;
}

int rt_audit_log(struct rt_store *st, const struct rt_audit_filter *f, struct rt_audit_entry **out,
                 size_t *out_n, struct rt_error *err)
{
    struct rt_buf sel = RT_BUF_INIT, sql = RT_BUF_INIT, table = RT_BUF_INIT;
    struct rt_audit_entry *v = NULL;
    json_t *doc = NULL, *row;
    size_t n = 0, i;
    int rc, have = 0, hide;

    *out = NULL;
    *out_n = 0;
    if (f && f->since && !since_valid(f->since)) /* the message for the whole text */
        return rt__need_date(f->since, "since", err);
    if ((rc = rt__audit_table_exists(st, "audit_log", &have, err)) < 0)
        return rc;
    if (!have) {
        *out = rt_xcalloc(1, sizeof(**out));
        return 0;
    }
    /* private.h: a reader who may not see private records sees no entry of one, nor of
     * a record that belongs to one or joins one. */
    hide = rt_store_reader(st) != RT_READER_ALL;
    if (hide && is_pg(st)) { /* the table itself, not the public's empty view */
        json_t *name = NULL;
        if ((rc = rt__sql_scalar(st, err, NULL, &name,
                                 "SELECT to_json(quote_ident(n.nspname) || '.private_record')"
                                 " FROM pg_class c JOIN pg_namespace n ON n.oid ="
                                 " c.relnamespace WHERE c.relname = 'private_record' AND"
                                 " c.relkind = 'r' ORDER BY n.nspname LIMIT 1",
                                 "")) < 0)
            return rc;
        rt_buf_adds(&table, json_string_value(name) ? json_string_value(name) : "private_record");
        json_decref(name);
    } else {
        rt_buf_adds(&table, rt__sql_pick(st, "main.private_record", "private_record"));
    }
    rt_buf_addf(&sel,
                "SELECT * FROM (SELECT id, at, actor, via, tbl, op, record, before, after,"
                " prev_hash, hash FROM audit_log e WHERE (CAST(?1 AS TEXT) IS NULL OR at >= ?1)"
                " AND (CAST(?2 AS TEXT) IS NULL OR record = ?2 OR ref1 = ?2 OR ref2 = ?2)"
                " AND (?4 = 0 OR NOT EXISTS (SELECT 1 FROM %s pr WHERE pr.kind || ':' || pr.id"
                " IN (e.record, e.ref1, e.ref2))) ORDER BY id DESC LIMIT ?3) l ORDER BY id",
                table.buf);
    rows_sql(st, &sql, "id, at, actor, via, tbl, op, record, before, after, prev_hash, hash",
             sel.buf);
    rc = rt__sql_scalar(st, err, NULL, &doc, sql.buf, "ttii", f ? f->since : NULL,
                        f ? f->record : NULL, (int64_t)(f && f->limit > 0 ? f->limit : INT64_MAX),
                        (int64_t)hide);
    rt_buf_release(&sel);
    rt_buf_release(&sql);
    rt_buf_release(&table);
    if (rc < 0)
        return rc;
    v = rt_xcalloc(json_array_size(doc) ? json_array_size(doc) : 1, sizeof(*v));
    json_array_foreach(doc, i, row)
    {
        struct rt_audit_entry *e = &v[n++];
        e->id = (int64_t)json_integer_value(json_array_get(row, 0));
        e->at = col_text(row, 1);
        e->actor = col_text(row, 2);
        e->via = col_text(row, 3);
        e->table = col_text(row, 4);
        e->op = col_text(row, 5);
        e->record = col_text(row, 6);
        e->before = col_text(row, 7);
        e->after = col_text(row, 8);
        e->prev_hash = col_text(row, 9);
        e->hash = col_text(row, 10);
        if (!e->table)
            e->table = rt_xstrdup("");
        if (!e->op)
            e->op = rt_xstrdup("");
        if (!e->record)
            e->record = rt_xstrdup("");
    }
    json_decref(doc);
    *out = v;
    *out_n = n;
    return 0;
}

void rt_audit_entries_free(struct rt_audit_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rt_free(v[i].at);
        rt_free(v[i].actor);
        rt_free(v[i].via);
        rt_free(v[i].table);
        rt_free(v[i].op);
        rt_free(v[i].record);
        rt_free(v[i].before);
        rt_free(v[i].after);
        rt_free(v[i].prev_hash);
        rt_free(v[i].hash);
    }
    rt_free(v);
}

static json_t *parse_or_null(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

/* The names of the fields whose values differ between two JSON objects. */
static json_t *changed_fields(json_t *before, json_t *after)
{
    json_t *out = json_array(), *v;
    const char *k;

    if (!json_is_object(before) || !json_is_object(after))
        return out;
    json_object_foreach(after, k, v)
    {
        if (!json_equal(json_object_get(before, k), v))
            json_array_append_new(out, json_string(k));
    }
    json_object_foreach(before, k, v)
    {
        if (!json_object_get(after, k))
            json_array_append_new(out, json_string(k));
    }
    return out;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *rt_audit_entries_json(const struct rt_audit_entry *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *before = parse_or_null(v[i].before), *after = parse_or_null(v[i].after);
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "at", str_or_null(v[i].at));
        json_object_set_new(o, "actor", str_or_null(v[i].actor));
        json_object_set_new(o, "via", str_or_null(v[i].via));
        json_object_set_new(o, "table", json_string(v[i].table));
        json_object_set_new(o, "op", json_string(v[i].op));
        json_object_set_new(o, "record", json_string(v[i].record));
        json_object_set_new(o, "changed", changed_fields(before, after));
        json_object_set_new(o, "before", before);
        json_object_set_new(o, "after", after);
        json_object_set_new(o, "hash", str_or_null(v[i].hash));
        json_array_append_new(a, o);
    }
    return a;
}

/* A link as the command line names it, "FROM RELATION TO" (FROM and TO in any form a
 * record takes, TO also a bare id as `link` takes it), into the log's "step:3 answers
 * recommendation:14"; 1 when ref is no link (a round of a dialogue whose name has spaces
 * is one record). */
static int link_ref(struct rt_store *st, const char *ref, char out[128], struct rt_error *err)
{
    const char *hash = strrchr(ref, '#'), *to, *rel;
    char from[128], relation[32], a[128], b[128], bare[64], whole[300];
    int rc;

    if ((hash && rt__digits_only(hash + 1)) || !(to = strrchr(ref, ' ')))
        return 1;
    for (rel = to; rel > ref && rel[-1] != ' '; rel--)
        ;
    if (rel == ref || to - rel == 0 || (size_t)(to - rel) >= sizeof(relation) ||
        (size_t)(rel - 1 - ref) >= sizeof(from) || !to[1])
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "'%s' is not a link such as 'step:3 answers ask:2'", ref);
    snprintf(relation, sizeof(relation), "%.*s", (int)(to - rel), rel);
    snprintf(from, sizeof(from), "%.*s", (int)(rel - 1 - ref), ref);
    to++;
    if (rt__digits_only(to)) { /* a bare id, as `link` takes it */
        snprintf(bare, sizeof(bare), "%s:%.40s",
                 !strcmp(relation, "responds-to")   ? "step"
                 : !strcmp(relation, "welcomed-in") ? "round"
                                                    : "rec",
                 to);
        to = bare;
    }
    if ((rc = rt_audit_ref(st, from, a, err)) < 0 || (rc = rt_audit_ref(st, to, b, err)) < 0)
        return rc;
    snprintf(whole, sizeof(whole), "%s %s %s", a, relation, b);
    if (strlen(whole) >= 128)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record", "'%s' is too long", ref);
    memcpy(out, whole, strlen(whole) + 1);
    return 0;
}

int rt_audit_ref(struct rt_store *st, const char *ref, char out[128], struct rt_error *err)
{
    static const struct {
        const char *word, *kind;
    } kinds[] = {
        {"step", "step"},
        {"ask", "ask"},
        {"topic", "topic"},
        {"participant", "participant"},
        {"round", "round"},
        {"dialogue", "dialogue"},
        {"commitment", "commitment"},
        {"benchmark", "benchmark"},
        {"assessment", "assessment"},
        {"rec", "recommendation"},
        {"recommendation", "recommendation"},
        {"source", "source"},
        {"account", "account"},
        {"token", "token"},
        {"person", "person"},
        {"case", "case"},
    };
    const char *colon = ref ? strchr(ref, ':') : NULL;
    int64_t id;
    int rc;
    const char *hash = ref ? strrchr(ref, '#') : NULL;

    if (ref && (rc = link_ref(st, ref, out, err)) <= 0)
        return rc;
    if (hash &&
        rt__digits_only(hash + 1)) { /* DIALOGUE#N or round:DIALOGUE#N, whatever the name holds */
        if ((rc = rt_round_find(st, strncmp(ref, "round:", 6) ? ref : ref + 6, &id, err)) < 0)
            return rc;
        snprintf(out, 128, "round:%lld", (long long)id);
        return 0;
    }
    if (colon && rt__digits_only(colon + 1) && strlen(colon + 1) < 19) {
        for (size_t i = 0; i < RT_ARRAY_SIZE(kinds); i++) {
            if (strlen(kinds[i].word) == (size_t)(colon - ref) &&
                !strncmp(ref, kinds[i].word, (size_t)(colon - ref))) {
                if (!strcmp(kinds[i].kind, "round")) { /* "round:D#2" goes above */
                    if ((rc = rt_round_find(st, colon + 1, &id, err)) < 0)
                        return rc;
                    snprintf(out, 128, "round:%lld", (long long)id);
                } else {
                    snprintf(out, 128, "%s:%s", kinds[i].kind, colon + 1);
                }
                return 0;
            }
        }
    }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                        "'%s' is not a record such as step:3, ask:2, rec:14, DIALOGUE#2 or a "
                        "link (step:3 answers ask:2)",
                        ref ? ref : "");
}

int rt_audit_head(struct rt_store *st, int64_t *out_id, char out_hash[RT_AUDIT_HASH_HEX],
                  struct rt_error *err)
{
    json_t *row = NULL;
    int rc = 0, have = 0;

    *out_id = 0;
    out_hash[0] = '\0';
    if ((rc = rt__audit_table_exists(st, "audit_log", &have, err)) < 0 || !have)
        return rc;
    rc = rt__sql_scalar(st, err, NULL, &row,
                        rt__sql_pick(st,
                                     "SELECT json_array(id, hash) FROM audit_log WHERE hash IS"
                                     " NOT NULL ORDER BY id DESC LIMIT 1",
                                     "SELECT json_build_array(id, hash) FROM audit_log WHERE hash"
                                     " IS NOT NULL ORDER BY id DESC LIMIT 1"),
                        "");
    if (rc == RT_ENOTFOUND)
        return 0;
    if (rc == 0) {
        *out_id = (int64_t)json_integer_value(json_array_get(row, 0));
        snprintf(out_hash, RT_AUDIT_HASH_HEX, "%s",
                 json_string_value(json_array_get(row, 1))
                     ? json_string_value(json_array_get(row, 1))
                     : "");
    }
    json_decref(row);
    return rc;
}

/* The check. */

/* One sealed entry as the chain check needs it. */
struct link {
    int64_t id;
    char prev[RT_AUDIT_HASH_HEX]; /* "" when NULL */
    char hash[RT_AUDIT_HASH_HEX];
    int intact; /* its hash is that of its contents */
    int moved;  /* named already as reordered or inserted */
};

/* A sealed entry's position, sorted by hash, to find what an entry follows. */
struct by_hash {
    const char *hash;
    size_t pos;
};

static int by_hash_cmp(const void *a, const void *b)
{
    return strcmp(((const struct by_hash *)a)->hash, ((const struct by_hash *)b)->hash);
}

static long find_pos(const struct by_hash *idx, size_t n, const char *hash)
{
    struct by_hash key = {hash, 0};
    const struct by_hash *p;

    if (!*hash)
        return -1;
    p = bsearch(&key, idx, n, sizeof(*idx), by_hash_cmp);
    return p ? (long)p->pos : -1;
}

/* A field of an entry as the hash takes it: its text, or NULL. */
static struct rt__audit_bytes bytes_of(char *text)
{
    struct rt__audit_bytes b = {text, text ? strlen(text) : 0};
    return b;
}

/* Reads every entry, recomputing sealed ones' hashes; unsealed ones are findings. */
static int load_chain(struct rt_store *st, struct rt_audit_report *r, struct link **out,
                      size_t *out_n, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    struct link *v = NULL;
    size_t n = 0, alloc = 0, i;
    json_t *doc = NULL, *row;
    int rc;

    *out = NULL;
    *out_n = 0;
    rows_sql(st, &sql,
             "id, prev_hash, at, actor, via, tbl, op, record, ref1, ref2, before, after, hash",
             "SELECT * FROM audit_log ORDER BY id");
    rc = rt__sql_scalar(st, err, NULL, &doc, sql.buf, "");
    rt_buf_release(&sql);
    if (rc < 0)
        return rc;
    json_array_foreach(doc, i, row)
    {
        struct rt__audit_bytes f[RT__AUDIT_NFIELDS];
        char *text[RT__AUDIT_NFIELDS + 1];
        int64_t id = (int64_t)json_integer_value(json_array_get(row, 0));
        char hex[65];

        for (int k = 0; k <= RT__AUDIT_NFIELDS; k++)
            text[k] = col_text(row, (size_t)k + 1);
        r->entries++;
        if (!text[RT__AUDIT_NFIELDS]) {
            r->unsealed++;
            rt__audit_finding(r, "unsealed", id, text[RT__AUDIT_RECORD],
                              "entry %lld (%s %s) has no hash: it was written behind the"
                              " program's back",
                              (long long)id, text[RT__AUDIT_OP] ? text[RT__AUDIT_OP] : "",
                              text[RT__AUDIT_RECORD] ? text[RT__AUDIT_RECORD] : "");
        } else {
            for (int k = 0; k < RT__AUDIT_NFIELDS; k++)
                f[k] = bytes_of(text[k]);
            rt__audit_hash(f, hex);
            RT_ALLOC_GROW(v, n + 1, alloc);
            memset(&v[n], 0, sizeof(v[n]));
            v[n].id = id;
            snprintf(v[n].prev, sizeof(v[n].prev), "%s",
                     text[RT__AUDIT_PREV] ? text[RT__AUDIT_PREV] : "");
            snprintf(v[n].hash, sizeof(v[n].hash), "%s", text[RT__AUDIT_NFIELDS]);
            v[n].intact = !strcmp(hex, text[RT__AUDIT_NFIELDS]);
            n++;
        }
        for (int k = 0; k <= RT__AUDIT_NFIELDS; k++)
            rt_free(text[k]);
    }
    json_decref(doc);
    *out = v;
    *out_n = n;
    return 0;
}

/* The chain: each sealed entry follows the one before it. */
static void check_chain(struct rt_audit_report *r, struct link *v, size_t n, const char *head)
{
    struct by_hash *idx = rt_xcalloc(n ? n : 1, sizeof(*idx));

    for (size_t i = 0; i < n; i++)
        idx[i] = (struct by_hash){v[i].hash, i};
    qsort(idx, n, sizeof(*idx), by_hash_cmp);
    /* The same hash twice: a copy of an entry slipped in (the later one). */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(idx[i - 1].hash, idx[i].hash))
            continue;
        size_t a = idx[i - 1].pos < idx[i].pos ? idx[i - 1].pos : idx[i].pos;
        size_t b = idx[i - 1].pos < idx[i].pos ? idx[i].pos : idx[i - 1].pos;
        if (!v[b].moved)
            rt__audit_finding(r, "inserted", v[b].id, NULL,
                              "entry %lld is a copy of entry %lld: it was inserted",
                              (long long)v[b].id, (long long)v[a].id);
        v[b].moved = 1;
    }
    for (size_t k = 0; k < n; k++) {
        const char *want = k ? v[k - 1].hash : "";
        long j;

        if (!v[k].intact)
            rt__audit_finding(
                r, "edited", v[k].id, NULL,
                "entry %lld was changed after it was written: its hash does not match it",
                (long long)v[k].id);
        if (!strcmp(v[k].prev, want) || v[k].moved)
            continue;
        j = find_pos(idx, n, v[k].prev);
        if (j > (long)k) {
            if (!v[k].moved && !v[j].moved)
                rt__audit_finding(
                    r, "reordered", v[k].id, NULL,
                    "entries %lld and %lld are out of order: entry %lld follows entry %lld,"
                    " which comes after it",
                    (long long)v[k].id, (long long)v[j].id, (long long)v[k].id, (long long)v[j].id);
            v[k].moved = v[j].moved = 1;
        } else if (k + 1 < n && !strcmp(v[k + 1].prev, want)) {
            /* The next entry follows the one before this one: this one was slipped in. */
            rt__audit_finding(
                r, "inserted", v[k].id, NULL,
                "entry %lld is not in the chain: it was inserted (entry %lld follows entry"
                " %lld)",
                (long long)v[k].id, (long long)v[k + 1].id, k ? (long long)v[k - 1].id : 0LL);
            v[k].moved = 1;
        } else if (j >= 0) {
            for (size_t i = (size_t)j + 1; i < k; i++) {
                if (!v[i].moved)
                    rt__audit_finding(r, "inserted", v[i].id, NULL,
                                      "entry %lld is not in the chain: it was inserted (entry %lld"
                                      " follows entry %lld)",
                                      (long long)v[i].id, (long long)v[k].id, (long long)v[j].id);
                v[i].moved = 1;
            }
        } else if (!*v[k].prev) {
            rt__audit_finding(r, "inserted", v[k].id, NULL,
                              "entry %lld claims to be the first of the log, after entry %lld",
                              (long long)v[k].id, k ? (long long)v[k - 1].id : 0LL);
        } else {
            int64_t from = k ? v[k - 1].id + 1 : 1;
            if (v[k].moved)
                continue;
            if (from + 1 < v[k].id)
                rt__audit_finding(r, "removed", from, NULL,
                                  "entries %lld to %lld are missing: removed", (long long)from,
                                  (long long)(v[k].id - 1));
            else if (from < v[k].id)
                rt__audit_finding(r, "removed", from, NULL, "entry %lld is missing: removed",
                                  (long long)from);
            else
                rt__audit_finding(
                    r, "removed", v[k].id, NULL,
                    "entry %lld follows an entry that is not in the log: one was removed"
                    " before it (and the numbers changed), or it was inserted",
                    (long long)v[k].id);
        }
    }
    if (head) {
        long h = find_pos(idx, n, head);
        if (h < 0)
            rt__audit_finding(
                r, "head", 0, NULL,
                "the log no longer holds the head %.16s…: entries were cut off its end"
                " (or it was rewritten)",
                head);
    }
    rt_free(idx);
}

/* A row's JSON as the replay reads it: a text, or (SQLite) the object itself. */
static json_t *row_doc(const json_t *v)
{
    if (json_is_string(v))
        return json_loads(json_string_value(v), 0, NULL);
    return json_is_object(v) ? json_incref((json_t *)(uintptr_t)v) : NULL;
}

/* Replay: every ledger row is as the last sealed entry about it left it. */
static int check_replay(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err)
{
    struct rt_buf sel = RT_BUF_INIT, sql = RT_BUF_INIT;
    int rc = 0, have;

    for (size_t i = 0; rc == 0 && i < rt__n_audited; i++) {
        const struct rt__audited *a = &rt__audited[i];
        json_t *doc = NULL, *row;
        int64_t count = 0;
        size_t k;

        if ((rc = rt__audit_table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        rt_buf_reset(&sql);
        rt_buf_addf(&sql, "SELECT count(*) FROM \"%s\"", a->table);
        if ((rc = rt__sql_scalar(st, err, &count, NULL, sql.buf, "")) < 0)
            break;
        r->records += count;
        rt_buf_reset(&sel);
        rt_buf_reset(&sql);
        if ((rc = rt__audit_replay_sql(st, a, &sel, err)) < 0)
            break;
        rows_sql(st, &sql, "record, logged, now, entry", sel.buf);
        if ((rc = rt__sql_scalar(st, err, NULL, &doc, sql.buf, "")) < 0)
            break;
        json_array_foreach(doc, k, row)
        {
            const char *rec = json_string_value(json_array_get(row, 0));
            const json_t *logged = json_array_get(row, 1), *now = json_array_get(row, 2);
            const json_t *ent = json_array_get(row, 3);
            long long entry = (long long)json_integer_value(ent);

            if (!rec)
                rec = "";
            if (json_is_null(now)) {
                rt__audit_finding(r, "unexplained", entry, rec,
                                  "%s is gone, but the log has no entry for its removal (last:"
                                  " entry %lld)",
                                  rec, entry);
            } else if (json_is_null(ent)) {
                rt__audit_finding(r, "unexplained", 0, rec,
                                  "%s has no entry in the log: it was written behind the"
                                  " program's back",
                                  rec);
            } else if (json_is_null(logged)) {
                rt__audit_finding(r, "unexplained", entry, rec,
                                  "%s is there, but the log says entry %lld removed it", rec,
                                  entry);
            } else {
                json_t *b = row_doc(logged), *c = row_doc(now);
                json_t *diff = changed_fields(b, c), *d;
                struct rt_buf names = RT_BUF_INIT;
                size_t m;
                json_array_foreach(diff, m, d)
                    rt_buf_addf(&names, "%s%s", m ? ", " : "", json_string_value(d));
                rt__audit_finding(r, "unexplained", entry, rec,
                                  "%s is not as the log last left it (entry %lld): %s changed"
                                  " behind the program's back",
                                  rec, entry, names.len ? names.buf : "its contents");
                rt_buf_release(&names);
                json_decref(diff);
                json_decref(b);
                json_decref(c);
            }
        }
        json_decref(doc);
    }
    rt_buf_release(&sel);
    rt_buf_release(&sql);
    return rc;
}

/* PostgreSQL's trigger argument of a's expression expr: "{col}" for each $.col, the
 * quoted texts as they are ("" for none; schema 11's rt_audit_name). */
static void template_of(struct rt_buf *b, const char *expr)
{
    for (const char *p = expr; p && *p;) {
        if (p[0] == '$' && p[1] == '.') {
            size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789_");
            rt_buf_addf(b, "{%.*s}", (int)n, p + 2);
            p += 2 + n;
        } else if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                break;
            rt_buf_add(b, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else {
            p++; /* " || " */
        }
    }
}

/*
 * On PostgreSQL: each audited table has its trigger "audit", enabled, AFTER each row
 * of all three operations, calling rt_audit with its templates; the log has its two
 * guards. The findings name the operations as SQLite's triggers do
 * (audit_TABLE_OP), so that both stores say the same of the same harm.
 */
static int check_pg_triggers(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err)
{
    static const int op_bit[3] = {4, 16, 8}; /* TRIGGER_TYPE_INSERT, _UPDATE, _DELETE */
    static const char *const guards[] = {"audit_log_no_update", "audit_log_no_delete"};
    struct rt_buf want = RT_BUF_INIT;
    int rc = 0, have;

    for (size_t i = 0; rc == 0 && i < rt__n_audited; i++) {
        const struct rt__audited *a = &rt__audited[i];
        const char *parts[3] = {a->record, a->ref1, a->ref2};
        json_t *row = NULL;
        int type = 0, on = 0, same = 0;

        if ((rc = rt__audit_table_exists(st, a->table, &have, err)) < 0 || !have)
            continue;
        rt_buf_reset(&want);
        for (int k = 0; k < 3; k++) {
            template_of(&want, parts[k]);
            rt_buf_adds(&want, "\\000");
        }
        if (a->skip)
            rt_buf_add(&want, a->skip + 1, strlen(a->skip) - 2);
        rt_buf_adds(&want, "\\000");
        rc = rt__sql_scalar(st, err, NULL, &row,
                            "SELECT json_build_array(t.tgtype, t.tgenabled, p.proname,"
                            " encode(t.tgargs, 'escape')) FROM pg_trigger t JOIN pg_proc p"
                            " ON p.oid = t.tgfoid WHERE t.tgrelid = CAST(?1 AS regclass)"
                            " AND t.tgname = 'audit'",
                            "t", a->table);
        if (rc == RT_ENOTFOUND)
            rc = 0;
        else if (rc < 0)
            break;
        if (row) {
            const char *args = json_string_value(json_array_get(row, 3));
            const char *fn = json_string_value(json_array_get(row, 2));
            const char *en = json_string_value(json_array_get(row, 1));
            type = (int)json_integer_value(json_array_get(row, 0));
            on = en && strcmp(en, "D");
            /* FOR EACH ROW (1), not BEFORE (2) nor INSTEAD OF (64) */
            same = (type & 1) && !(type & 2) && !(type & 64) && fn && !strcmp(fn, "rt_audit") &&
                   args && !strcmp(args, want.buf);
        }
        for (int op = 0; op < 3; op++) {
            int present = row && on && (type & op_bit[op]);
            if (!present || !same)
                rt__audit_finding(r, "trigger", 0, NULL,
                                  "the trigger audit_%s_%s is %s: %ss of table %s are not logged"
                                  " as they should be",
                                  a->table, rt__audit_ops[op], present ? "changed" : "missing",
                                  rt__audit_ops[op], a->table);
        }
        json_decref(row);
    }
    for (size_t i = 0; rc == 0 && i < RT_ARRAY_SIZE(guards); i++) {
        int64_t n = 0;
        rc = rt__sql_scalar(st, err, &n, NULL,
                            "SELECT count(*) FROM pg_trigger WHERE tgrelid = CAST('audit_log' AS"
                            " regclass) AND tgname = ?1 AND tgenabled <> 'D'",
                            "t", guards[i]);
        if (rc == 0 && !n)
            rt__audit_finding(r, "trigger", 0, NULL,
                              "the trigger %s is missing: the log is not protected from changes",
                              guards[i]);
    }
    rt_buf_release(&want);
    return rc;
}

static int hex64(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
            return 0;
    return n == 64;
}

int rt_audit_verify(struct rt_store *st, const char *head, struct rt_audit_report *out,
                    struct rt_error *err)
{
    struct link *chain = NULL;
    size_t n = 0;
    int rc, have = 0, own = 0;

    if (head && !hex64(head))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "head",
                            "'%s' is not a head (64 hex digits, as 'audit head' prints)", head);
    /* One snapshot for the whole check. PostgreSQL's read_begin does nothing inside a
     * transaction or a read already begun. */
    if (is_pg(st) || rt__sqlite_idle(st)) {
        if ((rc = rt_store_read_begin(st, err)) < 0)
            return rc;
        own = 1;
    }
    if ((rc = rt__audit_table_exists(st, "audit_log", &have, err)) < 0)
        goto out;
    if (!have) {
        rt__audit_finding(out, "trigger", 0, NULL,
                          "the database has no audit log (schema %d; it comes with schema 11)",
                          rt_store_schema_version(st));
        goto out;
    }
    if ((rc = load_chain(st, out, &chain, &n, err)) < 0)
        goto out;
    check_chain(out, chain, n, head);
    if (n) {
        out->head_id = chain[n - 1].id;
        snprintf(out->head, sizeof(out->head), "%s", chain[n - 1].hash);
    }
    if ((rc = check_replay(st, out, err)) < 0)
        goto out;
    rc = is_pg(st) ? check_pg_triggers(st, out, err) : rt__sqlite_audit_triggers(st, out, err);
out:
    if (own)
        rt_store_read_end(st);
    rt_free(chain);
    return rc;
}

void rt_audit_report_release(struct rt_audit_report *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        rt_free(r->findings[i].record);
        rt_free(r->findings[i].message);
    }
    rt_free(r->findings);
    memset(r, 0, sizeof(*r));
}
