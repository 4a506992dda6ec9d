import Glibc

/// Writes a 16-bit stereo PCM WAV file (left: SIP leg, right: WhatsApp leg)
/// for an optional call recording. Samples are gathered in a one-second
/// buffer and written with `write(2)` when it fills (a short blocking write to
/// the page cache, on the call's loop: recording is off by default); the RIFF
/// sizes are patched in on `close()`. Owned by one bridge on its event loop.
final class WAVRecorder {
    /// The file's path.
    let path: String
    private let fd: Int32
    private let sampleRate: Int
    private let buffer: UnsafeMutableBufferPointer<Int16>
    private var buffered = 0
    private var dataBytes = 0
    private var closed = false

    /// Creates `path` (truncating it) for stereo PCM at `sampleRate`; nil when the file cannot be created.
    init?(path: String, sampleRate: Int) {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
        self.sampleRate = sampleRate
        buffer = .allocate(capacity: 2 * sampleRate)
        writeHeader()
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// Appends one frame per leg (the shorter is padded with silence).
    func append(left: UnsafeBufferPointer<Int16>, right: UnsafeBufferPointer<Int16>) {
        guard !closed else { return }
        for index in 0..<max(left.count, right.count) {
            if buffered + 2 > buffer.count { flush() }
            buffer[buffered] = index < left.count ? left[index].littleEndian : 0
            buffer[buffered + 1] = index < right.count ? right[index].littleEndian : 0
            buffered += 2
        }
    }

    /// Flushes, patches the sizes and closes the file.
    func close() {
        guard !closed else { return }
        flush()
        closed = true
        var riff = UInt32(36 + dataBytes).littleEndian
        var data = UInt32(dataBytes).littleEndian
        _ = pwrite(fd, &riff, 4, 4)
        _ = pwrite(fd, &data, 4, 40)
        _ = Glibc.close(fd)
    }

    private func flush() {
        guard buffered > 0 else { return }
        let written = Glibc.write(fd, buffer.baseAddress, buffered * 2)
        if written > 0 { dataBytes += written }
        buffered = 0
    }

    /// The canonical 44-byte header (RIFF/WAVE, fmt PCM 2 channels 16 bits, data).
    private func writeHeader() {
        var header = [UInt8]()
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: Array("RIFF".utf8)); append32(36)
        header.append(contentsOf: Array("WAVEfmt ".utf8)); append32(16)
        append16(1); append16(2); append32(UInt32(sampleRate)); append32(UInt32(sampleRate * 4)); append16(4); append16(16)
        header.append(contentsOf: Array("data".utf8)); append32(0)
        _ = header.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
