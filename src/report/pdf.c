/*
 * HTML to PDF through headless Chromium (Debian's chromium package): the report's HTML
 * goes to a private temporary folder, Chromium prints it, and the folder is removed.
 * Chromium runs in its sandbox where the kernel and the user allow it; only when it
 * says it cannot start one (as root, or without user namespaces) is it run again with
 * --no-sandbox, and that is remembered for the rest of the process.
 */
/* nftw and struct FTW are X/Open. */
#define _XOPEN_SOURCE 700
#include "base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rightstrack/report.h>

#include "report/report_int.h"

extern char **environ;

enum { PDF_TIMEOUT_S = 60 };

/* Set once Chromium has refused to start its sandbox here. */
static volatile int no_sandbox;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* The last line Chromium wrote to its log, for an error message. */
static void log_tail(const char *path, char *out, size_t size)
{
    char buf[4096];
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    char *end, *start;

    out[0] = 0;
    if (!f)
        return;
    if (fseek(f, -(long)(sizeof(buf) - 1), SEEK_END) != 0)
        rewind(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    end = buf + n;
    while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = 0;
    start = strrchr(buf, '\n');
    start = start ? start + 1 : buf;
    n = strlen(start) < size ? strlen(start) : size - 1;
    memcpy(out, start, n);
    out[n] = 0;
}

/* Runs argv with stdout and stderr to log; waits up to PDF_TIMEOUT_S. */
static int run(char *const *argv, const char *log, int *status, struct rt_error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    pid_t pid;
    int rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return rt_error_set(err, RT_EIO, argv[0], 0, NULL,
                            "cannot run %s: %s (install Debian's chromium package, or set"
                            " RIGHTSTRACK_CHROMIUM)",
                            argv[0], strerror(rc));
    for (int waited = 0;; waited++) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return rt_error_errno(err, argv[0], "waiting for the PDF printer");
        if (waited >= PDF_TIMEOUT_S * 20) {
            kill(-pid, SIGKILL);
            waitpid(pid, status, 0);
            return rt_error_set(err, RT_EIO, argv[0], 0, NULL,
                                "%s did not finish the PDF within %d seconds", argv[0],
                                PDF_TIMEOUT_S);
        }
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    /* Chromium may leave helpers behind in its group. */
    kill(-pid, SIGKILL);
    return 0;
}

/* Did Chromium stop because it could not start its sandbox? */
static int sandbox_refused(const char *log)
{
    char buf[8192];
    FILE *f = fopen(log, "rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, "--no-sandbox") || strstr(buf, "No usable sandbox") ||
           strstr(buf, "sandbox_host_linux") || strstr(buf, "zygote_host");
}

int rt__report_pdf(const char *html, size_t len, struct rt_buf *out, struct rt_error *err)
{
    const char *tmp = getenv("TMPDIR"), *prog = getenv("RIGHTSTRACK_CHROMIUM");
    char exe[512], dir[512], page[600], pdf[600], profile[600], log[600], url[640], print[700];
    char tail[300];
    int status = 0, rc;
    FILE *f;

    if (!prog || !*prog)
        prog = "chromium";
    snprintf(exe, sizeof(exe), "%s", prog);
    snprintf(dir, sizeof(dir), "%s/rightstrack-pdf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return rt_error_errno(err, dir, "creating a temporary folder");
    snprintf(page, sizeof(page), "%s/report.html", dir);
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
    snprintf(log, sizeof(log), "%s/chromium.log", dir);
    snprintf(url, sizeof(url), "file://%s", page);
    snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
    snprintf(print, sizeof(print), "--print-to-pdf=%s", pdf);
    if (write_file(page, html, len) < 0) {
        rc = rt_error_errno(err, page, "writing");
        goto done;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        /* The sandbox needs user namespaces or a setuid helper, which containers and
         * root often lack; then, and only then, Chromium runs without it (the page is
         * our own, read from a local file). */
        char *const argv[] = {exe,
                              "--headless",
                              no_sandbox ? "--no-sandbox" : "--disable-gpu",
                              "--disable-gpu",
                              "--no-first-run",
                              "--disable-extensions",
                              "--no-pdf-header-footer",
                              profile,
                              print,
                              url,
                              NULL};
        if ((rc = run(argv, log, &status, err)) < 0)
            goto done;
        if (no_sandbox || (WIFEXITED(status) && WEXITSTATUS(status) == 0) || !sandbox_refused(log))
            break;
        no_sandbox = 1;
    }
    f = fopen(pdf, "rb");
    if (f) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            rt_buf_add(out, chunk, n);
        fclose(f);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->len < 4 ||
        memcmp(out->buf, "%PDF", 4) != 0) {
        log_tail(log, tail, sizeof(tail));
        rc = rt_error_set(err, RT_EIO, prog, 0, NULL, "%s wrote no PDF%s%s", prog,
                          tail[0] ? ": " : "", tail);
        goto done;
    }
    rc = 0;
done:
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
