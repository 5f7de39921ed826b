/* rightstrack copy: move a database between SQLite and PostgreSQL. */
#include "cli.h"

static const char usage[] = "rightstrack copy --from SRC --to DST [--json]";

static const char help[] =
    "usage: rightstrack copy --from SRC --to DST [--json]\n"
    "\n"
    "Copies the whole database SRC into the empty database DST, one of them a\n"
    "SQLite file (a path, or sqlite:PATH) and the other a PostgreSQL database\n"
    "(postgresql://... or libpq's key=value words), as --db names them. Every table\n"
    "is copied, row by row, in one transaction of DST: when anything fails, DST is\n"
    "left as it was (a SQLite file the copy made is removed). The search indexes\n"
    "are made again in DST. Afterwards 'export --json' of both gives the same\n"
    "bytes. SRC is only read; DST must hold no data (a new file, or a database\n"
    "that only 'init' touched). An administrator's command: the web face has none.\n"
    "\n"
    "  --from SRC   the database to copy\n"
    "  --to DST     the empty database to copy into\n"
    "  --json       print {\"tables\", \"rows\"}: the tables and rows copied\n";

int cmd_copy(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store_copy_stats stats = {0, 0};
    struct progress *bar;
    const char *from = NULL, *to = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("from", &from, "SRC", "the database to copy"),
                                OPT_STRING("to", &to, "DST", "the empty database to copy into"),
                                OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if (!from || !*from || !to || !*to)
        return cli_usage(c, usage, "copy needs --from SRC and --to DST");
    bar = progress_new("copying");
    if (rt_store_copy(from, to, &stats, progress_update, bar, &err) < 0) {
        progress_done(bar);
        rc = cli_fail(c, &err);
        fprintf(stderr, "%s: nothing was copied\n", c->prog);
    } else {
        progress_done(bar);
        if (json)
            cli_print_json(json_pack("{s:I, s:I}", "tables", (json_int_t)stats.tables, "rows",
                                     (json_int_t)stats.rows));
        else
            printf("copied %lld rows of %lld tables\n", (long long)stats.rows,
                   (long long)stats.tables);
        rc = EXIT_OK;
    }
    rt_error_release(&err);
    return rc;
}
