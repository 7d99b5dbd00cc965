import Foundation
import ProviderTransport
import RemoteProvidersCore

/// The EC2 Query API (version 2016-11-15): form-encoded POSTs signed with SigV4, XML answers.
struct EC2Client: Sendable {
    static let version = "2016-11-15"

    let http: ProviderClient
    let region: String

    init(transport: HTTPTransport, credentials: AWSCredentials, region: String, environment: Environment) throws {
        guard let metadata = ProviderDirectory.metadata(for: .aws) else { throw ProviderError(.unsupported, message: "aws unknown") }
        let endpoint = try EndpointResolver.resolve(metadata, region: region, environment: environment)
        let signer = SigV4Signer(credentials: credentials, region: region, service: "ec2")
        self.region = region
        self.http = transport.client(for: .aws, baseURL: endpoint, signer: signer) { response, request in
            EC2Errors.map(response, request: request, region: region)
        }
    }

    /// Calls `action` with `parameters` (EC2's flattened `Name.1.Key` form) and returns the answer's root.
    func call(_ action: String, _ parameters: [(String, String)] = [], safety: RequestSafety = .idempotent) async throws -> XMLElement {
        let fields = [("Action", action), ("Version", Self.version)] + parameters
        // application/x-www-form-urlencoded as botocore writes it (space as `+`): AWS hashes the
        // bytes it receives, but moto re-encodes the parsed form before checking the signature.
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let request = ProviderRequest(
            method: "POST", path: "/", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8), operation: action, safety: safety)
        let response = try await http.send(request)
        do {
            return try XMLElement.parse(response.body)
        } catch {
            throw ProviderError(.transient, provider: .aws, operation: action, message: "unreadable answer: \(error)")
        }
    }
}

extension EC2Client {
    static func formEncode(_ text: String) -> String {
        QueryEncoding.encode(text).replacingOccurrences(of: "%20", with: "+")
    }
}

/// EC2's error codes, read from `<Response><Errors><Error><Code>`, as typed errors.
enum EC2Errors {
    static func map(_ response: HTTPResponse, request: ProviderRequest, region: String) -> ProviderError? {
        guard let root = try? XMLElement.parse(response.body), let error = root.all("Error").first,
            let code = error.string("Code")
        else { return nil }
        let message = "\(code): \(error.string("Message") ?? "")"
        let kind = kind(for: code, message: message, request: request, region: region, retryAfter: response.header("Retry-After"))
        return ProviderError(kind, provider: .aws, operation: request.operation, httpStatus: response.status, message: message)
    }

    static func kind(for code: String, message: String, request: ProviderRequest, region: String, retryAfter: String?) -> ProviderError.Kind {
        switch code {
        case "InsufficientInstanceCapacity", "InsufficientHostCapacity", "InsufficientReservedInstanceCapacity",
            "InsufficientCapacity", "SpotCapacityNotAvailable":
            return .noCapacity(zone(in: message, request: request).map(FailureScope.zone) ?? .region(region))
        case "InstanceLimitExceeded", "VcpuLimitExceeded", "MaxSpotInstanceCountExceeded", "SpotInstanceRequestLimitExceeded",
            "ResourceLimitExceeded", "RulesPerSecurityGroupLimitExceeded", "SecurityGroupLimitExceeded":
            return .quotaExceeded(.region(region))
        case "AuthFailure", "UnauthorizedOperation", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied",
            "OptInRequired", "Blocked", "PendingVerification":
            return .invalidCredentials
        case "RequestLimitExceeded", "Throttling", "ThrottlingException":
            return .rateLimited(retryAfter: retryAfter.flatMap { RetryAfter.parse($0) }.map(\.timeInterval))
        case "IdempotentParameterMismatch":
            return .conflict
        case "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable":
            return .transient
        default:
            return code.hasSuffix(".NotFound") ? .notFound : .invalidRequest
        }
    }

    /// The zone a capacity error is about: the one the request named, else one in AWS's message.
    static func zone(in message: String, request: ProviderRequest) -> String? {
        let body = String(decoding: request.body ?? Data(), as: UTF8.self)
        for pair in body.split(separator: "&") where pair.hasPrefix("Placement.AvailabilityZone=") {
            return String(pair.dropFirst("Placement.AvailabilityZone=".count)).removingPercentEncoding
        }
        guard let range = message.range(of: #"[a-z]{2}(-[a-z]+)+-\d[a-z]"#, options: .regularExpression) else { return nil }
        return String(message[range])
    }
}
