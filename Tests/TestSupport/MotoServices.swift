import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Testing

/// moto as `scripts/test-services` runs it, reset before each use.
public struct Moto: Sendable {
    public let url: String

    public init(url: String) {
        self.url = url
    }

    public static var validating: Moto? { requiredService("BLUEPRINT_TEST_MOTO_URL", "moto").map(Moto.init) }
    public static var faults: String? { requiredService("BLUEPRINT_TEST_MOTO_FAULTS_URL", "the moto fault proxy") }

    public func reset() async throws {
        _ = try await post(url + "/moto-api/reset", body: Data())
    }

    @discardableResult
    public func post(_ address: String, body: Data, method: String = "POST") async throws -> Data {
        var request = URLRequest(url: try #require(URL(string: address)))
        request.httpMethod = method
        request.httpBody = body
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }
}

/// The fault proxy's control endpoint.
public struct FaultProxy: Sendable {
    public let url: String

    public init(url: String) {
        self.url = url
    }

    public func clear() async throws {
        try await Moto(url: url).post(url + "/_faults", body: Data(), method: "DELETE")
    }

    public func queue(
        _ action: String, mode: String = "error", code: String = "", message: String = "", status: Int = 400, count: Int = 1,
        forgetToken: Bool = false
    ) async throws {
        let fault: [String: Any] = [
            "action": action, "mode": mode, "code": code, "message": message, "status": status, "count": count,
            "forget_token": forgetToken,
        ]
        try await Moto(url: url).post(url + "/_faults", body: try JSONSerialization.data(withJSONObject: fault))
    }

    /// The EC2 Actions the proxy saw since it was last cleared.
    public func seen() async throws -> [String] {
        let data = try await Moto(url: url).post(url + "/_faults", body: Data(), method: "GET")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return object["seen"] as? [String] ?? []
    }
}
