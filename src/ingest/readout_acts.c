/*
 * The readout parser, part 4: the speech acts. A table of cue verbs and phrases
 * (welcomed, urged, called on, reaffirmed, committed, expressed concern, ...) is
 * found in each sentence; for each cue, who spoke (the subject, a side or both, or
 * the side that spoke last), whom it asks (urged Laos to ...), and what (the clause
 * after the cue, cut at the next coordinated cue) become items of "welcomed",
 * "urged", "reaffirmations", "commitments", "concerns" and
 * "conditional_commitments" (if X, Y will Z). The objects of the acts are kept in
 * d->acts, from which readout_topics.c takes topics too.
 */
#include "base/compat.h"

#include <pthread.h>

#include "ingest/readout_int.h"

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
    CF_IMPORT = 64,  /* "stressed the importance of": by one side an ask, by both a position */
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
    {"commend", C_WELCOME, CF_PRONOUN},
    {"note with appreciation", C_WELCOME, CF_PRONOUN},
    {"notes with appreciation", C_WELCOME, 0},
    {"notes with satisfaction", C_WELCOME, 0},
    {"took note with appreciation", C_WELCOME, 0},
    {"took note with satisfaction", C_WELCOME, 0},
    {"expressed satisfaction with", C_WELCOME, 0},
    {"expressed its satisfaction with", C_WELCOME, 0},
    {"expressed appreciation of", C_WELCOME, 0},
    {"expressed its appreciation of", C_WELCOME, 0},
    {"appreciates", C_WELCOME, 0},
    {"appreciate", C_WELCOME, CF_PRONOUN},
    {"applauds", C_WELCOME, 0},
    {"applaud", C_WELCOME, CF_PRONOUN},
    {"praises", C_WELCOME, 0},
    {"lauded", C_WELCOME, 0},
    {"hailed", C_WELCOME, 0},
    {"saluted", C_WELCOME, 0},
    {"acknowledged the progress", C_WELCOME, CF_KEEP},
    {"acknowledged the efforts", C_WELCOME, CF_KEEP},
    {"acknowledged the steps", C_WELCOME, CF_KEEP},
    /* the participles of the same verbs: "while welcoming", "recognising X, ..." */
    {"welcoming", C_WELCOME, 0},
    {"commending", C_WELCOME, 0},
    {"recognising", C_WELCOME, 0},
    {"recognizing", C_WELCOME, 0},
    {"appreciating", C_WELCOME, 0},
    {"congratulating", C_WELCOME, 0},
    {"praising", C_WELCOME, 0},
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
    {"urging", C_URGE, CF_TARGET},
    {"calling on", C_URGE, CF_TARGET},
    {"calling upon", C_URGE, CF_TARGET},
    {"calling for", C_URGE, 0},
    {"encouraging", C_URGE, CF_TARGET},
    {"pressing", C_URGE, CF_TARGET},
    {"stressing the need", C_URGE, 0},
    {"emphasising the need", C_URGE, 0},
    {"emphasizing the need", C_URGE, 0},
    {"underlining the need", C_URGE, 0},
    {"highlighting the need", C_URGE, 0},
    {"expressed hope", C_URGE, 0},
    {"hoped that", C_URGE, 0},
    {"hopes that", C_URGE, 0},
    {"recalled the importance", C_URGE, CF_IMPORT},
    {"highlighted the importance", C_URGE, CF_IMPORT},
    {"noted the importance", C_REAFFIRM, CF_KEEP},
    {"stressing the importance", C_URGE, CF_IMPORT},
    {"underlining the importance", C_URGE, CF_IMPORT},
    {"emphasising the importance", C_URGE, CF_IMPORT},
    {"emphasizing the importance", C_URGE, CF_IMPORT},
    {"their wish to", C_URGE, 0},
    {"call upon", C_URGE, CF_TARGET | CF_PRONOUN},
    {"calls upon", C_URGE, CF_TARGET},
    {"pleaded for", C_URGE, 0},
    {"demanded", C_URGE, CF_TARGET},
    {"demands", C_URGE, CF_TARGET},
    {"demand", C_URGE, CF_TARGET | CF_PRONOUN},
    {"asks", C_URGE, CF_TARGET},
    {"requests", C_URGE, CF_TARGET},
    {"invites", C_URGE, CF_TARGET},
    {"invite", C_URGE, CF_TARGET | CF_PRONOUN},
    {"recommends", C_URGE, 0},
    {"stressed the necessity", C_URGE, 0},
    {"underlined the necessity", C_URGE, 0},
    {"emphasised the necessity", C_URGE, 0},
    {"emphasized the necessity", C_URGE, 0},
    {"highlighted the necessity", C_URGE, 0},
    {"pointed to the need", C_URGE, 0},
    {"pointed out the need", C_URGE, 0},
    {"stresses the need", C_URGE, 0},
    {"underlines the need", C_URGE, 0},
    {"insisted that", C_URGE, 0},
    {"expressed the wish", C_URGE, 0},
    {"expressed its wish", C_URGE, 0},
    {"stresses the importance", C_URGE, CF_IMPORT},
    {"underlines the importance", C_URGE, CF_IMPORT},
    {"emphasises the importance", C_URGE, CF_IMPORT},
    {"emphasizes the importance", C_URGE, CF_IMPORT},
    {"emphasised the importance", C_URGE, CF_IMPORT},
    {"pointed to the importance", C_URGE, CF_IMPORT},
    {"underlined the value", C_URGE, CF_IMPORT},
    {"stressed the value", C_URGE, CF_IMPORT},
    {"emphasised the value", C_URGE, CF_IMPORT},
    {"emphasized the value", C_URGE, CF_IMPORT},
    {"highlighted the value", C_URGE, CF_IMPORT},
    {"reaffirmed", C_REAFFIRM, 0},
    {"reaffirms", C_REAFFIRM, 0},
    {"reaffirm", C_REAFFIRM, CF_PRONOUN},
    {"reiterated", C_REAFFIRM, 0},
    {"reiterates", C_REAFFIRM, 0},
    {"reiterate", C_REAFFIRM, CF_PRONOUN},
    {"reaffirming", C_REAFFIRM, 0},
    {"reiterating", C_REAFFIRM, 0},
    {"reconfirmed", C_REAFFIRM, 0},
    /* a position shared or renewed, in other words */
    {"agreed that", C_REAFFIRM, 0},
    {"shared the view that", C_REAFFIRM, 0},
    {"reaffirmation of", C_REAFFIRM, 0},
    {"recalled its commitment", C_REAFFIRM, CF_KEEP},
    {"recalled their commitment", C_REAFFIRM, CF_KEEP},
    {"confirmed its commitment", C_REAFFIRM, CF_KEEP},
    {"confirmed their commitment", C_REAFFIRM, CF_KEEP},
    {"renewed its commitment", C_REAFFIRM, CF_KEEP},
    {"renewed their commitment", C_REAFFIRM, CF_KEEP},
    {"underlined its commitment", C_REAFFIRM, CF_KEEP},
    {"underlined their commitment", C_REAFFIRM, CF_KEEP},
    {"stressed its commitment", C_REAFFIRM, CF_KEEP},
    {"stressed their commitment", C_REAFFIRM, CF_KEEP},
    {"emphasised its commitment", C_REAFFIRM, CF_KEEP},
    {"emphasized its commitment", C_REAFFIRM, CF_KEEP},
    {"restated", C_REAFFIRM, 0},
    {"remains committed", C_REAFFIRM, CF_KEEP},
    {"remain committed", C_REAFFIRM, CF_KEEP},
    {"remained committed", C_REAFFIRM, CF_KEEP},
    {"expressed the willingness", C_REAFFIRM, CF_KEEP},
    {"expressed their willingness", C_REAFFIRM, CF_KEEP},
    {"expressed willingness", C_REAFFIRM, CF_KEEP},
    {"made positive comments", C_REAFFIRM, CF_KEEP},
    {"underlined the importance", C_URGE, CF_IMPORT},
    {"acknowledged the importance", C_REAFFIRM, CF_KEEP},
    {"underscored the importance", C_URGE, CF_IMPORT},
    {"stressed the importance", C_URGE, CF_IMPORT},
    {"emphasized the importance", C_URGE, CF_IMPORT},
    {"emphasised the importance", C_URGE, CF_IMPORT},
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
    {"recommitted to", C_REAFFIRM, CF_KEEP},
    {"recommit to", C_REAFFIRM, CF_KEEP | CF_PRONOUN},
    {"reasserted", C_REAFFIRM, 0},
    {"reaffirmed the value", C_REAFFIRM, CF_KEEP},
    {"confirmed its intention", C_REAFFIRM, CF_KEEP},
    {"confirmed their intention", C_REAFFIRM, CF_KEEP},
    {"confirmed its support", C_REAFFIRM, CF_KEEP},
    {"renewed its support", C_REAFFIRM, CF_KEEP},
    {"voiced concern", C_CONCERN, 0},
    {"voiced its concern", C_CONCERN, 0},
    {"voiced serious concern", C_CONCERN, 0},
    {"voiced deep concern", C_CONCERN, 0},
    {"expressed serious concern", C_CONCERN, 0},
    {"expressed grave concern", C_CONCERN, 0},
    {"expressed its serious concern", C_CONCERN, 0},
    {"expressed its deep concern", C_CONCERN, 0},
    {"raised its concerns", C_CONCERN, 0},
    {"raised its concern", C_CONCERN, 0},
    {"raised their concerns", C_CONCERN, 0},
    {"raised serious concerns", C_CONCERN, 0},
    {"set out its concern", C_CONCERN, 0},
    {"set out its deep concern", C_CONCERN, 0},
    {"set out its concerns", C_CONCERN, 0},
    {"is alarmed by", C_CONCERN, 0},
    {"is alarmed at", C_CONCERN, 0},
    {"remains concerned", C_CONCERN, 0},
    {"remain concerned", C_CONCERN, CF_PRONOUN},
    {"remain deeply concerned", C_CONCERN, CF_PRONOUN},
    {"remain gravely concerned", C_CONCERN, CF_PRONOUN},
    {"remains gravely concerned", C_CONCERN, 0},
    {"remains deeply concerned", C_CONCERN, 0},
    {"deplore", C_CONCERN, CF_PRONOUN},
    {"deplores", C_CONCERN, 0},
    {"condemn", C_CONCERN, CF_PRONOUN},
    {"condemns", C_CONCERN, 0},
    {"talked about", C_TOPIC, 0},
    {"touched upon", C_TOPIC, 0},
    {"touched on", C_TOPIC, 0},
    {"took stock of", C_TOPIC, 0},
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

#define N_CUES (sizeof(cues) / sizeof(cues[0]) - 1)

/* The cues grouped by their first byte in lower case, in table order within a
 * group, with their lengths: a word is compared with the few cues that start as
 * it does, not with all of them. Built once. */
static struct {
    unsigned short by[N_CUES];  /* indexes into cues[], grouped by first byte */
    unsigned short first[257];  /* by[first[c] .. first[c + 1]) start with byte c */
    unsigned short len[N_CUES]; /* strlen(cues[i].text) */
} cue_index;
static pthread_once_t cue_index_once = PTHREAD_ONCE_INIT;

static void cue_index_build(void)
{
    size_t count[257] = {0}, at[256];

    for (size_t i = 0; i < N_CUES; i++) {
        cue_index.len[i] = (unsigned short)strlen(cues[i].text);
        count[lower((unsigned char)cues[i].text[0]) + 1]++;
    }
    for (size_t c = 0; c < 256; c++) {
        count[c + 1] += count[c];
        cue_index.first[c] = (unsigned short)count[c];
        at[c] = count[c];
    }
    cue_index.first[256] = (unsigned short)N_CUES;
    for (size_t i = 0; i < N_CUES; i++)
        cue_index.by[at[lower((unsigned char)cues[i].text[0])]++] = (unsigned short)i;
}

/* Every cue in sentence s, in text order, longest first at a position. */
static size_t find_cues(const struct doc *d, const struct sent *s, struct hit *h, size_t max)
{
    size_t n = 0;

    pthread_once(&cue_index_once, cue_index_build);
    for (size_t i = 0; i < s->len && n < max; i++) {
        const char *p = d->t + s->off + i;
        const struct cue *best = NULL;
        size_t best_len = 0, c0;
        if (i && word_byte(p - 1, 1))
            continue;
        c0 = (size_t)lower((unsigned char)*p);
        for (size_t j = cue_index.first[c0]; j < cue_index.first[c0 + 1]; j++) {
            const struct cue *c = &cues[cue_index.by[j]];
            size_t m = cue_index.len[cue_index.by[j]];
            if (m > s->len - i || !eq_ci(p, m, c->text) ||
                !boundary_after(d->t, s->off + i + m, s->off + s->len))
                continue;
            if (!best || m > best_len) {
                best = c;
                best_len = m;
            }
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
                  eq_ci(d->t + s->off + w, we - w, "me") ||
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
    n = rt__ro_sides_in(d, a, b, sd);
    if (n >= 2) {
        /* "X and Y" (or "X and the Y") is both; "the X delegation ... in Y, and
         * urged" is X: the "and" must join two mentions of different sides */
        const struct mention *prev = NULL;
        for (size_t i = rt__ro_first_mention(d, a); i < d->nm && d->m[i].off < b; i++) {
            const struct mention *m = &d->m[i];
            const char *ms;
            if (!(ms = rt__ro_ent_side(d, m->ent)))
                continue;
            if (prev && strcmp(rt__ro_ent_side(d, prev->ent), ms)) {
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
    /* (with_target 3: an ask of one noun is enough, "the importance of accountability") */
    if (json_string_length(w) < 4 || (with_target != 3 && !strchr(json_string_value(w), ' '))) {
        json_decref(w);
        return;
    }
    item = json_object();
    jset(item, "by", by ? json_string(by) : NULL);
    if (with_target)
        jset(item, "target", target ? json_string(target) : NULL);
    jset(item, "what", w);
    rt__ro_evidence(d, item, s);
    json_array_append_new(list, item);
}

/* The conditional offer of sentence s ("If X, Y will Z" or "Y will Z if X"), if
 * any. */
static int conditional(struct doc *d, const struct sent *s, json_t *list)
{
    const char *t = d->t + s->off;
    size_t n = s->len;
    long iff = find_ci(t, n, 0, "if"), modal = -1;
    static const char *const modals[] = {
        "will",        "would",        "shall",     "stands ready", "is ready",
        "is prepared", "are prepared", "are ready", "is willing",   "are willing",
        "offered",     "offers",       NULL};
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
        if (rt__ro_sides_in(d, s->off + then_a, s->off + (size_t)modal, sd) >= 1)
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
        if (rt__ro_sides_in(d, s->off + then_a, s->off + (size_t)modal, sd) >= 1)
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
    rt__ro_evidence(d, item, s);
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
    static const struct cue step = {"reiterated", C_TOPIC, 0};
    static const char *const skip[] = {
        "its",         "their",    "his",     "her",         "our",       "the",
        "serious",     "deep",     "grave",   "strong",      "continued", "great",
        "sincere",     "profound", "ongoing", "significant", "good",      "considerable",
        "substantial", "notable",  "real",    "there",       "has",       "have",
        "had",         "been",     "some",    "much",        NULL};
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
        /* "agreed that significant progress had been made": a step welcomed, which
         * praised_steps files already */
        if (eq_ci(w + a, i - a, "progress") || eq_ci(w + a, i - a, "improvements"))
            return &step;
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

    for (size_t i = rt__ro_first_mention(d, a); i < d->nm && d->m[i].off < b; i++)
        if (d->m[i].off + d->m[i].len <= b && rt__ro_ent_side(d, d->m[i].ent))
            last = &d->m[i];
    if (!last)
        return NULL;
    for (size_t i = last->off + last->len; i < b; i++) {
        if (d->t[i] == ',' || d->t[i] == ';')
            return NULL;
        if (!is_space((unsigned char)d->t[i]) && is_space((unsigned char)d->t[i - 1]))
            words++;
    }
    return words <= 2 ? rt__ro_ent_side(d, last->ent) : NULL;
}

/*
 * Whether the importance stressed is that of the relations themselves ("of the human
 * rights dialogue", "of close cooperation"): a position, not an ask. Looks at the
 * first words only.
 */
static int about_relations(const char *p, size_t n)
{
    static const char *const w[] = {"dialogue",    "cooperation", "relations", "relationship",
                                    "partnership", "exchanges",   "exchange",  "engagement",
                                    "ties",        NULL};
    size_t lim = n < 48 ? n : 48;
    for (int i = 0; w[i]; i++)
        if (find_ci(p, lim, 0, w[i]) >= 0)
            return 1;
    return 0;
}

/*
 * Keeps the object w[0, n) of an act in sentence si for the topics; an ask after "to"
 * (or a modal) starts with its verb.
 */
static void keep_act(struct doc *d, size_t si, const char *w, size_t n, int urge)
{
    size_t off = (size_t)(w - d->t);
    if (urge == 1 && !(off >= 3 && eq_ci(d->t + off - 3, 3, "to ")))
        urge = 0;
    RT_ALLOC_GROW(d->acts, d->nacts + 1, d->aacts);
    d->acts[d->nacts].off = (size_t)(w - d->t);
    d->acts[d->nacts].len = n;
    d->acts[d->nacts].sent = si;
    d->acts[d->nacts].urge = urge;
    d->nacts++;
}

/*
 * Where in w[0, n) a second ask starts with its own verb: after " and " ("review
 * the case and arrange for a visit"), after a comma or "and" before "to" ("to
 * disclose their whereabouts, to allow them access to lawyers, and to release
 * ..."), or after "and that" ("that China implement X and that it put an end to
 * Y"). Returns the offset of the verb, or 0, and sets *cut to where the first ask
 * ends. A verb used as a noun ("an independent review and release of") is not one.
 */
static size_t second_ask(const char *w, size_t n, size_t *cut)
{
    static const char *const verbs[] = {
        "ensure",    "guarantee",     "allow",         "release",   "arrange",    "protect",
        "respect",   "review",        "ratify",        "abolish",   "lift",       "end",
        "stop",      "take",          "provide",       "establish", "adopt",      "implement",
        "bring",     "grant",         "facilitate",    "engage",    "strengthen", "improve",
        "address",   "cooperate",     "consider",      "refrain",   "repeal",     "amend",
        "revise",    "create",        "accept",        "combat",    "promote",    "uphold",
        "remove",    "extend",        "continue",      "involve",   "align",      "cease",
        "prevent",   "withdraw",      "investigate",   "enable",    "permit",     "respond",
        "eliminate", "decriminalise", "decriminalize", "publish",   "support",    "consult",
        "resume",    "reconsider",    "halt",          "expand",    "disclose",   "register",
        "put",       "reduce",        "account",       "conduct",   "simplify",   "become",
        "join",      "invite",        "issue",         "open",      "close",      "free",
        "drop",      "reform",        "hold",          "make",      "set",        "re-engage",
        "abide",     "comply",        "fulfil",        "fulfill",   "honour",     "honor",
        "reverse",   "restore",       "recognise",     "recognize", "safeguard",  "secure",
        "submit",    "sign",          "accede",        "harmonise", "harmonize",  "tackle",
        "increase",  "pursue",        "hand",          "return",    "clarify",    "inform",
        "treat",     "give",          "let",           "keep",      "work",       "meet",
        "seek",      "deliver",       "follow",        "prosecute", "punish",     "compensate",
        "ban",       "limit",         "guide",         "train",     NULL};
    static const char *const seps[] = {", and to ",  " and to ", ", to ", ", and that ",
                                       " and that ", ", and ",   " and ", ", and for ",
                                       " and for ",  NULL};
    /* one pass from the left that stops at the first ask, so that the caller's
     * loop over a chain of asks stays linear in the length of the text */
    for (size_t at = 1; at < n; at++) {
        if (w[at] != ',' && w[at] != ' ')
            continue;
        for (int k = 0; seps[k]; k++) {
            size_t m = strlen(seps[k]), v, e;
            int hit = 0;
            if (n - at < m || !eq_ci(w + at, m, seps[k]))
                continue;
            v = at + m;
            /* "that it put an end to": past the subject pronoun */
            if (strstr(seps[k], "that")) {
                static const char *const pro[] = {"it ", "they ", "he ", "she ", NULL};
                for (int q = 0; pro[q]; q++)
                    if (n - v > strlen(pro[q]) && eq_ci(w + v, strlen(pro[q]), pro[q])) {
                        v += strlen(pro[q]);
                        break;
                    }
            }
            e = v;
            while (e < n && e - v < 32 && (isalpha((unsigned char)w[e]) || w[e] == '-'))
                e++;
            /* "called for X and for Y": two things asked for, each a noun */
            if (strstr(seps[k], "for"))
                hit = v < n && (eq_ci(w + v, n - v < 4 ? n - v : 4, "the ") ||
                                eq_ci(w + v, n - v < 2 ? n - v : 2, "a "));
            for (int i = 0; verbs[i] && !hit; i++)
                if (eq_ci(w + v, e - v, verbs[i]) && !(e + 4 <= n && eq_ci(w + e, 4, " of ")) &&
                    e + 1 < n && w[e] == ' ')
                    hit = 1;
            if (hit) {
                *cut = at;
                return v;
            }
        }
    }
    *cut = 0;
    return 0;
}

/* Words that open a sentence with a circumstance ("During the dialogue, ..."). */
int rt__ro_opens_with_circumstance(const char *t, size_t n)
{
    static const char *const w[] = {
        "in ",           "during ", "at ",         "on ",        "under ",   "within ",
        "as ",           "also ",   "finally ",    "moreover ",  "further ", "furthermore ",
        "additionally ", "among ",  "throughout ", "following ", "with ",    NULL};
    for (int i = 0; w[i]; i++)
        if (n > strlen(w[i]) && eq_ci(t, strlen(w[i]), w[i]))
            return 1;
    return 0;
}

/*
 * Where a passive verb group ends the subject text [a, b) ("... were also
 * recognised"): the offset of its auxiliary, or a when there is none.
 */
static size_t passive_at(const struct doc *d, size_t a, size_t b)
{
    static const char *const aux[] = {"was", "were", "been", "is", "are", NULL};
    static const char *const advs[] = {"also", "warmly", "particularly", "further", "widely", NULL};
    size_t q = b;
    for (int round = 0; round < 2; round++) {
        size_t we;
        int hit = 0;
        while (q > a && is_space((unsigned char)d->t[q - 1]))
            q--;
        we = q;
        while (q > a && word_byte(d->t + q - 1, 1))
            q--;
        for (int i = 0; aux[i]; i++)
            if (eq_ci(d->t + q, we - q, aux[i]))
                return q;
        for (int i = 0; advs[i]; i++)
            if (eq_ci(d->t + q, we - q, advs[i]))
                hit = 1;
        if (!hit)
            break;
    }
    return a;
}

/* Whether what was "recognised" is a hardship, not a step: "the challenges faced by". */
static int hardship(const char *w, size_t n)
{
    static const char *const nouns[] = {"challenge",    "challenges", "difficulties", "problems",
                                        "shortcomings", "gaps",       "obstacles",    NULL};
    size_t lim = n < 40 ? n : 40;
    for (int i = 0; nouns[i]; i++)
        if (find_ci(w, lim, 0, nouns[i]) >= 0)
            return 1;
    return 0;
}

/*
 * Steps praised without a verb of welcome: "there has been good progress in the area
 * of women's rights", "Significant efforts have been made by the government to ...",
 * "positive developments such as ...". A praising adjective before a noun of
 * progress starts the item, which runs to the end of its clause; a sentence that
 * already welcomes, asks or worries is left alone.
 */
static void praised_steps(struct doc *d, size_t si, const struct hit *h, size_t nh,
                          json_t *welcomed)
{
    static const char *const adjs[] = {"good",      "significant", "considerable", "substantial",
                                       "important", "notable",     "remarkable",   "tangible",
                                       "steady",    "positive",    "encouraging",  "major",
                                       NULL};
    static const char *const nouns[] = {"progress",     "efforts", "achievements", "improvements",
                                        "developments", "steps",   "strides",      NULL};
    static const char *const ends[] = {";", " and concerns", ", but ", " however", NULL};
    const struct sent *s = &d->s[si];
    const char *t = d->t + s->off;

    for (size_t i = 0; i < nh; i++)
        if (h[i].cue->cat != C_TOPIC && h[i].cue->cat != C_REAFFIRM)
            return;
    /* "If Belarus takes further positive steps": a hope, not a step taken */
    if (find_ci(t, s->len, 0, "if") >= 0 || find_ci(t, s->len, 0, "further") >= 0 ||
        find_ci(t, s->len, 0, "additional") >= 0)
        return;
    for (int a = 0; adjs[a]; a++) {
        long at = find_ci(t, s->len, 0, adjs[a]);
        size_t e = s->len, q;
        const char *sd[2], *by = NULL;
        if (at < 0)
            continue;
        q = (size_t)at + strlen(adjs[a]);
        while (q < s->len && is_space((unsigned char)t[q]))
            q++;
        for (int k = 0; nouns[k]; k++) {
            size_t m = strlen(nouns[k]);
            if (q + m <= s->len && eq_ci(t + q, m, nouns[k]) && boundary_after(t, q + m, s->len)) {
                for (int x = 0; ends[x]; x++) {
                    long f = find_ci(t, e, q, ends[x]);
                    if (f > 0)
                        e = (size_t)f;
                }
                if (rt__ro_sides_in(d, s->off, s->off + (size_t)at, sd) >= 1)
                    by = sd[0];
                else if (find_ci(t, (size_t)at, 0, "both") >= 0 ||
                         find_ci(t, (size_t)at, 0, "all participants") >= 0 ||
                         find_ci(t, (size_t)at, 0, "agreed") >= 0)
                    by = "both";
                add_item(d, welcomed, s, by, NULL, t + at, e - (size_t)at, 0);
                return;
            }
        }
    }
}

void rt__ro_find_cue_items(struct doc *d)
{
    json_t *welcomed = json_array(), *urged = json_array(), *cond = json_array(),
           *reaff = json_array(), *commit = json_array(), *concern = json_array();
    struct hit h[32];

    /* "We call on ...", before any side has spoken: the author, that is the first
     * side named as the subject of a speech act ("Canada reiterates ..."). */
    for (size_t si = 0; si < d->ns && !d->last_by; si++) {
        const struct sent *s = &d->s[si];
        size_t nh = find_cues(d, s, h, 32);
        for (size_t i = 0; i < nh && !d->last_by; i++) {
            const char *sd[2];
            size_t from = i ? h[i - 1].off + h[i - 1].len : s->off;
            if (h[i].cue->cat == C_TOPIC || (h[i].cue->flags & CF_MODAL))
                continue;
            if (h[i].off - from < 48 && passive_at(d, from, h[i].off) == from &&
                rt__ro_sides_in(d, from, h[i].off, sd) == 1)
                d->last_by = sd[0];
        }
    }

    for (size_t si = 0; si < d->ns; si++) {
        const struct sent *s = &d->s[si];
        size_t nh = find_cues(d, s, h, 32), prev = s->off;
        int is_cond = conditional(d, s, cond);

        praised_steps(d, si, h, nh, welcomed);

        for (size_t i = 0; i < nh; i++) {
            const struct cue *c = h[i].cue;
            const char *by, *target = NULL, *sd[2];
            size_t a = h[i].off + h[i].len, end, sub_a = prev, pas;
            const char *w;
            size_t wn;
            int verb_first = 0;

            clause_end(d, s, h, nh, i, &end);
            /* the subject starts after the previous clause */
            pas = c->cat == C_WELCOME ? passive_at(d, sub_a, h[i].off) : sub_a;
            /* a passive's subject is what was welcomed; the speaker is the last one */
            by = pas > sub_a ? d->last_by : subject_by(d, sub_a, h[i].off);
            if (!by && (i > 0 || (c->flags & CF_PASSIVE)))
                by = d->last_by;
            if (!by && (c->flags & CF_WHOLE) &&
                rt__ro_sides_in(d, s->off, s->off + s->len, sd) >= 1)
                by = sd[0];
            if (!by && i == 0 && i + 1 < nh && sub_a == s->off &&
                rt__ro_sides_in(d, end, h[i + 1].off, sd) == 1)
                by = sd[0]; /* "While welcoming X, Chile called for ...": the main subject */
            if (!by && find_ci(d->t + s->off, s->len, 0, "our") >= 0)
                by = d->last_by ? d->last_by : d->side[0];
            if (by && strcmp(by, "both"))
                d->last_by = by;
            prev = end;
            if (c->cat == C_TOPIC || (is_cond && c->cat != C_REAFFIRM))
                continue;
            /* "reiterated its call on X to ...", "reiterated its wish to ...": an ask
             * ("reaffirms that those responsible must be held to account" is not) */
            if (c->cat == C_REAFFIRM && i + 1 < nh && h[i + 1].cue->cat == C_URGE &&
                !(h[i + 1].cue->flags & CF_MODAL) && h[i + 1].off < end)
                continue;
            if (c->flags & CF_IMPORT) {
                /* by both sides a shared position, in its own words; by one an ask
                 * of the other: "stressed the importance of accountability" */
                static const struct cue shared = {"the importance", C_REAFFIRM, CF_KEEP};
                if (!by || !strcmp(by, "both") || about_relations(d->t + a, end - a)) {
                    c = &shared;
                } else if (end > a + 4 && eq_ci(d->t + a, 4, " of ")) {
                    a += 4;
                }
            }
            if (pas > sub_a) {
                /* "The results achieved by Cuba ... were recognised": what comes first */
                w = d->t + sub_a;
                wn = pas - sub_a;
                if (rt__ro_opens_with_circumstance(w, wn) && memchr(w, ',', wn)) {
                    const char *c2 = memchr(w, ',', wn);
                    wn -= (size_t)(c2 + 1 - w);
                    w = c2 + 1;
                }
                if (!by)
                    by = d->last_by;
            } else if (c->flags & CF_WHOLE) {
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
                if (!subj || !rt__ro_other_side(d, subj))
                    continue;
                by = subj;
                trim_front(&w, &wn);
                for (size_t v, cut; (v = second_ask(w, wn, &cut)) > 0; w += v, wn -= v) {
                    keep_act(d, si, w, cut, 2);
                    add_item(d, urged, s, rt__ro_other_side(d, by), by, w, cut, 1);
                }
                keep_act(d, si, w, wn, 2);
                add_item(d, urged, s, rt__ro_other_side(d, by), by, w, wn, 1);
                continue;
            }
            if (c->cat == C_URGE && h[i].len == 5 && eq_ci(d->t + h[i].off, 5, "asked") &&
                find_ci(d->t, end, a, "about") == (long)a + 1)
                continue; /* "asked about the measures taken": a question */
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
                    int e = rt__ro_ent_at(d, q, end, &len);
                    if (e >= 0 && rt__ro_ent_side(d, e)) {
                        target = rt__ro_ent_side(d, e);
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
                    target = rt__ro_other_side(d, by);
                if (by && !strcmp(by, "both"))
                    continue;
            }
            trim_front(&w, &wn);
            /* "reiterated its serious concerns about", "reiterated its recognition of":
             * what is repeated decides what it is */
            if (c->cat == C_REAFFIRM && !(c->flags & (CF_KEEP | CF_WHOLE)))
                c = reaffirmed_as(c, w, wn);
            /* "agreed that the next round would be held in ...": a next step */
            if (c->cat == C_REAFFIRM && h[i].len == 11 && eq_ci(d->t + h[i].off, 6, "agreed") &&
                (eq_ci(w, wn < 9 ? wn : 9, "the next ") || eq_ci(w, wn < 5 ? wn : 5, "next ")))
                continue;
            if (c->cat == C_CONCERN)
                concern_object(&w, &wn);
            {
                /* "requested that China implement ...": the ask starts at its verb */
                size_t len;
                int e;
                if (c->cat == C_URGE && w >= d->t + 5 && eq_ci(w - 5, 5, "that ") &&
                    (e = rt__ro_ent_at(d, (size_t)(w - d->t), (size_t)(w - d->t) + wn, &len)) >=
                        0 &&
                    rt__ro_ent_side(d, e) && len + 1 < wn && w[len] == ' ' &&
                    islower((unsigned char)w[len + 1])) {
                    w += len + 1;
                    wn -= len + 1;
                    target = rt__ro_ent_side(d, e);
                    verb_first = 1;
                }
            }
            if ((c->cat == C_URGE || c->cat == C_WELCOME || c->cat == C_CONCERN) &&
                !(c->flags & (CF_KEEP | CF_WHOLE)))
                keep_act(d, si, w, wn, c->cat == C_URGE ? 1 + verb_first : 0);
            if (c->cat == C_URGE) {
                /* "urged X to review the case and arrange for a visit": two asks */
                size_t v, cut;
                int first = 1;
                while (!(c->flags & (CF_KEEP | CF_WHOLE)) && (v = second_ask(w, wn, &cut)) > 0) {
                    add_item(d, urged, s, by, target, w, cut, 1);
                    if (first)
                        d->acts[d->nacts - 1].len = cut;
                    else
                        keep_act(d, si, w, cut, 2);
                    first = 0;
                    w += v;
                    wn -= v;
                }
                if (!first)
                    keep_act(d, si, w, wn, 2);
                add_item(d, urged, s, by, target, w, wn, (c->flags & CF_IMPORT) ? 3 : 1);
            } else if (c->cat == C_WELCOME && !hardship(w, wn))
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
