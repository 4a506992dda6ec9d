// swift-tools-version: 6.1
// wagate: a SIP back-to-back user agent bridging desk phones and PBXs to
// WhatsApp Business Calling. Layers and their dependency direction are in
// docs/architecture.md; a target imports only targets below it.
import PackageDescription

/// The C libraries through pkg-config and Debian's -dev package; libsrtp is vendored (`srtpLibrary`).
let cLibraries: [Target] = [
    .systemLibrary(name: "CSofiaSIP", pkgConfig: "sofia-sip-ua", providers: [.apt(["libsofia-sip-ua-dev"])]),
    .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
    .systemLibrary(name: "CSpanDSP", pkgConfig: "spandsp", providers: [.apt(["libspandsp-dev"])]),
    .systemLibrary(name: "CSpeexDSP", pkgConfig: "speexdsp", providers: [.apt(["libspeexdsp-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
]

/// libsrtp 2.5.0 (BSD-3-Clause, Sources/CSRTP/LICENSE) built from source on its OpenSSL crypto backend.
/// Debian's libsrtp2 is built on NSS, which creates a PK11 context and a lock for every protect and
/// unprotect; through OpenSSL's EVP a packet costs no allocation (docs/performance.md, "SRTP backend").
let srtpLibrary: Target = .target(
    name: "CSRTP",
    exclude: ["LICENSE", "README.md"],
    cSettings: [
        .headerSearchPath("internal"), .headerSearchPath("crypto/include"),
        .define("HAVE_CONFIG_H"), .unsafeFlags(["-O2", "-w"]),
    ],
    linkerSettings: [.linkedLibrary("crypto")])

/// Thin C glue: fixed-arity forwarders for varargs and macros Swift cannot import.
let cGlue: [Target] = [
    .target(name: "CSofiaShims", dependencies: ["CSofiaSIP"]),
    .target(name: "COpusShims", dependencies: ["COpus"]),
    .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),
]

let package = Package(
    name: "wagate",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wagate", targets: ["wagate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // WhatsApp Cloud side: Graph client, webhook receiver, store, Meta simulator.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        // The shared store of a cluster of nodes ([storage] postgres).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Browser agents: the `wagate.agent.v1` WebSocket on the [http] listener.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // The simulator's SIP-mode Meta over TLS (swift-nio-ssl), its certificate made at start, and the names on
        // the TLS listener's certificate checked against SIP-mode numbers' domains (swift-certificates).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: cLibraries + [srtpLibrary] + cGlue + [
        // Value types named by configuration and protocol code alike: IP addresses, the DTLS role.
        .target(name: "NetTypes"),
        // Configuration: sip.conf parsed and validated once into typed values.
        .target(name: "Config", dependencies: ["NetTypes"]),
        // SDP: parse/serialise, SIP offer/answer, WebRTC offers and answers; pure, no I/O.
        .target(name: "SDP"),
        // STUN (RFC 8489) messages and ICE (RFC 8445) agents; sans-I/O, no NIO.
        .target(name: "STUN", dependencies: ["NetTypes", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ICE", dependencies: ["STUN", "SDP"]),
        // SIP front end over sofia's nua: one thread, commands in, events out.
        .target(name: "SIP", dependencies: [
            "CSofiaSIP", "CSofiaShims", "Config", "SDP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // RTP/RTCP wire formats (pure).
        .target(name: "RTP"),
        // DTLS-SRTP over OpenSSL memory BIOs (sans-I/O); the only importer of COpenSSL.
        .target(name: "DTLS", dependencies: ["COpenSSL", "COpenSSLShims", "NetTypes"]),
        // SRTP/SRTCP sessions over libsrtp2; the only product module that imports CSRTP.
        .target(name: "SRTP", dependencies: ["CSRTP"]),
        // Codec wrappers: one owning Swift type per C object.
        .target(name: "Codecs", dependencies: ["CSpanDSP", "CSpeexDSP", "COpus", "COpusShims"]),
        // Media I/O on SwiftNIO event loops: RTP legs, echo, port allocation.
        .target(name: "Media", dependencies: [
            "RTP", "Codecs", "SDP", "STUN", "ICE", "DTLS", "SRTP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Composition: builds the adapters and runs them as services.
        .target(name: "Gateway", dependencies: [
            "Config", "SIP", "SDP", "Media", "Codecs", "Store", "WhatsAppCloud", "HTTP", "Simulator", "CallControl",
            "WebAgents",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .executableTarget(name: "wagate", dependencies: [
            "Config", "Gateway", "Simulator", "WhatsAppCloud", "Media", "Store",
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "NetTypesTests", dependencies: ["NetTypes"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "STUNTests", dependencies: ["STUN", "TestSupport"]),
        .testTarget(name: "ICETests", dependencies: ["ICE", "STUN", "SDP", "TestSupport"]),
        // Test tool: one WebRTC leg over stdin/stdout for interop with aiortc (not shipped).
        .executableTarget(name: "WebRTCProbe", dependencies: [
            "Media", "SDP", "Codecs", "TestSupport", .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmark tool for the WhatsApp media leg (make bench; not shipped). It also
        // imports CSRTP, to time raw libsrtp beside SRTPSession.
        .executableTarget(name: "LegBench", dependencies: [
            "Media", "SDP", "RTP", "SRTP", "CSRTP", "Codecs",
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmark tool: one SRTP round trip per profile, for timing and valgrind (not shipped).
        .executableTarget(name: "SRTPBench", dependencies: ["SRTP"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "Config"]),
        .testTarget(name: "MediaTests", dependencies: [
            "Media", "SDP", "Codecs", "RTP", "SRTP", "STUN", "TestSupport",
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmark tool: synthetic bridged calls on 127.0.0.1 for `make bench` (not shipped).
        .executableTarget(name: "MediaBench", dependencies: [
            "Media", "SDP", "Codecs", "RTP", "SRTP",
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS"]),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "DTLS"], exclude: ["Vectors"]),
        .testTarget(name: "CInteropTests", dependencies: [
            "CSofiaSIP", "CSofiaShims", "CSRTP", "COpus", "COpusShims", "CSpanDSP", "COpenSSL", "COpenSSLShims", "SRTP",
        ]),
        .testTarget(name: "RTPTests", dependencies: ["RTP"]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "TestSupport"]),
        // Call control: the one owner of call state (pure state machines + one actor over ports).
        .target(name: "CallControl", dependencies: ["Config", "NetTypes", .product(name: "Logging", package: "swift-log")]),
        // Browser agents: the `wagate.agent.v1` protocol, login, tokens, sessions (I/O; no call control).
        .target(name: "WebAgents", dependencies: [
            "Config", "NetTypes", "SIP",
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "WebAgentsTests", dependencies: ["WebAgents", "Config", "SIP"]),
        .testTarget(name: "CallControlTests", dependencies: ["CallControl", "Config", "TestSupport"]),
        // Test support (not shipped): fakes of call control's ports, a manual clock, the
        // shared test configuration, a recording fake of the SIP command channel, the
        // seeded random generator, waiting on a change with a deadline, and the tone
        // detector and recording port the media tests and the interop probe listen with.
        .target(name: "TestSupport", dependencies: ["CallControl", "Config", "SIP", "Media", "WebAgents"]),
        // The composition layer over fakes: the real SIP adapter and call control,
        // driven through a fake SIP stack and a fake media bridge.
        .testTarget(name: "GatewayTests", dependencies: [
            "Gateway", "CallControl", "Config", "SIP", "Store", "TestSupport", "WebAgents", "Simulator",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ] + whatsAppTargets,
    swiftLanguageModes: [.v6]
)

/// The WhatsApp Cloud side: WhatsAppCloud ← HTTP, Store ← Simulator. None imports Config.
var whatsAppTargets: [Target] {
    [
        // Graph API client, webhook types/decoding, signature verification.
        .target(name: "WhatsAppCloud", dependencies: [
            "NetTypes",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The store (SQLite embedded, PostgreSQL shared by a cluster): webhook deliveries,
        // registrations, call detail records, numbers, node leases and cluster-wide call slots.
        .target(name: "Store", dependencies: [
            "WhatsAppCloud",
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Hummingbird routes: the webhook receiver.
        .target(name: "HTTP", dependencies: [
            "WhatsAppCloud",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Meta Cloud API stand-in for sandbox mode and tests.
        .target(name: "Simulator", dependencies: [
            "WhatsAppCloud", "HTTP", "Media", "Codecs", "SDP", "NetTypes",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "WhatsAppCloudTests", dependencies: [
            "WhatsAppCloud", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "WhatsAppCloud", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HTTPTests", dependencies: [
            "HTTP", "WhatsAppCloud", "WebAgents", "Config",
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "SimulatorTests", dependencies: [
            "Simulator", "HTTP", "Store", "WhatsAppCloud", "Media", "SDP", "Codecs", "TestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ]
}

/// Every Swift target imports its dependencies internally unless a file says
/// `public import`: a C type or a dependency's type can reach a public signature
/// only where that is written down (docs/architecture.md).
for target in package.targets where target.type != .system && target.type != .binary {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("InternalImportsByDefault")]
}

/// libFuzzer harnesses (`make fuzz`; docs/security.md, "Fuzzing"): present only when
/// WAGATE_FUZZ is set, so the normal `swift build` and `swift test` never see
/// them. Every wagate module a harness reaches is compiled with coverage
/// instrumentation (`-sanitize=fuzzer`) and `-enable-testing`, so the harnesses
/// can drive internal parsers; dependencies are left uninstrumented.
if Context.environment["WAGATE_FUZZ"] != nil {
    let instrumented: Set<String> = ["NetTypes", "Config", "SDP", "STUN", "ICE", "SIP", "RTP", "DTLS", "WhatsAppCloud", "WebAgents", "CSofiaShims"]
    for target in package.targets where instrumented.contains(target.name) {
        if target.name == "CSofiaShims" {
            target.cSettings = (target.cSettings ?? []) + [.unsafeFlags(["-fsanitize=fuzzer-no-link"])]
        } else {
            target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=fuzzer", "-enable-testing"])]
        }
    }
    package.targets.removeAll { $0.type == .test }
    let harnesses: [(String, [Target.Dependency])] = [
        ("FuzzSIP", ["SIP", "Config", "CSofiaSIP", "CFuzzSupport", .product(name: "Logging", package: "swift-log")]),
        ("FuzzSDP", ["CFuzzSupport", "SDP"]),
        ("FuzzSTUN", ["CFuzzSupport", "STUN", "ICE"]),
        ("FuzzRTP", ["CFuzzSupport", "RTP"]),
        ("FuzzDTLS", ["CFuzzSupport", "DTLS", "NetTypes", "RTP", "STUN"]),
        ("FuzzDTMF", ["CFuzzSupport", "SIP"]),
        ("FuzzWebhook", ["CFuzzSupport", "WhatsAppCloud"]),
        ("FuzzGraph", ["CFuzzSupport", "WhatsAppCloud", "NetTypes"]),
        ("FuzzConfig", ["CFuzzSupport", "Config"]),
        ("FuzzAgent", ["CFuzzSupport", "WebAgents", "Config"]),
        ("FuzzRefer", ["CFuzzSupport", "SIP", "CSofiaSIP"]),
        ("FuzzBrowserSDP", ["CFuzzSupport", "SDP"]),
    ]
    package.targets.append(.target(name: "CFuzzSupport", dependencies: ["CSofiaSIP"], path: "Fuzz/Sources/CFuzzSupport"))
    for (name, dependencies) in harnesses {
        package.targets.append(.executableTarget(
            name: name, dependencies: dependencies, path: "Fuzz/Sources/\(name)",
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer", "-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer"])]))
        package.products.append(.executable(name: name, targets: [name]))
    }
    // Only the harnesses and the targets they reach stay, so that one plain
    // `swift build` builds and links every harness in one invocation (one plan,
    // parallel links) without compiling the gateway's other modules.
    let byName = Dictionary(uniqueKeysWithValues: package.targets.map { ($0.name, $0) })
    var reachable = Set(harnesses.map(\.0))
    var pending = Array(reachable)
    while let name = pending.popLast() {
        for dependency in byName[name]?.dependencies ?? [] {
            let next: String
            switch dependency {
            case .targetItem(let target, _), .byNameItem(let target, _): next = target
            default: continue
            }
            if byName[next] != nil, reachable.insert(next).inserted { pending.append(next) }
        }
    }
    package.targets.removeAll { !reachable.contains($0.name) }
    package.products.removeAll { !reachable.contains($0.name) }
}
