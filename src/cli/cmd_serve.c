/*
 * rightstrack serve: the web pages and the JSON API. The options are checked here;
 * the server itself is the program rightstrack-serve (src/http/main.c), which this
 * command becomes (execv: the same process, so signals reach the server), so that
 * no other command loads libmicrohttpd and GnuTLS.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

static const char usage[] =
    "rightstrack [--db PATH] serve [--host 127.0.0.1] [--port 8080] [--threads N] "
    "[--unsafe-no-auth]";

static const char help[] =
    "usage: rightstrack [--db PATH] serve [--host 127.0.0.1] [--port 8080]\n"
    "       [--threads N] [--unsafe-no-auth]\n"
    "\n"
    "Serves the web pages (search, recommendations, dialogues, rounds) and the\n"
    "JSON API under /api/v1/ (docs/api.yaml) until Ctrl-C or SIGTERM, then\n"
    "finishes the requests in flight. Prints 'listening on http://HOST:PORT'.\n"
    "\n"
    "  --host ADDR        the address to listen on (default 127.0.0.1)\n"
    "  --port N           the port; 0 picks a free one (default 8080)\n"
    "  --threads N        worker threads (default 2)\n"
    "  --unsafe-no-auth   allow an address other than loopback: there are no\n"
    "                     accounts yet, so anyone who can reach it can read all\n";

/*
 * The path of rightstrack-serve: beside this program (a build tree, or an install
 * that put both in one folder), else in ../libexec/rightstrack/ of its folder.
 */
static int serve_program(char *out, size_t size)
{
    static const char *const places[] = {"/rightstrack-serve",
                                         "/../libexec/rightstrack/rightstrack-serve"};
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    char *slash;

    if (n <= 0)
        return -1;
    self[n] = '\0';
    if ((slash = strrchr(self, '/')))
        *slash = '\0';
    for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
        int w = snprintf(out, size, "%s%s", self, places[i]);
        if (w > 0 && (size_t)w < size && access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
    const char *host = "127.0.0.1";
    char port[16] = "8080", threads[16] = "2";
    int allow_remote = 0, rc;
    char path[PATH_MAX];
    long port_n = 8080, threads_n = 2;
    struct cli_option opts[] = {OPT_STRING("host", &host, "ADDR", NULL),
                                OPT_INT("port", &port_n, 0, 65535, "N", NULL),
                                OPT_INT("threads", &threads_n, 1, 64, "N", NULL),
                                OPT_FLAG("unsafe-no-auth", &allow_remote, NULL), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    snprintf(port, sizeof(port), "%ld", port_n);
    snprintf(threads, sizeof(threads), "%ld", threads_n);
    if (serve_program(path, sizeof(path)) < 0) {
        fprintf(stderr,
                "%s: cannot find the web server program rightstrack-serve: it belongs next "
                "to rightstrack, or in ../libexec/rightstrack/ of its folder (make install "
                "puts it there)\n",
                c->prog);
        return EXIT_FAIL;
    }
    char *args[] = {"rightstrack-serve",
                    "--db",
                    (char *)(uintptr_t)c->db_path,
                    "--host",
                    (char *)(uintptr_t)host,
                    "--port",
                    port,
                    "--threads",
                    threads,
                    allow_remote ? "--unsafe-no-auth" : NULL,
                    NULL};
    fflush(NULL);
    execv(path, args);
    fprintf(stderr, "%s: cannot start %s: %s\n", c->prog, path, strerror(errno));
    return EXIT_FAIL;
}
