/* rightstrack init: create a database, or bring an old one up to date. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] init [--json]";

static const char help[] = "usage: rightstrack [--db PATH] init [--json]\n"
                           "\n"
                           "Creates the database (default ./rightstrack.db) with its schema and\n"
                           "the states table, or applies pending schema changes to an existing\n"
                           "one. Running it again changes nothing.\n"
                           "\n"
                           "  --json   print {\"database\", \"schema_version\"}\n";

int cmd_init(struct cli *c, int argc, char **argv)
{
    struct rt_store *st = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, RT_STORE_CREATE | RT_STORE_INIT, &st)) != EXIT_OK)
        return rc;
    if (json)
        cli_print_json(json_pack("{s:s, s:i}", "database", c->db_path, "schema_version",
                                 rt_store_schema_version(st)));
    else
        printf("%s: schema version %d\n", c->db_path, rt_store_schema_version(st));
    rt_store_close(st);
    return EXIT_OK;
}
