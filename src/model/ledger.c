/* Values of the dialogue ledger: dates with precision, parties' organisations, step kinds. */
#include "base/compat.h"

#include <rightstrack/ledger.h>

const char *const rt_step_kinds[] = {
    "prisoner-release",
    "pardon",
    "amnesty",
    "arrest",
    "detention",
    "conviction",
    "law-adopted",
    "law-amended",
    "law-repealed",
    "election-held",
    "registration-granted",
    "registration-refused",
    "sanctions-imposed",
    "sanctions-eased",
    "sanctions-lifted",
    "visit",
    "statement",
    "report-published",
    "ratification",
    "invitation",
    "other",
    NULL,
};

int rt_step_kind_valid(const char *kind)
{
    for (size_t i = 0; rt_step_kinds[i]; i++)
        if (!strcmp(rt_step_kinds[i], kind))
            return 1;
    return 0;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int rt_date_check(const char *date, const char **precision)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = date ? strlen(date) : 0;
    int y, m, d;

    if (!(n == 4 || n == 7 || n == 10) || !digits(date, 4))
        return RT_EINVAL;
    y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    if (y < 1900 || y > 2200)
        return RT_EINVAL;
    if (n == 4) {
        if (precision)
            *precision = "year";
        return 0;
    }
    if (date[4] != '-' || !digits(date + 5, 2))
        return RT_EINVAL;
    m = (date[5] - '0') * 10 + (date[6] - '0');
    if (m < 1 || m > 12)
        return RT_EINVAL;
    if (n == 7) {
        if (precision)
            *precision = "month";
        return 0;
    }
    if (date[7] != '-' || !digits(date + 8, 2))
        return RT_EINVAL;
    d = (date[8] - '0') * 10 + (date[9] - '0');
    if (d < 1 || d > mdays[m - 1])
        return RT_EINVAL;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return RT_EINVAL;
    if (precision)
        *precision = "day";
    return 0;
}
