/* The theme taxonomy: seeds the areas and label mappings of data/themes/ (src/store/models.c
 * lists them). */
#include "base/compat.h"

#include "base/embedded.h"
#include "store/sqlite/sqlite_int.h"

#define AREAS_TSV "data/themes/areas.tsv"
#define TAXONOMY_TSV "data/themes/taxonomy.tsv"

/* Calls fn with the 3 fields of each "A<TAB>B<TAB>C" line of an embedded file. */
static int each_line3(struct rt_store *st, const char *name,
                      int (*fn)(struct rt_store *, sqlite3_stmt *, char **, struct rt_error *),
                      sqlite3_stmt *s, struct rt_error *err)
{
    const struct rt__embedded *e = rt__embedded_find(name);
    const char *p, *end;
    int line = 0, rc;

    if (!e)
        RT_BUG("%s is not embedded", name);
    for (p = e->data, end = e->data + e->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *f = p, *fend = p + n;
        char *field[3] = {NULL, NULL, NULL};
        size_t k = 0;

        line++;
        if (n && *p != '#') {
            while (k < 3) {
                const char *tab = memchr(f, '\t', (size_t)(fend - f));
                const char *stop = tab && k < 2 ? tab : fend;
                field[k++] = rt_xstrndup(f, (size_t)(stop - f));
                if (stop == fend)
                    break;
                f = stop + 1;
            }
            if (k < 3 || !*field[0] || !*field[1] || !*field[2])
                rc = rt_error_set(err, RT_EFORMAT, name, line, NULL,
                                  "expected three tab-separated fields");
            else
                rc = fn(st, s, field, err);
            for (size_t i = 0; i < k; i++)
                rt_free(field[i]);
            if (rc < 0)
                return rc;
        }
        p += n + 1;
    }
    return 0;
}

static int step_done(struct rt_store *st, sqlite3_stmt *s, const char *what, struct rt_error *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, what);
}

/* Adds an area: code, label, "yes"/"no". */
static int add_area(struct rt_store *st, sqlite3_stmt *s, char **f, struct rt_error *err)
{
    int osce = !strcmp(f[2], "yes");

    if (!osce && strcmp(f[2], "no"))
        return rt_error_set(err, RT_EFORMAT, AREAS_TSV, 0, f[0], "OSCE must be yes or no, not '%s'",
                            f[2]);
    sqlite3_bind_text(s, 1, f[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, f[1], -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, osce);
    return step_done(st, s, "add theme area", err);
}

/* Maps a label: vocabulary, label, area code; the area must exist. */
static int add_label(struct rt_store *st, sqlite3_stmt *s, char **f, struct rt_error *err)
{
    int rc;

    sqlite3_bind_text(s, 1, f[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, f[1], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, f[2], -1, SQLITE_STATIC);
    if ((rc = step_done(st, s, "map theme label", err)) < 0)
        return rc;
    if (!sqlite3_changes(st->db)) { /* a repeated line, or an unknown area */
        sqlite3_stmt *q = NULL;
        int known;
        if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM theme_area WHERE code = ?1", -1, &q, NULL) !=
            SQLITE_OK)
            return rt__db_error(st, err, "prepare");
        sqlite3_bind_text(q, 1, f[2], -1, SQLITE_STATIC);
        known = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (!known)
            return rt_error_set(err, RT_EFORMAT, TAXONOMY_TSV, 0, f[1],
                                "unknown area '%s' (not in " AREAS_TSV ")", f[2]);
    }
    return 0;
}

int rt__taxonomy_refresh(struct rt_store *st, struct rt_error *err)
{
    sqlite3_stmt *ins_area = NULL, *ins_label = NULL;
    int rc;

    if ((rc = sqlite3_exec(st->db, "DELETE FROM theme_area_label; DELETE FROM theme_area;", NULL,
                           NULL, NULL)) != SQLITE_OK) {
        rc = rt__db_error(st, err, "clear the theme taxonomy");
        goto out;
    }
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO theme_area(code, label, osce, pos)"
                           " VALUES (?1, ?2, ?3, (SELECT count(*) FROM theme_area))",
                           -1, &ins_area, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT OR IGNORE INTO theme_area_label(vocabulary, label, area)"
                           " SELECT ?1, ?2, code FROM theme_area WHERE code = ?3",
                           -1, &ins_label, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "prepare");
        goto out;
    }
    if ((rc = each_line3(st, AREAS_TSV, add_area, ins_area, err)) < 0 ||
        (rc = each_line3(st, TAXONOMY_TSV, add_label, ins_label, err)) < 0)
        goto out;
    /* The OSCE areas are themselves the OSCE vocabulary, by code and by label. */
    if (sqlite3_exec(st->db,
                     "INSERT OR IGNORE INTO theme_area_label(vocabulary, label, area)"
                     " SELECT 'osce', code, code FROM theme_area WHERE osce"
                     " UNION ALL SELECT 'osce', label, code FROM theme_area WHERE osce",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "map OSCE areas");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(ins_area);
    sqlite3_finalize(ins_label);
    return rc;
}
