/*
 * libsrtp 2.5.0 build configuration for wagate: Linux (glibc), x86_64 or
 * arm64, OpenSSL 3 as the crypto backend (AES-CM and AES-GCM through EVP,
 * so AES-NI or the ARMv8 crypto extensions where the CPU has them, and
 * HMAC-SHA1 through EVP_MAC). Written by hand in place of the configure
 * or meson output; the names are the ones libsrtp's config_in.h defines.
 */
#ifndef WAGATE_LIBSRTP_CONFIG_H
#define WAGATE_LIBSRTP_CONFIG_H

#define PACKAGE_VERSION "2.5.0"
#define PACKAGE_STRING "libsrtp2 2.5.0"

#define OPENSSL 1
#define GCM 1
#define USE_EXTERNAL_CRYPTO 1

#if defined(__x86_64__) || defined(__i386__)
#define CPU_CISC 1
#define HAVE_X86 1
#else
#define CPU_RISC 1
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WORDS_BIGENDIAN 1
#endif

#define HAVE_ARPA_INET_H 1
#define HAVE_BYTESWAP_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_NETINET_IN_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_UNISTD_H 1
#define HAVE_INET_ATON 1
#define HAVE_INET_PTON 1
#define HAVE_SIGACTION 1
#define HAVE_SOCKET 1
#define HAVE_USLEEP 1

#define HAVE_INT8_T 1
#define HAVE_UINT8_T 1
#define HAVE_INT16_T 1
#define HAVE_UINT16_T 1
#define HAVE_INT32_T 1
#define HAVE_UINT32_T 1
#define HAVE_UINT64_T 1
#define HAVE_UNSIGNED_LONG 1
#define HAVE_UNSIGNED_LONG_LONG 1
#define SIZEOF_UNSIGNED_LONG 8
#define SIZEOF_UNSIGNED_LONG_LONG 8

#endif
