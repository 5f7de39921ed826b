/*
 * The audit log: every write to the ledger, from any face, appended as an entry
 * (who, when, which record, the row before and after as JSON), each entry sealed
 * with the BLAKE2b hash of itself and of the entry before, so that the log is a
 * chain. The store writes the entries itself (triggers, src/store/sqlite/audit.c);
 * a face only says who is writing (rt_store_set_actor). This header reads the log,
 * checks it (rt_audit_verify) and notes what the triggers cannot see (an import).
 */
#ifndef RIGHTSTRACK_AUDIT_H
#define RIGHTSTRACK_AUDIT_H

#include <jansson.h>

#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/* The hex BLAKE2b-256 hash of an entry, NUL-terminated. */
#define RT_AUDIT_HASH_HEX 65

/*
 * Says who writes through st from now on: actor is "cli:alice" (the command line
 * and the OS user), "web:anonymous" or an account's name; via, which may be NULL,
 * the command or request ("step add", "POST /api/v1/steps"). Both are copied.
 * Until it is called, entries say "rightstrack". Cannot fail.
 */
RT_API void rt_store_set_actor(struct rt_store *st, const char *actor, const char *via);

/* One entry of the log, as read. Every string is owned by the entry. */
struct rt_audit_entry {
    int64_t id;
    char *at;        /* "2026-12-05T07:04:13Z"; NULL when unsealed */
    char *actor;     /* NULL when unsealed */
    char *via;       /* may be NULL */
    char *table;     /* "step", or "import" */
    char *op;        /* insert, update, delete, snapshot, import */
    char *record;    /* "step:3", "step:3 answers ask:2", "source:2" */
    char *before;    /* JSON text, or NULL */
    char *after;     /* JSON text, or NULL */
    char *prev_hash; /* hex, or NULL */
    char *hash;      /* hex, or NULL when unsealed */
};

/* Which entries rt_audit_log reads; zero (or NULL) fields select all. */
struct rt_audit_filter {
    const char *since;  /* a date or time: entries at or after it ("2026-12-01") */
    const char *record; /* a record as rt_audit_ref gives it: its entries, and those of
                           the records that belong to it or link to it */
    int64_t limit;      /* the last this many (0: all) */
};

/*
 * Reads the entries f selects, oldest first. *out is NULL on entry and set on
 * success to a new array (free with rt_audit_entries_free, also when *out_n is 0).
 * RT_EINVAL (err names "since") for a since that is not a date; RT_ESTORE on failure.
 */
RT_API int rt_audit_log(struct rt_store *st, const struct rt_audit_filter *f,
                        struct rt_audit_entry **out, size_t *out_n, struct rt_error *err);
RT_API void rt_audit_entries_free(struct rt_audit_entry *v, size_t n);

/*
 * Entries as a JSON array, each an object with id, at, actor, via, table, op,
 * record, before and after (parsed JSON, or null), changed (for an update or a
 * snapshot: the names of the fields whose value differs) and hash. Returns a new
 * reference (json_decref); never NULL.
 */
RT_API json_t *rt_audit_entries_json(const struct rt_audit_entry *v, size_t n);

/*
 * Turns a record as a person names it into the form the log keeps: "step:3",
 * "ask:2", "topic:1", "dialogue:1", "rec:14" ("recommendation:14"), and a round as
 * "round:5" or DIALOGUE#N (both "round:5"), and a link as its three words with either
 * end in any of those forms ("1#2 about rec:14" is "round:5 about recommendation:14";
 * a bare id at the end as `link` takes it). out holds 128 bytes. RT_EINVAL (field
 * "record") for what is no record, RT_ENOTFOUND for a round or dialogue that does
 * not exist (err filled for both).
 */
RT_API int rt_audit_ref(struct rt_store *st, const char *ref, char out[128], struct rt_error *err);

/*
 * The last sealed entry: its number in *out_id and its hash in out_hash (""
 * and 0 when the log has none). Keep both elsewhere: `audit verify --head HASH`
 * then finds entries cut off the end. RT_ESTORE on failure.
 */
RT_API int rt_audit_head(struct rt_store *st, int64_t *out_id, char out_hash[RT_AUDIT_HASH_HEX],
                         struct rt_error *err);

/* One thing rt_audit_verify found wrong. */
struct rt_audit_finding {
    const char *kind; /* static: "edited", "removed", "reordered", "inserted", "unsealed",
                         "unexplained", "trigger", "head" */
    int64_t entry;    /* the entry concerned, 0 when none */
    char *record;     /* the record concerned ("step:3"), or NULL; owned */
    char *message;    /* one line for a person; owned */
};

/* What rt_audit_verify checked and found. Zero it before use. */
struct rt_audit_report {
    int64_t entries;  /* entries read */
    int64_t unsealed; /* of them, without a hash */
    int64_t records;  /* ledger rows compared with the log */
    int64_t head_id;  /* the last sealed entry, 0 when none */
    char head[RT_AUDIT_HASH_HEX];
    struct rt_audit_finding *findings; /* owned, in the order found */
    size_t n_findings;
};

/*
 * Checks the whole log and the ledger against it, reading one snapshot of the
 * database:
 * - every sealed entry's hash is that of its contents and of the hash before it,
 *   and the entries chain in the order of their numbers: an edited, removed,
 *   reordered or inserted entry is a finding, and so is one without a hash;
 * - when head is not NULL (a hex hash from rt_audit_head, kept elsewhere), an entry
 *   with that hash is still in the chain: cutting entries off the end is a finding;
 * - every ledger row is as the last sealed entry about it says (replay); a row with
 *   no entry, a row that differs, and an entry about a row that is gone without a
 *   delete entry are findings;
 * - every ledger table still has its audit triggers and the log its guards.
 * Fills *out (zeroed by the caller; release with rt_audit_report_release) and
 * returns 0 whether or not it found anything: the log holds when
 * out->n_findings is 0. Returns RT_EINVAL (field "head") for a head that is not 64
 * hex digits, RT_ESTORE when the database cannot be read (then *out may hold what
 * was found so far; release it all the same). Writes nothing; works on a store
 * opened read-only.
 */
RT_API int rt_audit_verify(struct rt_store *st, const char *head, struct rt_audit_report *out,
                           struct rt_error *err);
RT_API void rt_audit_report_release(struct rt_audit_report *r);

/*
 * Appends an entry for a write that the triggers do not log row by row: an import
 * of recommendations ("import", record "source:ID", after a JSON object of what it
 * added and merged). after is JSON text (NULL for none). Use it inside the
 * transaction of the write, so that both are kept or neither. RT_ESTORE on failure.
 */
RT_API int rt_audit_note(struct rt_store *st, const char *table, const char *op, const char *record,
                         const char *after, struct rt_error *err);

#endif
