/*
 * libpq, loaded when a PostgreSQL store is first opened (dlopen), not when the
 * program starts: libpq brings 20 of the command line's 44 libraries (Kerberos,
 * LDAP, GnuTLS and theirs), whose mapping and relocation were about 14 ms of every
 * command's start, a search of a SQLite store included (bench/README.md, issue 21).
 * After this header, each PQ function of libpq-fe.h that the store calls is the
 * pointer of the same name in rt__pq, set by rt__pq_load. Only pg_int.h includes it.
 */
#ifndef RT_STORE_PG_PQ_H
#define RT_STORE_PG_PQ_H

#include <rightstrack/rt.h>

#include <libpq-fe.h>

/* The functions of libpq the store calls, with their own types. */
struct rt__pq_api {
    __typeof__(&PQclear) f_PQclear;
    __typeof__(&PQcmdTuples) f_PQcmdTuples;
    __typeof__(&PQconnectdb) f_PQconnectdb;
    __typeof__(&PQconninfoFree) f_PQconninfoFree;
    __typeof__(&PQconninfoParse) f_PQconninfoParse;
    __typeof__(&PQdb) f_PQdb;
    __typeof__(&PQerrorMessage) f_PQerrorMessage;
    __typeof__(&PQescapeLiteral) f_PQescapeLiteral;
    __typeof__(&PQexec) f_PQexec;
    __typeof__(&PQexecParams) f_PQexecParams;
    __typeof__(&PQexecPrepared) f_PQexecPrepared;
    __typeof__(&PQfinish) f_PQfinish;
    __typeof__(&PQfreemem) f_PQfreemem;
    __typeof__(&PQftype) f_PQftype;
    __typeof__(&PQgetisnull) f_PQgetisnull;
    __typeof__(&PQgetlength) f_PQgetlength;
    __typeof__(&PQgetResult) f_PQgetResult;
    __typeof__(&PQgetvalue) f_PQgetvalue;
    __typeof__(&PQnfields) f_PQnfields;
    __typeof__(&PQntuples) f_PQntuples;
    __typeof__(&PQprepare) f_PQprepare;
    __typeof__(&PQputCopyData) f_PQputCopyData;
    __typeof__(&PQputCopyEnd) f_PQputCopyEnd;
    __typeof__(&PQreset) f_PQreset;
    __typeof__(&PQresultErrorField) f_PQresultErrorField;
    __typeof__(&PQresultErrorMessage) f_PQresultErrorMessage;
    __typeof__(&PQresultStatus) f_PQresultStatus;
    __typeof__(&PQsendQuery) f_PQsendQuery;
    __typeof__(&PQsendQueryPrepared) f_PQsendQueryPrepared;
    __typeof__(&PQsetClientEncoding) f_PQsetClientEncoding;
    __typeof__(&PQsetNoticeProcessor) f_PQsetNoticeProcessor;
    __typeof__(&PQsetSingleRowMode) f_PQsetSingleRowMode;
    __typeof__(&PQstatus) f_PQstatus;
    __typeof__(&PQtransactionStatus) f_PQtransactionStatus;
};

extern struct rt__pq_api rt__pq;

/*
 * Loads libpq (once per process, whichever thread asks first) and sets rt__pq.
 * Returns 0, or RT_ESTORE with err saying that libpq could not be loaded (then
 * PostgreSQL stores cannot be opened; SQLite ones do not need it).
 */
int rt__pq_load(struct rt_error *err);

#define PQclear (rt__pq.f_PQclear)
#define PQcmdTuples (rt__pq.f_PQcmdTuples)
#define PQconnectdb (rt__pq.f_PQconnectdb)
#define PQconninfoFree (rt__pq.f_PQconninfoFree)
#define PQconninfoParse (rt__pq.f_PQconninfoParse)
#define PQdb (rt__pq.f_PQdb)
#define PQerrorMessage (rt__pq.f_PQerrorMessage)
#define PQescapeLiteral (rt__pq.f_PQescapeLiteral)
#define PQexec (rt__pq.f_PQexec)
#define PQexecParams (rt__pq.f_PQexecParams)
#define PQexecPrepared (rt__pq.f_PQexecPrepared)
#define PQfinish (rt__pq.f_PQfinish)
#define PQfreemem (rt__pq.f_PQfreemem)
#define PQftype (rt__pq.f_PQftype)
#define PQgetisnull (rt__pq.f_PQgetisnull)
#define PQgetlength (rt__pq.f_PQgetlength)
#define PQgetResult (rt__pq.f_PQgetResult)
#define PQgetvalue (rt__pq.f_PQgetvalue)
#define PQnfields (rt__pq.f_PQnfields)
#define PQntuples (rt__pq.f_PQntuples)
#define PQprepare (rt__pq.f_PQprepare)
#define PQputCopyData (rt__pq.f_PQputCopyData)
#define PQputCopyEnd (rt__pq.f_PQputCopyEnd)
#define PQreset (rt__pq.f_PQreset)
#define PQresultErrorField (rt__pq.f_PQresultErrorField)
#define PQresultErrorMessage (rt__pq.f_PQresultErrorMessage)
#define PQresultStatus (rt__pq.f_PQresultStatus)
#define PQsendQuery (rt__pq.f_PQsendQuery)
#define PQsendQueryPrepared (rt__pq.f_PQsendQueryPrepared)
#define PQsetClientEncoding (rt__pq.f_PQsetClientEncoding)
#define PQsetNoticeProcessor (rt__pq.f_PQsetNoticeProcessor)
#define PQsetSingleRowMode (rt__pq.f_PQsetSingleRowMode)
#define PQstatus (rt__pq.f_PQstatus)
#define PQtransactionStatus (rt__pq.f_PQtransactionStatus)

#endif
