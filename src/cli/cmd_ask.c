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

struct ask {
    const char *from, *to, *text, *theme;
    struct cli_refs recs;
};

static int add_ask(struct rt_store *st, int64_t round, const void *arg, int64_t *id,
                   struct rt_error *err)
{
    const struct ask *a = arg;
    int rc = rt_ask_add(st, round, a->from, a->to, a->text, a->theme, id, err);

    return rc < 0 ? rc : cli_link_refs(st, "ask", *id, "about", &a->recs, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"theme", required_argument, NULL, 'T'},
                                         {"rec", required_argument, NULL, 'r'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct ask a = {.recs = {"rec", "rec", "a recommendation id"}};
    char *text;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            a.from = optarg;
            break;
        case 't':
            a.to = optarg;
            break;
        case 'T':
            a.theme = optarg;
            break;
        case 'r':
            if (cli_refs_opt(c, usage, &a.recs, optarg) != EXIT_OK)
                return EXIT_USAGE;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind < 2)
        return cli_usage(c, usage, "ask add needs a ROUND and a TEXT");
    if (!a.from || !a.to)
        return cli_usage(c, usage, "ask add needs --from and --to");
    a.text = text = cli_join(argc, argv, optind + 1);
    rc = cli_add(c, "ask", json, rt_round_find, argv[optind], add_ask, &a);
    rt_free(text);
    return rc;
}

int cmd_ask(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
