/* rightstrack backup: a consistent copy of the database, also while the server runs. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] backup FILE [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] backup FILE [--json]\n"
    "\n"
    "Writes a copy of the database to FILE (a new file), as it was when the copy\n"
    "began, while 'serve' and other commands go on reading and writing. Copying\n"
    "the .db file by hand is not a backup: recent writes sit in the -wal file\n"
    "beside it until SQLite moves them in. 'rightstrack restore FILE' checks a\n"
    "copy and puts it back.\n"
    "\n"
    "  --json   print {\"backup\", \"database\", \"schema_version\"}\n";

int cmd_backup(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "backup takes one FILE to write");
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (rt_store_backup(st, argv[1], &err) < 0) {
        rc = cli_fail(c, &err);
    } else if (json) {
        cli_print_json(json_pack("{s:s, s:s, s:i}", "backup", argv[1], "database", c->db_path,
                                 "schema_version", rt_store_schema_version(st)));
    } else {
        printf("%s: backup of %s written\n", argv[1], c->db_path);
    }
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
