/* rightstrack benchmark: add a condition a dialogue tracks, and assess it. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] benchmark add DIALOGUE TEXT [--tracks REF]... [--json]\n"
    "       rightstrack [--db PATH] benchmark assess ID met|partly-met|not-met --date D\n"
    "       [--evidence E] [--source S] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] benchmark add DIALOGUE TEXT [--tracks REF]...\n"
    "       rightstrack [--db PATH] benchmark assess ID met|partly-met|not-met --date D\n"
    "\n"
    "A benchmark is a condition a dialogue tracks (\"all political prisoners released\"),\n"
    "linked to the asks, recommendations and steps it concerns, and assessed over time\n"
    "(each assessment is kept). DIALOGUE is a dialogue's id or exact name. The benchmark\n"
    "and its links are written together or not at all.\n"
    "\n"
    "  add DIALOGUE TEXT   record a benchmark; prints its id\n"
    "    --tracks REF      ask:ID, rec:ID (or a bare id) or step:ID (repeatable)\n"
    "  assess ID STATUS    met, partly-met or not-met\n"
    "    --date D          as of when (YYYY-MM-DD, YYYY-MM or YYYY)\n"
    "    --evidence E      what shows it, in your own words\n"
    "    --source S        where the evidence comes from\n"
    "  --json              print {\"id\"}\n"
    "\n"
    "'rightstrack status benchmark:ID' shows its status as of a date.\n";

struct benchmark {
    const char *text;
    struct cli_refs tracks;
};

static int add_benchmark(struct rt_store *st, int64_t dialogue, const void *arg, int64_t *id,
                         struct rt_error *err)
{
    const struct benchmark *b = arg;
    int rc = rt_benchmark_add(st, dialogue, b->text, id, err);

    return rc < 0 ? rc : cli_link_refs(st, "benchmark", *id, "tracks", &b->tracks, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"tracks", required_argument, NULL, 't'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct benchmark b = {.tracks = {"tracks", "rec", "ask:ID, rec:ID or step:ID"}};
    char *text;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            if (cli_refs_opt(c, usage, &b.tracks, optarg) != EXIT_OK)
                return EXIT_USAGE;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind < 2)
        return cli_usage(c, usage, "benchmark add needs a DIALOGUE and a TEXT");
    b.text = text = cli_join(argc, argv, optind + 1);
    rc = cli_add(c, "benchmark", json, rt_dialogue_find, argv[optind], add_benchmark, &b);
    rt_free(text);
    return rc;
}

static int assess(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"evidence", required_argument, NULL, 'e'},
        {"source", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {0}};
    struct rt_assessment_in a = {0};
    char target[64];
    int64_t bid;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_assess_opt(o, &a) == 0)
            continue;
        if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
            return rc;
    }
    if (argc - optind != 2)
        return cli_usage(c, usage, "benchmark assess needs an ID and a status");
    if (cli_parse_id(argv[optind], &bid) < 0)
        return cli_usage(c, usage, "'%s' is not a benchmark id", argv[optind]);
    a.status = argv[optind + 1];
    if (strcmp(a.status, "met") && strcmp(a.status, "partly-met") && strcmp(a.status, "not-met"))
        return cli_usage(c, usage, "a benchmark is met, partly-met or not-met, not '%s'", a.status);
    if (!a.as_of)
        return cli_usage(c, usage, "benchmark assess needs --date");
    snprintf(target, sizeof(target), "benchmark:%lld", (long long)bid);
    a.target = target;
    return cli_assess_add(c, json, &a);
}

int cmd_benchmark(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {"assess", assess}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
