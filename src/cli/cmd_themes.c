/* rightstrack themes: train the theme classifier, predict, list the taxonomy,
 * tag. */
#include <errno.h>

#include "cli.h"

#include <rightstrack/classify.h>
#include <rightstrack/ingest.h>

#define VOCABULARY "upr-info"
#define MODEL_NAME "themes/upr-info"
#define MODEL_KIND "theme-classifier"

static const char usage[] = "rightstrack [--db PATH] themes train|predict|list|tag|areas [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] themes SUBCOMMAND [OPTIONS]\n"
    "\n"
    "Theme classification over the 54 UPR Info issues, and the action category "
    "1-5.\n"
    "\n"
    "  train [--json] [--epochs N] [--passes N] [--no-chars] [--sgd]\n"
    "        train on the recommendations with official UPR Info themes (from\n"
    "        `import`), store the model in the database, and print precision, "
    "recall\n"
    "        and F1 on a held-out tenth of them. --passes: at most N passes of\n"
    "        each theme's SVM (default 60); --no-chars: words only, no character\n"
    "        n-grams (faster, a little less accurate); --sgd: themes by logistic\n"
    "        regression trained with the category, as before version 4 of the\n"
    "        model; --epochs: the passes of that training (default 20)\n"
    "  predict [--json] [--all-scores] < FILE\n"
    "        one text per line in; per line out the predicted themes, or with "
    "--json\n"
    "        {\"labels\": [...], \"scores\": {label: p}, \"action_category\": "
    "n}\n"
    "        (scores of labels with p >= 0.05; --all-scores: every label)\n"
    "  list [--json]\n"
    "        the UPR Info themes with how many recommendations carry each, "
    "officially\n"
    "        and by the model\n"
    "  tag [--json]\n"
    "        tag every recommendation without official themes with the "
    "model's\n"
    "        themes, and give every one without an official action category "
    "the\n"
    "        model's category (origin \"model\", the probability as "
    "confidence),\n"
    "        replacing earlier model tags and categories\n"
    "  areas [--json]\n"
    "        the theme taxonomy: shared areas and the labels of each vocabulary\n"
    "        (upr-info, uhri, osce) that map onto them\n";

/* Parses only --json and --help; returns -1 after a usage error or the help, the
 * exit code stored in *rc. */
static int parse_json_only(struct cli *c, int argc, char **argv, const char *sub_usage,
                           const char *sub_help, int *json, int *rc)
{
    struct cli_option opts[] = {OPT_JSON(json), OPT_END()};

    if ((*rc = cli_parse_options(c, &argc, argv, opts, sub_usage, sub_help)) >= 0 ||
        (*rc = cli_no_args(c, argc, argv, sub_usage)) >= 0)
        return -1;
    return 0;
}

/* json_dump_callback's sink: appends to an rt_buf. */
static int add_to_buf(const char *s, size_t n, void *ctx)
{
    return rt_buf_add(ctx, s, n) < 0 ? -1 : 0;
}

/* Reads one line (with its newline, if any) into line; returns 0 at end of
 * input. */
static int read_line(FILE *fp, struct rt_buf *line)
{
    int ch;

    rt_buf_reset(line);
    while ((ch = getc_unlocked(fp)) != EOF) {
        rt_buf_addch(line, ch);
        if (ch == '\n')
            break;
    }
    return line->len > 0;
}

/* Loads the stored model; prints why not and returns EXIT_FAIL when there is
 * none. */
static int load_model(struct cli *c, struct rt_store *st, struct rt_classifier **out)
{
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_error err = RT_ERROR_INIT;
    int rc = EXIT_OK, r;

    r = rt_store_model_get(st, MODEL_NAME, &blob, NULL, &err);
    if (r == RT_ENOTFOUND) {
        fprintf(stderr, "%s: no theme model in %s: run 'rightstrack themes train' first\n", c->prog,
                c->db_path);
        rc = EXIT_FAIL;
    } else if (r < 0 || rt_classifier_load(out, blob.buf, blob.len, &err) < 0) {
        rc = cli_fail(c, &err);
    }
    rt_buf_release(&blob);
    rt_error_release(&err);
    return rc;
}

static int themes_train(struct cli *c, int argc, char **argv)
{
    static const char sub_usage[] =
        "rightstrack [--db PATH] themes train [--json] [--epochs N] [--passes N] [--no-chars] "
        "[--sgd]";
    struct rt_classify_opts copts = RT_CLASSIFY_OPTS_INIT;
    struct rt_classify_report rep = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_rec_text *texts = NULL;
    struct rt_trainset *ts = NULL;
    struct rt_classifier *model = NULL;
    struct rt_buf blob = RT_BUF_INIT;
    json_t *info = NULL;
    struct rt_buf info_text = RT_BUF_INIT;
    size_t n = 0;
    int json = 0, rc;
    long epochs = copts.epochs, passes = copts.svm_iter;
    int no_chars = 0, sgd = 0;

    struct cli_option opts[] = {OPT_JSON(&json),
                                OPT_INT("epochs", &epochs, 1, 1000, "N", NULL),
                                OPT_INT("passes", &passes, 1, 1000, "N", NULL),
                                OPT_FLAG("no-chars", &no_chars, NULL),
                                OPT_FLAG("sgd", &sgd, NULL),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, sub_usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, sub_usage)) >= 0)
        return rc;
    copts.epochs = (int)epochs;
    copts.svm_iter = (int)passes;
    if (no_chars)
        copts.char_min = copts.char_max = 0;
    if (sgd) {
        copts.svm_c = 0;
        copts.label_thresholds = 1;
    }
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (rt_store_rec_texts(st, VOCABULARY, RT_TEXTS_LABELLED, &texts, &n, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    ts = rt_trainset_new(&copts);
    for (size_t i = 0; i < n; i++) {
        int cat = texts[i].action_category >= 1 && texts[i].action_category <= 5
                      ? texts[i].action_category
                      : 0;
        rt_trainset_add(ts, texts[i].text, strlen(texts[i].text),
                        (const char *const *)texts[i].labels, texts[i].n_labels, cat, NULL);
    }
    if (rt_classifier_train(&model, ts, &rep, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    info = rt_classify_report_to_json(&rep, &copts);
    json_dump_callback(info, add_to_buf, &info_text, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (rt_classifier_save(model, &blob) < 0 ||
        rt_store_model_put(st, MODEL_NAME, MODEL_KIND, info_text.buf, blob.buf, blob.len, &err) <
            0) {
        if (!err.code)
            rt_error_set(&err, RT_ETOOBIG, NULL, 0, NULL, "the model is too big to save");
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        json_object_set_new(info, "model", json_string(MODEL_NAME));
        json_object_set_new(info, "bytes", json_integer((json_int_t)blob.len));
        cli_print_json(info);
        info = NULL;
    } else {
        printf("trained on %zu recommendations, %zu themes, %zu features in %.1f s\n", rep.n_texts,
               rep.n_labels, rep.n_features, rep.seconds);
        printf("held out %zu: precision %.3f, recall %.3f, F1 %.3f", rep.n_heldout, rep.precision,
               rep.recall, rep.f1);
        if (rep.category_accuracy >= 0)
            printf("; action category accuracy %.3f", rep.category_accuracy);
        printf("\nsaved as '%s' (%.1f MB)\n", MODEL_NAME, (double)blob.len / 1e6);
    }
    rc = EXIT_OK;
out:
    rt_buf_release(&info_text);
    json_decref(info);
    rt_buf_release(&blob);
    rt_classifier_free(model);
    rt_trainset_free(ts);
    rt_rec_texts_free(texts, n);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

static int themes_predict(struct cli *c, int argc, char **argv)
{
    static const char sub_usage[] =
        "rightstrack [--db PATH] themes predict [--json] [--all-scores] < FILE";
    struct rt_store *st = NULL;
    struct rt_classifier *model = NULL;
    float *scores = NULL;
    struct rt_buf line = RT_BUF_INIT, out = RT_BUF_INIT;
    size_t len;
    double min_score = 0.05;
    int json = 0, all_scores = 0, rc;

    struct cli_option opts[] = {OPT_JSON(&json), OPT_FLAG("all-scores", &all_scores, NULL),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, sub_usage, help)) >= 0)
        return rc;
    if (argc > 1)
        return cli_usage(c, sub_usage, "unexpected argument '%s' (texts come on standard input)",
                         argv[1]);
    if (all_scores)
        min_score = 0;
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        goto out;
    if ((rc = load_model(c, st, &model)) != EXIT_OK)
        goto out;
    scores = rt_xcalloc(rt_classifier_n_labels(model) + 1, sizeof(*scores));
    while (read_line(stdin, &line)) {
        int category;
        len = line.len;
        while (len > 0 && (line.buf[len - 1] == '\n' || line.buf[len - 1] == '\r'))
            len--;
        rt_classifier_predict(model, line.buf, len, scores, &category, NULL);
        if (json) {
            /* One write a line: json_dumpf writes every token on its own. */
            json_t *p = rt_prediction_to_json(model, scores, category, min_score);
            rt_buf_reset(&out);
            json_dump_callback(p, add_to_buf, &out,
                               JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
            rt_buf_addch(&out, '\n');
            fwrite(out.buf, 1, out.len, stdout);
            json_decref(p);
        } else {
            int any = 0;
            for (size_t i = 0; i < rt_classifier_n_labels(model); i++) {
                if (scores[i] >= rt_classifier_threshold(model, i)) {
                    printf("%s%s (%.2f)", any ? "; " : "", rt_classifier_label(model, i),
                           (double)scores[i]);
                    any = 1;
                }
            }
            printf("%s\taction category %d\n", any ? "" : "(no theme)", category);
        }
    }
    if (ferror(stdin)) {
        fprintf(stderr, "%s: reading standard input: %s\n", c->prog, strerror(errno));
        rc = EXIT_FAIL;
        goto out;
    }
    rc = EXIT_OK;
out:
    rt_buf_release(&line);
    rt_buf_release(&out);
    rt_free(scores);
    rt_classifier_free(model);
    rt_store_close(st);
    return rc;
}

static int themes_list(struct cli *c, int argc, char **argv)
{
    static const char sub_usage[] = "rightstrack [--db PATH] themes list [--json]";
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_theme_count *a = NULL;
    size_t n = 0;
    int json = 0, rc;

    if (parse_json_only(c, argc, argv, sub_usage, help, &json, &rc) < 0)
        return rc;
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        goto out;
    if (rt_store_theme_counts(st, VOCABULARY, &a, &n, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(rt_theme_counts_to_json(VOCABULARY, a, n));
    } else {
        printf("%zu %s themes%s\n", n, VOCABULARY, n ? ":" : "");
        if (n)
            printf("  %8s %8s  %s\n", "official", "model", "theme");
        for (size_t i = 0; i < n; i++)
            printf("  %8lld %8lld  %s\n", (long long)a[i].official, (long long)a[i].model,
                   a[i].label);
    }
    rc = EXIT_OK;
out:
    rt_theme_counts_free(a, n);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

static int themes_tag(struct cli *c, int argc, char **argv)
{
    static const char sub_usage[] = "rightstrack [--db PATH] themes tag [--json]";
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_tag_stats s = {0};
    int json = 0, rc, r;

    if (parse_json_only(c, argc, argv, sub_usage, help, &json, &rc) < 0)
        return rc;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    r = rt_tag_unlabelled(st, &s, &err);
    if (r == RT_ENOTFOUND) {
        fprintf(stderr, "%s: no theme model in %s: run 'rightstrack themes train' first\n", c->prog,
                c->db_path);
        rc = EXIT_FAIL;
        goto out;
    }
    if (r < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json)
        cli_print_json(json_pack(
            "{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "unlabelled", (json_int_t)s.unlabelled, "tagged",
            (json_int_t)s.tagged, "tags", (json_int_t)s.tags, "replaced", (json_int_t)s.replaced,
            "uncategorised", (json_int_t)s.uncategorised, "categorised", (json_int_t)s.categorised,
            "categories_replaced", (json_int_t)s.categories_replaced));
    else
        printf("%lld recommendations without official themes; tagged %lld with %lld themes "
               "(replacing %lld earlier model tags)\n"
               "%lld without an official action category; gave %lld the model's category "
               "(replacing %lld earlier model categories)\n",
               (long long)s.unlabelled, (long long)s.tagged, (long long)s.tags,
               (long long)s.replaced, (long long)s.uncategorised, (long long)s.categorised,
               (long long)s.categories_replaced);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_themes(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"train", themes_train}, {"predict", themes_predict}, {"list", themes_list},
        {"tag", themes_tag},     {"areas", cmd_themes_areas}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
