/*
 * Small reads of the web face's pages written once for every back end over
 * src/store/sql.h: the home page's totals and the parties a dialogue form offers.
 */
#include "base/compat.h"

#include <jansson.h>

#include <rightstrack/ledger.h>
#include <rightstrack/store.h>

#include "store/sql.h"

int rt_store_totals(struct rt_store *st, int64_t *recommendations, int64_t *states,
                    struct rt_error *err)
{
    int rc;

    *recommendations = *states = 0;
    rc = rt__sql_scalar(st, err, recommendations, NULL, "SELECT count(*) FROM recommendation", "");
    if (rc == 0)
        rc = rt__sql_scalar(st, err, states, NULL,
                            "SELECT count(*) FROM state s WHERE EXISTS (SELECT 1 FROM"
                            " recommendation r WHERE r.sur_id = s.id)",
                            "");
    if (rc < 0)
        *recommendations = *states = 0;
    return rc < 0 ? RT_ESTORE : 0;
}

/* The organisations rt_party_resolve takes (ledger_write.c), with the names people use. */
static const struct {
    const char *code, *name;
} orgs[] = {
    {"EU", "European Union"},
    {"OSCE", "Organization for Security and Co-operation in Europe"},
    {"ODIHR", "OSCE Office for Democratic Institutions and Human Rights"},
    {"UN", "United Nations"},
    {"OHCHR", "Office of the UN High Commissioner for Human Rights"},
    {"COE", "Council of Europe"},
};

int rt_party_list(struct rt_store *st, json_t **out, struct rt_error *err)
{
    json_t *states = NULL, *list, *s;
    size_t i;
    /* The states by name, in the order of the bytes on both stores. */
    int rc = rt__sql_scalar(st, err, NULL, &states,
                            rt__sql_pick(st,
                                         "SELECT json_group_array(json_array(code, name)) FROM"
                                         " (SELECT code, name FROM state ORDER BY name)",
                                         "SELECT coalesce(json_agg(json_build_array(code, name)"
                                         " ORDER BY name COLLATE \"C\"), '[]') FROM state"),
                            "");

    *out = NULL;
    if (rc < 0)
        return RT_ESTORE;
    list = json_array();
    for (i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "code", orgs[i].code, "name",
                                              orgs[i].name, "kind", "organisation"));
    json_array_foreach(states, i, s) json_array_append_new(
        list, json_pack("{s:s, s:s, s:s}", "code", json_string_value(json_array_get(s, 0)), "name",
                        json_string_value(json_array_get(s, 1)), "kind", "state"));
    json_decref(states);
    *out = list;
    return 0;
}
