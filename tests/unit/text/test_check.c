/* Tests of the text rule (rt_text_check) and the printable form of old text. */
#include <criterion/criterion.h>
#include <string.h>

#include <rightstrack/text.h>

static int check(const char *s, size_t len, struct rt_error *err)
{
    return rt_text_check("text", s, len, err);
}

Test(check, takes_text_with_tabs_line_breaks_and_unicode)
{
    static const char ok[] = "Minsk\tCôte d’Ivoire\nBeyond the line\r\nend 死刑 €";
    struct rt_error err = RT_ERROR_INIT;
    cr_assert_eq(check(ok, strlen(ok), &err), 0);
    cr_assert_eq(err.code, 0);
    cr_assert_eq(check("", 0, &err), 0);
}

Test(check, refuses_bytes_that_are_not_utf8_naming_field_and_byte)
{
    struct rt_error err = RT_ERROR_INIT;
    cr_assert_eq(rt_text_check("place", "x\xff", 2, &err), RT_EINVAL);
    cr_assert_str_eq(err.field, "place");
    cr_assert(strstr(err.msg.buf, "byte 2"), "%s", err.msg.buf);
    rt_error_release(&err);
    cr_assert_eq(check("\xc3", 1, &err), RT_EINVAL); /* cut short */
    rt_error_release(&err);
    cr_assert_eq(check("\xed\xa0\x80", 3, &err), RT_EINVAL); /* a surrogate */
    rt_error_release(&err);
}

Test(check, refuses_control_characters)
{
    static const char *const bad[] = {"x\033[31m",  "bell\a",   "nul",         "del\x7f",
                                      "c1\xc2\x9b", "lone\rcr", "cr at end\r", "form\ffeed"};
    struct rt_error err = RT_ERROR_INIT;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = i == 2 ? 4 : strlen(bad[i]); /* "nul" with its NUL */
        cr_assert_eq(check(bad[i], len, &err), RT_EINVAL, "%zu", i);
        cr_assert(strstr(err.msg.buf, "control character"), "%s", err.msg.buf);
        rt_error_release(&err);
    }
}

Test(printable, replaces_what_the_rule_refuses)
{
    struct rt_buf b = RT_BUF_INIT;
    static const char old[] = "a\033[2Jb\xff\tc\r\n";
    rt_text_printable(old, sizeof(old) - 1, &b);
    cr_assert_str_eq(b.buf, "a\xef\xbf\xbd[2Jb\xef\xbf\xbd\tc\r\n");
    rt_buf_release(&b);
}
