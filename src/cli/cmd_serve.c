/* rightstrack serve: the web pages and the JSON API. */
#include "cli.h"

#include <rightstrack/http.h>

static const char usage[] =
    "rightstrack [--db PATH] serve [--host 127.0.0.1] [--port 8080] [--threads N] "
    "[--unsafe-no-auth]";

int cmd_serve(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"host", required_argument, NULL, 'H'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"unsafe-no-auth", no_argument, NULL, 'u'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_http_opts ho = {c->db_path, "127.0.0.1", 8080, 2, 0};
    struct rt_error err = RT_ERROR_INIT;
    long v;
    int o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'H':
            ho.host = optarg;
            break;
        case 'p':
            if (cli_parse_int(optarg, 0, 65535, &v) < 0)
                return cli_usage(c, usage, "--port is a number from 0 to 65535");
            ho.port = (unsigned)v;
            break;
        case 't':
            if (cli_parse_int(optarg, 1, 64, &v) < 0)
                return cli_usage(c, usage, "--threads is a number from 1 to 64");
            ho.threads = (unsigned)v;
            break;
        case 'u':
            ho.allow_remote = 1;
            break;
        case 'h':
            return cli_help(
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
                "                     accounts yet, so anyone who can reach it can read all\n");
        default:
            return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage(c, usage, "serve takes no arguments");
    rc = rt_http_serve(&ho, &err) < 0 ? (err.code == RT_EINVAL ? (cli_fail(c, &err), EXIT_USAGE)
                                                                : cli_fail(c, &err))
                                       : EXIT_OK;
    rt_error_release(&err);
    return rc;
}
