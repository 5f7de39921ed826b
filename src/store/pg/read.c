/*
 * The PostgreSQL store's reads of recommendations, states and themes (show, the pages
 * of a search, stats) and export --json: PostgreSQL's own SQL, shaped as the SQLite
 * back end shapes them.
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/pg/ops.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/ops.h"

/* Reads. */

/* Runs a statement with one int64 parameter. */
static PGresult *exec_id(struct pg_store *s, const char *name, const char *sql, int64_t id,
                         struct rt_error *err)
{
    char num[24];
    const char *v[1] = {num};

    snprintf(num, sizeof(num), "%lld", (long long)id);
    return rt__pg_exec(s->pg, name, sql, 1, v, err);
}

static char *dup_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : rt_xstrdup(PQgetvalue(r, row, col));
}

int rt__pg_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                      struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf key = RT_BUF_INIT;
    const char *v[1];
    PGresult *r;
    int rc;

    if (s->scratch)
        return rt__sqlite_state_find(s->scratch, name, len, out_id, err);
    if (rt_text_name_key(name, len, &key) < 0 || !key.len) {
        rt_buf_release(&key);
        return RT_ENOTFOUND;
    }
    if (rt__strmap_get(&s->state_ids, key.buf, key.len, out_id)) {
        rt_buf_release(&key);
        return 0;
    }
    v[0] = key.buf;
    r = rt__pg_exec(s->pg, "pg_state_find", "SELECT state_id FROM state_name WHERE key = $1", 1, v,
                    err);
    if (!r) {
        rt_buf_release(&key);
        return RT_ESTORE;
    }
    rc = PQntuples(r) ? 0 : RT_ENOTFOUND;
    if (rc == 0) {
        *out_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        rt__strmap_put(&s->state_ids, key.buf, key.len, *out_id);
    }
    rt_buf_release(&key);
    PQclear(r);
    return rc;
}

int rt__pg_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                     struct rt_error *err)
{
    struct pg_store *s = PG(st);
    char key[24];
    int64_t at;
    PGresult *r;
    int rc = 0;

    if (s->scratch)
        return rt__sqlite_state_get(s->scratch, id, ref, err);
    snprintf(key, sizeof(key), "%lld", (long long)id);
    if (rt__strmap_get(&s->state_at, key, strlen(key), &at)) {
        memcpy(ref->code, s->states[at].code, sizeof(ref->code));
        ref->name = rt_xstrdup(s->states[at].name);
        return 0;
    }
    if (!(r = exec_id(s, "pg_state_get", "SELECT code, name FROM state WHERE id = $1", id, err)))
        return RT_ESTORE;
    if (PQntuples(r)) {
        struct rt_state_ref *kept;
        snprintf(ref->code, sizeof(ref->code), "%s", PQgetvalue(r, 0, 0));
        ref->name = rt_xstrdup(PQgetvalue(r, 0, 1));
        RT_ALLOC_GROW(s->states, s->n_states + 1, s->states_alloc);
        kept = &s->states[s->n_states];
        memcpy(kept->code, ref->code, sizeof(kept->code));
        kept->name = rt_xstrdup(ref->name);
        rt__strmap_put(&s->state_at, key, strlen(key), (int64_t)s->n_states++);
    } else {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no state with id %lld", (long long)id);
    }
    PQclear(r);
    return rc;
}

/* A recommendation's own row (RT__REC_COLUMNS, from column c on) into r. */
static void rec_fill(const PGresult *q, int row, int c, struct rt_rec *r)
{
    r->id = strtoll(PQgetvalue(q, row, c), NULL, 10);
    r->mechanism = rt_xstrdup(PQgetvalue(q, row, c + 1));
    r->cycle = (int)strtol(PQgetvalue(q, row, c + 2), NULL, 10);
    r->session = (int)strtol(PQgetvalue(q, row, c + 3), NULL, 10);
    r->paragraph = dup_or_null(q, row, c + 4);
    r->text = rt_xstrdup(PQgetvalue(q, row, c + 5));
    snprintf(r->sur.code, sizeof(r->sur.code), "%s", PQgetvalue(q, row, c + 6));
    r->sur.name = rt_xstrdup(PQgetvalue(q, row, c + 7));
    if (rt_response_parse(PQgetvalue(q, row, c + 8), &r->response) < 0)
        r->response = RT_RESPONSE_PENDING;
    r->action_category = (int)strtol(PQgetvalue(q, row, c + 9), NULL, 10);
    r->source_id = strtoll(PQgetvalue(q, row, c + 10), NULL, 10);
    r->source_path = dup_or_null(q, row, c + 11);
    r->created_at = rt_xstrdup(PQgetvalue(q, row, c + 12));
    if (!PQgetisnull(q, row, c + 13)) {
        r->action_category_origin = rt_xstrdup(PQgetvalue(q, row, c + 13));
        r->action_category_confidence = strtod(PQgetvalue(q, row, c + 14), NULL);
    }
}

/* The recommending states and themes of r. */
static int rec_links(struct pg_store *s, struct rt_rec *r, struct rt_error *err)
{
    PGresult *q;
    int n;

    if (!(q = exec_id(s, "pg_rec_by",
                      "SELECT s.code, s.name FROM recommendation_by b JOIN state s"
                      " ON s.id = b.state_id WHERE b.rec_id = $1 ORDER BY s.name COLLATE \"C\"",
                      r->id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->by = rt_xcalloc((size_t)n, sizeof(*r->by));
        for (int i = 0; i < n; i++) {
            snprintf(r->by[i].code, sizeof(r->by[i].code), "%s", PQgetvalue(q, i, 0));
            r->by[i].name = rt_xstrdup(PQgetvalue(q, i, 1));
        }
        r->n_by = (size_t)n;
    }
    PQclear(q);
    if (!(q = exec_id(s, "pg_rec_themes",
                      "SELECT t.vocabulary, t.label, rt.origin, rt.confidence"
                      " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
                      " WHERE rt.rec_id = $1 ORDER BY t.vocabulary COLLATE \"C\","
                      " t.label COLLATE \"C\", rt.origin COLLATE \"C\"",
                      r->id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->themes = rt_xcalloc((size_t)n, sizeof(*r->themes));
        for (int i = 0; i < n; i++) {
            r->themes[i].vocabulary = rt_xstrdup(PQgetvalue(q, i, 0));
            r->themes[i].label = rt_xstrdup(PQgetvalue(q, i, 1));
            r->themes[i].origin = rt_xstrdup(PQgetvalue(q, i, 2));
            r->themes[i].confidence = strtod(PQgetvalue(q, i, 3), NULL);
        }
        r->n_themes = (size_t)n;
    }
    PQclear(q);
    return 0;
}

int rt__pg_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    PGresult *q;
    int n, rc;

    if (!(q = exec_id(s, "pg_rec_get", RT__REC_SELECT " WHERE r.id = $1", id, err)))
        return RT_ESTORE;
    if (!PQntuples(q)) {
        PQclear(q);
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no recommendation with id %lld",
                            (long long)id);
    }
    rec_fill(q, 0, 0, r);
    PQclear(q);
    if ((rc = rec_links(s, r, err)) < 0)
        return rc;
    if (!(q = exec_id(s, "pg_rec_sources",
                      "SELECT src.id, src.kind, src.path, rs.response"
                      " FROM recommendation_source rs JOIN source src ON src.id = rs.source_id"
                      " WHERE rs.rec_id = $1 ORDER BY src.id",
                      id, err)))
        return RT_ESTORE;
    n = PQntuples(q);
    if (n) {
        r->sources = rt_xcalloc((size_t)n, sizeof(*r->sources));
        for (int i = 0; i < n; i++) {
            struct rt_rec_source *src = &r->sources[i];
            src->id = strtoll(PQgetvalue(q, i, 0), NULL, 10);
            src->kind = rt_xstrdup(PQgetvalue(q, i, 1));
            src->path = rt_xstrdup(PQgetvalue(q, i, 2));
            src->response = RT_RESPONSE_PENDING;
            rt_response_parse(PQgetvalue(q, i, 3), &src->response);
        }
        r->n_sources = (size_t)n;
    }
    PQclear(q);
    if (!(q = exec_id(s, "pg_rec_election",
                      "SELECT election, election_date, report_date, priority"
                      " FROM recommendation_election WHERE rec_id = $1",
                      id, err)))
        return RT_ESTORE;
    if (PQntuples(q)) {
        r->election = dup_or_null(q, 0, 0);
        r->election_date = dup_or_null(q, 0, 1);
        r->report_date = dup_or_null(q, 0, 2);
        r->priority = (int)strtol(PQgetvalue(q, 0, 3), NULL, 10);
    }
    PQclear(q);
    return 0;
}

/*
 * The page's rows in one statement, whatever the page (prepared once, ids an array in
 * the page's order): rows (part, place, then RT__REC_COLUMNS, then a state's code and
 * name, then a theme's vocabulary, label, origin and confidence), in no order. Part 0
 * is one row whose place is the data version (PG_VERSION), of the same snapshot as
 * the rest; part 1 a recommendation's row, place its index in the array; part 2 a
 * recommending state and part 3 a theme of the recommendation at place (recs_load
 * sorts them as rec_links' statements do). The NULLs of the first part give the later
 * parts' types.
 */
#define PG_PAGE_NULLS15 "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
#define PG_PAGE_SQL                                                                                \
    "WITH ids(id, place) AS (SELECT u.id, u.n - 1 FROM unnest($1::bigint[])"                       \
    " WITH ORDINALITY u(id, n))"                                                                   \
    " SELECT 1, ids.place, " RT__REC_COLUMNS ","                                                   \
    " NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::float8"                    \
    " FROM ids JOIN " RT__REC_TABLES " ON r.id = ids.id"                                           \
    " UNION ALL SELECT 0, (" PG_VERSION "), " PG_PAGE_NULLS15 " NULL, NULL, NULL,"                 \
    " NULL, NULL, NULL, NULL, NULL, NULL"                                                          \
    " UNION ALL SELECT 2, ids.place, " PG_PAGE_NULLS15 " NULL, NULL, NULL, s.code, s.name,"        \
    " NULL, NULL, NULL, NULL"                                                                      \
    " FROM ids JOIN recommendation_by b ON b.rec_id = ids.id JOIN state s ON s.id = b.state_id"    \
    " UNION ALL SELECT 3, ids.place, " PG_PAGE_NULLS15 " NULL, NULL, NULL, NULL, NULL,"            \
    " t.vocabulary, t.label, rt.origin, rt.confidence"                                             \
    " FROM ids JOIN recommendation_theme rt ON rt.rec_id = ids.id"                                 \
    " JOIN theme t ON t.id = rt.theme_id"

/* rec_links' orders: states by name, themes by vocabulary, label and origin, as
 * COLLATE "C" sorts (bytes). */
static int by_cmp(const void *a, const void *b)
{
    const struct rt_state_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->code, y->code);
}

static int theme_cmp(const void *a, const void *b)
{
    const struct rt_rec_theme *x = a, *y = b;
    int c = strcmp(x->vocabulary, y->vocabulary);
    if (!c)
        c = strcmp(x->label, y->label);
    return c ? c : strcmp(x->origin, y->origin);
}

/*
 * As rec_get loads one, without sources and election (as SQLite's recs_load): one
 * statement for all of them (PG_PAGE_SQL), one round trip; with version not NULL,
 * *version is the data version of the same snapshot, so that a search learns with
 * its page whether the facet index it used is still of the data (with no page, that
 * alone).
 */
int rt__pg_recs_read(struct pg_store *s, const int64_t *ids, size_t n, struct rt_rec *recs,
                     int64_t *version, struct rt_error *err)
{
    enum { C_REC = 2, C_BY = C_REC + 15, C_THEME = C_BY + 2 };
    struct rt_buf arr = RT_BUF_INIT;
    const char *v[1];
    PGresult *q;
    size_t found = 0;
    int rc = 0;

    if (!n)
        return version ? rt__pg_data_version(s, version, err) : 0;
    rt_buf_addch(&arr, '{');
    for (size_t i = 0; i < n; i++)
        rt_buf_addf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
    rt_buf_addch(&arr, '}');
    v[0] = arr.buf;
    q = rt__pg_exec(s->pg, "pg_recs_page", PG_PAGE_SQL, 1, v, err);
    rt_buf_release(&arr);
    if (!q)
        return RT_ESTORE;
    for (int row = 0; row < PQntuples(q); row++) {
        long part = strtol(PQgetvalue(q, row, 0), NULL, 10);
        long long at = strtoll(PQgetvalue(q, row, 1), NULL, 10);
        struct rt_rec *r;

        if (part == 0) {
            if (version)
                *version = at;
            continue;
        }
        if (at < 0 || (size_t)at >= n)
            continue;
        r = &recs[at];
        if (part == 1 && !r->id) {
            rec_fill(q, row, C_REC, r);
            found++;
        } else if (part == 2) {
            r->by = rt_xrealloc(r->by, (r->n_by + 1) * sizeof(*r->by));
            snprintf(r->by[r->n_by].code, sizeof(r->by[r->n_by].code), "%s",
                     PQgetvalue(q, row, C_BY));
            r->by[r->n_by++].name = rt_xstrdup(PQgetvalue(q, row, C_BY + 1));
        } else if (part == 3) {
            struct rt_rec_theme *t;
            r->themes = rt_xrealloc(r->themes, (r->n_themes + 1) * sizeof(*r->themes));
            t = &r->themes[r->n_themes++];
            t->vocabulary = rt_xstrdup(PQgetvalue(q, row, C_THEME));
            t->label = rt_xstrdup(PQgetvalue(q, row, C_THEME + 1));
            t->origin = rt_xstrdup(PQgetvalue(q, row, C_THEME + 2));
            t->confidence = strtod(PQgetvalue(q, row, C_THEME + 3), NULL);
        }
    }
    PQclear(q);
    for (size_t i = 0; i < n; i++) {
        if (recs[i].n_by > 1)
            qsort(recs[i].by, recs[i].n_by, sizeof(*recs[i].by), by_cmp);
        if (recs[i].n_themes > 1)
            qsort(recs[i].themes, recs[i].n_themes, sizeof(*recs[i].themes), theme_cmp);
    }
    if (found < n)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "a recommendation is no longer there");
    return rc;
}

int rt__pg_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                     struct rt_error *err)
{
    return rt__pg_recs_read(PG(st), ids, n, recs, NULL, err);
}

static int64_t scalar(struct pg_store *s, const char *name, const char *sql, int64_t sur_id,
                      int *rc, struct rt_error *err)
{
    PGresult *r;
    int64_t v = 0;

    if (*rc < 0)
        return 0;
    if (!(r = exec_id(s, name, sql, sur_id, err))) {
        *rc = RT_ESTORE;
        return 0;
    }
    if (PQntuples(r))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

/* Every recommendation ($1 = 0) or those to the state $1. */
#define SUR_R " WHERE ($1 = 0 OR r.sur_id = $1)"

static int counts_of(PGresult *r, struct rt_count **out, size_t *n)
{
    int rows = PQntuples(r);

    *out = rt_xcalloc(rows ? (size_t)rows : 1, sizeof(**out));
    for (int i = 0; i < rows; i++) {
        (*out)[i].key = rt_xstrdup(PQgetvalue(r, i, 0));
        (*out)[i].n = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    *n = (size_t)rows;
    return 0;
}

int rt__pg_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *out, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    PGresult *r;
    int rc = 0;

    out->recommendations =
        scalar(s, "pg_stats_recs", "SELECT count(*) FROM recommendation r" SUR_R, sur_id, &rc, err);
    out->states_under_review =
        scalar(s, "pg_stats_sur", "SELECT count(DISTINCT r.sur_id) FROM recommendation r" SUR_R,
               sur_id, &rc, err);
    out->recommending_states = scalar(s, "pg_stats_by",
                                      "SELECT count(DISTINCT b.state_id) FROM recommendation r"
                                      " JOIN recommendation_by b ON b.rec_id = r.id" SUR_R,
                                      sur_id, &rc, err);
    out->sources =
        scalar(s, "pg_stats_sources", "SELECT count(*) + 0 * $1 FROM source", sur_id, &rc, err);
    out->themes = scalar(s, "pg_stats_themes",
                         "SELECT count(DISTINCT rt.theme_id) FROM recommendation r"
                         " JOIN recommendation_theme rt ON rt.rec_id = r.id" SUR_R,
                         sur_id, &rc, err);
    if (rc < 0)
        return rc;
    if (!(r = exec_id(s, "pg_stats_responses",
                      "SELECT r.response, count(*) FROM recommendation r" SUR_R
                      " GROUP BY r.response",
                      sur_id, err)))
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        enum rt_response resp;
        if (rt_response_parse(PQgetvalue(r, i, 0), &resp) == 0)
            out->by_response[resp] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    PQclear(r);
    if (!(r = exec_id(s, "pg_stats_cycles",
                      "SELECT r.cycle, count(*) FROM recommendation r" SUR_R
                      " AND r.cycle > 0 GROUP BY 1 ORDER BY 1",
                      sur_id, err)))
        return RT_ESTORE;
    counts_of(r, &out->by_cycle, &out->n_by_cycle);
    PQclear(r);
    return 0;
}

/* export --json: the tables of rt__export_tables (src/store/store.c), in the form of
 * src/store/sqlite/exchange.c. */

static const char *key_of(const char *col)
{
    if (!strcmp(col, "sur_id"))
        return "state_under_review";
    if (!strcmp(col, "state_id"))
        return "state";
    return col;
}

/* A value of PostgreSQL's text output as JSON, by the column's type. */
static json_t *value_json(const PGresult *r, int row, int col, const char *type)
{
    const char *v;

    if (PQgetisnull(r, row, col))
        return json_null();
    v = PQgetvalue(r, row, col);
    if (!strcmp(type, "bigint") || !strcmp(type, "integer") || !strcmp(type, "smallint"))
        return json_integer(strtoll(v, NULL, 10));
    if (!strcmp(type, "double precision") || !strcmp(type, "real") || !strcmp(type, "numeric")) {
        /* SQLite's json_object writes a real with 15 significant digits, which its
         * export reads back: the same rounding here (a model's confidences). */
        char d[40];
        snprintf(d, sizeof(d), "%.15g", strtod(v, NULL));
        return json_real(strtod(d, NULL));
    }
    return json_string(v);
}

static int export_table(struct pg_store *s, const char *table, json_t *tabs, struct rt_error *err)
{
    const char *v[1] = {table};
    struct rt_buf sql = RT_BUF_INIT, order = RT_BUF_INIT;
    PGresult *cols, *rows = NULL;
    json_t *arr;
    int n, rc = 0;

    if (!(cols = rt__pg_exec(
              s->pg, "pg_export_columns",
              /* The table in the schema of the tables (meta's), not the view that
               * shadows it for the public (private.c), nor pg_temp, which is then the
               * current schema. */
              "WITH s AS (SELECT n.nspname, to_regclass(format('%I.%I', n.nspname, $1::text)) AS t"
              " FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
              " WHERE k.oid = to_regclass('meta'))"
              " SELECT c.column_name, c.data_type,"
              " coalesce((SELECT k.n FROM pg_index i,"
              " unnest(i.indkey::int2[]) WITH ORDINALITY k(att, n)"
              " JOIN pg_attribute a ON a.attrelid = s.t AND a.attnum = k.att"
              " WHERE i.indrelid = s.t AND i.indisprimary"
              " AND a.attname = c.column_name), 0)"
              " FROM s, information_schema.columns c WHERE c.table_schema = s.nspname"
              " AND c.table_name = $1::text ORDER BY c.ordinal_position",
              1, v, err)))
        return RT_ESTORE;
    n = PQntuples(cols);
    if (!n) {
        PQclear(cols);
        json_object_set_new(tabs, table, json_array());
        return 0;
    }
    rt_buf_adds(&sql, "SELECT ");
    for (int i = 0; i < n; i++) {
        const char *c = PQgetvalue(cols, i, 0);
        if (i)
            rt_buf_adds(&sql, ", ");
        if (!strcmp(c, "sur_id") || !strcmp(c, "state_id"))
            rt_buf_addf(&sql, "(SELECT code FROM state WHERE id = t.%s)", c);
        else if (!strcmp(c, "source_id") || !strcmp(c, "step_id"))
            /* null: a record private.h hides from the reader (as exchange.c) */
            rt_buf_addf(&sql, "(SELECT id FROM %.*s WHERE id = t.%s)", (int)(strlen(c) - 3), c, c);
        else
            rt_buf_addf(&sql, "t.%s", c);
    }
    for (int k = 1; k <= n; k++)
        for (int i = 0; i < n; i++)
            if (strtol(PQgetvalue(cols, i, 2), NULL, 10) == k)
                rt_buf_addf(&order, "%st.%s", order.len ? ", " : "", PQgetvalue(cols, i, 0));
    rt_buf_addf(&sql, " FROM %s t ORDER BY %s", table, order.len ? order.buf : "1");
    rows = PQexec(rt__pg_conn(s->pg), sql.buf);
    if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
        rc = rt_error_set(err, RT_ESTORE, NULL, 0, table, "export: %s", PQresultErrorMessage(rows));
        goto out;
    }
    arr = json_array();
    for (int row = 0; row < PQntuples(rows); row++) {
        json_t *o = json_object();
        for (int i = 0; i < n; i++) {
            const char *c = PQgetvalue(cols, i, 0);
            json_t *val = !strcmp(c, "sur_id") || !strcmp(c, "state_id")
                              ? value_json(rows, row, i, "text")
                              : value_json(rows, row, i, PQgetvalue(cols, i, 1));
            json_object_set_new(o, key_of(c), val);
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(tabs, table, arr);
out:
    PQclear(rows);
    PQclear(cols);
    rt_buf_release(&sql);
    rt_buf_release(&order);
    return rc;
}

int rt__pg_export(struct rt_store *st, json_t **out, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    json_t *doc = json_object(), *tabs = json_object();
    int rc = 0;

    *out = NULL;
    json_object_set_new(doc, "format", json_string("rightstrack"));
    json_object_set_new(doc, "version", json_integer(1));
    json_object_set_new(doc, "schema", json_integer(s->schema));
    json_object_set_new(doc, "tables", tabs);
    for (size_t t = 0; rt__export_tables[t] && rc == 0; t++)
        rc = export_table(s, rt__export_tables[t], tabs, err);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
