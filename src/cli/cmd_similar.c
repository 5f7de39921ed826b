/* rightstrack similar: recommendations made again (repeats), for one or for all. */
#include <errno.h>

#include "cli.h"

static const char usage[] =
    "rightstrack [--db PATH] similar ID [--threshold X] [--min-cycle-gap N] [--json]\n"
    "       rightstrack [--db PATH] similar --all [--threshold X] [--min-cycle-gap N] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] similar ID [OPTIONS]\n"
    "       rightstrack [--db PATH] similar --all [OPTIONS]\n"
    "\n"
    "Finds repeats: recommendations made again in much the same words. Two\n"
    "recommendations are repeats when at least 70% of their three-word sequences\n"
    "are shared (the Jaccard similarity of their word 3-shingles, case and\n"
    "punctuation ignored; see docs/repeats.md). With ID, lists that recommendation's\n"
    "repeats and its cluster (every recommendation linked to it through repeats);\n"
    "with --all, prints every pair. Pairs are computed once and stored; they are\n"
    "computed again when recommendations were added or changed, or on --recompute.\n"
    "\n"
    "  --all              every pair, a < b, sorted by a then b\n"
    "  --threshold X      the least similarity, above 0 and at most 1 (default 0.7)\n"
    "  --min-cycle-gap N  only pairs whose UPR cycles differ by at least N (1: from\n"
    "                     different cycles; both cycles must be known)\n"
    "  --recompute        compute and store the pairs again first\n"
    "  --json             ID: {\"id\", \"cycle\", \"threshold\", \"cluster\": {\"id\",\n"
    "                     \"size\"}, \"repeats\": [recommendation + \"jaccard\"]};\n"
    "                     --all: [{\"a\", \"b\", \"jaccard\"}]; jaccard to 4 decimals\n";

/* Parses a threshold in (0, 1]; 0 or -1. */
static int parse_threshold(const char *s, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

static const char *cycle_word(int mine, int other)
{
    if (!mine || !other || mine == other)
        return "also made";
    return other > mine ? "made again" : "made before";
}

static void print_repeats(const struct rt_rec *self, const struct rt_repeats *r)
{
    printf("[%lld] %s", (long long)self->id, self->sur.name);
    if (self->cycle)
        printf(", cycle %d, session %d", self->cycle, self->session);
    printf("\n    %s\n\n", self->text);
    printf("%zu repeat%s at threshold %g", r->n, r->n == 1 ? "" : "s", r->threshold);
    if (r->cluster_size > 1)
        printf("; cluster %lld, %lld recommendations", (long long)r->cluster_id,
               (long long)r->cluster_size);
    printf("\n");
    for (size_t i = 0; i < r->n; i++) {
        const struct rt_rec *o = &r->items[i].rec;
        printf("\n[%lld] jaccard %.4f: %s", (long long)o->id, r->items[i].jaccard,
               cycle_word(r->cycle, o->cycle));
        if (o->cycle)
            printf(" in cycle %d, session %d,", o->cycle, o->session);
        printf(" to %s", o->sur.name);
        if (o->n_by) {
            printf(" by ");
            for (size_t k = 0; k < o->n_by; k++)
                printf("%s%s", k ? ", " : "", o->by[k].name);
        }
        printf(" (%s)\n    %s\n", rt_response_name(o->response), o->text);
    }
}

/* One pair per line, each as the library shapes it. */
static void print_pairs_json(const struct rt_repeat_pair *p, size_t n)
{
    json_t *a = rt_repeat_pairs_to_json(p, n);

    if (!n) {
        printf("[]\n");
    } else {
        printf("[\n");
        for (size_t i = 0; i < n; i++) {
            printf("  ");
            json_dumpf(json_array_get(a, i), stdout, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            printf("%s\n", i + 1 < n ? "," : "");
        }
        printf("]\n");
    }
    json_decref(a);
}

static int threshold_opt(const struct cli_option *o, const char *arg)
{
    return parse_threshold(arg, o->value);
}

int cmd_similar(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_repeats reps = {0};
    struct rt_repeat_pair *pairs = NULL;
    size_t n_pairs = 0;
    double threshold = RT_REPEAT_THRESHOLD;
    int all = 0, json = 0, recompute = 0, rc;
    long gap = 0, id = 0;
    struct cli_option opts[] = {OPT_FLAG("all", &all, NULL),
                                {CLI_OPT_CALLBACK, "threshold", 0, &threshold, "T", NULL, 0, 0, 0,
                                 threshold_opt, "a number above 0 and at most 1", NULL},
                                OPT_INT("min-cycle-gap", &gap, 0, 100, "N", NULL),
                                OPT_FLAG("recompute", &recompute, NULL),
                                OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (all && argc != 1)
        return cli_usage(c, usage, "--all takes no recommendation id");
    if (!all && argc != 2)
        return cli_usage(c, usage, "similar needs one recommendation id, or --all");
    if (!all && cli_parse_int(argv[1], 1, 0x7fffffffffffffffL, &id) < 0)
        return cli_usage(c, usage, "'%s' is not a recommendation id", argv[1]);
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (recompute && rt_store_repeats_compute(st, NULL, NULL, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (all) {
        if (rt_store_repeat_pairs(st, threshold, (int)gap, &pairs, &n_pairs, &err) < 0) {
            rc = cli_fail(c, &err);
            goto out;
        }
        if (json) {
            print_pairs_json(pairs, n_pairs);
        } else {
            printf("%zu pair%s of repeats at threshold %g", n_pairs, n_pairs == 1 ? "" : "s",
                   threshold);
            if (gap)
                printf(", cycles at least %ld apart", gap);
            printf("\n");
            for (size_t i = 0; i < n_pairs; i++)
                printf("%lld\t%lld\t%.4f\tcycles %d, %d\n", (long long)pairs[i].a,
                       (long long)pairs[i].b, pairs[i].jaccard, pairs[i].cycle_a, pairs[i].cycle_b);
        }
    } else {
        if (rt_store_repeats_of(st, id, threshold, &reps, &err) < 0) {
            rc = cli_fail(c, &err);
            goto out;
        }
        if (gap) { /* keep the repeats from cycles at least gap apart */
            size_t k = 0;
            for (size_t i = 0; i < reps.n; i++) {
                int a = reps.cycle, b = reps.items[i].rec.cycle;
                if (a && b && (a > b ? a - b : b - a) >= gap)
                    reps.items[k++] = reps.items[i];
                else
                    rt_rec_release(&reps.items[i].rec);
            }
            reps.n = k;
        }
        if (json) {
            json_t *v = rt_repeats_to_json(&reps);
            json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            fputc('\n', stdout);
            json_decref(v);
        } else {
            struct rt_rec self;
            rt_rec_init(&self);
            if (rt_store_rec_get(st, id, &self, &err) < 0) {
                rt_rec_release(&self);
                rc = cli_fail(c, &err);
                goto out;
            }
            print_repeats(&self, &reps);
            rt_rec_release(&self);
        }
    }
    rc = EXIT_OK;
out:
    rt_free(pairs);
    rt_repeats_release(&reps);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
