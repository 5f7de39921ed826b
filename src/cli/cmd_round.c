/* rightstrack round: add a round (a meeting) of a dialogue, and show one. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] round add DIALOGUE --date D [--ordinal N] [--place P]\n"
    "       [--summary S] [--source S] [--json]\n"
    "       rightstrack [--db PATH] round show [--json] ROUND\n"
    "       rightstrack [--db PATH] round list [--json] DIALOGUE";

static const char help[] =
    "usage: rightstrack [--db PATH] round add DIALOGUE --date D [OPTIONS]\n"
    "       rightstrack [--db PATH] round show [--json] ROUND\n"
    "       rightstrack [--db PATH] round list [--json] DIALOGUE\n"
    "\n"
    "A round is one meeting of a dialogue. DIALOGUE is a dialogue's id or exact name;\n"
    "ROUND is DIALOGUE#NUMBER: the dialogue's id or name and the round's number in it\n"
    "(\"2#1\", \"US-Belarus#2\"); a bare number is a round's record id.\n"
    "\n"
    "  add DIALOGUE     record a round; prints it as DIALOGUE#NUMBER (\"2#1\")\n"
    "    --date D       YYYY-MM-DD, YYYY-MM or YYYY\n"
    "    --ordinal N    its number in the dialogue (default: the next one)\n"
    "    --place P      where it met\n"
    "    --summary S    a short summary, in your own words\n"
    "    --source S     where the facts come from (readout URL or file)\n"
    "  show ROUND       date, place, participants by side, topics, asks, steps\n"
    "                   welcomed and commitments\n"
    "  list DIALOGUE    the dialogue's rounds in order, each as DIALOGUE#NUMBER\n"
    "  --json           print JSON: {\"id\", \"dialogue\", \"ordinal\", \"ref\"} after add, the\n"
    "                   round's document for show\n";

/* What add_round writes, and the round as people name it ("D#N"), read back. */
struct round_add {
    struct rt_round_in in;
    json_t **doc;
};

static int add_round(struct rt_store *st, int64_t dialogue, const void *arg, int64_t *id,
                     struct rt_error *err)
{
    const struct round_add *a = arg;
    struct rt_round_in r = a->in;
    int rc;

    r.dialogue_id = dialogue;
    if ((rc = rt_round_add(st, &r, id, err)) < 0)
        return rc;
    return rt_round_get(st, *id, a->doc, err);
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},   {"ordinal", required_argument, NULL, 'o'},
        {"place", required_argument, NULL, 'p'},  {"summary", required_argument, NULL, 's'},
        {"source", required_argument, NULL, 'S'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {0}};
    struct rt_round_in r = {0};
    json_t *doc = NULL;
    int64_t id = 0;
    int json = 0, o, rc;
    long v;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            r.date = optarg;
            break;
        case 'o':
            if (cli_parse_int(optarg, 1, 100000, &v) < 0)
                return cli_usage(c, usage, "--ordinal needs a number from 1");
            r.ordinal = (int)v;
            break;
        case 'p':
            r.place = optarg;
            break;
        case 's':
            r.summary = optarg;
            break;
        case 'S':
            r.source = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind != 1)
        return cli_usage(c, usage, "round add needs one DIALOGUE");
    if (!r.date)
        return cli_usage(c, usage, "round add needs --date");
    rc = cli_write(c, rt_dialogue_find, argv[optind], add_round, &(struct round_add){r, &doc}, &id);
    if (rc == EXIT_OK && json)
        cli_print_json(json_pack("{s:I, s:O, s:O, s:O}", "id", (json_int_t)id, "dialogue",
                                 json_object_get(json_object_get(doc, "dialogue"), "id"), "ordinal",
                                 json_object_get(doc, "ordinal"), "ref",
                                 json_object_get(doc, "ref")));
    else if (rc == EXIT_OK)
        printf("added round %s\n", json_string_value(json_object_get(doc, "ref")));
    json_decref(doc);
    return rc;
}

static int get_round(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    int64_t id;
    int rc;

    if ((rc = rt_round_find(st, arg, &id, err)) < 0)
        return rc;
    return rt_round_get(st, id, doc, err);
}

static int show(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1)
        if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
            return rc;
    if (argc - optind != 1)
        return cli_usage(c, usage, "round show needs one ROUND");
    return cli_read(c, json, get_round, argv[optind], render_round);
}

static int get_rounds(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    json_t *d = NULL;
    int64_t id;
    int rc;

    if ((rc = rt_dialogue_find(st, arg, &id, err)) < 0 ||
        (rc = rt_dialogue_get(st, id, &d, err)) < 0)
        return rc;
    *doc = json_incref(json_object_get(d, "rounds"));
    json_decref(d);
    return 0;
}

static int list(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1)
        if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
            return rc;
    if (argc - optind != 1)
        return cli_usage(c, usage, "round list needs one DIALOGUE");
    return cli_read(c, json, get_rounds, argv[optind], render_round_list);
}

int cmd_round(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", add}, {"show", show}, {"list", list}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
