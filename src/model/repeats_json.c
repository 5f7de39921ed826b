/* JSON shapes of repeats: one recommendation's repeats, and all pairs. */
#include "base/compat.h"

#include <math.h>

#include <rightstrack/json.h>

double rt_round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

json_t *rt_repeats_to_json(const struct rt_repeats *r)
{
    json_t *o = json_object(), *cluster = json_object(), *items = json_array();

    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "cycle", r->cycle ? json_integer(r->cycle) : json_null());
    json_object_set_new(o, "threshold", json_real(r->threshold));
    json_object_set_new(cluster, "id", json_integer(r->cluster_id));
    json_object_set_new(cluster, "size", json_integer(r->cluster_size));
    json_object_set_new(o, "cluster", cluster);
    for (size_t i = 0; i < r->n; i++) {
        json_t *e = rt_rec_to_json(&r->items[i].rec, 0);
        json_object_set_new(e, "jaccard", json_real(rt_round4(r->items[i].jaccard)));
        json_array_append_new(items, e);
    }
    json_object_set_new(o, "repeats", items);
    return o;
}

json_t *rt_repeat_pairs_to_json(const struct rt_repeat_pair *p, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "a", json_integer(p[i].a));
        json_object_set_new(e, "b", json_integer(p[i].b));
        json_object_set_new(e, "jaccard", json_real(rt_round4(p[i].jaccard)));
        json_array_append_new(a, e);
    }
    return a;
}
