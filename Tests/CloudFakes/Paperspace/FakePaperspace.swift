import Foundation
import Synchronization

/// Paperspace's API v1 as its OpenAPI document describes it (Tests/Contracts/paperspace.json), for
/// the calls the driver makes: machines (provisioning → starting → ready over `activation`, the
/// public IP from `address` once ready; created and deleted with `{event, data}`; 404 once
/// deleted), cursor pages (`hasMore`, `nextPage`, `?after=`), machine availability, OS templates,
/// startup scripts; errors as `{"message", "code"}` with tRPC codes. Bodies with undeclared
/// fields are refused, as the document's `additionalProperties: false` says. The document names no
/// error for a team's machine limit: the fake answers it as BAD_REQUEST "Machine limit reached" —
/// a guess, read by the driver from the message.
public final class FakePaperspace: FakeAPI {
    public let contract: String? = "paperspace"

    public struct Settings: Sendable {
        public var apiKey = "psfakekey0123456789abcdef0123456789ab"
        public var activation: Duration = .milliseconds(300)
        /// The public address of the n-th machine (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        /// `type@region` pairs `/machine-availability` says no to.
        public var unavailable: Set<String> = []
        public var machineLimit = 25
        /// The most items a page holds (the API's limit is 120).
        public var maxPerPage = 120

        public init() {}
    }

    struct Machine {
        var id: String
        var name: String
        var type: String
        var region: String
        var template: String
        var disk: Int
        var script: String?
        var createdAt: ContinuousClock.Instant
        var created: Date
        var ordinal: Int
    }

    struct Script {
        var id: String
        var name: String
        var script: String
        var runOnce: Bool
        var created: Date
    }

    struct State {
        var machines: [String: Machine] = [:]
        var scripts: [Script] = []
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let regions = ["ny2": "East Coast (NY2)", "ca1": "West Coast (CA1)", "ams1": "Europe (AMS1)"]
    static let types: [(label: String, cpus: Int, ramGB: Int, gpu: String?, gpuMemoryGB: Int, rate: Double)] = [
        ("C4", 2, 4, nil, 0, 0.08), ("P4000", 8, 30, "Quadro P4000", 8, 0.51), ("A6000", 8, 45, "NVIDIA RTX A6000", 48, 1.89),
    ]
    static let templates: [(id: String, name: String, agent: String, os: String, types: [String])] = [
        ("t0nspur5", "ML-in-a-Box", "LinuxHeadless", "Ubuntu 22.04", ["P4000", "A6000"]), ("tkni3aa4", "Ubuntu 20.04 Server", "LinuxHeadless", "Ubuntu 20.04", ["C4", "P4000", "A6000"]),
        ("tlpvfk1a", "Ubuntu 22.04 Server", "LinuxHeadless", "Ubuntu 22.04", ["C4", "P4000"]), ("twnlo3zj", "Windows 10", "WindowsDesktop", "Windows 10", ["P4000"]),
    ]
    static let createFields: Set<String> = [
        "name", "machineType", "templateId", "networkId", "diskSize", "region", "publicIpType", "autoSnapshotEnabled", "autoSnapshotFrequency",
        "autoSnapshotSaveCount", "autoShutdownEnabled", "autoShutdownTimeout", "autoShutdownForce", "takeInitialSnapshot", "restorePointEnabled",
        "restorePointFrequency", "startupScriptId", "emailPassword", "startOnCreate", "enableNvlink", "accessorIds",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.apiKey)" else {
            return Self.error(401, "UNAUTHORIZED", "You must be logged in to access this method.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "v1", parts.count >= 2 else { return Self.notFound }
        let rest = Array(parts.dropFirst())
        switch (request.method, rest.count, rest[0]) {
        case ("GET", 1, "machines"):
            let (name, region) = (request.query["name"], request.query["region"])
            return page(state.withLock { state in
                state.machines.values.sorted { $0.ordinal < $1.ordinal }.filter { name == nil || $0.name == name }.filter { region == nil || $0.region == region }
                    .map { object($0) }
            }, request)
        case ("POST", 1, "machines"):
            return create(request)
        case ("GET", 2, "machines"):
            return state.withLock { state in state.machines[rest[1]].map { .json(200, object($0)) } ?? Self.notFound }
        case ("DELETE", 2, "machines"):
            return state.withLock { state in
                guard let machine = state.machines.removeValue(forKey: rest[1]) else { return Self.notFound }
                var data = object(machine)
                data["dtDeleted"] = FakeTime.iso8601(Date())
                return .json(200, ["event": event("deactivate", machine.id), "data": data])
            }
        case ("GET", 1, "machine-availability"):
            guard let type = request.query["machineType"], let region = request.query["region"] else { return Self.error(400, "BAD_REQUEST", "machineType and region are required") }
            return .json(200, ["available": Self.regionCode(region) != nil && Self.types.contains { $0.label == type } && !settings.unavailable.contains("\(type)@\(Self.regionCode(region) ?? region)")])
        case ("GET", 1, "os-templates"):
            return page(Self.templates.map { template in
                [
                    "id": template.id, "name": template.name, "agentType": template.agent, "operatingSystemLabel": template.os, "defaultSizeGb": 50,
                    "availableMachineTypes": Self.types.map { ["machineTypeLabel": $0.label, "isAvailable": template.types.contains($0.label)] },
                    "dtCreated": "2024-01-15T09:30:00Z",
                ] as [String: Any]
            }, request)
        case ("GET", 1, "startup-scripts"):
            let name = request.query["name"]
            return page(state.withLock { state in state.scripts.filter { name == nil || $0.name == name }.map { scriptObject($0, state) } }, request)
        case ("POST", 1, "startup-scripts"):
            guard let body = request.json, Set(body.keys).isSubset(of: ["name", "script", "isRunOnce"]), let name = body["name"] as? String,
                let script = body["script"] as? String
            else { return Self.error(400, "BAD_REQUEST", "name and script are required; nothing else is taken") }
            return state.withLock { state in
                let made = Script(id: "sc" + Self.shortID(), name: name, script: script, runOnce: body["isRunOnce"] as? Bool ?? false, created: Date())
                state.scripts.append(made)
                return .json(200, scriptObject(made, state))
            }
        case ("DELETE", 2, "startup-scripts"):
            return state.withLock { state in
                guard let index = state.scripts.firstIndex(where: { $0.id == rest[1] }) else { return Self.notFound }
                let gone = state.scripts.remove(at: index)
                return .json(200, scriptObject(gone, state))
            }
        default:
            return Self.notFound
        }
    }

    // MARK: Test hooks

    /// Live machines: id → name.
    public var liveMachines: [String: String] { state.withLock { $0.machines.mapValues(\.name) } }
    public var scriptCount: Int { state.withLock { $0.scripts.count } }

    /// The startup script a machine was created with.
    public func script(of id: String) -> String? {
        state.withLock { state in state.machines[id]?.script.flatMap { script in state.scripts.first { $0.id == script }?.script } }
    }

    // MARK: Create

    private func create(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.error(400, "PARSE_ERROR", "The body is no JSON object") }
        if let unknown = Set(body.keys).subtracting(Self.createFields).sorted().first {
            return Self.error(400, "BAD_REQUEST", "Unrecognized key(s) in object: '\(unknown)'")
        }
        guard let name = body["name"] as? String, !name.isEmpty, let type = body["machineType"] as? String, let template = body["templateId"] as? String,
            let disk = body["diskSize"] as? Int, disk > 0, let region = (body["region"] as? String).flatMap(Self.regionCode)
        else { return Self.error(400, "BAD_REQUEST", "name, machineType, templateId, diskSize and a known region are required") }
        guard let known = Self.templates.first(where: { $0.id == template }) else { return Self.error(404, "NOT_FOUND", "Template not found") }
        guard known.types.contains(type) else { return Self.error(400, "BAD_REQUEST", "Template \(template) is not available on machine type \(type)") }
        let script = body["startupScriptId"] as? String
        return state.withLock { state in
            if let script, !state.scripts.contains(where: { $0.id == script }) { return Self.error(404, "NOT_FOUND", "Startup script not found") }
            guard !settings.unavailable.contains("\(type)@\(region)") else {
                return Self.error(400, "BAD_REQUEST", "Machine type \(type) is not available in \(region): out of capacity")
            }
            guard state.machines.count < settings.machineLimit else { return Self.error(400, "BAD_REQUEST", "Machine limit reached for this team") }
            let id = "ps" + Self.shortID()
            let machine = Machine(
                id: id, name: name, type: type, region: region, template: template, disk: disk, script: script, createdAt: .now, created: Date(),
                ordinal: state.made)
            state.machines[id] = machine
            state.made += 1
            return .json(200, ["event": event("create", id), "data": object(machine)])
        }
    }

    // MARK: Objects

    private func stateName(_ machine: Machine) -> String {
        let age = ContinuousClock.now - machine.createdAt
        return age < settings.activation / 2 ? "provisioning" : age < settings.activation ? "starting" : "ready"
    }

    private func object(_ machine: Machine) -> [String: Any] {
        let type = Self.types.first { $0.label == machine.type }
        let ready = stateName(machine) == "ready"
        let null = NSNull()
        return [
            "id": machine.id, "name": machine.name, "state": stateName(machine), "os": Self.templates.first { $0.id == machine.template }?.os ?? "Ubuntu",
            "machineType": machine.type, "agentType": "LinuxHeadless", "cpus": type?.cpus ?? 2, "ram": (type?.ramGB ?? 4) * 1_073_741_824,
            "storageTotal": machine.disk * 1_073_741_824, "storageUsed": 0,
            "accelerators": type?.gpu.map { [["name": $0, "memory": (type?.gpuMemoryGB ?? 0) * 1024, "count": 1]] as Any } ?? null,
            "region": machine.region, "privateIp": ready ? "10.64.\(machine.ordinal / 250).\(10 + machine.ordinal % 250)" : null, "networkId": null,
            "publicIp": ready ? settings.address(machine.ordinal) : null, "publicIpType": "dynamic", "autoShutdownEnabled": false, "autoShutdownTimeout": null,
            "autoShutdownForce": null, "autoSnapshotEnabled": false, "autoSnapshotFrequency": null, "autoSnapshotSaveCount": null, "updatesPending": false,
            "restorePointEnabled": false, "restorePointFrequency": null, "restorePointSnapshotId": null, "usageRate": type?.rate ?? 0, "storageRate": 0.0001,
            "dtCreated": FakeTime.iso8601(machine.created), "dtModified": FakeTime.iso8601(machine.created), "dtDeleted": null, "reservation": null,
        ]
    }

    private func event(_ name: String, _ machine: String) -> [String: Any] {
        ["id": "ev" + Self.shortID(), "name": name, "state": "new", "machineId": machine, "dtCreated": FakeTime.iso8601(Date()), "dtStarted": NSNull(),
         "dtFinished": NSNull(), "error": NSNull()]
    }

    private func scriptObject(_ script: Script, _ state: State) -> [String: Any] {
        let assigned = state.machines.values.filter { $0.script == script.id }.map(\.id).sorted()
        return [
            "id": script.id, "name": script.name, "description": NSNull(), "isEnabled": true, "isRunOnce": script.runOnce, "assignedMachineIds": assigned,
            "dtCreated": FakeTime.iso8601(script.created), "dtDeleted": NSNull(),
        ]
    }

    /// `ny2`, or the long form (`East Coast (NY2)`); `nil` for a region Paperspace does not have.
    static func regionCode(_ text: String) -> String? {
        if regions[text] != nil { return text }
        return regions.first { $0.value == text }?.key
    }

    private func page(_ items: [[String: Any]], _ request: FakeRequest) -> FakeResponse {
        let limit = min(Int(request.query["limit"] ?? "") ?? 20, settings.maxPerPage)
        let start = Int(request.query["after"] ?? "") ?? 0
        let slice = Array(items.dropFirst(start).prefix(limit))
        let more = start + slice.count < items.count
        var answer: [String: Any] = ["hasMore": more, "items": slice]
        if more { answer["nextPage"] = String(start + slice.count) }
        return .json(200, answer)
    }

    static func shortID() -> String { String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)) }

    static let notFound = error(404, "NOT_FOUND", "Not found")

    public static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        .json(status, ["message": message, "code": code])
    }
}
