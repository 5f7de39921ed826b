/* The readout parser, part 1: the lexicon (gazetteer and word lists), the
 * header, sentences, tokens and entity mentions. */
#include "base/compat.h"

#include "base/embedded.h"
#include "ingest/readout_int.h"

/* ----------------------------------------------------------------------------------
 */
/* The lexicon. */

static char *embedded_copy(const char *name)
{
    const struct rt__embedded *e = rt__embedded_find(name);
    if (!e)
        RT_BUG("embedded file %s missing", name);
    return rt_xstrndup(e->data, e->len);
}

/* Cuts the next line off *p (NUL-terminating it); NULL at the end. */
static char *next_line(char **p)
{
    char *s = *p, *e;
    if (!s || !*s)
        return NULL;
    e = strchr(s, '\n');
    if (e) {
        *e = 0;
        *p = e + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static char *cut(char **p, int sep)
{
    char *s = *p, *e;
    if (!s)
        return NULL;
    e = strchr(s, sep);
    if (e) {
        *e = 0;
        *p = e + 1;
    } else {
        *p = NULL;
    }
    return s;
}

static int var_cmp(const void *a, const void *b)
{
    const struct variant *x = a, *y = b;
    unsigned char cx = (unsigned char)x->p[0], cy = (unsigned char)y->p[0];
    if (cx != cy)
        return cx < cy ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1; /* longest first */
    return x->ent - y->ent;
}

/* Orders words by length, then bytes: a word's entries are found by bisection. */
static int word_cmp(const void *a, const void *b)
{
    const struct word *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->p, y->p, x->len);
}

void rt__ro_lex_load(struct lex *lx)
{
    char *p, *line;

    lx->gaz = embedded_copy("data/readout/gazetteer.tsv");
    p = lx->gaz;
    while ((line = next_line(&p))) {
        char *kind, *canon, *code, *vars, *v;
        if (!*line || *line == '#')
            continue;
        kind = cut(&line, '\t');
        canon = cut(&line, '\t');
        code = cut(&line, '\t');
        vars = line;
        if (!kind || !canon || !code || !vars)
            RT_BUG("data/readout/gazetteer.tsv: a line lacks a field");
        RT_ALLOC_GROW(lx->ents, lx->n_ents + 1, lx->a_ents);
        lx->ents[lx->n_ents].canon = canon;
        lx->ents[lx->n_ents].code = strcmp(code, "-") ? code : NULL;
        lx->ents[lx->n_ents].kind = kind[0];
        while ((v = cut(&vars, '|'))) {
            if (!*v)
                continue;
            RT_ALLOC_GROW(lx->vars, lx->n_vars + 1, lx->a_vars);
            lx->vars[lx->n_vars].p = v;
            lx->vars[lx->n_vars].len = strlen(v);
            lx->vars[lx->n_vars].ent = (int)lx->n_ents;
            lx->n_vars++;
        }
        lx->n_ents++;
    }
    qsort(lx->vars, lx->n_vars, sizeof(*lx->vars), var_cmp);
    for (size_t b = 0, i = 0; b <= 256; b++) {
        while (i < lx->n_vars && (unsigned char)lx->vars[i].p[0] < b)
            i++;
        lx->first[b] = i;
    }

    lx->words = embedded_copy("data/readout/words.tsv");
    p = lx->words;
    while ((line = next_line(&p))) {
        char *kind, *w;
        size_t len;
        if (!*line || *line == '#')
            continue;
        kind = cut(&line, '\t');
        w = line;
        if (!kind || !w || !*w)
            continue;
        len = strlen(w);
        if (len > 1 && w[len - 1] == '.')
            len--; /* "Amb." is "Amb" followed by a full stop */
        RT_ALLOC_GROW(lx->w, lx->n_w + 1, lx->a_w);
        lx->w[lx->n_w].p = w;
        lx->w[lx->n_w].len = len;
        lx->w[lx->n_w].kinds = !strcmp(kind, "head")        ? W_HEAD
                               : !strcmp(kind, "honorific") ? W_HONORIFIC
                               : !strcmp(kind, "mod")       ? W_MOD
                               : !strcmp(kind, "org")       ? W_ORG
                                                            : W_WORD;
        lx->n_w++;
    }
    qsort(lx->w, lx->n_w, sizeof(*lx->w), word_cmp);
}

void rt__ro_lex_release(struct lex *lx)
{
    rt_free(lx->gaz);
    rt_free(lx->words);
    rt_free(lx->ents);
    rt_free(lx->vars);
    rt_free(lx->w);
    memset(lx, 0, sizeof(*lx));
}

/* The kinds (enum word_kind) of a word; a leading d' or d’ (Chargé d’Affaires)
 * and a trailing full stop are ignored. */
unsigned rt__ro_word_kinds(const struct lex *lx, const char *p, size_t len)
{
    unsigned k = 0;
    if (len > 2 && p[0] == 'd' && p[1] == '\'') {
        p += 2;
        len -= 2;
    } else if (len > 4 && p[0] == 'd' && is_rsquo(p + 1, len - 1)) {
        p += 4;
        len -= 4;
    }
    if (len > 1 && p[len - 1] == '.')
        len--;
    struct word key = {p, len, 0};
    size_t lo = 0, hi = lx->n_w;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (word_cmp(&lx->w[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < lx->n_w && !word_cmp(&lx->w[lo], &key); lo++)
        k |= lx->w[lo].kinds; /* a word may be of several kinds, one line each */
    return k;
}

/* The longest entity variant at t[off] (on word boundaries), or -1; *len set.
 */
int rt__ro_ent_at(const struct doc *d, size_t off, size_t end, size_t *len)
{
    const struct lex *lx = &d->lex;
    unsigned char c;

    if (off >= end || !boundary_before(d->t, off)) /* "urged" at the very end */
        return -1;
    c = (unsigned char)d->t[off];
    for (size_t i = lx->first[c]; i < lx->first[c + 1]; i++) {
        const struct variant *v = &lx->vars[i];
        size_t e = off + v->len;
        if (e > end || memcmp(d->t + off, v->p, v->len))
            continue;
        /* A variant that ends with a dot (U.S.) may be followed by anything. */
        if (v->p[v->len - 1] != '.' && !boundary_after(d->t, e, end))
            continue;
        *len = v->len;
        return v->ent;
    }
    return -1;
}

const struct ent *rt__ro_ent(const struct doc *d, int i)
{
    return &d->lex.ents[i];
}

/* The side an entity speaks for (its canonical name), or NULL for organisations
 * and places. */
const char *rt__ro_ent_side(const struct doc *d, int i)
{
    const struct ent *e = rt__ro_ent(d, i);
    return e->kind == ENT_SIDE || e->kind == ENT_AGENCY ? e->canon : NULL;
}

/* ----------------------------------------------------------------------------------
 */
/* Header, sentences, tokens, entity mentions. */

/* An ISO date YYYY, YYYY-MM or YYYY-MM-DD filling the whole of s[0, n)? */
int rt__ro_iso_date(const char *s, size_t n, int *y, int *m, int *dd)
{
    int v[3] = {0, 0, 0}, k = 0;
    size_t i = 0;

    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (; k < 3 && i < n; k++) {
        size_t want = k ? 2 : 4, j;
        for (j = 0; j < want; j++, i++) {
            if (i >= n || !isdigit((unsigned char)s[i]))
                return 0;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
        if (i < n && s[i++] != '-')
            return 0;
    }
    if (v[0] < 1900 || v[0] > 2100 || (n >= 7 && (v[1] < 1 || v[1] > 12)) ||
        (n == 10 && (v[2] < 1 || v[2] > 31)))
        return 0;
    *y = v[0];
    *m = v[1];
    *dd = v[2];
    return 1;
}

/* Reads the header (title, ISO date, source, empty line) when the text has one.
 */
void rt__ro_parse_header(struct doc *d)
{
    size_t l[4][2], p = 0;
    int y, m, dd;

    for (int i = 0; i < 4; i++) {
        size_t e = p;
        while (e < d->n && d->t[e] != '\n')
            e++;
        l[i][0] = p;
        l[i][1] = e;
        p = e < d->n ? e + 1 : e;
    }
    {
        const char *s = d->t + l[1][0];
        size_t n = l[1][1] - l[1][0];
        while (n && is_space((unsigned char)s[n - 1]))
            n--;
        if (!rt__ro_iso_date(s, n, &y, &m, &dd))
            return;
        d->hdate.ptr = s;
        d->hdate.len = n;
        d->year = y;
        d->month = m;
        d->day = dd;
    }
    d->title.ptr = d->t + l[0][0];
    d->title.len = l[0][1] - l[0][0];
    d->source.ptr = d->t + l[2][0];
    d->source.len = l[2][1] - l[2][0];
    d->body = l[3][1] - l[3][0] == 0 ? p : l[3][0];
}

static const char *const abbrevs[] = {
    "Mr",   "Mrs",  "Ms",  "Dr",   "Amb",  "St",     "Gen",  "Sen",   "Rep", "Prof", "Gov",
    "Lt",   "Col",  "Jr",  "Sr",   "No",   "Nos",    "Jan",  "Feb",   "Mar", "Apr",  "Jun",
    "Jul",  "Aug",  "Sep", "Sept", "Oct",  "Nov",    "Dec",  "Inc",   "Co",  "Corp", "Ltd",
    "Dept", "Govt", "Hon", "Rt",   "vs",   "approx", "para", "paras", "Art", "Mt",   "Ft",
    "Pres", "Sec",  "Adm", "Capt", "Cmdr", "e.g",    "i.e",  "cf",    "op",  "Vol",  NULL};

/* Does the full stop at t[i] end a sentence? */
static int ends_sentence(const struct doc *d, size_t start, size_t i, size_t end)
{
    size_t j = i + 1, w;

    if (j < end && !is_space((unsigned char)d->t[j]) && !upunct(d->t + j, end - j) &&
        d->t[j] != '"' && d->t[j] != ')')
        return 0; /* "U.S.-Vietnam", "1.5", "gov.uk" */
    while (j < end && (is_space((unsigned char)d->t[j]) || d->t[j] == '"' || d->t[j] == ')'))
        j++;
    if (j >= end)
        return 1;
    if (d->t[i] != '.')
        return 1;
    /* The word before the full stop. */
    w = i;
    while (w > start && (word_byte(d->t + w - 1, 1) || d->t[w - 1] == '.'))
        w--;
    if (i - w == 1 && isupper((unsigned char)d->t[w]))
        return 0; /* an initial: "J. Smith" */
    for (size_t k = 0; abbrevs[k]; k++)
        if (eq(d->t + w, i - w, abbrevs[k]))
            return 0;
    /* Dotted abbreviations (U.S., D.C.) end a sentence only before a word that
     * usually starts one. */
    if (memchr(d->t + w, '.', i - w)) {
        static const char *const starters[] = {"The", "This", "These", "It",      "They",   "We",
                                               "He",  "She",  "In",    "On",      "During", "Both",
                                               "A",   "An",   "Also",  "However", NULL};
        size_t e = j;
        while (e < end && word_byte(d->t + e, end - e))
            e++;
        for (size_t k = 0; starters[k]; k++)
            if (eq(d->t + j, e - j, starters[k]))
                return 1;
        return 0;
    }
    /* A lower-case letter after the stop: not the end ("approx. five"). */
    if (islower((unsigned char)d->t[j]))
        return 0;
    return 1;
}

static void tokenize(struct doc *d, struct sent *s)
{
    size_t i = s->off, end = s->off + s->len;

    s->tok0 = d->ntk;
    while (i < end) {
        size_t st = i, u;
        struct tok t;
        if (is_space((unsigned char)d->t[i])) {
            i++;
            continue;
        }
        if ((u = upunct(d->t + i, end - i)) && !(is_rsquo(d->t + i, end - i) && 0)) {
            t.type = T_PUNCT;
            i += u;
        } else if (word_byte(d->t + i, end - i)) {
            int digits = isdigit((unsigned char)d->t[i]);
            size_t seg = i; /* start of the current dotted segment */
            while (i < end) {
                if (word_byte(d->t + i, end - i)) {
                    i++;
                    continue;
                }
                /* inner apostrophes and hyphens */
                if ((d->t[i] == '\'' || d->t[i] == '-') && i + 1 < end &&
                    word_byte(d->t + i + 1, end - i - 1)) {
                    i++;
                    continue;
                }
                if (is_rsquo(d->t + i, end - i) && i + 3 < end &&
                    word_byte(d->t + i + 3, end - i - 3)) {
                    i += 3;
                    continue;
                }
                /* the dots of U.S., D.C., initials */
                if (d->t[i] == '.' && i - seg == 1 && isupper((unsigned char)d->t[seg])) {
                    i++;
                    seg = i;
                    if (i < end && isupper((unsigned char)d->t[i]) && i + 1 < end &&
                        d->t[i + 1] == '.')
                        continue;
                    break;
                }
                break;
            }
            t.type = digits ? T_NUM : T_WORD;
        } else {
            t.type = T_PUNCT;
            i++;
            while (i < end && ((unsigned char)d->t[i] & 0xC0) == 0x80)
                i++;
        }
        t.off = st;
        t.len = i - st;
        t.ent = -1;
        t.inent = 0;
        RT_ALLOC_GROW(d->tk, d->ntk + 1, d->atk);
        d->tk[d->ntk++] = t;
    }
    s->ntok = d->ntk - s->tok0;
    /* Entity mentions, longest first, at the start of word tokens. */
    for (size_t k = s->tok0; k < d->ntk; k++) {
        size_t len;
        int e;
        if (d->tk[k].type != T_WORD || d->tk[k].inent)
            continue;
        e = rt__ro_ent_at(d, d->tk[k].off, end, &len);
        if (e < 0)
            continue;
        RT_ALLOC_GROW(d->m, d->nm + 1, d->am);
        d->m[d->nm].off = d->tk[k].off;
        d->m[d->nm].len = len;
        d->m[d->nm].ent = e;
        d->tk[k].ent = (int)d->nm++;
        for (size_t q = k; q < d->ntk && d->tk[q].off < d->tk[k].off + len; q++)
            d->tk[q].inent = 1;
    }
}

static void add_sentence(struct doc *d, size_t off, size_t end)
{
    while (off < end && is_space((unsigned char)d->t[off]))
        off++;
    while (end > off && is_space((unsigned char)d->t[end - 1]))
        end--;
    if (end <= off)
        return;
    RT_ALLOC_GROW(d->s, d->ns + 1, d->as);
    d->s[d->ns].off = off;
    d->s[d->ns].len = end - off;
    tokenize(d, &d->s[d->ns]);
    d->ns++;
}

/* Splits the body into sentences: every line is a paragraph; numbered
 * paragraphs
 * ("1. ") lose their number. */
void rt__ro_split(struct doc *d)
{
    size_t p = d->body;

    while (p < d->n) {
        size_t e = p, st;
        while (e < d->n && d->t[e] != '\n')
            e++;
        st = p;
        while (st < e && is_space((unsigned char)d->t[st]))
            st++;
        {
            size_t q = st;
            while (q < e && q - st < 3 && isdigit((unsigned char)d->t[q]))
                q++;
            if (q > st && q + 1 < e && (d->t[q] == '.' || d->t[q] == ')') &&
                is_space((unsigned char)d->t[q + 1]))
                st = q + 1;
        }
        for (size_t i = st; i < e; i++) {
            char c = d->t[i];
            if ((c == '.' || c == '!' || c == '?') && ends_sentence(d, st, i, e)) {
                add_sentence(d, st, i + 1);
                st = i + 1;
            }
        }
        add_sentence(d, st, e);
        p = e < d->n ? e + 1 : e;
    }
}

/* The title as a pseudo-sentence (tokens and mentions), kept apart from the
 * body. */
struct sent rt__ro_title_sent(struct doc *d)
{
    struct sent s = {0, 0, 0, 0};
    if (d->title.len) {
        size_t body = d->nm, nt;
        s.off = (size_t)(d->title.ptr - d->t);
        s.len = d->title.len;
        tokenize(d, &s);
        /* the title comes before the body: its mentions move to the front, so that
         * all stay in text order (rt__ro_first_mention searches them) */
        nt = d->nm - body;
        if (nt && body && d->m[body].off < d->m[0].off) {
            struct mention *m = rt_xmalloc(d->nm * sizeof *m);
            memcpy(m, d->m + body, nt * sizeof *m);
            memcpy(m + nt, d->m, body * sizeof *m);
            memcpy(d->m, m, d->nm * sizeof *m);
            rt_free(m);
            for (size_t k = 0; k < d->ntk; k++)
                if (d->tk[k].ent >= 0)
                    d->tk[k].ent = (size_t)d->tk[k].ent >= body ? d->tk[k].ent - (int)body
                                                                : d->tk[k].ent + (int)nt;
        }
    }
    return s;
}
