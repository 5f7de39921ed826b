/*
 * Accounts and roles: who may read and who may write. Passwords are kept as argon2id
 * strings (libsodium's crypto_pwhash_str, interactive limits), web sessions and API
 * tokens as BLAKE2b hashes; a token is shown once, when it is made, and never again.
 *
 * While a database has no account at all, the web face serves loopback only and asks
 * nobody to log in; the first account (an admin) is made on the command line.
 */
#ifndef RIGHTSTRACK_AUTH_H
#define RIGHTSTRACK_AUTH_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/* What an account may do; each role may do what the ones before it may. */
enum rt_role {
    RT_ROLE_NONE = 0, /* nobody logged in */
    RT_ROLE_VIEWER,   /* reads */
    RT_ROLE_EDITOR,   /* writes the ledger and imports */
    RT_ROLE_ADMIN,    /* manages the accounts */
};

#define RT_AUTH_NAME_MAX 64            /* bytes of a user name */
#define RT_AUTH_PASSWORD_MIN 10        /* characters of a password, at least */
#define RT_AUTH_PASSWORD_MAX 1024      /* bytes of a password, at most */
#define RT_AUTH_TOKEN_SIZE 65          /* a token: 64 hex digits and a NUL */
#define RT_AUTH_IDLE_SECONDS 1800      /* a web session ends after 30 minutes unused */
#define RT_AUTH_ABSOLUTE_SECONDS 43200 /* and 12 hours after the login at the latest */

/*
 * Who a request or a command acts for: the account (id 0 and name "" for nobody),
 * its role, and whether it may write (an API token of read scope may not, whatever
 * the account's role). The audit log names the actor from name.
 */
struct rt_principal {
    int64_t id;
    char name[RT_AUTH_NAME_MAX + 1];
    enum rt_role role;
    int can_write;
};

/* "viewer", "editor", "admin" ("" for RT_ROLE_NONE). */
RT_API const char *rt_role_name(enum rt_role role);
/* Sets *out from "viewer", "editor" or "admin"; RT_EINVAL naming "role" otherwise. */
RT_API int rt_role_parse(const char *s, enum rt_role *out, struct rt_error *err);

/* Starts libsodium; call before anything below. RT_EIO when it cannot start. */
RT_API int rt_auth_init(struct rt_error *err);

/*
 * rt_auth_name_check checks a user name (1 to RT_AUTH_NAME_MAX letters, digits and . _ @ -,
 * beginning with a letter or digit), rt_auth_password_check a password (RT_AUTH_PASSWORD_MIN
 * characters at least, not all one character, not the user name; RT_AUTH_PASSWORD_MAX bytes at
 * most). RT_EINVAL naming "user" or "password" with the rule in the message.
 */
RT_API int rt_auth_name_check(const char *name, struct rt_error *err);
RT_API int rt_auth_password_check(const char *name, const char *password, struct rt_error *err);

/* Whether the database has any account (disabled ones count): *out 1 or 0. */
RT_API int rt_auth_has_accounts(struct rt_store *st, int *out, struct rt_error *err);

/*
 * The accounts: rt_auth_user_add, rt_auth_user_passwd, rt_auth_user_role and
 * rt_auth_user_disable (disabled 1) or enable (0). Each checks its arguments as above,
 * hashes a password with argon2id and writes in a transaction of its own. add:
 * RT_EEXIST when the name is taken. passwd and disable end the account's web
 * sessions. The others: RT_ENOTFOUND naming "user" when there is no such account.
 */
RT_API int rt_auth_user_add(struct rt_store *st, const char *name, enum rt_role role,
                            const char *password, struct rt_error *err);
RT_API int rt_auth_user_passwd(struct rt_store *st, const char *name, const char *password,
                               struct rt_error *err);
RT_API int rt_auth_user_role(struct rt_store *st, const char *name, enum rt_role role,
                             struct rt_error *err);
RT_API int rt_auth_user_disable(struct rt_store *st, const char *name, int disabled,
                                struct rt_error *err);
/* A new array [{"id", "name", "role", "disabled", "created_at", "tokens", "sessions"}]
 * by name in *out, the caller's to json_decref. No hashes in it. */
RT_API int rt_auth_user_list(struct rt_store *st, json_t **out, struct rt_error *err);

/*
 * API tokens. rt_auth_token_add makes a random token for the account name, of write
 * scope when write is set (else read), keeps only its hash, and writes the token into
 * token (shown once) and its id into *out_id. rt_auth_token_list: a new array
 * [{"id", "scope", "created_at", "last_used", "revoked_at"}] of one account, the
 * caller's to json_decref. rt_auth_token_revoke: RT_ENOTFOUND naming "token" when
 * there is no such token or it is revoked already.
 */
RT_API int rt_auth_token_add(struct rt_store *st, const char *name, int write,
                             char token[RT_AUTH_TOKEN_SIZE], int64_t *out_id, struct rt_error *err);
RT_API int rt_auth_token_list(struct rt_store *st, const char *name, json_t **out,
                              struct rt_error *err);
RT_API int rt_auth_token_revoke(struct rt_store *st, int64_t id, struct rt_error *err);
/*
 * Fills who from an API token. RT_ENOTFOUND (err untouched) when the token is
 * unknown, revoked, or its account disabled. Notes the use (to the minute).
 */
RT_API int rt_auth_token_check(struct rt_store *st, const char *token, struct rt_principal *who,
                               struct rt_error *err);

/*
 * The web face's sessions, bound to one run of the server: the realm is a random key
 * made at start (rt_auth_realm_new), and a session's stored hash is keyed by it, so
 * that a cookie from another run, or one made up, matches nothing.
 */
struct rt_auth_realm {
    unsigned char key[32];
};
/* Fills realm with a new random key (libsodium); cannot fail. */
RT_API void rt_auth_realm_new(struct rt_auth_realm *realm);

/*
 * Checks name and password at time now; on success makes a new session (a new token
 * each time, so a token set beforehand by someone else is never taken over), writes
 * its token into token and fills who. A wrong name, a wrong password and a disabled
 * account all give RT_EINVAL with the same message (the time taken is the same too).
 */
RT_API int rt_auth_login(struct rt_store *st, const struct rt_auth_realm *realm, const char *name,
                         const char *password, time_t now, char token[RT_AUTH_TOKEN_SIZE],
                         struct rt_principal *who, struct rt_error *err);
/*
 * Fills who from a session token at time now and keeps the session alive (the last
 * use is written at most once a minute). RT_ENOTFOUND (err untouched) when the token
 * names no live session of this realm: unknown, ended, idle for
 * RT_AUTH_IDLE_SECONDS, past RT_AUTH_ABSOLUTE_SECONDS, or its account disabled.
 */
RT_API int rt_auth_session_check(struct rt_store *st, const struct rt_auth_realm *realm,
                                 const char *token, time_t now, struct rt_principal *who,
                                 struct rt_error *err);
/* Ends the session of token (nothing when there is none). */
RT_API int rt_auth_logout(struct rt_store *st, const struct rt_auth_realm *realm, const char *token,
                          struct rt_error *err);

/* A new random token: 32 bytes from randombytes_buf as 64 hex digits. */
RT_API void rt_auth_random(char out[RT_AUTH_TOKEN_SIZE]);
/*
 * A form token derived from value (a session token, or a browser's pre-session
 * cookie): the BLAKE2b of purpose and value keyed by the realm, as hex.
 */
RT_API void rt_auth_derive(const struct rt_auth_realm *realm, const char *purpose,
                           const char *value, char out[RT_AUTH_TOKEN_SIZE]);
/* Compares two strings in time that does not depend on where they differ; 1 if equal. */
RT_API int rt_auth_equal(const char *a, const char *b);

#endif
