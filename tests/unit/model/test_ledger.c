/* Tests of the ledger's value checks: dates and step kinds. */
#include <criterion/criterion.h>

#include <rightstrack/ledger.h>

Test(date, precisions)
{
    const char *p = NULL;
    cr_assert_eq(rt_date_check("2015-12-16", &p), 0);
    cr_assert_str_eq(p, "day");
    cr_assert_eq(rt_date_check("2015-08", &p), 0);
    cr_assert_str_eq(p, "month");
    cr_assert_eq(rt_date_check("2016", &p), 0);
    cr_assert_str_eq(p, "year");
    cr_assert_eq(rt_date_check("2016-02-29", NULL), 0);
}

Test(date, refused)
{
    const char *bad[] = {"2015-13-01", "2015-02-30", "2015-02-29", "2015-00", "15-12-16",
                         "2015/12/16", "2015-12-16T10:00", "", "1899", "2015-1-5", "abcd"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(rt_date_check(bad[i], NULL), RT_EINVAL, "%s", bad[i]);
    cr_assert_eq(rt_date_check(NULL, NULL), RT_EINVAL);
}

Test(step_kind, list)
{
    cr_assert(rt_step_kind_valid("prisoner-release"));
    cr_assert(rt_step_kind_valid("sanctions-eased"));
    cr_assert_not(rt_step_kind_valid("Prisoner release"));
}
