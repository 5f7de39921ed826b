/* rightstrack participant: add a participant (name, title, organisation, side) to a round. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] participant add ROUND --name N [--title T]\n"
                            "       [--organisation O] [--party P] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] participant add ROUND --name N [OPTIONS]\n"
    "\n"
    "Records who took part in a round. ROUND is a round's id or DIALOGUE#ORDINAL.\n"
    "\n"
    "  --name N           the person's name\n"
    "  --title T          their title\n"
    "  --organisation O   their ministry, department or agency\n"
    "  --party P          the side they were on (a state or an organisation)\n"
    "  --json             print {\"id\"}\n";

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},         {"title", required_argument, NULL, 't'},
        {"organisation", required_argument, NULL, 'o'}, {"organization", required_argument, NULL, 'o'},
        {"party", required_argument, NULL, 'p'},        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},               {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *name = NULL, *title = NULL, *org = NULL, *party = NULL;
    int64_t round = 0, id = 0;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'n':
            name = optarg;
            break;
        case 't':
            title = optarg;
            break;
        case 'o':
            org = optarg;
            break;
        case 'p':
            party = optarg;
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
        return cli_usage(c, usage, "participant add needs one ROUND");
    if (!name)
        return cli_usage(c, usage, "participant add needs --name");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_round_find(st, argv[optind], &round, &err) < 0 ||
        rt_participant_add(st, round, name, title, org, party, &id, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    cli_print_added(json, "participant", id);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_participant(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
