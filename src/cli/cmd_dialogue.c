/* rightstrack dialogue: add, list and show the standing dialogues between parties. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] dialogue add NAME --party P --party P... [--kind K] [--json]\n"
    "       rightstrack [--db PATH] dialogue list [--json]\n"
    "       rightstrack [--db PATH] dialogue show [--json] DIALOGUE";

static const char head[] =
    "usage: rightstrack [--db PATH] dialogue add NAME --party P --party P... [--kind K]\n"
    "       rightstrack [--db PATH] dialogue list [--json]\n"
    "       rightstrack [--db PATH] dialogue show [--json] DIALOGUE\n"
    "\n"
    "A dialogue is a standing forum between two or more parties, which meets in rounds.\n"
    "A party is a state (name, code or any variant) or an organisation: EU, OSCE,\n"
    "ODIHR, UN, OHCHR, COE. DIALOGUE is a dialogue's id or its exact name.\n"
    "\n"
    "  add NAME              start a dialogue; prints its id\n";

static const char tail[] =
    "  list                  every dialogue with its parties and rounds\n"
    "  show                  a dialogue: parties, rounds, benchmarks\n"
    "  --json                print JSON: {\"id\"} after add, the library's document otherwise\n";

static const struct cli_entity_cmd add_cmd = {"dialogue", NULL, usage, head,
                                              tail,       NULL, NULL,  NULL};

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
    int show = !strcmp(argv[0], "show"), json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc - 1 != show)
        return cli_usage(c, usage,
                         show ? "dialogue show needs one DIALOGUE"
                              : "dialogue list takes no arguments");
    return cli_read(c, json, get_dialogues, show ? argv[1] : NULL,
                    show ? render_dialogue : render_dialogue_list);
}

int cmd_dialogue(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", cli_entity_add_sub}, {"list", list_or_show}, {"show", list_or_show}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
