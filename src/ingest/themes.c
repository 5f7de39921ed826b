/*
 * Themes of a readout's topics and asks: the areas of the theme taxonomy a short
 * text is about, found by phrases matched on word stems. The phrases are the areas'
 * labels (data/themes/areas.tsv), every label of every vocabulary that maps onto them
 * (data/themes/taxonomy.tsv) and the readout wordings of data/readout/themes.tsv.
 * Built once from the embedded files; needs no database.
 */
#include "base/compat.h"

#include <pthread.h>

#include <rightstrack/readout.h>
#include <rightstrack/text.h>

#include "base/embedded.h"

#define MAX_STEMS 16 /* a phrase longer than this is cut (no phrase is near it) */

struct phrase {
    char *stems[MAX_STEMS]; /* owned */
    size_t n;
    const char *area; /* into struct table's areas; NULL: a stop phrase */
};

struct area {
    char *code, *label; /* owned */
};

static struct table {
    struct phrase *p;
    size_t n, alloc;
    struct area *a;
    size_t n_areas, a_alloc;
    size_t longest;
    size_t *by_first; /* the phrases (of one stem or more) sorted by first stem, then
                       * by their place in p: a text's stem is looked up, not compared
                       * with every phrase */
    size_t n_by_first;
} table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

struct stems {
    char **s;
    size_t n, alloc;
};

static int add_stem(void *ctx, const char *term, size_t len, size_t start, size_t end,
                    int colocated)
{
    struct stems *st = ctx;
    (void)start, (void)end;
    if (colocated)
        return 0;
    RT_ALLOC_GROW(st->s, st->n + 1, st->alloc);
    st->s[st->n++] = rt_xstrndup(term, len);
    return 0;
}

static void stems_release(struct stems *st)
{
    for (size_t i = 0; i < st->n; i++)
        rt_free(st->s[i]);
    rt_free(st->s);
    memset(st, 0, sizeof(*st));
}

static const char *area_code(const char *code)
{
    for (size_t i = 0; i < table.n_areas; i++)
        if (!strcmp(table.a[i].code, code))
            return table.a[i].code;
    return NULL;
}

static void add_phrase(struct rt_tokenizer *tok, const char *area, const char *text, size_t len)
{
    struct stems st = {NULL, 0, 0};
    struct phrase *p;

    rt_tokenize(tok, text, len, 0, add_stem, &st);
    if (!st.n) {
        stems_release(&st);
        return;
    }
    RT_ALLOC_GROW(table.p, table.n + 1, table.alloc);
    p = &table.p[table.n++];
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < st.n; i++) {
        if (i < MAX_STEMS)
            p->stems[p->n++] = st.s[i];
        else
            rt_free(st.s[i]);
    }
    rt_free(st.s);
    p->area = area;
    if (p->n > table.longest)
        table.longest = p->n;
}

/* Calls fn with the first three tab-separated fields of each line of an embedded file
 * (comments and blank lines skipped; a missing field is ""). */
static void each_line(const char *name, void (*fn)(void *, char **), void *ctx)
{
    const struct rt__embedded *e = rt__embedded_find(name);
    char *copy, *p;

    if (!e)
        RT_BUG("%s is not embedded", name);
    copy = rt_xstrndup(e->data, e->len);
    for (p = copy; p && *p;) {
        char *nl = strchr(p, '\n'), *f[3] = {p, "", ""};
        if (nl)
            *nl = '\0';
        if (*p && *p != '#') {
            for (int k = 1; k < 3; k++) {
                char *tab = strchr(f[k - 1], '\t');
                if (!tab)
                    break;
                *tab = '\0';
                f[k] = tab + 1;
            }
            fn(ctx, f);
        }
        p = nl ? nl + 1 : NULL;
    }
    rt_free(copy);
}

static void load_area(void *ctx, char **f)
{
    (void)ctx;
    RT_ALLOC_GROW(table.a, table.n_areas + 1, table.a_alloc);
    table.a[table.n_areas].code = rt_xstrdup(f[0]);
    table.a[table.n_areas].label = rt_xstrdup(f[1]);
    table.n_areas++;
}

/* taxonomy.tsv: VOCABULARY, LABEL, AREA */
static void load_label(void *tok, char **f)
{
    const char *area = area_code(f[2]);
    if (!area)
        RT_BUG("data/themes/taxonomy.tsv: unknown area '%s'", f[2]);
    add_phrase(tok, area, f[1], strlen(f[1]));
}

/* data/readout/themes.tsv: AREA or "-", PHRASE */
static void load_readout_phrase(void *tok, char **f)
{
    const char *area = NULL;
    if (strcmp(f[0], "-") && !(area = area_code(f[0])))
        RT_BUG("data/readout/themes.tsv: unknown area '%s'", f[0]);
    add_phrase(tok, area, f[1], strlen(f[1]));
}

static int same_stems(const struct phrase *a, const struct phrase *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->stems[i], b->stems[i]))
            return 0;
    return 1;
}

static int by_first_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    int c = strcmp(table.p[i].stems[0], table.p[k].stems[0]);
    return c ? c : (i > k) - (i < k);
}

/* The first of the phrases in table.by_first whose first stem is stem (or where it
 * would be). */
static size_t first_with(const char *stem)
{
    size_t lo = 0, hi = table.n_by_first;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(table.p[table.by_first[mid]].stems[0], stem) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void load(void)
{
    struct rt_tokenizer *tok = rt_tokenizer_new("english");

    if (!tok)
        RT_BUG("no English stemmer");
    each_line("data/themes/areas.tsv", load_area, NULL);
    for (size_t i = 0; i < table.n_areas; i++)
        if (strcmp(table.a[i].code, "general"))
            add_phrase(tok, table.a[i].code, table.a[i].label, strlen(table.a[i].label));
    each_line("data/themes/taxonomy.tsv", load_label, tok);
    each_line("data/readout/themes.tsv", load_readout_phrase, tok);
    /* A stop phrase hides every label spelled the same; "general" tags nothing. */
    for (size_t i = 0; i < table.n; i++) {
        if (table.p[i].area && !strcmp(table.p[i].area, "general"))
            table.p[i].area = NULL;
        if (table.p[i].area)
            continue;
        for (size_t k = 0; k < table.n; k++)
            if (same_stems(&table.p[i], &table.p[k]))
                table.p[k].area = NULL;
    }
    rt_tokenizer_free(tok);
    table.by_first = rt_xcalloc(table.n ? table.n : 1, sizeof(size_t));
    for (size_t i = 0; i < table.n; i++)
        if (table.p[i].n)
            table.by_first[table.n_by_first++] = i;
    qsort(table.by_first, table.n_by_first, sizeof(size_t), by_first_cmp);
}

const char *rt_theme_area_label(const char *code)
{
    pthread_once(&table_once, load);
    if (!code)
        return NULL;
    for (size_t i = 0; i < table.n_areas; i++)
        if (!strcmp(table.a[i].code, code))
            return table.a[i].label;
    return NULL;
}

/* Does phrase p match the stems from position i? */
static int match_at(const struct phrase *p, const struct stems *st, size_t i)
{
    if (i + p->n > st->n)
        return 0;
    for (size_t k = 0; k < p->n; k++)
        if (strcmp(p->stems[k], st->s[i + k]))
            return 0;
    return 1;
}

static void add_area(json_t *out, const char *area)
{
    size_t i;
    json_t *v;

    json_array_foreach(out, i, v) if (!strcmp(json_string_value(v), area)) return;
    json_array_append_new(out, json_string(area));
}

/* The thread's tokenizer: making one (and its stem cache) costs more than tagging a
 * readout, so each thread keeps one, freed when the thread ends. */
static pthread_key_t tok_key;
static pthread_once_t tok_once = PTHREAD_ONCE_INIT;

static void tok_free(void *tok)
{
    rt_tokenizer_free(tok);
}

static void tok_key_make(void)
{
    if (pthread_key_create(&tok_key, tok_free))
        RT_BUG("pthread_key_create failed");
}

static struct rt_tokenizer *thread_tokenizer(void)
{
    struct rt_tokenizer *tok;

    pthread_once(&tok_once, tok_key_make);
    tok = pthread_getspecific(tok_key);
    if (!tok) {
        if (!(tok = rt_tokenizer_new("english")))
            RT_BUG("no English stemmer");
        pthread_setspecific(tok_key, tok);
    }
    return tok;
}

json_t *rt_readout_themes(const char *text, size_t len)
{
    struct stems st = {NULL, 0, 0};
    json_t *out = json_array();

    pthread_once(&table_once, load);
    if (!text || !len)
        return out;
    rt_tokenize(thread_tokenizer(), text, len, 0, add_stem, &st);
    for (size_t i = 0; i < st.n;) {
        size_t best = 0, lo = first_with(st.s[i]), hi = lo;
        while (hi < table.n_by_first && !strcmp(table.p[table.by_first[hi]].stems[0], st.s[i]))
            hi++;
        for (size_t j = lo; j < hi; j++) {
            const struct phrase *p = &table.p[table.by_first[j]];
            if (p->n > best && match_at(p, &st, i))
                best = p->n;
        }
        if (!best) {
            i++;
            continue;
        }
        for (size_t j = lo; j < hi; j++) {
            const struct phrase *p = &table.p[table.by_first[j]];
            if (p->n == best && p->area && match_at(p, &st, i))
                add_area(out, p->area);
        }
        i += best;
    }
    stems_release(&st);
    return out;
}
