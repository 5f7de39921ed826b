/*
 * Export of the whole database as one JSON document, and its import into an empty
 * database. Lossless: ids, dates and every column are kept, so export, import into
 * an empty database and export again gives the same bytes. States are written as
 * their ISO codes, not as row ids, so that the document does not depend on the
 * iso-codes version a database was built with. Reference data (states, UPR session
 * dates, meta) is not exported: every database has its own.
 */
#include "base/compat.h"

#include <jansson.h>

#include <rightstrack/ledger.h>
#include <rightstrack/text.h>

#include "base/strmap.h"

#include "store/sqlite/sqlite_int.h"

#define EXPORT_VERSION 1

static int is_state_column(const char *col)
{
    return !strcmp(col, "sur_id") || !strcmp(col, "state_id");
}

struct column {
    char *name;
    int pk; /* position in the primary key, from 1; 0 if not in it */
};

static int columns(struct rt_store *st, const char *table, struct column **out, size_t *n,
                   struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    size_t alloc = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rt_buf_addf(&sql, "PRAGMA table_info(%s)", table);
    rc = sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL);
    rt_buf_release(&sql);
    if (rc != SQLITE_OK)
        return rt__db_error(st, err, "table_info");
    while (sqlite3_step(s) == SQLITE_ROW) {
        RT_ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[*n].name = rt__col_strdup(s, 1);
        (*out)[*n].pk = sqlite3_column_int(s, 5);
        (*n)++;
    }
    sqlite3_finalize(s);
    return 0;
}

static void columns_free(struct column *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rt_free(c[i].name);
    rt_free(c);
}

/* The column's JSON key: state columns become the state's code. */
static const char *key_of(const char *col)
{
    if (!strcmp(col, "sur_id"))
        return "state_under_review";
    if (!strcmp(col, "state_id"))
        return "state";
    return col;
}

int rt__sqlite_export(struct rt_store *st, json_t **out, struct rt_error *err)
{
    json_t *doc = json_object(), *tabs = json_object();
    int rc = 0;

    *out = NULL;
    json_object_set_new(doc, "format", json_string("rightstrack"));
    json_object_set_new(doc, "version", json_integer(EXPORT_VERSION));
    json_object_set_new(doc, "schema", json_integer(rt_store_schema_version(st)));
    json_object_set_new(doc, "tables", tabs);
    for (size_t t = 0; rt__export_tables[t] && rc == 0; t++) {
        struct rt_buf sql = RT_BUF_INIT, order = RT_BUF_INIT;
        struct column *cols;
        sqlite3_stmt *s = NULL;
        size_t n;
        json_error_t jerr;
        json_t *rows;

        if ((rc = columns(st, rt__export_tables[t], &cols, &n, err)) < 0)
            break;
        rt_buf_adds(&sql, "SELECT json_group_array(json(j)) FROM (SELECT json_object(");
        for (size_t i = 0; i < n; i++) {
            if (is_state_column(cols[i].name))
                rt_buf_addf(&sql, "%s'%s', (SELECT code FROM state WHERE id = t.%s)", i ? ", " : "",
                            key_of(cols[i].name), cols[i].name);
            else if (!strcmp(cols[i].name, "source_id") || !strcmp(cols[i].name, "step_id"))
                /* null: a record private.h hides from the reader */
                rt_buf_addf(&sql, "%s'%s', (SELECT id FROM %.*s WHERE id = t.%s)", i ? ", " : "",
                            cols[i].name, (int)(strlen(cols[i].name) - 3), cols[i].name,
                            cols[i].name);
            else
                rt_buf_addf(&sql, "%s'%s', t.%s", i ? ", " : "", cols[i].name, cols[i].name);
        }
        for (int k = 1; k <= (int)n; k++)
            for (size_t i = 0; i < n; i++)
                if (cols[i].pk == k)
                    rt_buf_addf(&order, "%st.%s", order.len ? ", " : "", cols[i].name);
        rt_buf_addf(&sql, ") j FROM %s t ORDER BY %s)", rt__export_tables[t],
                    order.len ? order.buf : "t.rowid");
        if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW) {
            rc = rt__db_error(st, err, "export");
        } else {
            rows = json_loads((const char *)sqlite3_column_text(s, 0), 0, &jerr);
            if (!rows)
                rc = rt_error_set(err, RT_ESTORE, NULL, 0, rt__export_tables[t], "export: %s",
                                  jerr.text);
            else
                json_object_set_new(tabs, rt__export_tables[t], rows);
        }
        sqlite3_finalize(s);
        rt_buf_release(&sql);
        rt_buf_release(&order);
        columns_free(cols, n);
    }
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}

static int bind_json(sqlite3_stmt *s, int i, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_NULL:
        return sqlite3_bind_null(s, i);
    case JSON_STRING:
        return sqlite3_bind_text(s, i, json_string_value(v), (int)json_string_length(v),
                                 SQLITE_STATIC);
    case JSON_INTEGER:
        return sqlite3_bind_int64(s, i, json_integer_value(v));
    case JSON_REAL:
        return sqlite3_bind_double(s, i, json_real_value(v));
    case JSON_TRUE:
    case JSON_FALSE:
        return sqlite3_bind_int(s, i, json_is_true(v));
    default:
        return SQLITE_MISMATCH;
    }
}

/*
 * The checks a restore makes of each row before it is written: the same as the
 * ledger's writes make (src/store/sqlite/ledger.c), since a file is as much input as
 * a command line. The schema's CHECK constraints catch the rest (directions,
 * statuses, ordinals).
 */
enum check {
    CHECK_DATE,      /* rt_date_check */
    CHECK_PARTY,     /* a party's code: EU, OSCE, ... or a state's ISO code */
    CHECK_PARTY_OPT, /* the same, or null */
    CHECK_NONEMPTY,  /* a text that must be there and not empty */
    CHECK_STEP_KIND, /* rt_step_kind_valid */
    CHECK_NAME,      /* a dialogue's name: not a number, no '#' */
};

static const struct {
    const char *table, *column;
    enum check check;
} checks[] = {
    {"dialogue", "name", CHECK_NONEMPTY},
    {"dialogue", "name", CHECK_NAME},
    {"dialogue_party", "party", CHECK_PARTY},
    {"round", "date", CHECK_DATE},
    {"participant", "name", CHECK_NONEMPTY},
    {"participant", "party", CHECK_PARTY_OPT},
    {"topic", "text", CHECK_NONEMPTY},
    {"ask", "from_party", CHECK_PARTY},
    {"ask", "to_party", CHECK_PARTY},
    {"ask", "text", CHECK_NONEMPTY},
    {"step", "actor", CHECK_PARTY},
    {"step", "date", CHECK_DATE},
    {"step", "kind", CHECK_STEP_KIND},
    {"step", "text", CHECK_NONEMPTY},
    {"commitment", "party", CHECK_PARTY},
    {"commitment", "promise", CHECK_NONEMPTY},
    {"commitment_status", "as_of", CHECK_DATE},
    {"benchmark", "text", CHECK_NONEMPTY},
    {"assessment", "as_of", CHECK_DATE},
    {"recommendation", "text", CHECK_NONEMPTY},
};

/* The links rt_link_add allows: from kind, relation, to kind. */
static const char *const link_kinds[][3] = {
    {"step", "answers", "ask"},           {"step", "answers", "recommendation"},
    {"step", "welcomed-in", "round"},     {"step", "responds-to", "step"},
    {"topic", "about", "recommendation"}, {"ask", "about", "recommendation"},
    {"benchmark", "tracks", "ask"},       {"benchmark", "tracks", "recommendation"},
    {"benchmark", "tracks", "step"},
};

/* A row's field as "tables.T[i].column", for errors. */
static const char *row_field(struct rt_buf *b, const char *table, size_t i, const char *column)
{
    rt_buf_reset(b);
    rt_buf_addf(b, "tables.%s[%zu]%s%s", table, i, column ? "." : "", column ? column : "");
    return b->buf;
}

static int one_check(struct rt_store *st, enum check c, const char *v)
{
    char code[16];

    switch (c) {
    case CHECK_DATE:
        return v && rt_date_check(v, NULL) == 0;
    case CHECK_PARTY_OPT:
        return !v || (rt_party_resolve(st, v, code, NULL) == 0 && !strcmp(code, v));
    case CHECK_PARTY:
        return v && rt_party_resolve(st, v, code, NULL) == 0 && !strcmp(code, v);
    case CHECK_NONEMPTY:
        return v && *v;
    case CHECK_STEP_KIND:
        return v && rt_step_kind_valid(v);
    case CHECK_NAME:
        if (!v || strchr(v, '#'))
            return 0;
        for (const char *p = v; *p; p++)
            if (*p < '0' || *p > '9')
                return 1;
        return 0;
    }
    return 0;
}

static const char *check_says(enum check c)
{
    switch (c) {
    case CHECK_DATE:
        return "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)";
    case CHECK_PARTY:
    case CHECK_PARTY_OPT:
        return "is neither a state's ISO code nor one of EU, OSCE, ODIHR, UN, OHCHR, COE";
    case CHECK_NONEMPTY:
        return "must be a text that is not empty";
    case CHECK_STEP_KIND:
        return "is not a kind of step (see 'rightstrack step add --help')";
    case CHECK_NAME:
        return "is not a dialogue's name: it must not be a number or contain '#'";
    }
    return "is not valid";
}

/*
 * Checks one row of table (index i of the file) as the ledger's writes would check
 * it; for a recommendation, *key_hash gets the hash recomputed from its text and
 * session, and a key_hash in the file that differs from it is refused.
 */
static int check_row(struct rt_store *st, const char *path, const char *table, size_t i,
                     json_t *row, int64_t *key_hash, struct rt_error *err)
{
    struct rt_buf field = RT_BUF_INIT;
    const char *k;
    json_t *v;
    int rc = 0;

    /* The text rule, for every text of every row. */
    json_object_foreach(row, k, v)
    {
        struct rt_error e = RT_ERROR_INIT;
        if (!json_is_string(v))
            continue;
        if (rt_text_check(k, json_string_value(v), json_string_length(v), &e) < 0)
            rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, k), "%s",
                              e.msg.buf);
        rt_error_release(&e);
        if (rc < 0)
            goto out;
    }
    for (size_t c = 0; c < RT_ARRAY_SIZE(checks); c++) {
        json_t *cv;
        const char *s;
        if (strcmp(checks[c].table, table))
            continue;
        cv = json_object_get(row, checks[c].column);
        s = json_string_value(cv);
        if ((cv && !json_is_null(cv) && !s) || !one_check(st, checks[c].check, s)) {
            rc =
                rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, checks[c].column),
                             "'%s' %s", s ? s : (cv && !json_is_null(cv) ? "(not a text)" : ""),
                             check_says(checks[c].check));
            goto out;
        }
    }
    if (!strcmp(table, "link")) {
        const char *f = json_string_value(json_object_get(row, "from_kind"));
        const char *r = json_string_value(json_object_get(row, "relation"));
        const char *t = json_string_value(json_object_get(row, "to_kind"));
        int ok = 0;
        for (size_t l = 0; l < RT_ARRAY_SIZE(link_kinds); l++)
            ok |= f && r && t && !strcmp(f, link_kinds[l][0]) && !strcmp(r, link_kinds[l][1]) &&
                  !strcmp(t, link_kinds[l][2]);
        if (!ok) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, "relation"),
                              "a %s cannot be linked '%s' to a %s", f ? f : "(nothing)",
                              r ? r : "(nothing)", t ? t : "(nothing)");
            goto out;
        }
    }
    if (!strcmp(table, "assessment")) {
        static const char *const bench[] = {"met", "partly-met", "not-met", NULL};
        const char *t = json_string_value(json_object_get(row, "target_kind"));
        const char *s = json_string_value(json_object_get(row, "status"));
        int is_bench = 0, ok;
        for (size_t b = 0; s && bench[b]; b++)
            is_bench |= !strcmp(s, bench[b]);
        ok = t && s && ((strcmp(t, "benchmark") == 0) == is_bench);
        if (!ok) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, "status"),
                              "'%s' is not a status of a%s %s", s ? s : "",
                              t && !strcmp(t, "ask") ? "n" : "", t ? t : "(nothing)");
            goto out;
        }
    }
    if (!strcmp(table, "recommendation")) {
        json_t *text = json_object_get(row, "text"), *given = json_object_get(row, "key_hash");
        json_t *session = json_object_get(row, "session");
        if (session && !json_is_null(session) && !json_is_integer(session)) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, "session"),
                              "a session is a whole number or null");
            goto out;
        }
        *key_hash = rt__rec_key_hash(json_string_value(text), json_string_length(text),
                                     (int)json_integer_value(session),
                                     json_string_value(json_object_get(row, "mechanism")),
                                     json_string_value(json_object_get(row, "paragraph")));
        if (given && !json_is_null(given) &&
            (!json_is_integer(given) || json_integer_value(given) != *key_hash)) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, "key_hash"),
                              "key_hash does not match the recommendation's text and session: "
                              "the file was changed after it was exported");
            goto out;
        }
    }
out:
    rt_buf_release(&field);
    return rc;
}

/*
 * The references a foreign key cannot hold (a kind and an id): links, themes of
 * topics and asks, assessments. They are checked once every table is in (a link
 * may point at a benchmark, written after it). A theme's area must be one of the
 * taxonomy's.
 */
static int check_kind_refs(struct rt_store *st, const char *path, const char *table, json_t *rows,
                           struct rt_error *err)
{
    static const struct {
        const char *table, *kind, *id;
    } refs[] = {
        /* clang-format off */
        {"link", "from_kind", "from_id"},
        {"link", "to_kind", "to_id"},
        {"ledger_theme", "item_kind", "item_id"},
        {"assessment", "target_kind", "target_id"},
        {"private_record", "kind", "id"},
        /* clang-format on */
    };
    struct rt_buf sql = RT_BUF_INIT, field = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    size_t i;
    json_t *row;
    int rc = 0;

    json_array_foreach(rows, i, row)
    {
        for (size_t r = 0; r < RT_ARRAY_SIZE(refs) && rc == 0; r++) {
            const char *kind;
            if (strcmp(refs[r].table, table))
                continue;
            /* The kinds passed the schema's CHECK: each is the name of its table. */
            kind = json_string_value(json_object_get(row, refs[r].kind));
            rt_buf_reset(&sql);
            rt_buf_addf(&sql, "SELECT 1 FROM %s WHERE id = ?1", kind);
            if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK) {
                rc = rt__db_error(st, err, "prepare");
                break;
            }
            if (bind_json(s, 1, json_object_get(row, refs[r].id)) != SQLITE_OK ||
                sqlite3_step(s) != SQLITE_ROW)
                rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, refs[r].id),
                                  "refers to %s %lld, which the file does not hold", kind,
                                  (long long)json_integer_value(json_object_get(row, refs[r].id)));
            sqlite3_finalize(s);
            s = NULL;
        }
        if (rc == 0 && !strcmp(table, "ledger_theme")) {
            if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM theme_area WHERE code = ?1", -1, &s,
                                   NULL) != SQLITE_OK) {
                rc = rt__db_error(st, err, "prepare");
                break;
            }
            if (bind_json(s, 1, json_object_get(row, "area")) != SQLITE_OK ||
                sqlite3_step(s) != SQLITE_ROW)
                rc = rt_error_set(err, RT_EINVAL, path, 0, row_field(&field, table, i, "area"),
                                  "'%s' is not an area of the theme taxonomy",
                                  json_string_value(json_object_get(row, "area")));
            sqlite3_finalize(s);
            s = NULL;
        }
        if (rc < 0)
            break;
    }
    rt_buf_release(&sql);
    rt_buf_release(&field);
    return rc;
}

static int import_table(struct rt_store *st, const char *path, const char *table, json_t *rows,
                        struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, field = RT_BUF_INIT;
    struct column *cols = NULL;
    sqlite3_stmt *s = NULL;
    size_t n = 0, i;
    int64_t key_hash = 0;
    json_t *row;
    int rc;

    if (!json_is_array(rows))
        return rt_error_set(err, RT_EINVAL, path, 0, table, "'tables.%s' must be an array", table);
    if ((rc = columns(st, table, &cols, &n, err)) < 0)
        return rc;
    rt_buf_addf(&sql, "INSERT INTO %s(", table);
    for (size_t c = 0; c < n; c++)
        rt_buf_addf(&sql, "%s%s", c ? ", " : "", cols[c].name);
    rt_buf_adds(&sql, ") VALUES (");
    for (size_t c = 0; c < n; c++)
        rt_buf_addf(&sql,
                    is_state_column(cols[c].name) ? "%s(SELECT id FROM state WHERE code = ?%zu)"
                                                  : "%s?%zu",
                    c ? ", " : "", c + 1);
    rt_buf_adds(&sql, ")");
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    json_array_foreach(rows, i, row)
    {
        const char *k;
        json_t *v;

        rt_buf_reset(&field);
        rt_buf_addf(&field, "tables.%s[%zu]", table, i);
        if (!json_is_object(row)) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, field.buf, "a row must be an object");
            goto out;
        }
        json_object_foreach(row, k, v)
        {
            int known = 0;
            for (size_t c = 0; c < n; c++)
                known |= !strcmp(key_of(cols[c].name), k);
            if (!known) {
                rc = rt_error_set(err, RT_EINVAL, path, 0, field.buf, "unknown column '%s'", k);
                goto out;
            }
        }
        if ((rc = check_row(st, path, table, i, row, &key_hash, err)) < 0)
            goto out;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        for (size_t c = 0; c < n; c++) {
            json_t *val = json_object_get(row, key_of(cols[c].name));
            if (!strcmp(table, "recommendation") && !strcmp(cols[c].name, "key_hash")) {
                sqlite3_bind_int64(s, (int)c + 1, key_hash);
                continue;
            }
            if (val && bind_json(s, (int)c + 1, val) != SQLITE_OK) {
                rc = rt_error_set(err, RT_EINVAL, path, 0, field.buf,
                                  "column '%s' must be a string, a number or null",
                                  key_of(cols[c].name));
                goto out;
            }
        }
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = rt_error_set(err, RT_EINVAL, path, 0, field.buf, "cannot add the row: %s",
                              sqlite3_errmsg(st->db));
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(s);
    rt_buf_release(&sql);
    rt_buf_release(&field);
    columns_free(cols, n);
    return rc;
}

/*
 * The references of table's rows, once they are in: during a load foreign keys are
 * off, so a row that refers to nothing would only be caught at the commit, without
 * its place in the file. A broken one is named by its row and column.
 */
static int check_references(struct rt_store *st, const char *path, const char *table, json_t *rows,
                            struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, field = RT_BUF_INIT;
    sqlite3_stmt *s = NULL, *look = NULL;
    char *parent = NULL, *from = NULL, *to = NULL;
    int64_t fkid;
    size_t i;
    json_t *row;
    int rc = 0;

    rt_buf_addf(&sql, "PRAGMA foreign_key_check(%s)", table);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "foreign key check");
        goto out;
    }
    parent = rt_xstrdup((const char *)sqlite3_column_text(s, 2));
    fkid = sqlite3_column_int64(s, 3);
    sqlite3_finalize(s);
    rt_buf_reset(&sql);
    rt_buf_addf(&sql, "SELECT \"from\", \"to\" FROM pragma_foreign_key_list('%s') WHERE id = %lld",
                table, (long long)fkid);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        rc = rt__db_error(st, err, "foreign key list");
        goto out;
    }
    from = rt_xstrdup((const char *)sqlite3_column_text(s, 0));
    to = rt_xstrdup(sqlite3_column_type(s, 1) == SQLITE_NULL
                        ? "rowid"
                        : (const char *)sqlite3_column_text(s, 1));
    rt_buf_reset(&sql);
    rt_buf_addf(&sql, "SELECT 1 FROM %s WHERE %s = ?1", parent, to);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &look, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    json_array_foreach(rows, i, row)
    {
        json_t *v = json_object_get(row, key_of(from));
        if (!v || json_is_null(v) || is_state_column(from))
            continue;
        sqlite3_reset(look);
        if (bind_json(look, 1, v) == SQLITE_OK && sqlite3_step(look) == SQLITE_ROW)
            continue;
        rt_buf_addf(&field, "tables.%s[%zu]", table, i);
        rc = rt_error_set(err, RT_EINVAL, path, 0, field.buf,
                          "column '%s' refers to a row of %s that the file does not hold", from,
                          parent);
        goto out;
    }
    /* Not found row by row (a reference through a state code): name the table. */
    rc = rt_error_set(err, RT_EINVAL, path, 0, table,
                      "a row of tables.%s refers to a row of %s that the file does not hold", table,
                      parent);
out:
    sqlite3_finalize(s);
    sqlite3_finalize(look);
    rt_free(parent);
    rt_free(from);
    rt_free(to);
    rt_buf_release(&sql);
    rt_buf_release(&field);
    return rc;
}

int rt__sqlite_import_export(struct rt_store *st, const char *path, json_t *doc,
                             struct rt_error *err)
{
    json_t *tabs = json_object_get(doc, "tables"), *v;
    const char *k;
    int64_t used = 0;
    int rc;

    const char *format = json_string_value(json_object_get(doc, "format"));

    if (!json_is_object(doc) || !format || strcmp(format, "rightstrack"))
        return rt_error_set(err, RT_EFORMAT, path, 0, "format",
                            "not a rightstrack export (\"format\": \"rightstrack\" is missing)");
    if (json_integer_value(json_object_get(doc, "version")) != EXPORT_VERSION)
        return rt_error_set(err, RT_EFORMAT, path, 0, "version",
                            "export version %lld is not %d, the one this rightstrack reads",
                            (long long)json_integer_value(json_object_get(doc, "version")),
                            EXPORT_VERSION);
    if (!json_is_object(tabs))
        return rt_error_set(err, RT_EINVAL, path, 0, "tables", "\"tables\" must be an object");
    json_object_foreach(tabs, k, v)
    {
        int known = 0;
        for (size_t t = 0; rt__export_tables[t]; t++)
            known |= !strcmp(rt__export_tables[t], k);
        if (!known)
            return rt_error_set(err, RT_EINVAL, path, 0, "tables", "unknown table '%s'", k);
    }
    /* Recommendations a load has queued count as data too. */
    if ((rc = rt__recs_flush_and_stop(st, err)) < 0)
        return rc;
    {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db,
                               "SELECT (SELECT count(*) FROM recommendation)"
                               " + (SELECT count(*) FROM dialogue) + (SELECT count(*) FROM step)"
                               " + (SELECT count(*) FROM source)",
                               -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            used = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    if (used)
        return rt_error_set(err, RT_EINVAL, path, 0, NULL,
                            "an export is restored into an empty database; this one holds data");
    for (size_t t = 0; rt__export_tables[t]; t++) {
        json_t *rows = json_object_get(tabs, rt__export_tables[t]);
        if (rows && ((rc = import_table(st, path, rt__export_tables[t], rows, err)) < 0 ||
                     (rc = check_references(st, path, rt__export_tables[t], rows, err)) < 0))
            return rc;
    }
    /* A link may point at a row of a table written after it: these come at the end. */
    for (size_t t = 0; rt__export_tables[t]; t++) {
        json_t *rows = json_object_get(tabs, rt__export_tables[t]);
        if (rows && (rc = check_kind_refs(st, path, rt__export_tables[t], rows, err)) < 0)
            return rc;
    }
    /* An export from before schema 15 has no recommendation_source: each recommendation
     * then has the one source it names, as the migration gives a database. */
    if (!json_object_get(tabs, "recommendation_source") &&
        sqlite3_exec(st->db,
                     "INSERT INTO recommendation_source(rec_id, source_id, response)"
                     " SELECT id, source_id, response FROM recommendation"
                     " WHERE source_id IS NOT NULL",
                     NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "sources of the recommendations");
    return 0;
}
