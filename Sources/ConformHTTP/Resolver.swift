import Foundation
import NIOCore
import NIOPosix

/// Name resolution for new connections, timed as its own phase: getaddrinfo on NIO's thread pool, so the
/// event loops never block. An IP literal is not resolved (its phase is zero).
enum Resolver {
    static func resolve(
        host: String, port: Int, loop: any EventLoop, deadline: NIODeadline, timeout: Double, hook: CancellationHook
    ) async throws(TransportFailure) -> [SocketAddress] {
        if IPAddressText.isLiteral(host), let address = try? SocketAddress(ipAddress: host, port: port) {
            return [address]
        }
        let lookup = NIOThreadPool.singleton.runIfActive(eventLoop: loop) {
            try getaddrinfo(host: host, port: port)
        }
        do {
            return try await Awaiting.value(
                of: lookup, hook: hook, deadline: deadline, timeout: timeout, discard: { _ in })
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .nameResolution(host)
        }
    }

    private struct LookupFailed: Error {}

    /// IPv4 and IPv6 addresses for TCP, in the order the system prefers.
    private static func getaddrinfo(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        guard Glibc.getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw LookupFailed()
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                default: break
                }
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw LookupFailed() }
        return addresses
    }
}
