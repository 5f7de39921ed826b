/*
 * The PostgreSQL back end's table of operations (src/store/backend.h) and what it
 * does itself: opening and closing, transactions, the readers (private.c), and the
 * writes of an import, made in the import's working copy.
 *
 * An import is built in a private SQLite store in a temporary directory, by the SQLite
 * back end and so with every domain rule it applies (twins merged, responses ranked,
 * sources, themes, the audit entry); its commit streams it into PostgreSQL
 * (import.c). This keeps both stores' rows the same by construction. Reads are
 * PostgreSQL's own SQL: read.c (recommendations, stats, export), search.c, and the
 * ledger's, reports' and models' files; the ledger's writes go through pg/sql.c.
 */
#define SQLITE_ENABLE_SESSION 1 /* sqlite3.h's session API: a merging import's changes */
#include "base/compat.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include <rightstrack/audit.h>

#include "store/repeats_int.h"
#include "store/pg/ops.h"
#include "store/pg/pg_int.h"
#include "store/sql.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/ops.h"

int rt__pg_fail(struct rt_error *err, const char *what)
{
    return rt_error_set(err, RT_ENOTSUP, NULL, 0, NULL, "not yet supported on PostgreSQL: %s",
                        what);
}

/* Opening and closing. */

static int pg_begin_load(struct rt_store *st, struct rt_error *err);
static int pg_commit(struct rt_store *st, struct rt_error *err);
static void pg_close(struct rt_store *st);

/*
 * init (RT_STORE_INIT) gives a new database the states (ISO 3166, their names and
 * groups) as a new SQLite file gets them from its first migration, so that a ledger can
 * be written before any import (dialogue add --party Canada): an empty load, whose
 * commit moves the seeded tables of its working copy. An import moves them anyway.
 */
static int pg_seed(struct rt_store *st, struct rt_error *err)
{
    PGresult *r =
        rt__pg_exec(PG(st)->pg, "pg_seeded", "SELECT EXISTS (SELECT 1 FROM state)", 0, NULL, err);
    int seeded, rc;

    if (!r)
        return RT_ESTORE;
    seeded = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    if (seeded)
        return 0;
    if ((rc = pg_begin_load(st, err)) < 0)
        return rc;
    return pg_commit(st, err);
}

int rt__pg_open(struct rt_store **out, const char *target, unsigned flags, struct rt_error *err)
{
    struct pg_store *s;
    int rc;

    *out = NULL;
    s = rt_xcalloc(1, sizeof(*s));
    rt_buf_init(&s->theme_ids_sql, 0);
    {
        const char *after = getenv("RT_PG_TEXT_AFTER");
        s->text_after = after && *after ? (unsigned)strtoul(after, NULL, 10) : PG_TEXT_AFTER;
        s->tx_kept = -1;
        after = getenv("RT_PG_ROWS_AFTER");
        s->rows_after = after && *after ? (unsigned)strtoul(after, NULL, 10) : PG_ROWS_AFTER;
        s->rows_tried = -1;
        s->rows_kept = -1;
    }
    s->base.ops = &rt__pg_ops;
    s->rd = (struct rt__pg_reader)RT__PG_READER_INIT;
    if ((rc = rt__pg_connect(target, &s->pg, err)) < 0) {
        rt_free(s);
        return rc;
    }
    s->readonly = (flags & RT_STORE_READONLY) != 0;
    if (flags & RT_STORE_READONLY) {
        PGresult *r = rt__pg_exec(s->pg, "pg_open_version",
                                  "SELECT value FROM meta WHERE key = 'pg_schema'", 0, NULL, err);
        if (!r) {
            rc = RT_ESTORE;
        } else {
            s->schema = PQntuples(r) ? (int)strtol(PQgetvalue(r, 0, 0), NULL, 10) : 0;
            PQclear(r);
        }
    } else {
        rc = rt__pg_migrate(s->pg, &s->schema, err);
    }
    if (rc < 0) {
        rt__pg_close(s->pg);
        rt_free(s);
        return rc;
    }
    if (s->schema >= 11) /* the audit log's: its entries are sealed at COMMIT */
        rt__pg_set_audit(s->pg, NULL, NULL);
    if ((flags & RT_STORE_INIT) && !(flags & RT_STORE_READONLY) &&
        (rc = pg_seed((struct rt_store *)(void *)s, err)) < 0) {
        pg_close((struct rt_store *)(void *)s);
        return rc;
    }
    *out = (struct rt_store *)(void *)s;
    return 0;
}

static void scratch_drop(struct pg_store *s)
{
    static const char *const files[] = {"load.db", "load.db-wal", "load.db-shm", "load.db-journal"};
    struct rt_buf p = RT_BUF_INIT;

    if (s->track)
        sqlite3session_delete(s->track);
    s->track = NULL;
    if (s->scratch)
        rt__sqlite_close(s->scratch);
    s->scratch = NULL;
    if (!s->scratch_dir)
        return;
    for (size_t i = 0; i < RT_ARRAY_SIZE(files); i++) {
        rt_buf_reset(&p);
        rt_buf_addf(&p, "%s/%s", s->scratch_dir, files[i]);
        unlink(p.buf);
    }
    rmdir(s->scratch_dir);
    rt_buf_release(&p);
    rt_free(s->scratch_dir);
    s->scratch_dir = NULL;
    s->merge = 0;
}

void rt__pg_caches_clear(struct pg_store *s)
{
    rt__strmap_release(&s->state_ids);
    rt__strmap_release(&s->state_at);
    for (size_t i = 0; i < s->n_states; i++)
        rt_free(s->states[i].name);
    rt_free(s->states);
    s->states = NULL;
    s->n_states = s->states_alloc = 0;
    rt__strmap_release(&s->theme_at);
    rt_free(s->theme_pool);
    s->theme_pool = NULL;
    s->n_theme_pool = s->theme_pool_alloc = 0;
    rt__pg_words_release(&s->words);
}

static void pg_close(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    scratch_drop(s);
    if (s->in_tx || s->in_read)
        rt__pg_end(s->pg, 0, NULL);
    rt__pg_rows_free(s->rows);
    rt__pg_close(s->pg);
    rt__pg_sql_release(&s->sql);
    rt__pg_reader_release(&s->rd);
    for (size_t i = 0; i < s->n_search; i++) {
        rt_free(s->search_sql[i]);
        rt_free(s->search_name[i]);
    }
    rt_free(s->search_sql);
    rt_free(s->search_name);
    rt__facets_free(s->fx);
    rt__pg_text_free(s->tx);
    rt__pg_caches_clear(s);
    rt_buf_release(&s->theme_ids_sql);
    rt_free(s->actor);
    rt_free(s->via);
    rt_free(s);
}

static int pg_schema_version(struct rt_store *st)
{
    return PG(st)->schema;
}

static void pg_set_actor(struct rt_store *st, const char *actor, const char *via)
{
    struct pg_store *s = PG(st);

    rt_free(s->actor);
    rt_free(s->via);
    s->actor = actor ? rt_xstrdup(actor) : NULL;
    s->via = via ? rt_xstrdup(via) : NULL;
    if (s->schema >= 11) /* the audit log's: its entries are sealed at COMMIT */
        rt__pg_set_audit(s->pg, actor, via);
}

static int pg_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__pg_fail(err, "changing the reader during an import");
    return rt__pg_reader_set(s->pg, &s->rd, s->in_tx || s->in_read, reader, err);
}

static enum rt_reader pg_reader(const struct rt_store *st)
{
    return ((const struct pg_store *)(const void *)st)->rd.reader;
}

/* Repeats (repeats.c). */

static void pg_read_end(struct rt_store *st);

static int pg_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err)
{
    if (PG(st)->scratch)
        return rt__pg_fail(err, "repeats during an import");
    return rt__repeats_fresh_read(st, out_fresh, err);
}

static int pg_begin(struct rt_store *st, struct rt_error *err);
static void pg_rollback(struct rt_store *st);

static int pg_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                              struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->scratch)
        return rt__pg_fail(err, "repeats during an import");
    if (s->readonly)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "the database is open read-only: repeats cannot be stored");
    /* In the open transaction, or in one of its own. */
    if (!s->in_tx) {
        if ((rc = pg_begin(st, err)) < 0)
            return rc;
        if ((rc = rt__repeats_compute_in(st, rt__pg_repeats_put, out_pairs, out_clusters, err)) <
            0) {
            pg_rollback(st);
            return rc;
        }
        return pg_commit(st, err);
    }
    return rt__repeats_compute_in(st, rt__pg_repeats_put, out_pairs, out_clusters, err);
}

/* A stale store opened read-only computes the repeats in memory, as SQLite's does. */

static int pg_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                           struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err)
{
    return rt__repeat_pairs_read(st, PG(st)->readonly, threshold, min_cycle_gap, out, out_n, err);
}

static int pg_repeats_of(struct rt_store *st, int64_t id, double threshold, struct rt_repeats *out,
                         struct rt_error *err)
{
    return rt__repeats_of_read(st, PG(st)->readonly, id, threshold, out, err);
}

static int pg_may_write(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    return !s->readonly && !s->in_tx && !s->in_read && !s->scratch;
}

/* Transactions. */

static int pg_read_begin(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->in_tx || s->in_read)
        return 0;
    if ((rc = rt__pg_begin(s->pg, "REPEATABLE READ", err)) == 0)
        s->in_read = 1;
    return rc;
}

static void pg_read_end(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    /* A read wrote nothing: committed when the reader changed in it, so that the
     * change stays (else rolled back, and the change made again). */
    if (s->in_read) {
        rt__pg_reader_ended(s->pg, &s->rd,
                            rt__pg_end(s->pg, s->rd.dirty, NULL) == 0 && s->rd.dirty);
        s->in_read = 0;
        rt__pg_rows_keep(s);
    }
    s->in_read = 0;
}

static int pg_begin(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->in_tx || s->scratch)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "a transaction is already open");
    pg_read_end(st);
    if ((rc = rt__pg_begin(s->pg, "SERIALIZABLE", err)) == 0)
        s->in_tx = 1;
    return rc;
}

/* Whether PostgreSQL holds any recommendation or audit entry: a load needs neither. */
int rt__pg_empty(struct pg_store *s, int *empty, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(s->pg, "pg_empty",
                              "SELECT NOT EXISTS (SELECT 1 FROM recommendation)"
                              " AND NOT EXISTS (SELECT 1 FROM audit_log)",
                              0, NULL, err);

    if (!r)
        return RT_ESTORE;
    *empty = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return 0;
}

/* The working copy of a load on a database with data gets PostgreSQL's rows, and the
 * data version they are of, from one snapshot (rt__pg_seed, move.c). */
static int merge_seed(struct pg_store *s, struct rt_error *err)
{
    int rc;

    if ((rc = rt__pg_begin(s->pg, "REPEATABLE READ READ ONLY", err)) < 0)
        return rc;
    if ((rc = rt__pg_data_version(s, &s->merge_version, err)) == 0)
        rc = rt__pg_seed(s->pg, s->scratch, &s->track, err);
    rt__pg_end(s->pg, 0, NULL);
    if (rc == 0)
        s->merge = 1;
    return rc;
}

/* The room a memory file system must have free to hold a working copy: a first
 * import's is about a third of its CSV's size (13 MB for the UPR Info file); a merge's
 * holds the database's rows too, so twice the database's size is added. */
#define WORK_SHM_ROOM (512ULL << 20)

/*
 * Where the working copy goes: under $TMPDIR when it is set (the user's choice, and
 * the tests'), else in /dev/shm (RT_PG_SHM names another folder, for t9036) when it is
 * there with room, else /tmp. The working copy is thrown away after the commit and
 * never synced, so a disk gains it nothing and costs: its pages written back
 * meanwhile, a sync when its journal mode changes, and an unlink that waits for its
 * pages and the blocks' discard (0.1-0.2 s of a 1-2 s import on this machine's ext4,
 * bench/README.md).
 */
static const char *work_base(unsigned long long room)
{
    const char *tmp = getenv("TMPDIR"), *shm = getenv("RT_PG_SHM");
    struct statvfs v;

    if (tmp && *tmp)
        return tmp;
    if (!shm || !*shm)
        shm = "/dev/shm";
    if (statvfs(shm, &v) == 0 && !(v.f_flag & ST_RDONLY) &&
        (unsigned long long)v.f_bavail * v.f_frsize >= room && access(shm, W_OK | X_OK) == 0)
        return shm;
    return "/tmp";
}

static int pg_begin_load(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    struct rt_buf path = RT_BUF_INIT;
    unsigned long long room = WORK_SHM_ROOM;
    int empty, rc;

    if (s->in_tx || s->scratch)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "a transaction is already open");
    /* The transfer names the tables by current_schema(), which is pg_temp then. */
    if (s->rd.reader != RT_READER_ALL)
        return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                            "this store reads for the public and cannot write");
    pg_read_end(st);
    if ((rc = rt__pg_empty(s, &empty, err)) < 0)
        return rc;
    /* A merge's working copy holds the database's rows too: room for twice its size
     * (when the size cannot be read, the working copy goes on disk). */
    if (!empty) {
        PGresult *r = rt__pg_exec(s->pg, "pg_db_size",
                                  "SELECT pg_database_size(current_database())", 0, NULL, NULL);
        room = r ? room + 2 * strtoull(PQgetvalue(r, 0, 0), NULL, 10) : ULLONG_MAX;
        PQclear(r);
    }
    rt_buf_addf(&path, "%s/rightstrack-pg-load.XXXXXX", work_base(room));
    if (!mkdtemp(path.buf)) {
        rc = rt_error_set(err, RT_EIO, path.buf, 0, NULL,
                          "cannot make the import's working directory: %s", strerror(errno));
        rt_buf_release(&path);
        return rc;
    }
    s->scratch_dir = rt_xstrdup(path.buf);
    rt_buf_adds(&path, "/load.db");
    rc = rt__sqlite_open(&s->scratch, path.buf, RT_STORE_CREATE, err);
    rt_buf_release(&path);
    if (rc == 0) {
        rt_store_set_actor(s->scratch, s->actor, s->via);
        if (!empty)
            rc = merge_seed(s, err);
    }
    if (rc == 0 && (rc = rt__sqlite_begin_load(s->scratch, err)) == 0)
        rt__sqlite_load_scratch(s->scratch);
    if (rc < 0)
        scratch_drop(s);
    return rc;
}

static void pg_rollback(struct rt_store *st);

static int pg_commit(struct rt_store *st, struct rt_error *err)
{
    struct pg_store *s = PG(st);
    int rc;

    if (s->scratch && s->merge) {
        void *cs = NULL;
        int cs_len = 0;
        rc = rt__sqlite_commit(s->scratch, err);
        if (rc == 0 && sqlite3session_changeset(s->track, &cs_len, &cs) != SQLITE_OK)
            rc = rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "the import's changes cannot be read");
        sqlite3session_delete(s->track);
        s->track = NULL;
        rt__sqlite_close(s->scratch);
        s->scratch = NULL;
        if (rc == 0)
            rc = rt__pg_merge_write(s, cs, cs_len, err);
        sqlite3_free(cs);
        scratch_drop(s);
        return rc;
    }
    if (s->scratch) {
        rc = rt__sqlite_commit(s->scratch, err);
        rt__sqlite_close(s->scratch);
        s->scratch = NULL;
        if (rc == 0)
            rc = rt__pg_transfer(s, err);
        scratch_drop(s);
        return rc;
    }
    if (!s->in_tx)
        return 0;
    s->in_tx = 0;
    rc = rt__pg_end(s->pg, 1, err);
    rt__pg_reader_ended(s->pg, &s->rd, rc == 0);
    return rc;
}

static void pg_rollback(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        rt__sqlite_rollback(s->scratch);
    scratch_drop(s);
    if (s->in_tx) {
        rt__pg_end(s->pg, 0, NULL);
        rt__pg_reader_ended(s->pg, &s->rd, 0);
    }
    s->in_tx = 0;
}

/* The writes of a load: done in the load's SQLite store. */

#define IN_LOAD(s, what)                                                                           \
    do {                                                                                           \
        if (!(s)->scratch)                                                                         \
            return rt__pg_fail(err, what " outside an import");                                    \
    } while (0)

static int pg_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                         int *out_new, struct rt_error *err)
{
    IN_LOAD(PG(st), "adding a source");
    return rt__sqlite_source_put(PG(st)->scratch, src, out_id, out_new, err);
}

static int pg_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                      unsigned *out_flags, struct rt_error *err)
{
    IN_LOAD(PG(st), "adding a recommendation");
    return rt__sqlite_rec_put(PG(st)->scratch, r, out_id, out_flags, err);
}

static int pg_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                         struct rt_error *err)
{
    IN_LOAD(PG(st), "linking a recommending state");
    return rt__sqlite_rec_add_by(PG(st)->scratch, rec_id, state_id, out_new, err);
}

static int pg_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                            const char *label, const char *origin, double confidence, int *out_new,
                            struct rt_error *err)
{
    if (!PG(st)->scratch) /* themes tag */
        return rt__pg_rec_add_theme(st, rec_id, vocabulary, label, origin, confidence, out_new,
                                    err);
    IN_LOAD(PG(st), "tagging a theme");
    return rt__sqlite_rec_add_theme(PG(st)->scratch, rec_id, vocabulary, label, origin, confidence,
                                    out_new, err);
}

static int pg_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                           struct rt_error *err)
{
    IN_LOAD(PG(st), "linking a recommending state");
    return rt__sqlite_rec_queue_by(PG(st)->scratch, rec_id, state_id, err);
}

static int pg_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                              const char *label, const char *origin, double confidence,
                              struct rt_error *err)
{
    IN_LOAD(PG(st), "tagging a theme");
    return rt__sqlite_rec_queue_theme(PG(st)->scratch, rec_id, vocabulary, label, origin,
                                      confidence, err);
}

static int pg_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                              struct rt_error *err)
{
    if (!PG(st)->scratch) {
        if (by_new)
            *by_new = 0;
        if (themes_new)
            *themes_new = 0;
        return 0;
    }
    return rt__sqlite_rec_links_flush(PG(st)->scratch, by_new, themes_new, err);
}

static int pg_audit_note(struct rt_store *st, const char *table, const char *op, const char *record,
                         const char *after, struct rt_error *err)
{
    IN_LOAD(PG(st), "writing to the audit log");
    return rt_audit_note(PG(st)->scratch, table, op, record, after, err);
}

/* A restore (import of an export file) is written into the load's working copy by
 * SQLite's rules and checks, as any import; the commit moves every table it filled,
 * the ledger's too. Into a database with data, the working copy holds its rows, and
 * SQLite refuses the restore as it does on its own store. */
static int pg_import_export(struct rt_store *st, const char *path, json_t *doc,
                            struct rt_error *err)
{
    IN_LOAD(PG(st), "restoring an export");
    return rt__sqlite_import_export(PG(st)->scratch, path, doc, err);
}

/* The ledger's writes (src/store/sql.h, pg/sql.c). A read transaction ends first and
 * begins again after the write (a web request notes a session's use inside its read),
 * in a snapshot that holds the write. During an import they go to its working copy,
 * through SQLite's store, as the import's own writes do (the private mark of
 * `import --private`, rt_private_set): its triggers make the audit entry, and the
 * commit writes the rows into PostgreSQL with the rest. */

static int pg_sql_exec(struct rt_store *st, struct rt_error *err, int64_t *out_id, const char *sql,
                       const char *types, va_list ap)
{
    struct pg_store *s = PG(st);
    int reading = s->in_read, rc;

    if (s->scratch)
        return rt__sqlite_ops.sql_exec(s->scratch, err, out_id, sql, types, ap);
    pg_read_end(st);
    rc = rt__pg_sql_exec(s->pg, &s->sql, s->in_tx, err, out_id, sql, types, ap);
    if (reading)
        pg_read_begin(st, NULL);
    return rc;
}

static int pg_sql_scalar(struct rt_store *st, struct rt_error *err, int64_t *out_int,
                         json_t **out_json, const char *sql, const char *types, va_list ap)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_scalar(s->scratch, err, out_int, out_json, sql, types, ap);
    return rt__pg_sql_scalar(s->pg, &s->sql, err, out_int, out_json, sql, types, ap);
}

static int pg_sql_rows(struct rt_store *st, struct rt_error *err, rt__sql_row_fn fn, void *ctx,
                       const char *sql, const char *types, va_list ap)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_rows(s->scratch, err, fn, ctx, sql, types, ap);
    return rt__pg_sql_rows(s->pg, &s->sql, err, fn, ctx, sql, types, ap);
}

static int64_t pg_sql_changes(struct rt_store *st)
{
    struct pg_store *s = PG(st);

    return s->scratch ? rt__sqlite_ops.sql_changes(s->scratch) : s->sql.changes;
}

static int pg_sql_group(struct rt_store *st, int op, struct rt_error *err)
{
    struct pg_store *s = PG(st);

    if (s->scratch)
        return rt__sqlite_ops.sql_group(s->scratch, op, err);
    if (op == RT__SQL_GROUP_BEGIN && !s->in_tx)
        pg_read_end(st);
    return rt__pg_sql_group(s->pg, &s->sql, s->in_tx, op, err);
}

/* A transaction PostgreSQL aborted for a conflict with another writer is run again,
 * RT_PG_TRIES times in all. */
static int pg_retry(struct rt_store *st, int attempt, struct rt_error *err)
{
    char *msg;

    if (!rt__pg_conflict(PG(st)->pg))
        return 0;
    if (attempt < RT_PG_TRIES) {
        rt__pg_back_off(attempt);
        if (err)
            rt_error_release(err);
        return 1;
    }
    if (err) {
        msg = rt_xstrdup(err->msg.buf ? err->msg.buf : "");
        rt_error_set(err, RT_ESTORE, NULL, 0, NULL, "gave up after %d tries: %s", attempt, msg);
        rt_free(msg);
    }
    return 0;
}

struct rt_pg *rt__pg_store_conn(struct rt_store *st)
{
    return PG(st)->pg;
}

const struct rt__store_ops rt__pg_ops = {
    .name = "PostgreSQL",
    .open = rt__pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .version = rt__pg_version,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .begin_load = pg_begin_load,
    .state_find = rt__pg_state_find,
    .theme_check = rt__pg_theme_check,
    .state_get = rt__pg_state_get,
    .source_put = pg_source_put,
    .rec_put = pg_rec_put,
    .rec_add_by = pg_rec_add_by,
    .rec_add_theme = pg_rec_add_theme,
    .rec_queue_by = pg_rec_queue_by,
    .rec_queue_theme = pg_rec_queue_theme,
    .rec_links_flush = pg_rec_links_flush,
    .rec_get = rt__pg_rec_get,
    .stats = rt__pg_stats,
    .search = rt__pg_search,
    .search_ids = rt__pg_search_ids,
    .keep_search = rt__pg_keep_search,
    .recs_load = rt__pg_recs_load,
    .model_put = rt__pg_model_put,
    .model_get = rt__pg_model_get,
    .repeat_pairs = pg_repeat_pairs,
    .repeats_of = pg_repeats_of,
    .sql_exec = pg_sql_exec,
    .sql_scalar = pg_sql_scalar,
    .sql_group = pg_sql_group,
    .sql_changes = pg_sql_changes,
    .sql_rows = pg_sql_rows,
    .retry = pg_retry,
    .set_actor = pg_set_actor,
    .repeats_fresh = pg_repeats_fresh,
    .repeats_compute = pg_repeats_compute,
    .may_write = pg_may_write,
    .set_reader = pg_set_reader,
    .reader = pg_reader,
    .audit_note = pg_audit_note,
    .rec_ledger = rt__pg_rec_ledger,
    .export = rt__pg_export,
    .dialogue_list = rt__pg_dialogue_list,
    .dialogue_get = rt__pg_dialogue_get,
    .round_get = rt__pg_round_get,
    .step_list = rt__pg_step_list,
    .status = rt__pg_status,
    .since = rt__pg_since,
    .timeline = rt__pg_timeline,
    .reciprocity = rt__pg_reciprocity,
    .import_export = pg_import_export,
};
