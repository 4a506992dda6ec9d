// OpenSSL 3.0 (Debian libssl-dev) as a Clang module: DTLS, X.509, EC keys, HMAC.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/srtp.h>
