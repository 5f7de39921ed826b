/* Tests of the ledger's entity descriptions (entity.h) and of rt_ledger_write. */
#include <criterion/criterion.h>

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

static int check(const char *entity, const char *body_json, struct rt_error *e)
{
    json_t *body = json_loads(body_json, 0, NULL);
    int rc;

    cr_assert_not_null(body, "%s", body_json);
    rc = rt_entity_check(rt_entity_find(entity), body, e);
    json_decref(body);
    return rc;
}

Test(entity, every_entity_is_described)
{
    const char *names[] = {"dialogue", "round",      "participant", "topic",      "ask",
                           "step",     "commitment", "benchmark",   "assessment", "link"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const struct rt_entity *e = rt_entity_find(names[i]);
        cr_assert_not_null(e, "%s", names[i]);
        for (const struct rt_field *f = e->fields; f->name; f++) {
            cr_assert_not_null(f->label, "%s.%s has a label", names[i], f->name);
            cr_assert_not_null(f->help, "%s.%s has a help text", names[i], f->name);
            cr_assert(f->type != RT_FIELD_CHOICE || f->vocabulary, "%s.%s", names[i], f->name);
        }
    }
    cr_assert_null(rt_entity_find("colour"));
    cr_assert_str_eq(rt_entity_find("ask")->parent, "round");
    cr_assert_eq(rt_entity_field(rt_entity_find("step"), "kind")->vocabulary, rt_step_kinds);
}

Test(entity, checks_name_the_field)
{
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(check("step",
                       "{\"actor\": \"USA\", \"date\": \"2016\", \"kind\": \"visit\", "
                       "\"text\": \"x\"}",
                       &e),
                 0);
    cr_assert_eq(check("step", "{\"actor\": \"USA\", \"date\": \"2016\", \"kind\": \"visit\"}", &e),
                 RT_EINVAL);
    cr_assert_str_eq(e.field, "text");
    rt_error_release(&e);
    cr_assert_eq(check("step", "{\"colour\": \"red\"}", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "colour");
    rt_error_release(&e);
    cr_assert_eq(check("step", "{\"quantity\": \"many\"}", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "quantity");
    rt_error_release(&e);
    cr_assert_eq(check("step", "{\"kind\": \"miracle\"}", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "kind");
    cr_assert(strstr(e.msg.buf, "prisoner-release"), "%s", e.msg.buf);
    rt_error_release(&e);
    cr_assert_eq(check("ask", "{\"recommendations\": [{}]}", &e), RT_EINVAL);
    cr_assert_str_eq(e.field, "recommendations");
    rt_error_release(&e);
    cr_assert_eq(check("round", "[]", &e), RT_EINVAL);
    rt_error_release(&e);
}

Test(entity, write_is_all_or_nothing)
{
    struct rt_error e = RT_ERROR_INIT;
    struct rt_store *st;
    char path[256];
    json_t *body, *doc;
    int64_t dlg = 0, round = 0, id = 0;

    snprintf(path, sizeof(path), "%s", test_store("e"));
    cr_assert_eq(rt_store_open(&st, path, RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
    body = json_pack("{s:s, s:[s,s]}", "name", "US-Belarus", "parties", "USA", "Belarus");
    cr_assert_eq(rt_ledger_write(st, "dialogue", 0, body, &dlg, &e), 0, "%s", e.msg.buf);
    json_decref(body);
    body = json_pack("{s:s}", "date", "2015-12-16");
    cr_assert_eq(rt_ledger_write(st, "round", dlg, body, &round, &e), 0, "%s", e.msg.buf);
    json_decref(body);

    /* A step welcomed in a round named as the CLI names it. */
    body = json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "actor", "BLR", "date", "2015-08", "kind",
                     "prisoner-release", "text", "Released six", "welcomed_in", "US-Belarus#1");
    cr_assert_eq(rt_ledger_write(st, "step", 0, body, &id, &e), 0, "%s", e.msg.buf);
    json_decref(body);
    cr_assert_eq(rt_round_get(st, round, &doc, &e), 0);
    cr_assert_eq(json_array_size(json_object_get(doc, "welcomed_steps")), 1);
    json_decref(doc);

    /* A bad link writes no step, and the error names the list. */
    body = json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "actor", "BLR", "date", "2016", "kind",
                     "pardon", "text", "Never saved", "responds_to", "step:99");
    cr_assert_lt(rt_ledger_write(st, "step", 0, body, &id, &e), 0);
    cr_assert_str_eq(e.field, "responds_to");
    rt_error_release(&e);
    json_decref(body);
    cr_assert_eq(rt_step_list(st, 0, NULL, &doc, &e), 0);
    cr_assert_eq(json_array_size(doc), 1);
    json_decref(doc);

    /* A link to many: none when one fails. */
    body = json_pack("{s:s, s:s, s:[s,s]}", "from", "step:1", "relation", "welcomed-in", "to", "1",
                     "round:77");
    cr_assert_lt(rt_ledger_write(st, "link", 0, body, &id, &e), 0);
    cr_assert_str_eq(e.field, "to");
    rt_error_release(&e);
    json_decref(body);
    cr_assert_eq(rt_ledger_write(st, "nothing", 0, NULL, &id, &e), RT_ENOTFOUND);
    rt_error_release(&e);
    rt_store_close(st);
}
