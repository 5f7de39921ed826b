/* Domain rules every store back end applies (rules.h): twins, and the ledger's checks. */
#include "base/compat.h"

#include <stdarg.h>
#include <strings.h>

#include <rightstrack/store.h>
#include <rightstrack/text.h>

#include "model/rules.h"

int rt__response_rank(enum rt_response r)
{
    switch (r) {
    case RT_RESPONSE_SUPPORTED:
        return 3;
    case RT_RESPONSE_NOTED:
        return 2;
    case RT_RESPONSE_PLEDGE:
        return 1;
    case RT_RESPONSE_PENDING:
        break;
    }
    return 0;
}

unsigned rt__rec_merge(enum rt_response *resp, int *cat, enum rt_response in_resp, int in_cat)
{
    enum rt_response old = *resp;
    int old_cat = *cat;
    unsigned flags = 0;

    if ((old != RT_RESPONSE_PENDING && in_resp != RT_RESPONSE_PENDING && old != in_resp) ||
        (old_cat && in_cat && old_cat != in_cat))
        flags |= RT_PUT_CONFLICT;
    if (rt__response_rank(in_resp) > rt__response_rank(old))
        *resp = in_resp;
    if (in_cat > old_cat)
        *cat = in_cat;
    return flags;
}

int rt__check_texts(struct rt_error *err, ...)
{
    const char *field, *value;
    va_list ap;
    int rc = 0;

    va_start(ap, err);
    while (rc == 0 && (field = va_arg(ap, const char *)) != NULL) {
        value = va_arg(ap, const char *);
        if (value)
            rc = rt_text_check(field, value, strlen(value), err);
    }
    va_end(ap);
    return rc;
}

int rt__need_text(const char *s, const char *field, struct rt_error *err)
{
    if (!s || !*s)
        return rt_error_set(err, RT_EINVAL, NULL, 0, field, "%s must not be empty", field);
    return 0;
}

int rt__need_date_at(const char *s, const char *file, long line, const char *field,
                     struct rt_error *err)
{
    if (!s || rt_date_check(s, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, file, line, field,
                            "'%.40s' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", s ? s : "");
    return 0;
}

int rt__need_date(const char *s, const char *field, struct rt_error *err)
{
    return rt__need_date_at(s, NULL, 0, field, err);
}

const char *const rt__organisations[] = {"EU", "OSCE", "ODIHR", "UN", "OHCHR", "COE", NULL};

const char *rt__organisation(const char *name)
{
    for (size_t i = 0; rt__organisations[i]; i++)
        if (!strcasecmp(name, rt__organisations[i]))
            return rt__organisations[i];
    if (!strcasecmp(name, "European Union"))
        return "EU";
    return NULL;
}

int rt__ref_parse(const char *s, const char *field, struct rt__ref *out, struct rt_error *err)
{
    static const struct {
        const char *word, *kind, *table;
    } kinds[] = {
        {"step", "step", "step"},
        {"topic", "topic", "topic"},
        {"ask", "ask", "ask"},
        {"benchmark", "benchmark", "benchmark"},
        {"recommendation", "recommendation", "recommendation"},
        {"rec", "recommendation", "recommendation"},
        {"round", "round", "round"},
        {"commitment", "commitment", "commitment"},
    };
    const char *colon = s ? strchr(s, ':') : NULL;
    char *end;

    if (!colon)
        goto bad;
    for (size_t i = 0; i < RT_ARRAY_SIZE(kinds); i++) {
        if (strlen(kinds[i].word) == (size_t)(colon - s) &&
            !strncmp(s, kinds[i].word, (size_t)(colon - s))) {
            errno = 0;
            out->id = strtoll(colon + 1, &end, 10);
            if (errno || end == colon + 1 || *end || out->id <= 0)
                goto bad;
            out->kind = kinds[i].kind;
            out->table = kinds[i].table;
            return 0;
        }
    }
bad:
    return rt_error_set(err, RT_EINVAL, NULL, 0, field,
                        "'%s' is not a reference such as step:3, ask:2, rec:6159 or round:1",
                        s ? s : "");
}

int rt__link_allowed(const char *from_kind, const char *relation, const char *to_kind)
{
    static const struct {
        const char *from, *relation, *to;
    } allowed[] = {
        {"step", "answers", "ask"},           {"step", "answers", "recommendation"},
        {"step", "welcomed-in", "round"},     {"step", "responds-to", "step"},
        {"topic", "about", "recommendation"}, {"ask", "about", "recommendation"},
        {"benchmark", "tracks", "ask"},       {"benchmark", "tracks", "recommendation"},
        {"benchmark", "tracks", "step"},      {"round", "about", "recommendation"},
    };

    for (size_t i = 0; i < RT_ARRAY_SIZE(allowed); i++)
        if (!strcmp(allowed[i].from, from_kind) && !strcmp(allowed[i].relation, relation) &&
            !strcmp(allowed[i].to, to_kind))
            return 1;
    return 0;
}

int rt__step_check(const struct rt_step_in *s, const char **dir, struct rt_error *err)
{
    int rc;

    *dir = s->direction ? s->direction : "positive";
    if ((rc = rt__need_date(s->date, "date", err)) < 0 ||
        (rc = rt__need_text(s->text, "text", err)) < 0)
        return rc;
    if (!s->kind || !rt_step_kind_valid(s->kind))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "kind",
                            "'%s' is not a kind of step (see 'rightstrack step add --help')",
                            s->kind ? s->kind : "");
    if (strcmp(*dir, "positive") && strcmp(*dir, "negative"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "direction", "a step is positive or negative");
    if (s->quantity < -1)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "quantity", "a quantity is 0 or more");
    return 0;
}

int rt__digits_only(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}
