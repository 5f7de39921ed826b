/*
 * The dialogue ledger's reads (ledger.h) through the store's table of operations
 * (backend.h): each back end builds the same documents from the one statement of each
 * in src/store/ledger_sql.h.
 */
#include "base/compat.h"

#include <errno.h>

#include <rightstrack/ledger.h>

#include "store/backend.h"

static const struct rt__store_ops *ops_of(struct rt_store *st)
{
    return ((const struct rt__store_base *)(const void *)st)->ops;
}

int rt__status_target(const char *target, const char **kind, int64_t *id, struct rt_error *err)
{
    static const struct {
        const char *prefix, *kind;
    } kinds[] = {{"rec:", "recommendation"},
                 {"recommendation:", "recommendation"},
                 {"ask:", "ask"},
                 {"benchmark:", "benchmark"},
                 {"commitment:", "commitment"}};
    const char *num = NULL;
    char *end;
    long long v;

    *kind = NULL;
    for (size_t i = 0; target && i < RT_ARRAY_SIZE(kinds); i++) {
        if (!strncmp(target, kinds[i].prefix, strlen(kinds[i].prefix))) {
            *kind = kinds[i].kind;
            num = target + strlen(kinds[i].prefix);
        }
    }
    errno = 0;
    v = num ? strtoll(num, &end, 10) : 0;
    if (!*kind || errno || end == num || *end || v <= 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "target",
                            "'%s' is not rec:ID, ask:ID, benchmark:ID or commitment:ID",
                            target ? target : "");
    *id = v;
    return 0;
}

int rt_dialogue_list(struct rt_store *st, json_t **out, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->dialogue_list ? o->dialogue_list(st, out, err)
                            : rt__store_missing(o, "dialogue_list", err);
}

int rt_dialogue_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->dialogue_get ? o->dialogue_get(st, id, out, err)
                           : rt__store_missing(o, "dialogue_get", err);
}

int rt_round_get(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->round_get ? o->round_get(st, id, out, err) : rt__store_missing(o, "round_get", err);
}

int rt_step_list(struct rt_store *st, int64_t dialogue_id, const char *actor, json_t **out,
                 struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->step_list ? o->step_list(st, dialogue_id, actor, out, err)
                        : rt__store_missing(o, "step_list", err);
}

int rt_status(struct rt_store *st, const char *target, const char *as_of, json_t **out,
              struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->status ? o->status(st, target, as_of, out, err) : rt__store_missing(o, "status", err);
}

int rt_since(struct rt_store *st, int64_t round_id, const char *as_of, json_t **out,
             struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->since ? o->since(st, round_id, as_of, out, err) : rt__store_missing(o, "since", err);
}

int rt_timeline(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->timeline ? o->timeline(st, dialogue_id, as_of, out, err)
                       : rt__store_missing(o, "timeline", err);
}

int rt_reciprocity(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                   struct rt_error *err)
{
    const struct rt__store_ops *o = ops_of(st);

    *out = NULL;
    return o->reciprocity ? o->reciprocity(st, dialogue_id, as_of, out, err)
                          : rt__store_missing(o, "reciprocity", err);
}
