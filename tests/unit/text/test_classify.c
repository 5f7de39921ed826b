/* Tests of the theme classifier on a small synthetic problem. */
#include <criterion/criterion.h>
#include <math.h>

#include <rightstrack/classify.h>

/*
 * Synthetic texts: each of four themes has its own words; a text mixes filler
 * words with the words of one or two themes, and its action category follows
 * the verb it starts with. A model that ignores its input cannot pass the
 * floors.
 */
static const char *const themes[] = {"Torture", "Education", "Women", "Death penalty"};
static const char *const words[][4] = {{"torture", "ill-treatment", "detention", "prison"},
                                       {"school", "education", "teachers", "literacy"},
                                       {"women", "gender", "girls", "equality"},
                                       {"death", "execution", "moratorium", "capital"}};
static const char *const verbs[] = {"seek assistance on", "continue work on", "consider action on",
                                    "strengthen efforts on", "ratify a law on"};
static const char *const filler[] = {"the", "state", "national", "measures",  "further",
                                     "all", "its",   "rights",   "effective", "policy"};

static uint64_t rng = 12345;
static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

/* Writes one text into buf; sets its labels (indexes into themes) and category.
 */
static void make_text(char *buf, size_t cap, unsigned *lab, size_t *n_lab, int *cat)
{
    size_t len = 0;
    unsigned a = next(4), b = next(4);

    *cat = (int)next(5) + 1;
    lab[0] = a;
    *n_lab = 1;
    if (next(3) == 0 && b != a)
        lab[(*n_lab)++] = b;
    len += (size_t)snprintf(buf + len, cap - len, "%s", verbs[*cat - 1]);
    for (int i = 0; i < 8; i++) {
        unsigned t = lab[next((unsigned)*n_lab)];
        if (next(2))
            len += (size_t)snprintf(buf + len, cap - len, " %s", words[t][next(4)]);
        else
            len += (size_t)snprintf(buf + len, cap - len, " %s", filler[next(10)]);
    }
}

/* words_only: train on words alone, each of weight 1 (the features of the older
 * formats); with_chars: add the character n-grams of the words, 2 to 5 bytes. */
static int words_only, with_chars;
/* folds: the thresholds from cross-fitting over this many blocks (0: the tenth);
 * word_n: 1 unigrams and bigrams, 2 trigrams too (0: the default). */
static int folds, word_n;

static struct rt_classifier *train_with(size_t n, struct rt_classify_report *rep, double min_weight)
{
    struct rt_classify_opts o = RT_CLASSIFY_OPTS_INIT;
    struct rt_trainset *ts;
    struct rt_classifier *c = NULL;
    char buf[512];

    o.hash_bits = 16;
    o.epochs = 10;
    o.min_weight = min_weight;
    if (words_only) {
        o.char_min = o.char_max = 0;
        o.idf = 0;
        o.bigrams = 1;
    }
    o.folds = folds;
    if (word_n)
        o.bigrams = word_n;
    if (with_chars) {
        o.char_min = 2;
        o.char_max = 5;
    }
    ts = rt_trainset_new(&o);
    for (size_t i = 0; i < n; i++) {
        unsigned lab[2];
        size_t n_lab;
        int cat;
        const char *names[2];
        make_text(buf, sizeof(buf), lab, &n_lab, &cat);
        for (size_t k = 0; k < n_lab; k++)
            names[k] = themes[lab[k]];
        cr_assert_eq(rt_trainset_add(ts, buf, strlen(buf), names, n_lab, cat, NULL), 0);
    }
    cr_assert_eq(rt_trainset_size(ts), n);
    cr_assert_eq(rt_classifier_train(&c, ts, rep, NULL), 0);
    rt_trainset_free(ts);
    return c;
}

static struct rt_classifier *train(size_t n, struct rt_classify_report *rep)
{
    struct rt_classify_opts o = RT_CLASSIFY_OPTS_INIT;
    return train_with(n, rep, o.min_weight);
}

/* Micro-F1 and category accuracy on n fresh texts. */
static void evaluate(struct rt_classifier *c, size_t n, double *f1, double *acc)
{
    double tp = 0, fp = 0, fn = 0, ok = 0;
    float scores[8];
    char buf[512];

    cr_assert_eq(rt_classifier_n_labels(c), 4);
    for (size_t i = 0; i < n; i++) {
        unsigned lab[2];
        size_t n_lab;
        int cat, got;
        make_text(buf, sizeof(buf), lab, &n_lab, &cat);
        rt_classifier_predict(c, buf, strlen(buf), scores, &got, NULL);
        ok += got == cat;
        for (size_t j = 0; j < 4; j++) {
            int y = 0, p = scores[j] >= rt_classifier_threshold(c, j);
            for (size_t k = 0; k < n_lab; k++)
                y |= !strcmp(themes[lab[k]], rt_classifier_label(c, j));
            tp += p && y;
            fp += p && !y;
            fn += !p && y;
        }
    }
    *f1 = 2 * tp / (2 * tp + fp + fn);
    *acc = ok / (double)n;
}

Test(classify, learns_a_separable_problem)
{
    struct rt_classify_report rep;
    struct rt_classifier *c = train(600, &rep);
    double f1, acc;

    evaluate(c, 300, &f1, &acc);
    /* Predicting every label gives F1 about 0.5, predicting none 0. */
    cr_assert_gt(f1, 0.9, "F1 %.3f", f1);
    cr_assert_gt(acc, 0.9, "action category accuracy %.3f", acc);
    cr_assert_gt(rep.f1, 0.85, "held-out F1 %.3f", rep.f1);
    cr_assert_eq(rep.n_texts, 600);
    cr_assert_eq(rep.n_labels, 4);
    rt_classifier_free(c);
}

Test(classify, cross_fitting_and_trigrams_learn_too)
{
    struct rt_classify_report rep, rep2;
    struct rt_classifier *c, *d;
    double f1, acc;

    folds = 3;
    c = train(600, &rep);
    folds = 0;
    evaluate(c, 300, &f1, &acc);
    cr_assert_gt(f1, 0.9, "F1 %.3f with thresholds from 3 blocks", f1);
    cr_assert_gt(rep.f1, 0.85, "cross-fitted F1 %.3f", rep.f1);
    rt_classifier_free(c);
    /* Trigrams (the default) add features to unigrams and bigrams. */
    word_n = 1;
    c = train(600, &rep);
    word_n = 2;
    d = train(600, &rep2);
    word_n = 0;
    cr_assert_gt(rep2.n_features, rep.n_features);
    evaluate(d, 300, &f1, &acc);
    cr_assert_gt(f1, 0.9, "F1 %.3f with trigrams", f1);
    rt_classifier_free(c);
    rt_classifier_free(d);
}

Test(classify, a_saved_model_predicts_the_same)
{
    struct rt_classifier *c, *d = NULL;
    struct rt_buf blob = RT_BUF_INIT, again = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    char buf[512];

    with_chars = 1; /* every part of the format */
    c = train(300, NULL);
    with_chars = 0;
    cr_assert_eq(rt_classifier_save(c, &blob), 0);
    cr_assert_eq(memcmp(blob.buf, "RTCLASS4", 8), 0);
    cr_assert_eq(rt_classifier_load(&d, blob.buf, blob.len, &err), 0);
    for (size_t j = 0; j < 4; j++) {
        cr_assert_str_eq(rt_classifier_label(c, j), rt_classifier_label(d, j));
        cr_assert_eq(rt_classifier_threshold(c, j), rt_classifier_threshold(d, j));
    }
    for (int i = 0; i < 100; i++) {
        unsigned lab[2];
        size_t n_lab;
        int cat, c1, c2;
        float s1[4], s2[4];
        make_text(buf, sizeof(buf), lab, &n_lab, &cat);
        rt_classifier_predict(c, buf, strlen(buf), s1, &c1, NULL);
        rt_classifier_predict(d, buf, strlen(buf), s2, &c2, NULL);
        cr_assert_eq(c1, c2);
        cr_assert_eq(memcmp(s1, s2, sizeof(s1)), 0, "scores differ on '%s'", buf);
    }
    cr_assert_eq(rt_classifier_save(d, &again), 0);
    cr_assert_eq(again.len, blob.len);
    cr_assert_eq(memcmp(again.buf, blob.buf, blob.len), 0);
    rt_buf_release(&blob);
    rt_buf_release(&again);
    rt_classifier_free(c);
    rt_classifier_free(d);
}

Test(classify, damaged_blobs_are_refused)
{
    struct rt_classifier *c = train(100, NULL), *d = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;

    cr_assert_eq(rt_classifier_save(c, &blob), 0);
    cr_assert_eq(rt_classifier_load(&d, blob.buf, blob.len - 1, &err), RT_EFORMAT);
    cr_assert_null(d);
    cr_assert_eq(rt_classifier_load(&d, "nonsense", 8, &err), RT_EFORMAT);
    cr_assert_eq(rt_classifier_load(&d, blob.buf, 20, &err), RT_EFORMAT);
    rt_error_release(&err);
    rt_buf_release(&blob);
    rt_classifier_free(c);
}

Test(classify, too_few_texts_is_an_error)
{
    struct rt_trainset *ts = rt_trainset_new(NULL);
    struct rt_classifier *c = NULL;
    struct rt_error err = RT_ERROR_INIT;
    const char *l = "x";

    cr_assert_eq(rt_trainset_add(ts, "a b", 3, &l, 1, 0, NULL), 0);
    cr_assert_eq(rt_trainset_add(ts, "a b", 3, &l, 1, 6, &err), RT_EINVAL);
    cr_assert_eq(rt_classifier_train(&c, ts, NULL, &err), RT_EINVAL);
    cr_assert_null(c);
    rt_error_release(&err);
    rt_trainset_free(ts);
}

Test(classify, pruning_keeps_fewer_features_and_the_accuracy)
{
    struct rt_classify_report all, pruned;
    struct rt_classifier *c = train_with(600, &all, 0), *d;
    double f1, acc;

    rng = 12345;
    d = train_with(600, &pruned, 1.0);
    /* The filler words end up with small weights everywhere and go. */
    cr_assert_lt(pruned.n_features, all.n_features, "%zu features kept of %zu", pruned.n_features,
                 all.n_features);
    cr_assert_gt(pruned.n_features, 16, "%zu features kept", pruned.n_features);
    evaluate(d, 300, &f1, &acc);
    cr_assert_gt(f1, 0.9, "F1 %.3f after pruning", f1);
    cr_assert_gt(acc, 0.9, "action category accuracy %.3f after pruning", acc);
    rt_classifier_free(c);
    rt_classifier_free(d);
}

/* Little-endian reads and writes of the blob layout (docs/themes.md). */
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(struct rt_buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    rt_buf_add(b, p, 4);
}

static float rdf(const unsigned char *p)
{
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static void wrf(struct rt_buf *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    wr32(b, u);
}

/*
 * Rewrites a blob of the current format (RTCLASS4) of a model of words alone,
 * each of weight 1, in an older one, as models trained before were stored:
 * version 3 (RTCLASS3: the same without the flags), 2 (RTCLASS2: without the
 * character fields and the feature weights either) or 1 (RTCLASS1: float32 rows).
 */
static void to_old(const struct rt_buf *v4, struct rt_buf *out, int version)
{
    const unsigned char *p = (const unsigned char *)v4->buf;
    uint32_t n_labels = rd32(p + 16), n_rows = rd32(p + 20), k = n_labels + 5;
    size_t off = 40;
    const unsigned char *scale, *fw, *q;

    cr_assert_eq(memcmp(p, "RTCLASS4", 8), 0);
    cr_assert_eq(rd32(p + 28), 0, "a model with character n-grams");
    if (version == 3) {
        rt_buf_add(out, "RTCLASS3", 8);
        rt_buf_add(out, p + 8, 28);
        rt_buf_add(out, p + 40, v4->len - 40);
        return;
    }
    for (uint32_t j = 0; j < n_labels; j++)
        off += 4 + rd32(p + off);
    rt_buf_add(out, version == 1 ? "RTCLASS1" : "RTCLASS2", 8);
    rt_buf_add(out, p + 8, 16);                           /* header */
    rt_buf_add(out, p + 40, off - 40);                    /* labels */
    rt_buf_add(out, p + off, 4 * ((size_t)n_labels + k)); /* thresholds, biases */
    off += 4 * ((size_t)n_labels + k);
    rt_buf_add(out, p + off, 4 * (size_t)n_rows); /* buckets */
    off += 4 * (size_t)n_rows;
    scale = p + off;
    fw = scale + 4 * (size_t)n_rows;
    q = fw + 4 * (size_t)n_rows;
    cr_assert_eq(v4->len, off + (size_t)n_rows * (8 + k));
    for (uint32_t r = 0; r < n_rows; r++)
        cr_assert_eq(rdf(fw + 4 * r), 1.0f);
    if (version == 2) {
        rt_buf_add(out, scale, 4 * (size_t)n_rows);
        rt_buf_add(out, q, (size_t)n_rows * k);
        return;
    }
    for (uint32_t r = 0; r < n_rows; r++)
        for (uint32_t j = 0; j < k; j++)
            wrf(out, rdf(scale + 4 * r) * (float)(int8_t)q[(size_t)r * k + j]);
}

Test(classify, models_in_the_older_formats_still_load)
{
    struct rt_classifier *c, *d = NULL, *e = NULL, *f = NULL;
    struct rt_buf blob = RT_BUF_INIT, v1 = RT_BUF_INIT, v2 = RT_BUF_INIT, v3 = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    char buf[512];

    words_only = 1;
    c = train(300, NULL);
    words_only = 0;
    cr_assert_eq(rt_classifier_save(c, &blob), 0);
    to_old(&blob, &v3, 3);
    cr_assert_eq(rt_classifier_load(&f, v3.buf, v3.len, &err), 0);
    to_old(&blob, &v2, 2);
    cr_assert_eq(rt_classifier_load(&e, v2.buf, v2.len, &err), 0);
    to_old(&blob, &v1, 1);
    cr_assert_gt(v1.len, blob.len);
    cr_assert_eq(rt_classifier_load(&d, v1.buf, v1.len, &err), 0);
    for (int i = 0; i < 100; i++) {
        unsigned lab[2];
        size_t n_lab;
        int cat, c1, c2;
        float s1[4], s2[4];
        make_text(buf, sizeof(buf), lab, &n_lab, &cat);
        rt_classifier_predict(c, buf, strlen(buf), s1, &c1, NULL);
        rt_classifier_predict(d, buf, strlen(buf), s2, &c2, NULL);
        cr_assert_eq(c1, c2);
        for (int j = 0; j < 4; j++)
            cr_assert_float_eq(s1[j], s2[j], 1e-5, "label %d of '%s': %g vs %g", j, buf,
                               (double)s1[j], (double)s2[j]);
        rt_classifier_predict(e, buf, strlen(buf), s2, &c2, NULL);
        cr_assert_eq(c1, c2);
        cr_assert_eq(memcmp(s1, s2, sizeof(s1)), 0, "RTCLASS2 scores differ on '%s'", buf);
        rt_classifier_predict(f, buf, strlen(buf), s2, &c2, NULL);
        cr_assert_eq(c1, c2);
        cr_assert_eq(memcmp(s1, s2, sizeof(s1)), 0, "RTCLASS3 scores differ on '%s'", buf);
    }
    rt_classifier_free(d);
    rt_classifier_free(e);
    rt_classifier_free(f);
    rt_buf_release(&v2);
    rt_buf_release(&v3);
    d = NULL;
    cr_assert_eq(rt_classifier_load(&d, v1.buf, v1.len - 4, &err), RT_EFORMAT);
    cr_assert_null(d);
    rt_error_release(&err);
    rt_buf_release(&blob);
    rt_buf_release(&v1);
    rt_classifier_free(c);
}

Test(classify, a_blob_with_a_bad_scale_is_refused)
{
    struct rt_classifier *c = train(100, NULL), *d = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    const unsigned char *p;
    uint32_t n_labels, n_rows;
    size_t off = 40;
    float nan = NAN;

    cr_assert_eq(rt_classifier_save(c, &blob), 0);
    p = (const unsigned char *)blob.buf;
    n_labels = rd32(p + 16);
    n_rows = rd32(p + 20);
    cr_assert_gt(n_rows, 0);
    for (uint32_t j = 0; j < n_labels; j++)
        off += 4 + rd32(p + off);
    off += 4 * ((size_t)n_labels + n_labels + 5) + 4 * (size_t)n_rows; /* the first scale */
    memcpy(blob.buf + off, &nan, 4);
    cr_assert_eq(rt_classifier_load(&d, blob.buf, blob.len, &err), RT_EFORMAT);
    cr_assert_null(d);
    rt_error_release(&err);
    rt_buf_release(&blob);
    rt_classifier_free(c);
}

/*
 * Character n-grams within words: a misspelt or compound word the model never
 * saw still shares most of its n-grams with the word it was trained on, so it
 * carries that word's theme; words alone know nothing of it.
 */
Test(classify, character_ngrams_carry_unseen_spellings)
{
    struct rt_classifier *chars, *plain;
    const char *text = "tortture";
    float s[4], none[4];
    int cat;
    size_t j;

    rng = 777;
    with_chars = 1;
    chars = train(600, NULL);
    with_chars = 0;
    rng = 777;
    words_only = 1;
    plain = train(600, NULL);
    words_only = 0;
    for (j = 0; j < 4 && strcmp(rt_classifier_label(chars, j), "Torture"); j++)
        ;
    cr_assert_lt(j, 4);
    rt_classifier_predict(chars, text, strlen(text), s, &cat, NULL);
    cr_assert_geq(s[j], rt_classifier_threshold(chars, j), "Torture %.3f, threshold %.3f",
                  (double)s[j], rt_classifier_threshold(chars, j));
    for (size_t i = 0; i < 4; i++)
        cr_assert(i == j || s[i] < s[j], "%s %.3f above Torture %.3f",
                  rt_classifier_label(chars, i), (double)s[i], (double)s[j]);
    /* Words alone see nothing in it: it scores as a text of no known word. */
    rt_classifier_predict(plain, text, strlen(text), s, &cat, NULL);
    rt_classifier_predict(plain, "qqqq", 4, none, &cat, NULL);
    cr_assert_eq(s[j], none[j], "words alone: Torture %.3f", (double)s[j]);
    rt_classifier_free(chars);
    rt_classifier_free(plain);
}

/*
 * Predicting keeps each word's character n-gram rows in a cache that starts
 * again empty when full. Scores must not depend on it: the same texts score the
 * same to the bit before and after 80,000 other words went through it (more than
 * it holds, so it was emptied on the way), and as a freshly loaded model with
 * an empty cache scores them in the opposite order.
 */
Test(classify, the_word_cache_changes_no_score)
{
    struct rt_classifier *c, *d = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    char texts[50][600], buf[600];
    float first[50][4], s[4];
    int cat[50], got;

    rng = 4242;
    with_chars = 1;
    c = train(300, NULL);
    with_chars = 0;
    for (int i = 0; i < 50; i++) {
        unsigned lab[2];
        size_t n_lab;
        int k;
        make_text(texts[i], sizeof(texts[i]), lab, &n_lab, &k);
        if (i == 7) { /* a word longer than the 64 bytes the n-grams are taken from */
            size_t len = strlen(texts[i]);
            snprintf(texts[i] + len, sizeof(texts[i]) - len, " Torture%s",
                     "torturetorturetorturetorturetorturetorturetorturetorturetorturetorture");
        }
        rt_classifier_predict(c, texts[i], strlen(texts[i]), first[i], &cat[i], NULL);
    }
    for (unsigned i = 0; i < 10000; i++) {
        int len = 0;
        for (unsigned w = 0; w < 8; w++)
            len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%storture%05uq%u ",
                            w % 2 ? "anti" : "", i, w);
        rt_classifier_predict(c, buf, (size_t)len, s, &got, NULL);
    }
    cr_assert_eq(rt_classifier_save(c, &blob), 0);
    cr_assert_eq(rt_classifier_load(&d, blob.buf, blob.len, &err), 0);
    for (int i = 0; i < 50; i++) {
        rt_classifier_predict(c, texts[i], strlen(texts[i]), s, &got, NULL);
        cr_assert_eq(memcmp(s, first[i], sizeof(s)), 0, "scores differ on '%s'", texts[i]);
        cr_assert_eq(got, cat[i]);
    }
    for (int i = 49; i >= 0; i--) {
        rt_classifier_predict(d, texts[i], strlen(texts[i]), s, &got, NULL);
        cr_assert_eq(memcmp(s, first[i], sizeof(s)), 0, "a fresh model differs on '%s'", texts[i]);
        cr_assert_eq(got, cat[i]);
    }
    rt_buf_release(&blob);
    rt_classifier_free(c);
    rt_classifier_free(d);
}
