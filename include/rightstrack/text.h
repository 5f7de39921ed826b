/*
 * Pure text functions: Unicode clean-up, name keys, and the word tokenizer that the
 * full-text index and the query parser share. No I/O.
 */
#ifndef RIGHTSTRACK_TEXT_H
#define RIGHTSTRACK_TEXT_H

#include <rightstrack/rt.h>

/*
 * Appends s (UTF-8) to out in NFC, with every run of white space (ASCII and
 * Unicode separators) folded to one space and no leading or trailing space.
 * Returns RT_EINVAL for invalid UTF-8 (out unchanged), RT_ETOOBIG past out->max.
 */
RT_API int rt_text_clean(const char *s, size_t len, struct rt_buf *out);

/* Returns 1 when s is valid UTF-8, else 0. */
RT_API int rt_text_valid_utf8(const char *s, size_t len);

/*
 * The one rule for text that comes in, by any way (command line, API, forms, CSV
 * import, restore): s must be valid UTF-8 and hold no control character but tab,
 * line feed, and carriage return as the first half of a CRLF line end (C0, DEL and
 * C1 are refused; ESC and BEL would reach terminals). Returns 0, or RT_EINVAL with
 * err naming field ("text" when NULL) and the byte (counted from 1) at fault.
 */
RT_API int rt_text_check(const char *field, const char *s, size_t len, struct rt_error *err);

/*
 * Appends s to out with what rt_text_check refuses (bytes that are not UTF-8, control
 * characters) each replaced by U+FFFD, so that text a database held before the rule
 * cannot send escape sequences to a terminal. Never fails (past out->max it stops).
 */
RT_API void rt_text_printable(const char *s, size_t len, struct rt_buf *out);

/*
 * Appends the match key of a name to out: HTML numeric entities decoded, accents
 * removed, lower case, "&" read as "and", every run of other characters than
 * ASCII letters and digits one space, trimmed, a leading "the " dropped.
 * "Côte d'Ivoire" and "Cote d’Ivoire" both give "cote d ivoire". Returns 0, or
 * RT_EINVAL for invalid UTF-8 (after entities are decoded), out then unchanged.
 */
RT_API int rt_text_name_key(const char *s, size_t len, struct rt_buf *out);

/*
 * The word tokenizer: runs of letters and digits (apostrophes inside a word are
 * dropped), NFKC, case-folded, accents removed, then stemmed with Snowball for
 * the language. Each CJK ideograph is a token of its own. Not thread-safe: use
 * one tokenizer per thread.
 */
struct rt_tokenizer;

/* Called for each token: the term, the byte span [start, end) it came from, and
 * whether it sits at the same position as the token before it (a word given with
 * RT_TOKENIZE_NEW_WORDS). A non-zero return stops tokenizing and is
 * passed back by rt_tokenize. */
typedef int (*rt_token_fn)(void *ctx, const char *term, size_t term_len, size_t start, size_t end,
                           int colocated);

enum rt_tokenize_flags {
    /* Give the last token as its folded word, not stemmed: a query prefix. */
    RT_TOKENIZE_LAST_UNSTEMMED = 1 << 0,
    /* After a stem that differs from its word, also give the word itself (folded,
     * not stemmed, colocated), but only the first time this tokenizer meets it with
     * this flag (since it was made, or rt_tokenizer_forget): the full-text index
     * keeps a table of words and their stems this way (fts.c). */
    RT_TOKENIZE_NEW_WORDS = 1 << 1,
};

/* Returns a new tokenizer for a Snowball language ("english"), or for no stemming
 * when lang is NULL or "none"; NULL when the language is unknown. Free with
 * rt_tokenizer_free. */
RT_API struct rt_tokenizer *rt_tokenizer_new(const char *lang);
/* Frees t with its stemmer and stem cache; NULL is allowed. */
RT_API void rt_tokenizer_free(struct rt_tokenizer *t);
/* Makes RT_TOKENIZE_NEW_WORDS give every word again, as if never met. */
RT_API void rt_tokenizer_forget(struct rt_tokenizer *t);
/* Tokenizes s (flags from enum rt_tokenize_flags); returns 0, or the first non-zero
 * value fn returned. Invalid UTF-8 bytes are treated as separators. A term given
 * to fn is borrowed until fn returns. */
RT_API int rt_tokenize(struct rt_tokenizer *t, const char *s, size_t len, unsigned flags,
                       rt_token_fn fn, void *ctx);

/*
 * Word shingles and an exact set-similarity join, for finding recommendations made
 * again (docs/repeats.md). A word is a run of letters (with their combining marks)
 * and digits of any kind, after NFKC and case folding (utf8proc); there is no
 * stemming and no accent removal. The shingles of a text are its runs of three
 * consecutive words; a text of one or two words has one shingle, the whole word
 * sequence, and a text with no word has none. Each shingle is a 64-bit hash.
 */

/*
 * Sets *out to a new array (free it with rt_free) of the distinct shingle hashes
 * of s, sorted in increasing order, and *out_n to their number. A text with no
 * word gives *out NULL and *out_n 0. Invalid UTF-8 bytes separate words. Never
 * fails: returns 0.
 */
RT_API int rt_text_shingles(const char *s, size_t len, uint64_t **out, size_t *out_n);

/* |a & b| / |a | b| of two sets sorted in increasing order without repeats
 * (as rt_text_shingles gives them); 0 when both are empty. */
RT_API double rt_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* A pair found by rt_shingle_join: indexes into its input, a < b. */
struct rt_sim_pair {
    uint32_t a, b;
    double jaccard; /* overlap / union, computed as (double)overlap / (double)union */
};

/*
 * Finds every pair of sets whose Jaccard similarity is at least threshold, exactly:
 * no pair is missed and none is reported below the threshold (the comparison is
 * (double)overlap / (double)union >= threshold). sets[i] holds lens[i] values
 * sorted in increasing order without repeats; empty sets pair with nothing. Uses
 * a prefix, length and position filter (PPJoin) and verifies every candidate.
 * Sets *out to a new array (rt_free) sorted by a then b, NULL when there is no
 * pair, and *out_n to its length. RT_EINVAL when threshold is not in (0, 1] or
 * n is 2^32 or more.
 */
RT_API int rt_shingle_join(const uint64_t *const *sets, const size_t *lens, size_t n,
                           double threshold, struct rt_sim_pair **out, size_t *out_n);

#endif
