/* What a word is made of: one definition for the tokenizer and the shingles. */
#ifndef RT_TEXT_INT_H
#define RT_TEXT_INT_H

#include <utf8proc.h>

/*
 * An ASCII letter or digit: the word characters below 0x80. Lower-case of a
 * character c for which this holds is c | 0x20 (digits have that bit already).
 */
static inline int rt__ascii_alnum(unsigned c)
{
    return (c | 0x20) - 'a' < 26 || c - '0' < 10;
}

/*
 * A character that is part of a word: a letter, a mark or a number in Unicode's
 * general categories (L*, M*, N*), so an accented letter decomposed into a base
 * and a combining mark stays one word. Everything else (punctuation, symbols,
 * spaces, controls, unassigned code points) separates words. The shingles use
 * this alone; the tokenizer refines it with rt__char_class.
 */
static inline int rt__word_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return rt__ascii_alnum((unsigned)cp);
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* What the tokenizer makes of a character. */
enum rt__char_class {
    RT__SEP,  /* ends the word before it */
    RT__WORD, /* rt__word_cp: part of a word */
    RT__IDEO, /* a CJK ideograph or kana: a word of its own, as there are no spaces */
    RT__APOS  /* ' or U+2019: inside a word, dropped and the parts joined ("don't");
                 elsewhere a separator */
};

/*
 * The tokenizer's class of cp. Ideographs and kana come before rt__word_cp (most
 * of them are letters to Unicode), apostrophes before it too (they are
 * punctuation to Unicode).
 */
static inline enum rt__char_class rt__char_class(utf8proc_int32_t cp)
{
    if (cp < 0x80) {
        if (rt__ascii_alnum((unsigned)cp))
            return RT__WORD;
        return cp == '\'' ? RT__APOS : RT__SEP;
    }
    if (cp == 0x2019)
        return RT__APOS;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0x20000 && cp <= 0x2FFFF))
        return RT__IDEO;
    return rt__word_cp(cp) ? RT__WORD : RT__SEP;
}

#endif
