/*
 * Private records (private.h) inside the store: what a reader who may not see them
 * reads instead of each table, the same views for both back ends. Each back end makes
 * them its own way (src/store/sqlite/private.c, src/store/pg/private.c) and makes its
 * connection read them for RT_READER_PUBLIC.
 */
#ifndef RT_STORE_PRIVATE_INT_H
#define RT_STORE_PRIVATE_INT_H

#include <stddef.h>

#include <rightstrack/rt.h>

/* The tables a reader who may not see private records reads through a view. */
extern const char *const rt__private_shadowed[];
extern const size_t rt__private_n_shadowed;

/*
 * Appends to out the statement that makes the i-th view (of rt__private_shadowed):
 * create ("CREATE TEMP VIEW IF NOT EXISTS", "CREATE OR REPLACE TEMP VIEW"), the
 * table's name, " AS " and its rows minus the private ones, each table of the
 * database named schema.table (schema: "main", or PostgreSQL's schema of the tables,
 * quoted as an identifier when it must be).
 */
void rt__private_view(struct rt_buf *out, size_t i, const char *create, const char *schema);

#endif
