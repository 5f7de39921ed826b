/* rightstrack restore: check a backup, then put it in the database's place. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] restore FILE [--check] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] restore FILE [--check] [--json]\n"
    "\n"
    "Checks FILE, a copy made by 'rightstrack backup' (SQLite's integrity check,\n"
    "its references, a schema version this rightstrack knows, and the audit log\n"
    "when it has one), then replaces the database with it: written beside the\n"
    "database, synced, and renamed over it, so that a crash leaves the old\n"
    "database or the new one, never a mix. Nothing is replaced when a check\n"
    "fails. Stop 'serve' first: restore refuses while another program has the\n"
    "database open.\n"
    "\n"
    "  --check  only check FILE; replace nothing\n"
    "  --json   print {\"restored\", \"database\", \"schema_version\", \"audit\"}\n";

int cmd_restore(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store_check found;
    int json = 0, check_only = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_FLAG("check", &check_only, NULL), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    rc = EXIT_OK;
    if (argc != 2)
        return cli_usage(c, usage, "restore takes one FILE to restore");
    if ((check_only ? rt_store_check_file(argv[1], &found, &err)
                    : rt_store_restore(c->db_path, argv[1], &found, &err)) < 0) {
        rc = cli_fail(c, &err);
        fprintf(stderr, "%s: nothing was replaced\n", c->prog);
    } else if (json) {
        cli_print_json(json_pack("{s:s, s:s?, s:b, s:i, s:s}", "restored", argv[1], "database",
                                 check_only ? NULL : c->db_path, "checked_only", check_only,
                                 "schema_version", found.schema_version, "audit", found.audit));
    } else if (check_only) {
        printf("%s: the checks pass (schema version %d, audit log %s)\n", argv[1],
               found.schema_version, found.audit);
    } else {
        printf("%s: restored from %s (schema version %d, audit log %s)\n", c->db_path, argv[1],
               found.schema_version, found.audit);
    }
    rt_error_release(&err);
    return rc;
}
