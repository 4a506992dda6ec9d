import Foundation

/// The bridge's former rate converter, kept as the benchmark's reference for
/// speexdsp's (`RateQuality`): 16-bit mono PCM between two rates whose ratio is
/// an integer (8 ⇄ 16 ⇄ 48 kHz) through a polyphase windowed-sinc FIR written
/// in Swift (16 taps per phase, Blackman window, cutoff at 90 % of the lower
/// Nyquist rate). Coefficients and history are allocated once; `convert`
/// allocates nothing. One direction per instance.
final class ReferenceFIR {
    /// Input rate.
    let inputRate: Int
    /// Output rate.
    let outputRate: Int
    private let up: Int
    private let down: Int
    private let taps: Int
    private let coefficients: UnsafeMutableBufferPointer<Float>
    private let history: UnsafeMutableBufferPointer<Float>
    private static let tapsPerPhase = 16

    /// A converter from `inputRate` to `outputRate`; nil unless one divides the other.
    init?(from inputRate: Int, to outputRate: Int) {
        guard inputRate > 0, outputRate > 0, inputRate != outputRate,
              max(inputRate, outputRate) % min(inputRate, outputRate) == 0 else { return nil }
        self.inputRate = inputRate
        self.outputRate = outputRate
        up = max(1, outputRate / inputRate)
        down = max(1, inputRate / outputRate)
        let factor = max(up, down)
        taps = Self.tapsPerPhase * factor
        coefficients = .allocate(capacity: taps)
        let cutoff = 0.45 / Double(factor)  // cycles per sample at the higher rate
        var sum = 0.0
        for index in 0..<taps {
            let x = Double(index) - Double(taps - 1) / 2
            let sinc = x == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * x) / (Double.pi * x)
            let phase = 2 * Double.pi * Double(index) / Double(taps - 1)
            let window = 0.42 - 0.5 * cos(phase) + 0.08 * cos(2 * phase)
            coefficients[index] = Float(sinc * window)
            sum += sinc * window
        }
        let gain = Float(Double(up) / sum)  // unity gain at DC (zero-stuffing loses a factor `up`)
        for index in 0..<taps { coefficients[index] *= gain }
        history = .allocate(capacity: taps)
        history.initialize(repeating: 0)
    }

    deinit {
        coefficients.deallocate()
        history.deallocate()
    }

    /// Samples out for `count` samples in.
    func outputCount(for count: Int) -> Int { count * up / down }

    /// Converts `input` into `output` (which holds `outputCount(for: input.count)`); returns the samples written.
    func convert(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        let produced = min(outputCount(for: input.count), output.count)
        var written = 0
        for sample in input {
            push(Float(sample))
            if up > 1 {
                // Polyphase interpolation: the zero-stuffed samples are skipped, so
                // phase p uses taps p, p + up, p + 2·up, … over the input history.
                for phase in 0..<up where written < produced {
                    output[written] = filtered(phase: phase, stride: up)
                    written += 1
                }
            } else {
                pendingInputs += 1
                if pendingInputs == down {
                    pendingInputs = 0
                    if written < produced {
                        output[written] = filtered(phase: 0, stride: 1)
                        written += 1
                    }
                }
            }
        }
        return written
    }

    private var pendingInputs = 0
    private var head = 0

    /// History length in input samples.
    private var historyLength: Int { taps / up }

    @inline(__always)
    private func push(_ value: Float) {
        head = head == 0 ? historyLength - 1 : head - 1
        history[head] = value
    }

    /// Σ h[phase + stride·k] · x[n − k] over the history (newest first).
    @inline(__always)
    private func filtered(phase: Int, stride: Int) -> Int16 {
        var acc: Float = 0
        var index = head
        var tap = phase
        let length = historyLength
        while tap < taps {
            acc += coefficients[tap] * history[index]
            index = index + 1 == length ? 0 : index + 1
            tap += stride
        }
        return Int16(max(-32768, min(32767, acc.rounded())))
    }
}
