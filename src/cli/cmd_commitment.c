/* rightstrack commitment: add a conditional commitment made in a round, and resolve it. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] commitment add ROUND --party P [--if CONDITION] --then PROMISE\n"
    "       [--json]\n"
    "       rightstrack [--db PATH] commitment resolve ID fulfilled|lapsed [--step ID]\n"
    "       --date D [--note N] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] commitment add ROUND --party P [--if C] --then PROMISE\n"
    "       rightstrack [--db PATH] commitment resolve ID fulfilled|lapsed --date D [OPTIONS]\n"
    "\n"
    "A commitment is a promise a party made in a round, often conditional: \"if the\n"
    "other side does C, we will do PROMISE\". It is open from the round's date until\n"
    "it is resolved, once, as fulfilled (by a step) or lapsed. ROUND is a round's id or\n"
    "DIALOGUE#ORDINAL.\n"
    "\n"
    "  add ROUND            record a commitment; prints its id\n"
    "    --party P          the party that promised\n"
    "    --if CONDITION     what it depends on, in your own words\n"
    "    --then PROMISE     what was promised\n"
    "  resolve ID STATUS    fulfilled or lapsed\n"
    "    --date D           when (YYYY-MM-DD, YYYY-MM or YYYY)\n"
    "    --step ID          the step that fulfilled it\n"
    "    --note N           a note on the evidence\n"
    "  --json               print {\"id\"}\n"
    "\n"
    "'rightstrack status commitment:ID' shows a commitment's status as of a date.\n";

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"party", required_argument, NULL, 'p'}, {"if", required_argument, NULL, 'i'},
        {"then", required_argument, NULL, 't'},  {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},        {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *party = NULL, *cond = NULL, *promise = NULL;
    int64_t round = 0, id = 0;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            party = optarg;
            break;
        case 'i':
            cond = optarg;
            break;
        case 't':
            promise = optarg;
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
    if (argc - optind != 1)
        return cli_usage(c, usage, "commitment add needs one ROUND");
    if (!party || !promise)
        return cli_usage(c, usage, "commitment add needs --party and --then");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_round_find(st, argv[optind], &round, &err) < 0 ||
        rt_commitment_add(st, round, party, cond, promise, &id, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    cli_print_added(json, "commitment", id);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

static int resolve(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"step", required_argument, NULL, 's'}, {"date", required_argument, NULL, 'd'},
        {"note", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},       {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *date = NULL, *note = NULL, *status;
    int64_t id = 0, step = 0;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (cli_parse_id(optarg, &step) < 0)
                return cli_usage(c, usage, "--step needs a step id, not '%s'", optarg);
            break;
        case 'd':
            date = optarg;
            break;
        case 'n':
            note = optarg;
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
        return cli_usage(c, usage, "commitment resolve needs an ID and fulfilled or lapsed");
    if (cli_parse_id(argv[optind], &id) < 0)
        return cli_usage(c, usage, "'%s' is not a commitment id", argv[optind]);
    status = argv[optind + 1];
    if (strcmp(status, "fulfilled") && strcmp(status, "lapsed"))
        return cli_usage(c, usage, "a commitment resolves as fulfilled or lapsed, not '%s'",
                         status);
    if (!date)
        return cli_usage(c, usage, "commitment resolve needs --date");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_commitment_resolve(st, id, status, step, date, note, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json)
        cli_print_json(json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", status,
                                 "as_of", date));
    else
        printf("commitment %lld %s as of %s\n", (long long)id, status, date);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_commitment(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {"resolve", resolve}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
