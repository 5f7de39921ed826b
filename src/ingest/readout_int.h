/*
 * The readout parser's shared parts: the lexicon, the document being parsed
 * (its sentences, tokens and entity mentions), small string helpers, and the
 * functions one part of the parser calls in another. Only src/ingest/readout*.c
 * include it.
 */
#ifndef RT_INGEST_READOUT_INT_H
#define RT_INGEST_READOUT_INT_H

#include <ctype.h>

#include <jansson.h>

#include <rightstrack/readout.h>

/*
 * The lexicon: the gazetteer (entities with their variants) and the word lists
 * of data/readout/, read from the embedded copies into one mutable string per
 * parse.
 */
enum ent_kind { ENT_SIDE = 'S', ENT_AGENCY = 'A', ENT_ORG = 'O', ENT_PLACE = 'P' };

struct ent {
    const char *canon; /* the canonical name ("European Union"), into lex.gaz */
    const char *code;  /* its code (a state's ISO code), or NULL ("-" in the file) */
    char kind;         /* an enum ent_kind */
};

/* One spelling of an entity ("EU", "the European Union", "Brussels"). */
struct variant {
    const char *p; /* the spelling, into lex.gaz (not NUL-terminated) */
    size_t len;    /* its length in bytes */
    int ent;       /* the entity it names: lex.ents[ent] */
};

enum word_kind { W_HEAD = 1, W_HONORIFIC = 2, W_WORD = 4, W_MOD = 8, W_ORG = 16 };

/* A word of data/readout/words.tsv and what it can be. */
struct word {
    const char *p;  /* the word, into lex.words */
    size_t len;     /* its length in bytes */
    unsigned kinds; /* enum word_kind bits: a title's head, an honorific, ... */
};

struct lex {
    char *gaz, *words;     /* owned copies, cut into strings */
    struct ent *ents;      /* the gazetteer's entities */
    size_t n_ents, a_ents; /* how many, and room for how many */
    struct variant *vars;  /* every spelling of every entity */
    size_t n_vars, a_vars; /* how many, and room for how many */
    size_t first[257];     /* vars sorted by first byte: vars[first[b]..first[b+1]) */
    struct word *w;  /* the word list, by length then bytes (a word may be of several kinds) */
    size_t n_w, a_w; /* how many, and room for how many */
};

/* One token of a sentence: a word (letters, digits, inner ' ’ - and the dots of
 * U.S.), a number (digits, maybe with a suffix: 25th), or one punctuation mark.
 */
enum tok_type { T_WORD = 'w', T_NUM = 'n', T_PUNCT = 'p' };

struct tok {
    size_t off, len; /* in the text */
    char type;       /* an enum tok_type */
    int ent;         /* index of the entity mention that starts here, or -1 */
    int inent;       /* inside an entity mention */
};

struct sent {
    size_t off, len;   /* in the text */
    size_t tok0, ntok; /* its tokens: tk[tok0, tok0 + ntok) */
};

struct mention {
    size_t off, len; /* in the text */
    int ent;         /* the entity: lex.ents[ent] */
};

struct doc {
    const char *t;                      /* the text (not NUL-terminated) */
    size_t n;                           /* its length in bytes */
    unsigned flags;                     /* RT_READOUT_* of the call */
    struct lex lex;                     /* the lexicon, loaded for this parse */
    struct rt_str title, hdate, source; /* the header's first three lines */
    size_t body;                        /* where the body starts, after the header */
    struct sent *s;                     /* the sentences, in text order */
    size_t ns, as;                      /* how many sentences, and room for how many */
    struct tok *tk;                     /* the tokens of all sentences */
    size_t ntk, atk;                    /* how many tokens, and room for how many */
    struct mention *m;                  /* entity mentions, in text order */
    size_t nm, am;                      /* how many mentions, and room for how many */
    int year, month, day;  /* the reference date (header, else the first in the text) */
    const char *side[2];   /* canonical names; NULL when unknown */
    const char *last_by;   /* the side that spoke last, for "the delegation", "we" */
    struct act_span *acts; /* objects of the speech acts, found before the topics */
    size_t nacts, aacts;   /* how many, and room for how many */
    struct rt_buf notes;   /* the draft's "notes" (no date found, ...), as written */
    json_t *out;           /* the draft being filled in, key by key (owned) */
};

/* The object of a speech act (what was welcomed, urged, reaffirmed, of concern):
 * its subjects are topics too. */
struct act_span {
    size_t off, len; /* in the text */
    size_t sent;     /* its sentence: d->s[sent] */
    int urge;        /* an ask that starts with its verb ("protect the right to") */
};

struct tdate {
    int y, m, dd;      /* dd 0: month precision; m 0: year precision */
    int end_dd, end_m; /* a range's last day, or 0 */
    size_t tok;        /* the token where it starts */
    size_t next;       /* the token after its month (or its year): where to look on */
};

/* ----------------------------------------------------------------------------------
 */
/* Small string helpers. */

static inline int is_ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the typographic punctuation (dashes, quotes, bullets, no-break
 * space) at p, or 0. */
static inline size_t upunct(const char *p, size_t rem)
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

static inline int is_rsquo(const char *p, size_t rem)
{
    return rem >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
           (unsigned char)p[2] == 0x99;
}

/* A byte that belongs to a word: ASCII letters and digits, and any non-ASCII
 * byte that is not typographic punctuation. */
static inline int word_byte(const char *p, size_t rem)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return is_ascii_alnum(c);
    return upunct(p, rem) == 0;
}

static inline int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int eq_ci(const char *a, size_t n, const char *b)
{
    size_t i;
    for (i = 0; i < n && b[i]; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return i == n && !b[i];
}

static inline int eq(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && !memcmp(a, b, n);
}

static inline int boundary_before(const char *base, size_t off)
{
    return off == 0 || !word_byte(base + off - 1, 1);
}

static inline int boundary_after(const char *base, size_t end, size_t n)
{
    return end >= n || !word_byte(base + end, n - end);
}

/*
 * Finds pat (case-insensitive, on word boundaries where pat starts or ends with
 * a letter) in s[from, n); returns its offset or -1.
 */
static inline long find_ci(const char *s, size_t n, size_t from, const char *pat)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t m = strlen(pat), last;
    unsigned char lo;
    int letter;
    uint64_t lo8;

    if (!m || m > n)
        return -1;
    last = n - m; /* the last offset pat can start at */
    lo = (unsigned char)lower((unsigned char)pat[0]);
    letter = lo >= 'a' && lo <= 'z';
    lo8 = ones * lo;
    for (size_t i = from; i <= last; i++) {
        /* This loop is the parser's hottest. Skip to the first byte: for a letter, 8
         * bytes at a time while none of them, with the case bit set (| 0x20), is the
         * letter (the classic "has a zero byte" test; it may also stop a little early,
         * never late); for anything else, memchr. */
        if (letter) {
            for (uint64_t w; i + 8 <= n; i += 8) {
                memcpy(&w, s + i, 8);
                w = (w | ones * 0x20) ^ lo8;
                if ((w - ones) & ~w & highs)
                    break;
            }
            if (i > last)
                break;
            if (((unsigned char)s[i] | 0x20) != lo)
                continue;
        } else {
            const char *f = memchr(s + i, lo, last + 1 - i);
            if (!f)
                break;
            i = (size_t)(f - s);
        }
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

/* Does pat start at s[at] (in s[0, n)), as find_ci would find it there? Without
 * reading past it. */
static inline int word_at(const char *s, size_t n, size_t at, const char *pat)
{
    size_t m = strlen(pat);
    return m && at + m <= n && eq_ci(s + at, m, pat) &&
           (!is_ascii_alnum((unsigned char)pat[0]) || boundary_before(s, at)) &&
           (!is_ascii_alnum((unsigned char)pat[m - 1]) || boundary_after(s, at + m, n));
}

/* Appends s[0, n) to b with runs of white space folded and the ends trimmed of
 * spaces and of the punctuation in trim. */
static inline void add_clean(struct rt_buf *b, const char *s, size_t n, const char *trim)
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
static inline json_t *jclean(const char *s, size_t n)
{
    struct rt_buf b = RT_BUF_INIT;
    json_t *v = NULL;

    add_clean(&b, s, n, " ,;:.-");
    if (b.len)
        v = json_stringn(b.buf, b.len);
    rt_buf_release(&b);
    return v;
}

static inline void jset(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static inline void jpush(json_t *a, json_t *v)
{
    if (v)
        json_array_append_new(a, v);
}

/*
 * Across the parts (rt__ro_: internal to the readout parser). Each is described
 * where it is defined; in short:
 */

/*
 * readout_text.c: the lexicon, the header, sentences, tokens and entity mentions. The
 * entity functions return -1 or NULL when there is none; rt__ro_ent_side gives the
 * canonical name of a side (a state or the EU), NULL for any other entity.
 */
void rt__ro_lex_load(struct lex *lx);
void rt__ro_lex_release(struct lex *lx);
unsigned rt__ro_word_kinds(const struct lex *lx, const char *p, size_t len);
int rt__ro_ent_at(const struct doc *d, size_t off, size_t end, size_t *len);
const struct ent *rt__ro_ent(const struct doc *d, int i);
const char *rt__ro_ent_side(const struct doc *d, int i);
int rt__ro_iso_date(const char *s, size_t n, int *y, int *m, int *dd);
void rt__ro_parse_header(struct doc *d);
void rt__ro_split(struct doc *d);
struct sent rt__ro_title_sent(struct doc *d);

/*
 * readout_when.c: numbers and dates (a value, or 0 when the words are not one;
 * rt__ro_next_date returns 1 and fills *out when it finds a date), and the finders of
 * the meeting's date, place, round and dialogue name, which set keys of d->out.
 */
int rt__ro_cardinal_value(const char *p, size_t n);
int rt__ro_month_value(const char *p, size_t n);
/* Is token k the word or mark s, in any case? (Inline: the parser's most called
 * test.) */
static inline int rt__ro_tok_is(const struct doc *d, size_t k, const char *s)
{
    return k < d->ntk && eq_ci(d->t + d->tk[k].off, d->tk[k].len, s);
}
int rt__ro_is_dash_tok(const struct doc *d, size_t k);
int rt__ro_next_date(const struct doc *d, size_t k, size_t end, struct tdate *out);
int rt__ro_fmt_date(char out[16], int y, int m, int dd);
int rt__ro_resolve_year(const struct doc *d, const struct tdate *t, int past);
void rt__ro_find_dates(struct doc *d);
void rt__ro_find_place(struct doc *d);
void rt__ro_find_round(struct doc *d, const struct sent *title);
void rt__ro_find_dialogue_name(struct doc *d, const struct sent *title);

/*
 * readout_who.c: the sentence a finding comes from (as evidence when asked for), the
 * sides mentioned in a stretch of text, and the finders of the sides and participants.
 */
json_t *rt__ro_sent_json(const struct doc *d, const struct sent *s);
void rt__ro_evidence(const struct doc *d, json_t *item, const struct sent *s);
int rt__ro_sides_in(const struct doc *d, size_t a, size_t b, const char *out[2]);
/* The index of the first mention at or after offset a (d->nm when none): a binary
 * search, the mentions being in text order. */
size_t rt__ro_first_mention(const struct doc *d, size_t a);
const char *rt__ro_other_side(const struct doc *d, const char *s);
void rt__ro_find_sides(struct doc *d, const struct sent *title);
int rt__ro_possessive(const struct doc *d, const struct tok *t);
int rt__ro_namey(const struct doc *d, const struct tok *t);
void rt__ro_find_participants(struct doc *d);

/*
 * readout_acts.c: the finder of the speech acts (it sets "welcomed", "urged",
 * "conditional_commitments", "reaffirmations", "commitments" and "concerns" of
 * d->out, and fills d->acts), and whether a text opens with a circumstance ("During
 * the dialogue, ..."), which readout_topics.c asks too.
 */
void rt__ro_find_cue_items(struct doc *d);
int rt__ro_opens_with_circumstance(const char *t, size_t n);

/*
 * readout_topics.c: the finders of the topics (from topic cues and from d->acts, so
 * after rt__ro_find_cue_items), events, persons of concern and next steps, the theme
 * areas, and the document type.
 */
void rt__ro_find_topics(struct doc *d);
void rt__ro_find_events(struct doc *d);
void rt__ro_find_themes(struct doc *d);
const char *rt__ro_doc_type(const struct doc *d);

#endif
