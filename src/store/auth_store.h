/*
 * What the accounts module (src/auth/) asks of the store: the rows of the tables of
 * schema 10 (account, account_session, account_token). Secrets arrive here already
 * hashed; nothing in this file sees a password or a token in clear.
 */
#ifndef RT_AUTH_STORE_H
#define RT_AUTH_STORE_H

#include <stdint.h>

#include <jansson.h>

#include <rightstrack/store.h>

#define RT__AUTH_HASH_BYTES 32 /* BLAKE2b-256 of a session or API token */

/* An account row; the strings are the caller's to rt_free (rt__account_release). */
struct rt__account {
    int64_t id;
    char *name, *role, *password, *created_at;
    int disabled;
};
void rt__account_release(struct rt__account *a);

/* How many accounts there are, disabled ones too. */
int rt__account_count(struct rt_store *st, int64_t *out, struct rt_error *err);
/* Adds an account; RT_EEXIST when the name is taken. */
int rt__account_add(struct rt_store *st, const char *name, const char *role, const char *pwhash,
                    int64_t *out_id, struct rt_error *err);
/* Fills a from the account called name; RT_ENOTFOUND naming "user" when none. */
int rt__account_get(struct rt_store *st, const char *name, struct rt__account *a,
                    struct rt_error *err);
/* Sets one thing of an account: "password" (ends its sessions), "role", "disabled"
 * (value "0" or "1"; disabling ends its sessions). RT_ENOTFOUND when none. */
int rt__account_set(struct rt_store *st, const char *name, const char *what, const char *value,
                    struct rt_error *err);
/* [{"id", "name", "role", "disabled", "created_at", "tokens", "sessions"}] by name. */
int rt__account_list(struct rt_store *st, int64_t now, json_t **out, struct rt_error *err);

/* A session row joined to its account. */
struct rt__session {
    int64_t account_id, created_at, last_seen, expires_at;
    int disabled;
    char name[80], role[16];
};
int rt__session_add(struct rt_store *st, const unsigned char *hash, int64_t account_id, int64_t now,
                    int64_t expires_at, struct rt_error *err);
/* RT_ENOTFOUND when no session has the hash. */
int rt__session_get(struct rt_store *st, const unsigned char *hash, struct rt__session *out,
                    struct rt_error *err);
int rt__session_touch(struct rt_store *st, const unsigned char *hash, int64_t now,
                      struct rt_error *err);
int rt__session_end(struct rt_store *st, const unsigned char *hash, struct rt_error *err);
/* Removes the sessions past their absolute expiry or idle since before idle_before. */
int rt__session_purge(struct rt_store *st, int64_t now, int64_t idle_before, struct rt_error *err);

/* An API token row joined to its account. */
struct rt__token {
    int64_t id, account_id;
    int disabled, revoked, write;
    char name[80], role[16];
};
int rt__token_add(struct rt_store *st, int64_t account_id, const unsigned char *hash,
                  const char *scope, int64_t *out_id, struct rt_error *err);
/* RT_ENOTFOUND when no token has the hash; notes the use when one does. */
int rt__token_use(struct rt_store *st, const unsigned char *hash, struct rt__token *out,
                  struct rt_error *err);
/* [{"id", "scope", "created_at", "last_used", "revoked_at"}] of an account. */
int rt__token_list(struct rt_store *st, int64_t account_id, json_t **out, struct rt_error *err);
/* Revokes token id; RT_ENOTFOUND when there is none (or it is revoked already). */
int rt__token_revoke(struct rt_store *st, int64_t id, struct rt_error *err);

#endif
