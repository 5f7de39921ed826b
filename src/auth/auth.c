/*
 * Accounts, passwords, web sessions and API tokens (include/rightstrack/auth.h).
 * The only part of the library that hashes secrets; the rows are the store's
 * (src/store/sqlite/auth.c), which sees hashes only.
 */
#include "base/compat.h"

#include <pthread.h>
#include <sodium.h>

#include <rightstrack/auth.h>

#include "store/auth_store.h"

static const char *const role_names[] = {"", "viewer", "editor", "admin"};

const char *rt_role_name(enum rt_role role)
{
    return role >= RT_ROLE_NONE && role <= RT_ROLE_ADMIN ? role_names[role] : "";
}

int rt_role_parse(const char *s, enum rt_role *out, struct rt_error *err)
{
    for (int r = RT_ROLE_VIEWER; r <= RT_ROLE_ADMIN; r++)
        if (s && !strcmp(s, role_names[r])) {
            *out = (enum rt_role)r;
            return 0;
        }
    return rt_error_set(err, RT_EINVAL, NULL, 0, "role",
                        "the role is viewer, editor or admin, not '%s'", s ? s : "");
}

int rt_auth_init(struct rt_error *err)
{
    if (sodium_init() < 0)
        return rt_error_set(err, RT_EIO, NULL, 0, NULL, "cannot start libsodium");
    return 0;
}

int rt_auth_name_check(const char *name, struct rt_error *err)
{
    size_t n = strlen(name);

    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        int alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || !strchr("._@-", ch)))
            n = 0;
    }
    if (n == 0 || n > RT_AUTH_NAME_MAX)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "user",
                            "a user name is 1 to %d letters, digits and . _ @ -, beginning with "
                            "a letter or a digit",
                            RT_AUTH_NAME_MAX);
    return 0;
}

int rt_auth_password_check(const char *name, const char *password, struct rt_error *err)
{
    size_t chars = 0, len = strlen(password);
    int same = 1;

    for (size_t i = 0; i < len; i++) {
        chars += ((unsigned char)password[i] & 0xC0) != 0x80;
        same &= password[i] == password[0];
    }
    if (len > RT_AUTH_PASSWORD_MAX)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "password", "a password is at most %d bytes",
                            RT_AUTH_PASSWORD_MAX);
    if (chars < RT_AUTH_PASSWORD_MIN)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "password",
                            "a password needs at least %d characters (this one has %zu); a "
                            "few words strung together are easy to remember and hard to guess",
                            RT_AUTH_PASSWORD_MIN, chars);
    if (same || (name && !strcmp(name, password)))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "password",
                            "a password may not be one character repeated, nor the user name");
    return 0;
}

int rt_auth_has_accounts(struct rt_store *st, int *out, struct rt_error *err)
{
    int64_t n = 0;
    int rc = rt__account_count(st, &n, err);

    *out = rc == 0 && n > 0;
    return rc;
}

/* The argon2id string of password, interactive limits. */
static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
                         struct rt_error *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return rt_error_set(err, RT_EIO, NULL, 0, "password",
                            "not enough memory to hash the password");
    return 0;
}

/* Runs fn inside a transaction of its own; commits when it returns 0. */
static int in_tx(struct rt_store *st, struct rt_error *err, int rc)
{
    if (rc < 0) {
        rt_store_rollback(st);
        return rc;
    }
    return rt_store_commit(st, err);
}

int rt_auth_user_add(struct rt_store *st, const char *name, enum rt_role role, const char *password,
                     struct rt_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;

    if ((rc = rt_auth_name_check(name, err)) < 0 ||
        (rc = rt_auth_password_check(name, password, err)) < 0)
        return rc;
    if (role < RT_ROLE_VIEWER || role > RT_ROLE_ADMIN)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "role", "the role is viewer, editor or admin");
    if ((rc = hash_password(password, hash, err)) < 0 || (rc = rt_store_begin(st, err)) < 0)
        return rc;
    return in_tx(st, err, rt__account_add(st, name, rt_role_name(role), hash, NULL, err));
}

int rt_auth_user_passwd(struct rt_store *st, const char *name, const char *password,
                        struct rt_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;

    if ((rc = rt_auth_password_check(name, password, err)) < 0 ||
        (rc = hash_password(password, hash, err)) < 0 || (rc = rt_store_begin(st, err)) < 0)
        return rc;
    return in_tx(st, err, rt__account_set(st, name, "password", hash, err));
}

int rt_auth_user_role(struct rt_store *st, const char *name, enum rt_role role,
                      struct rt_error *err)
{
    int rc;

    if (role < RT_ROLE_VIEWER || role > RT_ROLE_ADMIN)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "role", "the role is viewer, editor or admin");
    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    return in_tx(st, err, rt__account_set(st, name, "role", rt_role_name(role), err));
}

int rt_auth_user_disable(struct rt_store *st, const char *name, int disabled, struct rt_error *err)
{
    int rc;

    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    return in_tx(st, err, rt__account_set(st, name, "disabled", disabled ? "1" : "0", err));
}

int rt_auth_user_list(struct rt_store *st, json_t **out, struct rt_error *err)
{
    return rt__account_list(st, (int64_t)time(NULL), out, err);
}

void rt_auth_random(char out[RT_AUTH_TOKEN_SIZE])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, RT_AUTH_TOKEN_SIZE, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
}

/* The stored hash of a token: BLAKE2b-256, keyed by the realm when there is one. */
static void token_hash(const struct rt_auth_realm *realm, const char *token,
                       unsigned char out[RT__AUTH_HASH_BYTES])
{
    crypto_generichash(out, RT__AUTH_HASH_BYTES, (const unsigned char *)token, strlen(token),
                       realm ? realm->key : NULL, realm ? sizeof(realm->key) : 0);
}

/* Is token 64 hex digits? Anything else is refused before it is hashed. */
static int token_shape(const char *token)
{
    size_t i;

    for (i = 0; token && token[i]; i++)
        if (!strchr("0123456789abcdef", token[i]) || i >= RT_AUTH_TOKEN_SIZE - 1)
            return 0;
    return i == RT_AUTH_TOKEN_SIZE - 1;
}

int rt_auth_token_add(struct rt_store *st, const char *name, int write,
                      char token[RT_AUTH_TOKEN_SIZE], int64_t *out_id, struct rt_error *err)
{
    struct rt__account a = {0};
    unsigned char hash[RT__AUTH_HASH_BYTES];
    int rc;

    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    rc = rt__account_get(st, name, &a, err);
    if (rc == 0) {
        rt_auth_random(token);
        token_hash(NULL, token, hash);
        rc = rt__token_add(st, a.id, hash, write ? "write" : "read", out_id, err);
    }
    rt__account_release(&a);
    return in_tx(st, err, rc);
}

int rt_auth_token_list(struct rt_store *st, const char *name, json_t **out, struct rt_error *err)
{
    struct rt__account a = {0};
    int rc = rt__account_get(st, name, &a, err);

    if (rc == 0)
        rc = rt__token_list(st, a.id, out, err);
    rt__account_release(&a);
    return rc;
}

int rt_auth_token_revoke(struct rt_store *st, int64_t id, struct rt_error *err)
{
    int rc;

    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    return in_tx(st, err, rt__token_revoke(st, id, err));
}

static void fill_who(struct rt_principal *who, int64_t id, const char *name, const char *role,
                     int can_write)
{
    enum rt_role r = RT_ROLE_NONE;

    for (int i = RT_ROLE_VIEWER; i <= RT_ROLE_ADMIN; i++)
        if (!strcmp(role, role_names[i]))
            r = (enum rt_role)i;
    who->id = id;
    snprintf(who->name, sizeof(who->name), "%s", name);
    who->role = r;
    who->can_write = can_write && r >= RT_ROLE_EDITOR;
}

int rt_auth_token_check(struct rt_store *st, const char *token, struct rt_principal *who,
                        struct rt_error *err)
{
    unsigned char hash[RT__AUTH_HASH_BYTES];
    struct rt__token t;
    int rc;

    if (!token_shape(token))
        return RT_ENOTFOUND;
    token_hash(NULL, token, hash);
    if ((rc = rt__token_use(st, hash, &t, err)) < 0)
        return rc;
    if (t.disabled || t.revoked)
        return RT_ENOTFOUND;
    fill_who(who, t.account_id, t.name, t.role, t.write);
    if (!t.write && who->role > RT_ROLE_VIEWER) /* a read token reads, whoever holds it */
        who->role = RT_ROLE_VIEWER;
    return 0;
}

void rt_auth_realm_new(struct rt_auth_realm *realm)
{
    randombytes_buf(realm->key, sizeof(realm->key));
}

/* An argon2id string of a password nobody has, checked when the user is unknown so
 * that a wrong name takes as long as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[RT_AUTH_TOKEN_SIZE];

    rt_auth_random(pw);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

int rt_auth_login(struct rt_store *st, const struct rt_auth_realm *realm, const char *name,
                  const char *password, time_t now, char token[RT_AUTH_TOKEN_SIZE],
                  struct rt_principal *who, struct rt_error *err)
{
    struct rt__account a = {0};
    struct rt_error miss = RT_ERROR_INIT;
    unsigned char hash[RT__AUTH_HASH_BYTES];
    int rc, ok;

    rc = rt_auth_name_check(name, &miss) < 0 ? RT_ENOTFOUND : rt__account_get(st, name, &a, &miss);
    rt_error_release(&miss);
    if (rc < 0 && rc != RT_ENOTFOUND)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "cannot read the accounts");
    if (strlen(password) > RT_AUTH_PASSWORD_MAX)
        password = "";
    if (rc == 0) {
        ok = crypto_pwhash_str_verify(a.password, password, strlen(password)) == 0;
    } else {
        pthread_once(&dummy_once, make_dummy);
        ok = crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0;
        ok = 0; /* the same work, and a refusal whatever it says */
        ok = 0;
    }
    if (!ok || a.disabled) {
        rt__account_release(&a);
        return rt_error_set(err, RT_EINVAL, NULL, 0, "password",
                            "the user name or the password is wrong (or the account is "
                            "disabled)");
    }
    rt_auth_random(token);
    token_hash(realm, token, hash);
    rc = rt__session_purge(st, (int64_t)now, (int64_t)now - RT_AUTH_IDLE_SECONDS, err);
    if (rc == 0)
        rc = rt__session_add(st, hash, a.id, (int64_t)now, (int64_t)now + RT_AUTH_ABSOLUTE_SECONDS,
                             err);
    if (rc == 0)
        fill_who(who, a.id, a.name, a.role, 1);
    rt__account_release(&a);
    return rc;
}

int rt_auth_session_check(struct rt_store *st, const struct rt_auth_realm *realm, const char *token,
                          time_t now, struct rt_principal *who, struct rt_error *err)
{
    unsigned char hash[RT__AUTH_HASH_BYTES];
    struct rt__session s;
    int rc;

    if (!token_shape(token))
        return RT_ENOTFOUND;
    token_hash(realm, token, hash);
    if ((rc = rt__session_get(st, hash, &s, err)) < 0)
        return rc;
    if (s.disabled || now >= s.expires_at || now - s.last_seen >= RT_AUTH_IDLE_SECONDS) {
        rt__session_end(st, hash, err);
        return RT_ENOTFOUND;
    }
    /* At most once a minute: every write moves the database's version, which empties
     * the web face's response cache. */
    if (now - s.last_seen >= 60 && rt__session_touch(st, hash, (int64_t)now, err) < 0) {
        /* A busy database only delays the note; the session stays valid. */
        rt_error_release(err);
    }
    fill_who(who, s.account_id, s.name, s.role, 1);
    return 0;
}

int rt_auth_logout(struct rt_store *st, const struct rt_auth_realm *realm, const char *token,
                   struct rt_error *err)
{
    unsigned char hash[RT__AUTH_HASH_BYTES];

    if (!token_shape(token))
        return 0;
    token_hash(realm, token, hash);
    return rt__session_end(st, hash, err);
}

void rt_auth_derive(const struct rt_auth_realm *realm, const char *purpose, const char *value,
                    char out[RT_AUTH_TOKEN_SIZE])
{
    crypto_generichash_state h;
    unsigned char raw[32];

    crypto_generichash_init(&h, realm->key, sizeof(realm->key), sizeof(raw));
    crypto_generichash_update(&h, (const unsigned char *)purpose, strlen(purpose) + 1);
    crypto_generichash_update(&h, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&h, raw, sizeof(raw));
    sodium_bin2hex(out, RT_AUTH_TOKEN_SIZE, raw, sizeof(raw));
}

int rt_auth_equal(const char *a, const char *b)
{
    size_t n = strlen(a);

    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
