"""G.711 for interop peers (PCMU payload type 0, PCMA 8), with numpy: the
standard library's audioop is deprecated."""
import numpy as np


def _g711_tables():
    """Decoded value of every byte, for PCMU (payload type 0) and PCMA (8)."""
    def ulaw(byte):
        byte = ~byte & 0xFF
        exponent, mantissa = (byte >> 4) & 7, byte & 0x0F
        magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
        return -magnitude if byte & 0x80 else magnitude

    def alaw(byte):
        byte ^= 0x55
        exponent, mantissa = (byte >> 4) & 7, byte & 0x0F
        magnitude = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
        return magnitude if byte & 0x80 else -magnitude

    return {0: np.array([ulaw(b) for b in range(256)]), 8: np.array([alaw(b) for b in range(256)])}


TABLES = _g711_tables()


def encode(samples, payload_type):
    """G.711 bytes nearest to `samples` in the law of `payload_type`."""
    table = TABLES[payload_type]
    order = np.argsort(table)
    index = np.clip(np.searchsorted(table[order], samples), 1, 255)
    nearer_low = samples - table[order][index - 1] < table[order][index] - samples
    return bytes(order[index - nearer_low].astype(np.uint8))


def decode(data, payload_type=0):
    """16-bit samples of G.711 bytes in the law of `payload_type`."""
    return TABLES[payload_type][np.frombuffer(data, dtype=np.uint8)].astype(np.int16)
