/* rightstrack private: mark records private (seen by editors and admins only), or public. */
#include "cli.h"

#include <rightstrack/private.h>

static const char usage[] = "rightstrack [--db PATH] private [--public] [--json] REF...";

static const char help[] =
    "usage: rightstrack [--db PATH] private [--public] [--json] REF...\n"
    "\n"
    "Marks each record REF private: step:ID, participant:ID, assessment:ID,\n"
    "source:ID or person:ID (a person is private unless added --public). A private\n"
    "record is seen by editors and admins (and here, on the command line) but never\n"
    "by viewers or the public: not on a page, in the API, a\n"
    "report, an export, a count or the history. 'step add --private' and the other\n"
    "add commands mark a record private as it is made.\n"
    "\n"
    "  --public   make each REF public again instead\n"
    "  --json     print [{\"record\", \"private\"}] of each REF\n"
    "\n"
    "Examples:\n"
    "  rightstrack private step:12 participant:4\n"
    "  rightstrack private --public step:12\n";

int cmd_private(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int public = 0, json = 0, rc;
    json_t *out;
    struct cli_option opts[] = {OPT_FLAG("public", &public, NULL), OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc < 2)
        return cli_usage(c, usage, "private needs a record such as step:3");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    out = json_array();
    /* All or none: one transaction. */
    if (rt_store_begin(st, &err) < 0) {
        rc = cli_fail(c, &err);
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        if (rt_private_set(st, argv[i], !public, &err) < 0) {
            rt_store_rollback(st);
            rc = cli_fail(c, &err);
            goto done;
        }
        json_array_append_new(out, json_pack("{s:s, s:b}", "record", argv[i], "private", !public));
    }
    if (rt_store_commit(st, &err) < 0) {
        rc = cli_fail(c, &err);
        goto done;
    }
    if (json) {
        cli_print_json(out); /* takes the reference */
        out = NULL;
    } else {
        for (int i = 1; i < argc; i++)
            printf("%s is %s\n", argv[i], public ? "public" : "private");
    }
    rc = EXIT_OK;
done:
    json_decref(out);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
