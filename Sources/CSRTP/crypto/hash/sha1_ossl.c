/*
 * sha1_ossl.c
 *
 * wagate: libsrtp's SHA-1 interface (sha1.h) over OpenSSL's SHA1_Init,
 * SHA1_Update and SHA1_Final, in place of libsrtp's portable sha1.c. libsrtp's
 * own hmac.c keeps the inner and outer pad states and copies them per packet,
 * so an SRTP authentication tag costs no allocation and no lock, and the
 * compression function is OpenSSL's assembly. Same licence as libsrtp
 * (BSD-3-Clause, LICENSE beside this directory).
 */

#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

/* SHA1_* are deprecated in OpenSSL 3 in favour of EVP, whose HMAC allocates a
 * digest context per MAC in 3.0; the low-level calls are still exported. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "sha1.h"

srtp_debug_module_t srtp_mod_sha1 = {
    0,                  /* debugging is off by default */
    "sha-1 openssl"     /* printable module name       */
};

void srtp_sha1_init(srtp_sha1_ctx_t *ctx)
{
    SHA1_Init(ctx);
}

void srtp_sha1_update(srtp_sha1_ctx_t *ctx, const uint8_t *M, int octets_in_msg)
{
    if (octets_in_msg > 0) {
        SHA1_Update(ctx, M, (size_t)octets_in_msg);
    }
}

void srtp_sha1_final(srtp_sha1_ctx_t *ctx, uint32_t output[5])
{
    SHA1_Final((unsigned char *)output, ctx);
}
