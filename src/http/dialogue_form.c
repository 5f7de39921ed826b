/*
 * Creating a dialogue on the web: the page /dialogues/new (a name, a kind, and the
 * parties, completed from the states and organisations rightstrack knows), and the
 * same fields inside the readout page's draft ("Create this dialogue"). Saved by
 * rt_ledger_write, as `rightstrack dialogue add` saves it.
 */
#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>

#include "html.h"
#include "http_int.h"

#define MAX_PARTIES 16
#define PARTY_ROWS 4 /* party fields offered at least */

/* The <datalist> of the parties rightstrack knows (id "parties"), once per page. */
static void party_datalist(struct rt_buf *b, struct rt_store *st)
{
    json_t *list = NULL, *p;
    size_t i;

    RT_HTML_LIT(b, "<datalist id=\"parties\">");
    if (rt_party_list(st, &list, NULL) == 0) {
        json_array_foreach(list, i, p)
        {
            const char *code = json_string_value(json_object_get(p, "code"));
            const char *name = json_string_value(json_object_get(p, "name"));
            int org = !strcmp(json_string_value(json_object_get(p, "kind")), "organisation");
            /* A state by its name; an organisation by its code, which is what it takes. */
            RT_HTML_LIT(b, "<option value=\"");
            rt_html_text(b, org ? code : name);
            RT_HTML_LIT(b, "\">");
            rt_html_text(b, org ? name : code);
            RT_HTML_LIT(b, "</option>");
        }
    }
    json_decref(list);
    RT_HTML_LIT(b, "</datalist><datalist id=\"dialogue-kinds\"><option value=\"bilateral\">"
                   "<option value=\"multilateral\"></datalist>");
}

/* One labelled text input named prefix+key. */
static void text_field(struct rt_buf *b, const char *prefix, const char *key, const char *label,
                       const char *hint, const char *value, const char *list, int bad, int required)
{
    rt_buf_addf(b, "<p><label for=\"f-%s%s\">", prefix, key);
    rt_html_text(b, label);
    if (hint) {
        RT_HTML_LIT(b, "<span class=\"hint\">");
        rt_html_text(b, hint);
        RT_HTML_LIT(b, "</span>");
    }
    rt_buf_addf(b, "</label><input id=\"f-%s%s\" name=\"%s%s\" size=\"40\"", prefix, key, prefix,
                key);
    if (list)
        rt_buf_addf(b, " list=\"%s\" autocomplete=\"off\"", list);
    if (required)
        RT_HTML_LIT(b, " required");
    if (bad)
        RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
    RT_HTML_LIT(b, " value=\"");
    rt_html_text(b, value ? value : "");
    RT_HTML_LIT(b, "\"></p>");
}

void rt_http_dialogue_fields(struct rt_buf *b, struct rt_store *st, const char *prefix,
                             const char *name, const char *kind, const char *const *parties,
                             size_t n, const char *bad, int required)
{
    char key[16];
    size_t rows = n + 1 > PARTY_ROWS ? n + 1 : PARTY_ROWS;

    party_datalist(b, st);
    text_field(b, prefix, "name", "Name",
               "as people call it, e.g. US-Belarus human rights dialogue", name, NULL,
               bad && !strcmp(bad, "name"), required);
    text_field(b, prefix, "kind", "Kind", "bilateral (the default) or multilateral", kind,
               "dialogue-kinds", bad && !strcmp(bad, "kind"), 0);
    RT_HTML_LIT(b, "<fieldset><legend>Parties (two or more)</legend><p class=\"hint\">A state "
                   "by its name or code, or one of the organisations EU, OSCE, ODIHR, UN, "
                   "OHCHR, COE: start typing and pick from the list.</p>");
    for (size_t i = 0; i < rows && i < MAX_PARTIES; i++) {
        char label[32];
        snprintf(key, sizeof(key), "party%zu", i + 1);
        snprintf(label, sizeof(label), "Party %zu", i + 1);
        text_field(b, prefix, key, label, NULL, i < n ? parties[i] : "", "parties",
                   bad && !strncmp(bad, "part", 4) && i == 0, required && i < 2);
    }
    RT_HTML_LIT(b, "</fieldset>");
}

/* The posted value of prefix+key, or NULL when absent or empty. */
static const char *posted(const struct rt_http_req *req, const char *prefix, const char *key)
{
    char name[48];
    const char *v;

    snprintf(name, sizeof(name), "%s%s", prefix, key);
    v = rt_http_arg(req, name);
    return v && *v ? v : NULL;
}

/* The posted parties (prefix "party1" ...), the empty ones left out, into out[]. */
static size_t posted_parties(const struct rt_http_req *req, const char *prefix,
                             const char *out[MAX_PARTIES])
{
    size_t n = 0;
    char key[16];

    for (size_t i = 0; i < MAX_PARTIES; i++) {
        const char *v;
        snprintf(key, sizeof(key), "party%zu", i + 1);
        if ((v = posted(req, prefix, key)) != NULL)
            out[n++] = v;
    }
    return n;
}

int rt_http_dialogue_create(struct rt_store *st, const struct rt_http_req *req, const char *prefix,
                            int64_t *out_id, struct rt_error *err)
{
    const char *parties[MAX_PARTIES];
    size_t n = posted_parties(req, prefix, parties);
    json_t *body = json_object(), *list = json_array();
    int rc;

    *out_id = 0;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_string(parties[i]));
    if (posted(req, prefix, "name"))
        json_object_set_new(body, "name", json_string(posted(req, prefix, "name")));
    if (posted(req, prefix, "kind"))
        json_object_set_new(body, "kind", json_string(posted(req, prefix, "kind")));
    json_object_set_new(body, "parties", list);
    rc = rt_ledger_write(st, "dialogue", 0, body, out_id, err);
    json_decref(body);
    return rc;
}

/* The page /dialogues/new: the form, empty or as posted, with what was wrong. */
static void new_page(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp,
                     int status, const struct rt_error *err)
{
    struct rt_buf *b = &resp->body;
    const char *parties[MAX_PARTIES];
    size_t n = posted_parties(req, "", parties);

    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(b);
    html_begin(b, "Create a dialogue");
    RT_HTML_LIT(b, "<h1>Create a dialogue</h1><p>A dialogue is a standing forum between two or "
                   "more parties that meets in rounds. Once it is created, record its rounds "
                   "on its page, or from a readout.</p>");
    if (err && err->code) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not saved: ");
        rt_html_text(b, err->msg.len ? err->msg.buf : rt_strerror(err->code));
        RT_HTML_LIT(b, "</strong></p>");
    }
    RT_HTML_LIT(b, "<form method=\"post\" action=\"/dialogues/new\">");
    rt_http_csrf_field(b);
    rt_http_dialogue_fields(b, st, "", posted(req, "", "name"), posted(req, "", "kind"), parties, n,
                            err ? err->field : NULL, 1);
    RT_HTML_LIT(b, "<p><button type=\"submit\">Create the dialogue</button></p></form>");
    html_end(b);
}

int rt_http_dialogue_form(struct rt_store *st, const struct rt_http_req *req,
                          struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    int64_t id = 0;

    if (strcmp(req->path, "/dialogues/new"))
        return 0;
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) {
        new_page(st, req, resp, 200, NULL);
        return 1;
    }
    if (!rt_http_csrf_ok(req)) {
        rt_http_page_refused(resp, "This form is out of date",
                             "The form did not carry the token of this run of the server: it "
                             "was sent from another site, or from a page opened before the "
                             "server restarted. Reload the page and send the form again.");
        return 1;
    }
    if (rt_http_dialogue_create(st, req, "", &id, &err) < 0) {
        new_page(st, req, resp, err.code == RT_EEXIST ? 409 : 422, &err);
    } else {
        resp->status = 303;
        resp->content_type = "text/html; charset=utf-8";
        rt_buf_reset(&resp->body);
        snprintf(resp->location, sizeof(resp->location), "/dialogues/%lld", (long long)id);
    }
    rt_error_release(&err);
    return 1;
}
