/* rightstrack round: add a round (a meeting) of a dialogue, show one, list them. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] round add DIALOGUE --date D [--ordinal N] [--place P]\n"
    "       [--summary S] [--source S] [--json]\n"
    "       rightstrack [--db PATH] round show [--json] ROUND\n"
    "       rightstrack [--db PATH] round list [--json] DIALOGUE";

static const char head[] =
    "usage: rightstrack [--db PATH] round add DIALOGUE --date D [OPTIONS]\n"
    "       rightstrack [--db PATH] round show [--json] ROUND\n"
    "       rightstrack [--db PATH] round list [--json] DIALOGUE\n"
    "\n"
    "A round is one meeting of a dialogue. DIALOGUE is a dialogue's id or exact name;\n"
    "ROUND is DIALOGUE#NUMBER: the dialogue's id or name and the round's number in it\n"
    "(\"2#1\", \"US-Belarus#2\"); a bare number is a round's record id.\n"
    "\n"
    "  add DIALOGUE          record a round; prints it as DIALOGUE#NUMBER (\"2#1\")\n";

static const char tail[] =
    "  show ROUND            date, place, participants by side, topics, asks, steps\n"
    "                        welcomed and commitments\n"
    "  list DIALOGUE         the dialogue's rounds in order, each as DIALOGUE#NUMBER\n"
    "  --json                print JSON: {\"id\", \"dialogue\", \"ordinal\", \"ref\"} after\n"
    "                        add, the round's document for show\n";

static const struct cli_entity_cmd add_cmd = {"round", "DIALOGUE", usage, head,
                                              tail,    NULL,       NULL,  NULL};

static int get_round(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    int64_t id;
    int rc;

    if ((rc = rt_round_find(st, arg, &id, err)) < 0)
        return rc;
    return rt_round_get(st, id, doc, err);
}

/* round show ROUND and round list DIALOGUE: --json and one argument. */
static int read_one(struct cli *c, int argc, char **argv, const char *need, cli_get_fn *get,
                    void (*render)(const json_t *doc))
{
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "round %s needs one %s", argv[0], need);
    return cli_read(c, json, get, argv[1], render);
}

static int show(struct cli *c, int argc, char **argv)
{
    return read_one(c, argc, argv, "ROUND", get_round, render_round);
}

static int get_rounds(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    json_t *d = NULL;
    int64_t id;
    int rc;

    if ((rc = rt_dialogue_find(st, arg, &id, err)) < 0 ||
        (rc = rt_dialogue_get(st, id, &d, err)) < 0)
        return rc;
    *doc = json_incref(json_object_get(d, "rounds"));
    json_decref(d);
    return 0;
}

static int list(struct cli *c, int argc, char **argv)
{
    return read_one(c, argc, argv, "DIALOGUE", get_rounds, render_round_list);
}

int cmd_round(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", cli_entity_add_sub}, {"show", show}, {"list", list}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
