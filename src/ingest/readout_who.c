/* The readout parser, part 3: evidence and items, the two sides, and the
 * participants with their titles, organisations and sides. */
#include "base/compat.h"

#include <stdint.h>

#include "base/strmap.h"
#include "ingest/readout_int.h"

/* ----------------------------------------------------------------------------------
 */
/* Evidence and items. */

json_t *rt__ro_sent_json(const struct doc *d, const struct sent *s)
{
    return jclean(d->t + s->off, s->len);
}

void rt__ro_evidence(const struct doc *d, json_t *item, const struct sent *s)
{
    if (d->flags & RT_READOUT_EVIDENCE)
        jset(item, "sentence", rt__ro_sent_json(d, s));
}

/* Side mentions in text [a, b): fills up to two distinct sides; returns the
 * count. */
size_t rt__ro_first_mention(const struct doc *d, size_t a)
{
    size_t lo = 0, hi = d->nm;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->m[mid].off < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rt__ro_sides_in(const struct doc *d, size_t a, size_t b, const char *out[2])
{
    int n = 0;
    for (size_t i = rt__ro_first_mention(d, a); i < d->nm && d->m[i].off < b; i++) {
        const char *s;
        if (!(s = rt__ro_ent_side(d, d->m[i].ent)))
            continue;
        if (n && !strcmp(out[0], s))
            continue;
        if (n == 2) {
            if (strcmp(out[1], s))
                return 3;
            continue;
        }
        out[n++] = s;
    }
    return n;
}

const char *rt__ro_other_side(const struct doc *d, const char *s)
{
    if (!s || !d->side[0] || !d->side[1])
        return NULL;
    if (!strcmp(s, d->side[0]))
        return d->side[1];
    if (!strcmp(s, d->side[1]))
        return d->side[0];
    return NULL;
}

/* ----------------------------------------------------------------------------------
 */
/* Sides. */

void rt__ro_find_sides(struct doc *d, const struct sent *title)
{
    const struct sent *order[2];
    int counts[512] = {0};
    size_t nents = d->lex.n_ents < 512 ? d->lex.n_ents : 512;

    order[0] = title;
    /* 1. A pair "A-B" or "A - B" or "A and B" (both sides), in the title or body.
     */
    for (int pass = 0; pass < 2 && !d->side[1]; pass++) {
        for (size_t si = 0; si <= d->ns && !d->side[1]; si++) {
            const struct sent *s = si == 0 ? title : &d->s[si - 1];
            for (size_t k = s->tok0; k + 1 < s->tok0 + s->ntok; k++) {
                const struct tok *t = &d->tk[k];
                const char *a, *b;
                size_t q;
                if (t->ent < 0 || !(a = rt__ro_ent_side(d, d->m[t->ent].ent)))
                    continue;
                q = k + 1;
                while (q < s->tok0 + s->ntok && d->tk[q].inent && d->tk[q].ent < 0)
                    q++;
                if (q >= s->tok0 + s->ntok)
                    continue;
                /* "U.S.-Vietnam" is one token when the hyphen joins words. */
                if (pass == 0) {
                    size_t mend = d->m[t->ent].off + d->m[t->ent].len;
                    size_t len;
                    int e2;
                    if (mend < d->n && d->t[mend] == '-' &&
                        (e2 = rt__ro_ent_at(d, mend + 1, d->n, &len)) >= 0 &&
                        (b = rt__ro_ent_side(d, e2)) && strcmp(a, b)) {
                        d->side[0] = a;
                        d->side[1] = b;
                        break;
                    }
                    if (rt__ro_is_dash_tok(d, q) && q + 1 < s->tok0 + s->ntok &&
                        d->tk[q + 1].ent >= 0 &&
                        (b = rt__ro_ent_side(d, d->m[d->tk[q + 1].ent].ent)) && strcmp(a, b)) {
                        d->side[0] = a;
                        d->side[1] = b;
                        break;
                    }
                } else if (rt__ro_tok_is(d, q, "and") && q + 1 < s->tok0 + s->ntok) {
                    size_t r = q + 1;
                    if (rt__ro_tok_is(d, r, "the") && r + 1 < s->tok0 + s->ntok)
                        r++;
                    if (d->tk[r].ent >= 0 && (b = rt__ro_ent_side(d, d->m[d->tk[r].ent].ent)) &&
                        strcmp(a, b)) {
                        d->side[0] = a;
                        d->side[1] = b;
                        break;
                    }
                }
            }
        }
        (void)order;
    }
    if (d->side[1])
        return;
    /* 2. The two sides mentioned most (title counts double), first mention first.
     */
    for (size_t i = 0; i < d->nm; i++) {
        int e = d->m[i].ent;
        const char *s = rt__ro_ent_side(d, e);
        if (!s)
            continue;
        for (size_t k = 0; k < nents; k++)
            if (!strcmp(d->lex.ents[k].canon, s) && d->lex.ents[k].kind == ENT_SIDE) {
                counts[k] +=
                    (d->title.len && d->m[i].off < (size_t)(d->title.ptr - d->t) + d->title.len &&
                     d->m[i].off >= (size_t)(d->title.ptr - d->t))
                        ? 2
                        : 1;
                break;
            }
    }
    for (int pick = 0; pick < 2; pick++) {
        size_t best = nents;
        for (size_t k = 0; k < nents; k++) {
            if (!counts[k] || (d->side[0] && !strcmp(d->side[0], d->lex.ents[k].canon)))
                continue;
            if (best == nents || counts[k] > counts[best])
                best = k;
        }
        if (best == nents)
            break;
        d->side[pick] = d->lex.ents[best].canon;
    }
}

/* ----------------------------------------------------------------------------------
 */
/* Participants. */

static int capitalised(const struct doc *d, const struct tok *t)
{
    return t->type == T_WORD && isupper((unsigned char)d->t[t->off]);
}

static int all_caps(const struct doc *d, const struct tok *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (islower((unsigned char)d->t[t->off + i]))
            return 0;
    return 1;
}

int rt__ro_possessive(const struct doc *d, const struct tok *t)
{
    const char *p = d->t + t->off;
    return (t->len > 2 && p[t->len - 2] == '\'' && p[t->len - 1] == 's') ||
           (t->len > 4 && is_rsquo(p + t->len - 4, 4) && p[t->len - 1] == 's');
}

/*
 * Whether a word ends like a common noun, never a name: "Mechanisms", "Services",
 * "Institutions", "Commitments", "Authorities".
 */
static int noun_ending(const char *p, size_t n)
{
    static const char *const ends[] = {"tion", "tions", "ment", "ments", "ism",   "isms",
                                       "ices", "ities", "ship", "ances", "ences", NULL};
    for (int i = 0; ends[i]; i++) {
        size_t m = strlen(ends[i]);
        if (n > m + 2 && !memcmp(p + n - m, ends[i], m))
            return 1;
    }
    return 0;
}

/* Can this token be part of a person's name? */
int rt__ro_namey(const struct doc *d, const struct tok *t)
{
    if (!capitalised(d, t) || t->inent || noun_ending(d->t + t->off, t->len))
        return 0;
    if (t->len >= 2 && all_caps(d, t) && !(t->len == 2 && d->t[t->off + 1] == '.'))
        return 0; /* FCO, USAID; but "J." is an initial */
    if (rt__ro_month_value(d->t + t->off, t->len))
        return 0;
    if (rt__ro_word_kinds(&d->lex, d->t + t->off, t->len))
        return 0;
    return 1;
}

static int name_particle(const struct doc *d, size_t k)
{
    static const char *const parts[] = {"van", "von", "de", "del", "der", "da", "di",
                                        "bin", "al",  "le", "la",  "du",  NULL};
    for (int i = 0; parts[i]; i++)
        if (eq(d->t + d->tk[k].off, d->tk[k].len, parts[i]))
            return 1;
    return 0;
}

/* The kinds of word k, read as if capitalised: "the state secretary, Yves Rossier". */
static unsigned kinds_ci(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    char w[40];
    unsigned kinds = rt__ro_word_kinds(&d->lex, d->t + t->off, t->len);
    if (kinds || t->type != T_WORD || t->len >= sizeof(w) || !islower((unsigned char)d->t[t->off]))
        return kinds;
    memcpy(w, d->t + t->off, t->len);
    w[0] = (char)(w[0] - 32);
    return rt__ro_word_kinds(&d->lex, w, t->len);
}

static int title_token(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    return t->type == T_WORD &&
           (isupper((unsigned char)d->t[t->off]) || t->inent || (kinds_ci(d, k) & W_HEAD));
}

static int connector(const struct doc *d, size_t k)
{
    return rt__ro_tok_is(d, k, "of") || rt__ro_tok_is(d, k, "for") || rt__ro_tok_is(d, k, "the") ||
           rt__ro_tok_is(d, k, "and") || rt__ro_tok_is(d, k, "to") || rt__ro_tok_is(d, k, "on") ||
           rt__ro_tok_is(d, k, "in") || rt__ro_tok_is(d, k, "&");
}

/* Letters after a name: "John Smith QC", "Jane Doe MP". */
static int postnominal(const struct doc *d, size_t k)
{
    static const char *const w[] = {"QC",   "KC", "SC", "MP", "MEP", "OBE", "CBE", "CMG",
                                    "KCMG", "AO", "AM", "AC", "PhD", "Jr",  NULL};
    for (int i = 0; w[i]; i++)
        if (eq(d->t + d->tk[k].off, d->tk[k].len, w[i]))
            return 1;
    return 0;
}

/*
 * Whether the name at token k is someone the text is concerned for, not a participant:
 * "the case of imprisoned lawyer Mr X", "the release of Y": a word of detention or of
 * a case among the four words before it.
 */
static int held_person(const struct doc *d, const struct sent *s, size_t k)
{
    static const char *const w[] = {"imprisoned", "detained", "jailed",  "arrested",   "convicted",
                                    "sentenced",  "case",     "cases",   "release",    "prisoner",
                                    "lawyer",     "activist", "blogger", "journalist", "defender",
                                    "dissident",  "missing",  "late",    NULL};
    for (size_t q = k; q > s->tok0 && q + 5 > k; q--)
        for (int i = 0; w[i]; i++)
            if (rt__ro_tok_is(d, q - 1, w[i]))
                return 1;
    return 0;
}

/*
 * Whether sentence s says who took part (led, headed, included, met ...): a lone
 * surname ("President Tokayev", "Mr Alizoda") counts as a participant only there.
 */
static int taking_part(const struct doc *d, const struct sent *s)
{
    static const char *const w[] = {
        "led",          "headed",      "chaired",   "co-chaired",   "included",    "including",
        "participated", "attended",    "met",       "delegation",   "delegations", "opened",
        "represented",  "accompanied", "moderated", "co-moderated", "hosted",      "composed",
        "comprised",    "chair",       "head",      "heads",        NULL};
    for (size_t k = s->tok0; k < s->tok0 + s->ntok; k++)
        for (int i = 0; w[i]; i++)
            if (rt__ro_tok_is(d, k, w[i]))
                return 1;
    return 0;
}

struct person {
    size_t a, b;   /* name tokens [a, b) */
    size_t ta, tb; /* title tokens [ta, tb), ta == tb when none */
    int byline;
};

/*
 * What the participant search remembers between the names of one sentence, so
 * that a sentence of thousands of names is read a few times, not once a name
 * (each answer is the one a fresh scan would give: the names of a sentence come
 * in text order, and a scan goes on from where the last one stopped).
 */
struct who_memo {
    size_t sent;             /* the sentence the rest holds for: its tok0 + 1; 0 none */
    size_t for_from, for_at; /* the first "for [the] SIDE" at or after token for_from
                              * is at for_at (SIZE_MAX: none in the sentence) */
    size_t side_upto;        /* the last side mention before token side_upto ... */
    size_t side_at;          /* ... is at token side_at - 1 (0: none) */
    int led_both;            /* "led their respective delegations" in it: 1 or 0; -1
                              * not looked for yet */
    struct rt__strmap names; /* the names emitted so far, to emit each once */
};

/* Makes m hold for sentence s, forgetting what it held for another. */
static void memo_for(struct who_memo *m, const struct sent *s)
{
    if (m->sent == s->tok0 + 1)
        return;
    m->sent = s->tok0 + 1;
    m->for_from = m->for_at = SIZE_MAX;
    m->side_upto = s->tok0;
    m->side_at = 0;
    m->led_both = -1;
}

/* Walks back from token a over a title ("Deputy Assistant Secretary for
 * European and Eurasian Affairs"); sets [*ta, a) and returns 1 when it holds a
 * head word. */
static int title_before(const struct doc *d, const struct sent *s, size_t a, const char *stop,
                        size_t *ta)
{
    size_t k = a, first = a;
    int head = 0;

    while (k > s->tok0) {
        size_t p = k - 1;
        if (stop[p - s->tok0])
            break;
        if (title_token(d, p)) {
            if (kinds_ci(d, p) & W_HEAD)
                head = 1;
            first = p;
        } else if (rt__ro_tok_is(d, p, ")")) {
            /* "... Action Service (EEAS), Edita Hrda": over the brackets */
            while (p > s->tok0 && !rt__ro_tok_is(d, p, "(") && !stop[p - s->tok0])
                p--;
            if (!rt__ro_tok_is(d, p, "("))
                break;
        } else if (!(connector(d, p) ||
                     (rt__ro_tok_is(d, p, ",") && p + 1 < a &&
                      (title_token(d, p + 1) ||
                       (connector(d, p + 1) && p + 2 < a && title_token(d, p + 2)))))) {
            break;
        }
        k = p;
    }
    while (first < a && (connector(d, first) || rt__ro_tok_is(d, first, ",")))
        first++;
    *ta = first;
    return head;
}

/* Walks forward from token b over ", Title ..." and sets [*ta, *tb). */
static int title_after(const struct doc *d, const struct sent *s, size_t b, const char *stop,
                       size_t *ta, size_t *tb)
{
    size_t e = s->tok0 + s->ntok, k;
    int head = 0;

    if (b + 1 >= e || !rt__ro_tok_is(d, b, ","))
        return 0;
    k = b + 1;
    *ta = k;
    for (; k < e && !stop[k - s->tok0]; k++) {
        if (title_token(d, k)) {
            if (rt__ro_word_kinds(&d->lex, d->t + d->tk[k].off, d->tk[k].len) & W_HEAD)
                head = 1;
            continue;
        }
        if (connector(d, k) && !rt__ro_tok_is(d, k, "and"))
            continue;
        if (rt__ro_tok_is(d, k, ",") && k + 1 < e && title_token(d, k + 1) &&
            !stop[k + 1 - s->tok0])
            continue;
        break;
    }
    while (k > *ta && (connector(d, k - 1) || rt__ro_tok_is(d, k - 1, ",")))
        k--;
    *tb = k;
    /* the head word must come early: "Padma Raman, Executive Director of ..." */
    if (head) {
        for (size_t q = *ta; q < *tb && q < *ta + 5; q++)
            if (rt__ro_word_kinds(&d->lex, d->t + d->tk[q].off, d->tk[q].len) & W_HEAD)
                return 1;
    }
    return 0;
}

static void add_name(struct rt_buf *b, const struct doc *d, size_t a, size_t e, int recase)
{
    for (size_t k = a; k < e; k++) {
        const struct tok *t = &d->tk[k];
        if (k > a)
            rt_buf_addch(b, ' ');
        if (!recase) {
            rt_buf_add(b, d->t + t->off, t->len);
            continue;
        }
        for (size_t i = 0; i < t->len; i++) {
            char c = d->t[t->off + i];
            int start = i == 0 || d->t[t->off + i - 1] == '-' || d->t[t->off + i - 1] == '\'';
            rt_buf_addch(b, start ? c : (char)lower((unsigned char)c));
        }
    }
}

/* The side named by "for [the] SIDE" at token k, or NULL. */
static const char *for_side(const struct doc *d, size_t k, size_t e)
{
    size_t q = k + 1;
    if (!rt__ro_tok_is(d, k, "for"))
        return NULL;
    if (rt__ro_tok_is(d, q, "the"))
        q++;
    if (q < e && d->tk[q].ent >= 0)
        return rt__ro_ent_side(d, d->m[d->tk[q].ent].ent);
    return NULL;
}

static const char *tok_side(const struct doc *d, size_t k)
{
    return d->tk[k].ent >= 0 ? rt__ro_ent_side(d, d->m[d->tk[k].ent].ent) : NULL;
}

static const char *person_side(const struct doc *d, const struct sent *s, const struct person *p,
                               struct who_memo *m)
{
    const char *sd[2];
    size_t e = s->tok0 + s->ntok, k, at;

    if (p->ta < p->tb &&
        rt__ro_sides_in(d, d->tk[p->ta].off, d->tk[p->tb - 1].off + d->tk[p->tb - 1].len, sd) >= 1)
        return sd[0];
    memo_for(m, s);
    /* "... participated for the United States" */
    if (m->for_from != SIZE_MAX && m->for_from <= p->b && p->b <= m->for_at) {
        at = m->for_at;
    } else {
        for (at = SIZE_MAX, k = p->b; k + 2 < e && at == SIZE_MAX; k++)
            if (for_side(d, k, e))
                at = k;
        m->for_from = p->b;
        m->for_at = at;
    }
    if (at != SIZE_MAX)
        return for_side(d, at, e);
    /* "... led the U.S. delegation", "... headed the Belarusian delegation": a side
     * followed by "delegation" in the few words after the name */
    for (k = p->b + 1; k < e && k < p->b + 6; k++)
        if (rt__ro_tok_is(d, k, "delegation") && tok_side(d, k - 1))
            return tok_side(d, k - 1);
    /* the nearest side mentioned before, in the sentence */
    if (p->a >= m->side_upto) {
        at = 0;
        for (k = p->a; k > m->side_upto && !at; k--)
            if (tok_side(d, k - 1))
                at = k;
        if (!at)
            at = m->side_at;
        m->side_upto = p->a;
        m->side_at = at;
    } else {
        for (at = 0, k = p->a; k > s->tok0 && !at; k--)
            if (tok_side(d, k - 1))
                at = k;
    }
    if (at)
        return tok_side(d, at - 1);
    if (p->byline) {
        /* the side that speaks first: "The United States welcomes ..." */
        for (size_t i = 0; i < d->ns; i++) {
            size_t f = d->s[i].tok0;
            if (rt__ro_tok_is(d, f, "The") && d->s[i].ntok > 1)
                f++;
            if (d->tk[f].ent >= 0 && rt__ro_ent_side(d, d->m[d->tk[f].ent].ent))
                return rt__ro_ent_side(d, d->m[d->tk[f].ent].ent);
        }
        return d->side[0];
    }
    return NULL;
}

static unsigned tok_kinds(const struct doc *d, size_t k)
{
    return rt__ro_word_kinds(&d->lex, d->t + d->tk[k].off, d->tk[k].len);
}

/* Where a title starts in the run of capitalised words from token k ("International
 * Organizations Assistant Foreign Minister"): at its first modifier ("Assistant"), else
 * at its head word; end when the run holds no head word. */
static size_t title_start(const struct doc *d, size_t k, size_t end)
{
    size_t mod = end;
    for (; k < end && capitalised(d, &d->tk[k]); k++) {
        unsigned kinds = tok_kinds(d, k);
        if ((kinds & W_MOD) && mod == end)
            mod = k;
        if (kinds & W_HEAD)
            return mod < k ? mod : k;
    }
    return end;
}

static int title_run(const struct doc *d, size_t k, size_t end)
{
    return title_start(d, k, end) < end;
}

/* The first token of the entity mention that token k is part of (k itself when none). */
static size_t mention_start(const struct doc *d, size_t k, size_t lo)
{
    for (size_t q = k + 1; q-- > lo;) {
        if (d->tk[q].ent >= 0) {
            const struct mention *m = &d->m[d->tk[q].ent];
            return m->off + m->len > d->tk[k].off ? q : k;
        }
        if (!d->tk[q].inent)
            break;
    }
    return k;
}

/*
 * The organisation named inside a title [ta, tb): an office noun (kind org in
 * data/readout/words.tsv: Ministry, Embassy, Commission) with the capitalised words
 * before it ("Foreign Ministry", "Australian Human Rights Commission") and its
 * complement ("of Foreign Affairs of China", ", Ministry of Foreign Affairs"), but
 * never the title around it: it stops at a run of words holding a head word
 * ("Director", "Assistant Foreign Minister"), a title modifier ("Deputy") or a
 * rt__ro_possessive ("Vietnam's"). A bare noun ("Department Spokesperson") names nothing.
 * Else an agency of the gazetteer (USAID, FCO). Sets [*oa, *ob); 0 when none.
 */
static int org_span(const struct doc *d, size_t ta, size_t tb, size_t *oa, size_t *ob)
{
    for (size_t k = ta; k < tb; k++) {
        size_t a = k, b = k + 1;
        if (!capitalised(d, &d->tk[k]) || !(tok_kinds(d, k) & W_ORG))
            continue;
        if (d->tk[k].inent)
            a = mention_start(d, k, ta);
        while (a > ta) {
            size_t q = a - 1;
            if (d->tk[q].inent) {
                a = mention_start(d, q, ta);
                if (rt__ro_possessive(d, &d->tk[q]))
                    a = q + 1;
                if (a == q + 1)
                    break;
                continue;
            }
            if (!capitalised(d, &d->tk[q]) || rt__ro_possessive(d, &d->tk[q]) ||
                (tok_kinds(d, q) & (W_HEAD | W_MOD | W_HONORIFIC)))
                break;
            a = q;
        }
        while (b < tb) {
            size_t q = b;
            if (connector(d, q) && !rt__ro_tok_is(d, q, "to") && !rt__ro_tok_is(d, q, "in")) {
                while (q < tb && connector(d, q))
                    q++;
                if (q >= tb || !capitalised(d, &d->tk[q]) || title_start(d, q, tb) == q)
                    break;
                b = q;
                continue;
            }
            if (rt__ro_tok_is(d, q, ",")) {
                /* ", Ministry of Foreign Affairs": another office, not a title */
                size_t r = q + 1;
                int office = 0;
                while (r < tb && r < q + 6 && (capitalised(d, &d->tk[r]) || connector(d, r))) {
                    if (tok_kinds(d, r) & (W_HEAD | W_MOD))
                        break;
                    if ((tok_kinds(d, r) & W_ORG) ||
                        (d->tk[r].ent >= 0 &&
                         rt__ro_ent(d, d->m[d->tk[r].ent].ent)->kind == ENT_AGENCY))
                        office = 1;
                    r++;
                }
                if (!office)
                    break;
                b = q + 1;
                continue;
            }
            if (!capitalised(d, &d->tk[q]) || rt__ro_possessive(d, &d->tk[q]))
                break;
            if (title_run(d, q, tb)) {
                b = title_start(d, q, tb); /* "... Affairs Assistant Foreign Minister" */
                break;
            }
            b = q + 1;
        }
        while (b > k + 1 && (connector(d, b - 1) || rt__ro_tok_is(d, b - 1, ",")))
            b--;
        if (b - a < 2)
            continue; /* "Department" alone */
        *oa = a;
        *ob = b;
        return 1;
    }
    for (size_t k = ta; k < tb; k++) {
        if (d->tk[k].ent >= 0 && rt__ro_ent(d, d->m[d->tk[k].ent].ent)->kind == ENT_AGENCY) {
            const struct mention *m = &d->m[d->tk[k].ent];
            size_t b = k + 1;
            while (b < tb && d->tk[b].off < m->off + m->len)
                b++;
            *oa = k;
            *ob = b;
            return 1;
        }
    }
    return 0;
}

/*
 * A participant's organisation, taken out of the title when the title only wraps
 * it: "Foreign Ministry Director for the Americas" is the title "Director for the
 * Americas" of the "Foreign Ministry"; "Executive Director of the National Human
 * Rights Commission" the title "Executive Director" of the "National Human Rights
 * Commission". The title keeps it when it sits inside ("Director of the X Office
 * for Y"). Narrows [p->ta, p->tb) and returns the organisation, or NULL.
 */
static json_t *person_org(const struct doc *d, struct person *p)
{
    const char *sd[2];
    size_t oa, ob, ta = p->ta, tb = p->tb;
    json_t *org;

    if (p->ta >= p->tb)
        return NULL;
    if (!p->byline && org_span(d, p->ta, p->tb, &oa, &ob)) {
        org = jclean(d->t + d->tk[oa].off, d->tk[ob - 1].off + d->tk[ob - 1].len - d->tk[oa].off);
        /* before it, only the state it belongs to ("Vietnam's") */
        size_t q = ta;
        while (q < oa && (d->tk[q].inent || d->tk[q].ent >= 0))
            q++;
        if (q == oa) {
            size_t r = ob;
            while (r < tb && (connector(d, r) || rt__ro_tok_is(d, r, ",")))
                r++;
            if (r < tb && title_run(d, r, tb))
                ta = r;
        } else if (ob == tb) {
            size_t r = oa;
            while (r > ta && (connector(d, r - 1) || rt__ro_tok_is(d, r - 1, ",")))
                r--;
            if (r < oa && r > ta) {
                int head = 0;
                for (size_t k = ta; k < r; k++)
                    head |= (tok_kinds(d, k) & W_HEAD) != 0;
                if (head)
                    tb = r;
            }
        }
        if (ta == p->ta && tb == p->tb && oa == ta && ob == tb) {
            json_decref(org); /* the title is the office itself: no organisation in it */
            return NULL;
        }
        p->ta = ta;
        p->tb = tb;
        return org;
    }
    if (rt__ro_sides_in(d, d->tk[p->ta].off, d->tk[p->tb - 1].off + d->tk[p->tb - 1].len, sd) >=
            1 &&
        !strcmp(sd[0], "European Union"))
        return json_string("European Union");
    return NULL;
}

static json_t *person_role(const struct doc *d, const struct sent *s, const struct person *p,
                           struct who_memo *m)
{
    size_t k = p->ta < p->tb && p->ta < p->a ? p->ta : p->a;
    const char *txt = d->t + s->off;

    if (p->byline)
        return json_string("author");
    while (k > s->tok0 &&
           (connector(d, k - 1) ||
            rt__ro_word_kinds(&d->lex, d->t + d->tk[k - 1].off, d->tk[k - 1].len) & W_HONORIFIC))
        k--;
    if (k >= s->tok0 + 2 && rt__ro_tok_is(d, k - 1, "by") &&
        (rt__ro_tok_is(d, k - 2, "led") || rt__ro_tok_is(d, k - 2, "headed") ||
         rt__ro_tok_is(d, k - 2, "chaired")))
        return json_string("delegation lead");
    if (k >= s->tok0 + 2 && rt__ro_tok_is(d, k - 1, "by") &&
        rt__ro_tok_is(d, k - 2, "co-moderated"))
        return json_string("co-moderator");
    if (k >= s->tok0 + 2 && rt__ro_tok_is(d, k - 1, "by") && rt__ro_tok_is(d, k - 2, "co-chaired"))
        return json_string("co-chair");
    memo_for(m, s);
    if (m->led_both < 0)
        m->led_both = find_ci(txt, s->len, 0, "led their respective delegations") >= 0;
    if (m->led_both || (p->b < s->tok0 + s->ntok &&
                        (rt__ro_tok_is(d, p->b, "led") || rt__ro_tok_is(d, p->b, "headed"))))
        return json_string("delegation lead");
    return NULL;
}

static void emit_person(struct doc *d, json_t *list, const struct sent *s, struct person *p,
                        struct who_memo *m)
{
    struct rt_buf name = RT_BUF_INIT;
    const char *side;
    json_t *item, *org;
    json_t *v;
    int64_t seen;

    add_name(&name, d, p->a, p->b, p->byline);
    if (rt__strmap_get(&m->names, name.buf, name.len, &seen)) {
        rt_buf_release(&name);
        return;
    }
    rt__strmap_put(&m->names, name.buf, name.len, 1);
    item = json_object();
    jset(item, "name", json_stringn(name.buf, name.len));
    side = person_side(d, s, p, m); /* from the whole title: "Laotian Interior Ministry ..." */
    org = person_org(d, p);         /* narrows the title to what is not the organisation */
    if (p->ta < p->tb) {
        if (p->byline) {
            struct rt_buf t = RT_BUF_INIT;
            add_name(&t, d, p->ta, p->tb, 1);
            jset(item, "title", json_stringn(t.buf, t.len));
            rt_buf_release(&t);
        } else {
            jset(item, "title",
                 jclean(d->t + d->tk[p->ta].off,
                        d->tk[p->tb - 1].off + d->tk[p->tb - 1].len - d->tk[p->ta].off));
        }
    } else {
        jset(item, "title", NULL);
    }
    jset(item, "organization", org);
    jset(item, "side", side ? json_string(side) : NULL);
    v = person_role(d, s, p, m);
    if (v)
        jset(item, "role", v);
    rt__ro_evidence(d, item, s);
    json_array_append_new(list, item);
    rt_buf_release(&name);
}

/* A byline "NED PRICE, DEPARTMENT SPOKESPERSON": a line in capitals, a name, a
 * comma and a title. */
static int byline(struct doc *d, const struct sent *s, json_t *list, struct who_memo *m)
{
    size_t e = s->tok0 + s->ntok, comma = e;
    struct person p = {0, 0, 0, 0, 1};
    int head = 0;

    for (size_t k = s->tok0; k < e; k++) {
        const struct tok *t = &d->tk[k];
        if (t->type == T_WORD && !all_caps(d, t))
            return 0;
        if (rt__ro_tok_is(d, k, ",") && comma == e)
            comma = k;
    }
    if (comma == e || comma - s->tok0 < 2 || comma - s->tok0 > 4)
        return 0;
    for (size_t k = s->tok0; k < comma; k++)
        if (d->tk[k].type != T_WORD || d->tk[k].inent)
            return 0;
    for (size_t k = comma + 1; k < e; k++) {
        struct tok *t = &d->tk[k];
        char w[32];
        if (t->type != T_WORD || t->len >= sizeof(w))
            continue;
        for (size_t c = 0; c < t->len; c++)
            w[c] = (char)(c ? lower((unsigned char)d->t[t->off + c]) : d->t[t->off]);
        if (rt__ro_word_kinds(&d->lex, w, t->len) & W_HEAD)
            head = 1;
    }
    if (!head)
        return 0;
    p.a = s->tok0;
    p.b = comma;
    p.ta = comma + 1;
    p.tb = e;
    emit_person(d, list, s, &p, m);
    return 1;
}

void rt__ro_find_participants(struct doc *d)
{
    json_t *list = json_array();
    char *stop = NULL;
    struct who_memo memo = {0, 0, 0, 0, 0, -1, RT_STRMAP_INIT};

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        size_t e = s->tok0 + s->ntok;
        if (si < 4 && byline(d, s, list, &memo))
            continue;
        int takes_part = -1; /* taking_part(d, s), asked once a sentence */
        rt_free(stop);
        stop = rt_xcalloc(s->ntok + 1, 1);
        /* Mark the runs of name-like tokens; titles stop at them, and at words that
         * introduce people ("by", "including"). */
        for (size_t k = s->tok0; k < e; k++) {
            size_t b = k;
            while (b < e &&
                   (rt__ro_namey(d, &d->tk[b]) ||
                    (b > k && b + 1 < e && name_particle(d, b) && rt__ro_namey(d, &d->tk[b + 1]))))
                b++;
            if (b - k >= 2)
                for (size_t q = k; q < b; q++)
                    stop[q - s->tok0] = 1;
            if (rt__ro_tok_is(d, k, "by") || rt__ro_tok_is(d, k, "including") ||
                rt__ro_tok_is(d, k, "with") || rt__ro_tok_is(d, k, "included") ||
                rt__ro_tok_is(d, k, "led") || rt__ro_tok_is(d, k, ";"))
                stop[k - s->tok0] = 1;
            if (b > k)
                k = b - 1;
        }
        for (size_t k = s->tok0; k < e; k++) {
            struct person p = {0, 0, 0, 0, 0};
            size_t b = k, ta, tb;
            int ok = 0;
            unsigned prevk;
            while (b < e &&
                   (rt__ro_namey(d, &d->tk[b]) ||
                    (b > k && b + 1 < e && name_particle(d, b) && rt__ro_namey(d, &d->tk[b + 1]))))
                b++;
            if (b == k)
                continue;
            p.a = k;
            p.b = b;
            prevk = k > s->tok0
                        ? rt__ro_word_kinds(&d->lex, d->t + d->tk[k - 1].off, d->tk[k - 1].len)
                        : 0;
            if (k > s->tok0 + 1 && rt__ro_tok_is(d, k - 1, ".")) /* "Mr. John Smith" */
                prevk = rt__ro_word_kinds(&d->lex, d->t + d->tk[k - 2].off, d->tk[k - 2].len) &
                        W_HONORIFIC;
            if (b - k > 4 || rt__ro_possessive(d, &d->tk[b - 1]) ||
                (b < e && d->tk[b].type == T_WORD && isupper((unsigned char)d->t[d->tk[b].off]) &&
                 !d->tk[b].inent && !postnominal(d, b)) ||
                held_person(d, s, k) ||
                (b - k == 1 && !(takes_part < 0 ? (takes_part = taking_part(d, s)) : takes_part)) ||
                (k > s->tok0 &&
                 (rt__ro_tok_is(d, k - 1, "for") || rt__ro_tok_is(d, k - 1, "of") ||
                  rt__ro_tok_is(d, k - 1, "to") || rt__ro_tok_is(d, k - 1, "on") ||
                  rt__ro_tok_is(d, k - 1, "the") || rt__ro_tok_is(d, k - 1, "in") ||
                  rt__ro_tok_is(d, k - 1, "at") || rt__ro_tok_is(d, k - 1, "from")))) {
                k = b - 1;
                continue;
            }
            if (b - k == 1 && !(prevk & (W_HONORIFIC | W_HEAD))) {
                k = b - 1;
                continue;
            }
            if (prevk & W_HONORIFIC) {
                ok = 1;
                p.ta = p.tb = k;
                if (title_after(d, s, b, stop, &ta, &tb)) {
                    p.ta = ta;
                    p.tb = tb;
                } else {
                    size_t hon = rt__ro_tok_is(d, k - 1, ".") ? k - 2 : k - 1;
                    if (hon > s->tok0 + 1 && rt__ro_tok_is(d, hon - 1, ","))
                        hon--; /* "the President of X, Mr. Y" */
                    if (hon > s->tok0 && title_before(d, s, hon, stop, &ta)) {
                        p.ta = ta;
                        p.tb = hon;
                    }
                }
            } else if (k > s->tok0 && !title_token(d, k - 1) && !rt__ro_tok_is(d, k - 1, ",") &&
                       title_after(d, s, b, stop, &ta, &tb)) {
                /* "... and Peter Wilson, Director of ..." */
                ok = 1;
                p.ta = ta;
                p.tb = tb;
            } else if (k > s->tok0 && rt__ro_tok_is(d, k - 1, ",") && k - 1 > s->tok0 &&
                       title_before(d, s, k - 1, stop, &ta) && ta < k - 1) {
                /* "EU Special Representative for Human Rights, Stavros Lambrinidis" */
                ok = 1;
                p.ta = ta;
                p.tb = k - 1;
            } else if (title_before(d, s, k, stop, &ta) && ta < k) {
                ok = 1;
                p.ta = ta;
                p.tb = k;
                while (p.tb > p.ta && rt__ro_tok_is(d, p.tb - 1, ","))
                    p.tb--;
            } else if (title_after(d, s, b, stop, &ta, &tb)) {
                ok = 1;
                p.ta = ta;
                p.tb = tb;
            }
            if (ok)
                emit_person(d, list, s, &p, &memo);
            k = b - 1;
        }
    }
    rt_free(stop);
    rt__strmap_release(&memo.names);
    jset(d->out, "participants", list);
}
