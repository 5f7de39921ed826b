/* rightstrack export: the whole database as one JSON document. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] export [--json] [--out FILE] [--as WHO]";

static const char help[] =
    "usage: rightstrack [--db PATH] export [--json] [--out FILE] [--as WHO]\n"
    "\n"
    "Writes the whole database -- recommendations, sources, themes and the\n"
    "dialogue ledger -- as one JSON document (format in docs/export.md), on\n"
    "standard output or into FILE. 'rightstrack import FILE' restores it into an\n"
    "empty database; exporting that again gives the same bytes.\n"
    "\n"
    "  --json       the format (the only one; accepted for symmetry)\n"
    "  --out FILE   write to FILE instead of standard output\n"
    "  --as WHO     public or viewer: the export they may have, without any private\n"
    "               record and without the marks that say which records are private\n"
    "               (a backup needs the whole database: leave it out)\n";

static int dump_to_buf(const char *data, size_t len, void *buf)
{
    return rt_buf_add(buf, data, len) < 0 ? -1 : 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *out_path = NULL;
    json_t *doc = NULL;
    struct rt_buf text = RT_BUF_INIT;
    int json = 0, rc;
    struct cli_option opts[] = {
        OPT_FLAG("json", &json, NULL), /* the one format */
        {CLI_OPT_STRING, "out", 'o', &out_path, "FILE", NULL, 0, 0, 0, NULL, NULL, NULL},
        OPT_AS(c),
        OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_store_export(st, &doc, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    /* Dumped straight into the buffer: an export can be large. */
    json_dump_callback(doc, dump_to_buf, &text, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    rt_buf_addch(&text, '\n');
    rc = cli_write_out(out_path, text.buf, text.len, &err) < 0 ? cli_fail(c, &err) : EXIT_OK;
out:
    rt_buf_release(&text);
    json_decref(doc);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
