/* Tests of word shingles, Jaccard similarity and the exact similarity join. */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

static size_t shingles(const char *s, uint64_t **out)
{
    size_t n;
    cr_assert_eq(rt_text_shingles(s, strlen(s), out, &n), 0);
    for (size_t i = 1; i < n; i++)
        cr_assert_lt((*out)[i - 1], (*out)[i], "shingles sorted and distinct: '%s'", s);
    return n;
}

static size_t count(const char *s)
{
    uint64_t *h;
    size_t n = shingles(s, &h);
    rt_free(h);
    return n;
}

static int same_set(const char *a, const char *b)
{
    uint64_t *x, *y;
    size_t nx = shingles(a, &x), ny = shingles(b, &y);
    int same = nx == ny && (nx == 0 || !memcmp(x, y, nx * sizeof(*x)));
    rt_free(x);
    rt_free(y);
    return same;
}

static double jac(const char *a, const char *b)
{
    uint64_t *x, *y;
    size_t nx = shingles(a, &x), ny = shingles(b, &y);
    double j = rt_jaccard(x, nx, y, ny);
    rt_free(x);
    rt_free(y);
    return j;
}

Test(shingle, counts_three_word_runs)
{
    cr_assert_eq(count("Ratify the Optional Protocol to the Convention"), 5);
    cr_assert_eq(count("ratify the convention"), 1);
    /* A shingle met twice counts once. */
    cr_assert_eq(count("a b c a b c a b c"), 3);
}

Test(shingle, short_texts_are_one_shingle)
{
    cr_assert_eq(count("Abolish torture."), 1);
    cr_assert_eq(count("Abolish"), 1);
    cr_assert(same_set("Abolish torture.", "abolish -- TORTURE"));
    /* The two-word sequence is not any three-word shingle, nor a one-word one. */
    cr_assert(!same_set("abolish torture", "abolish"));
    cr_assert_eq(jac("abolish torture", "abolish torture now"), 0);
}

Test(shingle, no_word_no_shingle)
{
    uint64_t *h = (uint64_t *)1;
    size_t n = 7;
    cr_assert_eq(rt_text_shingles("", 0, &h, &n), 0);
    cr_assert_null(h);
    cr_assert_eq(n, 0);
    cr_assert_eq(count(" ,;. -- ! "), 0);
}

Test(shingle, words_are_letters_and_digits_folded)
{
    cr_assert(same_set("Ratify the CONVENTION, now!", "ratify the convention now"));
    cr_assert(same_set("(a) ratify; the - convention", "a ratify the convention"));
    /* NFKC: full-width letters, ligatures; case folding: sharp s. */
    cr_assert(same_set("\xef\xbc\xb2" "atify the \xef\xac\x81nal text", "ratify the final text"));
    cr_assert(same_set("STRASSE und Weg", "stra\xc3\x9f" "e und weg"));
    /* No accent removal and no stemming. */
    cr_assert(!same_set("protect the \xc3\xa9lite", "protect the elite"));
    cr_assert(!same_set("ratify the conventions", "ratify the convention"));
    /* Apostrophes and hyphens separate words; digits are words. */
    cr_assert(same_set("children's rights act", "children s rights act"));
    cr_assert(same_set("article 2-3 of", "article 2 3 of"));
    /* Combining marks stay in their word. */
    cr_assert(same_set("protect the e\xcc\x81lite", "protect the \xc3\xa9lite"));
}

Test(shingle, invalid_utf8_separates_words)
{
    cr_assert(same_set("ratify\xff" "the convention \xc3", "ratify the convention"));
}

Test(shingle, non_ascii_text_matches_its_ascii_twin)
{
    /* One non-ASCII character sends the text down the Unicode path; the ASCII
     * words must hash as on the fast path. */
    cr_assert_eq(jac("Ratify the convention \xe2\x80\x94 promptly", "ratify the convention promptly"),
                 1.0);
}

Test(jaccard, small_sets)
{
    uint64_t a[] = {1, 2, 3}, b[] = {2, 3, 4}, c[] = {7, 8}, d[] = {1, 2, 3, 4, 5, 6, 7, 8, 9},
             e[] = {1, 2, 3, 4, 5, 6, 7, 10};
    cr_assert_eq(rt_jaccard(a, 3, b, 3), 0.5);
    cr_assert_eq(rt_jaccard(a, 3, a, 3), 1.0);
    cr_assert_eq(rt_jaccard(a, 3, c, 2), 0.0);
    cr_assert_eq(rt_jaccard(a, 3, NULL, 0), 0.0);
    cr_assert_eq(rt_jaccard(NULL, 0, NULL, 0), 0.0);
    cr_assert_eq(rt_jaccard(d, 9, e, 8), 0.7); /* 7 / 10 */
    cr_assert_eq(jac("Establish a moratorium on executions with a view to abolishing the death "
                     "penalty",
                     "Consider establishing a moratorium on executions with a view to "
                     "abolishing the death penalty"),
                 10.0 / 13.0);
}

/* --- the join ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct sets {
    uint64_t **v;
    size_t *len;
    size_t n;
};

static void sets_free(struct sets *s)
{
    for (size_t i = 0; i < s->n; i++)
        rt_free(s->v[i]);
    rt_free(s->v);
    rt_free(s->len);
}

/*
 * Synthetic recommendations: n texts built from a few templates and a small
 * vocabulary, each then edited a little (words changed, dropped, added), so that
 * there are pairs on both sides of every threshold.
 */
static void synthetic_texts(struct sets *s, size_t n, uint64_t seed)
{
    static const char *const words[] = {
        "ratify", "the", "convention", "against", "torture", "and", "its", "optional",
        "protocol", "establish", "a", "moratorium", "on", "executions", "with", "view",
        "to", "abolishing", "death", "penalty", "ensure", "freedom", "of", "expression",
        "journalists", "human", "rights", "defenders", "investigate", "all", "cases",
        "women", "children", "violence", "domestic", "law", "national", "institution",
    };
    size_t nw = sizeof(words) / sizeof(words[0]), templates = 12;
    char tmpl[12][40];

    rng_state = seed;
    for (size_t t = 0; t < templates; t++)
        for (size_t k = 0; k < 40; k++)
            tmpl[t][k] = (char)(rnd() % nw);
    s->n = n;
    s->v = rt_xcalloc(n, sizeof(*s->v));
    s->len = rt_xcalloc(n, sizeof(*s->len));
    for (size_t i = 0; i < n; i++) {
        struct rt_buf b = RT_BUF_INIT;
        size_t t = rnd() % templates, len = 1 + rnd() % 30, edits = rnd() % 4;
        for (size_t k = 0; k < len; k++) {
            size_t w = (size_t)tmpl[t][k];
            if (edits && rnd() % 10 == 0) {
                edits--;
                switch (rnd() % 3) {
                case 0:
                    w = rnd() % nw; /* changed */
                    break;
                case 1:
                    continue; /* dropped */
                default:
                    rt_buf_addf(&b, "%s ", words[rnd() % nw]); /* added */
                }
            }
            rt_buf_addf(&b, "%s%s", words[w], rnd() % 7 ? " " : ", ");
        }
        cr_assert_eq(rt_text_shingles(b.buf, b.len, &s->v[i], &s->len[i]), 0);
        rt_buf_release(&b);
    }
}

/* Random sets of small numbers (all in one range of the top bits), some near copies. */
static void synthetic_numbers(struct sets *s, size_t n, size_t len, uint64_t range, uint64_t seed)
{
    rng_state = seed;
    s->n = n;
    s->v = rt_xcalloc(n, sizeof(*s->v));
    s->len = rt_xcalloc(n, sizeof(*s->len));
    for (size_t i = 0; i < n; i++) {
        uint64_t *v = rt_xcalloc(len, sizeof(*v));
        size_t m = 0;
        if (i && rnd() % 2) { /* a near copy of an earlier set */
            const struct sets *src = s;
            size_t j = rnd() % i;
            for (size_t k = 0; k < src->len[j]; k++)
                v[m++] = rnd() % 8 ? src->v[j][k] : rnd() % range;
        } else {
            for (size_t k = 0; k < len; k++)
                v[m++] = rnd() % range;
        }
        /* sort and drop repeats */
        for (size_t a = 1; a < m; a++)
            for (size_t b = a; b && v[b] < v[b - 1]; b--) {
                uint64_t t = v[b];
                v[b] = v[b - 1];
                v[b - 1] = t;
            }
        {
            size_t k = m ? 1 : 0;
            for (size_t a = 1; a < m; a++)
                if (v[a] != v[k - 1])
                    v[k++] = v[a];
            m = k;
        }
        s->v[i] = v;
        s->len[i] = m;
    }
}

/* The join's pairs must be exactly the brute force's, in order, with equal values. */
static size_t check_join(const struct sets *s, double t)
{
    struct rt_sim_pair *p = NULL;
    size_t n = 0, k = 0;

    cr_assert_eq(rt_shingle_join((const uint64_t *const *)s->v, s->len, s->n, t, &p, &n), 0);
    for (size_t a = 0; a < s->n; a++)
        for (size_t b = a + 1; b < s->n; b++) {
            double j;
            if (!s->len[a] || !s->len[b])
                continue;
            j = rt_jaccard(s->v[a], s->len[a], s->v[b], s->len[b]);
            if (j < t)
                continue;
            cr_assert_lt(k, n, "threshold %g: pair (%zu, %zu) missed", t, a, b);
            cr_assert(p[k].a == a && p[k].b == b,
                      "threshold %g: expected (%zu, %zu), got (%u, %u)", t, a, b, p[k].a, p[k].b);
            cr_assert_eq(p[k].jaccard, j);
            k++;
        }
    cr_assert_eq(k, n, "threshold %g: %zu pairs too many", t, n - k);
    rt_free(p);
    return n;
}

Test(join, equals_brute_force_on_synthetic_texts)
{
    static const double ts[] = {0.1, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 1.0};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct sets s;
        size_t last = (size_t)-1;
        synthetic_texts(&s, 400, seed);
        for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
            size_t n = check_join(&s, ts[i]);
            cr_assert_leq(n, last, "fewer pairs at a higher threshold");
            cr_assert_gt(n, 0, "the texts make pairs at %g", ts[i]);
            cr_assert(i == 0 || ts[i] > 0.75 || n < last, "thresholds tell pairs apart");
            last = n;
        }
        sets_free(&s);
    }
}

Test(join, equals_brute_force_when_values_crowd_one_range)
{
    /* Over 2^17 values, all with the same top bits: the numbering's table grows. */
    struct sets s;
    synthetic_numbers(&s, 1400, 100, 5000, 42);
    cr_assert_gt(check_join(&s, 0.7), 0);
    cr_assert_gt(check_join(&s, 0.4), 0);
    sets_free(&s);
}

Test(join, finds_pairs_exactly_at_the_threshold)
{
    uint64_t d[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, e[] = {1, 2, 3, 4, 5, 6, 7, 10};
    const uint64_t *v[] = {d, e};
    size_t len[] = {9, 8}, n;
    struct rt_sim_pair *p;

    cr_assert_eq(rt_shingle_join(v, len, 2, 0.7, &p, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert(p[0].a == 0 && p[0].b == 1 && p[0].jaccard == 0.7);
    rt_free(p);
    cr_assert_eq(rt_shingle_join(v, len, 2, 0.7000001, &p, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_null(p);
}

Test(join, empty_sets_pair_with_nothing)
{
    uint64_t a[] = {5};
    const uint64_t *v[] = {NULL, a, NULL, a};
    size_t len[] = {0, 1, 0, 1}, n;
    struct rt_sim_pair *p;

    cr_assert_eq(rt_shingle_join(v, len, 4, 1.0, &p, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert(p[0].a == 1 && p[0].b == 3);
    rt_free(p);
    cr_assert_eq(rt_shingle_join(v, len, 0, 0.7, &p, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_eq(rt_shingle_join(v, (size_t[]){0, 0, 0, 0}, 4, 0.7, &p, &n), 0);
    cr_assert_eq(n, 0);
}

Test(join, refuses_a_threshold_out_of_range)
{
    uint64_t a[] = {5};
    const uint64_t *v[] = {a};
    size_t len[] = {1}, n = 3;
    struct rt_sim_pair *p = (struct rt_sim_pair *)1;

    cr_assert_eq(rt_shingle_join(v, len, 1, 0.0, &p, &n), RT_EINVAL);
    cr_assert_null(p);
    cr_assert_eq(n, 0);
    cr_assert_eq(rt_shingle_join(v, len, 1, 1.5, &p, &n), RT_EINVAL);
    cr_assert_eq(rt_shingle_join(v, len, 1, -0.1, &p, &n), RT_EINVAL);
}
