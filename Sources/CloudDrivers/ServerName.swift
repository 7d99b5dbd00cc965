import RemoteProvidersCore

/// A server's name made from its create request, for providers without a client token: the same
/// request always names the same server, so a create whose answer was lost is found by name.
enum ServerName {
    /// `bp-<request>` in letters, digits, `.` and `-` (a DNS-safe host name), ending alphanumeric.
    static func make(_ requestID: String, provider: ProviderID) throws -> String {
        let name = "bp-" + requestID.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? String($0) : "-" }.joined()
        guard name.count <= 255, name.last.map({ $0.isLetter || $0.isNumber }) == true else {
            throw ValidationError(field: "name", value: requestID, rule: "must end with a letter or digit for a \(provider) server name")
        }
        return name
    }
}
