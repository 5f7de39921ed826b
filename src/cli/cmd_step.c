/* rightstrack step: add a step a party took (with what it answers), and list steps. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] step add --actor P --date D --kind K [--negative]\n"
    "       [--quantity N] [--source S] [--answers REF]... [--welcomed-in ROUND]...\n"
    "       [--responds-to STEP]... [--json] TEXT\n"
    "       rightstrack [--db PATH] step list [--dialogue D] [--actor P]\n"
    "       [--json | --format csv|xlsx [--out FILE]]";

static const char head[] =
    "usage: rightstrack [--db PATH] step add --actor P --date D --kind K [OPTIONS] TEXT\n"
    "       rightstrack [--db PATH] step list [--dialogue D] [--actor P] [--json]\n"
    "\n"
    "A step is something a party did: released prisoners, adopted a law, eased\n"
    "sanctions, held an election. The step and all its links are written together\n"
    "or not at all.\n"
    "\n"
    "  add TEXT              record a step; TEXT says what happened, in your own words\n";

static const char tail[] =
    "  list                  steps in date order\n"
    "    --dialogue D        only by the parties of dialogue D (id or name)\n"
    "    --actor P           only by party P\n"
    "    --format F          write the list as csv or xlsx (Excel), one row a step\n"
    "    --out FILE          write it to FILE (csv: standard output without it)\n"
    "  --json                print JSON: {\"id\"} after add, the list of steps otherwise\n";

/* --negative: the step's direction, as the description's --direction negative. */
static int negative;
static const struct cli_option extra[] = {OPT_SET("negative", &negative, 1, "a step back"),
                                          OPT_END()};

static void fix(json_t *body)
{
    if (negative)
        json_object_set_new(body, "direction", json_string("negative"));
}

static const struct cli_entity_cmd add_cmd = {"step", NULL, usage, head, tail, NULL, extra, fix};

struct step_filter {
    const char *dialogue, *actor;
};

static int get_steps(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct step_filter *f = arg;
    char code[16];
    int64_t dialogue = 0;
    int rc;

    if ((f->dialogue && (rc = rt_dialogue_find(st, f->dialogue, &dialogue, err)) < 0) ||
        (f->actor && (rc = rt_party_resolve(st, f->actor, code, err)) < 0))
        return rc;
    return rt_step_list(st, dialogue, f->actor ? code : NULL, doc, err);
}

static int list(struct cli *c, int argc, char **argv)
{
    struct step_filter f = {0};
    const char *format = NULL, *out = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("dialogue", &f.dialogue, "D", NULL),
                                OPT_STRING("actor", &f.actor, "P", NULL), OPT_JSON(&json),
                                OPT_EXPORT(&format, &out), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc > 1)
        return cli_usage(c, usage, "step list takes no arguments");
    if (format || out)
        return json ? cli_usage(c, usage, "--json and --format are two outputs: give one")
                    : cli_list_export(c, usage, format, out, get_steps, &f, "Steps");
    return cli_read(c, json, get_steps, &f, render_steps);
}

int cmd_step(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", cli_entity_add_sub}, {"list", list}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
