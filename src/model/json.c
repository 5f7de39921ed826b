/* JSON shapes of model values, one for the CLI and the API alike. */
#include "base/compat.h"

#include <rightstrack/json.h>

static json_t *int_or_null(int64_t v)
{
    return v ? json_integer(v) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *rt_rec_to_json(const struct rt_rec *r, int detail)
{
    json_t *o = json_object(), *names = json_array(), *codes = json_array(), *themes = json_array();

    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "mechanism", str_or_null(r->mechanism));
    json_object_set_new(o, "cycle", int_or_null(r->cycle));
    json_object_set_new(o, "session", int_or_null(r->session));
    json_object_set_new(o, "paragraph", str_or_null(r->paragraph));
    json_object_set_new(o, "text", json_string(r->text ? r->text : ""));
    json_object_set_new(o, "state_under_review", str_or_null(r->sur.name));
    json_object_set_new(o, "state_under_review_code", json_string(r->sur.code));
    for (size_t i = 0; i < r->n_by; i++) {
        json_array_append_new(names, json_string(r->by[i].name));
        json_array_append_new(codes, json_string(r->by[i].code));
    }
    json_object_set_new(o, "recommending_states", names);
    json_object_set_new(o, "recommending_state_codes", codes);
    json_object_set_new(o, "response", json_string(rt_response_name(r->response)));
    json_object_set_new(o, "action_category", int_or_null(r->action_category));
    json_object_set_new(o, "action_category_origin",
                        r->action_category ? str_or_null(r->action_category_origin) : json_null());
    json_object_set_new(o, "action_category_confidence",
                        r->action_category && r->action_category_origin
                            ? json_real(r->action_category_confidence)
                            : json_null());
    for (size_t i = 0; i < r->n_themes; i++) {
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= !strcmp(r->themes[k].label, r->themes[i].label);
        if (!dup)
            json_array_append_new(themes, json_string(r->themes[i].label));
    }
    json_object_set_new(o, "themes", themes);
    if (detail) {
        json_t *tags = json_array();
        for (size_t i = 0; i < r->n_themes; i++)
            json_array_append_new(tags, json_pack("{s:s, s:s, s:s, s:f}", "vocabulary",
                                                  r->themes[i].vocabulary, "label",
                                                  r->themes[i].label, "origin", r->themes[i].origin,
                                                  "confidence", r->themes[i].confidence));
        json_object_set_new(o, "theme_tags", tags);
        json_t *sources = json_array();
        int disagree = 0;
        json_object_set_new(o, "source", str_or_null(r->source_path));
        for (size_t i = 0; i < r->n_sources; i++) {
            const struct rt_rec_source *s = &r->sources[i];
            json_array_append_new(sources,
                                  json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)s->id, "kind",
                                            s->kind, "file", str_or_null(s->path), "response",
                                            rt_response_name(s->response)));
            disagree |= s->response != r->sources[0].response;
        }
        json_object_set_new(o, "sources", sources);
        json_object_set_new(o, "sources_disagree", json_boolean(disagree));
        json_object_set_new(o, "election",
                            r->election
                                ? json_pack("{s:s, s:o, s:o, s:b}", "election", r->election, "date",
                                            str_or_null(r->election_date), "report_date",
                                            str_or_null(r->report_date), "priority", r->priority)
                                : json_null());
        json_object_set_new(o, "created_at", str_or_null(r->created_at));
    }
    return o;
}

json_t *rt_search_result_to_json(const struct rt_search_result *res, int64_t limit, int64_t offset)
{
    json_t *o = json_object(), *hits = json_array(), *facets = json_object();

    json_object_set_new(o, "total", json_integer(res->total));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "offset", json_integer(offset));
    for (size_t i = 0; i < res->n_hits; i++)
        json_array_append_new(hits, rt_rec_to_json(&res->hits[i], 0));
    json_object_set_new(o, "hits", hits);
    for (size_t f = 0; f < res->n_facets; f++) {
        json_t *counts = json_object();
        for (size_t i = 0; i < res->facets[f].n; i++)
            json_object_set_new(counts, res->facets[f].counts[i].key,
                                json_integer(res->facets[f].counts[i].n));
        json_object_set_new(facets, res->facets[f].name, counts);
    }
    json_object_set_new(o, "facets", facets);
    return o;
}

json_t *rt_stats_to_json(const struct rt_stats *s)
{
    json_t *o = json_object(), *resp = json_object(), *cyc = json_object();

    json_object_set_new(o, "recommendations", json_integer(s->recommendations));
    json_object_set_new(o, "states_under_review", json_integer(s->states_under_review));
    json_object_set_new(o, "recommending_states", json_integer(s->recommending_states));
    json_object_set_new(resp, "supported", json_integer(s->by_response[RT_RESPONSE_SUPPORTED]));
    json_object_set_new(resp, "noted", json_integer(s->by_response[RT_RESPONSE_NOTED]));
    json_object_set_new(resp, "pledge", json_integer(s->by_response[RT_RESPONSE_PLEDGE]));
    json_object_set_new(resp, "pending", json_integer(s->by_response[RT_RESPONSE_PENDING]));
    json_object_set_new(o, "by_response", resp);
    for (size_t i = 0; i < s->n_by_cycle; i++)
        json_object_set_new(cyc, s->by_cycle[i].key, json_integer(s->by_cycle[i].n));
    json_object_set_new(o, "by_cycle", cyc);
    json_object_set_new(o, "no_cycle", json_integer(s->no_cycle));
    json_object_set_new(o, "sources", json_integer(s->sources));
    json_object_set_new(o, "themes", json_integer(s->themes));
    return o;
}

/*
 * The search result written straight to bytes, as json_dump_callback writes the
 * document of rt_search_result_to_json with JSON_INDENT(1) | JSON_PRESERVE_ORDER
 * (jansson 2.14's dump.c: the same indentation, separators and escapes), without
 * building the document first.
 */
struct jw {
    struct rt_buf *out;
    int depth;
    int first; /* nothing in the array or object just opened yet */
    int bad;   /* a string jansson would refuse (not UTF-8): the caller falls back */
    /* The last real written and jansson's bytes for it (a page's are mostly one). */
    double real;
    char real_text[64];
    size_t real_len; /* 0: none yet */
};

/* Bytes of the UTF-8 character at s (n bytes left), or 0 when jansson refuses it. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k;
    uint32_t v;

    if (s[0] < 0x80)
        return 1;
    if (s[0] < 0xC2)
        return 0;
    k = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF5 ? 4 : 0;
    if (!k || k > n)
        return 0;
    v = s[0] & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if ((k == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (k == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    return k;
}

/*
 * Are the 8 bytes of v all printable ASCII other than '"' and '\\' (bytes a JSON
 * string holds as they are)? The tests of "Bit Twiddling Hacks" for a byte of 0x80
 * or more, one below 0x20, and one equal to '"' or '\\'.
 */
static int plain8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = v ^ (ones * '"'), slash = v ^ (ones * '\\');

    return !(
        (v | ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) &
        highs);
}

/* One byte; the buffer's room is made before (rt_buf_grow) when it can be. */
static void jw_ch(struct jw *w, char c)
{
    struct rt_buf *b = w->out;

    if (b->len + 1 < b->cap) {
        b->buf[b->len++] = c;
        b->buf[b->len] = '\0';
    } else {
        rt_buf_addch(b, c);
    }
}

/*
 * A string, escaped as jansson escapes it: '"', '\\' and the bytes below 0x20; all
 * else, 0x7F and UTF-8 included, as it is. Runs of bytes that need nothing are copied
 * whole; only bytes from 0x80 up are checked as UTF-8.
 */
static void jw_string(struct jw *w, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str), i = 0, from = 0;

    rt_buf_grow(w->out, n + 2);
    jw_ch(w, '"');
    while (i < n) {
        unsigned char c = s[i];
        const char *esc;
        char u[8];

        if (n - i >= 8) { /* most of a text is plain: eight bytes at a time */
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (plain8(v)) {
                i += 8;
                continue;
            }
        }
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_len(s + i, n - i);
            if (!k) {
                w->bad = 1;
                return;
            }
            i += k;
            continue;
        }
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            snprintf(u, sizeof(u), "\\u%04X", c);
            esc = u;
        }
        rt_buf_add(w->out, s + from, i - from);
        rt_buf_adds(w->out, esc);
        from = ++i;
    }
    rt_buf_add(w->out, s + from, n - from);
    jw_ch(w, '"');
}

static const char spaces[] = "                                ";

/* A new line and the indentation of depth. */
static void jw_line(struct jw *w)
{
    int d = w->depth;

    jw_ch(w, '\n');
    for (; d > (int)sizeof(spaces) - 1; d -= (int)sizeof(spaces) - 1)
        rt_buf_add(w->out, spaces, sizeof(spaces) - 1);
    rt_buf_add(w->out, spaces, (size_t)d);
}

/* Before a value or a key: the comma and the new line with its indentation. */
static void jw_next(struct jw *w)
{
    if (!w->first)
        jw_ch(w, ',');
    w->first = 0;
    jw_line(w);
}

static void jw_key(struct jw *w, const char *key)
{
    jw_next(w);
    jw_string(w, key);
    rt_buf_add(w->out, ": ", 2);
}

static void jw_open(struct jw *w, char c)
{
    jw_ch(w, c);
    w->depth++;
    w->first = 1;
}

static void jw_close(struct jw *w, char c)
{
    w->depth--;
    if (!w->first) /* empty: "[]" and "{}" as jansson writes them */
        jw_line(w);
    w->first = 0;
    jw_ch(w, c);
}

static void jw_int(struct jw *w, int64_t v)
{
    char num[24], *p = num + sizeof(num);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    rt_buf_add(w->out, p, (size_t)(num + sizeof(num) - p));
}

static void jw_int_or_null(struct jw *w, int64_t v)
{
    if (v)
        jw_int(w, v);
    else
        rt_buf_add(w->out, "null", 4);
}

static void jw_str_or_null(struct jw *w, const char *s)
{
    if (s)
        jw_string(w, s);
    else
        rt_buf_add(w->out, "null", 4);
}

/* A real as jansson writes it: through jansson itself, unless it is the last one. */
static void jw_real(struct jw *w, double v)
{
    json_t *j;
    size_t n;

    if (w->real_len && !memcmp(&w->real, &v, sizeof(v))) {
        rt_buf_add(w->out, w->real_text, w->real_len);
        return;
    }
    j = json_real(v);
    n = j ? json_dumpb(j, w->real_text, sizeof(w->real_text), JSON_ENCODE_ANY) : 0;
    json_decref(j);
    if (n > 0 && n < sizeof(w->real_text)) {
        rt_buf_add(w->out, w->real_text, n);
        w->real = v;
        w->real_len = n;
    } else {
        w->real_len = 0;
        w->bad = 1;
    }
}

static void jw_rec(struct jw *w, const struct rt_rec *r)
{
    jw_open(w, '{');
    jw_key(w, "id");
    jw_int(w, r->id);
    jw_key(w, "mechanism");
    jw_str_or_null(w, r->mechanism);
    jw_key(w, "cycle");
    jw_int_or_null(w, r->cycle);
    jw_key(w, "session");
    jw_int_or_null(w, r->session);
    jw_key(w, "paragraph");
    jw_str_or_null(w, r->paragraph);
    jw_key(w, "text");
    jw_string(w, r->text ? r->text : "");
    jw_key(w, "state_under_review");
    jw_str_or_null(w, r->sur.name);
    jw_key(w, "state_under_review_code");
    jw_string(w, r->sur.code);
    jw_key(w, "recommending_states");
    jw_open(w, '[');
    for (size_t i = 0; i < r->n_by; i++) {
        jw_next(w);
        jw_string(w, r->by[i].name);
    }
    jw_close(w, ']');
    jw_key(w, "recommending_state_codes");
    jw_open(w, '[');
    for (size_t i = 0; i < r->n_by; i++) {
        jw_next(w);
        jw_string(w, r->by[i].code);
    }
    jw_close(w, ']');
    jw_key(w, "response");
    jw_string(w, rt_response_name(r->response));
    jw_key(w, "action_category");
    jw_int_or_null(w, r->action_category);
    jw_key(w, "action_category_origin");
    jw_str_or_null(w, r->action_category ? r->action_category_origin : NULL);
    jw_key(w, "action_category_confidence");
    if (r->action_category && r->action_category_origin)
        jw_real(w, r->action_category_confidence);
    else
        rt_buf_add(w->out, "null", 4);
    jw_key(w, "themes");
    jw_open(w, '[');
    for (size_t i = 0; i < r->n_themes; i++) {
        int dup = 0;
        for (size_t k = 0; k < i; k++)
            dup |= !strcmp(r->themes[k].label, r->themes[i].label);
        if (!dup) {
            jw_next(w);
            jw_string(w, r->themes[i].label);
        }
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Are the keys of fc all different? (Sorted, not compared each with each: a facet of
 * states has some 190 keys.) */
static int keys_distinct(const struct rt_facet *fc)
{
    const char **k;
    int ok = 1;

    if (fc->n < 2)
        return 1;
    k = rt_xmalloc(fc->n * sizeof(*k));
    for (size_t i = 0; i < fc->n; i++)
        k[i] = fc->counts[i].key;
    qsort(k, fc->n, sizeof(*k), cmp_key);
    for (size_t i = 1; i < fc->n && ok; i++)
        ok = strcmp(k[i - 1], k[i]) != 0;
    rt_free(k);
    return ok;
}

int rt_search_result_write_json(const struct rt_search_result *res, int64_t limit, int64_t offset,
                                struct rt_buf *out)
{
    struct jw w = {.out = out, .first = 1};
    size_t start = out->len, room = 256;

    for (size_t i = 0; i < res->n_hits; i++) {
        const struct rt_rec *r = &res->hits[i];
        for (size_t k = 0; k < r->n_by; k++)
            if (!r->by[k].name)
                return -1; /* json_string(NULL): jansson leaves the item out */
        for (size_t k = 0; k < r->n_themes; k++)
            if (!r->themes[k].label)
                return -1;
    }
    /* Room for it all at once, roughly: no copy as the buffer grows. */
    for (size_t i = 0; i < res->n_hits; i++)
        room += 640 + (res->hits[i].text ? strlen(res->hits[i].text) : 0) +
                80 * (res->hits[i].n_by + res->hits[i].n_themes);
    for (size_t f = 0; f < res->n_facets; f++)
        room += 64 + 32 * res->facets[f].n;
    rt_buf_grow(out, room);
    jw_open(&w, '{');
    jw_key(&w, "total");
    jw_int(&w, res->total);
    jw_key(&w, "limit");
    jw_int(&w, limit);
    jw_key(&w, "offset");
    jw_int(&w, offset);
    jw_key(&w, "hits");
    jw_open(&w, '[');
    for (size_t i = 0; i < res->n_hits && !w.bad; i++) {
        jw_next(&w);
        jw_rec(&w, &res->hits[i]);
    }
    jw_close(&w, ']');
    jw_key(&w, "facets");
    jw_open(&w, '{');
    for (size_t f = 0; f < res->n_facets && !w.bad; f++) {
        const struct rt_facet *fc = &res->facets[f];
        for (size_t i = 0; i < res->n_facets; i++)
            if (i != f && !strcmp(res->facets[i].name, fc->name))
                w.bad = 1; /* a key twice: jansson keeps the last value in the first place */
        if (!w.bad && !keys_distinct(fc))
            w.bad = 1;
        jw_key(&w, fc->name);
        jw_open(&w, '{');
        for (size_t i = 0; i < fc->n && !w.bad; i++) {
            jw_key(&w, fc->counts[i].key);
            jw_int(&w, fc->counts[i].n);
        }
        jw_close(&w, '}');
    }
    jw_close(&w, '}');
    jw_close(&w, '}');
    if (w.bad) {
        out->len = start;
        if (out->cap)
            out->buf[start] = '\0';
        return -1;
    }
    return 0;
}
