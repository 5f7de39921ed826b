/*
 * Backups: a consistent copy of a database while others write to it (SQLite's online
 * backup API), the checks a copy must pass before it is restored, and the restore
 * itself (the copy written beside the database, synced, renamed over it).
 */
#include "base/compat.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/embedded.h"
#include <rightstrack/audit.h>

#include "store/sqlite/sqlite_int.h"

/* The newest schema version this build knows: the number of its last migration. */
static int known_schema(void)
{
    static const char prefix[] = "src/store/sqlite/schema/";
    int best = 0;

    for (const struct rt__embedded *e = rt__embedded; e->name; e++) {
        long n;
        if (strncmp(e->name, prefix, sizeof(prefix) - 1))
            continue;
        n = strtol(e->name + sizeof(prefix) - 1, NULL, 10);
        if (n > best)
            best = (int)n;
    }
    return best;
}

/* fsync of a file by name, and of the folder that holds it. */
static int sync_file_and_dir(const char *path)
{
    char *copy = rt_xstrdup(path);
    int fd, rc = 0;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
        rc = -1;
    if (fd >= 0)
        close(fd);
    if (rc == 0 && (fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        if (fsync(fd) < 0)
            rc = -1;
        close(fd);
    }
    rt_free(copy);
    return rc;
}

/* Copies the whole of database from into to, in one step (one read snapshot of from). */
static int copy_db(sqlite3 *from, sqlite3 *to, const char *to_path, struct rt_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    int rc;

    if (!b)
        return rt_error_set(err, RT_EIO, to_path, 0, NULL, "cannot start the copy: %s",
                            sqlite3_errmsg(to));
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_OK);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return rt_error_set(err, RT_EIO, to_path, 0, NULL, "cannot copy the database: %s",
                            sqlite3_errstr(rc));
    return 0;
}

/*
 * Writes a copy of database from (an open connection) to path through a file beside
 * it (PATH.part-PID), synced and renamed, so that path is never a partial copy.
 */
static int write_copy(sqlite3 *from, const char *path, struct rt_error *err)
{
    struct rt_buf tmp = RT_BUF_INIT;
    sqlite3 *to = NULL;
    int rc;

    rt_buf_addf(&tmp, "%s.part-%ld", path, (long)getpid());
    unlink(tmp.buf);
    if (sqlite3_open_v2(tmp.buf, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "cannot create the copy: %s",
                          to ? sqlite3_errmsg(to) : "out of memory");
        goto out;
    }
    if ((rc = copy_db(from, to, path, err)) < 0)
        goto out;
    /* The copy is one file: its pages out of any journal, in rollback mode no more. */
    if (sqlite3_exec(to, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "cannot write the copy: %s",
                          sqlite3_errmsg(to));
        goto out;
    }
    sqlite3_close(to);
    to = NULL;
    if (sync_file_and_dir(tmp.buf) < 0 || rename(tmp.buf, path) < 0 ||
        sync_file_and_dir(path) < 0) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "cannot write the copy: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(to);
    if (rc < 0) {
        unlink(tmp.buf);
        rt_buf_addf(&tmp, "-wal");
        unlink(tmp.buf);
        tmp.len -= 4;
        tmp.buf[tmp.len] = '\0';
        rt_buf_addf(&tmp, "-shm");
        unlink(tmp.buf);
    }
    rt_buf_release(&tmp);
    return rc;
}

int rt__sqlite_backup(struct rt_store *st, const char *path, struct rt_error *err)
{
    struct stat sb;

    if (stat(path, &sb) == 0)
        return rt_error_set(err, RT_EEXIST, path, 0, NULL,
                            "the file exists; a backup is written to a new file");
    return write_copy(st->db, path, err);
}

/* The first row of a one-column query as a new string (or NULL when none). */
static char *first_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    char *out = NULL;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) != SQLITE_NULL)
        out = rt_xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

int rt__sqlite_check_file(const char *path, struct rt_store_check *out, struct rt_error *err)
{
    struct rt_store *st = NULL;
    char *v = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    out->audit = "absent";
    if ((rc = rt_store_open(&st, path, RT_STORE_READONLY, err)) < 0)
        return rc;
    v = first_text(st->db, "PRAGMA integrity_check");
    if (!v || strcmp(v, "ok")) {
        rc = rt_error_set(err, RT_ESTORE, path, 0, NULL, "the database is damaged: %s",
                          v ? v : sqlite3_errmsg(st->db));
        goto out;
    }
    rt_free(v);
    v = first_text(st->db, "SELECT \"table\" || ' row ' || coalesce(rowid, '?') || ' refers to "
                           "a missing row of ' || parent FROM pragma_foreign_key_check");
    if (v) {
        rc = rt_error_set(err, RT_ESTORE, path, 0, NULL, "a broken reference: %s", v);
        goto out;
    }
    out->schema_version = rt_store_schema_version(st);
    if (out->schema_version < 1 || out->schema_version > known_schema()) {
        rc = rt_error_set(err, RT_ESTORE, path, 0, NULL,
                          "schema version %d is not one this rightstrack knows (1 to %d)",
                          out->schema_version, known_schema());
        goto out;
    }
    rt_free(v);
    v = first_text(st->db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name LIKE 'audit%' ORDER BY name LIMIT 1");
    if (v) {
        /* The audit log must hold: a file whose history was rewritten is refused. */
        struct rt_audit_report rep;
        memset(&rep, 0, sizeof(rep));
        if ((rc = rt_audit_verify(st, NULL, &rep, err)) < 0)
            goto out;
        if (rep.n_findings) {
            rc = rt_error_set(err, RT_ESTORE, path, 0, NULL,
                              "the audit log does not hold: %s%s (%zu finding%s; 'rightstrack "
                              "--db %s audit verify' lists them)",
                              rep.findings[0].message, rep.n_findings > 1 ? ", and more" : "",
                              rep.n_findings, rep.n_findings == 1 ? "" : "s", path);
            rt_audit_report_release(&rep);
            goto out;
        }
        rt_audit_report_release(&rep);
        out->audit = "verified";
    }
    rc = 0;
out:
    rt_free(v);
    rt_store_close(st);
    return rc;
}

/*
 * Does another process have the database at path open? Each SQLite connection in WAL
 * mode holds a read lock on one byte of PATH-shm (the "DMS" byte, offset 128) for as
 * long as it has the database open; a write lock on it fails while any does. A
 * process has no lock conflict with itself, so the caller must not hold it open.
 */
static int open_elsewhere(const char *path)
{
    struct rt_buf shm = RT_BUF_INIT;
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
    int fd, busy = 0;

    rt_buf_addf(&shm, "%s-shm", path);
    if ((fd = open(shm.buf, O_RDWR | O_CLOEXEC)) >= 0) {
        busy = fcntl(fd, F_GETLK, &l) == 0 && l.l_type != F_UNLCK;
        close(fd);
    }
    rt_buf_release(&shm);
    return busy;
}

int rt__sqlite_restore(const char *db_path, const char *from, struct rt_store_check *out,
                       struct rt_error *err)
{
    struct rt_store *src = NULL, *old = NULL;
    struct rt_buf side = RT_BUF_INIT;
    struct stat sb;
    int rc;

    if ((rc = rt_store_check_file(from, out, err)) < 0)
        return rc;
    if (stat(db_path, &sb) == 0) {
        if (open_elsewhere(db_path))
            return rt_error_set(err, RT_EINVAL, db_path, 0, NULL,
                                "another program has the database open (a running 'serve'?): "
                                "stop it, then restore");
        /* The old database's last writes leave its WAL, which must not outlive it. */
        if ((rc = rt_store_open(&old, db_path, 0, err)) < 0)
            return rc;
        if (sqlite3_exec(old->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) !=
            SQLITE_OK) {
            rc = rt__db_error(old, err, "checkpoint");
            rt_store_close(old);
            return rc;
        }
        rt_store_close(old);
    }
    if ((rc = rt_store_open(&src, from, RT_STORE_READONLY, err)) < 0)
        return rc;
    rt_buf_addf(&side, "%s.restore", db_path);
    unlink(side.buf);
    rc = write_copy(src->db, side.buf, err);
    rt_store_close(src);
    if (rc == 0 && rename(side.buf, db_path) < 0)
        rc = rt_error_set(err, RT_EIO, db_path, 0, NULL, "cannot replace the database: %s",
                          strerror(errno));
    if (rc == 0) {
        /* An empty WAL and index of the old file: gone with it. */
        rt_buf_reset(&side);
        rt_buf_addf(&side, "%s-wal", db_path);
        unlink(side.buf);
        rt_buf_reset(&side);
        rt_buf_addf(&side, "%s-shm", db_path);
        unlink(side.buf);
        rc = sync_file_and_dir(db_path) < 0
                 ? rt_error_set(err, RT_EIO, db_path, 0, NULL, "cannot sync: %s", strerror(errno))
                 : 0;
    } else {
        unlink(side.buf);
    }
    rt_buf_release(&side);
    return rc;
}
