/* Tests of the PostgreSQL back end's connection module, COPY, lexemes and migrations
 * (src/store/pg/, issue 16), on a throwaway cluster (see test_pg_common.h). */
#include <pthread.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <rightstrack/ingest.h>
#include <rightstrack/search.h>

#include "auth/audit_int.h"

#include "base/alloc.h"
#include "lib/testutil.h"
#include "store/pg/pg_int.h"
#include "unit/store/test_pg_common.h"

static const char *user_now(struct rt_pg *pg)
{
    static char out[256];
    snprintf(out, sizeof(out), "%s", pg_value(pg, "who", "SELECT current_user"));
    snprintf(out + strlen(out), sizeof(out) - strlen(out), " %s",
             pg_value(pg, "tz", "SELECT current_setting('TimeZone')"));
    return out;
}

Test(pg, connects_from_a_string_a_url_and_the_environment)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg;
    char url[1024];
    const char *host = getenv("PGHOST"), *port = getenv("PGPORT");

    pg_ok(rt__pg_connect(pg_base(), &pg, &e), &e);
    cr_assert_str_eq(user_now(pg), "rt UTC");
    rt__pg_close(pg);

    cr_assert_not_null(host);
    snprintf(url, sizeof(url), "postgresql:///postgres?host=%s&port=%s&user=rt", host,
             port ? port : "5432");
    pg_ok(rt__pg_connect(url, &pg, &e), &e);
    cr_assert_str_eq(user_now(pg), "rt UTC");
    rt__pg_close(pg);

    /* PGHOST, PGPORT, PGUSER, PGDATABASE, as tests/lib/pg.sh sets them. */
    pg_ok(rt__pg_connect(NULL, &pg, &e), &e);
    cr_assert_str_eq(user_now(pg), "rt UTC");
    rt__pg_close(pg);
}

Test(pg, a_server_that_is_not_there_is_a_clear_error_without_the_password)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = (struct rt_pg *)&e;

    cr_assert_eq(rt__pg_connect("host=/nonexistent-rt port=5432 user=rt password=hunter2 "
                                "connect_timeout=2",
                                &pg, &e),
                 RT_EUNAVAIL);
    cr_assert_eq(e.code, RT_EUNAVAIL, "the web face answers 503 for it");
    cr_assert_null(pg);
    cr_assert(strstr(e.msg.buf, "cannot connect to PostgreSQL"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "/nonexistent-rt"), "%s", e.msg.buf);
    cr_assert_null(strstr(e.msg.buf, "hunter2"), "%s", e.msg.buf);
    cr_assert_null(strchr(e.msg.buf, '\n'), "one line: %s", e.msg.buf);
    rt_error_release(&e);

    cr_assert_eq(rt__pg_connect("postgresql://[", &pg, &e), RT_EINVAL, "a bad address: not 503");
    cr_assert(strstr(e.msg.buf, "cannot connect to PostgreSQL"), "%s", e.msg.buf);
    rt_error_release(&e);
}

Test(pg, a_statement_is_prepared_once_per_connection)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_prepare");

    for (int i = 0; i < 3; i++) {
        char n[16];
        const char *v[1] = {n};
        PGresult *r;

        snprintf(n, sizeof(n), "%d", i);
        r = rt__pg_exec(pg, "double", "SELECT $1::int * 2", 1, v, &e);
        cr_assert_not_null(r, "%s", e.msg.buf);
        cr_assert_eq(strtol(PQgetvalue(r, 0, 0), NULL, 10), 2 * i);
        PQclear(r);
    }
    cr_assert_eq(rt__pg_prepares(pg), 1);
    cr_assert_str_eq(pg_value(pg, "count_prepared",
                              "SELECT count(*) FROM pg_prepared_statements WHERE name = 'double'"),
                     "1");
    cr_assert_eq(rt__pg_prepares(pg), 2);
    rt__pg_close(pg);
}

Test(pg, an_sql_error_names_the_statement_and_its_sqlstate)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_sqlerror");

    cr_assert_null(rt__pg_exec(pg, "bad", "SELECT nosuchcolumn", 0, NULL, &e));
    cr_assert_eq(e.code, RT_ESTORE);
    cr_assert_str_eq(e.field, "bad");
    cr_assert(strstr(e.msg.buf, "nosuchcolumn"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "[SQLSTATE 42703]"), "%s", e.msg.buf);
    cr_assert_str_eq(rt__pg_sqlstate(pg), "42703");
    rt_error_release(&e);
    /* The connection is still good. */
    cr_assert_str_eq(pg_value(pg, "one", "SELECT 1"), "1");
    cr_assert_str_eq(rt__pg_sqlstate(pg), "");
    rt__pg_close(pg);
}

Test(pg, a_dropped_connection_is_made_again_with_its_statements)
{
    struct rt_pg *pg = pg_fresh("t_reconnect"), *other = pg_other("t_reconnect");
    char pid[32], sql[128];

    snprintf(pid, sizeof(pid), "%s", pg_value(pg, "pid", "SELECT pg_backend_pid()"));
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", pid);
    cr_assert_str_eq(pg_value(other, "kill", sql), "t");
    /* The next statement finds the connection gone, reconnects and runs. */
    cr_assert_str_neq(pg_value(pg, "pid", "SELECT pg_backend_pid()"), pid);
    cr_assert_eq(rt__pg_resets(pg), 1);
    cr_assert_eq(rt__pg_prepares(pg), 2, "prepared again in the new session");
    cr_assert_str_eq(pg_value(pg, "tz", "SELECT current_setting('TimeZone')"), "UTC");
    rt__pg_close(pg);
    rt__pg_close(other);
}

struct clash {
    struct rt_pg *other;
    int runs;
};

/* Reads the table and adds a row; on its first run another client does the same and
 * commits in between, so that PostgreSQL must abort one of the two. */
static int clash_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    struct clash *c = ctx;
    struct rt_error e = RT_ERROR_INIT;
    PGresult *r;

    c->runs++;
    if (!(r = rt__pg_exec(pg, "count", "SELECT count(*) FROM t", 0, NULL, err)))
        return RT_ESTORE;
    PQclear(r);
    if (c->runs == 1) {
        pg_ok(rt__pg_run(c->other,
                         "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT count(*) FROM t;"
                         " INSERT INTO t VALUES (2); COMMIT",
                         &e),
              &e);
    }
    if (!(r = rt__pg_exec(pg, "add", "INSERT INTO t VALUES (1)", 0, NULL, err)))
        return RT_ESTORE;
    PQclear(r);
    return 0;
}

Test(pg, a_serialization_failure_runs_the_transaction_again)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_serial");
    struct clash c = {pg_other("t_serial"), 0};
    int tries = 0;

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int)", &e), &e);
    pg_ok(rt__pg_transaction(pg, clash_txn, &c, &tries, &e), &e);
    cr_assert_eq(tries, 2);
    cr_assert_eq(c.runs, 2);
    cr_assert_str_eq(pg_value(pg, "rows", "SELECT string_agg(v::text, ',' ORDER BY v) FROM t"),
                     "1,2", "the other client's row and ours, once");
    rt__pg_close(c.other);
    rt__pg_close(pg);
}

struct raise {
    const char *code;
    int fail_runs, runs;
};

static int raise_txn(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    struct raise *x = ctx;
    char sql[256];

    if (rt__pg_run(pg, "INSERT INTO t VALUES (1)", err) < 0)
        return RT_ESTORE;
    if (++x->runs > x->fail_runs)
        return 0;
    if (!x->code)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "v", "not a database error");
    snprintf(sql, sizeof(sql),
             "DO $$ BEGIN RAISE EXCEPTION 'made to fail' USING ERRCODE = '%s'; END $$", x->code);
    return rt__pg_run(pg, sql, err);
}

Test(pg, a_deadlock_runs_the_transaction_again)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_deadlock");
    struct raise x = {"40P01", 1, 0};
    int tries = 0;

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int)", &e), &e);
    pg_ok(rt__pg_transaction(pg, raise_txn, &x, &tries, &e), &e);
    cr_assert_eq(tries, 2);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM t"), "1",
                     "the failed run rolled back");
    rt__pg_close(pg);
}

Test(pg, retries_are_bounded_and_say_so)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_giveup");
    struct raise x = {"40001", 100, 0};
    int tries = 0;

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int)", &e), &e);
    cr_assert_eq(rt__pg_transaction(pg, raise_txn, &x, &tries, &e), RT_ESTORE);
    cr_assert_eq(tries, RT_PG_TRIES);
    cr_assert_eq(x.runs, RT_PG_TRIES);
    cr_assert(strstr(e.msg.buf, "gave up after 5 tries"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "SQLSTATE 40001"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM t"), "0");
    rt__pg_close(pg);
}

Test(pg, other_errors_are_not_retried_and_roll_back)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_noretry");
    struct raise x = {NULL, 1, 0}, y = {"23505", 1, 0};
    int tries = 0;

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int)", &e), &e);
    cr_assert_eq(rt__pg_transaction(pg, raise_txn, &x, &tries, &e), RT_EINVAL);
    cr_assert_eq(tries, 1);
    cr_assert_str_eq(e.field, "v");
    rt_error_release(&e);
    cr_assert_eq(rt__pg_transaction(pg, raise_txn, &y, &tries, &e), RT_ESTORE);
    cr_assert_eq(tries, 1);
    cr_assert(strstr(e.msg.buf, "made to fail"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM t"), "0");
    rt__pg_close(pg);
}

Test(pg, copy_carries_every_byte_but_nul)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_copy");
    struct rt_pg_copy *c;
    static const char *const cols[] = {"n", "v"};
    static const char *const vals[] = {
        "plain", "tab\there", "line\nbreak",        "cr\rlf\r\n", "back\\slash",
        "\\N",   "",          "Côte d’Ivoire — 国", "\\.",        "end\\"};
    long rows = 0;
    char n[24];

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (n int, v text)", &e), &e);
    pg_ok(rt__pg_copy_begin(pg, "t", cols, 2, &c, &e), &e);
    for (size_t i = 0; i < RT_ARRAY_SIZE(vals); i++) {
        const char *row[2] = {n, vals[i]};
        snprintf(n, sizeof(n), "%zu", i);
        pg_ok(rt__pg_copy_row(c, row, NULL, &e), &e);
    }
    {
        const char *row[2] = {"99", NULL};
        pg_ok(rt__pg_copy_row(c, row, NULL, &e), &e);
    }
    {
        const char *row[2] = {"100", "a\0b"};
        const size_t lens[2] = {3, 3};
        cr_assert_eq(rt__pg_copy_row(c, row, lens, &e), RT_EINVAL);
        cr_assert(strstr(e.msg.buf, "NUL"), "%s", e.msg.buf);
        rt_error_release(&e);
    }
    pg_ok(rt__pg_copy_end(c, &rows, &e), &e);
    rt__pg_copy_abort(c);
    cr_assert_eq(rows, (long)RT_ARRAY_SIZE(vals) + 1);
    for (size_t i = 0; i < RT_ARRAY_SIZE(vals); i++) {
        const char *v[1] = {n};
        PGresult *r;
        snprintf(n, sizeof(n), "%zu", i);
        r = rt__pg_exec(pg, "get", "SELECT v FROM t WHERE n = $1", 1, v, &e);
        cr_assert_not_null(r, "%s", e.msg.buf);
        cr_assert_eq(PQntuples(r), 1);
        cr_assert_str_eq(PQgetvalue(r, 0, 0), vals[i], "row %zu", i);
        cr_assert_eq(PQgetisnull(r, 0, 0), 0);
        PQclear(r);
    }
    cr_assert_str_eq(pg_value(pg, "null", "SELECT v IS NULL FROM t WHERE n = 99"), "t");
    rt__pg_close(pg);
}

Test(pg, a_refused_row_leaves_nothing_of_the_copy)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_copybad");
    struct rt_pg_copy *c;
    static const char *const cols[] = {"v"};

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int CHECK (v < 100))", &e), &e);
    pg_ok(rt__pg_copy_begin(pg, "t", cols, 1, &c, &e), &e);
    for (int i = 0; i < 5000; i++) {
        char n[16];
        const char *row[1] = {n};
        snprintf(n, sizeof(n), "%d", i == 4000 ? 100 : i % 100);
        pg_ok(rt__pg_copy_row(c, row, NULL, &e), &e);
    }
    cr_assert_eq(rt__pg_copy_end(c, NULL, &e), RT_ESTORE);
    rt__pg_copy_abort(c);
    cr_assert(strstr(e.msg.buf, "COPY into t failed"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "line 4001"), "names the row: %s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "none of its rows was stored"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM t"), "0");
    rt__pg_close(pg);
}

struct terms {
    char list[64][64];
    int n;
};

static int collect(void *ctx, const char *term, size_t len, size_t start, size_t end, int co)
{
    struct terms *t = ctx;
    (void)start;
    (void)end;
    (void)co;
    for (int i = 0; i < t->n; i++)
        if (strlen(t->list[i]) == len && !memcmp(t->list[i], term, len))
            return 0;
    cr_assert_lt(t->n, 64);
    snprintf(t->list[t->n++], 64, "%.*s", (int)len, term);
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(a, b);
}

Test(pg, the_index_holds_our_tokenizers_terms)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_lexemes");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    static const char text[] = "Abolishing the death penalty: the State's courts, "
                               "Côte d'Ivoire and ÉTATS-UNIS, 2016/17 and 国家";
    struct terms want = {.n = 0};
    struct rt_buf tsv = RT_BUF_INIT, joined = RT_BUF_INIT;
    const char *v[1];
    PGresult *r;

    cr_assert_not_null(tok);
    rt_tokenize(tok, text, strlen(text), 0, collect, &want);
    qsort(want.list, (size_t)want.n, sizeof(want.list[0]), by_bytes);
    for (int i = 0; i < want.n; i++)
        rt_buf_addf(&joined, "%s%s", i ? " " : "", want.list[i]);
    rt__pg_tsvector(tok, text, strlen(text), &tsv);
    v[0] = tsv.buf;
    r = rt__pg_exec(
        pg, "lexemes",
        "SELECT array_to_string(ARRAY(SELECT x FROM unnest(tsvector_to_array($1::tsvector))"
        " x ORDER BY x COLLATE \"C\"), ' '), $1::tsvector @@ 'penalti & death'::tsquery,"
        " $1::tsvector @@ 'the'::tsquery",
        1, v, &e);
    cr_assert_not_null(r, "%s: %s", tsv.buf, e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), joined.buf, "tsvector %s", tsv.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 1), "t");
    /* PostgreSQL's English configuration would drop "the"; our lexemes keep it. */
    cr_assert_str_eq(PQgetvalue(r, 0, 2), "t");
    PQclear(r);
    cr_assert(strstr(tsv.buf, "'death':3"), "positions from 1 in order: %s", tsv.buf);
    rt_buf_release(&tsv);
    rt_buf_release(&joined);
    rt_tokenizer_free(tok);
    rt__pg_close(pg);
}

/* Notes each term of a text at its position, as the import's copy does (ops.c). */
struct lex_note {
    struct rt_pg_lexemes *lx;
    long pos;
};

static int note_lexeme(void *ctx, const char *term, size_t len, size_t start, size_t end,
                       int colocated)
{
    struct lex_note *n = ctx;

    (void)start;
    (void)end;
    if (!colocated)
        rt__pg_lexemes_add(n->lx, term, len, ++n->pos);
    return 0;
}

Test(pg, packed_lexemes_through_a_binary_copy_equal_the_literal)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_lexbin");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_pg_lexemes lx = RT_PG_LEXEMES_INIT;
    struct rt_buf text = RT_BUF_INIT, lit = RT_BUF_INIT, bin = RT_BUF_INIT;
    static const char *const cols[] = {"id", "bin"};
    struct rt_pg_copy *c;
    const char *v[2];
    size_t lens[2];
    long rows = 0;
    PGresult *r;

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (id bigint, bin tsvector)", &e), &e);
    pg_ok(rt__pg_copy_begin_binary(pg, "t", cols, 2, &c, &e), &e);
    for (int row = 0; row < 3; row++) {
        static const char id[3][8] = {
            {0, 0, 0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 2}, {0, 0, 0, 0, 0, 0, 0, 3}};
        struct lex_note n = {&lx, 0};
        rt_buf_reset(&text);
        if (row == 0) /* repeated words, in no order, accents, another script */
            rt_buf_adds(&text,
                        "the death penalty, the State's death penalty, Côte d'Ivoire 国家 the");
        else if (row == 1) /* more than 256 positions of a word, past position 16383 */
            for (int i = 0; i < 17000; i++)
                rt_buf_adds(&text, i % 3 ? "rights " : "zebra ");
        /* row 2: no words at all */
        rt_tokenize(tok, text.buf ? text.buf : "", text.len, 0, note_lexeme, &n);
        rt_buf_reset(&bin);
        rt__pg_lexemes_pack(&lx, &bin);
        v[0] = id[row];
        v[1] = bin.buf;
        lens[0] = 8;
        lens[1] = bin.len;
        pg_ok(rt__pg_copy_row_binary(c, v, lens, &e), &e);
    }
    pg_ok(rt__pg_copy_end(c, &rows, &e), &e);
    rt__pg_copy_abort(c);
    cr_assert_eq(rows, 3);
    for (int row = 0; row < 3; row++) {
        char id[8];
        rt_buf_reset(&text);
        if (row == 0)
            rt_buf_adds(&text,
                        "the death penalty, the State's death penalty, Côte d'Ivoire 国家 the");
        else if (row == 1)
            for (int i = 0; i < 17000; i++)
                rt_buf_adds(&text, i % 3 ? "rights " : "zebra ");
        rt_buf_reset(&lit);
        rt__pg_tsvector(tok, text.buf ? text.buf : "", text.len, &lit);
        snprintf(id, sizeof(id), "%d", row + 1);
        v[0] = id;
        v[1] = lit.buf ? lit.buf : "";
        r = rt__pg_exec(
            pg, "lexbin",
            "SELECT bin = $2::tsvector, bin::text, length(bin) FROM t WHERE id = $1::bigint", 2, v,
            &e);
        cr_assert_not_null(r, "%s", e.msg.buf);
        cr_assert_eq(PQntuples(r), 1);
        cr_assert_str_eq(PQgetvalue(r, 0, 0), "t", "row %d: %s", row + 1, PQgetvalue(r, 0, 1));
        if (row == 0)
            cr_assert(strstr(PQgetvalue(r, 0, 1), "'death':2,"), "%s", PQgetvalue(r, 0, 1));
        if (row == 2)
            cr_assert_str_eq(PQgetvalue(r, 0, 2), "0");
        PQclear(r);
    }
    rt__pg_lexemes_release(&lx);
    rt_buf_release(&text);
    rt_buf_release(&lit);
    rt_buf_release(&bin);
    rt_tokenizer_free(tok);
    rt__pg_close(pg);
}

Test(pg, a_lexeme_with_a_quote_or_a_backslash_is_escaped)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_lexquote");
    struct rt_buf tsv = RT_BUF_INIT;
    struct rt_tokenizer *tok = rt_tokenizer_new(NULL);
    const char *v[1];
    PGresult *r;

    /* Our tokenizer never makes such terms today; the literal must still hold them. */
    rt__pg_tsvector(tok, "plain", 5, &tsv);
    rt_buf_adds(&tsv, " 'it''s':2 'back\\\\slash':3");
    v[0] = tsv.buf;
    r = rt__pg_exec(pg, "lex", "SELECT array_to_string(tsvector_to_array($1::tsvector), '|')", 1, v,
                    &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "back\\slash|it's|plain");
    PQclear(r);
    rt_buf_release(&tsv);
    rt_tokenizer_free(tok);
    rt__pg_close(pg);
}

Test(pg, migrations_apply_once_and_again_change_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_migrate"), *other = pg_other("t_migrate");
    int v1 = 0, v2 = 0;

    pg_ok(rt__pg_migrate(pg, &v1, &e), &e);
    cr_assert_eq(v1, 26); /* the last migration of src/store/pg/schema */
    cr_assert_str_eq(pg_value(pg, "v", "SELECT value FROM meta WHERE key = 'pg_schema'"), "26");
    pg_ok(rt__pg_migrate(other, &v2, &e), &e);
    cr_assert_eq(v2, 26);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM upr_session"), "50",
                     "0002's rows once");
    rt__pg_close(other);
    rt__pg_close(pg);
}

Test(pg, migration_26_gives_an_existing_databases_lexemes_their_paragraphs)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_mig26");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_buf want = RT_BUF_INIT;
    struct rt_pg_rec_row rows[2] = {
        {.id = "1",
         .mechanism = "upr",
         .session = "22",
         .sur_id = "1",
         .key_hash = "1",
         .response = "supported",
         .text = "Abolish the death penalty",
         .paragraph = "A/HRC/30/3, 127.1"},
        {.id = "2",
         .mechanism = "upr",
         .session = "22",
         .sur_id = "1",
         .key_hash = "2",
         .response = "noted",
         .text = "Ratify the Convention"},
    };
    const char *v[1];
    PGresult *r;
    int version = 0;

    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e), &e);
    pg_ok(rt__pg_load_recommendations(pg, tok, rows, 2, &e), &e);
    /* A database of schema 25: its lexemes are its texts' alone, and an index stored. */
    rt__pg_tsvector(tok, rows[0].text, strlen(rows[0].text), &want);
    v[0] = want.buf;
    r = rt__pg_exec(pg, "t_old",
                    "UPDATE recommendation_fts SET lexemes = $1::tsvector WHERE rec_id = 1", 1, v,
                    &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    PQclear(r);
    pg_ok(rt__pg_run(pg,
                     "INSERT INTO search_index VALUES (101, 0, 'text', 0, '\\x00');"
                     " UPDATE meta SET value = '25' WHERE key = 'pg_schema'",
                     &e),
          &e);
    cr_assert_str_eq(pg_value(pg, "p0",
                              "SELECT count(*) FROM recommendation_fts"
                              " WHERE lexemes @@ 'hrc'::tsquery"),
                     "0");
    pg_ok(rt__pg_migrate(pg, &version, &e), &e);
    cr_assert_eq(version, 26);
    rt_buf_reset(&want);
    rt__pg_tsvector_rec(tok, rows[0].text, strlen(rows[0].text), rows[0].paragraph,
                        strlen(rows[0].paragraph), &want);
    v[0] = want.buf;
    r = rt__pg_exec(pg, "t_new",
                    "SELECT lexemes = $1::tsvector, lexemes::text FROM recommendation_fts"
                    " WHERE rec_id = 1",
                    1, v, &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "t", "the paragraph's lexemes, weighted: %s",
                     PQgetvalue(r, 0, 1));
    PQclear(r);
    cr_assert_str_eq(pg_value(pg, "p1",
                              "SELECT string_agg(rec_id::text, ',') FROM recommendation_fts"
                              " WHERE lexemes @@ '''a'' <-> ''hrc'' <-> ''30'' <-> ''3'''"),
                     "1");
    cr_assert_str_eq(pg_value(pg, "p2", "SELECT count(*) FROM recommendation_fts"), "2",
                     "the one without a paragraph kept");
    cr_assert_str_eq(pg_value(pg, "p3", "SELECT count(*) FROM search_index"), "0",
                     "the index stored from the old lexemes, gone");
    rt_buf_release(&want);
    rt_tokenizer_free(tok);
    rt__pg_close(pg);
}

Test(pg, a_failed_migration_leaves_nothing_of_it)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_migbad");

    /* A table in the way of 0002: its migration fails as a whole, 0001 stays. */
    pg_ok(rt__pg_run(pg, "CREATE TABLE dialogue (x int)", &e), &e);
    cr_assert_eq(rt__pg_migrate(pg, NULL, &e), RT_ESTORE);
    cr_assert_str_eq(e.file, "src/store/pg/schema/0002_ledger.sql");
    cr_assert(strstr(e.msg.buf, "nothing of it applied"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "dialogue"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_str_eq(pg_value(pg, "v", "SELECT value FROM meta WHERE key = 'pg_schema'"), "1");
    cr_assert_str_eq(pg_value(pg, "r", "SELECT to_regclass('round') IS NULL"), "t");
    rt__pg_close(pg);
}

/* n recommendations of state 1, with texts about torture on every third. */
static struct rt_pg_rec_row *rec_rows(size_t n, char (*buf)[4][96])
{
    struct rt_pg_rec_row *rows = calloc(n, sizeof(*rows));
    cr_assert_not_null(rows);
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i][0], 96, "%zu", i + 1);
        snprintf(buf[i][1], 96, "%s number %zu", i % 3 ? "Ensure free elections" : "End torture",
                 i + 1);
        snprintf(buf[i][2], 96, "%zu", i * 7919);
        snprintf(buf[i][3], 96, "%zu", 1 + i % 40);
        rows[i] = (struct rt_pg_rec_row){.id = buf[i][0],
                                         .mechanism = "upr",
                                         .session = buf[i][3],
                                         .sur_id = "1",
                                         .text = buf[i][1],
                                         .key_hash = buf[i][2],
                                         .response = "supported"};
    }
    return rows;
}

Test(pg, recommendations_load_through_copy_with_their_lexemes)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_load");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    size_t n = 3000;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);

    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e), &e);
    pg_ok(rt__pg_load_recommendations(pg, tok, rows, n, &e), &e);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM recommendation"), "3000");
    cr_assert_str_eq(pg_value(pg, "f", "SELECT count(*) FROM recommendation_fts"), "3000");
    cr_assert_str_eq(pg_value(pg, "t",
                              "SELECT count(*) FROM recommendation_fts"
                              " WHERE lexemes @@ 'tortur'::tsquery"),
                     "1000");
    cr_assert_str_eq(pg_value(pg, "next",
                              "INSERT INTO recommendation(sur_id, text, key_hash)"
                              " VALUES (1, 'one more', 1) RETURNING id"),
                     "3001", "ids go on after the loaded ones");
    rt_tokenizer_free(tok);
    free(rows);
    free(buf);
    rt__pg_close(pg);
}

Test(pg, a_load_with_a_bad_row_stores_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_loadbad");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    size_t n = 2000;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);

    rows[1500].response = "maybe";
    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e), &e);
    cr_assert_eq(rt__pg_load_recommendations(pg, tok, rows, n, &e), RT_ESTORE);
    cr_assert(strstr(e.msg.buf, "COPY into recommendation failed"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "line 1501"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM recommendation"), "0");
    cr_assert_str_eq(pg_value(pg, "f", "SELECT count(*) FROM recommendation_fts"), "0");
    rt_tokenizer_free(tok);
    free(rows);
    free(buf);
    rt__pg_close(pg);
}

Test(pg, a_connection_dropped_inside_a_transaction_is_an_error_not_a_silent_reconnect)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_txdrop"), *other = pg_other("t_txdrop");
    char sql[128];

    pg_ok(rt__pg_run(pg, "CREATE TABLE t (v int)", &e), &e);
    pg_ok(rt__pg_begin(pg, "READ COMMITTED", &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO t VALUES (1)", &e), &e);
    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)",
             pg_value(pg, "pid", "SELECT pg_backend_pid()"));
    cr_assert_str_eq(pg_value(other, "kill", sql), "t");
    cr_assert_eq(rt__pg_run(pg, "INSERT INTO t VALUES (2)", &e), RT_ESTORE);
    cr_assert(strstr(e.msg.buf, "lost the connection to PostgreSQL"), "%s", e.msg.buf);
    cr_assert_eq(rt__pg_resets(pg), 0, "no reconnection inside the transaction");
    rt_error_release(&e);
    cr_assert_eq(rt__pg_end(pg, 0, NULL), 0);
    /* Outside it, the next statement reconnects; nothing of the transaction is there. */
    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM t"), "0");
    cr_assert_eq(rt__pg_resets(pg), 1);
    rt__pg_close(other);
    rt__pg_close(pg);
}

/* A prefix's other words, as ops.c's prefix_words gives them: "elections" for
 * "elections" (its stem, 'elect', does not begin with it). */
static int some_words(void *ctx, const char *prefix, size_t len, struct rt_buf *out,
                      struct rt_error *err)
{
    (void)ctx;
    (void)err;
    if (len == 9 && !memcmp(prefix, "elections", 9)) {
        rt_buf_adds(out, "elections");
        rt_buf_addch(out, '\0');
    }
    return 0;
}

/* The ids PostgreSQL's @@ finds for tsq, as "1,4,7". */
static void pg_matches(struct rt_pg *pg, const char *tsq, char *out, size_t cap)
{
    const char *v[1] = {tsq};
    struct rt_error e = RT_ERROR_INIT;
    PGresult *r = rt__pg_exec(pg, "t_at",
                              "SELECT coalesce(string_agg(rec_id::text, ',' ORDER BY rec_id), '')"
                              " FROM recommendation_fts WHERE lexemes @@ $1::tsquery",
                              1, v, &e);
    cr_assert_not_null(r, "%s: %s", tsq, e.msg);
    snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
}

Test(pg, the_text_index_in_memory_matches_as_postgresql_does)
{
    static const char *const texts[] = {
        "End torture now",
        "Ensure free elections and end torture",
        "Free the press; free speech",
        "O'Brien's report on torture\\abuse",
        "Elections elections elections",
        "Protect children and women",
        "End child labour",
        "Torture, torture and more torture in detention",
        "Article 30 of the Covenant",
    };
    /* Their paragraphs, indexed after the texts (weight B), as SQLite's second column. */
    static const char *const paragraphs[] = {
        "A/HRC/30/3, 127.1",
        "A/HRC/30/3, 127.2",
        NULL,
        NULL,
        NULL,
        NULL,
        "A/HRC/15/16, 30",
        NULL,
        NULL,
    };
    /* A query as users write it, and the tsquery that ops.c's render() writes from
     * its tree: the index evaluates the tree itself and must find what PostgreSQL's
     * @@ finds for the tsquery. */
    static const char *const queries[][2] = {
        {"torture", "'tortur'"},
        {"torture end", "('tortur' & 'end')"},
        {"torture OR elections", "('tortur' | 'elect')"},
        {"\"end torture\"", "('end' <-> 'tortur')"},
        {"free*", "('free':*)"},
        {"chil*", "('chil':*)"},
        {"\"end chil*\"", "(('end' <-> 'chil':*))"},
        {"torture -end", "('tortur' & !('end'))"},
        {"(free OR end) torture", "((('free' | 'end')) & 'tortur')"},
        {"zebra", "'zebra'"},
        {"\"end torture\" OR press", "(('end' <-> 'tortur') | 'press')"},
        {"torture NOT (end OR detention)", "('tortur' & !((('end' | 'detent'))))"},
        {"torture NOT (end NOT free)", "('tortur' & !((('end' & !('free')))))"},
        {"elections* OR child", "(('elections':* | 'elect') | 'child')"},
        /* The paragraph: a report's symbol, a paragraph's number; a bare number in the
         * text only; no phrase from the text into the paragraph. */
        {"A/HRC/30/3", "('a' <-> 'hrc' <-> '30' <-> '3')"},
        {"A/HRC/30/3 127.1", "(('a' <-> 'hrc' <-> '30' <-> '3') & ('127' <-> '1'))"},
        {"30", "'30':D"},
        {"30 OR 127*", "('30':D | ('127':*))"},
        {"\"labour a\"", "('labour' <-> 'a')"},
        {"hrc -30", "('hrc' & !('30':D))"},
    };
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_text");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    size_t n = sizeof(texts) / sizeof(*texts), found = 0;
    char buf[9][4][96];
    struct rt_pg_rec_row rows[9];
    struct rt__pg_text *tx = NULL;
    struct rt__pg_hit *hits;
    size_t nh;

    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i][0], 96, "%zu", i + 1);
        snprintf(buf[i][2], 96, "%zu", i * 7919);
        rows[i] = (struct rt_pg_rec_row){.id = buf[i][0],
                                         .mechanism = "upr",
                                         .session = "1",
                                         .sur_id = "1",
                                         .text = texts[i],
                                         .paragraph = paragraphs[i],
                                         .key_hash = buf[i][2],
                                         .response = "supported"};
    }
    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e), &e);
    pg_ok(rt__pg_load_recommendations(pg, tok, rows, n, &e), &e);
    pg_ok(rt__pg_text_load(pg, &tx, &e), &e);
    cr_assert_not_null(tx);
    {
        char got[64];
        pg_matches(pg, "('a' <-> 'hrc' <-> '30' <-> '3')", got, sizeof(got));
        cr_assert_str_eq(got, "1,2", "the report's symbol in the paragraphs");
        pg_matches(pg, "'30':D", got, sizeof(got));
        cr_assert_str_eq(got, "9", "a bare number in the text only, not the paragraph's 30");
        pg_matches(pg, "('labour' <-> 'a')", got, sizeof(got));
        cr_assert_str_eq(got, "", "no phrase from the text into the paragraph");
    }
    for (size_t q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
        char want[256], got[256] = "";
        size_t at = 0;
        struct rt_search_query *sq = NULL;
        pg_ok(rt_search_parse(queries[q][0], strlen(queries[q][0]), &sq, &e), &e);
        cr_assert_not_null(sq, "%s", queries[q][0]);
        pg_matches(pg, queries[q][1], want, sizeof(want));
        cr_assert_eq(rt__pg_text_match(tx, sq->root, tok, some_words, NULL, &hits, &nh, &e), 1,
                     "%s", queries[q][0]);
        for (size_t i = 0; i < nh; i++)
            at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%lld", i ? "," : "",
                                   (long long)hits[i].id);
        cr_assert_str_eq(got, want, "%s: in memory %s, PostgreSQL %s", queries[q][0], got, want);
        found += nh > 0;
        for (size_t i = 0; i < nh; i++)
            cr_assert_gt(hits[i].score, 0, "%s", queries[q][0]);
        rt_free(hits);
        rt_search_query_free(sq);
    }
    cr_assert_geq(found, 10, "most queries match something (%zu)", found);

    /* bm25: three tortures in a text of eight tokens above one in three. */
    {
        struct rt_search_node t1 = {.kind = RT_SEARCH_TERM, .text = "torture", .len = 7};
        cr_assert_eq(rt__pg_text_match(tx, &t1, tok, NULL, NULL, &hits, &nh, &e), 1);
        cr_assert_eq(nh, 4);
        cr_assert_eq(hits[0].id, 1);
        cr_assert_eq(hits[3].id, 8);
        cr_assert_gt(hits[3].score, hits[0].score);
        rt_free(hits);
    }

    /* A field the index does not hold is left to PostgreSQL (which refuses it). */
    {
        struct rt_search_node f = {
            .kind = RT_SEARCH_TERM, .text = "torture", .len = 7, .field = "title"};
        cr_assert_eq(rt__pg_text_match(tx, &f, tok, NULL, NULL, &hits, &nh, &e), 0);
        cr_assert_null(hits);
    }
    /* As bytes (what search_index keeps) and back: the same index, the same bytes
     * again, every query the same matches and scores; damaged or cut bytes refused. */
    {
        struct rt_buf b = RT_BUF_INIT, again = RT_BUF_INIT;
        struct rt__pg_text *copy;
        struct rt__pg_hit *h2;
        size_t n2;
        char *word[] = {"election", "elections", "électeur"},
             *stem[] = {"elect", "elect", "électeur"};
        struct rt__pg_words w = {word, stem, 3}, back = {NULL, NULL, 0};

        rt__pg_text_serialize(tx, &w, &b);
        copy = rt__pg_text_deserialize((const unsigned char *)b.buf, b.len, &back);
        cr_assert_not_null(copy);
        cr_assert_eq(back.n, 3, "the words kept with it");
        for (size_t i = 0; i < 3; i++) {
            cr_assert_str_eq(back.word[i], word[i]);
            cr_assert_str_eq(back.stem[i], stem[i]);
        }
        rt__pg_text_serialize(copy, &back, &again);
        cr_assert_eq(again.len, b.len);
        cr_assert(!memcmp(again.buf, b.buf, b.len), "read back, the same bytes");
        rt__pg_words_release(&back);
        /* The form before the words were kept (rtpgtx01) is refused: the tables are
         * read again. */
        memcpy(again.buf + 6, "01", 2);
        cr_assert_null(rt__pg_text_deserialize((const unsigned char *)again.buf, again.len, NULL));
        for (size_t q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
            struct rt_search_query *sq = NULL;
            pg_ok(rt_search_parse(queries[q][0], strlen(queries[q][0]), &sq, &e), &e);
            cr_assert_eq(rt__pg_text_match(tx, sq->root, tok, some_words, NULL, &hits, &nh, &e), 1);
            cr_assert_eq(rt__pg_text_match(copy, sq->root, tok, some_words, NULL, &h2, &n2, &e), 1);
            cr_assert_eq(n2, nh, "%s", queries[q][0]);
            for (size_t i = 0; i < nh; i++) {
                cr_assert_eq(h2[i].id, hits[i].id, "%s", queries[q][0]);
                cr_assert(h2[i].score == hits[i].score, "%s: the same score", queries[q][0]);
            }
            rt_free(hits);
            rt_free(h2);
            rt_search_query_free(sq);
        }
        for (size_t i = 0; i < b.len; i += 7) {
            b.buf[i] ^= 0x20;
            cr_assert_null(rt__pg_text_deserialize((const unsigned char *)b.buf, b.len, &back),
                           "byte %zu changed", i);
            b.buf[i] ^= 0x20;
        }
        for (size_t cut = 0; cut < b.len; cut += 5)
            cr_assert_null(rt__pg_text_deserialize((const unsigned char *)b.buf, cut, &back),
                           "cut %zu", cut);
        cr_assert_null(back.word, "nothing read from refused bytes");
        rt__pg_text_free(copy);
        rt_buf_release(&b);
        rt_buf_release(&again);
    }
    rt__pg_text_free(tx);
    rt_tokenizer_free(tok);
    rt__pg_close(pg);
}

/* The data version as a store on a connection of its own reads it (rt_store_version). */
static uint64_t store_version(struct rt_store *st)
{
    struct rt_error e = RT_ERROR_INIT;
    uint64_t v = 0;

    pg_ok(rt_store_version(st, &v, &e), &e);
    return v;
}

Test(pg, every_commit_that_writes_raises_the_version_that_every_connection_reads)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_version");
    struct rt_store *reader = NULL, *again = NULL;
    char url[1024];
    uint64_t v0, v1, v2, v3;

    snprintf(url, sizeof(url), "%s dbname=t_version", pg_base());
    /* The store makes the schema, and the triggers, when it opens. */
    pg_ok(rt_store_open(&reader, url, 0, &e), &e);
    cr_assert_str_eq(pg_value(writer, "n",
                              "SELECT count(*) FROM pg_class c WHERE c.relkind = 'r'"
                              " AND c.relnamespace = current_schema()::regnamespace"
                              " AND c.relname <> 'meta' AND NOT EXISTS (SELECT 1 FROM pg_trigger g"
                              " WHERE g.tgrelid = c.oid AND g.tgname = 'rt_data_version')"),
                     "0", "every table but meta has the trigger");
    v0 = store_version(reader);

    /* A write through another connection (as psql, another server or a CLI writer
     * would) shows at once in this one's version. */
    pg_ok(rt__pg_run(writer, "INSERT INTO state(code, name) VALUES ('ZZA', 'Zedland')", &e), &e);
    v1 = store_version(reader);
    cr_assert_gt(v1, v0, "an INSERT committed elsewhere raises the version (%llu, %llu)",
                 (unsigned long long)v0, (unsigned long long)v1);

    /* Several writes in one transaction: once, and only at its commit. */
    pg_ok(rt__pg_begin(writer, NULL, &e), &e);
    pg_ok(rt__pg_run(writer, "INSERT INTO state(code, name) VALUES ('ZZB', 'Bland')", &e), &e);
    pg_ok(rt__pg_run(writer, "UPDATE state SET name = 'Zedland!' WHERE code = 'ZZA'", &e), &e);
    cr_assert_eq(store_version(reader), v1, "not before the commit");
    pg_ok(rt__pg_end(writer, 1, &e), &e);
    v2 = store_version(reader);
    cr_assert_eq(v2, v1 + 1, "one commit, one step");

    /* A DELETE too; a rolled-back write and a read change nothing. */
    pg_ok(rt__pg_run(writer, "DELETE FROM state WHERE code = 'ZZB'", &e), &e);
    v3 = store_version(reader);
    cr_assert_eq(v3, v2 + 1);
    pg_ok(rt__pg_begin(writer, NULL, &e), &e);
    pg_ok(rt__pg_run(writer, "DELETE FROM state WHERE code = 'ZZA'", &e), &e);
    pg_ok(rt__pg_end(writer, 0, &e), &e);
    pg_ok(rt__pg_run(writer, "SELECT count(*) FROM state", &e), &e);
    cr_assert_eq(store_version(reader), v3, "a rollback and a read leave it");

    /* A second store, opened later (another server), reads the same number. */
    pg_ok(rt_store_open(&again, url, 0, &e), &e);
    cr_assert_eq(store_version(again), v3);
    rt_store_close(again);
    rt_store_close(reader);
    rt__pg_close(writer);
}

Test(pg, a_theme_added_by_another_client_is_known_at_once)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_theme");
    struct rt_store *st = NULL;
    char url[1024];

    snprintf(url, sizeof(url), "%s dbname=t_theme", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    cr_assert_eq(rt_store_theme_check(st, "Zebra crossings", &e), RT_EINVAL);
    cr_assert(strstr(e.msg.buf, "no theme matches 'Zebra crossings'"), "%s", e.msg.buf);
    rt_error_release(&e);
    /* Refused once, the answer is not kept: the theme another client adds is known
     * to the same store at the next check. */
    pg_ok(rt__pg_run(writer,
                     "INSERT INTO theme(vocabulary, label) VALUES ('test', 'Zebra crossings')", &e),
          &e);
    pg_ok(rt_store_theme_check(st, "Zebra crossings", &e), &e);
    /* A known one stays known (kept with the index), and an unknown one refused. */
    pg_ok(rt_store_theme_check(st, "Zebra crossings", &e), &e);
    cr_assert_eq(rt_store_theme_check(st, "Nothing like it", &e), RT_EINVAL);
    rt_error_release(&e);
    rt_store_close(st);
    rt__pg_close(writer);
}

/* The count of key in facet over every recommendation, as st's search gives it. */
static int64_t facet_n(struct rt_store *st, const char *facet, const char *key)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    int64_t n = 0;

    q.facets = 1;
    pg_ok(rt_search(st, &q, &res, &e), &e);
    for (size_t i = 0; i < res.n_facets; i++)
        for (size_t j = 0; j < res.facets[i].n && !strcmp(res.facets[i].name, facet); j++)
            if (!strcmp(res.facets[i].counts[j].key, key))
                n = res.facets[i].counts[j].n;
    rt_search_result_release(&res);
    return n;
}

#define FX_ROW "SELECT num FROM search_index WHERE facet = 100 AND pos = 0"

Test(pg, the_facet_index_is_stored_and_read_by_the_next_connection)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_fxkeep");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_store *st = NULL, *next = NULL, *third = NULL;
    size_t n = 30;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);
    char url[1024], v[32];

    snprintf(url, sizeof(url), "%s dbname=t_fxkeep", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    pg_ok(rt__pg_run(writer, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e),
          &e);
    pg_ok(rt__pg_load_recommendations(writer, tok, rows, n, &e), &e);
    cr_assert_str_eq(pg_value(writer, "c", "SELECT count(*) FROM search_index"), "0");

    /* The first search builds the index from the tables and stores it, at the data
     * version it was built at, without raising that version. */
    snprintf(v, sizeof(v), "%llu", (unsigned long long)store_version(st));
    cr_assert_eq(facet_n(st, "response", "supported"), 30);
    cr_assert_str_eq(pg_value(writer, "r", FX_ROW), v, "stored at the data version");
    cr_assert_eq(store_version(st), strtoull(v, NULL, 10), "storing it is not a write");

    /* A change no trigger sees (replica mode fires none: neither the version nor
     * schema 21's emptying) shows that the next connection reads the stored index. */
    pg_ok(rt__pg_run(writer, "SET session_replication_role = replica", &e), &e);
    pg_ok(rt__pg_run(writer, "UPDATE recommendation SET response = 'noted' WHERE id <= 5", &e), &e);
    pg_ok(rt__pg_run(writer, "SET session_replication_role = origin", &e), &e);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(facet_n(next, "response", "supported"), 30, "read from search_index");
    rt_store_close(next);

    /* A write as any client makes one raises the version: the stored index is no
     * longer used, the next connection builds it again and stores the new one. */
    pg_ok(rt__pg_run(writer, "UPDATE recommendation SET response = 'noted' WHERE id = 6", &e), &e);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(facet_n(next, "response", "supported"), 24);
    cr_assert_eq(facet_n(next, "response", "noted"), 6);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)store_version(next));
    cr_assert_str_eq(pg_value(writer, "r2", FX_ROW), v, "stored again");
    rt_store_close(next);

    /* Bytes that are not an index are not trusted: the index is built again. */
    pg_ok(rt__pg_run(writer, "SET session_replication_role = replica", &e), &e);
    pg_ok(rt__pg_run(writer, "UPDATE search_index SET bitmap = '\\x0102'", &e), &e);
    pg_ok(rt__pg_run(writer, "SET session_replication_role = origin", &e), &e);
    pg_ok(rt_store_open(&third, url, 0, &e), &e);
    cr_assert_eq(facet_n(third, "response", "noted"), 6);
    rt_store_close(third);
    rt_store_close(st);
    free(rows);
    free(buf);
    rt_tokenizer_free(tok);
    rt__pg_close(writer);
}

/* The total of a search for text, as st gives it. */
static int64_t text_total(struct rt_store *st, const char *text)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;
    int64_t n;

    q.text = text;
    pg_ok(rt_search(st, &q, &res, &e), &e);
    n = res.total;
    rt_search_result_release(&res);
    return n;
}

#define TX_ROW "SELECT num FROM search_index WHERE facet = 101 AND pos = 0"
#define TX_SUM "SELECT md5(bitmap) FROM search_index WHERE facet = 101 AND pos = 0"

Test(pg, the_text_index_is_stored_and_read_by_the_next_connection)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_txkeep");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_store *st = NULL, *next = NULL;
    size_t n = 30;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);
    char url[1024], v[32], sum[64];

    /* The text index from the first search with text (the default waits for three). */
    setenv("RT_PG_TEXT_AFTER", "0", 1);
    snprintf(url, sizeof(url), "%s dbname=t_txkeep", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    pg_ok(rt__pg_run(writer, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e),
          &e);
    pg_ok(rt__pg_load_recommendations(writer, tok, rows, n, &e), &e);
    cr_assert_str_eq(pg_value(writer, "c", "SELECT count(*) FROM search_index"), "0");

    /* The connection that reads it from the tables stores it, at the data version it
     * was read at, without raising that version. */
    snprintf(v, sizeof(v), "%llu", (unsigned long long)store_version(st));
    cr_assert_eq(text_total(st, "torture"), 10);
    cr_assert_str_eq(pg_value(writer, "r", TX_ROW), v, "stored at the data version");
    cr_assert_eq(store_version(st), strtoull(v, NULL, 10), "storing it is not a write");
    snprintf(sum, sizeof(sum), "%s", pg_value(writer, "s", TX_SUM));

    /* A change of the lexemes that no trigger sees (replica mode) shows that the next
     * connection reads the stored index, not the tables. */
    pg_ok(rt__pg_run(writer, "SET session_replication_role = replica", &e), &e);
    pg_ok(rt__pg_run(writer,
                     "UPDATE recommendation_fts SET lexemes = 'zebra:1'::tsvector WHERE rec_id = 1",
                     &e),
          &e);
    pg_ok(rt__pg_run(writer, "SET session_replication_role = origin", &e), &e);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(text_total(next, "torture"), 10, "read from search_index");
    cr_assert_eq(text_total(next, "zebra"), 0, "read from search_index");
    rt_store_close(next);
    /* The row holds the table word too (for a prefix's words): a connection that reads
     * the row reads nothing else, and answers with the table out of the way. */
    pg_ok(rt__pg_run(writer, "ALTER TABLE word RENAME TO word_away", &e), &e);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(text_total(next, "tortur*"), 10, "the words from search_index");
    rt_store_close(next);
    pg_ok(rt__pg_run(writer, "ALTER TABLE word_away RENAME TO word", &e), &e);
    /* With the default (three searches with text before the index is read), a kept
     * index is read at the first search that builds the facet index. */
    setenv("RT_PG_TEXT_AFTER", "3", 1);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(facet_n(next, "response", "supported"), 30);
    cr_assert_eq(text_total(next, "torture"), 10, "the kept index at the first search with text");
    rt_store_close(next);
    setenv("RT_PG_TEXT_AFTER", "0", 1);

    /* A write raises the version and empties the table: the next connection reads
     * the tables again and stores the new index at the new version. */
    pg_ok(rt__pg_run(writer, "UPDATE recommendation SET response = 'noted' WHERE id = 6", &e), &e);
    cr_assert_str_eq(pg_value(writer, "c2", "SELECT count(*) FROM search_index"), "0");
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(text_total(next, "torture"), 9);
    cr_assert_eq(text_total(next, "zebra"), 1);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)store_version(next));
    cr_assert_str_eq(pg_value(writer, "r2", TX_ROW), v, "stored again");
    cr_assert_str_neq(pg_value(writer, "s2", TX_SUM), sum, "a new index");
    snprintf(sum, sizeof(sum), "%s", pg_value(writer, "s3", TX_SUM));
    rt_store_close(next);

    /* A row of the wrong version is not used; damaged bytes are not trusted: the
     * index is read from the tables, and stored whole again. */
    pg_ok(rt__pg_run(writer, "SET session_replication_role = replica", &e), &e);
    pg_ok(rt__pg_run(writer,
                     "UPDATE recommendation_fts SET lexemes = 'zebra:1'::tsvector WHERE rec_id = 4",
                     &e),
          &e);
    pg_ok(rt__pg_run(writer, "UPDATE search_index SET num = num - 1 WHERE facet = 101", &e), &e);
    pg_ok(rt__pg_run(writer, "SET session_replication_role = origin", &e), &e);
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(text_total(next, "zebra"), 2, "another version's row is not read");
    rt_store_close(next);
    cr_assert_str_eq(pg_value(writer, "r3", TX_ROW), v, "stored at the version again");
    snprintf(sum, sizeof(sum), "%s", pg_value(writer, "s4", TX_SUM));
    pg_ok(rt__pg_run(writer, "SET session_replication_role = replica", &e), &e);
    pg_ok(rt__pg_run(writer,
                     "UPDATE recommendation_fts SET lexemes = 'zebra:1'::tsvector WHERE rec_id = 7",
                     &e),
          &e);
    pg_ok(rt__pg_run(writer,
                     "UPDATE search_index SET bitmap = overlay(bitmap placing '\\xff'::bytea"
                     " from 20 for 1) WHERE facet = 101",
                     &e),
          &e);
    pg_ok(rt__pg_run(writer, "SET session_replication_role = origin", &e), &e);
    cr_assert_str_neq(pg_value(writer, "s5", TX_SUM), sum, "damaged");
    pg_ok(rt_store_open(&next, url, 0, &e), &e);
    cr_assert_eq(text_total(next, "zebra"), 3, "a damaged row is not read");
    cr_assert_eq(text_total(next, "torture"), 7);
    rt_store_close(next);
    cr_assert_str_eq(pg_value(writer, "r4", TX_ROW), v);
    cr_assert_str_neq(pg_value(writer, "s6", TX_SUM), sum, "stored whole again, as read now");
    rt_store_close(st);
    free(rows);
    free(buf);
    rt_tokenizer_free(tok);
    rt__pg_close(writer);
}

Test(pg, a_statement_sent_ahead_gives_its_result_or_gives_way)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_ahead");
    PGresult *r;

    /* Only a statement already prepared is sent ahead. */
    cr_assert_eq(rt__pg_send(pg, "t_seven", "SELECT 7"), -1);
    r = rt__pg_take(pg, "t_seven", "SELECT 7", &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "7");
    PQclear(r);
    /* Sent, then taken: its own result. */
    cr_assert_eq(rt__pg_send(pg, "t_seven", "SELECT 7"), 0);
    r = rt__pg_take(pg, "t_seven", "SELECT 7", &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "7");
    PQclear(r);
    /* Sent, then another statement: that one runs (the one ahead is read and dropped),
     * and a later take runs its statement again. */
    cr_assert_eq(rt__pg_send(pg, "t_seven", "SELECT 7"), 0);
    cr_assert_str_eq(pg_value(pg, "t_eight", "SELECT 8"), "8");
    pg_ok(rt__pg_run(pg, "CREATE TABLE t_ahead_x(a int)", &e), &e);
    r = rt__pg_take(pg, "t_seven", "SELECT 7", &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), "7");
    PQclear(r);
    /* Sent and never taken: closing the connection drops it. */
    cr_assert_eq(rt__pg_send(pg, "t_seven", "SELECT 7"), 0);
    rt__pg_close(pg);
}

/* The first hit of a search for text on st, in *out (rt_rec_release). */
static void first_hit(struct rt_store *st, const char *text, struct rt_rec *out)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error e = RT_ERROR_INIT;

    q.text = text;
    pg_ok(rt_search(st, &q, &res, &e), &e);
    cr_assert_gt(res.n_hits, 0, "a hit for %s", text);
    *out = res.hits[0];
    rt_rec_init(&res.hits[0]);
    rt_search_result_release(&res);
}

/* The states, themes, recommendations rows and their links that the page rows' tests
 * start from (recommendation 1 by France, with an official and a model theme). */
static void rows_seed(struct rt_pg *writer, struct rt_tokenizer *tok,
                      const struct rt_pg_rec_row *rows, size_t n)
{
    struct rt_error e = RT_ERROR_INIT;

    pg_ok(rt__pg_run(writer,
                     "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus'),"
                     " (2, 'FRA', 'France'), (3, 'CAN', 'Canada');"
                     " INSERT INTO theme(id, vocabulary, label) VALUES (1, 'upr-info', 'Women'),"
                     " (2, 'upr-info', 'Torture')",
                     &e),
          &e);
    pg_ok(rt__pg_load_recommendations(writer, tok, rows, n, &e), &e);
    pg_ok(rt__pg_run(writer,
                     "INSERT INTO recommendation_by(rec_id, state_id) VALUES (1, 2);"
                     " INSERT INTO recommendation_theme(rec_id, theme_id, origin, confidence)"
                     " VALUES (1, 2, 'official', 1), (1, 1, 'model', 0.25)",
                     &e),
          &e);
    rt_error_release(&e);
}

Test(pg, page_rows_in_memory_show_a_write_by_another_connection_at_the_next_search)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_rows");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_store *st = NULL;
    size_t n = 30;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);
    struct rt_rec h;
    char url[1024];

    /* Both indexes and every page row in memory from the first search. */
    setenv("RT_PG_TEXT_AFTER", "0", 1);
    setenv("RT_PG_ROWS_AFTER", "0", 1);
    snprintf(url, sizeof(url), "%s dbname=t_rows", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    rows_seed(writer, tok, rows, n);

    first_hit(st, "torture", &h);
    cr_assert_eq(h.id, 1);
    cr_assert_str_eq(h.text, "End torture number 1");
    cr_assert_str_eq(h.sur.name, "Belarus");
    cr_assert_eq(h.n_by, 1);
    cr_assert_str_eq(h.by[0].name, "France");
    cr_assert_eq(h.n_themes, 2, "its themes, in label order");
    cr_assert_str_eq(h.themes[0].label, "Torture");
    cr_assert_str_eq(h.themes[1].label, "Women");
    cr_assert_str_eq(h.themes[1].origin, "model");
    cr_assert_float_eq(h.themes[1].confidence, 0.25, 1e-9);
    rt_rec_release(&h);

    /* A change that raises no data version (replica mode fires no trigger) is not
     * seen: the page's rows come from memory, not from the tables. */
    pg_ok(rt__pg_run(writer,
                     "SET session_replication_role = replica;"
                     " UPDATE state SET name = 'Unseen' WHERE id = 1;"
                     " SET session_replication_role = origin",
                     &e),
          &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.sur.name, "Belarus", "from memory");
    rt_rec_release(&h);

    /* A write by another connection raises the version: the next search on this
     * connection shows it, and the tables as they are now. */
    pg_ok(rt__pg_run(writer, "INSERT INTO recommendation_by(rec_id, state_id) VALUES (1, 3)", &e),
          &e);
    first_hit(st, "torture", &h);
    cr_assert_eq(h.n_by, 2, "the new recommending state at once");
    cr_assert_str_eq(h.by[0].name, "Canada");
    cr_assert_str_eq(h.by[1].name, "France");
    cr_assert_str_eq(h.sur.name, "Unseen", "read again");
    rt_rec_release(&h);
    pg_ok(rt__pg_run(writer, "UPDATE state SET name = 'Belarus' WHERE id = 1", &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.sur.name, "Belarus");
    rt_rec_release(&h);
    pg_ok(rt__pg_run(writer, "DELETE FROM recommendation_theme WHERE rec_id = 1 AND theme_id = 1",
                     &e),
          &e);
    first_hit(st, "torture", &h);
    cr_assert_eq(h.n_themes, 1);
    cr_assert_str_eq(h.themes[0].label, "Torture");
    rt_rec_release(&h);

    /* A private source's path is for everybody's reader only: the rows, read for
     * everybody, never answer the public's (whose `source` hides it). */
    pg_ok(
        rt__pg_run(writer,
                   "INSERT INTO source(id, kind, path, sha256) VALUES (1, 'upr-info', 'secret.csv',"
                   " 'x'); UPDATE recommendation SET source_id = 1 WHERE id = 1;"
                   " INSERT INTO private_record(kind, id) VALUES ('source', 1)",
                   &e),
        &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.source_path, "secret.csv");
    rt_rec_release(&h);
    first_hit(st, "torture", &h); /* from memory now */
    cr_assert_str_eq(h.source_path, "secret.csv");
    rt_rec_release(&h);
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_null(h.source_path, "the public does not see the private source");
    rt_rec_release(&h);
    pg_ok(rt_store_set_reader(st, RT_READER_ALL, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.source_path, "secret.csv");
    rt_rec_release(&h);
    rt_store_close(st);
    free(rows);
    free(buf);
    rt_tokenizer_free(tok);
    rt__pg_close(writer);
}

/* The page rows kept in search_index (facet 102), their chunks together, in *out
 * (rt_buf_release): the number of chunks, or 0 (none kept); *num their data version. */
static int kept_rows(struct rt_pg *pg, struct rt_buf *out, long long *num)
{
    PGresult *r = PQexecParams(
        rt__pg_conn(pg), "SELECT num, bitmap FROM search_index WHERE facet = 102 ORDER BY pos", 0,
        NULL, NULL, NULL, NULL, 1);
    int n;

    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    n = PQntuples(r);
    *num = -1;
    for (int i = 0; i < n; i++) { /* binary: num 8 bytes, most significant first */
        const unsigned char *p = (const unsigned char *)PQgetvalue(r, i, 0);
        long long x = 0;
        cr_assert_eq(PQgetlength(r, i, 0), 8);
        for (int k = 0; k < 8; k++)
            x = x << 8 | p[k];
        cr_assert(i == 0 || x == *num, "every chunk of one version");
        *num = x;
        rt_buf_add(out, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1));
    }
    PQclear(r);
    return n;
}

static int has_bytes(const struct rt_buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= b->len; i++)
        if (!memcmp(b->buf + i, s, n))
            return 1;
    return 0;
}

Test(pg, page_rows_kept_in_search_index_serve_the_next_connection_without_source_paths)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_rowskept");
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_store *st = NULL;
    size_t n = 30;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);
    struct rt_buf kept = RT_BUF_INIT;
    struct rt__pg_rows *back;
    struct rt_rec h;
    long long num, v;
    char url[1024];

    setenv("RT_PG_TEXT_AFTER", "0", 1);
    setenv("RT_PG_ROWS_AFTER", "0", 1);
    snprintf(url, sizeof(url), "%s dbname=t_rowskept", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e); /* the schema */
    rows_seed(writer, tok, rows, n);
    pg_ok(rt__pg_run(writer,
                     "INSERT INTO source(id, kind, path, sha256) VALUES (1, 'upr-info',"
                     " 'secret.csv', 'x'); UPDATE recommendation SET source_id = 1 WHERE id = 1;"
                     " INSERT INTO private_record(kind, id) VALUES ('source', 1)",
                     &e),
          &e);

    /* A first connection reads the rows from the tables and keeps them, without the
     * sources' paths: the recommendations' texts are there, the private path is not. */
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.source_path, "secret.csv");
    rt_rec_release(&h);
    rt_store_close(st);
    st = NULL;
    cr_assert_gt(kept_rows(writer, &kept, &num), 1, "kept, in more than one chunk? (%zu bytes)",
                 kept.len);
    v = strtoll(pg_value(writer, "v", "SELECT value FROM meta WHERE key = 'data_version'"), NULL,
                10);
    cr_assert_eq(num, v, "at the data version they were read at");
    cr_assert(has_bytes(&kept, "End torture number 1"), "the texts are kept");
    cr_assert(!has_bytes(&kept, "secret.csv"), "a source's path is never kept");

    /* Read back: the same rows; damaged bytes are refused. */
    back = rt__pg_rows_deserialize(&kept, num);
    cr_assert_not_null(back);
    cr_assert_eq(kept.len, 0, "the rows took the bytes");
    rt_rec_init(&h);
    cr_assert_eq(rt__pg_rows_get(back, 1, &h), 1);
    cr_assert_str_eq(h.text, "End torture number 1");
    cr_assert_null(h.source_path, "no path until the sources are added");
    cr_assert_eq(h.n_themes, 2);
    rt_rec_release(&h);
    rt__pg_rows_free(back);
    cr_assert_gt(kept_rows(writer, &kept, &num), 0);
    kept.len--;
    cr_assert_null(rt__pg_rows_deserialize(&kept, num), "one byte short");
    kept.len++;
    kept.buf[8 + 8] ^= 1; /* the number of rows */
    cr_assert_null(rt__pg_rows_deserialize(&kept, num), "a count that does not add up");
    rt_buf_release(&kept);

    /* A change that raises no data version (replica mode fires no trigger): a new
     * connection's page comes from the kept rows, not from the tables. */
    pg_ok(rt__pg_run(writer,
                     "SET session_replication_role = replica;"
                     " UPDATE state SET name = 'Unseen' WHERE id = 1;"
                     " SET session_replication_role = origin",
                     &e),
          &e);
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.sur.name, "Belarus", "from the kept rows");
    cr_assert_eq(h.n_by, 1);
    cr_assert_str_eq(h.by[0].name, "France");
    cr_assert_eq(h.n_themes, 2);
    cr_assert_str_eq(h.themes[1].origin, "model");
    cr_assert_str_eq(h.source_path, "secret.csv", "the path, from the table source");
    rt_rec_release(&h);
    /* The public reader never gets the rows, nor a private source's path. */
    pg_ok(rt_store_set_reader(st, RT_READER_PUBLIC, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_null(h.source_path, "the public does not see the private source");
    rt_rec_release(&h);
    pg_ok(rt_store_set_reader(st, RT_READER_ALL, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.source_path, "secret.csv");
    rt_rec_release(&h);

    /* A write by another client: the next search sees it, and the connection keeps
     * the rows of the new version in place of the old. */
    pg_ok(rt__pg_run(writer, "INSERT INTO recommendation_by(rec_id, state_id) VALUES (1, 3)", &e),
          &e);
    first_hit(st, "torture", &h);
    cr_assert_eq(h.n_by, 2, "the new recommending state at once");
    cr_assert_str_eq(h.by[0].name, "Canada");
    cr_assert_str_eq(h.sur.name, "Unseen", "read from the tables again");
    rt_rec_release(&h);
    rt_store_close(st);
    cr_assert_gt(kept_rows(writer, &kept, &num), 0);
    cr_assert_eq(
        num,
        strtoll(pg_value(writer, "v2", "SELECT value FROM meta WHERE key = 'data_version'"), NULL,
                10),
        "kept again at the new version");
    cr_assert(!has_bytes(&kept, "secret.csv"));
    rt_buf_release(&kept);

    /* Kept rows that are damaged are refused: the page comes from the tables (the
     * name changed with triggers off shows), and the rows are kept again. */
    pg_ok(rt__pg_run(writer,
                     "SET session_replication_role = replica;"
                     " UPDATE search_index SET bitmap = '\\x00' WHERE facet = 102 AND pos = 1;"
                     " UPDATE state SET name = 'Unseen again' WHERE id = 1;"
                     " SET session_replication_role = origin",
                     &e),
          &e);
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    first_hit(st, "torture", &h);
    cr_assert_str_eq(h.sur.name, "Unseen again", "not from the damaged rows");
    rt_rec_release(&h);
    rt_store_close(st);
    cr_assert_gt(kept_rows(writer, &kept, &num), 1);
    cr_assert(has_bytes(&kept, "Unseen again"), "kept again, from the tables");
    back = rt__pg_rows_deserialize(&kept, num);
    cr_assert_not_null(back, "whole again");
    rt__pg_rows_free(back);
    rt_buf_release(&kept);

    /* Rows read from the tables inside a read transaction (a web request) are kept
     * once it ends, not in it. */
    pg_ok(rt__pg_run(writer, "INSERT INTO recommendation_by(rec_id, state_id) VALUES (2, 3)", &e),
          &e);
    v = strtoll(pg_value(writer, "v3", "SELECT value FROM meta WHERE key = 'data_version'"), NULL,
                10);
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    pg_ok(rt_store_read_begin(st, &e), &e);
    first_hit(st, "torture", &h);
    rt_rec_release(&h);
    cr_assert_gt(kept_rows(writer, &kept, &num), 0);
    cr_assert_lt(num, v, "not kept inside the read");
    rt_buf_release(&kept);
    rt_store_read_end(st);
    cr_assert_gt(kept_rows(writer, &kept, &num), 0);
    cr_assert_eq(num, v, "kept after it");
    rt_buf_release(&kept);
    rt_store_close(st);
    free(rows);
    free(buf);
    rt_tokenizer_free(tok);
    rt__pg_close(writer);
}

/* The lines of the cluster's server log (tests/lib/pg.sh: server.log beside the
 * socket) that say a write was refused as read-only. */
static int read_only_errors(void)
{
    char path[1024], line[4096];
    const char *host = getenv("PGHOST");
    FILE *fp;
    int n = 0;

    cr_assert_not_null(host);
    snprintf(path, sizeof(path), "%s/server.log", host);
    fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    while (fgets(line, sizeof(line), fp))
        n += strstr(line, "ERROR:") && strstr(line, "read-only transaction") ? 1 : 0;
    fclose(fp);
    return n;
}

Test(pg, a_read_only_connection_searches_without_trying_to_store_the_indexes)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *writer = pg_fresh("t_rokeep"), *ro = NULL;
    struct rt_tokenizer *tok = rt_tokenizer_new("english");
    struct rt_store *st = NULL;
    size_t n = 30;
    char(*buf)[4][96] = calloc(n, sizeof(*buf));
    struct rt_pg_rec_row *rows = rec_rows(n, buf);
    char url[1024];
    int before;

    snprintf(url, sizeof(url), "%s dbname=t_rokeep", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e); /* the schema */
    rt_store_close(st);
    pg_ok(rt__pg_run(writer, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e),
          &e);
    pg_ok(rt__pg_load_recommendations(writer, tok, rows, n, &e), &e);
    /* As a hot standby's connections are (every transaction read-only). The log is
     * read: a write refused there leaves a line in it. */
    snprintf(url, sizeof(url), "%s dbname=t_rokeep options='-c default_transaction_read_only=on'",
             pg_base());
    pg_ok(rt__pg_connect(url, &ro, &e), &e);
    before = read_only_errors();
    cr_assert_null(rt__pg_exec(ro, "t_ro_insert", "INSERT INTO meta(key, value) VALUES ('x', '1')",
                               0, NULL, &e));
    rt_error_release(&e);
    cr_assert_eq(read_only_errors(), before + 1, "the log shows a refused write");
    rt__pg_close(ro);

    /* A store on such a connection builds both indexes and answers from them, and
     * stores neither: no refused write in the log, nothing in search_index. */
    setenv("RT_PG_TEXT_AFTER", "0", 1);
    before = read_only_errors();
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    cr_assert_eq(facet_n(st, "response", "supported"), 30);
    cr_assert_eq(text_total(st, "torture"), 10);
    cr_assert_eq(text_total(st, "torture"), 10);
    rt_store_close(st);
    cr_assert_eq(read_only_errors(), before, "no write tried");
    cr_assert_str_eq(pg_value(writer, "c", "SELECT count(*) FROM search_index"), "0");

    /* The same on a connection that may write: both rows are stored. */
    snprintf(url, sizeof(url), "%s dbname=t_rokeep", pg_base());
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    cr_assert_eq(facet_n(st, "response", "supported"), 30);
    cr_assert_eq(text_total(st, "torture"), 10);
    rt_store_close(st);
    cr_assert_str_eq(pg_value(writer, "c2", "SELECT count(*) FROM search_index"), "2");
    free(rows);
    free(buf);
    rt_tokenizer_free(tok);
    rt__pg_close(writer);
}

/* The audit log's seal (conn.c): writers one at a time, each entry chained. */

struct writer {
    const char *db, *actor;
    int n;
};

static void *write_dialogues(void *arg)
{
    const struct writer *w = arg;
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_other(w->db);

    rt__pg_set_audit(pg, w->actor, "test");
    for (int i = 0; i < w->n; i++) {
        char name[64];
        const char *v[1] = {name};
        PGresult *r;

        snprintf(name, sizeof(name), "%s %d", w->actor, i);
        pg_ok(rt__pg_begin(pg, "SERIALIZABLE", &e), &e);
        r = rt__pg_exec(pg, "ins", "INSERT INTO dialogue(name) VALUES ($1)", 1, v, &e);
        cr_assert_not_null(r, "%s", e.msg.buf);
        PQclear(r);
        pg_ok(rt__pg_end(pg, 1, &e), &e);
    }
    rt__pg_close(pg);
    return NULL;
}

Test(pg, writers_seal_the_audit_log_one_chain_at_commit)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_seal");
    struct writer w[4] = {
        {"t_seal", "ann", 25}, {"t_seal", "bob", 25}, {"t_seal", "cat", 25}, {"t_seal", "dan", 25}};
    pthread_t th[4];
    PGresult *r;
    char prev[65] = "";

    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, write_dialogues, &w[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    /* A transaction that is rolled back leaves no entry, sealed or not. */
    rt__pg_set_audit(pg, "eve", NULL);
    pg_ok(rt__pg_begin(pg, "SERIALIZABLE", &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO dialogue(name) VALUES ('undone')", &e), &e);
    rt__pg_end(pg, 0, NULL);

    cr_assert_str_eq(pg_value(pg, "n", "SELECT count(*) FROM dialogue"), "100");
    cr_assert_str_eq(pg_value(pg, "u", "SELECT count(*) FROM audit_log WHERE hash IS NULL"), "0",
                     "every entry sealed");
    r = rt__pg_exec(pg, "log",
                    "SELECT prev_hash, at, actor, via, tbl, op, record, ref1, ref2, before, after,"
                    " hash FROM audit_log ORDER BY id",
                    0, NULL, &e);
    cr_assert_not_null(r, "%s", e.msg.buf);
    cr_assert_eq(PQntuples(r), 100);
    for (int i = 0; i < PQntuples(r); i++) {
        struct rt__audit_bytes f[RT__AUDIT_NFIELDS];
        char hash[65];

        for (int c = 0; c < RT__AUDIT_NFIELDS; c++)
            f[c] = PQgetisnull(r, i, c) ? (struct rt__audit_bytes){NULL, 0}
                                        : (struct rt__audit_bytes){PQgetvalue(r, i, c),
                                                                   (size_t)PQgetlength(r, i, c)};
        rt__audit_hash(f, hash);
        cr_assert_str_eq(PQgetvalue(r, i, 11), hash, "entry %d's hash is its fields'", i);
        if (i == 0)
            cr_assert(PQgetisnull(r, i, 0), "the first entry follows none");
        else
            cr_assert_str_eq(PQgetvalue(r, i, 0), prev, "entry %d follows entry %d", i, i - 1);
        snprintf(prev, sizeof(prev), "%s", PQgetvalue(r, i, 11));
        cr_assert_str_eq(PQgetvalue(r, i, 3), "test");
    }
    /* Each writer's entries carry its name, and its rows as SQLite writes them. */
    cr_assert_str_eq(pg_value(pg, "a", "SELECT count(*) FROM audit_log WHERE actor = 'ann'"), "25");
    cr_assert_str_eq(
        pg_value(pg, "j",
                 "SELECT regexp_replace(regexp_replace(after, '\"created_at\":\"[^\"]*\"',"
                 " '\"created_at\":\"X\"'), '^\\{\"id\":[0-9]+', '{\"id\":N')"
                 " FROM audit_log WHERE after LIKE '%\"ann 0\"%'"),
        "{\"id\":N,\"name\":\"ann 0\",\"kind\":\"bilateral\",\"created_at\":\"X\","
        "\"withdrawn\":null,\"withdrawn_on\":null}");
    PQclear(r);
    rt__pg_close(pg);
}

/* An import into a database that holds data (ops.c, merge_txn): merged as SQLite
 * merges it, all or nothing, and refused when another client wrote meanwhile. */
#define UHRI_HEAD                                                                                  \
    "country,cycle,session,paragraph_id,text,recommending_states,position,themes,sdgs,"            \
    "affected_persons,source,primary_theme,theme_codes,position_source\n"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The progress of an import: the first call writes through another connection. */
static void write_meanwhile(void *ctx, uint64_t done, uint64_t total)
{
    struct rt_pg **other = ctx;
    struct rt_error e = RT_ERROR_INIT;

    (void)done;
    (void)total;
    if (!*other)
        return;
    pg_ok(rt__pg_run(*other, "INSERT INTO state(code, name) VALUES ('ZZM', 'Meanwhile')", &e), &e);
    rt__pg_close(*other);
    *other = NULL;
}

Test(pg, a_second_import_merges_and_a_write_meanwhile_fails_it_leaving_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg = pg_fresh("t_merge"), *other = pg_other("t_merge");
    struct rt_store *st = NULL;
    struct rt_import_stats stats;
    char url[1024], a[512], b[512];
    const char *tmp = getenv("TMPDIR");
    const char *pa[1] = {a}, *pb[1] = {b};

    snprintf(url, sizeof(url), "%s dbname=t_merge", pg_base());
    snprintf(a, sizeof(a), "%s/t_merge_a.csv", tmp && *tmp ? tmp : "/tmp");
    snprintf(b, sizeof(b), "%s/t_merge_b.csv", tmp && *tmp ? tmp : "/tmp");
    write_file(a, UHRI_HEAD "Slovenia,2,20,115.1,Ratify the first test convention.,Croatia,"
                            "Noted,,,,,,,\n");
    write_file(b, UHRI_HEAD "Slovenia,2,20,115.1,Ratify the first test convention.,France,"
                            "Supported,,,,,,,\n"
                            "Slovenia,2,20,115.2,Ratify the second test convention.,Chile,"
                            "Noted,,,,,,,\n");
    pg_ok(rt_store_open(&st, url, 0, &e), &e);
    memset(&stats, 0, sizeof(stats));
    pg_ok(rt_import_files(st, pa, 1, &stats, NULL, NULL, &e), &e);
    cr_assert_str_eq(pg_value(pg, "merge_n", "SELECT count(*) FROM recommendation"), "1");

    /* Another client writes while the second import is prepared: refused, nothing of it. */
    memset(&stats, 0, sizeof(stats));
    cr_assert_eq(rt_import_files(st, pb, 1, &stats, write_meanwhile, &other, &e), RT_ESTORE);
    cr_assert(strstr(e.msg.buf, "another client wrote to the database"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_null(other, "the import's progress wrote meanwhile");
    cr_assert_str_eq(pg_value(pg, "merge_n", "SELECT count(*) FROM recommendation"), "1");
    cr_assert_str_eq(pg_value(pg, "merge_r", "SELECT response FROM recommendation"), "noted");
    cr_assert_str_eq(pg_value(pg, "merge_a", "SELECT count(*) FROM audit_log WHERE op = 'import'"),
                     "1");

    /* Again: merged (the stronger response, a second recommending state and source),
     * the new one added with its lexemes, the sequence past it. */
    memset(&stats, 0, sizeof(stats));
    pg_ok(rt_import_files(st, pb, 1, &stats, NULL, NULL, &e), &e);
    cr_assert_str_eq(pg_value(pg, "merge_n", "SELECT count(*) FROM recommendation"), "2");
    cr_assert_str_eq(pg_value(pg, "r1", "SELECT response FROM recommendation WHERE id = 1"),
                     "supported");
    cr_assert_str_eq(
        pg_value(pg, "merge_b", "SELECT count(*) FROM recommendation_by WHERE rec_id = 1"), "2");
    cr_assert_str_eq(pg_value(pg, "merge_f", "SELECT count(*) FROM recommendation_fts"), "2");
    cr_assert_str_eq(pg_value(pg, "merge_s", "SELECT last_value >= 2 FROM recommendation_id_seq"),
                     "t");
    cr_assert_str_eq(pg_value(pg, "merge_c",
                              "SELECT count(*) FROM audit_log a JOIN audit_log x"
                              " ON x.prev_hash = a.hash WHERE a.op = 'import' AND x.op = 'import'"),
                     "1", "the second import's entry chained to the first");
    rt_store_close(st);
    rt__pg_close(pg);
    unlink(a);
    unlink(b);
}
