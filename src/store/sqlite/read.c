/* Reading recommendations back: one by id, statistics, and search with facets. */
#include "base/compat.h"

#include "store/sqlite/json_sql.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/sqlite_int.h"

static int prepare(struct rt_store *st, const char *sql, sqlite3_stmt **out, struct rt_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return rt__db_error(st, err, "prepare");
    }
    return 0;
}

/* A recommendation's own row (RT__REC_SELECT's columns, from column c on) into r. */
static void rec_fill(sqlite3_stmt *s, int c, struct rt_rec *r)
{
    r->id = sqlite3_column_int64(s, c);
    r->mechanism = rt__col_strdup(s, c + 1);
    r->cycle = sqlite3_column_int(s, c + 2);
    r->session = sqlite3_column_int(s, c + 3);
    if (sqlite3_column_type(s, c + 4) != SQLITE_NULL)
        r->paragraph = rt__col_strdup(s, c + 4);
    r->text = rt__col_strdup(s, c + 5);
    snprintf(r->sur.code, sizeof(r->sur.code), "%s", (const char *)sqlite3_column_text(s, c + 6));
    r->sur.name = rt__col_strdup(s, c + 7);
    if (rt_response_parse((const char *)sqlite3_column_text(s, c + 8), &r->response) < 0)
        r->response = RT_RESPONSE_PENDING;
    r->action_category = sqlite3_column_int(s, c + 9);
    r->source_id = sqlite3_column_int64(s, c + 10);
    if (sqlite3_column_type(s, c + 11) != SQLITE_NULL)
        r->source_path = rt__col_strdup(s, c + 11);
    r->created_at = rt__col_strdup(s, c + 12);
    if (sqlite3_column_type(s, c + 13) != SQLITE_NULL) {
        r->action_category_origin = rt__col_strdup(s, c + 13);
        r->action_category_confidence = sqlite3_column_double(s, c + 14);
    }
}

/* One recommending state (code, name from column c on) added to r. */
static void by_add(sqlite3_stmt *s, int c, struct rt_rec *r, size_t *alloc)
{
    struct rt_state_ref *ref;

    RT_ALLOC_GROW(r->by, r->n_by + 1, *alloc);
    ref = &r->by[r->n_by++];
    snprintf(ref->code, sizeof(ref->code), "%s", (const char *)sqlite3_column_text(s, c));
    ref->name = rt__col_strdup(s, c + 1);
}

/* One theme tag (vocabulary, label, origin, confidence from column c on) added to r. */
static void theme_add(sqlite3_stmt *s, int c, struct rt_rec *r, size_t *alloc)
{
    struct rt_rec_theme *t;

    RT_ALLOC_GROW(r->themes, r->n_themes + 1, *alloc);
    t = &r->themes[r->n_themes++];
    t->vocabulary = rt__col_strdup(s, c);
    t->label = rt__col_strdup(s, c + 1);
    t->origin = rt__col_strdup(s, c + 2);
    t->confidence = sqlite3_column_double(s, c + 3);
}

static int load_by(struct rt_store *st, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s;
    size_t alloc = 0;
    int rc;

    if (!(s = rt__stmt(st, STMT_REC_GET_BY, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        by_add(s, 0, r, &alloc);
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
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        theme_add(s, 0, r, &alloc);
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "themes");
    sqlite3_reset(s);
    return rc;
}

static int load_sources(struct rt_store *st, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s;
    size_t alloc = 0;
    int rc;

    if (!(s = rt__stmt(st, STMT_REC_GET_SOURCES, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt_rec_source *src;
        RT_ALLOC_GROW(r->sources, r->n_sources + 1, alloc);
        src = &r->sources[r->n_sources++];
        src->id = sqlite3_column_int64(s, 0);
        src->kind = rt__col_strdup(s, 1);
        src->path = rt__col_strdup(s, 2);
        src->response = RT_RESPONSE_PENDING;
        rt_response_parse((const char *)sqlite3_column_text(s, 3), &src->response);
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "sources");
    sqlite3_reset(s);
    return rc;
}

/* The election of an ODIHR recommendation, if r is one. */
static int load_election(struct rt_store *st, struct rt_rec *r, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st,
                                   "SELECT election, election_date, report_date, priority"
                                   " FROM recommendation_election WHERE rec_id = ?1",
                                   err);
    int rc;

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r->election = rt__col_strdup(s, 0);
        r->election_date = rt__col_strdup(s, 1);
        r->report_date = rt__col_strdup(s, 2);
        r->priority = sqlite3_column_int(s, 3);
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "election");
    sqlite3_reset(s);
    return rc;
}

int rt__sqlite_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r, struct rt_error *err)
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
        sqlite3_reset(s);
        return rc;
    }
    rec_fill(s, 0, r);
    sqlite3_reset(s);
    if ((rc = load_by(st, r, err)) < 0 || (rc = load_themes(st, r, err)) < 0 ||
        (rc = load_sources(st, r, err)) < 0 || (rc = load_election(st, r, err)) < 0)
        return rc;
    return 0;
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

/* Reads (key, count) rows into *out; a NULL key (no value) counts under none. */
static int counts(struct rt_store *st, sqlite3_stmt *s, struct rt_count **out, size_t *n,
                  struct rt_error *err)
{
    size_t alloc = 0;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) == SQLITE_NULL)
            continue;
        RT_ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[*n].key = rt__col_strdup(s, 0);
        (*out)[*n].n = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "counts");
}

/*
 * Each statement comes in two: over every recommendation (no filter, so that SQLite
 * counts a table or an index without looking at rows), and over those to one state
 * (?1), which SQLite finds through the index that starts with sur_id. One statement
 * with "?1 = 0 OR r.sur_id = ?1" read every recommendation either way: the state
 * page spent 140 million instructions on it, the home page more.
 */
#define SUR(all, one) (sur_id ? one : all)

int rt__sqlite_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *out,
                     struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    out->recommendations = scalar(st,
                                  SUR("SELECT count(*) FROM recommendation",
                                      "SELECT count(*) FROM recommendation r WHERE r.sur_id = ?1"),
                                  sur_id, &rc, err);
    out->states_under_review =
        scalar(st,
               SUR("SELECT count(*) FROM state s WHERE EXISTS (SELECT 1 FROM recommendation r"
                   " WHERE r.sur_id = s.id)",
                   "SELECT count(*) > 0 FROM recommendation r WHERE r.sur_id = ?1"),
               sur_id, &rc, err);
    /* Over every recommendation the links are counted without the join (each link
     * belongs to a recommendation): 2 ms instead of 117 ms on the full UPR import. */
    out->recommending_states =
        scalar(st,
               SUR("SELECT count(DISTINCT state_id) FROM recommendation_by",
                   "SELECT count(DISTINCT b.state_id) FROM recommendation r"
                   " JOIN recommendation_by b ON b.rec_id = r.id WHERE r.sur_id = ?1"),
               sur_id, &rc, err);
    out->sources = scalar(st, "SELECT count(*) FROM source", sur_id, &rc, err);
    out->themes =
        scalar(st,
               SUR("SELECT count(DISTINCT theme_id) FROM recommendation_theme",
                   "SELECT count(DISTINCT rt.theme_id) FROM recommendation r"
                   " JOIN recommendation_theme rt ON rt.rec_id = r.id WHERE r.sur_id = ?1"),
               sur_id, &rc, err);
    if (rc < 0)
        return rc;
    if ((rc = prepare(st,
                      SUR("SELECT r.response, count(*) FROM recommendation r GROUP BY r.response",
                          "SELECT r.response, count(*) FROM recommendation r WHERE r.sur_id = ?1"
                          " GROUP BY r.response"),
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
                      SUR("SELECT r.cycle, count(*) FROM recommendation r"
                          " WHERE r.cycle > 0 GROUP BY 1 ORDER BY 1",
                          "SELECT r.cycle, count(*) FROM recommendation r"
                          " WHERE r.sur_id = ?1 AND r.cycle > 0 GROUP BY 1 ORDER BY 1"),
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
 * How a search runs. Without query text, the filters pick rows in id order. With
 * text, hits are ranked by FTS5's rank (bm25), ties broken by id, and the plan
 * decides which rows get looked at and scored:
 *
 *   PLAN_TEXT    no filters: the full-text index alone.
 *   PLAN_FILTER  a filter with an index (sur, by or session): the ids of the rows that
 *                pass all the filters are collected first (a few hundred at most),
 *                then the matches are read from the index and only those in that set
 *                are scored; nothing else of a match is looked up.
 *   PLAN_MATCH   only filters without an index (cycle, category, response, theme,
 *                mechanism):
 *                each match is looked up and checked, and scored when it passes.
 *
 * bm25 depends on the whole index, not on the rows scored, so every plan gives the
 * same hits in the same order, the same total and the same facets as the plain
 * query of PLAN_MATCH; tests/unit/store/test_search.c holds them to it.
 */
enum plan { PLAN_NONE, PLAN_TEXT, PLAN_FILTER, PLAN_MATCH };

static enum plan plan_of(const struct rt_search_spec *q)
{
    if (!q->query)
        return PLAN_NONE;
    if (q->sur_id || q->by_id || q->session)
        return PLAN_FILTER;
    if (q->cycle || q->category || q->response >= 0 || q->theme || q->mechanism)
        return PLAN_MATCH;
    return PLAN_TEXT;
}

/* A set of recommendation ids, one bit each; handed to SQL as the pointer ?11. */
#define IDSET_TYPE "rt_idset"

struct idset {
    uint64_t *bits;
    size_t words;
    int64_t n;
};

static void idset_add(struct idset *set, int64_t id)
{
    size_t w = (size_t)id / 64;

    if (id < 0)
        return;
    if (w >= set->words) {
        size_t words = set->words * 2 > w + 1 ? set->words * 2 : w + 1;
        RT_REALLOC_ARRAY(set->bits, words);
        memset(set->bits + set->words, 0, (words - set->words) * sizeof(*set->bits));
        set->words = words;
    }
    if (!(set->bits[w] >> (id % 64) & 1))
        set->n++;
    set->bits[w] |= (uint64_t)1 << (id % 64);
}

static void idset_release(struct idset *set)
{
    rt_free(set->bits);
    memset(set, 0, sizeof(*set));
}

/* rt_idset(id, set): 1 when id is in set (bound with sqlite3_bind_pointer), else 0. */
static void idset_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const struct idset *set = sqlite3_value_pointer(argv[1], IDSET_TYPE);
    sqlite3_int64 id = sqlite3_value_int64(argv[0]);

    (void)argc;
    sqlite3_result_int(ctx, set && id >= 0 && (size_t)id / 64 < set->words &&
                                (set->bits[(size_t)id / 64] >> (id % 64) & 1));
}

/*
 * rt_theme_words(label): the words of a theme label between spaces, as THEME_WORDS
 * (json_sql.h) wants them: ASCII letters lowercased as SQL's lower() does, each of
 * , ' - & / . made a space, one space before and after (" women s rights "); NULL
 * for NULL. The same bytes as lower() under six replace()s, at a small part of the
 * cost: a theme filter reads every label of the taxonomy, and those string copies
 * were 5 M instructions of each topic of a briefing.
 */
static void theme_words_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *in;
    char *out;
    int n, i;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    in = sqlite3_value_text(argv[0]);
    n = sqlite3_value_bytes(argv[0]);
    if (!in) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    out = rt_xmalloc((size_t)n + 3);
    out[0] = ' ';
    for (i = 0; i < n; i++) {
        unsigned char c = in[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (c == ',' || c == '\'' || c == '-' || c == '&' || c == '/' || c == '.')
            c = ' ';
        out[i + 1] = (char)c;
    }
    out[n + 1] = ' ';
    out[n + 2] = '\0';
    sqlite3_result_text(ctx, out, n + 2, rt_free);
}

int rt__search_register(sqlite3 *db)
{
    int rc = sqlite3_create_function(db, "rt_idset", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                     idset_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "rt_theme_words", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     theme_words_fn, NULL, NULL);
    return rc;
}

/*
 * The WHERE clause of a search; parameters are numbered and always all bound
 * (?1 match, ?2 sur, ?3 by, ?4 cycle, ?5 session, ?6 category, ?7 response, ?8 theme,
 * ?9 limit, ?10 offset, ?11 an id set, ?12 mechanism).
 */
static void where_clause(const struct rt_search_spec *q, struct rt_buf *sql)
{
    rt_buf_adds(sql, " WHERE 1");
    if (q->query)
        rt_buf_adds(sql, " AND r.id IN (SELECT rowid FROM recommendation_fts"
                         " WHERE recommendation_fts MATCH ?1)");
    if (q->sur_id)
        rt_buf_adds(sql, " AND r.sur_id = ?2");
    /* IN, not a correlated EXISTS, so that the index on the state drives the search. */
    if (q->by_id)
        rt_buf_adds(sql, " AND r.id IN (SELECT b.rec_id FROM recommendation_by b"
                         " WHERE b.state_id = ?3)");
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
    /* A theme, through the taxonomy (json_sql.h). */
    if (q->theme)
        rt_buf_adds(sql, " AND " THEME_MATCH("r.id", "?8"));
    if (q->mechanism)
        rt_buf_adds(sql, " AND r.mechanism = ?12");
}

static void bind_spec(sqlite3_stmt *s, const struct rt_search_spec *q, const char *match,
                      const struct idset *set)
{
    if (q->query)
        sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
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
        sqlite3_bind_text(s, 7, rt_response_name((enum rt_response)q->response), -1, SQLITE_STATIC);
    if (q->theme)
        sqlite3_bind_text(s, 8, q->theme, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, q->limit);
    sqlite3_bind_int64(s, 10, q->offset);
    if (set)
        sqlite3_bind_pointer(s, 11, (void *)(uintptr_t)set, IDSET_TYPE, NULL);
    if (q->mechanism)
        sqlite3_bind_text(s, 12, q->mechanism, -1, SQLITE_STATIC);
}

/*
 * The statement "<head> [WHERE <filters of q>] <tail>" from the connection's cache,
 * bound; without_match leaves the text condition out of the WHERE clause, and
 * no_where leaves the clause out altogether (head then has its own).
 */
enum { WITH_WHERE, WITHOUT_MATCH, NO_WHERE };

static sqlite3_stmt *spec_stmt(struct rt_store *st, const struct rt_search_spec *q, int where,
                               const char *head, const char *tail, const struct idset *set,
                               struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    struct rt_search_spec rest = *q;
    sqlite3_stmt *s;

    rest.query = NULL;
    rt_buf_adds(&sql, head);
    if (where != NO_WHERE)
        where_clause(where == WITHOUT_MATCH ? &rest : q, &sql);
    rt_buf_adds(&sql, tail);
    s = rt__stmt_sql(st, sql.buf, err);
    rt_buf_release(&sql);
    if (s)
        bind_spec(s, q, st->match, set);
    return s;
}

static int step_error(struct rt_store *st, struct rt_error *err)
{
    const char *msg = sqlite3_errmsg(st->db);
    if (strstr(msg, "fts5") || strstr(msg, "syntax"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "query", "cannot read the query: %s", msg);
    return rt__db_error(st, err, "search");
}

/* Steps s to the end, adding column 0 of each row to set; resets s. */
static int collect(struct rt_store *st, sqlite3_stmt *s, struct idset *set, struct rt_error *err)
{
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        idset_add(set, sqlite3_column_int64(s, 0));
    rc = rc == SQLITE_DONE ? 0 : step_error(st, err);
    sqlite3_reset(s);
    return rc;
}

#define FTS_FROM " FROM recommendation_fts WHERE recommendation_fts MATCH ?1"
#define FTS_MATCH "SELECT rowid" FTS_FROM
#define FTS_COUNT "SELECT count(*) FROM recommendation_fts WHERE recommendation_fts MATCH ?1"
#define IN_SET " AND rt_idset(rowid, ?11)"
/* rt_rank is FTS5's bm25 (rank.c), with the lengths of rows from the search index. */
#define RANKED " ORDER BY rt_rank(recommendation_fts), rowid LIMIT ?9 OFFSET ?10"

/*
 * The orders other than relevance (enum rt_search_sort), over every row that passes
 * the filters and the text; the response in the order of enum rt_response.
 */
#define SORTED_FROM "SELECT r.id FROM recommendation r JOIN state s ON s.id = r.sur_id"
static const char *const sort_key[4] = {
    "r.id",
    "r.session", /* NULL first, as 0 would be; the index serves it */
    "s.name",
    "CASE r.response WHEN 'supported' THEN 0 WHEN 'noted' THEN 1 WHEN 'pledge' THEN 2 ELSE 3 END",
};

static void idset_to_bitmap(const struct idset *set, roaring_bitmap_t *bm);

/* Words a query may join and still be ranked from their postings (term_page). */
#define TERM_WORDS_MAX 8

/* What scoring a row costs against testing one against the filters (few_pass). */
#define FEW_PASS_COST 4

/*
 * The words of a query of plain words, one alone or joined by one operator: how many
 * (*all 1 for one word or AND, 0 for OR), else 0.
 */
static size_t words_of(const struct rt_search_node *nd, int *all)
{
    size_t n = 0;

    if (!nd)
        return 0;
    *all = 1;
    if (nd->kind == RT_SEARCH_TERM)
        return 1;
    if (nd->kind != RT_SEARCH_AND && nd->kind != RT_SEARCH_OR)
        return 0;
    *all = nd->kind == RT_SEARCH_AND;
    for (const struct rt_search_node *c = nd->child; c; c = c->next, n++)
        if (c->kind != RT_SEARCH_TERM)
            return 0;
    return n;
}

/*
 * Are the rows of term t that pass filter so few that scoring each of them costs less
 * than reading t's rows best first until the page has enough that pass? Scoring a row
 * costs about four tests of the filter; the walk reads about (the page's end) x (t's
 * rows) / (the rows that pass) rows, each tested against the filter.
 */
static int few_pass(const struct rt__term *t, const roaring_bitmap_t *filter,
                    const struct rt_search_spec *q)
{
    uint64_t want =
        q->limit < 0 ? t->n_post : (uint64_t)q->limit + (uint64_t)(q->offset > 0 ? q->offset : 0);
    uint64_t card = roaring_bitmap_and_cardinality(t->bm, filter);

    return card * card * FEW_PASS_COST <= want * t->n_post;
}

/*
 * A ranked page of a query of one word, or of words joined by AND or by OR, from the
 * words' postings in bm25 order (postings.c, rank.c), when the search index has them
 * for every word, over the rows in pass_bm or else in pass (every row when both are
 * NULL): 1 with *ids, the total in st->rank_calls and the hits in st->rank_hits when
 * it is there, as ranked_page gives them; 0 when a word has none (FTS5 then serves
 * the query), RT_ESTORE with err.
 */
static int term_page(struct rt_store *st, const struct rt_search_spec *q,
                     const roaring_bitmap_t *pass_bm, const struct idset *pass, int64_t **ids,
                     size_t *n_ids, struct rt_error *err)
{
    struct rt__term t[TERM_WORDS_MAX];
    roaring_bitmap_t *own = NULL;
    const roaring_bitmap_t *filter = pass_bm;
    const char *p = st->match_phrases.buf;
    int64_t rows, tokens;
    size_t n = 0, got = 0;
    int rc = 1, all = 1;

    struct rt_buf more = RT_BUF_INIT;
    const struct rt_search_node *root = q->query ? q->query->root : NULL;

    if (!st->search_version_known || !root || !st->match_plain ||
        !rt__facets_postings(st->facets, &rows, &tokens))
        return 0;
    rt__postings_cache_begin(st);
    if (root->kind == RT_SEARCH_TERM && root->prefix && !root->field &&
        !memchr(root->text, '\0', root->len)) {
        /* A prefix: FTS5's phrase of every word that begins with it, then a phrase for
         * each word whose stem does not (fts_query.c), joined by OR. */
        if ((rc = rt__fts_prefix_phrases(st, root, &more, err)) == 0)
            rc = rt__postings_cached(st, 'p', root->text, root->len, &t[0], err);
        got = rc == 1;
        for (p = more.buf; rc == 1 && p && p < more.buf + more.len; p += strlen(p) + 1, got++) {
            if (got == TERM_WORDS_MAX) {
                rc = 0;
                break;
            }
            if ((rc = rt__postings_cached(st, 'g', p, strlen(p), &t[got], err)) == 0)
                rc = rt__postings_cached(st, 'w', p, strlen(p), &t[got], err);
        }
        rt_buf_release(&more);
        n = got;
        all = n == 1;
        if (rc != 1)
            got++; /* the last is empty */
    } else {
        if (!st->match_phrases.len || (n = words_of(root, &all)) == 0 || n != st->match_n ||
            n > TERM_WORDS_MAX)
            return 0;
        /* A word without postings stored has few rows (fewer than the words that have
         * them): beside others, FTS5's walk of its rows gives them. */
        for (; got < n && rc == 1; got++, p += strlen(p) + 1)
            if ((rc = rt__postings_cached(st, 'g', p, strlen(p), &t[got], err)) == 0 && n > 1)
                rc = rt__postings_cached(st, 'w', p, strlen(p), &t[got], err);
    }
    if (rc != 1) {
        for (size_t i = 0; i + 1 < got; i++)
            rt__term_release(&t[i]);
        return rc;
    }
    if (!filter && pass) {
        filter = own = roaring_bitmap_create();
        idset_to_bitmap(pass, own);
    }
    if (n == 1 && filter && few_pass(&t[0], filter, q)) {
        /* Few of the word's rows pass the filters: each of them scored, rather than
         * the word's rows read best first until enough of them pass. */
        roaring_bitmap_t *hits = roaring_bitmap_and(t[0].bm, filter);
        rt__rank_terms(t, 1, 1, hits, filter, st->rank_len, st->rank_n, rows, tokens,
                       st->postings_direct_max, q->offset, q->limit, ids, n_ids);
        st->rank_calls = roaring_bitmap_get_cardinality(hits);
        if (st->rank_hits)
            roaring_bitmap_or_inplace(st->rank_hits, hits);
        roaring_bitmap_free(hits);
    } else if (n == 1) {
        rt__rank_term(&t[0], rows, tokens, filter, q->offset, q->limit, ids, n_ids);
        st->rank_calls = filter ? roaring_bitmap_and_cardinality(t[0].bm, filter) : t[0].n_post;
        if (st->rank_hits) {
            roaring_bitmap_or_inplace(st->rank_hits, t[0].bm);
            if (filter)
                roaring_bitmap_and_inplace(st->rank_hits, filter);
        }
    } else {
        /* The matches: the words' rows intersected (AND) or joined (OR), then cut by
         * the filters; the total and the facets' hits are theirs. */
        roaring_bitmap_t *hits = roaring_bitmap_copy(t[0].bm);
        for (size_t i = 1; i < n; i++) {
            if (all)
                roaring_bitmap_and_inplace(hits, t[i].bm);
            else
                roaring_bitmap_or_inplace(hits, t[i].bm);
        }
        if (filter)
            roaring_bitmap_and_inplace(hits, filter);
        rt__rank_terms(t, n, all, hits, filter, st->rank_len, st->rank_n, rows, tokens,
                       st->postings_direct_max, q->offset, q->limit, ids, n_ids);
        st->rank_calls = roaring_bitmap_get_cardinality(hits);
        if (st->rank_hits)
            roaring_bitmap_or_inplace(st->rank_hits, hits);
        roaring_bitmap_free(hits);
    }
    rt__bitmap_free(own);
    for (size_t i = 0; i < n; i++)
        rt__term_release(&t[i]);
    st->postings_served++;
    return 1;
}

/*
 * A ranked page in one pass over the matches (rank.c, struct rt__rank_collect): the
 * rows in pass (every match when NULL) are noted, then ranked in C. Gives what the
 * statement "... ORDER BY rt_rank(...), rowid LIMIT OFFSET" gives; *scored is the
 * number of rows ranked, as st->rank_calls counts them, and they go into
 * st->rank_hits when it is there.
 */
static int ranked_page(struct rt_store *st, const struct rt_search_spec *q,
                       const struct idset *pass, int64_t **ids, size_t *n_ids, struct rt_error *err)
{
    struct rt__rank_collect c = {0};
    sqlite3_stmt *s;
    int rc;

    /* First, as it may run statements of its own (rt__postings_walk). */
    if ((rc = term_page(st, q, NULL, pass, ids, n_ids, err)) != 0)
        return rc < 0 ? rc : 0;
    /* rt_rank notes each row and gives NULL: no row comes back to be stepped over. */
    if (!(s = spec_stmt(st, q, NO_WHERE,
                        "SELECT 1" FTS_FROM " AND rt_rank(recommendation_fts) IS NOT NULL", "",
                        NULL, err)))
        return RT_ESTORE;
    if (pass) {
        c.filtered = 1;
        c.pass = pass->bits;
        c.pass_words = pass->words;
    }
    c.or_query = st->match_or;
    c.plain = st->match_plain;
    st->rank_collect = &c;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !c.swept)
        ;
    st->rank_collect = NULL;
    if (rc == SQLITE_ROW)
        rc = SQLITE_DONE; /* swept (rank.c): the rows are all noted */
    rc = rc == SQLITE_DONE ? 0 : step_error(st, err);
    sqlite3_reset(s);
    if (rc == 0) {
        rt__rank_top(&c, q->offset, q->limit, ids, n_ids);
        st->rank_calls = c.n;
        if (st->rank_hits) {
            for (size_t i = 0; i < c.n; i += 4096) {
                size_t m = c.n - i < 4096 ? c.n - i : 4096;
                uint32_t buf[4096];
                for (size_t j = 0; j < m; j++)
                    buf[j] = (uint32_t)c.ids[i + j];
                roaring_bitmap_add_many(st->rank_hits, m, buf);
            }
        }
    }
    rt__rank_collect_release(&c);
    return rc;
}

/* The page of hits' ids, into *ids. */
static int page(struct rt_store *st, const struct rt_search_spec *q, enum plan plan,
                const struct idset *pass, int64_t **ids, size_t *n_ids, struct rt_error *err)
{
    struct rt_buf order = RT_BUF_INIT;
    sqlite3_stmt *s;
    size_t alloc = 0;
    int rc;

    if (q->sort != RT_SORT_RELEVANCE) {
        rt_buf_adds(&order, " ORDER BY ");
        rt_buf_adds(&order, sort_key[q->sort < 4 ? q->sort : 1]);
        rt_buf_adds(&order, q->desc ? " DESC, r.id DESC" : ", r.id");
        rt_buf_adds(&order, " LIMIT ?9 OFFSET ?10");
        s = spec_stmt(st, q, WITH_WHERE, SORTED_FROM, order.buf, NULL, err);
        rt_buf_release(&order);
        goto run;
    }
    switch (plan) {
    case PLAN_NONE:
        s = spec_stmt(st, q, WITH_WHERE, "SELECT r.id FROM recommendation r",
                      q->desc ? " ORDER BY r.id DESC LIMIT ?9 OFFSET ?10"
                              : " ORDER BY r.id LIMIT ?9 OFFSET ?10",
                      NULL, err);
        break;
    case PLAN_TEXT:
        if (q->limit != 0)
            return ranked_page(st, q, NULL, ids, n_ids, err);
        s = spec_stmt(st, q, NO_WHERE, FTS_MATCH RANKED, "", NULL, err);
        break;
    case PLAN_FILTER:
        if (q->limit != 0)
            return ranked_page(st, q, pass, ids, n_ids, err);
        s = spec_stmt(st, q, NO_WHERE, FTS_MATCH IN_SET RANKED, "", pass, err);
        break;
    case PLAN_MATCH:
    default:
        s = spec_stmt(st, q, WITHOUT_MATCH,
                      "SELECT f.rowid FROM recommendation_fts f"
                      " JOIN recommendation r ON r.id = f.rowid",
                      " AND recommendation_fts MATCH ?1"
                      " ORDER BY rt_rank(f.recommendation_fts), f.rowid"
                      " LIMIT ?9 OFFSET ?10",
                      NULL, err);
        break;
    }
run:
    if (!s)
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        RT_ALLOC_GROW(*ids, *n_ids + 1, alloc);
        (*ids)[(*n_ids)++] = sqlite3_column_int64(s, 0);
    }
    rc = rc == SQLITE_DONE ? 0 : step_error(st, err);
    sqlite3_reset(s);
    return rc;
}

/* Every hit's count, for plans that do not collect the hits. */
static int count(struct rt_store *st, const struct rt_search_spec *q, enum plan plan,
                 int64_t *total, struct rt_error *err)
{
    sqlite3_stmt *s =
        plan == PLAN_TEXT
            ? spec_stmt(st, q, NO_WHERE, FTS_COUNT, "", NULL, err)
            : spec_stmt(st, q, WITH_WHERE, "SELECT count(*) FROM recommendation r", "", NULL, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        *total = sqlite3_column_int64(s, 0);
        rc = 0;
    } else {
        rc = step_error(st, err);
    }
    sqlite3_reset(s);
    return rc;
}

static const char *const facet_sql[4][2] = {
    {"response", "SELECT r.response, count(*) FROM recommendation r"},
    /* Recommendations of no UPR cycle (OSCE/ODIHR's) count under no cycle. */
    {"cycle", "SELECT CASE WHEN r.cycle > 0 THEN r.cycle END, count(*) FROM recommendation r"},
    {"theme", "SELECT t.label, count(*) FROM recommendation r"
              " JOIN recommendation_theme rt ON rt.rec_id = r.id"
              " JOIN theme t ON t.id = rt.theme_id"},
    {"state_under_review", "SELECT s.code, count(*) FROM recommendation r"
                           " JOIN state s ON s.id = r.sur_id"},
};

/* Counts by response, cycle, theme and state over the hits (the set hits, or NULL). */
static int facets(struct rt_store *st, const struct rt_search_spec *q, const struct idset *hits,
                  struct rt_search_result *res, struct rt_error *err)
{
    for (size_t f = 0; f < RT_ARRAY_SIZE(facet_sql); f++) {
        struct rt_facet *fc = &res->facets[res->n_facets++];
        sqlite3_stmt *s;
        int rc;

        fc->name = facet_sql[f][0];
        /* With the hits in a set, the filters stay only to let their index drive. */
        s = hits ? spec_stmt(st, q, WITHOUT_MATCH, facet_sql[f][1],
                             " AND rt_idset(r.id, ?11) GROUP BY 1 ORDER BY 2 DESC, 1", hits, err)
                 : spec_stmt(st, q, WITH_WHERE, facet_sql[f][1], " GROUP BY 1 ORDER BY 2 DESC, 1",
                             NULL, err);
        if (!s)
            return RT_ESTORE;
        rc = counts(st, s, &fc->counts, &fc->n, err);
        sqlite3_reset(s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The page's ids with their places, sorted by id, to place rows that come in id order. */
struct place {
    int64_t id;
    size_t i;
};

static int place_cmp(const void *a, const void *b)
{
    const struct place *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Loads the page: hits[i] (initialised) gets recommendation ids[i]. Three statements
 * for the whole page instead of three for each hit; the rows, states and themes are
 * the ones, in the order, rt_store_rec_get gives. When the store keeps every
 * recommendation's states and themes (hit_rows.c), only the first.
 */
static int load_hits(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *hits,
                     struct rt_error *err)
{
    static const char *const sql[3] = {
        RT__REC_SELECT " WHERE r.id IN (SELECT value FROM json_each(?1)) ORDER BY r.id",
        "SELECT b.rec_id, s.code, s.name FROM recommendation_by b JOIN state s"
        " ON s.id = b.state_id WHERE b.rec_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY b.rec_id, s.name",
        "SELECT rt.rec_id, t.vocabulary, t.label, rt.origin, rt.confidence"
        " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
        " WHERE rt.rec_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY rt.rec_id, t.vocabulary, t.label, rt.origin",
    };
    static const char *const what[3] = {"recommendation", "recommending states", "themes"};
    const struct rt__hit_rows *kept = NULL;
    struct rt_buf list = RT_BUF_INIT;
    struct place *places;
    int rc = 0;

    if (!n || (rc = rt__hit_rows_get(st, &kept, err)) < 0)
        return rc;
    RT_ALLOC_ARRAY(places, n);
    rt_buf_addch(&list, '[');
    for (size_t i = 0; i < n; i++) { /* "[12,7,...]", without printf */
        char num[24], *p = num + sizeof(num);
        uint64_t u = ids[i] < 0 ? (uint64_t)0 - (uint64_t)ids[i] : (uint64_t)ids[i];
        places[i] = (struct place){ids[i], i};
        do
            *--p = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (ids[i] < 0)
            *--p = '-';
        if (i)
            *--p = ',';
        rt_buf_add(&list, p, (size_t)(num + sizeof(num) - p));
    }
    rt_buf_addch(&list, ']');
    qsort(places, n, sizeof(*places), place_cmp);
    for (int k = 0; k < (kept ? 1 : 3) && rc == 0; k++) {
        sqlite3_stmt *s = rt__stmt_sql(st, sql[k], err);
        struct rt_rec *r = NULL;
        int64_t cur = 0;
        size_t alloc = 0, at = 0;

        if (!s) {
            rc = RT_ESTORE;
            break;
        }
        sqlite3_bind_text(s, 1, list.buf, (int)list.len, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(s, 0);
            if (!r || id != cur) { /* rows come in id order, as places are */
                while (at < n && places[at].id < id)
                    at++;
                if (at == n || places[at].id != id)
                    continue;
                r = &hits[places[at].i];
                cur = id;
                alloc = 0;
            }
            if (k == 0)
                rec_fill(s, 0, r);
            else if (k == 1)
                by_add(s, 1, r, &alloc);
            else
                theme_add(s, 1, r, &alloc);
        }
        rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, what[k]);
        sqlite3_reset(s);
        if (k == 0 && rc == 0) {
            for (size_t i = 0; i < n && rc == 0; i++)
                if (!hits[i].text)
                    rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL,
                                      "no recommendation with id %lld", (long long)ids[i]);
            for (size_t i = 0; i < n && rc == 0 && kept; i++)
                rt__hit_rows_fill(kept, &hits[i]);
        }
    }
    rt_free(places);
    rt_buf_release(&list);
    return rc;
}

/* Adds the ids of a set to a bitmap. */
static void idset_to_bitmap(const struct idset *set, roaring_bitmap_t *bm)
{
    for (size_t w = 0; w < set->words; w++)
        for (uint64_t b = set->bits[w]; b; b &= b - 1)
            roaring_bitmap_add(bm, (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b)));
}

/* Steps s to the end, adding column 0 of each row to bm; resets s. */
static int collect_bitmap(struct rt_store *st, sqlite3_stmt *s, roaring_bitmap_t *bm,
                          struct rt_error *err)
{
    uint32_t buf[256];
    size_t n = 0;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        buf[n++] = (uint32_t)sqlite3_column_int64(s, 0);
        if (n == RT_ARRAY_SIZE(buf)) {
            roaring_bitmap_add_many(bm, n, buf);
            n = 0;
        }
    }
    roaring_bitmap_add_many(bm, n, buf);
    rc = rc == SQLITE_DONE ? 0 : step_error(st, err);
    sqlite3_reset(s);
    return rc;
}

/*
 * Every hit of q as a bitmap, for the facet index fx: the set of PLAN_FILTER when
 * there is one; else the matches of the text from the full-text index alone, cut
 * down by the filters' bitmaps; else, when the index holds no bitmap for a filter,
 * the rows SQL finds. A new bitmap in *out.
 */
static int hit_bitmap(struct rt_store *st, struct rt__facets *fx, const struct rt_search_spec *q,
                      const struct idset *hits, roaring_bitmap_t **out, struct rt_error *err)
{
    roaring_bitmap_t *bm = roaring_bitmap_create(), *filter = NULL;
    sqlite3_stmt *s;
    int rc;

    *out = bm;
    if (hits) {
        idset_to_bitmap(hits, bm);
        return 0;
    }
    if ((rc = rt__facets_filter(st, fx, q, &filter, err)) < 0)
        return rc;
    if (rc == 1 && q->query) {
        if (!(s = spec_stmt(st, q, NO_WHERE, FTS_MATCH, "", NULL, err)))
            rc = RT_ESTORE;
        else
            rc = collect_bitmap(st, s, bm, err);
        if (rc == 0 && filter)
            roaring_bitmap_and_inplace(bm, filter);
    } else if (rc == 1 && filter) {
        roaring_bitmap_or_inplace(bm, filter);
        rc = 0;
    } else {
        if (!(s = spec_stmt(st, q, WITH_WHERE, "SELECT r.id FROM recommendation r", "", NULL, err)))
            rc = RT_ESTORE;
        else
            rc = collect_bitmap(st, s, bm, err);
    }
    rt__bitmap_free(filter);
    return rc;
}

/*
 * The page of a search without text in the order of ids, from the bitmap of the rows
 * that pass its filters.
 */
static void bitmap_page(const roaring_bitmap_t *bm, const struct rt_search_spec *q, int64_t **ids,
                        size_t *n_ids)
{
    uint64_t card = roaring_bitmap_get_cardinality(bm);
    uint64_t from = q->offset > 0 ? (uint64_t)q->offset : 0;
    uint64_t n = from < card ? card - from : 0;

    if (q->limit >= 0 && (uint64_t)q->limit < n)
        n = (uint64_t)q->limit;
    RT_ALLOC_ARRAY(*ids, n ? n : 1);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t rank = q->desc ? card - 1 - (from + i) : from + i;
        uint32_t v = 0;
        roaring_bitmap_select(bm, (uint32_t)rank, &v);
        (*ids)[i] = v;
    }
    *n_ids = (size_t)n;
}

static int search(struct rt_store *st, const struct rt_search_spec *q, struct rt_search_result *res,
                  struct rt_error *err)
{
    enum plan plan = plan_of(q);
    struct idset pass = {0}, hits = {0};
    struct rt__facets *fx = NULL;
    roaring_bitmap_t *hit_bm = NULL, *pass_bm = NULL;
    /* Plans that the facet index can drive: any filter it holds (state under review,
     * cycle, response, theme), which it gives as a bitmap without reading rows. */
    int by_bitmap = q->sort == RT_SORT_RELEVANCE && plan != PLAN_TEXT;
    int have_hits = 0, own = !st->in_tx && sqlite3_get_autocommit(st->db);
    /* A ranked page scores every hit once, whatever the limit (rank.c counts them,
     * and notes them in a bitmap when asked): the total and the facets' hits come
     * from that, without reading the matches again. Not with LIMIT 0 (nothing runs). */
    int by_rank = q->sort == RT_SORT_RELEVANCE && plan != PLAN_NONE && q->limit > 0;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    sqlite3_stmt *s;
    int rc;

    /* The index serves the facets, the filters and the ranking (rank.c). It is got
     * once before the search's own read transaction (outside one it may be built and
     * stored for every process), and again in it, so that it is of the data read. */
    if ((q->facets || by_bitmap || plan != PLAN_NONE) && (rc = rt__facets_get(st, &fx, err)) < 0)
        goto out;
    if (own && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        own = 0;
        rc = rt__db_error(st, err, "search");
        goto out;
    }
    if (fx && (rc = rt__facets_get(st, &fx, err)) < 0)
        goto out;
    st->rank_len = rt__facets_doclen(fx, &st->rank_n);
    st->search_version = rt__facets_version(fx);
    st->search_version_known = fx != NULL;
    if (fx && by_bitmap) {
        if ((rc = rt__facets_filter(st, fx, q, &pass_bm, err)) < 0)
            goto out;
        if (rc == 0) {
            rt__bitmap_free(pass_bm);
            pass_bm = NULL;
        }
    }
    if (pass_bm && plan == PLAN_NONE) {
        /* No text: the page, the total and the facets' hits are the bitmap's. */
        bitmap_page(pass_bm, q, &ids, &n_ids);
        res->total = (int64_t)roaring_bitmap_get_cardinality(pass_bm);
        hit_bm = pass_bm;
        pass_bm = NULL;
        goto load;
    }
    if (by_rank && (pass_bm || plan == PLAN_TEXT)) {
        /* A query of one word with postings: its page, total and hits from them, over
         * the filters' bitmap as it is. */
        if (fx && q->facets)
            st->rank_hits = roaring_bitmap_create();
        rc = term_page(st, q, pass_bm, NULL, &ids, &n_ids, err);
        if (rc == 1) {
            hit_bm = st->rank_hits;
            st->rank_hits = NULL;
            goto total;
        }
        rt__bitmap_free(st->rank_hits);
        st->rank_hits = NULL;
        if (rc < 0)
            goto out;
    }
    if (pass_bm) {
        /* Text and filters: the rows that pass the filters from the bitmaps, then as
         * PLAN_FILTER, without looking up each match's row. */
        pass.n = rt__bitmap_to_bits(pass_bm, &pass.bits, &pass.words);
        plan = PLAN_FILTER;
    } else if (plan == PLAN_FILTER) {
        /* The rows that pass the filters. */
        if (!(s = spec_stmt(st, q, WITHOUT_MATCH, "SELECT r.id FROM recommendation r", "", NULL,
                            err)) ||
            (rc = collect(st, s, &pass, err)) < 0) {
            rc = RT_ESTORE;
            goto out;
        }
    }
    if (plan == PLAN_FILTER && (q->facets || q->offset > 0) && !(by_rank && (fx || !q->facets))) {
        /* The hits among them, when the total or the facets need them (matches are
         * only read, not scored). */
        if (!(s = spec_stmt(st, q, NO_WHERE, FTS_MATCH IN_SET, "", &pass, err))) {
            rc = RT_ESTORE;
            goto out;
        }
        if ((rc = collect(st, s, &hits, err)) < 0)
            goto out;
        have_hits = 1;
    }
    st->rank_calls = 0;
    if (by_rank && fx && q->facets && !have_hits)
        st->rank_hits = roaring_bitmap_create();
    rc = page(st, q, plan, &pass, &ids, &n_ids, err);
    hit_bm = st->rank_hits;
    st->rank_hits = NULL;
    if (rc < 0)
        goto out;
    /* With the facet index, the hits as a bitmap: the facets and the total. */
    if (fx && q->facets && !hit_bm &&
        (rc = hit_bitmap(st, fx, q, have_hits ? &hits : NULL, &hit_bm, err)) < 0)
        goto out;

total:
    /* The total, unless the page shows that it is all there is. */
    if (q->offset == 0 && (int64_t)n_ids < q->limit)
        res->total = (int64_t)n_ids;
    else if (by_rank)
        res->total = (int64_t)st->rank_calls;
    else if (have_hits)
        res->total = hits.n;
    else if (hit_bm)
        res->total = (int64_t)roaring_bitmap_get_cardinality(hit_bm);
    else if (plan == PLAN_FILTER) {
        if (!(s = spec_stmt(st, q, NO_WHERE, FTS_COUNT IN_SET, "", &pass, err))) {
            rc = RT_ESTORE;
            goto out;
        }
        if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            res->total = sqlite3_column_int64(s, 0);
            rc = 0;
        } else {
            rc = step_error(st, err);
        }
        sqlite3_reset(s);
        if (rc < 0)
            goto out;
    } else if ((rc = count(st, q, plan, &res->total, err)) < 0) {
        goto out;
    }

load:
    RT_ALLOC_ARRAY(res->hits, n_ids ? n_ids : 1);
    for (size_t i = 0; i < n_ids; i++)
        rt_rec_init(&res->hits[i]);
    res->n_hits = n_ids;
    if ((rc = load_hits(st, ids, n_ids, res->hits, err)) < 0)
        goto out;
    if (q->facets && hit_bm)
        rt__facets_count(fx, hit_bm, res);
    else if (q->facets && (rc = facets(st, q, have_hits ? &hits : NULL, res, err)) < 0)
        goto out;
    rc = 0;
out:
    rt_free(ids);
    idset_release(&pass);
    idset_release(&hits);
    rt__bitmap_free(hit_bm);
    rt__bitmap_free(pass_bm);
    st->rank_len = NULL;
    st->rank_n = 0;
    st->search_version_known = 0;
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                      size_t *out_n, struct rt_error *err)
{
    struct rt_search_spec all = *spec;
    enum plan plan = plan_of(spec);
    struct idset pass = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    sqlite3_stmt *s;
    int rc = 0;

    *out = NULL;
    *out_n = 0;
    all.limit = -1; /* SQLite: no limit */
    all.offset = 0;
    all.facets = 0;
    if (plan == PLAN_FILTER && all.sort == RT_SORT_RELEVANCE) {
        if (!(s = spec_stmt(st, &all, WITHOUT_MATCH, "SELECT r.id FROM recommendation r", "", NULL,
                            err)))
            rc = RT_ESTORE;
        else
            rc = collect(st, s, &pass, err);
    }
    if (rc == 0)
        rc = page(st, &all, plan, &pass, &ids, &n, err);
    idset_release(&pass);
    if (rc < 0) {
        rt_free(ids);
        return rc;
    }
    *out = ids;
    *out_n = n;
    return 0;
}

int rt__sqlite_recs_load(struct rt_store *st, const int64_t *ids, size_t n, struct rt_rec *recs,
                         struct rt_error *err)
{
    return load_hits(st, ids, n, recs, err);
}

/*
 * Renders spec's query as an FTS5 expression into match and points st->match at it,
 * for the statements a search binds; match_end clears both.
 */
/*
 * Is nd terms joined by OR only (or_only), and without a bare number (plain)? The
 * terms' texts go to phrases, each ended by a NUL, and *simple stays 1 while each
 * term is one phrase (no prefix, no column).
 */
static void query_shape(const struct rt_search_node *nd, int *or_only, int *plain,
                        struct rt_buf *phrases, size_t *n, int *simple)
{
    switch (nd->kind) {
    case RT_SEARCH_TERM: {
        int digits = nd->len > 0 && !nd->prefix;
        for (size_t k = 0; digits && k < nd->len; k++)
            digits = nd->text[k] >= '0' && nd->text[k] <= '9';
        if (digits || nd->field)
            *plain = 0;
        if (digits || nd->field || nd->prefix || memchr(nd->text, '\0', nd->len))
            *simple = 0;
        rt_buf_add(phrases, nd->text, nd->len);
        rt_buf_addch(phrases, '\0');
        (*n)++;
        return;
    }
    case RT_SEARCH_GROUP:
    case RT_SEARCH_OR:
        break;
    default:
        *or_only = 0;
        break;
    }
    for (const struct rt_search_node *c = nd->child; c; c = c->next)
        query_shape(c, or_only, plain, phrases, n, simple);
}

static int match_begin(struct rt_store *st, const struct rt_search_spec *spec, struct rt_buf *match,
                       struct rt_error *err)
{
    int rc = rt__fts_render(st, spec->query, match, err);

    st->match = rc == 0 ? match->buf : NULL;
    st->match_or = st->match_plain = 0;
    rt_buf_reset(&st->match_phrases);
    st->match_n = 0;
    if (rc == 0 && spec->query && spec->query->root) {
        int simple = 1;
        st->match_or = st->match_plain = 1;
        query_shape(spec->query->root, &st->match_or, &st->match_plain, &st->match_phrases,
                    &st->match_n, &simple);
        if (!simple) {
            rt_buf_reset(&st->match_phrases);
            st->match_n = 0;
        }
    }
    return rc;
}

static void match_end(struct rt_store *st, struct rt_buf *match)
{
    st->match = NULL;
    st->match_or = st->match_plain = 0;
    rt_buf_reset(&st->match_phrases);
    st->match_n = 0;
    rt_buf_release(match);
}

int rt__sqlite_search(struct rt_store *st, const struct rt_search_spec *q,
                      struct rt_search_result *res, struct rt_error *err)
{
    struct rt_buf match = RT_BUF_INIT;
    int rc = match_begin(st, q, &match, err);

    if (rc == 0)
        rc = search(st, q, res, err);
    match_end(st, &match);
    return rc;
}

int rt__sqlite_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                          size_t *out_n, struct rt_error *err)
{
    struct rt_buf match = RT_BUF_INIT;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = match_begin(st, spec, &match, err)) == 0)
        rc = search_ids(st, spec, out, out_n, err);
    match_end(st, &match);
    return rc;
}
