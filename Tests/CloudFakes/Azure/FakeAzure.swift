import Foundation
import Synchronization

/// Azure Resource Manager as Azure's REST API specifications describe it and Azure's own clients
/// (`azure-mgmt-compute`, `azure-mgmt-network`, `azure-mgmt-resource`) read it — they drive this
/// fake in the tests, over HTTPS — with Entra ID's token endpoint and the instance metadata
/// service beside it: resource groups (deleted with everything in them), network security
/// groups, virtual networks with subnets, public IPs, network interfaces (refused deletion while a
/// VM holds one), VMs (with their OS disk; `deleteOption` honoured on delete) and their instance
/// view; PUTs answered 201 `Creating` with `Azure-AsyncOperation`, deletes 202 with `Location`,
/// both ending after `operationTime`; paths matched without case, any `api-version` taken. A size
/// not offered is 409 `SkuNotAvailable`, cores over quota 409 `OperationNotAllowed`, an allocation
/// that cannot be made an async operation `Failed` with `AllocationFailed`.
public final class FakeAzure: FakeAPI {
    public let contract: String? = "azure"

    public struct Settings: Sendable {
        public var subscription = "00000000-0000-0000-0000-0000000000b1"
        public var tenant = "11111111-2222-3333-4444-555555555555"
        public var clientID = "66666666-7777-8888-9999-000000000000"
        public var clientSecret = "fake~secret.value_0123456789"
        /// A token the API takes as it is (`AZURE_ACCESS_TOKEN`, a client's static credential).
        public var staticToken = "eyJ0eXAiOiJKV1QifQ.fake-static.token"
        public var operationTime: Duration = .milliseconds(150)
        public var activation: Duration = .milliseconds(300)
        /// The public IP of the n-th address made (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "20.1.\($0 / 250).\(10 + $0 % 250)" }
        /// `location/size` pairs refused with `SkuNotAvailable`.
        public var unavailable: Set<String> = []
        /// `location/size` pairs whose allocation fails in the async operation.
        public var allocationFails: Set<String> = []
        /// vCPUs the subscription may run per location.
        public var coreQuota = 40

        public init() {}
    }

    struct Resource: @unchecked Sendable {
        var id: String
        var type: String
        var name: String
        var group: String
        var location: String
        var tags: [String: String]
        var properties: [String: Any]
        var extra: [String: Any]
        var state: String
        var createdAt: ContinuousClock.Instant
        var created: Date
    }

    struct Operation: @unchecked Sendable {
        var started: ContinuousClock.Instant
        var error: (code: String, message: String)?
        var effect: @Sendable (inout State) -> Void
        var done = false
    }

    struct State: @unchecked Sendable {
        var resources: [String: Resource] = [:]
        var operations: [String: Operation] = [:]
        var tokens: Set<String> = []
        var addresses = 0
        var count = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let sizes: [String: Int] = ["standard_b1s": 1, "standard_b2s": 2, "standard_d2s_v5": 2, "standard_d4s_v5": 4, "standard_nc4as_t4_v3": 4]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        let lower = parts.map { $0.lowercased() }
        if request.method == "POST", lower.count == 4, lower[1] == "oauth2", lower[2] == "v2.0", lower[3] == "token" { return login(request, tenant: parts[0]) }
        if lower == ["api", "retail", "prices"] { return retailPrices(request, baseURL: baseURL) }
        if lower.starts(with: ["metadata", "identity", "oauth2", "token"]) {
            guard request.header("Metadata") == "true" else { return .json(400, ["error": "invalid_request", "error_description": "Required metadata header not specified"]) }
            return issue(asText: true)
        }
        guard let header = request.header("Authorization"), header.hasPrefix("Bearer "),
            header == "Bearer \(settings.staticToken)" || state.withLock({ $0.tokens.contains(String(header.dropFirst(7))) })
        else { return Self.error(401, "InvalidAuthenticationToken", "The access token is invalid.") }
        guard lower.count >= 2, lower[0] == "subscriptions" else { return Self.error(404, "NotFound", "The requested path was not found.") }
        guard lower[1] == settings.subscription else { return Self.error(404, "SubscriptionNotFound", "The subscription '\(parts[1])' could not be found.") }
        let root = "\(baseURL)/subscriptions/\(settings.subscription)"
        let rest = Array(parts.dropFirst(2))
        let low = rest.map { $0.lowercased() }
        return state.withLock { state in
            settle(&state)
            switch (request.method, low.count) {
            case ("GET", 1) where low[0] == "resourcegroups":
                let groups = state.resources.values.filter { $0.type == "Microsoft.Resources/resourceGroups" }.map { object($0) }
                return .json(200, ["value": groups])
            case (_, 2) where low[0] == "resourcegroups":
                return group(request, &state, name: rest[1], root: root, baseURL: baseURL)
            case ("GET", 6) where low[0] == "providers" && low[2] == "locations" && low[4] == "operations":
                guard let op = state.operations[low[5]] else { return Self.error(404, "NotFound", "Operation not found") }
                var answer: [String: Any] = ["name": low[5], "status": op.done ? (op.error == nil ? "Succeeded" : "Failed") : "InProgress", "startTime": FakeTime.iso8601(Date())]
                if op.done, let error = op.error { answer["error"] = ["code": error.code, "message": error.message] }
                return .json(200, answer)
            case ("GET", 2) where low[0] == "operationresults":
                guard let op = state.operations[low[1]] else { return Self.error(404, "NotFound", "Operation not found") }
                return op.done ? FakeResponse(status: 200) : FakeResponse(status: 202, headers: [("Location", "\(root)/operationresults/\(low[1])"), ("Retry-After", "1")])
            case ("GET", 3) where low[0] == "providers" && low[1] == "microsoft.compute" && low[2] == "skus":
                let filter = request.query["$filter"]
                let skus = Self.catalog.filter { sku in filter.map { f in Self.regions.contains { f.contains("'\($0)'") && sku.regions.contains($0) } || !f.contains("location") } ?? true }
                return .json(200, ["value": skus.map { sku in
                    var restrictions: [[String: Any]] = []
                    if let restricted = sku.restricted {
                        restrictions.append(["type": "Location", "values": [restricted], "restrictionInfo": ["locations": [restricted]], "reasonCode": "NotAvailableForSubscription"])
                    }
                    var capabilities = [["name": "vCPUs", "value": String(sku.cpus)], ["name": "MemoryGB", "value": String(sku.memory)], ["name": "CpuArchitectureType", "value": "x64"]]
                    if sku.gpus > 0 { capabilities.append(["name": "GPUs", "value": String(sku.gpus)]) }
                    return ["resourceType": "virtualMachines", "name": sku.name, "tier": "Standard", "size": String(sku.name.dropFirst(9)), "locations": sku.regions,
                        "locationInfo": sku.regions.map { ["location": $0, "zones": ["1", "2", "3"]] }, "capabilities": capabilities, "restrictions": restrictions] as [String: Any]
                }])
            case ("GET", 3) where low[0] == "providers" && low[1] == "microsoft.compute" && low[2] == "virtualmachines":
                // Azure's lists often spell resource groups in capitals.
                let all = state.resources.values.filter { $0.type == "Microsoft.Compute/virtualMachines" }.sorted { $0.id < $1.id }.map { vm in
                    var shouted = vm
                    shouted.id = vm.id.replacingOccurrences(of: "/resourceGroups/\(vm.group)/", with: "/resourceGroups/\(vm.group.uppercased())/")
                    return shouted
                }
                return page(all.map { object($0) }, request: request, baseURL: baseURL)
            case (_, 5...) where low[0] == "resourcegroups" && low[2] == "providers":
                let group = rest[1]
                guard state.resources[Self.key("\(root)/resourceGroups/\(group)", root: root)] != nil else {
                    return Self.error(404, "ResourceGroupNotFound", "Resource group '\(group)' could not be found.")
                }
                let type = "\(Self.canonical(rest[3]))/\(Self.canonical(rest[4]))"
                if low.count == 5 && request.method == "GET" {
                    return .json(200, ["value": state.resources.values.filter { $0.type == type && $0.group.lowercased() == group.lowercased() }.sorted { $0.id < $1.id }.map { object($0) }])
                }
                guard low.count == 6 else { return Self.error(404, "NotFound", "The requested path was not found.") }
                return resource(request, &state, type: type, group: group, name: rest[5], root: root, baseURL: baseURL)
            default:
                return Self.error(404, "NotFound", "The requested path was not found.")
            }
        }
    }

    // MARK: Test hooks

    /// Every token issued so far stops working, as when a credential is revoked.
    public func revokeTokens() { state.withLock { $0.tokens = [] } }

    /// Every resource left: its type and name (`Microsoft.Compute/virtualMachines/vm1`).
    public var resources: [String] {
        state.withLock { state in settle(&state); return state.resources.values.map { "\($0.type)/\($0.name)" }.sorted() }
    }

    public var virtualMachines: [String: [String: String]] {
        state.withLock { state in settle(&state); return Dictionary(uniqueKeysWithValues: state.resources.values.filter { $0.type == "Microsoft.Compute/virtualMachines" }.map { ($0.name, $0.tags) }) }
    }

    public func properties(of type: String, _ name: String) -> [String: Any]? {
        state.withLock { state in state.resources.values.first { $0.type == type && $0.name == name }?.properties }
    }

    // MARK: Resource groups

    private func group(_ request: FakeRequest, _ state: inout State, name: String, root: String, baseURL: String) -> FakeResponse {
        let id = "/subscriptions/\(settings.subscription)/resourceGroups/\(name)"
        let key = Self.key(id, root: "")
        switch request.method {
        case "PUT":
            guard let body = request.json, let location = body["location"] as? String else { return Self.error(400, "LocationRequired", "The location property is required for this definition.") }
            let existing = state.resources[key]
            state.resources[key] = Resource(
                id: id, type: "Microsoft.Resources/resourceGroups", name: name, group: name, location: location, tags: body["tags"] as? [String: String] ?? [:],
                properties: ["provisioningState": "Succeeded"], extra: [:], state: "Succeeded", createdAt: .now, created: Date())
            return .json(existing == nil ? 201 : 200, object(state.resources[key]!))
        case "GET":
            guard let group = state.resources[key] else { return Self.error(404, "ResourceGroupNotFound", "Resource group '\(name)' could not be found.") }
            return .json(200, object(group))
        case "DELETE":
            guard state.resources[key] != nil else { return Self.error(404, "ResourceGroupNotFound", "Resource group '\(name)' could not be found.") }
            let op = start(&state) { state in
                state.resources = state.resources.filter { $0.value.group.lowercased() != name.lowercased() }
            }
            return FakeResponse(status: 202, headers: [("Location", "\(baseURL)/subscriptions/\(settings.subscription)/operationresults/\(op)"), ("Retry-After", "1")])
        default:
            return Self.error(405, "MethodNotAllowed", "The method is not allowed.")
        }
    }

    // MARK: Resources

    private func resource(_ request: FakeRequest, _ state: inout State, type: String, group: String, name: String, root: String, baseURL: String) -> FakeResponse {
        let id = "/subscriptions/\(settings.subscription)/resourceGroups/\(group)/providers/\(type)/\(name)"
        let key = Self.key(id, root: "")
        let provider = type.hasPrefix("Microsoft.Compute") ? "Microsoft.Compute" : "Microsoft.Network"
        switch request.method {
        case "GET":
            guard var found = state.resources[key] else { return notFound(type, name, group) }
            if type == "Microsoft.Compute/virtualMachines", request.query["$expand"] == "instanceView" {
                found.properties["instanceView"] = instanceView(found)
            }
            return .json(200, object(found))
        case "PUT":
            guard let body = request.json, let location = body["location"] as? String else { return Self.error(400, "LocationRequired", "The location property is required for this definition.") }
            var properties = body["properties"] as? [String: Any] ?? [:]
            var extra: [String: Any] = [:]
            if let sku = body["sku"] { extra["sku"] = sku }
            if let zones = body["zones"] { extra["zones"] = zones }
            var failure: (String, String)?
            switch type {
            case "Microsoft.Network/publicIPAddresses":
                properties["ipAddress"] = (state.resources[key]?.properties["ipAddress"] as? String) ?? settings.address(state.addresses)
                if state.resources[key] == nil { state.addresses += 1 }
            case "Microsoft.Network/networkInterfaces":
                guard var configurations = properties["ipConfigurations"] as? [[String: Any]], !configurations.isEmpty else {
                    return Self.error(400, "InvalidRequestFormat", "ipConfigurations are required.")
                }
                for index in configurations.indices {
                    var inner = configurations[index]["properties"] as? [String: Any] ?? [:]
                    guard let subnet = (inner["subnet"] as? [String: Any])?["id"] as? String, subnetExists(subnet, state) else {
                        return Self.error(400, "InvalidResourceReference", "Resource referenced by the network interface was not found: its subnet.")
                    }
                    if let ip = (inner["publicIPAddress"] as? [String: Any])?["id"] as? String, state.resources[Self.key(ip, root: baseURL)] == nil {
                        return Self.error(400, "InvalidResourceReference", "Resource \(ip) referenced by the network interface was not found.")
                    }
                    inner["privateIPAddress"] = "10.0.0.\(4 + state.count % 250)"
                    inner["primary"] = index == 0
                    configurations[index]["properties"] = inner
                    configurations[index]["id"] = "\(id)/ipConfigurations/\(configurations[index]["name"] as? String ?? "ipconfig\(index + 1)")"
                }
                properties["ipConfigurations"] = configurations
            case "Microsoft.Compute/virtualMachines":
                let size = ((properties["hardwareProfile"] as? [String: Any])?["vmSize"] as? String ?? "").lowercased()
                guard let cores = Self.sizes[size] else { return Self.error(400, "InvalidParameter", "The value of parameter vmSize is invalid.") }
                if settings.unavailable.contains("\(location.lowercased())/\(size)") {
                    return Self.error(409, "SkuNotAvailable", "The requested VM size for resource '\(size)' is currently not available in location '\(location)'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.")
                }
                let used = state.resources.values.filter { $0.type == type && $0.location.lowercased() == location.lowercased() && $0.id.lowercased() != key }
                    .compactMap { Self.sizes[(($0.properties["hardwareProfile"] as? [String: Any])?["vmSize"] as? String ?? "").lowercased()] }.reduce(0, +)
                if used + cores > settings.coreQuota {
                    return Self.error(409, "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Location: \(location), Current Limit: \(settings.coreQuota), Current Usage: \(used), Additional Required: \(cores), (Minimum) New Limit Required: \(used + cores).")
                }
                let nics = ((properties["networkProfile"] as? [String: Any])?["networkInterfaces"] as? [[String: Any]]) ?? []
                guard !nics.isEmpty, nics.allSatisfy({ ($0["id"] as? String).map { state.resources[Self.key($0, root: baseURL)] != nil } ?? false }) else {
                    return Self.error(400, "InvalidParameter", "The network interface referenced by the VM was not found.")
                }
                for nic in nics.compactMap({ $0["id"] as? String }) {
                    if let holder = state.resources.values.first(where: { $0.type == type && $0.id.lowercased() != key && Self.nics($0).contains(Self.key(nic, root: baseURL)) }) {
                        return Self.error(400, "NicInUse", "Network Interface \(nic) is used by existing resource \(holder.id).")
                    }
                }
                guard let os = properties["osProfile"] as? [String: Any], os["adminUsername"] is String,
                    (((os["linuxConfiguration"] as? [String: Any])?["ssh"] as? [String: Any])?["publicKeys"] as? [[String: Any]])?.isEmpty == false
                else { return Self.error(400, "InvalidParameter", "osProfile needs adminUsername and an SSH public key.") }
                var storage = properties["storageProfile"] as? [String: Any] ?? [:]
                if let existing = state.resources[key], let kept = existing.properties["storageProfile"] {
                    // A PUT of a VM that exists updates it: its disk stays the one it has.
                    properties["storageProfile"] = kept
                    properties["vmId"] = existing.properties["vmId"]
                    properties["timeCreated"] = existing.properties["timeCreated"]
                    break
                }
                var disk = storage["osDisk"] as? [String: Any] ?? [:]
                let diskName = "\(name)_OsDisk_1_\(String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(32)))"
                let diskID = "/subscriptions/\(settings.subscription)/resourceGroups/\(group)/providers/Microsoft.Compute/disks/\(diskName)"
                disk["name"] = diskName
                var managed = disk["managedDisk"] as? [String: Any] ?? [:]
                managed["id"] = diskID
                disk["managedDisk"] = managed
                disk["osType"] = "Linux"
                storage["osDisk"] = disk
                properties["storageProfile"] = storage
                properties["vmId"] = UUID().uuidString.lowercased()
                properties["timeCreated"] = FakeTime.iso8601(Date())
                if let os = properties["osProfile"] as? [String: Any] {
                    var shown = os
                    shown["customData"] = nil  // not echoed back
                    properties["osProfile"] = shown
                }
                if settings.allocationFails.contains("\(location.lowercased())/\(size)") {
                    failure = ("AllocationFailed", "Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance")
                } else {
                    state.resources[Self.key(diskID, root: "")] = Resource(
                        id: diskID, type: "Microsoft.Compute/disks", name: diskName, group: group, location: location, tags: [:],
                        properties: ["diskSizeGB": disk["diskSizeGB"] ?? 30, "osType": "Linux", "diskState": "Attached"], extra: [:], state: "Succeeded", createdAt: .now, created: Date())
                }
            default:
                break
            }
            let created = state.resources[key] == nil
            state.resources[key] = Resource(
                id: id, type: type, name: name, group: group, location: location, tags: body["tags"] as? [String: String] ?? [:], properties: properties, extra: extra,
                // The network provider's states have no Creating: a resource being made is Updating.
                state: provider == "Microsoft.Compute" ? "Creating" : "Updating", createdAt: .now, created: Date())
            state.count += 1
            let failed = failure != nil
            let op = start(&state, error: failure) { state in
                guard state.resources[key] != nil else { return }
                state.resources[key]?.state = failed ? "Failed" : "Succeeded"
                state.resources[key]?.createdAt = .now
            }
            return .json(created ? 201 : 200, object(state.resources[key]!), headers: [
                ("Azure-AsyncOperation", "\(baseURL)/subscriptions/\(settings.subscription)/providers/\(provider)/locations/\(location)/operations/\(op)?api-version=2024-11-01"),
            ])
        case "DELETE":
            guard let found = state.resources[key] else { return FakeResponse(status: 204) }
            if type == "Microsoft.Network/networkInterfaces", let holder = state.resources.values.first(where: { $0.type == "Microsoft.Compute/virtualMachines" && Self.nics($0).contains(key) }) {
                return Self.error(400, "NicInUse", "Network Interface \(id) is used by existing resource \(holder.id). In order to delete the network interface, it must be dissociated from the resource.")
            }
            if type == "Microsoft.Network/publicIPAddresses", let holder = state.resources.values.first(where: { $0.type == "Microsoft.Network/networkInterfaces" && Self.ips($0).contains(key) }) {
                return Self.error(400, "PublicIPAddressCannotBeDeleted", "Public IP address \(id) can not be deleted since it is still allocated to resource \(holder.id).")
            }
            state.resources[key]?.state = "Deleting"
            let op = start(&state) { state in
                state.resources[key] = nil
                // What the VM says goes with it, goes.
                guard found.type == "Microsoft.Compute/virtualMachines" else { return }
                let profile = found.properties["networkProfile"] as? [String: Any]
                for nic in profile?["networkInterfaces"] as? [[String: Any]] ?? [] where (nic["properties"] as? [String: Any])?["deleteOption"] as? String == "Delete" {
                    guard let id = nic["id"] as? String else { continue }
                    let nicKey = Self.key(id, root: "")
                    if let gone = state.resources.removeValue(forKey: nicKey) {
                        for configuration in gone.properties["ipConfigurations"] as? [[String: Any]] ?? [] {
                            let ip = (configuration["properties"] as? [String: Any])?["publicIPAddress"] as? [String: Any]
                            if (ip?["properties"] as? [String: Any])?["deleteOption"] as? String == "Delete", let ipID = ip?["id"] as? String {
                                state.resources[Self.key(ipID, root: "")] = nil
                            }
                        }
                    }
                }
                let disk = (found.properties["storageProfile"] as? [String: Any])?["osDisk"] as? [String: Any]
                if disk?["deleteOption"] as? String == "Delete", let diskID = (disk?["managedDisk"] as? [String: Any])?["id"] as? String {
                    state.resources[Self.key(diskID, root: "")] = nil
                }
            }
            return FakeResponse(status: 202, headers: [
                ("Location", "\(baseURL)/subscriptions/\(settings.subscription)/operationresults/\(op)"), ("Retry-After", "1"),
                ("Azure-AsyncOperation", "\(baseURL)/subscriptions/\(settings.subscription)/providers/\(provider)/locations/\(found.location)/operations/\(op)?api-version=2024-11-01"),
            ])
        default:
            return Self.error(405, "MethodNotAllowed", "The method is not allowed.")
        }
    }

    private func subnetExists(_ subnet: String, _ state: State) -> Bool {
        let parts = subnet.split(separator: "/").map(String.init)
        guard let at = parts.firstIndex(where: { $0.lowercased() == "subnets" }), at >= 1 else { return false }
        let vnetID = "/" + parts[..<at].joined(separator: "/")
        guard let vnet = state.resources[Self.key(vnetID, root: "")] else { return false }
        let subnets = vnet.properties["subnets"] as? [[String: Any]] ?? []
        return parts.indices.contains(at + 1) && subnets.contains { ($0["name"] as? String)?.lowercased() == parts[at + 1].lowercased() }
    }

    static func nics(_ vm: Resource) -> [String] {
        (((vm.properties["networkProfile"] as? [String: Any])?["networkInterfaces"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String).map { key($0, root: "") } }
    }

    static func ips(_ nic: Resource) -> [String] {
        ((nic.properties["ipConfigurations"] as? [[String: Any]]) ?? []).compactMap {
            (((($0["properties"] as? [String: Any])?["publicIPAddress"] as? [String: Any])?["id"]) as? String).map { key($0, root: "") }
        }
    }

    // MARK: Operations

    private func start(_ state: inout State, error: (String, String)? = nil, effect: @escaping @Sendable (inout State) -> Void) -> String {
        let name = UUID().uuidString.lowercased()
        state.operations[name] = Operation(started: .now, error: error.map { (code: $0.0, message: $0.1) }, effect: effect)
        return name
    }

    private func settle(_ state: inout State) {
        let now = ContinuousClock.now
        for (name, op) in state.operations where !op.done && now - op.started >= settings.operationTime {
            op.effect(&state)
            state.operations[name]?.done = true
        }
    }

    // MARK: Objects

    /// A resource id, lower case and relative to the API (ids are compared without case).
    static func key(_ id: String, root: String) -> String {
        var path = id
        if let url = URLComponents(string: id), url.host != nil { path = url.path }
        return path.lowercased()
    }

    /// `microsoft.network` → `Microsoft.Network`, `publicipaddresses` → `publicIPAddresses`.
    static func canonical(_ segment: String) -> String {
        let known = ["Microsoft.Network", "Microsoft.Compute", "networkSecurityGroups", "virtualNetworks", "publicIPAddresses", "networkInterfaces", "virtualMachines", "disks"]
        return known.first { $0.lowercased() == segment.lowercased() } ?? segment
    }

    private func object(_ resource: Resource) -> [String: Any] {
        var properties = resource.properties
        properties["provisioningState"] = resource.state
        var object: [String: Any] = ["id": resource.id, "name": resource.name, "type": resource.type, "location": resource.location, "tags": resource.tags, "properties": properties]
        for (key, value) in resource.extra { object[key] = value }
        return object
    }

    private func instanceView(_ vm: Resource) -> [String: Any] {
        var statuses: [[String: Any]] = [["code": "ProvisioningState/\(vm.state.lowercased())", "level": "Info", "displayStatus": "Provisioning \(vm.state.lowercased())"]]
        if vm.state == "Failed" {
            statuses[0]["code"] = "ProvisioningState/failed/AllocationFailed"
        } else if vm.state == "Succeeded" {
            let running = ContinuousClock.now - vm.createdAt >= settings.activation
            statuses.append(["code": running ? "PowerState/running" : "PowerState/starting", "level": "Info", "displayStatus": running ? "VM running" : "VM starting"])
        }
        return ["computerName": vm.name, "osName": "ubuntu", "statuses": statuses]
    }

    private func page(_ items: [[String: Any]], request: FakeRequest, baseURL: String) -> FakeResponse {
        let start = Int(request.query["$skiptoken"] ?? "") ?? 0
        let slice = Array(items.dropFirst(start).prefix(2))
        var answer: [String: Any] = ["value": slice]
        if start + slice.count < items.count {
            answer["nextLink"] = "\(baseURL)\(request.path)?api-version=\(request.query["api-version"] ?? "2024-11-01")&$skiptoken=\(start + slice.count)"
        }
        return .json(200, answer)
    }

    // MARK: Sizes and prices

    static let regions = ["eastus", "westus2"]
    static let catalog: [(name: String, cpus: Int, memory: Double, gpus: Int, regions: [String], restricted: String?, price: Double, spot: Double?)] = [
        ("Standard_B1s", 1, 1, 0, regions, nil, 0.0104, nil), ("Standard_B2s", 2, 4, 0, regions, nil, 0.0416, nil),
        ("Standard_D2s_v5", 2, 8, 0, regions, nil, 0.096, 0.0192), ("Standard_D4s_v5", 4, 16, 0, regions, "westus2", 0.192, 0.0384),
        ("Standard_NC4as_T4_v3", 4, 28, 1, regions, nil, 0.526, 0.1578),
    ]

    /// The Retail Prices API: Linux, Windows, Spot and Low Priority rows per size and region, four a page.
    private func retailPrices(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        let filter = request.query["$filter"] ?? ""
        var rows: [[String: Any]] = []
        for sku in Self.catalog {
            for region in sku.regions where filter.contains("armRegionName eq '\(region)'") || !filter.contains("armRegionName") {
                let short = sku.name.replacingOccurrences(of: "Standard_", with: "").replacingOccurrences(of: "_", with: " ")
                let series = "Virtual Machines \(short.prefix(1)) Series"
                func row(_ skuName: String, _ product: String, _ price: Double) -> [String: Any] {
                    ["currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": price, "unitPrice": price, "armRegionName": region, "location": region,
                     "effectiveStartDate": "2026-01-01T00:00:00Z", "meterId": UUID().uuidString.lowercased(), "meterName": skuName, "productId": "DZH318Z0BQ4L",
                     "skuId": "DZH318Z0BQ4L/00TG", "productName": product, "skuName": skuName, "serviceName": "Virtual Machines", "serviceId": "DZH313Z7MMC8",
                     "serviceFamily": "Compute", "unitOfMeasure": "1 Hour", "type": "Consumption", "isPrimaryMeterRegion": true, "armSkuName": sku.name]
                }
                rows.append(row(short, series, sku.price))
                rows.append(row(short, "\(series) Windows", sku.price * 2))
                rows.append(row("\(short) Low Priority", series, sku.price * 0.2))
                if let spot = sku.spot { rows.append(row("\(short) Spot", series, spot)) }
            }
        }
        let skip = Int(request.query["$skip"] ?? "") ?? 0
        let page = Array(rows.dropFirst(skip).prefix(4))
        var answer: [String: Any] = ["BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail", "Items": page, "Count": page.count]
        if skip + page.count < rows.count {
            var next = URLComponents(string: "\(baseURL)/api/retail/prices")
            next?.queryItems = [URLQueryItem(name: "$filter", value: filter), URLQueryItem(name: "$skip", value: String(skip + page.count))]
            answer["NextPageLink"] = next?.string ?? NSNull()
        } else {
            answer["NextPageLink"] = NSNull()
        }
        return .json(200, answer)
    }

    // MARK: Entra ID and the metadata service

    private func login(_ request: FakeRequest, tenant: String) -> FakeResponse {
        let form = CloudFake<FakeAzure>.decodeQuery(String(decoding: request.body, as: UTF8.self))
        guard tenant == settings.tenant else { return .json(400, ["error": "invalid_tenant", "error_description": "AADSTS90002: Tenant '\(tenant)' not found."]) }
        guard form["grant_type"] == "client_credentials", form["scope"] == "https://management.azure.com/.default" else {
            return .json(400, ["error": "invalid_request", "error_description": "AADSTS900144: The request body must contain the following parameter: 'grant_type' or 'scope'."])
        }
        guard form["client_id"] == settings.clientID, form["client_secret"] == settings.clientSecret else {
            return .json(401, ["error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."])
        }
        return issue(asText: false)
    }

    private func issue(asText: Bool) -> FakeResponse {
        let token = "eyJ0eXAiOiJKV1QifQ.fake-" + UUID().uuidString.lowercased()
        state.withLock { _ = $0.tokens.insert(token) }
        return .json(200, ["token_type": "Bearer", "expires_in": asText ? "3599" as Any : 3599, "access_token": token, "resource": "https://management.azure.com/"])
    }

    private func notFound(_ type: String, _ name: String, _ group: String) -> FakeResponse {
        Self.error(404, "ResourceNotFound", "The Resource '\(type)/\(name)' under resource group '\(group)' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")
    }

    public static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        .json(status, ["error": ["code": code, "message": message]])
    }
}
