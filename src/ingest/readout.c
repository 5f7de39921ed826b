/* Rule-based parsing of human-rights dialogue readouts into draft round
 * records. */
#include "base/compat.h"

#include <ctype.h>
#include <pthread.h>
#include <sys/stat.h>

#include <rightstrack/readout.h>

#include "base/embedded.h"

/*
 * The lexicon: the gazetteer (entities with their variants) and the word lists
 * of data/readout/, read from the embedded copies into one mutable string per
 * parse.
 */
enum ent_kind { ENT_SIDE = 'S', ENT_AGENCY = 'A', ENT_ORG = 'O', ENT_PLACE = 'P' };

struct ent {
    const char *canon, *code;
    char kind;
};

struct variant {
    const char *p;
    size_t len;
    int ent;
};

enum word_kind { W_HEAD = 1, W_HONORIFIC = 2, W_WORD = 4, W_MOD = 8, W_ORG = 16 };

struct word {
    const char *p;
    size_t len;
    unsigned kinds;
};

struct lex {
    char *gaz, *words; /* owned copies, cut into strings */
    struct ent *ents;
    size_t n_ents, a_ents;
    struct variant *vars;
    size_t n_vars, a_vars;
    size_t first[257]; /* vars sorted by first byte: vars[first[b]..first[b+1]) */
    struct word *w;
    size_t n_w, a_w;
};

/* One token of a sentence: a word (letters, digits, inner ' ’ - and the dots of
 * U.S.), a number (digits, maybe with a suffix: 25th), or one punctuation mark.
 */
enum tok_type { T_WORD = 'w', T_NUM = 'n', T_PUNCT = 'p' };

struct tok {
    size_t off, len;
    char type;
    int ent;   /* index of the entity mention that starts here, or -1 */
    int inent; /* inside an entity mention */
};

struct sent {
    size_t off, len; /* in the text */
    size_t tok0, ntok;
};

struct mention {
    size_t off, len;
    int ent;
};

struct doc {
    const char *t;
    size_t n;
    unsigned flags;
    struct lex lex;
    struct rt_str title, hdate, source;
    size_t body;
    struct sent *s;
    size_t ns, as;
    struct tok *tk;
    size_t ntk, atk;
    struct mention *m;
    size_t nm, am;
    int year, month, day; /* the reference date (header, else the first in the text) */
    const char *side[2];  /* canonical names; NULL when unknown */
    const char *last_by;  /* the side that spoke last, for "the delegation", "we" */
    struct rt_buf notes;
    json_t *out;
};

/* ----------------------------------------------------------------------------------
 */
/* Small string helpers. */

static int is_ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the typographic punctuation (dashes, quotes, bullets, no-break
 * space) at p, or 0. */
static size_t upunct(const char *p, size_t rem)
{
    const unsigned char *u = (const unsigned char *)p;
    if (rem >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
        (u[2] == 0x93 || u[2] == 0x94 || u[2] == 0x98 || u[2] == 0x9C || u[2] == 0x9D ||
         u[2] == 0xA2 || u[2] == 0xA6 || u[2] == 0x99))
        return 3;
    if (rem >= 2 && u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0xAB || u[1] == 0xBB))
        return 2;
    return 0;
}

static int is_rsquo(const char *p, size_t rem)
{
    return rem >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
           (unsigned char)p[2] == 0x99;
}

/* A byte that belongs to a word: ASCII letters and digits, and any non-ASCII
 * byte that is not typographic punctuation. */
static int word_byte(const char *p, size_t rem)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return is_ascii_alnum(c);
    return upunct(p, rem) == 0;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int eq_ci(const char *a, size_t n, const char *b)
{
    size_t i;
    for (i = 0; i < n && b[i]; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return i == n && !b[i];
}

static int eq(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && !memcmp(a, b, n);
}

static int boundary_before(const char *base, size_t off)
{
    return off == 0 || !word_byte(base + off - 1, 1);
}

static int boundary_after(const char *base, size_t end, size_t n)
{
    return end >= n || !word_byte(base + end, n - end);
}

/*
 * Finds pat (case-insensitive, on word boundaries where pat starts or ends with
 * a letter) in s[from, n); returns its offset or -1.
 */
static long find_ci(const char *s, size_t n, size_t from, const char *pat)
{
    size_t m = strlen(pat);
    if (!m || m > n)
        return -1;
    for (size_t i = from; i + m <= n; i++) {
        if (lower((unsigned char)s[i]) != lower((unsigned char)pat[0]))
            continue;
        if (!eq_ci(s + i, m, pat))
            continue;
        if (is_ascii_alnum((unsigned char)pat[0]) && !boundary_before(s, i))
            continue;
        if (is_ascii_alnum((unsigned char)pat[m - 1]) && !boundary_after(s, i + m, n))
            continue;
        return (long)i;
    }
    return -1;
}

/* Appends s[0, n) to b with runs of white space folded and the ends trimmed of
 * spaces and of the punctuation in trim. */
static void add_clean(struct rt_buf *b, const char *s, size_t n, const char *trim)
{
    int space = 0;

    while (n && (is_space((unsigned char)*s) || strchr(trim, *s))) {
        s++;
        n--;
    }
    while (n && (is_space((unsigned char)s[n - 1]) || strchr(trim, s[n - 1])))
        n--;
    for (size_t i = 0; i < n; i++) {
        if (is_space((unsigned char)s[i])) {
            space = 1;
            continue;
        }
        if (space && b->len)
            rt_buf_addch(b, ' ');
        space = 0;
        rt_buf_addch(b, s[i]);
    }
}

/* A JSON string of s[0, n) cleaned; NULL when nothing is left or it is not
 * UTF-8. */
static json_t *jclean(const char *s, size_t n)
{
    struct rt_buf b = RT_BUF_INIT;
    json_t *v = NULL;

    add_clean(&b, s, n, " ,;:.-");
    if (b.len)
        v = json_stringn(b.buf, b.len);
    rt_buf_release(&b);
    return v;
}

static void jset(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static void jpush(json_t *a, json_t *v)
{
    if (v)
        json_array_append_new(a, v);
}

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

static void lex_load(struct lex *lx)
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
}

static void lex_release(struct lex *lx)
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
static unsigned word_kinds(const struct lex *lx, const char *p, size_t len)
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
    for (size_t i = 0; i < lx->n_w; i++)
        if (lx->w[i].len == len && !memcmp(lx->w[i].p, p, len))
            k |= lx->w[i].kinds;
    return k;
}

/* The longest entity variant at t[off] (on word boundaries), or -1; *len set.
 */
static int ent_at(const struct doc *d, size_t off, size_t end, size_t *len)
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

static const struct ent *ent(const struct doc *d, int i)
{
    return &d->lex.ents[i];
}

/* The side an entity speaks for (its canonical name), or NULL for organisations
 * and places. */
static const char *ent_side(const struct doc *d, int i)
{
    const struct ent *e = ent(d, i);
    return e->kind == ENT_SIDE || e->kind == ENT_AGENCY ? e->canon : NULL;
}

/* ----------------------------------------------------------------------------------
 */
/* Header, sentences, tokens, entity mentions. */

/* An ISO date YYYY, YYYY-MM or YYYY-MM-DD filling the whole of s[0, n)? */
static int iso_date(const char *s, size_t n, int *y, int *m, int *dd)
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
static void parse_header(struct doc *d)
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
        if (!iso_date(s, n, &y, &m, &dd))
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
        e = ent_at(d, d->tk[k].off, end, &len);
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
static void split(struct doc *d)
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
static struct sent title_sent(struct doc *d)
{
    struct sent s = {0, 0, 0, 0};
    if (d->title.len) {
        s.off = (size_t)(d->title.ptr - d->t);
        s.len = d->title.len;
        tokenize(d, &s);
    }
    return s;
}

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
static int cardinal_value(const char *p, size_t n)
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
static int month_value(const char *p, size_t n)
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

/* A date found in a sentence, with its precision; y is 0 when the text gives
 * none. */
struct tdate {
    int y, m, dd;      /* dd 0: month precision; m 0: year precision */
    int end_dd, end_m; /* a range's last day, or 0 */
    size_t tok;        /* the token where it starts */
    size_t next;       /* the token after its month (or its year): where to look on */
};

static int tok_is(const struct doc *d, size_t k, const char *s)
{
    return k < d->ntk && eq_ci(d->t + d->tk[k].off, d->tk[k].len, s);
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

static int is_dash_tok(const struct doc *d, size_t k)
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
static int next_date(const struct doc *d, size_t k, size_t end, struct tdate *out)
{
    for (; k < end; k++) {
        struct tdate r = {0, 0, 0, 0, 0, k, k + 1};
        size_t j;
        int m = d->tk[k].type == T_WORD ? month_value(d->t + d->tk[k].off, d->tk[k].len) : 0;
        int a, b;

        if (!m) {
            /* "in 2015" alone */
            if (year_value(d, k) && k > 0 && (tok_is(d, k - 1, "in") || tok_is(d, k - 1, "of")) &&
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
        if (j < end && tok_is(d, j, "."))
            j++;
        if (j < end && day_range(d, j, &a, &b)) {
            r.dd = a;
            r.end_dd = b;
            j++;
        } else if (j < end && day_value(d, j)) {
            r.dd = day_value(d, j);
            j++;
            if (j + 1 < end && (is_dash_tok(d, j) || tok_is(d, j, "to")) && day_value(d, j + 1)) {
                r.end_dd = day_value(d, j + 1);
                j += 2;
            }
        }
        if (j < end && tok_is(d, j, ","))
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
                if (k >= 3 && (is_dash_tok(d, k - 2) || tok_is(d, k - 2, "to")) &&
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
            !(k > 0 && (tok_is(d, k - 1, "in") || tok_is(d, k - 1, "since") ||
                        tok_is(d, k - 1, "of") || tok_is(d, k - 1, "until"))))
            continue;
        *out = r;
        return 1;
    }
    return 0;
}

/* Writes a date as YYYY, YYYY-MM or YYYY-MM-DD; 0 when it is not a real one. */
static int fmt_date(char out[16], int y, int m, int dd)
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
static int resolve_year(const struct doc *d, const struct tdate *t, int past)
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
/* Evidence and items. */

static json_t *sent_json(const struct doc *d, const struct sent *s)
{
    return jclean(d->t + s->off, s->len);
}

static void evidence(const struct doc *d, json_t *item, const struct sent *s)
{
    if (d->flags & RT_READOUT_EVIDENCE)
        jset(item, "sentence", sent_json(d, s));
}

/* Side mentions in text [a, b): fills up to two distinct sides; returns the
 * count. */
static int sides_in(const struct doc *d, size_t a, size_t b, const char *out[2])
{
    int n = 0;
    for (size_t i = 0; i < d->nm; i++) {
        const char *s;
        if (d->m[i].off < a || d->m[i].off >= b || !(s = ent_side(d, d->m[i].ent)))
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

static const char *other_side(const struct doc *d, const char *s)
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

static void find_sides(struct doc *d, const struct sent *title)
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
                if (t->ent < 0 || !(a = ent_side(d, d->m[t->ent].ent)))
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
                        (e2 = ent_at(d, mend + 1, d->n, &len)) >= 0 && (b = ent_side(d, e2)) &&
                        strcmp(a, b)) {
                        d->side[0] = a;
                        d->side[1] = b;
                        break;
                    }
                    if (is_dash_tok(d, q) && q + 1 < s->tok0 + s->ntok && d->tk[q + 1].ent >= 0 &&
                        (b = ent_side(d, d->m[d->tk[q + 1].ent].ent)) && strcmp(a, b)) {
                        d->side[0] = a;
                        d->side[1] = b;
                        break;
                    }
                } else if (tok_is(d, q, "and") && q + 1 < s->tok0 + s->ntok) {
                    size_t r = q + 1;
                    if (tok_is(d, r, "the") && r + 1 < s->tok0 + s->ntok)
                        r++;
                    if (d->tk[r].ent >= 0 && (b = ent_side(d, d->m[d->tk[r].ent].ent)) &&
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
        const char *s = ent_side(d, e);
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

static void find_dates(struct doc *d)
{
    char buf[16];
    struct tdate first = {0, 0, 0, 0, 0, 0, 0}, meet = {0, 0, 0, 0, 0, 0, 0};
    int have_first = 0, have_meet = 0;
    json_t *date = NULL, *date_end = NULL, *pub = NULL;

    for (size_t i = 0; i < d->ns && !have_meet; i++) {
        struct tdate t;
        const struct sent *s = &d->s[i];
        size_t k = s->tok0;
        while (next_date(d, k, s->tok0 + s->ntok, &t)) {
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
        if (y && fmt_date(buf, y, meet.m, meet.dd)) {
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
            fmt_date(buf, y, meet.m, meet.end_dd))
            date_end = json_string(buf);
    }
    /* The publication date: the last ISO date of the source line, else a
     * dateline. */
    if (d->source.len) {
        const char *s = d->source.ptr;
        for (size_t i = 0; i + 10 <= d->source.len; i++) {
            int y, m, dd;
            if ((i == 0 || !isdigit((unsigned char)s[i - 1])) && iso_date(s + i, 10, &y, &m, &dd) &&
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
                m = month_value(w, t->len);
                if (!m || !(dd = day_value(d, k + 1)))
                    continue;
                y = tok_is(d, k + 2, ",") && k + 3 < e ? year_value(d, k + 3)
                                                       : year_value(d, k + 2);
                if (y && (find_ci(d->t + s->off, s->len, 0, "by") >= 0 || s->ntok <= 6) &&
                    fmt_date(buf, y, m, dd))
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

static void find_place(struct doc *d)
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
                if (t->ent < 0 || ent(d, e = d->m[t->ent].ent)->kind != ENT_PLACE)
                    continue;
                if (tok_is(d, k - 1, "in") || tok_is(d, k - 1, "at") || (k == s->tok0 + 1 && 0) ||
                    t->off == s->off) {
                    place = json_string(ent(d, e)->canon);
                    break;
                }
            }
            if (!place && pass == 0 && d->tk[s->tok0].ent >= 0 &&
                ent(d, d->m[d->tk[s->tok0].ent].ent)->kind == ENT_PLACE && i == 0)
                place = json_string(ent(d, d->m[d->tk[s->tok0].ent].ent)->canon);
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
            if (d->tk[k].off < s->off + (size_t)h || !tok_is(d, k, "in"))
                continue;
            e = q;
            while (e < s->tok0 + s->ntok && d->tk[e].type == T_WORD && !d->tk[e].inent &&
                   isupper((unsigned char)d->t[d->tk[e].off]) &&
                   !month_value(d->t + d->tk[e].off, d->tk[e].len) &&
                   !word_kinds(&d->lex, d->t + d->tk[e].off, d->tk[e].len))
                e++;
            if (e > q && e - q <= 3) {
                place =
                    jclean(d->t + d->tk[q].off, d->tk[e - 1].off + d->tk[e - 1].len - d->tk[q].off);
                break;
            }
        }
    }
    /* 3. A meeting held online. */
    for (size_t i = 0; i < d->ns && i < 6 && !place; i++)
        for (int v = 0; virt[v] && !place; v++)
            if (find_ci(d->t + d->s[i].off, d->s[i].len, 0, virt[v]) >= 0 &&
                meeting_cue(d, &d->s[i]))
                place = json_string("virtual");
    jset(d->out, "place", place);
}

/* Words that make an ordinal the number of this meeting. */
static int round_noun(const struct doc *d, size_t k)
{
    static const char *const nouns[] = {"round",         "rounds",       "dialogue",   "working",
                                        "meeting",       "session",      "discussion", "talks",
                                        "consultations", "consultation", "high-level", NULL};
    for (int i = 0; nouns[i]; i++)
        if (tok_is(d, k, nouns[i]))
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
        if (!v || (k > s->tok0 && (tok_is(d, k - 1, "a") || tok_is(d, k - 1, "an"))))
            continue;
        for (q = k + 1; q < e && q <= k + 7; q++) {
            if (d->tk[q].type == T_PUNCT && !is_dash_tok(d, q))
                break;
            if (tok_is(d, q, "such") || tok_is(d, q, "of") || tok_is(d, q, "cycle") ||
                tok_is(d, q, "time") || tok_is(d, q, "day") || tok_is(d, q, "year"))
                break;
            if (round_noun(d, q)) {
                struct rt_buf b = RT_BUF_INIT;
                rt_buf_add(&b, d->t + t->off, t->len);
                if (tok_is(d, k + 1, "annual") || tok_is(d, k + 1, "round")) {
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

static void find_round(struct doc *d, const struct sent *title)
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
        if (!(tok_is(d, k, "Dialogue") && isupper((unsigned char)d->t[d->tk[k].off])) &&
            !(tok_is(d, k, "Group") && k > s->tok0 && tok_is(d, k - 1, "Working")))
            continue;
        a = k;
        while (a > s->tok0) {
            const struct tok *p = &d->tk[a - 1];
            if (ordinal_value(d->t + p->off, p->len) || tok_is(d, a - 1, "Annual") ||
                tok_is(d, a - 1, "the") || tok_is(d, a - 1, "The"))
                break;
            if (p->type == T_WORD && (isupper((unsigned char)d->t[p->off]) || p->inent)) {
                a--;
                continue;
            }
            if (is_dash_tok(d, a - 1) && a - 1 > s->tok0) {
                a--;
                continue;
            }
            break;
        }
        b = k + 1;
        while (b + 1 < e && (tok_is(d, b, "for") || tok_is(d, b, "on") || tok_is(d, b, "of")) &&
               isupper((unsigned char)d->t[d->tk[b + 1].off])) {
            size_t q = b + 1;
            while (q < e &&
                   ((d->tk[q].type == T_WORD && isupper((unsigned char)d->t[d->tk[q].off])) ||
                    tok_is(d, q, "and") ||
                    (tok_is(d, q, ",") && q + 1 < e && tok_is(d, q + 1, "and"))))
                q++;
            b = q;
        }
        while (b > k + 1 && (tok_is(d, b - 1, "and") || tok_is(d, b - 1, ",")))
            b--;
        for (size_t q = a; q < k; q++)
            if (d->tk[q].ent >= 0 && ent_side(d, d->m[d->tk[q].ent].ent))
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

static void find_dialogue_name(struct doc *d, const struct sent *title)
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

static int possessive(const struct doc *d, const struct tok *t)
{
    const char *p = d->t + t->off;
    return (t->len > 2 && p[t->len - 2] == '\'' && p[t->len - 1] == 's') ||
           (t->len > 4 && is_rsquo(p + t->len - 4, 4) && p[t->len - 1] == 's');
}

/* Can this token be part of a person's name? */
static int namey(const struct doc *d, const struct tok *t)
{
    if (!capitalised(d, t) || t->inent)
        return 0;
    if (t->len >= 2 && all_caps(d, t) && !(t->len == 2 && d->t[t->off + 1] == '.'))
        return 0; /* FCO, USAID; but "J." is an initial */
    if (month_value(d->t + t->off, t->len))
        return 0;
    if (word_kinds(&d->lex, d->t + t->off, t->len))
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

static int title_token(const struct doc *d, size_t k)
{
    const struct tok *t = &d->tk[k];
    return t->type == T_WORD && (isupper((unsigned char)d->t[t->off]) || t->inent ||
                                 (word_kinds(&d->lex, d->t + t->off, t->len) & W_HEAD));
}

static int connector(const struct doc *d, size_t k)
{
    return tok_is(d, k, "of") || tok_is(d, k, "for") || tok_is(d, k, "the") ||
           tok_is(d, k, "and") || tok_is(d, k, "to") || tok_is(d, k, "on") || tok_is(d, k, "in") ||
           tok_is(d, k, "&");
}

struct person {
    size_t a, b;   /* name tokens [a, b) */
    size_t ta, tb; /* title tokens [ta, tb), ta == tb when none */
    int byline;
};

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
            if (word_kinds(&d->lex, d->t + d->tk[p].off, d->tk[p].len) & W_HEAD)
                head = 1;
            first = p;
        } else if (!(connector(d, p) ||
                     (tok_is(d, p, ",") && p + 1 < a &&
                      (title_token(d, p + 1) ||
                       (connector(d, p + 1) && p + 2 < a && title_token(d, p + 2)))))) {
            break;
        }
        k = p;
    }
    while (first < a && (connector(d, first) || tok_is(d, first, ",")))
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

    if (b + 1 >= e || !tok_is(d, b, ","))
        return 0;
    k = b + 1;
    *ta = k;
    for (; k < e && !stop[k - s->tok0]; k++) {
        if (title_token(d, k)) {
            if (word_kinds(&d->lex, d->t + d->tk[k].off, d->tk[k].len) & W_HEAD)
                head = 1;
            continue;
        }
        if (connector(d, k) && !tok_is(d, k, "and"))
            continue;
        if (tok_is(d, k, ",") && k + 1 < e && title_token(d, k + 1) && !stop[k + 1 - s->tok0])
            continue;
        break;
    }
    while (k > *ta && (connector(d, k - 1) || tok_is(d, k - 1, ",")))
        k--;
    *tb = k;
    /* the head word must come early: "Padma Raman, Executive Director of ..." */
    if (head) {
        for (size_t q = *ta; q < *tb && q < *ta + 5; q++)
            if (word_kinds(&d->lex, d->t + d->tk[q].off, d->tk[q].len) & W_HEAD)
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

static const char *person_side(const struct doc *d, const struct sent *s, const struct person *p)
{
    const char *sd[2];
    size_t e = s->tok0 + s->ntok;

    if (p->ta < p->tb &&
        sides_in(d, d->tk[p->ta].off, d->tk[p->tb - 1].off + d->tk[p->tb - 1].len, sd) >= 1)
        return sd[0];
    /* "... participated for the United States" */
    for (size_t k = p->b; k + 2 < e; k++)
        if (tok_is(d, k, "for")) {
            size_t q = k + 1;
            if (tok_is(d, q, "the"))
                q++;
            if (q < e && d->tk[q].ent >= 0 && ent_side(d, d->m[d->tk[q].ent].ent))
                return ent_side(d, d->m[d->tk[q].ent].ent);
        }
    /* the nearest side mentioned before, in the sentence */
    for (size_t k = p->a; k > s->tok0; k--)
        if (d->tk[k - 1].ent >= 0 && ent_side(d, d->m[d->tk[k - 1].ent].ent))
            return ent_side(d, d->m[d->tk[k - 1].ent].ent);
    if (p->byline) {
        /* the side that speaks first: "The United States welcomes ..." */
        for (size_t i = 0; i < d->ns; i++) {
            size_t k = d->s[i].tok0;
            if (tok_is(d, k, "The") && d->s[i].ntok > 1)
                k++;
            if (d->tk[k].ent >= 0 && ent_side(d, d->m[d->tk[k].ent].ent))
                return ent_side(d, d->m[d->tk[k].ent].ent);
        }
        return d->side[0];
    }
    return NULL;
}

static unsigned tok_kinds(const struct doc *d, size_t k)
{
    return word_kinds(&d->lex, d->t + d->tk[k].off, d->tk[k].len);
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
 * possessive ("Vietnam's"). A bare noun ("Department Spokesperson") names nothing.
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
                if (possessive(d, &d->tk[q]))
                    a = q + 1;
                if (a == q + 1)
                    break;
                continue;
            }
            if (!capitalised(d, &d->tk[q]) || possessive(d, &d->tk[q]) ||
                (tok_kinds(d, q) & (W_HEAD | W_MOD | W_HONORIFIC)))
                break;
            a = q;
        }
        while (b < tb) {
            size_t q = b;
            if (connector(d, q) && !tok_is(d, q, "to") && !tok_is(d, q, "in")) {
                while (q < tb && connector(d, q))
                    q++;
                if (q >= tb || !capitalised(d, &d->tk[q]) || title_start(d, q, tb) == q)
                    break;
                b = q;
                continue;
            }
            if (tok_is(d, q, ",")) {
                /* ", Ministry of Foreign Affairs": another office, not a title */
                size_t r = q + 1;
                int office = 0;
                while (r < tb && r < q + 6 && (capitalised(d, &d->tk[r]) || connector(d, r))) {
                    if (tok_kinds(d, r) & (W_HEAD | W_MOD))
                        break;
                    if ((tok_kinds(d, r) & W_ORG) ||
                        (d->tk[r].ent >= 0 && ent(d, d->m[d->tk[r].ent].ent)->kind == ENT_AGENCY))
                        office = 1;
                    r++;
                }
                if (!office)
                    break;
                b = q + 1;
                continue;
            }
            if (!capitalised(d, &d->tk[q]) || possessive(d, &d->tk[q]))
                break;
            if (title_run(d, q, tb)) {
                b = title_start(d, q, tb); /* "... Affairs Assistant Foreign Minister" */
                break;
            }
            b = q + 1;
        }
        while (b > k + 1 && (connector(d, b - 1) || tok_is(d, b - 1, ",")))
            b--;
        if (b - a < 2)
            continue; /* "Department" alone */
        *oa = a;
        *ob = b;
        return 1;
    }
    for (size_t k = ta; k < tb; k++) {
        if (d->tk[k].ent >= 0 && ent(d, d->m[d->tk[k].ent].ent)->kind == ENT_AGENCY) {
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
            while (r < tb && (connector(d, r) || tok_is(d, r, ",")))
                r++;
            if (r < tb && title_run(d, r, tb))
                ta = r;
        } else if (ob == tb) {
            size_t r = oa;
            while (r > ta && (connector(d, r - 1) || tok_is(d, r - 1, ",")))
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
    if (sides_in(d, d->tk[p->ta].off, d->tk[p->tb - 1].off + d->tk[p->tb - 1].len, sd) >= 1 &&
        !strcmp(sd[0], "European Union"))
        return json_string("European Union");
    return NULL;
}

static json_t *person_role(const struct doc *d, const struct sent *s, const struct person *p)
{
    size_t k = p->ta < p->tb && p->ta < p->a ? p->ta : p->a;
    const char *txt = d->t + s->off;

    if (p->byline)
        return json_string("author");
    while (k > s->tok0 &&
           (connector(d, k - 1) ||
            word_kinds(&d->lex, d->t + d->tk[k - 1].off, d->tk[k - 1].len) & W_HONORIFIC))
        k--;
    if (k >= s->tok0 + 2 && tok_is(d, k - 1, "by") &&
        (tok_is(d, k - 2, "led") || tok_is(d, k - 2, "headed") || tok_is(d, k - 2, "chaired")))
        return json_string("delegation lead");
    if (k >= s->tok0 + 2 && tok_is(d, k - 1, "by") && tok_is(d, k - 2, "co-moderated"))
        return json_string("co-moderator");
    if (k >= s->tok0 + 2 && tok_is(d, k - 1, "by") && tok_is(d, k - 2, "co-chaired"))
        return json_string("co-chair");
    if (find_ci(txt, s->len, 0, "led their respective delegations") >= 0 ||
        (p->b < s->tok0 + s->ntok && (tok_is(d, p->b, "led") || tok_is(d, p->b, "headed"))))
        return json_string("delegation lead");
    return NULL;
}

static void emit_person(struct doc *d, json_t *list, const struct sent *s, struct person *p)
{
    struct rt_buf name = RT_BUF_INIT;
    const char *side;
    json_t *item, *org;
    size_t i;
    json_t *v;

    add_name(&name, d, p->a, p->b, p->byline);
    json_array_foreach(list, i, v)
    {
        const char *n = json_string_value(json_object_get(v, "name"));
        if (n && !strcmp(n, name.buf)) {
            rt_buf_release(&name);
            return;
        }
    }
    item = json_object();
    jset(item, "name", json_stringn(name.buf, name.len));
    side = person_side(d, s, p); /* from the whole title: "Laotian Interior Ministry ..." */
    org = person_org(d, p);      /* narrows the title to what is not the organisation */
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
    v = person_role(d, s, p);
    if (v)
        jset(item, "role", v);
    evidence(d, item, s);
    json_array_append_new(list, item);
    rt_buf_release(&name);
}

/* A byline "NED PRICE, DEPARTMENT SPOKESPERSON": a line in capitals, a name, a
 * comma and a title. */
static int byline(struct doc *d, const struct sent *s, json_t *list)
{
    size_t e = s->tok0 + s->ntok, comma = e;
    struct person p = {0, 0, 0, 0, 1};
    int head = 0;

    for (size_t k = s->tok0; k < e; k++) {
        const struct tok *t = &d->tk[k];
        if (t->type == T_WORD && !all_caps(d, t))
            return 0;
        if (tok_is(d, k, ",") && comma == e)
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
        if (word_kinds(&d->lex, w, t->len) & W_HEAD)
            head = 1;
    }
    if (!head)
        return 0;
    p.a = s->tok0;
    p.b = comma;
    p.ta = comma + 1;
    p.tb = e;
    emit_person(d, list, s, &p);
    return 1;
}

static void find_participants(struct doc *d)
{
    json_t *list = json_array();
    char *stop = NULL;

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        size_t e = s->tok0 + s->ntok;
        if (si < 4 && byline(d, s, list))
            continue;
        rt_free(stop);
        stop = rt_xcalloc(s->ntok + 1, 1);
        /* Mark the runs of name-like tokens; titles stop at them, and at words that
         * introduce people ("by", "including"). */
        for (size_t k = s->tok0; k < e; k++) {
            size_t b = k;
            while (b < e && (namey(d, &d->tk[b]) || (b > k && b + 1 < e && name_particle(d, b) &&
                                                     namey(d, &d->tk[b + 1]))))
                b++;
            if (b - k >= 2)
                for (size_t q = k; q < b; q++)
                    stop[q - s->tok0] = 1;
            if (tok_is(d, k, "by") || tok_is(d, k, "including") || tok_is(d, k, "with") ||
                tok_is(d, k, "included") || tok_is(d, k, "led") || tok_is(d, k, ";"))
                stop[k - s->tok0] = 1;
            if (b > k)
                k = b - 1;
        }
        for (size_t k = s->tok0; k < e; k++) {
            struct person p = {0, 0, 0, 0, 0};
            size_t b = k, ta, tb;
            int ok = 0;
            unsigned prevk;
            while (b < e && (namey(d, &d->tk[b]) || (b > k && b + 1 < e && name_particle(d, b) &&
                                                     namey(d, &d->tk[b + 1]))))
                b++;
            if (b == k)
                continue;
            p.a = k;
            p.b = b;
            prevk =
                k > s->tok0 ? word_kinds(&d->lex, d->t + d->tk[k - 1].off, d->tk[k - 1].len) : 0;
            if (b - k > 4 || possessive(d, &d->tk[b - 1]) ||
                (b < e && d->tk[b].type == T_WORD && isupper((unsigned char)d->t[d->tk[b].off]) &&
                 !d->tk[b].inent) ||
                (k > s->tok0 &&
                 (tok_is(d, k - 1, "for") || tok_is(d, k - 1, "of") || tok_is(d, k - 1, "to") ||
                  tok_is(d, k - 1, "on") || tok_is(d, k - 1, "the") || tok_is(d, k - 1, "in") ||
                  tok_is(d, k - 1, "at") || tok_is(d, k - 1, "from")))) {
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
                } else if (k - 1 > s->tok0 && title_before(d, s, k - 1, stop, &ta)) {
                    p.ta = ta;
                    p.tb = k - 1;
                }
            } else if (k > s->tok0 && !title_token(d, k - 1) && !tok_is(d, k - 1, ",") &&
                       title_after(d, s, b, stop, &ta, &tb)) {
                /* "... and Peter Wilson, Director of ..." */
                ok = 1;
                p.ta = ta;
                p.tb = tb;
            } else if (k > s->tok0 && tok_is(d, k - 1, ",") && k - 1 > s->tok0 &&
                       title_before(d, s, k - 1, stop, &ta) && ta < k - 1) {
                /* "EU Special Representative for Human Rights, Stavros Lambrinidis" */
                ok = 1;
                p.ta = ta;
                p.tb = k - 1;
            } else if (title_before(d, s, k, stop, &ta) && ta < k) {
                ok = 1;
                p.ta = ta;
                p.tb = k;
                while (p.tb > p.ta && tok_is(d, p.tb - 1, ","))
                    p.tb--;
            } else if (title_after(d, s, b, stop, &ta, &tb)) {
                ok = 1;
                p.ta = ta;
                p.tb = tb;
            }
            if (ok)
                emit_person(d, list, s, &p);
            k = b - 1;
        }
    }
    rt_free(stop);
    jset(d->out, "participants", list);
}

/* ----------------------------------------------------------------------------------
 */
/* Cue verbs: welcomed, urged, reaffirmed, committed, concerned. */

enum cue_cat { C_WELCOME, C_URGE, C_REAFFIRM, C_COMMIT, C_CONCERN, C_TOPIC };
enum cue_flags {
    CF_KEEP = 1,     /* the cue's words belong to "what" (remains committed to ...) */
    CF_WHOLE = 2,    /* "what" is the whole sentence (... remains a priority) */
    CF_PRONOUN = 4,  /* only after we / they / I */
    CF_TARGET = 8,   /* a party may follow: urged Belarus to, called on China to */
    CF_MODAL = 16,   /* "the government should ...": the subject is asked, by the other side */
    CF_PASSIVE = 32, /* "concerns were raised": by whoever spoke last */
};

struct cue {
    const char *text;
    int cat;
    unsigned flags;
};

static const struct cue cues[] = {
    {"welcomed", C_WELCOME, 0},
    {"welcomes", C_WELCOME, 0},
    {"welcome", C_WELCOME, CF_PRONOUN},
    {"commended", C_WELCOME, 0},
    {"commends", C_WELCOME, 0},
    {"appreciated", C_WELCOME, 0},
    {"expressed appreciation for", C_WELCOME, 0},
    {"expressed its appreciation for", C_WELCOME, 0},
    {"congratulated", C_WELCOME, 0},
    {"congratulates", C_WELCOME, 0},
    {"praised", C_WELCOME, 0},
    {"applauded", C_WELCOME, 0},
    {"recognized", C_WELCOME, 0},
    {"recognised", C_WELCOME, 0},
    {"recognizes", C_WELCOME, 0},
    {"noted with satisfaction", C_WELCOME, 0},
    {"noted with appreciation", C_WELCOME, 0},
    {"thanked", C_WELCOME, 0},
    {"urged", C_URGE, CF_TARGET},
    {"urges", C_URGE, CF_TARGET},
    {"urge", C_URGE, CF_TARGET | CF_PRONOUN},
    {"called on", C_URGE, CF_TARGET},
    {"called upon", C_URGE, CF_TARGET},
    {"calls on", C_URGE, CF_TARGET},
    {"call on", C_URGE, CF_TARGET | CF_PRONOUN},
    {"called for", C_URGE, 0},
    {"calls for", C_URGE, 0},
    {"call for", C_URGE, CF_PRONOUN},
    {"pressed", C_URGE, CF_TARGET},
    {"presses", C_URGE, CF_TARGET},
    {"encouraged", C_URGE, CF_TARGET},
    {"encourages", C_URGE, CF_TARGET},
    {"encourage", C_URGE, CF_TARGET | CF_PRONOUN},
    {"stressed the need", C_URGE, 0},
    {"expressed the need", C_URGE, 0},
    {"emphasized the need", C_URGE, 0},
    {"emphasised the need", C_URGE, 0},
    {"underlined the need", C_URGE, 0},
    {"underscored the need", C_URGE, 0},
    {"highlighted the need", C_URGE, 0},
    {"asked", C_URGE, CF_TARGET},
    {"requested", C_URGE, CF_TARGET},
    {"appealed to", C_URGE, CF_TARGET},
    {"its wish to", C_URGE, 0},
    {"expects", C_URGE, CF_TARGET},
    {"should", C_URGE, CF_MODAL},
    {"must", C_URGE, CF_MODAL},
    {"expressed the hope", C_URGE, 0},
    {"expressed its hope", C_URGE, 0},
    {"expressed their hope", C_URGE, 0},
    {"expressed the expectation", C_URGE, 0},
    {"expressed its expectation", C_URGE, 0},
    {"expressed his expectation", C_URGE, 0},
    {"expressed her expectation", C_URGE, 0},
    {"invited", C_URGE, CF_TARGET},
    {"recommended", C_URGE, 0},
    {"advocated", C_URGE, 0},
    {"pushed for", C_URGE, 0},
    {"insisted on", C_URGE, 0},
    {"their wish to", C_URGE, 0},
    {"reaffirmed", C_REAFFIRM, 0},
    {"reaffirms", C_REAFFIRM, 0},
    {"reaffirm", C_REAFFIRM, CF_PRONOUN},
    {"reiterated", C_REAFFIRM, 0},
    {"reiterates", C_REAFFIRM, 0},
    {"reiterate", C_REAFFIRM, CF_PRONOUN},
    {"reconfirmed", C_REAFFIRM, 0},
    {"restated", C_REAFFIRM, 0},
    {"remains committed", C_REAFFIRM, CF_KEEP},
    {"remain committed", C_REAFFIRM, CF_KEEP},
    {"remained committed", C_REAFFIRM, CF_KEEP},
    {"expressed the willingness", C_REAFFIRM, CF_KEEP},
    {"expressed their willingness", C_REAFFIRM, CF_KEEP},
    {"expressed willingness", C_REAFFIRM, CF_KEEP},
    {"made positive comments", C_REAFFIRM, CF_KEEP},
    {"underlined the importance", C_REAFFIRM, CF_KEEP},
    {"acknowledged the importance", C_REAFFIRM, CF_KEEP},
    {"underscored the importance", C_REAFFIRM, CF_KEEP},
    {"stressed the importance", C_REAFFIRM, CF_KEEP},
    {"emphasized the importance", C_REAFFIRM, CF_KEEP},
    {"emphasised the importance", C_REAFFIRM, CF_KEEP},
    {"noted that", C_REAFFIRM, 0},
    {"remains a priority", C_REAFFIRM, CF_WHOLE},
    {"remain a priority", C_REAFFIRM, CF_WHOLE},
    {"is foundational", C_REAFFIRM, CF_WHOLE},
    {"committed to", C_COMMIT, CF_KEEP},
    {"pledged to", C_COMMIT, CF_KEEP},
    {"undertook to", C_COMMIT, CF_KEEP},
    {"promised to", C_COMMIT, CF_KEEP},
    {"offered to", C_COMMIT, CF_KEEP},
    {"expressed concern", C_CONCERN, 0},
    {"expressed its concern", C_CONCERN, 0},
    {"expressed deep concern", C_CONCERN, 0},
    {"raised concerns", C_CONCERN, 0},
    {"raised concern", C_CONCERN, 0},
    {"regrets", C_CONCERN, 0},
    {"regretted", C_CONCERN, 0},
    {"its disappointment", C_CONCERN, 0},
    {"deplored", C_CONCERN, 0},
    {"condemned", C_CONCERN, 0},
    {"protested", C_CONCERN, 0},
    {"presented its concerns regarding", C_CONCERN, 0},
    {"concerns were raised", C_CONCERN, CF_PASSIVE},
    {"concern was raised", C_CONCERN, CF_PASSIVE},
    {"concerns were expressed", C_CONCERN, CF_PASSIVE},
    {"concern was expressed", C_CONCERN, CF_PASSIVE},
    {"remain behind bars", C_CONCERN, CF_WHOLE},
    {"discussed", C_TOPIC, 0},
    {"addressed", C_TOPIC, 0},
    {"exchanged views", C_TOPIC, 0},
    {"raised", C_TOPIC, 0},
    {"briefed each other", C_TOPIC, 0},
    {"covered", C_TOPIC, 0},
    {"featured discussions on", C_TOPIC, 0},
    {"focusing in particular on", C_TOPIC, 0},
    {"focused on", C_TOPIC, 0},
    {NULL, 0, 0},
};

struct hit {
    size_t off, len; /* in the text */
    const struct cue *cue;
};

/* Every cue in sentence s, in text order, longest first at a position. */
static size_t find_cues(const struct doc *d, const struct sent *s, struct hit *h, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->len && n < max; i++) {
        const char *p = d->t + s->off + i;
        const struct cue *best = NULL;
        if (i && word_byte(p - 1, 1))
            continue;
        for (const struct cue *c = cues; c->text; c++) {
            size_t m = strlen(c->text);
            if (m > s->len - i || !eq_ci(p, m, c->text) ||
                !boundary_after(d->t, s->off + i + m, s->off + s->len))
                continue;
            if (!best || m > strlen(best->text))
                best = c;
        }
        if (!best)
            continue;
        if (best->flags & CF_PRONOUN) {
            /* the word before must be we / they / I / also */
            size_t w = i, we;
            while (w && is_space((unsigned char)d->t[s->off + w - 1]))
                w--;
            we = w;
            while (w && word_byte(d->t + s->off + w - 1, 1))
                w--;
            if (!(eq_ci(d->t + s->off + w, we - w, "we") ||
                  eq_ci(d->t + s->off + w, we - w, "they") ||
                  eq_ci(d->t + s->off + w, we - w, "i") ||
                  eq_ci(d->t + s->off + w, we - w, "also") ||
                  eq_ci(d->t + s->off + w, we - w, "warmly") ||
                  eq_ci(d->t + s->off + w, we - w, "strongly")))
                continue;
        }
        /* "committed to" after remain(s) is a reaffirmation, found as such. */
        h[n].off = s->off + i;
        h[n].len = strlen(best->text);
        h[n].cue = best;
        n++;
        i += h[n - 1].len - 1;
    }
    return n;
}

/* Who speaks in the subject text [a, b): a side, "both", or NULL. */
static const char *subject_by(struct doc *d, size_t a, size_t b)
{
    static const char *const both[] = {"both",
                                       "two sides",
                                       "two delegations",
                                       "two countries",
                                       "two governments",
                                       "participants",
                                       "the sides",
                                       "the parties",
                                       "they",
                                       "jointly",
                                       "delegations",
                                       "two parties",
                                       NULL};
    const char *sd[2];
    int n;

    for (int i = 0; both[i]; i++)
        if (find_ci(d->t, b, a, both[i]) >= 0)
            return "both";
    n = sides_in(d, a, b, sd);
    if (n >= 2) {
        /* "X and Y" (or "X and the Y") is both; "the X delegation ... in Y, and
         * urged" is X: the "and" must join two mentions of different sides */
        const struct mention *prev = NULL;
        for (size_t i = 0; i < d->nm; i++) {
            const struct mention *m = &d->m[i];
            const char *ms;
            if (m->off < a || m->off >= b || !(ms = ent_side(d, m->ent)))
                continue;
            if (prev && strcmp(ent_side(d, prev->ent), ms)) {
                size_t g = prev->off + prev->len;
                if ((m->off == g + 5 && !memcmp(d->t + g, " and ", 5)) ||
                    (m->off == g + 9 && eq_ci(d->t + g, 9, " and the ")))
                    return "both";
            }
            prev = m;
        }
        return sd[0];
    }
    if (n == 1)
        return sd[0];
    if (find_ci(d->t, b, a, "we") >= 0 || find_ci(d->t, b, a, "our") >= 0 ||
        find_ci(d->t, b, a, "delegation") >= 0 || find_ci(d->t, b, a, "it") >= 0 ||
        find_ci(d->t, b, a, "side") >= 0)
        return d->last_by ? d->last_by : d->side[0];
    return NULL;
}

/* Strips words from the front of what: "that", "the need to", "to". */
static void trim_front(const char **p, size_t *n)
{
    static const char *const fronts[] = {"that ",         "to ", "for ", "the need to ",
                                         "the need for ", "on ", "the ", NULL};
    int again = 1;
    while (again) {
        again = 0;
        while (*n && is_space((unsigned char)**p)) {
            (*p)++;
            (*n)--;
        }
        for (int i = 0; fronts[i]; i++) {
            size_t m = strlen(fronts[i]);
            if (i == 6)
                break; /* "the" stays */
            if (*n > m && eq_ci(*p, m, fronts[i])) {
                *p += m;
                *n -= m;
                again = 1;
            }
        }
    }
}

static void add_item(struct doc *d, json_t *list, const struct sent *s, const char *by,
                     const char *target, const char *what, size_t n, int with_target)
{
    json_t *item, *w;
    if (!(w = jclean(what, n)))
        return;
    if (json_string_length(w) < 4 || !strchr(json_string_value(w), ' ')) {
        json_decref(w);
        return;
    }
    item = json_object();
    jset(item, "by", by ? json_string(by) : NULL);
    if (with_target)
        jset(item, "target", target ? json_string(target) : NULL);
    jset(item, "what", w);
    evidence(d, item, s);
    json_array_append_new(list, item);
}

/* The conditional offer of sentence s ("If X, Y will Z" or "Y will Z if X"), if
 * any. */
static int conditional(struct doc *d, const struct sent *s, json_t *list)
{
    const char *t = d->t + s->off;
    size_t n = s->len;
    long iff = find_ci(t, n, 0, "if"), modal = -1;
    static const char *const modals[] = {"will",         "would",     "shall",
                                         "stands ready", "is ready",  "is prepared",
                                         "are prepared", "are ready", NULL};
    size_t if_a, if_b, then_a, then_b;
    const char *by = NULL, *sd[2];
    json_t *item;

    if (iff < 0)
        return 0;
    for (int i = 0; modals[i]; i++) {
        long m = find_ci(t, n, 0, modals[i]);
        if (m >= 0 && (modal < 0 || m < modal))
            modal = m;
    }
    if (modal < 0)
        return 0;
    if (iff <= 12 && modal > iff) {
        /* "If X, Y will Z": the if-clause ends at the last comma before the modal.
         */
        long c = -1;
        for (long i = iff; i < modal; i++)
            if (t[i] == ',')
                c = i;
        if (c < 0)
            return 0;
        if_a = (size_t)iff + 2;
        if_b = (size_t)c;
        then_a = (size_t)c + 1;
        then_b = n;
        if (sides_in(d, s->off + then_a, s->off + (size_t)modal, sd) >= 1)
            by = sd[0];
    } else if (modal < iff) {
        /* "Y will Z if X" */
        long sub = modal;
        while (sub > 0 && t[sub - 1] != ',' && t[sub - 1] != ';')
            sub--;
        if_a = (size_t)iff + 2;
        if_b = n;
        then_a = (size_t)sub;
        then_b = (size_t)iff;
        if (sides_in(d, s->off + then_a, s->off + (size_t)modal, sd) >= 1)
            by = sd[0];
        else if (find_ci(t, (size_t)modal, (size_t)sub, "we") >= 0)
            by = d->last_by ? d->last_by : d->side[0];
        else
            return 0;
    } else {
        return 0;
    }
    if (!by)
        by = d->last_by ? d->last_by : d->side[0];
    item = json_object();
    jset(item, "by", by ? json_string(by) : NULL);
    jset(item, "if", jclean(t + if_a, if_b - if_a));
    jset(item, "then", jclean(t + then_a, then_b - then_a));
    evidence(d, item, s);
    json_array_append_new(list, item);
    return 1;
}

/* The text of a clause after cue h in sentence s, until the next coordinated
 * cue. */
static void clause_end(const struct doc *d, const struct sent *s, const struct hit *h, size_t nh,
                       size_t i, size_t *end)
{
    size_t send = s->off + s->len, a = h[i].off + h[i].len;
    const char *semi = memchr(d->t + a, ';', send - a);

    *end = semi ? (size_t)(semi - d->t) : send;
    for (size_t j = i + 1; j < nh; j++) {
        size_t c = h[j].off;
        long best = -1;
        if (c >= *end)
            break;
        /* the last " and " or ", " before the next cue, within a few words */
        for (size_t q = a; q + 1 < c; q++)
            if (!memcmp(d->t + q, " and ", 5) || !memcmp(d->t + q, ", ", 2) ||
                !memcmp(d->t + q, " while ", 7))
                best = (long)q;
        if (best >= 0 && c - (size_t)best <= 48) {
            *end = (size_t)best;
            return;
        }
    }
}

/*
 * What a concern is about: "regarding limits on civic space" and "its deep concern
 * about the harassment of lawyers" are about what follows the preposition.
 */
static void concern_object(const char **p, size_t *n)
{
    static const char *const preps[] = {"about ",          "regarding ", "over ",           "at ",
                                        "in relation to ", "as to ",     "with regard to ", NULL};
    size_t lim = *n < 60 ? *n : 60;
    long at = -1;
    size_t m = 0;

    for (int i = 0; preps[i]; i++) {
        long f = find_ci(*p, lim, 0, preps[i]);
        if (f >= 0 && (at < 0 || f < at)) {
            at = f;
            m = strlen(preps[i]);
        }
    }
    /* only a preposition at the start, or after "(its) (deep) concern(s)" */
    if (at < 0 || (at > 0 && find_ci(*p, (size_t)at, 0, "concern") < 0))
        return;
    *p += (size_t)at + m;
    *n -= (size_t)at + m;
}

/*
 * A reaffirmation of a concern is a concern, of an appreciation a welcome: the head
 * noun after the possessive and its adjectives ("its serious concerns about")
 * decides. Returns the cue to file the item under.
 */
static const struct cue *reaffirmed_as(const struct cue *c, const char *w, size_t n)
{
    static const struct cue concern = {"reiterated", C_CONCERN, 0};
    static const struct cue welcome = {"reiterated", C_WELCOME, 0};
    static const char *const skip[] = {
        "its",   "their",  "his",       "her",   "our",     "the",      "serious", "deep",
        "grave", "strong", "continued", "great", "sincere", "profound", "ongoing", NULL};
    size_t i = 0;

    for (;;) {
        size_t a, k;
        int skipped = 0;
        while (i < n && is_space((unsigned char)w[i]))
            i++;
        for (a = i; i < n && isalpha((unsigned char)w[i]); i++)
            ;
        if (i == a)
            return c;
        for (k = 0; skip[k]; k++)
            if (eq_ci(w + a, i - a, skip[k]))
                skipped = 1;
        if (skipped)
            continue;
        if (eq_ci(w + a, i - a, "concern") || eq_ci(w + a, i - a, "concerns"))
            return &concern;
        if (eq_ci(w + a, i - a, "recognition") || eq_ci(w + a, i - a, "appreciation"))
            return &welcome;
        return c;
    }
}

/*
 * "(the) authorities to", "(its) government to": one to three words in small
 * letters before "to", right after an asking verb. Sets *after past "to" and
 * returns 1 when they are there.
 */
static int target_words(const struct doc *d, size_t q, size_t end, size_t *after)
{
    size_t words = 0, i = q;

    while (i < end && words < 4) {
        size_t a = i;
        while (i < end && !is_space((unsigned char)d->t[i]))
            i++;
        if (i - a == 2 && eq_ci(d->t + a, 2, "to") && words >= 1) {
            *after = i;
            return 1;
        }
        if (d->t[i - 1] == ',' || !islower((unsigned char)d->t[a]))
            return 0;
        words++;
        while (i < end && is_space((unsigned char)d->t[i]))
            i++;
    }
    return 0;
}

/*
 * The party right before a modal verb ("The Tajik government should", "Laos
 * must"): a mention of one side that ends at most two words before position b and
 * after a. NULL when the subject is not a party ("reforms must be").
 */
static const char *modal_subject(const struct doc *d, size_t a, size_t b)
{
    const struct mention *last = NULL;
    size_t words = 0;

    for (size_t i = 0; i < d->nm; i++)
        if (d->m[i].off >= a && d->m[i].off + d->m[i].len <= b && ent_side(d, d->m[i].ent))
            last = &d->m[i];
    if (!last)
        return NULL;
    for (size_t i = last->off + last->len; i < b; i++) {
        if (d->t[i] == ',' || d->t[i] == ';')
            return NULL;
        if (!is_space((unsigned char)d->t[i]) && is_space((unsigned char)d->t[i - 1]))
            words++;
    }
    return words <= 2 ? ent_side(d, last->ent) : NULL;
}

static void find_cue_items(struct doc *d)
{
    json_t *welcomed = json_array(), *urged = json_array(), *cond = json_array(),
           *reaff = json_array(), *commit = json_array(), *concern = json_array();
    struct hit h[32];

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        size_t nh = find_cues(d, s, h, 32), prev = s->off;
        int is_cond = conditional(d, s, cond);

        for (size_t i = 0; i < nh; i++) {
            const struct cue *c = h[i].cue;
            const char *by, *target = NULL, *sd[2];
            size_t a = h[i].off + h[i].len, end, sub_a = prev;
            const char *w;
            size_t wn;

            clause_end(d, s, h, nh, i, &end);
            /* the subject starts after the previous clause */
            by = subject_by(d, sub_a, h[i].off);
            if (!by && (i > 0 || (c->flags & CF_PASSIVE)))
                by = d->last_by;
            if (!by && (c->flags & CF_WHOLE) && sides_in(d, s->off, s->off + s->len, sd) >= 1)
                by = sd[0];
            if (!by && find_ci(d->t + s->off, s->len, 0, "our") >= 0)
                by = d->last_by ? d->last_by : d->side[0];
            if (by && strcmp(by, "both"))
                d->last_by = by;
            prev = end;
            if (c->cat == C_TOPIC || (is_cond && c->cat != C_REAFFIRM))
                continue;
            /* "reiterated its call on X to ...", "reiterated its wish to ...": an ask
             */
            if (c->cat == C_REAFFIRM && i + 1 < nh && h[i + 1].cue->cat == C_URGE &&
                h[i + 1].off < end)
                continue;
            if (c->flags & CF_WHOLE) {
                w = d->t + s->off;
                wn = s->len;
            } else if (c->flags & CF_KEEP) {
                w = d->t + h[i].off;
                wn = end - h[i].off;
            } else {
                w = d->t + a;
                wn = end - a;
            }
            if (c->flags & CF_MODAL) {
                /* "The Tajik government should involve NGOs": asked of the subject */
                const char *subj = modal_subject(d, sub_a, h[i].off);
                if (!subj || !other_side(d, subj))
                    continue;
                by = subj;
                trim_front(&w, &wn);
                add_item(d, urged, s, other_side(d, by), by, w, wn, 1);
                continue;
            }
            if (c->cat == C_URGE) {
                /* a party right after the cue: "urged Belarus to", "called on China to"
                 */
                size_t q = a;
                while (q < end && is_space((unsigned char)d->t[q]))
                    q++;
                if (q + 4 < end && eq_ci(d->t + q, 4, "the "))
                    q += 4;
                if (c->flags & CF_TARGET) {
                    size_t len;
                    int e = ent_at(d, q, end, &len);
                    if (e >= 0 && ent_side(d, e)) {
                        target = ent_side(d, e);
                        q += len;
                        /* "the Chinese delegation", "the Belarusian authorities" */
                        while (q < end && d->t[q] == ' ' && q + 1 < end &&
                               islower((unsigned char)d->t[q + 1]) &&
                               find_ci(d->t, end, q, "to") > (long)q + 1 &&
                               find_ci(d->t, end, q, "to") < (long)q + 30) {
                            q = (size_t)find_ci(d->t, end, q, "to");
                            break;
                        }
                        w = d->t + q;
                        wn = end - q;
                    } else if (target_words(d, q, end, &q)) {
                        /* "urged the authorities to": asked of the other side */
                        w = d->t + q;
                        wn = end - q;
                    }
                }
                if (!target)
                    target = other_side(d, by);
                if (by && !strcmp(by, "both"))
                    continue;
            }
            trim_front(&w, &wn);
            /* "reiterated its serious concerns about", "reiterated its recognition of":
             * what is repeated decides what it is */
            if (c->cat == C_REAFFIRM && !(c->flags & (CF_KEEP | CF_WHOLE)))
                c = reaffirmed_as(c, w, wn);
            if (c->cat == C_CONCERN)
                concern_object(&w, &wn);
            if (c->cat == C_URGE)
                add_item(d, urged, s, by, target, w, wn, 1);
            else if (c->cat == C_WELCOME)
                add_item(d, welcomed, s, by, NULL, w, wn, 0);
            else if (c->cat == C_REAFFIRM)
                add_item(d, reaff, s, by, NULL, w, wn, 0);
            else if (c->cat == C_COMMIT) {
                /* "remains committed" was taken as a reaffirmation */
                if (h[i].off >= s->off + 7 &&
                    (find_ci(d->t, h[i].off, h[i].off - 8, "remain") >= 0 ||
                     find_ci(d->t, h[i].off, h[i].off - 8, "remains") >= 0))
                    continue;
                if (by && !strcmp(by, "both"))
                    continue;
                add_item(d, commit, s, by, NULL, w, wn, 0);
            } else if (c->cat == C_CONCERN)
                add_item(d, concern, s, by, NULL, w, wn, 0);
        }
    }
    jset(d->out, "welcomed", welcomed);
    jset(d->out, "urged", urged);
    jset(d->out, "conditional_commitments", cond);
    jset(d->out, "reaffirmations", reaff);
    jset(d->out, "commitments", commit);
    jset(d->out, "concerns", concern);
}

/* ----------------------------------------------------------------------------------
 */
/* Topics. */

static const char *const topic_cues[] = {"featured discussions on",
                                         "focusing in particular on",
                                         "under the general topic of",
                                         "exchanged views on",
                                         "exchange of views on",
                                         "exchanged views",
                                         "discussions on",
                                         "discussion on",
                                         "discussion of",
                                         "discussed",
                                         "addressed",
                                         "raised",
                                         "covered",
                                         "dedicated to",
                                         "focused on",
                                         "focusing on",
                                         "talks on",
                                         "these included",
                                         "concerns about",
                                         "concern about",
                                         "concerns regarding",
                                         "concern regarding",
                                         "concerns over",
                                         "concern over",
                                         "concerns in relation to",
                                         "concern in relation to",
                                         NULL};

/* Words that say nothing about the subject ("a range of key issues"). */
static int generic_word(const char *p, size_t n)
{
    static const char *const g[] = {
        "a",        "an",        "the",         "range",    "wide",     "wide-ranging", "key",
        "broad",    "number",    "issues",      "issue",    "concerns", "concern",      "ongoing",
        "human",    "rights",    "situation",   "topics",   "matters",  "areas",        "of",
        "specific", "several",   "various",     "variety",  "other",    "interest",     "common",
        "mutual",   "and",       "in",          "both",     "on",       "views",        "ways",
        "field",    "related",   "also",        "to",       "within",   "including",    "such",
        "as",       "issues",    "this",        "that",     "these",    "their",        "its",
        "each",     "side",      "sides",       "further",  "well",     "questions",    "set",
        "series",   "host",      "discussions", "dialogue", "between",  "two",          "sides",
        "country",  "countries", "for",         "with",     NULL};
    for (int i = 0; g[i]; i++)
        if (eq_ci(p, n, g[i]))
            return 1;
    return 0;
}

static int all_generic(const struct doc *d, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t a, len;
        while (i < n && !word_byte(p + i, n - i))
            i++;
        a = i;
        if (i >= n)
            break;
        if (ent_at(d, (size_t)(p + i - d->t), (size_t)(p + n - d->t), &len) >= 0) {
            i += len;
            continue;
        }
        while (i < n && (word_byte(p + i, n - i) || p[i] == '-' || p[i] == '\''))
            i++;
        if (!generic_word(p + a, i - a))
            return 0;
    }
    return 1;
}

static size_t word_count(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (word_byte(p + i, n - i) && (i == 0 || !word_byte(p + i - 1, 1)))
            c++;
    return c;
}

/* Cleans one listed item and adds it; distributes "freedom of" over short
 * items. */
static void add_topic(struct doc *d, json_t *list, const struct sent *s, const char *p, size_t n,
                      struct rt_buf *prefix)
{
    static const char *const fronts[] = {"and ",
                                         "or ",
                                         "as well as ",
                                         "including ",
                                         "notably ",
                                         "in particular ",
                                         "particularly ",
                                         "issues such as ",
                                         "such as ",
                                         "the importance of ensuring that ",
                                         "the importance of ",
                                         "best practices in the area of ",
                                         "best practices on ",
                                         "issues of ",
                                         "issues related to ",
                                         "questions of ",
                                         "a review of ",
                                         "the ",
                                         "a ",
                                         "an ",
                                         "our shared ",
                                         "their ",
                                         "its ",
                                         "the situation of ",
                                         "functioning of ",
                                         "possibilities of ",
                                         "prospects for ",
                                         "other ",
                                         "also ",
                                         "on ",
                                         "through ",
                                         "about ",
                                         "regarding ",
                                         "concerning ",
                                         "with regard to ",
                                         "with a specific focus on ",
                                         "a specific focus on ",
                                         NULL};
    static const char *const cutters[] = {" in order to ", " with a view to ", " and other issues",
                                          " and other ",   " both in ",        NULL};
    static const char *const splitters[] = {" as well as ", ", including ", " including ",
                                            " and the ", NULL};
    struct rt_buf b = RT_BUF_INIT;
    int again = 1;
    json_t *v;
    size_t i;

    while (again) {
        again = 0;
        while (n && (is_space((unsigned char)*p) || *p == ',' || *p == ':')) {
            p++;
            n--;
        }
        for (int f = 0; fronts[f]; f++) {
            size_t m = strlen(fronts[f]);
            if (n > m && eq_ci(p, m, fronts[f])) {
                p += m;
                n -= m;
                again = 1;
            }
        }
    }
    for (int c = 0; splitters[c]; c++) {
        long at = find_ci(p, n, 0, splitters[c]);
        if (at > 0) {
            size_t m = strlen(splitters[c]);
            add_topic(d, list, s, p, (size_t)at, prefix);
            add_topic(d, list, s, p + at + m, n - (size_t)at - m, prefix);
            return;
        }
    }
    for (int c = 0; cutters[c]; c++) {
        long at = find_ci(p, n, 0, cutters[c]);
        if (at > 0)
            n = (size_t)at;
    }
    while (n && (is_space((unsigned char)p[n - 1]) || p[n - 1] == '.' || p[n - 1] == ','))
        n--;
    if (!n || all_generic(d, p, n) || word_count(p, n) > 25)
        return;
    /* a relative clause ("where elections will take place") is not a subject */
    if (eq_ci(p, n < 6 ? n : 6, "where ") || eq_ci(p, n < 6 ? n : 6, "which ") ||
        eq_ci(p, n < 4 ? n : 4, "who "))
        return;
    /* "freedom of expression, assembly and religion" */
    /* (rights go to one-word groups only: "rights of women, children" but not
     * "rights of persons with disabilities, land tenure") */
    if (word_count(p, n) <= (prefix->len && prefix->buf[0] == 'r' ? 1u : 3u) && prefix->len &&
        find_ci(p, n, 0, "of") < 0 && islower((unsigned char)p[0]))
        rt_buf_add(&b, prefix->buf, prefix->len);
    add_clean(&b, p, n, " ,;:.");
    {
        rt_buf_reset(prefix);
        if (find_ci(b.buf, b.len, 0, "freedom of") >= 0 ||
            find_ci(b.buf, b.len, 0, "freedoms of") >= 0)
            rt_buf_adds(prefix, "freedom of ");
        else if (find_ci(b.buf, b.len, 0, "rights of") >= 0)
            rt_buf_adds(prefix, "rights of ");
    }
    json_array_foreach(list, i, v)
    {
        if (!strcmp(json_string_value(v), b.buf)) {
            rt_buf_release(&b);
            return;
        }
    }
    if (b.len)
        jpush(list, json_stringn(b.buf, b.len));
    (void)s;
    rt_buf_release(&b);
}

/*
 * Whether p[0, n) is one adjective ("prompt", "constitutional"): a single word with
 * an adjective's ending. "prompt, thorough, impartial and independent
 * investigations" and "constitutional, legal and administrative aspects" list
 * adjectives of one subject, not subjects.
 */
static int lone_adjective(const char *p, size_t n)
{
    static const char *const ends[] = {"al",  "ive", "ous",  "ent", "ant", "ic", "ful",
                                       "ary", "pt",  "ough", "ble", "ial", NULL};
    while (n && is_space((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && is_space((unsigned char)p[n - 1]))
        n--;
    if (!n || word_count(p, n) != 1 || !islower((unsigned char)p[0]))
        return 0;
    for (int i = 0; ends[i]; i++) {
        size_t m = strlen(ends[i]);
        if (n > m + 2 && eq_ci(p + n - m, m, ends[i]))
            return 1;
    }
    return 0;
}

/* Splits a list "a, b; c, and d" into items. */
static void split_topics(struct doc *d, json_t *list, const struct sent *s, const char *p, size_t n)
{
    struct rt_buf prefix = RT_BUF_INIT;
    int semis = memchr(p, ';', n) != NULL;
    size_t i = 0, a = 0;
    int depth = 0;

    while (i <= n) {
        int sep = 0;
        if (i < n && (p[i] == '(' || p[i] == '['))
            depth++;
        if (i < n && (p[i] == ')' || p[i] == ']') && depth)
            depth--;
        if (i == n)
            sep = 1;
        else if (!depth && p[i] == ';')
            sep = 1;
        else if (!depth && !semis && p[i] == ',' && !lone_adjective(p + a, i - a))
            sep = 1;
        if (sep) {
            const char *q = p + a;
            size_t m = i - a;
            /* the last item of a list: "b and c" becomes two */
            long and = find_ci(q, m, 0, "and");
            size_t commas = 0;
            for (size_t c = 0; c < m; c++)
                commas += q[c] == ',';
            const char *last = NULL;
            for (size_t c = 0; c < m; c++)
                if (q[c] == ',')
                    last = q + c;
            size_t tail = last ? m - (size_t)(last + 1 - q) : 0;
            /* (m < n: a ';' inside brackets leaves the whole text one item, which
             * would come back here for ever) */
            if (semis && commas && m < n &&
                (commas >= 2 || find_ci(q, m, 0, ", and") >= 0 ||
                 (word_count(last + 1, tail) <= 4 && find_ci(last + 1, tail, 0, "and") >= 0))) {
                /* "freedoms of expression, peaceful assembly, and association" */
                split_topics(d, list, s, q, m);
            } else if (and > 0 && (i == n || semis) && word_count(q, m) <= 5 && a > 0 &&
                       find_ci(q, (size_t) and, 0, "of") < 0) {
                add_topic(d, list, s, q, (size_t) and, &prefix);
                add_topic(d, list, s, q + and+3, m - (size_t) and -3, &prefix);
            } else {
                add_topic(d, list, s, q, m, &prefix);
            }
            a = i + 1;
        }
        i++;
    }
    rt_buf_release(&prefix);
}

/* The next topic cue in t[from, n): its offset and length, or -1. */
static long next_topic_cue(const char *t, size_t n, size_t from, size_t *len)
{
    long at = -1;
    for (int c = 0; topic_cues[c]; c++) {
        long f = find_ci(t, n, from, topic_cues[c]);
        if (f >= 0 && (at < 0 || f < at || (f == at && strlen(topic_cues[c]) > *len))) {
            at = f;
            *len = strlen(topic_cues[c]);
        }
    }
    return at;
}

static void find_topics(struct doc *d)
{
    json_t *list = json_array();

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        const char *t = d->t + s->off;
        size_t clen = 0, from = 0;
        long at;

        while ((at = next_topic_cue(t, s->len, from, &clen)) >= 0) {
            size_t a = (size_t)at + clen, e = s->len, nlen = 0;
            long nx = next_topic_cue(t, s->len, a, &nlen);
            from = a;
            /* a following cue in the same sentence ends this list at its conjunction
             */
            if (nx > (long)a) {
                long q = nx;
                while (q > (long)a && t[q - 1] != ',' && t[q - 1] != ';' &&
                       !(q >= (long)a + 5 && !memcmp(t + q - 5, " and ", 5)))
                    q--;
                if (q > (long)a && nx - q < 40)
                    e = (size_t)(q - (t[q - 1] == ' ' ? 5 : 1));
            }
            {
                static const char *const stops[] = {" and the two ", " and both ", " and explored ",
                                                    NULL};
                for (int k = 0; stops[k]; k++) {
                    long f = find_ci(t, e, a, stops[k]);
                    if (f > (long)a)
                        e = (size_t)f;
                }
            }
            while (a < e && is_space((unsigned char)t[a]))
                a++;
            /* "topics discussed in Havana": a place or a time, not a subject */
            if (find_ci(t, e, a, "in") == (long)a || find_ci(t, e, a, "at") == (long)a ||
                find_ci(t, e, a, "during") == (long)a || find_ci(t, e, a, "before") == (long)a ||
                find_ci(t, e, a, "with") == (long)a || find_ci(t, e, a, "by") == (long)a)
                continue;
            /* a head before "including" / "such as" that says nothing is dropped */
            {
                long inc = find_ci(t, e, a, "including");
                long such = find_ci(t, e, a, "such as");
                long inpart = find_ci(t, e, a, "in particular");
                long k = inc;
                size_t klen = 9;
                if (such >= 0 && (k < 0 || such < k))
                    k = such, klen = 7;
                if (inpart >= 0 && (k < 0 || inpart < k))
                    k = inpart, klen = 13;
                if (k > (long)a) {
                    struct rt_buf pre = RT_BUF_INIT;
                    if (!all_generic(d, t + a, (size_t)k - a) &&
                        word_count(t + a, (size_t)k - a) <= 10)
                        add_topic(d, list, s, t + a, (size_t)k - a, &pre);
                    rt_buf_release(&pre);
                    a = (size_t)k + klen;
                }
            }
            if (e > a)
                split_topics(d, list, s, t + a, e - a);
        }
    }
    jset(d->out, "topics", list);
}

/* ----------------------------------------------------------------------------------
 */
/* Events, next steps, document type. */

static void find_events(struct doc *d)
{
    json_t *events = json_array(), *persons = json_array(), *next = json_array();

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        size_t e = s->tok0 + s->ntok;
        const char *t = d->t + s->off;

        if (find_ci(t, s->len, 0, "next round") >= 0 ||
            find_ci(t, s->len, 0, "next meeting") >= 0 ||
            find_ci(t, s->len, 0, "will be held") >= 0 || find_ci(t, s->len, 0, "agreed to") >= 0 ||
            find_ci(t, s->len, 0, "decided to") >= 0 || find_ci(t, s->len, 0, "next dialogue") >= 0)
            jpush(next, sent_json(d, s));

        for (size_t k = s->tok0; k + 1 < e; k++) {
            json_t *ev, *names;
            const char *country = NULL, *type = "political_prisoner_release";
            long count = -1;
            const char *count_word = NULL;
            int released = 0;
            struct tdate dt;
            if (!(tok_is(d, k, "political") &&
                  (tok_is(d, k + 1, "prisoners") || tok_is(d, k + 1, "detainees"))))
                continue;
            /* a release: released / release of / freed / pardoned before it */
            for (size_t q = s->tok0; q < k; q++) {
                if (tok_is(d, q, "release") || tok_is(d, q, "released") || tok_is(d, q, "freed") ||
                    tok_is(d, q, "freeing") || tok_is(d, q, "releasing"))
                    released = 1;
                if (tok_is(d, q, "pardoned") || tok_is(d, q, "pardon"))
                    released = 1, type = "pardon";
            }
            if (!released || find_ci(t, s->len, 0, "call for") >= 0 ||
                find_ci(t, s->len, 0, "called for") >= 0 || find_ci(t, s->len, 0, "urge") >= 0)
                break;
            if (k > s->tok0) {
                const struct tok *c = &d->tk[k - 1];
                int v = cardinal_value(d->t + c->off, c->len);
                if (v > 0)
                    count = v;
                else if (tok_is(d, k - 1, "several") || tok_is(d, k - 1, "dozens") ||
                         tok_is(d, k - 1, "many") || tok_is(d, k - 1, "some"))
                    count_word = "several";
                else if (tok_is(d, k - 1, "all"))
                    count_word = "all";
            }
            /* whose release: "Belarus’ release", "in Belarus" */
            for (size_t q = s->tok0; q < e && !country; q++)
                if (d->tk[q].ent >= 0 && ent_side(d, d->m[d->tk[q].ent].ent) &&
                    (q > k ||
                     (q + 1 < e && (tok_is(d, q + 1, "release") || tok_is(d, q + 1, "released") ||
                                    possessive(d, &d->tk[q]) ||
                                    is_rsquo(d->t + d->tk[q].off + d->tk[q].len,
                                             d->n - d->tk[q].off - d->tk[q].len)))))
                    country = ent_side(d, d->m[d->tk[q].ent].ent);
            if (!country)
                country = d->side[1];
            ev = json_object();
            jset(ev, "type", json_string(type));
            jset(ev, "country", country ? json_string(country) : NULL);
            jset(ev, "count",
                 count >= 0   ? json_integer(count)
                 : count_word ? json_string(count_word)
                              : NULL);
            names = json_array();
            for (size_t q = k; q + 2 < e; q++) {
                size_t b;
                if (!tok_is(d, q, "including"))
                    continue;
                b = q + 1;
                while (b < e && namey(d, &d->tk[b]))
                    b++;
                if (b - q - 1 >= 2) {
                    json_t *nm = jclean(d->t + d->tk[q + 1].off,
                                        d->tk[b - 1].off + d->tk[b - 1].len - d->tk[q + 1].off);
                    if (nm) {
                        json_array_append(names, nm);
                        json_array_append_new(persons, nm);
                    }
                }
            }
            jset(ev, "persons", names);
            {
                char buf[16];
                json_t *date = NULL;
                if (next_date(d, k, e, &dt) && dt.m) {
                    int y = resolve_year(d, &dt, 1);
                    if (y && fmt_date(buf, y, dt.m, dt.dd))
                        date = json_string(buf);
                }
                jset(ev, "date", date);
            }
            evidence(d, ev, s);
            json_array_append_new(events, ev);
            break;
        }
    }
    jset(d->out, "agreed_next_steps", next);
    jset(d->out, "steps_reported", json_array());
    jset(d->out, "events", events);
    jset(d->out, "persons_of_concern", persons);
}

/* The theme areas of each topic ("topic_themes", in the order of "topics") and of
 * each urged item (its "themes"). */
static void find_themes(struct doc *d)
{
    json_t *list = json_array(), *v;
    size_t i;

    json_array_foreach(json_object_get(d->out, "topics"), i, v)
    {
        const char *t = json_string_value(v);
        json_array_append_new(
            list, json_pack("{s:s, s:o}", "topic", t, "themes", rt_readout_themes(t, strlen(t))));
    }
    jset(d->out, "topic_themes", list);
    json_array_foreach(json_object_get(d->out, "urged"), i, v)
    {
        const char *t = json_string_value(json_object_get(v, "what"));
        jset(v, "themes", rt_readout_themes(t, t ? strlen(t) : 0));
    }
}

static const char *doc_type(const struct doc *d)
{
    const char *t = d->title.ptr ? d->title.ptr : "";
    size_t head = d->n - d->body < 400 ? d->n - d->body : 400;

    if (find_ci(t, d->title.len, 0, "joint statement") >= 0 ||
        find_ci(d->t + d->body, head, 0, "joint statement") >= 0)
        return "joint_statement";
    if (find_ci(t, d->title.len, 0, "statement") >= 0 ||
        find_ci(d->t + d->body, head, 0, "press statement") >= 0)
        return "statement";
    if (find_ci(t, d->title.len, 0, "announce") >= 0)
        return "announcement";
    return "readout";
}

/* ----------------------------------------------------------------------------------
 */
/* Checks and the entry points. */

/* Checks the bytes: no NUL, valid UTF-8. Returns the offset of the first bad
 * byte, or len. Counts letters in the Latin script (ASCII) and others. */
static size_t check_text(const char *t, size_t len, size_t *latin, size_t *other)
{
    size_t i = 0;
    *latin = *other = 0;
    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        size_t n;
        uint32_t cp;
        if (c == 0)
            return i;
        if (c < 0x80) {
            if (isalpha(c))
                (*latin)++;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, cp = c & 0x07;
        else
            return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if (((unsigned char)t[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | ((unsigned char)t[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        if (cp < 0x250)
            (*latin)++; /* Latin-1 and Latin Extended */
        else if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x206F))
            (*other)++;
        i += n;
    }
    return len;
}

static void doc_release(struct doc *d)
{
    lex_release(&d->lex);
    rt_free(d->s);
    rt_free(d->tk);
    rt_free(d->m);
    rt_buf_release(&d->notes);
    json_decref(d->out);
}

/*
 * Where a text cut off mid-word should end: a copy that stops at a length limit
 * ends inside a word ("encouraged Vietnam to accept ano"). When the last line runs
 * on (eight words or more) and ends in a small letter, the unfinished word is
 * dropped, and what comes before it is read as usual. Returns the new length, or 0
 * when the text ends where it should.
 */
static size_t cut_text(const char *t, size_t n)
{
    size_t e = n, line, words = 0, w;

    while (e && is_space((unsigned char)t[e - 1]))
        e--;
    if (!e || !islower((unsigned char)t[e - 1]))
        return 0;
    for (line = e; line && t[line - 1] != '\n'; line--)
        ;
    for (size_t i = line; i < e; i++)
        if (!is_space((unsigned char)t[i]) && (i == line || is_space((unsigned char)t[i - 1])))
            words++;
    if (words < 8)
        return 0;
    for (w = e; w > line && !is_space((unsigned char)t[w - 1]); w--)
        ;
    for (;;) {
        static const char *const dangling[] = {"and", "or", "to",  "the",  "of", "a",
                                               "an",  "in", "for", "with", "on", NULL};
        size_t a;
        int drop = 0;
        while (w > line && (is_space((unsigned char)t[w - 1]) || t[w - 1] == ','))
            w--;
        for (a = w; a > line && !is_space((unsigned char)t[a - 1]); a--)
            ;
        for (int k = 0; dangling[k]; k++)
            if (eq(t + a, w - a, dangling[k]))
                drop = 1;
        if (!drop || a <= line)
            break;
        w = a;
    }
    return w > line ? w : 0;
}

int rt_readout_parse(const char *text, size_t len, const char *name, unsigned flags, json_t **out,
                     struct rt_error *err)
{
    struct doc d;
    struct sent title;
    size_t bad, latin, other, i, cut;
    json_t *sides;
    int rc = 0;

    *out = NULL;
    memset(&d, 0, sizeof(d));
    d.notes = (struct rt_buf)RT_BUF_INIT;
    if (len > RT_READOUT_MAX)
        return rt_error_set(err, RT_ETOOBIG, name, 0, NULL,
                            "a readout is at most %d bytes; this one has %zu", RT_READOUT_MAX, len);
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    bad = check_text(text, len, &latin, &other);
    if (bad < len)
        return rt_error_set(err, RT_EFORMAT, name, 0, NULL,
                            "not a text file: %s at byte %zu (a readout is UTF-8 text)",
                            text[bad] ? "invalid UTF-8" : "a NUL byte", bad);
    for (i = 0; i < len && is_space((unsigned char)text[i]); i++)
        ;
    if (i == len)
        return rt_error_set(err, RT_EINVAL, name, 0, NULL, "the readout is empty");

    cut = cut_text(text, len);
    d.t = text;
    d.n = cut ? cut : len;
    d.flags = flags;
    lex_load(&d.lex);
    d.out = json_object();
    parse_header(&d);
    split(&d);
    title = title_sent(&d);

    jset(d.out, "file", name ? json_string(name) : NULL);
    jset(d.out, "document_type", json_string(doc_type(&d)));
    jset(d.out, "text_complete", json_boolean(!cut));
    find_sides(&d, &title);
    find_dates(&d);
    find_place(&d);
    find_round(&d, &title);
    find_dialogue_name(&d, &title);
    sides = json_array();
    for (int k = 0; k < 2; k++)
        if (d.side[k])
            json_array_append_new(sides, json_string(d.side[k]));
    jset(d.out, "sides", sides);
    d.last_by = NULL;
    find_participants(&d);
    find_topics(&d);
    find_cue_items(&d);
    find_themes(&d);
    /* keep the gold files' key order: conditional_commitments after urged, etc.
     */
    find_events(&d);
    if (other > latin)
        rt_buf_addf(&d.notes,
                    "%smost letters are not in the Latin script: the rules read "
                    "English only, so little or nothing was extracted",
                    d.notes.len ? "; " : "");
    if (!d.side[0])
        rt_buf_addf(&d.notes, "%sno party (state or EU) recognised", d.notes.len ? "; " : "");
    jset(d.out, "notes", d.notes.len ? json_stringn(d.notes.buf, d.notes.len) : NULL);
    if (flags & RT_READOUT_EVIDENCE) {
        json_t *ss = json_array();
        for (size_t k = 0; k < d.ns; k++)
            jpush(ss, sent_json(&d, &d.s[k]));
        jset(d.out, "sentences", ss);
    }
    {
        /* Re-order the keys to the gold files' order. */
        static const char *const order[] = {"file",
                                            "document_type",
                                            "text_complete",
                                            "date",
                                            "date_end",
                                            "publication_date",
                                            "place",
                                            "dialogue_name",
                                            "round",
                                            "round_text",
                                            "sides",
                                            "participants",
                                            "topics",
                                            "topic_themes",
                                            "welcomed",
                                            "urged",
                                            "conditional_commitments",
                                            "reaffirmations",
                                            "commitments",
                                            "concerns",
                                            "agreed_next_steps",
                                            "steps_reported",
                                            "events",
                                            "persons_of_concern",
                                            "notes",
                                            "sentences",
                                            NULL};
        json_t *o = json_object();
        for (int k = 0; order[k]; k++) {
            json_t *v = json_object_get(d.out, order[k]);
            if (v)
                json_object_set(o, order[k], v);
        }
        *out = o;
    }
    doc_release(&d);
    return rc;
}

int rt_readout_parse_file(const char *path, unsigned flags, json_t **out, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    struct stat sb;
    FILE *fp = NULL;
    const char *base = strrchr(path, '/');
    char chunk[8192];
    size_t n;
    int rc = 0;

    *out = NULL;
    rt_buf_init(&b, RT_READOUT_MAX + 1);
    if (!(fp = fopen(path, "rb"))) {
        rc = rt_error_errno(err, path, "cannot open");
        goto out;
    }
    if (fstat(fileno(fp), &sb) < 0) {
        rc = rt_error_errno(err, path, "cannot read");
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "not a regular file");
        goto out;
    }
    if (sb.st_size > RT_READOUT_MAX) {
        rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL,
                          "a readout is at most %d bytes; this file has %lld", RT_READOUT_MAX,
                          (long long)sb.st_size);
        goto out;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (rt_buf_add(&b, chunk, n) < 0) {
            rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL, "a readout is at most %d bytes",
                              RT_READOUT_MAX);
            goto out;
        }
    }
    if (ferror(fp)) {
        rc = rt_error_errno(err, path, "cannot read");
        goto out;
    }
    rc = rt_readout_parse(b.buf, b.len, base ? base + 1 : path, flags, out, err);
    if (rc < 0 && err && !err->file)
        err->file = rt_xstrdup(path);
out:
    if (fp)
        fclose(fp);
    rt_buf_release(&b);
    return rc;
}

const char *rt_readout_step_kind(const char *event_type)
{
    if (!event_type)
        return "other";
    if (!strcmp(event_type, "political_prisoner_release") ||
        !strcmp(event_type, "prisoner_release"))
        return "prisoner-release";
    if (!strcmp(event_type, "pardon"))
        return "pardon";
    if (!strcmp(event_type, "amnesty"))
        return "amnesty";
    return "other";
}

static struct lex party_lex;
static pthread_once_t party_once = PTHREAD_ONCE_INIT;

static void party_lex_load(void)
{
    lex_load(&party_lex);
}

const char *rt_readout_party_code(const char *side)
{
    if (!side)
        return NULL;
    pthread_once(&party_once, party_lex_load);
    for (size_t i = 0; i < party_lex.n_ents; i++)
        if ((party_lex.ents[i].kind == ENT_SIDE) && !strcmp(party_lex.ents[i].canon, side))
            return party_lex.ents[i].code;
    return NULL;
}
