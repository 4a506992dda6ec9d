// See include/openssl_shims.h.
#include "openssl_shims.h"

uint64_t openssl_shim_ctx_set_options(SSL_CTX *ctx, uint64_t options) { return SSL_CTX_set_options(ctx, options); }
uint64_t openssl_shim_op_no_query_mtu(void) { return SSL_OP_NO_QUERY_MTU; }
int openssl_shim_dtls_get_timeout(SSL *ssl, struct timeval *tv) { return (int)DTLSv1_get_timeout(ssl, tv); }
int openssl_shim_dtls_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
long openssl_shim_dtls_set_link_mtu(SSL *ssl, long mtu) { return DTLS_set_link_mtu(ssl, mtu); }
long openssl_shim_bio_set_mem_eof_return(BIO *bio, long value) { return BIO_set_mem_eof_return(bio, value); }
EVP_PKEY *openssl_shim_ec_p256_generate(void) { return EVP_EC_gen("P-256"); }
long openssl_shim_ctx_set_min_proto_version(SSL_CTX *ctx, int version) { return SSL_CTX_set_min_proto_version(ctx, version); }
long openssl_shim_ctx_set_max_proto_version(SSL_CTX *ctx, int version) { return SSL_CTX_set_max_proto_version(ctx, version); }
