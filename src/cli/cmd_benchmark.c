/* rightstrack benchmark: add a condition a dialogue tracks, and assess it. */
#include "cli.h"

static const char usage[] =
    "rightstrack [--db PATH] benchmark add DIALOGUE TEXT [--tracks REF]... [--json]\n"
    "       rightstrack [--db PATH] benchmark assess ID met|partly-met|not-met --date D\n"
    "       [--evidence E] [--source S] [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] benchmark add DIALOGUE TEXT [--tracks REF]...\n"
    "       rightstrack [--db PATH] benchmark assess ID met|partly-met|not-met --date D\n"
    "\n"
    "A benchmark is a condition a dialogue tracks (\"all political prisoners released\"),\n"
    "linked to the asks, recommendations and steps it concerns, and assessed over time\n"
    "(each assessment is kept). DIALOGUE is a dialogue's id or exact name. The benchmark\n"
    "and its links are written together or not at all.\n"
    "\n"
    "  add DIALOGUE TEXT     record a benchmark; prints its id\n";

static const char tail[] = "  assess ID STATUS      met, partly-met or not-met\n"
                           "    --date D            as of when (YYYY-MM-DD, YYYY-MM or YYYY)\n"
                           "    --evidence E        what shows it, in your own words\n"
                           "    --source S          where the evidence comes from\n"
                           "  --json                print {\"id\"}\n"
                           "\n"
                           "'rightstrack status benchmark:ID' shows its status as of a date.\n";

static const struct cli_entity_cmd add_cmd = {"benchmark", "DIALOGUE", usage, head,
                                              tail,        NULL,       NULL,  NULL};

/* An assessment of a benchmark: the assessment's fields but the assessor. */
static int assess(struct cli *c, int argc, char **argv)
{
    static const char *const omit[] = {"assessor", NULL};
    struct cli_entity v;
    char target[64];
    const char *status;
    int64_t bid;
    int json = 0, rc;

    cli_entity_init(&v, "assessment", omit, NULL, &json);
    if ((rc = cli_parse_options(c, &argc, argv, v.opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 3)
        return cli_usage(c, usage, "benchmark assess needs an ID and a status");
    if (cli_parse_id(argv[1], &bid) < 0)
        return cli_usage(c, usage, "'%s' is not a benchmark id", argv[1]);
    status = argv[2];
    if (strcmp(status, "met") && strcmp(status, "partly-met") && strcmp(status, "not-met"))
        return cli_usage(c, usage, "a benchmark is met, partly-met or not-met, not '%s'", status);
    snprintf(target, sizeof(target), "benchmark:%lld", (long long)bid);
    argv[1] = target;
    if ((rc = cli_entity_args(c, &v, argc, argv, "benchmark assess", NULL, usage)) >= 0)
        return rc;
    return cli_entity_save(c, &v, json);
}

int cmd_benchmark(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", cli_entity_add_sub}, {"assess", assess}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
