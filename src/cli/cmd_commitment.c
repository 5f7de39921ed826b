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

struct commitment {
    const char *party, *condition, *promise;
};

static int add_commitment(struct rt_store *st, int64_t round, const void *arg, int64_t *id,
                          struct rt_error *err)
{
    const struct commitment *m = arg;
    return rt_commitment_add(st, round, m->party, m->condition, m->promise, id, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"party", required_argument, NULL, 'p'}, {"if", required_argument, NULL, 'i'},
        {"then", required_argument, NULL, 't'},  {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},        {0}};
    struct commitment m = {0};
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'p':
            m.party = optarg;
            break;
        case 'i':
            m.condition = optarg;
            break;
        case 't':
            m.promise = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind != 1)
        return cli_usage(c, usage, "commitment add needs one ROUND");
    if (!m.party || !m.promise)
        return cli_usage(c, usage, "commitment add needs --party and --then");
    return cli_add(c, "commitment", json, rt_round_find, argv[optind], add_commitment, &m);
}

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

static int resolve(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"step", required_argument, NULL, 's'}, {"date", required_argument, NULL, 'd'},
        {"note", required_argument, NULL, 'n'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},       {0}};
    struct resolution r = {0};
    int64_t id;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (cli_parse_id(optarg, &r.step) < 0)
                return cli_usage(c, usage, "--step needs a step id, not '%s'", optarg);
            break;
        case 'd':
            r.date = optarg;
            break;
        case 'n':
            r.note = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind != 2)
        return cli_usage(c, usage, "commitment resolve needs an ID and fulfilled or lapsed");
    if (cli_parse_id(argv[optind], &r.id) < 0)
        return cli_usage(c, usage, "'%s' is not a commitment id", argv[optind]);
    r.status = argv[optind + 1];
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
    static const struct subcommand subs[] = {{"add", add}, {"resolve", resolve}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
