/* The parties a dialogue may have, for a form's completion: organisations and states. */
#include "base/compat.h"

#include <jansson.h>

#include <rightstrack/ledger.h>

#include "store/sqlite/sqlite_int.h"

/* The organisations rt_party_resolve takes (ledger.c), with the names people use. */
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
    if (rt__sqlite_only(st, "the parties list", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s;
    json_t *list;
    int rc;

    *out = NULL;
    if (!(s = rt__stmt_sql(st, "SELECT code, name FROM state ORDER BY name", err)))
        return RT_ESTORE;
    list = json_array();
    for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "code", orgs[i].code, "name",
                                              orgs[i].name, "kind", "organisation"));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s}", "code", (const char *)sqlite3_column_text(s, 0),
                            "name", (const char *)sqlite3_column_text(s, 1), "kind", "state"));
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "list the states");
        sqlite3_reset(s);
        json_decref(list);
        return rc;
    }
    sqlite3_reset(s);
    *out = list;
    return 0;
}
