/*
 * Forms into records: a posted form becomes the JSON object the API takes, read by the
 * entity's description (entity.h), and both go to rt_ledger_write, the one checked
 * write of the ledger.
 */
#include <errno.h>

#include <rightstrack/entity.h>

#include "http_int.h"

json_t *rt_http_form_to_json(const struct rt_http_req *req, const char *what, struct rt_error *err)
{
    const struct rt_entity *e = rt_entity_find(what);
    json_t *o = json_object();

    for (size_t i = 0; e && i < req->n_args; i++) {
        const char *k = req->args[i].key, *v = req->args[i].value;
        const struct rt_field *f = rt_entity_field(e, k);
        if (!f || !*v)
            continue; /* buttons and empty fields */
        if (f->type == RT_FIELD_FLAG) {
            /* A check box: sent when ticked, with its value "on" (or "1", "true"). */
            json_object_set_new(o, k, json_boolean(strcmp(v, "0") && strcmp(v, "false")));
        } else if (f->type == RT_FIELD_INT) {
            char *end;
            long long n;
            errno = 0;
            n = strtoll(v, &end, 10);
            if (errno || *end) {
                rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a whole number", k);
                json_decref(o);
                return NULL;
            }
            json_object_set_new(o, k, json_integer(n));
        } else if (f->type == RT_FIELD_REFS || f->type == RT_FIELD_PARTIES) {
            json_t *list = json_array();
            char *copy = rt_xstrdup(v), *save = NULL;
            for (char *t = strtok_r(copy, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save))
                json_array_append_new(list, json_string(t));
            rt_free(copy);
            json_object_set_new(o, k, list);
        } else {
            json_object_set_new(o, k, json_string(v));
        }
    }
    return o;
}
