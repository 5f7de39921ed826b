/*
 * libFuzzer target for the readout parser (rt_readout_parse), with the theme
 * matcher it calls on every topic and ask. Any input must give either a draft or
 * one of the documented errors, never a crash, a leak or undefined behaviour
 * (built with -fsanitize=fuzzer,address,undefined: `make fuzz`, and a bounded run in
 * `make test`). A draft must keep its promises: an object whose lists are lists,
 * one topic_themes entry per topic, every theme a known area.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightstrack/readout.h>

#include "fuzz.h"

static void check_areas(const json_t *areas)
{
    size_t i;
    const json_t *v;

    CHECK(json_is_array(areas));
    json_array_foreach(areas, i, v)
        CHECK(json_is_string(v) && rt_theme_area_label(json_string_value(v)));
}

static void check_draft(const json_t *d)
{
    static const char *const lists[] = {"sides",
                                        "participants",
                                        "topics",
                                        "topic_themes",
                                        "welcomed",
                                        "urged",
                                        "conditional_commitments",
                                        "reaffirmations",
                                        "events",
                                        NULL};
    const json_t *v;
    size_t i;
    char *s;

    CHECK(json_is_object(d));
    for (i = 0; lists[i]; i++)
        CHECK(json_is_array(json_object_get(d, lists[i])));
    CHECK(json_array_size(json_object_get(d, "sides")) <= 2);
    CHECK(json_array_size(json_object_get(d, "topics")) ==
          json_array_size(json_object_get(d, "topic_themes")));
    json_array_foreach(json_object_get(d, "topic_themes"), i, v)
        check_areas(json_object_get(v, "themes"));
    json_array_foreach(json_object_get(d, "urged"), i, v) check_areas(json_object_get(v, "themes"));
    v = json_object_get(d, "date");
    CHECK(json_is_null(v) || (json_is_string(v) && json_string_length(v) >= 4));
    s = json_dumps(d, 0); /* every string in it is UTF-8 that jansson can print */
    CHECK(s != NULL);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rt_error err = RT_ERROR_INIT;
    json_t *d = NULL;
    int rc = rt_readout_parse((const char *)data, size, "fuzz.txt", RT_READOUT_EVIDENCE, &d, &err);

    if (rc == 0) {
        check_draft(d);
    } else {
        CHECK(rc == RT_EINVAL || rc == RT_EFORMAT || rc == RT_ETOOBIG);
        CHECK(d == NULL && err.msg.len > 0);
    }
    json_decref(d);
    rt_error_release(&err);
    return 0;
}
