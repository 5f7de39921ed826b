/* Reading recommendations back: one by id, statistics, and search with facets. */
#include "base/compat.h"

#include "store/sqlite/sqlite_int.h"

static int prepare(struct rt_store *st, const char *sql, sqlite3_stmt **out, struct rt_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return rt__db_error(st, err, "prepare");
    }
    return 0;
}

static int load_by(struct rt_store *st, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s;
    size_t alloc = 0;
    int rc;

    if (!(s = rt__stmt(st, STMT_REC_GET_BY, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt_state_ref *ref;
        RT_ALLOC_GROW(r->by, r->n_by + 1, alloc);
        ref = &r->by[r->n_by++];
        snprintf(ref->code, sizeof(ref->code), "%s", (const char *)sqlite3_column_text(s, 0));
        ref->name = rt__col_strdup(s, 1);
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "recommending states");
    sqlite3_reset(s);
    return rc;
}

static int load_themes(struct rt_store *st, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s;
    size_t alloc = 0;
    int rc;

    if (!(s = rt__stmt(st, STMT_REC_GET_THEMES, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt_rec_theme *t;
        RT_ALLOC_GROW(r->themes, r->n_themes + 1, alloc);
        t = &r->themes[r->n_themes++];
        t->vocabulary = rt__col_strdup(s, 0);
        t->label = rt__col_strdup(s, 1);
        t->origin = rt__col_strdup(s, 2);
        t->confidence = sqlite3_column_double(s, 3);
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "themes");
    sqlite3_reset(s);
    return rc;
}

int rt_store_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc;

    if (!(s = rt__stmt(st, STMT_REC_GET, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL,
                                              "no recommendation with id %lld", (long long)id)
                               : rt__db_error(st, err, "recommendation");
        goto out;
    }
    r->id = sqlite3_column_int64(s, 0);
    r->mechanism = rt__col_strdup(s, 1);
    r->cycle = sqlite3_column_int(s, 2);
    r->session = sqlite3_column_int(s, 3);
    if (sqlite3_column_type(s, 4) != SQLITE_NULL)
        r->paragraph = rt__col_strdup(s, 4);
    r->text = rt__col_strdup(s, 5);
    snprintf(r->sur.code, sizeof(r->sur.code), "%s", (const char *)sqlite3_column_text(s, 6));
    r->sur.name = rt__col_strdup(s, 7);
    if (rt_response_parse((const char *)sqlite3_column_text(s, 8), &r->response) < 0)
        r->response = RT_RESPONSE_PENDING;
    r->action_category = sqlite3_column_int(s, 9);
    r->source_id = sqlite3_column_int64(s, 10);
    if (sqlite3_column_type(s, 11) != SQLITE_NULL)
        r->source_path = rt__col_strdup(s, 11);
    r->created_at = rt__col_strdup(s, 12);
    if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
        r->action_category_origin = rt__col_strdup(s, 13);
        r->action_category_confidence = sqlite3_column_double(s, 14);
    }
    sqlite3_reset(s);
    if ((rc = load_by(st, r, err)) < 0 || (rc = load_themes(st, r, err)) < 0)
        return rc;
    return 0;
out:
    sqlite3_reset(s);
    return rc;
}

static int64_t scalar(struct rt_store *st, const char *sql, int64_t sur_id, int *rc,
                      struct rt_error *err)
{
    sqlite3_stmt *s;
    int64_t v = 0;

    if (*rc < 0 || (*rc = prepare(st, sql, &s, err)) < 0)
        return 0;
    sqlite3_bind_int64(s, 1, sur_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        *rc = rt__db_error(st, err, "statistics");
    sqlite3_finalize(s);
    return v;
}

static int counts(struct rt_store *st, sqlite3_stmt *s, struct rt_count **out, size_t *n,
                  struct rt_error *err)
{
    size_t alloc = 0;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        RT_ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[*n].key = rt__col_strdup(s, 0);
        (*out)[*n].n = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "counts");
}

#define SUR_FILTER " WHERE (?1 = 0 OR r.sur_id = ?1)"

int rt_store_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *out, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    out->recommendations =
        scalar(st, "SELECT count(*) FROM recommendation r" SUR_FILTER, sur_id, &rc, err);
    out->states_under_review = scalar(
        st, "SELECT count(DISTINCT r.sur_id) FROM recommendation r" SUR_FILTER, sur_id, &rc, err);
    out->recommending_states =
        scalar(st,
               "SELECT count(DISTINCT b.state_id) FROM recommendation_by b"
               " JOIN recommendation r ON r.id = b.rec_id" SUR_FILTER,
               sur_id, &rc, err);
    out->sources = scalar(st, "SELECT count(*) FROM source WHERE ?1 = ?1", sur_id, &rc, err);
    out->themes = scalar(st,
                         "SELECT count(DISTINCT rt.theme_id) FROM recommendation_theme rt"
                         " JOIN recommendation r ON r.id = rt.rec_id" SUR_FILTER,
                         sur_id, &rc, err);
    if (rc < 0)
        return rc;
    if ((rc = prepare(st,
                      "SELECT r.response, count(*) FROM recommendation r" SUR_FILTER
                      " GROUP BY r.response",
                      &s, err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, sur_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        enum rt_response resp;
        if (rt_response_parse((const char *)sqlite3_column_text(s, 0), &resp) == 0)
            out->by_response[resp] = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return rt__db_error(st, err, "statistics");
    if ((rc = prepare(st,
                      "SELECT coalesce(r.cycle, 0), count(*) FROM recommendation r" SUR_FILTER
                      " GROUP BY 1 ORDER BY 1",
                      &s, err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, sur_id);
    rc = counts(st, s, &out->by_cycle, &out->n_by_cycle, err);
    sqlite3_finalize(s);
    return rc;
}

static void counts_free(struct rt_count *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rt_free(c[i].key);
    rt_free(c);
}

void rt_stats_release(struct rt_stats *s)
{
    counts_free(s->by_cycle, s->n_by_cycle);
    memset(s, 0, sizeof(*s));
}

void rt_search_result_release(struct rt_search_result *res)
{
    for (size_t i = 0; i < res->n_hits; i++)
        rt_rec_release(&res->hits[i]);
    rt_free(res->hits);
    for (size_t i = 0; i < res->n_facets; i++)
        counts_free(res->facets[i].counts, res->facets[i].n);
    memset(res, 0, sizeof(*res));
}

/*
 * The WHERE clause of a search; parameters are numbered and always all bound
 * (?1 match, ?2 sur, ?3 by, ?4 cycle, ?5 session, ?6 category, ?7 response, ?8 theme).
 */
static void where_clause(const struct rt_search_spec *q, struct rt_buf *sql)
{
    rt_buf_adds(sql, " WHERE 1");
    if (q->match)
        rt_buf_adds(sql, " AND r.id IN (SELECT rowid FROM recommendation_fts"
                         " WHERE recommendation_fts MATCH ?1)");
    if (q->sur_id)
        rt_buf_adds(sql, " AND r.sur_id = ?2");
    if (q->by_id)
        rt_buf_adds(sql, " AND EXISTS (SELECT 1 FROM recommendation_by b"
                         " WHERE b.rec_id = r.id AND b.state_id = ?3)");
    if (q->cycle)
        rt_buf_adds(sql, " AND r.cycle = ?4");
    if (q->session)
        rt_buf_adds(sql, " AND r.session = ?5");
    /* The official category, or where the data has none, a predicted one. */
    if (q->category)
        rt_buf_adds(sql, " AND coalesce(r.action_category, (SELECT c.category"
                         " FROM recommendation_category c WHERE c.rec_id = r.id)) = ?6");
    if (q->response >= 0)
        rt_buf_adds(sql, " AND r.response = ?7");
    /*
     * A theme matches its own label or code, and every label that shares an area of
     * the taxonomy with it; ?8 may also name an area by code or label.
     */
    if (q->theme)
        rt_buf_adds(sql, " AND EXISTS (SELECT 1 FROM recommendation_theme rt"
                         " WHERE rt.rec_id = r.id AND rt.theme_id IN (SELECT t.id FROM theme t"
                         " WHERE t.label = ?8 COLLATE NOCASE OR t.code = ?8 COLLATE NOCASE"
                         " OR EXISTS (SELECT 1 FROM theme_area_label m"
                         " WHERE m.vocabulary = t.vocabulary AND m.label = t.label"
                         " AND m.area IN (SELECT a.code FROM theme_area a"
                         " WHERE a.code = ?8 OR a.label = ?8 COLLATE NOCASE"
                         " UNION SELECT m2.area FROM theme_area_label m2"
                         " WHERE m2.label = ?8))))");
}

static void bind_spec(sqlite3_stmt *s, const struct rt_search_spec *q)
{
    if (q->match)
        sqlite3_bind_text(s, 1, q->match, -1, SQLITE_STATIC);
    if (q->sur_id)
        sqlite3_bind_int64(s, 2, q->sur_id);
    if (q->by_id)
        sqlite3_bind_int64(s, 3, q->by_id);
    if (q->cycle)
        sqlite3_bind_int(s, 4, q->cycle);
    if (q->session)
        sqlite3_bind_int(s, 5, q->session);
    if (q->category)
        sqlite3_bind_int(s, 6, q->category);
    if (q->response >= 0)
        sqlite3_bind_text(s, 7, rt_response_name((enum rt_response)q->response), -1,
                          SQLITE_STATIC);
    if (q->theme)
        sqlite3_bind_text(s, 8, q->theme, -1, SQLITE_STATIC);
}

/* Prepares "SELECT <cols> FROM recommendation r [join] <where> <tail>" for spec q. */
static int prepare_spec(struct rt_store *st, const struct rt_search_spec *q, const char *head,
                        const char *tail, sqlite3_stmt **out, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    rt_buf_adds(&sql, head);
    where_clause(q, &sql);
    rt_buf_adds(&sql, tail);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        rc = rt__db_error(st, err, "search");
    } else {
        bind_spec(*out, q);
        rc = 0;
    }
    rt_buf_release(&sql);
    return rc;
}

static int step_error(struct rt_store *st, struct rt_error *err)
{
    const char *msg = sqlite3_errmsg(st->db);
    if (strstr(msg, "fts5") || strstr(msg, "syntax"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "query", "cannot read the query: %s",
                            msg);
    return rt__db_error(st, err, "search");
}

static const char *const facet_sql[4][2] = {
    {"response", "SELECT r.response, count(*) FROM recommendation r"},
    {"cycle", "SELECT coalesce(r.cycle, 0), count(*) FROM recommendation r"},
    {"theme", "SELECT t.label, count(*) FROM recommendation r"
              " JOIN recommendation_theme rt ON rt.rec_id = r.id"
              " JOIN theme t ON t.id = rt.theme_id"},
    {"state_under_review", "SELECT s.code, count(*) FROM recommendation r"
                           " JOIN state s ON s.id = r.sur_id"},
};

int rt_store_search(struct rt_store *st, const struct rt_search_spec *q,
                    struct rt_search_result *res, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int64_t *ids = NULL;
    size_t n_ids = 0, alloc = 0;
    int rc;

    /* The page of hits: ranked by bm25 when there is a text query, else by id. */
    if (q->match) {
        struct rt_buf sql = RT_BUF_INIT;
        struct rt_search_spec rest = *q;

        rest.match = NULL;
        rt_buf_adds(&sql, "SELECT f.rowid FROM recommendation_fts f"
                          " JOIN recommendation r ON r.id = f.rowid");
        where_clause(&rest, &sql);
        rt_buf_adds(&sql, " AND recommendation_fts MATCH ?1 ORDER BY f.rank, f.rowid"
                          " LIMIT ?9 OFFSET ?10");
        rc = sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL);
        rt_buf_release(&sql);
        if (rc != SQLITE_OK) {
            rc = rt__db_error(st, err, "search");
            goto out;
        }
        bind_spec(s, q);
    } else if ((rc = prepare_spec(st, q, "SELECT r.id FROM recommendation r",
                                  " ORDER BY r.id LIMIT ?9 OFFSET ?10", &s, err)) < 0) {
        goto out;
    }
    sqlite3_bind_int64(s, 9, q->limit);
    sqlite3_bind_int64(s, 10, q->offset);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        RT_ALLOC_GROW(ids, n_ids + 1, alloc);
        ids[n_ids++] = sqlite3_column_int64(s, 0);
    }
    if (rc != SQLITE_DONE) {
        rc = step_error(st, err);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;

    /* The total, unless the page shows that it is all there is. */
    if (q->offset == 0 && (int64_t)n_ids < q->limit) {
        res->total = (int64_t)n_ids;
    } else {
        if ((rc = prepare_spec(st, q, "SELECT count(*) FROM recommendation r", "", &s, err)) < 0)
            goto out;
        if (sqlite3_step(s) != SQLITE_ROW) {
            rc = step_error(st, err);
            goto out;
        }
        res->total = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        s = NULL;
    }

    RT_ALLOC_ARRAY(res->hits, n_ids ? n_ids : 1);
    for (size_t i = 0; i < n_ids; i++) {
        rt_rec_init(&res->hits[i]);
        res->n_hits++;
        if ((rc = rt_store_rec_get(st, ids[i], &res->hits[i], err)) < 0)
            goto out;
    }

    if (q->facets) {
        for (size_t f = 0; f < RT_ARRAY_SIZE(facet_sql); f++) {
            struct rt_facet *fc = &res->facets[res->n_facets++];
            fc->name = facet_sql[f][0];
            if ((rc = prepare_spec(st, q, facet_sql[f][1], " GROUP BY 1 ORDER BY 2 DESC, 1",
                                   &s, err)) < 0)
                goto out;
            if ((rc = counts(st, s, &fc->counts, &fc->n, err)) < 0)
                goto out;
            sqlite3_finalize(s);
            s = NULL;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(s);
    rt_free(ids);
    return rc;
}
