import Crypto
import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

/// Paperspace machines through the API v1 (`https://api.paperspace.com/v1`), bearer key
/// (`PAPERSPACE_API_KEY`). Follows Paperspace's OpenAPI document (`/v1/openapi.json`; the paths
/// used are in Tests/Contracts/paperspace.json, which checks the fake).
///
/// The API has no SSH-key resource and no user data: the tool's key (and the boot script, when
/// there is one) reach the machine through a startup script, run once as root at first boot,
/// made once per distinct script and found again by its name (`blueprint-remote-<hash>`). The OS
/// is the newest Ubuntu template of Paperspace's that lists the machine type as available (or the
/// template `--image` names); the login is `paperspace` on port 22 of the machine's public IP.
/// Machines carry no tags: owner and deployment are written into the name (`PodNames`), which
/// also finds a lost create. Before a create, `/machine-availability` is asked, so a type out of
/// capacity in the region is a typed no-capacity error with nothing made. Paperspace publishes no
/// list of machine types or prices: offers come from the bundled catalog only. There is no
/// firewall in the API: `allowed_cidrs` that narrow access are refused.
public struct PaperspaceDriver: CloudDriver {
    public let provider = ProviderID.paperspace
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_PAPERSPACE_TEMPLATE`: an OS template id instead of the newest Ubuntu.
    let defaultTemplate: String?
    /// Templates per machine type, startup scripts per script.
    let known = LookupCache()

    static let sshUser = "paperspace"
    /// The disk sizes the document lists; a request is rounded up to the next one.
    static let diskSizes = [50, 100, 250, 500, 1000, 2000, 4000, 8000, 12000, 16000]

    public static let factory: DriverFactory = { context in
        try PaperspaceDriver(
            client: JSONClient(.paperspace, transport: context.transport, token: try context.token(for: .paperspace), environment: context.environment, errors: PaperspaceErrors.map),
            defaultTemplate: context.environment["BLUEPRINT_REMOTE_PAPERSPACE_TEMPLATE"])
    }

    public func checkCredentials() async throws -> String {
        let page = try await client.get(
            "/machines", query: [URLQueryItem(name: "limit", value: "120")], operation: "machines.list", as: PaperspaceWire.Page<PaperspaceWire.Machine>.self)
        return "team with \(page.items.count)\(page.hasMore ? "+" : "") machines"
    }

    /// Every machine, page after page (or those named `name`).
    func machines(named name: String? = nil) async throws -> [PaperspaceWire.Machine] {
        try await pages("/machines", filter: name.map { [URLQueryItem(name: "name", value: $0)] } ?? [], operation: "machines.list")
    }

    func pages<Item: Decodable>(_ path: String, filter: [URLQueryItem], operation: String) async throws -> [Item] {
        try await client.all(
            path, key: "items", query: PaperspaceWire.Pages.first(filter), operation: operation, as: Item.self, pages: PaperspaceWire.Pages.self)
    }

    // MARK: Create

    struct CreateBody: Encodable {
        var name: String
        var machineType: String
        var templateId: String
        var diskSize: Int
        var region: String
        var publicIpType = "dynamic"
        var startOnCreate = true
        var startupScriptId: String
        var emailPassword = false
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        let key = try VMAdmission.admit(request, provider: provider, firewall: false)
        let name = try PodNames.podName(request)
        if let found = try await alive(named: name) { return PaperspaceWire.instance(found) }
        struct Availability: Decodable { var available: Bool }
        let availability = try await client.get(
            "/machine-availability", query: [URLQueryItem(name: "machineType", value: request.instanceType), URLQueryItem(name: "region", value: request.region)],
            operation: "machine_availability.get", as: Availability.self)
        guard availability.available else {
            throw ProviderError(
                .noCapacity(.region(request.region)), provider: provider, operation: "machines.create",
                message: "Paperspace has no \(request.instanceType) available in \(request.region) now")
        }
        let template = try await template(request.image, for: request.instanceType)
        let script = try await startupScript(try Self.bootScript(key: key, userData: request.userData))
        let disk = Self.diskSizes.first { Double($0) >= request.diskGB } ?? Int(request.diskGB.rounded(.up))
        let body = CreateBody(name: name, machineType: request.instanceType, templateId: template, diskSize: disk, region: request.region, startupScriptId: script)
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await alive(named: name) else { return nil }
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(PaperspaceWire.Mutation(event: nil, data: found)))
        }
        do {
            let made = try await client.send("POST", "/machines", body: body, operation: "machines.create", safety: .lookup(lookup), as: PaperspaceWire.Mutation.self)
            return PaperspaceWire.instance(made.data)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
    }

    func alive(named name: String) async throws -> PaperspaceWire.Machine? {
        try await machines(named: name).first { $0.name == name && $0.dtDeleted == nil }
    }

    /// The template asked for; else the newest Ubuntu (headless) that lists the type as available.
    func template(_ asked: String?, for machineType: String) async throws -> String {
        if let asked = asked ?? defaultTemplate { return asked }
        return try await known.once("template:\(machineType)") { [self] in
            let templates: [PaperspaceWire.Template] = try await pages("/os-templates", filter: [], operation: "os_templates.list")
            let fitting = templates.compactMap { template -> (Double, String)? in
                guard template.operatingSystemLabel.hasPrefix("Ubuntu"), template.agentType == "LinuxHeadless",
                    template.availableMachineTypes.contains(where: { $0.machineTypeLabel == machineType && $0.isAvailable }),
                    let version = template.operatingSystemLabel.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
                else { return nil }
                return (version, template.id)
            }
            guard let newest = fitting.max(by: { $0.0 < $1.0 }) else {
                throw ProviderError(
                    .notFound, provider: .paperspace, operation: "os_templates.list",
                    message: "no Ubuntu template lists \(machineType) as available; pass --image with a template id or set BLUEPRINT_REMOTE_PAPERSPACE_TEMPLATE")
            }
            return newest.1
        }
    }

    /// Root runs it once at first boot: the key for `paperspace`, then the boot script, if any.
    static func bootScript(key: String, userData: String?) throws -> String {
        (["#!/bin/sh"] + (try FirstBoot.commands(key: key, user: sshUser, userData: userData)).map(\.text)).joined(separator: "\n") + "\n"
    }

    /// The startup script holding `script`, made once; found again by the name its text gives it.
    func startupScript(_ script: String) async throws -> String {
        let name = "blueprint-remote-" + SHA256.hash(data: Data(script.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return try await known.once("script:\(name)") { [self] in
            let find: @Sendable () async throws -> PaperspaceWire.StartupScript? = { [self] in
                let found: [PaperspaceWire.StartupScript] = try await pages(
                    "/startup-scripts", filter: [URLQueryItem(name: "name", value: name)], operation: "startup_scripts.list")
                return found.first { $0.name == name }
            }
            if let found = try await find() { return found.id }
            struct New: Encodable {
                var name: String
                var script: String
                var isRunOnce = true
            }
            return try await client.send(
                "POST", "/startup-scripts", body: New(name: name, script: script), operation: "startup_scripts.create",
                safety: .lookup({
                    guard let found = try await find() else { return nil }
                    return HTTPResponse(status: 200, body: try JSONEncoder().encode(found))
                }), as: PaperspaceWire.StartupScript.self
            ).id
        }
    }

    // MARK: Describe, list, terminate

    var listing: PodListing {
        PodListing(
            all: { [self] in try await machines().map(PaperspaceWire.instance) },
            delete: { [client] id in try await client.delete("/machines/\(id)", operation: "machines.delete") })
    }

    public func describe(_ ids: [String]) async throws -> [Instance] { try await listing.describe(ids) }

    public func list(tag key: String, value: String) async throws -> [Instance] { try await listing.list(tag: key, value: value) }

    public func terminate(_ ids: [String]) async throws { try await listing.terminate(ids) }

    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /os-templates", count: 1, note: "once per driver and machine type: the newest Ubuntu that has it"),
            ExpectedCall("GET /startup-scripts?name= + POST /startup-scripts", count: 2, note: "the key's first-boot script: made once per account, one GET after"),
            ExpectedCall("GET /machines?name= + GET /machine-availability + POST /machines", count: replicas * 3,
                note: "per replica: the name looked for first (a second run finds its machine), the type's availability, the create"),
            ExpectedCall("GET /machines", count: 6, note: "one per poll until running, whatever the replica count"),
            ExpectedCall("GET /machines + DELETE /machines/{id}", count: 1 + replicas, note: "at down"),
        ]
    }
}
