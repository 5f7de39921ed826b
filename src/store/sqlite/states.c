/* Seeds the state tables: ISO 3166-1 from Debian's iso-codes, plus our variants and groups. */
#include "base/compat.h"

#include <jansson.h>

#include <rightstrack/text.h>

#include "base/embedded.h"
#include "store/sqlite/sqlite_int.h"

#define ISO_3166_JSON "/usr/share/iso-codes/json/iso_3166-1.json"

static int add_key(struct rt_store *st, sqlite3_stmt *s, int64_t state_id, const char *name,
                   const char *origin, struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    int rc = 0;

    if (rt_text_name_key(name, strlen(name), &key) < 0 || !key.len)
        goto out;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, key.buf, (int)key.len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, state_id);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, origin, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rt__db_error(st, err, "add state name");
out:
    rt_buf_release(&key);
    return rc;
}

/* Calls fn for each "A<TAB>B" line of an embedded TSV file (comments skipped). */
static int each_tsv(const char *name, int (*fn)(void *, const char *, const char *), void *ctx)
{
    const struct rt__embedded *e = rt__embedded_find(name);
    const char *p, *end;
    int rc;

    if (!e)
        RT_BUG("%s is not embedded", name);
    for (p = e->data, end = e->data + e->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *a, *b;

        tab = memchr(p, '\t', n);
        if (n && *p != '#' && tab) {
            a = rt_xstrndup(p, (size_t)(tab - p));
            b = rt_xstrndup(tab + 1, n - (size_t)(tab - p) - 1);
            rc = fn(ctx, a, b);
            rt_free(a);
            rt_free(b);
            if (rc < 0)
                return rc;
        }
        p += n + 1;
    }
    return 0;
}

struct seed {
    struct rt_store *st;
    sqlite3_stmt *ins_name;
    sqlite3_stmt *set_group;
    sqlite3_stmt *by_code;
    struct rt_error *err;
};

static int state_by_code(struct seed *sd, const char *code, int64_t *out)
{
    sqlite3_reset(sd->by_code);
    sqlite3_bind_text(sd->by_code, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(sd->by_code) != SQLITE_ROW)
        return rt_error_set(sd->err, RT_EINVAL, "data/states", 0, NULL,
                            "unknown ISO 3166-1 code '%s'", code);
    *out = sqlite3_column_int64(sd->by_code, 0);
    return 0;
}

static int seed_variant(void *ctx, const char *code, const char *name)
{
    struct seed *sd = ctx;
    int64_t id = 0;
    int rc = state_by_code(sd, code, &id);
    return rc < 0 ? rc : add_key(sd->st, sd->ins_name, id, name, "variant", sd->err);
}

static int seed_group(void *ctx, const char *code, const char *group)
{
    struct seed *sd = ctx;
    sqlite3_reset(sd->set_group);
    sqlite3_bind_text(sd->set_group, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(sd->set_group, 2, code, -1, SQLITE_STATIC);
    if (sqlite3_step(sd->set_group) != SQLITE_DONE)
        return rt__db_error(sd->st, sd->err, "set UN group");
    return 0;
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int rt__states_seed(struct rt_store *st, struct rt_error *err)
{
    const char *path = getenv("RIGHTSTRACK_ISO_CODES");
    sqlite3_stmt *ins_state = NULL;
    struct seed sd = {st, NULL, NULL, NULL, err};
    json_error_t jerr;
    json_t *root = NULL, *list, *c;
    size_t i;
    int rc = RT_ESTORE;

    if (!path)
        path = ISO_3166_JSON;
    root = json_load_file(path, 0, &jerr);
    list = json_object_get(root, "3166-1");
    if (!root || !json_is_array(list)) {
        rc = rt_error_set(err, RT_EIO, path, root ? 0 : jerr.line, NULL,
                          "cannot read ISO 3166-1 list (Debian package iso-codes): %s",
                          root ? "no \"3166-1\" array" : jerr.text);
        goto out;
    }
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO state(code, alpha2, name, official_name)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &ins_state, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT OR IGNORE INTO state_name(key, state_id, name, origin)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &sd.ins_name, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    json_array_foreach(list, i, c)
    {
        const char *a3 = jstr(c, "alpha_3"), *a2 = jstr(c, "alpha_2"), *name = jstr(c, "name");
        const char *common = jstr(c, "common_name"), *official = jstr(c, "official_name");
        const char *names[] = {a3, a2, name, common, official};
        int64_t id;

        if (!a3 || !name)
            continue;
        sqlite3_reset(ins_state);
        sqlite3_bind_text(ins_state, 1, a3, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_state, 2, a2, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_state, 3, common ? common : name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_state, 4, official, -1, SQLITE_STATIC);
        if (sqlite3_step(ins_state) != SQLITE_DONE) {
            rc = rt__db_error(st, err, "add state");
            goto out;
        }
        id = sqlite3_last_insert_rowid(st->db);
        for (size_t k = 0; k < RT_ARRAY_SIZE(names); k++)
            if (names[k] && (rc = add_key(st, sd.ins_name, id, names[k], "iso", err)) < 0)
                goto out;
    }
    rc = rt__states_refresh(st, err);
out:
    sqlite3_finalize(ins_state);
    sqlite3_finalize(sd.ins_name);
    sqlite3_finalize(sd.set_group);
    sqlite3_finalize(sd.by_code);
    json_decref(root);
    return rc;
}

int rt__states_refresh(struct rt_store *st, struct rt_error *err)
{
    struct seed sd = {st, NULL, NULL, NULL, err};
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR IGNORE INTO state_name(key, state_id, name, origin)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &sd.ins_name, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "UPDATE state SET un_group = ?1 WHERE code = ?2", -1,
                           &sd.set_group, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "SELECT id FROM state WHERE code = ?1", -1, &sd.by_code, NULL) !=
            SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    if ((rc = each_tsv("data/states/variants.tsv", seed_variant, &sd)) < 0 ||
        (rc = each_tsv("data/states/groups.tsv", seed_group, &sd)) < 0)
        goto out;
    rc = 0;
out:
    sqlite3_finalize(sd.ins_name);
    sqlite3_finalize(sd.set_group);
    sqlite3_finalize(sd.by_code);
    return rc;
}
