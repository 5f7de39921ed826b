/* Tests of stored models: a theme model saved in a database survives closing and
 * reopening it, predicts the same afterwards, and tags through rt_tag_unlabelled. */
#include <criterion/criterion.h>

#include <rightstrack/classify.h>
#include <rightstrack/ingest.h>
#include <rightstrack/store.h>

#include "lib/test_store.h"
#include "lib/testutil.h"

#define MODEL "themes/upr-info"

static const char *const labels[] = {"Death penalty", "Right to education"};
static const char *const words[][4] = {{"death", "execution", "moratorium", "capital"},
                                       {"school", "education", "teachers", "literacy"}};
static const char *const verbs[] = {"seek help on", "continue work on", "consider",
                                    "strengthen efforts on", "adopt a law on"};

static uint64_t rng = 99;
static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

/* A text about theme t with action category cat (1-5). */
static void make_text(char *buf, size_t cap, unsigned t, int cat)
{
    size_t len = (size_t)snprintf(buf, cap, "%s", verbs[cat - 1]);
    for (int i = 0; i < 5; i++)
        len += (size_t)snprintf(buf + len, cap - len, " %s the %s", words[t][next(4)],
                                next(2) ? "state" : "people");
}

static struct rt_classifier *train(void)
{
    struct rt_classify_opts o = RT_CLASSIFY_OPTS_INIT;
    struct rt_trainset *ts;
    struct rt_classifier *c = NULL;
    char buf[256];

    o.hash_bits = 16;
    o.epochs = 10;
    ts = rt_trainset_new(&o);
    for (int i = 0; i < 200; i++) {
        unsigned t = next(2);
        int cat = (int)next(5) + 1;
        make_text(buf, sizeof(buf), t, cat);
        cr_assert_eq(rt_trainset_add(ts, buf, strlen(buf), &labels[t], 1, cat, NULL), 0);
    }
    cr_assert_eq(rt_classifier_train(&c, ts, NULL, NULL), 0);
    rt_trainset_free(ts);
    return c;
}

static struct rt_store *open_db(unsigned flags)
{
    struct rt_store *st = NULL;
    struct rt_error e = RT_ERROR_INIT;
    char path[256];

    snprintf(path, sizeof(path), "%s", test_store("m"));
    cr_assert_eq(rt_store_open(&st, path, flags, &e), 0, "%s", e.msg.buf);
    return st;
}

/* Trains a model, stores it and closes the database; returns the model. */
static struct rt_classifier *store_model(struct rt_buf *blob)
{
    struct rt_classifier *c = train();
    struct rt_store *st = open_db(RT_STORE_CREATE);
    struct rt_error e = RT_ERROR_INIT;

    cr_assert_eq(rt_classifier_save(c, blob), 0);
    cr_assert_eq(
        rt_store_model_put(st, MODEL, "theme-classifier", "{\"run\": 1}", blob->buf, blob->len, &e),
        0, "%s", e.msg.buf);
    rt_store_close(st);
    return c;
}

Test(models, a_model_survives_reopening_the_database)
{
    struct rt_buf blob = RT_BUF_INIT, got = RT_BUF_INIT, info = RT_BUF_INIT;
    struct rt_classifier *c = store_model(&blob), *d = NULL;
    struct rt_store *st = open_db(RT_STORE_READONLY);
    struct rt_error e = RT_ERROR_INIT;
    char buf[256];

    cr_assert_eq(rt_store_model_get(st, MODEL, &got, &info, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(got.len, blob.len);
    cr_assert_eq(memcmp(got.buf, blob.buf, blob.len), 0, "the blob read back differs");
    cr_assert_str_eq(info.buf, "{\"run\": 1}");
    cr_assert_eq(rt_classifier_load(&d, got.buf, got.len, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_classifier_n_labels(d), 2);
    for (int i = 0; i < 100; i++) {
        float s1[2], s2[2];
        int c1, c2;
        make_text(buf, sizeof(buf), next(2), (int)next(5) + 1);
        rt_classifier_predict(c, buf, strlen(buf), s1, &c1, NULL);
        rt_classifier_predict(d, buf, strlen(buf), s2, &c2, NULL);
        cr_assert_eq(c1, c2, "'%s'", buf);
        cr_assert_eq(memcmp(s1, s2, sizeof(s1)), 0, "scores differ on '%s'", buf);
    }
    cr_assert_eq(rt_store_model_get(st, "themes/none", &got, NULL, &e), RT_ENOTFOUND);
    rt_store_close(st);
    rt_classifier_free(c);
    rt_classifier_free(d);
    rt_buf_release(&blob);
    rt_buf_release(&got);
    rt_buf_release(&info);
    rt_error_release(&e);
}

Test(models, saving_again_replaces_the_model)
{
    struct rt_buf blob = RT_BUF_INIT, got = RT_BUF_INIT;
    struct rt_classifier *c = store_model(&blob);
    struct rt_store *st = open_db(0);

    cr_assert_eq(rt_store_model_put(st, MODEL, "theme-classifier", NULL, "xyz", 3, NULL), 0);
    rt_store_close(st);
    st = open_db(RT_STORE_READONLY);
    cr_assert_eq(rt_store_model_get(st, MODEL, &got, NULL, NULL), 0);
    cr_assert_eq(got.len, 3);
    cr_assert_str_eq(got.buf, "xyz");
    rt_store_close(st);
    rt_classifier_free(c);
    rt_buf_release(&blob);
    rt_buf_release(&got);
}

Test(models, the_stored_model_tags_after_a_restart)
{
    struct rt_buf blob = RT_BUF_INIT;
    struct rt_classifier *c = store_model(&blob);
    struct rt_store *st = open_db(0);
    struct rt_rec_in in = {0};
    struct rt_tag_stats s = {0};
    struct rt_error e = RT_ERROR_INIT;
    struct rt_rec r;
    const char *text = "adopt a law on the death penalty and a moratorium on execution";
    int64_t id = 0, sur = 0;
    unsigned flags;
    int death = 0;

    cr_assert_eq(rt_store_state_find(st, "BLR", 3, &sur, NULL), 0);
    in.sur_id = sur;
    in.session = 8;
    in.cycle = 1;
    in.text = text;
    in.text_len = strlen(text);
    cr_assert_eq(rt_store_begin_load(st, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_store_rec_put(st, &in, &id, &flags, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_store_commit(st, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(rt_tag_unlabelled(st, &s, &e), 0, "%s", e.msg.buf);
    cr_assert_eq(s.unlabelled, 1);
    cr_assert_eq(s.categorised, 1);
    rt_rec_init(&r);
    cr_assert_eq(rt_store_rec_get(st, id, &r, &e), 0);
    for (size_t i = 0; i < r.n_themes; i++)
        death |=
            !strcmp(r.themes[i].label, "Death penalty") && !strcmp(r.themes[i].origin, "model");
    cr_assert(death, "no model tag 'Death penalty' on '%s'", text);
    cr_assert_eq(r.action_category, 5);
    cr_assert_str_eq(r.action_category_origin, "model");
    rt_rec_release(&r);
    rt_store_close(st);
    rt_classifier_free(c);
    rt_buf_release(&blob);
    rt_error_release(&e);
}
