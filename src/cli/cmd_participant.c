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

struct participant {
    const char *name, *title, *organisation, *party;
};

static int add_participant(struct rt_store *st, int64_t round, const void *arg, int64_t *id,
                           struct rt_error *err)
{
    const struct participant *p = arg;
    return rt_participant_add(st, round, p->name, p->title, p->organisation, p->party, id, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"title", required_argument, NULL, 't'},
                                         {"organisation", required_argument, NULL, 'o'},
                                         {"organization", required_argument, NULL, 'o'},
                                         {"party", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct participant p = {0};
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'n':
            p.name = optarg;
            break;
        case 't':
            p.title = optarg;
            break;
        case 'o':
            p.organisation = optarg;
            break;
        case 'p':
            p.party = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind != 1)
        return cli_usage(c, usage, "participant add needs one ROUND");
    if (!p.name)
        return cli_usage(c, usage, "participant add needs --name");
    return cli_add(c, "participant", json, rt_round_find, argv[optind], add_participant, &p);
}

int cmd_participant(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
