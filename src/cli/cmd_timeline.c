/* rightstrack timeline: a dialogue's rounds and steps in date order. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] timeline DIALOGUE [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] timeline DIALOGUE [--as-of D] [--json]\n"
    "\n"
    "The rounds of DIALOGUE (an id or the exact name) and the steps of its parties,\n"
    "in date order, each response with what it answers.\n"
    "\n"
    "  --as-of D   only what was dated on or before D (YYYY-MM-DD, YYYY-MM or YYYY);\n"
    "              default: everything recorded\n"
    "  --json      print the JSON document\n";

int cmd_timeline(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"as-of", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *as_of = NULL;
    json_t *doc = NULL;
    int64_t id = 0;
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
        return cli_usage(c, usage, "timeline needs one DIALOGUE");
    if (as_of && rt_date_check(as_of, NULL) < 0) {
        rt_error_set(&err, RT_EINVAL, NULL, 0, "as-of",
                     "'%s' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", as_of);
        rc = cli_fail(c, &err);
        goto out;
    }
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (rt_dialogue_find(st, argv[optind], &id, &err) < 0 || rt_timeline(st, id, as_of, &doc, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(doc);
        doc = NULL;
    } else {
        render_timeline(doc);
    }
    rc = EXIT_OK;
out:
    json_decref(doc);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
