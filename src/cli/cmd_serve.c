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
    "rightstrack [--db PATH] serve [--host 127.0.0.1] [--port 8080] [--threads N] [--public]\n"
    "       [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDR] [--allow-host NAME]...\n"
    "       [--unsafe-no-auth]";

static const char help[] =
    "usage: rightstrack [--db PATH] serve [--host 127.0.0.1] [--port 8080]\n"
    "       [--threads N] [--public] [--tls-cert FILE --tls-key FILE]\n"
    "       [--trusted-proxy ADDR] [--allow-host NAME]... [--unsafe-no-auth]\n"
    "\n"
    "Serves the web pages (search, recommendations, dialogues, rounds) and the\n"
    "JSON API under /api/v1/ (docs/api.yaml) until Ctrl-C or SIGTERM, then\n"
    "finishes the requests in flight. Prints 'listening on http://HOST:PORT'.\n"
    "A database that does not exist yet is created, as import creates one.\n"
    "\n"
    "While the database has no account (see 'rightstrack user'), everyone on\n"
    "this machine may read and write, and serve listens on loopback only. Once\n"
    "there are accounts, reading needs a login (unless --public) and writing\n"
    "always does; then serve may listen on any address.\n"
    "\n"
    "  --host ADDR          the address to listen on (default 127.0.0.1)\n"
    "  --port N             the port; 0 picks a free one (default 8080)\n"
    "  --threads N          worker threads (default 2)\n"
    "  --public             with accounts: anyone may read without logging in\n"
    "  --tls-cert FILE      serve https with this PEM certificate (chain)\n"
    "  --tls-key FILE       and this PEM private key\n"
    "  --trusted-proxy ADDR believe X-Forwarded-For and X-Forwarded-Proto from\n"
    "                       this address only (a reverse proxy on this machine)\n"
    "  --allow-host NAME    a name (besides the address, and localhost for\n"
    "                       loopback) by which browsers may reach the server, as\n"
    "                       in a reverse proxy's; requests naming another Host\n"
    "                       get 421 (a guard against DNS rebinding); repeatable\n"
    "  --unsafe-no-auth     allow an address other than loopback on a database\n"
    "                       without accounts: anyone who can reach it can read\n"
    "                       and write everything\n";

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
    const char *host = "127.0.0.1", *cert = NULL, *key = NULL, *proxy = NULL;
    char port[16] = "8080", threads[16] = "2";
    int allow_remote = 0, public_read = 0, rc;
    char path[PATH_MAX];
    long port_n = 8080, threads_n = 2;
    struct cli_list allow = {{NULL}, 0};
    struct cli_option opts[] = {OPT_STRING("host", &host, "ADDR", NULL),
                                OPT_INT("port", &port_n, 0, 65535, "N", NULL),
                                OPT_INT("threads", &threads_n, 1, 64, "N", NULL),
                                OPT_FLAG("public", &public_read, NULL),
                                OPT_STRING("tls-cert", &cert, "FILE", NULL),
                                OPT_STRING("tls-key", &key, "FILE", NULL),
                                OPT_STRING("trusted-proxy", &proxy, "ADDR", NULL),
                                OPT_LIST("allow-host", &allow, "NAME", NULL),
                                OPT_FLAG("unsafe-no-auth", &allow_remote, NULL),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    for (size_t i = 0; i < allow.n; i++)
        if (!*allow.v[i] || strpbrk(allow.v[i], "/:@ \t"))
            return cli_usage(c, usage,
                             "--allow-host takes a host name, such as rights.example.org");
    if (allow.n > 32)
        return cli_usage(c, usage, "--allow-host is given at most 32 times");
    if (!cert != !key)
        return cli_usage(c, usage, "give both --tls-cert and --tls-key, or neither");
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
    {
        /* A database that does not exist yet is made, as import makes one. */
        struct rt_store *st = NULL;
        /* sqlite:PATH names the file PATH (store.h); a PostgreSQL URL is no file. */
        const char *file = rt_store_url_file(c->db_path);
        int fresh = file && access(file, F_OK) != 0;
        if (cli_open(c, RT_STORE_CREATE, &st) != EXIT_OK)
            return EXIT_FAIL;
        rt_store_close(st);
        if (fresh)
            fprintf(stderr, "%s: created the database %s\n", c->prog, c->db_path);
    }
    char *args[24 + 2 * 32] = {"rightstrack-serve",
                               "--db",
                               (char *)(uintptr_t)c->db_path,
                               "--host",
                               (char *)(uintptr_t)host,
                               "--port",
                               port,
                               "--threads",
                               threads};
    size_t n = 9;
    if (allow_remote)
        args[n++] = "--unsafe-no-auth";
    if (public_read)
        args[n++] = "--public";
    if (cert) {
        args[n++] = "--tls-cert", args[n++] = (char *)(uintptr_t)cert;
        args[n++] = "--tls-key", args[n++] = (char *)(uintptr_t)key;
    }
    if (proxy)
        args[n++] = "--trusted-proxy", args[n++] = (char *)(uintptr_t)proxy;
    for (size_t i = 0; i < allow.n; i++)
        args[n++] = "--allow-host", args[n++] = (char *)(uintptr_t)allow.v[i];
    fflush(NULL);
    execv(path, args);
    fprintf(stderr, "%s: cannot start %s: %s\n", c->prog, path, strerror(errno));
    return EXIT_FAIL;
}
