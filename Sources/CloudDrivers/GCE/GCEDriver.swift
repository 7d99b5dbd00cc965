import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Compute Engine VMs through the API v1 (`https://compute.googleapis.com/compute/v1`), following
/// the Compute Engine discovery document and, where it is silent, Google's own client
/// `google-cloud-compute`, which drives the fake in the tests. Credentials: `GoogleCredentials`.
///
/// An instance's id here is `<zone>/<name>`. Its name is its create request (`ServerName`), and the
/// insert carries a `requestId` made from it, so Compute Engine itself answers a resent insert
/// with the first one's operation. Operations are followed to the end: capacity is only known
/// there (`ZONE_RESOURCE_POOL_EXHAUSTED`), and then the next zone of the region that has the
/// machine type is tried; the region has no capacity when none is left. Tags are labels
/// (`GCELabels`); the tool's key goes in the `ssh-keys` metadata for the login `blueprint`. An
/// instance type `n1-standard-8+1xnvidia-tesla-t4` is the machine type with accelerators attached
/// (GPUs need `onHostMaintenance: TERMINATE`); spot asks for the SPOT provisioning model, deleted
/// when preempted. Each deployment gets a firewall rule (IPv4, and one for IPv6 when asked) on its
/// network tag, for SSH and the service's public ports from `allowed_cidrs`, deleted with its last
/// instance. Live offers: every zone's machine types (`aggregated/machineTypes`) priced from the
/// Cloud Billing catalog (`GCEPricing`), on demand and spot.
public struct GCEDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.gcp
    static let sshUser = "blueprint"

    let client: JSONClient
    /// The Cloud Billing catalog (`BLUEPRINT_REMOTE_ENDPOINT_GCP_BILLING`), with the same token.
    let billing: JSONClient
    let credentials: GoogleCredentials
    /// `BLUEPRINT_REMOTE_GCP_IMAGE`: an image or family URL instead of Ubuntu 24.04 LTS.
    let defaultImage: String?
    let region: String?
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        let credentials = try GoogleCredentials.resolve(context.environment, transport: context.transport)
        return try GCEDriver(
            client: JSONClient(
                .gcp, transport: context.transport, signer: CachedBearerSigner(tokens: credentials.tokens), environment: context.environment,
                errors: GCEErrors.map),
            billing: JSONClient(
                .gcp, endpoint: "BILLING", transport: context.transport, signer: CachedBearerSigner(tokens: credentials.tokens), environment: context.environment,
                errors: GCEErrors.map),
            credentials: credentials, defaultImage: context.environment["BLUEPRINT_REMOTE_GCP_IMAGE"], region: context.region)
    }

    func project() async throws -> String {
        try await known.once("project") { [credentials] in try await credentials.project() }
    }

    public func checkCredentials() async throws -> String {
        let project = try await project()
        let zones = try await client.get("/projects/\(project)/zones", query: [URLQueryItem(name: "maxResults", value: "1")], operation: "zones.list", as: GCEWire.ZoneList.self)
        return "project \(project)\(zones.items?.isEmpty == false ? "" : " (no zones listed)")"
    }

    // MARK: Instance types

    /// `n1-standard-8+1xnvidia-tesla-t4` → (`n1-standard-8`, [(`nvidia-tesla-t4`, 1)]).
    static func shape(_ type: String) -> (machine: String, accelerators: [(type: String, count: Int)]) {
        let parts = type.split(separator: "+").map(String.init)
        let accelerators = parts.dropFirst().compactMap { part -> (type: String, count: Int)? in
            guard let cut = part.firstIndex(of: "x"), let count = Int(part[..<cut]), count > 0 else { return nil }
            return (String(part[part.index(after: cut)...]), count)
        }
        return (parts.first ?? type, accelerators)
    }

    // MARK: Create

    struct InsertBody: Encodable {
        struct Disk: Encodable {
            struct Parameters: Encodable {
                var sourceImage: String
                var diskSizeGb: String?
            }
            var boot = true
            var autoDelete = true
            var initializeParams: Parameters
        }
        struct NIC: Encodable {
            var network = "global/networks/default"
            var accessConfigs = [GCEWire.AccessConfig(type: "ONE_TO_ONE_NAT", name: "External NAT")]
        }
        struct Metadata: Encodable {
            struct Item: Encodable {
                var key: String
                var value: String
            }
            var items: [Item]
        }
        struct Tags: Encodable { var items: [String] }
        struct Accelerator: Encodable {
            var acceleratorType: String
            var acceleratorCount: Int
        }
        struct Scheduling: Encodable {
            var onHostMaintenance: String
            var automaticRestart: Bool
            var provisioningModel: String?
            var instanceTerminationAction: String?
        }

        var name: String
        var machineType: String
        var disks: [Disk]
        var networkInterfaces = [NIC()]
        var metadata: Metadata
        var labels: [String: String]
        var tags: Tags
        var guestAccelerators: [Accelerator]?
        var scheduling: Scheduling
    }

    /// The instance once its insert operation ended; the next zone of the region when one has no capacity.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(
            deployment, { try await insert(request) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in try await deleteFirewalls(of: deployment) })
    }

    func insert(_ request: InstanceRequest) async throws -> Instance {
        let name = try ServerName.make(request.requestID, provider: provider)
        guard name.count <= 63 else {
            throw ValidationError(field: "name", value: request.requestID, rule: "must make an instance name of at most 63 characters (Compute Engine)")
        }
        guard let key = request.sshPublicKey else {
            throw ValidationError(field: "ssh_public_key", value: "", rule: "is required: Compute Engine VMs are reached over SSH with it")
        }
        let labels = try GCELabels.encode(request.tags)
        let project = try await project()
        let (machine, accelerators) = Self.shape(request.instanceType)
        let gpus = !accelerators.isEmpty || Self.hasBuiltInGPUs(machine)
        let image = request.image ?? defaultImage ?? Self.image(for: machine, gpus: gpus)
        var metadata: [InsertBody.Metadata.Item] = [.init(key: "ssh-keys", value: "\(Self.sshUser):\(key)")]
        if let script = request.userData { metadata.append(.init(key: "startup-script", value: script)) }
        // The Deep Learning VM image finishes its NVIDIA driver install at first boot when asked.
        if image == Self.gpuImage { metadata.append(.init(key: "install-nvidia-driver", value: "True")) }
        // The size asked for, but never below the image's own (Compute Engine refuses that): left
        // out, a disk is its image's size.
        let asked = max(10, Int(request.diskGB.rounded(.up)))
        let diskGB = image == Self.gpuImage && asked <= Self.gpuImageDiskGB ? nil : String(asked)
        try await ensureFirewalls(for: request, project: project)
        // A second run of this request finds its instance in whichever zone the first placed it.
        if let found = try await list(tag: ResourceTags.ownerKey, value: request.tags.owner, name: name).first { return found }
        var last: ProviderError?
        var missing: ProviderError?
        for zone in try await zones(for: request, project: project) {
            let body = InsertBody(
                name: name, machineType: "zones/\(zone)/machineTypes/\(machine)",
                disks: [.init(initializeParams: .init(sourceImage: image, diskSizeGb: diskGB))],
                metadata: .init(items: metadata),
                labels: labels, tags: .init(items: [Self.networkTag(request.tags.deployment)]),
                guestAccelerators: accelerators.isEmpty ? nil : accelerators.map { .init(acceleratorType: "zones/\(zone)/acceleratorTypes/\($0.type)", acceleratorCount: $0.count) },
                scheduling: .init(
                    // GPUs, attached or built in (A2, G2…), cannot live-migrate.
                    onHostMaintenance: !gpus && !request.spot ? "MIGRATE" : "TERMINATE", automaticRestart: !request.spot,
                    provisioningModel: request.spot ? "SPOT" : nil, instanceTerminationAction: request.spot ? "DELETE" : nil))
            // The same request id on every attempt and every run: Compute Engine answers a repeat with the first operation.
            let requestID = PodNames.idempotencyKey("\(request.requestID)/\(zone)")
            do {
                let op = try await client.send(
                    "POST", "/projects/\(project)/zones/\(zone)/instances", body: body, query: [URLQueryItem(name: "requestId", value: requestID)],
                    operation: "instances.insert", as: GCEWire.Operation.self)
                try await finish(op, project: project, zone: zone, operation: "instances.insert")
                // Accepted and placed: how far it has booted is for the describes that follow.
                return Instance(
                    id: "\(zone)/\(name)", provider: provider, region: request.region, zone: zone, instanceType: request.instanceType, status: .pending,
                    sshUser: Self.sshUser, createdAt: Date(), tags: request.tags.dictionary)
            } catch let error as ProviderError where error.kind == .conflict {
                // A name of ours already: this request made it before (its answer lost, or a second run).
                if let found = try await describe(["\(zone)/\(name)"]).first, found.tags[ResourceTags.ownerKey] == request.tags.owner { return found }
                throw error
            } catch let error as ProviderError where error.kind == .noCapacity(.zone(zone)) || error.kind == .noCapacity(.region("")) {
                last = error
            } catch let error as ProviderError
                where error.kind == .invalidRequest && error.message.contains(zone) && (error.message.contains("does not exist") || error.message.contains("not available"))
            {
                // This zone does not have the machine type or accelerator: the next may.
                missing = error
            }
        }
        if let zone = request.zone, let last {
            // Only the zone asked for was tried: only it is out.
            throw ProviderError(.noCapacity(.zone(zone)), provider: provider, operation: last.operation, httpStatus: last.httpStatus, message: last.message)
        }
        if last == nil, let missing { throw missing }
        throw ProviderError(
            .noCapacity(.region(request.region)), provider: provider, operation: "instances.insert", httpStatus: last?.httpStatus,
            message: "no zone of \(request.region) has \(request.instanceType) now" + (last.map { " (\($0.message))" } ?? ""))
    }

    /// Ubuntu 24.04 LTS for the machine's architecture (Arm: the T2A, C4A and Axion families); with
    /// GPUs, Google's Deep Learning VM image (Ubuntu 22.04 with the NVIDIA driver and CUDA), since
    /// the plain image has no driver and a GPU container could not start.
    static func image(for machine: String, gpus: Bool = false) -> String {
        let arm = ["t2a-", "c4a-", "n4a-", "a4x-"].contains { machine.hasPrefix($0) }
        if gpus && !arm { return gpuImage }  // the Deep Learning VM images are x86 only
        return "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-\(arm ? "arm64" : "amd64")"
    }

    static let gpuImage = "projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570"
    /// The Deep Learning VM image's own disk (GB): a smaller request keeps the image's size.
    static let gpuImageDiskGB = 50

    /// The accelerator-optimized families, whose GPUs come with the machine type (A2, A3, A4, A4X, G2, G4).
    static func hasBuiltInGPUs(_ machine: String) -> Bool {
        ["a2-", "a3-", "a4-", "a4x-", "g2-", "g4-"].contains { machine.hasPrefix($0) }
    }

    /// The request's zone, or every zone of its region that is up, in name order.
    func zones(for request: InstanceRequest, project: String) async throws -> [String] {
        if let zone = request.zone { return [zone] }
        let all = try await client.all(
            "/projects/\(project)/zones", key: "items", query: [URLQueryItem(name: "maxResults", value: "500")], operation: "zones.list", as: GCEWire.Zone.self,
            pages: Pages.self)
        let zones = all.filter { GCEWire.last($0.region) == request.region && $0.status != "DOWN" }.map(\.name).sorted()
        guard !zones.isEmpty else {
            throw ValidationError(field: "region", value: request.region, rule: "must be a Compute Engine region with zones up (us-central1, europe-west4…)")
        }
        return zones
    }

    /// Waits for `op` to end; its error, if it ended in one. A wait call returns when the operation
    /// is done or within two minutes, and may return early: then a short pause before the next.
    func finish(_ first: GCEWire.Operation, project: String, zone: String?, operation: String) async throws {
        var op = first
        let scope = zone.map { "/projects/\(project)/zones/\($0)" } ?? "/projects/\(project)/global"
        var pause = Duration.milliseconds(200)
        let deadline = ContinuousClock.now + .seconds(1800)
        while op.status != "DONE" {
            guard ContinuousClock.now < deadline else {
                throw ProviderError(.timeout, provider: provider, operation: operation, message: "operation \(op.name) still \(op.status) after 30 minutes")
            }
            struct Empty: Encodable {}
            op = try await client.send("POST", "\(scope)/operations/\(op.name)/wait", body: Empty(), operation: "operations.wait", safety: .idempotent, as: GCEWire.Operation.self)
            if op.status != "DONE" {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
        if op.error?.errors?.isEmpty == false { throw GCEErrors.operation(op, zone: zone, operation: operation) }
    }

    // MARK: Firewalls

    static func networkTag(_ deployment: String) -> String { "bp-\(deployment)" }
    static func firewallName(_ deployment: String, v6: Bool) -> String { "blueprint-remote-\(deployment)\(v6 ? "-v6" : "")" }

    struct FirewallBody: Encodable {
        struct Allowed: Encodable {
            var IPProtocol: String
            var ports: [String]
        }
        var name: String
        var network = "global/networks/default"
        var direction = "INGRESS"
        var sourceRanges: [String]
        var targetTags: [String]
        var allowed: [Allowed]
        var description = "blueprint-remote"
    }

    /// The deployment's firewall rules (one per address family asked for), made once.
    func ensureFirewalls(for request: InstanceRequest, project: String) async throws {
        let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
        let allowed = Dictionary(grouping: ports, by: \.transport.rawValue).sorted { $0.key < $1.key }.map {
            FirewallBody.Allowed(IPProtocol: $0.key, ports: Array(Set($0.value.map { String($0.hostPort) })).sorted())
        }
        for v6 in [false, true] {
            let sources = request.exposure.allowedCIDRs.filter { $0.isIPv6 == v6 }.map(\.description)
            guard !sources.isEmpty else { continue }
            let name = Self.firewallName(request.tags.deployment, v6: v6)
            _ = try await known.once("firewall:\(name)") { [self] in
                struct Named: Decodable { var name: String }
                if try await client.find("/projects/\(project)/global/firewalls/\(name)", operation: "firewalls.get", as: Named.self) != nil { return name }
                let body = FirewallBody(name: name, sourceRanges: sources, targetTags: [Self.networkTag(request.tags.deployment)], allowed: allowed)
                do {
                    let op = try await client.send(
                        "POST", "/projects/\(project)/global/firewalls", body: body,
                        // Per create request: after a cleanup removed it, the next create makes it anew.
                        query: [URLQueryItem(name: "requestId", value: PodNames.idempotencyKey("firewall/\(name)/\(request.requestID)"))], operation: "firewalls.insert",
                        as: GCEWire.Operation.self)
                    try await finish(op, project: project, zone: nil, operation: "firewalls.insert")
                } catch let error as ProviderError where error.kind == .conflict {
                    // Made meanwhile by another create of the deployment.
                }
                return name
            }
        }
    }

    func deleteFirewalls(of deployment: String) async throws {
        let project = try await project()
        for v6 in [false, true] {
            let name = Self.firewallName(deployment, v6: v6)
            do {
                let op = try await client.send(
                    "DELETE", "/projects/\(project)/global/firewalls/\(name)", query: [], operation: "firewalls.delete", as: GCEWire.Operation.self)
                try await finish(op, project: project, zone: nil, operation: "firewalls.delete")
            } catch let error as ProviderError where error.kind == .notFound {}
            await known.forget("firewall:\(name)")
        }
    }

    // MARK: Describe, list, terminate

    struct Pages: PageLinks {
        var nextPageToken: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            guard let token = nextPageToken, !token.isEmpty else { return nil }
            return query.filter { $0.name != "pageToken" } + [URLQueryItem(name: "pageToken", value: token)]
        }
    }

    /// One GET per id (`<zone>/<name>`); gone is left out.
    public func describe(_ ids: [String]) async throws -> [Instance] {
        let project = try await project()
        return try await OneByOne.describe(ids) { [client] id in
            guard let (zone, name) = ScopedID.split(id) else { return nil }
            return try await client.find("/projects/\(project)/zones/\(zone)/instances/\(name)", operation: "instances.get", as: GCEWire.Instance.self)
                .map(GCEWire.instance)
        }
    }


    /// Every zone at once (`aggregated/instances`), filtered by the label.
    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await list(tag: key, value: value, name: nil)
    }

    /// `name`: only the instance of that name (whatever its zone).
    func list(tag key: String, value: String, name: String?) async throws -> [Instance] {
        let project = try await project()
        var filter = "labels.\(key)=\(GCELabels.labelValue(key, value))"
        if let name { filter = "(\(filter)) (name=\(name))" }
        let pages = try await client.pages(
            "/projects/\(project)/aggregated/instances", query: [URLQueryItem(name: "filter", value: filter), URLQueryItem(name: "maxResults", value: "500")],
            operation: "instances.aggregatedList", as: GCEWire.AggregatedList.self)
        return pages.flatMap { ($0.items ?? [:]).values.flatMap { $0.instances ?? [] } }.map(GCEWire.instance)
            .filter { $0.tags[key] == value && (name == nil || $0.id.hasSuffix("/\(name ?? "")")) }
    }

    /// Deletes each (already gone is success), following each operation to its end; the firewalls
    /// of deployments left without an instance go after.
    public func terminate(_ ids: [String]) async throws {
        let project = try await project()
        let doomed = try await describe(Array(Set(ids)))
        let emptied = try await OneByOne.terminate(
            doomed.map(\.id), doomed: doomed,
            delete: { [self] id in
                guard let (zone, name) = ScopedID.split(id) else { return }
                do {
                    let op = try await client.send(
                        "DELETE", "/projects/\(project)/zones/\(zone)/instances/\(name)",
                        query: [URLQueryItem(name: "requestId", value: PodNames.idempotencyKey("delete/\(id)"))], operation: "instances.delete", as: GCEWire.Operation.self)
                    try await finish(op, project: project, zone: zone, operation: "instances.delete")
                } catch let error as ProviderError where error.kind == .notFound {}
            },
            list: { try await list(tag: ResourceTags.deploymentKey, value: $0) })
        for deployment in emptied { try await deleteFirewalls(of: deployment) }
    }

    // MARK: Offers

    /// Every zone's machine types with a price for each part (shared-core types are left to the
    /// bundled catalog: they are billed by fractions of a vCPU).
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let project = try await project()
        var scopes: [String: [GCEWire.MachineType]] = [:]
        for page in try await client.pages(
            "/projects/\(project)/aggregated/machineTypes", query: [URLQueryItem(name: "maxResults", value: "500")], operation: "machineTypes.aggregatedList",
            as: GCEWire.MachineTypes.self)
        {
            for (scope, found) in page.items ?? [:] { scopes[scope, default: []] += found.machineTypes ?? [] }
        }
        let skus = try await billing.pages(
            "/services/6F81-5844-456A/skus", query: [URLQueryItem(name: "currencyCode", value: "USD"), URLQueryItem(name: "pageSize", value: "5000")],
            operation: "skus.list", as: GCEPricing.Page.self
        ).flatMap { $0.skus ?? [] }
        let pricing = GCEPricing(skus: skus)
        let now = Date()
        return scopes.sorted { $0.key < $1.key }.flatMap { scope, types -> [Offer] in
            let zone = GCEWire.last(scope)
            let region = GCEWire.region(ofZone: zone)
            if let asked = self.region, asked != region { return [] }
            return types.compactMap { type -> Offer? in
                guard type.isSharedCpu != true, let family = type.name.split(separator: "-").first.map(String.init) else { return nil }
                let accelerator = type.accelerators?.first.map { (type: $0.guestAcceleratorType, count: $0.guestAcceleratorCount) }
                let memory = Double(type.memoryMb) / 1024
                guard let price = pricing.machine(family: family, vcpus: type.guestCpus, memoryGiB: memory, gpu: accelerator, region: region, spot: false) else { return nil }
                let gpu = accelerator.map { accelerator -> Offer.GPU in
                    let memory = Self.gpuMemory[accelerator.type]
                    return Offer.GPU(
                        model: GPUModel.normalize(accelerator.type.replacingOccurrences(of: "nvidia-", with: ""), memoryGB: memory) ?? accelerator.type,
                        count: accelerator.count, memoryGB: memory ?? 0)
                }
                return Offer(
                    provider: .gcp, region: region, zone: zone, instanceType: type.name, vcpus: Double(type.guestCpus), memoryGB: (memory * 100).rounded() / 100, gpu: gpu,
                    arch: type.architecture == "ARM64" ? .arm64 : .x86_64, onDemandPrice: price,
                    spotPrice: pricing.machine(family: family, vcpus: type.guestCpus, memoryGiB: memory, gpu: accelerator, region: region, spot: true),
                    source: "gcp machineTypes + cloudbilling", observedAt: now)
            }
        }
    }

    /// GPU memory by accelerator type, which the machine type does not say.
    static let gpuMemory: [String: Double] = [
        "nvidia-l4": 24, "nvidia-tesla-t4": 16, "nvidia-tesla-a100": 40, "nvidia-a100-80gb": 80, "nvidia-h100-80gb": 80, "nvidia-tesla-v100": 16,
    ]

    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /zones", count: 1, note: "the region's zones, once per deployment attempt"),
            ExpectedCall("GET + POST /global/firewalls + operation waits", count: 4, note: "once per deployment, per address family asked for"),
            ExpectedCall("GET aggregated/instances?filter=name + POST /zones/{zone}/instances + operation waits", count: replicas * 4,
                note: "per replica: a second run's instance looked for in any zone, then the insert (requestId: a resend is answered with the first operation), followed to its end; the next zone after no capacity"),
            ExpectedCall("GET /zones/{zone}/instances/{name}", count: replicas * 6, note: "one per replica per poll until running"),
            ExpectedCall("GET + DELETE instance + operation waits", count: replicas * 4, note: "at down"),
            ExpectedCall("GET aggregated/instances + DELETE /global/firewalls + operation waits", count: 5,
                note: "at down, once the last instance is gone (one rule per address family)"),
        ]
    }
}
