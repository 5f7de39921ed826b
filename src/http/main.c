/*
 * rightstrack-serve: the web server as a program of its own, started by
 * `rightstrack serve` (src/cli/cmd_serve.c) with options it has already checked.
 * Only this program links libmicrohttpd, and with it GnuTLS and their libraries:
 * loading them cost every other command about 6 ms at start.
 */
#include <getopt.h>
#include <stdlib.h>

#include <rightstrack/http.h>

static int usage(void)
{
    fputs("usage: rightstrack-serve --db PATH [--host ADDR] [--port N] [--threads N] "
          "[--unsafe-no-auth] [--allow-host NAME]...\n"
          "       [--public] [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDR]\n"
          "rightstrack-serve is started by 'rightstrack serve'; see 'rightstrack serve "
          "--help'.\n",
          stderr);
    return 2;
}

/* A number from lo to hi, all of s; -1 otherwise. */
static long number(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= lo && v <= hi ? v : -1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"host", required_argument, NULL, 'H'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"unsafe-no-auth", no_argument, NULL, 'u'},
                                         {"public", no_argument, NULL, 'P'},
                                         {"tls-cert", required_argument, NULL, 'c'},
                                         {"tls-key", required_argument, NULL, 'k'},
                                         {"trusted-proxy", required_argument, NULL, 'x'},
                                         {"allow-host", required_argument, NULL, 'a'},
                                         {0}};
    struct rt_http_opts ho = {.db_path = NULL, .host = "127.0.0.1", .port = 8080, .threads = 2};
    const char *allow[32];
    struct rt_error err = RT_ERROR_INIT;
    long v;
    int o, rc;

    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            ho.db_path = optarg;
            break;
        case 'H':
            ho.host = optarg;
            break;
        case 'p':
            if ((v = number(optarg, 0, 65535)) < 0)
                return usage();
            ho.port = (unsigned)v;
            break;
        case 't':
            if ((v = number(optarg, 1, 64)) < 0)
                return usage();
            ho.threads = (unsigned)v;
            break;
        case 'u':
            ho.allow_remote = 1;
            break;
        case 'P':
            ho.public_read = 1;
            break;
        case 'c':
            ho.tls_cert = optarg;
            break;
        case 'k':
            ho.tls_key = optarg;
            break;
        case 'x':
            ho.trusted_proxy = optarg;
            break;
        case 'a':
            if (ho.n_allow_hosts == sizeof(allow) / sizeof(allow[0]))
                return usage();
            allow[ho.n_allow_hosts++] = optarg;
            break;
        default:
            return usage();
        }
    }
    if (optind != argc || !ho.db_path)
        return usage();
    ho.allow_hosts = allow;
    if (rt_http_serve(&ho, &err) == 0)
        return 0;
    /* As the rest of rightstrack says it: a refused address is a usage error. */
    rt_error_print(&err, "rightstrack", stderr);
    rc = err.code == RT_EINVAL ? 2 : 1;
    rt_error_release(&err);
    return rc;
}
