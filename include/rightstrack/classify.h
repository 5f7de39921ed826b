/*
 * The theme classifier: a linear model over hashed word n-grams that gives a
 * recommendation text its theme labels (multi-label, one-vs-rest logistic
 * regression) and its action category 1-5 (softmax). Pure computation, no I/O;
 * the store keeps models as byte blobs (store.h, rt_store_model_put).
 */
#ifndef RIGHTSTRACK_CLASSIFY_H
#define RIGHTSTRACK_CLASSIFY_H

#include <jansson.h>

#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/* Training settings. RT_CLASSIFY_OPTS_INIT holds the measured defaults. */
struct rt_classify_opts {
    unsigned hash_bits;    /* feature hashing into 2^hash_bits buckets (16..24) */
    int bigrams;           /* 2: unigrams, bigrams and trigrams of stems; 1: unigrams and
                              bigrams; 0: unigrams only */
    int min_count;         /* drop features seen in fewer training texts */
    int epochs;            /* passes of SGD over the training texts */
    double lr;             /* initial learning rate, decayed linearly to 0 */
    double holdout;        /* share of texts held out to tune thresholds (0.02..0.5) */
    int refit;             /* 1: after tuning, train again on every text */
    uint64_t seed;         /* shuffling and the held-out slice */
    double min_weight;     /* prune: keep a feature only when one of its weights is at least
                              this large in absolute value (0 keeps all) */
    int char_min;          /* character n-grams of each stem (with a space on each side), */
    int char_max;          /* from char_min to char_max bytes (1..8); 0 0: none (the default:
                              docs/themes.md says why) */
    double char_weight;    /* the length of the character block against the word block's 1 */
    int idf;               /* 1: each feature weighs its inverse document frequency; 0: 1 */
    double svm_c;          /* > 0: the labels are one-vs-rest linear SVMs (squared hinge, L2,
                              this C), solved by dual coordinate descent; 0: logistic
                              regressions trained by SGD with the category */
    int svm_iter;          /* most passes of coordinate descent per label */
    double svm_eps;        /* stop when the projected gradients span less than this */
    int char_surface;      /* 1: character n-grams of the words as written (lower case), as
                              scikit-learn's char_wb; 0: of the stems */
    int label_thresholds;  /* 1: each label's own threshold; 0: one for every label */
    int folds;             /* >= 2 (SVMs only): the labels' thresholds and probabilities from
                              cross-fitting, each of this many blocks of the texts scored by
                              the SVMs trained without it; 0: from the held-out share */
    int fold_random;       /* 1: the blocks are random; 0: runs of the texts in the order
                              given (the import's order, so sessions apart) */
    double svm_pos_weight; /* the SVMs' C for a label's positive texts is svm_c times this
                              (0 or 1: the same as for the negatives) */
};
#define RT_CLASSIFY_OPTS_INIT                                                                      \
    {                                                                                              \
        21, 2, 1, 20, 1.5, 0.1, 1, 20240601u, 0.5, 2, 5, 1.0, 1, 0.5, 60, 2.0, 1, 0, 0, 0, 1.0     \
    }

/* What training measured on the held-out slice (thresholds cross-fitted on its
 * two halves, so the figures are not tuned on the texts they score). */
struct rt_classify_report {
    size_t n_texts;    /* texts given */
    size_t n_train;    /* texts the thresholds' model was trained on */
    size_t n_heldout;  /* texts held out */
    size_t n_features; /* distinct hashed features kept */
    size_t n_labels;
    double precision, recall, f1; /* micro-averaged over labels */
    double category_accuracy;     /* over held-out texts with a category; -1 if none */
    double seconds;               /* wall time of training */
};

/*
 * A training set under construction. Not thread-safe. Texts are tokenized
 * (rt_tokenize, English stems) when added.
 */
struct rt_trainset;
/*
 * rt_trainset_new makes an empty one with a copy of opts (NULL: the defaults; a
 * setting out of range is replaced by its default); it never fails. The caller
 * frees it with rt_trainset_free, which also takes NULL.
 */
RT_API struct rt_trainset *rt_trainset_new(const struct rt_classify_opts *opts);
RT_API void rt_trainset_free(struct rt_trainset *ts);
/*
 * Adds a text with its labels (borrowed; copied) and action category (1-5, or 0
 * when unknown). Returns RT_EINVAL for a category out of range.
 */
RT_API int rt_trainset_add(struct rt_trainset *ts, const char *text, size_t len,
                           const char *const *labels, size_t n_labels, int category,
                           struct rt_error *err);
/* The number of texts added to ts so far. */
RT_API size_t rt_trainset_size(const struct rt_trainset *ts);

/* A trained model. Predicting is not thread-safe (it owns a tokenizer). */
struct rt_classifier;

/*
 * Trains a model on ts with the settings ts was made with; *out is NULL on
 * entry and set on success (free with rt_classifier_free). rep, when not NULL,
 * gets the held-out figures. Returns RT_EINVAL when ts has fewer than 20 texts
 * or no labels.
 */
RT_API int rt_classifier_train(struct rt_classifier **out, struct rt_trainset *ts,
                               struct rt_classify_report *rep, struct rt_error *err);
/* Frees c and everything it holds; NULL is allowed. */
RT_API void rt_classifier_free(struct rt_classifier *c);

/*
 * The labels, in the model's order: rt_classifier_n_labels counts them,
 * rt_classifier_label gives label i (borrowed, valid while c lives; NULL past the
 * last), rt_classifier_threshold the score at which label i is predicted (1.0 past
 * the last).
 */
RT_API size_t rt_classifier_n_labels(const struct rt_classifier *c);
RT_API const char *rt_classifier_label(const struct rt_classifier *c, size_t i);
RT_API double rt_classifier_threshold(const struct rt_classifier *c, size_t i);

/*
 * Scores a text: scores[i] (an array of rt_classifier_n_labels floats) is the
 * probability of label i, and *category the most probable action category 1-5
 * (its probability in *category_p when not NULL). A label is predicted when its
 * score reaches rt_classifier_threshold.
 */
RT_API void rt_classifier_predict(struct rt_classifier *c, const char *text, size_t len,
                                  float *scores, int *category, float *category_p);

/* Appends the model as a byte blob to out. */
RT_API int rt_classifier_save(const struct rt_classifier *c, struct rt_buf *out);
/*
 * Reads a blob written by rt_classifier_save; *out is NULL on entry and set on
 * success. Returns RT_EFORMAT (err filled) for anything else.
 */
RT_API int rt_classifier_load(struct rt_classifier **out, const void *data, size_t len,
                              struct rt_error *err);

/*
 * JSON shapes (src/model/classify_json.c), the same for the CLI and the API.
 * A prediction: {"labels": [...], "scores": {label: p}, "action_category": n},
 * where labels are those at or above their threshold, best first, and scores
 * hold every label whose probability is at least min_score (0: all), best
 * first.
 */
RT_API json_t *rt_prediction_to_json(const struct rt_classifier *c, const float *scores,
                                     int category, double min_score);
/* The held-out figures and settings of a training run. */
RT_API json_t *rt_classify_report_to_json(const struct rt_classify_report *rep,
                                          const struct rt_classify_opts *opts);
/* {"vocabulary": v, "themes": [{"label", "official", "model"}...]}. */
RT_API json_t *rt_theme_counts_to_json(const char *vocabulary, const struct rt_theme_count *a,
                                       size_t n);

#endif
