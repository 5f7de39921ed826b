/* rightstrack step: add a step a party took (with what it answers), and list steps. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] =
    "rightstrack [--db PATH] step add --actor P --date D --kind K [--negative]\n"
    "       [--quantity N] [--source S] [--answers REF]... [--welcomed-in ROUND]...\n"
    "       [--responds-to STEP]... [--json] TEXT\n"
    "       rightstrack [--db PATH] step list [--dialogue D] [--actor P]\n"
    "       [--json | --format csv|xlsx [--out FILE]]";

static const char help[] =
    "usage: rightstrack [--db PATH] step add --actor P --date D --kind K [OPTIONS] TEXT\n"
    "       rightstrack [--db PATH] step list [--dialogue D] [--actor P] [--json]\n"
    "\n"
    "A step is something a party did: released prisoners, adopted a law, eased\n"
    "sanctions, held an election. The step and all its links are written together\n"
    "or not at all.\n"
    "\n"
    "  add TEXT              record a step; TEXT says what happened, in your own words\n"
    "    --actor P           the party that took it (a state or an organisation)\n"
    "    --date D            YYYY-MM-DD, YYYY-MM or YYYY\n"
    "    --kind K            prisoner-release, pardon, amnesty, arrest, detention,\n"
    "                        conviction, law-adopted, law-amended, law-repealed,\n"
    "                        election-held, registration-granted, registration-refused,\n"
    "                        sanctions-imposed, sanctions-eased, sanctions-lifted, visit,\n"
    "                        statement, report-published, ratification, invitation, other\n"
    "    --negative          a step back (default: a positive step)\n"
    "    --quantity N        how many (prisoners released, say)\n"
    "    --source S          where the facts come from\n"
    "    --answers REF       an ask (ask:ID) or a recommendation (rec:ID, or a bare id)\n"
    "                        the step answers (repeatable)\n"
    "    --welcomed-in ROUND a round (id or DIALOGUE#ORDINAL) that welcomed it\n"
    "    --responds-to STEP  an earlier step (id) of another party it responds to\n"
    "  list                  steps in date order\n"
    "    --dialogue D        only by the parties of dialogue D (id or name)\n"
    "    --actor P           only by party P\n"
    "    --format F          write the list as csv or xlsx (Excel), one row a step\n"
    "    --out FILE          write it to FILE (csv: standard output without it)\n"
    "  --json                print JSON: {\"id\"} after add, the list of steps otherwise\n";

struct step {
    struct rt_step_in in;
    struct {
        const char *relation, *ref;
    } links[64];
    size_t n;
};

static int add_step(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                    struct rt_error *err)
{
    const struct step *s = arg;
    char from[64], to[64];
    int64_t round;
    int rc;

    (void)parent;
    if ((rc = rt_step_add(st, &s->in, id, err)) < 0)
        return rc;
    snprintf(from, sizeof(from), "step:%lld", (long long)*id);
    for (size_t i = 0; i < s->n; i++) {
        const char *relation = s->links[i].relation, *ref = s->links[i].ref;
        if (!strcmp(relation, "welcomed-in")) {
            if ((rc = rt_round_find(st, ref, &round, err)) < 0)
                return rc;
            snprintf(to, sizeof(to), "round:%lld", (long long)round);
        } else {
            cli_ref(ref, !strcmp(relation, "answers") ? "rec" : "step", to);
        }
        if ((rc = rt_link_add(st, from, relation, to, err)) < 0)
            return rc;
    }
    return 0;
}

static int add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"actor", required_argument, NULL, 'a'},
                                         {"date", required_argument, NULL, 'd'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"negative", no_argument, NULL, 'n'},
                                         {"quantity", required_argument, NULL, 'q'},
                                         {"source", required_argument, NULL, 's'},
                                         {"answers", required_argument, NULL, 'A'},
                                         {"welcomed-in", required_argument, NULL, 'W'},
                                         {"responds-to", required_argument, NULL, 'R'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct step s = {.in = {NULL, NULL, NULL, "positive", -1, NULL, NULL}};
    char *text, to[64];
    int json = 0, o, rc;
    long v;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            s.in.actor = optarg;
            break;
        case 'd':
            s.in.date = optarg;
            break;
        case 'k':
            s.in.kind = optarg;
            break;
        case 'n':
            s.in.direction = "negative";
            break;
        case 'q':
            if (cli_parse_int(optarg, 0, 0x7fffffffffffffffL, &v) < 0)
                return cli_usage(c, usage, "--quantity needs a whole number, 0 or more");
            s.in.quantity = v;
            break;
        case 's':
            s.in.source = optarg;
            break;
        case 'A':
        case 'W':
        case 'R':
            if (s.n == sizeof(s.links) / sizeof(s.links[0]))
                return cli_usage(c, usage, "too many links");
            if (o == 'A' && cli_ref(optarg, "rec", to) < 0)
                return cli_usage(c, usage, "--answers needs ask:ID or rec:ID, not '%s'", optarg);
            if (o == 'R' && cli_ref(optarg, "step", to) < 0)
                return cli_usage(c, usage, "--responds-to needs a step id, not '%s'", optarg);
            s.links[s.n].relation = o == 'A' ? "answers" : o == 'W' ? "welcomed-in" : "responds-to";
            s.links[s.n++].ref = optarg;
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (argc - optind < 1)
        return cli_usage(c, usage, "step add needs a TEXT");
    if (!s.in.actor || !s.in.date || !s.in.kind)
        return cli_usage(c, usage, "step add needs --actor, --date and --kind");
    s.in.text = text = cli_join(argc, argv, optind);
    rc = cli_add(c, "step", json, NULL, NULL, add_step, &s);
    rt_free(text);
    return rc;
}

struct step_filter {
    const char *dialogue, *actor;
};

static int get_steps(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct step_filter *f = arg;
    char code[16];
    int64_t dialogue = 0;
    int rc;

    if ((f->dialogue && (rc = rt_dialogue_find(st, f->dialogue, &dialogue, err)) < 0) ||
        (f->actor && (rc = rt_party_resolve(st, f->actor, code, err)) < 0))
        return rc;
    return rt_step_list(st, dialogue, f->actor ? code : NULL, doc, err);
}

static int list(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"dialogue", required_argument, NULL, 'D'},
                                         {"actor", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         CLI_EXPORT_OPTIONS,
                                         {0}};
    struct step_filter f = {0};
    const char *format = NULL, *out = NULL;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'D':
            f.dialogue = optarg;
            break;
        case 'a':
            f.actor = optarg;
            break;
        case 'F':
        case 'O':
            cli_export_opt(o, &format, &out);
            break;
        default:
            if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
                return rc;
        }
    }
    if (optind != argc)
        return cli_usage(c, usage, "step list takes no arguments");
    if (format || out)
        return json ? cli_usage(c, usage, "--json and --format are two outputs: give one")
                    : cli_list_export(c, usage, format, out, get_steps, &f, "Steps");
    return cli_read(c, json, get_steps, &f, render_steps);
}

int cmd_step(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", add}, {"list", list}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
