/* rightstrack import: load UPR Info and UHRI files, all in one transaction. */
#include "cli.h"

#include <malloc.h>

#include <rightstrack/ingest.h>

static const char usage[] =
    "rightstrack [--db PATH] import [--state STATE] [--private] [--json] FILE...";

static const char help[] =
    "usage: rightstrack [--db PATH] import [--state STATE] [--private] [--json] FILE...\n"
    "\n"
    "Imports recommendation files. The format is read from each file's header:\n"
    "  - a UPR Info export as downloaded (MacRoman or UTF-8, any line ends)\n"
    "  - the normalised UPR Info file (upr_info_s01-s18.csv)\n"
    "  - a UHRI thematic list of recommendations\n"
    "  - a DIHR SDG-Human Rights Data Explorer export (.xlsx)\n"
    "  - ODIHR election-observation recommendations (election, election_date,\n"
    "    recommendation, ...; see the user guide)\n"
    "  - a rightstrack export (rightstrack export --json), restored into an empty\n"
    "    database\n"
    "A recommendation is the same when its state under review, session and text\n"
    "(after Unicode NFC and white-space folding) are: rows that share them are one\n"
    "recommendation made by several states. Importing a file again changes nothing.\n"
    "All files go in as one transaction: if one is bad, nothing is imported, and the\n"
    "error names the file, the line and the field. The database is created if needed.\n"
    "\n"
    "  --state STATE  the state under review of an ODIHR file that has no 'state'\n"
    "                 column (code, name or variant: --state BLR)\n"
    "  --private      mark each file's source private: only editors and admins are\n"
    "                 told which file a recommendation came from (the recommendations\n"
    "                 are published records and stay visible to all); not for an\n"
    "                 export, which keeps its own marks\n"
    "  --json         print a summary per file and in total\n";

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_import_stats *stats = NULL, total = {0};
    struct rt_tag_stats tags = {0};
    struct rt_store *st = NULL;
    struct progress *bar = NULL;
    struct rt_import_opts iopts = {0};
    int json = 0, private = 0, rc, n;
    struct cli_option opts[] = {
        OPT_STRING("state", &iopts.state, "STATE", "the state of an ODIHR file without one"),
        OPT_FLAG("private", &private, NULL), OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    n = argc - 1;
    if (n < 1)
        return cli_usage(c, usage, "import needs at least one file");
#ifdef M_TOP_PAD
    /* An import grows and shrinks the heap by tens of megabytes (SQLite's pages, the
     * full-text index's terms, the importer's tables). With 16 MiB of slack kept at its
     * top, glibc asks the kernel less often and does not hand back pages it then has
     * to fault in again: a third fewer page faults, about 5 % of an import's time.
     * M_TOP_PAD is glibc's; other C libraries do without. */
    mallopt(M_TOP_PAD, 16 << 20);
#endif
    if ((rc = cli_open(c, RT_STORE_CREATE, &st)) != EXIT_OK)
        return rc;
    stats = rt_xcalloc((size_t)n, sizeof(*stats));
    bar = progress_new("importing");
    iopts.flags = private ? RT_IMPORT_PRIVATE : 0;
    if (rt_import_files_opts(st, (const char *const *)(argv + 1), (size_t)n, &iopts, stats,
                             progress_update, bar, &err) < 0) {
        progress_done(bar);
        rc = cli_fail(c, &err);
        fprintf(stderr, "%s: nothing was imported\n", c->prog);
        goto out;
    }
    progress_done(bar);
    /* With a theme model trained, what came in without themes or without an action
     * category gets the model's. */
    {
        struct rt_error terr = RT_ERROR_INIT;
        int r = rt_tag_unlabelled(st, &tags, &terr);
        if (r < 0 && r != RT_ENOTFOUND) {
            cli_fail(c, &terr);
            fprintf(stderr, "%s: the import is saved, but its theme tagging failed\n", c->prog);
        }
        rt_error_release(&terr);
    }
    for (int i = 0; i < n; i++) {
        total.rows += stats[i].rows;
        total.recs_new += stats[i].recs_new;
        total.recs_existing += stats[i].recs_existing;
        total.by_new += stats[i].by_new;
        total.themes_new += stats[i].themes_new;
        total.unknown_by += stats[i].unknown_by;
    }
    if (json) {
        cli_print_json(
            rt_import_summary_json((const char *const *)(argv + 1), stats, (size_t)n, &tags));
    } else {
        for (int i = 0; i < n; i++) {
            if (stats[i].format == RT_FORMAT_EXPORT)
                printf("%s: restored %lld records, %lld of them recommendations\n", argv[1 + i],
                       (long long)stats[i].rows, (long long)stats[i].recs_new);
            else
                printf("%s: %s, %lld rows: %lld recommendations added, %lld already there%s\n",
                       argv[1 + i], rt_format_name(stats[i].format), (long long)stats[i].rows,
                       (long long)stats[i].recs_new, (long long)stats[i].recs_existing,
                       stats[i].marked_private ? " (its source private)" : "");
        }
        if (tags.tagged)
            printf("tagged %lld recommendations without themes by the theme model\n",
                   (long long)tags.tagged);
        if (tags.categorised)
            printf("gave %lld recommendations without an action category the model's\n",
                   (long long)tags.categorised);
        if (n > 1)
            printf("total: %lld rows: %lld recommendations added, %lld already there\n",
                   (long long)total.rows, (long long)total.recs_new,
                   (long long)total.recs_existing);
    }
    rc = EXIT_OK;
out:
    rt_free(stats);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
