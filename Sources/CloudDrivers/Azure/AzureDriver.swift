import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Azure VMs through Azure Resource Manager (`https://management.azure.com`), following Azure's
/// REST API specifications (Compute 2024-11-01, Network 2024-05-01, Resources 2022-09-01) and,
/// where they are silent, Azure's own clients (`azure-mgmt-compute`, `azure-mgmt-network`,
/// `azure-mgmt-resource`), which drive the fake in the tests. Credentials: `AzureCredentials`.
///
/// Each deployment gets a resource group per region (`blueprint-remote-<deployment>-<region>`,
/// tagged) holding its network security group (SSH, and the service's public ports, from
/// `allowed_cidrs`) and virtual network; each VM its public IP and network interface beside it.
/// Every write is a PUT of a named resource — a resend makes nothing twice — followed through its
/// `Azure-AsyncOperation` (or `Location`) to the end, so an allocation that fails there is a typed
/// no-capacity error. An instance's id is `<group>/<vm name>`, its name its create request. The OS
/// disk and network interface go with the VM (`deleteOption: Delete`); terminate deletes the VM,
/// then its network interface, public IP and disk wherever they are left, and checks each is gone;
/// the resource group goes with the deployment's last VM there. Live offers: the subscription's
/// VM sizes per region (`AzureOffers`) priced from the Retail Prices API.
public struct AzureDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.azure
    static let sshUser = "azureuser"

    let client: JSONClient
    /// The Retail Prices API (`BLUEPRINT_REMOTE_ENDPOINT_AZURE_PRICES`): public, so no token goes there.
    let prices: JSONClient
    let credentials: AzureCredentials
    let region: String?
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        let credentials = try AzureCredentials.resolve(context.environment, transport: context.transport)
        return try AzureDriver(
            client: JSONClient(
                .azure, transport: context.transport, signer: CachedBearerSigner(tokens: credentials.tokens), environment: context.environment,
                errors: AzureErrors.map),
            prices: JSONClient(.azure, endpoint: "PRICES", transport: context.transport, signer: UnsignedRequests(), environment: context.environment, errors: AzureErrors.map),
            credentials: credentials, region: context.region)
    }

    var subscription: String { "/subscriptions/\(credentials.subscription)" }

    public func checkCredentials() async throws -> String {
        _ = try await client.get(
            "\(subscription)/resourcegroups", query: [Self.version(AzureWire.resourcesVersion), URLQueryItem(name: "$top", value: "1")],
            operation: "resource_groups.list", as: AzureWire.List<AzureWire.Reference>.self)
        return "subscription \(credentials.subscription)"
    }

    static func version(_ value: String) -> URLQueryItem { URLQueryItem(name: "api-version", value: value) }
    static func group(_ deployment: String, region: String) -> String { "blueprint-remote-\(deployment)-\(region)" }
    func groupPath(_ group: String) -> String { "\(subscription)/resourceGroups/\(group)" }

    // MARK: Resource Manager calls

    /// PUTs `body` at `path` (a resend puts the same resource) and follows the operation to its end.
    func put(_ path: String, version: String, body: [String: Any], operation: String) async throws {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let response = try await client.http.send(ProviderRequest(
            method: "PUT", path: path, query: [Self.version(version)], headers: [("Content-Type", "application/json")], body: data, operation: operation,
            safety: .idempotent))
        try await follow(response, operation: operation)
    }

    /// DELETEs `path` and follows the operation to its end; already gone is success.
    func delete(_ path: String, version: String, operation: String) async throws {
        do {
            let response = try await client.http.send(ProviderRequest(method: "DELETE", path: path, query: [Self.version(version)], operation: operation, safety: .idempotent))
            try await follow(response, operation: operation)
        } catch let error as ProviderError where error.kind == .notFound {}
    }

    /// Polls `Azure-AsyncOperation` until its status is final (a failure thrown as the error it
    /// names), or `Location` while it answers 202 — only on the API's own host: a token is never
    /// sent anywhere else.
    func follow(_ first: HTTPResponse, operation: String) async throws {
        var pause = Duration.milliseconds(250)
        let deadline = ContinuousClock.now + .seconds(1800)
        func wait() async throws {
            guard ContinuousClock.now < deadline else {
                throw ProviderError(.timeout, provider: provider, operation: operation, message: "the operation is still running after 30 minutes")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(10))
        }
        if let url = first.header("Azure-AsyncOperation") {
            let (path, query) = try relative(url, operation: operation)
            while true {
                let state: AzureWire.Operation = try client.decode(try await client.http.send(.get(path, query: query, operation: "\(operation).poll")), operation: operation)
                switch state.status.lowercased() {
                case "succeeded": return
                case "failed", "canceled":
                    throw state.error.map { AzureErrors.error($0, status: nil, operation: operation) }
                        ?? ProviderError(.transient, provider: provider, operation: operation, message: "the operation ended \(state.status)")
                default:
                    try await wait()
                }
            }
        }
        if first.status == 202, var url = first.header("Location") {
            while true {
                let (path, query) = try relative(url, operation: operation)
                let response = try await client.http.send(.get(path, query: query, operation: "\(operation).poll"))
                guard response.status == 202 else { return }
                url = response.header("Location") ?? url
                try await wait()
            }
        }
    }

    /// An operation URL as a path and query on the API's own base URL.
    func relative(_ url: String, operation: String) throws -> (String, [URLQueryItem]) {
        let base = client.http.baseURL
        func port(_ scheme: String?, _ port: Int?) -> Int? { port ?? (scheme?.lowercased() == "https" ? 443 : scheme?.lowercased() == "http" ? 80 : nil) }
        guard let components = URLComponents(string: url), components.host?.lowercased() == base.host?.lowercased(),
            port(components.scheme, components.port) == port(base.scheme, base.port)
        else {
            throw ProviderError(.invalidRequest, provider: provider, operation: operation, message: "the operation to follow is on another host: \(url)")
        }
        let prefix = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        let path = components.path.hasPrefix(prefix) ? String(components.path.dropFirst(prefix.count)) : components.path
        return (path, components.queryItems ?? [])
    }

    // MARK: Create

    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        let group = Self.group(deployment, region: request.region)
        return try await inFlight.guarding(
            deployment, { try await make(request, group: group) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in
                try await delete(groupPath(group), version: AzureWire.resourcesVersion, operation: "resource_groups.delete")
                await known.forget("network:\(group)")
            })
    }

    func make(_ request: InstanceRequest, group: String) async throws -> Instance {
        let name = try ServerName.make(request.requestID, provider: provider)
        guard name.count <= 64 else {
            throw ValidationError(field: "name", value: request.requestID, rule: "must make a VM name of at most 64 characters (Azure)")
        }
        guard let key = request.sshPublicKey else {
            throw ValidationError(field: "ssh_public_key", value: "", rule: "is required: Azure VMs are reached over SSH with it")
        }
        let location = request.region
        let tags = request.tags.dictionary
        let vm = "\(groupPath(group))/providers/Microsoft.Compute/virtualMachines/\(name)"
        // A second run of this request finds the VM the first one made, before touching anything:
        // adopted as it is, so a failing re-PUT can never lead this run's cleanup to remove it.
        // (A group not made yet answers 404, as does a VM not made yet.)
        if let made = try await client.find(vm, query: [Self.version(AzureWire.computeVersion)], operation: "virtual_machines.get", as: AzureWire.VirtualMachine.self) {
            guard made.tags?[ResourceTags.ownerKey] == request.tags.owner else {
                throw ProviderError(.conflict, provider: provider, operation: "virtual_machines.create", message: "a VM \(name) of another owner is in \(group)")
            }
            switch made.properties?.provisioningState?.lowercased() {
            case "failed": break  // ours and failed: made again below, or removed if that fails too
            case "deleting":
                throw ProviderError(.transient, provider: provider, operation: "virtual_machines.create", message: "the VM \(name) is still being deleted")
            default:
                return Instance(
                    id: "\(group)/\(name)", provider: provider, region: location, instanceType: made.properties?.hardwareProfile?.vmSize ?? request.instanceType,
                    status: .pending, sshUser: Self.sshUser, createdAt: made.properties?.timeCreated.flatMap { try? Date($0, strategy: .iso8601) }, tags: made.tags ?? tags)
            }
        }
        try await ensureNetwork(for: request, group: group)
        let network = "\(groupPath(group))/providers/Microsoft.Network"
        let ip = "\(network)/publicIPAddresses/\(name)-ip"
        let nic = "\(network)/networkInterfaces/\(name)-nic"
        do {
            try await put(ip, version: AzureWire.networkVersion, body: [
                "location": location, "tags": tags, "sku": ["name": "Standard", "tier": "Regional"],
                "properties": ["publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4", "deleteOption": "Delete"],
            ], operation: "public_ips.create")
            try await put(nic, version: AzureWire.networkVersion, body: [
                "location": location, "tags": tags,
                "properties": ["ipConfigurations": [["name": "ipconfig1", "properties": [
                    "subnet": ["id": "\(network)/virtualNetworks/blueprint-remote/subnets/default"], "publicIPAddress": ["id": ip, "properties": ["deleteOption": "Delete"]],
                    "privateIPAllocationMethod": "Dynamic",
                ]]]],
            ], operation: "network_interfaces.create")
            let image = Self.image(request.image, size: request.instanceType)
            var osDisk: [String: Any] = ["createOption": "FromImage", "deleteOption": "Delete", "managedDisk": ["storageAccountType": "StandardSSD_LRS"]]
            // The size asked for, but never below the image's own: a GPU image's disk is larger than
            // a small request, and Azure refuses a disk smaller than its image. Left out, it is the image's.
            let asked = Int(request.diskGB.rounded(.up))
            if image != Self.gpuImage {
                osDisk["diskSizeGB"] = max(30, asked)
            } else if asked > Self.gpuImageDiskGB {
                osDisk["diskSizeGB"] = asked
            }
            var properties: [String: Any] = [
                "hardwareProfile": ["vmSize": request.instanceType],
                "storageProfile": [
                    "imageReference": image,
                    "osDisk": osDisk,
                ],
                "osProfile": [
                    "computerName": String(name.prefix(64)), "adminUsername": Self.sshUser,
                    "linuxConfiguration": ["disablePasswordAuthentication": true, "ssh": ["publicKeys": [["path": "/home/\(Self.sshUser)/.ssh/authorized_keys", "keyData": key]]]],
                ],
                "networkProfile": ["networkInterfaces": [["id": nic, "properties": ["primary": true, "deleteOption": "Delete"]]]],
            ]
            if let script = request.userData, var os = properties["osProfile"] as? [String: Any] {
                os["customData"] = Data(script.utf8).base64EncodedString()
                properties["osProfile"] = os
            }
            if request.spot {
                properties["priority"] = "Spot"
                properties["evictionPolicy"] = "Delete"
                properties["billingProfile"] = ["maxPrice": -1]
            }
            try await put(vm, version: AzureWire.computeVersion, body: ["location": location, "tags": tags, "properties": properties], operation: "virtual_machines.create")
        } catch let error as ProviderError {
            // Nothing of this VM is left behind: the VM, if it was made failed, then its NIC and IP.
            var left: [String] = []
            for (path, version, kind) in [(vm, AzureWire.computeVersion, "virtual_machines"), (nic, AzureWire.networkVersion, "network_interfaces"), (ip, AzureWire.networkVersion, "public_ips")] {
                do { try await delete(path, version: version, operation: "\(kind).delete") } catch { left.append("\(kind) \(path)") }
            }
            guard left.isEmpty else {
                throw ProviderError(
                    error.kind, provider: provider, operation: error.operation, httpStatus: error.httpStatus,
                    message: "\(error.message); could not remove \(left.joined(separator: ", ")) (down or gc removes its resource group)")
            }
            throw error.scoped(toRegion: location)
        }
        return Instance(
            id: "\(group)/\(name)", provider: provider, region: location, instanceType: request.instanceType, status: .pending, sshUser: Self.sshUser,
            createdAt: Date(), tags: tags)
    }

    /// Ubuntu 24.04 LTS (Canonical), Arm builds for the Arm sizes (`…p…`: Dpsv5, Epsv6…); `--image`
    /// as `publisher:offer:sku:version`. The compute GPU sizes (NC, ND) get Microsoft's Ubuntu HPC
    /// image, which carries the NVIDIA driver, Docker (Moby) and the NVIDIA container toolkit: the
    /// plain image has no driver. The NV sizes need NVIDIA's GRID driver, which that image lacks,
    /// and the MI300X sizes are AMD's.
    static func image(_ asked: String?, size: String) -> [String: String] {
        if let parts = asked?.split(separator: ":").map(String.init), parts.count == 4 {
            return ["publisher": parts[0], "offer": parts[1], "sku": parts[2], "version": parts[3]]
        }
        let lower = size.lowercased()
        if ["standard_nc", "standard_nd"].contains(where: { lower.hasPrefix($0) }) && !lower.contains("mi300") {
            return gpuImage
        }
        let arm = size.lowercased().contains("ps_v") || size.lowercased().contains("pls_v")
        return ["publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": arm ? "server-arm64" : "server", "version": "latest"]
    }

    static let gpuImage = ["publisher": "microsoft-dsvm", "offer": "ubuntu-hpc", "sku": "2204", "version": "latest"]
    /// The Ubuntu HPC image's own OS disk (GB): a smaller request keeps the image's size.
    static let gpuImageDiskGB = 64

    /// The deployment's resource group, network security group and virtual network in the region, made once.
    func ensureNetwork(for request: InstanceRequest, group: String) async throws {
        _ = try await known.once("network:\(group)") { [self] in
            let location = request.region
            let tags = [ResourceTags.ownerKey: request.tags.owner, ResourceTags.deploymentKey: request.tags.deployment]
            try await put(groupPath(group), version: AzureWire.resourcesVersion, body: ["location": location, "tags": tags], operation: "resource_groups.create")
            let network = "\(groupPath(group))/providers/Microsoft.Network"
            var ports: [PortMapping] = []
            for port in [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
            where !ports.contains(where: { $0.hostPort == port.hostPort && $0.transport == port.transport }) {
                ports.append(port)
            }
            // The VM has an IPv4 address only: IPv6 sources could never reach it.
            let sources = request.exposure.allowedCIDRs.filter { !$0.isIPv6 }.map(\.description)
            guard !sources.isEmpty else {
                throw ValidationError(
                    field: "allowed_cidrs", value: request.exposure.allowedCIDRs.map(\.description).joined(separator: ","),
                    rule: "must hold an IPv4 network for Azure, whose VMs get an IPv4 address")
            }
            let rules: [[String: Any]] = ports.enumerated().map { index, port in
                [
                    "name": "blueprint-remote-\(port.transport.rawValue)-\(port.hostPort)",
                    "properties": [
                        "protocol": port.transport == .udp ? "Udp" : "Tcp", "sourcePortRange": "*", "destinationPortRange": String(port.hostPort),
                        "sourceAddressPrefixes": sources, "destinationAddressPrefix": "*", "access": "Allow", "priority": 100 + index, "direction": "Inbound",
                    ],
                ]
            }
            try await put("\(network)/networkSecurityGroups/blueprint-remote", version: AzureWire.networkVersion, body: [
                "location": location, "tags": tags, "properties": ["securityRules": rules],
            ], operation: "security_groups.create")
            try await put("\(network)/virtualNetworks/blueprint-remote", version: AzureWire.networkVersion, body: [
                "location": location, "tags": tags,
                "properties": [
                    "addressSpace": ["addressPrefixes": ["10.0.0.0/16"]],
                    "subnets": [["name": "default", "properties": [
                        "addressPrefix": "10.0.0.0/24", "networkSecurityGroup": ["id": "\(network)/networkSecurityGroups/blueprint-remote"],
                    ]]],
                ],
            ], operation: "virtual_networks.create")
            return group
        }
    }

    // MARK: Describe, list, terminate


    func vmPath(_ group: String, _ name: String) -> String { "\(groupPath(group))/providers/Microsoft.Compute/virtualMachines/\(name)" }

    /// The VM with its instance view, and its public IP; gone is left out.
    public func describe(_ ids: [String]) async throws -> [Instance] {
        try await OneByOne.describe(ids) { [self] id in
            guard let (group, name) = ScopedID.split(id) else { return nil }
            let query = [Self.version(AzureWire.computeVersion), URLQueryItem(name: "$expand", value: "instanceView")]
            guard let vm = try await client.find(vmPath(group, name), query: query, operation: "virtual_machines.get", as: AzureWire.VirtualMachine.self) else {
                return nil
            }
            let ip = try await client.find(
                "\(groupPath(group))/providers/Microsoft.Network/publicIPAddresses/\(name)-ip", query: [Self.version(AzureWire.networkVersion)],
                operation: "public_ips.get", as: AzureWire.PublicIP.self)
            return Instance(
                id: id.lowercased(), provider: provider, region: vm.location, zone: vm.zones?.first, instanceType: vm.properties?.hardwareProfile?.vmSize ?? "",
                status: AzureWire.status(vm), publicAddress: ip?.properties?.ipAddress, sshPort: 22, sshUser: Self.sshUser,
                createdAt: vm.properties?.timeCreated.flatMap { try? Date($0, strategy: .iso8601) }, tags: vm.tags ?? [:])
        }
    }

    /// Every VM of the subscription (tags come with them; the VM list has no tag filter), those
    /// carrying the tag described.
    public func list(tag key: String, value: String) async throws -> [Instance] {
        let ids = try await client.pages(
            "\(subscription)/providers/Microsoft.Compute/virtualMachines", query: [Self.version(AzureWire.computeVersion)], operation: "virtual_machines.list",
            as: AzureWire.List<AzureWire.VirtualMachine>.self
        ).flatMap(\.value).filter { $0.tags?[key] == value }.map { AzureWire.id($0.id) }
        return try await describe(ids)
    }

    /// Deletes each VM, then its network interface, public IP and OS disk wherever they are left,
    /// and checks that each is gone; a resource group left without VMs goes after.
    public func terminate(_ ids: [String]) async throws {
        var groups: Set<String> = []
        for id in Set(ids.map { $0.lowercased() }).sorted() {
            // Only what this tool made: a VM in one of its resource groups.
            guard let (group, name) = ScopedID.split(id), group.hasPrefix("blueprint-remote-") else { continue }
            // Gone already or not: its leftovers are looked for all the same.
            let vm = try await client.find(vmPath(group, name), query: [Self.version(AzureWire.computeVersion)], operation: "virtual_machines.get", as: AzureWire.VirtualMachine.self)
            groups.insert(group)
            try await delete(vmPath(group, name), version: AzureWire.computeVersion, operation: "virtual_machines.delete")
            let network = "\(groupPath(group))/providers/Microsoft.Network"
            var leftovers: [(String, String, String)] = [
                ("\(network)/networkInterfaces/\(name)-nic", AzureWire.networkVersion, "network_interfaces"),
                ("\(network)/publicIPAddresses/\(name)-ip", AzureWire.networkVersion, "public_ips"),
            ]
            if let disk = vm?.properties?.storageProfile?.osDisk?.managedDisk?.id { leftovers.append((disk, AzureWire.diskVersion, "disks")) }
            for (path, version, kind) in leftovers {
                try await delete(path, version: version, operation: "\(kind).delete")
                if try await client.find(path, query: [Self.version(version)], operation: "\(kind).get", as: AzureWire.Reference.self) != nil {
                    throw ProviderError(.transient, provider: provider, operation: "terminate", message: "\(path) is still there after its delete")
                }
            }
        }
        for group in groups.sorted() {
            // A group that is gone has nothing left to delete.
            guard let left = try await client.find(
                "\(groupPath(group))/providers/Microsoft.Compute/virtualMachines", query: [Self.version(AzureWire.computeVersion)], operation: "virtual_machines.list",
                as: AzureWire.List<AzureWire.Reference>.self)
            else { continue }
            if left.value.isEmpty {
                try await delete(groupPath(group), version: AzureWire.resourcesVersion, operation: "resource_groups.delete")
                await known.forget("network:\(group)")
            }
        }
    }

    // MARK: Offers

    /// The sizes the subscription may run in the driver's region (every region without one),
    /// each with its Linux price; sizes without a price are left out.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        var query = [Self.version(AzureWire.skuVersion)]
        if let region { query.append(URLQueryItem(name: "$filter", value: "location eq '\(region)'")) }
        let skus = try await client.pages("\(subscription)/providers/Microsoft.Compute/skus", query: query, operation: "skus.list", as: AzureWire.List<AzureOffers.SKU>.self)
            .flatMap(\.value).filter { $0.resourceType == "virtualMachines" }
        let regions = Set(skus.flatMap { $0.locations ?? [] }.map { $0.lowercased() }).filter { region == nil || $0 == region?.lowercased() }
        let now = Date()
        // Every region's prices are a list of their own: asked a few regions at a time.
        let offers = try await OneByOne.collect(regions.sorted(), width: 6) { [prices] location in
            let items = try await prices.pages(
                "/prices", query: [URLQueryItem(name: "$filter", value: "serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq '\(location)'")],
                operation: "retail_prices.list", as: AzureOffers.PricePage.self
            ).flatMap(\.Items)
            let table = AzureOffers.prices(items)
            return skus.filter { ($0.locations ?? []).contains(where: { $0.lowercased() == location }) && $0.offered(in: location) }.compactMap { sku -> Offer? in
                guard let price = table[sku.name.lowercased()], let onDemand = price.onDemand else { return nil }
                return Offer(
                    provider: .azure, region: location, instanceType: sku.name, vcpus: sku.capability("vCPUs"), memoryGB: sku.capability("MemoryGB"),
                    gpu: AzureOffers.gpu(size: sku.name, count: sku.capability("GPUs")),
                    arch: (sku.capabilities?.first { $0.name == "CpuArchitectureType" }?.value == "Arm64") ? .arm64 : .x86_64,
                    onDemandPrice: onDemand, spotPrice: price.spot, source: "azure skus + retail prices", observedAt: now)
            }
        }.flatMap { $0 }.sorted { ($0.region, $0.instanceType) < ($1.region, $1.instanceType) }
        return offers
    }

    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("PUT resource group + security group + virtual network (+ polls)", count: 6, note: "once per deployment and region"),
            ExpectedCall("GET VM (a second run adopts it) + PUT public IP + network interface + VM, each followed to its end", count: replicas * 7, note: "per replica"),
            ExpectedCall("GET VM (instanceView) + GET public IP", count: replicas * 12, note: "per replica per poll until running"),
            ExpectedCall("GET + DELETE VM, NIC, IP, disk (+ polls and checks)", count: replicas * 10, note: "at down"),
            ExpectedCall("GET VMs of the group + DELETE resource group (+ polls)", count: 3, note: "at down, once the group has no VM left"),
        ]
    }
}
