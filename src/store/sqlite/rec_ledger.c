/* What the dialogue ledger links to one recommendation: rounds, topics, asks, steps and
 * its assessments, as one JSON document built by one SQL statement (LEDGER_REC_SQL,
 * src/store/ledger_sql.h, which the PostgreSQL back end runs too). */
#include "base/compat.h"

#include <rightstrack/ledger.h>

#include "store/sqlite/json_sql.h"
#include "store/ledger_sql.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

int rt__sqlite_rec_ledger(struct rt_store *st, int64_t rec_id, const char *as_of, json_t **out,
                          struct rt_error *err)
{
    return rt__document(st, LEDGER_REC_SQL, rec_id, as_of, "recommendation", out, err);
}
