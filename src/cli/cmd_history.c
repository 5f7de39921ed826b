/* rightstrack history: what changed in one record, when, and by whom, from the audit log. */
#include "cli.h"

#include <rightstrack/audit.h>

static const char usage[] = "rightstrack [--db PATH] history REF [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] history REF [--json]\n"
    "\n"
    "Lists every change to the record REF, oldest first, as the audit log holds it:\n"
    "when, who (cli:USER for the command line, web:... for the web face) with the\n"
    "command or request, and what changed (before -> after). The history of a record\n"
    "includes the records that belong to it or link to it: a round's participants,\n"
    "topics and asks, a step's links, an ask's assessments.\n"
    "\n"
    "REF is written as the other commands write records: step:3, ask:2, topic:1,\n"
    "participant:4, commitment:1, benchmark:1, assessment:5, dialogue:1, rec:14,\n"
    "and a round as DIALOGUE#NUMBER (US-Belarus#2) or round:ID.\n"
    "\n"
    "  --json   print the entries as JSON\n";

int cmd_history(struct cli *c, int argc, char **argv)
{
    struct rt_audit_filter f = {0};
    struct rt_audit_entry *v = NULL;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char ref[128];
    size_t n = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "history needs one record, such as step:3");
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (rt_audit_ref(st, argv[1], ref, &err) < 0 ||
        (f.record = ref, rt_audit_log(st, &f, &v, &n, &err)) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json)
        cli_print_json(rt_audit_entries_json(v, n));
    else if (!n)
        printf("no history for %s\n", ref);
    else
        cli_print_audit(v, n);
out:
    rt_audit_entries_free(v, n);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
