/* The SQLite store: connection, statements, migrations, derived data and transactions. */
#include "base/compat.h"

#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rightstrack/text.h>

#include "base/embedded.h"
#include "base/hash.h"
#include "store/sqlite/facets.h"
#include "store/sqlite/sqlite_int.h"

/* How long a statement waits for another connection's lock. */

enum load_flags {
    LOAD_NO_FK = 1 << 0,            /* foreign keys off, checked once before the commit */
    LOAD_ROLLBACK_JOURNAL = 1 << 1, /* journal_mode DELETE, WAL again after */
    LOAD_INDEX = 1 << 2,            /* the search index is built after the commit */
};

static void load_end(struct rt_store *st);

static const char *const stmt_sql[STMT__COUNT] = {
    [STMT_STATE_BY_KEY] = "SELECT state_id FROM state_name WHERE key = ?1",
    [STMT_REC_FIND] = "SELECT id, response, action_category, paragraph FROM recommendation"
                      " WHERE sur_id = ?1 AND key_hash = ?4 AND session IS ?2 AND text = ?3"
                      " AND (mechanism = 'upr' OR paragraph IS ?5)",
    [STMT_REC_INSERT] = "INSERT INTO recommendation(mechanism, cycle, session, paragraph,"
                        " sur_id, text, response, action_category, source_id, key_hash,"
                        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [STMT_REC_BY_ID] = "SELECT text, response, action_category, paragraph, session, sur_id"
                       " FROM recommendation WHERE id = ?1",
    [STMT_REC_INSERT_ID] =
        "INSERT INTO recommendation(id, mechanism, cycle, session, paragraph,"
        " sur_id, text, response, action_category, source_id, key_hash,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [STMT_REC_FILL] = "UPDATE recommendation SET"
                      " response = ?2, action_category = ?3,"
                      " paragraph = coalesce(paragraph, ?4) WHERE id = ?1",
    [STMT_BY_INSERT] = "INSERT OR IGNORE INTO recommendation_by(rec_id, state_id) VALUES (?1, ?2)",
    [STMT_THEME_FIND] = "SELECT id FROM theme WHERE vocabulary = ?1 AND label = ?2",
    [STMT_THEME_INSERT] = "INSERT INTO theme(vocabulary, label) VALUES (?1, ?2)",
    [STMT_REC_THEME_INSERT] = "INSERT OR IGNORE INTO recommendation_theme(rec_id, theme_id,"
                              " origin, confidence) VALUES (?1, ?2, ?3, ?4)",
    [STMT_SRC_INSERT] = "INSERT INTO recommendation_source(rec_id, source_id, response)"
                        " VALUES (?1, ?2, ?3)" RT__SRC_UPSERT,
    [STMT_REC_GET_SOURCES] =
        "SELECT src.id, src.kind, src.path, rs.response"
        " FROM recommendation_source rs JOIN source src ON src.id = rs.source_id"
        " WHERE rs.rec_id = ?1 ORDER BY src.id",
    [STMT_REC_GET] = RT__REC_SELECT " WHERE r.id = ?1",
    [STMT_REC_GET_BY] = "SELECT s.code, s.name FROM recommendation_by b JOIN state s"
                        " ON s.id = b.state_id WHERE b.rec_id = ?1 ORDER BY s.name",
    [STMT_REC_GET_THEMES] = "SELECT t.vocabulary, t.label, rt.origin, rt.confidence"
                            " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
                            " WHERE rt.rec_id = ?1 ORDER BY t.vocabulary, t.label, rt.origin",
    [STMT_FTS_INSERT] = "INSERT INTO recommendation_fts(rowid, text, paragraph)"
                        " SELECT id, text, paragraph FROM recommendation WHERE id > ?1",
    /* The same, each row's id noted before its texts are tokenized (tokcap.c). */
    [STMT_FTS_INSERT_CAP] = "INSERT INTO recommendation_fts(rowid, text, paragraph)"
                            " SELECT rt_tokcap_row(id), text, paragraph FROM recommendation"
                            " WHERE id > ?1",
};

int rt__db_error(struct rt_store *st, struct rt_error *err, const char *what)
{
    return rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* The SQL of the statements that write many rows: STMT_BY_INSERT_MANY and
 * STMT_REC_THEME_INSERT_MANY (LINK_BATCH rows), STMT_REC_INSERT_MANY (REC_BATCH). */
static void many_insert_sql(enum rt__stmt_id id, struct rt_buf *sql)
{
    int columns, rows;

    if (id == STMT_REC_INSERT_MANY) {
        const char *one = stmt_sql[STMT_REC_INSERT_ID];
        rt_buf_add(sql, one, (size_t)(strstr(one, "VALUES") - one));
        rt_buf_adds(sql, "VALUES ");
        columns = REC_COLUMNS;
        rows = REC_BATCH;
    } else if (id == STMT_SRC_INSERT_MANY) {
        rt_buf_adds(sql, "INSERT INTO recommendation_source(rec_id, source_id, response) VALUES ");
        columns = 3;
        rows = LINK_BATCH;
    } else if (id == STMT_BY_INSERT_MANY) {
        rt_buf_adds(sql, "INSERT OR IGNORE INTO recommendation_by(rec_id, state_id) VALUES ");
        columns = 2;
        rows = LINK_BATCH;
    } else {
        rt_buf_adds(sql, "INSERT OR IGNORE INTO recommendation_theme(rec_id, theme_id, origin,"
                         " confidence) VALUES ");
        columns = 4;
        rows = LINK_BATCH;
    }
    for (int row = 0; row < rows; row++) {
        rt_buf_adds(sql, row ? ", (" : "(");
        for (int c = 0; c < columns; c++)
            rt_buf_addf(sql, c ? ", ?%d" : "?%d", row * columns + c + 1);
        rt_buf_addch(sql, ')');
    }
    if (id == STMT_SRC_INSERT_MANY)
        rt_buf_adds(sql, RT__SRC_UPSERT);
}

sqlite3_stmt *rt__stmt(struct rt_store *st, enum rt__stmt_id id, struct rt_error *err)
{
    sqlite3_stmt *s = st->stmt[id];

    if (!s) {
        struct rt_buf many = RT_BUF_INIT;
        int rc;

        if (!stmt_sql[id])
            many_insert_sql(id, &many);
        rc = sqlite3_prepare_v3(st->db, stmt_sql[id] ? stmt_sql[id] : many.buf, -1,
                                SQLITE_PREPARE_PERSISTENT, &s, NULL);
        rt_buf_release(&many);
        if (rc != SQLITE_OK) {
            rt__db_error(st, err, "prepare");
            return NULL;
        }
        st->stmt[id] = s;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

sqlite3_stmt *rt__stmt_sql_slot(struct rt_store *st, const char *sql, struct rt__sql_slot **out,
                                struct rt_error *err)
{
    uint64_t hash = rt__hash(sql, strlen(sql));
    struct rt__sql_slot *slot = NULL, *oldest = NULL;
    sqlite3_stmt *s;

    for (size_t i = 0; i < RT__SQL_CACHE && !slot; i++) {
        struct rt__sql_slot *c = &st->sql_cache[i];
        if (c->held)
            continue;
        if (c->stmt && c->hash == hash && !strcmp(sqlite3_sql(c->stmt), sql))
            slot = c;
        else if (!oldest || c->used < oldest->used)
            oldest = c;
    }
    if (slot) {
        s = slot->stmt;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        if (!oldest)
            RT_BUG("all %d cached statements are being stepped through", RT__SQL_CACHE);
        if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
            rt__db_error(st, err, "prepare");
            return NULL;
        }
        slot = oldest;
        sqlite3_finalize(slot->stmt);
        slot->stmt = s;
        slot->hash = hash;
    }
    slot->used = ++st->sql_tick;
    *out = slot;
    return s;
}

sqlite3_stmt *rt__stmt_sql(struct rt_store *st, const char *sql, struct rt_error *err)
{
    struct rt__sql_slot *slot;

    return rt__stmt_sql_slot(st, sql, &slot, err);
}

char *rt__col_strdup(sqlite3_stmt *stmt, int i)
{
    const unsigned char *p = sqlite3_column_text(stmt, i);
    return rt_xstrndup(p ? (const char *)p : "", p ? (size_t)sqlite3_column_bytes(stmt, i) : 0);
}

static int exec(struct rt_store *st, const char *sql, struct rt_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        rt_error_set(err, RT_ESTORE, st->path, 0, NULL, "%s", msg ? msg : "SQL failed");
        sqlite3_free(msg);
        return RT_ESTORE;
    }
    return 0;
}

void rt__set_now(struct rt_store *st)
{
    time_t t = time(NULL);
    struct tm tm;

    if (!gmtime_r(&t, &tm) || !strftime(st->now, sizeof(st->now), "%Y-%m-%dT%H:%M:%SZ", &tm))
        RT_BUG("cannot format the current time");
}

int rt__sqlite_schema_version(struct rt_store *st)
{
    sqlite3_stmt *s = NULL;
    int v = -1;

    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

/*
 * Fails when PRAGMA foreign_key_check finds a row, in any table, whose reference is
 * broken. what says who asked, for the message.
 */
static int foreign_key_check(struct rt_store *st, const char *what, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 1) == SQLITE_NULL) /* WITHOUT ROWID */
        rc = rt_error_set(
            err, RT_ESTORE, st->path, 0, NULL, "%s: a row of table %s has a broken reference to %s",
            what, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 2));
    else if (rc == SQLITE_ROW)
        rc = rt_error_set(err, RT_ESTORE, st->path, 0, NULL,
                          "%s: row %lld of table %s has a broken reference to %s", what,
                          (long long)sqlite3_column_int64(s, 1),
                          (const char *)sqlite3_column_text(s, 0),
                          (const char *)sqlite3_column_text(s, 2));
    else if (rc == SQLITE_DONE)
        rc = 0;
    else
        rc = rt__db_error(st, err, "foreign key check");
    sqlite3_finalize(s);
    return rc;
}

/*
 * The columns a migration adds, added before its SQL runs and only when missing:
 * ALTER TABLE ADD COLUMN has no IF NOT EXISTS, and a migration must be able to run
 * again on a database that has it (tests set user_version back and replay them).
 */
static const struct added_column {
    int version;
    const char *table, *column, *decl;
} added_columns[] = {
    /* Schema 12: withdrawals and corrections (0012_withdraw.sql). */
    {12, "dialogue", "withdrawn", "TEXT"},
    {12, "dialogue", "withdrawn_on", "TEXT"},
    {12, "round", "withdrawn", "TEXT"},
    {12, "round", "withdrawn_on", "TEXT"},
    {12, "participant", "withdrawn", "TEXT"},
    {12, "participant", "withdrawn_on", "TEXT"},
    {12, "topic", "withdrawn", "TEXT"},
    {12, "topic", "withdrawn_on", "TEXT"},
    {12, "ask", "withdrawn", "TEXT"},
    {12, "ask", "withdrawn_on", "TEXT"},
    {12, "step", "withdrawn", "TEXT"},
    {12, "step", "withdrawn_on", "TEXT"},
    {12, "link", "withdrawn", "TEXT"},
    {12, "link", "withdrawn_on", "TEXT"},
    {12, "commitment", "withdrawn", "TEXT"},
    {12, "commitment", "withdrawn_on", "TEXT"},
    {12, "benchmark", "withdrawn", "TEXT"},
    {12, "benchmark", "withdrawn_on", "TEXT"},
    {12, "assessment", "replaces", "INTEGER REFERENCES assessment(id)"},
    /* Schema 18: a case event's withdrawal (0018_case_corrections.sql). */
    {18, "case_event", "withdrawn", "TEXT"},
    {18, "case_event", "withdrawn_on", "TEXT"},
    {18, "person", "state", "TEXT"},
};

/* Adds the columns of added_columns for migration version that the tables lack. */
static int add_columns(struct rt_store *st, long version, struct rt_error *err)
{
    for (size_t i = 0; i < RT_ARRAY_SIZE(added_columns); i++) {
        const struct added_column *c = &added_columns[i];
        struct rt_buf sql = RT_BUF_INIT;
        sqlite3_stmt *s = NULL;
        int have = 0, rc;

        if (c->version != version)
            continue;
        if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
                               -1, &s, NULL) != SQLITE_OK)
            return rt__db_error(st, err, "prepare");
        sqlite3_bind_text(s, 1, c->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, c->column, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            have = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        if (have)
            continue;
        rt_buf_addf(&sql, "ALTER TABLE %s ADD COLUMN %s %s", c->table, c->column, c->decl);
        rc = exec(st, sql.buf, err);
        rt_buf_release(&sql);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/*
 * Applies every embedded migration newer than user_version, each in a transaction.
 * Foreign keys must be off (as SQLite's procedure for rebuilding a table requires:
 * dropping the old table would otherwise cascade); they are checked before each commit.
 */
static int migrate(struct rt_store *st, struct rt_error *err)
{
    static const char prefix[] = "src/store/sqlite/schema/";
    int have = rt_store_schema_version(st), rc;

    for (const struct rt__embedded *e = rt__embedded; e->name; e++) {
        const char *base;
        char *end;
        long n;
        struct rt_buf sql = RT_BUF_INIT;

        if (strncmp(e->name, prefix, sizeof(prefix) - 1))
            continue;
        base = e->name + sizeof(prefix) - 1;
        errno = 0;
        n = strtol(base, &end, 10);
        if (errno || end == base || *end != '_')
            RT_BUG("bad migration file name %s", e->name);
        if (n <= have)
            continue;
        rt_buf_addf(&sql, "%s\nPRAGMA user_version = %ld;\n", e->data, n);
        if ((rc = exec(st, "BEGIN IMMEDIATE", err)) == 0 && (rc = add_columns(st, n, err)) == 0)
            rc = exec(st, sql.buf, err);
        rt_buf_release(&sql);
        if (rc < 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        if ((n == 1 && (rc = rt__states_seed(st, err)) < 0) ||
            (rc = rt__audit_migrated(st, (int)n, err)) < 0 ||
            (rc = foreign_key_check(st, "migration", err)) < 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        if ((rc = exec(st, "COMMIT", err)) < 0)
            return rc;
        have = (int)n;
    }
    return 0;
}

/* What the derived data was built with: when it changes, the store rebuilds. */
#define TOKENIZER_VERSION "3 english stems; words in table word"

static int meta_get(struct rt_store *st, const char *key, struct rt_buf *out)
{
    sqlite3_stmt *s = NULL;
    int found = 0;

    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?1", -1, &s, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            rt_buf_adds(out, (const char *)sqlite3_column_text(s, 0));
            found = 1;
        }
    }
    sqlite3_finalize(s);
    return found;
}

static int meta_set(struct rt_store *st, const char *key, const char *value, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1,
                           &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rt__db_error(st, err, "meta");
    sqlite3_finalize(s);
    return rc;
}

/*
 * Brings derived data up to date with this binary: the full-text index when the
 * tokenizer changed, the state names and the theme taxonomy when data/states/ or
 * data/themes/ did.
 */
static int refresh_derived(struct rt_store *st, struct rt_error *err)
{
    struct rt_buf have = RT_BUF_INIT, want = RT_BUF_INIT;
    uint64_t h = 0;
    int rc = 0, tok, names;

    for (const struct rt__embedded *e = rt__embedded; e->name; e++)
        if (!strncmp(e->name, "data/states/", 12) || !strncmp(e->name, "data/themes/", 12))
            h = h * 31 + rt__hash(e->data, e->len);
    rt_buf_addf(&want, "%016llx", (unsigned long long)h);
    tok = !meta_get(st, "tokenizer", &have) || strcmp(have.buf, TOKENIZER_VERSION);
    rt_buf_reset(&have);
    names = !meta_get(st, "state_tables", &have) || strcmp(have.buf, want.buf);
    if (!tok && !names)
        goto out;
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)) < 0)
        goto out;
    if (tok) {
        rt__fts_words_drop(st);
        if ((rc = exec(st,
                       "DELETE FROM word; DELETE FROM search_index;"
                       " INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild')",
                       err)) < 0 ||
            (rc = rt__fts_words_flush(st, err)) < 0 ||
            (rc = meta_set(st, "tokenizer", TOKENIZER_VERSION, err)) < 0)
            goto fail;
    }
    if (names &&
        ((rc = rt__states_refresh(st, err)) < 0 || (rc = rt__taxonomy_refresh(st, err)) < 0 ||
         (rc = meta_set(st, "state_tables", want.buf, err)) < 0))
        goto fail;
    rc = exec(st, "COMMIT", err);
    goto out;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    rt__fts_words_drop(st);
out:
    rt_buf_release(&have);
    rt_buf_release(&want);
    return rc;
}

/* Process-wide SQLite settings, made before SQLite starts. */
static void sqlite_setup(void)
{
    /* Memory statistics take a global mutex on every allocation, and nothing reads
     * them. This fails, harmlessly, when the program used SQLite before. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* rt_tokcap_row(id): id, noted as the row whose texts FTS5 is given next. */
static void fn_tokcap_row(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct rt_store *st = sqlite3_user_data(ctx);

    (void)argc;
    if (st->words.replay)
        rt__tokcap_replay_row(st->words.replay, sqlite3_value_int64(argv[0]));
    else if (st->words.cap)
        rt__tokcap_row(st->words.cap, sqlite3_value_int64(argv[0]));
    sqlite3_result_value(ctx, argv[0]);
}

int rt__sqlite_open(struct rt_store **out, const char *path, unsigned flags, struct rt_error *err)
{
    static pthread_once_t setup = PTHREAD_ONCE_INIT;
    struct rt_store *st = NULL;
    struct stat sb;
    int oflags, rc, created = 0;

    *out = NULL;
    pthread_once(&setup, sqlite_setup);
    if (stat(path, &sb) < 0) {
        created = errno == ENOENT;
        if (errno != ENOENT || !(flags & RT_STORE_CREATE))
            return rt_error_set(err, errno == ENOENT ? RT_ENOTFOUND : RT_EIO, path, 0, NULL,
                                "cannot open database: %s%s", strerror(errno),
                                errno == ENOENT ? " (run 'rightstrack init' first)" : "");
    }
    /* A new database is the schema image written out; migrations then find nothing
     * to do. Without an image (in the image maker), they build it. */
    if (created && !(flags & (RT_STORE_READONLY | RT__STORE_NO_IMAGE)) && rt__image_available() &&
        (rc = rt__image_write(path, err)) < 0)
        return rc;
    if (!created && !(flags & RT_STORE_READONLY))
        rt__image_remove_stale(path);
    st = rt_xcalloc(1, sizeof(*st));
    st->base.ops = &rt__sqlite_ops;
    st->theme_key = (struct rt_buf)RT_BUF_INIT;
    st->recs.strings = (struct rt_buf)RT_BUF_INIT;
    st->words.pending = (struct rt_buf)RT_BUF_INIT;
    st->path = rt_xstrdup(path);
    oflags = (flags & RT_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "cannot open database");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, RT__BUSY_TIMEOUT_MS);
    if (rt__fts_register(st->db, &st->words) != SQLITE_OK ||
        sqlite3_create_function(st->db, "rt_tokcap_row", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, st,
                                fn_tokcap_row, NULL, NULL) != SQLITE_OK) {
        rc = rt__db_error(st, err, "cannot register the tokenizer");
        goto fail;
    }
    if (rt__search_register(st->db) != SQLITE_OK || rt__rank_register(st) != SQLITE_OK) {
        rc = rt__db_error(st, err, "cannot register the search functions");
        goto fail;
    }
    /* synchronous before journal_mode: turning a new file to WAL is a write of its own. */
    if ((rc = exec(st,
                   "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL;"
                   " PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456",
                   err)) < 0)
        goto fail;
    /* A new file gets 16 KiB pages (SQLite's default is 4 KiB): a quarter of the page
     * writes and B-tree pages for an import, which took a twentieth less time, and
     * searches a tenth faster. Only before the first write: WAL mode is one. */
    if (created && (rc = exec(st, "PRAGMA page_size = 16384", err)) < 0)
        goto fail;
    if (!(flags & RT_STORE_READONLY) && (rc = exec(st, "PRAGMA journal_mode = WAL", err)) < 0)
        goto fail;
    if (!(flags & RT_STORE_READONLY) && (rc = migrate(st, err)) < 0)
        goto fail;
    if ((rc = exec(st, "PRAGMA foreign_keys = ON", err)) < 0)
        goto fail;
    if (!(flags & RT_STORE_READONLY) && (rc = rt__audit_open(st, err)) < 0)
        goto fail;
    if (!(flags & RT_STORE_READONLY) && (rc = refresh_derived(st, err)) < 0)
        goto fail;
    *out = st;
    return 0;
fail:
    rt_store_close(st);
    if (created) { /* a database we could not set up is not left behind */
        struct rt_buf p = RT_BUF_INIT;
        unlink(path);
        rt_buf_addf(&p, "%s-wal", path);
        unlink(p.buf);
        rt_buf_reset(&p);
        rt_buf_addf(&p, "%s-shm", path);
        unlink(p.buf);
        rt_buf_release(&p);
    }
    return rc;
}

void rt__sqlite_close(struct rt_store *st)
{
    if (!st)
        return;
    /* Words of texts indexed outside the store's transactions (by a trigger). */
    if (!st->in_tx && st->words.pending.len)
        rt__fts_words_flush(st, NULL);
    for (int i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < RT__SQL_CACHE; i++)
        sqlite3_finalize(st->sql_cache[i].stmt);
    if (st->in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    rt__strmap_release(&st->state_cache);
    rt__strmap_release(&st->theme_cache);
    rt__strmap_release(&st->phrase_rows);
    for (size_t i = 0; i < RT_ARRAY_SIZE(st->load_trigger_sql); i++)
        rt_free(st->load_trigger_sql[i]);
    rt_buf_release(&st->match_phrases);
    rt_free(st->prefix_acc);
    rt__postings_cache_free(st);
    rt__tokwork_cancel(st->tokwork);
    rt__tokcap_free(st->words.cap);
    rt_buf_release(&st->theme_key);
    rt_free(st->by_queue.v);
    rt_free(st->theme_queue.v);
    rt_free(st->src_queue.v);
    rt_free(st->recs.v);
    rt_free(st->recs.twins);
    rt_buf_release(&st->recs.strings);
    rt_buf_release(&st->words.pending);
    rt_free(st->actor);
    rt_free(st->via);
    rt__facets_free(st->facets);
    rt__hit_rows_free(st->hit_rows);
    rt_tokenizer_free(st->query_tok);
    rt_free(st->path);
    rt_free(st);
}

static int max_rec_id(struct rt_store *st, int64_t *out, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM recommendation", -1, &s,
                           NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        rc = rt__db_error(st, err, "begin");
    else
        *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc;
}

/*
 * Indexes again the recommendations already indexed whose paragraph a merge filled
 * in (rt__fts_redo_note): out of the index as they were (no paragraph), in as they
 * are. Nothing to do when none was noted.
 */
static int fts_redo(struct rt_store *st, struct rt_error *err)
{
    static const char *const sql[] = {
        "INSERT INTO recommendation_fts(recommendation_fts, rowid, text, paragraph)"
        " SELECT 'delete', r.id, r.text, NULL FROM temp.fts_redo f"
        " JOIN recommendation r ON r.id = f.id",
        "INSERT INTO recommendation_fts(rowid, text, paragraph)"
        " SELECT r.id, r.text, r.paragraph FROM temp.fts_redo f JOIN recommendation r ON r.id = "
        "f.id",
        "DELETE FROM temp.fts_redo",
    };

    if (!st->fts_redo)
        return 0;
    for (size_t i = 0; i < RT_ARRAY_SIZE(sql); i++) {
        sqlite3_stmt *s = rt__stmt_sql(st, sql[i], err);
        if (!s)
            return RT_ESTORE;
        if (sqlite3_step(s) != SQLITE_DONE) {
            sqlite3_reset(s);
            return rt__db_error(st, err, "full-text index");
        }
        sqlite3_reset(s);
    }
    st->fts_redo = 0;
    return 0;
}

int rt__fts_redo_note(struct rt_store *st, int64_t id, struct rt_error *err)
{
    sqlite3_stmt *s;

    if (st->no_fts)
        return 0;
    if (!st->fts_redo_table) {
        if (sqlite3_exec(st->db, "CREATE TEMP TABLE IF NOT EXISTS fts_redo(id INTEGER PRIMARY KEY)",
                         NULL, NULL, NULL) != SQLITE_OK)
            return rt__db_error(st, err, "full-text index");
        st->fts_redo_table = 1;
    }
    if (!(s = rt__stmt_sql(st, "INSERT OR IGNORE INTO temp.fts_redo(id) VALUES (?1)", err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) {
        sqlite3_reset(s);
        return rt__db_error(st, err, "full-text index");
    }
    sqlite3_reset(s);
    st->fts_redo = 1;
    /* Outside a transaction the row was indexed at once: so is its paragraph. */
    return st->in_tx ? 0 : fts_redo(st, err);
}

int rt__index_from(struct rt_store *st, int64_t from, struct rt_error *err)
{
    /* A load into an empty index keeps the tokens FTS5 is given, for the search
     * index built before its commit (rt__facets_store_in_load, postings.c). */
    int capture = (st->load & LOAD_INDEX) && from == 0;
    sqlite3_stmt *s = rt__stmt(st, capture ? STMT_FTS_INSERT_CAP : STMT_FTS_INSERT, err);
    int rc;

    if ((rc = fts_redo(st, err)) < 0)
        return rc;
    if (!s)
        return RT_ESTORE;
    rt__tokcap_free(st->words.cap);
    st->words.cap = NULL;
    /* The rows' tokens from the load's thread, given to FTS5 again; else made here. */
    if (capture)
        st->words.replay = rt__tokwork_finish(st->tokwork);
    else
        rt__tokwork_cancel(st->tokwork);
    st->tokwork = NULL;
    if (capture && !st->words.replay)
        st->words.cap = rt__tokcap_new();
    sqlite3_bind_int64(s, 1, from);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (st->words.replay) {
        if (rc == SQLITE_DONE && rt__tokcap_replayed(st->words.replay))
            st->words.cap = st->words.replay;
        else
            rt__tokcap_free(st->words.replay);
        st->words.replay = NULL;
    }
    if (rc != SQLITE_DONE) {
        rt__tokcap_free(st->words.cap);
        st->words.cap = NULL;
        return rt__db_error(st, err, "full-text index");
    }
    return rt__fts_words_flush(st, err);
}

/* Read transactions come once per web request: their statements are kept prepared. */
int rt__sqlite_read_begin(struct rt_store *st, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, "BEGIN DEFERRED", err);
    int rc;

    if (!s)
        return RT_ESTORE;
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rt__db_error(st, err, "begin");
    sqlite3_reset(s);
    return rc;
}

void rt__sqlite_read_end(struct rt_store *st)
{
    sqlite3_stmt *s;

    if (sqlite3_get_autocommit(st->db))
        return;
    if ((s = rt__stmt_sql(st, "COMMIT", NULL))) {
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    if (!sqlite3_get_autocommit(st->db)) /* a statement still running: end it anyway */
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * PRAGMA data_version changes with every commit of another connection; this
 * connection's own changes move sqlite3_total_changes64. Both only grow, so their
 * sum does too, and changes when either does.
 */
int rt__sqlite_version(struct rt_store *st, uint64_t *out, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, "PRAGMA data_version", err);
    int rc;

    if (!s)
        return RT_ESTORE;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *out = (uint64_t)sqlite3_column_int64(s, 0) + (uint64_t)sqlite3_total_changes64(st->db);
        rc = 0;
    } else {
        rc = rt__db_error(st, err, "data version");
    }
    sqlite3_reset(s);
    return rc;
}

int rt__sqlite_begin(struct rt_store *st, struct rt_error *err)
{
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc < 0)
        return rc;
    st->in_tx = 1;
    rt__set_now(st);
    if ((rc = max_rec_id(st, &st->fts_from, err)) < 0)
        rt_store_rollback(st);
    return rc;
}

/*
 * Sets the journal mode ("delete" or "wal"); 0 when the store now has it. Leaving WAL
 * needs the only connection to the file: with another one open, it fails at once
 * (no busy wait) and the mode stays.
 */
static int journal_mode(struct rt_store *st, const char *mode)
{
    struct rt_buf sql = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int rc = -1;

    rt_buf_addf(&sql, "PRAGMA journal_mode = %s", mode);
    sqlite3_busy_timeout(st->db, 0);
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s, 0), mode))
        rc = 0;
    sqlite3_finalize(s);
    sqlite3_busy_timeout(st->db, RT__BUSY_TIMEOUT_MS);
    rt_buf_release(&sql);
    return rc;
}

/*
 * The two triggers that empty the search index when a recommendation or a theme tag
 * is added ask, for every row written, whether the index holds anything (schema 23):
 * a tenth of an import's time. When the index is empty as a load begins nothing can
 * be stale, so they are dropped in the load's transaction and made again, with the
 * same SQL, before its commit (load_triggers_restore), which also builds the index.
 * Other connections never see them missing; a rollback brings them back.
 */
static const char *const load_trigger_name[2] = {"search_index_stale_rec_ai",
                                                 "search_index_stale_theme_ai"};

static void load_triggers_forget(struct rt_store *st)
{
    for (size_t i = 0; i < RT_ARRAY_SIZE(st->load_trigger_sql); i++)
        RT_FREE_AND_NULL(st->load_trigger_sql[i]);
}

static int load_triggers_drop(struct rt_store *st, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, empty;

    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS (SELECT 1 FROM search_index)", -1, &s,
                           NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return 0; /* no table (an older schema): nothing to drop */
    }
    empty = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (!empty)
        return 0;
    if (!(s = rt__stmt_sql(st, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                           err)))
        return RT_ESTORE;
    for (size_t i = 0; i < RT_ARRAY_SIZE(load_trigger_name) && rc == 0; i++) {
        struct rt_buf drop = RT_BUF_INIT;
        sqlite3_bind_text(s, 1, load_trigger_name[i], -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
            st->load_trigger_sql[i] = rt_xstrdup((const char *)sqlite3_column_text(s, 0));
            rc = 0;
        } else {
            rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "begin");
        }
        sqlite3_reset(s);
        if (rc == 0 && st->load_trigger_sql[i]) {
            rt_buf_addf(&drop, "DROP TRIGGER %s", load_trigger_name[i]);
            rc = exec(st, drop.buf, err);
        }
        rt_buf_release(&drop);
    }
    sqlite3_clear_bindings(s);
    return rc;
}

static int load_triggers_restore(struct rt_store *st, struct rt_error *err)
{
    int rc = 0;

    for (size_t i = 0; i < RT_ARRAY_SIZE(st->load_trigger_sql) && rc == 0; i++)
        if (st->load_trigger_sql[i])
            rc = exec(st, st->load_trigger_sql[i], err);
    load_triggers_forget(st);
    return rc;
}

int rt__sqlite_begin_load(struct rt_store *st, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int empty, rc;

    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS (SELECT 1 FROM recommendation)", -1, &s,
                           NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rt__db_error(st, err, "begin");
    }
    empty = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (empty) {
        if ((rc = exec(st, "PRAGMA foreign_keys = OFF", err)) < 0)
            return rc;
        st->load = LOAD_NO_FK;
        /* With a rollback journal, NORMAL leaves a small chance that a power cut
         * corrupts the file; FULL costs three more syncs here. */
        if (journal_mode(st, "delete") == 0) {
            st->load |= LOAD_ROLLBACK_JOURNAL;
            if ((rc = exec(st, "PRAGMA synchronous = FULL", err)) < 0) {
                load_end(st);
                return rc;
            }
        }
    }
    if ((rc = rt_store_begin(st, err)) < 0) {
        load_end(st);
        return rc;
    }
    if (st->load && st->fts_from == 0) { /* still empty now that we hold the lock */
        rt__recs_start(st);
        st->tokwork = rt__tokwork_start(); /* NULL: tokenized at commit as before */
    }
    if ((rc = load_triggers_drop(st, err)) < 0) {
        rt_store_rollback(st);
        return rc;
    }
    st->load |= LOAD_INDEX;
    return 0;
}

/* After the commit or rollback of a load: the store's usual settings again. */
static void load_end(struct rt_store *st)
{
    /* Best effort: if another connection came meanwhile, the next open sets WAL. */
    if (st->load & LOAD_ROLLBACK_JOURNAL) {
        exec(st, "PRAGMA synchronous = NORMAL", NULL);
        journal_mode(st, "wal");
    }
    if (st->load & LOAD_NO_FK)
        exec(st, "PRAGMA foreign_keys = ON", NULL);
    st->load = 0;
}

void rt__sqlite_load_scratch(struct rt_store *st)
{
    st->load &= ~(unsigned)LOAD_INDEX;
    st->fts_from = INT64_MAX; /* rows from here on are not indexed */
    st->no_fts = 1;           /* nor again: the rows copied in were never indexed */
    /* Nor tokenized for FTS5 meanwhile: that thread's work would be thrown away. */
    rt__tokwork_cancel(st->tokwork);
    st->tokwork = NULL;
    sqlite3_exec(st->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
}

int rt__sqlite_commit(struct rt_store *st, struct rt_error *err)
{
    int rc = rt_store_rec_links_flush(st, NULL, NULL, err), index = st->load & LOAD_INDEX;

    rt__recs_stop(st);
    if (rc == 0 && (st->load & LOAD_NO_FK))
        rc = foreign_key_check(st, "import", err);
    if (rc == 0)
        rc = rt__index_from(st, st->fts_from, err);
    if (rc == 0)
        rc = load_triggers_restore(st, err);
    /* The search index is built and stored in the import's transaction, not by the
     * first search: one commit writes both. */
    if (rc == 0 && index)
        rt__facets_store_in_load(st);
    rt__tokcap_free(st->words.cap);
    st->words.cap = NULL;
    if (rc == 0)
        rc = exec(st, "COMMIT", err);
    if (rc < 0)
        rt_store_rollback(st);
    st->in_tx = 0;
    if (st->load)
        load_end(st);
    return rc;
}

void rt__sqlite_rollback(struct rt_store *st)
{
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
    /* The caches may hold ids that the rollback took away. */
    rt__strmap_release(&st->theme_cache);
    st->by_queue.n = st->theme_queue.n = st->src_queue.n = 0;
    st->by_queue.added = st->theme_queue.added = st->src_queue.added = 0;
    st->fts_redo = 0; /* the rows noted went with the rollback, and perhaps the table */
    st->fts_redo_table = 0;
    rt__fts_words_drop(st);
    rt__tokcap_free(st->words.cap);
    st->words.cap = NULL;
    rt__tokwork_cancel(st->tokwork);
    st->tokwork = NULL;
    rt__recs_stop(st);
    load_triggers_forget(st); /* the rollback made them again */
    if (st->load)
        load_end(st);
}
