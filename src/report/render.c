/*
 * Rendering a report document as Markdown or HTML. The sections are written once,
 * against a handful of output primitives (struct out); each format supplies its own.
 * Charts are drawn in HTML only: Markdown gives the same figures as tables and lists.
 */
#include "base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rightstrack/html.h>
#include <rightstrack/readout.h>
#include <rightstrack/report.h>

#include "report/report_int.h"

#define STR rt__report_str

struct out;
struct format {
    void (*begin)(struct out *o, const char *title);
    void (*end)(struct out *o);
    void (*heading)(struct out *o, int level, const char *text);
    void (*para_begin)(struct out *o);
    void (*para_end)(struct out *o);
    void (*list_begin)(struct out *o);
    void (*item_begin)(struct out *o);
    void (*item_end)(struct out *o);
    void (*list_end)(struct out *o);
    void (*text)(struct out *o, const char *s); /* escaped for the format */
    void (*strong)(struct out *o, const char *s);
    void (*row)(struct out *o, const char *const *cells, size_t n, int header);
    void (*table_end)(struct out *o);
};

struct out {
    const struct format *f;
    struct rt_buf *b;
    json_t *doc;
    int html;
};

/* ---- Markdown ---------------------------------------------------------------- */

static void md_text(struct out *o, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\n' || *s == '\r')
            rt_buf_addch(o->b, ' ');
        else if (strchr("\\`*_[]<>|#", *s)) {
            rt_buf_addch(o->b, '\\');
            rt_buf_addch(o->b, *s);
        } else
            rt_buf_addch(o->b, *s);
    }
}

static void md_begin(struct out *o, const char *title)
{
    rt_buf_adds(o->b, "# ");
    md_text(o, title);
    rt_buf_adds(o->b, "\n\n");
}

static void md_end(struct out *o)
{
    (void)o;
}

static void md_heading(struct out *o, int level, const char *text)
{
    rt_buf_adds(o->b, level == 2 ? "## " : "### ");
    md_text(o, text);
    rt_buf_adds(o->b, "\n\n");
}

static void md_para_begin(struct out *o)
{
    (void)o;
}
static void md_para_end(struct out *o)
{
    rt_buf_adds(o->b, "\n\n");
}
static void md_list_begin(struct out *o)
{
    (void)o;
}
static void md_item_begin(struct out *o)
{
    rt_buf_adds(o->b, "- ");
}
static void md_item_end(struct out *o)
{
    rt_buf_addch(o->b, '\n');
}
static void md_list_end(struct out *o)
{
    rt_buf_addch(o->b, '\n');
}

static void md_strong(struct out *o, const char *s)
{
    rt_buf_adds(o->b, "**");
    md_text(o, s);
    rt_buf_adds(o->b, "**");
}

static void md_row(struct out *o, const char *const *cells, size_t n, int header)
{
    for (size_t i = 0; i < n; i++) {
        rt_buf_adds(o->b, "| ");
        md_text(o, cells[i]);
        rt_buf_addch(o->b, ' ');
    }
    rt_buf_adds(o->b, "|\n");
    if (header) {
        for (size_t i = 0; i < n; i++)
            rt_buf_adds(o->b, "| --- ");
        rt_buf_adds(o->b, "|\n");
    }
}

static void md_table_end(struct out *o)
{
    rt_buf_addch(o->b, '\n');
}

static const struct format markdown = {
    md_begin,    md_end,      md_heading, md_para_begin, md_para_end, md_list_begin, md_item_begin,
    md_item_end, md_list_end, md_text,    md_strong,     md_row,      md_table_end,
};

/* ---- HTML ---------------------------------------------------------------------- */

static void h_text(struct out *o, const char *s)
{
    rt_html_text(o->b, s);
}

static void h_begin(struct out *o, const char *title)
{
    RT_HTML_LIT(o->b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, "</title><style>"
                      "body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;margin:0 auto;"
                      "max-width:50rem;padding:1rem}h1{font-size:1.5rem;margin:0 0 .3rem}"
                      "h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin:1.5rem 0 .5rem}"
                      "h3{font-size:1rem;margin:1rem 0 .3rem}ul{padding-left:1.2rem}"
                      "li{margin:.15rem 0}table{border-collapse:collapse;margin:.5rem 0}"
                      "td,th{padding:.15rem .5rem;text-align:left;vertical-align:top;"
                      "border-bottom:1px solid #ddd}sup{color:#555}figure{margin:.5rem 0}"
                      "figcaption{font-size:.85rem;color:#555}svg{max-width:100%;height:auto}"
                      "@page{size:A4;margin:16mm 14mm}"
                      "@media print{body{max-width:none;padding:0;font-size:10.5pt}"
                      "h2{break-after:avoid}li,tr,figure{break-inside:avoid}}"
                      "</style></head><body>\n<h1>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, "</h1>\n");
}

static void h_end(struct out *o)
{
    RT_HTML_LIT(o->b, "</body></html>\n");
}

static void h_heading(struct out *o, int level, const char *text)
{
    if (level == 2)
        RT_HTML_LIT(o->b, "<h2>");
    else
        RT_HTML_LIT(o->b, "<h3>");
    rt_html_text(o->b, text);
    if (level == 2)
        RT_HTML_LIT(o->b, "</h2>\n");
    else
        RT_HTML_LIT(o->b, "</h3>\n");
}

static void h_para_begin(struct out *o)
{
    RT_HTML_LIT(o->b, "<p>");
}
static void h_para_end(struct out *o)
{
    RT_HTML_LIT(o->b, "</p>\n");
}
static void h_list_begin(struct out *o)
{
    RT_HTML_LIT(o->b, "<ul>\n");
}
static void h_item_begin(struct out *o)
{
    RT_HTML_LIT(o->b, "<li>");
}
static void h_item_end(struct out *o)
{
    RT_HTML_LIT(o->b, "</li>\n");
}
static void h_list_end(struct out *o)
{
    RT_HTML_LIT(o->b, "</ul>\n");
}

static void h_strong(struct out *o, const char *s)
{
    RT_HTML_LIT(o->b, "<strong>");
    rt_html_text(o->b, s);
    RT_HTML_LIT(o->b, "</strong>");
}

static void h_row(struct out *o, const char *const *cells, size_t n, int header)
{
    if (header)
        RT_HTML_LIT(o->b, "<table><thead>");
    RT_HTML_LIT(o->b, "<tr>");
    for (size_t i = 0; i < n; i++) {
        if (header)
            RT_HTML_LIT(o->b, "<th>");
        else
            RT_HTML_LIT(o->b, "<td>");
        rt_html_text(o->b, cells[i]);
        if (header)
            RT_HTML_LIT(o->b, "</th>");
        else
            RT_HTML_LIT(o->b, "</td>");
    }
    RT_HTML_LIT(o->b, "</tr>");
    if (header)
        RT_HTML_LIT(o->b, "</thead><tbody>");
    RT_HTML_LIT(o->b, "\n");
}

static void h_table_end(struct out *o)
{
    RT_HTML_LIT(o->b, "</tbody></table>\n");
}

static const struct format html = {
    h_begin,    h_end,      h_heading, h_para_begin, h_para_end, h_list_begin, h_item_begin,
    h_item_end, h_list_end, h_text,    h_strong,     h_row,      h_table_end,
};

/* ---- Shared pieces ------------------------------------------------------------- */

static void textf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(struct out *o, const char *fmt, ...)
{
    struct rt_buf t = RT_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    rt_buf_vaddf(&t, fmt, ap);
    va_end(ap);
    o->f->text(o, t.buf);
    rt_buf_release(&t);
}

static long long num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* "not-started" as "not started", in buf. */
static const char *words(const char *s, char buf[64])
{
    size_t i = 0;
    for (; s && s[i] && i < 63; i++)
        buf[i] = s[i] == '-' ? ' ' : s[i];
    buf[i] = 0;
    return buf;
}

/* A theme as people read it: an area's label for its code, else the theme as typed. */
static const char *theme_label(const char *theme)
{
    const char *label = theme ? rt_theme_area_label(theme) : NULL;
    return label ? label : theme ? theme : "?";
}

/* " [n]" when o cites a source. */
static void cite(struct out *o, const json_t *v)
{
    json_t *n = json_object_get(v, "cite");
    if (!json_is_integer(n))
        return;
    if (o->html) {
        RT_HTML_LIT(o->b, " <sup><a href=\"#source-");
        rt_html_textf(o->b, "%lld", (long long)json_integer_value(n));
        RT_HTML_LIT(o->b, "\">[");
        rt_html_textf(o->b, "%lld", (long long)json_integer_value(n));
        RT_HTML_LIT(o->b, "]</a></sup>");
    } else {
        rt_buf_addf(o->b, " [%lld]", (long long)json_integer_value(n));
    }
}

/* A party's name from the brief's dialogue, or the code itself. */
static const char *party_name(const struct out *o, const char *code)
{
    json_t *p;
    size_t i;

    json_array_foreach(json_object_get(json_object_get(o->doc, "dialogue"), "parties"), i,
                       p) if (code && !strcmp(STR(p, "code"), code)) return STR(p, "name");
    p = json_object_get(o->doc, "state"); /* a country profile */
    if (code && p && !strcmp(STR(p, "code"), code))
        return STR(p, "name");
    return code ? code : "?";
}

/*
 * A reference of the ledger ("ask:7", "rec:14") as a reader names it, in out: an ask
 * by its place in its round ("ask 1 of round 2"), a recommendation by its number.
 */
static const char *ref_words(const struct out *o, const char *ref, char out[96])
{
    static const char *const lists[] = {"asks_open", "asks_closed"};
    const char *colon = ref ? strchr(ref, ':') : NULL;
    json_t *a;
    size_t i;

    if (!colon) {
        snprintf(out, 96, "%s", ref ? ref : "?");
        return out;
    }
    if (!strncmp(ref, "ask:", 4)) {
        for (int l = 0; l < 2; l++)
            json_array_foreach(json_object_get(o->doc, lists[l]), i, a)
            {
                char id[32];
                snprintf(id, sizeof(id), "%lld",
                         (long long)json_integer_value(json_object_get(a, "id")));
                if (!strcmp(id, colon + 1)) {
                    snprintf(out, 96, "ask %lld of round %lld",
                             (long long)json_integer_value(json_object_get(a, "number")),
                             (long long)json_integer_value(json_object_get(a, "round_ordinal")));
                    return out;
                }
            }
        snprintf(out, 96, "an ask");
    } else if (!strncmp(ref, "rec:", 4) || !strncmp(ref, "recommendation:", 15)) {
        snprintf(out, 96, "a recommendation"); /* never its row id (named where known) */
    } else if (!strncmp(ref, "benchmark:", 10)) {
        json_array_foreach(json_object_get(o->doc, "benchmarks"), i, a)
        {
            if (json_integer_value(json_object_get(a, "id")) == strtoll(colon + 1, NULL, 10)) {
                size_t n;
                snprintf(out, 96, "the benchmark: %s", STR(a, "text"));
                n = strlen(out);
                if (n == 95) /* cut: never half a character */
                    while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
                        out[--n] = '\0';
                if (n > 0 && (unsigned char)out[n - 1] >= 0xC0)
                    out[--n] = '\0';
                return out;
            }
        }
        snprintf(out, 96, "a benchmark");
    } else {
        snprintf(out, 96, "a %.*s", (int)(colon - ref), ref);
    }
    return out;
}

static void as_of_line(struct out *o)
{
    const char *as_of = STR(o->doc, "as_of");
    char head[48];

    snprintf(head, sizeof(head), "As of %s", as_of ? as_of : "all records");
    o->f->para_begin(o);
    o->f->strong(o, head);
    o->f->text(o, as_of ? ": only what is dated on or before this day is shown."
                        : ": everything recorded is shown.");
    o->f->para_end(o);
}

static void item_text(struct out *o, const char *s)
{
    o->f->item_begin(o);
    o->f->text(o, s);
    o->f->item_end(o);
}

/* One step: "DATE, PARTY, kind (quantity): text [n]". */
static void step_line(struct out *o, const json_t *s)
{
    char w[64];
    textf(o, "%s, %s, %s", STR(s, "date"), party_name(o, STR(s, "actor")),
          words(STR(s, "kind"), w));
    if (json_is_integer(json_object_get(s, "quantity")))
        textf(o, " (%lld)", num(s, "quantity"));
    if (!strcmp(STR(s, "direction") ? STR(s, "direction") : "", "negative"))
        o->f->text(o, " [negative]");
    o->f->text(o, ": ");
    o->f->text(o, STR(s, "text"));
    cite(o, s);
}

/* An assessment: "status as of DATE (assessor): evidence [n]". */
static void assessment_text(struct out *o, const json_t *a)
{
    char w[64];
    if (!json_is_object(a)) {
        o->f->text(o, "not assessed");
        return;
    }
    textf(o, "%s as of %s", words(STR(a, "status"), w), STR(a, "as_of"));
    if (STR(a, "assessor"))
        textf(o, " (%s)", STR(a, "assessor"));
    if (STR(a, "evidence")) {
        o->f->text(o, ": ");
        o->f->text(o, STR(a, "evidence"));
    }
    cite(o, a);
}

static void sources(struct out *o)
{
    json_t *s;
    size_t i;

    o->f->heading(o, 2, "Sources");
    if (!json_array_size(json_object_get(o->doc, "sources"))) {
        o->f->para_begin(o);
        o->f->text(o, "No record cites a source.");
        o->f->para_end(o);
        return;
    }
    if (o->html)
        RT_HTML_LIT(o->b, "<ol class=\"sources\">\n");
    json_array_foreach(json_object_get(o->doc, "sources"), i, s)
    {
        if (o->html) {
            RT_HTML_LIT(o->b, "<li id=\"source-");
            rt_html_textf(o->b, "%lld", num(s, "n"));
            RT_HTML_LIT(o->b, "\">");
            rt_html_text(o->b, STR(s, "text"));
            RT_HTML_LIT(o->b, "</li>\n");
        } else {
            rt_buf_addf(o->b, "%lld. ", num(s, "n"));
            md_text(o, STR(s, "text"));
            rt_buf_addch(o->b, '\n');
        }
    }
    if (o->html)
        RT_HTML_LIT(o->b, "</ol>\n");
}

/* ---- Charts (HTML) ------------------------------------------------------------- */

/* Days since 1970-01-01 of a ledger date (a month or year counts from its first day). */
static long days(const char *date)
{
    int y = 1970, m = 1, d = 1;
    if (date)
        sscanf(date, "%d-%d-%d", &y, &m, &d);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/*
 * The timeline as inline SVG: one lane per party, a dot per step (green positive,
 * red negative), a dashed line per round.
 */
static void svg_timeline(struct out *o, const json_t *events, const json_t *lanes,
                         const char *title)
{
    const double left = 120, width = 500;
    long lo = 0, hi = 0;
    size_t n_lanes = json_array_size(lanes), i, k;
    size_t h = n_lanes * 34 + 50;
    json_t *e, *lane;
    int any = 0;

    json_array_foreach(events, i, e)
    {
        long t = days(STR(e, "date"));
        if (!any || t < lo)
            lo = t;
        if (!any || t > hi)
            hi = t;
        any = 1;
    }
    if (!any || !n_lanes)
        return;
    lo -= 15;
    hi += 15;
    RT_HTML_LIT(o->b, "<figure><svg role=\"img\" viewBox=\"0 0 640 ");
    rt_buf_addf(o->b, "%zu\" width=\"640\" height=\"%zu", h, h);
    RT_HTML_LIT(o->b, "\"><title>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, "</title>");
    json_array_foreach(lanes, k, lane)
    {
        RT_HTML_LIT(o->b, "<text x=\"0\" y=\"");
        rt_html_textf(o->b, "%zu", k * 34 + 30);
        RT_HTML_LIT(o->b, "\" font-size=\"12\">");
        rt_html_text(o->b, STR(lane, "name"));
        RT_HTML_LIT(o->b, "</text><line x1=\"120\" x2=\"620\" y1=\"");
        rt_buf_addf(o->b, "%zu\" y2=\"%zu", k * 34 + 26, k * 34 + 26);
        RT_HTML_LIT(o->b, "\" stroke=\"#ccc\"/>");
    }
    /* Year ticks. */
    for (int y = 1900; y < 2200; y++) {
        char d[16];
        snprintf(d, sizeof(d), "%d", y);
        long t = days(d);
        if (t < lo || t > hi)
            continue;
        double x = left + width * (double)(t - lo) / (double)(hi - lo);
        RT_HTML_LIT(o->b, "<text x=\"");
        rt_buf_addf(o->b, "%.1f\" y=\"%zu", x, n_lanes * 34 + 30);
        RT_HTML_LIT(o->b, "\" font-size=\"11\" text-anchor=\"middle\">");
        rt_html_textf(o->b, "%d", y);
        RT_HTML_LIT(o->b, "</text>");
    }
    json_array_foreach(events, i, e)
    {
        double x = left + width * (double)(days(STR(e, "date")) - lo) / (double)(hi - lo);
        if (!strcmp(STR(e, "type"), "round")) {
            RT_HTML_LIT(o->b, "<line stroke=\"#123a5a\" stroke-dasharray=\"3 3\" x1=\"");
            rt_buf_addf(o->b, "%.1f\" x2=\"%.1f\" y1=\"8\" y2=\"%zu", x, x, n_lanes * 34 + 14);
            RT_HTML_LIT(o->b, "\"><title>");
            rt_html_textf(o->b, "Round %lld, %s", num(e, "ordinal"), STR(e, "date"));
            RT_HTML_LIT(o->b, "</title></line><text font-size=\"10\" x=\"");
            rt_html_textf(o->b, "%.1f", x + 2);
            RT_HTML_LIT(o->b, "\" y=\"12\">");
            rt_html_textf(o->b, "R%lld", num(e, "ordinal"));
            RT_HTML_LIT(o->b, "</text>");
            continue;
        }
        const json_t *s = json_object_get(e, "step");
        json_array_foreach(lanes, k, lane) if (!strcmp(STR(lane, "code"), STR(s, "actor"))) break;
        if (k == n_lanes)
            continue;
        RT_HTML_LIT(o->b, "<circle r=\"6\" cx=\"");
        rt_buf_addf(o->b, "%.1f\" cy=\"%zu", x, k * 34 + 26);
        RT_HTML_LIT(o->b, "\" fill=\"");
        if (!strcmp(STR(s, "direction"), "negative"))
            RT_HTML_LIT(o->b, "#c62828");
        else
            RT_HTML_LIT(o->b, "#2e7d32");
        RT_HTML_LIT(o->b, "\"><title>");
        rt_html_textf(o->b, "%s: %s", STR(s, "date"), STR(s, "text"));
        RT_HTML_LIT(o->b, "</title></circle>");
    }
    RT_HTML_LIT(o->b, "</svg><figcaption>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, " (green: positive step, red: negative, dashed: a round)</figcaption>"
                      "</figure>\n");
}

/*
 * The count of persons held over time as inline SVG: a step line of those held by a
 * recorded event (solid) and of those with the persons whose detention's date is not
 * on record (dashed), a dot with its figures at each date, the years and the counts
 * marked.
 */
static void svg_held(struct out *o, const json_t *points, const char *title)
{
    const double left = 50, width = 560, top = 20, height = 160;
    size_t n = json_array_size(points), i;
    long lo = 0, hi = 0;
    json_int_t max = 1;
    json_t *p;

    if (!n)
        return;
    json_array_foreach(points, i, p)
    {
        long t = days(STR(p, "date"));
        json_int_t all = num(p, "detained") + num(p, "inferred");
        if (!i || t < lo)
            lo = t;
        if (!i || t > hi)
            hi = t;
        if (all > max)
            max = all;
    }
    lo -= 30;
    hi += 30;
#define X(t) (left + width * (double)((t)-lo) / (double)(hi - lo))
#define Y(v) (top + height - height * (double)(v) / (double)max)
    RT_HTML_LIT(o->b, "<figure><svg class=\"held\" role=\"img\" viewBox=\"0 0 640 220\" "
                      "width=\"640\" height=\"220\"><title>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, "</title>");
    /* The count's axis: a step of 1, 2 or 5 times a power of ten, at most five of them
     * to the top, which is the largest count rounded up to a step; a light line at each.
     * Then the years. */
    json_int_t step = 1, ten = 1;
    for (int k = 0; (max + step - 1) / step > 5; k++) {
        static const int mult[] = {2, 5, 10};
        step = ten * mult[k % 3];
        if (k % 3 == 2)
            ten *= 10;
    }
    max = (max + step - 1) / step * step;
    rt_buf_addf(o->b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>",
                left, left + width, top + height, top + height);
    for (json_int_t v = 0; v <= max; v += step) {
        if (v)
            rt_buf_addf(o->b,
                        "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                        "y2=\"%.1f\" stroke=\"#ddd\"/>",
                        left, left + width, Y(v), Y(v));
        rt_buf_addf(o->b,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "text-anchor=\"end\">%lld</text>",
                    left - 6, Y(v) + 4, (long long)v);
    }
    for (int y = 1900; y < 2200; y++) {
        char d[16];
        long t;
        snprintf(d, sizeof(d), "%d", y);
        t = days(d);
        if (t < lo || t > hi)
            continue;
        rt_buf_addf(o->b,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "text-anchor=\"middle\">%d</text>",
                    X(t), top + height + 18, y);
    }
    /* The two step lines: held, and held with those inferred. */
    for (int with_inferred = 1; with_inferred >= 0; with_inferred--) {
        RT_HTML_LIT(o->b, "<path class=\"");
        rt_buf_adds(o->b, with_inferred ? "with-inferred" : "detained");
        RT_HTML_LIT(o->b, "\" fill=\"none\" stroke=\"#123a5a\" stroke-width=\"2\"");
        if (with_inferred)
            RT_HTML_LIT(o->b, " stroke-dasharray=\"4 3\" stroke-opacity=\"0.6\"");
        RT_HTML_LIT(o->b, " d=\"");
        json_array_foreach(points, i, p)
        {
            double x = X(days(STR(p, "date")));
            double y = Y(num(p, "detained") + (with_inferred ? num(p, "inferred") : 0));
            if (i)
                rt_buf_addf(o->b, " H%.1f V%.1f", x, y);
            else
                rt_buf_addf(o->b, "M%.1f %.1f", x, y);
        }
        rt_buf_addf(o->b, " H%.1f\"/>", left + width);
    }
    json_array_foreach(points, i, p)
    {
        rt_buf_addf(o->b,
                    "<circle class=\"point\" r=\"3.5\" fill=\"#123a5a\" cx=\"%.1f\" cy=\"%.1f\">",
                    X(days(STR(p, "date"))), Y(num(p, "detained")));
        RT_HTML_LIT(o->b, "<title>");
        rt_html_textf(o->b, "%s: %lld held", STR(p, "date"), num(p, "detained"));
        if (num(p, "inferred"))
            rt_html_textf(o->b, ", and %lld more whose detention's date is not on record",
                          num(p, "inferred"));
        RT_HTML_LIT(o->b, "</title></circle>");
    }
#undef X
#undef Y
    RT_HTML_LIT(o->b, "</svg><figcaption>");
    rt_html_text(o->b, title);
    RT_HTML_LIT(o->b, " (solid: held by a recorded event; dashed: also those held until a "
                      "release on record, their detention's date unknown)</figcaption></figure>\n");
}

/* Bars of one figure series: a row per date. */
static void svg_figure(struct out *o, const json_t *f, const char *title)
{
    static const char *const series[] = {"quantity", NULL, NULL};
    size_t n = json_array_size(json_object_get(f, "points")), i;
    int64_t(*counts)[3] = rt_xcalloc(n + 1, sizeof(*counts));
    const char **labels = rt_xcalloc(n + 1, sizeof(*labels));
    json_t *p;

    json_array_foreach(json_object_get(f, "points"), i, p)
    {
        labels[i] = STR(p, "date");
        counts[i][0] = json_integer_value(json_object_get(p, "quantity"));
    }
    if (n)
        rt_html_svg_bars(o->b, title, labels, (const int64_t(*)[3])counts, n, series);
    rt_free(counts);
    rt_free(labels);
}

/* Bars by response for rows of {"total", "supported", "noted", "pledge"}, labelled by
 * their label_key member (a number gets prefix before it). */
static void svg_responses(struct out *o, const json_t *rows, const char *label_key,
                          const char *prefix, size_t max, const char *title)
{
    static const char *const series[] = {"supported", "noted", "pledge"};
    size_t n = json_array_size(rows), i;
    int64_t(*counts)[3];
    const char **labels;
    char(*names)[80];
    json_t *r;

    if (n > max)
        n = max;
    if (!n)
        return;
    counts = rt_xcalloc(n, sizeof(*counts));
    labels = rt_xcalloc(n, sizeof(*labels));
    names = rt_xcalloc(n, sizeof(*names));
    i = 0;
    for (size_t k = 0; k < json_array_size(rows) && i < n; k++) {
        json_t *l;
        r = json_array_get(rows, k);
        l = json_object_get(r, label_key);
        /* A row without a label (the recommendations without a cycle: OSCE/ODIHR's)
         * is in the table beside the chart, not among the bars. */
        if (!json_is_integer(l) && !json_is_string(l))
            continue;
        if (json_is_integer(l))
            snprintf(names[i], sizeof(names[i]), "%s%lld", prefix,
                     (long long)json_integer_value(l));
        else {
            /* At most 40 bytes, never cutting a UTF-8 sequence. */
            size_t cut = snprintf(names[i], sizeof(names[i]), "%s", json_string_value(l));
            if (cut > 40) {
                cut = 40;
                while (cut && ((unsigned char)names[i][cut] & 0xC0) == 0x80)
                    cut--;
                names[i][cut] = 0;
            }
        }
        labels[i] = names[i];
        counts[i][0] = num(r, "supported");
        counts[i][1] = num(r, "noted");
        counts[i][2] = num(r, "pledge");
        i++;
    }
    if (i)
        rt_html_svg_bars(o->b, title, labels, (const int64_t(*)[3])counts, i, series);
    rt_free(counts);
    rt_free(labels);
    rt_free(names);
}

/* ---- Recommendations (both reports) -------------------------------------------- */

static void response_counts(struct out *o, const json_t *r)
{
    textf(o, "%lld recommendation%s: %lld supported, %lld noted", num(r, "total"),
          num(r, "total") == 1 ? "" : "s", num(r, "supported"), num(r, "noted"));
    if (num(r, "pledge"))
        textf(o, ", %lld voluntary pledge%s", num(r, "pledge"), num(r, "pledge") == 1 ? "" : "s");
    {
        /* OSCE/ODIHR's recommendations have no response: say how many, so that the
         * figures add up to the total. */
        long long rest = num(r, "total") - num(r, "supported") - num(r, "noted") - num(r, "pledge");
        if (rest > 0)
            textf(o, ", %lld without a response", rest);
    }
    o->f->text(o, ".");
}

static void status_counts(struct out *o, const json_t *r)
{
    json_t *s;
    size_t i;
    char w[64];

    o->f->text(o, "Latest assessments: ");
    json_array_foreach(json_object_get(r, "status"), i, s)
        textf(o, "%s%s %lld", i ? ", " : "", words(STR(s, "status"), w), num(s, "count"));
    o->f->text(o, ".");
}

/* A recommendation as its UPR record names it (session, cycle, response), not by our
 * row id: "UPR session 8, cycle 1, noted"; one made outside the UPR (ODIHR's) has no
 * session. "Outside" when it begins a sentence (cap). */
static void rec_ref(struct out *o, const json_t *x, int cap)
{
    const char *resp = STR(x, "response") ? STR(x, "response") : "no response recorded";

    if (num(x, "session"))
        textf(o, "UPR session %lld, cycle %lld, %s", num(x, "session"), num(x, "cycle"), resp);
    else
        textf(o, "%cutside the UPR, %s", cap ? 'O' : 'o', resp);
}

/* "UPR session 8, cycle 1, noted: TEXT", at the head of an item. */
static void rec_head(struct out *o, const json_t *x)
{
    rec_ref(o, x, 1);
    o->f->text(o, ": ");
    o->f->text(o, STR(x, "text"));
}

static void assessed_list(struct out *o, const json_t *r, size_t max)
{
    json_t *x;
    size_t i, n = json_array_size(json_object_get(r, "assessed"));

    if (!n)
        return;
    o->f->para_begin(o);
    o->f->strong(o, "Assessed");
    o->f->para_end(o);
    o->f->list_begin(o);
    json_array_foreach(json_object_get(r, "assessed"), i, x)
    {
        if (i == max)
            break;
        o->f->item_begin(o);
        rec_head(o, x);
        o->f->text(o, " — ");
        assessment_text(o, json_object_get(x, "assessment"));
        o->f->item_end(o);
    }
    if (n > max)
        item_text(o, "…");
    o->f->list_end(o);
}

static void repeated_list(struct out *o, const json_t *r, size_t max)
{
    json_t *x, *y;
    size_t i, j, n = json_array_size(json_object_get(r, "repeated"));

    if (!n)
        return;
    o->f->para_begin(o);
    o->f->strong(o, "Made again in a later cycle");
    textf(o, " (%zu)", n);
    o->f->para_end(o);
    o->f->list_begin(o);
    json_array_foreach(json_object_get(r, "repeated"), i, x)
    {
        if (i == max)
            break;
        o->f->item_begin(o);
        rec_head(o, x);
        json_array_foreach(json_object_get(x, "again"), j, y)
        {
            json_t *by;
            size_t k;
            o->f->text(o, j ? "; " : " — made again: ");
            rec_ref(o, y, 0);
            json_array_foreach(json_object_get(y, "by"), k, by)
                textf(o, "%s%s", k ? ", " : ", by ", json_string_value(by));
        }
        o->f->item_end(o);
    }
    if (n > max)
        textf(o, "and %zu more\n", n - max);
    o->f->list_end(o);
}

/* ---- The briefing -------------------------------------------------------------- */

static void brief_header(struct out *o)
{
    const json_t *d = json_object_get(o->doc, "dialogue"), *p, *r;
    size_t i;

    as_of_line(o);
    o->f->para_begin(o);
    o->f->text(o, "Parties: ");
    json_array_foreach(json_object_get(d, "parties"), i, p)
        textf(o, "%s%s", i ? ", " : "", STR(p, "name"));
    if (STR(d, "kind"))
        textf(o, " (%s)", STR(d, "kind"));
    textf(o, ". Rounds held: %zu", json_array_size(json_object_get(o->doc, "rounds")));
    json_array_foreach(json_object_get(o->doc, "rounds"), i, r)
    {
        textf(o, "%s round %lld, %s", i ? ";" : " —", num(r, "ordinal"), STR(r, "date"));
        if (STR(r, "place"))
            textf(o, ", %s", STR(r, "place"));
    }
    o->f->text(o, ".");
    o->f->para_end(o);
}

static void linked_list(struct out *o, const json_t *t, const char *key, const char *title);

static void last_round(struct out *o, const json_t *r)
{
    json_t *x;
    size_t i;
    char h[160];

    snprintf(h, sizeof(h), "The last round: round %lld, %s%s%s", num(r, "ordinal"), STR(r, "date"),
             STR(r, "place") ? ", " : "", STR(r, "place") ? STR(r, "place") : "");
    o->f->heading(o, 2, h);
    if (STR(r, "summary") || STR(r, "source")) {
        o->f->para_begin(o);
        o->f->text(o, STR(r, "summary") ? STR(r, "summary") : "No summary recorded.");
        cite(o, r);
        o->f->para_end(o);
    }
    if (json_array_size(json_object_get(r, "participants"))) {
        static const char *const head[] = {"Participant", "Title", "Organisation", "Party"};
        o->f->row(o, head, 4, 1);
        json_array_foreach(json_object_get(r, "participants"), i, x)
        {
            const char *cells[] = {STR(x, "name") ? STR(x, "name") : "",
                                   STR(x, "title") ? STR(x, "title") : "",
                                   STR(x, "organisation") ? STR(x, "organisation") : "",
                                   party_name(o, STR(x, "party"))};
            o->f->row(o, cells, 4, 0);
        }
        o->f->table_end(o);
    }
    if (json_array_size(json_object_get(r, "topics"))) {
        o->f->para_begin(o);
        o->f->strong(o, "Topics");
        o->f->para_end(o);
        o->f->list_begin(o);
        json_array_foreach(json_object_get(r, "topics"), i, x)
        {
            o->f->item_begin(o);
            o->f->text(o, STR(x, "text"));
            if (json_array_size(json_object_get(x, "areas"))) {
                json_t *a;
                size_t k;
                o->f->text(o, json_array_size(json_object_get(x, "areas")) > 1 ? " (themes: "
                                                                               : " (theme: ");
                json_array_foreach(json_object_get(x, "areas"), k, a)
                    textf(o, "%s%s", k ? "; " : "", theme_label(json_string_value(a)));
                o->f->text(o, ")");
            } else if (STR(x, "theme")) {
                textf(o, " (theme: %s)", theme_label(STR(x, "theme")));
            }
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
    linked_list(o, r, "linked_by_hand", "Recommendations linked to the round by hand");
    if (json_array_size(json_object_get(r, "welcomed_steps"))) {
        o->f->para_begin(o);
        o->f->strong(o, "Steps welcomed");
        o->f->para_end(o);
        o->f->list_begin(o);
        json_array_foreach(json_object_get(r, "welcomed_steps"), i, x)
        {
            o->f->item_begin(o);
            step_line(o, x);
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
}

static void moved_section(struct out *o, const json_t *r)
{
    json_t *p, *s, *t;
    size_t i, j, k;
    char h[160];

    snprintf(h, sizeof(h), "What moved since round %lld", num(r, "ordinal"));
    o->f->heading(o, 2, h);
    json_array_foreach(json_object_get(o->doc, "moved"), i, p)
    {
        o->f->heading(o, 3, STR(p, "name"));
        if (!json_array_size(json_object_get(p, "steps"))) {
            o->f->para_begin(o);
            o->f->text(o, "No step recorded.");
            o->f->para_end(o);
            continue;
        }
        o->f->list_begin(o);
        json_array_foreach(json_object_get(p, "steps"), j, s)
        {
            o->f->item_begin(o);
            step_line(o, s);
            json_array_foreach(json_object_get(s, "responds_to_steps"), k, t)
                textf(o, " — in response to %s's step of %s: %s", party_name(o, STR(t, "actor")),
                      STR(t, "date"), STR(t, "text"));
            json_array_foreach(json_object_get(s, "answers"), k, t)
            {
                char ref[96];
                const json_t *n = json_array_get(json_object_get(s, "answers_named"), k);
                if (n && !strcmp(STR(n, "kind"), "rec"))
                    textf(o, " — answers the recommendation to %s", STR(n, "label"));
                else
                    textf(o, " — answers %s", ref_words(o, json_string_value(t), ref));
            }
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
    if (json_array_size(json_object_get(o->doc, "assessments"))) {
        o->f->heading(o, 3, "Assessments that changed a status");
        o->f->list_begin(o);
        json_array_foreach(json_object_get(o->doc, "assessments"), i, t)
        {
            char ref[96];
            const json_t *n = json_object_get(t, "target_named");
            o->f->item_begin(o);
            if (json_is_object(n) && !strcmp(STR(n, "kind"), "rec")) {
                /* named as the rest of the briefing names them, never by row id */
                textf(o, "The recommendation to %s — ", STR(n, "label"));
            } else {
                ref_words(o, STR(t, "target"), ref);
                ref[0] = (char)(ref[0] >= 'a' && ref[0] <= 'z' ? ref[0] - 'a' + 'A' : ref[0]);
                textf(o, "%s: ", ref);
            }
            assessment_text(o, t);
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
    if ((k = json_array_size(json_object_get(o->doc, "new_recommendations")))) {
        o->f->heading(o, 3, "New UPR recommendations");
        o->f->para_begin(o);
        textf(o, "%zu recommendation%s made to the parties at UPR sessions held since the round.",
              k, k == 1 ? "" : "s");
        o->f->para_end(o);
    }
}

/* Steps in answer to steps, whenever they were taken: "A's step → B's answer". */
static void reciprocity_section(struct out *o)
{
    json_t *p;
    size_t i;

    o->f->heading(o, 2, "Steps in answer to steps");
    if (!json_array_size(json_object_get(o->doc, "reciprocity"))) {
        o->f->para_begin(o);
        o->f->text(o, "No step is recorded as the answer to another.");
        o->f->para_end(o);
        return;
    }
    o->f->list_begin(o);
    json_array_foreach(json_object_get(o->doc, "reciprocity"), i, p)
    {
        o->f->item_begin(o);
        step_line(o, json_object_get(p, "responds_to"));
        o->f->text(o, " → in answer: ");
        step_line(o, json_object_get(p, "step"));
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

/* The step whose id is id, from the briefing's timeline; NULL when it is not there. */
static const json_t *step_by_id(const struct out *o, json_int_t id)
{
    json_t *e, *s;
    size_t i;

    json_array_foreach(json_object_get(o->doc, "timeline"), i, e)
    {
        s = json_object_get(e, "step");
        if (s && json_integer_value(json_object_get(s, "id")) == id)
            return s;
    }
    return NULL;
}

static void asks_list(struct out *o, const char *key, const char *title)
{
    json_t *a;
    size_t i;

    o->f->heading(o, 3, title);
    if (!json_array_size(json_object_get(o->doc, key))) {
        o->f->para_begin(o);
        o->f->text(o, "None.");
        o->f->para_end(o);
        return;
    }
    o->f->list_begin(o);
    json_array_foreach(json_object_get(o->doc, key), i, a)
    {
        o->f->item_begin(o);
        textf(o, "Ask %lld of round %lld, %s to %s: ", num(a, "number"), num(a, "round_ordinal"),
              party_name(o, STR(a, "from")), party_name(o, STR(a, "to")));
        o->f->text(o, STR(a, "text"));
        o->f->text(o, " — ");
        assessment_text(o, json_object_get(a, "assessment"));
        if (json_array_size(json_object_get(a, "answered_by"))) {
            json_t *id;
            size_t k;
            o->f->text(o, "; answered by ");
            json_array_foreach(json_object_get(a, "answered_by"), k, id)
            {
                const json_t *s = step_by_id(o, json_integer_value(id));
                if (k)
                    o->f->text(o, ", ");
                if (s)
                    textf(o, "%s's step of %s", party_name(o, STR(s, "actor")), STR(s, "date"));
                else
                    o->f->text(o, "a later step");
            }
        }
        if (json_array_size(json_object_get(a, "linked_recommendations"))) {
            json_t *x;
            size_t k;
            o->f->text(o, ". Linked by hand: ");
            json_array_foreach(json_object_get(a, "linked_recommendations"), k, x)
                textf(o, "%s%s", k ? "; " : "", STR(x, "label"));
        }
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

static void commitments_section(struct out *o)
{
    json_t *c;
    size_t i;

    o->f->heading(o, 2, "Conditional commitments");
    if (!json_array_size(json_object_get(o->doc, "commitments"))) {
        o->f->para_begin(o);
        o->f->text(o, "None recorded.");
        o->f->para_end(o);
        return;
    }
    o->f->list_begin(o);
    json_array_foreach(json_object_get(o->doc, "commitments"), i, c)
    {
        const json_t *s = json_object_get(c, "status");
        o->f->item_begin(o);
        textf(o, "%s, round %lld: ", party_name(o, STR(c, "party")), num(c, "round_ordinal"));
        if (STR(c, "condition"))
            textf(o, "if %s, then ", STR(c, "condition"));
        o->f->text(o, STR(c, "promise"));
        o->f->text(o, " — ");
        o->f->strong(o, STR(s, "status") ? STR(s, "status") : "open");
        if (STR(s, "as_of"))
            textf(o, " since %s", STR(s, "as_of"));
        if (json_is_integer(json_object_get(s, "step")))
            textf(o, " (step %lld)", num(s, "step"));
        if (STR(s, "note"))
            textf(o, ": %s", STR(s, "note"));
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

static void benchmarks_section(struct out *o)
{
    json_t *b;
    size_t i;
    char w[64];

    o->f->heading(o, 2, "Benchmarks");
    if (!json_array_size(json_object_get(o->doc, "benchmarks"))) {
        o->f->para_begin(o);
        o->f->text(o, "None recorded.");
        o->f->para_end(o);
        return;
    }
    o->f->list_begin(o);
    json_array_foreach(json_object_get(o->doc, "benchmarks"), i, b)
    {
        const json_t *l = json_object_get(b, "latest");
        o->f->item_begin(o);
        o->f->text(o, STR(b, "text"));
        o->f->text(o, " — ");
        o->f->strong(o, words(STR(b, "status"), w));
        if (json_is_object(l)) {
            textf(o, " as of %s", STR(l, "as_of"));
            if (STR(l, "evidence"))
                textf(o, ": %s", STR(l, "evidence"));
            cite(o, l);
        }
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

/* The recommendations linked to a topic (or the round) by hand, by what a person reads
 * of them: the list key of t. */
static void linked_list(struct out *o, const json_t *t, const char *key, const char *title)
{
    json_t *x;
    size_t i;

    if (json_array_size(json_object_get(t, "linked_summary"))) {
        o->f->para_begin(o);
        o->f->strong(o, "Linked by hand");
        textf(o, ": %zu recommendations", json_array_size(json_object_get(t, "linked")));
        o->f->para_end(o);
        o->f->list_begin(o);
        json_array_foreach(json_object_get(t, "linked_summary"), i, x)
        {
            json_t *th;
            size_t k;
            o->f->item_begin(o);
            if (!strcmp(STR(x, "mechanism"), "upr") && num(x, "session"))
                textf(o, "%s, UPR session %lld: ", party_name(o, STR(x, "state")),
                      num(x, "session"));
            else
                textf(o, "%s, %s: ", party_name(o, STR(x, "state")),
                      !strcmp(STR(x, "mechanism"), "odihr") ? "ODIHR" : STR(x, "mechanism"));
            if (!strcmp(STR(x, "mechanism"), "upr"))
                response_counts(o, x);
            else
                textf(o, "%lld recommendation%s.", num(x, "total"),
                      num(x, "total") == 1 ? "" : "s");
            if (json_array_size(json_object_get(x, "themes")))
                o->f->text(o, " Commonest themes:");
            json_array_foreach(json_object_get(x, "themes"), k, th)
                textf(o, "%s %s (%lld)", k ? "," : "", STR(th, "label"), num(th, "count"));
            if (k)
                o->f->text(o, ".");
            o->f->item_end(o);
        }
        o->f->list_end(o);
        return;
    }
    if (!json_array_size(json_object_get(t, key)))
        return;
    o->f->para_begin(o);
    o->f->strong(o, title);
    o->f->para_end(o);
    o->f->list_begin(o);
    json_array_foreach(json_object_get(t, key), i, x)
    {
        o->f->item_begin(o);
        o->f->text(o, STR(x, "label"));
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

/*
 * The persons the dialogue's asks named and who of them is held as of the report's
 * date: private, so only in a briefing to which the face added "persons"
 * (rt_dialogue_persons) for someone allowed to see them.
 */
static void persons_section(struct out *o)
{
    const json_t *p = json_object_get(o->doc, "persons"), *v;
    size_t i;

    if (!json_is_object(p) || !json_array_size(json_object_get(p, "persons")))
        return;
    o->f->heading(o, 2, "Individual cases (private)");
    o->f->para_begin(o);
    textf(o, "%lld of the %zu persons named in the dialogue's asks still held.", num(p, "held"),
          json_array_size(json_object_get(p, "persons")));
    o->f->para_end(o);
    o->f->list_begin(o);
    json_array_foreach(json_object_get(p, "persons"), i, v)
    {
        const json_t *x = json_object_get(v, "status");
        o->f->item_begin(o);
        o->f->strong(o, STR(v, "name"));
        textf(o, ": %s", STR(x, "status") ? STR(x, "status") : "unknown");
        if (STR(x, "how"))
            textf(o, " (%s)", STR(x, "how"));
        if (STR(x, "since"))
            textf(o, " since %s", STR(x, "since"));
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

static void topics_section(struct out *o)
{
    json_t *t, *r, *all = json_array();
    size_t i, j;

    o->f->heading(o, 2, "The round's topics in the UPR record");
    if (!json_array_size(json_object_get(o->doc, "topics"))) {
        o->f->para_begin(o);
        o->f->text(o, "The last round has no topics recorded.");
        o->f->para_end(o);
        json_decref(all);
        return;
    }
    json_array_foreach(json_object_get(o->doc, "topics"), i, t)
    {
        json_array_foreach(json_object_get(t, "states"), j, r)
        {
            json_t *row = json_deep_copy(r);
            json_object_set_new(row, "label", json_string(theme_label(STR(r, "theme"))));
            json_array_append_new(all, row);
        }
    }
    if (o->html)
        svg_responses(o, all, "label", "", 20,
                      "UPR recommendations on each topic's theme, by response");
    json_decref(all);
    json_array_foreach(json_object_get(o->doc, "topics"), i, t)
    {
        o->f->heading(o, 3, STR(t, "text"));
        linked_list(o, t, "linked_recommendations", "Linked by hand");
        if (!json_array_size(json_object_get(t, "states"))) {
            o->f->para_begin(o);
            o->f->text(o, "No theme recorded for this topic.");
            o->f->para_end(o);
            continue;
        }
        json_array_foreach(json_object_get(t, "states"), j, r)
        {
            o->f->para_begin(o);
            textf(o, "%s, theme %s: ", party_name(o, STR(r, "state")),
                  theme_label(STR(r, "theme")));
            response_counts(o, r);
            if (num(r, "total")) {
                json_t *c;
                size_t k;
                o->f->text(o, " By cycle:");
                json_array_foreach(json_object_get(r, "by_cycle"), k, c)
                {
                    if (num(c, "cycle"))
                        textf(o, "%s cycle %lld: %lld", k ? "," : "", num(c, "cycle"),
                              num(c, "total"));
                    else /* ODIHR's */
                        textf(o, "%s outside the UPR: %lld", k ? "," : "", num(c, "total"));
                }
                o->f->text(o, ". ");
                status_counts(o, r);
            }
            o->f->para_end(o);
            assessed_list(o, r, 10);
            repeated_list(o, r, 10);
        }
    }
}

static void figures_section(struct out *o)
{
    json_t *f, *p;
    size_t i, j;
    char w[64], title[160];

    if (!json_array_size(json_object_get(o->doc, "figures")))
        return;
    o->f->heading(o, 2, "Figures");
    json_array_foreach(json_object_get(o->doc, "figures"), i, f)
    {
        static const char *const head[] = {"Date", "Quantity"};
        snprintf(title, sizeof(title), "%s, %s: %lld in all", party_name(o, STR(f, "actor")),
                 words(STR(f, "kind"), w), num(f, "total"));
        o->f->heading(o, 3, title);
        if (o->html) {
            svg_figure(o, f, title);
            continue;
        }
        o->f->row(o, head, 2, 1);
        json_array_foreach(json_object_get(f, "points"), j, p)
        {
            char q[32];
            snprintf(q, sizeof(q), "%lld", num(p, "quantity"));
            const char *cells[] = {STR(p, "date"), q};
            o->f->row(o, cells, 2, 0);
        }
        o->f->table_end(o);
    }
}

static void timeline_section(struct out *o, const json_t *events, const json_t *lanes)
{
    json_t *e;
    size_t i;

    o->f->heading(o, 2, "Timeline");
    if (!json_array_size(events)) {
        o->f->para_begin(o);
        o->f->text(o, "Nothing recorded.");
        o->f->para_end(o);
        return;
    }
    if (o->html)
        svg_timeline(o, events, lanes, "Rounds and steps by date");
    o->f->list_begin(o);
    json_array_foreach(events, i, e)
    {
        o->f->item_begin(o);
        if (!strcmp(STR(e, "type"), "round")) {
            textf(o, "%s, round %lld", STR(e, "date"), num(e, "ordinal"));
            if (STR(e, "place"))
                textf(o, " in %s", STR(e, "place"));
        } else {
            step_line(o, json_object_get(e, "step"));
        }
        o->f->item_end(o);
    }
    o->f->list_end(o);
}

static void brief(struct out *o)
{
    const json_t *d = json_object_get(o->doc, "dialogue"),
                 *r = json_object_get(o->doc, "last_round");
    char title[300];

    snprintf(title, sizeof(title), "Briefing: %s", STR(d, "name"));
    o->f->begin(o, title);
    brief_header(o);
    if (!json_is_object(r)) {
        o->f->para_begin(o);
        o->f->text(o, "No round had been held by this date.");
        o->f->para_end(o);
        reciprocity_section(o);
    } else {
        last_round(o, r);
        moved_section(o, r);
        reciprocity_section(o);
        o->f->heading(o, 2, "Asks");
        asks_list(o, "asks_open", "Open");
        asks_list(o, "asks_closed", "Closed");
        commitments_section(o);
    }
    benchmarks_section(o);
    persons_section(o);
    if (json_is_object(r))
        topics_section(o);
    figures_section(o);
    timeline_section(o, json_object_get(o->doc, "timeline"), json_object_get(d, "parties"));
    sources(o);
    o->f->end(o);
}

/* ---- The country profile ------------------------------------------------------- */

/*
 * The persons held over time from the register, beside the counts others published:
 * private, so only in a profile to which the face added "persons"
 * (rt_report_country_persons) for someone allowed to see them.
 */
static void held_section(struct out *o, const char *state)
{
    const json_t *p = json_object_get(o->doc, "persons"), *x;
    const json_t *points = json_object_get(p, "points"),
                 *published = json_object_get(p, "published");
    char title[240];
    size_t i;

    if (!json_is_object(p))
        return;
    o->f->heading(o, 2, "Persons held over time (private)");
    o->f->para_begin(o);
    textf(o,
          "From the register of persons: the %lld whose cases concern %s (freed by its steps, "
          "or named by asks to it), counted on each day an event of theirs is dated.",
          num(p, "persons"), state);
    o->f->para_end(o);
    if (!json_array_size(points)) {
        o->f->para_begin(o);
        o->f->text(o, "No event of theirs is on record by this date.");
        o->f->para_end(o);
    } else {
        static const char *const head[] = {"Date", "Held", "Held, detention's date unknown"};
        snprintf(title, sizeof(title), "%s: persons held, from the register", state);
        if (o->html)
            svg_held(o, points, title);
        o->f->row(o, head, 3, 1);
        json_array_foreach(points, i, x)
        {
            char c[2][24];
            snprintf(c[0], 24, "%lld", num(x, "detained"));
            snprintf(c[1], 24, "%lld", num(x, "inferred"));
            const char *cells[] = {STR(x, "date"), c[0], c[1]};
            o->f->row(o, cells, 3, 0);
        }
        o->f->table_end(o);
    }
    if (json_array_size(published)) {
        static const char *const head[] = {"Date", "Published", "What was counted", "Counted by",
                                           "The register"};
        o->f->heading(o, 3, "Counts others published");
        o->f->para_begin(o);
        o->f->text(o, "Each count with what it counted: a different measure is not the same "
                      "series, and the register holds only the persons recorded here.");
        o->f->para_end(o);
        o->f->row(o, head, 5, 1);
        json_array_foreach(published, i, x)
        {
            char c[2][48];
            snprintf(c[0], sizeof(c[0]), "%lld", num(x, "published"));
            if (num(x, "inferred"))
                snprintf(c[1], sizeof(c[1]), "%lld (+%lld)", num(x, "register"),
                         num(x, "inferred"));
            else
                snprintf(c[1], sizeof(c[1]), "%lld", num(x, "register"));
            const char *cells[] = {STR(x, "date"), c[0], STR(x, "measure") ? STR(x, "measure") : "",
                                   STR(x, "counted_by") ? STR(x, "counted_by") : "", c[1]};
            o->f->row(o, cells, 5, 0);
        }
        o->f->table_end(o);
    }
}

static void country(struct out *o)
{
    const json_t *s = json_object_get(o->doc, "state"),
                 *r = json_object_get(o->doc, "recommendations");
    json_t *x, *events = json_array(), *lanes;
    size_t i;
    char title[200];

    snprintf(title, sizeof(title), "%s: country profile", STR(s, "name"));
    o->f->begin(o, title);
    as_of_line(o);
    o->f->heading(o, 2, "UPR recommendations received");
    o->f->para_begin(o);
    response_counts(o, r);
    o->f->para_end(o);
    if (json_array_size(json_object_get(r, "by_cycle"))) {
        static const char *const head[] = {"Cycle", "Total", "Supported", "Noted", "Pledges"};
        if (o->html)
            svg_responses(o, json_object_get(r, "by_cycle"), "cycle", "cycle ", 10,
                          "Recommendations by cycle and response");
        o->f->row(o, head, 5, 1);
        json_array_foreach(json_object_get(r, "by_cycle"), i, x)
        {
            char c[5][24];
            if (json_is_integer(json_object_get(x, "cycle")))
                snprintf(c[0], 24, "%lld", num(x, "cycle"));
            else
                snprintf(c[0], 24, "none (not UPR)");
            snprintf(c[1], 24, "%lld", num(x, "total"));
            snprintf(c[2], 24, "%lld", num(x, "supported"));
            snprintf(c[3], 24, "%lld", num(x, "noted"));
            snprintf(c[4], 24, "%lld", num(x, "pledge"));
            const char *cells[] = {c[0], c[1], c[2], c[3], c[4]};
            o->f->row(o, cells, 5, 0);
        }
        o->f->table_end(o);
    }
    if (json_array_size(json_object_get(r, "areas"))) {
        o->f->heading(o, 2, "By theme");
        if (o->html)
            svg_responses(o, json_object_get(r, "areas"), "label", "", 12,
                          "The largest themes (taxonomy areas), by response");
        static const char *const head[] = {"Theme", "Total", "Supported", "Noted"};
        o->f->row(o, head, 4, 1);
        json_array_foreach(json_object_get(r, "areas"), i, x)
        {
            char c[3][24];
            snprintf(c[0], 24, "%lld", num(x, "total"));
            snprintf(c[1], 24, "%lld", num(x, "supported"));
            snprintf(c[2], 24, "%lld", num(x, "noted"));
            const char *cells[] = {STR(x, "label"), c[0], c[1], c[2]};
            o->f->row(o, cells, 4, 0);
        }
        o->f->table_end(o);
    }
    o->f->heading(o, 2, "Implementation");
    o->f->para_begin(o);
    status_counts(o, r);
    o->f->para_end(o);
    assessed_list(o, r, 25);
    repeated_list(o, r, 25);

    json_array_foreach(json_object_get(o->doc, "steps"), i, x)
        json_array_append_new(events, json_pack("{s:s, s:O, s:O}", "type", "step", "date",
                                                json_object_get(x, "date"), "step", x));
    lanes = json_pack("[{s:O, s:O}]", "code", json_object_get(s, "code"), "name",
                      json_object_get(s, "name"));
    o->f->heading(o, 2, "Steps taken");
    if (!json_array_size(events)) {
        o->f->para_begin(o);
        o->f->text(o, "None recorded.");
        o->f->para_end(o);
    } else {
        if (o->html)
            svg_timeline(o, events, lanes, "Steps by date");
        o->f->list_begin(o);
        json_array_foreach(json_object_get(o->doc, "steps"), i, x)
        {
            o->f->item_begin(o);
            step_line(o, x);
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
    json_decref(events);
    json_decref(lanes);
    held_section(o, STR(s, "name"));

    o->f->heading(o, 2, "Dialogues");
    if (!json_array_size(json_object_get(o->doc, "dialogues"))) {
        o->f->para_begin(o);
        o->f->text(o, "Part of no dialogue recorded here.");
        o->f->para_end(o);
    } else {
        o->f->list_begin(o);
        json_array_foreach(json_object_get(o->doc, "dialogues"), i, x)
        {
            const json_t *l = json_object_get(x, "last_round");
            o->f->item_begin(o);
            textf(o, "%s: %lld round%s", STR(x, "name"), num(x, "rounds"),
                  num(x, "rounds") == 1 ? "" : "s");
            if (json_is_object(l)) {
                textf(o, ", the last round %lld on %s", num(l, "ordinal"), STR(l, "date"));
                if (STR(l, "place"))
                    textf(o, " in %s", STR(l, "place"));
            }
            o->f->item_end(o);
        }
        o->f->list_end(o);
    }
    sources(o);
    o->f->end(o);
}

int rt_report_format_parse(const char *name, enum rt_report_format *out)
{
    if (name && (!strcmp(name, "md") || !strcmp(name, "markdown")))
        *out = RT_REPORT_MARKDOWN;
    else if (name && !strcmp(name, "html"))
        *out = RT_REPORT_HTML;
    else if (name && !strcmp(name, "pdf"))
        *out = RT_REPORT_PDF;
    else
        return RT_EINVAL;
    return 0;
}

int rt_report_render(json_t *doc, enum rt_report_format fmt, struct rt_buf *b, struct rt_error *err)
{
    struct rt_buf html_buf = RT_BUF_INIT;
    struct out o = {fmt == RT_REPORT_MARKDOWN ? &markdown : &html,
                    fmt == RT_REPORT_PDF ? &html_buf : b, doc, fmt != RT_REPORT_MARKDOWN};
    const char *kind = STR(doc, "report");
    int rc = 0;

    if (kind && !strcmp(kind, "brief"))
        brief(&o);
    else if (kind && !strcmp(kind, "country"))
        country(&o);
    else
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "report", "not a report document");
    if (rc == 0 && fmt == RT_REPORT_PDF)
        rc = rt__report_pdf(html_buf.buf, html_buf.len, b, err);
    rt_buf_release(&html_buf);
    return rc;
}
