/*
 * The readout parser, part 5: topics, events and the document type. Topics come
 * from the lists after topic cues ("discussed X, Y and Z", "exchanged views on
 * ..."), split item by item (each freedom, each group, each subject), and from the
 * objects of the speech acts that readout_acts.c kept in d->acts. Then the events
 * (a release of prisoners, a pardon), the persons of concern and the agreed next
 * steps, the theme areas of each topic and ask (themes.c), and the document type
 * (readout, joint statement, statement, announcement).
 */
#include "base/compat.h"

#include "ingest/readout_int.h"

/* ----------------------------------------------------------------------------------
 */
/* Topics. */

static const char *const topic_cues[] = {"featured discussions on",
                                         "focused in particular on",
                                         "focused particularly on",
                                         "focused mainly on",
                                         "focused notably on",
                                         "concentrated on",
                                         "focusing in particular on",
                                         "under the general topic of",
                                         "exchanged views on",
                                         "exchange of views on",
                                         "exchanged views",
                                         "discussions on",
                                         "discussion on",
                                         "discussion of",
                                         "discussed",
                                         "talked about",
                                         "touched upon",
                                         "touched on",
                                         "gave an account of",
                                         "presented its views on",
                                         "presented their views on",
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
        if (rt__ro_ent_at(d, (size_t)(p + i - d->t), (size_t)(p + n - d->t), &len) >= 0) {
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

/*
 * A light head that names an effort or a step, not its subject: "ongoing work to
 * harmonise the laws", "Laos's progress and achievements in reducing poverty",
 * "efforts of the government to consult". Returns where the subject starts after
 * the head and its preposition (the verb of "to" stays), or 0 when p[0, n) opens
 * with no such head within its first five words.
 */
static size_t light_head(const char *p, size_t n)
{
    static const char *const heads[] = {"effort",     "efforts",      "work",         "step",
                                        "steps",      "measures",     "ways",         "progress",
                                        "advances",   "achievements", "results",      "challenge",
                                        "challenges", "commitment",   "plans",        "intention",
                                        "impact",     "recognition",  "announcement", NULL};
    static const char *const preps[] = {"to", "of", "in", "on", "for", "towards", "by", NULL};
    size_t i = 0, words = 0;
    int head = 0;

    while (i < n && words < 6) {
        size_t a;
        while (i < n && is_space((unsigned char)p[i]))
            i++;
        a = i;
        while (i < n && !is_space((unsigned char)p[i]))
            i++;
        if (i == a)
            break;
        words++;
        if (head) {
            for (int k = 0; preps[k]; k++)
                if (eq_ci(p + a, i - a, preps[k])) {
                    /* "efforts of the government to consult": past the actor too */
                    if (eq_ci(p + a, i - a, "of") || eq_ci(p + a, i - a, "by")) {
                        long to = find_ci(p, n, i, "to");
                        if (to > 0 && word_count(p + i, (size_t)to - i) <= 4 &&
                            memchr(p + i, ',', (size_t)to - i) == NULL)
                            return (size_t)to + 2;
                    }
                    return i;
                }
            if (!eq_ci(p + a, i - a, "and") && !eq_ci(p + a, i - a, "made") &&
                !eq_ci(p + a, i - a, "taken") && !eq_ci(p + a, i - a, "achieved") &&
                !eq_ci(p + a, i - a, "undertaken"))
                head = 0;
        }
        for (int k = 0; heads[k]; k++)
            if (eq_ci(p + a, i - a, heads[k]))
                head = 1;
    }
    return 0;
}

/* Cleans one listed item and adds it; distributes "freedom of" over short
 * items. */
/*
 * Where " and " in p[0, n) joins two subjects rather than two words of one: before
 * a freedom or a right when the first part names neither ("the death penalty and
 * freedom of religion"), or between two names ("Tibet and Hong Kong", "Wu Gan and
 * Huang Qi") that are not one name the lexicon knows ("Bosnia and Herzegovina").
 * Returns the offset of " and ", or 0.
 */
static size_t pair_split(const struct doc *d, const char *p, size_t n)
{
    static const char *const heads[] = {"freedom of ", "freedoms of ",   "the right to ",
                                        "rights of ",  "the rights of ", NULL};
    long at = find_ci(p, n, 0, " and ");
    size_t r;
    int names = 1;

    if (at <= 0 || find_ci(p, n, (size_t)at + 1, " and ") > 0)
        return 0;
    r = (size_t)at + 5;
    for (int i = 0; heads[i]; i++)
        if (n - r > strlen(heads[i]) && eq_ci(p + r, strlen(heads[i]), heads[i]) &&
            word_count(p, (size_t)at) >= 2 && find_ci(p, (size_t)at, 0, "freedom") < 0 &&
            find_ci(p, (size_t)at, 0, "freedoms") < 0 && find_ci(p, (size_t)at, 0, "right") < 0 &&
            find_ci(p, (size_t)at, 0, "rights") < 0)
            return (size_t)at;
    /* two names: every word capitalised, at most three a side */
    for (size_t i = 0; i < n && names; i++)
        if ((i == 0 || p[i - 1] == ' ') && (i < (size_t)at || i >= r) &&
            !isupper((unsigned char)p[i]))
            names = 0;
    if (!names || word_count(p, (size_t)at) > 3 || word_count(p + r, n - r) > 3)
        return 0;
    {
        size_t off = (size_t)(p - d->t) + (size_t)at;
        for (size_t i = rt__ro_first_mention(d, off >= 40 ? off - 40 : 0);
             i < d->nm && d->m[i].off <= off; i++)
            if (d->m[i].off + d->m[i].len > off)
                return 0;
    }
    return (size_t)at;
}

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
                                         "serious concerns about ",
                                         "serious concern about ",
                                         "concerns about ",
                                         "concern about ",
                                         "concerns regarding ",
                                         "concern regarding ",
                                         "how ",
                                         "whether ",
                                         "concerns in relation to ",
                                         "concern in relation to ",
                                         "concerns over ",
                                         "concern over ",
                                         "different views of ",
                                         "different views on ",
                                         "views on ",
                                         "views of ",
                                         "two countries' ",
                                         "among them ",
                                         "among others ",
                                         "that ",
                                         "both countries' ",
                                         NULL};
    /* (a finite verb makes the item a clause: "the amended code has abolished ...",
     * "exchanges at expert level were discussed"; its subject is the topic) */
    static const char *const cutters[] = {" in order to ",
                                          " with a view to ",
                                          " and other issues",
                                          " and other ",
                                          " both in ",
                                          " has ",
                                          " have ",
                                          " had ",
                                          " was ",
                                          " were ",
                                          " will ",
                                          " can ",
                                          " could ",
                                          " would ",
                                          " should ",
                                          " must ",
                                          " who ",
                                          " whose ",
                                          " without delay",
                                          NULL};
    static const char *const splitters[] = {
        " as well as ", ", including ", " including ", " and the ", " and an ", " and a ", NULL};
    struct rt_buf b = RT_BUF_INIT;
    int again = 1;
    json_t *v;
    size_t i, at2;

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
    /* a relative clause ("where elections will take place and a new President will
     * be elected") is not a subject, nor are its parts */
    if (eq_ci(p, n < 6 ? n : 6, "where ") || eq_ci(p, n < 6 ? n : 6, "which ") ||
        eq_ci(p, n < 4 ? n : 4, "who ") || eq_ci(p, n < 6 ? n : 6, "whose "))
        return;
    if ((at2 = pair_split(d, p, n)) > 0) {
        add_topic(d, list, s, p, at2, prefix);
        add_topic(d, list, s, p + at2 + 5, n - at2 - 5, prefix);
        return;
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
    /* "... an agreement with the OHCHR that [would allow]" */
    if (n > 5 && eq_ci(p + n - 5, 5, " that"))
        n -= 5;
    if (word_count(p, n) > 4 && (at2 = light_head(p, n)) > 0 && at2 < n) {
        p += at2;
        n -= at2;
        while (n && is_space((unsigned char)*p)) {
            p++;
            n--;
        }
        if (n > 4 && eq_ci(p, 4, "the ")) {
            p += 4;
            n -= 4;
        }
    }
    if (!n || all_generic(d, p, n) || word_count(p, n) > 25)
        return;
    /* a relative clause ("where elections will take place") is not a subject */
    if (eq_ci(p, n < 6 ? n : 6, "where ") || eq_ci(p, n < 6 ? n : 6, "which ") ||
        eq_ci(p, n < 4 ? n : 4, "who ") || eq_ci(p, n < 6 ? n : 6, "whose "))
        return;
    /* "freedom of expression, assembly and religion" */
    /* (rights go to one-word groups only: "rights of women, children" but not
     * "rights of persons with disabilities, land tenure") */
    if (word_count(p, n) <= (prefix->len && prefix->buf[0] == 'r' ? 1u : 3u) && prefix->len &&
        find_ci(p, n, 0, "of") < 0 && islower((unsigned char)p[0]) &&
        find_ci(p, n, 0, "freedom") < 0 && find_ci(p, n, 0, "freedoms") < 0)
        rt_buf_add(&b, prefix->buf, prefix->len);
    add_clean(&b, p, n, " ,;:.");
    /* "freedoms of expression", "press freedoms": each item names one freedom */
    for (long f = 0; b.len && (f = find_ci(b.buf, b.len, (size_t)f, "freedoms")) >= 0;) {
        size_t at = (size_t)f + 7;
        for (size_t k = at; k + 1 < b.len; k++)
            b.buf[k] = b.buf[k + 1];
        b.len--;
        b.buf[b.len] = '\0';
    }
    /* a subject is a noun phrase: not one that ends on a preposition or a
     * conjunction ("the importance of", "questions concerning"), nor an infinitive
     * or a negation ("to resort to force", "not harassing protesters") */
    {
        static const char *const ends[] = {" of",  " to", " for", " on", " in",         " with",
                                           " and", " or", " the", " by", " concerning", NULL};
        for (int k = 0; ends[k]; k++) {
            size_t m = strlen(ends[k]);
            if (b.len > m && eq_ci(b.buf + b.len - m, m, ends[k])) {
                rt_buf_release(&b);
                return;
            }
        }
        if ((b.len > 3 && eq_ci(b.buf, 3, "to ")) || (b.len > 4 && eq_ci(b.buf, 4, "not "))) {
            rt_buf_release(&b);
            return;
        }
    }
    /* one lower-case word alone ("harassment", "migrants", "role") is a word of a
     * longer subject the list broke up, not a subject */
    if (b.len && islower((unsigned char)b.buf[0]) && !memchr(b.buf, ' ', b.len)) {
        rt_buf_release(&b);
        return;
    }
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

/*
 * Whether the comma at p[i] joins two adjectives of one noun: "political, social and
 * economic reforms", "economic, social and cultural rights".
 */
static int adjective_pair(const char *p, size_t n, size_t i)
{
    size_t a = i, b = i + 1, e;
    while (a && word_byte(p + a - 1, 1))
        a--;
    while (b < n && is_space((unsigned char)p[b]))
        b++;
    for (e = b; e < n && word_byte(p + e, n - e); e++)
        ;
    return lone_adjective(p + a, i - a) && lone_adjective(p + b, e - b);
}

/* Splits a list "a, b; c, and d" into items. */
static void split_topics(struct doc *d, json_t *list, const struct sent *s, const char *p, size_t n)
{
    struct rt_buf prefix = RT_BUF_INIT;
    int semis = memchr(p, ';', n) != NULL;
    size_t i = 0, a = 0, adj = 0; /* adj: where the words after a kept comma start */
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
        else if (!depth && !semis && p[i] == ',' && !lone_adjective(p + adj, i - adj) &&
                 !adjective_pair(p, n, i))
            sep = 1;
        else if (!depth && !semis && p[i] == ',')
            adj = i + 1; /* "prompt, thorough, impartial ...": one subject so far */
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
            a = adj = i + 1;
        }
        i++;
    }
    rt_buf_release(&prefix);
}

/* The next topic cue in t[from, n): its offset and length, or -1. One pass that
 * stops at the first cue (the longest there), so a long text stays linear. */
static long next_topic_cue(const char *t, size_t n, size_t from, size_t *len)
{
    for (size_t i = from; i < n; i++) {
        size_t best = 0;
        if (!boundary_before(t, i))
            continue;
        for (int c = 0; topic_cues[c]; c++) {
            size_t m;
            if (lower((unsigned char)t[i]) != lower((unsigned char)topic_cues[c][0]))
                continue;
            m = strlen(topic_cues[c]);
            if (m > n - i || m <= best || !eq_ci(t + i, m, topic_cues[c]) ||
                !boundary_after(t, i + m, n))
                continue;
            best = m;
        }
        if (best) {
            *len = best;
            return (long)i;
        }
    }
    return -1;
}

/*
 * Where a list in t[a, e) gives way to a second verb of its subject: ", and pressed
 * for their release", ", and urged Vietnam to": a word in -ed after ", and " with a
 * preposition, a determiner or a name after it ("and related issues" stays).
 * Returns the new end.
 */
static size_t verb_after_and(const char *t, size_t a, size_t e)
{
    static const char *const next[] = {"for", "the", "that", "its", "their", "to",  "on",
                                       "a",   "an",  "his",  "her", "with",  "all", NULL};
    for (long f = a; (f = find_ci(t, e, (size_t)f, ", and ")) > 0; f++) {
        size_t v = (size_t)f + 6, ve = v, nx, ne;
        while (ve < e && isalpha((unsigned char)t[ve]))
            ve++;
        if (ve - v < 4 || !eq_ci(t + ve - 2, 2, "ed") || ve >= e || t[ve] != ' ')
            continue;
        nx = ve + 1;
        for (ne = nx; ne < e && isalpha((unsigned char)t[ne]); ne++)
            ;
        if (ne == nx)
            continue;
        if (isupper((unsigned char)t[nx]))
            return (size_t)f;
        for (int k = 0; next[k]; k++)
            if (eq_ci(t + nx, ne - nx, next[k]))
                return (size_t)f;
    }
    return e;
}

/*
 * The subjects in t[a, e) of sentence s: a list, maybe after a head that names
 * the kind of subject ("legal reforms, including the Criminal Code and ..."); a head
 * that says nothing ("a range of issues such as") is dropped, a long one is a list
 * too.
 */
static void topic_stretch(struct doc *d, json_t *list, const struct sent *s, const char *t,
                          size_t a, size_t e)
{
    long inc = find_ci(t, e, a, "including");
    long such = find_ci(t, e, a, "such as");
    long inpart = find_ci(t, e, a, "in particular");
    long k = inc;
    size_t klen = 9;

    while (a < e && is_space((unsigned char)t[a]))
        a++;
    if (such >= 0 && (k < 0 || such < k))
        k = such, klen = 7;
    if (inpart >= 0 && (k < 0 || inpart < k))
        k = inpart, klen = 13;
    if (k > (long)a) {
        struct rt_buf pre = RT_BUF_INIT;
        if (!all_generic(d, t + a, (size_t)k - a)) {
            if (word_count(t + a, (size_t)k - a) <= 10)
                add_topic(d, list, s, t + a, (size_t)k - a, &pre);
            else
                split_topics(d, list, s, t + a, (size_t)k - a);
        }
        rt_buf_release(&pre);
        a = (size_t)k + klen;
    }
    if (e > a)
        split_topics(d, list, s, t + a, e - a);
}

/*
 * "Individual cases were also raised", "The respect for core labour standards, the
 * fight against discrimination ... were raised": the subjects come before a passive
 * verb of discussion. Returns the offset in t where the verb group starts (its
 * auxiliary), or -1.
 */
static long passive_topic_verb(const char *t, size_t n)
{
    static const char *const verbs[] = {"raised",    "discussed", "addressed", "covered",
                                        "mentioned", "touched",   "examined",  "reviewed",
                                        "presented", "debated",   NULL};
    static const char *const advs[] = {"also",       "further", "briefly",  "extensively",
                                       "thoroughly", "then",    "likewise", "equally",
                                       "in detail",  "again",   NULL};
    for (int v = 0; verbs[v]; v++) {
        long at = find_ci(t, n, 0, verbs[v]);
        while (at > 0) {
            size_t q = (size_t)at;
            int moved = 1;
            /* back over adverbs, then the auxiliary */
            while (moved) {
                moved = 0;
                while (q && is_space((unsigned char)t[q - 1]))
                    q--;
                for (int k = 0; advs[k]; k++) {
                    size_t m = strlen(advs[k]);
                    if (q >= m + 1 && eq_ci(t + q - m, m, advs[k]) &&
                        is_space((unsigned char)t[q - m - 1])) {
                        q -= m;
                        moved = 1;
                        break;
                    }
                }
            }
            if ((q >= 5 && eq_ci(t + q - 4, 4, "were") && is_space((unsigned char)t[q - 5])) ||
                (q >= 4 && eq_ci(t + q - 3, 3, "was") && is_space((unsigned char)t[q - 4])) ||
                (q >= 5 && eq_ci(t + q - 4, 4, "been") && is_space((unsigned char)t[q - 5])))
                return (long)q - (eq_ci(t + q - 3, 3, "was") ? 3 : 4);
            at = find_ci(t, n, (size_t)at + 1, verbs[v]);
        }
    }
    return -1;
}

/*
 * The subjects in the object of a speech act: "protect the right to peaceful
 * assembly and freedom of association, including ..." (an ask, after its verb),
 * "Vietnam on the passage of a law on religion" (after the party praised).
 */
static void act_topics(struct doc *d, json_t *list, const struct act_span *ac)
{
    static const char *const cuts[] = {
        ", which ",         " which ",        " so that ", " in order to ",
        " with a view to ", " in line with ", ";",         NULL};
    static const char *const lead[] = {"continue to ", "continue ",    "further ",  "also ",
                                       "fully ",       "effectively ", "urgently ", NULL};
    static const char *const preps[] = {"towards ", "toward ", "for ",   "on ",      "to ",
                                        "with ",    "into ",   "about ", "against ", NULL};
    const struct sent *s = &d->s[ac->sent];
    size_t a = ac->off, e = ac->off + ac->len, len;
    int again = 1;

    if (eq_ci(d->t + a, e - a < 5 ? e - a : 5, "that "))
        return;
    if (ac->urge) {
        /* "to protect X and to allow Y": two asks */
        long two = find_ci(d->t, e, a, " and to ");
        if (two > (long)a) {
            struct act_span rest = *ac;
            rest.off = (size_t)two + 8;
            rest.len = e - rest.off;
            act_topics(d, list, &rest);
            e = (size_t)two;
        }
    }
    for (int i = 0; cuts[i]; i++) {
        long f = find_ci(d->t, e, a, cuts[i]);
        if (f > (long)a)
            e = (size_t)f;
    }
    if (ac->urge) {
        while (again) {
            again = 0;
            for (int i = 0; lead[i]; i++)
                if (e - a > strlen(lead[i]) && eq_ci(d->t + a, strlen(lead[i]), lead[i])) {
                    a += strlen(lead[i]);
                    again = 1;
                }
        }
        /* "Ghana to abolish": a party the lexicon does not know, then its verb */
        if (a < e && isupper((unsigned char)d->t[a])) {
            size_t q = a;
            while (q < e && !is_space((unsigned char)d->t[q]))
                q++;
            if (e - q > 4 && eq_ci(d->t + q, 4, " to "))
                a = q + 4;
            else if (rt__ro_ent_at(d, a, e, &len) >= 0 &&
                     rt__ro_ent_side(d, rt__ro_ent_at(d, a, e, &len)) && a + len + 1 < e &&
                     d->t[a + len] == ' ' && islower((unsigned char)d->t[a + len + 1]))
                a += len + 1; /* "(requested that) China implement ..." */
        }
        /* the verb of the ask */
        if (a < e && islower((unsigned char)d->t[a]) &&
            !(e - a >= 4 && eq_ci(d->t + a, 4, "the ")) &&
            !(e - a >= 2 && eq_ci(d->t + a, 2, "a ")) &&
            !(e - a >= 3 && eq_ci(d->t + a, 3, "an "))) {
            while (a < e && !is_space((unsigned char)d->t[a]))
                a++;
            while (a < e && is_space((unsigned char)d->t[a]))
                a++;
        }
    } else if (a < e && (rt__ro_ent_at(d, a, e, &len) >= 0 || isupper((unsigned char)d->t[a]))) {
        /* "Vietnam on the passage of", "Kazakhstan for hosting" */
        size_t q = a;
        if (rt__ro_ent_at(d, a, e, &len) >= 0)
            q += len;
        else
            while (q < e && !is_space((unsigned char)d->t[q]))
                q++;
        while (q < e && is_space((unsigned char)d->t[q]))
            q++;
        if (e - q > 4 && (eq_ci(d->t + q, 3, "on ") || eq_ci(d->t + q, 4, "for ")))
            a = q;
    }
    for (int i = 0; preps[i]; i++)
        if (e - a > strlen(preps[i]) && eq_ci(d->t + a, strlen(preps[i]), preps[i]))
            a += strlen(preps[i]);
    if (e <= a || (word_count(d->t + a, e - a) < 2 && !isupper((unsigned char)d->t[a])))
        return;
    topic_stretch(d, list, s, d->t + s->off, a - s->off, e - s->off);
}

void rt__ro_find_topics(struct doc *d)
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
                e = verb_after_and(t, a, e);
            }
            while (a < e && is_space((unsigned char)t[a]))
                a++;
            /* "topics discussed in Havana": a place or a time, not a subject */
            if (word_at(t, e, a, "in") || word_at(t, e, a, "at") || word_at(t, e, a, "during") ||
                word_at(t, e, a, "before") || word_at(t, e, a, "with") || word_at(t, e, a, "by"))
                continue;
            topic_stretch(d, list, s, t, a, e);
        }
        /* "X, Y and Z were also raised" */
        at = passive_topic_verb(t, s->len);
        if (at > 0) {
            size_t a = 0;
            if (rt__ro_opens_with_circumstance(t, (size_t)at)) {
                const char *c = memchr(t, ',', (size_t)at);
                a = c ? (size_t)(c - t) + 1 : (size_t)at;
            }
            if ((size_t)at > a && word_count(t + a, (size_t)at - a) <= 40)
                topic_stretch(d, list, s, t, a, (size_t)at);
        }
    }
    for (size_t i = 0; i < d->nacts; i++)
        act_topics(d, list, &d->acts[i]);
    jset(d->out, "topics", list);
}

/* ----------------------------------------------------------------------------------
 */
/* Events, next steps, document type. */

void rt__ro_find_events(struct doc *d)
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
            jpush(next, rt__ro_sent_json(d, s));

        for (size_t k = s->tok0; k + 1 < e; k++) {
            json_t *ev, *names;
            const char *country = NULL, *type = "political_prisoner_release";
            long count = -1;
            const char *count_word = NULL;
            int released = 0;
            struct tdate dt;
            if (!(rt__ro_tok_is(d, k, "political") &&
                  (rt__ro_tok_is(d, k + 1, "prisoners") || rt__ro_tok_is(d, k + 1, "detainees"))))
                continue;
            /* a release: released / release of / freed / pardoned before it */
            for (size_t q = s->tok0; q < k; q++) {
                if (rt__ro_tok_is(d, q, "release") || rt__ro_tok_is(d, q, "released") ||
                    rt__ro_tok_is(d, q, "freed") || rt__ro_tok_is(d, q, "freeing") ||
                    rt__ro_tok_is(d, q, "releasing"))
                    released = 1;
                if (rt__ro_tok_is(d, q, "pardoned") || rt__ro_tok_is(d, q, "pardon"))
                    released = 1, type = "pardon";
            }
            if (!released || find_ci(t, s->len, 0, "call for") >= 0 ||
                find_ci(t, s->len, 0, "called for") >= 0 || find_ci(t, s->len, 0, "urge") >= 0)
                break;
            if (k > s->tok0) {
                const struct tok *c = &d->tk[k - 1];
                int v = rt__ro_cardinal_value(d->t + c->off, c->len);
                if (v > 0)
                    count = v;
                else if (rt__ro_tok_is(d, k - 1, "several") || rt__ro_tok_is(d, k - 1, "dozens") ||
                         rt__ro_tok_is(d, k - 1, "many") || rt__ro_tok_is(d, k - 1, "some"))
                    count_word = "several";
                else if (rt__ro_tok_is(d, k - 1, "all"))
                    count_word = "all";
            }
            /* whose release: "Belarus’ release", "in Belarus" */
            for (size_t q = s->tok0; q < e && !country; q++)
                if (d->tk[q].ent >= 0 && rt__ro_ent_side(d, d->m[d->tk[q].ent].ent) &&
                    (q > k || (q + 1 < e && (rt__ro_tok_is(d, q + 1, "release") ||
                                             rt__ro_tok_is(d, q + 1, "released") ||
                                             rt__ro_possessive(d, &d->tk[q]) ||
                                             is_rsquo(d->t + d->tk[q].off + d->tk[q].len,
                                                      d->n - d->tk[q].off - d->tk[q].len)))))
                    country = rt__ro_ent_side(d, d->m[d->tk[q].ent].ent);
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
                if (!rt__ro_tok_is(d, q, "including"))
                    continue;
                b = q + 1;
                while (b < e && rt__ro_namey(d, &d->tk[b]))
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
                if (rt__ro_next_date(d, k, e, &dt) && dt.m) {
                    int y = rt__ro_resolve_year(d, &dt, 1);
                    if (y && rt__ro_fmt_date(buf, y, dt.m, dt.dd))
                        date = json_string(buf);
                }
                jset(ev, "date", date);
            }
            rt__ro_evidence(d, ev, s);
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
void rt__ro_find_themes(struct doc *d)
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

const char *rt__ro_doc_type(const struct doc *d)
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
