/*
 * A libpq connection for the PostgreSQL back end (issue 16): statements prepared once
 * per connection and kept by name, a dropped connection re-established, transactions
 * tried again after a serialization failure or a deadlock, every error through
 * struct rt_error with PostgreSQL's message and SQLSTATE.
 */
#include "base/compat.h"

#include <time.h>

#include <sodium.h>

#include "auth/audit_int.h"
#include "store/pg/pg_int.h"

/*
 * The session-level advisory lock that makes writes one at a time (rt__pg_begin), and
 * the transaction after it, in one round trip: the lock is taken in a transaction of
 * its own, which the COMMIT ends (the lock is the session's, it stays), so the
 * SERIALIZABLE transaction's snapshot is taken by its first statement, once the lock
 * is held. The first BEGIN is needed: a COMMIT that ends the implicit transaction of a
 * query of several statements makes the server log "WARNING: there is no transaction
 * in progress", one a write (t9034 checks the log).
 */
#define WRITERS_LOCK_BEGIN                                                                         \
    "BEGIN; SELECT pg_advisory_lock(7242024); COMMIT; BEGIN ISOLATION LEVEL SERIALIZABLE"
#define WRITERS_UNLOCK "SELECT pg_advisory_unlock(7242024)"

struct pg_stmt {
    const char *name, *sql;
    int prepared; /* in the current session: a reconnection clears it */
    int run_once; /* run once unprepared, under the writers' lock (rt__pg_exec) */
};

struct rt_pg {
    PGconn *conn;
    struct pg_stmt *stmts;
    size_t nstmts, cap;
    int in_txn; /* inside rt__pg_transaction or a migration: no silent reconnect */
    int writer; /* holds the writers' lock: a SERIALIZABLE transaction is open */
    int audit;  /* seal the audit log's new entries at COMMIT (rt__pg_set_audit) */
    char *actor, *via;
    char *session; /* run after the setup of every session (rt__pg_set_session) */
    char sqlstate[6];
    long prepares, resets;
    /* A statement sent ahead (rt__pg_send) and not yet read: its name, and once read
     * its result, until rt__pg_take asks for it; any other use of the connection
     * reads it first and drops it (settle). */
    const char *ahead;
    int ahead_sent;
    PGresult *ahead_r;
};

static struct pg_stmt *find_stmt(struct rt_pg *pg, const char *name, const char *sql);

/* SQLSTATE that marks a lost connection (class 08, connection_failure). */
static const char lost_state[] = "08006";

/* Reads the result of a statement sent ahead, if any, into pg->ahead_r (the first
 * result; libpq's NULL ends them). */
static void ahead_read(struct rt_pg *pg)
{
    PGresult *r;

    if (!pg->ahead_sent)
        return;
    pg->ahead_sent = 0;
    while ((r = PQgetResult(pg->conn))) {
        if (!pg->ahead_r)
            pg->ahead_r = r;
        else
            PQclear(r);
    }
}

/* Before any other statement: the one sent ahead is read and dropped. */
static void settle(struct rt_pg *pg)
{
    ahead_read(pg);
    PQclear(pg->ahead_r);
    pg->ahead_r = NULL;
    pg->ahead = NULL;
}

PGconn *rt__pg_conn(struct rt_pg *pg)
{
    settle(pg);
    return pg->conn;
}

int rt__pg_send(struct rt_pg *pg, const char *name, const char *sql)
{
    struct pg_stmt *s;

    settle(pg);
    if (PQstatus(pg->conn) != CONNECTION_OK)
        return -1;
    s = find_stmt(pg, name, sql);
    if (!s->prepared || !PQsendQueryPrepared(pg->conn, name, 0, NULL, NULL, NULL, 0))
        return -1;
    pg->ahead = name;
    pg->ahead_sent = 1;
    return 0;
}

PGresult *rt__pg_take(struct rt_pg *pg, const char *name, const char *sql, struct rt_error *err)
{
    PGresult *r;

    if (pg->ahead && !strcmp(pg->ahead, name)) {
        ahead_read(pg);
        r = pg->ahead_r;
        pg->ahead_r = NULL;
        pg->ahead = NULL;
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            pg->sqlstate[0] = '\0';
            return r;
        }
        PQclear(r); /* a failure: as if it had not been sent (a reconnection, the error) */
    }
    return rt__pg_exec(pg, name, sql, 0, NULL, err);
}

const char *rt__pg_sqlstate(const struct rt_pg *pg)
{
    return pg->sqlstate;
}

long rt__pg_prepares(const struct rt_pg *pg)
{
    return pg->prepares;
}

long rt__pg_resets(const struct rt_pg *pg)
{
    return pg->resets;
}

/* libpq's message without its trailing newline, and with its lines joined. */
static void add_message(struct rt_buf *b, const char *msg)
{
    size_t len = msg ? strlen(msg) : 0;

    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    for (size_t i = 0; i < len; i++)
        rt_buf_addch(b, msg[i] == '\n' ? ' ' : msg[i]);
}

static int lost(const struct rt_pg *pg)
{
    return PQstatus(pg->conn) == CONNECTION_BAD;
}

/*
 * Fills err from a failed result r (may be NULL) of the statement what, and keeps
 * its SQLSTATE. A connection found dropped is said as such.
 */
static int pg_error(struct rt_pg *pg, const PGresult *r, const char *what, struct rt_error *err)
{
    struct rt_buf m = RT_BUF_INIT;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    int rc;

    if (lost(pg)) {
        memcpy(pg->sqlstate, lost_state, sizeof(pg->sqlstate));
        rt_buf_adds(&m, "lost the connection to PostgreSQL: ");
        add_message(&m, PQerrorMessage(pg->conn));
    } else {
        snprintf(pg->sqlstate, sizeof(pg->sqlstate), "%s", state ? state : "");
        rt_buf_adds(&m, "PostgreSQL: ");
        add_message(&m, primary ? primary : PQerrorMessage(pg->conn));
        if (detail) {
            rt_buf_adds(&m, " (");
            add_message(&m, detail);
            rt_buf_addch(&m, ')');
        }
        if (state)
            rt_buf_addf(&m, " [SQLSTATE %s]", state);
    }
    rc = rt_error_set(err, lost(pg) ? RT_EUNAVAIL : RT_ESTORE, NULL, 0, what, "%s", m.buf);
    rt_buf_release(&m);
    return rc;
}

/* PostgreSQL's notices (NOTICE: ... does not exist, skipping) are not errors and
 * go nowhere: the library prints nothing of its own on stderr. */
static void quiet(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

/* What every session needs, at connect and after a reconnection. */
static int setup_session(struct rt_pg *pg, struct rt_error *err)
{
    PGresult *r;
    int ok, rc = 0;

    if (PQsetClientEncoding(pg->conn, "UTF8") != 0)
        return pg_error(pg, NULL, "client encoding", err);
    r = PQexec(pg->conn, "SET TimeZone = 'UTC'; SET max_parallel_workers_per_gather = 0");
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        rc = pg_error(pg, r, "session setup", err);
    PQclear(r);
    if (ok && pg->session) {
        r = PQexec(pg->conn, pg->session);
        if (!(ok = PQresultStatus(r) == PGRES_COMMAND_OK))
            rc = pg_error(pg, r, "session setup", err);
        PQclear(r);
    }
    return rc;
}

void rt__pg_set_session(struct rt_pg *pg, const char *sql)
{
    rt_free(pg->session);
    pg->session = sql ? rt_xstrdup(sql) : NULL;
}

int rt__pg_connect(const char *conninfo, struct rt_pg **out, struct rt_error *err)
{
    struct rt_pg *pg;
    int rc;

    *out = NULL;
    if ((rc = rt__pq_load(err)) < 0)
        return rc;
    /* An address libpq cannot read is the caller's mistake (RT_EINVAL); a server that
     * does not answer is not (RT_EUNAVAIL). */
    {
        char *why = NULL;
        PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &why);
        if (!opts) {
            struct rt_buf m = RT_BUF_INIT;
            add_message(&m, why ? why : "out of memory");
            rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "cannot connect to PostgreSQL: %s", m.buf);
            rt_buf_release(&m);
            PQfreemem(why);
            return RT_EINVAL;
        }
        PQconninfoFree(opts);
    }
    pg = rt_xcalloc(1, sizeof(*pg));
    pg->conn = PQconnectdb(conninfo ? conninfo : "");
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        struct rt_buf m = RT_BUF_INIT;
        add_message(&m, PQerrorMessage(pg->conn));
        rt_error_set(err, RT_EUNAVAIL, NULL, 0, NULL, "cannot connect to PostgreSQL: %s", m.buf);
        rt_buf_release(&m);
        rt__pg_close(pg);
        return RT_EUNAVAIL;
    }
    PQsetNoticeProcessor(pg->conn, quiet, NULL);
    if ((rc = setup_session(pg, err)) < 0) {
        rt__pg_close(pg);
        return rc;
    }
    *out = pg;
    return 0;
}

void rt__pg_close(struct rt_pg *pg)
{
    if (!pg)
        return;
    settle(pg);
    PQfinish(pg->conn);
    rt_free(pg->stmts);
    rt_free(pg->actor);
    rt_free(pg->via);
    rt_free(pg->session);
    rt_free(pg);
}

/*
 * Re-establishes a dropped connection: a new session, so no statement is prepared in
 * it. The error, when the server stays unreachable, keeps what went wrong first
 * (why, may be NULL) and says that reconnecting failed too.
 */
static int reset(struct rt_pg *pg, const char *why, struct rt_error *err)
{
    settle(pg);
    PQreset(pg->conn);
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        /* why may be err's own message, which rt_error_set frees first: the whole
         * message is made before err is touched. */
        struct rt_buf m = RT_BUF_INIT;
        if (why)
            rt_buf_addf(&m, "%s; ", why);
        rt_buf_adds(&m, "the PostgreSQL server cannot be reached, reconnecting failed: ");
        add_message(&m, PQerrorMessage(pg->conn));
        memcpy(pg->sqlstate, lost_state, sizeof(pg->sqlstate));
        rt_error_set(err, RT_EUNAVAIL, NULL, 0, NULL, "%s", m.buf);
        rt_buf_release(&m);
        return RT_EUNAVAIL;
    }
    pg->resets++;
    pg->writer = 0; /* a new session holds no lock */
    for (size_t i = 0; i < pg->nstmts; i++)
        pg->stmts[i].prepared = 0;
    return setup_session(pg, err);
}

static struct pg_stmt *find_stmt(struct rt_pg *pg, const char *name, const char *sql)
{
    for (size_t i = 0; i < pg->nstmts; i++) {
        if (!strcmp(pg->stmts[i].name, name)) {
            if (strcmp(pg->stmts[i].sql, sql))
                RT_BUG("statement %s given two texts", name);
            return &pg->stmts[i];
        }
    }
    if (pg->nstmts == pg->cap) {
        pg->cap = pg->cap ? 2 * pg->cap : 32;
        pg->stmts = rt_xrealloc(pg->stmts, pg->cap * sizeof(*pg->stmts));
    }
    pg->stmts[pg->nstmts] = (struct pg_stmt){name, sql, 0, 0};
    return &pg->stmts[pg->nstmts++];
}

/* Whether a failure may be met by reconnecting and running the statement again. */
static int may_reconnect(struct rt_pg *pg, int attempt)
{
    return attempt == 0 && !pg->in_txn && lost(pg);
}

PGresult *rt__pg_exec(struct rt_pg *pg, const char *name, const char *sql, int n,
                      const char *const *values, struct rt_error *err)
{
    settle(pg);
    for (int attempt = 0;; attempt++) {
        struct pg_stmt *s = find_stmt(pg, name, sql);
        PGresult *r;
        ExecStatusType st;

        if (lost(pg) && may_reconnect(pg, attempt)) {
            if (reset(pg, NULL, err) < 0)
                return NULL;
            continue;
        }
        if (!s->prepared && pg->writer && !s->run_once) {
            /* Its first use holds the writers' lock: parsed and run in one round trip
             * rather than two (a command-line write runs each statement once); it is
             * prepared when it comes again. */
            s->run_once = 1;
            r = PQexecParams(pg->conn, sql, n, NULL, values, NULL, NULL, 0);
        } else if (!s->prepared) {
            r = PQprepare(pg->conn, name, sql, n, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                if (may_reconnect(pg, attempt)) {
                    PQclear(r);
                    if (reset(pg, NULL, err) < 0)
                        return NULL;
                    continue;
                }
                pg_error(pg, r, name, err);
                PQclear(r);
                return NULL;
            }
            PQclear(r);
            s->prepared = 1;
            pg->prepares++;
            r = PQexecPrepared(pg->conn, name, n, values, NULL, NULL, 0);
        } else {
            r = PQexecPrepared(pg->conn, name, n, values, NULL, NULL, 0);
        }
        st = PQresultStatus(r);
        if (r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) {
            pg->sqlstate[0] = '\0';
            return r;
        }
        if (may_reconnect(pg, attempt)) {
            PQclear(r);
            if (reset(pg, NULL, err) < 0)
                return NULL;
            continue;
        }
        pg_error(pg, r, name, err);
        PQclear(r);
        return NULL;
    }
}

/* PQexec of sql, reconnecting once outside a transaction; the result when it
 * succeeded (with rows or without), else NULL with err set. */
static PGresult *exec_plain(struct rt_pg *pg, const char *sql, const char *what,
                            struct rt_error *err)
{
    settle(pg);
    for (int attempt = 0;; attempt++) {
        PGresult *r;

        if (lost(pg) && may_reconnect(pg, attempt)) {
            if (reset(pg, NULL, err) < 0)
                return NULL;
            continue;
        }
        r = PQexec(pg->conn, sql);
        if (r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)) {
            pg->sqlstate[0] = '\0';
            return r;
        }
        if (may_reconnect(pg, attempt)) {
            PQclear(r);
            if (reset(pg, NULL, err) < 0)
                return NULL;
            continue;
        }
        pg_error(pg, r, what, err);
        PQclear(r);
        return NULL;
    }
}

int rt__pg_run(struct rt_pg *pg, const char *sql, struct rt_error *err)
{
    PGresult *r = exec_plain(pg, sql, NULL, err);

    if (!r)
        return RT_ESTORE;
    PQclear(r);
    return 0;
}

/* Whether the last error may go away when the transaction is run again. */
static int retryable(const struct rt_pg *pg)
{
    return !strcmp(pg->sqlstate, "40001") || !strcmp(pg->sqlstate, "40P01") ||
           !strcmp(pg->sqlstate, lost_state);
}

int rt__pg_conflict(const struct rt_pg *pg)
{
    return !strcmp(pg->sqlstate, "40001") || !strcmp(pg->sqlstate, "40P01");
}

/*
 * A random wait before the next try, up to a bound that doubles with each try
 * (4, 8, 16 ... ms, at most 250): clients that clashed do not clash again in step.
 */
void rt__pg_back_off(int attempt)
{
    struct timespec ts = {0, 0};
    uint32_t bound = 2u << (attempt < 6 ? attempt : 6), ms;

    if (bound > 250)
        bound = 250;
    if (sodium_init() < 0)
        ms = bound / 2;
    else
        ms = 1 + randombytes_uniform(bound);
    ts.tv_nsec = (long)ms * 1000000L;
    nanosleep(&ts, NULL);
}

/* Lets the next writer in (a lost connection has let go of the lock already). */
static void unlock(struct rt_pg *pg)
{
    settle(pg);
    if (pg->writer && !lost(pg))
        PQclear(PQexec(pg->conn, WRITERS_UNLOCK));
    pg->writer = 0;
}

/* Ends the transaction, if one is open: libpq knows without asking the server, and a
 * ROLLBACK outside one (after a failed COMMIT, which ended it) would leave a warning in
 * the server's log. */
static void rollback(struct rt_pg *pg)
{
    settle(pg);
    if (!lost(pg) && PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
        PQclear(PQexec(pg->conn, "ROLLBACK"));
    pg->in_txn = 0;
    unlock(pg);
}

void rt__pg_set_audit(struct rt_pg *pg, const char *actor, const char *via)
{
    rt_free(pg->actor);
    rt_free(pg->via);
    pg->actor = rt_xstrdup(actor ? actor : "rightstrack");
    pg->via = via ? rt_xstrdup(via) : NULL;
    pg->audit = 1;
}

/* A text column of row i of r, as the hash takes it (NULL for SQL NULL). */
static struct rt__audit_bytes column(const PGresult *r, int i, int c)
{
    struct rt__audit_bytes b = {NULL, 0};

    if (!PQgetisnull(r, i, c)) {
        b.ptr = PQgetvalue(r, i, c);
        b.len = (size_t)PQgetlength(r, i, c);
    }
    return b;
}

/* A SQL literal of v (NULL when v is NULL) at the end of b; -1 when libpq cannot
 * quote it (its encoding), with err set. */
static int add_literal(struct rt_pg *pg, struct rt_buf *b, const char *v, struct rt_error *err)
{
    char *q;

    if (!v) {
        rt_buf_adds(b, "NULL");
        return 0;
    }
    if (!(q = PQescapeLiteral(pg->conn, v, strlen(v))))
        return pg_error(pg, NULL, "audit seal", err);
    rt_buf_adds(b, q);
    PQfreemem(q);
    return 0;
}

/*
 * Seals the entries this transaction added to the audit log, as SQLite's trigger seals
 * each one (src/store/sqlite/audit.c): when, who, through what, the hash of the entry
 * sealed before it and its own (rt__audit_hash). Run under the writers' lock just
 * before COMMIT, so the entry before is the last one sealed and the chain never forks.
 * One round trip reads the new entries and the last sealed hash; the UPDATEs that seal
 * them are added to sql (their number to *updates), to go to the server with the COMMIT
 * (rt__pg_end).
 */
static int seal(struct rt_pg *pg, struct rt_buf *sql, int *updates, struct rt_error *err)
{
    PGresult *u;
    char prev[65] = "", at[24];
    time_t t = time(NULL);
    struct tm tm;
    int rc = 0;

    if (!(u = exec_plain(pg,
                         "SELECT id, tbl, op, record, ref1, ref2, before, after,"
                         " (SELECT hash FROM audit_log WHERE hash IS NOT NULL"
                         " ORDER BY id DESC LIMIT 1) FROM audit_log WHERE hash IS NULL ORDER BY id",
                         "audit seal", err)))
        return RT_ESTORE;
    if (PQntuples(u) && !PQgetisnull(u, 0, 8))
        snprintf(prev, sizeof(prev), "%s", PQgetvalue(u, 0, 8));
    if (!gmtime_r(&t, &tm) || !strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm))
        RT_BUG("cannot format the current time");
    for (int i = 0; i < PQntuples(u) && rc == 0; i++) {
        struct rt__audit_bytes f[RT__AUDIT_NFIELDS] = {
            [RT__AUDIT_PREV] = {*prev ? prev : NULL, strlen(prev)},
            [RT__AUDIT_AT] = {at, strlen(at)},
            [RT__AUDIT_ACTOR] = {pg->actor, strlen(pg->actor)},
            [RT__AUDIT_VIA] = {pg->via, pg->via ? strlen(pg->via) : 0},
            [RT__AUDIT_TABLE] = column(u, i, 1),
            [RT__AUDIT_OP] = column(u, i, 2),
            [RT__AUDIT_RECORD] = column(u, i, 3),
            [RT__AUDIT_REF1] = column(u, i, 4),
            [RT__AUDIT_REF2] = column(u, i, 5),
            [RT__AUDIT_BEFORE] = column(u, i, 6),
            [RT__AUDIT_AFTER] = column(u, i, 7),
        };
        char hash[65];

        rt__audit_hash(f, hash);
        rt_buf_addf(sql, "UPDATE audit_log SET at = '%s', actor = ", at);
        if ((rc = add_literal(pg, sql, pg->actor, err)) < 0)
            break;
        rt_buf_adds(sql, ", via = ");
        if ((rc = add_literal(pg, sql, pg->via, err)) < 0)
            break;
        rt_buf_addf(sql, ", prev_hash = %s%s%s, hash = '%s' WHERE id = %lld; ", *prev ? "'" : "",
                    *prev ? prev : "NULL", *prev ? "'" : "", hash,
                    strtoll(PQgetvalue(u, i, 0), NULL, 10));
        memcpy(prev, hash, sizeof(prev));
        (*updates)++;
    }
    PQclear(u);
    return rc;
}

int rt__pg_begin(struct rt_pg *pg, const char *isolation, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc;

    /* A writer waits for the one before it, outside any transaction: its snapshot then
     * holds every write before it, the audit log's last sealed entry among them. */
    if (isolation && !strcmp(isolation, "SERIALIZABLE") && !pg->writer) {
        rc = rt__pg_run(pg, WRITERS_LOCK_BEGIN, err);
        pg->writer = 1; /* after rt__pg_run, whose reconnection would clear it */
        if (rc == 0)
            pg->in_txn = 1;
        else
            rollback(pg); /* whatever part of it ran: no transaction, no lock */
        return rc;
    }
    rt_buf_adds(&sql, "BEGIN");
    if (isolation && *isolation)
        rt_buf_addf(&sql, " ISOLATION LEVEL %s", isolation);
    rc = rt__pg_run(pg, sql.buf, err);
    rt_buf_release(&sql);
    if (rc == 0)
        pg->in_txn = 1;
    else
        unlock(pg);
    return rc;
}

/*
 * A writer's end: the seals' UPDATEs (sql, updates of them), COMMIT and the unlock sent
 * together as one query, each statement's result read in turn. The server runs none
 * after one that fails: a failed UPDATE leaves the transaction to roll back, a failed
 * COMMIT (a serialization failure) ends it; either way the lock is let go after.
 */
static int commit_writer(struct rt_pg *pg, struct rt_buf *sql, int updates, struct rt_error *err)
{
    PGresult *r;
    int failed = 0, committed = 0, n = 0;

    rt_buf_adds(sql, "COMMIT; " WRITERS_UNLOCK);
    pg->sqlstate[0] = '\0';
    if (!PQsendQuery(pg->conn, sql->buf)) {
        pg_error(pg, NULL, "COMMIT", err);
        failed = 1;
    }
    while (!failed && (r = PQgetResult(pg->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            if (n++ == updates)
                committed = 1;
        } else if (!failed) {
            pg_error(pg, r, n < updates ? "audit seal" : "COMMIT", err);
            failed = 1;
        }
        PQclear(r);
    }
    while (failed && (r = PQgetResult(pg->conn))) /* what is left of the query */
        PQclear(r);
    if (committed) {
        pg->in_txn = 0;
        if (n > updates + 1) /* the unlock ran */
            pg->writer = 0;
        unlock(pg);
        return 0;
    }
    rollback(pg);
    return RT_ESTORE;
}

int rt__pg_end(struct rt_pg *pg, int commit, struct rt_error *err)
{
    struct rt_buf sql = RT_BUF_INIT;
    int rc, updates = 0;

    if (!commit) {
        rollback(pg);
        return 0;
    }
    if (pg->writer) {
        if (pg->audit && (rc = seal(pg, &sql, &updates, err)) < 0)
            rollback(pg);
        else
            rc = commit_writer(pg, &sql, updates, err);
        rt_buf_release(&sql);
        return rc;
    }
    rc = rt__pg_run(pg, "COMMIT", err);
    pg->in_txn = 0;
    unlock(pg);
    return rc;
}

int rt__pg_transaction(struct rt_pg *pg, rt_pg_txn_fn fn, void *ctx, int *tries,
                       struct rt_error *err)
{
    struct rt_error e = RT_ERROR_INIT;
    const char *note = "";
    int rc = 0, attempt;

    for (attempt = 1; attempt <= RT_PG_TRIES; attempt++) {
        if (tries)
            *tries = attempt;
        pg->sqlstate[0] = '\0';
        if (lost(pg) && (rc = reset(pg, e.msg.len ? e.msg.buf : NULL, &e)) < 0)
            break;
        if ((rc = rt__pg_begin(pg, "SERIALIZABLE", &e)) < 0)
            break;
        if ((rc = fn(pg, ctx, &e)) < 0) {
            rollback(pg);
            if (!retryable(pg))
                break;
            rt__pg_back_off(attempt);
            continue;
        }
        if ((rc = rt__pg_end(pg, 1, &e)) == 0) {
            rt_error_release(&e);
            return 0;
        }
        if (lost(pg)) {
            note = "; it happened during COMMIT, so whether the transaction was stored is unknown";
            break;
        }
        if (!retryable(pg))
            break;
        rt__pg_back_off(attempt);
    }
    /* e's code says whether the server was lost (RT_EUNAVAIL): kept for the caller. */
    if (e.code < 0)
        rc = e.code;
    if (attempt > RT_PG_TRIES)
        rt_error_set(err, rc < 0 ? rc : RT_ESTORE, e.file, e.line, e.field,
                     "gave up after %d tries: %s", RT_PG_TRIES, e.msg.buf);
    else
        rt_error_set(err, rc < 0 ? rc : RT_ESTORE, e.file, e.line, e.field, "%s%s", e.msg.buf,
                     note);
    rt_error_release(&e);
    return rc < 0 && attempt <= RT_PG_TRIES ? rc : RT_ESTORE;
}
