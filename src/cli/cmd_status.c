/* rightstrack status: the status of a recommendation, ask, benchmark or commitment on a date. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] status REF [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] status REF [--as-of D] [--json]\n"
    "\n"
    "The status of REF as it stood on a date, with the history of its assessments up\n"
    "to then: rec:ID (or a bare id) for a recommendation, ask:ID, benchmark:ID or\n"
    "commitment:ID.\n"
    "\n"
    "  --as-of D   the date (YYYY-MM-DD, YYYY-MM or YYYY); default: everything recorded\n"
    "  --json      print {\"target\", \"as_of\", \"status\", \"latest\": {\"status\",\n"
    "              \"as_of\", \"evidence\", \"source\", \"assessor\"}, \"history\": [...]};\n"
    "              for a commitment {\"target\", \"as_of\", \"status\", \"since\", \"step\",\n"
    "              \"history\"}\n";

int cmd_status(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"as-of", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *as_of = NULL;
    json_t *doc = NULL;
    char target[64];
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            as_of = optarg;
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
        return cli_usage(c, usage, "status needs one REF");
    if (cli_ref(argv[optind], "rec", target) < 0)
        return cli_usage(c, usage, "'%s' is not a reference such as rec:6159 or ask:3",
                         argv[optind]);
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (rt_status(st, target, as_of, &doc, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(doc);
        doc = NULL;
    } else {
        render_status(doc);
    }
    rc = EXIT_OK;
out:
    json_decref(doc);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
