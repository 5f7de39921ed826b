/*
 * The schema image: a new database as the migrations leave it (the schema, the
 * states, the UPR sessions, the theme taxonomy), made once at build time by
 * tools/schema_image.c from the very migrations and data embedded in this binary.
 * Writing it out takes a millisecond where replaying the migrations took forty.
 * tests/unit/store/test_sqlite.c checks that both give the same database.
 */
#include "base/compat.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "store/sqlite/sqlite_int.h"

/*
 * gen/schema_image.c: runs of (zero bytes, literal bytes), each a 4-byte
 * little-endian count of zeros, a 4-byte count of literal bytes, then those bytes.
 * rt__schema_image_len is 0 in the image maker itself.
 */
extern const unsigned char rt__schema_image[];
extern const size_t rt__schema_image_len;

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int rt__image_available(void)
{
    return rt__schema_image_len > 0;
}

/*
 * Removes PATH.init-PID files that a process killed while it made path left behind:
 * those whose PID is no longer alive (kill(pid, 0) says ESRCH).
 */
void rt__image_remove_stale(const char *path)
{
    const char *slash = strrchr(path, '/');
    struct rt_buf dir = RT_BUF_INIT, prefix = RT_BUF_INIT, full = RT_BUF_INIT;
    struct dirent *e;
    DIR *d;

    if (slash)
        rt_buf_add(&dir, path, (size_t)(slash - path) + 1);
    else
        rt_buf_adds(&dir, "./");
    rt_buf_addf(&prefix, "%s.init-", slash ? slash + 1 : path);
    if ((d = opendir(dir.buf))) {
        while ((e = readdir(d))) {
            char *end;
            long pid;
            if (strncmp(e->d_name, prefix.buf, prefix.len))
                continue;
            errno = 0;
            pid = strtol(e->d_name + prefix.len, &end, 10);
            if (errno || *end || pid <= 0 || pid == (long)getpid())
                continue;
            if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                continue;
            rt_buf_reset(&full);
            rt_buf_addf(&full, "%s%s", dir.buf, e->d_name);
            unlink(full.buf);
        }
        closedir(d);
    }
    rt_buf_release(&dir);
    rt_buf_release(&prefix);
    rt_buf_release(&full);
}

/*
 * Written to a file of its own, then linked to path, so that nobody opens a half
 * written database. If another process made path meanwhile, that one stays. Files
 * of this kind that a killed process left are removed first.
 */
int rt__image_write(const char *path, struct rt_error *err)
{
    const unsigned char *p = rt__schema_image, *end = p + rt__schema_image_len;
    struct rt_buf tmp = RT_BUF_INIT;
    off_t at = 0;
    int fd, rc = 0;

    rt__image_remove_stale(path);
    rt_buf_addf(&tmp, "%s.init-%ld", path, (long)getpid());
    fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc =
            rt_error_set(err, RT_EIO, path, 0, NULL, "cannot create database: %s", strerror(errno));
        goto out;
    }
    while (p + 8 <= end && rc == 0) {
        uint32_t zeros = le32(p), n = le32(p + 4);
        at += zeros;
        p += 8;
        if (n > (size_t)(end - p))
            RT_BUG("schema image: a run past its end");
        if (pwrite(fd, p, n, at) != (ssize_t)n)
            rc = -1;
        p += n;
        at += n;
    }
    /* Zeros at the end are a hole; then the image is on disk before anyone uses it. */
    if (rc == 0 && (ftruncate(fd, at) < 0 || fdatasync(fd) < 0))
        rc = -1;
    if (rc == 0 && link(tmp.buf, path) < 0 && errno != EEXIST)
        rc = -1;
    if (rc < 0)
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "cannot write database: %s", strerror(errno));
    close(fd);
    unlink(tmp.buf);
out:
    rt_buf_release(&tmp);
    return rc;
}
