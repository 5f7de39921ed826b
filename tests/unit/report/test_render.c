/* Tests of the report renderers on documents written here: escaping, citations, charts,
 * and a briefing built from a small ledger in a fresh store. */
#include <criterion/criterion.h>
#include <string.h>

#include <rightstrack/ledger.h>
#include <rightstrack/report.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

static const char hostile[] = "<script>alert(1)</script> | *bold* [link](x) & \"q\"";

/* A country profile document with one hostile step text and two sources. */
static json_t *country_doc(void)
{
    json_t *doc = json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:{s:i, s:i, s:i, s:i, s:[{s:i, s:i, s:i, s:i, s:i}],"
        " s:[], s:[{s:s, s:i}], s:[], s:[]},"
        " s:[{s:i, s:s, s:s, s:s, s:s, s:n, s:s, s:s}], s:[]}",
        "report", "country", "as_of", "2016-12-31", "state", "code", "BLR", "name", "Belarus",
        "recommendations", "total", 3, "supported", 2, "noted", 1, "pledge", 0, "by_cycle",
        "cycle", 1, "total", 3, "supported", 2, "noted", 1, "pledge", 0, "areas", "status",
        "status", "unassessed", "count", 3, "assessed", "repeated", "steps", "id", 1, "actor",
        "BLR", "date", "2015-08-22", "kind", "prisoner-release", "direction", "positive",
        "quantity", "text", hostile, "source", "A & B report", "dialogues");
    json_t *sources = json_pack("[{s:i, s:s}]", "n", 1, "text", "A & B report");
    json_object_set_new(json_array_get(json_object_get(doc, "steps"), 0), "cite",
                        json_integer(1));
    json_object_set_new(doc, "sources", sources);
    return doc;
}

Test(report_render, html_escapes_data_and_draws_charts)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = country_doc();

    cr_assert_eq(rt_report_render(doc, RT_REPORT_HTML, &b, &e), 0);
    cr_assert_null(strstr(b.buf, "<script>"), "data became markup");
    cr_assert_not_null(strstr(b.buf, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    cr_assert_not_null(strstr(b.buf, "A &amp; B report"));
    cr_assert_not_null(strstr(b.buf, "<svg"), "the cycle chart is inline SVG");
    cr_assert_not_null(strstr(b.buf, "href=\"#source-1\""), "the citation links its source");
    cr_assert_not_null(strstr(b.buf, "@media print"), "a print style sheet");
    cr_assert_eq(strncmp(b.buf, "<!doctype html>", 15), 0);
    rt_buf_release(&b);
    json_decref(doc);
}

Test(report_render, markdown_escapes_and_cites)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = country_doc();

    cr_assert_eq(rt_report_render(doc, RT_REPORT_MARKDOWN, &b, &e), 0);
    cr_assert_eq(strncmp(b.buf, "# Belarus: country profile\n", 27), 0, "%s", b.buf);
    cr_assert_not_null(strstr(b.buf, "\\<script\\>"), "angle brackets escaped: %s", b.buf);
    cr_assert_not_null(strstr(b.buf, "\\| \\*bold\\* \\[link\\]"), "%s", b.buf);
    cr_assert_not_null(strstr(b.buf, "[1]\n"), "the step cites source 1");
    cr_assert_not_null(strstr(b.buf, "1. A & B report"), "%s", b.buf);
    cr_assert_null(strstr(b.buf, "<svg"), "no charts in Markdown");
    cr_assert_not_null(strstr(b.buf, "| 1 | 3 | 2 | 1 | 0 |"), "the cycle table: %s", b.buf);
    rt_buf_release(&b);
    json_decref(doc);
}

Test(report_render, refuses_what_is_not_a_report)
{
    struct rt_buf b = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;
    json_t *doc = json_pack("{s:s}", "report", "weekly");

    cr_assert_eq(rt_report_render(doc, RT_REPORT_HTML, &b, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "report");
    rt_buf_release(&b);
    rt_error_release(&e);
    json_decref(doc);
}

Test(report_render, format_names)
{
    enum rt_report_format f = RT_REPORT_HTML;
    cr_assert_eq(rt_report_format_parse("md", &f), 0);
    cr_assert_eq(f, RT_REPORT_MARKDOWN);
    cr_assert_eq(rt_report_format_parse("html", &f), 0);
    cr_assert_eq(f, RT_REPORT_HTML);
    cr_assert_eq(rt_report_format_parse("pdf", &f), 0);
    cr_assert_eq(f, RT_REPORT_PDF);
    cr_assert_eq(rt_report_format_parse("docx", &f), RT_EINVAL);
    cr_assert_eq(rt_report_format_parse(NULL, &f), RT_EINVAL);
}

static void ok(int rc, struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

/* A briefing from a ledger built here: as of a date, and the numbering of sources. */
Test(report_brief, as_of_and_sources)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *parties[] = {"Norway", "Belarus"};
    struct rt_round_in ri = {0};
    struct rt_step_in si = {0};
    json_t *early = NULL, *late = NULL, *v;
    int64_t dlg, r1, id;
    char path[256];
    size_t i;

    snprintf(path, sizeof(path), "%s", test_store("b"));
    ok(rt_store_open(&st, path, RT_STORE_CREATE, &e), &e);
    ok(rt_dialogue_add(st, "NO-BY talks", NULL, parties, 2, &dlg, &e), &e);
    ri.dialogue_id = dlg;
    ri.date = "2020-03-01";
    ri.source = "Minutes of the first meeting";
    ok(rt_round_add(st, &ri, &r1, &e), &e);
    ok(rt_ask_add(st, r1, "Norway", "Belarus", "Free the detained journalists", NULL, &id, &e),
       &e);
    si.actor = "Belarus";
    si.date = "2020-06";
    si.kind = "prisoner-release";
    si.quantity = 3;
    si.text = "Three journalists freed";
    si.source = "Press agency report";
    ok(rt_step_add(st, &si, &id, &e), &e);
    si.date = "2021-01-10";
    si.quantity = 2;
    si.text = "Two more freed";
    si.source = "Minutes of the first meeting";
    ok(rt_step_add(st, &si, &id, &e), &e);

    ok(rt_report_brief(st, dlg, "2020-12-31", &early, &e), &e);
    ok(rt_report_brief(st, dlg, NULL, &late, &e), &e);
    cr_assert_str_eq(json_string_value(json_object_get(early, "as_of")), "2020-12-31");
    cr_assert_eq(json_array_size(json_object_get(json_array_get(
                     json_object_get(early, "moved"), 1), "steps")), 1,
                 "one Belarusian step by the end of 2020");
    cr_assert_eq(json_integer_value(json_object_get(
                     json_array_get(json_object_get(early, "figures"), 0), "total")), 3);
    cr_assert_eq(json_integer_value(json_object_get(
                     json_array_get(json_object_get(late, "figures"), 0), "total")), 5);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(early, "counterparts"), 0)),
                     "BLR", "the party asked is the counterpart");
    /* Sources: the round's first, each text once. */
    v = json_object_get(late, "sources");
    cr_assert_eq(json_array_size(v), 2);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(v, 0), "text")),
                     "Minutes of the first meeting");
    json_array_foreach(json_object_get(json_array_get(json_object_get(late, "moved"), 1),
                                       "steps"), i, v) {
        const char *src = json_string_value(json_object_get(v, "source"));
        cr_assert_eq(json_integer_value(json_object_get(v, "cite")),
                     !strcmp(src, "Minutes of the first meeting") ? 1 : 2);
    }
    cr_assert_eq(rt_report_brief(st, dlg, "2020-02-30", &v, &e),
                 RT_EINVAL, "a bad date");
    json_decref(early);
    json_decref(late);
    rt_error_release(&e);
    rt_store_close(st);
}
