/* The readout parser, part 2: numbers, ordinals and dates; the meeting's date,
 * place, round and dialogue name. */
#include "base/compat.h"

#include "ingest/readout_int.h"

/* ----------------------------------------------------------------------------------
 */
/* Numbers, ordinals and dates. */

static const char *const ord_words[] = {
    "first",     "second",    "third",       "fourth",     "fifth",      "sixth",      "seventh",
    "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",    "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",  NULL};
static const char *const num_words[] = {
    "one",     "two",     "three",     "four",     "five",     "six",      "seven",
    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",   NULL};
static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", NULL};
static const char *const tens_ord[] = {"twentieth", "thirtieth", "fortieth", "fiftieth", NULL};

/* The value of an ordinal word or number (second, twenty-fifth, 25th), or 0. */
static int ordinal_value(const char *p, size_t n)
{
    size_t i = 0;
    int v = 0;

    for (int k = 0; ord_words[k]; k++)
        if (eq_ci(p, n, ord_words[k]))
            return k + 1;
    for (int k = 0; tens_ord[k]; k++)
        if (eq_ci(p, n, tens_ord[k]))
            return 20 + 10 * k;
    for (int k = 0; tens[k]; k++) {
        size_t m = strlen(tens[k]);
        if (n > m + 1 && eq_ci(p, m, tens[k]) && p[m] == '-')
            for (int j = 0; j < 9; j++)
                if (eq_ci(p + m + 1, n - m - 1, ord_words[j]))
                    return 20 + 10 * k + j + 1;
    }
    while (i < n && i < 4 && isdigit((unsigned char)p[i]))
        v = v * 10 + (p[i++] - '0');
    if (!i || i + 2 != n || v == 0)
        return 0;
    if (eq_ci(p + i, 2, "st") || eq_ci(p + i, 2, "nd") || eq_ci(p + i, 2, "rd") ||
        eq_ci(p + i, 2, "th"))
        return v;
    return 0;
}

/* The value of a cardinal (six, 25, twenty-five), or -1. */
int rt__ro_cardinal_value(const char *p, size_t n)
{
    int v = 0;
    size_t i = 0;

    for (int k = 0; num_words[k]; k++)
        if (eq_ci(p, n, num_words[k]))
            return k + 1;
    for (int k = 0; tens[k]; k++) {
        size_t m = strlen(tens[k]);
        if (eq_ci(p, n, tens[k]))
            return 20 + 10 * k;
        if (n > m + 1 && eq_ci(p, m, tens[k]) && p[m] == '-')
            for (int j = 0; j < 9; j++)
                if (eq_ci(p + m + 1, n - m - 1, num_words[j]))
                    return 20 + 10 * k + j + 1;
    }
    for (; i < n; i++) {
        if (p[i] == ',' && i + 3 < n)
            continue;
        if (!isdigit((unsigned char)p[i]) || v > 100000000)
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return n ? v : -1;
}

static const char *const months[] = {"January",  "February", "March",  "April",     "May",
                                     "June",     "July",     "August", "September", "October",
                                     "November", "December", NULL};

/* The month (1-12) named by a word (January, Jan, Sept), or 0. */
int rt__ro_month_value(const char *p, size_t n)
{
    for (int k = 0; months[k]; k++) {
        if (eq_ci(p, n, months[k]) && isupper((unsigned char)p[0]))
            return k + 1;
        if (n == 3 && !memcmp(p, months[k], 3) && k != 4)
            return k + 1;
    }
    if (eq(p, n, "Sept"))
        return 9;
    return 0;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* A day number: 16, 6th, 1st; or 0. */
static int day_value(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    int v = 0;
    size_t i = 0;

    if (t->type != T_NUM)
        return 0;
    while (i < t->len && i < 2 && isdigit((unsigned char)d->t[t->off + i]))
        v = v * 10 + (d->t[t->off + i++] - '0');
    if (i < t->len && !ordinal_value(d->t + t->off, t->len))
        return 0;
    return v >= 1 && v <= 31 ? v : 0;
}

/* A day range in one token: "16-17". */
static int day_range(const struct doc *d, size_t k, int *a, int *b)
{
    const struct tok *t = &d->tk[k];
    const char *p = d->t + t->off, *end = p + t->len;
    long v[2] = {0, 0};
    int part = 0, digits = 0;

    if (t->type != T_NUM)
        return 0;
    /* Within the token: the text need not end with a NUL, so no strtol here. */
    for (; p < end; p++) {
        if (*p == '-' && part == 0 && digits) {
            part = 1;
            digits = 0;
        } else if (isdigit((unsigned char)*p) && v[part] <= 31) {
            v[part] = v[part] * 10 + (*p - '0');
            digits++;
        } else {
            return 0;
        }
    }
    if (part != 1 || !digits || v[0] < 1 || v[0] > 31 || v[1] <= v[0] || v[1] > 31)
        return 0;
    *a = (int)v[0];
    *b = (int)v[1];
    return 1;
}

static int year_value(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    int v = 0;
    if (t->type != T_NUM || t->len != 4)
        return 0;
    for (size_t i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)d->t[t->off + i]))
            return 0;
        v = v * 10 + (d->t[t->off + i] - '0');
    }
    return v >= 1900 && v <= 2100 ? v : 0;
}

int rt__ro_is_dash_tok(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    return t->type == T_PUNCT && (d->t[t->off] == '-' || (t->len == 3 && upunct(d->t + t->off, 3) &&
                                                          (unsigned char)d->t[t->off + 2] <= 0x94));
}

/*
 * Finds the next date in tokens [k, end): "December 16", "16-17 June 2009",
 * "Jan. 13 to 14, 2011", "November 9, 2021", "6th June", "in August", "August
 * 2015", "2015" after "in". Sets *out and returns 1, or returns 0.
 */
int rt__ro_next_date(const struct doc *d, size_t k, size_t end, struct tdate *out)
{
    for (; k < end; k++) {
        struct tdate r = {0, 0, 0, 0, 0, k, k + 1};
        size_t j;
        int m = d->tk[k].type == T_WORD ? rt__ro_month_value(d->t + d->tk[k].off, d->tk[k].len) : 0;
        int a, b;

        if (!m) {
            /* "in 2015" alone */
            if (year_value(d, k) && k > 0 &&
                (rt__ro_tok_is(d, k - 1, "in") || rt__ro_tok_is(d, k - 1, "of")) &&
                !(k + 1 < end && d->tk[k + 1].type == T_NUM)) {
                r.y = year_value(d, k);
                *out = r;
                return 1;
            }
            continue;
        }
        /* "May" is a month only next to a number. */
        r.m = m;
        j = k + 1;
        if (j < end && rt__ro_tok_is(d, j, "."))
            j++;
        if (j < end && day_range(d, j, &a, &b)) {
            r.dd = a;
            r.end_dd = b;
            j++;
        } else if (j < end && day_value(d, j)) {
            r.dd = day_value(d, j);
            j++;
            if (j + 1 < end && (rt__ro_is_dash_tok(d, j) || rt__ro_tok_is(d, j, "to")) &&
                day_value(d, j + 1)) {
                r.end_dd = day_value(d, j + 1);
                j += 2;
            }
        }
        if (j < end && rt__ro_tok_is(d, j, ","))
            j++;
        if (j < end && year_value(d, j))
            r.y = year_value(d, j);
        /* A day before the month: "16-17 June 2009", "29 July 2014", "6th June". */
        if (!r.dd && k > 0) {
            if (day_range(d, k - 1, &a, &b)) {
                r.dd = a;
                r.end_dd = b;
                r.tok = k - 1;
            } else if (day_value(d, k - 1)) {
                r.dd = day_value(d, k - 1);
                r.tok = k - 1;
                if (k >= 3 && (rt__ro_is_dash_tok(d, k - 2) || rt__ro_tok_is(d, k - 2, "to")) &&
                    day_value(d, k - 3)) {
                    r.end_dd = r.dd;
                    r.dd = day_value(d, k - 3);
                    r.tok = k - 3;
                }
            }
        }
        r.next = k + 1;
        if (m == 5 && !r.dd && !r.y)
            continue;
        if (!r.dd && !r.y &&
            !(k > 0 && (rt__ro_tok_is(d, k - 1, "in") || rt__ro_tok_is(d, k - 1, "since") ||
                        rt__ro_tok_is(d, k - 1, "of") || rt__ro_tok_is(d, k - 1, "until"))))
            continue;
        *out = r;
        return 1;
    }
    return 0;
}

/* Writes a date as YYYY, YYYY-MM or YYYY-MM-DD; 0 when it is not a real one. */
int rt__ro_fmt_date(char out[16], int y, int m, int dd)
{
    if (y < 1900 || y > 2100)
        return 0;
    if (!m)
        return snprintf(out, 16, "%04d", y) > 0;
    if (m < 1 || m > 12)
        return 0;
    if (!dd)
        return snprintf(out, 16, "%04d-%02d", y, m) > 0;
    if (dd < 1 || dd > days_in(y, m))
        return 0;
    return snprintf(out, 16, "%04d-%02d-%02d", y, m, dd) > 0;
}

/* The year of a date that gives none: the reference year, or the one before
 * when the month is later than the reference's and past says the text looks
 * back. */
int rt__ro_resolve_year(const struct doc *d, const struct tdate *t, int past)
{
    if (t->y)
        return t->y;
    if (!d->year)
        return 0;
    if (past && d->month && t->m > d->month)
        return d->year - 1;
    return d->year;
}

/* ----------------------------------------------------------------------------------
 */
/* Dates, place, round, dialogue name. */

static int meeting_cue(const struct doc *d, const struct sent *s)
{
    static const char *const cues[] = {
        "held",     "convened", "hold",          "met",      "took place", "hosted",     "meeting",
        "dialogue", "talks",    "consultations", "conclude", "concluded",  "discussion", NULL};
    for (int i = 0; cues[i]; i++)
        if (find_ci(d->t + s->off, s->len, 0, cues[i]) >= 0)
            return 1;
    return 0;
}

static int future_sentence(const struct doc *d, const struct sent *s)
{
    return find_ci(d->t + s->off, s->len, 0, "will be held") >= 0 ||
           find_ci(d->t + s->off, s->len, 0, "will take place") >= 0 ||
           find_ci(d->t + s->off, s->len, 0, "next") >= 0 ||
           find_ci(d->t + s->off, s->len, 0, "will meet") >= 0;
}

void rt__ro_find_dates(struct doc *d)
{
    char buf[16];
    struct tdate first = {0, 0, 0, 0, 0, 0, 0}, meet = {0, 0, 0, 0, 0, 0, 0};
    int have_first = 0, have_meet = 0;
    json_t *date = NULL, *date_end = NULL, *pub = NULL;

    for (size_t i = 0; i < d->ns && !have_meet; i++) {
        struct tdate t;
        const struct sent *s = &d->s[i];
        size_t k = s->tok0;
        while (rt__ro_next_date(d, k, s->tok0 + s->ntok, &t)) {
            k = t.next; /* not t.tok + 1: "13 to 14 June" starts before its month */
            if (!t.m && !t.dd)
                continue;
            if (!have_first && t.dd) {
                first = t;
                have_first = 1;
            }
            if (t.dd && meeting_cue(d, s) && !future_sentence(d, s)) {
                meet = t;
                have_meet = 1;
                break;
            }
        }
    }
    if (!have_meet && have_first) {
        meet = first;
        have_meet = 1;
    }
    if (d->hdate.len) {
        date = json_stringn(d->hdate.ptr, d->hdate.len);
    } else if (have_meet) {
        int y = meet.y;
        if (!y) /* a year anywhere in the text */
            for (size_t k = 0; k < d->ntk && !y; k++)
                y = year_value(d, k);
        if (y && rt__ro_fmt_date(buf, y, meet.m, meet.dd)) {
            date = json_string(buf);
            d->year = y;
            d->month = meet.m;
            d->day = meet.dd;
        }
    }
    /* The end of a range that starts on the meeting date. */
    if (have_meet && meet.end_dd && d->year) {
        int y = meet.y ? meet.y : d->year;
        if ((!d->month || meet.m == d->month) && (!d->day || meet.dd == d->day) &&
            rt__ro_fmt_date(buf, y, meet.m, meet.end_dd))
            date_end = json_string(buf);
    }
    /* The publication date: the last ISO date of the source line, else a
     * dateline. */
    if (d->source.len) {
        const char *s = d->source.ptr;
        for (size_t i = 0; i + 10 <= d->source.len; i++) {
            int y, m, dd;
            if ((i == 0 || !isdigit((unsigned char)s[i - 1])) &&
                rt__ro_iso_date(s + i, 10, &y, &m, &dd) &&
                (i + 10 == d->source.len || !isdigit((unsigned char)s[i + 10]))) {
                json_decref(pub);
                pub = json_stringn(s + i, 10);
            }
        }
    }
    if (!pub) {
        /* "By ... • January 16, 2015", "SEPTEMBER 25, 2022" alone on a line */
        for (size_t i = 0; i < d->ns && i < 4 && !pub; i++) {
            const struct sent *s = &d->s[i];
            size_t k = s->tok0, e = s->tok0 + s->ntok;
            for (; k + 2 < e; k++) {
                int m, dd, y;
                const struct tok *t = &d->tk[k];
                char w[16];
                if (t->type != T_WORD || t->len >= sizeof(w))
                    continue;
                for (size_t c = 0; c < t->len; c++)
                    w[c] = (char)(c ? lower((unsigned char)d->t[t->off + c]) : d->t[t->off]);
                m = rt__ro_month_value(w, t->len);
                if (!m || !(dd = day_value(d, k + 1)))
                    continue;
                y = rt__ro_tok_is(d, k + 2, ",") && k + 3 < e ? year_value(d, k + 3)
                                                              : year_value(d, k + 2);
                if (y && (find_ci(d->t + s->off, s->len, 0, "by") >= 0 || s->ntok <= 6) &&
                    rt__ro_fmt_date(buf, y, m, dd))
                    pub = json_string(buf);
                break;
            }
        }
    }
    jset(d->out, "date", date);
    jset(d->out, "date_end", date_end);
    jset(d->out, "publication_date", pub);
    if (!date)
        rt_buf_addf(&d->notes, "%sno date found", d->notes.len ? "; " : "");
}

void rt__ro_find_place(struct doc *d)
{
    json_t *place = NULL;
    static const char *const virt[] = {
        "virtually", "virtual", "videoconference", "video conference", "online", "by video", NULL};

    /* 1. A known place after "in" or "at" in a sentence about the meeting. */
    for (int pass = 0; pass < 2 && !place; pass++) {
        for (size_t i = 0; i < d->ns && i < 12 && !place; i++) {
            const struct sent *s = &d->s[i];
            if (future_sentence(d, s) || (pass == 0 && !meeting_cue(d, s)))
                continue;
            for (size_t k = s->tok0 + 1; k < s->tok0 + s->ntok; k++) {
                const struct tok *t = &d->tk[k];
                int e;
                if (t->ent < 0 || rt__ro_ent(d, e = d->m[t->ent].ent)->kind != ENT_PLACE)
                    continue;
                if (rt__ro_tok_is(d, k - 1, "in") || rt__ro_tok_is(d, k - 1, "at") ||
                    t->off == s->off) {
                    place = json_string(rt__ro_ent(d, e)->canon);
                    break;
                }
            }
            if (!place && pass == 0 && d->tk[s->tok0].ent >= 0 &&
                rt__ro_ent(d, d->m[d->tk[s->tok0].ent].ent)->kind == ENT_PLACE && i == 0)
                place = json_string(rt__ro_ent(d, d->m[d->tk[s->tok0].ent].ent)->canon);
        }
    }
    /* 2. "held ... in Xyz" with an unknown capitalised place. */
    for (size_t i = 0; i < d->ns && i < 6 && !place; i++) {
        const struct sent *s = &d->s[i];
        long h = find_ci(d->t + s->off, s->len, 0, "held");
        if (h < 0)
            h = find_ci(d->t + s->off, s->len, 0, "convened");
        if (h < 0 || future_sentence(d, s))
            continue;
        for (size_t k = s->tok0; k + 1 < s->tok0 + s->ntok; k++) {
            size_t q = k + 1, e;
            if (d->tk[k].off < s->off + (size_t)h || !rt__ro_tok_is(d, k, "in"))
                continue;
            e = q;
            while (e < s->tok0 + s->ntok && d->tk[e].type == T_WORD && !d->tk[e].inent &&
                   isupper((unsigned char)d->t[d->tk[e].off]) &&
                   !rt__ro_month_value(d->t + d->tk[e].off, d->tk[e].len) &&
                   !rt__ro_word_kinds(&d->lex, d->t + d->tk[e].off, d->tk[e].len))
                e++;
            if (e > q && e - q <= 3) {
                place =
                    jclean(d->t + d->tk[q].off, d->tk[e - 1].off + d->tk[e - 1].len - d->tk[q].off);
                break;
            }
        }
    }
    /* 3. A meeting held online: "online" when the text says so, else "virtual". */
    for (size_t i = 0; i < d->ns && i < 6 && !place; i++)
        for (int v = 0; virt[v] && !place; v++)
            if (find_ci(d->t + d->s[i].off, d->s[i].len, 0, virt[v]) >= 0 &&
                meeting_cue(d, &d->s[i]))
                place = json_string(strcmp(virt[v], "online") ? "virtual" : "online");
    /* 4. A dateline: a known place at the start of a line before a comma
     * ("Vienna, 9 November 2023"), in the first lines of the body. */
    for (size_t i = 0; i < d->ns && i < 4 && !place; i++) {
        const struct sent *s = &d->s[i];
        for (size_t k = s->tok0; k + 1 < s->tok0 + s->ntok && !place; k++) {
            const struct tok *t = &d->tk[k];
            int e;
            if (t->ent < 0 || rt__ro_ent(d, e = d->m[t->ent].ent)->kind != ENT_PLACE ||
                !(t->off == 0 || d->t[t->off - 1] == '\n'))
                continue;
            for (size_t q = k + 1; q < s->tok0 + s->ntok; q++)
                if (d->tk[q].off >= d->m[t->ent].off + d->m[t->ent].len) {
                    if (rt__ro_tok_is(d, q, ","))
                        place = json_string(rt__ro_ent(d, e)->canon);
                    break;
                }
        }
    }
    jset(d->out, "place", place);
}

/* Words that make an ordinal the number of this meeting. */
static int round_noun(const struct doc *d, size_t k)
{
    static const char *const nouns[] = {"round",         "rounds",       "dialogue",   "working",
                                        "meeting",       "session",      "discussion", "talks",
                                        "consultations", "consultation", "high-level", NULL};
    for (int i = 0; nouns[i]; i++)
        if (rt__ro_tok_is(d, k, nouns[i]))
            return 1;
    return 0;
}

static int find_round_in(struct doc *d, const struct sent *s, int skip_future)
{
    size_t e = s->tok0 + s->ntok;

    if (skip_future && future_sentence(d, s))
        return 0;
    for (size_t k = s->tok0; k < e; k++) {
        const struct tok *t = &d->tk[k];
        int v = ordinal_value(d->t + t->off, t->len);
        size_t q;
        if (!v || (k > s->tok0 && (rt__ro_tok_is(d, k - 1, "a") || rt__ro_tok_is(d, k - 1, "an"))))
            continue;
        for (q = k + 1; q < e && q <= k + 7; q++) {
            if (d->tk[q].type == T_PUNCT && !rt__ro_is_dash_tok(d, q))
                break;
            if (rt__ro_tok_is(d, q, "such") || rt__ro_tok_is(d, q, "of") ||
                rt__ro_tok_is(d, q, "cycle") || rt__ro_tok_is(d, q, "time") ||
                rt__ro_tok_is(d, q, "day") || rt__ro_tok_is(d, q, "year"))
                break;
            if (round_noun(d, q)) {
                struct rt_buf b = RT_BUF_INIT;
                rt_buf_add(&b, d->t + t->off, t->len);
                if (rt__ro_tok_is(d, k + 1, "annual") || rt__ro_tok_is(d, k + 1, "round")) {
                    rt_buf_addch(&b, ' ');
                    rt_buf_add(&b, d->t + d->tk[k + 1].off, d->tk[k + 1].len);
                }
                jset(d->out, "round", json_integer(v));
                jset(d->out, "round_text", json_stringn(b.buf, b.len));
                rt_buf_release(&b);
                return 1;
            }
        }
    }
    return 0;
}

void rt__ro_find_round(struct doc *d, const struct sent *title)
{
    for (size_t i = 0; i < d->ns; i++)
        if (find_round_in(d, &d->s[i], 1))
            return;
    if (title->ntok && find_round_in(d, title, 0))
        return;
    jset(d->out, "round", NULL);
    jset(d->out, "round_text", NULL);
}

/* "X-Y Human Rights Dialogue", "Working Group for Democracy and Human Rights".
 */
static json_t *name_in(struct doc *d, const struct sent *s)
{
    size_t e = s->tok0 + s->ntok;

    for (size_t k = s->tok0; k < e; k++) {
        size_t a, b;
        int has_side = 0;
        if (!(rt__ro_tok_is(d, k, "Dialogue") && isupper((unsigned char)d->t[d->tk[k].off])) &&
            !(rt__ro_tok_is(d, k, "Group") && k > s->tok0 && rt__ro_tok_is(d, k - 1, "Working")))
            continue;
        a = k;
        while (a > s->tok0) {
            const struct tok *p = &d->tk[a - 1];
            if (ordinal_value(d->t + p->off, p->len) || rt__ro_tok_is(d, a - 1, "Annual") ||
                rt__ro_tok_is(d, a - 1, "the") || rt__ro_tok_is(d, a - 1, "The"))
                break;
            if (p->type == T_WORD && (isupper((unsigned char)d->t[p->off]) || p->inent)) {
                a--;
                continue;
            }
            if (rt__ro_is_dash_tok(d, a - 1) && a - 1 > s->tok0) {
                a--;
                continue;
            }
            break;
        }
        b = k + 1;
        while (b + 1 < e &&
               (rt__ro_tok_is(d, b, "for") || rt__ro_tok_is(d, b, "on") ||
                rt__ro_tok_is(d, b, "of")) &&
               isupper((unsigned char)d->t[d->tk[b + 1].off])) {
            size_t q = b + 1;
            while (q < e &&
                   ((d->tk[q].type == T_WORD && isupper((unsigned char)d->t[d->tk[q].off])) ||
                    rt__ro_tok_is(d, q, "and") ||
                    (rt__ro_tok_is(d, q, ",") && q + 1 < e && rt__ro_tok_is(d, q + 1, "and"))))
                q++;
            b = q;
        }
        while (b > k + 1 && (rt__ro_tok_is(d, b - 1, "and") || rt__ro_tok_is(d, b - 1, ",")))
            b--;
        for (size_t q = a; q < k; q++)
            if (d->tk[q].ent >= 0 && rt__ro_ent_side(d, d->m[d->tk[q].ent].ent))
                has_side = 1;
        if (!has_side && d->side[0] && d->side[1]) {
            struct rt_buf nb = RT_BUF_INIT;
            json_t *v;
            rt_buf_addf(&nb, "%s-%s ", !strcmp(d->side[0], "European Union") ? "EU" : d->side[0],
                        !strcmp(d->side[1], "European Union") ? "EU" : d->side[1]);
            add_clean(&nb, d->t + d->tk[a].off, d->tk[b - 1].off + d->tk[b - 1].len - d->tk[a].off,
                      "");
            v = json_stringn(nb.buf, nb.len);
            rt_buf_release(&nb);
            return v;
        }
        return jclean(d->t + d->tk[a].off, d->tk[b - 1].off + d->tk[b - 1].len - d->tk[a].off);
    }
    return NULL;
}

void rt__ro_find_dialogue_name(struct doc *d, const struct sent *title)
{
    json_t *v = NULL;
    for (size_t i = 0; i < d->ns && !v; i++)
        v = name_in(d, &d->s[i]);
    if (!v && title->ntok)
        v = name_in(d, title);
    if (!v && d->side[0] && d->side[1] && json_integer_value(json_object_get(d->out, "round"))) {
        for (size_t i = 0; i < d->ns && !v; i++)
            if (find_ci(d->t + d->s[i].off, d->s[i].len, 0, "human rights dialogue") >= 0) {
                char b[160];
                if (snprintf(b, sizeof(b), "%s-%s Human Rights Dialogue",
                             !strcmp(d->side[0], "European Union") ? "EU" : d->side[0],
                             !strcmp(d->side[1], "European Union") ? "EU" : d->side[1]) > 0)
                    v = json_string(b);
            }
    }
    jset(d->out, "dialogue_name", v);
}
