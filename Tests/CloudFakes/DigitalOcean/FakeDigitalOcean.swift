import Foundation
import Synchronization

/// DigitalOcean's API v2 as the document describes it (Tests/Contracts/digitalocean.json), for the
/// calls the driver makes: droplets (new → active after `activation`, addresses from `address`),
/// sizes, regions, images, account and SSH keys, tags, firewalls; pagination as
/// `links.pages.next`; errors as `{"id", "message"}`. What the document leaves out but the API does
/// (422 for limits and sold-out sizes) follows the API's own words.
public final class FakeDigitalOcean: FakeAPI {
    public let contract: String? = "digitalocean"

    public struct Settings: Sendable {
        /// The bearer token it accepts.
        public var token = "dop_v1_" + String(repeating: "a", count: 64)
        /// How long a new droplet stays `new`.
        public var activation: Duration = .milliseconds(300)
        /// The public address of the n-th droplet (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        public var dropletLimit = 25
        /// Sizes sold out in every region (a create gets 422 "Size is not available in this region.").
        public var soldOut: Set<String> = []
        /// The most items a page holds (the API's is 200): lower, to make a test page.
        public var maxPerPage = 200

        public init() {}
    }

    struct Droplet {
        var id: Int
        var name: String
        var size: String
        var region: String
        var image: String
        var tags: [String]
        var createdAt: Date
        var ordinal: Int
        var deleted = false
    }

    struct State {
        var droplets: [Int: Droplet] = [:]
        var keys: [(id: Int, name: String, publicKey: String, fingerprint: String)] = []
        var firewalls: [(id: String, name: String, body: Data)] = []
        var tags: Set<String> = []
        var nextID = 300_000_001
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let regions = ["nyc3", "fra1", "sfo3"]
    static let sizes: [(slug: String, vcpus: Int, memory: Int, disk: Int, price: Double, gpu: (String, Int)?)] = [
        ("s-1vcpu-1gb", 1, 1024, 25, 0.00893, nil), ("s-2vcpu-4gb", 2, 4096, 80, 0.03571, nil), ("c-4", 4, 8192, 50, 0.125, nil),
        ("gpu-h100x1-80gb", 20, 245_760, 720, 3.39, ("nvidia_h100", 80)),
    ]
    static let images = [(1001, "ubuntu-22-04-x64", "22.04 (LTS) x64"), (1002, "ubuntu-24-04-x64", "24.04 (LTS) x64"), (1003, "debian-12-x64", "12 x64")]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.token)" else {
            return Self.error(401, "unauthorized", "Unable to authenticate you.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "v2" else { return Self.notFound }
        // `droplets/{}` with the id apart: routes by shape.
        let rest = Array(parts.dropFirst())
        let shape: String
        var id = ""
        switch rest.count {
        case 1: shape = rest[0]
        case 2 where rest[0] == "account": shape = rest.joined(separator: "/")
        case 2: (shape, id) = ("\(rest[0])/{}", rest[1])
        case 3 where rest[0] == "account": (shape, id) = ("\(rest[0])/\(rest[1])/{}", rest[2])
        default: return Self.notFound
        }
        switch (request.method, shape) {
        case ("GET", "account"):
            return .json(200, ["account": [
                "droplet_limit": settings.dropletLimit, "floating_ip_limit": 3, "email": "fake@example.com", "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
                "email_verified": true, "status": "active", "status_message": "",
            ]])
        case ("GET", "sizes"):
            return page(Self.sizes.map(sizeObject), key: "sizes", request: request, baseURL: baseURL)
        case ("GET", "regions"):
            return page(Self.regions.map(regionObject), key: "regions", request: request, baseURL: baseURL)
        case ("GET", "images"):
            return page(Self.images.map { imageObject($0.0) }, key: "images", request: request, baseURL: baseURL)
        case ("GET", "account/keys/{}"):
            return state.withLock { state in
                guard let key = state.keys.first(where: { $0.fingerprint == id || String($0.id) == id }) else { return Self.notFound }
                return .json(200, ["ssh_key": keyObject(key)])
            }
        case ("POST", "account/keys"):
            return createKey(request)
        case ("GET", "tags/{}"):
            return state.withLock { $0.tags.contains(id) }
                ? .json(200, ["tag": ["name": id, "resources": ["count": 0, "last_tagged_uri": ""]]]) : Self.notFound
        case ("POST", "tags"):
            guard let name = request.json?["name"] as? String, Self.isTag(name) else {
                return .json(400, ["error": "Error validating resource tag", "messages": NSNull(), "root_causes": ["tag name contains invalid characters"]])
            }
            state.withLock { _ = $0.tags.insert(name) }
            return .json(201, ["tag": ["name": name, "resources": ["count": 0, "last_tagged_uri": ""]]])
        case ("GET", "firewalls"):
            let all = state.withLock { $0.firewalls.map { firewallObject($0.id, $0.name, $0.body) } }
            return page(all, key: "firewalls", request: request, baseURL: baseURL)
        case ("POST", "firewalls"):
            return createFirewall(request)
        case ("DELETE", "firewalls/{}"):
            return state.withLock { state in
                guard let index = state.firewalls.firstIndex(where: { $0.id == id }) else { return Self.notFound }
                state.firewalls.remove(at: index)
                return .empty()
            }
        case ("POST", "droplets"):
            return createDroplet(request)
        case ("GET", "droplets"):
            return listDroplets(request, baseURL: baseURL)
        case ("GET", "droplets/{}"):
            return state.withLock { state in
                guard let number = Int(id), let droplet = state.droplets[number], !droplet.deleted else { return Self.notFound }
                return .json(200, ["droplet": dropletObject(droplet)])
            }
        case ("DELETE", "droplets/{}"):
            return state.withLock { state in
                guard let number = Int(id), state.droplets[number]?.deleted == false else { return Self.notFound }
                state.droplets[number]?.deleted = true
                return .empty()
            }
        default:
            return Self.notFound
        }
    }

    // MARK: What a test may look at

    /// Droplets not deleted, by id.
    public var liveDroplets: [Int: [String]] {
        state.withLock { $0.droplets.filter { !$0.value.deleted }.mapValues(\.tags) }
    }

    public var firewallNames: [String] { state.withLock { $0.firewalls.map(\.name) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }

    // MARK: Droplets

    private func createDroplet(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String, let size = body["size"] as? String else {
            return Self.error(422, "unprocessable_entity", "You specified an invalid size for Droplet creation.")
        }
        let region = body["region"] as? String ?? Self.regions[0]
        guard Self.regions.contains(region) else { return Self.error(422, "unprocessable_entity", "You specified an invalid region for Droplet creation.") }
        guard Self.sizes.contains(where: { $0.slug == size }) else { return Self.error(422, "unprocessable_entity", "You specified an invalid size for Droplet creation.") }
        if settings.soldOut.contains(size) { return Self.error(422, "unprocessable_entity", "Size is not available in this region.") }
        let image = "\(body["image"] ?? "")"
        guard Self.images.contains(where: { $0.1 == image || String($0.0) == image }) else {
            return Self.error(422, "unprocessable_entity", "You specified an invalid image for Droplet creation.")
        }
        let tags = body["tags"] as? [String] ?? []
        if let bad = tags.first(where: { !Self.isTag($0) }) {
            return Self.error(422, "unprocessable_entity", "Tag name \(bad) contains invalid characters.")
        }
        let keys = (body["ssh_keys"] as? [Any] ?? []).map { "\($0)" }
        return state.withLock { state in
            if let unknown = keys.first(where: { key in !state.keys.contains { String($0.id) == key || $0.fingerprint == key } }) {
                return Self.error(422, "unprocessable_entity", "\(unknown) are invalid key identifiers for Droplet creation.")
            }
            guard state.droplets.values.filter({ !$0.deleted }).count < settings.dropletLimit else {
                return Self.error(422, "unprocessable_entity", "creating this/these droplet(s) will exceed your droplet limit")
            }
            let droplet = Droplet(
                id: state.nextID, name: name, size: size, region: region, image: image, tags: tags, createdAt: Date(), ordinal: state.made)
            state.nextID += 1
            state.made += 1
            state.droplets[droplet.id] = droplet
            state.tags.formUnion(tags)
            return .json(202, ["droplet": dropletObject(droplet), "links": ["actions": [["id": droplet.id + 7, "rel": "create", "href": "https://api.digitalocean.com/v2/actions/\(droplet.id + 7)"]]]])
        }
    }

    private func listDroplets(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        let tag = request.query["tag_name"]
        let name = request.query["name"]
        if tag != nil && name != nil { return Self.error(400, "bad_request", "tag_name cannot be combined with name") }
        let matching = state.withLock { state in
            state.droplets.values.filter { droplet in
                !droplet.deleted && (tag.map { droplet.tags.contains($0) } ?? true) && (name.map { $0.caseInsensitiveCompare(droplet.name) == .orderedSame } ?? true)
            }.sorted { $0.id < $1.id }
        }
        return page(matching.map(dropletObject), key: "droplets", request: request, baseURL: baseURL)
    }

    private func dropletObject(_ droplet: Droplet) -> [String: Any] {
        let active = Date().timeIntervalSince(droplet.createdAt) >= settings.activation.seconds
        let size = Self.sizes.first { $0.slug == droplet.size } ?? Self.sizes[0]
        let networks: [String: Any] = active
            ? ["v4": [["ip_address": settings.address(droplet.ordinal), "netmask": "255.255.240.0", "gateway": "203.0.113.1", "type": "public"],
                      ["ip_address": "10.10.0.\(2 + droplet.ordinal % 250)", "netmask": "255.255.0.0", "gateway": "nil", "type": "private"]], "v6": []]
            : ["v4": [], "v6": []]
        let image = Self.images.first { $0.1 == droplet.image || String($0.0) == droplet.image }?.0 ?? Self.images[1].0
        return [
            "id": droplet.id, "name": droplet.name, "memory": size.memory, "vcpus": size.vcpus, "disk": size.disk, "locked": false,
            "status": active ? "active" : "new", "created_at": FakeTime.iso8601(droplet.createdAt), "features": ["droplet_agent", "private_networking"],
            "backup_ids": [], "next_backup_window": NSNull(), "snapshot_ids": [], "image": imageObject(image), "volume_ids": [],
            "size": sizeObject(size), "size_slug": size.slug, "networks": networks, "region": regionObject(droplet.region), "tags": droplet.tags,
            "vpc_uuid": "760e09ef-dc84-11e8-981e-3cfdfeaae000",
        ]
    }

    // MARK: Keys, firewalls

    private func createKey(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String, let publicKey = body["public_key"] as? String,
            let fingerprint = FakeKeys.md5Fingerprint(publicKey)
        else { return Self.error(422, "unprocessable_entity", "Key invalid, key should be of the format `type key [comment]`") }
        return state.withLock { state in
            if state.keys.contains(where: { $0.fingerprint == fingerprint }) {
                return Self.error(422, "unprocessable_entity", "SSH Key is already in use on your account")
            }
            let key = (id: 512_190 + state.keys.count, name: name, publicKey: publicKey, fingerprint: fingerprint)
            state.keys.append(key)
            return .json(201, ["ssh_key": keyObject(key)])
        }
    }

    private func keyObject(_ key: (id: Int, name: String, publicKey: String, fingerprint: String)) -> [String: Any] {
        ["id": key.id, "name": key.name, "public_key": key.publicKey, "fingerprint": key.fingerprint]
    }

    private func createFirewall(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String else { return Self.error(400, "bad_request", "error parsing request body") }
        let tags = body["tags"] as? [String] ?? []
        return state.withLock { state in
            if let missing = tags.first(where: { !state.tags.contains($0) }) {
                return Self.error(400, "bad_request", "tag \(missing) does not exist")
            }
            let id = UUID().uuidString.lowercased()
            state.firewalls.append((id, name, request.body))
            return .json(202, ["firewall": firewallObject(id, name, request.body)])
        }
    }

    private func firewallObject(_ id: String, _ name: String, _ request: Data) -> [String: Any] {
        let body = (try? JSONSerialization.jsonObject(with: request) as? [String: Any]) ?? [:]
        return [
            "id": id, "name": name, "status": "succeeded", "created_at": FakeTime.iso8601(Date()), "pending_changes": [],
            "inbound_rules": body["inbound_rules"] ?? [], "outbound_rules": body["outbound_rules"] ?? [],
            "droplet_ids": body["droplet_ids"] ?? [], "tags": body["tags"] ?? [],
        ]
    }

    // MARK: Catalog objects

    private func sizeObject(_ size: (slug: String, vcpus: Int, memory: Int, disk: Int, price: Double, gpu: (String, Int)?)) -> [String: Any] {
        var object: [String: Any] = [
            "slug": size.slug, "vcpus": size.vcpus, "memory": size.memory, "disk": size.disk, "transfer": 1.0, "price_hourly": size.price,
            "price_monthly": (size.price * 672).rounded(), "regions": Self.regions, "available": true,
            "description": size.gpu == nil ? "Basic" : "GPU",
        ]
        if let (model, vram) = size.gpu { object["gpu_info"] = ["count": 1, "model": model, "vram": ["amount": vram, "unit": "gib"]] }
        return object
    }

    private func regionObject(_ slug: String) -> [String: Any] {
        ["slug": slug, "name": slug.uppercased(), "sizes": Self.sizes.map(\.slug), "available": true, "features": ["backups", "ipv6", "metadata"]]
    }

    private func imageObject(_ id: Int) -> [String: Any] {
        let image = Self.images.first { $0.0 == id } ?? Self.images[1]
        return [
            "id": image.0, "slug": image.1, "name": image.2, "distribution": image.1.hasPrefix("ubuntu") ? "Ubuntu" : "Debian", "public": true,
            "regions": ["nyc3", "fra1", "sfo3"], "created_at": "2024-04-25T00:00:00Z", "min_disk_size": 7, "size_gigabytes": 2.34,
            "type": "base", "status": "available", "description": "", "tags": [],
        ]
    }

    // MARK: Helpers

    /// One page of `items` by `page`/`per_page`, with `links.pages.next` as a full URL.
    private func page(_ items: [[String: Any]], key: String, request: FakeRequest, baseURL: String) -> FakeResponse {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 20, 1), settings.maxPerPage)
        let number = max(Int(request.query["page"] ?? "") ?? 1, 1)
        let slice = Array(items.dropFirst((number - 1) * perPage).prefix(perPage))
        var pages: [String: Any] = [:]
        if number * perPage < items.count {
            var components = URLComponents(string: baseURL + request.path)
            var query = request.query
            query["page"] = String(number + 1)
            query["per_page"] = String(perPage)
            components?.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            pages["next"] = components?.url?.absoluteString
        }
        return .json(200, [key: slice, "links": ["pages": pages], "meta": ["total": items.count]])
    }

    static func isTag(_ tag: String) -> Bool {
        !tag.isEmpty && tag.count <= 255 && tag.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-:".unicodeScalars.contains($0)) }
    }

    /// An error answer as DigitalOcean gives it, with its rate-limit headers (the window resets `resetIn` seconds from now).
    public static func error(_ status: Int, _ id: String, _ message: String, resetIn: Int = 60) -> FakeResponse {
        .json(status, ["id": id, "message": message, "request_id": UUID().uuidString.lowercased()], headers: [
            ("ratelimit-limit", "5000"), ("ratelimit-remaining", "4999"), ("ratelimit-reset", String(Int(Date().timeIntervalSince1970) + resetIn)),
        ])
    }

    static let notFound = error(404, "not_found", "The resource you requested could not be found.")
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
