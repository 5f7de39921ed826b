/* JSON shapes of the theme classifier's predictions, reports and theme counts.
 */
#include "base/compat.h"

#include <rightstrack/classify.h>

struct ranked {
    size_t label;
    float p;
};

static int by_p_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? 1 : -1;
    return (x->label > y->label) - (x->label < y->label);
}

json_t *rt_prediction_to_json(const struct rt_classifier *c, const float *scores, int category,
                              double min_score)
{
    size_t n = rt_classifier_n_labels(c), m = 0;
    struct ranked *r;
    json_t *o = json_object(), *labels = json_array(), *sc = json_object();

    RT_ALLOC_ARRAY(r, n + 1);
    for (size_t i = 0; i < n; i++)
        if (scores[i] >= min_score || scores[i] >= rt_classifier_threshold(c, i))
            r[m++] = (struct ranked){i, scores[i]};
    qsort(r, m, sizeof(*r), by_p_desc);
    for (size_t i = 0; i < m; i++) {
        const char *label = rt_classifier_label(c, r[i].label);
        if (r[i].p >= rt_classifier_threshold(c, r[i].label))
            json_array_append_new(labels, json_string(label));
        json_object_set_new(sc, label, json_real((double)r[i].p));
    }
    rt_free(r);
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "scores", sc);
    json_object_set_new(o, "action_category", json_integer(category));
    return o;
}

json_t *rt_classify_report_to_json(const struct rt_classify_report *rep,
                                   const struct rt_classify_opts *opts)
{
    json_t *o = json_object(), *h = json_object(), *s = json_object();

    json_object_set_new(o, "texts", json_integer((json_int_t)rep->n_texts));
    json_object_set_new(o, "labels", json_integer((json_int_t)rep->n_labels));
    json_object_set_new(o, "features", json_integer((json_int_t)rep->n_features));
    json_object_set_new(h, "texts", json_integer((json_int_t)rep->n_heldout));
    json_object_set_new(h, "precision", json_real(rep->precision));
    json_object_set_new(h, "recall", json_real(rep->recall));
    json_object_set_new(h, "f1", json_real(rep->f1));
    json_object_set_new(h, "category_accuracy",
                        rep->category_accuracy < 0 ? json_null()
                                                   : json_real(rep->category_accuracy));
    json_object_set_new(o, "heldout", h);
    json_object_set_new(o, "seconds", json_real(rep->seconds));
    json_object_set_new(s, "hash_bits", json_integer(opts->hash_bits));
    json_object_set_new(s, "bigrams", json_boolean(opts->bigrams));
    json_object_set_new(s, "trigrams", json_boolean(opts->bigrams > 1));
    json_object_set_new(s, "min_count", json_integer(opts->min_count));
    json_object_set_new(s, "min_weight", json_real(opts->min_weight));
    json_object_set_new(s, "idf", json_boolean(opts->idf));
    json_object_set_new(s, "char_min", json_integer(opts->char_min));
    json_object_set_new(s, "char_max", json_integer(opts->char_max));
    json_object_set_new(s, "char_weight", json_real(opts->char_weight));
    json_object_set_new(s, "epochs", json_integer(opts->epochs));
    json_object_set_new(s, "lr", json_real(opts->lr));
    json_object_set_new(s, "holdout", json_real(opts->holdout));
    json_object_set_new(s, "refit", json_boolean(opts->refit));
    json_object_set_new(s, "char_surface", json_boolean(opts->char_surface));
    json_object_set_new(s, "label_thresholds", json_boolean(opts->label_thresholds));
    json_object_set_new(s, "labels_by", json_string(opts->svm_c > 0 ? "svm" : "sgd"));
    if (opts->svm_c > 0) {
        json_object_set_new(s, "svm_c", json_real(opts->svm_c));
        json_object_set_new(s, "svm_iter", json_integer(opts->svm_iter));
        json_object_set_new(s, "svm_eps", json_real(opts->svm_eps));
        json_object_set_new(s, "folds", json_integer(opts->folds));
        json_object_set_new(s, "svm_pos_weight", json_real(opts->svm_pos_weight));
    }
    json_object_set_new(o, "settings", s);
    return o;
}

json_t *rt_theme_counts_to_json(const char *vocabulary, const struct rt_theme_count *a, size_t n)
{
    json_t *o = json_object(), *t = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(t, json_pack("{s:s, s:I, s:I}", "label", a[i].label, "official",
                                           (json_int_t)a[i].official, "model",
                                           (json_int_t)a[i].model));
    json_object_set_new(o, "vocabulary", json_string(vocabulary));
    json_object_set_new(o, "themes", t);
    return o;
}
