/*
 * The names of records (lookup.h) on PostgreSQL: the statements of
 * src/store/lookup_sql.h in PostgreSQL's words, each parameter cast where it stands (?1
 * text, the others bigint), for PostgreSQL cannot tell the type of one first met in
 * "?1 IS NULL". Made once a process; src/store/lookup.c runs them.
 */
#include "base/compat.h"

#include <pthread.h>
#include <string.h>

#include "store/pg/json_sql.h"
#include "store/lookup_sql.h"
#include "store/report_sql.h"

static char *typed[RT_ARRAY_SIZE(lookup_kinds)];
static pthread_once_t typed_once = PTHREAD_ONCE_INIT;

/* PostgreSQL refuses a parameter that its statement does not use, and sql.h sends all
 * four: a statement that does without one is wrapped in a query that names it. */
static void make_typed(void)
{
    for (size_t i = 0; i < RT_ARRAY_SIZE(lookup_kinds); i++) {
        const char *sql = lookup_kinds[i].sql;
        struct rt_buf b = RT_BUF_INIT;
        char p[3] = "?0";
        int wrap = 0;

        for (p[1] = '1'; p[1] <= '4'; p[1]++)
            wrap |= !strstr(sql, p);
        if (wrap)
            rt_buf_addf(&b,
                        "SELECT q.* FROM (%s) q WHERE ?1 IS NULL OR ?2 IS NULL OR ?3 IS NULL"
                        " OR ?4 IS NULL OR true",
                        sql);
        else
            rt_buf_adds(&b, sql);
        typed[i] = rt__sql_typed(b.buf, "tiii");
        rt_buf_release(&b);
    }
}

const char *rt__pg_lookup_sql(const char *kind)
{
    pthread_once(&typed_once, make_typed);
    for (size_t i = 0; kind && i < RT_ARRAY_SIZE(lookup_kinds); i++)
        if (!strcmp(lookup_kinds[i].kind, kind))
            return typed[i];
    return NULL;
}
