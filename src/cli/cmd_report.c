/* rightstrack report: the briefing for a dialogue's next round, a state's profile. */
#include "cli.h"

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
#include <rightstrack/report.h>

static const char usage[] =
    "rightstrack [--db PATH] report brief --dialogue D | country STATE\n"
    "       [--as-of DATE] [--persons] [--counts FILE] [--format md|html|pdf] [--out FILE]\n"
    "       [--json] [--as WHO]";

static const char help[] =
    "usage: rightstrack [--db PATH] report brief --dialogue D [OPTIONS]\n"
    "       rightstrack [--db PATH] report country STATE [OPTIONS]\n"
    "\n"
    "brief    what a desk officer takes into the next round of dialogue D (an id or\n"
    "         the exact name): the last round and its participants, what each side\n"
    "         did since, the asks open and closed, conditional commitments, benchmarks,\n"
    "         the UPR record on each topic, figures and the timeline, every source\n"
    "         numbered.\n"
    "country  a state's profile: UPR recommendations by cycle, response and theme,\n"
    "         implementation status, repeats, steps, and its dialogues.\n"
    "\n"
    "  --as-of DATE     as of that day (YYYY-MM-DD, YYYY-MM or YYYY): nothing dated\n"
    "                   later appears; default: everything recorded. The same database\n"
    "                   and date always give the same bytes, so two briefings diff.\n"
    "  --persons        brief: add the private section on individual cases, who of\n"
    "                   the persons the dialogue's asks name is still held; country:\n"
    "                   add the private section on persons held over time, counted\n"
    "                   from the register (a chart and a table)\n"
    "  --counts FILE    country, with --persons: beside the register's count, the\n"
    "                   counts others published (CSV: date, count, measure,\n"
    "                   counted_by), each with what it counted\n"
    "  --format F       md (Markdown, the default), html (one self-contained page with\n"
    "                   a print style sheet and SVG charts) or pdf (the HTML printed by\n"
    "                   headless Chromium; needs --out)\n"
    "  --out FILE       write to FILE instead of standard output\n"
    "  --json           print the report's data as a JSON document instead\n"
    "  --as WHO         public or viewer: the version they may read, without any\n"
    "                   private record (step, participant, assessment, source) and\n"
    "                   with every count made without them: the one to publish\n"
    "\n"
    "Examples:\n"
    "  rightstrack report brief --dialogue 1 --as-of 2016-12-31 --format html --out brief.html\n"
    "  rightstrack report country Belarus --as-of 2016-12-31\n"
    "  rightstrack report country Belarus --persons --counts political_prisoners_counts.csv\n"
    "  rightstrack report brief --dialogue 1 --as public --format pdf --out public.pdf\n";

/* Adds the persons the dialogue's asks name, and their status, to a briefing. */
static int brief_persons(struct rt_store *st, int64_t id, const char *as_of, json_t *doc,
                         struct rt_error *err)
{
    json_t *p = NULL;
    int rc = rt_dialogue_persons(st, id, as_of, &p, err);
    if (rc == 0)
        json_object_set_new(doc, "persons", p);
    return rc;
}

/* json_dump_callback's sink: appends to an rt_buf. */
static int add_to_buf(const char *s, size_t n, void *ctx)
{
    return rt_buf_add(ctx, s, n) < 0 ? -1 : 0;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf text = RT_BUF_INIT;
    struct rt_store *st = NULL;
    enum rt_report_format fmt = RT_REPORT_MARKDOWN;
    const char *dialogue = NULL, *as_of = NULL, *out = NULL, *format = NULL, *counts = NULL, *kind;
    json_t *doc = NULL;
    int64_t id = 0;
    int json = 0, persons = 0, failed, rc;
    struct cli_option opts[] = {OPT_STRING("dialogue", &dialogue, "D", NULL),
                                OPT_STRING("as-of", &as_of, "DATE", NULL),
                                OPT_STRING("format", &format, "F", NULL),
                                OPT_STRING("out", &out, "FILE", NULL),
                                OPT_FLAG("persons", &persons, NULL),
                                OPT_STRING("counts", &counts, "FILE", NULL),
                                OPT_JSON(&json),
                                OPT_AS(c),
                                OPT_END()};

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return cli_help(help);
    if (argc < 2 || (strcmp(argv[1], "brief") && strcmp(argv[1], "country")))
        return cli_usage(
            c, usage, argc < 2 ? "report needs brief or country" : "unknown report '%s'", argv[1]);
    kind = argv[1];
    argc--;
    argv++;
    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (format && rt_report_format_parse(format, &fmt) < 0)
        return cli_usage(c, usage, "--format is md, html or pdf, not '%s'", format);
    if (!strcmp(kind, "brief") && (!dialogue || argc != 1))
        return cli_usage(c, usage, "report brief needs --dialogue D and no other argument");
    if (!strcmp(kind, "country") && argc != 2)
        return cli_usage(c, usage, "report country needs one STATE");
    if (counts && (strcmp(kind, "country") || !persons))
        return cli_usage(c, usage, "--counts is for report country with --persons");
    if (fmt == RT_REPORT_PDF && !json && !out)
        return cli_usage(c, usage, "--format pdf needs --out FILE");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto done;
    if (!strcmp(kind, "brief"))
        failed = rt_dialogue_find(st, dialogue, &id, &err) < 0 ||
                 rt_report_brief(st, id, as_of, &doc, &err) < 0 ||
                 (persons && brief_persons(st, id, as_of, doc, &err) < 0);
    else
        failed = rt_report_country(st, argv[1], as_of, &doc, &err) < 0 ||
                 (persons && rt_report_country_persons(st, doc, counts, &err) < 0);
    if (!failed && json) {
        /* text has no limit, so the sink cannot fail. */
        json_dump_callback(doc, add_to_buf, &text, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        rt_buf_addch(&text, '\n');
    } else if (!failed) {
        failed = rt_report_render(doc, fmt, &text, &err) < 0;
    }
    if (!failed)
        failed = cli_write_out(out, text.buf, text.len, &err) < 0;
    rc = failed ? cli_fail(c, &err) : EXIT_OK;
done:
    json_decref(doc);
    rt_buf_release(&text);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
