/* A readout for import: a JSON draft as written by the parse step, or the text. */
#include "base/compat.h"

#include <errno.h>
#include <stdio.h>

#include <rightstrack/readout.h>

/* Does the file at path start (after white space and a UTF-8 BOM) with '{'? */
static int looks_like_json(const char *path, struct rt_error *err, int *yes)
{
    unsigned char head[512];
    size_t n, i = 0;
    FILE *fp = fopen(path, "rb");

    *yes = 0;
    if (!fp)
        return rt_error_errno(err, path, "cannot open");
    n = fread(head, 1, sizeof(head), fp);
    fclose(fp);
    if (n >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
        i = 3;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    *yes = i < n && head[i] == '{';
    return 0;
}

int rt_readout_load_file(const char *path, unsigned flags, json_t **out, struct rt_error *err)
{
    json_error_t jerr;
    json_t *draft;
    int rc, yes;

    *out = NULL;
    if ((rc = looks_like_json(path, err, &yes)) < 0)
        return rc;
    if (!yes)
        return rt_readout_parse_file(path, flags, out, err);
    draft = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!draft)
        return rt_error_set(err, RT_EFORMAT, path, jerr.line, NULL,
                            "the draft is not JSON (column %d: %s)", jerr.column, jerr.text);
    if (!json_is_object(draft)) {
        json_decref(draft);
        return rt_error_set(err, RT_EFORMAT, path, 0, NULL,
                            "a draft is a JSON object, as readout parse --json writes it");
    }
    *out = draft;
    return 0;
}
