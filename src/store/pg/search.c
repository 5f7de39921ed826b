/*
 * Search on PostgreSQL: the parsed query (src/search/query.c) rendered as a tsquery
 * over the lexemes our tokenizer made, and, for a connection that searches often, the
 * facet index, full-text index (text.c) and page rows (rows.c) read into memory and
 * used while the data version stays the same.
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include <rightstrack/search.h>
#include <rightstrack/text.h>

#include "base/strmap.h"
#include "store/pg/json_sql.h"
#include "store/pg/ops.h"
#include "store/pg/pg_int.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/ops.h"

/* THEME_IDS of src/store/pg/json_sql.h with the theme as $T (theme_sql puts the
 * parameter's number there). */
#define PG_THEME_IDS THEME_IDS("$T")

/* Appends sql with each $T replaced by the parameter name p ("$8"). */
static void theme_sql(struct rt_buf *out, const char *sql, const char *p)
{
    for (const char *q = sql; *q; q++) {
        if (q[0] == '$' && q[1] == 'T') {
            rt_buf_adds(out, p);
            q++;
        } else {
            rt_buf_addch(out, *q);
        }
    }
}

static int theme_ids(struct pg_store *s, const char *theme, int known, int64_t **out, size_t *n,
                     struct rt_error *err);

/*
 * A theme no theme row matches: still known when it names an area (by its code, its
 * label or a word of it: SQLite's rt__sqlite_theme_check), which finds nothing on a
 * database without themes yet; else refused with the close labels, as on SQLite.
 */
static int theme_unknown(struct pg_store *s, const char *theme, struct rt_error *err)
{
    const char *v[1] = {theme};
    struct rt_buf close = RT_BUF_INIT;
    PGresult *r;
    int rc, n;

    if (!(r = rt__pg_exec(s->pg, "pg_theme_area",
                          "SELECT 1 FROM theme_area a WHERE lower(a.code) = lower($1)"
                          " OR lower(a.label) = lower($1) OR strpos(" THEME_WORDS(
                              "a.label") ", ' ' || trim(lower($1)) || ' ') > 0 LIMIT 1",
                          1, v, err)))
        return RT_ESTORE;
    n = PQntuples(r);
    PQclear(r);
    if (n)
        return 0;
    /* Labels with a word that begins with its first three letters, shortest first. */
    if (!(r = rt__pg_exec(s->pg, "pg_theme_close",
                          "SELECT l FROM (SELECT label COLLATE \"C\" l FROM theme_area UNION"
                          " SELECT label COLLATE \"C\" FROM theme) x WHERE strpos(" THEME_WORDS(
                              "l") ", ' ' || lower(substr(trim($1), 1, 3))) > 0"
                                   " ORDER BY length(l), l LIMIT 5",
                          1, v, err)))
        return RT_ESTORE;
    n = PQntuples(r);
    for (int i = 0; i < n; i++)
        rt_buf_addf(&close, "%s'%s'", i ? ", " : "", PQgetvalue(r, i, 0));
    PQclear(r);
    rc = rt_error_set(err, RT_EINVAL, NULL, 0, "theme", "no theme matches '%s'%s%s", theme,
                      n ? "; close: " : " ('rightstrack themes areas' lists the areas)",
                      close.buf ? close.buf : "");
    rt_buf_release(&close);
    return rc;
}

int rt__pg_theme_check(struct rt_store *st, const char *theme, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc;

    if (s->scratch)
        return rt__sqlite_theme_check(s->scratch, theme, err);
    /* The theme's ids, as the search's filter takes them and keeps them (theme_ids,
     * until the index is read again for new data): a search with a theme, which
     * checks it first, then asks the server once per theme, not twice a search. A
     * theme found unknown is asked again: the search that would notice new data
     * does not run after a refusal. */
    if ((rc = theme_ids(s, theme, 1, &ids, &n, err)) < 0)
        return rc;
    rt_free(ids);
    return n ? 0 : theme_unknown(s, theme, err);
}

/* Search: the parsed query as a tsquery over the lexemes our tokenizer made. */

struct tsq_terms {
    struct rt_buf *out;
    long last_pos;
    int n;
    int prefix_last; /* the last term is a prefix (:*) */
    size_t count, seen;
    int text_only; /* each lexeme in the text's positions only (:D) */
};

static void add_lexeme(struct rt_buf *out, const char *term, size_t len)
{
    rt_buf_addch(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (term[i] == '\'' || term[i] == '\\')
            rt_buf_addch(out, term[i]);
        rt_buf_addch(out, term[i]);
    }
    rt_buf_addch(out, '\'');
}

static int count_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    (void)term;
    (void)start;
    (void)end;
    if (len && !colocated)
        ((struct tsq_terms *)ctx)->count++;
    return 0;
}

static int phrase_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    struct tsq_terms *p = ctx;

    (void)start;
    (void)end;
    if (!len || colocated)
        return 0;
    p->seen++;
    if (p->n++)
        rt_buf_adds(p->out, " <-> ");
    add_lexeme(p->out, term, len);
    if (p->prefix_last && p->seen == p->count)
        rt_buf_adds(p->out, ":*");
    else if (p->text_only)
        rt_buf_adds(p->out, ":D");
    return 0;
}

/* The words of the table word whose stems do not begin with prefix (fts_query.c). */
static int prefix_words(struct pg_store *s, const char *prefix, size_t len, struct rt_buf *out,
                        struct rt_error *err)
{
    struct rt_buf p = RT_BUF_INIT;
    const char *v[1];
    PGresult *r;

    if (s->words.word) {
        /* As the statement below, from the table read with the index: the least
         * word of each stem that does not begin with the prefix. */
        struct rt__strmap seen = RT_STRMAP_INIT;
        size_t lo = 0, hi = s->words.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strncmp(s->words.word[mid], prefix, len) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < s->words.n && !strncmp(s->words.word[lo], prefix, len); lo++) {
            int64_t x;
            const char *stem = s->words.stem[lo];
            if (!strncmp(stem, prefix, len) || rt__strmap_get(&seen, stem, strlen(stem), &x))
                continue;
            rt__strmap_put(&seen, stem, strlen(stem), 1);
            rt_buf_adds(out, s->words.word[lo]);
            rt_buf_addch(out, '\0');
        }
        rt__strmap_release(&seen);
        return 0;
    }
    rt_buf_add(&p, prefix, len);
    v[0] = p.buf;
    r = rt__pg_exec(s->pg, "pg_prefix_words",
                    "SELECT min(word COLLATE \"C\") FROM word"
                    " WHERE word COLLATE \"C\" >= $1 AND word COLLATE \"C\" < $1 || chr(1114111)"
                    " AND substr(stem, 1, length($1)) <> $1 GROUP BY stem ORDER BY 1",
                    1, v, err);
    rt_buf_release(&p);
    if (!r)
        return RT_ESTORE;
    for (int i = 0; i < PQntuples(r); i++) {
        rt_buf_adds(out, PQgetvalue(r, i, 0));
        rt_buf_addch(out, '\0');
    }
    PQclear(r);
    return 0;
}

/* One term (a word or a phrase) as a tsquery, in the text and the paragraph or with
 * text_only in the text alone; an empty one matches nothing. */
static void render_phrase(struct rt_tokenizer *t, const char *text, size_t len, int prefix,
                          int text_only, struct rt_buf *out)
{
    struct tsq_terms p = {out, 0, 0, prefix, 0, 0, text_only};
    size_t mark = out->len;

    rt_tokenize(t, text, len, prefix ? RT_TOKENIZE_LAST_UNSTEMMED : 0, count_term, &p);
    if (!p.count) {
        rt_buf_adds(out, "'a' & !'a'"); /* never true (PostgreSQL refuses an empty lexeme) */
        return;
    }
    if (p.count > 1)
        rt_buf_addch(out, '(');
    rt_tokenize(t, text, len, prefix ? RT_TOKENIZE_LAST_UNSTEMMED : 0, phrase_term, &p);
    if (p.count > 1)
        rt_buf_addch(out, ')');
    (void)mark;
}

static int render_term(struct pg_store *s, struct rt_tokenizer *t, const struct rt_search_node *nd,
                       struct rt_buf *out, struct rt_error *err)
{
    struct rt__last_word last = {RT_BUF_INIT, 0, 0};
    struct rt_buf words = RT_BUF_INIT, alt = RT_BUF_INIT;
    int rc = 0;

    if (nd->field)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "query",
                            "the PostgreSQL store cannot search the field '%s'", nd->field);
    if (!nd->prefix) {
        render_phrase(t, nd->text, nd->len, 0, rt__bare_number(nd), out);
        return 0;
    }
    rt__last_word(nd->text, nd->len, &last);
    if (last.word.len)
        rc = prefix_words(s, last.word.buf, last.word.len, &words, err);
    if (rc == 0) {
        rt_buf_addch(out, '(');
        render_phrase(t, nd->text, nd->len, 1, 0, out);
        for (size_t i = 0; i < words.len; i += strlen(words.buf + i) + 1) {
            rt_buf_reset(&alt);
            rt_buf_add(&alt, nd->text, last.start);
            rt_buf_adds(&alt, words.buf + i);
            rt_buf_add(&alt, nd->text + last.end, nd->len - last.end);
            rt_buf_adds(out, " | ");
            render_phrase(t, alt.buf, alt.len, 0, 0, out);
        }
        rt_buf_addch(out, ')');
    }
    rt_buf_release(&last.word);
    rt_buf_release(&words);
    rt_buf_release(&alt);
    return rc;
}

static int words_of(void *ctx, const char *prefix, size_t len, struct rt_buf *out,
                    struct rt_error *err)
{
    return prefix_words(ctx, prefix, len, out, err);
}

/* The tree's operators bind as FTS5's do; a NOT node is its first operand without the
 * others. */
static int render(struct pg_store *s, struct rt_tokenizer *t, const struct rt_search_node *nd,
                  struct rt_buf *out, struct rt_error *err)
{
    int rc = 0;

    switch (nd->kind) {
    case RT_SEARCH_TERM:
        return render_term(s, t, nd, out, err);
    case RT_SEARCH_GROUP:
        rt_buf_addch(out, '(');
        if ((rc = render(s, t, nd->child, out, err)) < 0)
            return rc;
        rt_buf_addch(out, ')');
        return 0;
    case RT_SEARCH_AND:
    case RT_SEARCH_OR:
    case RT_SEARCH_NOT:
        rt_buf_addch(out, '(');
        for (const struct rt_search_node *c = nd->child; c; c = c->next) {
            if (c != nd->child)
                rt_buf_adds(out, nd->kind == RT_SEARCH_AND  ? " & "
                                 : nd->kind == RT_SEARCH_OR ? " | "
                                                            : " & !");
            if (nd->kind == RT_SEARCH_NOT && c != nd->child)
                rt_buf_addch(out, '(');
            if ((rc = render(s, t, c, out, err)) < 0)
                return rc;
            if (nd->kind == RT_SEARCH_NOT && c != nd->child)
                rt_buf_addch(out, ')');
        }
        rt_buf_addch(out, ')');
        return 0;
    }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "query", "a query node of unknown kind");
}

/* The WHERE clause of spec, with its parameters $1 … in v (strings in nums). */
struct where {
    struct rt_buf sql;
    struct rt_buf tsq;
    char nums[12][24];
    const char *v[12];
    int n;
    int uses_r; /* the clause names recommendation r (a filter) */
};

static const char *param(struct where *w, const char *s)
{
    static const char *const names[] = {"$1", "$2", "$3", "$4",  "$5",  "$6",
                                        "$7", "$8", "$9", "$10", "$11", "$12"};
    w->v[w->n] = s;
    return names[w->n++];
}

static const char *param_int(struct where *w, int64_t x)
{
    snprintf(w->nums[w->n], sizeof(w->nums[w->n]), "%lld", (long long)x);
    return param(w, w->nums[w->n]);
}

static int where_of(struct pg_store *s, const struct rt_search_spec *q, struct where *w,
                    struct rt_error *err)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->sql = (struct rt_buf)RT_BUF_INIT;
    w->tsq = (struct rt_buf)RT_BUF_INIT;
    rt_buf_adds(&w->sql, " WHERE true");
    if (q->query && q->query->root) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rc = render(s, t, q->query->root, &w->tsq, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            return rc;
        rt_buf_addf(&w->sql, " AND f.lexemes @@ %s::tsquery", param(w, w->tsq.buf));
    }
    if (q->sur_id)
        rt_buf_addf(&w->sql, " AND r.sur_id = %s", param_int(w, q->sur_id));
    if (q->by_id)
        rt_buf_addf(&w->sql,
                    " AND r.id IN (SELECT b.rec_id FROM recommendation_by b WHERE b.state_id = %s)",
                    param_int(w, q->by_id));
    if (q->cycle)
        rt_buf_addf(&w->sql, " AND r.cycle = %s", param_int(w, q->cycle));
    if (q->session)
        rt_buf_addf(&w->sql, " AND r.session = %s", param_int(w, q->session));
    if (q->category)
        rt_buf_addf(&w->sql,
                    " AND coalesce(r.action_category, (SELECT c.category"
                    " FROM recommendation_category c WHERE c.rec_id = r.id)) = %s",
                    param_int(w, q->category));
    if (q->response >= 0)
        rt_buf_addf(&w->sql, " AND r.response = %s",
                    param(w, rt_response_name((enum rt_response)q->response)));
    if (q->theme) {
        rt_buf_adds(&w->sql, " AND EXISTS (SELECT 1 FROM recommendation_theme rt0"
                             " WHERE rt0.rec_id = r.id AND rt0.theme_id IN (");
        theme_sql(&w->sql, PG_THEME_IDS, param(w, q->theme));
        rt_buf_adds(&w->sql, "))");
    }
    if (q->mechanism)
        rt_buf_addf(&w->sql, " AND r.mechanism = %s", param(w, q->mechanism));
    w->uses_r = q->sur_id || q->by_id || q->cycle || q->session || q->category ||
                q->response >= 0 || q->theme || q->mechanism;
    return 0;
}

static void where_release(struct where *w)
{
    rt_buf_release(&w->sql);
    rt_buf_release(&w->tsq);
}

/*
 * The rows a search matches, as the CTE m (id, score) that its one statement reads:
 * with text, the lexemes' GIN index finds them (recommendation r joined only when a
 * filter names it) and score is ts_rank divided by 1 + the log of the text's length
 * (normalization 1: bm25 too favours shorter texts; on bench/search.sh's queries it
 * gives SQLite's first page more often than ts_rank alone; the paragraph's lexemes,
 * weighted B, count as the text's do, as FTS5's bm25 counts both columns alike);
 * without text, the filters
 * alone, score 0.
 */
/*
 * The keys of the orders other than relevance (enum rt_search_sort), as SQLite's
 * (sqlite/read.c, sort_key): the state's name in the order of its bytes, as BINARY
 * orders it; the response in the order of enum rt_response. order_of adds the id.
 */
static const char *const sort_key[4] = {
    "r.id",
    "r.session",
    "(SELECT st.name FROM state st WHERE st.id = r.sur_id) COLLATE \"C\"",
    "CASE r.response WHEN 'supported' THEN 0 WHEN 'noted' THEN 1 WHEN 'pledge' THEN 2 ELSE 3 END",
};

static void matches_of(const struct rt_search_spec *q, const struct where *w, struct rt_buf *out)
{
    /* With facets, m carries the columns they count, so that they need not join
     * recommendation again; with another order than relevance, its key k. */
    struct rt_buf cols = RT_BUF_INIT;
    int sorted = q->sort != RT_SORT_RELEVANCE;

    if (q->facets)
        rt_buf_adds(&cols, ", r.response, coalesce(r.cycle, 0) AS cycle, r.sur_id");
    if (sorted)
        rt_buf_addf(&cols, ", %s AS k", sort_key[q->sort < 4 ? q->sort : 1]);
    if (q->query && q->query->root)
        rt_buf_addf(out,
                    "WITH m AS MATERIALIZED (SELECT f.rec_id AS id,"
                    " ts_rank('{0.1,0.1,0.1,0.1}', f.lexemes, $1::tsquery, 1) AS score%s"
                    " FROM recommendation_fts f%s%s)",
                    cols.buf,
                    w->uses_r || q->facets || sorted ? " JOIN recommendation r ON r.id = f.rec_id"
                                                     : "",
                    w->sql.buf);
    else
        rt_buf_addf(out,
                    "WITH m AS MATERIALIZED (SELECT r.id, 0::real AS score%s"
                    " FROM recommendation r%s)",
                    cols.buf, w->sql.buf);
    rt_buf_release(&cols);
}

/* The ORDER BY of spec over the rows called a (m, or a part of it): another order's
 * key k then the id (NULL first, as SQLite orders it), or relevance (ts_rank, ties by
 * id) with text, else by id. */
static int order_of(const struct rt_search_spec *q, const char *a, struct rt_buf *out,
                    struct rt_error *err)
{
    const char *dir = q->desc ? " DESC" : "";

    (void)err;
    if (q->sort != RT_SORT_RELEVANCE)
        rt_buf_addf(out, "ORDER BY %s.k%s, %s.id%s", a,
                    q->desc ? " DESC NULLS LAST" : " NULLS FIRST", a, dir);
    else if (q->query && q->query->root)
        rt_buf_addf(out, "ORDER BY %s.score%s, %s.id%s", a, q->desc ? "" : " DESC", a, dir);
    else
        rt_buf_addf(out, "ORDER BY %s.id%s", a, dir);
    return 0;
}

/*
 * Runs a search's statement: prepared once per connection and kept by the store (the
 * statements differ only by which filters a search has, so there are few), or, past
 * PG_SEARCH_STMTS of them, sent unprepared.
 */
#define PG_SEARCH_STMTS 64

static PGresult *run(struct pg_store *s, const char *sql, const struct where *w,
                     struct rt_error *err)
{
    PGresult *r;
    size_t i;

    for (i = 0; i < s->n_search; i++)
        if (!strcmp(s->search_sql[i], sql))
            break;
    if (i == s->n_search && i < PG_SEARCH_STMTS) {
        char name[32];
        s->search_sql = rt_xrealloc(s->search_sql, (i + 1) * sizeof(*s->search_sql));
        s->search_name = rt_xrealloc(s->search_name, (i + 1) * sizeof(*s->search_name));
        snprintf(name, sizeof(name), "pg_search_%zu", i);
        s->search_sql[i] = rt_xstrdup(sql);
        s->search_name[i] = rt_xstrdup(name);
        s->n_search++;
    }
    if (i < s->n_search) {
        if (!(r = rt__pg_exec(s->pg, s->search_name[i], s->search_sql[i], w->n, w->v, err)))
            return NULL;
        return r;
    }
    r = PQexecParams(rt__pg_conn(s->pg), sql, w->n, NULL, w->v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rt_error_set(err, RT_ESTORE, NULL, 0, "search", "search: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* The facets: name, key, the tables it needs joined to m, and the key's order among
 * equal counts (as SQLite's). */
static const char *const facet_sql[4][4] = {
    {"response", "m.response", "", "m.response COLLATE \"C\""},
    {"cycle", "nullif(m.cycle, 0)", "", "nullif(m.cycle, 0)"}, /* no UPR cycle: none */
    {"theme", "t.label",
     " JOIN recommendation_theme rt ON rt.rec_id = m.id JOIN theme t ON t.id = rt.theme_id",
     "t.label COLLATE \"C\""},
    {"state_under_review", "s.code", " JOIN state s ON s.id = m.sur_id", "s.code COLLATE \"C\""},
};

int rt__pg_search_ids(struct rt_store *st, const struct rt_search_spec *spec, int64_t **out,
                      size_t *out_n, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf sql = RT_BUF_INIT;
    struct where w;
    PGresult *r = NULL;
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = where_of(s, spec, &w, err)) < 0)
        goto out;
    matches_of(spec, &w, &sql);
    rt_buf_adds(&sql, " SELECT m.id FROM m ");
    if ((rc = order_of(spec, "m", &sql, err)) < 0)
        goto out;
    if (!(r = run(s, sql.buf, &w, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    if (PQntuples(r)) {
        *out = rt_xcalloc((size_t)PQntuples(r), sizeof(**out));
        for (int i = 0; i < PQntuples(r); i++)
            (*out)[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        *out_n = (size_t)PQntuples(r);
    }
out:
    PQclear(r);
    where_release(&w);
    rt_buf_release(&sql);
    return rc;
}

/*
 * The facet index (src/store/sqlite/facets.c, shared with SQLite's store): for each
 * value of the four facets a bitmap of the recommendations that have it, read once
 * per data version and connection. A search then asks PostgreSQL only for the
 * matches of its text; the filters on state, cycle, response and theme, the total,
 * the facets and, without text, the page come from the bitmaps in C.
 */

/* The data version as this connection sees it now (PG_VERSION). */
int rt__pg_data_version(struct pg_store *s, int64_t *out, struct rt_error *err)
{
    PGresult *r = rt__pg_take(s->pg, "pg_data_version", PG_VERSION, err);

    if (!r)
        return RT_ESTORE;
    *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int rt__pg_version(struct rt_store *st, uint64_t *out, struct rt_error *err)
{
    int64_t v;

    if (rt__pg_data_version(PG(st), &v, err) < 0)
        return RT_ESTORE;
    *out = (uint64_t)v;
    return 0;
}

static const char *value_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Reads the index from the tables at the data version of the same snapshot: 0 built,
 * 1 the data has what it cannot hold, RT_ESTORE. */
static int fx_read(struct pg_store *s, struct rt__facets *fx, int64_t *version,
                   struct rt_error *err)
{
    static const char *const sql[4] = {
        "SELECT id, response, coalesce(cycle, 0), sur_id FROM recommendation",
        "SELECT rec_id, theme_id, origin FROM recommendation_theme",
        "SELECT id, code FROM state",
        "SELECT id, label FROM theme",
    };
    static const char *const name[4] = {"pg_fx_recs", "pg_fx_themes", "pg_fx_states",
                                        "pg_fx_labels"};
    int odd = 0;

    if (rt__pg_data_version(s, version, err) < 0)
        return RT_ESTORE;
    for (int q = 0; q < 4 && !odd; q++) {
        PGresult *r = rt__pg_exec(s->pg, name[q], sql[q], 0, NULL, err);
        if (!r)
            return RT_ESTORE;
        for (int i = 0; i < PQntuples(r) && !odd; i++) {
            int64_t a = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            if (q == 0)
                odd = rt__facets_add_rec(fx, a, value_or_null(r, i, 1),
                                         strtoll(PQgetvalue(r, i, 2), NULL, 10),
                                         strtoll(PQgetvalue(r, i, 3), NULL, 10));
            else if (q == 1)
                odd = rt__facets_add_theme(fx, a, strtoll(PQgetvalue(r, i, 1), NULL, 10),
                                           value_or_null(r, i, 2));
            else
                rt__facets_name(fx, q == 3, a, PQgetvalue(r, i, 1));
        }
        PQclear(r);
    }
    if (odd)
        return 1;
    rt__facets_done(fx);
    return 0;
}

/* The table word into s->words, sorted by word as COLLATE "C" sorts. */
static int words_read(struct pg_store *s, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(s->pg, "pg_fx_words", "SELECT word, stem FROM word ORDER BY word COLLATE \"C\"",
                    0, NULL, err);

    if (!r)
        return RT_ESTORE;
    rt__pg_words_release(&s->words);
    s->words.n = (size_t)PQntuples(r);
    s->words.word = rt_xcalloc(s->words.n + 1, sizeof(*s->words.word));
    s->words.stem = rt_xcalloc(s->words.n + 1, sizeof(*s->words.stem));
    for (size_t i = 0; i < s->words.n; i++) {
        s->words.word[i] = rt_xstrdup(PQgetvalue(r, (int)i, 0));
        s->words.stem[i] = rt_xstrdup(PQgetvalue(r, (int)i, 1));
    }
    PQclear(r);
    return 0;
}

/*
 * The facet index kept in search_index (schema 21), as SQLite keeps its own, so that
 * a new connection reads one value instead of building it from the tables: one row
 * (facet PG_FX_ROW, ops.h, pos 0) whose bitmap is rt__facets_serialize's bytes and
 * whose num is the data version it was built at. It is used only when that is the data
 * version of the reading snapshot (every commit that writes raises it); the triggers
 * of schema 21 also empty the table when the facets' data changes; an import that
 * adds nothing keeps them (import.c, index_restamp).
 */

/* The bytes of a bytea in the server's hex output ("\x0a1b...", n characters) into
 * *out (rt_free), *len of them; -1 when it is not such text. */
static int unhex(const char *t, size_t n, unsigned char **out, size_t *len)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char *b;

    if (n < 2 || t[0] != '\\' || t[1] != 'x' || n % 2)
        return -1;
    *len = (n - 2) / 2;
    b = rt_xmalloc(*len ? *len : 1);
    for (size_t i = 0; i < *len; i++) {
        const char *hi = memchr(digits, t[2 + 2 * i] | 0x20, 16),
                   *lo = memchr(digits, t[3 + 2 * i] | 0x20, 16);
        if (!hi || !lo) {
            rt_free(b);
            return -1;
        }
        b[i] = (unsigned char)((hi - digits) << 4 | (lo - digits));
    }
    *out = b;
    return 0;
}

/* In the caller's snapshot: the stored index into *out when it is of the data version
 * v (1), else 0 with *out NULL; RT_ESTORE. */
static int fx_load(struct pg_store *s, int64_t v, struct rt__facets **out, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(s->pg, "pg_fx_load",
                    "SELECT num, bitmap FROM search_index WHERE facet = " PG_FX_ROW " AND pos = 0",
                    0, NULL, err);
    unsigned char *b = NULL;
    size_t n = 0;

    *out = NULL;
    if (!r)
        return RT_ESTORE;
    if (PQntuples(r) == 1 && strtoll(PQgetvalue(r, 0, 0), NULL, 10) == v &&
        unhex(PQgetvalue(r, 0, 1), (size_t)PQgetlength(r, 0, 1), &b, &n) == 0)
        *out = rt__facets_deserialize(b, n);
    PQclear(r);
    rt_free(b);
    return *out ? 1 : 0;
}

/*
 * Stores bytes as row (facet, 0) of search_index, named key, for the next connections:
 * at data version v, in a transaction of its own, only while v is still the data
 * version, and without raising it (the row changes nothing the caches show). Not tried
 * where nothing can be written (a standby in recovery, default_transaction_read_only),
 * which would only leave an error in the server's log at every new connection. A
 * failure (a role that may not write, a dropped connection) only means the next
 * connection builds the index again. Sent in libpq's binary format, so that megabytes
 * are not written out in hex.
 *
 * With chunk (save_chunks), the bytes go instead into rows (facet, 0), (facet, 1), …
 * of chunk bytes each (the last fewer), all of num v, in place of the facet's rows
 * before: a row that small stays in the table's page as it is, where one value of
 * megabytes is compressed (pglz) and cut into TOAST's chunks, and reading it back
 * whole costs the server its decompression (some 60 ms for the page rows' 10 MB).
 */
static void save_bytes(struct pg_store *s, const char *facet, const char *key, int64_t v,
                       const struct rt_buf *bytes, int chunk)
{
    struct rt_error e = RT_ERROR_INIT;
    unsigned char ver[8];
    char size[24];
    const char *vals[5];
    int lens[5], fmts[5] = {0, 0, 1, 1, 0}, ok;
    PGresult *r;

    if (bytes->len >= INT32_MAX || rt__pg_begin(s->pg, "READ COMMITTED", &e) < 0) {
        rt_error_release(&e);
        return;
    }
    r = rt__pg_exec(s->pg, "pg_save_writable",
                    "SELECT CASE WHEN pg_is_in_recovery()"
                    " OR current_setting('transaction_read_only') = 'on' THEN false"
                    " ELSE set_config('rightstrack.version_raised', txid_current()::text, true)"
                    " IS NOT NULL END",
                    0, NULL, &e);
    ok = r && PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (ok && chunk) {
        vals[0] = facet;
        r = rt__pg_exec(s->pg, "pg_save_clear", "DELETE FROM search_index WHERE facet = $1::bigint",
                        1, vals, &e);
        ok = r != NULL;
        PQclear(r);
    }
    if (ok) {
        for (int i = 0; i < 8; i++)
            ver[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
        snprintf(size, sizeof(size), "%d", chunk);
        vals[0] = facet;
        vals[1] = key;
        lens[0] = lens[1] = 0;
        vals[2] = (const char *)ver;
        lens[2] = 8;
        vals[3] = bytes->buf ? bytes->buf : "";
        lens[3] = (int)bytes->len;
        vals[4] = size;
        lens[4] = 0;
        r = PQexecParams(rt__pg_conn(s->pg),
                         chunk ? "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                                 " SELECT $1::bigint, g, $2::text, $3::bigint,"
                                 " substring($4::bytea FROM g * $5::int + 1 FOR $5::int)"
                                 " FROM generate_series(0, greatest(length($4::bytea) - 1, 0)"
                                 " / $5::int) g"
                                 " WHERE (" PG_VERSION ") = $3::bigint"
                               : "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                                 " SELECT $1::bigint, 0, $2::text, $3::bigint, $4::bytea"
                                 " WHERE (" PG_VERSION ") = $3::bigint"
                                 " ON CONFLICT (facet, pos) DO UPDATE"
                                 " SET num = excluded.num, bitmap = excluded.bitmap",
                         chunk ? 5 : 4, NULL, vals, lens, fmts, 0);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    rt__pg_end(s->pg, ok, NULL);
    rt_error_release(&e);
}

static void save_row(struct pg_store *s, const char *facet, const char *key, int64_t v,
                     const struct rt_buf *bytes)
{
    save_bytes(s, facet, key, v, bytes, 0);
}

/* Stores s->fx, built at data version s->fx_version, for the next connections. */
static void fx_save(struct pg_store *s)
{
    struct rt_buf b = RT_BUF_INIT;

    rt__facets_serialize(s->fx, &b);
    save_row(s, PG_FX_ROW, "facets", s->fx_version, &b);
    rt_buf_release(&b);
}

/*
 * The text index kept the same way (facet PG_TX_ROW, pos 0): its bytes are
 * rt__pg_text_serialize's (the lexemes and their postings, not the tsvector text, and
 * the table word that prefixes need), num the data version it was read at. Sent and
 * read in libpq's binary format, so that a few megabytes are not written out in hex.
 */

/* In the caller's snapshot: the stored text index into *out, and the table word into
 * s->words, when it is of the data version v (1), else 0 with *out NULL; RT_ESTORE. */
static int tx_load(struct pg_store *s, int64_t v, struct rt__pg_text **out, struct rt_error *err)
{
    PGresult *r = PQexecParams(rt__pg_conn(s->pg),
                               "SELECT num, bitmap FROM search_index"
                               " WHERE facet = " PG_TX_ROW " AND pos = 0",
                               0, NULL, NULL, NULL, NULL, 1);
    const unsigned char *num;
    uint64_t at = 0;

    *out = NULL;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rt_error_set(err, RT_ESTORE, NULL, 0, "search_index", "reading the text index: %s",
                     PQresultErrorMessage(r));
        PQclear(r);
        return RT_ESTORE;
    }
    if (PQntuples(r) == 1 && PQgetlength(r, 0, 0) == 8) {
        num = (const unsigned char *)PQgetvalue(r, 0, 0);
        for (int i = 0; i < 8; i++)
            at = at << 8 | num[i];
        if ((int64_t)at == v)
            *out = rt__pg_text_deserialize((const unsigned char *)PQgetvalue(r, 0, 1),
                                           (size_t)PQgetlength(r, 0, 1), &s->words);
    }
    PQclear(r);
    return *out ? 1 : 0;
}

/* Stores s->tx, read at data version v, for the next connections (save_row). */
static void tx_save(struct pg_store *s, int64_t v)
{
    struct rt_buf b = RT_BUF_INIT;

    rt__pg_text_serialize(s->tx, &s->words, &b);
    save_row(s, PG_TX_ROW, "text", v, &b);
    rt_buf_release(&b);
}

/*
 * The page rows (rows.c) kept the same way, in rows (PG_ROWS_ROW, 0), (PG_ROWS_ROW, 1),
 * … of PG_ROWS_CHUNK bytes each (save_bytes): together rt__pg_rows_serialize's bytes,
 * which leave out the sources' paths (read from `source` when the rows are read back),
 * each row's num the data version they were read at.
 */
#define PG_ROWS_ROW "102"
/* The bytes of each of its rows: with the row's other columns and header, under the
 * 2 kB past which PostgreSQL compresses a row's values or moves them out of the row. */
#define PG_ROWS_CHUNK 1900

/* Notes in s->tx_kept and s->rows_kept the data versions of the stored text index and
 * page rows, or -1. 0, RT_ESTORE. */
static int tx_kept(struct pg_store *s, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(s->pg, "pg_tx_kept",
                              "SELECT facet, num FROM search_index WHERE facet IN (" PG_TX_ROW
                              ", " PG_ROWS_ROW ") AND pos = 0",
                              0, NULL, err);

    if (!r)
        return RT_ESTORE;
    s->tx_kept = s->rows_kept = -1;
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t num = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        if (!strcmp(PQgetvalue(r, i, 0), PG_TX_ROW))
            s->tx_kept = num;
        else
            s->rows_kept = num;
    }
    PQclear(r);
    return 0;
}

/* Makes s->fx the index of the data as it is now (in the caller's read transaction,
 * or in one of its own): 0 (s->fx_state says whether it serves), RT_ESTORE. */
static int fx_build(struct pg_store *s, struct rt_error *err)
{
    int own = !s->in_read, keep, rc = 0, save = 0, save_tx = 0;
    int64_t v = -1;

    if (own && rt__pg_begin(s->pg, "REPEATABLE READ", err) < 0)
        return RT_ESTORE;
    /* When only the text index is wanted (after PG_TEXT_AFTER searches with text, or
     * at the first when search_index keeps it) and the bitmaps are still of the data,
     * they are kept. */
    keep = s->fx_state == 1 && !s->tx_read &&
           (s->n_text >= s->text_after || s->tx_kept == s->fx_version);
    if (keep && (rc = rt__pg_data_version(s, &v, err)) == 0)
        keep = v == s->fx_version;
    if (rc == 0 && !keep) {
        struct rt__facets *kept = NULL;

        rt__facets_free(s->fx);
        s->fx = NULL;
        s->fx_state = 0;
        if ((rc = rt__pg_data_version(s, &v, err)) == 0 && (rc = tx_kept(s, err)) == 0 &&
            (rc = fx_load(s, v, &kept, err)) == 1) {
            s->fx = kept;
            s->fx_version = v;
            rc = 0;
        } else if (rc == 0) {
            s->fx = rt__facets_new();
            rc = fx_read(s, s->fx, &s->fx_version, err);
            save = rc == 0 && own;
        }
    }
    rt__pg_text_free(s->tx);
    s->tx = NULL;
    rt__pg_caches_clear(s);
    /* Read after PG_TEXT_AFTER searches with text, or at the first when it is kept. */
    s->tx_read = rc == 0 && (s->n_text >= s->text_after || (s->n_text && s->tx_kept == v));
    if (s->tx_read && (rc = tx_load(s, v, &s->tx, err)) == 0) {
        rc = rt__pg_text_load(s->pg, &s->tx, err);
        save_tx = rc == 0 && own && s->tx;
        if (rc == 0) /* from the tables, then the table word too (a stored row has it) */
            rc = words_read(s, err);
    } else if (s->tx_read && rc == 1) {
        rc = 0;
    }
    if (own && rt__pg_end(s->pg, rc == 0 || rc == 1, rc < 0 ? NULL : err) < 0 && rc >= 0)
        rc = RT_ESTORE;
    if (rc < 0) {
        rt__facets_free(s->fx);
        s->fx = NULL;
        s->fx_state = 0;
        s->tx_read = 0;
        return rc;
    }
    s->fx_state = rc == 0 ? 1 : -1;
    if (save)
        fx_save(s);
    if (save_tx)
        tx_save(s, v);
    return 0;
}

/* A store that serves many searches (the web face's threads): the text index is read
 * at once rather than after PG_TEXT_AFTER searches with text, and both indexes now,
 * before the first request. */
int rt__pg_keep_search(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch || s->in_tx)
        return 0;
    s->text_after = 0;
    return fx_build(s, err);
}

/* The ids of the themes the filter theme names (THEME_IDS), in *out (rt_free); kept
 * with the index, and with known a kept empty answer is not trusted. */
static int theme_ids(struct pg_store *s, const char *theme, int known, int64_t **out, size_t *n,
                     struct rt_error *err)
{
    const char *v[1] = {theme};
    PGresult *r;

    if (!s->theme_ids_sql.len) /* kept: rt__pg_exec keeps the text it prepared */
        theme_sql(&s->theme_ids_sql, PG_THEME_IDS, "$1");
    int64_t at;

    if (rt__strmap_get(&s->theme_at, theme, strlen(theme), &at) &&
        (!known || s->theme_pool[at] > 0)) {
        *n = (size_t)s->theme_pool[at];
        *out = rt_xcalloc(*n ? *n : 1, sizeof(**out));
        if (*n)
            memcpy(*out, s->theme_pool + at + 1, *n * sizeof(**out));
        return 0;
    }
    if (!(r = rt__pg_exec(s->pg, "pg_fx_theme_ids", s->theme_ids_sql.buf, 1, v, err)))
        return RT_ESTORE;
    *n = (size_t)PQntuples(r);
    *out = rt_xcalloc(*n ? *n : 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
    PQclear(r);
    RT_ALLOC_GROW(s->theme_pool, s->n_theme_pool + *n + 1, s->theme_pool_alloc);
    at = (int64_t)s->n_theme_pool;
    s->theme_pool[s->n_theme_pool++] = (int64_t)*n;
    if (*n)
        memcpy(s->theme_pool + s->n_theme_pool, *out, *n * sizeof(**out));
    s->n_theme_pool += *n;
    rt__strmap_put(&s->theme_at, theme, strlen(theme), at);
    return 0;
}

static int scored_cmp(const void *a, const void *b)
{
    const struct rt__pg_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Puts the k first of the n matches in m (scored_cmp's order) at its start, in
 * order; the rest is left in no order, and some of it overwritten. */
static void top_k(struct rt__pg_hit *m, size_t n, size_t k)
{
    size_t have = 0;

    if (k > 256 || k >= n / 4) {
        qsort(m, n, sizeof(*m), scored_cmp);
        return;
    }
    for (size_t i = 0; i < n && k; i++) {
        struct rt__pg_hit x = m[i];
        size_t j;
        if (have == k && scored_cmp(&x, &m[k - 1]) >= 0)
            continue;
        j = have < k ? have++ : k - 1;
        while (j > 0 && scored_cmp(&x, &m[j - 1]) < 0) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = x;
    }
}

/*
 * The matches of q's text that pass (NULL: all), as rows of (id, score) in *out
 * (rt_free), and in hits; run with the data version's row, so that an index of
 * another version is read again and the statement run once more. 0, RT_ESTORE.
 */
static int fx_matches(struct pg_store *s, const struct rt_search_spec *q, const char *tsq,
                      roaring_bitmap_t **pass, struct rt__pg_hit **out, size_t *n,
                      roaring_bitmap_t *hits, struct rt_error *err)
{
    const char *v[1] = {tsq};

    *out = NULL;
    *n = 0;
    for (int tries = 0;; tries++) {
        PGresult *r = rt__pg_exec(s->pg, "pg_fx_match",
                                  "SELECT NULL::bigint, NULL::real, (" PG_VERSION ")"
                                  " UNION ALL SELECT rec_id,"
                                  " ts_rank('{0.1,0.1,0.1,0.1}', lexemes, $1::tsquery, 1),"
                                  " NULL FROM recommendation_fts WHERE lexemes @@ $1::tsquery",
                                  1, v, err);
        int64_t version = -1;
        size_t k = 0;

        if (!r)
            return RT_ESTORE;
        for (int i = 0; i < PQntuples(r); i++)
            if (PQgetisnull(r, i, 0))
                version = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        if (version != s->fx_version && tries < 3) {
            int rc;
            PQclear(r);
            if ((rc = fx_build(s, err)) < 0)
                return rc;
            if (s->fx_state != 1)
                return 0;
            /* The filters are of the index read before. */
            if (*pass) {
                roaring_bitmap_free(*pass);
                *pass = NULL;
                return 2;
            }
            continue;
        }
        *out = rt_xcalloc((size_t)PQntuples(r) + 1, sizeof(**out));
        for (int i = 0; i < PQntuples(r); i++) {
            int64_t id;
            if (PQgetisnull(r, i, 0))
                continue;
            id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            if (id < 0 || id > (int64_t)UINT32_MAX ||
                (*pass && !roaring_bitmap_contains(*pass, (uint32_t)id)))
                continue;
            (*out)[k].id = id;
            (*out)[k++].score = strtod(PQgetvalue(r, i, 1), NULL);
            if (q->facets)
                roaring_bitmap_add(hits, (uint32_t)id);
        }
        *n = k;
        PQclear(r);
        return 1;
    }
}

/*
 * A search through the facet index: 1 with res filled but for the page's rows, whose
 * ids are in *page (rt_free); 0 when the index does not serve q (a filter it does not
 * hold, another sort, a plain text search that SQL answers in one statement, data it
 * cannot hold); RT_ESTORE or RT_EINVAL with err.
 */
static int fx_search(struct pg_store *s, const struct rt_search_spec *q,
                     struct rt_search_result *res, int64_t **page, size_t *n_page,
                     struct rt_error *err)
{
    int text = q->query && q->query->root;
    int filters = q->sur_id || q->cycle || q->response >= 0 || q->theme;
    int64_t *themes = NULL;
    size_t n_themes = 0, n = 0, off = q->offset > 0 ? (size_t)q->offset : 0, lim;
    struct rt__pg_hit *m = NULL;
    roaring_bitmap_t *pass = NULL, *hits = NULL;
    struct rt_buf tsq = RT_BUF_INIT;
    int rc, rounds = 0, in_memory;

    *page = NULL;
    *n_page = 0;
    if (q->sort != RT_SORT_RELEVANCE || q->by_id || q->session || q->category || q->mechanism ||
        s->in_tx || s->scratch)
        return 0;
    if (text && s->n_text < s->text_after)
        s->n_text++;
    in_memory = text && (s->n_text >= s->text_after ||
                         (s->fx_state == 1 && s->tx_kept >= 0 && s->tx_kept == s->fx_version));
    if (text && !filters && !q->facets && !in_memory)
        return 0;
again:
    /* The index is checked against the data version when the page's rows are read
     * (pg_search), or with the matches (fx_matches); one that could not serve, here. */
    if (s->fx_state == -1) {
        int64_t v = -1;
        if ((rc = rt__pg_data_version(s, &v, err)) < 0)
            goto out;
        if (v != s->fx_version && (rc = fx_build(s, err)) < 0)
            goto out;
    } else if ((s->fx_state == 0 || (in_memory && !s->tx_read)) && (rc = fx_build(s, err)) < 0) {
        goto out;
    }
    rc = 0;
    if (s->fx_state != 1)
        goto out;
    /* After the index: a prefix's words and a theme's ids are kept with it. */
    rt_free(themes);
    themes = NULL;
    if (q->theme && (rc = theme_ids(s, q->theme, 0, &themes, &n_themes, err)) < 0)
        goto out;
    rt__facets_pass(s->fx, q, themes, n_themes, &pass);
    hits = roaring_bitmap_create();
    /* In memory, the parsed query itself is evaluated; PostgreSQL gets it as a tsquery. */
    if (text && s->tx) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rt_free(m);
        m = NULL;
        rc = rt__pg_text_match(s->tx, q->query->root, t, words_of, s, &m, &n, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            goto out;
    }
    if (text && rc == 1) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (pass && !roaring_bitmap_contains(pass, (uint32_t)m[i].id))
                continue;
            m[k++] = m[i];
            if (q->facets)
                roaring_bitmap_add(hits, (uint32_t)m[i].id);
        }
        n = k;
        if (q->desc || q->limit < 0)
            qsort(m, n, sizeof(*m), scored_cmp);
        else
            top_k(m, n, off + (size_t)q->limit);
        if (q->desc)
            for (size_t i = 0; i < n / 2; i++) {
                struct rt__pg_hit x = m[i];
                m[i] = m[n - 1 - i];
                m[n - 1 - i] = x;
            }
    } else if (text) {
        struct rt_tokenizer *t = rt_tokenizer_new("english");
        rt_buf_reset(&tsq);
        rc = render(s, t, q->query->root, &tsq, err);
        rt_tokenizer_free(t);
        if (rc < 0)
            goto out;
        if ((rc = fx_matches(s, q, tsq.buf, &pass, &m, &n, hits, err)) == 2 && rounds++ < 3) {
            roaring_bitmap_free(hits);
            hits = NULL;
            goto again;
        }
        if (rc != 1) {
            rc = rc == 2 ? 0 : rc; /* the data kept changing: SQL answers */
            goto out;
        }
        qsort(m, n, sizeof(*m), scored_cmp);
        if (q->desc)
            for (size_t i = 0; i < n / 2; i++) {
                struct rt__pg_hit x = m[i];
                m[i] = m[n - 1 - i];
                m[n - 1 - i] = x;
            }
    } else {
        roaring_bitmap_free(hits);
        hits = pass ? pass : rt__facets_all(s->fx);
        pass = NULL;
        n = (size_t)roaring_bitmap_get_cardinality(hits);
    }
    res->total = (int64_t)n;
    lim = off >= n ? 0 : n - off;
    if (q->limit >= 0 && (size_t)q->limit < lim)
        lim = (size_t)q->limit;
    if (lim) {
        *page = rt_xcalloc(lim, sizeof(**page));
        for (size_t i = 0; i < lim; i++) {
            uint32_t id = 0;
            size_t at = off + i;
            if (text)
                (*page)[i] = m[at].id;
            else if (roaring_bitmap_select(hits, (uint32_t)(q->desc ? n - 1 - at : at), &id))
                (*page)[i] = id;
        }
        *n_page = lim;
    }
    if (q->facets)
        rt__facets_count(s->fx, hits, res);
    rc = 1;
out:
    rt__bitmap_free(pass);
    rt__bitmap_free(hits);
    rt_free(m);
    rt_free(themes);
    rt_buf_release(&tsq);
    return rc;
}

/* A small table's rows by id (the first column of r), for rows_read's joins in C. */
struct by_id {
    int64_t id;
    int row;
};

static int by_id_cmp(const void *a, const void *b)
{
    const struct by_id *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static struct by_id *by_id_of(const PGresult *r)
{
    int n = PQntuples(r);
    struct by_id *m = rt_xcalloc(n ? (size_t)n : 1, sizeof(*m));

    for (int i = 0; i < n; i++) {
        m[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        m[i].row = i;
    }
    qsort(m, (size_t)n, sizeof(*m), by_id_cmp);
    return m;
}

/* The row of id in r (by_id_of's m), or -1. */
static int row_by_id(const PGresult *r, const struct by_id *m, const char *id)
{
    struct by_id k = {strtoll(id, NULL, 10), 0};
    const struct by_id *f;

    if (!*id)
        return -1;
    f = bsearch(&k, m, (size_t)PQntuples(r), sizeof(*m), by_id_cmp);
    return f ? f->row : -1;
}

/*
 * Every recommendation's page row into s->rows (rows.c), in one snapshot whose data
 * version must be the index's (s->fx_version): else nothing is read, and the search
 * that asked finds its index out of date with its page. The rows are those of
 * RT__REC_SELECT and of PG_PAGE_SQL's parts 2 and 3, with the small tables (state,
 * source, theme) joined here rather than sent once per row: seven statements in a
 * transaction of their own (or the caller's read), each table's rows in one result (the
 * largest, the recommendations' own rows, some 15 MB in libpq for a moment). Where the
 * rows cannot be held, s->rows_tried notes the version. 0, RT_ESTORE.
 */
enum { RQ_SIZE, RQ_STATE, RQ_SOURCE, RQ_THEME, RQ_RECS, RQ_BY, RQ_THEMES, RQ_N };

static int rows_read(struct pg_store *s, struct rt_error *err)
{
    static const char *const sql[RQ_N] = {
        PG_VERSION,
        "SELECT id, code, name FROM state",
        "SELECT id, path FROM source ORDER BY id",
        "SELECT id, vocabulary, label FROM theme",
        /* RT__REC_COLUMNS with the state's and the source's ids for their columns */
        "SELECT r.id, r.mechanism, r.cycle, r.session, r.paragraph, r.text, r.sur_id,"
        " r.response, coalesce(r.action_category, c.category), r.source_id, r.created_at,"
        " CASE WHEN r.action_category IS NOT NULL THEN 'official' ELSE c.origin END,"
        " CASE WHEN r.action_category IS NOT NULL THEN 1.0 ELSE c.confidence END"
        " FROM recommendation r LEFT JOIN recommendation_category c ON c.rec_id = r.id",
        "SELECT rec_id, state_id FROM recommendation_by",
        "SELECT rec_id, theme_id, origin, confidence FROM recommendation_theme",
    };
    static const char *const name[RQ_N] = {"pg_data_version", "pg_rows_state", "pg_rows_source",
                                           "pg_rows_theme",   "pg_rows_recs",  "pg_rows_by",
                                           "pg_rows_themes"};
    PGresult *r[RQ_N] = {NULL};
    struct by_id *m[RQ_N] = {NULL};
    int own = !s->in_read, rc = 0;
    struct rt__pg_rows *c = NULL;
    int64_t v = -1;

    rt__pg_rows_free(s->rows);
    s->rows = NULL;
    if (!s->fx)
        return 0;
    if (own && rt__pg_begin(s->pg, "REPEATABLE READ", err) < 0)
        return RT_ESTORE;
    for (int q = 0; q < RQ_N && rc == 0; q++) {
        PGresult *x = r[q] = rt__pg_exec(s->pg, name[q], sql[q], 0, NULL, err);
        if (!x) {
            rc = RT_ESTORE;
            break;
        }
        if (q == RQ_SIZE) {
            /* The index, of this version, knows how many rows there are. */
            roaring_bitmap_t *all = rt__facets_all(s->fx);
            v = strtoll(PQgetvalue(x, 0, 0), NULL, 10);
            if (v == s->fx_version &&
                !(c = rt__pg_rows_new(v, (int64_t)roaring_bitmap_maximum(all),
                                      (int64_t)roaring_bitmap_get_cardinality(all))))
                s->rows_tried = v;
            roaring_bitmap_free(all);
            rc = c ? 0 : 1;
        } else if (q < RQ_RECS) {
            m[q] = by_id_of(x);
        }
        for (int i = 0; q >= RQ_RECS && i < PQntuples(x); i++) {
            int64_t id = strtoll(PQgetvalue(x, i, 0), NULL, 10);
            if (q == RQ_RECS) {
                /* As rec_fill fills it; a row without its state is not a page's row. */
                int st = row_by_id(r[RQ_STATE], m[RQ_STATE], PQgetvalue(x, i, 6));
                struct rt_rec rec;
                if (st < 0)
                    continue;
                rt_rec_init(&rec);
                rec.id = id;
                rec.mechanism = PQgetvalue(x, i, 1);
                rec.cycle = (int)strtol(PQgetvalue(x, i, 2), NULL, 10);
                rec.session = (int)strtol(PQgetvalue(x, i, 3), NULL, 10);
                rec.paragraph = PQgetisnull(x, i, 4) ? NULL : PQgetvalue(x, i, 4);
                rec.text = PQgetvalue(x, i, 5);
                snprintf(rec.sur.code, sizeof(rec.sur.code), "%s", PQgetvalue(r[RQ_STATE], st, 1));
                rec.sur.name = PQgetvalue(r[RQ_STATE], st, 2);
                if (rt_response_parse(PQgetvalue(x, i, 7), &rec.response) < 0)
                    rec.response = RT_RESPONSE_PENDING;
                rec.action_category = (int)strtol(PQgetvalue(x, i, 8), NULL, 10);
                rec.source_id = strtoll(PQgetvalue(x, i, 9), NULL, 10);
                rec.created_at = PQgetvalue(x, i, 10);
                if (!PQgetisnull(x, i, 11)) {
                    rec.action_category_origin = PQgetvalue(x, i, 11);
                    rec.action_category_confidence = strtod(PQgetvalue(x, i, 12), NULL);
                }
                rt__pg_rows_add(c, &rec); /* copies the strings */
            } else if (q == RQ_BY) {
                int st = row_by_id(r[RQ_STATE], m[RQ_STATE], PQgetvalue(x, i, 1));
                if (st >= 0)
                    rt__pg_rows_add_by(c, id, PQgetvalue(r[RQ_STATE], st, 1),
                                       PQgetvalue(r[RQ_STATE], st, 2));
            } else {
                int t = row_by_id(r[RQ_THEME], m[RQ_THEME], PQgetvalue(x, i, 1));
                if (t >= 0)
                    rt__pg_rows_add_theme(c, id, PQgetvalue(r[RQ_THEME], t, 1),
                                          PQgetvalue(r[RQ_THEME], t, 2), PQgetvalue(x, i, 2),
                                          strtod(PQgetvalue(x, i, 3), NULL));
            }
        }
        if (q == RQ_RECS) /* the sources' paths, apart from the rows (rows_save) */
            for (int i = 0; i < PQntuples(r[RQ_SOURCE]); i++)
                rt__pg_rows_add_source(c, strtoll(PQgetvalue(r[RQ_SOURCE], i, 0), NULL, 10),
                                       value_or_null(r[RQ_SOURCE], i, 1));
        if (q >= RQ_RECS) { /* the largest results, one at a time */
            PQclear(x);
            r[q] = NULL;
        }
    }
    for (int q = 0; q < RQ_N; q++) {
        PQclear(r[q]);
        rt_free(m[q]);
    }
    if (own && rt__pg_end(s->pg, rc >= 0, rc < 0 ? NULL : err) < 0 && rc >= 0)
        rc = RT_ESTORE;
    if (rc == 0 && (rt__pg_rows_done(c) < 0 || rt__pg_rows_sources_done(c) < 0)) {
        s->rows_tried = v;
        rc = 1;
    }
    if (rc == 0)
        s->rows = c;
    else
        rt__pg_rows_free(c);
    return rc < 0 ? rc : 0;
}

/*
 * The page rows stored in search_index (PG_ROWS_ROW) into s->rows, in one snapshot
 * (a transaction of its own, or the caller's read) whose data version must be the
 * stored rows' and the index's (s->fx_version), with the sources' paths of the same
 * snapshot: 1 read, 0 not (another version, none stored, bytes refused), RT_ESTORE.
 */
static int rows_load(struct pg_store *s, struct rt_error *err)
{
    int own = !s->in_read, rc = 0;
    struct rt__pg_rows *c = NULL;
    PGresult *r = NULL;
    int64_t v = -1;

    if (own && rt__pg_begin(s->pg, "REPEATABLE READ", err) < 0)
        return RT_ESTORE;
    if ((rc = rt__pg_data_version(s, &v, err)) == 0 && v == s->fx_version) {
        /* Its chunks (save_bytes), in order, each of version v, as one value. */
        r = PQexecParams(rt__pg_conn(s->pg),
                         "SELECT num, bitmap FROM search_index"
                         " WHERE facet = " PG_ROWS_ROW " ORDER BY pos",
                         0, NULL, NULL, NULL, NULL, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, "search_index", "reading the page rows: %s",
                              PQresultErrorMessage(r));
        } else if (PQntuples(r) > 0) {
            struct rt_buf b = RT_BUF_INIT;
            size_t total = 0;
            int ok = 1;
            for (int i = 0; i < PQntuples(r) && ok; i++) {
                const unsigned char *num = (const unsigned char *)PQgetvalue(r, i, 0);
                uint64_t at = 0;
                for (int k = 0; k < 8; k++)
                    at = at << 8 | num[k];
                ok = PQgetlength(r, i, 0) == 8 && (int64_t)at == v;
                total += (size_t)PQgetlength(r, i, 1);
            }
            if (ok && rt_buf_grow(&b, total) == 0) {
                for (int i = 0; i < PQntuples(r); i++)
                    rt_buf_add(&b, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1));
                PQclear(r);
                r = NULL;
                c = rt__pg_rows_deserialize(&b, v);
            }
            rt_buf_release(&b);
        }
        PQclear(r);
        r = NULL;
    }
    if (rc == 0 && c &&
        !(r = rt__pg_exec(s->pg, "pg_rows_source", "SELECT id, path FROM source ORDER BY id", 0,
                          NULL, err)))
        rc = RT_ESTORE;
    for (int i = 0; r && i < PQntuples(r); i++)
        rt__pg_rows_add_source(c, strtoll(PQgetvalue(r, i, 0), NULL, 10), value_or_null(r, i, 1));
    PQclear(r);
    if (own && rt__pg_end(s->pg, rc == 0, rc < 0 ? NULL : err) < 0 && rc == 0)
        rc = RT_ESTORE;
    if (rc == 0 && c && rt__pg_rows_sources_done(c) == 0) {
        rt__pg_rows_free(s->rows);
        s->rows = c;
        return 1;
    }
    rt__pg_rows_free(c);
    return rc;
}

/* Stores s->rows for the next connections (save_bytes), when they are not stored yet at
 * their data version. */
static void rows_save(struct pg_store *s)
{
    struct rt_buf b = RT_BUF_INIT;
    int64_t v = rt__pg_rows_version(s->rows);

    if (!s->rows || s->rows_kept == v)
        return;
    rt__pg_rows_serialize(s->rows, &b);
    save_bytes(s, PG_ROWS_ROW, "rows", v, &b, PG_ROWS_CHUNK);
    s->rows_kept = v;
    rt_buf_release(&b);
}

/* After a read transaction (ops.c's pg_read_end): rows read in it from the tables (a
 * web request's search) are kept now, outside it, as rows_read's caller keeps them. */
void rt__pg_rows_keep(struct pg_store *s)
{
    if (s->rows && !s->in_tx && !s->in_read && !s->scratch &&
        rt__pg_rows_version(s->rows) == s->fx_version)
        rows_save(s);
}

/* Whether s->rows serve a search now: of the index's data version, and read for
 * everybody as the connection reads now. The public reader's `source` is a view that
 * hides private sources (src/store/private.c), whose paths the rows hold: a connection
 * reading for the public reads its pages from the server, and never reads rows. */
static int rows_serve(const struct pg_store *s)
{
    return s->rows && rt__pg_rows_version(s->rows) == s->fx_version &&
           s->rd.reader == RT_READER_ALL;
}

/*
 * The page's rows as recs_load gives them, from s->rows when they are of the index's
 * data version (then the server is asked only for the data version, *version), else
 * from the server (recs_load), reading s->rows first once this connection has read
 * s->rows_after pages at the index's version. 0, RT_ENOTFOUND, RT_ESTORE.
 */
static int page_rows(struct pg_store *s, const int64_t *ids, size_t n, struct rt_rec *recs,
                     int64_t *version, struct rt_error *err)
{
    int rc;

    if (n && !rows_serve(s) && s->rows_tried != s->fx_version && s->rd.reader == RT_READER_ALL) {
        if (s->pages_version != s->fx_version) {
            s->pages_version = s->fx_version;
            s->n_pages = 0;
        }
        /* Stored at this version, the rows are one value to read: after fewer pages. */
        if (s->n_pages < (s->rows_kept == s->fx_version && s->rows_after > PG_ROWS_KEPT_AFTER
                              ? PG_ROWS_KEPT_AFTER
                              : s->rows_after)) {
            s->n_pages++;
        } else {
            if (s->rows_kept == s->fx_version && (rc = rows_load(s, err)) < 0)
                return rc;
            if (!rows_serve(s)) {
                s->rows_kept = -1; /* none kept after all, or refused: kept again below */
                if ((rc = rows_read(s, err)) < 0)
                    return rc;
                if (rows_serve(s) && !s->in_read)
                    rows_save(s);
            }
        }
    }
    if (!n || !rows_serve(s))
        return rt__pg_recs_read(s, ids, n, recs, version, err);
    if ((rc = rt__pg_data_version(s, version, err)) < 0)
        return rc;
    /* Another version: the rows as they are now, with it (the caller reads the index
     * again, or takes them as they are once the data has kept changing). */
    if (*version != s->fx_version)
        return rt__pg_recs_read(s, ids, n, recs, version, err);
    for (size_t i = 0; i < n; i++)
        if (!rt__pg_rows_get(s->rows, ids[i], &recs[i])) {
            for (size_t j = 0; j < i; j++)
                rt_rec_release(&recs[j]);
            return rt__pg_recs_read(s, ids, n, recs, version, err);
        }
    return 0;
}

/*
 * One statement for the total, the page and the facets, each a part of a UNION ALL
 * over the matches m, found once: rows (part, place, key, n), part 0 the total, 1 the
 * page's ids in order, 2 + f the counts of facet f in order. Then the page's rows
 * (recs_load).
 */
int rt__pg_search(struct rt_store *st, const struct rt_search_spec *spec,
                  struct rt_search_result *res, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf sql = RT_BUF_INIT;
    struct where w;
    PGresult *r = NULL;
    int64_t *ids = NULL;
    size_t n = 0, nf[4] = {0};
    int rc;

    memset(&w, 0, sizeof(w));
    /* Through the facet index, which is trusted to be of the data until the page's
     * rows come back with the data version: when that is another, the index is read
     * again and the search run again. */
    for (int round = 0;; round++) {
        int64_t v = -1;
        /* With the page's rows in memory, the server is asked only for the data
         * version: sent now, it is read (data_version) once the search is worked out
         * in memory. */
        if (s->fx_state == 1 && rows_serve(s) && !s->in_tx && !s->scratch)
            rt__pg_send(s->pg, "pg_data_version", PG_VERSION);
        if ((rc = fx_search(s, spec, res, &ids, &n, err)) <= 0)
            break;
        if (n) {
            res->hits = rt_xcalloc(n, sizeof(*res->hits));
            for (size_t i = 0; i < n; i++)
                rt_rec_init(&res->hits[i]);
            res->n_hits = n;
        }
        rc = page_rows(s, ids, n, res->hits, &v, err);
        if ((rc == 0 || rc == RT_ENOTFOUND) && v != s->fx_version && round < 2) {
            rt_search_result_release(res);
            rt_free(ids);
            ids = NULL;
            n = 0;
            s->fx_state = 0;
            continue;
        }
        rc = rc < 0 ? rc : 1;
        break;
    }
    if (rc != 0) {
        rc = rc > 0 ? 0 : rc;
        goto out;
    }
    if ((rc = where_of(s, spec, &w, err)) < 0)
        goto out;
    matches_of(spec, &w, &sql);
    rt_buf_adds(&sql, " SELECT 0, 0::bigint, NULL::text, count(*) FROM m"
                      " UNION ALL SELECT 1, row_number() OVER (");
    if ((rc = order_of(spec, "p", &sql, err)) < 0)
        goto out;
    rt_buf_addf(&sql, "), NULL, p.id FROM (SELECT m.id, m.score%s FROM m ",
                spec->sort != RT_SORT_RELEVANCE ? ", m.k" : "");
    order_of(spec, "m", &sql, err);
    rt_buf_addf(&sql, " LIMIT %s::bigint", spec->limit >= 0 ? param_int(&w, spec->limit) : "NULL");
    rt_buf_addf(&sql, " OFFSET %s::bigint) p", param_int(&w, spec->offset > 0 ? spec->offset : 0));
    for (size_t f = 0; spec->facets && f < RT_ARRAY_SIZE(facet_sql); f++)
        rt_buf_addf(&sql,
                    " UNION ALL SELECT %zu, row_number() OVER (ORDER BY count(*) DESC, %s),"
                    " (%s)::text, count(*) FROM m%s GROUP BY %s",
                    f + 2, facet_sql[f][3], facet_sql[f][1], facet_sql[f][2], facet_sql[f][1]);
    rt_buf_adds(&sql, " ORDER BY 1, 2");
    if (!(r = run(s, sql.buf, &w, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        long part = strtol(PQgetvalue(r, i, 0), NULL, 10);
        if (part == 1)
            n++;
        else if (part >= 2 && part < 6)
            nf[part - 2]++;
    }
    if (n) {
        ids = rt_xcalloc(n, sizeof(*ids));
        res->hits = rt_xcalloc(n, sizeof(*res->hits));
        for (size_t i = 0; i < n; i++)
            rt_rec_init(&res->hits[i]);
        res->n_hits = n;
    }
    for (size_t f = 0; spec->facets && f < RT_ARRAY_SIZE(facet_sql); f++) {
        struct rt_facet *fc = &res->facets[res->n_facets++];
        fc->name = facet_sql[f][0];
        fc->counts = rt_xcalloc(nf[f] ? nf[f] : 1, sizeof(*fc->counts));
    }
    for (int i = 0, k = 0; i < PQntuples(r); i++) {
        long part = strtol(PQgetvalue(r, i, 0), NULL, 10);
        int64_t v = strtoll(PQgetvalue(r, i, 3), NULL, 10);
        if (part == 0) {
            res->total = v;
        } else if (part == 1) {
            ids[k++] = v;
        } else if (part >= 2 && part < 6 && spec->facets && !PQgetisnull(r, i, 2)) {
            struct rt_facet *fc = &res->facets[part - 2];
            fc->counts[fc->n].key = rt_xstrdup(PQgetvalue(r, i, 2));
            fc->counts[fc->n++].n = v;
        }
    }
    if (n && (rc = rt__pg_recs_load(st, ids, n, res->hits, err)) < 0)
        goto out;
out:
    PQclear(r);
    rt_free(ids);
    where_release(&w);
    rt_buf_release(&sql);
    return rc;
}
