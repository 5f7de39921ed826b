/*
 * Benchmark driver, raw peer: the same queries as search_driver.c, run with
 * nothing but the SQLite API on a copy of the database whose full-text index
 * uses SQLite's built-in 'porter unicode61 remove_diacritics 2' tokenizer.
 * The query text goes to MATCH as it is (the query files hold valid FTS5
 * expressions). The SQL is the SQL src/store/sqlite/read.c runs: the page of
 * hits ranked by bm25, the count when the page is full, each hit's row, its
 * recommending states and its themes, and the four facet queries.
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
    if (q->theme)
        strncat(sql,
                " AND EXISTS (SELECT 1 FROM recommendation_theme rt"
                " JOIN theme t ON t.id = rt.theme_id WHERE rt.rec_id = r.id"
                " AND (t.label = ?8 COLLATE NOCASE OR t.code = ?8 COLLATE NOCASE))",
                size - strlen(sql) - 1);
}

static void bind_spec(sqlite3_stmt *s, const struct spec *q)
{
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

static sqlite3_stmt *prep_spec(const struct spec *q, const char *head, const char *tail)
{
    char sql[2048] = "";
    sqlite3_stmt *s;

    strncat(sql, head, sizeof(sql) - 1);
    where_clause(q, sql, sizeof(sql));
    strncat(sql, tail, sizeof(sql) - strlen(sql) - 1);
    s = prep(sql, 0);
    bind_spec(s, q);
    return s;
}

static const char *const facet_sql[4] = {
    "SELECT r.response, count(*) FROM recommendation r",
    "SELECT coalesce(r.cycle, 0), count(*) FROM recommendation r",
    "SELECT t.label, count(*) FROM recommendation r"
    " JOIN recommendation_theme rt ON rt.rec_id = r.id JOIN theme t ON t.id = rt.theme_id",
    "SELECT s.code, count(*) FROM recommendation r JOIN state s ON s.id = r.sur_id",
};

int main(int argc, char **argv)
{
    sqlite3_stmt *by_code, *rec, *by, *themes;
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
    by_code = prep("SELECT id FROM state WHERE code = ?1", SQLITE_PREPARE_PERSISTENT);
    rec = prep("SELECT r.id, r.mechanism, r.cycle, r.session, r.paragraph, r.text,"
               " s.code, s.name, r.response, r.action_category, r.source_id,"
               " src.path, r.created_at"
               " FROM recommendation r JOIN state s ON s.id = r.sur_id"
               " LEFT JOIN source src ON src.id = r.source_id WHERE r.id = ?1",
               SQLITE_PREPARE_PERSISTENT);
    by = prep("SELECT s.code, s.name FROM recommendation_by b JOIN state s"
              " ON s.id = b.state_id WHERE b.rec_id = ?1 ORDER BY s.name",
              SQLITE_PREPARE_PERSISTENT);
    themes = prep("SELECT t.vocabulary, t.label, rt.origin, rt.confidence"
                  " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
                  " WHERE rt.rec_id = ?1 ORDER BY t.vocabulary, t.label, rt.origin",
                  SQLITE_PREPARE_PERSISTENT);

    t0 = bq_now();
    for (size_t i = 0; i < n; i++) {
        struct spec q = {qs[i].text, qs[i].response, qs[i].theme, 0, qs[i].cycle};
        int64_t ids[LIMIT];
        int n_ids = 0, rc;
        long long total;
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
        /* The page of hits. */
        if (q.match) {
            struct spec rest = q;
            char sql[2048] = "SELECT f.rowid FROM recommendation_fts f"
                             " JOIN recommendation r ON r.id = f.rowid";
            rest.match = NULL;
            where_clause(&rest, sql, sizeof(sql));
            strncat(sql,
                    " AND recommendation_fts MATCH ?1 ORDER BY f.rank, f.rowid"
                    " LIMIT ?9 OFFSET ?10",
                    sizeof(sql) - strlen(sql) - 1);
            s = prep(sql, 0);
            bind_spec(s, &q);
        } else {
            s = prep_spec(&q, "SELECT r.id FROM recommendation r",
                          " ORDER BY r.id LIMIT ?9 OFFSET ?10");
        }
        sqlite3_bind_int(s, 9, LIMIT);
        sqlite3_bind_int(s, 10, 0);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            ids[n_ids++] = sqlite3_column_int64(s, 0);
        if (rc != SQLITE_DONE)
            die(qs[i].text ? qs[i].text : "search");
        sqlite3_finalize(s);

        /* The total, when the page does not already say it. */
        total = n_ids;
        if (n_ids == LIMIT) {
            s = prep_spec(&q, "SELECT count(*) FROM recommendation r", "");
            if (sqlite3_step(s) != SQLITE_ROW)
                die("count");
            total = sqlite3_column_int64(s, 0);
            sqlite3_finalize(s);
        }

        /* Each hit with its states and themes. */
        for (int k = 0; k < n_ids; k++) {
            sqlite3_reset(rec);
            sqlite3_bind_int64(rec, 1, ids[k]);
            if (sqlite3_step(rec) != SQLITE_ROW)
                die("recommendation");
            take(rec, 13);
            sqlite3_reset(by);
            sqlite3_bind_int64(by, 1, ids[k]);
            while ((rc = sqlite3_step(by)) == SQLITE_ROW)
                take(by, 2);
            if (rc != SQLITE_DONE)
                die("recommending states");
            sqlite3_reset(themes);
            sqlite3_bind_int64(themes, 1, ids[k]);
            while ((rc = sqlite3_step(themes)) == SQLITE_ROW)
                take(themes, 4);
            if (rc != SQLITE_DONE)
                die("themes");
        }

        if (qs[i].facets) {
            for (int f = 0; f < 4; f++) {
                s = prep_spec(&q, facet_sql[f], " GROUP BY 1 ORDER BY 2 DESC, 1");
                while ((rc = sqlite3_step(s)) == SQLITE_ROW)
                    take(s, 2);
                if (rc != SQLITE_DONE)
                    die("facet");
                sqlite3_finalize(s);
            }
        }
        hits += (size_t)n_ids;
        sum += total;
        fprintf(out, "%lld\n", total);
    }
    t1 = bq_now();
    sqlite3_reset(rec);
    sqlite3_reset(by);
    sqlite3_reset(themes);
    sqlite3_finalize(by_code);
    sqlite3_finalize(rec);
    sqlite3_finalize(by);
    sqlite3_finalize(themes);
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
