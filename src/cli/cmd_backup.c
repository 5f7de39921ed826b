/* rightstrack backup: a consistent copy of the database, also while the server runs. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] backup FILE [--json]";

int cmd_backup(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int json = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'j':
            json = 1;
            break;
        case 'h':
            return cli_help(
                "usage: rightstrack [--db PATH] backup FILE [--json]\n"
                "\n"
                "Writes a copy of the database to FILE (a new file), as it was when the copy\n"
                "began, while 'serve' and other commands go on reading and writing. Copying\n"
                "the .db file by hand is not a backup: recent writes sit in the -wal file\n"
                "beside it until SQLite moves them in. 'rightstrack restore FILE' checks a\n"
                "copy and puts it back.\n"
                "\n"
                "  --json   print {\"backup\", \"database\", \"schema_version\"}\n");
        default:
            return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage(c, usage, "backup takes one FILE to write");
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (rt_store_backup(st, argv[optind], &err) < 0) {
        rc = cli_fail(c, &err);
    } else if (json) {
        cli_print_json(json_pack("{s:s, s:s, s:i}", "backup", argv[optind], "database", c->db_path,
                                 "schema_version", rt_store_schema_version(st)));
    } else {
        printf("%s: backup of %s written\n", argv[optind], c->db_path);
    }
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
