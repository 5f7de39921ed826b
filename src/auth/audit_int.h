/* The audit log's hash, shared by the store that seals entries and the check. */
#ifndef RT_AUTH_AUDIT_INT_H
#define RT_AUTH_AUDIT_INT_H

#include <stddef.h>

/* The fields of an entry that its hash covers, in this order. */
enum rt__audit_field {
    RT__AUDIT_PREV, /* the hex hash of the sealed entry before, or NULL */
    RT__AUDIT_AT,
    RT__AUDIT_ACTOR,
    RT__AUDIT_VIA,
    RT__AUDIT_TABLE,
    RT__AUDIT_OP,
    RT__AUDIT_RECORD,
    RT__AUDIT_REF1,
    RT__AUDIT_REF2,
    RT__AUDIT_BEFORE,
    RT__AUDIT_AFTER,
    RT__AUDIT_NFIELDS
};

/* A field's bytes; ptr NULL for SQL NULL (which differs from ""). */
struct rt__audit_bytes {
    const void *ptr;
    size_t len;
};

/*
 * Writes to out (65 bytes) the lowercase hex BLAKE2b-256 (libsodium's
 * crypto_generichash) of a version tag followed by each field as one byte (0 for
 * NULL, 1 otherwise), its length as 8 bytes big-endian, and its bytes. The lengths
 * make the encoding unambiguous: no two different entries give the same bytes.
 * Cannot fail.
 */
void rt__audit_hash(const struct rt__audit_bytes f[RT__AUDIT_NFIELDS], char out[65]);

#endif
