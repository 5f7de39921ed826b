/*
 * The ledger the unit tests of its writes and reads start from (test_edit, test_private):
 * a store in the scratch folder, records added by rt_ledger_write from JSON text (as
 * the faces add them), and one dialogue with a round, an ask and the step answering it.
 */
#ifndef RT_LEDGER_FIXTURE_H
#define RT_LEDGER_FIXTURE_H

#include <stdio.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>

#include "lib/test_store.h"

/* Asserts rc is 0, showing e's field and message when it is not. */
static inline void fx_ok(int rc, struct rt_error *e)
{
    cr_assert_eq(rc, 0, "%s: %s", e->field ? e->field : "", e->msg.buf);
}

/* Adds entity (under parent, 0 for none) from the JSON text body; its id. */
static inline int64_t fx_add(struct rt_store *st, const char *entity, int64_t parent,
                             const char *body)
{
    struct rt_error e = RT_ERROR_INIT;
    json_t *b = json_loads(body, 0, NULL);
    int64_t id = 0;

    cr_assert_not_null(b, "bad JSON in the test: %s", body);
    fx_ok(rt_ledger_write(st, entity, parent, b, &id, &e), &e);
    json_decref(b);
    rt_error_release(&e);
    return id;
}

/* The records fx_open makes. */
struct fx_ledger {
    int64_t dialogue; /* "US-Belarus", between USA and Belarus */
    int64_t round;    /* its round of 2015-12-16 in Minsk */
    int64_t ask;      /* ask:1 of that round, USA to BLR: "Release the others" */
    int64_t release;  /* step:1, BLR's release of six on 2015-08-22, answering ask:1 */
};

/* Opens (creates) store name (test_store: on the run's store) into *st, with the ledger
 * above. */
static inline void fx_open(const char *name, struct rt_store **st, struct fx_ledger *out)
{
    struct rt_error e = RT_ERROR_INIT;
    fx_ok(rt_store_open(st, test_store(name), RT_STORE_CREATE, &e), &e);
    out->dialogue = fx_add(*st, "dialogue", 0,
                           "{\"name\": \"US-Belarus\", \"parties\": [\"USA\", \"Belarus\"]}");
    out->round =
        fx_add(*st, "round", out->dialogue, "{\"date\": \"2015-12-16\", \"place\": \"Minsk\"}");
    out->ask = fx_add(*st, "ask", out->round,
                      "{\"from\": \"USA\", \"to\": \"BLR\", \"text\": \"Release the others\"}");
    out->release = fx_add(*st, "step", 0,
                          "{\"actor\": \"BLR\", \"date\": \"2015-08-22\", \"kind\": "
                          "\"prisoner-release\", \"quantity\": 6, \"text\": \"Six released\","
                          " \"answers\": [\"ask:1\"]}");
    rt_error_release(&e);
}

#endif
