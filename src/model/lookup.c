/*
 * Finding records by name (lookup.h): recommendations by the search's words, the
 * ledger's records by the store's lookup, and any reference by the name it stands for.
 */
#include "base/compat.h"

#include <errno.h>
#include <inttypes.h>

#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>
#include <rightstrack/search.h>

#include "model/rules.h"

static int64_t number(const char *s)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    return errno || *end || v <= 0 ? 0 : (int64_t)v;
}

/* The first entry of a lookup by id, or RT_ENOTFOUND. */
static int by_id(struct rt_store *st, const char *kind, int64_t id, const char *ref, json_t **out,
                 struct rt_error *err)
{
    json_t *list = NULL;
    int rc;

    if (id <= 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "ref", "'%s' names no record", ref);
    if ((rc = rt_store_lookup(st, kind, NULL, 0, id, 1, &list, err)) < 0)
        return rc;
    if (!json_array_size(list)) {
        json_decref(list);
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "ref", "there is no %s", ref);
    }
    *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    return 0;
}

int rt_ref_name(struct rt_store *st, const char *ref, json_t **out, struct rt_error *err)
{
    static const char *const kinds[] = {"rec",        "step",       "ask",        "topic",
                                        "round",      "dialogue",   "assessment", "benchmark",
                                        "commitment", "participant"};
    const char *colon = ref ? strchr(ref, ':') : NULL;
    char kind[32];
    int64_t id = 0;
    int rc;

    *out = NULL;
    if (!ref || !*ref)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "ref", "no reference given");
    if (rt__digits_only(ref))
        return by_id(st, "rec", number(ref), ref, out, err);
    if (!colon || strchr(colon + 1, '#') || (size_t)(colon - ref) >= sizeof(kind)) {
        /* A round as DIALOGUE#ORDINAL, or round:DIALOGUE#ORDINAL. */
        const char *r = colon && !strncmp(ref, "round:", 6) ? ref + 6 : ref;
        if (colon && r == ref)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "ref", "'%s' names no record", ref);
        if ((rc = rt_round_find(st, r, &id, err)) < 0)
            return rc;
        return by_id(st, "round", id, ref, out, err);
    }
    snprintf(kind, sizeof(kind), "%.*s", (int)(colon - ref), ref);
    if (!strcmp(kind, "recommendation"))
        snprintf(kind, sizeof(kind), "rec");
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(kinds[i], kind))
            return by_id(st, kinds[i], number(colon + 1), ref, out, err);
    return rt_error_set(err, RT_EINVAL, NULL, 0, "ref", "'%s' names no record", ref);
}

/* The start of text, cut at a character boundary near max bytes, into b. */
static void cut(struct rt_buf *b, const char *text, size_t max)
{
    size_t n = strlen(text);

    if (n <= max) {
        rt_buf_adds(b, text);
        return;
    }
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    while (max > 0 && text[max - 1] == ' ')
        max--;
    rt_buf_add(b, text, max);
    rt_buf_adds(b, "\xe2\x80\xa6");
}

/* A recommendation found by the search, as an entry. */
static json_t *rec_entry(const struct rt_rec *r)
{
    struct rt_buf name = RT_BUF_INIT, label = RT_BUF_INIT;
    char ref[40];
    json_t *o;

    rt_buf_addf(&name, "%s, session ", r->sur.name ? r->sur.name : r->sur.code);
    if (r->session)
        rt_buf_addf(&name, "%d", r->session);
    else
        rt_buf_adds(&name, "?");
    rt_buf_addf(&label, "%s (%s): ", name.buf, rt_response_name(r->response));
    cut(&label, r->text ? r->text : "", 90);
    snprintf(ref, sizeof(ref), "rec:%" PRId64, r->id);
    o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "kind", "rec", "ref", ref, "id",
                  (json_int_t)r->id, "name", name.buf, "label", label.buf, "text",
                  r->text ? r->text : "");
    rt_buf_release(&name);
    rt_buf_release(&label);
    return o;
}

/*
 * Recommendations by words: a word that names a state (or the whole of q) is the
 * state under review, the rest are searched, the last as a prefix while it is typed.
 */
static int rec_lookup(struct rt_store *st, const char *q, int limit, json_t **out,
                      struct rt_error *err)
{
    struct rt_query query = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_buf text = RT_BUF_INIT;
    char *copy = rt_xstrdup(q), *save = NULL, *sur = NULL;
    int64_t sid;
    int rc = 0;

    if (rt_store_state_find(st, q, strlen(q), &sid, NULL) == 0) {
        sur = rt_xstrdup(q);
    } else {
        for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            if (!sur && strlen(w) > 3 && rt_store_state_find(st, w, strlen(w), &sid, NULL) == 0) {
                sur = rt_xstrdup(w);
                continue;
            }
            rt_buf_addf(&text, "%s%s", text.len ? " " : "", w);
        }
        if (text.len && q[strlen(q) - 1] != ' ' && q[strlen(q) - 1] != '*' &&
            q[strlen(q) - 1] != '"')
            rt_buf_addch(&text, '*');
    }
    *out = json_array();
    if (!sur && !text.len)
        goto done;
    query.text = text.len ? text.buf : NULL;
    query.sur = sur;
    query.limit = limit;
    if ((rc = rt_search(st, &query, &res, err)) < 0) {
        json_decref(*out);
        *out = NULL;
        goto done;
    }
    for (size_t i = 0; i < res.n_hits; i++)
        json_array_append_new(*out, rec_entry(&res.hits[i]));
done:
    rt_search_result_release(&res);
    rt_buf_release(&text);
    rt_free(copy);
    rt_free(sur);
    return rc;
}

/* Is q a reference to a record of kind? */
static int names_one(const char *kind, const char *q)
{
    size_t n = strlen(kind);

    if (!strcmp(kind, "round"))
        return strchr(q, '#') != NULL;
    if (!strcmp(kind, "rec") && (rt__digits_only(q) || !strncmp(q, "recommendation:", 15)))
        return 1;
    return !strncmp(q, kind, n) && q[n] == ':' && rt__digits_only(q + n + 1);
}

int rt_lookup(struct rt_store *st, const char *kind, const char *q, int64_t dialogue_id, int limit,
              json_t **out, struct rt_error *err)
{
    json_t *one = NULL;
    int rc;

    *out = NULL;
    if (limit < 1 || limit > 100)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "limit", "'limit' must be from 1 to 100");
    if (q && !*q)
        q = NULL;
    if (kind && q && strcmp(kind, "party") && names_one(kind, q)) {
        rc = rt_ref_name(st, q, &one, err);
        if (rc == RT_ENOTFOUND || (rc == RT_EINVAL && !strcmp(kind, "round"))) {
            if (err)
                rt_error_release(err);
            *out = json_array();
            return 0;
        }
        if (rc < 0)
            return rc;
        *out = json_array();
        json_array_append_new(*out, one);
        return 0;
    }
    if (kind && !strcmp(kind, "rec"))
        return q ? rec_lookup(st, q, limit, out, err) : (*out = json_array(), 0);
    return rt_store_lookup(st, kind, q, dialogue_id, 0, limit, out, err);
}
