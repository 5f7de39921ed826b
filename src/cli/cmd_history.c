/* rightstrack history: what changed in one record, when, and by whom, from the audit log. */
#include "cli.h"

#include <rightstrack/audit.h>

static const char usage[] = "rightstrack [--db PATH] history REF|LINK [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] history REF|LINK [--json]\n"
    "\n"
    "Lists every change to the record REF, oldest first, as the audit log holds it:\n"
    "when, who (cli:USER for the command line, web:... for the web face) with the\n"
    "command or request, and what changed (before -> after). The history of a record\n"
    "includes the records that belong to it or link to it: a round's participants,\n"
    "topics and asks, a step's links, an ask's assessments.\n"
    "\n"
    "REF is written as the other commands write records: step:3, ask:2, topic:1,\n"
    "participant:4, commitment:1, benchmark:1, assessment:5, dialogue:1, rec:14,\n"
    "and a round as DIALOGUE#NUMBER (US-Belarus#2) or round:ID; a link as its three\n"
    "words, each end in any of those forms (\"topic:3 about rec:14\", \"1#2 about rec:14\",\n"
    "quoted or not), as withdraw takes it.\n"
    "\n"
    "  --json   print the entries as JSON\n";

int cmd_history(struct cli *c, int argc, char **argv)
{
    struct rt_audit_filter f = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char ref[128], *what;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc < 2)
        return cli_usage(c, usage,
                         "history needs one record (step:3) or one link (step:3 answers ask:2)");
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    what = cli_join(argc, argv, 1); /* a link's three words, quoted or not */
    if (rt_audit_ref(st, what, ref, &err) < 0) {
        rc = cli_fail(c, &err);
    } else {
        char none[160];
        snprintf(none, sizeof(none), "no history for %s", ref);
        f.record = ref;
        rc = cli_audit_list(c, st, &f, json, none);
    }
    rt_free(what);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
