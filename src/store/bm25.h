/*
 * bm25 as SQLite's FTS5 computes it (k1 = 1.2, b = 0.75), for every store that ranks
 * in C: src/store/sqlite/rank.c and postings.c, src/store/pg/text.c. Each piece is
 * the very expression FTS5 evaluates, so that a sum of them in the same order is the
 * same double as its bm25().
 */
#ifndef RT_STORE_BM25_H
#define RT_STORE_BM25_H

#include <math.h>

/* The IDF of a phrase that hits of the index's rows rows match (never 0 or less). */
static inline double rt__bm25_idf(double rows, double hits)
{
    double idf = log((rows - hits + 0.5) / (hits + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

/* A phrase's share of a row's score: freq hits of it in a row of dl tokens. */
static inline double rt__bm25_part(double idf, double freq, double dl, double avgdl)
{
    const double k1 = 1.2, b = 0.75;
    return idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * dl / avgdl)));
}

#endif
