/* Tests of Unicode clean-up and name keys. */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

static char *clean(const char *s)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_clean(s, strlen(s), &b), 0);
    return rt_buf_detach(&b, NULL);
}

static char *key(const char *s)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_name_key(s, strlen(s), &b), 0);
    return rt_buf_detach(&b, NULL);
}

Test(clean, folds_white_space_and_trims)
{
    char *s = clean("  Ratify\tthe \r\n Convention \u00a0 now  ");
    cr_assert_str_eq(s, "Ratify the Convention now");
    rt_free(s);
}

Test(clean, composes_to_nfc)
{
    /* e + combining acute becomes one code point. */
    char *s = clean("Equite\xcc\x81");
    cr_assert_str_eq(s, "Equit\xc3\xa9");
    rt_free(s);
}

Test(clean, rejects_invalid_utf8)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_clean("ab\xff", 3, &b), RT_EINVAL);
    cr_assert_eq(b.len, 0);
    rt_buf_release(&b);
}

Test(name_key, variants_meet)
{
    const char *same[][2] = {
        {"C\xc3\xb4te d'Ivoire", "Cote d\xe2\x80\x99Ivoire"},
        {"Antigua & Barbuda", "antigua and barbuda"},
        {"the former Yugoslav Republic of Macedonia", "Former Yugoslav Republic of Macedonia"},
        {"&#40;Unknown&#41;", "(Unknown)"},
        {"  South   Sudan ", "South Sudan"},
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        char *a = key(same[i][0]), *b = key(same[i][1]);
        cr_assert_str_eq(a, b, "'%s' vs '%s'", same[i][0], same[i][1]);
        rt_free(a);
        rt_free(b);
    }
}

Test(name_key, exact_form)
{
    char *s = key("Iran (Islamic Republic of)");
    cr_assert_str_eq(s, "iran islamic republic of");
    rt_free(s);
    s = key("&#40;Unknown&#41;");
    cr_assert_str_eq(s, "unknown");
    rt_free(s);
}
