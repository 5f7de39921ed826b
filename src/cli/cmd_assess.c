/* rightstrack assess: judge how far a recommendation or an ask is implemented, as of a date. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] assess REF STATUS --date D [--evidence E]\n"
                            "       [--source S] [--assessor ORG] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] assess REF STATUS --date D [OPTIONS]\n"
    "\n"
    "Records an assessment of REF as of a date: rec:ID (or a bare id) for a\n"
    "recommendation, ask:ID for an ask, benchmark:ID for a benchmark. Assessments are\n"
    "history: a new one never replaces an old one, and 'rightstrack status REF --as-of D'\n"
    "shows what was known on a date.\n"
    "\n"
    "STATUS of a recommendation or an ask: not-started, in-progress, partially, fully,\n"
    "regressed, unknown; of a benchmark: met, partly-met, not-met.\n"
    "\n"
    "  --date D          as of when (YYYY-MM-DD, YYYY-MM or YYYY)\n"
    "  --evidence E      what shows it, in your own words\n"
    "  --source S        where the evidence comes from\n"
    "  --assessor ORG    who judged (default: nobody named)\n"
    "  --json            print {\"id\"}\n";

int cli_assess_opt(int o, struct rt_assessment_in *a)
{
    const char **field = o == 'd'   ? &a->as_of
                         : o == 'e' ? &a->evidence
                         : o == 's' ? &a->source
                         : o == 'a' ? &a->assessor
                                    : NULL;
    if (!field)
        return -1;
    *field = optarg;
    return 0;
}

static int add_assessment(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                          struct rt_error *err)
{
    (void)parent;
    return rt_assess(st, arg, id, err);
}

int cli_assess_add(struct cli *c, int json, const struct rt_assessment_in *a)
{
    return cli_add(c, "assessment", json, NULL, NULL, add_assessment, a);
}

int cmd_assess(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"evidence", required_argument, NULL, 'e'},
                                         {"source", required_argument, NULL, 's'},
                                         {"assessor", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_assessment_in a = {0};
    char target[64];
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_assess_opt(o, &a) == 0)
            continue;
        if ((rc = cli_opt_common(c, o, argv, usage, help, &json)) >= 0)
            return rc;
    }
    if (argc - optind != 2)
        return cli_usage(c, usage, "assess needs a REF and a STATUS");
    if (cli_ref(argv[optind], "rec", target) < 0)
        return cli_usage(c, usage, "'%s' is not a reference such as rec:6159 or ask:3",
                         argv[optind]);
    if (!a.as_of)
        return cli_usage(c, usage, "assess needs --date");
    a.target = target;
    a.status = argv[optind + 1];
    return cli_assess_add(c, json, &a);
}
