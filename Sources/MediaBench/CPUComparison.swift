import Foundation

/// `--mode=cpu`: bridge-thread CPU per call-second of the three kinds of call at the same load,
/// repeated and interleaved (pcmu, opus, browser, pcmu, …) so a noisy neighbour hits every kind
/// alike; prints each run, then median, min and max per kind and the browser call's cost against
/// the two phone calls (ratios of medians). Each run also prints the packets its peers received
/// since the calls started and within the window, and the Opus frames coded in it, which `bench/60-webphone-cpu.sh` divides
/// valgrind's counts by.
@MainActor
struct CPUComparison {
    /// The kinds of call, in the order they run within a repetition.
    enum Kind: String, CaseIterable {
        case pcmu, opus, browser

        var label: String {
            switch self {
            case .pcmu: "PCMU phone ⇄ WhatsApp (transcoded)"
            case .opus: "Opus phone ⇄ WhatsApp (pass-through)"
            case .browser: "browser ⇄ WhatsApp (pass-through)"
            }
        }
    }

    /// One kind's run: CPU µs per call-second, loss, packets received since the calls started and
    /// within the window.
    struct Sample {
        var cpu: Double
        var loss: Double
        var packetsTotal: Int
        var packetsInWindow: Int
        var opusFramesInWindow = 0
        var cpuInWindow = 0.0
        /// Bridge-thread CPU µs per packet a peer received: unlike CPU per call-second, it does not
        /// flatter a run whose load generator (sharing its core with other work) fell behind.
        var cpuPerPacket: Double { packetsInWindow > 0 ? cpuInWindow / Double(packetsInWindow) : 0 }
    }

    let kinds: [Kind]
    let calls: Int
    let repetitions: Int
    let measure: (Kind, Int) async throws -> Sample

    /// Runs every repetition and prints the summary table.
    func run() async throws {
        var samples: [Kind: [Sample]] = [:]
        for repetition in 1...max(1, repetitions) {
            for kind in kinds {
                let sample = try await measure(kind, calls)
                samples[kind, default: []].append(sample)
                print(String(format: "run kind=%@ rep=%d calls=%d cpu_us_per_call_s=%.1f cpu_us_per_packet=%.2f loss=%.4f packets_total=%d packets_window=%d frames_window=%d",
                             kind.rawValue, repetition, calls, sample.cpu, sample.cpuPerPacket, sample.loss, sample.packetsTotal, sample.packetsInWindow,
                             sample.opusFramesInWindow))
                fflush(nil)  // every stream: the script reads the lines as they come
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        printSummary(samples)
    }

    private func printSummary(_ samples: [Kind: [Sample]]) {
        print("")
        print("| call (\(calls) calls, bridge thread CPU) | median µs/call-s | min | max | calls/core (median) | median µs/packet | min | max |")
        print("|---|---|---|---|---|---|---|---|")
        var medians: [Kind: (Double, Double)] = [:]
        for kind in kinds {
            let values = (samples[kind] ?? []).map(\.cpu).sorted()
            let perPacket = (samples[kind] ?? []).map(\.cpuPerPacket).sorted()
            guard let low = values.first, let high = values.last, let first = perPacket.first, let last = perPacket.last else { continue }
            let median = Self.median(values), medianPerPacket = Self.median(perPacket)
            medians[kind] = (median, medianPerPacket)
            print(String(format: "| %@ | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f |", kind.label, median, low, high, 1_000_000 / median,
                         medianPerPacket, first, last))
        }
        if let browser = medians[.browser] {
            for other in [Kind.pcmu, .opus] {
                guard let base = medians[other] else { continue }
                print(String(format: "browser ⇄ WhatsApp / %@: %.2f× per call-second, %.2f× per packet", other.label,
                             browser.0 / base.0, browser.1 / base.1))
            }
        }
    }

    /// The median of sorted values (mean of the middle two for an even count).
    nonisolated static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
