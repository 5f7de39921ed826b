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

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"tracks", required_argument, NULL, 't'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *tracks[64];
    char *text = NULL, from[64], to[64];
    size_t n = 0;
    int64_t dialogue = 0, id = 0;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            if (n == sizeof(tracks) / sizeof(tracks[0]))
                return cli_usage(c, usage, "too many --tracks");
            if (cli_ref(optarg, "rec", to) < 0)
                return cli_usage(c, usage, "--tracks needs ask:ID, rec:ID or step:ID, not '%s'",
                                 optarg);
            tracks[n++] = optarg;
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
        return cli_usage(c, usage, "benchmark add needs a DIALOGUE and a TEXT");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    text = cli_join(argc, argv, optind + 1);
    if (rt_store_begin(st, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    rc = EXIT_FAIL;
    if (rt_dialogue_find(st, argv[optind], &dialogue, &err) < 0 ||
        rt_benchmark_add(st, dialogue, text, &id, &err) < 0)
        goto fail;
    snprintf(from, sizeof(from), "benchmark:%lld", (long long)id);
    for (size_t i = 0; i < n; i++) {
        cli_ref(tracks[i], "rec", to);
        if (rt_link_add(st, from, "tracks", to, &err) < 0)
            goto fail;
    }
    rc = EXIT_OK;
fail:
    if (rc != EXIT_OK)
        cli_fail(c, &err);
    rc = cli_end_write(c, st, rc, &err);
    if (rc == EXIT_OK)
        cli_print_added(json, "benchmark", id);
out:
    rt_free(text);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

static int assess(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"evidence", required_argument, NULL, 'e'},
        {"source", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {0}};
    struct rt_assessment_in a = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char target[64];
    int64_t id = 0, bid;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            a.as_of = optarg;
            break;
        case 'e':
            a.evidence = optarg;
            break;
        case 's':
            a.source = optarg;
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
    if (argc - optind != 2)
        return cli_usage(c, usage, "benchmark assess needs an ID and a status");
    if (cli_parse_id(argv[optind], &bid) < 0)
        return cli_usage(c, usage, "'%s' is not a benchmark id", argv[optind]);
    a.status = argv[optind + 1];
    if (strcmp(a.status, "met") && strcmp(a.status, "partly-met") && strcmp(a.status, "not-met"))
        return cli_usage(c, usage, "a benchmark is met, partly-met or not-met, not '%s'",
                         a.status);
    if (!a.as_of)
        return cli_usage(c, usage, "benchmark assess needs --date");
    snprintf(target, sizeof(target), "benchmark:%lld", (long long)bid);
    a.target = target;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_assess(st, &a, &id, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    cli_print_added(json, "assessment", id);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_benchmark(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {"assess", assess}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
