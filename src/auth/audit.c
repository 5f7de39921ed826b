/* The audit log's hash chain: BLAKE2b over an unambiguous encoding of an entry. */
#include "base/compat.h"

#include <pthread.h>

#include <sodium.h>

#include "auth/audit_int.h"

static void sodium_setup(void)
{
    if (sodium_init() < 0)
        RT_BUG("libsodium cannot start");
}

void rt__audit_hash(const struct rt__audit_bytes f[RT__AUDIT_NFIELDS], char out[65])
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    static const char tag[] = "rightstrack audit log 1";
    crypto_generichash_state s;
    unsigned char h[32];

    pthread_once(&once, sodium_setup);
    crypto_generichash_init(&s, NULL, 0, sizeof(h));
    crypto_generichash_update(&s, (const unsigned char *)tag, sizeof(tag) - 1);
    for (int i = 0; i < RT__AUDIT_NFIELDS; i++) {
        unsigned char head[9];
        uint64_t len = f[i].ptr ? (uint64_t)f[i].len : 0;
        head[0] = f[i].ptr ? 1 : 0;
        for (int k = 0; k < 8; k++)
            head[1 + k] = (unsigned char)(len >> (56 - 8 * k));
        crypto_generichash_update(&s, head, sizeof(head));
        if (len)
            crypto_generichash_update(&s, f[i].ptr, (size_t)len);
    }
    crypto_generichash_final(&s, h, sizeof(h));
    sodium_bin2hex(out, 65, h, sizeof(h));
}
