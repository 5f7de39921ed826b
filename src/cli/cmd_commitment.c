/* rightstrack commitment: add a conditional commitment made in a round, and resolve it. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] commitment add ROUND --party P [--if CONDITION] --then PROMISE\n"
    "       [--json]\n"
    "       rightstrack [--db PATH] commitment resolve ID fulfilled|lapsed [--step ID]\n"
    "       --date D [--note N] [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] commitment add ROUND --party P [--if C] --then PROMISE\n"
    "       rightstrack [--db PATH] commitment resolve ID fulfilled|lapsed --date D [OPTIONS]\n"
    "\n"
    "A commitment is a promise a party made in a round, often conditional: \"if the\n"
    "other side does C, we will do PROMISE\". It is open from the round's date until\n"
    "it is resolved, once, as fulfilled (by a step) or lapsed. ROUND is a round's id or\n"
    "DIALOGUE#ORDINAL.\n"
    "\n"
    "  add ROUND             record a commitment; prints its id\n";

static const char tail[] =
    "  resolve ID STATUS     fulfilled or lapsed\n"
    "    --date D            when (YYYY-MM-DD, YYYY-MM or YYYY)\n"
    "    --step ID           the step that fulfilled it\n"
    "    --note N            a note on the evidence\n"
    "  --json                print {\"id\"}\n"
    "\n"
    "'rightstrack status commitment:ID' shows a commitment's status as of a date.\n";

static const struct cli_entity_cmd add_cmd = {"commitment", "ROUND", usage, head,
                                              tail,         NULL,    NULL,  NULL};

struct resolution {
    int64_t id, step;
    const char *status, *date, *note;
};

static int resolve_commitment(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                              struct rt_error *err)
{
    const struct resolution *r = arg;

    (void)parent;
    *id = r->id;
    return rt_commitment_resolve(st, r->id, r->status, r->step, r->date, r->note, err);
}

static int step_id(const struct cli_option *o, const char *arg)
{
    return cli_parse_id(arg, o->value);
}

static int resolve(struct cli *c, int argc, char **argv)
{
    struct resolution r = {0};
    int64_t id;
    int json = 0, rc;
    struct cli_option opts[] = {
        {CLI_OPT_CALLBACK, "step", 0, &r.step, "ID", NULL, 0, 0, 0, step_id, "a step id", NULL},
        OPT_STRING("date", &r.date, "D", NULL),
        OPT_STRING("note", &r.note, "N", NULL),
        OPT_JSON(&json),
        OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 3)
        return cli_usage(c, usage, "commitment resolve needs an ID and fulfilled or lapsed");
    if (cli_parse_id(argv[1], &r.id) < 0)
        return cli_usage(c, usage, "'%s' is not a commitment id", argv[1]);
    r.status = argv[2];
    if (strcmp(r.status, "fulfilled") && strcmp(r.status, "lapsed"))
        return cli_usage(c, usage, "a commitment resolves as fulfilled or lapsed, not '%s'",
                         r.status);
    if (!r.date)
        return cli_usage(c, usage, "commitment resolve needs --date");
    if ((rc = cli_write(c, NULL, NULL, resolve_commitment, &r, &id)) != EXIT_OK)
        return rc;
    if (json)
        cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)r.id, "status", r.status,
                                 "as_of", r.date));
    else
        printf("commitment %lld %s as of %s\n", (long long)r.id, r.status, r.date);
    return EXIT_OK;
}

int cmd_commitment(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", cli_entity_add_sub}, {"resolve", resolve}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
