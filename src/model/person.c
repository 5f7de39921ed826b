/*
 * Persons' names matched across scripts and spellings (person.h): the match key,
 * made with ICU's transforms, and the similarity of two keys.
 */
#include "base/compat.h"

#include <pthread.h>
#include <stdlib.h>

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include <rightstrack/person.h>

#include "base/alloc.h"

const char *const rt_case_events[] = {"detained",   "charged",  "sentenced", "moved",
                                      "recognised", "released", "died",      NULL};
const char *const rt_release_hows[] = {"served",    "pardon",    "amnesty", "expelled",
                                       "acquitted", "exchanged", "other",   NULL};

/* One transform for the process, used under the lock (a transliterator is not safe to
 * share between threads while it works). */
static pthread_mutex_t latin_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *latin;

/* name through "Any-Latin; Latin-ASCII; Lower" into out (reset). */
static int to_ascii(const char *name, struct rt_buf *out, struct rt_error *err)
{
    UErrorCode e = U_ZERO_ERROR;
    UChar *u = NULL;
    int32_t n = 0, cap, limit, len8 = 0;
    char *s = NULL;
    int rc = 0;

    rt_buf_reset(out);
    u_strFromUTF8(NULL, 0, &n, name, -1, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "name", "the name is not UTF-8");
    e = U_ZERO_ERROR;
    cap = n * 4 + 16; /* Han syllables grow: 习 becomes "xi " */
    RT_ALLOC_ARRAY(u, (size_t)cap);
    u_strFromUTF8(u, cap, &n, name, -1, &e);
    if (U_FAILURE(e)) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "name", "the name is not UTF-8");
        goto out;
    }
    pthread_mutex_lock(&latin_lock);
    if (!latin) {
        static const char id[] = "Any-Latin; Latin-ASCII; Lower";
        UChar uid[64];
        u_uastrcpy(uid, id);
        latin = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    }
    if (latin && U_SUCCESS(e)) {
        limit = n;
        utrans_transUChars(latin, u, &n, cap, 0, &limit, &e);
    }
    pthread_mutex_unlock(&latin_lock);
    if (!latin || U_FAILURE(e)) {
        rc = rt_error_set(err, RT_EIO, NULL, 0, "name", "ICU cannot transliterate the name: %s",
                          u_errorName(e));
        goto out;
    }
    u_strToUTF8(NULL, 0, &len8, u, n, &e);
    e = U_ZERO_ERROR;
    s = rt_xmalloc((size_t)len8 + 1);
    u_strToUTF8(s, len8 + 1, NULL, u, n, &e);
    if (U_FAILURE(e)) {
        rc = rt_error_set(err, RT_EIO, NULL, 0, "name", "ICU: %s", u_errorName(e));
        goto out;
    }
    rt_buf_add(out, s, (size_t)len8);
out:
    rt_free(u);
    rt_free(s);
    return rc;
}

static int vowel(int c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/*
 * Folds one word of lower-case letters (in w, len n, rewritten in place; returns the
 * new length): the letters romanisations write differently for one sound.
 */
static size_t fold_word(char *w, size_t n)
{
    static const struct {
        const char *from, *to;
    } pairs[] = {
        {"shch", "s"}, {"sch", "s"}, {"sh", "s"}, {"ch", "c"}, {"zh", "z"}, {"kh", "h"},
        {"ts", "c"},   {"tz", "c"},  {"cz", "c"}, {"sz", "s"}, {"dz", "d"}, {"ya", "a"},
        {"ia", "a"},   {"ja", "a"},  {"yu", "u"}, {"iu", "u"}, {"ju", "u"}, {"ye", "e"},
        {"ie", "e"},   {"je", "e"},  {"yo", "o"}, {"io", "o"}, {"jo", "o"}, {"x", "ks"},
        {"ph", "f"},   {"th", "t"},  {"q", "k"},  {"w", "v"},  {"y", "i"},  {"j", "i"},
        {"h", "g"},    {"o", "a"},   {"e", "i"},
    };
    char tmp[256];
    size_t m;

    /* w has room for 2 * n + 16 bytes; "x" to "ks" is the only rule that grows */
    if (n >= sizeof(tmp) / 2)
        n = sizeof(tmp) / 2 - 1;
    for (size_t p = 0; p < RT_ARRAY_SIZE(pairs); p++) {
        size_t fl = strlen(pairs[p].from), tl = strlen(pairs[p].to);
        m = 0;
        for (size_t i = 0; i < n;) {
            if (i + fl <= n && !memcmp(w + i, pairs[p].from, fl) && m + tl < sizeof(tmp)) {
                memcpy(tmp + m, pairs[p].to, tl);
                m += tl;
                i += fl;
            } else if (m + 1 < sizeof(tmp)) {
                tmp[m++] = w[i++];
            } else {
                i++;
            }
        }
        if (m >= sizeof(tmp) / 2)
            m = sizeof(tmp) / 2 - 1;
        memcpy(w, tmp, m);
        n = m;
    }
    /* a final u after a vowel is a v (Belarusian ў: Rubtsou, Rubtsov) */
    if (n >= 2 && w[n - 1] == 'u' && vowel(w[n - 2]))
        w[n - 1] = 'v';
    /* doubled letters once */
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || w[m - 1] != w[i])
            w[m++] = w[i];
    return m;
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does the UTF-8 word hold a CJK ideograph (U+3400 to U+9FFF)? */
static int has_han(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 0xE3 && c <= 0xE9)
            return 1;
    }
    return 0;
}

/*
 * The folded words of one word of a name as written (w, n bytes), appended to words:
 * its transliteration's letters as one word, but for a word in Han characters the
 * first syllable (the family name) and the rest ("刘晓波": "liu", "xiaobo").
 */
static int key_words(const char *w, size_t n, char **words, size_t *nw, size_t max,
                     struct rt_error *err)
{
    struct rt_buf ascii = RT_BUF_INIT;
    char *orig = rt_xstrndup(w, n), *out = NULL;
    int han = has_han(w, n), rc;
    size_t m = 0, syllables = 0;

    if ((rc = to_ascii(orig, &ascii, err)) < 0)
        goto out;
    out = rt_xmalloc(ascii.len * 2 + 16);
    for (size_t i = 0; i <= ascii.len; i++) {
        char c = i < ascii.len ? ascii.buf[i] : ' ';
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') {
            out[m++] = c;
            continue;
        }
        if (c != ' ' || !m)
            continue; /* apostrophes of soft signs, hyphens: the word goes on */
        if (han && syllables++ == 0 && i < ascii.len) {
            /* the family name ends here */
        } else if (i < ascii.len) {
            continue;
        }
        if (*nw < max) {
            m = fold_word(out, m);
            words[(*nw)++] = rt_xstrndup(out, m);
        }
        m = 0;
    }
out:
    rt_buf_release(&ascii);
    rt_free(orig);
    rt_free(out);
    return rc;
}

int rt_person_name_key(const char *name, struct rt_buf *out, struct rt_error *err)
{
    char *words[32];
    size_t n = 0;
    int rc = 0;

    rt_buf_reset(out);
    if (!name)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "name", "a person needs a name");
    for (const char *p = name; *p && rc == 0;) {
        const char *start;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        rc = key_words(start, (size_t)(p - start), words, &n, RT_ARRAY_SIZE(words), err);
    }
    for (size_t i = 0; i < n; i++)
        if (!*words[i]) {
            rt_free(words[i]);
            words[i--] = words[--n];
        }
    if (rc == 0 && !n)
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "name", "'%s' holds no letter of a name", name);
    if (rc == 0) {
        qsort(words, n, sizeof(words[0]), cmp_words);
        for (size_t i = 0; i < n; i++)
            rt_buf_addf(out, "%s%s", i ? " " : "", words[i]);
    }
    for (size_t i = 0; i < n; i++)
        rt_free(words[i]);
    return rc;
}

/* Jaro-Winkler similarity of a[0..n) and b[0..m). */
static double jaro_winkler(const char *a, size_t n, const char *b, size_t m)
{
    char am[128] = {0}, bm[128] = {0};
    size_t window, matches = 0, t = 0, k = 0, prefix = 0;
    double j;

    if (n > 127)
        n = 127;
    if (m > 127)
        m = 127;
    if (!n || !m)
        return n == m ? 1.0 : 0.0;
    window = (n > m ? n : m) / 2;
    window = window ? window - 1 : 0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = i > window ? i - window : 0, hi = i + window + 1 < m ? i + window + 1 : m;
        for (size_t x = lo; x < hi; x++) {
            if (bm[x] || a[i] != b[x])
                continue;
            am[i] = bm[x] = 1;
            matches++;
            break;
        }
    }
    if (!matches)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!am[i])
            continue;
        while (!bm[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    j = ((double)matches / (double)n + (double)matches / (double)m +
         ((double)matches - (double)t / 2.0) / (double)matches) /
        3.0;
    while (prefix < 4 && prefix < n && prefix < m && a[prefix] == b[prefix])
        prefix++;
    return j + (double)prefix * 0.1 * (1.0 - j);
}

/* The words of key (space-separated) as (start, length) pairs. */
static size_t split(const char *key, const char **w, size_t *len, size_t max)
{
    size_t n = 0;
    for (const char *p = key; *p && n < max;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        w[n] = p;
        while (*p && *p != ' ')
            p++;
        len[n] = (size_t)(p - w[n]);
        n++;
    }
    return n;
}

/* The key's letters without the spaces. */
static size_t squeeze(const char *key, char *out, size_t cap)
{
    size_t m = 0;
    for (const char *p = key; *p && m + 1 < cap; p++)
        if (*p != ' ')
            out[m++] = *p;
    out[m] = '\0';
    return m;
}

/* Is len the longest of the n lengths? */
static int longest(const size_t *l, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] > len)
            return 0;
    return 1;
}

double rt_person_key_similarity(const char *a, const char *b)
{
    const char *w1[16], *w2[16], **wa = w1, **wb = w2;
    size_t l1[16], l2[16], *la = l1, *lb = l2, na, nb, sa, sb;
    char ca[128], cb[128];
    int used[16] = {0}, family = 0;
    double sum = 0.0, words;

    if (!a || !b)
        return 0.0;
    sa = squeeze(a, ca, sizeof(ca));
    sb = squeeze(b, cb, sizeof(cb));
    if (sa == sb && !memcmp(ca, cb, sa))
        return 1.0;
    na = split(a, w1, l1, 16);
    nb = split(b, w2, l2, 16);
    if (!na || !nb)
        return 0.0;
    /* Each word of the name with fewer words against its best partner in the other:
     * a word that finds none close counts for nothing. */
    if (na > nb) {
        size_t tn = na;
        wa = w2, la = l2, wb = w1, lb = l1;
        na = nb, nb = tn;
    }
    for (size_t i = 0; i < na; i++) {
        double best = 0.0;
        size_t at = nb;
        for (size_t k = 0; k < nb; k++) {
            double s;
            if (used[k])
                continue;
            s = jaro_winkler(wa[i], la[i], wb[k], lb[k]);
            if (s > best)
                best = s, at = k;
        }
        if (at < nb)
            used[at] = 1;
        if (best >= 0.97 && la[i] >= 5 && at < nb && longest(la, na, la[i]) &&
            longest(lb, nb, lb[at]))
            family = 1;
        sum += best < 0.8 ? 0.0 : best;
    }
    words = sum / (double)na;
    /* The same long name (a family name, most often) and another first name: the
     * same person written in another language ("Yauhen" and "Evgeniy"), or a
     * relative; worth offering, never more. */
    if (family && words < RT_PERSON_CLOSE)
        words = RT_PERSON_CLOSE;
    /* A name of one word against several says little. */
    if (na == 1 && nb > 1)
        words *= 0.9;
    return words;
}

double rt_person_name_similarity(const char *a, const char *b)
{
    struct rt_buf ka = RT_BUF_INIT, kb = RT_BUF_INIT;
    double s = -1.0;

    if (rt_person_name_key(a, &ka, NULL) == 0 && rt_person_name_key(b, &kb, NULL) == 0)
        s = rt_person_key_similarity(ka.buf, kb.buf);
    rt_buf_release(&ka);
    rt_buf_release(&kb);
    return s;
}
