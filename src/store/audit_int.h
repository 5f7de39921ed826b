/*
 * The audit log's parts that both stores share (src/store/audit_read.c): the tables it
 * follows, and the hooks of SQLite's own half (src/store/sqlite/audit.c: its triggers,
 * made in SQL, and its connection's state).
 */
#ifndef RT_STORE_AUDIT_INT_H
#define RT_STORE_AUDIT_INT_H

#include <rightstrack/audit.h>
#include <rightstrack/rt.h>

/*
 * A table whose rows the log follows. In each expression "$." stands for the row
 * (NEW., OLD. or a plain table alias): record is how the command line names the row,
 * ref1 and ref2 the records it belongs to or joins (history of those shows it too).
 * skip lists columns never logged (secrets, and what changes on every use), between
 * commas. A table missing from the database (accounts before their migration) is left
 * out. PostgreSQL's triggers take the same names as templates (rt__audit_template).
 */
struct rt__audited {
    const char *table, *record, *ref1, *ref2, *skip;
};
extern const struct rt__audited rt__audited[];
extern const size_t rt__n_audited;

/* "insert", "update", "delete": the operations a trigger logs, in this order. */
extern const char *const rt__audit_ops[3];

/* Appends expr with "$." replaced by prefix (which may be ""); "NULL" for no expr. */
void rt__audit_expr(struct rt_buf *b, const char *expr, const char *prefix);

/* Whether the database has table (0 or 1 into *out). */
int rt__audit_table_exists(struct rt_store *st, const char *table, int *out, struct rt_error *err);

/* Adds a finding to r. */
RT_PRINTF(5, 6)
void rt__audit_finding(struct rt_audit_report *r, const char *kind, int64_t entry,
                       const char *record, const char *fmt, ...);

/*
 * The SELECT that compares a's table with the log: one row for every record whose
 * current state (now, NULL when gone) differs from the "after" of the last sealed
 * entry about it (logged, NULL when none or deleted): record, ref1, ref2, logged,
 * now, the entry's id (NULL when none) and its op, by record in byte order.
 */
int rt__audit_replay_sql(struct rt_store *st, const struct rt__audited *a, struct rt_buf *b,
                         struct rt_error *err);

/* SQLite's half (sqlite/audit.c): a's row as json_object() of its logged columns,
 * prefix"col" each; the check of its triggers; whether no transaction is open. */
int rt__sqlite_audit_row_json(struct rt_store *st, const struct rt__audited *a, const char *prefix,
                              struct rt_buf *b, struct rt_error *err);
int rt__sqlite_audit_triggers(struct rt_store *st, struct rt_audit_report *r, struct rt_error *err);
int rt__sqlite_idle(struct rt_store *st);

#endif
