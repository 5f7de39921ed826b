/* Tests of the SQLite store: opening, states, merging recommendations, search. */
#include <criterion/criterion.h>

#include <jansson.h>
#include <sqlite3.h>

#include <rightstrack/ledger.h>
#include <rightstrack/search.h>
#include <rightstrack/store.h>

#include "base/embedded.h"
#include "lib/testutil.h"

static struct rt_store *st;

/* The path of name in the scratch directory (static, one of four in turn). */
static const char *scratch(const char *name)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];

    snprintf(p, 256, "%s/%s", test_dir(), name);
    return p;
}

static void open_db(void)
{
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_store_open(&st, scratch("t.db"), RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
}

static void close_db(void)
{
    rt_store_close(st);
}

/* Closes the store and opens its file again, as the next command would. */
static void reopen(void)
{
    struct rt_error e = RT_ERROR_INIT;
    rt_store_close(st);
    cr_assert_eq(rt_store_open(&st, scratch("t.db"), 0, &e), 0, "%s", e.msg.buf);
}

/* Runs sql on the file name through a connection of plain SQLite, as another program
 * (or an older rightstrack) would. */
static void raw_exec(const char *name, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(scratch(name), &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static int64_t state(const char *name)
{
    int64_t id = 0;
    int rc = rt_store_state_find(st, name, strlen(name), &id, NULL);
    return rc == 0 ? id : rc;
}

static char *code_of(const char *name)
{
    struct rt_state_ref ref = {{0}, NULL};
    static char code[4];
    cr_assert_eq(rt_store_state_get(st, state(name), &ref, NULL), 0, "%s", name);
    memcpy(code, ref.code, 4);
    rt_free(ref.name);
    return code;
}

TestSuite(store, .init = open_db, .fini = close_db);

Test(store, missing_file_without_create)
{
    struct rt_store *s2 = NULL;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_store_open(&s2, "/nonexistent/x.db", 0, &e), RT_ENOTFOUND);
    cr_assert_null(s2);
    cr_assert_str_eq(e.file, "/nonexistent/x.db");
    rt_error_release(&e);
}

/* The number of the last migration compiled in (src/store/sqlite/schema/NNNN_*.sql). */
static int last_migration(void)
{
    int last = 0;
    for (const struct rt__embedded *e = rt__embedded; e->name; e++) {
        const char *b = strstr(e->name, "schema/");
        if (b && strtol(b + 7, NULL, 10) > last)
            last = (int)strtol(b + 7, NULL, 10);
    }
    return last;
}

Test(store, schema_is_applied_once)
{
    struct rt_store *again = NULL;
    cr_assert_geq(last_migration(), 3);
    cr_assert_eq(rt_store_schema_version(st), last_migration());
    cr_assert_eq(rt_store_open(&again, scratch("t.db"), 0, NULL), 0);
    cr_assert_eq(rt_store_schema_version(again), last_migration());
    rt_store_close(again);
}

Test(store, states_by_code_name_and_variant)
{
    cr_assert_str_eq(code_of("BLR"), "BLR");
    cr_assert_str_eq(code_of("by"), "BLR");
    cr_assert_str_eq(code_of("Republic of Belarus"), "BLR");
    cr_assert_str_eq(code_of("Iran (Islamic Republic of)"), "IRN");
    cr_assert_str_eq(code_of("Venezuela (Bolivarian Republic of)"), "VEN");
    cr_assert_str_eq(code_of("DPR Korea"), "PRK");
    cr_assert_str_eq(code_of("Republic of Korea"), "KOR");
    cr_assert_str_eq(code_of("Macedonia FYR"), "MKD");
    cr_assert_str_eq(code_of("the former Yugoslav Republic of Macedonia"), "MKD");
    cr_assert_str_eq(code_of("Viet Nam"), "VNM");
    cr_assert_str_eq(code_of("St Kitts & Nevis"), "KNA");
    cr_assert_str_eq(code_of("C\xc3\xb4te d'Ivoire"), "CIV");
    cr_assert_str_eq(code_of("Democratic Republic of Congo"), "COD");
    cr_assert_str_eq(code_of("Republic of Congo"), "COG");
    cr_assert_eq(state("Atlantis"), RT_ENOTFOUND);
    cr_assert_eq(state("European Union"), RT_ENOTFOUND);
    cr_assert_eq(state(""), RT_ENOTFOUND);
}

static int64_t put(const char *text, int session, enum rt_response resp, int cat, unsigned *flags)
{
    struct rt_rec_in in = {0};
    int64_t id = 0;
    in.sur_id = state("BLR");
    in.session = session;
    in.cycle = 1;
    in.text = text;
    in.text_len = strlen(text);
    in.response = resp;
    in.action_category = cat;
    cr_assert_eq(rt_store_rec_put(st, &in, &id, flags, NULL), 0);
    return id;
}

/* One recommendation from two sources, inside and outside a transaction: both kept,
 * each with the strongest response it gave, in either order. */
Test(store, one_recommendation_keeps_every_source)
{
    struct rt_source a = {"upr-info", NULL, "a.csv", "aa"}, b = {"dihr", NULL, "b.xlsx", "bb"};
    struct rt_rec_in in = {0};
    int64_t sa, sb, id1, id2, id3;
    unsigned f;
    int is_new;
    struct rt_rec r;

    cr_assert_eq(rt_store_source_put(st, &a, &sa, &is_new, NULL), 0);
    cr_assert_eq(rt_store_source_put(st, &b, &sb, &is_new, NULL), 0);
    in.sur_id = state("BLR");
    in.session = 22;
    in.text = "Abolish the death penalty";
    in.text_len = strlen(in.text);
    in.response = RT_RESPONSE_NOTED;
    in.source_id = sa;
    cr_assert_eq(rt_store_rec_put(st, &in, &id1, &f, NULL), 0); /* outside a transaction */
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    in.source_id = sb;
    in.response = RT_RESPONSE_SUPPORTED;
    cr_assert_eq(rt_store_rec_put(st, &in, &id2, &f, NULL), 0);
    in.response = RT_RESPONSE_NOTED; /* the same source again, weaker: kept supported */
    cr_assert_eq(rt_store_rec_put(st, &in, &id3, &f, NULL), 0);
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    cr_assert_eq(id1, id2);
    cr_assert_eq(id1, id3);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id1, &r, NULL), 0);
    cr_assert_eq(r.n_sources, 2);
    cr_assert_str_eq(r.sources[0].kind, "upr-info");
    cr_assert_str_eq(r.sources[0].path, "a.csv");
    cr_assert_eq(r.sources[0].response, RT_RESPONSE_NOTED);
    cr_assert_str_eq(r.sources[1].kind, "dihr");
    cr_assert_eq(r.sources[1].response, RT_RESPONSE_SUPPORTED);
    cr_assert_eq(r.response, RT_RESPONSE_SUPPORTED);
    rt_rec_release(&r);
}

Test(store, same_text_same_session_is_one_recommendation)
{
    unsigned f1, f2, f3;
    int64_t a = put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 4, &f1);
    int64_t b = put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 4, &f2);
    int64_t c = put("Abolish the death penalty", 22, RT_RESPONSE_NOTED, 4, &f3);
    cr_assert_eq(a, b);
    cr_assert_neq(a, c);
    cr_assert_eq(f1, RT_PUT_NEW);
    cr_assert_eq(f2, 0);
    cr_assert_eq(f3, RT_PUT_NEW);
}

Test(store, merge_does_not_depend_on_order)
{
    unsigned f;
    struct rt_rec r1, r2;
    int64_t a = put("Ratify CEDAW", 15, RT_RESPONSE_NOTED, 5, &f);
    put("Ratify CEDAW", 15, RT_RESPONSE_SUPPORTED, 3, &f);
    cr_assert_eq(f, RT_PUT_CONFLICT);
    int64_t b = put("Ratify CAT", 15, RT_RESPONSE_SUPPORTED, 3, &f);
    put("Ratify CAT", 15, RT_RESPONSE_NOTED, 5, &f);
    rt_rec_init(&r1);
    rt_rec_init(&r2);
    cr_assert_eq(rt_store_rec_get(st, a, &r1, NULL), 0);
    cr_assert_eq(rt_store_rec_get(st, b, &r2, NULL), 0);
    cr_assert_eq(r1.response, RT_RESPONSE_SUPPORTED);
    cr_assert_eq(r2.response, RT_RESPONSE_SUPPORTED);
    cr_assert_eq(r1.action_category, 5);
    cr_assert_eq(r2.action_category, 5);
    rt_rec_release(&r1);
    rt_rec_release(&r2);
}

Test(store, recommending_states_and_themes)
{
    unsigned f;
    int added;
    struct rt_rec r;
    int64_t id = put("Release all political prisoners", 8, RT_RESPONSE_NOTED, 5, &f);
    cr_assert_eq(rt_store_rec_add_by(st, id, state("Sweden"), &added, NULL), 0);
    cr_assert_eq(added, 1);
    cr_assert_eq(rt_store_rec_add_by(st, id, state("SWE"), &added, NULL), 0);
    cr_assert_eq(added, 0);
    cr_assert_eq(rt_store_rec_add_by(st, id, state("Norway"), &added, NULL), 0);
    cr_assert_eq(
        rt_store_rec_add_theme(st, id, "upr-info", "Detention", "official", 1, &added, NULL), 0);
    cr_assert_eq(added, 1);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id, &r, NULL), 0);
    cr_assert_eq(r.n_by, 2);
    cr_assert_str_eq(r.by[0].code, "NOR");
    cr_assert_str_eq(r.by[1].code, "SWE");
    cr_assert_eq(r.n_themes, 1);
    cr_assert_str_eq(r.themes[0].label, "Detention");
    cr_assert_str_eq(r.sur.code, "BLR");
    rt_rec_release(&r);
}

Test(store, queued_links_are_written_and_counted)
{
    unsigned f;
    int64_t by_new = 0, themes_new = 0;
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec r;
    int64_t id, id2;

    cr_assert_eq(rt_store_begin(st, NULL), 0);
    id = put("Release all political prisoners", 8, RT_RESPONSE_NOTED, 5, &f);
    id2 = put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 5, &f);
    /* More than a statement's worth, with repeats that are not new. */
    for (int i = 0; i < 3 * 32 + 5; i++) {
        cr_assert_eq(
            rt_store_rec_queue_by(st, i % 2 ? id : id2, state(i % 3 ? "Sweden" : "Norway"), NULL),
            0);
        cr_assert_eq(rt_store_rec_queue_theme(st, i % 2 ? id : id2, "upr-info",
                                              i % 4 ? "Detention" : "Death penalty", "official", 1,
                                              NULL),
                     0);
    }
    cr_assert_eq(rt_store_rec_queue_theme(st, id, "upr-info", "Detention", "guess", 1, &e),
                 RT_EINVAL);
    cr_assert_str_eq(e.field, "origin");
    rt_error_release(&e);
    cr_assert_eq(rt_store_rec_links_flush(st, &by_new, &themes_new, NULL), 0);
    /* Both recommendations with both states; id with Detention, id2 with both themes. */
    cr_assert_eq(by_new, 4);
    cr_assert_eq(themes_new, 3);
    /* Counted once: a second flush adds nothing. */
    cr_assert_eq(rt_store_rec_links_flush(st, &by_new, &themes_new, NULL), 0);
    cr_assert_eq(by_new, 4);
    cr_assert_eq(themes_new, 3);
    /* What is still queued at commit is written too. */
    cr_assert_eq(rt_store_rec_queue_by(st, id, state("Belarus"), NULL), 0);
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id, &r, NULL), 0);
    cr_assert_eq(r.n_by, 3);
    cr_assert_eq(r.n_themes, 1);
    rt_rec_release(&r);
}

Test(store, queued_links_go_with_a_rollback)
{
    unsigned f;
    int64_t id, by_new = 0;
    struct rt_rec r;

    id = put("Release all political prisoners", 8, RT_RESPONSE_NOTED, 5, &f);
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    cr_assert_eq(rt_store_rec_queue_by(st, id, state("Sweden"), NULL), 0);
    rt_store_rollback(st);
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    cr_assert_eq(rt_store_rec_links_flush(st, &by_new, NULL, NULL), 0);
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    cr_assert_eq(by_new, 0);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id, &r, NULL), 0);
    cr_assert_eq(r.n_by, 0);
    rt_rec_release(&r);
}

Test(store, rollback_takes_everything_back)
{
    unsigned f;
    struct rt_stats s = {0};
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    put("Something", 8, RT_RESPONSE_NOTED, 0, &f);
    rt_store_rollback(st);
    cr_assert_eq(rt_store_stats(st, 0, &s, NULL), 0);
    cr_assert_eq(s.recommendations, 0);
    rt_stats_release(&s);
}

Test(store, search_ranks_filters_and_counts)
{
    unsigned f;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    put("Investigate allegations of torture", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    put("Prevent torture and torture-like treatment in detention", 8, RT_RESPONSE_NOTED, 4, &f);
    put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 5, &f);
    q.text = "tortured";
    q.facets = 1;
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 2);
    cr_assert_eq(res.n_hits, 2);
    /* bm25 puts the text that says torture twice first. */
    cr_assert(strstr(res.hits[0].text, "torture-like") != NULL);
    cr_assert_eq(res.n_facets, 4);
    cr_assert_str_eq(res.facets[0].name, "response");
    cr_assert_eq(res.facets[0].n, 2);
    rt_search_result_release(&res);

    q.response = RT_RESPONSE_NOTED;
    q.facets = 0;
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 1);
    rt_search_result_release(&res);

    q.text = "\"death penalty\" OR investigat*";
    q.response = -1;
    q.limit = 1;
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 2);
    cr_assert_eq(res.n_hits, 1);
    rt_search_result_release(&res);
}

Test(store, search_unknown_state_names_the_field)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    q.sur = "Atlantis";
    cr_assert_eq(rt_search(st, &q, &res, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "sur");
    rt_error_release(&e);
}

#include "store/sqlite/sqlite_int.h"

/* Appends the rows of every table of db, and its schema and settings, to out. */
static void db_contents(sqlite3 *db, struct rt_buf *out)
{
    sqlite3_stmt *tables = NULL, *s = NULL;

    for (const char *const *p =
             (const char *const[]){"user_version", "page_size", "journal_mode", "encoding", NULL};
         *p; p++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA %s", *p);
        cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
        rt_buf_addf(out, "%s=%s\n", *p, (const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT type, name, tbl_name, coalesce(sql, '') FROM"
                                    " sqlite_schema ORDER BY type, name",
                                    -1, &tables, NULL),
                 SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(tables, 0);
        const char *name = (const char *)sqlite3_column_text(tables, 1);
        char sql[256];
        int n;

        rt_buf_addf(out, "%s %s on %s: %s\n", type, name, sqlite3_column_text(tables, 2),
                    sqlite3_column_text(tables, 3));
        if (strcmp(type, "table") ||
            strstr((const char *)sqlite3_column_text(tables, 3), "VIRTUAL TABLE"))
            continue;
        snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", name);
        cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sql);
        n = sqlite3_column_count(s);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int i = 0; i < n; i++) {
                const unsigned char *v = sqlite3_column_blob(s, i);
                int kind = sqlite3_column_type(s, i), len = sqlite3_column_bytes(s, i);

                rt_buf_addf(out, "%s%d:", i ? "|" : "  ", kind);
                for (int k = 0; k < len; k++) /* blobs in hex, so that the dump is a string */
                    rt_buf_addf(out, kind == SQLITE_BLOB ? "%02x" : "%c", v[k]);
            }
            rt_buf_addch(out, '\n');
        }
        sqlite3_finalize(s);
    }
    sqlite3_finalize(tables);
}

/* A new database is the schema image written out (image.c): it must be the very
 * database the migrations build, row for row. */
Test(store, schema_image_is_what_the_migrations_build)
{
    struct rt_buf a = RT_BUF_INIT, b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *replayed;

    cr_assert(rt__image_available());
    cr_assert_eq(
        rt_store_open(&replayed, scratch("replayed.db"), RT_STORE_CREATE | RT__STORE_NO_IMAGE, &e),
        0, "%s", e.msg.buf);
    db_contents(st->db, &a);
    db_contents(replayed->db, &b);
    rt_store_close(replayed);
    cr_assert_gt(a.len, 40000, "%zu", a.len); /* states, names, sessions, the taxonomy */
    cr_assert(strstr(a.buf, "BLR") && strstr(a.buf, "belarus"));
    cr_assert(strstr(a.buf, "table word on word"));
    cr_assert_eq(a.len, b.len);
    cr_assert(!memcmp(a.buf, b.buf, a.len), "the image and the migrations differ");
    rt_buf_release(&a);
    rt_buf_release(&b);
}

/* A database is not created over an existing file, and a failed write leaves none. */
Test(store, image_write_refuses_what_it_cannot_write)
{
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt__image_write(scratch("no/such/dir/x.db"), &e), RT_EIO);
    cr_assert(strstr(e.msg.buf, "cannot create database"), "%s", e.msg.buf);
    rt_error_release(&e);
    /* Another process made the file first: it stays as it is. */
    cr_assert_eq(rt__image_write(scratch("t.db"), &e), 0);
    cr_assert_eq(rt_store_schema_version(st), last_migration());
}

/* The stem of the table word's entry for w, or "" (static). */
static const char *stem_of(const char *w)
{
    static char out[64];
    sqlite3_stmt *s = NULL;

    cr_assert_eq(sqlite3_prepare_v2(st->db, "SELECT stem FROM word WHERE word = ?1", -1, &s, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(s, 1, w, -1, SQLITE_STATIC);
    snprintf(out, sizeof(out), "%s",
             sqlite3_step(s) == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : "");
    sqlite3_finalize(s);
    return out;
}

/* The index holds stems; the table word the words whose stems differ, for prefixes. */
Test(store, prefixes_find_words_whose_stems_are_shorter)
{
    unsigned f;
    struct rt_buf expr = RT_BUF_INIT;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};

    put("Investigate allegations of torture", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    put("Ratify the Optional Protocol", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    cr_assert_str_eq(stem_of("investigate"), "investig");
    cr_assert_str_eq(stem_of("allegations"), "alleg");
    cr_assert_str_eq(stem_of("of"), ""); /* its own stem */
    cr_assert_eq(rt__fts_expr(st, "investigat*", 11, &expr, NULL), 0);
    cr_assert_str_eq(expr.buf, "(\"investigat\" * OR \"investigate\")");
    rt_buf_reset(&expr);
    cr_assert_eq(rt__fts_expr(st, "\"of tortu\"* -Investigati*", 25, &expr, NULL), 0);
    cr_assert_str_eq(expr.buf, "\"of tortu\" * NOT \"Investigati\" *");
    rt_buf_reset(&expr);
    cr_assert_eq(rt__fts_expr(st, "\"allegations of investigat\"*", 28, &expr, NULL), 0);
    cr_assert_str_eq(expr.buf, "(\"allegations of investigat\" * OR"
                               " \"allegations of investigate\")");
    rt_buf_release(&expr);
    q.text = "\"investigate allegat\"* OR ratif*";
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 2);
    rt_search_result_release(&res);
}

/* Words noted in a transaction that rolled back are noted again when they come back. */
Test(store, words_survive_a_rollback)
{
    unsigned f;

    cr_assert_eq(rt_store_begin(st, NULL), 0);
    put("Ratify the convention", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    cr_assert_str_eq(stem_of("ratify"), "ratifi");
    cr_assert_eq(rt_store_begin(st, NULL), 0);
    put("Criminalise enforced disappearances", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    rt_store_rollback(st);
    cr_assert_str_eq(stem_of("disappearances"), "");
    put("Criminalise enforced disappearances", 8, RT_RESPONSE_SUPPORTED, 5, &f);
    cr_assert_str_eq(stem_of("disappearances"), "disappear");
    cr_assert_str_eq(stem_of("criminalise"), "criminalis");
}

/* A text changed outside the store's transactions is indexed by a trigger: its words
 * are kept when the store closes. */
Test(store, words_of_a_trigger_are_kept_at_close)
{
    unsigned f;
    int64_t id = put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 5, &f);
    char sql[128];

    snprintf(sql, sizeof(sql),
             "UPDATE recommendation SET text = 'Ratify the conventions' WHERE id = %lld",
             (long long)id);
    cr_assert_eq(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
    reopen();
    cr_assert_str_eq(stem_of("conventions"), "convent");
}

/* A database built by an older binary gets its derived data rebuilt on open. */
Test(store, stale_index_and_names_are_rebuilt)
{
    unsigned f;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};

    put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 5, &f);
    /* As an older binary left it: no index, no words, other names. */
    cr_assert_eq(sqlite3_exec(st->db,
                              "INSERT INTO recommendation_fts(recommendation_fts)"
                              " VALUES ('delete-all');"
                              "DELETE FROM word;"
                              "UPDATE meta SET value = 'old' WHERE key = 'tokenizer';"
                              "DELETE FROM state_name WHERE key = 'dpr korea';"
                              "UPDATE meta SET value = 'old' WHERE key = 'state_tables';",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    reopen();
    q.text = "penalties";
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 1);
    rt_search_result_release(&res);
    /* The rebuild noted the words again: a prefix that cuts into the stem finds it. */
    q.text = "penalt*";
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 1);
    rt_search_result_release(&res);
    cr_assert_str_eq(code_of("DPR Korea"), "PRK");
}

/* The text of a one-value PRAGMA on the store's connection (static). */
static const char *pragma(const char *name)
{
    static char out[32];
    sqlite3_stmt *s = NULL;
    char sql[64];

    snprintf(sql, sizeof(sql), "PRAGMA %s", name);
    cr_assert_eq(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* A load into an empty store: rollback journal, foreign keys checked once at commit. */
Test(store, load_checks_references_at_commit_and_restores_settings)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_stats stats = {0};
    unsigned f;
    int64_t id;

    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    cr_assert_str_eq(pragma("journal_mode"), "delete");
    cr_assert_str_eq(pragma("synchronous"), "2"); /* FULL */
    cr_assert_str_eq(pragma("foreign_keys"), "0");
    id = put("Release all political prisoners", 8, RT_RESPONSE_NOTED, 5, &f);
    cr_assert_eq(rt_store_rec_queue_by(st, id, state("Sweden"), NULL), 0);
    /* A link to a recommendation that does not exist: only the check at commit sees it. */
    cr_assert_eq(rt_store_rec_queue_by(st, id + 1000, state("Norway"), NULL), 0);
    cr_assert_eq(rt_store_commit(st, &e), RT_ESTORE);
    cr_assert(strstr(e.msg.buf, "recommendation_by has a broken reference to recommendation"), "%s",
              e.msg.buf);
    rt_error_release(&e);
    /* Rolled back, and the store's usual settings are back. */
    cr_assert_eq(rt_store_stats(st, 0, &stats, NULL), 0);
    cr_assert_eq(stats.recommendations, 0);
    rt_stats_release(&stats);
    cr_assert_str_eq(pragma("journal_mode"), "wal");
    cr_assert_str_eq(pragma("synchronous"), "1"); /* NORMAL */
    cr_assert_str_eq(pragma("foreign_keys"), "1");

    /* The same load without the broken link commits, and ends in WAL mode too. */
    cr_assert_eq(rt_store_begin_load(st, NULL), 0);
    id = put("Release all political prisoners", 8, RT_RESPONSE_NOTED, 5, &f);
    cr_assert_eq(rt_store_rec_queue_by(st, id, state("Sweden"), NULL), 0);
    cr_assert_eq(rt_store_commit(st, &e), 0, "%s", e.msg.buf);
    cr_assert_str_eq(pragma("journal_mode"), "wal");
    cr_assert_str_eq(pragma("foreign_keys"), "1");

    /* Into a store that holds recommendations, a load is an ordinary transaction:
     * the broken link fails where it is written. */
    cr_assert_eq(rt_store_begin_load(st, NULL), 0);
    cr_assert_str_eq(pragma("journal_mode"), "wal");
    cr_assert_str_eq(pragma("foreign_keys"), "1");
    cr_assert_eq(rt_store_rec_queue_by(st, id + 1000, state("Norway"), NULL), 0);
    cr_assert_eq(rt_store_rec_links_flush(st, NULL, NULL, &e), RT_ESTORE);
    cr_assert(strstr(e.msg.buf, "FOREIGN KEY"), "%s", e.msg.buf);
    rt_error_release(&e);
    rt_store_rollback(st);
}

/*
 * A fixed series of puts with twins both among rows already written and among rows
 * still queued (a load writes 32 at a time); returns each put's id and flags.
 */
static void put_series(struct rt_store *db, int load, int64_t *ids, unsigned *flags, size_t n)
{
    char text[64];
    size_t k = 0;

    cr_assert_eq(load ? rt_store_begin_load(db, NULL) : rt_store_begin(db, NULL), 0);
    for (int i = 0; i < 70; i++) {
        struct rt_rec_in in = {0};
        int twin = i >= 40 ? (i * 7) % 40 : i; /* from 40 on: twins of earlier rows */
        in.sur_id = (twin % 3) ? 1 : 2;
        in.session = i == 45 ? 9 : 8; /* one same text in another session: not a twin */
        in.cycle = 1;
        snprintf(text, sizeof(text), "Recommendation number %d", twin);
        in.text = text;
        in.text_len = strlen(text);
        in.response = i % 4 == 1 ? RT_RESPONSE_SUPPORTED : RT_RESPONSE_NOTED;
        in.action_category = i % 5;
        in.paragraph = i % 6 == 0 ? "90.1" : NULL;
        cr_assert_lt(k, n);
        cr_assert_eq(rt_store_rec_put(db, &in, &ids[k], &flags[k], NULL), 0);
        k++;
    }
    cr_assert_eq(rt_store_commit(db, NULL), 0);
}

/* Every column of every recommendation but created_at, one line each. */
static char *recs_dump(struct rt_store *db)
{
    struct rt_buf out = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;

    cr_assert_eq(sqlite3_prepare_v2(db->db,
                                    "SELECT id, mechanism, cycle, session, paragraph, sur_id,"
                                    " text, key_hash, response, action_category, source_id"
                                    " FROM recommendation ORDER BY id",
                                    -1, &s, NULL),
                 SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++)
            rt_buf_addf(&out, "%s|",
                        sqlite3_column_type(s, c) == SQLITE_NULL
                            ? "NULL"
                            : (const char *)sqlite3_column_text(s, c));
        rt_buf_addch(&out, '\n');
    }
    sqlite3_finalize(s);
    return rt_buf_detach(&out, NULL);
}

/* A load into an empty store queues its new recommendations and finds their twins in
 * memory: it must give the same rows, ids and flags as the one-row-at-a-time path. */
Test(store, load_writes_what_row_by_row_writes)
{
    struct rt_store *other = NULL;
    int64_t ids[2][80];
    unsigned flags[2][80];
    char *a, *b;
    struct rt_search_result res = {0};
    struct rt_query q = RT_QUERY_INIT;

    cr_assert_eq(rt_store_open(&other, scratch("other.db"), RT_STORE_CREATE, NULL), 0);
    put_series(st, 1, ids[0], flags[0], 80);
    put_series(other, 0, ids[1], flags[1], 80);
    for (int i = 0; i < 70; i++) {
        cr_assert_eq(ids[0][i], ids[1][i], "put %d", i);
        cr_assert_eq(flags[0][i], flags[1][i], "put %d", i);
    }
    cr_assert_eq(flags[0][45], RT_PUT_NEW);
    a = recs_dump(st);
    b = recs_dump(other);
    cr_assert_str_eq(a, b);
    cr_assert(strstr(a, "|90.1|"));
    rt_free(a);
    rt_free(b);
    /* Indexed too. */
    q.text = "recommendation";
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 41);
    rt_search_result_release(&res);
    rt_store_close(other);
}

/* A recommendation still queued in a load counts as data for the restore of an export. */
Test(store, queued_recommendations_count_for_an_export_restore)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = json_pack("{s:s, s:i, s:{}}", "format", "rightstrack", "version", 1, "tables");
    unsigned f;

    cr_assert_eq(rt_store_begin_load(st, NULL), 0);
    put("Queued, not yet written", 8, RT_RESPONSE_NOTED, 0, &f);
    cr_assert_eq(rt_store_import_export(st, "x.json", doc, &e), RT_EINVAL);
    cr_assert(strstr(e.msg.buf, "holds data"), "%s", e.msg.buf);
    rt_error_release(&e);
    rt_store_rollback(st);
    json_decref(doc);
}

/* A new database has 16 KiB pages; one made with other pages keeps them. */
Test(store, page_size_of_new_and_old_files)
{
    struct rt_store *old = NULL;
    const char *ps;

    cr_assert_str_eq(pragma("page_size"), "16384");
    raw_exec("old.db", "PRAGMA page_size = 4096; CREATE TABLE t(x)");
    cr_assert_eq(rt_store_open(&old, scratch("old.db"), 0, NULL), 0);
    {
        struct rt_store *keep = st;
        st = old;
        ps = pragma("page_size");
        cr_assert_str_eq(ps, "4096");
        cr_assert_gt(state("Belarus"), 0);
        st = keep;
    }
    rt_store_close(old);
}

/* With another connection to the file, a load keeps WAL (leaving it needs the only one). */
Test(store, load_keeps_wal_beside_another_connection)
{
    sqlite3 *other;

    cr_assert_eq(sqlite3_open(scratch("t.db"), &other), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(other, "SELECT count(*) FROM state", NULL, NULL, NULL), SQLITE_OK);
    cr_assert_eq(rt_store_begin_load(st, NULL), 0);
    cr_assert_str_eq(pragma("journal_mode"), "wal");
    cr_assert_str_eq(pragma("foreign_keys"), "0");
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    cr_assert_str_eq(pragma("foreign_keys"), "1");
    sqlite3_close(other);
}

/* The action category of recommendation id as the store reads it back. */
static void category_of(int64_t id, int *cat, char *origin, size_t cap, double *confidence)
{
    struct rt_rec r;
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id, &r, NULL), 0);
    *cat = r.action_category;
    snprintf(origin, cap, "%s", r.action_category_origin ? r.action_category_origin : "(none)");
    *confidence = r.action_category_confidence;
    rt_rec_release(&r);
}

Test(store, a_predicted_category_fills_only_a_missing_one)
{
    struct rt_error e = RT_ERROR_INIT;
    unsigned f;
    int64_t none = put("Ratify the Optional Protocol", 15, RT_RESPONSE_NOTED, 0, &f);
    int64_t official = put("Consider a moratorium", 15, RT_RESPONSE_NOTED, 3, &f);
    int64_t cleared = 0;
    char origin[16];
    double conf;
    int cat, set = -1;

    category_of(none, &cat, origin, sizeof(origin), &conf);
    cr_assert_eq(cat, 0);
    cr_assert_str_eq(origin, "(none)");

    cr_assert_eq(rt_store_rec_set_category(st, none, 5, "model", 0.75, &set, &e), 0, "%s",
                 e.msg.buf);
    cr_assert_eq(set, 1);
    category_of(none, &cat, origin, sizeof(origin), &conf);
    cr_assert_eq(cat, 5);
    cr_assert_str_eq(origin, "model");
    cr_assert_float_eq(conf, 0.75, 1e-9);

    /* The data's category stays, whatever the model says. */
    cr_assert_eq(rt_store_rec_set_category(st, official, 5, "model", 0.99, &set, &e), 0);
    cr_assert_eq(set, 0);
    category_of(official, &cat, origin, sizeof(origin), &conf);
    cr_assert_eq(cat, 3);
    cr_assert_str_eq(origin, "official");
    cr_assert_float_eq(conf, 1.0, 1e-9);

    /* Setting the same again changes nothing; a new prediction replaces the old. */
    cr_assert_eq(rt_store_rec_set_category(st, none, 5, "model", 0.75, &set, &e), 0);
    category_of(none, &cat, origin, sizeof(origin), &conf);
    cr_assert(cat == 5 && !strcmp(origin, "model") && conf == 0.75);
    cr_assert_eq(rt_store_rec_set_category(st, none, 4, "model", 0.5, &set, &e), 0);
    cr_assert_eq(set, 1);
    category_of(none, &cat, origin, sizeof(origin), &conf);
    cr_assert_eq(cat, 4);

    /* A person's category wins over a model's, and survives clearing the model's. */
    cr_assert_eq(rt_store_rec_set_category(st, none, 2, "person", 1.0, &set, &e), 0);
    cr_assert_eq(set, 1);
    cr_assert_eq(rt_store_rec_set_category(st, none, 4, "model", 0.9, &set, &e), 0);
    cr_assert_eq(set, 0);
    cr_assert_eq(rt_store_model_categories_clear(st, &cleared, &e), 0);
    cr_assert_eq(cleared, 0);
    category_of(none, &cat, origin, sizeof(origin), &conf);
    cr_assert(cat == 2 && !strcmp(origin, "person"), "%d %s", cat, origin);

    /* Bad arguments and unknown records. */
    cr_assert_eq(rt_store_rec_set_category(st, none, 6, "model", 0.5, &set, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "category");
    cr_assert_eq(rt_store_rec_set_category(st, none, 3, "official", 0.5, &set, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "origin");
    cr_assert_eq(rt_store_rec_set_category(st, none, 3, "model", 1.5, &set, &e), RT_EINVAL);
    cr_assert_eq(rt_store_rec_set_category(st, none + official + 100, 3, "model", 0.5, &set, &e),
                 RT_ENOTFOUND);
    rt_error_release(&e);
}

Test(store, search_by_category_finds_predicted_ones_too)
{
    struct rt_search_spec q = {0};
    struct rt_search_result res = {0};
    unsigned f;
    int64_t cleared = 0;
    int set;
    int64_t none = put("Ratify the Optional Protocol", 15, RT_RESPONSE_NOTED, 0, &f);
    int64_t official = put("Consider a moratorium", 15, RT_RESPONSE_NOTED, 5, &f);

    put("Continue the reform", 15, RT_RESPONSE_SUPPORTED, 2, &f);
    cr_assert_eq(rt_store_rec_set_category(st, none, 5, "model", 0.6, &set, NULL), 0);
    q.category = 5;
    q.response = -1;
    q.limit = 10;
    cr_assert_eq(rt_store_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 2);
    for (size_t i = 0; i < res.n_hits; i++) {
        cr_assert_eq(res.hits[i].action_category, 5);
        cr_assert_str_eq(res.hits[i].action_category_origin,
                         res.hits[i].id == official ? "official" : "model");
    }
    rt_search_result_release(&res);

    /* Once the model's categories are cleared, only the official one is left. */
    cr_assert_eq(rt_store_model_categories_clear(st, &cleared, NULL), 0);
    cr_assert_eq(cleared, 1);
    memset(&res, 0, sizeof(res));
    cr_assert_eq(rt_store_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 1);
    cr_assert_eq(res.hits[0].id, official);
    rt_search_result_release(&res);
}

/* Every row of the recommendation tables, as one string (rt_free it). */
static char *rec_rows(sqlite3 *db)
{
    static const char sql[] =
        "SELECT (SELECT coalesce(group_concat(id || '|' || mechanism || '|' || session || '|'"
        "        || text || '|' || key_hash || '|' || response || '|' || created_at, ';'), '')"
        "        FROM recommendation) || '#' ||"
        "       (SELECT coalesce(group_concat(rec_id || '|' || state_id, ';'), '')"
        "        FROM recommendation_by) || '#' ||"
        "       (SELECT coalesce(group_concat(rec_id || '|' || theme_id || '|' || origin, ';'), '')"
        "        FROM recommendation_theme)";
    sqlite3_stmt *s = NULL;
    char *out;

    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    out = rt_xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* Migration 8 rebuilds recommendation and recommendation_theme: run it again on a
 * database with data (user_version set back to 7) and nothing may change or be lost. */
Test(store, migration_8_keeps_every_row_and_check)
{
    unsigned f;
    int added;
    char *before, *after;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    int64_t id = put("Abolish the death penalty", 8, RT_RESPONSE_NOTED, 5, &f);

    put("Release all political prisoners", 9, RT_RESPONSE_SUPPORTED, 4, &f);
    cr_assert_eq(rt_store_rec_add_by(st, id, state("Sweden"), &added, NULL), 0);
    cr_assert_eq(
        rt_store_rec_add_theme(st, id, "upr-info", "Death penalty", "official", 1, &added, NULL),
        0);
    before = rec_rows(st->db);
    rt_store_close(st);
    raw_exec("t.db", "DROP TABLE word; PRAGMA user_version = 7");
    cr_assert_eq(rt_store_open(&st, scratch("t.db"), 0, NULL), 0);
    cr_assert_eq(rt_store_schema_version(st), last_migration());
    after = rec_rows(st->db);
    cr_assert_str_eq(after, before);
    q.text = "penalties";
    cr_assert_eq(rt_search(st, &q, &res, NULL), 0);
    cr_assert_eq(res.total, 1);
    rt_search_result_release(&res);
    /* The checks still hold, and the links still cascade. */
    cr_assert_eq(
        sqlite3_exec(st->db, "UPDATE recommendation SET response = 'maybe'", NULL, NULL, NULL),
        SQLITE_CONSTRAINT);
    cr_assert_eq(
        sqlite3_exec(st->db, "UPDATE recommendation SET mechanism = 'other'", NULL, NULL, NULL),
        SQLITE_CONSTRAINT);
    cr_assert_eq(
        sqlite3_exec(st->db, "UPDATE recommendation_theme SET origin = 'guess'", NULL, NULL, NULL),
        SQLITE_CONSTRAINT);
    cr_assert_eq(
        sqlite3_exec(st->db, "UPDATE recommendation SET mechanism = 'bilateral'", NULL, NULL, NULL),
        SQLITE_OK);
    cr_assert_eq(sqlite3_exec(st->db, "DELETE FROM recommendation", NULL, NULL, NULL), SQLITE_OK);
    rt_free(after);
    after = rec_rows(st->db);
    cr_assert_str_eq(after, "##");
    rt_free(before);
    rt_free(after);
}
