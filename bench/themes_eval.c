/*
 * The theme classifier's settings, measured without a database: trains on one
 * file and scores another, through the public API.
 *
 *   themes_eval TRAIN.tsv TEST.tsv [NAME=VALUE...]
 *
 * Each line of a file: text TAB labels (|-separated) TAB action category (0-5).
 * NAME is a field of struct rt_classify_opts: bits, epochs, lr, holdout, refit,
 * min_weight, char_min, char_max, char_weight, idf, svm_c, svm_iter, svm_eps,
 * seed, bigrams (2: trigrams too), char_surface, label_thresholds, folds,
 * fold_random, pos_weight (svm_pos_weight) (the rest keep RT_CLASSIFY_OPTS_INIT). Writes one line
 * to stdout: "P R F1 heldout-F1 category-accuracy train-seconds train-cpu-seconds features
 * blob-bytes predictions/s". bench/themes.sh uses it to choose the settings on
 * sessions 1-14 against 15-16 (SELECT=1).
 */
#include <rightstrack/classify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct item {
    char *text;
    char *labels[64];
    size_t n_labels;
    int category;
};

static double now(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a TSV file of items; the strings point into *buf. */
static size_t read_items(const char *path, char **buf, struct item **items)
{
    FILE *fp = fopen(path, "rb");
    size_t len = 0, cap = 1 << 20, n = 0, alloc = 0, got;
    char *b;
    struct item *a = NULL;

    if (!fp) {
        perror(path);
        exit(2);
    }
    b = malloc(cap);
    while (b && (got = fread(b + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap)
            b = realloc(b, cap *= 2);
    }
    if (!b || ferror(fp))
        exit(2);
    fclose(fp);
    b[len] = '\0';
    for (char *p = b; *p;) {
        char *e = strchr(p, '\n'), *t1, *t2;
        struct item *it;
        if (e)
            *e = '\0';
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 4096;
            a = realloc(a, alloc * sizeof(*a));
            if (!a)
                exit(2);
        }
        it = &a[n++];
        memset(it, 0, sizeof(*it));
        it->text = p;
        t1 = strchr(p, '\t');
        t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t1 || !t2) {
            fprintf(stderr, "themes_eval: %s:%zu: not text TAB labels TAB category\n", path, n);
            exit(2);
        }
        *t1 = *t2 = '\0';
        it->category = atoi(t2 + 1);
        for (char *l = t1 + 1; *l && it->n_labels < 64;) {
            char *bar = strchr(l, '|');
            it->labels[it->n_labels++] = l;
            if (!bar)
                break;
            *bar = '\0';
            l = bar + 1;
        }
        if (!e)
            break;
        p = e + 1;
    }
    *buf = b;
    *items = a;
    return n;
}

static void set_opt(struct rt_classify_opts *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    double v;

    if (!eq) {
        fprintf(stderr, "themes_eval: %s is not NAME=VALUE\n", arg);
        exit(2);
    }
    v = strtod(eq + 1, NULL);
#define OPT(name, field, type)                                                                     \
    if ((size_t)(eq - arg) == strlen(name) && !strncmp(arg, name, strlen(name))) {                 \
        o->field = (type)v;                                                                        \
        return;                                                                                    \
    }
    OPT("bits", hash_bits, unsigned)
    OPT("epochs", epochs, int)
    OPT("lr", lr, double)
    OPT("holdout", holdout, double)
    OPT("refit", refit, int)
    OPT("min_weight", min_weight, double)
    OPT("char_min", char_min, int)
    OPT("char_max", char_max, int)
    OPT("char_weight", char_weight, double)
    OPT("idf", idf, int)
    OPT("svm_c", svm_c, double)
    OPT("svm_iter", svm_iter, int)
    OPT("svm_eps", svm_eps, double)
    OPT("seed", seed, uint64_t)
    OPT("bigrams", bigrams, int)
    OPT("char_surface", char_surface, int)
    OPT("label_thresholds", label_thresholds, int)
    OPT("folds", folds, int)
    OPT("fold_random", fold_random, int)
    OPT("pos_weight", svm_pos_weight, double)
#undef OPT
    fprintf(stderr, "themes_eval: unknown setting %s\n", arg);
    exit(2);
}

int main(int argc, char **argv)
{
    struct rt_classify_opts o = RT_CLASSIFY_OPTS_INIT;
    struct rt_classify_report rep = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_trainset *ts;
    struct rt_classifier *c = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    struct item *tr, *te;
    char *btr, *bte;
    size_t ntr, nte, nl;
    double t0, c0, t1, c1, t2, t3, tp = 0, fp = 0, fn = 0;
    float *scores;

    if (argc < 3) {
        fprintf(stderr, "usage: themes_eval TRAIN.tsv TEST.tsv [NAME=VALUE...]\n");
        return 2;
    }
    for (int i = 3; i < argc; i++)
        set_opt(&o, argv[i]);
    ntr = read_items(argv[1], &btr, &tr);
    nte = read_items(argv[2], &bte, &te);
    t0 = now(CLOCK_MONOTONIC);
    c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    ts = rt_trainset_new(&o);
    for (size_t i = 0; i < ntr; i++)
        rt_trainset_add(ts, tr[i].text, strlen(tr[i].text), (const char *const *)tr[i].labels,
                        tr[i].n_labels, tr[i].category, NULL);
    if (rt_classifier_train(&c, ts, &rep, &err) < 0) {
        rt_error_print(&err, "themes_eval", stderr);
        return 1;
    }
    t1 = now(CLOCK_MONOTONIC);
    c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    rt_trainset_free(ts);
    rt_classifier_save(c, &blob);
    nl = rt_classifier_n_labels(c);
    scores = calloc(nl + 1, sizeof(*scores));
    if (!scores)
        return 2;
    t2 = now(CLOCK_MONOTONIC);
    for (size_t i = 0; i < nte; i++) {
        int cat;
        rt_classifier_predict(c, te[i].text, strlen(te[i].text), scores, &cat, NULL);
        for (size_t j = 0; j < nl; j++) {
            int p = scores[j] >= rt_classifier_threshold(c, j), y = 0;
            for (size_t k = 0; k < te[i].n_labels; k++)
                y |= !strcmp(te[i].labels[k], rt_classifier_label(c, j));
            tp += p && y;
            fp += p && !y;
        }
    }
    t3 = now(CLOCK_MONOTONIC);
    for (size_t i = 0; i < nte; i++)
        fn += (double)te[i].n_labels;
    fn -= tp; /* labels of the test texts that no model label found */
    printf("%.4f %.4f %.4f %.4f %.3f %.2f %.2f %zu %zu %.0f\n", tp / (tp + fp), tp / (tp + fn),
           2 * tp / (2 * tp + fp + fn), rep.f1, rep.category_accuracy, t1 - t0, c1 - c0,
           rep.n_features, blob.len, (double)nte / (t3 - t2));
    free(scores);
    rt_classifier_free(c);
    rt_buf_release(&blob);
    free(tr);
    free(te);
    free(btr);
    free(bte);
    return 0;
}
