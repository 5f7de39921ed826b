/* Tests of persons (person.h): names matched across scripts and spellings, and the
 * register's writes and status as of a date. */
#include <criterion/criterion.h>
#include <stdio.h>

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

/*
 * Names in the original script and in several romanisations: pairs that are one
 * person (1) and pairs that are two (0). Belarusian names in Belarusian and Russian
 * forms, Vietnamese with and without diacritics, Chinese in Han characters, pinyin
 * and Wade-Giles. Some pairs are hard on purpose (a Russian form that is another
 * word, Wade-Giles, relatives who share a family name): the figures say how far
 * the matching goes, and the thresholds below keep it from getting worse.
 */
static const struct {
    const char *a, *b;
    int same;
} pairs[] = {
    /* Belarusian and Russian */
    {"Mikalai Statkevich", "Мікалай Статкевіч", 1},
    {"Mikalai Statkevich", "Николай Статкевич", 1},
    {"Mikalai Statkevich", "Mikalai Statkevič", 1},
    {"Mikalai Dziadok", "Mikalai Dzyadok", 1},
    {"Mikalai Dziadok", "Nikolai Dedkov", 1},
    {"Ihar Alinevich", "Igor Olinevich", 1},
    {"Artsiom Prakapenka", "Artyom Prokopenko", 1},
    {"Yury Rubtsou", "Yuri Rubtsov", 1},
    {"Yauhen Vaskovich", "Evgeniy Vaskovich", 1},
    {"Ales Bialiatski", "Ales Byalyatski", 1},
    {"Ales Bialiatski", "Aleś Bialacki", 1},
    {"Алесь Бяляцкі", "Ales Bialiatski", 1},
    {"Maryia Kalesnikava", "Maria Kolesnikova", 1},
    {"Марыя Калеснікава", "Maria Kolesnikova", 1},
    {"Viktar Babaryka", "Viktor Babariko", 1},
    {"Віктар Бабарыка", "Viktor Babariko", 1},
    {"Siarhei Tsikhanouski", "Sergei Tikhanovsky", 1},
    {"Сяргей Ціханоўскі", "Sergey Tikhanovskiy", 1},
    {"Aleh Hruzdzilovich", "Oleg Gruzdilovich", 1},
    {"Mikalai Statkevich", "Mikalai Dziadok", 0},
    {"Ales Bialiatski", "Ales Mikhalevich", 0},
    {"Maryia Kalesnikava", "Maryia Rabkova", 0},
    {"Ihar Losik", "Ihar Alinevich", 0},
    {"Viktar Babaryka", "Eduard Babaryka", 0},
    {"Siarhei Tsikhanouski", "Sviatlana Tsikhanouskaya", 0},
    {"Yury Rubtsou", "Yury Voronezhtsev", 0},
    /* Vietnamese */
    {"Nguyễn Văn Đài", "Nguyen Van Dai", 1},
    {"Phạm Đoan Trang", "Pham Doan Trang", 1},
    {"Lê Quốc Quân", "Le Quoc Quan", 1},
    {"Trần Huỳnh Duy Thức", "Tran Huynh Duy Thuc", 1},
    {"Nguyen Van Dai", "Nguyen Van Hai", 0},
    {"Pham Doan Trang", "Pham Chi Dung", 0},
    {"Le Quoc Quan", "Le Dinh Luong", 0},
    /* Chinese */
    {"刘晓波", "Liu Xiaobo", 1},
    {"许志永", "Xu Zhiyong", 1},
    {"丁家喜", "Ding Jiaxi", 1},
    {"王全璋", "Wang Quanzhang", 1},
    {"Xu Zhiyong", "Zhiyong Xu", 1},
    {"Liu Xiaobo", "Liu Hsiao-po", 1},
    {"伊力哈木·土赫提", "Ilham Tohti", 1},
    {"Liu Xiaobo", "Liu Xia", 0},
    {"Xu Zhiyong", "Xu Qin", 0},
    {"王全璋", "Wang Yu", 0},
    {"Ding Jiaxi", "Ding Zilin", 0},
};

Test(person, name_matching_precision_and_recall)
{
    int tp = 0, fp = 0, fn = 0, tn = 0;
    double precision, recall;

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        double s = rt_person_name_similarity(pairs[i].a, pairs[i].b);
        int said = s >= RT_PERSON_CLOSE;
        cr_assert_geq(s, 0.0, "%s has a key", pairs[i].a);
        if (said != pairs[i].same)
            fprintf(stderr, "  %s: '%s' / '%s' %.2f\n", said ? "false match" : "missed", pairs[i].a,
                    pairs[i].b, s);
        tp += said && pairs[i].same;
        fp += said && !pairs[i].same;
        fn += !said && pairs[i].same;
        tn += !said && !pairs[i].same;
    }
    precision = (double)tp / (double)(tp + fp);
    recall = (double)tp / (double)(tp + fn);
    fprintf(stderr, "name matching: %d pairs, precision %.2f, recall %.2f (%d/%d/%d/%d)\n",
            tp + fp + fn + tn, precision, recall, tp, fp, fn, tn);
    cr_assert_geq(precision, 0.75, "precision %.2f", precision);
    cr_assert_geq(recall, 0.80, "recall %.2f", recall);
}

Test(person, keys_across_scripts)
{
    struct rt_buf a = RT_BUF_INIT, b = RT_BUF_INIT, c = RT_BUF_INIT;
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt_person_name_key("Статкевич", &a, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_person_name_key("Statkevich", &b, &e), 0);
    cr_assert_eq(rt_person_name_key("Statkevič", &c, &e), 0);
    cr_assert_str_eq(a.buf, b.buf);
    cr_assert_str_eq(b.buf, c.buf);
    /* the family name of a name in Han characters is its first syllable */
    cr_assert_eq(rt_person_name_key("刘晓波", &a, &e), 0);
    cr_assert_eq(rt_person_name_key("Xiaobo Liu", &b, &e), 0);
    cr_assert_str_eq(a.buf, b.buf);
    cr_assert_eq(rt_person_name_key(" -- ", &a, &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "name");
    rt_error_release(&e);
    rt_buf_release(&a);
    rt_buf_release(&b);
    rt_buf_release(&c);
}

Test(person, register_status_and_step)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st;
    char path[256];
    int64_t p1 = 0, p2 = 0, p3 = 0, step = 0, ev = 0, found = 0;
    json_t *doc = NULL;
    struct rt_step_in s = {"Belarus",    "2015-08-22", "prisoner-release", "positive", 1,
                           "A release.", NULL};
    struct rt_person_in a = {"Mikalai Statkevich",
                             "male",
                             1956,
                             "opposition politician",
                             NULL,
                             NULL,
                             NULL,
                             "Belarus",
                             0};
    struct rt_person_in b = {"Nikolai Statkevich", NULL, 0, NULL, NULL, NULL, NULL, NULL, 0};
    struct rt_person_in c = {"Ales Bialiatski", NULL, 0, NULL, NULL, NULL, NULL, NULL, 0};

    snprintf(path, sizeof(path), "%s", test_store("p"));
    cr_assert_eq(rt_store_open(&st, path, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_person_add(st, &a, &p1, &e), 0, "%s", e.msg.buf);
    /* close: offered, not made */
    cr_assert_eq(rt_person_add(st, &b, &p2, &e), RT_EEXIST);
    cr_assert_str_eq(e.field, "name");
    cr_assert(strstr(e.msg.buf, "Mikalai Statkevich"), "%s", e.msg.buf);
    b.if_close = "new";
    cr_assert_eq(rt_person_add(st, &b, &p2, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_person_add(st, &c, &p3, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_person_find(st, "Статкевич Мікалай", &found, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(found, p1);
    cr_assert_eq(rt_step_add(st, &s, &step, &e), 0, "%s", e.msg.buf);

    {
        struct rt_case_in held = {p1, "detained", "2010-12-19", NULL, NULL, NULL, 0};
        struct rt_case_in freed = {p1, "released", "2015-08-22", "pardon", NULL, NULL, step};
        struct rt_case_in other = {p3, "released", "2015-08-22", "pardon", NULL, NULL, step};
        struct rt_case_in bad = {p1, "detained", "2015-08-22", "pardon", NULL, NULL, 0};
        cr_assert_eq(rt_case_add(st, &held, &ev, &e), 0, "%s", e.msg.buf);
        cr_assert_eq(rt_case_add(st, &freed, &ev, &e), 0, "%s", e.msg.buf);
        /* the step freed one: a second named person would pass its quantity */
        cr_assert_eq(rt_case_add(st, &other, &ev, &e), RT_EINVAL);
        cr_assert_str_eq(e.field, "step");
        cr_assert_eq(rt_case_add(st, &bad, &ev, &e), RT_EINVAL);
        cr_assert_str_eq(e.field, "how");
    }
    cr_assert_eq(rt_person_get(st, p1, "2015-08-21", &doc, &e), 0, "%s", e.msg.buf);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "status"), "status")),
                     "detained");
    cr_assert(json_is_false(json_object_get(json_object_get(doc, "status"), "inferred")));
    cr_assert_eq(json_array_size(json_object_get(doc, "events")), 1);
    json_decref(doc);
    cr_assert_eq(rt_person_get(st, p1, "2015-08", &doc, &e), 0);
    /* a month is its first day: the release of the 22nd is not in it yet */
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "status"), "status")),
                     "detained");
    json_decref(doc);
    cr_assert_eq(rt_step_persons(st, step, &doc, &e), 0);
    cr_assert_eq(json_integer_value(json_object_get(doc, "named")), 1);
    cr_assert_eq(json_integer_value(json_object_get(doc, "unnamed")), 0);
    json_decref(doc);

    /* merge: p2's names come to p1, and p2 is found as p1 */
    cr_assert_eq(rt_person_merge(st, p1, p2, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_person_find(st, "Nikolai Statkevich", &found, &e), 0);
    cr_assert_eq(found, p1);
    cr_assert_eq(rt_person_merge(st, p1, p2, &e), RT_EINVAL);
    cr_assert_eq(rt_person_count(st, "2012", &doc, &e), 0);
    cr_assert_eq(json_integer_value(json_object_get(doc, "persons")), 2);
    cr_assert_eq(json_integer_value(json_object_get(doc, "detained")), 1);
    cr_assert_eq(json_integer_value(json_object_get(doc, "unknown")), 1);
    json_decref(doc);
    rt_error_release(&e);
    rt_store_close(st);
}
