/*
 * A ledger record's own page, for corrections: /records/REF shows the record (REF as
 * the command line names it: step:3, ask:2, round:5), an Edit form made from its
 * entity's fields (the add forms' table) prefilled from the record, and a Withdraw form
 * with a reason; both post with the page's form token to rt_ledger_edit and
 * rt_ledger_withdraw, as `edit` and `withdraw` do. /records/REF/history shows what
 * changed, field by field, when and by whom, from the audit log.
 */
#include <rightstrack/audit.h>
#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/lookup.h>

#include <rightstrack/private.h>

#include "html.h"
#include "http_int.h"

/* A person's fields that only its adding takes (a spelling's source, what to do with a
 * close name): not in its Edit form. */
static const char *const add_only[] = {"source", "if_close", NULL};

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The path of the record's page: "/records/" and ref, escaped for an attribute. */
static void record_href(struct rt_buf *b, const char *ref, const char *tail)
{
    RT_HTML_LIT(b, "/records/");
    for (const char *p = ref; *p; p++) {
        if (*p == '#')
            RT_HTML_LIT(b, "%23");
        else if (*p == ' ')
            RT_HTML_LIT(b, "%20");
        else
            rt_html_textf(b, "%c", *p);
    }
    rt_html_text(b, tail);
}

/* ref as a person is shown it: a round as D#N (its dialogue and its number there),
 * never its row; any other record as it is. */
static void shown_ref(struct rt_store *st, const char *ref, char *out, size_t size)
{
    json_t *r = NULL;

    snprintf(out, size, "%s", ref);
    if (strncmp(ref, "round:", 6) || rt_round_get(st, strtoll(ref + 6, NULL, 10), &r, NULL) < 0)
        return;
    snprintf(out, size, "%lld#%lld",
             (long long)json_integer_value(json_object_get(json_object_get(r, "dialogue"), "id")),
             (long long)json_integer_value(json_object_get(r, "ordinal")));
    json_decref(r);
}

/* The fields of the record as a form's values: lists of ids as the references the
 * pickers name ("step:2", "1#2" for a round: never a round's row id), a bare id when
 * the record is not found. */
static json_t *form_values(struct rt_store *st, const char *kind, json_t *fields)
{
    const struct rt_entity *ent = rt_entity_find(kind);
    json_t *out = json_deep_copy(fields), *v, *e, *entry;
    const char *k;
    size_t i;
    char ref[64];

    json_object_foreach(out, k, v)
    {
        const struct rt_field *f = ent ? rt_entity_field(ent, k) : NULL;

        if (!json_is_array(v))
            continue;
        json_array_foreach(v, i, e) if (json_is_integer(e))
        {
            entry = NULL;
            snprintf(ref, sizeof(ref), "%s:%lld", f && f->ref_kind ? f->ref_kind : "rec",
                     (long long)json_integer_value(e));
            if (f && f->ref_kind && rt_ref_name(st, ref, &entry, NULL) == 0 &&
                json_is_string(json_object_get(entry, "ref")))
                json_array_set(v, i, json_object_get(entry, "ref"));
            else
                json_array_set_new(v, i, json_sprintf("%lld", (long long)json_integer_value(e)));
            json_decref(entry);
        }
    }
    return out;
}

/* The record's page: what it is, whether it stands, the Edit and Withdraw forms. */
static void record_page(struct rt_store *st, const char *ref, struct rt_http_resp *resp,
                        json_t *values, const char *form, const struct rt_error *ferr)
{
    struct rt_buf *b = &resp->body, action = RT_BUF_INIT, title = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    char canon[128], shown[128], kind[32];
    json_t *doc = NULL, *prefill = NULL, *named = NULL;
    const char *colon;
    const struct rt_entity *e;

    if (rt_audit_ref(st, ref, canon, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    colon = strchr(canon, ':');
    snprintf(kind, sizeof(kind), "%.*s", (int)(colon - canon), canon);
    if (rt_record_get(st, kind, strtoll(colon + 1, NULL, 10), &doc, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    e = rt_entity_find(kind);
    if (!jstr(doc, "name") && rt_ref_name(st, canon, &named, NULL) == 0 && jstr(named, "name")) {
        /* what it is, as the lookup names it: "Step of 2015-08-22 by Belarus" */
        rt_buf_adds(&title, jstr(named, "name"));
        if (title.buf[0] >= 'a' && title.buf[0] <= 'z')
            title.buf[0] = (char)(title.buf[0] - 'a' + 'A');
    } else {
        rt_buf_addf(&title, "%c%s %s", kind[0] - 32, kind + 1,
                    jstr(doc, "name") ? jstr(doc, "name") : colon + 1);
    }
    html_begin(b, title.buf);
    RT_HTML_LIT(b, "<h1>");
    rt_html_text(b, title.buf);
    RT_HTML_LIT(b, "</h1>");
    {
        int on = 0;
        /* Kinds that cannot be private answer RT_EINVAL: not marked. */
        if (rt_private_get(st, canon, &on, NULL) == 0 && on)
            RT_HTML_LIT(b, "<p role=\"status\" id=\"private\"><span class=\"tag private\">"
                           "private</span> Only editors and admins see this record: not "
                           "viewers, not the public.</p>");
    }
    if (jstr(doc, "withdrawn")) {
        RT_HTML_LIT(b, "<p role=\"status\" class=\"neg\" id=\"withdrawn\"><strong>Withdrawn");
        if (jstr(doc, "withdrawn_on")) {
            RT_HTML_LIT(b, " as of ");
            rt_html_text(b, jstr(doc, "withdrawn_on"));
        } else {
            RT_HTML_LIT(b, " (a mistake: it shows in no view)");
        }
        RT_HTML_LIT(b, ":</strong> ");
        rt_html_text(b, jstr(doc, "withdrawn"));
        RT_HTML_LIT(b, "</p>");
    }
    RT_HTML_LIT(b, "<p>");
    if (jstr(doc, "parent")) {
        json_t *pn = NULL;
        shown_ref(st, jstr(doc, "parent"), shown, sizeof(shown));
        RT_HTML_LIT(b, "Belongs to <a href=\"");
        record_href(b, shown, "");
        RT_HTML_LIT(b, "\">");
        if (rt_ref_name(st, jstr(doc, "parent"), &pn, NULL) == 0 && jstr(pn, "name"))
            rt_html_text(b, jstr(pn, "name"));
        else
            rt_html_text(b, shown);
        json_decref(pn);
        RT_HTML_LIT(b, "</a>. ");
    }
    shown_ref(st, canon, shown, sizeof(shown));
    RT_HTML_LIT(b, "<a id=\"history\" href=\"");
    record_href(b, shown, "/history");
    RT_HTML_LIT(b, "\">History of this record</a></p>");
    prefill = values ? json_incref(values) : form_values(st, kind, json_object_get(doc, "fields"));
    record_href(&action, shown, "/edit");
    rt_http_entity_form(b, action.buf, "Edit", kind, !strcmp(kind, "person") ? add_only : NULL,
                        prefill, form && !strcmp(form, "edit") ? ferr : NULL);
    (void)e;
    rt_buf_reset(&action);
    record_href(&action, shown, "/withdraw");
    RT_HTML_LIT(b, "<section><h2 id=\"withdraw\">Withdraw</h2>");
    if (form && !strcmp(form, "withdraw") && ferr && ferr->code) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not withdrawn: ");
        rt_html_text(b, ferr->msg.buf);
        RT_HTML_LIT(b, "</strong></p>");
    }
    RT_HTML_LIT(b, "<p class=\"muted\">A withdrawn record stays in the database and its history; "
                   "pages and reports leave it out as of the date (before it they show it as "
                   "they did). Without a date it was a mistake and shows nowhere.</p>"
                   "<form method=\"post\" action=\"");
    rt_buf_adds(b, action.buf);
    RT_HTML_LIT(b, "\"><input type=\"hidden\" name=\"" RT_HTTP_CSRF_FIELD "\" value=\"");
    rt_html_text(b, rt_http_csrf_token());
    RT_HTML_LIT(b, "\"><p><label for=\"w-reason\">Reason (required)</label> <textarea "
                   "id=\"w-reason\" name=\"reason\" rows=\"2\" cols=\"60\" required>"
                   "</textarea></p><p><label for=\"w-date\">As of</label> <input id=\"w-date\" "
                   "name=\"date\" size=\"12\" placeholder=\"YYYY-MM-DD\"> <small "
                   "class=\"muted\">from when it no longer holds (YYYY-MM-DD, YYYY-MM or YYYY); "
                   "empty: it was a mistake</small></p><p><button type=\"submit\">Withdraw"
                   "</button></p></form></section>");
    html_end(b);
out:
    json_decref(named);
    json_decref(prefill);
    json_decref(doc);
    rt_buf_release(&action);
    rt_buf_release(&title);
    rt_error_release(&err);
}

/* A value of the audit log's JSON, as a person reads it. */
static void value_text(struct rt_buf *b, json_t *v)
{
    if (!v || json_is_null(v))
        RT_HTML_LIT(b, "(none)");
    else if (json_is_string(v))
        rt_html_text(b, json_string_value(v));
    else
        rt_html_json(b, v);
}

/* The name of the record ref ("step:4", "recommendation:5", "round:2") as the pages
 * name it, into b; "a KIND" when it is not found (never its row id). */
static void ref_words(struct rt_store *st, struct rt_buf *b, const char *ref)
{
    char kind[32], canon[64];
    const char *colon = strchr(ref, ':');
    json_t *e = NULL;

    snprintf(kind, sizeof(kind), "%.*s", colon ? (int)(colon - ref) : 0, ref);
    snprintf(canon, sizeof(canon), "%s%s", !strcmp(kind, "recommendation") ? "rec" : kind,
             colon ? colon : "");
    if (colon && rt_ref_name(st, canon, &e, NULL) == 0 && jstr(e, "name")) {
        rt_html_text(b, !strcmp(kind, "rec") || !strcmp(kind, "recommendation") ? jstr(e, "label")
                                                                                : jstr(e, "name"));
    } else {
        RT_HTML_LIT(b, "a ");
        rt_html_text(b, colon ? kind : ref);
    }
    json_decref(e);
}

void rt_http_party_text(struct rt_store *st, struct rt_buf *b, const char *code)
{
    char *name;

    if (!code)
        return;
    name = rt_party_name(st, code);
    rt_html_text(b, name);
    rt_free(name);
}

/* The audit's record ("topic:3 about recommendation:5", "dialogue:1 party BLR"), each reference
 * and party in it named. */
static void record_words(struct rt_store *st, struct rt_buf *b, const char *record)
{
    char word[96];
    const char *p = record, *sp;
    int after_party = 0;

    while (*p) {
        sp = strchr(p, ' ');
        snprintf(word, sizeof(word), "%.*s", sp ? (int)(sp - p) : (int)strlen(p), p);
        if (strchr(word, ':') && word[0] >= 'a' && word[0] <= 'z')
            ref_words(st, b, word);
        else if (after_party)
            rt_http_party_text(st, b, word);
        else
            rt_html_text(b, word);
        after_party = !strcmp(word, "party");
        if (!sp)
            break;
        RT_HTML_LIT(b, " ");
        p = sp + 1;
    }
}

/* How a change was made, as a person says it: a command with its records named
 * ("assess ask 1 of round 2 (…)"), or for a web request ("POST /records/step:4/withdraw")
 * what it was, without the address and its row ids. */
static void via_words(struct rt_store *st, struct rt_buf *b, const char *via)
{
    static const char *const methods[] = {"POST ", "PATCH ", "PUT ", "DELETE "};
    static const struct {
        const char *tail, *words;
    } forms[] = {{"/withdraw", "the Withdraw form"},
                 {"/edit", "the Edit form"},
                 {"/links", "the search's Link the selected"},
                 {"/steps", "the step form"},
                 {"/asks", "the ask form"},
                 {"/topics", "the topic form"},
                 {"/assessments", "the assessment form"},
                 {"/rounds", "the round form"},
                 {"/readouts", "the readout page"},
                 {"/imports", "the import page"}};

    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        const char *path = via + strlen(methods[i]);
        size_t n;
        if (strncmp(via, methods[i], strlen(methods[i])) || *path != '/')
            continue;
        if (!strncmp(path, "/api/", 5)) {
            rt_html_textf(b, "the API (%.*s)", (int)strlen(methods[i]) - 1, via);
            return;
        }
        n = strcspn(path, "?");
        for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
            size_t t = strlen(forms[k].tail);
            if (n >= t && !strncmp(path + n - t, forms[k].tail, t)) {
                rt_html_text(b, forms[k].words);
                RT_HTML_LIT(b, " on the web");
                return;
            }
        }
        RT_HTML_LIT(b, "a form on the web");
        return;
    }
    record_words(st, b, via);
}

/* Is key of row a party column? */
static int party_key(const char *key)
{
    return !strcmp(key, "actor") || !strcmp(key, "party") || !strcmp(key, "from_party") ||
           !strcmp(key, "to_party");
}

/* A column of an audited row, as a person reads it: a reference column (round_id, or
 * from_id with its from_kind) by the record's name, a party by its name. *skip is set
 * for a column said with another (from_kind with from_id). Writes "key: value". */
static void column_text(struct rt_store *st, struct rt_buf *b, json_t *row, const char *key,
                        json_t *v)
{
    size_t n = strlen(key);
    char kind[64], kind_key[64], ref[96];

    if (n > 3 && !strcmp(key + n - 3, "_id") && json_is_integer(v)) {
        snprintf(kind_key, sizeof(kind_key), "%.*s_kind", (int)(n - 3), key);
        snprintf(kind, sizeof(kind), "%s",
                 jstr(row, kind_key) ? jstr(row, kind_key) : key); /* from_kind's value */
        if (!jstr(row, kind_key))
            kind[n - 3] = '\0'; /* round_id: a round */
        snprintf(ref, sizeof(ref), "%s:%lld", kind, (long long)json_integer_value(v));
        rt_html_textf(b, "%.*s: ", (int)(n - 3), key);
        ref_words(st, b, ref);
        return;
    }
    if (!strcmp(key, "replaces") && json_is_integer(v)) { /* an assessment's correction */
        snprintf(ref, sizeof(ref), "assessment:%lld", (long long)json_integer_value(v));
        RT_HTML_LIT(b, "replaces: ");
        ref_words(st, b, ref);
        return;
    }
    rt_html_text(b, key);
    RT_HTML_LIT(b, ": ");
    if (party_key(key) && json_is_string(v))
        rt_http_party_text(st, b, json_string_value(v));
    else
        value_text(b, v);
}

/* Is key said with another column (from_kind with from_id)? */
static int said_with_id(json_t *row, const char *key)
{
    size_t n = strlen(key);
    char id_key[64];

    if (n <= 5 || strcmp(key + n - 5, "_kind"))
        return 0;
    snprintf(id_key, sizeof(id_key), "%.*s_id", (int)(n - 5), key);
    return json_object_get(row, id_key) != NULL;
}

/* The history page: every entry of the audit log about the record, oldest first. */
static void history_page(struct rt_store *st, const char *ref, struct rt_http_resp *resp)
{
    struct rt_buf *b = &resp->body;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_audit_filter f = {0};
    struct rt_audit_entry *v = NULL;
    char canon[128], title[180];
    json_t *entries = NULL, *en, *named = NULL;
    size_t n = 0, i;

    if (rt_audit_ref(st, ref, canon, &err) < 0 || (f.record = canon, 0) ||
        rt_audit_log(st, &f, &v, &n, &err) < 0) {
        page_fail(resp, &err);
        goto out;
    }
    entries = rt_audit_entries_json(v, n);
    if (strchr(canon, ' ')) { /* a link: its ends named, and the page of the one it is from */
        char from[128];
        snprintf(from, sizeof(from), "%.*s", (int)(strchr(canon, ' ') - canon), canon);
        html_begin(b, "History of a link");
        RT_HTML_LIT(b, "<h1>History of a link</h1><p class=\"link-named\">");
        record_words(st, b, canon);
        RT_HTML_LIT(b, "</p><p><a href=\"");
        /* A round by its number in its dialogue (1#2), as the pages name it. */
        if (rt_ref_name(st, from, &named, NULL) == 0 && jstr(named, "ref"))
            snprintf(from, sizeof(from), "%s", jstr(named, "ref"));
        record_href(b, from, "");
        RT_HTML_LIT(b, "\">The record it links from</a></p>");
    } else if (rt_ref_name(st, canon, &named, NULL) == 0 && jstr(named, "name")) {
        /* Named as the record page names it: "History: Step of 2015-08-22 by Belarus". */
        snprintf(title, sizeof(title), "History: %s", jstr(named, "name"));
        if (title[9] >= 'a' && title[9] <= 'z')
            title[9] = (char)(title[9] - 'a' + 'A');
    } else {
        snprintf(title, sizeof(title), "History of %s", canon);
    }
    if (!strchr(canon, ' ')) {
        html_begin(b, title);
        RT_HTML_LIT(b, "<h1>");
        rt_html_text(b, title);
        RT_HTML_LIT(b, "</h1><p><a href=\"");
        record_href(b, canon, "");
        RT_HTML_LIT(b, "\">The record, to edit or withdraw it</a></p>");
    }
    if (!n)
        RT_HTML_LIT(b, "<p>No change is recorded.</p>");
    RT_HTML_LIT(b, "<table class=\"history\"><thead><tr><th scope=\"col\">When</th>"
                   "<th scope=\"col\">Who</th><th scope=\"col\">Record</th>"
                   "<th scope=\"col\">What changed</th></tr></thead><tbody>");
    json_array_foreach(entries, i, en)
    {
        const char *op = jstr(en, "op");
        json_t *before = json_object_get(en, "before"), *after = json_object_get(en, "after"), *c;
        size_t k;
        int withdrawal =
            !strcmp(op, "update") && jstr(after, "withdrawn") && !jstr(before, "withdrawn");

        RT_HTML_LIT(b, "<tr");
        if (withdrawal)
            RT_HTML_LIT(b, " class=\"withdrawal\"");
        RT_HTML_LIT(b, "><td>");
        rt_html_text(b, jstr(en, "at") ? jstr(en, "at") : "(unsealed)");
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, jstr(en, "actor") ? jstr(en, "actor") : "?");
        if (jstr(en, "via")) {
            RT_HTML_LIT(b, "<br><small class=\"muted\">");
            via_words(st, b, jstr(en, "via")); /* "assess ask 1 of round 2 (…)" */
            RT_HTML_LIT(b, "</small>");
        }
        RT_HTML_LIT(b, "</td><td>");
        record_words(st, b, jstr(en, "record") ? jstr(en, "record") : "");
        RT_HTML_LIT(b, "</td><td>");
        if (withdrawal) {
            RT_HTML_LIT(b, "<strong>Withdrawn");
            if (jstr(after, "withdrawn_on")) {
                RT_HTML_LIT(b, " as of ");
                rt_html_text(b, jstr(after, "withdrawn_on"));
            }
            RT_HTML_LIT(b, ":</strong> ");
            rt_html_text(b, jstr(after, "withdrawn"));
        } else if (!strcmp(op, "update")) {
            RT_HTML_LIT(b, "<ul>");
            json_array_foreach(json_object_get(en, "changed"), k, c)
            {
                const char *key = json_string_value(c);
                json_t *was = json_object_get(before, key), *now = json_object_get(after, key);
                RT_HTML_LIT(b, "<li>");
                rt_html_text(b, key);
                RT_HTML_LIT(b, ": <del>");
                if (party_key(key) && json_is_string(was))
                    rt_http_party_text(st, b, json_string_value(was));
                else
                    value_text(b, was);
                RT_HTML_LIT(b, "</del> &rarr; <ins>");
                if (party_key(key) && json_is_string(now))
                    rt_http_party_text(st, b, json_string_value(now));
                else
                    value_text(b, now);
                RT_HTML_LIT(b, "</ins></li>");
            }
            RT_HTML_LIT(b, "</ul>");
        } else {
            const char *key;
            json_t *val, *row = after ? after : before;
            rt_html_text(b, !strcmp(op, "insert")   ? "Added"
                            : !strcmp(op, "delete") ? "Removed"
                                                    : op);
            RT_HTML_LIT(b, "<ul>");
            json_object_foreach(row, key, val)
            {
                if (json_is_null(val) || !strcmp(key, "created_at") || !strcmp(key, "id") ||
                    said_with_id(row, key))
                    continue;
                RT_HTML_LIT(b, "<li>");
                column_text(st, b, row, key, val);
                RT_HTML_LIT(b, "</li>");
            }
            RT_HTML_LIT(b, "</ul>");
        }
        RT_HTML_LIT(b, "</td></tr>");
    }
    RT_HTML_LIT(b, "</tbody></table>");
    html_end(b);
out:
    json_decref(named);
    json_decref(entries);
    rt_audit_entries_free(v, n);
    rt_error_release(&err);
}

/* The posted Edit form as a correction: every field of the entity the form holds, an
 * empty one cleared (an empty list too). */
static json_t *edit_body(const struct rt_http_req *req, const char *kind, struct rt_error *err)
{
    const struct rt_entity *e = rt_entity_find(kind);
    json_t *body = rt_http_form_to_json(req, kind, err);

    for (size_t i = 0; body && e && i < req->n_args; i++) {
        const struct rt_field *f = rt_entity_field(e, req->args[i].key);
        if (f && !*req->args[i].value)
            json_object_set_new(body, f->name,
                                f->type == RT_FIELD_REFS || f->type == RT_FIELD_PARTIES
                                    ? json_array()
                                    : json_null());
    }
    return body;
}

/* POST /records/REF/edit or /withdraw: saved and back to the record's page (303), or
 * the page again with what was typed and the error (422). */
static void record_post(struct rt_store *st, const struct rt_http_req *req, const char *ref,
                        const char *what, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_t *body = NULL;
    char canon[128], out[128], kind[32];
    int rc;

    if (!rt_http_csrf_ok(req)) {
        rt_http_page_refused(resp, "This form is out of date",
                             "The form did not carry the token of this run of the server: it "
                             "was sent from another site, or from a page opened before the "
                             "server restarted. Reload the page and send the form again.");
        return;
    }
    if ((rc = rt_audit_ref(st, ref, canon, &err)) == 0) {
        snprintf(kind, sizeof(kind), "%.*s", (int)(strchr(canon, ':') - canon), canon);
        if (!strcmp(what, "edit")) {
            body = edit_body(req, kind, &err);
            rc = body ? rt_ledger_edit(st, canon, body, out, &err) : RT_EINVAL;
        } else {
            rc = rt_ledger_withdraw(st, canon, rt_http_arg(req, "reason"), rt_http_arg(req, "date"),
                                    out, &err);
        }
    }
    if (rc == 0) {
        struct rt_buf loc = RT_BUF_INIT;
        record_href(&loc, canon, "");
        resp->status = 303;
        snprintf(resp->location, sizeof(resp->location), "%s", loc.buf);
        if (!strcmp(what, "edit")) /* the banner: "Step of 2015-10 by United States saved." */
            rt_http_saved_location(resp, kind, strtoll(strchr(canon, ':') + 1, NULL, 10));
        rt_buf_release(&loc);
        RT_HTML_LIT(&resp->body, "Saved.");
    } else {
        rt_buf_reset(&resp->body);
        record_page(st, ref, resp, !strcmp(what, "edit") ? body : NULL, what, &err);
        if (resp->status == 200)
            resp->status = 422;
    }
    json_decref(body);
    rt_error_release(&err);
}

int rt_http_record_pages(struct rt_store *st, const struct rt_http_req *req,
                         struct rt_http_resp *resp)
{
    char buf[512], *seg[4];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 4);
    int post = !strcmp(req->method, "POST");

    if (n < 2 || n > 3 || strcmp(seg[0], "records"))
        return 0;
    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    if (n == 3 && post && (!strcmp(seg[2], "edit") || !strcmp(seg[2], "withdraw")))
        record_post(st, req, seg[1], seg[2], resp);
    else if (post)
        page_error(resp, 405, "This page can only be read");
    else if (n == 2)
        record_page(st, seg[1], resp, NULL, NULL, NULL);
    else if (!strcmp(seg[2], "history"))
        history_page(st, seg[1], resp);
    else
        page_error(resp, 404, "No such page");
    return 1;
}
