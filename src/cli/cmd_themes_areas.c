/* rightstrack themes areas: the theme taxonomy, areas with their labels per vocabulary. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] themes areas [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] themes areas [--json]\n"
    "\n"
    "The shared theme areas (data/themes/areas.tsv) with the labels of each\n"
    "vocabulary that map onto them: upr-info (UPR Info issues), uhri (OHCHR\n"
    "themes) and osce (the OSCE human-dimension areas). `search --theme T` finds\n"
    "the recommendations whose themes share an area with T.\n"
    "\n"
    "  --json   [{\"code\", \"label\", \"osce\", \"labels\": {vocabulary: [label, ...]}}]\n";

static json_t *area_json(const struct rt_theme_area *a)
{
    json_t *o = json_object(), *labels = json_object();

    json_object_set_new(o, "code", json_string(a->code));
    json_object_set_new(o, "label", json_string(a->label));
    json_object_set_new(o, "osce", json_boolean(a->osce));
    for (size_t k = 0; k < a->n_labels; k++) {
        json_t *list = json_object_get(labels, a->labels[k].vocabulary);
        if (!list) {
            list = json_array();
            json_object_set_new(labels, a->labels[k].vocabulary, list);
        }
        json_array_append_new(list, json_string(a->labels[k].label));
    }
    json_object_set_new(o, "labels", labels);
    return o;
}

static void area_print(const struct rt_theme_area *a)
{
    const char *voc = NULL;

    printf("%s  %s%s\n", a->code, a->label, a->osce ? "  [OSCE]" : "");
    for (size_t k = 0; k < a->n_labels; k++) {
        if (!strcmp(a->labels[k].vocabulary, "osce"))
            continue; /* the area itself */
        if (!voc || strcmp(voc, a->labels[k].vocabulary)) {
            voc = a->labels[k].vocabulary;
            printf("  %s:\n", voc);
        }
        printf("    %s\n", a->labels[k].label);
    }
}

int cmd_themes_areas(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_theme_area *a = NULL;
    size_t n = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK) /* 0: brings an older database up to date */
        goto out;
    if (rt_store_theme_areas(st, &a, &n, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, area_json(&a[i]));
        cli_print_json(list);
    } else {
        for (size_t i = 0; i < n; i++)
            area_print(&a[i]);
    }
    rc = EXIT_OK;
out:
    rt_theme_areas_free(a, n);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
