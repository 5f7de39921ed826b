/* Rule-based parsing of human-rights dialogue readouts into draft round
 * records: the checks and the entry points. The parser is split as SQLite splits
 * where.c: readout_text.c, readout_when.c, readout_who.c, readout_acts.c and
 * readout_topics.c around readout_int.h. */
#include "base/compat.h"

#include <pthread.h>
#include <sys/stat.h>

#include "base/embedded.h"
#include "ingest/readout_int.h"

/* ----------------------------------------------------------------------------------
 */
/* Checks and the entry points. */

/* Checks the bytes: no NUL, valid UTF-8. Returns the offset of the first bad
 * byte, or len. Counts letters in the Latin script (ASCII) and others. */
static size_t check_text(const char *t, size_t len, size_t *latin, size_t *other)
{
    size_t i = 0;
    *latin = *other = 0;
    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        size_t n;
        uint32_t cp;
        if (c == 0)
            return i;
        if (c < 0x80) {
            if (isalpha(c))
                (*latin)++;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, cp = c & 0x07;
        else
            return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if (((unsigned char)t[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | ((unsigned char)t[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        if (cp < 0x250)
            (*latin)++; /* Latin-1 and Latin Extended */
        else if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x206F))
            (*other)++;
        i += n;
    }
    return len;
}

static void doc_release(struct doc *d)
{
    rt__ro_lex_release(&d->lex);
    rt_free(d->s);
    rt_free(d->tk);
    rt_free(d->m);
    rt_free(d->acts);
    rt_buf_release(&d->notes);
    json_decref(d->out);
}

/*
 * Where a text cut off mid-word should end: a copy that stops at a length limit
 * ends inside a word ("encouraged Vietnam to accept ano"). When the last line runs
 * on (eight words or more) and ends in a small letter, the unfinished word is
 * dropped, and what comes before it is read as usual. Returns the new length, or 0
 * when the text ends where it should.
 */
static size_t cut_text(const char *t, size_t n)
{
    size_t e = n, line, words = 0, w;

    while (e && is_space((unsigned char)t[e - 1]))
        e--;
    if (!e || !islower((unsigned char)t[e - 1]))
        return 0;
    for (line = e; line && t[line - 1] != '\n'; line--)
        ;
    for (size_t i = line; i < e; i++)
        if (!is_space((unsigned char)t[i]) && (i == line || is_space((unsigned char)t[i - 1])))
            words++;
    if (words < 8)
        return 0;
    for (w = e; w > line && !is_space((unsigned char)t[w - 1]); w--)
        ;
    for (;;) {
        static const char *const dangling[] = {"and", "or", "to",  "the",  "of", "a",
                                               "an",  "in", "for", "with", "on", NULL};
        size_t a;
        int drop = 0;
        while (w > line && (is_space((unsigned char)t[w - 1]) || t[w - 1] == ','))
            w--;
        for (a = w; a > line && !is_space((unsigned char)t[a - 1]); a--)
            ;
        for (int k = 0; dangling[k]; k++)
            if (eq(t + a, w - a, dangling[k]))
                drop = 1;
        if (!drop || a <= line)
            break;
        w = a;
    }
    return w > line ? w : 0;
}

int rt_readout_parse(const char *text, size_t len, const char *name, unsigned flags, json_t **out,
                     struct rt_error *err)
{
    struct doc d;
    struct sent title;
    size_t bad, latin, other, i, cut;
    json_t *sides;
    int rc = 0;

    *out = NULL;
    memset(&d, 0, sizeof(d));
    d.notes = (struct rt_buf)RT_BUF_INIT;
    if (len > RT_READOUT_MAX)
        return rt_error_set(err, RT_ETOOBIG, name, 0, NULL,
                            "a readout is at most %d bytes (%d MiB); this one has %zu",
                            RT_READOUT_MAX, RT_READOUT_MAX >> 20, len);
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    bad = check_text(text, len, &latin, &other);
    if (bad < len)
        return rt_error_set(err, RT_EFORMAT, name, 0, NULL,
                            "not a text file: %s at byte %zu (a readout is UTF-8 text)",
                            text[bad] ? "invalid UTF-8" : "a NUL byte", bad);
    for (i = 0; i < len && is_space((unsigned char)text[i]); i++)
        ;
    if (i == len)
        return rt_error_set(err, RT_EINVAL, name, 0, NULL, "the readout is empty");

    cut = cut_text(text, len);
    d.t = text;
    d.n = cut ? cut : len;
    d.flags = flags;
    rt__ro_lex_load(&d.lex);
    d.out = json_object();
    rt__ro_parse_header(&d);
    rt__ro_split(&d);
    title = rt__ro_title_sent(&d);

    jset(d.out, "file", name ? json_string(name) : NULL);
    jset(d.out, "document_type", json_string(rt__ro_doc_type(&d)));
    jset(d.out, "text_complete", json_boolean(!cut));
    rt__ro_find_sides(&d, &title);
    rt__ro_find_dates(&d);
    rt__ro_find_place(&d);
    rt__ro_find_round(&d, &title);
    rt__ro_find_dialogue_name(&d, &title);
    sides = json_array();
    for (int k = 0; k < 2; k++)
        if (d.side[k])
            json_array_append_new(sides, json_string(d.side[k]));
    jset(d.out, "sides", sides);
    d.last_by = NULL;
    rt__ro_find_participants(&d);
    /* the topics take in the objects of the speech acts, found first; the key
     * keeps its place before them */
    jset(d.out, "topics", json_array());
    rt__ro_find_cue_items(&d);
    rt__ro_find_topics(&d);
    rt__ro_find_themes(&d);
    /* keep the gold files' key order: conditional_commitments after urged, etc.
     */
    rt__ro_find_events(&d);
    if (other > latin)
        rt_buf_addf(&d.notes,
                    "%smost letters are not in the Latin script: the rules read "
                    "English only, so little or nothing was extracted",
                    d.notes.len ? "; " : "");
    if (!d.side[0])
        rt_buf_addf(&d.notes, "%sno party (state or EU) recognised", d.notes.len ? "; " : "");
    jset(d.out, "notes", d.notes.len ? json_stringn(d.notes.buf, d.notes.len) : NULL);
    if (flags & RT_READOUT_EVIDENCE) {
        json_t *ss = json_array();
        for (size_t k = 0; k < d.ns; k++)
            jpush(ss, rt__ro_sent_json(&d, &d.s[k]));
        jset(d.out, "sentences", ss);
    }
    {
        /* Re-order the keys to the gold files' order. */
        static const char *const order[] = {"file",
                                            "document_type",
                                            "text_complete",
                                            "date",
                                            "date_end",
                                            "publication_date",
                                            "place",
                                            "dialogue_name",
                                            "round",
                                            "round_text",
                                            "sides",
                                            "participants",
                                            "topics",
                                            "topic_themes",
                                            "welcomed",
                                            "urged",
                                            "conditional_commitments",
                                            "reaffirmations",
                                            "commitments",
                                            "concerns",
                                            "agreed_next_steps",
                                            "steps_reported",
                                            "events",
                                            "persons_of_concern",
                                            "notes",
                                            "sentences",
                                            NULL};
        json_t *o = json_object();
        for (int k = 0; order[k]; k++) {
            json_t *v = json_object_get(d.out, order[k]);
            if (v)
                json_object_set(o, order[k], v);
        }
        *out = o;
    }
    doc_release(&d);
    return rc;
}

int rt_readout_parse_file(const char *path, unsigned flags, json_t **out, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    struct stat sb;
    FILE *fp = NULL;
    const char *base = strrchr(path, '/');
    char chunk[8192];
    size_t n;
    int rc = 0;

    *out = NULL;
    rt_buf_init(&b, RT_READOUT_MAX + 1);
    if (!(fp = fopen(path, "rb"))) {
        rc = rt_error_errno(err, path, "cannot open");
        goto out;
    }
    if (fstat(fileno(fp), &sb) < 0) {
        rc = rt_error_errno(err, path, "cannot read");
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "not a regular file");
        goto out;
    }
    if (sb.st_size > RT_READOUT_MAX) {
        rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL,
                          "a readout is at most %d bytes (%d MiB); this file has %lld",
                          RT_READOUT_MAX, RT_READOUT_MAX >> 20, (long long)sb.st_size);
        goto out;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (rt_buf_add(&b, chunk, n) < 0) {
            rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL,
                              "a readout is at most %d bytes (%d MiB)", RT_READOUT_MAX,
                              RT_READOUT_MAX >> 20);
            goto out;
        }
    }
    if (ferror(fp)) {
        rc = rt_error_errno(err, path, "cannot read");
        goto out;
    }
    rc = rt_readout_parse(b.buf, b.len, base ? base + 1 : path, flags, out, err);
    if (rc < 0 && err && !err->file)
        err->file = rt_xstrdup(path);
out:
    if (fp)
        fclose(fp);
    rt_buf_release(&b);
    return rc;
}

const char *rt_readout_step_kind(const char *event_type)
{
    if (!event_type)
        return "other";
    if (!strcmp(event_type, "political_prisoner_release") ||
        !strcmp(event_type, "prisoner_release"))
        return "prisoner-release";
    if (!strcmp(event_type, "pardon"))
        return "pardon";
    if (!strcmp(event_type, "amnesty"))
        return "amnesty";
    return "other";
}

static struct lex party_lex;
static pthread_once_t party_once = PTHREAD_ONCE_INIT;

static void party_lex_load(void)
{
    rt__ro_lex_load(&party_lex);
}

const char *rt_readout_party_code(const char *side)
{
    if (!side)
        return NULL;
    pthread_once(&party_once, party_lex_load);
    for (size_t i = 0; i < party_lex.n_ents; i++)
        if ((party_lex.ents[i].kind == ENT_SIDE) && !strcmp(party_lex.ents[i].canon, side))
            return party_lex.ents[i].code;
    return NULL;
}
