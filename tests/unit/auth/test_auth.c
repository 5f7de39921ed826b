/* Tests of accounts, sessions and API tokens (src/auth/auth.c and the store's rows). */
#include <criterion/criterion.h>
#include <sodium.h>

#include <rightstrack/auth.h>

#include "lib/test_store.h"
#include "lib/testutil.h"
#include "store/sql.h"

static struct rt_store *st;
static struct rt_auth_realm realm;
static const time_t T0 = 1700000000;

static void ok(int rc, struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

static void setup(void)
{
    struct rt_error e = RT_ERROR_INIT;
    char path[256];

    ok(rt_auth_init(&e), &e);
    snprintf(path, sizeof(path), "%s", test_store("a"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    ok(rt_auth_user_add(st, "ada", RT_ROLE_EDITOR, "a long passphrase", &e), &e);
    ok(rt_auth_user_add(st, "vic", RT_ROLE_VIEWER, "another passphrase", &e), &e);
    rt_auth_realm_new(&realm);
}

static void teardown(void)
{
    rt_store_close(st);
    st = NULL;
}

static int first_col(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    char **out = ctx;

    (void)err;
    *out = strdup(rt__sql_text(row, 0) ? rt__sql_text(row, 0) : "");
    return 1;
}

/* One column of one row of plain SQL (on either store), as text, into out. */
static void sql_text(const char *sql, char *out, size_t size)
{
    struct rt_error e = RT_ERROR_INIT;
    char *v = NULL;

    ok(rt__sql_rows(st, &e, first_col, &v, sql, ""), &e);
    cr_assert_not_null(v, "no row: %s", sql);
    snprintf(out, size, "%s", v);
    free(v);
}

/* SQL for the hashes of table's rows in lower-case hex, comma-separated. */
#define HASHES_HEX(table)                                                                          \
    rt__sql_pick(st, "SELECT group_concat(lower(hex(hash))) FROM " table,                          \
                 "SELECT string_agg(encode(hash, 'hex'), ',') FROM " table)

TestSuite(auth, .init = setup, .fini = teardown);

Test(auth, passwords_are_kept_as_argon2id_strings)
{
    char hash[256];

    sql_text("SELECT password FROM account WHERE name = 'ada'", hash, sizeof(hash));
    cr_assert(!strncmp(hash, "$argon2id$", 10), "%s", hash);
    cr_assert_null(strstr(hash, "a long passphrase"));
    cr_assert_eq(crypto_pwhash_str_verify(hash, "a long passphrase", 17), 0);
}

Test(auth, password_and_name_rules)
{
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt_auth_password_check("x", "short", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "password");
    cr_assert(strstr(e.msg.buf, "10 characters"), "the rule is said: %s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_eq(rt_auth_password_check("x", "aaaaaaaaaaaa", &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(rt_auth_password_check("longusername", "longusername", &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(rt_auth_password_check("x", "ten chars!", &e), 0);
    cr_assert_eq(rt_auth_name_check("a b", &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(rt_auth_name_check("-x", &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(rt_auth_name_check("anna.k@desk", &e), 0);
    cr_assert_eq(rt_auth_user_add(st, "ada", RT_ROLE_ADMIN, "yet another one", &e), RT_EEXIST);
    rt_error_release(&e);
}

Test(auth, login_makes_a_new_session_each_time)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_principal who = {0}, again = {0};
    char t1[RT_AUTH_TOKEN_SIZE], t2[RT_AUTH_TOKEN_SIZE], n[512];

    ok(rt_auth_login(st, &realm, "ada", "a long passphrase", T0, t1, &who, &e), &e);
    cr_assert_str_eq(who.name, "ada");
    cr_assert_eq(who.role, RT_ROLE_EDITOR);
    cr_assert(who.can_write);
    ok(rt_auth_login(st, &realm, "ada", "a long passphrase", T0, t2, &who, &e), &e);
    cr_assert_str_neq(t1, t2);
    ok(rt_auth_session_check(st, &realm, t2, T0 + 10, &again, &e), &e);
    cr_assert_str_eq(again.name, "ada");
    /* Only hashes are kept. */
    sql_text("SELECT count(*) FROM account_session", n, sizeof(n));
    cr_assert_str_eq(n, "2");
    sql_text(HASHES_HEX("account_session"), n, sizeof(n));
    cr_assert_null(strstr(n, t1));
}

Test(auth, wrong_passwords_unknown_users_and_disabled_accounts_are_refused_alike)
{
    struct rt_error e = RT_ERROR_INIT, e2 = RT_ERROR_INIT;
    struct rt_principal who = {0};
    char t[RT_AUTH_TOKEN_SIZE];

    cr_assert_eq(rt_auth_login(st, &realm, "ada", "not her password", T0, t, &who, &e), RT_EINVAL);
    cr_assert_eq(rt_auth_login(st, &realm, "nobody", "not her password", T0, t, &who, &e2),
                 RT_EINVAL);
    cr_assert_str_eq(e.msg.buf, e2.msg.buf);
    rt_error_release(&e);
    rt_error_release(&e2);
    ok(rt_auth_user_disable(st, "ada", 1, &e), &e);
    cr_assert_eq(rt_auth_login(st, &realm, "ada", "a long passphrase", T0, t, &who, &e), RT_EINVAL);
    rt_error_release(&e);
    cr_assert_eq(who.id, 0);
}

Test(auth, sessions_are_bound_to_the_realm_and_expire)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_principal who = {0};
    struct rt_auth_realm other;
    char t[RT_AUTH_TOKEN_SIZE], made_up[RT_AUTH_TOKEN_SIZE];

    ok(rt_auth_login(st, &realm, "vic", "another passphrase", T0, t, &who, &e), &e);
    rt_auth_realm_new(&other);
    cr_assert_eq(rt_auth_session_check(st, &other, t, T0 + 1, &who, &e), RT_ENOTFOUND,
                 "another run of the server does not know it");
    rt_auth_random(made_up);
    cr_assert_eq(rt_auth_session_check(st, &realm, made_up, T0 + 1, &who, &e), RT_ENOTFOUND);
    cr_assert_eq(rt_auth_session_check(st, &realm, "not hex", T0 + 1, &who, &e), RT_ENOTFOUND);
    /* Used every 20 minutes it lives until the absolute limit. */
    for (time_t at = T0 + 1200; at < T0 + RT_AUTH_ABSOLUTE_SECONDS; at += 1200)
        ok(rt_auth_session_check(st, &realm, t, at, &who, &e), &e);
    cr_assert_eq(rt_auth_session_check(st, &realm, t, T0 + RT_AUTH_ABSOLUTE_SECONDS, &who, &e),
                 RT_ENOTFOUND, "past the absolute limit");
    /* Idle for 30 minutes, it ends. */
    ok(rt_auth_login(st, &realm, "vic", "another passphrase", T0, t, &who, &e), &e);
    cr_assert_eq(rt_auth_session_check(st, &realm, t, T0 + RT_AUTH_IDLE_SECONDS, &who, &e),
                 RT_ENOTFOUND);
}

Test(auth, logout_password_change_and_disable_end_sessions)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_principal who = {0};
    char a[RT_AUTH_TOKEN_SIZE], b[RT_AUTH_TOKEN_SIZE], c[RT_AUTH_TOKEN_SIZE];

    ok(rt_auth_login(st, &realm, "vic", "another passphrase", T0, a, &who, &e), &e);
    ok(rt_auth_login(st, &realm, "vic", "another passphrase", T0, b, &who, &e), &e);
    ok(rt_auth_logout(st, &realm, a, &e), &e);
    cr_assert_eq(rt_auth_session_check(st, &realm, a, T0 + 1, &who, &e), RT_ENOTFOUND);
    ok(rt_auth_session_check(st, &realm, b, T0 + 1, &who, &e), &e);
    ok(rt_auth_user_passwd(st, "vic", "a new passphrase", &e), &e);
    cr_assert_eq(rt_auth_session_check(st, &realm, b, T0 + 2, &who, &e), RT_ENOTFOUND);
    ok(rt_auth_login(st, &realm, "vic", "a new passphrase", T0, c, &who, &e), &e);
    ok(rt_auth_user_disable(st, "vic", 1, &e), &e);
    cr_assert_eq(rt_auth_session_check(st, &realm, c, T0 + 3, &who, &e), RT_ENOTFOUND);
}

Test(auth, a_role_change_shows_in_a_live_session)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_principal who = {0};
    char t[RT_AUTH_TOKEN_SIZE];

    ok(rt_auth_login(st, &realm, "vic", "another passphrase", T0, t, &who, &e), &e);
    cr_assert_eq(who.role, RT_ROLE_VIEWER);
    cr_assert_not(who.can_write);
    ok(rt_auth_user_role(st, "vic", RT_ROLE_ADMIN, &e), &e);
    ok(rt_auth_session_check(st, &realm, t, T0 + 1, &who, &e), &e);
    cr_assert_eq(who.role, RT_ROLE_ADMIN);
    cr_assert_eq(rt_auth_user_role(st, "nobody", RT_ROLE_ADMIN, &e), RT_ENOTFOUND);
    rt_error_release(&e);
}

Test(auth, api_tokens_are_hashed_scoped_and_revocable)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_principal who = {0};
    char rd[RT_AUTH_TOKEN_SIZE], wr[RT_AUTH_TOKEN_SIZE], hex[256];
    int64_t rd_id, wr_id;
    json_t *list = NULL;

    ok(rt_auth_token_add(st, "ada", 0, rd, &rd_id, &e), &e);
    ok(rt_auth_token_add(st, "ada", 1, wr, &wr_id, &e), &e);
    cr_assert_eq(strlen(rd), 64);
    sql_text(HASHES_HEX("account_token"), hex, sizeof(hex));
    cr_assert_null(strstr(hex, rd), "a token is not kept in clear");
    cr_assert_null(strstr(hex, wr));
    ok(rt_auth_token_check(st, rd, &who, &e), &e);
    cr_assert_eq(who.role, RT_ROLE_VIEWER, "a read token reads, though ada is an editor");
    cr_assert_not(who.can_write);
    ok(rt_auth_token_check(st, wr, &who, &e), &e);
    cr_assert_eq(who.role, RT_ROLE_EDITOR);
    cr_assert(who.can_write);
    ok(rt_auth_token_list(st, "ada", &list, &e), &e);
    cr_assert_eq(json_array_size(list), 2);
    cr_assert_not_null(json_string_value(json_object_get(json_array_get(list, 0), "last_used")));
    json_decref(list);
    ok(rt_auth_token_revoke(st, wr_id, &e), &e);
    cr_assert_eq(rt_auth_token_check(st, wr, &who, &e), RT_ENOTFOUND);
    cr_assert_eq(rt_auth_token_revoke(st, wr_id, &e), RT_ENOTFOUND, "revoked already");
    rt_error_release(&e);
    ok(rt_auth_user_disable(st, "ada", 1, &e), &e);
    cr_assert_eq(rt_auth_token_check(st, rd, &who, &e), RT_ENOTFOUND, "its account is disabled");
}

Test(auth, form_tokens_depend_on_realm_purpose_and_value)
{
    struct rt_auth_realm other;
    char a[RT_AUTH_TOKEN_SIZE], b[RT_AUTH_TOKEN_SIZE], c[RT_AUTH_TOKEN_SIZE], d[RT_AUTH_TOKEN_SIZE];

    rt_auth_realm_new(&other);
    rt_auth_derive(&realm, "session", "abc", a);
    rt_auth_derive(&realm, "session", "abd", b);
    rt_auth_derive(&realm, "form", "abc", c);
    rt_auth_derive(&other, "session", "abc", d);
    cr_assert_str_neq(a, b);
    cr_assert_str_neq(a, c);
    cr_assert_str_neq(a, d);
    cr_assert(rt_auth_equal(a, a));
    cr_assert_not(rt_auth_equal(a, b));
    cr_assert_not(rt_auth_equal(a, ""));
}

Test(auth, the_list_has_no_secrets)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *list = NULL;
    char *dump;
    int has = 1;

    ok(rt_auth_has_accounts(st, &has, &e), &e);
    cr_assert_eq(has, 1);
    ok(rt_auth_user_list(st, &list, &e), &e);
    cr_assert_eq(json_array_size(list), 2);
    dump = json_dumps(list, 0);
    cr_assert_null(strstr(dump, "argon2"));
    cr_assert(strstr(dump, "\"role\": \"viewer\""), "%s", dump);
    free(dump);
    json_decref(list);
}
