/* rightstrack topic: add a topic discussed in a round, with the recommendations it is about. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] topic add ROUND TEXT [--theme T] [--rec ID]... [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] topic add ROUND TEXT [--theme T] [--rec ID]...\n"
    "\n"
    "Records a topic the parties discussed in a round. ROUND is a round's id or\n"
    "DIALOGUE#ORDINAL. The topic and all its links are written together or not at all.\n"
    "\n"
    "  --theme T   a theme label, e.g. 'Elections'\n"
    "  --rec ID    a recommendation the topic is about (repeatable)\n"
    "  --json      print {\"id\"}\n";

struct topic {
    const char *text, *theme;
    struct cli_refs recs;
};

static int add_topic(struct rt_store *st, int64_t round, const void *arg, int64_t *id,
                     struct rt_error *err)
{
    const struct topic *t = arg;
    int rc = rt_topic_add(st, round, t->text, t->theme, id, err);

    return rc < 0 ? rc : cli_link_refs(st, "topic", *id, "about", &t->recs, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"theme", required_argument, NULL, 't'},
                                         {"rec", required_argument, NULL, 'r'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct topic t = {.recs = {"rec", "rec", "a recommendation id"}};
    char *text;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            t.theme = optarg;
            break;
        case 'r':
            if (cli_refs_opt(c, usage, &t.recs, optarg) != EXIT_OK)
                return EXIT_USAGE;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind < 2)
        return cli_usage(c, usage, "topic add needs a ROUND and a TEXT");
    t.text = text = cli_join(argc, argv, optind + 1);
    rc = cli_add(c, "topic", json, rt_round_find, argv[optind], add_topic, &t);
    rt_free(text);
    return rc;
}

int cmd_topic(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
