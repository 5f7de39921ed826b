/*
 * The PostgreSQL back end's migrations (issue 16): the files of src/store/pg/schema/,
 * embedded in the binary as SQLite's are, applied in order, each in one transaction
 * that also records its number in meta ('pg_schema').
 */
#include "base/compat.h"

#include "base/embedded.h"
#include "store/pg/pg_int.h"

/* The advisory lock that makes migrations one at a time across processes. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7242011)"

static int schema_version(struct rt_pg *pg, int *version, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(pg, "pg_schema_has_meta", "SELECT to_regclass('meta') IS NOT NULL", 0,
                              NULL, err);
    int have;

    if (!r)
        return RT_ESTORE;
    have = PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    *version = 0;
    if (!have)
        return 0;
    r = rt__pg_exec(pg, "pg_schema_version", "SELECT value FROM meta WHERE key = 'pg_schema'", 0,
                    NULL, err);
    if (!r)
        return RT_ESTORE;
    if (PQntuples(r) == 1)
        *version = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

/* The migrations with a step in C after their SQL, in the same transaction: what SQL
 * cannot do (our tokenizer's lexemes). */
static const struct {
    long n;
    int (*step)(struct rt_pg *pg, struct rt_error *err);
} c_steps[] = {
    {26, rt__pg_fts_paragraphs},
};

/* Applies migration n (sql) unless another process has meanwhile. */
static int apply(struct rt_pg *pg, long n, const char *name, const char *sql, struct rt_error *err)
{
    char num[24];
    const char *v[1] = {num};
    PGresult *r;
    int have, rc;

    snprintf(num, sizeof(num), "%ld", n);
    if ((rc = rt__pg_begin(pg, NULL, err)) < 0)
        return rc;
    if ((rc = rt__pg_run(pg, MIGRATE_LOCK, err)) < 0 || (rc = schema_version(pg, &have, err)) < 0)
        goto fail;
    if (have >= n)
        return rt__pg_end(pg, 1, err);
    rc = rt__pg_run(pg, sql, err);
    for (size_t i = 0; rc == 0 && i < sizeof(c_steps) / sizeof(*c_steps); i++)
        if (c_steps[i].n == n)
            rc = c_steps[i].step(pg, err);
    if (rc < 0) {
        struct rt_buf m = RT_BUF_INIT;
        rt_buf_adds(&m, err->msg.buf);
        rt_error_set(err, RT_ESTORE, name, 0, NULL, "migration failed, nothing of it applied: %s",
                     m.buf);
        rt_buf_release(&m);
        goto fail;
    }
    r = rt__pg_exec(pg, "pg_schema_set",
                    "INSERT INTO meta(key, value) VALUES ('pg_schema', $1)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    1, v, err);
    if (!r) {
        rc = RT_ESTORE;
        goto fail;
    }
    PQclear(r);
    return rt__pg_end(pg, 1, err);
fail:
    rt__pg_end(pg, 0, NULL);
    return rc;
}

/*
 * The data version (meta 'data_version', which the response caches and the store's
 * indexes in memory compare): every commit that writes a table raises it once, at
 * its end, whoever the client is. A trigger on each table but meta, deferred to the
 * commit (a constraint trigger, the only kind that waits so), runs the function below;
 * a setting local to the transaction makes it raise the number once per transaction.
 * The row lock on meta is thus taken last, held only while the commit ends, and two
 * writers that raise it at once conflict as any two writers of one row do (the
 * serializable one is run again, rt__pg_transaction). Like SQLite's audit triggers,
 * these are made by the store: after the migrations, on every table that lacks one,
 * so a table a later migration adds gets one too.
 */
#define VERSION_MISSING                                                                            \
    "SELECT c.oid::regclass FROM pg_class c"                                                       \
    " WHERE c.relkind IN ('r', 'p') AND c.relnamespace = current_schema()::regnamespace"           \
    " AND c.relname <> 'meta' AND NOT EXISTS (SELECT 1 FROM pg_trigger g"                          \
    " WHERE g.tgrelid = c.oid AND g.tgname = 'rt_data_version')"
#define VERSION_FUNCTION                                                                           \
    "CREATE OR REPLACE FUNCTION rt_data_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$"    \
    " BEGIN"                                                                                       \
    " IF coalesce(current_setting('rightstrack.version_raised', true), '')"                        \
    " <> txid_current()::text THEN"                                                                \
    " PERFORM set_config('rightstrack.version_raised', txid_current()::text, true);"               \
    " INSERT INTO meta(key, value) VALUES ('data_version', '1') ON CONFLICT (key)"                 \
    " DO UPDATE SET value = (meta.value::bigint + 1)::text;"                                       \
    " END IF;"                                                                                     \
    " RETURN NULL;"                                                                                \
    " END $$"
#define VERSION_ATTACH                                                                             \
    "DO $$ DECLARE t regclass; BEGIN FOR t IN " VERSION_MISSING " LOOP"                            \
    " EXECUTE format('CREATE CONSTRAINT TRIGGER rt_data_version"                                   \
    " AFTER INSERT OR UPDATE OR DELETE ON %s DEFERRABLE INITIALLY DEFERRED"                        \
    " FOR EACH ROW EXECUTE FUNCTION rt_data_version_raise()', t);"                                 \
    " END LOOP; END $$"

static int version_triggers(struct rt_pg *pg, struct rt_error *err)
{
    PGresult *r = rt__pg_exec(pg, "pg_version_missing", VERSION_MISSING, 0, NULL, err);
    int rc, missing;

    if (!r)
        return RT_ESTORE;
    missing = PQntuples(r);
    PQclear(r);
    if (!missing)
        return 0;
    if ((rc = rt__pg_begin(pg, NULL, err)) < 0)
        return rc;
    if ((rc = rt__pg_run(pg, MIGRATE_LOCK, err)) < 0 ||
        (rc = rt__pg_run(pg, VERSION_FUNCTION, err)) < 0 ||
        (rc = rt__pg_run(pg, VERSION_ATTACH, err)) < 0) {
        rt__pg_end(pg, 0, NULL);
        return rc;
    }
    return rt__pg_end(pg, 1, err);
}

int rt__pg_migrate(struct rt_pg *pg, int *version, struct rt_error *err)
{
    static const char prefix[] = "src/store/pg/schema/";
    int have, rc;

    if ((rc = schema_version(pg, &have, err)) < 0)
        return rc;
    for (const struct rt__embedded *e = rt__embedded; e->name; e++) {
        const char *base;
        char *end;
        long n;

        if (strncmp(e->name, prefix, sizeof(prefix) - 1))
            continue;
        base = e->name + sizeof(prefix) - 1;
        errno = 0;
        n = strtol(base, &end, 10);
        if (errno || end == base || *end != '_')
            RT_BUG("bad migration file name %s", e->name);
        if (n <= have)
            continue;
        if ((rc = apply(pg, n, e->name, e->data, err)) < 0)
            return rc;
        have = (int)n;
    }
    if (have && (rc = version_triggers(pg, err)) < 0)
        return rc;
    if (version)
        *version = have;
    return 0;
}
