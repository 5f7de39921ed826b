/* rightstrack ask: add what one party asked of another in a round. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] ask add ROUND --from P --to P TEXT\n"
                            "       [--theme T] [--rec ID]... [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] ask add ROUND --from P --to P TEXT [OPTIONS]\n"
    "\n"
    "Records an ask: what party --from asked of party --to in a round (urged, called\n"
    "on, requested). ROUND is a round's id or DIALOGUE#ORDINAL. The ask and all its\n"
    "links are written together or not at all. Its status is assessed later with\n"
    "'rightstrack assess ask:ID ...', and steps answer it with 'step add --answers'.\n"
    "\n"
    "  --from P    the party that asked (a state or an organisation)\n"
    "  --to P      the party asked\n"
    "  --theme T   a theme label, e.g. 'Elections'\n"
    "  --rec ID    a recommendation the ask is about (repeatable)\n"
    "  --json      print {\"id\"}\n";

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"theme", required_argument, NULL, 'T'}, {"rec", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
        {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *theme = NULL, *recs[64], *pfrom = NULL, *pto = NULL;
    char *text = NULL, from[64], to[64];
    size_t n = 0;
    int64_t round = 0, id = 0;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            pfrom = optarg;
            break;
        case 't':
            pto = optarg;
            break;
        case 'T':
            theme = optarg;
            break;
        case 'r':
            if (n == sizeof(recs) / sizeof(recs[0]))
                return cli_usage(c, usage, "too many --rec");
            if (cli_ref(optarg, "rec", to) < 0)
                return cli_usage(c, usage, "--rec needs a recommendation id, not '%s'", optarg);
            recs[n++] = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            return cli_help(help);
        default:
            return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage(c, usage, "ask add needs a ROUND and a TEXT");
    if (!pfrom || !pto)
        return cli_usage(c, usage, "ask add needs --from and --to");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    text = cli_join(argc, argv, optind + 1);
    if (rt_store_begin(st, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    rc = EXIT_FAIL;
    if (rt_round_find(st, argv[optind], &round, &err) < 0 ||
        rt_ask_add(st, round, pfrom, pto, text, theme, &id, &err) < 0)
        goto fail;
    snprintf(from, sizeof(from), "ask:%lld", (long long)id);
    for (size_t i = 0; i < n; i++) {
        cli_ref(recs[i], "rec", to);
        if (rt_link_add(st, from, "about", to, &err) < 0)
            goto fail;
    }
    rc = EXIT_OK;
fail:
    if (rc != EXIT_OK)
        cli_fail(c, &err);
    rc = cli_end_write(c, st, rc, &err);
    if (rc == EXIT_OK)
        cli_print_added(json, "ask", id);
out:
    rt_free(text);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_ask(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
