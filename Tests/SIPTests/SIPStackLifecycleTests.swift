import Config
import Foundation
import Logging
import Testing
@testable import SIP

/// The stack gives back what it took from the process when it stops: the wake
/// pipe's two descriptors are closed after `shutdown()` and after a failed start.
@Suite("SIP stack lifecycle")
struct SIPStackLifecycleTests {
    private func makeStack(listen: String) throws -> SIPStack {
        try TestStack.make(listen: listen)
    }

    /// The kernel's identity of the pipe behind `fd` (`pipe:[inode]`), or nil.
    private func pipeName(_ fd: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
    }

    /// Every descriptor of this process that refers to `name`.
    private func descriptors(naming name: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == name }
    }

    @Test("after shutdown no descriptor of the process refers to the wake pipe")
    func shutdownClosesTheWakePipe() async throws {
        let stack = try makeStack(listen: "udp:127.0.0.1:\(FreePort.udp())")
        try stack.start()
        let fds = stack.wakeDescriptors
        let name = try #require(pipeName(fds.read))
        #expect(name.hasPrefix("pipe:"))
        #expect(pipeName(fds.write) == name)
        #expect(descriptors(naming: name).count == 2)
        await stack.shutdown()
        #expect(stack.wakeDescriptors.read == -1 && stack.wakeDescriptors.write == -1)
        #expect(descriptors(naming: name).isEmpty)
        stack.send(.destroy(SIPHandle(rawValue: 1)))
    }

    @Test("a start that cannot bind closes the wake pipe before it throws")
    func failedStartClosesTheWakePipe() throws {
        // 192.0.2.1 (TEST-NET-1) is on no interface of a test machine: bind fails.
        let stack = try makeStack(listen: "udp:192.0.2.1:\(FreePort.udp())")
        #expect(throws: SIPError.self) { try stack.start() }
        #expect(stack.wakeDescriptors.read == -1 && stack.wakeDescriptors.write == -1)
    }
}
