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

#include "store/sqlite/sqlite_int.h"

#define EXPORT_VERSION 1

/* The tables, in an order that satisfies their references. */
static const char *const tables[] = {
    "source",
    "theme",
    "recommendation",
    "recommendation_by",
    "recommendation_theme",
    "recommendation_category",
    "dialogue",
    "dialogue_party",
    "round",
    "participant",
    "topic",
    "ask",
    "step",
    "link",
    "ledger_theme",
    "commitment",
    "commitment_status",
    "benchmark",
    "assessment",
    NULL,
};

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

int rt_store_export(struct rt_store *st, json_t **out, struct rt_error *err)
{
    json_t *doc = json_object(), *tabs = json_object();
    int rc = 0;

    *out = NULL;
    json_object_set_new(doc, "format", json_string("rightstrack"));
    json_object_set_new(doc, "version", json_integer(EXPORT_VERSION));
    json_object_set_new(doc, "schema", json_integer(rt_store_schema_version(st)));
    json_object_set_new(doc, "tables", tabs);
    for (size_t t = 0; tables[t] && rc == 0; t++) {
        struct rt_buf sql = RT_BUF_INIT, order = RT_BUF_INIT;
        struct column *cols;
        sqlite3_stmt *s = NULL;
        size_t n;
        json_error_t jerr;
        json_t *rows;

        if ((rc = columns(st, tables[t], &cols, &n, err)) < 0)
            break;
        rt_buf_adds(&sql, "SELECT json_group_array(json(j)) FROM (SELECT json_object(");
        for (size_t i = 0; i < n; i++) {
            if (is_state_column(cols[i].name))
                rt_buf_addf(&sql, "%s'%s', (SELECT code FROM state WHERE id = t.%s)", i ? ", " : "",
                            key_of(cols[i].name), cols[i].name);
            else
                rt_buf_addf(&sql, "%s'%s', t.%s", i ? ", " : "", cols[i].name, cols[i].name);
        }
        for (int k = 1; k <= (int)n; k++)
            for (size_t i = 0; i < n; i++)
                if (cols[i].pk == k)
                    rt_buf_addf(&order, "%st.%s", order.len ? ", " : "", cols[i].name);
        rt_buf_addf(&sql, ") j FROM %s t ORDER BY %s)", tables[t],
                    order.len ? order.buf : "t.rowid");
        if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW) {
            rc = rt__db_error(st, err, "export");
        } else {
            rows = json_loads((const char *)sqlite3_column_text(s, 0), 0, &jerr);
            if (!rows)
                rc = rt_error_set(err, RT_ESTORE, NULL, 0, tables[t], "export: %s", jerr.text);
            else
                json_object_set_new(tabs, tables[t], rows);
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

static int import_table(struct rt_store *st, const char *path, const char *table, json_t *rows,
                        struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT, field = RT_BUF_INIT;
    struct column *cols = NULL;
    sqlite3_stmt *s = NULL;
    size_t n = 0, i;
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
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        for (size_t c = 0; c < n; c++) {
            json_t *val = json_object_get(row, key_of(cols[c].name));
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

int rt_store_import_export(struct rt_store *st, const char *path, json_t *doc, struct rt_error *err)
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
        for (size_t t = 0; tables[t]; t++)
            known |= !strcmp(tables[t], k);
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
    for (size_t t = 0; tables[t]; t++) {
        json_t *rows = json_object_get(tabs, tables[t]);
        if (rows && ((rc = import_table(st, path, tables[t], rows, err)) < 0 ||
                     (rc = check_references(st, path, tables[t], rows, err)) < 0))
            return rc;
    }
    return 0;
}
