// One-line forwarders for OpenSSL 3.0 function-like macros that Swift cannot
// import (DTLS timers, MTU, memory BIO EOF, EC key generation, option bits).
// Ownership follows OpenSSL's own rules for the wrapped call; no logic here.
#ifndef WAGATE_OPENSSL_SHIMS_H
#define WAGATE_OPENSSL_SHIMS_H
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <sys/time.h>

uint64_t openssl_shim_ctx_set_options(SSL_CTX *ctx, uint64_t options);
uint64_t openssl_shim_op_no_query_mtu(void);
int openssl_shim_dtls_get_timeout(SSL *ssl, struct timeval *tv);
int openssl_shim_dtls_handle_timeout(SSL *ssl);
long openssl_shim_dtls_set_link_mtu(SSL *ssl, long mtu);
long openssl_shim_bio_set_mem_eof_return(BIO *bio, long value);
/// A new ECDSA P-256 key, owned by the caller (EVP_PKEY_free).
EVP_PKEY *openssl_shim_ec_p256_generate(void);
/// Forwarders for the protocol-version macros (DTLS module: pins DTLS 1.2).
long openssl_shim_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
long openssl_shim_ctx_set_max_proto_version(SSL_CTX *ctx, int version);

#endif
