/*
 * The names of records (lookup.h) on SQLite: the statements of src/store/lookup_sql.h
 * in SQLite's words (src/store/lookup.c runs them).
 */
#include "base/compat.h"

#include <string.h>

#include "store/sqlite/json_sql.h"
#include "store/lookup_sql.h"

const char *rt__sqlite_lookup_sql(const char *kind)
{
    for (size_t i = 0; kind && i < RT_ARRAY_SIZE(lookup_kinds); i++)
        if (!strcmp(lookup_kinds[i].kind, kind))
            return lookup_kinds[i].sql;
    return NULL;
}
