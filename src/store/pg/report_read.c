/*
 * The reports on PostgreSQL: the statements of src/store/report_sql.h in PostgreSQL's
 * words (src/store/report_read.c runs them through src/store/sql.h). PostgreSQL cannot
 * tell the type of a parameter first met in "?9 IS NULL", so each parameter is cast
 * where it stands (rt__report_sql_params).
 */
#include "base/compat.h"

#include <pthread.h>

#include "store/pg/json_sql.h"
#include "store/report_sql.h"

#pragma GCC diagnostic ignored "-Woverlength-strings"

static char *typed[2];
static pthread_once_t typed_once = PTHREAD_ONCE_INIT;

static void make_typed(void)
{
    typed[0] = rt__report_sql_params(REPORT_IDS_SQL, '3', 1);
    typed[1] = rt__report_sql_params(REPORT_RECS_SQL, '5', 1);
}

const char *rt__pg_report_sql(int which)
{
    pthread_once(&typed_once, make_typed);
    return typed[which ? 1 : 0];
}
