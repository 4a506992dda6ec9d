#!/usr/bin/env python3
"""Independent SRTP/SRTCP reference (RFC 3711, RFC 7714) built on Python's
`cryptography` package, used once to compute the known-answer vectors pinned in
SRTPKnownAnswerTests.swift. It first checks itself against RFC 3711 Appendix
B.2 (AES-CM keystream) and B.3 (key derivation), which libsrtp's public API
cannot reach. Run: python3 srtp_vectors.py"""
import hmac, hashlib, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def aes_cm(key, iv16, length):
    enc = Cipher(algorithms.AES(key), modes.CTR(iv16)).encryptor()
    return enc.update(b"\0" * length)

def kdf(master_key, master_salt, label, length, index=0):
    """RFC 3711 §4.3.1 with kdr = 0; a 12-byte (GCM) salt is zero-padded to 14 (as libsrtp)."""
    salt = master_salt.ljust(14, b"\0")
    key_id = bytes([label]) + index.to_bytes(6, "big")
    x = bytes(a ^ b for a, b in zip(salt, b"\0" * 7 + key_id))
    return aes_cm(master_key, x + b"\0\0", length)

def session(master_key, master_salt, rtcp=False, gcm=False):
    base = 3 if rtcp else 0
    salt_len = 12 if gcm else 14
    return (kdf(master_key, master_salt, base, 16), kdf(master_key, master_salt, base + 1, 20),
            kdf(master_key, master_salt, base + 2, salt_len))

def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))

def protect_rtp_cm(mk, ms, packet, tag_len, roc=0):
    ke, ka, ks = session(mk, ms)
    seq, = struct.unpack(">H", packet[2:4]); ssrc, = struct.unpack(">I", packet[8:12])
    index = (roc << 16) | seq
    iv = int.from_bytes(ks, "big") << 16 ^ ssrc << 64 ^ index << 16
    body = xor(packet[12:], aes_cm(ke, iv.to_bytes(16, "big"), len(packet) - 12))
    out = packet[:12] + body
    tag = hmac.new(ka, out + roc.to_bytes(4, "big"), hashlib.sha1).digest()[:tag_len]
    return out + tag

def protect_rtcp_cm(mk, ms, packet, index):
    ke, ka, ks = session(mk, ms, rtcp=True)
    ssrc, = struct.unpack(">I", packet[4:8])
    iv = int.from_bytes(ks, "big") << 16 ^ ssrc << 64 ^ index << 16
    out = packet[:8] + xor(packet[8:], aes_cm(ke, iv.to_bytes(16, "big"), len(packet) - 8))
    out += (0x80000000 | index).to_bytes(4, "big")
    return out + hmac.new(ka, out, hashlib.sha1).digest()[:10]

def protect_rtp_gcm(mk, ms, packet, roc=0):
    ke, _, ks = session(mk, ms, gcm=True)
    iv = xor(b"\0\0" + packet[8:12] + roc.to_bytes(4, "big") + packet[2:4], ks)
    return packet[:12] + AESGCM(ke).encrypt(iv, packet[12:], packet[:12])

def protect_rtcp_gcm(mk, ms, packet, index):
    ke, _, ks = session(mk, ms, rtcp=True, gcm=True)
    eindex = (0x80000000 | index).to_bytes(4, "big")
    iv = xor(b"\0\0" + packet[4:8] + b"\0\0" + index.to_bytes(4, "big"), ks)
    return packet[:8] + AESGCM(ke).encrypt(iv, packet[8:], packet[:8] + eindex) + eindex

h = bytes.fromhex
# RFC 3711 B.2: AES-CM keystream.
assert aes_cm(h("2B7E151628AED2A6ABF7158809CF4F3C"), h("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), 48).hex().upper() == (
    "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0")
# RFC 3711 B.3: key derivation.
mk, ms = h("E1F97A0D3E018BE0D64FA32C06DE4139"), h("0EC675AD498AFEEBB6960B3AABE6")
assert kdf(mk, ms, 0, 16) == h("C61E7A93744F39EE10734AFE3FF7A087")
assert kdf(mk, ms, 2, 14) == h("30CBBC08863D8C85D49DB34A9AE1")
assert kdf(mk, ms, 1, 20) == h("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4")

key = bytes(range(1, 17)); salt14 = bytes(range(0x21, 0x2F)); salt12 = salt14[:12]
rtp = h("80001234" "0001E240" "CAFEBABE") + bytes(range(0xA0, 0xB4))
rtcp = h("81C90007" "CAFEBABE" "DEADBEEF" "00000000" "00000000" "00000000" "00000000" "00000000")
print("AES_CM_128_HMAC_SHA1_80 rtp ", protect_rtp_cm(key, salt14, rtp, 10).hex())
print("AES_CM_128_HMAC_SHA1_32 rtp ", protect_rtp_cm(key, salt14, rtp, 4).hex())
print("AES_CM_128_HMAC_SHA1_80 rtcp", protect_rtcp_cm(key, salt14, rtcp, 1).hex())
print("AEAD_AES_128_GCM rtp        ", protect_rtp_gcm(key, salt12, rtp).hex())
print("AEAD_AES_128_GCM rtcp       ", protect_rtcp_gcm(key, salt12, rtcp, 1).hex())
