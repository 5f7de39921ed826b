/* rightstrack assess: judge how far a recommendation or an ask is implemented, as of a date. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] assess REF STATUS --date D [--evidence E]\n"
                            "       [--source S] [--assessor ORG] [--replaces ASSESSMENT] [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] assess REF STATUS --date D [OPTIONS]\n"
    "\n"
    "Records an assessment of REF as of a date: rec:ID (or a bare id) for a\n"
    "recommendation, ask:ID for an ask, benchmark:ID for a benchmark. Assessments are\n"
    "history: a new one never overwrites an old one, and 'rightstrack status REF --as-of D'\n"
    "shows what was known on a date. To correct a mistake, add the right one with\n"
    "--replaces assessment:ID (the id status --json gives): the old one stays in the\n"
    "database and its history, and leaves the reads.\n"
    "\n"
    "STATUS of a recommendation or an ask: not-started, in-progress, partially, mostly\n"
    "(mostly implemented, as ODIHR says), fully, regressed, unknown; of a benchmark: met,\n"
    "partly-met, not-met.\n"
    "\n";

static const char tail[] = "  --json                print {\"id\"}\n";

static const struct cli_entity_cmd cmd = {"assessment", NULL, usage, head, tail, NULL, NULL, NULL};

int cmd_assess(struct cli *c, int argc, char **argv)
{
    char *help = cli_entity_help(&cmd), ref[64];
    struct cli_entity v;
    int json = 0, rc;

    cli_entity_init(&v, "assessment", NULL, NULL, &json);
    if ((rc = cli_parse_options(c, &argc, argv, v.opts, usage, help)) >= 0)
        goto out;
    if (argc != 3) {
        rc = cli_usage(c, usage, "assess needs a REF and a STATUS");
        goto out;
    }
    if (cli_ref(argv[1], "rec", ref) < 0) {
        rc = cli_usage(c, usage, "'%s' is not a reference such as rec:6159 or ask:3", argv[1]);
        goto out;
    }
    if ((rc = cli_entity_args(c, &v, argc, argv, "assess", NULL, usage)) >= 0)
        goto out;
    rc = cli_entity_save(c, &v, json);
out:
    cli_entity_release(&v);
    rt_free(help);
    return rc;
}
