/* The library's one string hash (FNV-1a) and one 64-bit mixer (MurmurHash3's fmix64). */
#ifndef RT_HASH_H
#define RT_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The values these give decide where things go or are kept: the string map's
 * slots, the tokenizer's stem cache, the shingles of near-duplicate search, the
 * feature buckets of every trained theme model in a store. Changing a
 * constant or a shift here changes all of them; a model trained before would then
 * predict from the wrong buckets. So they are defined once, here, and never changed.
 */

/* FNV-1a (64-bit): the hash of no bytes, and the multiplier per byte. */
#define RT__FNV1A_INIT 1469598103934665603ULL
#define RT__FNV1A_PRIME 1099511628211ULL

/* Continues the FNV-1a hash h with one more byte c. */
static inline uint64_t rt__fnv1a_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * RT__FNV1A_PRIME;
}

/* Continues the FNV-1a hash h with len bytes at p (start with RT__FNV1A_INIT). */
static inline uint64_t rt__fnv1a(uint64_t h, const void *p, size_t len)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < len; i++)
        h = rt__fnv1a_byte(h, s[i]);
    return h;
}

/*
 * The hash of the string map (base/strmap.h), the stem cache and the SQLite
 * store's statement and row caches: FNV-1a of len bytes at p, its high bits
 * folded into the low ones that pick a slot.
 */
static inline uint64_t rt__hash(const void *p, size_t len)
{
    uint64_t h = rt__fnv1a(RT__FNV1A_INIT, p, len);

    return h ^ (h >> 29);
}

/*
 * The first half of MurmurHash3's 64-bit finaliser fmix64 (one xor-shift, one
 * multiply, one xor-shift). The theme classifier takes its feature buckets from
 * the low bits of this, so it stays as it is.
 */
static inline uint64_t rt__mix64_half(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/*
 * MurmurHash3's fmix64: a bijection on 64 bits in which every input bit moves
 * every output bit.
 */
static inline uint64_t rt__mix64(uint64_t h)
{
    h = rt__mix64_half(h);
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
