/* Tests of the importers on small files written here, good and bad. */
#include <criterion/criterion.h>

#include <rightstrack/ingest.h>
#include <rightstrack/search.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

static struct rt_store *st;

static void open_db(void)
{
    char path[256];
    snprintf(path, sizeof(path), "%s", test_store("t"));
    cr_assert_eq(rt_store_open(&st, path, RT_STORE_CREATE, NULL), 0);
}

static void close_db(void)
{
    rt_store_close(st);
}

TestSuite(import, .init = open_db, .fini = close_db);

static int64_t n_recs(void)
{
    struct rt_stats s = {0};
    int64_t n;
    cr_assert_eq(rt_store_stats(st, 0, &s, NULL), 0);
    n = s.recommendations;
    rt_stats_release(&s);
    return n;
}

static int import1(const char *path, struct rt_import_stats *stats, struct rt_error *e)
{
    return rt_import_files(st, &path, 1, stats, NULL, NULL, e);
}

#define NORM_HEADER                                                                         \
    "id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,recommending_state," \
    "rs_region,rs_orgs,response,action_category,issues,text,source_file\n"

static const char norm_ok[] =
    NORM_HEADER
    "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,EU,Noted,5,Detention|Justice,"
    "\"Release  all political prisoners.\",x\n"
    "2,8,1,2010,Belarus,EEG,,Norway,WEOG,,Noted,5,Detention,"
    "Release all political prisoners.,x\n"
    "3,8,1,2010,Belarus,EEG,,Belarus,EEG,,Voluntary Pledge,3,UPR process,"
    "\"Report on progress, \"\"mid-term\"\"\",x\n";

Test(import, joint_recommendations_are_one)
{
    struct rt_import_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec r;
    const char *path = TEST_FILE_STR("ok.csv", norm_ok);
    cr_assert_eq(import1(path, &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.format, RT_FORMAT_UPR_INFO);
    cr_assert_eq(s.rows, 3);
    cr_assert_eq(s.recs_new, 2);
    cr_assert_eq(s.recs_existing, 1);
    cr_assert_eq(n_recs(), 2);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, 1, &r, NULL), 0);
    cr_assert_str_eq(r.text, "Release all political prisoners.");
    cr_assert_eq(r.n_by, 2);
    cr_assert_eq(r.n_themes, 2);
    cr_assert_eq(r.response, RT_RESPONSE_NOTED);
    rt_rec_release(&r);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, 2, &r, NULL), 0);
    cr_assert_eq(r.response, RT_RESPONSE_PLEDGE);
    cr_assert_str_eq(r.text, "Report on progress, \"mid-term\"");
    rt_rec_release(&r);
}

Test(import, again_changes_nothing)
{
    struct rt_import_stats s = {0};
    const char *path = TEST_FILE_STR("ok.csv", norm_ok);
    cr_assert_eq(import1(path, &s, NULL), 0);
    memset(&s, 0, sizeof(s));
    cr_assert_eq(import1(path, &s, NULL), 0);
    cr_assert_eq(s.recs_new, 0);
    cr_assert_eq(s.by_new, 0);
    cr_assert_eq(s.themes_new, 0);
    cr_assert_eq(s.source_new, 0);
    cr_assert_eq(n_recs(), 2);
}

/* The raw export: MacRoman, CR line ends, issues comma-separated in quotes. */
static const char raw_ok[] =
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\r"
    "Belarus,EEG,,Release all political prisoners. ,Sweden,WEOG,EU,Noted,5,"
    "\"Detention,Justice\",8\r"
    "Belarus,EEG,,Work with the \x8Equipe (\x92 test),Norway,WEOG,,Accepted,4,Other,8\r";

Test(import, raw_export_macroman_cr)
{
    struct rt_import_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec r;
    const char *path = TEST_FILE_STR("raw.csv", raw_ok);
    cr_assert_eq(import1(path, &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.format, RT_FORMAT_UPR_INFO_RAW);
    cr_assert_eq(s.recs_new, 2);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, 2, &r, NULL), 0);
    cr_assert_str_eq(r.text, "Work with the \xc3\xa9quipe (\xc3\xad test)");
    cr_assert_eq(r.response, RT_RESPONSE_SUPPORTED);
    cr_assert_eq(r.cycle, 1);
    rt_rec_release(&r);
    /* The normalised form of the same rows adds nothing. */
    const char *norm = TEST_FILE_STR("same.csv", norm_ok);
    memset(&s, 0, sizeof(s));
    cr_assert_eq(import1(norm, &s, NULL), 0);
    cr_assert_eq(s.recs_existing, 2); /* the two rows of the first recommendation */
}

static const char uhri_ok[] =
    "country,cycle,session,paragraph_id,text,recommending_states,position,themes,sdgs,"
    "affected_persons,source,primary_theme,theme_codes,position_source\n"
    "Slovenia,2,20,115.6,Ratify the Convention (ICRMW) (Iran (Islamic Republic of));,"
    "ICRMW|Iran (Islamic Republic of),Noted,Migrants,,,s,Migrants,,p\n"
    "Slovenia,2,20,115.8,\"Ratify ICRMW (Senegal, Sierra Leone,Peru);\","
    "Senegal|Sierra Leone|Peru,Supported,Migrants|Acceptance of international norms,,,s,,,p\n";

Test(import, uhri_strips_sponsor_lists)
{
    struct rt_import_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec r;
    cr_assert_eq(import1(TEST_FILE_STR("uhri.csv", uhri_ok), &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.format, RT_FORMAT_UHRI);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, 1, &r, NULL), 0);
    cr_assert_str_eq(r.text, "Ratify the Convention (ICRMW)");
    cr_assert_eq(r.n_by, 1);
    cr_assert_str_eq(r.by[0].code, "IRN");
    cr_assert_str_eq(r.paragraph, "115.6");
    cr_assert_eq(r.session, 20);
    rt_rec_release(&r);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, 2, &r, NULL), 0);
    cr_assert_str_eq(r.text, "Ratify ICRMW");
    cr_assert_eq(r.n_by, 3);
    cr_assert_eq(r.n_themes, 2);
    rt_rec_release(&r);
}

/* Bad input: each is refused with file and line, and the database stays as it was. */
static void expect_refused(const char *name, const void *data, size_t len, int code, long line,
                           const char *field, const char *msg_part)
{
    struct rt_error e = RT_ERROR_INIT;
    const char *good = TEST_FILE_STR("good.csv", norm_ok);
    const char *bad;
    const char *paths[2];

    cr_assert_eq(import1(good, NULL, NULL), 0);
    bad = test_file(name, data, len);
    paths[0] = good;
    paths[1] = bad;
    cr_assert_eq(rt_import_files(st, paths, 2, NULL, NULL, NULL, &e), code, "%s: %s", name,
                 e.msg.buf);
    cr_assert_not_null(e.file, "%s", name);
    cr_assert(strstr(e.file, name) != NULL, "%s: file is %s", name, e.file);
    cr_assert_eq(e.line, line, "%s: line %ld", name, e.line);
    if (field)
        cr_assert_str_eq(e.field ? e.field : "(none)", field, "%s", name);
    if (msg_part)
        cr_assert(strstr(e.msg.buf, msg_part) != NULL, "%s: message %s", name, e.msg.buf);
    cr_assert_eq(n_recs(), 2, "%s: the database changed", name);
    rt_error_release(&e);
}

#define REFUSE(name, s, code, line, field, msg)                                              \
    expect_refused(name, s, sizeof(s) - 1, code, line, field, msg)

Test(import, bad_truncated_quote)
{
    REFUSE("trunc.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,\"Release",
           RT_EINVAL, 2, NULL, "not closed");
}

Test(import, bad_stray_quote)
{
    REFUSE("stray.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,Rel\"ease,x\n",
           RT_EINVAL, 2, NULL, "malformed CSV in field 14");
}

Test(import, bad_invalid_utf8)
{
    REFUSE("utf8.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,ok,x\n"
                                   "2,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,bad \xff,x\n",
           RT_EINVAL, 3, NULL, "UTF-8");
}

Test(import, bad_huge_field)
{
    size_t big = 10u << 20, hl = strlen(NORM_HEADER);
    const char *pre = "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,";
    size_t pl = strlen(pre);
    char *data = rt_xmalloc(hl + pl + big + 8);
    memcpy(data, NORM_HEADER, hl);
    memcpy(data + hl, pre, pl);
    memset(data + hl + pl, 'a', big);
    memcpy(data + hl + pl + big, ",x\n", 3);
    expect_refused("huge.csv", data, hl + pl + big + 3, RT_ETOOBIG, 2, NULL, "longer than");
    rt_free(data);
}

Test(import, bad_missing_column)
{
    REFUSE("nocol.csv",
           "id,session,cycle,state_under_review,recommending_state,response,issues,source_file\n"
           "1,8,1,Belarus,Sweden,Noted,,x\n",
           RT_EFORMAT, 1, "text", "missing column 'text'");
}

Test(import, bad_short_row)
{
    REFUSE("short.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,text\n",
           RT_EINVAL, 2, NULL, "expected 15 fields");
}

Test(import, bad_empty_file)
{
    REFUSE("empty.csv", "", RT_EINVAL, 0, NULL, "empty");
    REFUSE("header.csv", NORM_HEADER, RT_EINVAL, 1, NULL, "no recommendations");
}

Test(import, bad_unknown_states_all_listed)
{
    REFUSE("unknown.csv",
           NORM_HEADER "1,8,1,2010,Belarus,EEG,,Atlantis,WEOG,,Noted,5,,a,x\n"
                       "2,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,b,x\n"
                       "3,8,1,2010,Lilliput,EEG,,Sweden,WEOG,,Noted,5,,c,x\n",
           RT_EINVAL, 2, "recommending_state", "unknown.csv:4: field 'state_under_review'");
}

Test(import, bad_other_format)
{
    REFUSE("other.csv", "name,age,city\nAnn,3,Oslo\n", RT_EFORMAT, 1, NULL, "unknown format");
}

Test(import, bad_response_and_numbers)
{
    REFUSE("resp.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Maybe,5,,a,x\n",
           RT_EINVAL, 2, "response", "unknown response 'Maybe'");
    REFUSE("cat.csv", NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,9,,a,x\n",
           RT_EINVAL, 2, "action_category", "from 1 to 5");
    REFUSE("sess.csv", NORM_HEADER "1,eight,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,a,x\n",
           RT_EINVAL, 2, "session", "not a number");
}

Test(import, multi_line_field_keeps_line_numbers)
{
    REFUSE("multi.csv",
           NORM_HEADER "1,8,1,2010,Belarus,EEG,,Sweden,WEOG,,Noted,5,,\"two\nlines\",x\n"
                       "2,8,1,2010,Belarus,EEG,,Atlantis,WEOG,,Noted,5,,b,x\n",
           RT_EINVAL, 4, "recommending_state", "Atlantis");
}

Test(import, missing_file)
{
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(import1("/nonexistent/file.csv", NULL, &e), RT_EIO);
    cr_assert_str_eq(e.file, "/nonexistent/file.csv");
    rt_error_release(&e);
}

/* The real files: the figures of ../shared/data/upr/README.md. */
Test(import, real_upr_info_figures, .timeout = 300)
{
    const char *data = shared_data();
    char path[600];
    struct rt_import_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_stats all = {0}, blr = {0};
    int64_t blr_id;
    const char *p = path;

    snprintf(path, sizeof(path), "%s/upr/upr_info_s01-s18.csv", data);
    cr_assert_eq(rt_import_files(st, &p, 1, &s, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.rows, 36381);
    cr_assert_eq(rt_store_stats(st, 0, &all, NULL), 0);
    cr_assert_eq(all.recommendations, 35368);
    cr_assert_eq(all.n_by_cycle, 2);
    cr_assert_eq(all.by_cycle[0].n, 21218);
    cr_assert_eq(all.by_cycle[1].n, 14150);
    cr_assert_eq(all.states_under_review, 193);
    cr_assert_eq(rt_store_state_find(st, "Belarus", 7, &blr_id, NULL), 0);
    cr_assert_eq(rt_store_stats(st, blr_id, &blr, NULL), 0);
    cr_assert_eq(blr.recommendations, 167);
    cr_assert_eq(blr.by_response[RT_RESPONSE_SUPPORTED], 123);
    cr_assert_eq(blr.by_response[RT_RESPONSE_NOTED], 44);
    rt_stats_release(&all);
    rt_stats_release(&blr);
}

Test(import, real_uhri_file, .timeout = 120)
{
    const char *data = shared_data();
    char path[600];
    struct rt_import_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    const char *p = path;

    snprintf(path, sizeof(path), "%s/uhri/uhri_thematic_recommendations.csv", data);
    cr_assert_eq(rt_import_files(st, &p, 1, &s, NULL, NULL, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.rows, 632);
    cr_assert_eq(s.format, RT_FORMAT_UHRI);
    cr_assert_eq(s.recs_new + s.recs_existing, 632);
    cr_assert_gt(s.recs_new, 600);
    cr_assert_gt(s.by_new, 632);
}
