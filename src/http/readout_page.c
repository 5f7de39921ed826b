/*
 * The readout page (/readouts/new): paste a meeting's readout, review and correct the
 * draft the parser makes of it in a form, and save it as a round of a dialogue; and
 * the API routes that do the same (POST /api/v1/readouts/parse, POST
 * /api/v1/dialogues/{id}/readouts). Works without JavaScript: every step is a form
 * post, and a save that is refused shows the form again with what was typed and the
 * field at fault. Saving goes through rt_readout_import, as `readout import` does.
 */
#include <ctype.h>
#include <errno.h>

#include <rightstrack/ledger.h>
#include <rightstrack/readout.h>
#include <rightstrack/text.h>

#include "html.h"
#include "http_int.h"

#define PAGE "/readouts/new"
#define MAX_ROWS 100 /* rows of one list that a form may send */
#define EXTRA_ROWS 2 /* empty rows offered for what the parser missed */

/* A list of the draft as rows of the form: field names are PREFIX ROW "_" KEY. */
struct col {
    const char *key, *label, *size;
};
struct list {
    const char *draft_key, *prefix, *title;
    const struct col *cols;
};

static const struct col participant_cols[] = {{"name", "Name", "20"},
                                              {"title", "Title", "30"},
                                              {"organization", "Organisation", "24"},
                                              {"side", "Side", "14"},
                                              {NULL, NULL, NULL}};
static const struct col topic_cols[] = {
    {"text", "Topic", "50"}, {"themes", "Themes (area codes)", "24"}, {NULL, NULL, NULL}};
static const struct col urged_cols[] = {{"by", "Asked by", "14"},
                                        {"target", "Asked of", "14"},
                                        {"what", "What was asked", "44"},
                                        {"themes", "Themes (area codes)", "20"},
                                        {NULL, NULL, NULL}};
static const struct col welcomed_cols[] = {
    {"by", "Welcomed by", "14"}, {"what", "What was welcomed", "60"}, {NULL, NULL, NULL}};
static const struct col commitment_cols[] = {
    {"by", "Party", "14"}, {"if", "If", "36"}, {"then", "Then", "36"}, {NULL, NULL, NULL}};

static const struct list lists[] = {
    {"participants", "p", "Participants", participant_cols},
    {"topics", "t", "Topics", topic_cols},
    {"urged", "u", "Asks (urged, called for)", urged_cols},
    {"welcomed", "w", "Steps welcomed", welcomed_cols},
    {"conditional_commitments", "c", "Commitments", commitment_cols},
};
#define N_LISTS (sizeof(lists) / sizeof(lists[0]))

static const char *jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A form field's value, or NULL when absent or only white space. */
static const char *field(const struct rt_http_req *req, const char *name)
{
    const char *v = rt_http_arg(req, name);
    const char *p = v;
    while (p && *p && isspace((unsigned char)*p))
        p++;
    return p && *p ? v : NULL;
}

static const char *row_field(const struct rt_http_req *req, const struct list *l, size_t row,
                             const char *key)
{
    char name[64];
    snprintf(name, sizeof(name), "%s%zu_%s", l->prefix, row, key);
    return field(req, name);
}

/* A string with the white space at both ends taken off, as a new JSON string. */
static json_t *jtrim(const char *s)
{
    size_t n;
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return json_stringn(s, n);
}

/* "expression, Media" -> ["expression", "media"] */
static json_t *split_areas(const char *s)
{
    json_t *a = json_array();
    while (s && *s) {
        size_t n;
        char buf[64];
        while (*s && (isspace((unsigned char)*s) || *s == ',' || *s == ';'))
            s++;
        for (n = 0; s[n] && !isspace((unsigned char)s[n]) && s[n] != ',' && s[n] != ';'; n++)
            ;
        if (!n)
            break;
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) - 1 ? n : sizeof(buf) - 1), s);
        for (char *c = buf; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        json_array_append_new(a, json_string(buf));
        s += n;
    }
    return a;
}

/* ---------------------------------------------------------------------------------- */
/* The form and the draft. */

/* rows[k][i]: the form row that item i of list k came from. */
struct rowmap {
    size_t rows[N_LISTS][MAX_ROWS];
};

/* The draft a person corrected, from the review form. The readout's text, when the
 * form carries it, gives the events (not shown in the form) back. A round number
 * that is not one sets err (the draft then has none). */
static json_t *form_draft(const struct rt_http_req *req, struct rowmap *map, struct rt_error *err)
{
    json_t *d = json_object(), *events = NULL, *parsed = NULL, *sides = json_array();
    const char *text = rt_http_arg(req, "text"), *v;

    if (text && *text &&
        rt_readout_parse(text, strlen(text), NULL, RT_READOUT_EVIDENCE, &parsed, NULL) == 0)
        events = json_incref(json_object_get(parsed, "events"));
    json_decref(parsed);
    json_object_set_new(d, "file", json_null());
    json_object_set_new(d, "date", (v = field(req, "date")) ? jtrim(v) : json_null());
    json_object_set_new(d, "place", (v = field(req, "place")) ? jtrim(v) : json_null());
    json_object_set_new(d, "dialogue_name",
                        (v = field(req, "dialogue_name")) ? jtrim(v) : json_null());
    if ((v = field(req, "round"))) {
        char *end;
        long long n;
        errno = 0;
        n = strtoll(v, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (errno || *end || n <= 0 || n > 100000) {
            /* the draft keeps no round; the form shows what was typed */
            rt_error_set(err, RT_EINVAL, NULL, 0, "round",
                         "the round number must be a whole number from 1 to 100000");
            n = 0;
        }
        json_object_set_new(d, "round", n ? json_integer(n) : json_null());
    } else {
        json_object_set_new(d, "round", json_null());
    }
    for (v = field(req, "sides"); v && *v;) {
        const char *semi = strpbrk(v, ";,");
        size_t n = semi ? (size_t)(semi - v) : strlen(v);
        char *one = rt_xstrndup(v, n);
        json_t *t = jtrim(one);
        if (*json_string_value(t))
            json_array_append_new(sides, t);
        else
            json_decref(t);
        rt_free(one);
        v = semi ? semi + 1 : NULL;
    }
    json_object_set_new(d, "sides", sides);

    for (size_t k = 0; k < N_LISTS; k++) {
        const struct list *l = &lists[k];
        json_t *items = json_array(), *themes = NULL;
        size_t n = 0;
        if (!strcmp(l->prefix, "t"))
            themes = json_array();
        for (size_t row = 0; row < MAX_ROWS; row++) {
            json_t *item;
            int any = 0;
            for (const struct col *c = l->cols; c->key; c++)
                any |= row_field(req, l, row, c->key) != NULL;
            if (!any)
                continue;
            map->rows[k][n++] = row;
            if (themes) { /* topics: strings, and their themes alongside */
                const char *t = row_field(req, l, row, "text");
                json_array_append_new(items, jtrim(t ? t : ""));
                json_array_append_new(themes,
                                      json_pack("{s:o, s:o}", "topic", jtrim(t ? t : ""), "themes",
                                                split_areas(row_field(req, l, row, "themes"))));
                continue;
            }
            item = json_object();
            for (const struct col *c = l->cols; c->key; c++) {
                const char *x = row_field(req, l, row, c->key);
                if (!strcmp(c->key, "themes"))
                    json_object_set_new(item, "themes", split_areas(x));
                else
                    json_object_set_new(item, c->key, x ? jtrim(x) : json_null());
            }
            if ((v = row_field(req, l, row, "sentence")))
                json_object_set_new(item, "sentence", json_string(v));
            json_array_append_new(items, item);
        }
        json_object_set_new(d, l->draft_key, items);
        if (themes)
            json_object_set_new(d, "topic_themes", themes);
    }
    json_object_set_new(d, "events", events ? events : json_array());
    /* The text rule for every field: one that is not text is refused, never dropped. */
    for (size_t i = 0; i < req->n_args && !err->code; i++)
        rt_text_check(req->args[i].key, req->args[i].value, strlen(req->args[i].value), err);
    return d;
}

/* The form field that an error from rt_readout_import names ("urged[1].themes" is
 * "u3_themes" when item 1 came from row 3), written to out; "" when none. */
static void error_field(const struct rt_error *err, const struct rowmap *map, char *out,
                        size_t size)
{
    static const struct {
        const char *draft, *key; /* draft list, and the key an item's own error means */
        size_t list;
    } names[] = {{"participants", "name", 0},   {"topics", "text", 1},
                 {"topic_themes", "themes", 1}, {"urged", "what", 2},
                 {"welcomed", "what", 3},       {"conditional_commitments", "then", 4}};
    const char *f = err && err->field ? err->field : "";
    const char *br = strchr(f, '[');

    out[0] = '\0';
    if (!br) {
        snprintf(out, size, "%s", f);
        return;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *end;
        unsigned long idx;
        const char *key;
        if (strlen(names[i].draft) != (size_t)(br - f) ||
            strncmp(f, names[i].draft, (size_t)(br - f)))
            continue;
        idx = strtoul(br + 1, &end, 10);
        if (*end != ']' || idx >= MAX_ROWS)
            return;
        key = end[1] == '.' ? end + 2 : names[i].key;
        snprintf(out, size, "%s%zu_%s", lists[names[i].list].prefix,
                 map ? map->rows[names[i].list][idx] : (size_t)idx, key);
        return;
    }
}

/* The value of column key for item i of a draft's list, into b. */
static void draft_value(struct rt_buf *b, const json_t *draft, const struct list *l, size_t i,
                        const char *key)
{
    const json_t *item = json_array_get(json_object_get(draft, l->draft_key), i), *v;
    const json_t *themes = NULL;
    size_t k;

    if (!strcmp(l->prefix, "t")) {
        if (!strcmp(key, "text")) {
            rt_buf_adds(b, json_string_value(item) ? json_string_value(item) : "");
            return;
        }
        themes =
            json_object_get(json_array_get(json_object_get(draft, "topic_themes"), i), "themes");
    } else if (!strcmp(key, "themes")) {
        themes = json_object_get(item, "themes");
    } else {
        rt_buf_adds(b, jstr(item, key) ? jstr(item, key) : "");
        return;
    }
    json_array_foreach(themes, k, v)
    {
        if (k)
            rt_buf_addch(b, ' ');
        rt_buf_adds(b, json_string_value(v) ? json_string_value(v) : "");
    }
}

static void alert(struct rt_buf *b, const char *what, const struct rt_error *err)
{
    RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>");
    rt_html_text(b, what);
    if (err->field) {
        rt_html_text(b, err->field);
        RT_HTML_LIT(b, ": ");
    }
    rt_html_text(b, err->msg.len ? err->msg.buf : rt_strerror(err->code));
    RT_HTML_LIT(b, "</strong></p>");
}

static void dialogue_select(struct rt_buf *b, struct rt_store *st, const char *chosen, int invalid)
{
    json_t *list = NULL, *d;
    size_t i;

    RT_HTML_LIT(b, "<p><label for=\"f-dialogue\">Dialogue (required to save)</label>"
                   "<select id=\"f-dialogue\" name=\"dialogue\"");
    if (invalid)
        RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
    RT_HTML_LIT(b, "><option value=\"\">(choose)</option>");
    if (rt_dialogue_list(st, &list, NULL) == 0) {
        json_array_foreach(list, i, d)
        {
            char id[32];
            snprintf(id, sizeof(id), "%lld",
                     (long long)json_integer_value(json_object_get(d, "id")));
            RT_HTML_LIT(b, "<option value=\"");
            rt_html_text(b, id);
            RT_HTML_LIT(b, "\"");
            if (chosen && !strcmp(chosen, id))
                RT_HTML_LIT(b, " selected");
            RT_HTML_LIT(b, ">");
            rt_html_text(b, jstr(d, "name"));
            RT_HTML_LIT(b, "</option>");
        }
    }
    json_decref(list);
    RT_HTML_LIT(b, "</select></p>");
}

static void text_input(struct rt_buf *b, const char *name, const char *label, const char *value,
                       const char *size, const char *bad)
{
    RT_HTML_LIT(b, "<p><label for=\"f-");
    rt_html_text(b, name);
    RT_HTML_LIT(b, "\">");
    rt_html_text(b, label);
    RT_HTML_LIT(b, "</label><input id=\"f-");
    rt_html_text(b, name);
    RT_HTML_LIT(b, "\" name=\"");
    rt_html_text(b, name);
    RT_HTML_LIT(b, "\" size=\"");
    rt_html_text(b, size);
    RT_HTML_LIT(b, "\" value=\"");
    rt_html_text(b, value);
    RT_HTML_LIT(b, "\"");
    if (bad && !strcmp(bad, name))
        RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
    RT_HTML_LIT(b, "></p>");
}

/* The first URL in the readout's first lines (its source line), or "". */
static void source_of(const char *text, char *out, size_t size)
{
    const char *p = text ? strstr(text, "http") : NULL;
    size_t n = 0;

    out[0] = '\0';
    if (!p || p - text > 2000 || (strncmp(p, "http://", 7) && strncmp(p, "https://", 8)))
        return;
    while (p[n] && !isspace((unsigned char)p[n]) && n + 1 < size)
        n++;
    snprintf(out, size, "%.*s", (int)n, p);
}

/* The theme areas and their codes, folded. */
static void area_list(struct rt_buf *b, struct rt_store *st)
{
    struct rt_theme_area *a = NULL;
    size_t n = 0;

    if (rt_store_theme_areas(st, &a, &n, NULL) < 0)
        return;
    RT_HTML_LIT(b, "<details><summary>Theme areas</summary><table><tbody>");
    for (size_t i = 0; i < n; i++) {
        RT_HTML_LIT(b, "<tr><td><code>");
        rt_html_text(b, a[i].code);
        RT_HTML_LIT(b, "</code></td><td>");
        rt_html_text(b, a[i].label);
        RT_HTML_LIT(b, "</td></tr>");
    }
    RT_HTML_LIT(b, "</tbody></table></details>");
    rt_theme_areas_free(a, n);
}

/* The review form: the draft in editable fields; err and bad mark a refused save;
 * skipped lists what a save would leave out (a second save confirms). */
/*
 * When no dialogue is chosen and none has the name the readout gives, the fields of a
 * new one, filled from the draft's name and sides (or as posted), and a button that
 * creates it and shows this draft again with it chosen (action=create_dialogue).
 */
static void create_dialogue_box(struct rt_buf *b, struct rt_store *st,
                                const struct rt_http_req *req, const json_t *draft,
                                const char *chosen, const char *bad)
{
    const char *name =
        field(req, "new_name") ? field(req, "new_name") : jstr(draft, "dialogue_name");
    const char *parties[16];
    size_t n = 0, i;
    int64_t id;
    const json_t *v;

    if (chosen || (name && rt_dialogue_find(st, name, &id, NULL) == 0))
        return;
    if (field(req, "new_name")) {
        for (i = 1; i <= 16; i++) {
            char key[24];
            snprintf(key, sizeof(key), "new_party%zu", i);
            if (field(req, key))
                parties[n++] = field(req, key);
        }
    } else {
        json_array_foreach(json_object_get(draft, "sides"), i, v)
        {
            if (n < 16 && json_string_value(v) && *json_string_value(v))
                parties[n++] = json_string_value(v);
        }
    }
    RT_HTML_LIT(b, "<fieldset id=\"create-dialogue\"><legend>The readout's dialogue is not "
                   "recorded yet</legend><p>Choose it above if it is recorded under another "
                   "name, or create it here from what the readout says; this draft stays as "
                   "it is, and you save the round after.</p>");
    rt_http_dialogue_fields(b, st, "new_", name, field(req, "new_kind"), parties, n,
                            bad && !strncmp(bad, "new_", 4) ? bad + 4 : NULL, 0);
    RT_HTML_LIT(b, "<p><button type=\"submit\" name=\"action\" value=\"create_dialogue\" "
                   "formnovalidate>Create this dialogue</button></p></fieldset>");
}

static void review_form(struct rt_buf *b, struct rt_store *st, const struct rt_http_req *req,
                        const json_t *draft, const struct rt_error *err, const char *bad,
                        const json_t *skipped, const char *chosen, const char *created)
{
    const char *text = rt_http_arg(req, "text");
    struct rt_buf val = RT_BUF_INIT;
    const json_t *v;
    char src[512];
    size_t i;

    html_begin(b, "Review the draft round");
    RT_HTML_LIT(b, "<h1>Review the draft round</h1><p>The parser read the readout below. "
                   "Check every field against it, correct what is wrong, add what it missed "
                   "(empty rows), clear a row to leave it out, then save. Themes are codes of "
                   "the theme areas (listed at the end), such as <code>expression</code> or "
                   "<code>political-prisoners</code>.</p>");
    if (err && err->code)
        alert(b, "Not saved: ", err);
    if (created) {
        RT_HTML_LIT(b, "<p role=\"status\" class=\"pos\" id=\"dialogue-created\">Created the "
                       "dialogue ");
        rt_html_text(b, created);
        RT_HTML_LIT(b, ". It is chosen below: check the draft and save the round.</p>");
    }
    if (jstr(draft, "notes")) {
        RT_HTML_LIT(b, "<p class=\"muted\">Parser's notes: ");
        rt_html_text(b, jstr(draft, "notes"));
        RT_HTML_LIT(b, "</p>");
    }
    RT_HTML_LIT(b, "<form method=\"post\" action=\"" PAGE "\" class=\"readout\">");
    rt_http_csrf_field(b);
    if (json_array_size(skipped)) {
        RT_HTML_LIT(b, "<div role=\"status\"><p><strong>Not saved yet: these items name a party "
                       "that is not known, and would be left out.</strong> Correct them, or save "
                       "again to leave them out.</p><ul>");
        json_array_foreach(skipped, i, v)
        {
            RT_HTML_LIT(b, "<li>");
            rt_html_text(b, jstr(v, "item"));
            RT_HTML_LIT(b, " &ldquo;");
            rt_html_text(b, jstr(v, "text"));
            RT_HTML_LIT(b, "&rdquo;: ");
            rt_html_text(b, jstr(v, "why"));
            RT_HTML_LIT(b, "</li>");
        }
        RT_HTML_LIT(b, "</ul><input type=\"hidden\" name=\"confirm\" value=\"1\"></div>");
    }
    dialogue_select(b, st, chosen, bad && !strcmp(bad, "dialogue"));
    create_dialogue_box(b, st, req, draft, chosen, bad);
    text_input(b, "date", "Date (for example 2015-08-22 or 2015-08; required)",
               jstr(draft, "date") ? jstr(draft, "date") : "", "12", bad);
    text_input(b, "place", "Place", jstr(draft, "place") ? jstr(draft, "place") : "", "24", bad);
    rt_buf_reset(&val);
    if (json_is_integer(json_object_get(draft, "round")))
        rt_buf_addf(&val, "%lld", (long long)json_integer_value(json_object_get(draft, "round")));
    else if (field(req, "round"))
        rt_buf_adds(&val, field(req, "round"));
    text_input(b, "round", "Round number (empty: the next)", val.buf, "6", bad);
    text_input(b, "dialogue_name", "Dialogue name, as the readout gives it (the round's summary)",
               jstr(draft, "dialogue_name") ? jstr(draft, "dialogue_name") : "", "50", bad);
    rt_buf_reset(&val);
    json_array_foreach(json_object_get(draft, "sides"), i, v)
    {
        if (i)
            rt_buf_adds(&val, "; ");
        rt_buf_adds(&val, json_string_value(v) ? json_string_value(v) : "");
    }
    text_input(b, "sides", "Sides (separated by ;)", val.buf, "40", bad);
    if (field(req, "source"))
        snprintf(src, sizeof(src), "%s", field(req, "source"));
    else
        source_of(text, src, sizeof(src));
    text_input(b, "source", "Source (where the readout was published)", src, "50", bad);

    for (size_t k = 0; k < N_LISTS; k++) {
        const struct list *l = &lists[k];
        size_t n = json_array_size(json_object_get(draft, l->draft_key));
        RT_HTML_LIT(b, "<h2>");
        rt_html_text(b, l->title);
        RT_HTML_LIT(b, "</h2><table><thead><tr>");
        for (const struct col *c = l->cols; c->key; c++) {
            RT_HTML_LIT(b, "<th scope=\"col\">");
            rt_html_text(b, c->label);
            RT_HTML_LIT(b, "</th>");
        }
        RT_HTML_LIT(b, "</tr></thead><tbody>");
        for (size_t row = 0; row < n + EXTRA_ROWS && row < MAX_ROWS; row++) {
            const json_t *item = json_array_get(json_object_get(draft, l->draft_key), row);
            RT_HTML_LIT(b, "<tr>");
            for (const struct col *c = l->cols; c->key; c++) {
                char name[64];
                snprintf(name, sizeof(name), "%s%zu_%s", l->prefix, row, c->key);
                rt_buf_reset(&val);
                if (row < n)
                    draft_value(&val, draft, l, row, c->key);
                RT_HTML_LIT(b, "<td><input id=\"f-");
                rt_html_text(b, name);
                RT_HTML_LIT(b, "\" name=\"");
                rt_html_text(b, name);
                RT_HTML_LIT(b, "\" aria-label=\"");
                rt_html_textf(b, "%s, row %zu", c->label, row + 1);
                RT_HTML_LIT(b, "\" size=\"");
                rt_html_text(b, c->size);
                RT_HTML_LIT(b, "\" value=\"");
                rt_html_text(b, val.buf);
                RT_HTML_LIT(b, "\"");
                if (bad && !strcmp(bad, name))
                    RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
                RT_HTML_LIT(b, "></td>");
            }
            RT_HTML_LIT(b, "</tr>");
            if (row < n && jstr(item, "sentence")) {
                if (!strcmp(l->prefix, "w")) { /* it finds the event again on saving */
                    RT_HTML_LIT(b, "<tr hidden><td><input type=\"hidden\" name=\"");
                    rt_html_textf(b, "w%zu_sentence", row);
                    RT_HTML_LIT(b, "\" value=\"");
                    rt_html_text(b, jstr(item, "sentence"));
                    RT_HTML_LIT(b, "\"></td></tr>");
                }
                RT_HTML_LIT(b, "<tr><td colspan=\"4\" class=\"muted\">from: &ldquo;");
                rt_html_text(b, jstr(item, "sentence"));
                RT_HTML_LIT(b, "&rdquo;</td></tr>");
            }
        }
        RT_HTML_LIT(b, "</tbody></table>");
    }
    area_list(b, st);
    RT_HTML_LIT(b, "<details><summary>The readout</summary><p><label for=\"f-text\">Text "
                   "(read again to start over from it)</label><textarea id=\"f-text\" "
                   "name=\"text\" rows=\"14\" cols=\"80\" readonly>\n");
    rt_html_text(b, text);
    RT_HTML_LIT(b, "</textarea></p></details><p><button type=\"submit\" name=\"action\" "
                   "value=\"save\">Save as a round</button> <button type=\"submit\" "
                   "name=\"action\" value=\"parse\">Read the readout again</button></p></form>");
    html_end(b);
    rt_buf_release(&val);
}

/* The first page: a text area to paste the readout into. */
static void paste_form(struct rt_buf *b, struct rt_store *st, const struct rt_http_req *req,
                       const struct rt_error *err)
{
    html_begin(b, "Record a round from a readout");
    RT_HTML_LIT(b, "<h1>Record a round from a readout</h1><p>Paste the text of a meeting's "
                   "readout (a press release, a joint statement). rightstrack drafts the round "
                   "from it: date, place, participants, topics, what was asked, welcomed and "
                   "promised. You review the draft before anything is saved.</p>");
    if (err && err->code)
        alert(b, "Could not read it: ", err);
    RT_HTML_LIT(b, "<form method=\"post\" action=\"" PAGE "\">");
    rt_http_csrf_field(b);
    dialogue_select(b, st, field(req, "dialogue"), 0);
    RT_HTML_LIT(b, "<p><label for=\"f-text\">Readout text (required)</label><textarea "
                   "id=\"f-text\" name=\"text\" rows=\"20\" cols=\"80\" required");
    if (err && err->code)
        RT_HTML_LIT(b, " aria-invalid=\"true\" autofocus");
    RT_HTML_LIT(b, ">\n");
    rt_html_text(b, rt_http_arg(req, "text"));
    RT_HTML_LIT(b, "</textarea></p><p><button type=\"submit\" name=\"action\" value=\"parse\">"
                   "Read the readout</button></p></form>");
    html_end(b);
}

static void html_resp(struct rt_http_resp *resp, int status)
{
    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
}

/* POST with action=save: the corrected draft into the ledger, or the form again. */
static void save(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rowmap *map = rt_xcalloc(1, sizeof(*map));
    const char *dlg = field(req, "dialogue");
    json_t *draft, *plan = NULL;
    int64_t dialogue = 0;
    char bad[80] = "", src[512];

    draft = form_draft(req, map, &err);
    if (err.code) {
        snprintf(bad, sizeof(bad), "%s", err.field ? err.field : "");
        goto refuse;
    }
    if (!dlg) {
        rt_error_set(&err, RT_EINVAL, NULL, 0, "dialogue", "choose the dialogue of the round");
        snprintf(bad, sizeof(bad), "dialogue");
        goto refuse;
    }
    if (rt_dialogue_find(st, dlg, &dialogue, &err) < 0) {
        snprintf(bad, sizeof(bad), "dialogue");
        goto refuse;
    }
    if (field(req, "source"))
        snprintf(src, sizeof(src), "%s", field(req, "source"));
    else
        snprintf(src, sizeof(src), "readout pasted in the web face");
    if (!field(req, "confirm")) {
        /* What would be left out is shown before anything is written. */
        if (rt_readout_import(st, draft, src, dialogue, RT_READOUT_DRY_RUN, &plan, &err) < 0) {
            error_field(&err, map, bad, sizeof(bad));
            goto refuse;
        }
        if (json_array_size(json_object_get(plan, "skipped"))) {
            html_resp(resp, 200);
            review_form(&resp->body, st, req, draft, NULL, NULL, json_object_get(plan, "skipped"),
                        dlg, NULL);
            goto out;
        }
        json_decref(plan);
        plan = NULL;
    }
    if (rt_readout_import(st, draft, src, dialogue, 0, &plan, &err) < 0) {
        error_field(&err, map, bad, sizeof(bad));
        goto refuse;
    }
    resp->status = 303;
    resp->content_type = "text/html; charset=utf-8";
    {
        /* The round's page, by its number in its dialogue. */
        json_t *r = NULL;
        rt_round_get(st, json_integer_value(json_object_get(plan, "round")), &r, NULL);
        snprintf(resp->location, sizeof(resp->location), "/dialogues/%lld/rounds/%lld",
                 (long long)dialogue, (long long)json_integer_value(json_object_get(r, "ordinal")));
        json_decref(r);
        /* The banner there names the round saved (pick.c). */
        rt_http_saved_location(resp, "round",
                               (long long)json_integer_value(json_object_get(plan, "round")));
        if (strlen(resp->location) + 10 < sizeof(resp->location)) /* and what came with it */
            memcpy(resp->location + strlen(resp->location), "&readout=1", 11);
    }
    rt_buf_reset(&resp->body);
    RT_HTML_LIT(&resp->body, "Saved.");
    goto out;
refuse:
    html_resp(resp, 422);
    review_form(&resp->body, st, req, draft, &err, bad, NULL, dlg, NULL);
out:
    json_decref(plan);
    json_decref(draft);
    rt_free(map);
    rt_error_release(&err);
}

/* The dialogue to choose for a fresh draft: the one asked for, else the one whose
 * name the readout gives, else none. */
static const char *chosen_dialogue(struct rt_store *st, const struct rt_http_req *req,
                                   const json_t *draft)
{
    static _Thread_local char id[32];
    const char *name = jstr(draft, "dialogue_name");
    int64_t found;

    if (field(req, "dialogue"))
        return field(req, "dialogue");
    if (!name || rt_dialogue_find(st, name, &found, NULL) < 0)
        return NULL;
    snprintf(id, sizeof(id), "%lld", (long long)found);
    return id;
}

/* POST with action=create_dialogue: the dialogue the draft's box describes, then the
 * draft again (as posted) with it chosen; or the draft with what was wrong. */
static void create_dialogue(struct rt_store *st, const struct rt_http_req *req,
                            struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT, ferr = RT_ERROR_INIT;
    struct rowmap *map = rt_xcalloc(1, sizeof(*map));
    json_t *draft = form_draft(req, map, &ferr), *d = NULL;
    int64_t id = 0;
    char chosen[32], bad[32];

    if (!draft)
        draft = json_object();
    if (rt_http_dialogue_create(st, req, "new_", &id, &err) < 0) {
        snprintf(bad, sizeof(bad), "new_%s", err.field ? err.field : "name");
        html_resp(resp, err.code == RT_EEXIST ? 409 : 422);
        review_form(&resp->body, st, req, draft, &err, bad, NULL, NULL, NULL);
    } else {
        snprintf(chosen, sizeof(chosen), "%lld", (long long)id);
        rt_dialogue_get(st, id, &d, NULL);
        html_resp(resp, 200);
        review_form(&resp->body, st, req, draft, NULL, NULL, NULL, chosen,
                    jstr(d, "name") ? jstr(d, "name") : chosen);
    }
    json_decref(d);
    json_decref(draft);
    rt_free(map);
    rt_error_release(&err);
    rt_error_release(&ferr);
}

int rt_http_readout_page(struct rt_store *st, const struct rt_http_req *req,
                         struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *action, *text;
    json_t *draft = NULL;

    if (strcmp(req->path, PAGE))
        return 0;
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) {
        html_resp(resp, 200);
        paste_form(&resp->body, st, req, NULL);
        return 1;
    }
    if (strcmp(req->method, "POST")) {
        html_resp(resp, 405);
        resp->allow = "GET, HEAD, POST";
        html_begin(&resp->body, "Not allowed");
        RT_HTML_LIT(&resp->body, "<h1>This page takes GET and POST only</h1>");
        html_end(&resp->body);
        return 1;
    }
    if (req->n_args >= sizeof(req->args) / sizeof(req->args[0])) {
        rt_error_set(&err, RT_ETOOBIG, NULL, 0, NULL,
                     "the form has more fields than the server takes (%zu): save fewer rows",
                     sizeof(req->args) / sizeof(req->args[0]));
        html_resp(resp, 413);
        paste_form(&resp->body, st, req, &err);
        goto out;
    }
    action = rt_http_arg(req, "action");
    if (action && !strcmp(action, "save")) {
        save(st, req, resp);
        goto out;
    }
    if (action && !strcmp(action, "create_dialogue")) {
        create_dialogue(st, req, resp);
        goto out;
    }
    text = rt_http_arg(req, "text");
    if (rt_readout_parse(text ? text : "", text ? strlen(text) : 0, NULL, RT_READOUT_EVIDENCE,
                         &draft, &err) < 0) {
        html_resp(resp, err.code == RT_ETOOBIG ? 413 : 422);
        paste_form(&resp->body, st, req, &err);
        goto out;
    }
    html_resp(resp, 200);
    review_form(&resp->body, st, req, draft, NULL, NULL, NULL, chosen_dialogue(st, req, draft),
                NULL);
out:
    json_decref(draft);
    rt_error_release(&err);
    return 1;
}

/* ---------------------------------------------------------------------------------- */
/* The API. */

void rt_http_readout_parse_api(const struct rt_http_req *req, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *ev = rt_http_arg(req, "evidence");
    unsigned flags = ev && (!strcmp(ev, "1") || !strcmp(ev, "true")) ? RT_READOUT_EVIDENCE : 0;
    json_t *body = NULL, *draft = NULL;
    const char *text = NULL, *name = NULL;
    size_t len = 0;

    if (rt_http_media_is(req->content_type, "text/plain")) {
        text = req->body;
        len = req->body_len;
    } else if (rt_http_media_is(req->content_type, "application/json")) {
        json_error_t jerr;
        body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(body) || !json_is_string(json_object_get(body, "text"))) {
            rt_http_error(resp, 422, "invalid", "text",
                          "send {\"text\": \"the readout\"} (or the text as text/plain)");
            goto out;
        }
        text = json_string_value(json_object_get(body, "text"));
        len = json_string_length(json_object_get(body, "text"));
        name = jstr(body, "name");
    } else {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      "send the readout as text/plain, or as application/json {\"text\"}");
        goto out;
    }
    if (rt_readout_parse(text ? text : "", len, name, flags, &draft, &err) < 0)
        rt_http_fail(resp, &err);
    else
        rt_http_json(resp, 200, draft);
out:
    json_decref(body);
    rt_error_release(&err);
}

void rt_http_readout_save_api(struct rt_store *st, const struct rt_http_req *req,
                              int64_t dialogue_id, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *dry = rt_http_arg(req, "dry_run");
    int is_dry = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
    json_error_t jerr;
    json_t *draft, *plan = NULL, *d = NULL;
    const char *source;

    if (!rt_http_media_is(req->content_type, "application/json")) {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      "send the draft as application/json");
        return;
    }
    draft = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!draft) {
        rt_http_error(resp, 422, "bad_json", NULL, "the body is not JSON (line %d, column %d: %s)",
                      jerr.line, jerr.column, jerr.text);
        return;
    }
    /* What the round cites: ?source=, else the draft's "source", else its file. */
    source = rt_http_arg(req, "source");
    if (!source || !*source)
        source = jstr(draft, "source");
    if (!source || !*source)
        source = jstr(draft, "file") ? jstr(draft, "file") : "web API";
    if (rt_dialogue_get(st, dialogue_id, &d, &err) < 0 ||
        rt_readout_import(st, draft, source, dialogue_id, is_dry ? RT_READOUT_DRY_RUN : 0, &plan,
                          &err) < 0)
        rt_http_fail(resp, &err);
    else
        rt_http_json(resp, is_dry ? 200 : 201, plan);
    json_decref(d);
    json_decref(draft);
    rt_error_release(&err);
}

/* ---------------------------------------------------------------------------------- */
/* On the round page. */

void rt_http_area_tags(struct rt_buf *b, const json_t *areas)
{
    const json_t *v;
    size_t i;

    json_array_foreach(areas, i, v)
    {
        const char *label = rt_theme_area_label(json_string_value(v));
        RT_HTML_LIT(b, " <span class=\"tag\">");
        rt_html_text(b, label ? label : json_string_value(v));
        RT_HTML_LIT(b, "</span>");
    }
}

void rt_http_round_links(struct rt_store *st, struct rt_buf *b, const json_t *round)
{
    const json_t *linked = json_object_get(round, "linked_recommendations");
    const json_t *states = json_object_get(linked, "states"), *v, *s;
    size_t i, k;

    if (!json_is_object(linked))
        return;
    RT_HTML_LIT(b, "<h2>Recommendations on the same themes</h2><p id=\"linked\">");
    rt_html_textf(b, "%lld", (long long)json_integer_value(json_object_get(linked, "count")));
    RT_HTML_LIT(b, " recommendations to ");
    if (!json_array_size(states))
        RT_HTML_LIT(b, "no state");
    json_array_foreach(states, i, s)
    {
        if (i)
            RT_HTML_LIT(b, ", ");
        rt_http_party_text(st, b, json_string_value(s));
    }
    RT_HTML_LIT(b, " on the themes of this round's topics and asks.</p><ul>");
    json_array_foreach(json_object_get(linked, "areas"), i, v)
    {
        RT_HTML_LIT(b, "<li>");
        rt_html_text(b, jstr(v, "label"));
        RT_HTML_LIT(b, ": ");
        rt_html_textf(b, "%lld", (long long)json_integer_value(json_object_get(v, "count")));
        json_array_foreach(states, k, s)
        {
            RT_HTML_LIT(b, " <a href=\"/search?sur=");
            rt_html_url_arg(b, json_string_value(s));
            RT_HTML_LIT(b, "&amp;theme=");
            rt_html_url_arg(b, jstr(v, "code"));
            RT_HTML_LIT(b, "\">search ");
            rt_http_party_text(st, b, json_string_value(s)); /* Belarus, not BLR */
            RT_HTML_LIT(b, "</a>");
        }
        RT_HTML_LIT(b, "</li>");
    }
    RT_HTML_LIT(b, "</ul>");
}
