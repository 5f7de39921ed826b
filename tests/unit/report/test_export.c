/* Tests of the exports (src/report/export.c): CSV as RFC 4180 writes it, the columns of a
 * list, parts of bounded size, XLSX as a zip, the file names, and a search export over a
 * small store in the order of its search. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include <rightstrack/export.h>
#include <rightstrack/ingest.h>
#include <rightstrack/private.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

/* The whole file of an export (freed), read part by part; *parts counts the parts. */
static void drain(struct rt_export *x, struct rt_buf *out, int *parts)
{
    struct rt_error e = RT_ERROR_INIT;
    int done = 0;

    *parts = 0;
    while (!done) {
        size_t before = out->len;
        cr_assert_eq(rt_export_read(x, out, &done, &e), 0, "%s", e.msg.buf);
        if (!done) {
            cr_assert_gt(out->len, before, "a part that is not the end adds bytes");
            cr_assert_leq(out->len - before, (size_t)96 << 10, "a part of %zu bytes",
                          out->len - before);
            (*parts)++;
        } else {
            cr_assert_eq(out->len, before, "the end adds nothing");
        }
    }
    rt_export_free(x);
}

Test(export, csv_quotes_as_rfc_4180)
{
    json_t *rows =
        json_pack("[{s:s, s:i, s:s}, {s:s, s:n, s:[s, s], s:b}]", "text", "plain", "n", 7, "note",
                  "a, \"quoted\"\r\nline", "text", "x", "n", "list", "a", "b", "flag", 1);
    struct rt_error e = RT_ERROR_INIT;
    struct rt_buf out = RT_BUF_INIT;
    struct rt_export *x = NULL;
    int parts;

    cr_assert_eq(rt_export_rows(rows, RT_EXPORT_CSV, "List", &x, &e), 0);
    drain(x, &out, &parts);
    cr_assert_str_eq(out.buf, "text,n,note,list,flag\r\n"
                              "plain,7,\"a, \"\"quoted\"\"\r\nline\",,\r\n"
                              "x,,,a; b,true\r\n");
    rt_buf_release(&out);
}

Test(export, rows_must_be_objects)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_export *x = NULL;

    cr_assert_eq(rt_export_rows(json_pack("[i]", 1), RT_EXPORT_CSV, NULL, &x, &e), RT_EINVAL);
    cr_assert_null(x);
    rt_error_release(&e);
}

Test(export, many_rows_come_in_bounded_parts)
{
    json_t *rows = json_array();
    struct rt_error e = RT_ERROR_INIT;
    struct rt_buf out = RT_BUF_INIT;
    struct rt_export *x = NULL;
    size_t lines = 0;
    int parts;

    for (int i = 0; i < 5000; i++)
        json_array_append_new(
            rows, json_pack("{s:i, s:s}", "id", i, "text", "a line of text that takes some room"));
    cr_assert_eq(rt_export_rows(rows, RT_EXPORT_CSV, NULL, &x, &e), 0);
    drain(x, &out, &parts);
    for (size_t i = 0; i < out.len; i++)
        lines += out.buf[i] == '\n';
    cr_assert_eq(lines, 5001);
    cr_assert_gt(parts, 2, "5000 rows in %d parts", parts);
    rt_buf_release(&out);
}

Test(export, xlsx_is_a_zip)
{
    json_t *rows = json_pack("[{s:s, s:f}]", "name", "Belarus", "share", 0.5);
    struct rt_error e = RT_ERROR_INIT;
    struct rt_buf out = RT_BUF_INIT;
    struct rt_export *x = NULL;
    int parts;

    cr_assert_eq(rt_export_rows(rows, RT_EXPORT_XLSX, "Steps", &x, &e), 0, "%s", e.msg.buf);
    drain(x, &out, &parts);
    cr_assert_gt(out.len, 1000);
    cr_assert_eq(memcmp(out.buf, "PK\3\4", 4), 0, "not a zip");
    {
        int found = 0;
        for (size_t i = 0; i + 24 <= out.len && !found; i++)
            found = !memcmp(out.buf + i, "xl/worksheets/sheet1.xml", 24);
        cr_assert(found, "no worksheet in the zip");
    }
    rt_buf_release(&out);
}

Test(export, formats_and_file_names)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_buf name = RT_BUF_INIT;
    enum rt_export_format f;
    char day[16];
    time_t now = time(NULL);
    struct tm tm;

    cr_assert_eq(rt_export_format_parse("xlsx", &f), 0);
    cr_assert_eq(f, RT_EXPORT_XLSX);
    cr_assert_eq(rt_export_format_parse("excel", &f), 0);
    cr_assert_eq(rt_export_format_parse("csv", &f), 0);
    cr_assert_eq(f, RT_EXPORT_CSV);
    cr_assert_eq(rt_export_format_parse("ods", &f), RT_EINVAL);
    cr_assert_str_eq(rt_export_content_type(RT_EXPORT_CSV), "text/csv; charset=utf-8");

    q.sur = "Belarus";
    q.theme = "Death penalty";
    q.text = "\"torture\" OR ill-treatment*";
    q.cycle = 2;
    q.response = RT_RESPONSE_NOTED;
    gmtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    rt_export_search_filename(&q, RT_EXPORT_CSV, &name);
    {
        char want[200];
        snprintf(want, sizeof(want),
                 "recommendations-belarus-death-penalty-torture-or-ill-treatment-noted-cycle-2-"
                 "%s.csv",
                 day);
        cr_assert_str_eq(name.buf, want);
    }
    rt_buf_reset(&name);
    q = (struct rt_query)RT_QUERY_INIT;
    q.text = "Côte d'Ivoire <script>\"";
    rt_export_search_filename(&q, RT_EXPORT_XLSX, &name);
    cr_assert_null(strpbrk(name.buf, "\"<> '/\\"), "%s", name.buf);
    cr_assert(strstr(name.buf, "recommendations-c-te-d-ivoire-script-") == name.buf, "%s",
              name.buf);
    rt_buf_release(&name);
}

Test(export, a_search_in_its_order)
{
    static const char csv[] =
        "id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,"
        "recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file\n"
        "1,8,1,2010,Belarus,EEG,,France,WEOG,EU,Noted,5,Death penalty,"
        "\"Abolish the death penalty\",t\n"
        "2,8,1,2010,Belarus,EEG,,Italy,WEOG,EU,Noted,5,Death penalty,"
        "\"Ratify the Second Optional Protocol, on the death penalty\",t\n"
        "3,6,1,2009,Albania,EEG,,Brazil,GRULAC,,Supported,4,Torture,\"Ban torture\",t\n"
        "4,2,1,2008,Zambia,African Group,,Chile,GRULAC,,Supported,4,Torture,"
        "\"End torture, and the death penalty\",t\n";
    const char *path = TEST_FILE_STR("recs.csv", csv);
    char db[300];
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_buf out = RT_BUF_INIT;
    struct rt_export *x = NULL;
    const char *at;
    int parts;

    snprintf(db, sizeof(db), "%s", test_store("t"));
    cr_assert_eq(rt_store_open(&st, db, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_import_files(st, &path, 1, NULL, NULL, NULL, &e), 0, "%s", e.msg.buf);

    q.text = "death penalty";
    q.sort = RT_SORT_STATE;
    q.desc = 1;
    q.limit = 2; /* an export ignores it */
    cr_assert_eq(rt_search(st, &q, &res, &e), 0);
    cr_assert_eq(res.total, 3);
    cr_assert_str_eq(res.hits[0].sur.name, "Zambia");
    cr_assert_eq(rt_export_search(st, &q, RT_EXPORT_CSV, &x, &e), 0, "%s", e.msg.buf);
    drain(x, &out, &parts);
    cr_assert(!strncmp(out.buf, "id,mechanism,cycle,session,", 27), "%s", out.buf);
    at = strstr(out.buf, "Zambia");
    cr_assert_not_null(at);
    cr_assert_not_null(strstr(at, "Belarus"), "Zambia comes before Belarus, descending");
    cr_assert_null(strstr(out.buf, "Ban torture"));
    cr_assert_not_null(strstr(out.buf, "\"Ratify the Second Optional Protocol, on the death "
                                       "penalty\""));
    cr_assert_not_null(strstr(out.buf, ",Italy,ITA,noted,"));

    q.sur = "Atlantis";
    cr_assert_eq(rt_export_search(st, &q, RT_EXPORT_CSV, &x, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "sur");
    cr_assert_null(x);
    rt_search_result_release(&res);
    rt_buf_release(&out);
    rt_error_release(&e);
    rt_store_close(st);
}

/* A download streamed for the public stays the public's, whoever the store reads for
 * between its parts (the web face serves other requests on the same store). */
Test(export, search_export_keeps_its_reader)
{
    static const char csv[] = "id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,"
                              "recommending_state,rs_region,rs_orgs,response,action_category,"
                              "issues,text,source_file\n"
                              "1,8,1,2010,Belarus,EEG,,France,WEOG,EU,Noted,5,Death penalty,"
                              "\"Abolish the death penalty\",t\n";
    const char *path = TEST_FILE_STR("secret-source.csv", csv);
    char db[300];
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_query q = RT_QUERY_INIT;
    struct rt_buf out = RT_BUF_INIT;
    struct rt_export *x = NULL;
    int parts;

    snprintf(db, sizeof(db), "%s", test_store("p"));
    cr_assert_eq(rt_store_open(&st, db, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_import_files(st, &path, 1, NULL, NULL, NULL, &e), 0, "%s", e.msg.buf);
    q.text = "death penalty";
    cr_assert_eq(rt_export_search(st, &q, RT_EXPORT_CSV, &x, &e), 0, "%s", e.msg.buf);
    drain(x, &out, &parts);
    cr_assert_not_null(strstr(out.buf, "secret-source.csv"), "%s", out.buf);
    rt_buf_reset(&out);
    cr_assert_eq(rt_private_set(st, "source:1", 1, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_store_set_reader(st, RT_READER_PUBLIC, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_export_search(st, &q, RT_EXPORT_CSV, &x, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_store_set_reader(st, RT_READER_ALL, &e), 0, "%s", e.msg.buf);
    drain(x, &out, &parts);
    cr_assert_not_null(strstr(out.buf, "Abolish the death penalty"), "%s", out.buf);
    cr_assert_null(strstr(out.buf, "secret-source.csv"), "%s", out.buf);
    rt_buf_release(&out);
    rt_store_close(st);
}
