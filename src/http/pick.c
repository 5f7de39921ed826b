/*
 * Records by name on the web: the lookup route the pickers ask (GET /api/v1/lookup),
 * the picker's field and its script, the links that name a record where a page used
 * to print its reference, and the banner that says what a write saved.
 */
#include <errno.h>

#include <rightstrack/audit.h>
#include <rightstrack/entity.h>
#include <rightstrack/json.h>
#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>

#include "html.h"
#include "http_int.h"

/* The store and request this thread answers, for the banner in the page's frame. */
static _Thread_local struct rt_store *cur_st;
static _Thread_local const struct rt_http_req *cur_req;

void rt_http_pick_begin(struct rt_store *st, const struct rt_http_req *req)
{
    cur_st = st;
    cur_req = req;
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long jint(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

/* "1#2" into dialogue 1 and ordinal 2; 0 when s is not that. */
static int round_parts(const char *s, long long *dialogue, long long *ordinal)
{
    char *end;

    errno = 0;
    *dialogue = strtoll(s, &end, 10);
    if (errno || *end != '#' || *dialogue <= 0)
        return 0;
    *ordinal = strtoll(end + 1, &end, 10);
    return !errno && !*end && *ordinal > 0;
}

void rt_http_ref_href(const json_t *e, long long dialogue, struct rt_buf *out)
{
    const char *kind = jstr(e, "kind");
    long long d = 0, n = 0;

    if (!strcmp(kind, "rec")) {
        rt_buf_addf(out, "/recommendations/%lld", jint(e, "id"));
    } else if (!strcmp(kind, "round")) {
        rt_buf_addf(out, "/dialogues/%lld/rounds/%lld", jint(e, "dialogue"), jint(e, "ordinal"));
    } else if (round_parts(jstr(e, "round_ref"), &d, &n)) {
        rt_buf_addf(out, "/dialogues/%lld/rounds/%lld#%s-%lld", d, n, kind, jint(e, "id"));
    } else if (!strcmp(kind, "step")) {
        if (dialogue > 0)
            rt_buf_addf(out, "/dialogues/%lld#step-%lld", dialogue, jint(e, "id"));
        else if (json_is_false(json_object_get(e, "state"))) /* an organisation: no page */
            rt_buf_addf(out, "/records/step:%lld", jint(e, "id"));
        else
            rt_buf_addf(out, "/states/%s#step-%lld", jstr(e, "actor"), jint(e, "id"));
    } else if (!strcmp(kind, "assessment") && jint(e, "rec") > 0) {
        rt_buf_addf(out, "/recommendations/%lld#assessments", jint(e, "rec"));
    } else if (!strcmp(kind, "assessment") && round_parts(jstr(e, "ask_round"), &d, &n)) {
        rt_buf_addf(out, "/dialogues/%lld/rounds/%lld#ask-%lld", d, n, jint(e, "ask"));
    } else if (!strcmp(kind, "assessment") && jint(e, "dialogue") > 0) {
        rt_buf_addf(out, "/records/benchmark:%lld", jint(e, "target_id"));
    } else if (!strcmp(kind, "dialogue") || !strcmp(kind, "benchmark")) {
        rt_buf_addf(out, "/dialogues/%lld",
                    !strcmp(kind, "dialogue") ? jint(e, "id") : jint(e, "dialogue"));
    } else if (!strcmp(kind, "party") && json_is_true(json_object_get(e, "state"))) {
        rt_buf_addf(out, "/states/%s", jstr(e, "ref"));
    }
}

int rt_http_ref_link(struct rt_store *st, struct rt_buf *b, const char *ref, long long dialogue,
                     int with_text)
{
    struct rt_buf href = RT_BUF_INIT;
    json_t *e = NULL;

    if (rt_ref_name(st, ref, &e, NULL) < 0) {
        RT_HTML_LIT(b, "<span class=\"muted\">a record no longer there</span>");
        return -1;
    }
    rt_http_ref_href(e, dialogue, &href);
    if (href.len) {
        RT_HTML_LIT(b, "<a href=\"");
        rt_html_text(b, href.buf);
        RT_HTML_LIT(b, "\">");
    }
    rt_html_text(b, jstr(e, with_text ? "label" : "name"));
    if (href.len)
        RT_HTML_LIT(b, "</a>");
    rt_buf_release(&href);
    json_decref(e);
    return 0;
}

void rt_http_linked_recs(struct rt_store *st, struct rt_buf *b, const json_t *ids, const char *from,
                         const char *back)
{
    const json_t *v;
    size_t i;

    if (!json_array_size(ids))
        return;
    RT_HTML_LIT(b, "<ul class=\"linked-by-hand\"><li class=\"muted\">Linked by hand:</li>");
    json_array_foreach(ids, i, v)
    {
        char ref[40], link[120];
        long long rec = (long long)json_integer_value(v);
        snprintf(ref, sizeof(ref), "rec:%lld", rec);
        snprintf(link, sizeof(link), "%s about recommendation:%lld", from, rec);
        RT_HTML_LIT(b, "<li>");
        rt_http_ref_link(st, b, ref, 0, 1);
        RT_HTML_LIT(b, " <small><a href=\"/records/");
        for (const char *p = link; *p; p++)
            if (*p == ' ')
                RT_HTML_LIT(b, "%20");
            else if (*p == '#') /* a round, D#N */
                RT_HTML_LIT(b, "%23");
            else
                rt_html_textf(b, "%c", *p);
        RT_HTML_LIT(b, "/history\">history of the link</a></small>");
        /* Withdrawn as `withdraw "topic:3 about rec:5"` does, with a reason; no script. */
        RT_HTML_LIT(b, " <details class=\"unlink\"><summary>Withdraw this link</summary>"
                       "<form method=\"post\" action=\"/links/withdraw\">");
        rt_http_csrf_field(b);
        RT_HTML_LIT(b, "<input type=\"hidden\" name=\"link\" value=\"");
        rt_html_text(b, link);
        RT_HTML_LIT(b, "\"><input type=\"hidden\" name=\"back\" value=\"");
        rt_html_text(b, back);
        RT_HTML_LIT(b, "\"><label>Why is it withdrawn? <input name=\"reason\" size=\"40\" "
                       "required></label> <button type=\"submit\">Withdraw the link</button>"
                       "</form></details></li>");
    }
    RT_HTML_LIT(b, "</ul>");
}

void rt_http_link_withdraw(struct rt_store *st, const struct rt_http_req *req,
                           struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *link = rt_http_arg(req, "link"), *back = rt_http_arg(req, "back");
    char out[128], canon[128], from[64];
    const char *sp;

    /* The link as the log names it ("round:2 about recommendation:3", whether the form
     * named the round 1#2 or round:2), for the banner of the page it is from. */
    if (!link || rt_audit_ref(st, link, canon, NULL) < 0)
        snprintf(canon, sizeof(canon), "%s", link ? link : "");
    /* The same write as the command line's `withdraw "topic:3 about rec:5" --reason`. */
    if (rt_ledger_withdraw(st, link ? link : "", rt_http_arg(req, "reason"), NULL, out, &err) < 0) {
        struct rt_buf *b = &resp->body;
        resp->status = err.code == RT_ENOTFOUND ? 404 : 422;
        resp->content_type = "text/html; charset=utf-8";
        rt_buf_reset(b);
        html_begin(b, "Error: the link was not withdrawn");
        RT_HTML_LIT(b,
                    "<div class=\"error-summary\" role=\"alert\"><h1>There is a problem</h1><p>");
        rt_html_text(b, err.msg.len ? err.msg.buf : rt_strerror(err.code));
        RT_HTML_LIT(b, "</p><p>The link was not withdrawn. Go back, say why it is withdrawn and "
                       "send the form again.</p></div>");
        html_end(b);
        rt_error_release(&err);
        return;
    }
    /* Back to the page the form was on (only a page of this site), with the banner. */
    resp->status = 303;
    snprintf(resp->location, sizeof(resp->location), "%s",
             back && back[0] == '/' && back[1] != '/' && !strpbrk(back, "\r\n\\") ? back
                                                                                  : "/dialogues");
    sp = strchr(canon, ' ');
    snprintf(from, sizeof(from), "%.*s", sp ? (int)(sp - canon) : 0, canon);
    if (strchr(from, ':')) {
        size_t len = strlen(resp->location);
        snprintf(resp->location + len, sizeof(resp->location) - len, "%ssaved=%s&unlinked=1",
                 strchr(resp->location, '?') ? "&" : "?", from);
    }
    RT_HTML_LIT(&resp->body, "Withdrawn.");
}

void rt_http_other_steps(struct rt_store *st, struct rt_buf *b, long long dialogue,
                         const json_t *parties)
{
    json_t *list = NULL, *e, *p;
    size_t i, k, n = 0;

    if (rt_store_lookup(st, "step", NULL, dialogue, 0, 100, &list, NULL) < 0)
        return;
    json_array_foreach(list, i, e)
    {
        int party = 0;
        json_array_foreach(parties, k, p) party |= !strcmp(json_string_value(p), jstr(e, "actor"));
        if (party || !json_is_true(json_object_get(e, "shown")))
            continue; /* its parties' are above; others' only when linked to it (lookup.c) */
        if (!n++)
            RT_HTML_LIT(b, "<h2>Steps of others</h2><p class=\"muted\">Steps of organisations "
                           "and of other states linked to this dialogue.</p><ul class=\"others\">");
        RT_HTML_LIT(b, "<li id=\"step-");
        rt_html_textf(b, "%lld", jint(e, "id"));
        RT_HTML_LIT(b, "\"><strong>");
        rt_html_text(b, jstr(e, "date"));
        RT_HTML_LIT(b, "</strong> ");
        rt_http_party_text(st, b, jstr(e, "actor")); /* Belarus, not BLR */
        RT_HTML_LIT(b, ": ");
        rt_html_text(b, jstr(e, "text"));
        RT_HTML_LIT(b, "</li>");
    }
    if (n)
        RT_HTML_LIT(b, "</ul>");
    json_decref(list);
}

void rt_http_select_begin(struct rt_buf *b)
{
    RT_HTML_LIT(b, "<form method=\"post\" action=\"/links\" id=\"link-selected\">");
    rt_http_csrf_field(b);
    RT_HTML_LIT(b,
                "<fieldset><legend>Link the selected recommendations</legend>"
                "<label for=\"f-links-target\">To this round, topic, ask or benchmark</label> "
                "<input size=\"40\" id=\"f-links-target\" name=\"target\" "
                "data-pick=\"round,topic,ask,benchmark\" autocomplete=\"off\" "
                "aria-describedby=\"h-links-target\"> <small class=\"muted\" "
                "id=\"h-links-target\">type part of its text, or a round's number or dialogue, and "
                "pick it; then tick the recommendations below</small> "
                "<button type=\"submit\">Link the selected</button></fieldset>");
}

void rt_http_select_box(struct rt_buf *b, long long id, const char *text)
{
    char start[64];

    snprintf(start, sizeof(start), "%.48s", text ? text : "");
    for (size_t n = strlen(start); n > 0 && ((unsigned char)start[n - 1] & 0x80); n--)
        start[n - 1] = '\0'; /* never half a character */
    RT_HTML_LIT(b, "<td><input type=\"checkbox\" name=\"rec\" value=\"");
    rt_html_textf(b, "%lld", id);
    RT_HTML_LIT(b, "\" aria-label=\"Select: ");
    rt_html_text(b, start);
    RT_HTML_LIT(b, "\"></td>");
}

const char *rt_http_pick_hint(const char *entity, const struct rt_field *f)
{
    static const struct {
        const char *entity, *field, *hint;
    } hints[] = {
        {NULL, "answers",
         "the asks or recommendations it answers: type a few words of their text, or a "
         "state's name and words"},
        {NULL, "welcomed_in", "the rounds that welcomed it: type a round's number, date or place"},
        {NULL, "responds_to",
         "earlier steps of another party it responds to: type their date, party or words"},
        {NULL, "recommendations",
         "the recommendations it is about: type a state's name and a few words of their text"},
        {NULL, "tracks", "the asks, recommendations or steps it tracks: type a few words"},
        {"assessment", "target", "the recommendation, ask or benchmark: type a few words"},
        {"link", "from", "the step, topic, ask or benchmark: type a few words"},
        {"link", "to", "the records it is linked to: type a few words"},
    };

    if (f->type == RT_FIELD_PARTY || f->type == RT_FIELD_PARTIES)
        return NULL; /* the field's own help says what a party is */
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
        if ((!hints[i].entity || !strcmp(hints[i].entity, entity)) &&
            !strcmp(hints[i].field, f->name))
            return hints[i].hint;
    return NULL;
}

void rt_http_select_end(struct rt_buf *b)
{
    RT_HTML_LIT(b, "</form>");
}

/* The page that says why the selected were not linked. */
static void link_refused(struct rt_http_resp *resp, const struct rt_error *err)
{
    struct rt_buf *b = &resp->body;

    resp->status = err->code == RT_ENOTFOUND ? 404 : 422;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(b);
    html_begin(b, "Error: nothing was linked");
    RT_HTML_LIT(b, "<div class=\"error-summary\" role=\"alert\"><h1>There is a problem</h1><p>");
    rt_html_text(b, err->msg.len ? err->msg.buf : rt_strerror(err->code));
    RT_HTML_LIT(b, "</p><p>Nothing was linked. Go back to the search, pick what to link them to "
                   "and tick at least one recommendation.</p></div>");
    html_end(b);
}

void rt_http_link_selected(struct rt_store *st, const struct rt_http_req *req,
                           struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *target = rt_http_arg(req, "target");
    json_t *to = json_array(), *body = NULL, *e = NULL;
    struct rt_buf href = RT_BUF_INIT;
    int64_t n = 0;

    for (size_t i = 0; i < req->n_args; i++) {
        if (strcmp(req->args[i].key, "rec") || !*req->args[i].value)
            continue;
        if (strspn(req->args[i].value, "0123456789") != strlen(req->args[i].value)) {
            rt_error_set(&err, RT_EINVAL, NULL, 0, "rec", "'%s' is not a recommendation",
                         req->args[i].value);
            goto out;
        }
        json_array_append_new(to, json_sprintf("rec:%s", req->args[i].value));
    }
    while (target && *target == ' ')
        target++;
    if (!target || !*target) {
        rt_error_set(&err, RT_EINVAL, NULL, 0, "target",
                     "say what to link them to: pick a round, a topic, an ask or a benchmark");
        goto out;
    }
    if (!json_array_size(to)) {
        rt_error_set(&err, RT_EINVAL, NULL, 0, "rec", "no recommendation was ticked");
        goto out;
    }
    if (rt_ref_name(st, target, &e, &err) < 0)
        goto out;
    body = json_pack("{s:s, s:s, s:O}", "from", jstr(e, "ref"), "relation",
                     strcmp(jstr(e, "kind"), "benchmark") ? "about" : "tracks", "to", to);
    /* The write the command line's link makes: all of them or, if one fails, none. */
    if (rt_ledger_write(st, "link", 0, body, &n, &err) < 0)
        goto out;
    rt_http_ref_href(e, 0, &href);
    resp->status = 303;
    snprintf(resp->location, sizeof(resp->location), "%s", href.len ? href.buf : "/search");
    rt_http_saved_location(resp, jstr(e, "kind"), jint(e, "id"));
    {
        size_t len = strlen(resp->location);
        snprintf(resp->location + len, sizeof(resp->location) - len, "&linked=%lld", (long long)n);
    }
    RT_HTML_LIT(&resp->body, "Linked.");
out:
    if (err.code)
        link_refused(resp, &err);
    rt_buf_release(&href);
    json_decref(to);
    json_decref(body);
    json_decref(e);
    rt_error_release(&err);
}

/* A dialogue argument: its id, or its name. */
static int dialogue_arg(struct rt_store *st, const char *s, int64_t *out, struct rt_error *err)
{
    *out = 0;
    if (!s || !*s)
        return 0;
    return rt_dialogue_find(st, s, out, err);
}

int rt_http_lookup(struct rt_store *st, const struct rt_http_req *req, json_t **out,
                   struct rt_error *err)
{
    static const char *const known[] = {"kind", "q", "dialogue", "limit", NULL};
    const char *kinds = rt_http_arg(req, "kind"), *q = rt_http_arg(req, "q");
    const char *lim = rt_http_arg(req, "limit");
    json_t *results = json_array(), *list = NULL, *e;
    char *copy = NULL, *save = NULL, *end;
    int64_t dialogue = 0;
    long limit = 10;
    size_t i;
    int rc = 0;

    *out = NULL;
    for (i = 0; i < req->n_args; i++) {
        int ok = 0;
        for (size_t k = 0; known[k]; k++)
            ok |= !strcmp(known[k], req->args[i].key);
        if (!ok) {
            rc = rt_error_set(err, RT_EINVAL, NULL, 0, req->args[i].key, "unknown argument '%s'",
                              req->args[i].key);
            goto out;
        }
    }
    if (!kinds || !*kinds) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "kind",
                          "say what to look up: kind=rec, step, ask, round, topic, party or "
                          "dialogue (several with commas)");
        goto out;
    }
    if (lim && *lim) {
        errno = 0;
        limit = strtol(lim, &end, 10);
        if (errno || *end || limit < 1 || limit > 100) {
            rc = rt_error_set(err, RT_EINVAL, NULL, 0, "limit", "'limit' must be from 1 to 100");
            goto out;
        }
    }
    if ((rc = dialogue_arg(st, rt_http_arg(req, "dialogue"), &dialogue, err)) < 0)
        goto out;
    copy = rt_xstrdup(kinds);
    for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        if ((long)json_array_size(results) >= limit)
            break;
        if ((rc = rt_lookup(st, k, q, dialogue, (int)(limit - (long)json_array_size(results)),
                            &list, err)) < 0)
            goto out;
        json_array_foreach(list, i, e)
        {
            struct rt_buf href = RT_BUF_INIT;
            rt_http_ref_href(e, (long long)dialogue, &href);
            if (href.len)
                json_object_set_new(e, "href", json_string(href.buf));
            json_array_append(results, e);
            rt_buf_release(&href);
        }
        json_decref(list);
        list = NULL;
    }
    *out =
        json_pack("{s:s, s:s?, s:O}", "kind", kinds, "q", q && *q ? q : NULL, "results", results);
out:
    rt_free(copy);
    json_decref(results);
    return rc;
}

/* Which kinds of record a field names, for its picker. */
static const char *field_kinds(const char *entity, const struct rt_field *f)
{
    if (f->type == RT_FIELD_PARTY || f->type == RT_FIELD_PARTIES)
        return "party";
    if (!strcmp(f->name, "answers"))
        return "ask,rec";
    if (!strcmp(f->name, "tracks"))
        return "ask,rec,step";
    if (!strcmp(entity, "assessment") && !strcmp(f->name, "target"))
        return "rec,ask,benchmark"; /* "replaces" names an assessment (its ref_kind) */
    if (!strcmp(entity, "link"))
        return !strcmp(f->name, "from") ? "step,topic,ask,round,benchmark" : "rec,ask,step,round";
    return f->ref_kind ? f->ref_kind : "rec";
}

int rt_http_pick_field(struct rt_buf *b, const char *entity, const char *action,
                       const struct rt_field *f)
{
    const char *d = strncmp(action, "/dialogues/", 11) ? NULL : action + 11;

    if (f->type != RT_FIELD_REF && f->type != RT_FIELD_REFS && f->type != RT_FIELD_PARTY &&
        f->type != RT_FIELD_PARTIES)
        return 0;
    RT_HTML_LIT(b, " data-pick=\"");
    rt_html_text(b, field_kinds(entity, f));
    RT_HTML_LIT(b, "\" autocomplete=\"off\"");
    if (f->type == RT_FIELD_REFS || f->type == RT_FIELD_PARTIES)
        RT_HTML_LIT(b, " data-many=\"1\"");
    if (d && *d >= '1' && *d <= '9') {
        RT_HTML_LIT(b, " data-dialogue=\"");
        rt_html_textf(b, "%lld", strtoll(d, NULL, 10));
        RT_HTML_LIT(b, "\"");
    }
    return 1;
}

/* "n things" into b, or nothing when n is 0; *first is cleared once something is said. */
static void count_words(struct rt_buf *b, size_t n, const char *one, const char *many,
                        const char *anchor, int *first)
{
    if (!n)
        return;
    if (!*first)
        RT_HTML_LIT(b, ", ");
    *first = 0;
    RT_HTML_LIT(b, "<a href=\"#");
    rt_html_text(b, anchor);
    RT_HTML_LIT(b, "\">");
    rt_html_textf(b, "%zu %s", n, n == 1 ? one : many);
    RT_HTML_LIT(b, "</a>");
}

/* What a readout saved with round id, read back from the store: the counts, each
 * linked to its list on the round's page, and every step welcomed in the round by
 * name, for the steps were saved too and must not be entered again. */
static void readout_saved(struct rt_buf *b, long long id)
{
    json_t *r = NULL, *v;
    size_t i;
    int first = 1;

    if (rt_round_get(cur_st, id, &r, NULL) < 0)
        return;
    RT_HTML_LIT(b, "<p>Saved from the readout with the round: ");
    count_words(b, json_array_size(json_object_get(r, "participants")), "participant",
                "participants", "participants", &first);
    count_words(b, json_array_size(json_object_get(r, "topics")), "topic", "topics", "topics",
                &first);
    count_words(b, json_array_size(json_object_get(r, "asks")), "ask", "asks", "asks", &first);
    count_words(b, json_array_size(json_object_get(r, "welcomed_steps")), "step welcomed",
                "steps welcomed", "welcomed", &first);
    count_words(b, json_array_size(json_object_get(r, "commitments")), "commitment", "commitments",
                "commitments", &first);
    if (first)
        RT_HTML_LIT(b, "nothing else");
    RT_HTML_LIT(b, ".</p>");
    if (json_array_size(json_object_get(r, "welcomed_steps"))) {
        RT_HTML_LIT(b, "<p>The steps the readout welcomed are recorded as steps, welcomed in "
                       "this round; do not enter them again (correct them from their page):</p>"
                       "<ul class=\"saved-steps\">");
        json_array_foreach(json_object_get(r, "welcomed_steps"), i, v)
        {
            char ref[40];
            snprintf(ref, sizeof(ref), "step:%lld", jint(v, "id"));
            RT_HTML_LIT(b, "<li>");
            rt_http_ref_link(cur_st, b, ref, jint(json_object_get(r, "dialogue"), "id"), 1);
            RT_HTML_LIT(b, " <small><a href=\"/records/");
            rt_html_text(b, ref);
            RT_HTML_LIT(b, "\">correct or withdraw</a></small></li>");
        }
        RT_HTML_LIT(b, "</ul>");
    }
    json_decref(r);
}

/* The banner: "Step of 2015-08-22 by Belarus saved." with a link to it. */
void rt_http_flash(struct rt_buf *b)
{
    const char *saved = cur_req ? rt_http_arg(cur_req, "saved") : NULL;
    const char *linked = cur_req ? rt_http_arg(cur_req, "linked") : NULL;
    const char *unlinked = cur_req ? rt_http_arg(cur_req, "unlinked") : NULL;
    const char *readout = cur_req ? rt_http_arg(cur_req, "readout") : NULL;
    const char *path = cur_req ? cur_req->path : "";
    struct rt_buf text = RT_BUF_INIT, href = RT_BUF_INIT;
    long long dialogue = 0, n = 0;
    json_t *e = NULL;

    if (!saved || !cur_st || strcmp(cur_req->method, "GET") ||
        rt_ref_name(cur_st, saved, &e, NULL) < 0)
        return;
    if (!strncmp(path, "/dialogues/", 11))
        dialogue = strtoll(path + 11, NULL, 10);
    if (linked && *linked)
        n = strtoll(linked, NULL, 10);
    if (unlinked && *unlinked)
        rt_buf_addf(&text, "A link of %s to a recommendation withdrawn", jstr(e, "name"));
    else if (n > 0)
        rt_buf_addf(&text, "%lld recommendation%s linked to %s", n, n == 1 ? "" : "s",
                    jstr(e, "name"));
    else
        rt_buf_addf(&text, "%s saved", jstr(e, "name"));
    if (text.len && text.buf[0] >= 'a' && text.buf[0] <= 'z')
        text.buf[0] = (char)(text.buf[0] - 'a' + 'A');
    rt_http_ref_href(e, dialogue, &href);
    RT_HTML_LIT(b, "<div class=\"banner\" role=\"status\" id=\"saved\"><p><strong>");
    rt_html_text(b, text.buf);
    RT_HTML_LIT(b, ".</strong>");
    if (href.len) {
        RT_HTML_LIT(b, " <a href=\"");
        rt_html_text(b, href.buf);
        RT_HTML_LIT(b, "\">");
        rt_html_text(b, n > 0 || (unlinked && *unlinked) ? "Open it" : "Show what was saved");
        RT_HTML_LIT(b, "</a>");
    }
    RT_HTML_LIT(b, "</p><p class=\"muted\">");
    rt_html_text(b, jstr(e, "label"));
    RT_HTML_LIT(b, "</p>");
    if (readout && *readout && !strcmp(jstr(e, "kind"), "round"))
        readout_saved(b, jint(e, "id"));
    RT_HTML_LIT(b, "</div>\n");
    rt_buf_release(&text);
    rt_buf_release(&href);
    json_decref(e);
}

void rt_http_saved_location(struct rt_http_resp *resp, const char *what, long long id)
{
    size_t n = strlen(resp->location);
    char *hash = strchr(resp->location, '#');

    if (hash) /* the banner's link goes to the record; the page opens at the top */
        *hash = '\0', n = strlen(resp->location);
    snprintf(resp->location + n, sizeof(resp->location) - n, "%ssaved=%s:%lld",
             strchr(resp->location, '?') ? "&" : "?", what, id);
}

/* The script is one long literal by design; gcc and clang take it. */
#pragma GCC diagnostic ignored "-Woverlength-strings"

/* The script that turns a field with data-pick into a search box that completes. */
static const char pick_js[] =
    "/* rightstrack: pick records by name (progressive enhancement of data-pick fields). */\n"
    "(function () {\n"
    "  'use strict';\n"
    "  function el(tag, attrs, text) {\n"
    "    var e = document.createElement(tag);\n"
    "    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });\n"
    "    if (text) e.textContent = text;\n"
    "    return e;\n"
    "  }\n"
    "  function lookup(kinds, q, dialogue) {\n"
    "    var u = '/api/v1/lookup?kind=' + encodeURIComponent(kinds) + '&q=' +\n"
    "      encodeURIComponent(q) + (dialogue ? '&dialogue=' + dialogue : '');\n"
    "    return fetch(u, {credentials: 'same-origin', headers: {Accept: 'application/json'}})\n"
    "      .then(function (r) { return r.ok ? r.json() : {results: []}; })\n"
    "      .then(function (d) { return d.results || []; });\n"
    "  }\n"
    "  function setup(input) {\n"
    "    var kinds = input.dataset.pick, many = input.dataset.many === '1';\n"
    "    var dialogue = input.dataset.dialogue || '', id = input.id, refs = [], timer = null;\n"
    "    var active = -1, found = [];\n"
    "    var wrap = el('div', {'class': 'pick'});\n"
    "    var chosen = el('ul', {'class': 'pick-chosen', 'aria-live': 'polite'});\n"
    "    var box = el('input', {type: 'text', id: id, autocomplete: 'off', role: 'combobox',\n"
    "      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id + '-list',\n"
    "      size: '50', placeholder: 'type part of its name'});\n"
    "    var list = el('ul', {id: id + '-list', role: 'listbox', 'class': 'pick-list'});\n"
    "    if (input.getAttribute('aria-describedby'))\n"
    "      box.setAttribute('aria-describedby', input.getAttribute('aria-describedby'));\n"
    "    if (input.getAttribute('aria-invalid')) box.setAttribute('aria-invalid', 'true');\n"
    "    list.hidden = true;\n"
    "    var old = many ? input.value.split(/[\\s,;]+/).filter(Boolean) :\n"
    "      (input.value.trim() ? [input.value.trim()] : []);\n"
    "    input.id = id + '-value';\n"
    "    input.type = 'hidden';\n"
    "    input.removeAttribute('required');\n"
    "    input.value = '';\n"
    "    input.parentNode.insertBefore(wrap, input.nextSibling);\n"
    "    wrap.appendChild(chosen); wrap.appendChild(box); wrap.appendChild(list);\n"
    "    function sync() { input.value = refs.join(' '); }\n"
    "    function hide() { list.hidden = true; box.setAttribute('aria-expanded', 'false');\n"
    "      box.removeAttribute('aria-activedescendant'); active = -1; }\n"
    "    function add(e) {\n"
    "      if (refs.indexOf(e.ref) >= 0) return;\n"
    "      if (!many) { refs = []; chosen.textContent = ''; }\n"
    "      refs.push(e.ref); sync();\n"
    "      var li = el('li', {'data-ref': e.ref});\n"
    "      li.appendChild(el('span', {}, e.label));\n"
    "      var x = el('button', {type: 'button', 'class': 'pick-remove',\n"
    "        'aria-label': 'Remove ' + e.label}, '\\u00d7');\n"
    "      x.addEventListener('click', function () {\n"
    "        refs = refs.filter(function (r) { return r !== e.ref; }); li.remove(); sync();\n"
    "        box.focus(); });\n"
    "      li.appendChild(x); chosen.appendChild(li);\n"
    "    }\n"
    "    function choose(e) { add(e); box.value = ''; hide(); box.focus(); }\n"
    "    function mark(i) {\n"
    "      var items = list.querySelectorAll('[role=option]');\n"
    "      if (!items.length) return;\n"
    "      active = (i + items.length) % items.length;\n"
    "      items.forEach(function (li, k) { li.setAttribute('aria-selected', k === active ?\n"
    "        'true' : 'false'); });\n"
    "      box.setAttribute('aria-activedescendant', items[active].id);\n"
    "    }\n"
    "    function show(results) {\n"
    "      found = results; list.textContent = ''; active = -1;\n"
    "      results.forEach(function (e, i) {\n"
    "        var li = el('li', {role: 'option', id: id + '-opt-' + i, 'data-ref': e.ref,\n"
    "          'aria-selected': 'false'}, e.label);\n"
    "        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); choose(e); });\n"
    "        list.appendChild(li);\n"
    "      });\n"
    "      if (!results.length) list.appendChild(el('li', {'class': 'muted'}, 'Nothing found'));\n"
    "      list.hidden = false; box.setAttribute('aria-expanded', 'true');\n"
    "    }\n"
    "    box.addEventListener('input', function () {\n"
    "      clearTimeout(timer);\n"
    "      var q = box.value.trim();\n"
    "      if (q.length < 2) { hide(); return; }\n"
    "      timer = setTimeout(function () {\n"
    "        lookup(kinds, q, dialogue).then(function (r) { if (box.value.trim() === q) show(r); "
    "});\n"
    "      }, 150);\n"
    "    });\n"
    "    box.addEventListener('keydown', function (ev) {\n"
    "      if (ev.key === 'ArrowDown') { ev.preventDefault(); mark(active + 1); }\n"
    "      else if (ev.key === 'ArrowUp') { ev.preventDefault(); mark(active - 1); }\n"
    "      else if (ev.key === 'Escape') hide();\n"
    "      else if (ev.key === 'Enter' && !list.hidden && found.length) {\n"
    "        ev.preventDefault(); choose(found[active >= 0 ? active : 0]); }\n"
    "    });\n"
    "    box.addEventListener('blur', function () { setTimeout(hide, 200); });\n"
    "    if (input.form) input.form.addEventListener('submit', function () {\n"
    "      var typed = box.value.trim();\n"
    "      if (typed && (many || !refs.length)) { refs.push(typed); sync(); }\n"
    "    });\n"
    "    old.forEach(function (ref) {\n"
    "      add({ref: ref, label: ref});\n"
    "      lookup(kinds, ref, dialogue).then(function (r) {\n"
    "        var li = chosen.querySelector('[data-ref=\"' + ref.replace(/\"/g, '') + '\"] span');\n"
    "        if (li && r.length === 1) li.textContent = r[0].label;\n"
    "      });\n"
    "    });\n"
    "  }\n"
    "  document.querySelectorAll('input[data-pick]').forEach(setup);\n"
    "})();\n";

int rt_http_pick_asset(const struct rt_http_req *req, struct rt_http_resp *resp)
{
    if (strcmp(req->path, "/assets/pick.js"))
        return 0;
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        rt_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed here", req->method);
        return 1;
    }
    resp->status = 200;
    resp->content_type = "text/javascript; charset=utf-8";
    rt_buf_reset(&resp->body);
    rt_buf_add(&resp->body, pick_js, sizeof(pick_js) - 1);
    return 1;
}
