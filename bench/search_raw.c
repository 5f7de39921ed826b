/*
 * Benchmark driver, raw peer: the same queries as search_driver.c, run with
 * nothing but the SQLite API on a copy of the database whose full-text index
 * uses SQLite's built-in 'porter unicode61 remove_diacritics 2' tokenizer.
 * The query text goes to MATCH as it is (the query files hold valid FTS5
 * expressions). The SQL is the SQL src/store/sqlite/read.c runs, with the same
 * plans: with a state under review, the ids of the rows that pass the filters
 * first (an id set, the SQL function rt_idset) and only the matches in it scored;
 * with other filters only, each match joined and checked; with text alone, the
 * index alone. Then the count when the page is full, the page's rows, recommending
 * states and themes (three statements for the page), and the four facet queries.
 * Statements are kept prepared by their SQL text, as the store keeps them.
 *
 *   search_raw DB QUERIES TOTALS
 *
 * Output as search_driver's.
 */
#include <sqlite3.h>
#include <stdint.h>

#include "qfile.h"

static sqlite3 *db;
static size_t bytes; /* the bytes of the columns read, so that reading them is real work */

static void die(const char *what)
{
    fprintf(stderr, "search_raw: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static sqlite3_stmt *prep(const char *sql, unsigned flags)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(db, sql, -1, flags, &s, NULL) != SQLITE_OK)
        die(sql);
    return s;
}

/* Prepared statements by SQL text, kept for the run. */
static struct {
    char *sql;
    sqlite3_stmt *s;
} cache[64];

static sqlite3_stmt *cached(const char *sql)
{
    size_t i;
    for (i = 0; i < sizeof(cache) / sizeof(cache[0]) && cache[i].s; i++) {
        if (!strcmp(cache[i].sql, sql)) {
            sqlite3_reset(cache[i].s);
            sqlite3_clear_bindings(cache[i].s);
            return cache[i].s;
        }
    }
    if (i == sizeof(cache) / sizeof(cache[0]))
        return prep(sql, 0); /* not expected: the queries use a few shapes */
    cache[i].s = prep(sql, SQLITE_PREPARE_PERSISTENT);
    cache[i].sql = strdup(sql);
    return cache[i].s;
}

static void done(sqlite3_stmt *s)
{
    for (size_t i = 0; i < sizeof(cache) / sizeof(cache[0]) && cache[i].s; i++)
        if (cache[i].s == s) {
            sqlite3_reset(s);
            return;
        }
    sqlite3_finalize(s);
}

/* A set of ids, one bit each, passed to rt_idset(id, set) as a bound pointer. */
struct idset {
    uint64_t *bits;
    size_t words;
    long long n;
};

static void idset_add(struct idset *set, int64_t id)
{
    size_t w = (size_t)id / 64;
    if (w >= set->words) {
        size_t words = set->words * 2 > w + 1 ? set->words * 2 : w + 1;
        if (!(set->bits = realloc(set->bits, words * sizeof(*set->bits))))
            die("realloc");
        memset(set->bits + set->words, 0, (words - set->words) * sizeof(*set->bits));
        set->words = words;
    }
    set->n += !(set->bits[w] >> (id % 64) & 1);
    set->bits[w] |= (uint64_t)1 << (id % 64);
}

static void idset_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const struct idset *set = sqlite3_value_pointer(argv[1], "rt_idset");
    sqlite3_int64 id = sqlite3_value_int64(argv[0]);
    (void)argc;
    sqlite3_result_int(ctx, set && id >= 0 && (size_t)id / 64 < set->words &&
                                (set->bits[(size_t)id / 64] >> (id % 64) & 1));
}

static void take(sqlite3_stmt *s, int n)
{
    for (int i = 0; i < n; i++) {
        sqlite3_column_text(s, i);
        bytes += (size_t)sqlite3_column_bytes(s, i);
    }
}

/* A search as src/store/sqlite/read.c builds it; ?1 match, ?2 sur, ?4 cycle,
 * ?7 response, ?8 theme (the store's numbering). */
struct spec {
    const char *match, *response, *theme;
    int64_t sur_id;
    int cycle;
};

static void where_clause(const struct spec *q, char *sql, size_t size)
{
    strncat(sql, " WHERE 1", size - strlen(sql) - 1);
    if (q->match)
        strncat(sql,
                " AND r.id IN (SELECT rowid FROM recommendation_fts"
                " WHERE recommendation_fts MATCH ?1)",
                size - strlen(sql) - 1);
    if (q->sur_id)
        strncat(sql, " AND r.sur_id = ?2", size - strlen(sql) - 1);
    if (q->cycle)
        strncat(sql, " AND r.cycle = ?4", size - strlen(sql) - 1);
    if (q->response)
        strncat(sql, " AND r.response = ?7", size - strlen(sql) - 1);
    /* A theme is a label or code of any vocabulary, or a taxonomy area, and finds
     * every label of the areas it belongs to (THEME_MATCH in the store's json_sql.h). */
    if (q->theme)
        strncat(sql,
                " AND EXISTS (SELECT 1 FROM recommendation_theme rt WHERE rt.rec_id = r.id"
                " AND rt.theme_id IN (SELECT t.id FROM theme t WHERE t.label = ?8 COLLATE NOCASE"
                " OR t.code = ?8 COLLATE NOCASE OR EXISTS (SELECT 1 FROM theme_area_label m"
                " WHERE m.vocabulary = t.vocabulary AND m.label = t.label AND m.area IN"
                " (SELECT a.code FROM theme_area a WHERE a.code = ?8 OR a.label = ?8 COLLATE NOCASE"
                " UNION SELECT m2.area FROM theme_area_label m2 WHERE m2.label = ?8))))",
                size - strlen(sql) - 1);
}

static void bind_spec(sqlite3_stmt *s, const struct spec *q, const struct idset *set)
{
    if (set)
        sqlite3_bind_pointer(s, 11, (void *)(uintptr_t)set, "rt_idset", NULL);
    if (q->match)
        sqlite3_bind_text(s, 1, q->match, -1, SQLITE_STATIC);
    if (q->sur_id)
        sqlite3_bind_int64(s, 2, q->sur_id);
    if (q->cycle)
        sqlite3_bind_int(s, 4, q->cycle);
    if (q->response)
        sqlite3_bind_text(s, 7, q->response, -1, SQLITE_STATIC);
    if (q->theme)
        sqlite3_bind_text(s, 8, q->theme, -1, SQLITE_STATIC);
}

static sqlite3_stmt *prep_spec(const struct spec *q, const char *head, const char *tail,
                               const struct idset *set)
{
    char sql[2048] = "";
    sqlite3_stmt *s;

    strncat(sql, head, sizeof(sql) - 1);
    where_clause(q, sql, sizeof(sql));
    strncat(sql, tail, sizeof(sql) - strlen(sql) - 1);
    s = cached(sql);
    bind_spec(s, q, set);
    return s;
}

static const char *const facet_sql[4] = {
    "SELECT r.response, count(*) FROM recommendation r",
    "SELECT coalesce(r.cycle, 0), count(*) FROM recommendation r",
    "SELECT t.label, count(*) FROM recommendation r"
    " JOIN recommendation_theme rt ON rt.rec_id = r.id JOIN theme t ON t.id = rt.theme_id",
    "SELECT s.code, count(*) FROM recommendation r JOIN state s ON s.id = r.sur_id",
};

#define FTS_MATCH "SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH ?1"
#define RANKED " ORDER BY rank, rowid LIMIT ?9 OFFSET ?10"

static void collect(sqlite3_stmt *s, struct idset *set)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        idset_add(set, sqlite3_column_int64(s, 0));
    if (rc != SQLITE_DONE)
        die("collect");
    done(s);
}

int main(int argc, char **argv)
{
    static const char *const load_sql[3] = {
        "SELECT r.id, r.mechanism, r.cycle, r.session, r.paragraph, r.text,"
        " s.code, s.name, r.response, r.action_category, r.source_id, src.path, r.created_at"
        " FROM recommendation r JOIN state s ON s.id = r.sur_id"
        " LEFT JOIN source src ON src.id = r.source_id"
        " WHERE r.id IN (SELECT value FROM json_each(?1)) ORDER BY r.id",
        "SELECT b.rec_id, s.code, s.name FROM recommendation_by b JOIN state s"
        " ON s.id = b.state_id WHERE b.rec_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY b.rec_id, s.name",
        "SELECT rt.rec_id, t.vocabulary, t.label, rt.origin, rt.confidence"
        " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
        " WHERE rt.rec_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY rt.rec_id, t.vocabulary, t.label, rt.origin",
    };
    static const int load_cols[3] = {13, 3, 5};
    sqlite3_stmt *by_code;
    struct bq *qs;
    char *buf;
    size_t n, hits = 0;
    long long sum = 0;
    double t0, t1;
    FILE *out;
    enum { LIMIT = 20 };

    if (argc != 4) {
        fprintf(stderr, "usage: search_raw DB QUERIES TOTALS\n");
        return 2;
    }
    n = bq_load(argv[2], &qs, &buf);
    if (!(out = fopen(argv[3], "w"))) {
        perror(argv[3]);
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        die(argv[1]);
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL", NULL, NULL,
                     NULL) != SQLITE_OK)
        die("pragma");
    if (sqlite3_create_function(db, "rt_idset", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, idset_fn,
                                NULL, NULL) != SQLITE_OK)
        die("rt_idset");
    by_code = prep("SELECT id FROM state WHERE code = ?1", SQLITE_PREPARE_PERSISTENT);

    t0 = bq_now();
    for (size_t i = 0; i < n; i++) {
        struct spec q = {qs[i].text, qs[i].response, qs[i].theme, 0, qs[i].cycle};
        struct idset pass = {0}, hit = {0};
        int64_t ids[LIMIT];
        int n_ids = 0, rc, have_hits = 0;
        long long total;
        char list[LIMIT * 24 + 2];
        size_t len = 0;
        sqlite3_stmt *s;

        if (qs[i].sur) {
            sqlite3_reset(by_code);
            sqlite3_bind_text(by_code, 1, qs[i].sur, -1, SQLITE_STATIC);
            if (sqlite3_step(by_code) != SQLITE_ROW) {
                fprintf(stderr, "search_raw: no state %s\n", qs[i].sur);
                return 1;
            }
            q.sur_id = sqlite3_column_int64(by_code, 0);
        }
        /* The page of hits, by the store's plans. */
        if (q.match && q.sur_id) {
            struct spec rest = q;
            rest.match = NULL;
            collect(prep_spec(&rest, "SELECT r.id FROM recommendation r", "", NULL), &pass);
            if (qs[i].facets) {
                s = cached(FTS_MATCH " AND rt_idset(rowid, ?11)");
                bind_spec(s, &q, &pass);
                collect(s, &hit);
                have_hits = 1;
            }
            s = cached(FTS_MATCH " AND rt_idset(rowid, ?11)" RANKED);
            bind_spec(s, &q, &pass);
        } else if (q.match && (q.cycle || q.response || q.theme)) {
            struct spec rest = q;
            char sql[2048] = "SELECT f.rowid FROM recommendation_fts f"
                             " JOIN recommendation r ON r.id = f.rowid";
            rest.match = NULL;
            where_clause(&rest, sql, sizeof(sql));
            strncat(sql,
                    " AND recommendation_fts MATCH ?1 ORDER BY f.rank, f.rowid"
                    " LIMIT ?9 OFFSET ?10",
                    sizeof(sql) - strlen(sql) - 1);
            s = cached(sql);
            bind_spec(s, &q, NULL);
        } else if (q.match) {
            s = cached(FTS_MATCH RANKED);
            bind_spec(s, &q, NULL);
        } else {
            s = prep_spec(&q, "SELECT r.id FROM recommendation r",
                          " ORDER BY r.id LIMIT ?9 OFFSET ?10", NULL);
        }
        sqlite3_bind_int(s, 9, LIMIT);
        sqlite3_bind_int(s, 10, 0);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            ids[n_ids++] = sqlite3_column_int64(s, 0);
        if (rc != SQLITE_DONE)
            die(qs[i].text ? qs[i].text : "search");
        done(s);

        /* The total, when the page does not already say it. */
        total = n_ids;
        if (n_ids == LIMIT && have_hits) {
            total = hit.n;
        } else if (n_ids == LIMIT) {
            if (q.match && q.sur_id) {
                s = cached("SELECT count(*) FROM recommendation_fts"
                           " WHERE recommendation_fts MATCH ?1 AND rt_idset(rowid, ?11)");
                bind_spec(s, &q, &pass);
            } else if (q.match && !(q.cycle || q.response || q.theme)) {
                s = cached("SELECT count(*) FROM recommendation_fts"
                           " WHERE recommendation_fts MATCH ?1");
                bind_spec(s, &q, NULL);
            } else {
                s = prep_spec(&q, "SELECT count(*) FROM recommendation r", "", NULL);
            }
            if (sqlite3_step(s) != SQLITE_ROW)
                die("count");
            total = sqlite3_column_int64(s, 0);
            done(s);
        }

        /* The page's rows, states and themes, three statements for the page. */
        list[len++] = '[';
        for (int k = 0; k < n_ids; k++)
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%lld", k ? "," : "",
                                    (long long)ids[k]);
        list[len++] = ']';
        for (int k = 0; n_ids && k < 3; k++) {
            s = cached(load_sql[k]);
            sqlite3_bind_text(s, 1, list, (int)len, SQLITE_STATIC);
            while ((rc = sqlite3_step(s)) == SQLITE_ROW)
                take(s, load_cols[k]);
            if (rc != SQLITE_DONE)
                die("recommendations");
            done(s);
        }

        if (qs[i].facets) {
            for (int f = 0; f < 4; f++) {
                if (have_hits) {
                    struct spec rest = q;
                    rest.match = NULL;
                    s = prep_spec(&rest, facet_sql[f],
                                  " AND rt_idset(r.id, ?11) GROUP BY 1 ORDER BY 2 DESC, 1", &hit);
                } else {
                    s = prep_spec(&q, facet_sql[f], " GROUP BY 1 ORDER BY 2 DESC, 1", NULL);
                }
                while ((rc = sqlite3_step(s)) == SQLITE_ROW)
                    take(s, 2);
                if (rc != SQLITE_DONE)
                    die("facet");
                done(s);
            }
        }
        free(pass.bits);
        free(hit.bits);
        hits += (size_t)n_ids;
        sum += total;
        fprintf(out, "%lld\n", total);
    }
    t1 = bq_now();
    sqlite3_finalize(by_code);
    for (size_t k = 0; k < sizeof(cache) / sizeof(cache[0]) && cache[k].s; k++) {
        sqlite3_finalize(cache[k].s);
        free(cache[k].sql);
    }
    sqlite3_close(db);
    if (fclose(out) != 0) {
        perror(argv[3]);
        return 1;
    }
    printf("%zu %zu %lld %.6f\n", n, hits, sum, t1 - t0);
    free(qs);
    free(buf);
    return 0;
}
