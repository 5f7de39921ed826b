/* Model theme tags and action categories: the stored classifier applied to
 * recommendations without official themes or without an official category. */
#include "base/compat.h"

#include <rightstrack/classify.h>
#include <rightstrack/ingest.h>

#define VOCABULARY "upr-info"
#define MODEL_NAME "themes/upr-info"

int rt_tag_unlabelled(struct rt_store *st, struct rt_tag_stats *out, struct rt_error *err)
{
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_classifier *model = NULL;
    struct rt_rec_text *texts = NULL;
    struct rt_tag_stats s = {0};
    float *scores = NULL;
    size_t n = 0, n_labels;
    int rc, in_tx = 0;

    if ((rc = rt_store_model_get(st, MODEL_NAME, &blob, NULL, err)) < 0)
        goto out; /* RT_ENOTFOUND: no model trained yet */
    if ((rc = rt_classifier_load(&model, blob.buf, blob.len, err)) < 0 ||
        (rc = rt_store_rec_texts(st, VOCABULARY, RT_TEXTS_UNTAGGED, &texts, &n, err)) < 0 ||
        (rc = rt_store_begin(st, err)) < 0)
        goto out;
    in_tx = 1;
    if ((rc = rt_store_model_tags_clear(st, VOCABULARY, &s.replaced, err)) < 0 ||
        (rc = rt_store_model_categories_clear(st, &s.categories_replaced, err)) < 0)
        goto out;
    n_labels = rt_classifier_n_labels(model);
    scores = rt_xcalloc(n_labels + 1, sizeof(*scores));
    for (size_t i = 0; i < n; i++) {
        int category, tagged = 0, is_new, set;
        float category_p;
        rt_classifier_predict(model, texts[i].text, strlen(texts[i].text), scores, &category,
                              &category_p);
        if (!texts[i].action_category) {
            s.uncategorised++;
            if ((rc = rt_store_rec_set_category(st, texts[i].id, category, "model",
                                                (double)category_p, &set, err)) < 0)
                goto out;
            s.categorised += set;
        }
        if (texts[i].n_labels) /* official themes: the model adds none */
            continue;
        s.unlabelled++;
        for (size_t j = 0; j < n_labels; j++) {
            if (scores[j] < rt_classifier_threshold(model, j))
                continue;
            if ((rc = rt_store_rec_add_theme(st, texts[i].id, VOCABULARY,
                                             rt_classifier_label(model, j), "model",
                                             (double)scores[j], &is_new, err)) < 0)
                goto out;
            s.tags++;
            tagged = 1;
        }
        s.tagged += tagged;
    }
    if ((rc = rt_store_commit(st, err)) < 0)
        goto out;
    in_tx = 0;
    *out = s;
out:
    if (in_tx)
        rt_store_rollback(st);
    rt_free(scores);
    rt_rec_texts_free(texts, n);
    rt_classifier_free(model);
    rt_buf_release(&blob);
    return rc;
}
