import Foundation
import RemoteExecution
import RemoteProvidersCore

/// What a bring-your-own host offers, from its `labels`. A host without a label for something
/// satisfies any requirement of it; without GPU labels it has no GPUs.
public struct HostLabels: Sendable, Equatable {
    public var cpus: Double?
    public var memoryGB: Double?
    public var diskGB: Double?
    public var gpus: Int
    public var gpuModel: String?
    /// Labels of the user's own, kept as text.
    public var other: [String: String]

    public init(cpus: Double? = nil, memoryGB: Double? = nil, diskGB: Double? = nil, gpus: Int = 0, gpuModel: String? = nil, other: [String: String] = [:]) {
        self.cpus = cpus
        self.memoryGB = memoryGB
        self.diskGB = diskGB
        self.gpus = gpus
        self.gpuModel = gpuModel
        self.other = other
    }

    /// Why the host cannot take `spec`, or `nil` when it can.
    public func shortfall(for spec: ResourceSpec) -> String? {
        if let cpus, cpus < spec.cpus { return "\(Self.number(cpus)) CPUs, \(Self.number(spec.cpus)) asked" }
        if let memoryGB, memoryGB < spec.memoryGB { return "\(Self.number(memoryGB)) GB of memory, \(Self.number(spec.memoryGB)) asked" }
        if let diskGB, diskGB < spec.diskGB { return "\(Self.number(diskGB)) GB of disk, \(Self.number(spec.diskGB)) asked" }
        guard let gpu = spec.gpu, gpu.count > 0 else { return nil }
        if gpus < gpu.count { return "\(gpus) GPUs, \(gpu.count) asked" }
        if !gpu.models.isEmpty, !gpu.models.contains(where: { $0.caseInsensitiveCompare(gpuModel ?? "") == .orderedSame }) {
            return "GPU \(gpuModel ?? "of unknown model"), \(gpu.models.joined(separator: " or ")) asked"
        }
        return nil
    }

    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}

/// One host of the `ssh` pool.
public struct PoolHost: Sendable, Equatable {
    public var name: String
    public var address: String
    public var port: Int
    public var user: String
    /// An absolute path; `nil` means the tool's own key.
    public var identityFile: String?
    /// The key the host must show; `nil` until pinned on first use (`--trust-new-host-keys`).
    public var hostKey: SSHHostKey?
    public var labels: HostLabels
    /// Where the controller reaches the host's published ports, when not at `address` (NAT, a
    /// bastion, a container engine publishing elsewhere).
    public var serviceAddress: String?

    public init(
        name: String, address: String, port: Int = 22, user: String, identityFile: String? = nil, hostKey: SSHHostKey? = nil,
        labels: HostLabels = HostLabels(), serviceAddress: String? = nil
    ) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.identityFile = identityFile
        self.hostKey = hostKey
        self.labels = labels
        self.serviceAddress = serviceAddress
    }

    public var endpoint: SSHEndpoint { SSHEndpoint(host: address, port: port, user: user) }
    /// The store's key for its pinned host key.
    public var pinKey: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }
}

/// The `ssh` provider's hosts, from the YAML file `--hosts` or `BLUEPRINT_REMOTE_SSH_HOSTS` names.
public struct HostsFile: Sendable {
    public let path: String
    public let hosts: [PoolHost]

    public static let variable = "BLUEPRINT_REMOTE_SSH_HOSTS"

    /// Reads and checks the whole file, reporting every problem at once with its field path.
    public static func load(path: String, environment: Environment = .process) throws -> HostsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(field: "--hosts", value: path, rule: "must be a readable hosts file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return HostsFile(path: path, hosts: try parse(String(decoding: data, as: UTF8.self), source: path, folder: folder, home: environment["HOME"]))
    }

    static func parse(_ text: String, source: String, folder: String, home: String?) throws -> [PoolHost] {
        let report = ValidationReport()
        guard var document = SpecReader(try SpecNode.parse(text, source: source), path: "", report: report) else {
            try report.check()
            return []
        }
        var hosts: [PoolHost] = []
        switch document.take("hosts") {
        case .list(let items)?:
            for (index, item) in items.enumerated() {
                guard var reader = SpecReader(item, path: "hosts[\(index)]", report: report) else { continue }
                if let host = readHost(&reader, folder: folder, home: home) { hosts.append(host) }
                reader.finish()
            }
            if items.isEmpty { report.fail("hosts", nil, "must list at least one host") }
        case let other?: report.fail("hosts", other.displayText, "must be a list of hosts, not \(other.typeName)")
        case nil: report.fail("hosts", nil, "is required: the list of hosts")
        }
        document.finish()
        var seen: Set<String> = []
        for (index, host) in hosts.enumerated() where !seen.insert(host.name).inserted {
            report.fail("hosts[\(index)].name", host.name, "must be unique in the file")
        }
        try report.check()
        return hosts
    }

    private static func readHost(_ reader: inout SpecReader, folder: String, home: String?) -> PoolHost? {
        let name = reader.string("name")
        let address = reader.string("address")
        let port = reader.integer("port") ?? 22
        let user = reader.string("user")
        let identity = reader.string("identity_file")
        let hostKey = reader.string("host_key")
        let serviceAddress = reader.string("service_address")
        var labels = HostLabels()
        if var labelReader = reader.nested("labels") {
            labels.cpus = labelReader.number("cpus")
            labels.memoryGB = labelReader.number("memory_gb")
            labels.diskGB = labelReader.number("disk_gb")
            labels.gpus = labelReader.integer("gpus") ?? 0
            labels.gpuModel = labelReader.string("gpu_model")
            for entry in labelReader.remaining() {
                if let text = SpecReader.string(entry.value, field: labelReader.field(entry.key), report: reader.report) { labels.other[entry.key] = text }
            }
        }
        guard let name, let address, let user else {
            for (key, value) in [("name", name), ("address", address), ("user", user)] where value == nil && !reader.has(key) {
                reader.fail(key, nil, "is required")
            }
            return nil
        }
        var valid = true
        func check(_ ok: Bool, _ key: String, _ value: String?, _ rule: String) {
            if !ok {
                reader.fail(key, value, rule)
                valid = false
            }
        }
        check(Grammar.isDNSLabel(name), "name", name, "must be a DNS label (lower-case letters, digits and -)")
        check(isHost(address), "address", address, "must be an IP address or a host name")
        check((1...65_535).contains(port), "port", String(port), "must be 1-65535")
        check(isUser(user), "user", user, "must be a login name (letters, digits, _ . -; not starting with -)")
        if let serviceAddress { check(isHost(serviceAddress), "service_address", serviceAddress, "must be an IP address or a host name") }
        var key: SSHHostKey?
        if let hostKey {
            key = try? SSHHostKey(openSSH: hostKey)
            check(key != nil, "host_key", hostKey, "must be an OpenSSH public key line such as \"ssh-ed25519 AAAA…\"")
        }
        for (label, value) in [("labels.cpus", labels.cpus), ("labels.memory_gb", labels.memoryGB), ("labels.disk_gb", labels.diskGB)] {
            if let value { check(value > 0, label, "\(value)", "must be positive") }
        }
        check(labels.gpus >= 0, "labels.gpus", String(labels.gpus), "must not be negative")
        guard valid else { return nil }
        return PoolHost(
            name: name, address: address, port: port, user: user, identityFile: identity.map { resolve($0, folder: folder, home: home) },
            hostKey: key, labels: labels, serviceAddress: serviceAddress)
    }

    /// `~/…` from the home folder, a relative path from the hosts file's folder.
    static func resolve(_ path: String, folder: String, home: String?) -> String {
        if path == "~" || path.hasPrefix("~/"), let home { return home + path.dropFirst() }
        if path.hasPrefix("/") { return path }
        return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(path)
    }

    static func isHost(_ text: String) -> Bool {
        if IPAddress.bytes(text) != nil { return true }
        guard !text.isEmpty, text.count <= 253, !text.hasPrefix("-"), !text.hasPrefix(".") else { return false }
        return text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "." || $0 == "-" }
    }

    static func isUser(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", text.count <= 32 else { return false }
        return text.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "_.-".unicodeScalars.contains($0) }
    }
}
