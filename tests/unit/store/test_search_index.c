/*
 * The search index on disk (schema 21, src/store/sqlite/facets.c) and the ranking
 * that reads it (rank.c): stored once and read by every connection, emptied by any
 * change to what it is made of whoever makes it, built again, and rt_rank giving
 * the very doubles FTS5's bm25 gives.
 */
#include <criterion/criterion.h>

#include <rightstrack/ingest.h>
#include <rightstrack/search.h>
#include <rightstrack/store.h>

#include "base/alloc.h"
#include "lib/testutil.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/sqlite_int.h"

static struct rt_store *st;
static char db_path[256];

static void open_db(void)
{
    struct rt_error e = RT_ERROR_INIT;
    snprintf(db_path, sizeof(db_path), "%s/s.db", test_dir());
    cr_assert_eq(rt_store_open(&st, db_path, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
}

static void close_db(void)
{
    rt_store_close(st);
}

TestSuite(search_index, .init = open_db, .fini = close_db);

static int64_t state_id(struct rt_store *s, const char *name)
{
    int64_t id = 0;
    cr_assert_eq(rt_store_state_find(s, name, strlen(name), &id, NULL), 0, "%s", name);
    return id;
}

static void put(struct rt_store *s, const char *sur, int session, enum rt_response resp,
                const char *theme, const char *text)
{
    struct rt_rec_in in = {0};
    unsigned flags;
    int64_t id;
    int added;

    in.sur_id = state_id(s, sur);
    in.session = session;
    in.cycle = rt_upr_cycle_of_session(session);
    in.text = text;
    in.text_len = strlen(text);
    in.response = resp;
    cr_assert_eq(rt_store_rec_put(s, &in, &id, &flags, NULL), 0);
    cr_assert_eq(rt_store_rec_add_by(s, id, state_id(s, "Canada"), &added, NULL), 0);
    if (theme)
        cr_assert_eq(
            rt_store_rec_add_theme(s, id, "upr-info", theme, "official", 1.0, &added, NULL), 0);
}

static void fill(void)
{
    char text[128];

    /* Texts differ: the store keeps one of the same text for the same state. */
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof(text), "Protect women%s from violence and torture (%d)",
                 i % 4 ? "" : " and girls, women defenders", i);
        put(st, i % 2 ? "France" : "Chile", i % 3 ? 8 : 22,
            i % 5 ? RT_RESPONSE_NOTED : RT_RESPONSE_SUPPORTED, i % 3 ? "Women's rights" : NULL,
            text);
    }
}

static int64_t facet_count(const struct rt_search_result *res, const char *facet, const char *key)
{
    for (size_t f = 0; f < res->n_facets; f++)
        if (!strcmp(res->facets[f].name, facet))
            for (size_t i = 0; i < res->facets[f].n; i++)
                if (!strcmp(res->facets[f].counts[i].key, key))
                    return res->facets[f].counts[i].n;
    return 0;
}

/* The count of facet's key among the matches of text, searched on s. */
static int64_t count_in(struct rt_store *s, const char *text, const char *facet, const char *key)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    int64_t n;

    q.text = text;
    q.facets = 1;
    cr_assert_eq(rt_search(s, &q, &res, &e), 0, "%s", e.msg.buf);
    n = facet_count(&res, facet, key);
    rt_search_result_release(&res);
    return n;
}

static int64_t scalar(struct rt_store *s, const char *sql)
{
    sqlite3_stmt *q;
    int64_t n = -1;

    cr_assert_eq(sqlite3_prepare_v2(s->db, sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

#define STAMP "SELECT num FROM search_index WHERE facet = -1"
#define ROWS "SELECT count(*) FROM search_index"

static struct rt_store *open_other(void)
{
    struct rt_store *other;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_store_open(&other, db_path, 0, &e), 0, "%s", e.msg.buf);
    return other;
}

Test(search_index, stored_once_then_read_by_every_connection)
{
    struct rt_store *other;
    int64_t stamp;

    fill();
    cr_assert_eq(scalar(st, ROWS), 0, "nothing is stored before a search needs it");
    cr_assert_eq(count_in(st, "women", "state_under_review", "FRA"), 20);
    stamp = scalar(st, STAMP);
    cr_assert_neq(stamp, -1, "the first search stores the index");
    /* response, cycle, theme and state entries, the lengths, the postings' row and the
     * index's words */
    cr_assert_eq(scalar(st, "SELECT count(DISTINCT facet) FROM search_index WHERE facet >= 0"), 7);

    other = open_other();
    cr_assert_eq(count_in(other, "women", "state_under_review", "FRA"), 20);
    cr_assert_eq(count_in(other, "women", "theme", "Women's rights"), 26);
    cr_assert_eq(count_in(other, "women", "response", "supported"), 8);
    cr_assert_eq(count_in(other, "girls", "cycle", "2"), 4);
    cr_assert_eq(scalar(other, STAMP), stamp, "another connection reads it, builds nothing");
    rt_store_close(other);
}

/*
 * Schema 24: the rows have row ids, so that a lookup by (facet, pos) goes through the
 * key's index and reads no other row (a WITHOUT ROWID table has no rowid column); the
 * key's index still refuses a second row of one (facet, pos).
 */
Test(search_index, kept_in_a_table_with_row_ids)
{
    fill();
    cr_assert_eq(count_in(st, "women", "state_under_review", "FRA"), 20);
    cr_assert_gt(scalar(st, ROWS), 0);
    cr_assert_eq(scalar(st, "SELECT count(rowid) FROM search_index"), scalar(st, ROWS));
    cr_assert_eq(scalar(st, "SELECT count(*) FROM pragma_index_list('search_index')"
                            " WHERE \"unique\" AND origin = 'pk'"),
                 1);
    cr_assert_neq(sqlite3_exec(st->db,
                               "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                               " SELECT facet, pos, key, num, bitmap FROM search_index LIMIT 1",
                               NULL, NULL, NULL),
                  SQLITE_OK, "one row a (facet, pos)");
}

Test(search_index, a_write_from_another_connection_empties_it)
{
    struct rt_store *other;
    int64_t stamp;

    fill();
    cr_assert_eq(count_in(st, "women", "state_under_review", "KEN"), 0);
    stamp = scalar(st, STAMP);
    cr_assert_neq(stamp, -1);

    other = open_other();
    put(other, "Kenya", 8, RT_RESPONSE_PLEDGE, "Women's rights", "women judges");
    cr_assert_eq(scalar(other, ROWS), 0, "the new row empties the stored index");
    rt_store_close(other);

    cr_assert_eq(count_in(st, "women", "state_under_review", "KEN"), 1);
    cr_assert_eq(count_in(st, "women", "response", "pledge"), 1);
    cr_assert_eq(count_in(st, "women", "theme", "Women's rights"), 27);
    cr_assert_neq(scalar(st, STAMP), -1, "stored again");
    cr_assert_neq(scalar(st, STAMP), stamp, "a new build");
}

#define LOAD_TRIGGERS                                                                              \
    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"                        \
    " ('search_index_stale_rec_ai', 'search_index_stale_theme_ai')"

/*
 * A load into an empty index does without the two triggers of added rows (sqlite.c):
 * they are there again after its rollback and after its commit, and then empty the
 * index as before.
 */
Test(search_index, a_load_leaves_the_triggers_as_they_were)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *other;

    cr_assert_eq(scalar(st, LOAD_TRIGGERS), 2);
    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    put(st, "France", 8, RT_RESPONSE_NOTED, "Women's rights", "women judges, rolled back");
    rt_store_rollback(st);
    cr_assert_eq(scalar(st, LOAD_TRIGGERS), 2, "back after a rollback");
    cr_assert_eq(scalar(st, "SELECT count(*) FROM recommendation"), 0);

    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    fill();
    cr_assert_eq(rt_store_commit(st, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(scalar(st, LOAD_TRIGGERS), 2, "back after a commit");
    cr_assert_neq(scalar(st, STAMP), -1, "the load stored the index");

    other = open_other();
    put(other, "Kenya", 8, RT_RESPONSE_PLEDGE, "Women's rights", "women judges");
    cr_assert_eq(scalar(other, ROWS), 0, "a row added later empties it");
    rt_store_close(other);
    cr_assert_eq(count_in(st, "women", "state_under_review", "KEN"), 1);
}

/* Every change to what the facets and the lengths are made of empties the table. */
Test(search_index, every_change_to_its_data_empties_it)
{
    static const char *const changes[] = {
        "UPDATE recommendation SET response = 'pledge' WHERE id = (SELECT min(id) FROM "
        "recommendation)",
        "UPDATE recommendation SET cycle = 3 WHERE id = (SELECT min(id) FROM recommendation)",
        "UPDATE recommendation SET sur_id = (SELECT id FROM state WHERE code = 'KEN')"
        " WHERE id = (SELECT min(id) FROM recommendation)",
        "UPDATE recommendation SET text = 'women, women, women' WHERE id = (SELECT max(id) FROM "
        "recommendation)",
        "UPDATE theme SET label = 'Rights of women' WHERE label = 'Women''s rights'",
        "UPDATE state SET code = 'XCH' WHERE code = 'CHL'",
        "DELETE FROM recommendation_theme WHERE rec_id = (SELECT min(rec_id) FROM "
        "recommendation_theme)",
        "DELETE FROM recommendation WHERE id = (SELECT max(id) FROM recommendation)",
    };

    fill();
    for (size_t i = 0; i < RT_ARRAY_SIZE(changes); i++) {
        cr_assert_gt(count_in(st, "women", "response", "noted"), 0);
        cr_assert_gt(scalar(st, ROWS), 0, "change %zu: stored", i);
        cr_assert_eq(sqlite3_exec(st->db, changes[i], NULL, NULL, NULL), SQLITE_OK, "%s",
                     sqlite3_errmsg(st->db));
        cr_assert_eq(scalar(st, ROWS), 0, "change %zu empties it: %s", i, changes[i]);
    }
    /* And the counts are those of the data as it is now. */
    cr_assert_eq(count_in(st, "women", "response", "pledge"), 1);
    cr_assert_eq(count_in(st, "women", "state_under_review", "XCH"), 19);
    cr_assert_eq(count_in(st, "women", "theme", "Rights of women"), 25);
}

/* A row that cannot be read is not trusted: the index is built again. */
Test(search_index, a_damaged_row_is_built_again)
{
    struct rt_store *other;

    fill();
    cr_assert_eq(count_in(st, "women", "state_under_review", "FRA"), 20);
    cr_assert_eq(sqlite3_exec(st->db, "UPDATE search_index SET bitmap = x'0102' WHERE facet = 3",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    other = open_other();
    cr_assert_eq(count_in(other, "women", "state_under_review", "FRA"), 20);
    cr_assert_gt(scalar(other, "SELECT min(length(bitmap)) FROM search_index WHERE facet = 3"), 2);
    rt_store_close(other);
}

/* In a read transaction (the web face's), the index serves but is not stored. */
Test(search_index, a_read_transaction_uses_it_without_writing)
{
    struct rt_error e = RT_ERROR_INIT;

    fill();
    cr_assert_eq(rt_store_read_begin(st, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(count_in(st, "women", "state_under_review", "FRA"), 20);
    cr_assert_not_null(st->facets, "the index was made");
    cr_assert_eq(count_in(st, "torture", "response", "supported"), 8);
    rt_store_read_end(st);
    cr_assert_eq(scalar(st, ROWS), 0, "nothing written in a read transaction");
}

/*
 * rt_rank with the index's lengths gives bm25's doubles, bit for bit, for every
 * match of each query; and the lengths are FTS5's.
 */
static size_t longer; /* of the rows of the last same_as_bm25, those it had no length of */

static size_t same_as_bm25(const char *const *queries, size_t n)
{
    struct rt__facets *fx = NULL;
    struct rt_error e = RT_ERROR_INIT;
    size_t rows = 0;

    longer = 0;
    cr_assert_eq(rt__facets_get(st, &fx, &e), 0, "%s", e.msg.buf);
    cr_assert_not_null(fx);
    st->rank_len = rt__facets_doclen(fx, &st->rank_n);
    cr_assert_gt(st->rank_n, 0u);
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *s;
        cr_assert_eq(
            sqlite3_prepare_v2(st->db,
                               "SELECT rowid, bm25(recommendation_fts),"
                               " rt_rank(recommendation_fts)"
                               " FROM recommendation_fts WHERE recommendation_fts MATCH ?1",
                               -1, &s, NULL),
            SQLITE_OK, "%s", sqlite3_errmsg(st->db));
        sqlite3_bind_text(s, 1, queries[i], -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(s, 0);
            double bm25 = sqlite3_column_double(s, 1), ours = sqlite3_column_double(s, 2);
            cr_assert_lt((size_t)id, st->rank_n);
            if (!st->rank_len[id]) /* 256 tokens or more: rt_rank asks FTS5 */
                longer++;
            cr_assert(!memcmp(&bm25, &ours, sizeof(double)), "%s: row %lld: bm25 %.17g, ours %.17g",
                      queries[i], (long long)id, bm25, ours);
            rows++;
        }
        cr_assert_eq(sqlite3_finalize(s), SQLITE_OK, "%s: %s", queries[i], sqlite3_errmsg(st->db));
    }
    st->rank_len = NULL;
    st->rank_n = 0;
    return rows;
}

static const char *const queries[] = {
    "women",
    "torture",
    "\"women defenders\"",
    "women OR torture",
    "women NOT girls",
    "protect AND violence",
    "wom*",
    "NEAR(women girls, 3)",
    "girls women torture",
};

Test(search_index, rt_rank_is_bm25_on_made_up_data)
{
    struct rt_buf text = RT_BUF_INIT;

    fill();
    /* One text too long for the index's byte: rt_rank asks FTS5 for its length. */
    for (int i = 0; i < 100; i++)
        rt_buf_adds(&text, "women and girls in prisons, ");
    put(st, "Kenya", 8, RT_RESPONSE_NOTED, NULL, text.buf);
    rt_buf_release(&text);
    cr_assert_gt(same_as_bm25(queries, RT_ARRAY_SIZE(queries)), 100);
    cr_assert_gt(longer, 0u, "the long text was ranked without the index's length");
}

Test(search_index, rt_rank_is_bm25_on_the_upr_import)
{
    static const char *const upr[] = {
        "women",
        "torture",
        "\"human rights defenders\"",
        "death penalty",
        "child* OR girls",
        "freedom NOT press",
        "NEAR(torture prison, 5)",
        "rights",
        "ratify optional protocol convention",
    };
    struct rt_error e = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    const char *data = shared_data();
    char path[600];
    const char *paths[1] = {path};

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, paths, 1, &stats, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_neq(scalar(st, STAMP), -1, "the import stored the index");
    {
        size_t n = same_as_bm25(upr, RT_ARRAY_SIZE(upr));
        cr_assert_gt(n, 20000, "%zu rows", n);
        cr_assert_lt(longer * 100, n, "%zu of %zu rows have no length in the index", longer, n);
    }
}

/* The ids of a search, in order, and its total. */
static size_t page_of(struct rt_query *q, int64_t *ids, size_t max, int64_t *total)
{
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    size_t n;

    cr_assert_eq(rt_search(st, q, &res, &e), 0, "%s", e.msg.buf);
    n = res.n_hits < max ? res.n_hits : max;
    for (size_t i = 0; i < n; i++)
        ids[i] = res.hits[i].id;
    *total = res.total;
    rt_search_result_release(&res);
    return n;
}

/*
 * Words in many rows are ranked from their postings in bm25 order (postings.c): the
 * same hits in the same order, the same totals and facets as FTS5 ranking every
 * match (rt_search_ids ranks with FTS5 and rt_rank), with and without filters, pages
 * after the first, and rows of one score (ties by id).
 */
Test(search_index, postings_rank_as_fts5_does)
{
    static const char *const words[] = {"women", "violence", "girls", "torture", "protect"};
    char text[160];
    size_t served;

    st->postings_min_rows = 1;
    fill();
    /* More counts of a word and more lengths, and rows of the same length and count. */
    for (int i = 0; i < 30; i++) {
        snprintf(text, sizeof(text), "%s women %s violence against women (%d)",
                 i % 3 ? "Women" : "End", i % 4 ? "and girls" : "", i % 7);
        put(st, i % 3 ? "Chile" : "Kenya", i % 2 ? 8 : 22,
            i % 4 ? RT_RESPONSE_SUPPORTED : RT_RESPONSE_NOTED, i % 2 ? "Women's rights" : NULL,
            text);
    }
    served = st->postings_served;
    for (size_t w = 0; w < RT_ARRAY_SIZE(words); w++) {
        for (int f = 0; f < 4; f++) {
            struct rt_query q = RT_QUERY_INIT;
            struct rt_error e = RT_ERROR_INIT;
            int64_t *all = NULL, ids[100], total = 0;
            size_t n_all = 0, n;

            q.text = words[w];
            q.sur = f == 1 ? "Chile" : NULL;
            q.response = f == 2 ? (int)RT_RESPONSE_SUPPORTED : -1;
            q.theme = f == 3 ? "Women's rights" : NULL;
            cr_assert_eq(rt_search_ids(st, &q, &all, &n_all, &e), 0, "%s", e.msg.buf);
            q.limit = 100;
            n = page_of(&q, ids, 100, &total);
            cr_assert_eq(total, (int64_t)n_all, "%s, filter %d: total", words[w], f);
            cr_assert_eq(n, n_all, "%s, filter %d", words[w], f);
            for (size_t i = 0; i < n; i++)
                cr_assert_eq(ids[i], all[i], "%s, filter %d: hit %zu", words[w], f, i);
            q.offset = 3;
            q.limit = 5;
            q.facets = 1;
            n = page_of(&q, ids, 100, &total);
            cr_assert_eq(total, (int64_t)n_all);
            for (size_t i = 0; i < n; i++)
                cr_assert_eq(ids[i], all[i + 3], "%s, filter %d, offset 3: hit %zu", words[w], f,
                             i);
            rt_free(all);
        }
    }
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 5"), 5,
                 "the words have postings");
    cr_assert_gt(st->postings_served, served, "and the pages came from them");
    cr_assert_eq(count_in(st, "women", "state_under_review", "KEN"), 10);
}

/*
 * The connection keeps the postings it decoded (rt__postings_cached): a word, a
 * prefix and an AND asked again are answered from what it kept, with the same pages
 * and totals, and after a change to the data from the new index, not the old terms.
 */
Test(search_index, kept_postings_follow_the_data)
{
    static const char *const texts[] = {"women", "wom*", "women violence", "girls OR torture"};
    int64_t first[RT_ARRAY_SIZE(texts)][20], again[20], total[RT_ARRAY_SIZE(texts)], t;
    size_t n[RT_ARRAY_SIZE(texts)], m, served;

    st->postings_min_rows = 1;
    fill();
    for (size_t k = 0; k < RT_ARRAY_SIZE(texts); k++) {
        struct rt_query q = RT_QUERY_INIT;
        q.text = texts[k];
        q.limit = 20;
        served = st->postings_served;
        n[k] = page_of(&q, first[k], 20, &total[k]);
        cr_assert_eq(st->postings_served, served + 1, "%s: from postings", texts[k]);
    }
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < RT_ARRAY_SIZE(texts); k++) {
            struct rt_query q = RT_QUERY_INIT;
            q.text = texts[k];
            q.limit = 20;
            served = st->postings_served;
            m = page_of(&q, again, 20, &t);
            cr_assert_eq(st->postings_served, served + 1, "%s: from postings", texts[k]);
            cr_assert_eq(t, total[k], "%s: the same total", texts[k]);
            cr_assert_eq(m, n[k], "%s", texts[k]);
            for (size_t i = 0; i < m; i++)
                cr_assert_eq(again[i], first[k][i], "%s: hit %zu", texts[k], i);
        }
    /* A new row with every word: each total grows by one, and the row is a hit. */
    put(st, "Kenya", 8, RT_RESPONSE_NOTED, NULL, "Women, women and girls: violence and torture");
    for (size_t k = 0; k < RT_ARRAY_SIZE(texts); k++) {
        struct rt_query q = RT_QUERY_INIT;
        int64_t all[64];
        q.text = texts[k];
        q.limit = 64;
        served = st->postings_served;
        m = page_of(&q, all, 64, &t);
        cr_assert_eq(st->postings_served, served + 1, "%s: from postings", texts[k]);
        cr_assert_eq(t, total[k] + 1, "%s: the new row counted", texts[k]);
        cr_assert_eq(m, (size_t)t, "%s", texts[k]);
        cr_assert_eq(count_in(st, texts[k], "state_under_review", "KEN"), 1, "%s", texts[k]);
    }
}

/*
 * The cache past its bound keeps the terms asked again and lets the others go
 * (term_cache_trim): with a bound of a few terms, searches asked over and over, in
 * turns with others, give the same pages and totals each time.
 */
Test(search_index, kept_postings_past_the_bound)
{
    static const char *const texts[] = {"women",    "wom*",    "women violence", "girls OR torture",
                                        "violence", "protec*", "torture",        "girls"};
    int64_t first[RT_ARRAY_SIZE(texts)][20], again[20], total[RT_ARRAY_SIZE(texts)], t;
    size_t n[RT_ARRAY_SIZE(texts)], m;

    st->postings_min_rows = 1;
    st->term_cache_bytes = 1200;
    fill();
    for (size_t k = 0; k < RT_ARRAY_SIZE(texts); k++) {
        struct rt_query q = RT_QUERY_INIT;
        q.text = texts[k];
        q.limit = 20;
        n[k] = page_of(&q, first[k], 20, &total[k]);
        cr_assert_gt(total[k], 0, "%s", texts[k]);
    }
    for (int round = 0; round < 40; round++) {
        /* The first three most often, the others in turns. */
        size_t k = round % 2 ? (size_t)round % 3 : 3 + (size_t)round % 5;
        struct rt_query q = RT_QUERY_INIT;
        q.text = texts[k];
        q.limit = 20;
        m = page_of(&q, again, 20, &t);
        cr_assert_eq(t, total[k], "%s, round %d: the same total", texts[k], round);
        cr_assert_eq(m, n[k], "%s", texts[k]);
        for (size_t i = 0; i < m; i++)
            cr_assert_eq(again[i], first[k][i], "%s, round %d: hit %zu", texts[k], round, i);
    }
}

/* The facets of a search as one string, to compare two searches' facets. */
static void facets_of(struct rt_query *q, struct rt_buf *out, int64_t *total)
{
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;

    rt_buf_reset(out);
    cr_assert_eq(rt_search(st, q, &res, &e), 0, "%s", e.msg.buf);
    for (size_t f = 0; f < res.n_facets; f++) {
        rt_buf_addf(out, "%s:", res.facets[f].name);
        for (size_t i = 0; i < res.facets[f].n; i++)
            rt_buf_addf(out, " %s=%lld", res.facets[f].counts[i].key,
                        (long long)res.facets[f].counts[i].n);
        rt_buf_addch(out, ';');
    }
    *total = res.total;
    rt_search_result_release(&res);
}

/*
 * Words joined by AND or by OR, each with postings, are ranked from them too (rank.c,
 * rt__rank_terms): the same hits in the same order as FTS5 ranking every match
 * (bm25 summed over the words in their order, ties by id), the same totals, and the
 * same facets as the search without a page (LIMIT 0, which FTS5 answers), with and
 * without filters, on pages after the first, whether each hit is scored or the
 * groups are read best first and the reading stops early; a word of few rows
 * without postings stored is walked by FTS5 and ranked with the others.
 */
Test(search_index, postings_rank_and_or_as_fts5_does)
{
    static const char *const texts[] = {
        "women violence",
        "women OR torture",
        "violence AND girls",
        "girls OR violence OR protect",
        "women women",
        "protect OR girls",
        "end violence women",
        "torture OR end",
        /* "now" (12 rows) and "defenders" (10) have none: FTS5's walk of their rows */
        "women OR now",
        "now violence",
        "now OR defenders",
    };
    static const int64_t direct[] = {0, -1, INT64_MAX};
    struct rt_buf want = RT_BUF_INIT, got = RT_BUF_INIT;
    char text[160];
    size_t served;

    st->postings_min_rows = 15;
    fill();
    for (int i = 0; i < 60; i++) {
        snprintf(text, sizeof(text), "%s women %s violence against women (%d)%s",
                 i % 3 ? "Women" : "End", i % 4 ? "and girls" : "", i % 7,
                 i % 5 ? "" : " end torture now, end it");
        put(st, i % 3 ? "Chile" : "Kenya", i % 2 ? 8 : 22,
            i % 4 ? RT_RESPONSE_SUPPORTED : RT_RESPONSE_NOTED, i % 2 ? "Women's rights" : NULL,
            text);
    }
    served = st->postings_served;
    for (size_t d = 0; d < RT_ARRAY_SIZE(direct); d++) {
        st->postings_direct_max = direct[d];
        for (size_t w = 0; w < RT_ARRAY_SIZE(texts); w++) {
            for (int f = 0; f < 4; f++) {
                struct rt_query q = RT_QUERY_INIT;
                struct rt_error e = RT_ERROR_INIT;
                int64_t *all = NULL, ids[200], total = 0, total0 = 0;
                size_t n_all = 0, n;

                q.text = texts[w];
                q.sur = f == 1 ? "Chile" : NULL;
                q.response = f == 2 ? (int)RT_RESPONSE_SUPPORTED : -1;
                q.theme = f == 3 ? "Women's rights" : NULL;
                cr_assert_eq(rt_search_ids(st, &q, &all, &n_all, &e), 0, "%s", e.msg.buf);
                cr_assert_gt(n_all, 0, "%s, filter %d: some hits", texts[w], f);
                q.limit = 200;
                n = page_of(&q, ids, 200, &total);
                cr_assert_eq(total, (int64_t)n_all, "%s, filter %d: total", texts[w], f);
                cr_assert_eq(n, n_all, "%s, filter %d", texts[w], f);
                for (size_t i = 0; i < n; i++)
                    cr_assert_eq(ids[i], all[i], "%s, filter %d, %lld: hit %zu", texts[w], f,
                                 (long long)direct[d], i);
                for (int64_t off = 1; off < 12; off += 5) {
                    q.offset = off;
                    q.limit = 4;
                    n = page_of(&q, ids, 200, &total);
                    cr_assert_eq(total, (int64_t)n_all);
                    for (size_t i = 0; i < n; i++)
                        cr_assert_eq(ids[i], all[i + (size_t)off],
                                     "%s, filter %d, offset %lld: hit %zu", texts[w], f,
                                     (long long)off, i);
                }
                q.facets = 1;
                q.offset = 0;
                q.limit = 0;
                facets_of(&q, &want, &total0);
                q.limit = 3;
                q.offset = 2;
                facets_of(&q, &got, &total);
                cr_assert_str_eq(got.buf, want.buf, "%s, filter %d: facets", texts[w], f);
                cr_assert_eq(total, total0);
                rt_free(all);
            }
        }
    }
    cr_assert_eq(st->postings_served, served + 3 * 11 * 4 * 5, "every page came from postings");
    /* A word without rows after one walked: FTS5 answers the query after all. */
    for (int k = 0; k < 2; k++) {
        struct rt_query q = RT_QUERY_INIT;
        struct rt_error e = RT_ERROR_INIT;
        int64_t *all = NULL, ids[200], total = 0;
        size_t n_all = 0, n;

        q.text = k ? "now xyzzy" : "now OR xyzzy";
        cr_assert_eq(rt_search_ids(st, &q, &all, &n_all, &e), 0, "%s", e.msg.buf);
        cr_assert_eq(n_all, k ? 0 : 12, "%s", q.text);
        q.limit = 200;
        served = st->postings_served;
        n = page_of(&q, ids, 200, &total);
        cr_assert_eq(st->postings_served, served, "%s: not from postings", q.text);
        cr_assert_eq(total, (int64_t)n_all, "%s: total", q.text);
        cr_assert_eq(n, n_all);
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(ids[i], all[i], "%s: hit %zu", q.text, i);
        rt_free(all);
    }
    cr_assert_eq(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 5 AND key = 'now'"), 0,
                 "a word of few rows has no postings stored");
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 5 AND key = 'women'"),
                 0, "a word of many has");
    rt_buf_release(&want);
    rt_buf_release(&got);
}

/*
 * A prefix is ranked from the postings of the index's words that begin with it
 * (postings.c, rt__postings_prefix): their rows joined, their counts in a row added,
 * as FTS5 counts the hits of a prefix's phrase; a word of few rows is walked by FTS5,
 * and a prefix that also looks for words whose stems do not begin with it
 * ("investigat*") adds their phrases as an OR. The same hits in the same order as
 * FTS5 ranking every match, the same totals and facets, with and without filters and
 * on pages after the first.
 */
Test(search_index, postings_rank_prefix_as_fts5_does)
{
    static const char *const texts[] = {
        "wom*", "viol*", "defen*", "investigat*", "end*", "tort*", "girl*", "protect*", "xyzq*",
    };
    struct rt_buf want = RT_BUF_INIT, got = RT_BUF_INIT;
    char text[200];
    size_t served;

    st->postings_min_rows = 15;
    fill();
    for (int i = 0; i < 60; i++) {
        snprintf(text, sizeof(text), "%s women %s violations of violence against %s (%d)%s%s",
                 i % 3 ? "Women" : "End", i % 4 ? "and girls" : "defenders",
                 i % 6 ? "women" : "woman defending her", i % 7,
                 i % 5 ? "" : " end torture now, end it, investigate",
                 i % 9 ? "" : " investigations of violent endings defended");
        put(st, i % 3 ? "Chile" : "Kenya", i % 2 ? 8 : 22,
            i % 4 ? RT_RESPONSE_SUPPORTED : RT_RESPONSE_NOTED, i % 2 ? "Women's rights" : NULL,
            text);
    }
    served = st->postings_served;
    for (size_t w = 0; w < RT_ARRAY_SIZE(texts); w++) {
        for (int f = 0; f < 4; f++) {
            struct rt_query q = RT_QUERY_INIT;
            struct rt_error e = RT_ERROR_INIT;
            int64_t *all = NULL, ids[200], total = 0, total0 = 0;
            size_t n_all = 0, n;

            q.text = texts[w];
            q.sur = f == 1 ? "Chile" : NULL;
            q.response = f == 2 ? (int)RT_RESPONSE_SUPPORTED : -1;
            q.theme = f == 3 ? "Women's rights" : NULL;
            cr_assert_eq(rt_search_ids(st, &q, &all, &n_all, &e), 0, "%s", e.msg.buf);
            if (strcmp(texts[w], "xyzq*"))
                cr_assert_gt(n_all, 0, "%s, filter %d: some hits", texts[w], f);
            q.limit = 200;
            n = page_of(&q, ids, 200, &total);
            cr_assert_eq(total, (int64_t)n_all, "%s, filter %d: total", texts[w], f);
            cr_assert_eq(n, n_all, "%s, filter %d", texts[w], f);
            for (size_t i = 0; i < n; i++)
                cr_assert_eq(ids[i], all[i], "%s, filter %d: hit %zu", texts[w], f, i);
            for (int64_t off = 1; off < 12; off += 5) {
                q.offset = off;
                q.limit = 4;
                n = page_of(&q, ids, 200, &total);
                cr_assert_eq(total, (int64_t)n_all);
                for (size_t i = 0; i < n; i++)
                    cr_assert_eq(ids[i], all[i + (size_t)off],
                                 "%s, filter %d, offset %lld: hit %zu", texts[w], f, (long long)off,
                                 i);
            }
            q.facets = 1;
            q.offset = 0;
            q.limit = 0;
            facets_of(&q, &want, &total0);
            q.limit = 3;
            q.offset = 2;
            facets_of(&q, &got, &total);
            cr_assert_str_eq(got.buf, want.buf, "%s, filter %d: facets", texts[w], f);
            cr_assert_eq(total, total0);
            rt_free(all);
        }
    }
    /* Every page came from the postings (five of each prefix and filter). */
    cr_assert_eq(st->postings_served, served + RT_ARRAY_SIZE(texts) * 4 * 5,
                 "every page came from postings");
    cr_assert_eq(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 6"), 1,
                 "the index's words are stored");
    rt_buf_release(&want);
    rt_buf_release(&got);
}

/* The facets of a search in store s as one string (facets_of for another connection). */
static void facets_in(struct rt_store *s, struct rt_query *q, struct rt_buf *out)
{
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;

    rt_buf_reset(out);
    cr_assert_eq(rt_search(s, q, &res, &e), 0, "%s", e.msg.buf);
    rt_buf_addf(out, "%lld;", (long long)res.total);
    for (size_t f = 0; f < res.n_facets; f++) {
        rt_buf_addf(out, "%s:", res.facets[f].name);
        for (size_t i = 0; i < res.facets[f].n; i++)
            rt_buf_addf(out, " %s=%lld", res.facets[f].counts[i].key,
                        (long long)res.facets[f].counts[i].n);
        rt_buf_addch(out, ';');
    }
    rt_search_result_release(&res);
}

/*
 * From its second count on, a connection counts the facets in one pass over the hits
 * from each row's class of entries (facets.c, row_counts) instead of intersecting the
 * hits with every entry's rows: the same counts, in the same order, as the first count
 * of a connection opened afresh, for searches with few hits (each hit's entries
 * counted) and with many (the hits of each class counted), filters, themes given
 * twice and no text at all.
 */
Test(search_index, facet_counts_by_rows_as_by_intersections)
{
    static const char *const texts[] = {"women", "torture", "girls OR violence", "defenders",
                                        "xyzzy", "3",       "7 OR 12",           NULL};
    struct rt_buf first = RT_BUF_INIT, again = RT_BUF_INIT;
    int with_hits = 0;

    fill();
    for (size_t w = 0; w < RT_ARRAY_SIZE(texts); w++) {
        for (int f = 0; f < 3; f++) {
            struct rt_query q = RT_QUERY_INIT;
            struct rt_store *other = open_other();

            q.text = texts[w];
            q.sur = f == 1 ? "Kenya" : NULL;
            q.theme = f == 2 ? "Women's rights" : NULL;
            q.facets = 1;
            q.limit = 3;
            facets_in(other, &q, &first);
            facets_in(other, &q, &again);
            cr_assert_str_eq(again.buf, first.buf, "%s, filter %d", texts[w] ? texts[w] : "-", f);
            if (first.buf[0] != '0') { /* some hits: a state has them */
                cr_assert(strstr(first.buf, "state_under_review: "), "%s: states counted",
                          first.buf);
                with_hits++;
            }
            rt_store_close(other);
        }
    }
    cr_assert_geq(with_hits, 12, "most searches have hits");
    rt_buf_release(&first);
    rt_buf_release(&again);
}

/*
 * The ranked ids of q's text (all of them, from rt_search) against FTS5 ranking every
 * match (rt_search_ids), the total too, with the filter f (as the tests above) and on
 * a page after the first; then the facets of a page against those of the search
 * without one (LIMIT 0). Returns how many hits.
 */
static size_t same_as_fts5(const char *text, int f)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct rt_buf want = RT_BUF_INIT, got = RT_BUF_INIT;
    int64_t *all = NULL, *ids, total = 0, total0 = 0;
    size_t n_all = 0, n;

    q.text = text;
    q.sur = f == 1 ? "Chile" : NULL;
    q.response = f == 2 ? (int)RT_RESPONSE_SUPPORTED : -1;
    q.theme = f == 3 ? "Women's rights" : NULL;
    cr_assert_eq(rt_search_ids(st, &q, &all, &n_all, &e), 0, "%s", e.msg.buf);
    RT_ALLOC_ARRAY(ids, n_all + 1);
    q.limit = (int64_t)n_all + 1;
    n = page_of(&q, ids, n_all + 1, &total);
    cr_assert_eq(total, (int64_t)n_all, "%s, filter %d: total", text, f);
    cr_assert_eq(n, n_all, "%s, filter %d", text, f);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ids[i], all[i], "%s, filter %d: hit %zu", text, f, i);
    q.offset = 7;
    q.limit = 5;
    n = page_of(&q, ids, n_all + 1, &total);
    cr_assert_eq(total, (int64_t)n_all);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ids[i], all[i + 7], "%s, filter %d, offset 7: hit %zu", text, f, i);
    q.facets = 1;
    q.offset = 0;
    q.limit = 0;
    facets_of(&q, &want, &total0);
    q.limit = 3;
    q.offset = 2;
    facets_of(&q, &got, &total);
    cr_assert_str_eq(got.buf, want.buf, "%s, filter %d: facets", text, f);
    cr_assert_eq(total, total0);
    rt_free(ids);
    rt_free(all);
    rt_buf_release(&want);
    rt_buf_release(&got);
    return n_all;
}

/*
 * A phrase of two words whose pair is in many rows is ranked from the pair's postings
 * (postings.c, facet 7): the same hits in the same order, totals and facets as FTS5
 * ranking every match, counting a pair twice in a row, overlapping itself ("women
 * women" in "women women women"), in the second column (the paragraph) and not
 * across the two columns; a pair in few rows is left to FTS5.
 */
Test(search_index, pair_postings_rank_as_fts5_does)
{
    static const char *const texts[] = {
        "\"violence against\"",       "\"women women\"",
        "\"against women\"",          "\"hrc 30\"",
        "\"violence against\" girls", "\"against women\" OR torture",
    };
    char text[200];
    size_t served;

    st->postings_min_rows = 15;
    fill();
    for (int i = 0; i < 60; i++) {
        struct rt_rec_in in = {0};
        unsigned flags;
        int64_t id;
        int added;
        snprintf(text, sizeof(text), "%s women %s violence against women (%d)%s now",
                 i % 3 ? "Women" : "End", i % 4 ? "and girls" : "women women", i % 7,
                 i % 5 ? "" : ", end violence against women, hrc 30");
        in.sur_id = state_id(st, i % 3 ? "Chile" : "Kenya");
        in.session = i % 2 ? 8 : 22;
        in.cycle = rt_upr_cycle_of_session(in.session);
        in.text = text;
        in.text_len = strlen(text);
        in.response = i % 4 ? RT_RESPONSE_SUPPORTED : RT_RESPONSE_NOTED;
        /* "A/HRC/30/3, 12.1": the pair "hrc 30" in the paragraph; "now a" not one */
        in.paragraph = i % 2 ? "A/HRC/30/3, 12.1" : NULL;
        cr_assert_eq(rt_store_rec_put(st, &in, &id, &flags, NULL), 0);
        cr_assert_eq(rt_store_rec_add_by(st, id, state_id(st, "Canada"), &added, NULL), 0);
        if (i % 2)
            cr_assert_eq(rt_store_rec_add_theme(st, id, "upr-info", "Women's rights", "official",
                                                1.0, &added, NULL),
                         0);
    }
    served = st->postings_served;
    for (size_t w = 0; w < RT_ARRAY_SIZE(texts); w++)
        for (int f = 0; f < 4; f++)
            cr_assert_gt(same_as_fts5(texts[w], f), 0, "%s, filter %d: some hits", texts[w], f);
    /* Three pages of each search came from postings (FTS5 answers LIMIT 0). */
    cr_assert_eq(st->postings_served, served + RT_ARRAY_SIZE(texts) * 4 * 3,
                 "every page came from postings");
    cr_assert_gt(scalar(st, "SELECT num FROM search_index WHERE facet = 7 AND key = 'women women'"),
                 14, "the pair's rows are counted");
    cr_assert_eq(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 7 AND key = 'now a'"),
                 0, "no pair across the columns");
    /* A pair in 12 rows, and phrases in none: FTS5 answers. */
    served = st->postings_served;
    cr_assert_eq(same_as_fts5("\"end violence\"", 0), 12);
    cr_assert_eq(same_as_fts5("\"now a\"", 0), 0);
    cr_assert_eq(same_as_fts5("\"torture girls\"", 0), 0);
    cr_assert_eq(st->postings_served, served, "not from postings");
}

/*
 * The same on the UPR Info file, with the search index as an import builds it (pairs
 * in 512 rows or more, and in 8 or more of two words with many positions between them):
 * every pair it keeps, searched as a phrase of its two words,
 * ranked as FTS5 ranks it; and phrases of everyday words with and without filters.
 */
Test(search_index, pair_postings_rank_as_fts5_does_on_the_upr_import)
{
    static const char *const phrases[] = {
        "\"human rights\"",     "\"death penalty\"",     "\"of the\"",    "\"freedom of\"",
        "\"rights defenders\"", "\"domestic violence\"", "\"to ensure\"", "\"complying with\"",
    };
    struct rt_error e = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    const char *data = shared_data();
    char path[600];
    const char *paths[1] = {path};
    sqlite3_stmt *s;
    size_t pairs = 0, served;

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, paths, 1, &stats, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 7"), 100,
                 "the import kept the pairs");
    /* Pairs of fewer rows too, when FTS5 would read many positions of their words. */
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 7 AND num < 512"), 100,
                 "pairs of fewer rows kept");
    cr_assert_eq(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 7 AND num < 8"), 0,
                 "of 8 rows or more");
    cr_assert_eq(
        sqlite3_prepare_v2(st->db, "SELECT key, num FROM search_index WHERE facet = 7 ORDER BY key",
                           -1, &s, NULL),
        SQLITE_OK);
    served = st->postings_served;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char phrase[200];
        snprintf(phrase, sizeof(phrase), "\"%s\"", (const char *)sqlite3_column_text(s, 0));
        cr_assert_eq(same_as_fts5(phrase, 0), (size_t)sqlite3_column_int64(s, 1), "%s", phrase);
        pairs++;
    }
    sqlite3_finalize(s);
    /* Most keys (stems) are found as they are: their pages came from the pairs. */
    cr_assert_gt(st->postings_served, served + pairs * 3 * 9 / 10, "%zu pairs", pairs);
    for (size_t i = 0; i < RT_ARRAY_SIZE(phrases); i++)
        for (int f = 0; f < 4; f++)
            same_as_fts5(phrases[i], f);
    cr_assert_gt(same_as_fts5("\"human rights\"", 0), 5000);
}

/* Every row of the stored index but its stamp, in order, into out. */
static void dump_index(struct rt_buf *out)
{
    sqlite3_stmt *s;

    cr_assert_eq(sqlite3_prepare_v2(st->db,
                                    "SELECT facet, pos, key, num, bitmap FROM search_index"
                                    " WHERE facet >= 0 ORDER BY facet, pos",
                                    -1, &s, NULL),
                 SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        rt_buf_addf(out, "%d %lld %s %lld %d:", sqlite3_column_int(s, 0),
                    (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 2),
                    (long long)sqlite3_column_int64(s, 3), sqlite3_column_bytes(s, 4));
        rt_buf_add(out, sqlite3_column_blob(s, 4), (size_t)sqlite3_column_bytes(s, 4));
    }
    sqlite3_finalize(s);
}

/*
 * A load into an empty store builds the search index from the tokens its rows gave
 * FTS5 (tokcap.c), not from FTS5's index read back: byte for byte the index that a
 * search builds from FTS5 once it is emptied.
 */
Test(search_index, a_load_builds_the_index_from_its_tokens_as_fts5_would)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    struct rt_buf load = RT_BUF_INIT, again = RT_BUF_INIT;
    const char *data = shared_data();
    char path[600];
    const char *paths[1] = {path};

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, paths, 1, &stats, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(st->postings_from_load, 1, "built from the load's tokens");
    cr_assert_null(st->words.cap, "the tokens are let go at the commit");
    dump_index(&load);
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 5"), 200);
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 7"), 100);

    cr_assert_eq(sqlite3_exec(st->db, "DELETE FROM search_index", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_gt(count_in(st, "women", "state_under_review", "FRA"), 0);
    cr_assert_neq(scalar(st, STAMP), -1, "the search stored it again");
    cr_assert_eq(st->postings_from_load, 1, "from FTS5 this time");
    dump_index(&again);
    cr_assert_eq(load.len, again.len);
    cr_assert(!memcmp(load.buf, again.buf, load.len), "the same bytes");
    rt_buf_release(&load);
    rt_buf_release(&again);
}

/*
 * The load's thread tokenizes each row as it is written; a text changed after that
 * (here a paragraph set by hand) is tokenized at commit as before, FTS5 indexes the
 * text as it is, and the search index is then built from FTS5 (the capture would
 * miss the change): the same index a search builds.
 */
Test(search_index, a_text_changed_after_its_row_was_written_is_indexed_as_it_is)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_buf load = RT_BUF_INIT, again = RT_BUF_INIT;

    st->postings_min_rows = 4;
    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    cr_assert_not_null(st->tokwork, "a load into an empty store starts the thread");
    fill(); /* 40 rows: 32 of them written before the commit */
    cr_assert_eq(sqlite3_exec(st->db,
                              "UPDATE recommendation SET paragraph = 'zebras and giraffes'"
                              " WHERE id = 1",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    cr_assert_eq(rt_store_commit(st, &e), 0, "%s", e.msg.buf);
    cr_assert_null(st->tokwork);
    cr_assert_eq(st->postings_from_load, 0, "built from FTS5");
    cr_assert_eq(count_in(st, "zebras", "state_under_review", "CHL"), 1, "the paragraph's words");
    cr_assert_eq(scalar(st, "SELECT count(*) FROM word WHERE word = 'zebras'"), 1);
    dump_index(&load);
    cr_assert_gt(scalar(st, "SELECT count(*) FROM search_index WHERE facet = 5"), 3);

    cr_assert_eq(sqlite3_exec(st->db, "DELETE FROM search_index", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_gt(count_in(st, "women", "state_under_review", "FRA"), 0);
    dump_index(&again);
    cr_assert_eq(load.len, again.len);
    cr_assert(!memcmp(load.buf, again.buf, load.len), "the same bytes");
    rt_buf_release(&load);
    rt_buf_release(&again);
}

/* A load rolled back ends its thread and leaves nothing. */
Test(search_index, a_load_rolled_back_leaves_nothing)
{
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    fill();
    rt_store_rollback(st);
    cr_assert_null(st->tokwork);
    cr_assert_eq(scalar(st, "SELECT count(*) FROM recommendation"), 0);
    cr_assert_eq(scalar(st, "SELECT count(*) FROM recommendation_fts"), 0);
    cr_assert_eq(scalar(st, "SELECT count(*) FROM word"), 0);
    /* and the next load is built from its tokens */
    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    fill();
    cr_assert_eq(rt_store_commit(st, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(st->postings_from_load, 1);
    cr_assert_eq(scalar(st, "SELECT count(*) FROM recommendation"), 40);
}
