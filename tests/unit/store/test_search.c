/*
 * Search plans: whatever plan rt_store_search picks (src/store/sqlite/read.c), it must
 * give what the plain query gives: every match joined to its recommendation, filtered,
 * ranked by bm25 then id, counted with count(*) and faceted with GROUP BY. The plain
 * query is written out here, apart from the store's code, and both run over a range
 * of queries, filters, pages and facets, on made-up data and on the UPR import.
 */
#include <criterion/criterion.h>

#include <rightstrack/ingest.h>
#include <rightstrack/search.h>
#include <rightstrack/store.h>

#include "base/alloc.h"
#include "lib/testutil.h"
#include "store/sqlite/sqlite_int.h"

static struct rt_store *st;
/* The text of the query plain() runs, as the FTS5 expression the store renders. */
static const char *plain_match;

static void open_db(void)
{
    struct rt_error e = RT_ERROR_INIT;
    char path[256];
    snprintf(path, sizeof(path), "%s/s.db", test_dir());
    cr_assert_eq(rt_store_open(&st, path, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
}

static void close_db(void)
{
    rt_store_close(st);
}

TestSuite(search, .init = open_db, .fini = close_db);

/*
 * The plain WHERE clause: the text as an IN over all matches (unless on_f: then the
 * caller's FROM has the index as f, and MATCH is on it), by as a correlated EXISTS.
 */
static void plain_where(const struct rt_search_spec *q, int on_f, struct rt_buf *sql)
{
    rt_buf_adds(sql, " WHERE 1");
    if (plain_match && on_f)
        rt_buf_adds(sql, " AND recommendation_fts MATCH ?1");
    else if (plain_match)
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
    if (q->category)
        rt_buf_adds(sql, " AND r.action_category = ?6");
    if (q->mechanism)
        rt_buf_adds(sql, " AND r.mechanism = ?12");
    if (q->response >= 0)
        rt_buf_adds(sql, " AND r.response = ?7");
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

/* where: 0 none, 1 the plain WHERE clause, 2 the same with MATCH on f. */
static sqlite3_stmt *plain(const struct rt_search_spec *q, const char *head, int where,
                           const char *tail)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *s;

    rt_buf_adds(&sql, head);
    if (where)
        plain_where(q, where == 2, &sql);
    rt_buf_adds(&sql, tail);
    cr_assert_eq(sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL), SQLITE_OK, "%s: %s", sql.buf,
                 sqlite3_errmsg(st->db));
    rt_buf_release(&sql);
    if (plain_match)
        sqlite3_bind_text(s, 1, plain_match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, q->sur_id);
    sqlite3_bind_int64(s, 3, q->by_id);
    sqlite3_bind_int(s, 4, q->cycle);
    sqlite3_bind_int(s, 5, q->session);
    sqlite3_bind_int(s, 6, q->category);
    if (q->response >= 0)
        sqlite3_bind_text(s, 7, rt_response_name((enum rt_response)q->response), -1, SQLITE_STATIC);
    if (q->theme)
        sqlite3_bind_text(s, 8, q->theme, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, q->limit);
    sqlite3_bind_int64(s, 10, q->offset);
    if (q->mechanism)
        sqlite3_bind_text(s, 12, q->mechanism, -1, SQLITE_STATIC);
    return s;
}

static const char *const facet_head[4] = {
    "SELECT r.response, count(*) FROM recommendation r",
    "SELECT coalesce(r.cycle, 0), count(*) FROM recommendation r",
    "SELECT t.label, count(*) FROM recommendation r JOIN recommendation_theme rt"
    " ON rt.rec_id = r.id JOIN theme t ON t.id = rt.theme_id",
    "SELECT s.code, count(*) FROM recommendation r JOIN state s ON s.id = r.sur_id",
};

static int64_t state_id(const char *name)
{
    int64_t id = 0;
    if (name)
        cr_assert_eq(rt_store_state_find(st, name, strlen(name), &id, NULL), 0, "%s", name);
    return id;
}

/* Runs q through rt_search and through the plain SQL; returns the number of hits. */
static int64_t same_as_plain(const struct rt_query *q)
{
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_search_spec spec = {0};
    struct rt_buf expr = RT_BUF_INIT;
    const char *what = q->text ? q->text : "(no text)";
    sqlite3_stmt *s;
    size_t i = 0;
    int rc;

    cr_assert_eq(rt_search(st, q, &res, &e), 0, "%s: %s", what, e.msg.buf);
    spec.sur_id = state_id(q->sur);
    spec.by_id = state_id(q->by);
    spec.cycle = q->cycle;
    spec.session = q->session;
    spec.category = q->category;
    spec.response = q->response;
    spec.theme = q->theme;
    spec.mechanism = q->mechanism;
    spec.limit = q->limit;
    spec.offset = q->offset;
    if (q->text)
        cr_assert_eq(rt__fts_expr(st, q->text, strlen(q->text), &expr, NULL), 0);
    plain_match = expr.len ? expr.buf : NULL;

    /* The page, in order. */
    s = plain_match ? plain(&spec,
                            "SELECT f.rowid FROM recommendation_fts f"
                            " JOIN recommendation r ON r.id = f.rowid",
                            2, " ORDER BY f.rank, f.rowid LIMIT ?9 OFFSET ?10")
                    : plain(&spec, "SELECT r.id FROM recommendation r", 1,
                            " ORDER BY r.id LIMIT ?9 OFFSET ?10");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        cr_assert_lt(i, res.n_hits, "%s: more hits in the plain query", what);
        cr_assert_eq(res.hits[i].id, sqlite3_column_int64(s, 0),
                     "%s (sur %s, by %s, cycle %d, session %d, response %d, theme %s, "
                     "offset %lld): hit %zu",
                     what, q->sur ? q->sur : "-", q->by ? q->by : "-", q->cycle, q->session,
                     q->response, q->theme ? q->theme : "-", (long long)q->offset, i);
        cr_assert_not_null(res.hits[i].text);
        i++;
    }
    cr_assert_eq(rc, SQLITE_DONE);
    cr_assert_eq(i, res.n_hits, "%s: %zu hits, the plain query has %zu", what, res.n_hits, i);
    sqlite3_finalize(s);

    /* The total. */
    s = plain(&spec, "SELECT count(*) FROM recommendation r", 1, "");
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    cr_assert_eq(res.total, sqlite3_column_int64(s, 0), "%s: total", what);
    sqlite3_finalize(s);

    /* The facets, when asked for. */
    cr_assert_eq(res.n_facets, q->facets ? 4u : 0u);
    for (size_t f = 0; f < res.n_facets; f++) {
        size_t k = 0;
        s = plain(&spec, facet_head[f], 1, " GROUP BY 1 ORDER BY 2 DESC, 1");
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            cr_assert_lt(k, res.facets[f].n, "%s: facet %s is short", what, res.facets[f].name);
            cr_assert_str_eq(res.facets[f].counts[k].key, (const char *)sqlite3_column_text(s, 0),
                             "%s: facet %s", what, res.facets[f].name);
            cr_assert_eq(res.facets[f].counts[k].n, sqlite3_column_int64(s, 1), "%s: facet %s",
                         what, res.facets[f].name);
            k++;
        }
        cr_assert_eq(k, res.facets[f].n, "%s: facet %s", what, res.facets[f].name);
        sqlite3_finalize(s);
    }
    rt_buf_release(&expr);
    plain_match = NULL;
    rt_search_result_release(&res);
    rt_error_release(&e);
    return (int64_t)i;
}

/* One filter or a pair: each plan of read.c, and the indexed filters with others. */
struct filters {
    const char *sur, *by, *theme;
    int cycle, session, category, response;
    const char *mechanism;
};

static int64_t run_matrix(const char *const *texts, size_t n_texts, const struct filters *fs,
                          size_t n_fs)
{
    static const int64_t pages[][2] = {{20, 0}, {7, 5}, {1000, 0}, {3, 30}, {1, 0}};
    int64_t hits = 0;

    for (size_t t = 0; t < n_texts; t++) {
        for (size_t f = 0; f < n_fs; f++) {
            for (size_t p = 0; p < RT_ARRAY_SIZE(pages); p++) {
                struct rt_query q = RT_QUERY_INIT;
                q.text = texts[t];
                q.sur = fs[f].sur;
                q.by = fs[f].by;
                q.theme = fs[f].theme;
                q.cycle = fs[f].cycle;
                q.session = fs[f].session;
                q.category = fs[f].category;
                q.response = fs[f].response;
                q.mechanism = fs[f].mechanism;
                q.limit = pages[p][0];
                q.offset = pages[p][1];
                q.facets = p % 2 == 0;
                if (!q.text && !q.sur && !q.by && !q.theme && !q.cycle && !q.session &&
                    !q.category && q.response < 0 && !q.mechanism && q.limit == 1000)
                    continue; /* everything, unfiltered: nothing a plan decides */
                hits += same_as_plain(&q);
            }
        }
    }
    return hits;
}

static void put(const char *sur, const char *by, int session, enum rt_response resp,
                const char *theme, const char *text)
{
    struct rt_rec_in in = {0};
    unsigned flags;
    int64_t id;
    int added;

    in.sur_id = state_id(sur);
    in.session = session;
    in.cycle = rt_upr_cycle_of_session(session);
    in.text = text;
    in.text_len = strlen(text);
    in.response = resp;
    in.action_category = 1 + session % 5;
    cr_assert_eq(rt_store_rec_put(st, &in, &id, &flags, NULL), 0);
    cr_assert_eq(rt_store_rec_add_by(st, id, state_id(by), &added, NULL), 0);
    if (theme)
        cr_assert_eq(
            rt_store_rec_add_theme(st, id, "upr-info", theme, "official", 1.0, &added, NULL), 0);
}

/* Made-up data with many equal scores, so that the order of ties is tested too. */
Test(search, every_plan_gives_the_plain_answer)
{
    static const char *const surs[] = {"Belarus", "France", "Chile", "Kenya"};
    static const char *const bys[] = {"Canada", "Norway", "Brazil"};
    static const char *const themes[] = {"Torture and other CID treatment", "Women's rights", NULL};
    static const char *const words[] = {"torture",         "detention", "women",
                                        "prisons",         "children",  "the death penalty",
                                        "free expression", "tortured"};
    static const char *const texts[] = {"torture", "tortur*", "\"death penalty\"",
                                        "women OR children", "detention -prisons",
                                        /* terms joined by OR only, a prefix among them: rank.c
                                         * counts each phrase's rows in the pass itself */
                                        "\"death penalty\" OR women OR tortur*", NULL};
    static const struct filters fs[] = {
        {0},
        {.sur = "Belarus"},
        {.by = "Canada"},
        {.session = 8},
        {.cycle = 2},
        {.response = RT_RESPONSE_NOTED},
        {.theme = "Torture and other CID treatment"},
        {.category = 3},
        {.sur = "Belarus", .cycle = 1},
        {.by = "Norway", .response = RT_RESPONSE_SUPPORTED},
        {.sur = "France", .theme = "Women's rights"},
        {.session = 22, .by = "Brazil"},
        {.mechanism = "odihr"},
        {.mechanism = "upr", .sur = "Belarus"},
        {.mechanism = "odihr", .response = RT_RESPONSE_NOTED},
    };
    char text[256];
    int n = 0;

    cr_assert_eq(rt_store_begin(st, NULL), 0);
    for (int i = 0; i < 400; i++) {
        /* Two or three words a text, so that many texts score the same. */
        snprintf(text, sizeof(text), "Act on %s and %s%s%s", words[i % 8], words[(i / 8) % 8],
                 i % 3 ? " and " : "", i % 3 ? words[(i / 3) % 8] : "");
        put(surs[i % 4], bys[(i / 4) % 3], (int[]){8, 15, 22, 36}[(i / 12) % 4],
            (enum rt_response)((i / 5) % 3), themes[(i / 7) % 3], text);
        n++;
    }
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    /* A fifth of them from another mechanism, for the mechanism filter. */
    cr_assert_eq(sqlite3_exec(st->db,
                              "UPDATE recommendation SET mechanism = 'odihr' WHERE id % 5 = 0",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    cr_assert_gt(run_matrix(texts, RT_ARRAY_SIZE(texts), fs, RT_ARRAY_SIZE(fs)), 1000);
}

/* The same on the UPR import, with the filters of real use. */
Test(search, every_plan_gives_the_plain_answer_on_the_upr_import, .timeout = 300)
{
    static const char *const texts[] = {"torture",
                                        "tortured prison*",
                                        "\"death penalty\"",
                                        "women OR girls",
                                        "girls OR child* OR \"death penalty\"",
                                        "19",
                                        "rights -children",
                                        "freedom expression",
                                        NULL};
    static const struct filters fs[] = {
        {0},
        {.sur = "Belarus"},
        {.by = "Canada"},
        {.session = 22},
        {.cycle = 2},
        {.response = RT_RESPONSE_NOTED},
        {.theme = "Torture and other CID treatment"},
        {.sur = "Belarus", .cycle = 2},
        {.by = "France", .response = RT_RESPONSE_SUPPORTED},
        {.sur = "China", .theme = "Women's rights"},
        {.mechanism = "upr", .cycle = 1},
        {.mechanism = "odihr"},
    };
    struct rt_error e = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    const char *data = shared_data();
    char path[600];
    const char *paths[1] = {path};

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, paths, 1, &stats, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_gt(run_matrix(texts, RT_ARRAY_SIZE(texts), fs, RT_ARRAY_SIZE(fs)), 5000);
}

/*
 * The facet index (src/store/sqlite/facets.c) is built on the first search with
 * facets and must be built again when the data changes: through this connection,
 * and through another one.
 */
static int64_t facet_count(const struct rt_search_result *res, const char *facet, const char *key)
{
    for (size_t f = 0; f < res->n_facets; f++)
        if (!strcmp(res->facets[f].name, facet))
            for (size_t i = 0; i < res->facets[f].n; i++)
                if (!strcmp(res->facets[f].counts[i].key, key))
                    return res->facets[f].counts[i].n;
    return 0;
}

static int64_t women_in(const char *facet, const char *key)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    int64_t n;

    q.text = "women";
    q.facets = 1;
    cr_assert_eq(rt_search(st, &q, &res, &e), 0, "%s", e.msg.buf);
    n = facet_count(&res, facet, key);
    rt_search_result_release(&res);
    return n;
}

Test(search, facets_follow_changes_to_the_data)
{
    struct rt_store *other;
    struct rt_error e = RT_ERROR_INIT;
    char path[256];

    char text[64];

    /* Texts differ: the store keeps one of the same text for the same state. */
    for (int i = 0; i < 30; i++) {
        snprintf(text, sizeof(text), "Protect women from violence (%d)", i);
        put(i % 2 ? "France" : "Chile", "Canada", 8, RT_RESPONSE_NOTED,
            i % 3 ? "Women's rights" : NULL, text);
    }
    cr_assert_eq(women_in("state_under_review", "FRA"), 15);
    cr_assert_eq(women_in("theme", "Women's rights"), 20);
    cr_assert_eq(women_in("response", "noted"), 30);

    /* A change through this connection, outside and inside a transaction. */
    put("France", "Canada", 36, RT_RESPONSE_SUPPORTED, "Women's rights", "women in politics");
    cr_assert_eq(women_in("state_under_review", "FRA"), 16);
    cr_assert_eq(women_in("response", "supported"), 1);
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    put("Kenya", "Canada", 8, RT_RESPONSE_NOTED, NULL, "women and girls");
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    cr_assert_eq(women_in("state_under_review", "KEN"), 1);
    cr_assert_eq(women_in("theme", "Women's rights"), 21);

    /* And through another connection to the same file. */
    snprintf(path, sizeof(path), "%s/s.db", test_dir());
    cr_assert_eq(rt_store_open(&other, path, 0, &e), 0, "%s", e.msg.buf);
    {
        struct rt_store *mine = st;
        st = other;
        put("Kenya", "Canada", 8, RT_RESPONSE_PLEDGE, "Women's rights", "women judges");
        st = mine;
    }
    rt_store_close(other);
    cr_assert_eq(women_in("state_under_review", "KEN"), 2);
    cr_assert_eq(women_in("response", "pledge"), 1);
    cr_assert_eq(women_in("theme", "Women's rights"), 22);
}

/*
 * rank.c keeps how many rows each word matches (bm25's IDF) while the data does not
 * change: after a change here or through another connection, the ranks are still
 * those of FTS5's bm25.
 */
Test(search, ranks_follow_changes_to_the_data)
{
    static const char *const texts[] = {"women violence", "violence -girls", "women OR girls",
                                        "\"from violence\" protect", NULL};
    static const struct filters fs[] = {{.response = -1},
                                        {.sur = "France", .response = -1},
                                        {.cycle = 1, .response = RT_RESPONSE_NOTED}};
    struct rt_store *other;
    struct rt_error e = RT_ERROR_INIT;
    char path[256], text[80];

    for (int i = 0; i < 30; i++) {
        snprintf(text, sizeof(text), "Protect women%s from violence (%d)",
                 i % 4 ? "" : " and girls", i);
        put(i % 2 ? "France" : "Chile", "Canada", 8, RT_RESPONSE_NOTED, NULL, text);
    }
    cr_assert_gt(run_matrix(texts, RT_ARRAY_SIZE(texts), fs, RT_ARRAY_SIZE(fs)), 50);
    /* Rows that change how rare each word is. */
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof(text), "Violence against girls, and women's violence (%d)", i);
        put("France", "Canada", 22, RT_RESPONSE_NOTED, NULL, text);
    }
    cr_assert_gt(run_matrix(texts, RT_ARRAY_SIZE(texts), fs, RT_ARRAY_SIZE(fs)), 50);
    snprintf(path, sizeof(path), "%s/s.db", test_dir());
    cr_assert_eq(rt_store_open(&other, path, 0, &e), 0, "%s", e.msg.buf);
    {
        struct rt_store *mine = st;
        st = other;
        for (int i = 0; i < 40; i++) {
            snprintf(text, sizeof(text), "Girls protect girls from girls (%d)", i);
            put("Chile", "Canada", 8, RT_RESPONSE_NOTED, NULL, text);
        }
        st = mine;
    }
    rt_store_close(other);
    cr_assert_gt(run_matrix(texts, RT_ARRAY_SIZE(texts), fs, RT_ARRAY_SIZE(fs)), 50);
}

/*
 * Without text, once the facet index is built, the page comes from its bitmaps: in
 * the order of ids, both ways, from an offset, as the plain query gives it.
 */
Test(search, pages_without_text_follow_the_ids)
{
    char text[64];

    for (int i = 0; i < 60; i++) {
        snprintf(text, sizeof(text), "Ratify the convention (%d)", i);
        put(i % 3 ? "France" : "Chile", "Canada", i % 2 ? 8 : 22,
            (enum rt_response)(i % 4 ? RT_RESPONSE_NOTED : RT_RESPONSE_SUPPORTED), NULL, text);
    }
    for (int round = 0; round < 3; round++) {
        for (int desc = 0; desc < 2; desc++) {
            struct rt_query q = RT_QUERY_INIT;
            struct rt_search_result res = {0};
            struct rt_error e = RT_ERROR_INIT;
            sqlite3_stmt *s;
            size_t i = 0;

            q.cycle = rt_upr_cycle_of_session(22);
            q.response = RT_RESPONSE_NOTED;
            q.limit = 7;
            q.offset = 3;
            q.desc = desc;
            cr_assert_eq(rt_search(st, &q, &res, &e), 0, "%s", e.msg.buf);
            cr_assert_eq(sqlite3_prepare_v2(st->db,
                                            desc ? "SELECT id FROM recommendation WHERE cycle = ?1"
                                                   " AND response = 'noted' ORDER BY id DESC"
                                                   " LIMIT 7 OFFSET 3"
                                                 : "SELECT id FROM recommendation WHERE cycle = ?1"
                                                   " AND response = 'noted' ORDER BY id"
                                                   " LIMIT 7 OFFSET 3",
                                            -1, &s, NULL),
                         SQLITE_OK);
            sqlite3_bind_int(s, 1, q.cycle);
            while (sqlite3_step(s) == SQLITE_ROW) {
                cr_assert_lt(i, res.n_hits, "round %d, desc %d: short page", round, desc);
                cr_assert_eq(res.hits[i].id, sqlite3_column_int64(s, 0),
                             "round %d, desc %d: hit %zu", round, desc, i);
                i++;
            }
            sqlite3_finalize(s);
            cr_assert_eq(i, res.n_hits);
            cr_assert_eq(i, 7u);
            cr_assert_eq(res.total, 15, "round %d, desc %d: total", round,
                         desc); /* even i, i % 4 == 2 */
            rt_search_result_release(&res);
        }
    }
}

/* A facet's counts tallied one hit at a time from the recommendations themselves. */
struct tally {
    char key[256];
    int64_t n;
};

static void tally_add(struct tally *t, size_t *n, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].key, key)) {
            t[i].n++;
            return;
        }
    cr_assert_lt(*n, 512u);
    snprintf(t[*n].key, sizeof(t[*n].key), "%s", key);
    t[(*n)++].n = 1;
}

/*
 * On the UPR import, every facet of a search holds, key for key, what counting its
 * hits' responses, cycles, themes and states one by one gives, in the order of the
 * counts (largest first), then of the keys.
 */
Test(search, facet_counts_are_a_plain_count_on_the_upr_import, .timeout = 300)
{
    static const struct {
        const char *text, *sur, *theme;
        int cycle, response;
    } qs[] = {
        {"torture", NULL, NULL, 0, -1},
        {"women OR girls", NULL, NULL, 0, -1},
        {"\"death penalty\"", NULL, NULL, 2, -1},
        {"rights", NULL, NULL, 0, RT_RESPONSE_NOTED},
        {"children", NULL, "Women's rights", 0, -1},
        {"torture", "Belarus", NULL, 0, -1},
        {NULL, NULL, NULL, 3, RT_RESPONSE_SUPPORTED},
        {"zzzznothing", NULL, NULL, 0, -1},
    };
    static struct tally t[4][512];
    struct rt_import_stats stats = {0};
    struct rt_error e = RT_ERROR_INIT;
    const char *data = shared_data();
    char path[600];
    const char *paths[1] = {path};
    int64_t checked = 0;

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, paths, 1, &stats, NULL, NULL, &e), 0, "%s", e.msg.buf);
    for (size_t k = 0; k < RT_ARRAY_SIZE(qs); k++) {
        struct rt_query q = RT_QUERY_INIT;
        struct rt_search_result res = {0};
        int64_t *ids = NULL;
        size_t n_ids = 0, n[4] = {0};

        q.text = qs[k].text;
        q.sur = qs[k].sur;
        q.theme = qs[k].theme;
        q.cycle = qs[k].cycle;
        q.response = qs[k].response;
        q.facets = 1;
        cr_assert_eq(rt_search(st, &q, &res, &e), 0, "%s", e.msg.buf);
        cr_assert_eq(rt_search_ids(st, &q, &ids, &n_ids, &e), 0, "%s", e.msg.buf);
        cr_assert_eq((size_t)res.total, n_ids, "query %zu: total", k);
        for (size_t i = 0; i < n_ids; i += 256) {
            struct rt_rec recs[256];
            size_t m = n_ids - i < 256 ? n_ids - i : 256;
            char cycle[16];

            for (size_t j = 0; j < m; j++)
                rt_rec_init(&recs[j]);
            cr_assert_eq(rt_store_recs_load(st, ids + i, m, recs, &e), 0, "%s", e.msg.buf);
            for (size_t j = 0; j < m; j++) {
                snprintf(cycle, sizeof(cycle), "%d", recs[j].cycle);
                tally_add(t[0], &n[0], rt_response_name(recs[j].response));
                tally_add(t[1], &n[1], cycle);
                for (size_t h = 0; h < recs[j].n_themes; h++)
                    tally_add(t[2], &n[2], recs[j].themes[h].label);
                tally_add(t[3], &n[3], recs[j].sur.code);
                rt_rec_release(&recs[j]);
            }
        }
        cr_assert_eq(res.n_facets, 4u);
        for (size_t f = 0; f < 4; f++) {
            const struct rt_facet *fc = &res.facets[f];
            cr_assert_eq(fc->n, n[f], "query %zu: facet %s has %zu keys, the hits %zu", k, fc->name,
                         fc->n, n[f]);
            for (size_t i = 0; i < fc->n; i++) {
                cr_assert_eq(fc->counts[i].n, facet_count(&res, fc->name, fc->counts[i].key));
                size_t j = 0;
                while (j < n[f] && strcmp(t[f][j].key, fc->counts[i].key))
                    j++;
                cr_assert_lt(j, n[f], "query %zu: facet %s: no hit has %s", k, fc->name,
                             fc->counts[i].key);
                cr_assert_eq(fc->counts[i].n, t[f][j].n, "query %zu: facet %s, %s", k, fc->name,
                             fc->counts[i].key);
                checked += fc->counts[i].n;
                if (i > 0) {
                    const struct rt_count *a = &fc->counts[i - 1], *b = &fc->counts[i];
                    int order = f == 1 ? (atoi(a->key) < atoi(b->key)) : strcmp(a->key, b->key) < 0;
                    cr_assert(a->n > b->n || (a->n == b->n && order),
                              "query %zu: facet %s out of order at %s", k, fc->name, b->key);
                }
            }
        }
        rt_free(ids);
        rt_search_result_release(&res);
    }
    cr_assert_gt(checked, 20000);
}
