/* rightstrack dialogue: add, list and show the standing dialogues between parties. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] dialogue add NAME --party P --party P... [--kind K] [--json]\n"
    "       rightstrack [--db PATH] dialogue list [--json]\n"
    "       rightstrack [--db PATH] dialogue show [--json] DIALOGUE";

static const char help[] =
    "usage: rightstrack [--db PATH] dialogue add NAME --party P --party P... [--kind K]\n"
    "       rightstrack [--db PATH] dialogue list [--json]\n"
    "       rightstrack [--db PATH] dialogue show [--json] DIALOGUE\n"
    "\n"
    "A dialogue is a standing forum between two or more parties, which meets in rounds.\n"
    "A party is a state (name, code or any variant) or an organisation: EU, OSCE,\n"
    "ODIHR, UN, OHCHR, COE. DIALOGUE is a dialogue's id or its exact name.\n"
    "\n"
    "  add NAME      start a dialogue; prints its id\n"
    "    --party P   a party (two or more)\n"
    "    --kind K    bilateral (default), multilateral, ...\n"
    "  list          every dialogue with its parties and rounds\n"
    "  show          a dialogue: parties, rounds, benchmarks\n"
    "  --json        print JSON: {\"id\"} after add, the library's document otherwise\n";

struct dialogue {
    const char *name, *kind;
    const char *parties[32];
    size_t n;
};

static int add_dialogue(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                        struct rt_error *err)
{
    const struct dialogue *d = arg;

    (void)parent;
    return rt_dialogue_add(st, d->name, d->kind, d->parties, d->n, id, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"party", required_argument, NULL, 'p'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct dialogue d = {0};
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            if (d.n == sizeof(d.parties) / sizeof(d.parties[0]))
                return cli_usage(c, usage, "too many parties");
            d.parties[d.n++] = optarg;
            break;
        case 'k':
            d.kind = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind != 1)
        return cli_usage(c, usage, "dialogue add needs one NAME");
    if (d.n < 2)
        return cli_usage(c, usage, "a dialogue needs two --party or more");
    d.name = argv[optind];
    return cli_add(c, "dialogue", json, NULL, NULL, add_dialogue, &d);
}

/* arg: the DIALOGUE to show, or NULL to list them all. */
static int get_dialogues(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    int64_t id;
    int rc;

    if (!arg)
        return rt_dialogue_list(st, doc, err);
    if ((rc = rt_dialogue_find(st, arg, &id, err)) < 0)
        return rc;
    return rt_dialogue_get(st, id, doc, err);
}

static int list_or_show(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
    int show = !strcmp(argv[0], "show"), json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1)
        if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
            return rc;
    if (argc - optind != show)
        return cli_usage(c, usage,
                         show ? "dialogue show needs one DIALOGUE"
                              : "dialogue list takes no arguments");
    return cli_read(c, json, get_dialogues, show ? argv[optind] : NULL,
                    show ? render_dialogue : render_dialogue_list);
}

int cmd_dialogue(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", add}, {"list", list_or_show}, {"show", list_or_show}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
