/* The PostgreSQL server killed in the middle of a COPY (issue 16): the client gets a
 * clear error and, as the server stays down, a clear one on the next statement.
 * tests/cli/t9020-pg-conn.sh starts the server again afterwards and checks that
 * nothing of the COPY was stored. Alone, this skips (see test_pg_common.h). */
#include <signal.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "store/pg/pg_int.h"
#include "unit/store/test_pg_common.h"

static long postmaster_pid(void)
{
    char path[1024];
    const char *data = getenv("RT_TEST_PG_DATA");
    long pid = 0;
    FILE *fp;

    cr_assert_not_null(data, "RT_TEST_PG_DATA names the cluster's data directory");
    snprintf(path, sizeof(path), "%s/postmaster.pid", data);
    fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    cr_assert_eq(fscanf(fp, "%ld", &pid), 1);
    fclose(fp);
    return pid;
}

Test(pg_kill, the_server_killed_mid_copy_is_a_clear_error)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg;
    struct rt_pg_copy *c;
    static const char *const cols[] = {"id", "sur_id", "text", "key_hash"};
    int rc = 0;
    long i;

    pg_base();
    pg = pg_fresh("t_kill");
    pg_ok(rt__pg_migrate(pg, NULL, &e), &e);
    pg_ok(rt__pg_run(pg, "INSERT INTO state(id, code, name) VALUES (1, 'BLR', 'Belarus')", &e), &e);
    pg_ok(rt__pg_run(pg, "BEGIN", &e), &e);
    pg_ok(rt__pg_copy_begin(pg, "recommendation", cols, 4, &c, &e), &e);
    for (i = 1; i <= 200000 && rc == 0; i++) {
        char id[24], text[96];
        const char *row[4] = {id, "1", text, id};
        snprintf(id, sizeof(id), "%ld", i);
        snprintf(text, sizeof(text), "Recommendation number %ld, sent before and after the kill",
                 i);
        rc = rt__pg_copy_row(c, row, NULL, &e);
        if (i == 20000) {
            /* As pg_ctl stop -m immediate does: the server and its backends quit. */
            cr_assert_eq(kill((pid_t)postmaster_pid(), SIGQUIT), 0);
        }
    }
    if (rc == 0)
        rc = rt__pg_copy_end(c, NULL, &e);
    rt__pg_copy_abort(c);
    cr_assert_eq(rc, RT_EUNAVAIL, "the copy must fail, the server gone");
    cr_assert_eq(e.code, RT_EUNAVAIL);
    cr_assert(strstr(e.msg.buf, "lost the connection to PostgreSQL during COPY into "
                                "recommendation"),
              "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "none of its rows was stored"), "%s", e.msg.buf);
    cr_assert_null(strchr(e.msg.buf, '\n'), "one line: %s", e.msg.buf);
    rt_error_release(&e);

    /* The server stays down: the next statement tries to reconnect and says so. */
    cr_assert_null(rt__pg_exec(pg, "one", "SELECT 1", 0, NULL, &e));
    cr_assert(strstr(e.msg.buf, "the PostgreSQL server cannot be reached, reconnecting failed"),
              "%s", e.msg.buf);
    rt_error_release(&e);

    /* So does the loader, at once rather than after its tries. */
    {
        struct rt_pg_rec_row row = {.id = "1",
                                    .mechanism = "upr",
                                    .sur_id = "1",
                                    .text = "One more",
                                    .key_hash = "1",
                                    .response = "noted"};
        struct rt_tokenizer *tok = rt_tokenizer_new("english");

        cr_assert_lt(rt__pg_load_recommendations(pg, tok, &row, 1, &e), 0);
        cr_assert_eq(e.code, RT_EUNAVAIL, "the web face answers 503 for it");
        cr_assert(strstr(e.msg.buf, "the PostgreSQL server cannot be reached"), "%s", e.msg.buf);
        rt_error_release(&e);
        rt_tokenizer_free(tok);
    }
    rt__pg_close(pg);
}

/* A transaction whose server dies inside it: the first try fails on the lost
 * connection (which makes it worth another try), the second finds it lost and cannot reconnect. The
 * error says both, the first failure kept in front (it is the error's own message when reset is
 * called, and was once read after being freed). t9020 runs this alone, after the
 * server was started again. */
static int kill_then_select(struct rt_pg *pg, void *ctx, struct rt_error *err)
{
    int *calls = ctx;

    if ((*calls)++ == 0) {
        cr_assert_eq(kill((pid_t)postmaster_pid(), SIGQUIT), 0);
        sleep(1);
        /* The first statement after the kill may read the server's farewell rather
         * than find the connection gone; the next one finds it gone. */
        rt__pg_run(pg, "SELECT 1", err);
    }
    return rt__pg_run(pg, "SELECT 1", err);
}

Test(pg_kill, a_transaction_that_loses_the_server_says_so_and_why)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_pg *pg;
    int calls = 0, tries = 0;

    pg_base();
    pg = pg_fresh("t_kill_txn");
    cr_assert_eq(rt__pg_transaction(pg, kill_then_select, &calls, &tries, &e), RT_EUNAVAIL);
    cr_assert_eq(e.code, RT_EUNAVAIL);
    cr_assert_eq(calls, 1, "the transaction ran once before the server was found gone");
    cr_assert_eq(tries, 2, "and was tried a second time: %d, %s", tries, e.msg.buf);
    cr_assert(strstr(e.msg.buf, "lost the connection to PostgreSQL"), "%s", e.msg.buf);
    cr_assert(strstr(e.msg.buf, "; the PostgreSQL server cannot be reached, reconnecting failed"),
              "%s", e.msg.buf);
    cr_assert_null(strchr(e.msg.buf, '\n'), "one line: %s", e.msg.buf);
    rt_error_release(&e);
    rt__pg_close(pg);
}
