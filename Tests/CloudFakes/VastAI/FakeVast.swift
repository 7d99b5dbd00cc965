import Foundation
import Synchronization

/// Vast.ai's API as its document describes it (Tests/Contracts/vastai.json) and its own `vastai`
/// CLI calls it (paths with or without a trailing slash, `env` as the document's Docker-flag string
/// or the CLI's dictionary): offer search with filters, order and limit; rents that take the offer
/// off the market (a second rent of it answers 404 `no_such_ask`); instances (provisioning →
/// loading → running over `activation`, ports in Docker's form published where `publish` says);
/// 25-a-page listing with `next_token`; destroy; account SSH keys; the current user. Errors as
/// `{"success": false, "error", "msg"}`.
public final class FakeVast: FakeAPI {
    public let contract: String? = "vastai"

    public struct Offer: Sendable {
        public var id: Int
        public var gpu: String
        public var count: Int
        /// MB per GPU.
        public var gpuRAM: Int
        public var price: Double
        public var minBid: Double
        public var geolocation: String
        public var cpus: Double = 16
        /// MB.
        public var ram: Int = 128_000
        public var disk: Double = 500

        public init(id: Int, gpu: String, count: Int, gpuRAM: Int, price: Double, minBid: Double, geolocation: String) {
            self.id = id
            self.gpu = gpu
            self.count = count
            self.gpuRAM = gpuRAM
            self.price = price
            self.minBid = minBid
            self.geolocation = geolocation
        }
    }

    public struct Settings: Sendable {
        public var apiKey = "vastfake0000000000000000000000000000000000000000000000000000000"
        public var activation: Duration = .milliseconds(300)
        /// Where the n-th instance's container port is published: the machine's address and the public port.
        public var publish: @Sendable (_ instance: Int, _ containerPort: Int) -> (ip: String, port: Int) = { instance, port in
            ("198.51.100.\(10 + instance % 200)", 41_000 + (instance % 200) * 100 + port % 100)
        }
        public var offers: [Offer] = [
            Offer(id: 9_100_001, gpu: "H100 SXM", count: 1, gpuRAM: 81_559, price: 2.41, minBid: 1.20, geolocation: "Texas, US"),
            Offer(id: 9_100_002, gpu: "H100 SXM", count: 1, gpuRAM: 81_559, price: 2.19, minBid: 1.05, geolocation: "Quebec, CA"),
            Offer(id: 9_100_003, gpu: "H100 SXM", count: 8, gpuRAM: 81_559, price: 17.60, minBid: 9.00, geolocation: "Oregon, US"),
            Offer(id: 9_100_004, gpu: "H100 PCIE", count: 1, gpuRAM: 81_559, price: 1.89, minBid: 0.95, geolocation: "Utah, US"),
            Offer(id: 9_100_005, gpu: "RTX 4090", count: 1, gpuRAM: 24_564, price: 0.38, minBid: 0.18, geolocation: "Bavaria, DE"),
            Offer(id: 9_100_006, gpu: "H100 SXM", count: 1, gpuRAM: 81_559, price: 2.55, minBid: 1.30, geolocation: "Ontario, CA"),
        ]
        /// The most instances a listing page holds (the API's is 25).
        public var maxPerPage = 25

        public init() {}
    }

    struct Instance: Sendable {
        var id: Int
        var offer: Offer
        var label: String
        var image: String
        var env: [(String, String)]
        var ports: [Int]
        var onstart: String
        var runtype: String
        var bid: Double?
        var disk: Double
        var createdAt: Date
        var ordinal: Int
    }

    struct State: Sendable {
        var instances: [Int: Instance] = [:]
        var rented: Set<Int> = []
        var keys: [(id: Int, key: String)] = []
        var nextID = 31_000_000
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        var parts = request.path.split(separator: "/").map(String.init)
        // The CLI ends its paths with a slash; the document does not.
        guard parts.count >= 3, parts[0] == "api" else { return Self.error(404, "not_found", "Not found") }
        let version = parts[1]
        parts = Array(parts.dropFirst(2))
        if version == "v0", parts == ["gpu_names", "unique"] { return Self.json(200, ["gpu_names": Array(Set(settings.offers.map(\.gpu))).sorted()]) }
        guard request.header("Authorization") == "Bearer \(settings.apiKey)" else { return Self.error(401, "auth_error", "Invalid user key") }
        switch (request.method, version, parts.first ?? "", parts.count) {
        case ("GET", "v0", "users", 2) where parts[1] == "current":
            return Self.json(200, ["id": 4242, "key_id": 1, "email": "fake@example.com", "balance": 25.0, "ssh_key": "", "sid": "fake"])
        case ("POST", "v0", "bundles", 1):
            return search(request)
        case ("PUT", "v0", "asks", 2):
            return rent(Int(parts[1]) ?? -1, request)
        case ("GET", "v1", "instances", 1):
            return list(request)
        case ("GET", "v0", "instances", 2) where parts[1] == "filters":
            return Self.json(200, ["filters": [] as [Any]])
        case ("GET", "v0", "instances", 2):
            let found = state.withLock { $0.instances[Int(parts[1]) ?? -1] }
            return Self.json(200, ["instances": found.map(instanceObject) as Any? ?? NSNull()])
        case ("DELETE", "v0", "instances", 2):
            let gone = state.withLock { state -> Bool in
                guard let instance = state.instances.removeValue(forKey: Int(parts[1]) ?? -1) else { return false }
                state.rented.remove(instance.offer.id)
                return true
            }
            return gone ? Self.json(200, ["success": true, "msg": "destroying instance"]) : Self.error(404, "not_found", "Instance not found")
        case ("GET", "v0", "ssh", 1):
            return Self.json(200, state.withLock { $0.keys.map { ["id": $0.id, "user_id": 4242, "key": $0.key, "created_at": "2026-01-01T00:00:00Z", "deleted_at": NSNull()] } })
        case ("POST", "v0", "ssh", 1):
            guard let key = request.json?["ssh_key"] as? String, key.hasPrefix("ssh-") else { return Self.error(400, "no_ssh_key", "No ssh key provided") }
            let id = state.withLock { state -> Int in
                state.nextID += 1
                state.keys.append((state.nextID, key))
                return state.nextID
            }
            return Self.json(200, ["success": true, "key": ["id": id, "user_id": 4242, "public_key": key, "created_at": "2026-01-01T00:00:00Z", "deleted_at": NSNull()]])
        default:
            return Self.error(404, "not_found", "Not found")
        }
    }

    // MARK: What a test may look at

    /// Live instances: id → label.
    public var liveInstances: [Int: String] { state.withLock { $0.instances.mapValues(\.label) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }
    /// What a live instance runs: its environment (as Vast parsed it), ports, `onstart`, bid.
    public func container(of id: Int) -> (image: String, env: [String: String], ports: [Int], onstart: String, bid: Double?)? {
        state.withLock { state in
            state.instances[id].map { ($0.image, Dictionary($0.env, uniquingKeysWith: { $1 }), $0.ports, $0.onstart, $0.bid) }
        }
    }

    // MARK: Search, rent, list

    private func search(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.error(400, "invalid_request", "Invalid json body") }
        let rented = state.withLock { $0.rented }
        func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) }
        func matches(_ key: String, _ value: Double) -> Bool {
            guard let filter = body[key] as? [String: Any] else { return true }
            if let eq = filter["eq"] { return number(eq) == value }
            if let among = filter["in"] as? [Any] { return among.compactMap(number).contains(value) }
            return true
        }
        var offers = settings.offers.filter { offer in
            !rented.contains(offer.id) && matches("num_gpus", Double(offer.count)) && matches("id", Double(offer.id))
                && ((body["gpu_name"] as? [String: Any]).map { filter in
                    let names = ((filter["in"] as? [String]) ?? [filter["eq"] as? String].compactMap { $0 }).map { $0.replacingOccurrences(of: "_", with: " ") }
                    return names.contains(offer.gpu)
                } ?? true)
        }
        if let order = body["order"] as? [[String]], order.first?.first == "dph_total" {
            offers.sort { ($0.price, $0.id) < ($1.price, $1.id) }
            if order.first?.last == "desc" { offers.reverse() }
        }
        let limit = (body["limit"] as? Int) ?? 64
        return Self.json(200, ["offers": offers.prefix(limit).map(offerObject)])
    }

    private func rent(_ id: Int, _ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let image = body["image"] as? String, !image.isEmpty else {
            return Self.error(400, "invalid_args", "image is required")
        }
        guard let parsed = Self.environment(body["env"]) else { return Self.error(400, "invalid_args", "env could not be read") }
        return state.withLock { state in
            guard let offer = settings.offers.first(where: { $0.id == id }), !state.rented.contains(id) else {
                return Self.json(404, ["success": false, "error": "invalid_args", "msg": "error 404/3603: no_such_ask Instance type by id \(id) is not available.", "ask_id": id])
            }
            let bid = number(body["price"])
            if let bid, bid < offer.minBid { return Self.json(400, ["success": false, "error": "invalid_price", "msg": "bid below the minimum \(offer.minBid)", "ask_id": id]) }
            state.nextID += 1
            let instance = Instance(
                id: state.nextID, offer: offer, label: body["label"] as? String ?? "", image: image, env: parsed.env, ports: parsed.ports,
                onstart: body["onstart"] as? String ?? "", runtype: body["runtype"] as? String ?? "ssh", bid: bid, disk: number(body["disk"]) ?? 10,
                createdAt: Date(), ordinal: state.made)
            state.made += 1
            state.instances[instance.id] = instance
            state.rented.insert(id)
            return Self.json(200, ["success": true, "new_contract": instance.id])
        }
    }

    private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap(Double.init) }

    private func list(_ request: FakeRequest) -> FakeResponse {
        let limit = min(max(Int(request.query["limit"] ?? "") ?? 25, 1), settings.maxPerPage)
        let after = Int(request.query["after_token"] ?? "") ?? 0
        let all = state.withLock { $0.instances.values.sorted { $0.id < $1.id } }
        let page = Array(all.filter { $0.id > after }.prefix(limit))
        let more = all.contains { $0.id > (page.last?.id ?? Int.max) }
        let labels = Dictionary(all.map { ($0.label, 1) }, uniquingKeysWith: +)
        return Self.json(200, [
            "success": true, "instances_found": page.count, "total_instances": all.count, "label_counts": labels,
            "next_token": more ? String(page.last?.id ?? 0) as Any : NSNull(), "instances": page.map(instanceObject),
        ])
    }

    // MARK: Objects

    private func offerObject(_ offer: Offer) -> [String: Any] {
        [
            "id": offer.id, "ask_contract_id": offer.id, "machine_id": offer.id / 10, "host_id": 777, "gpu_name": offer.gpu, "num_gpus": offer.count,
            "gpu_ram": offer.gpuRAM, "gpu_total_ram": offer.gpuRAM * offer.count, "cpu_cores": Int(offer.cpus), "cpu_cores_effective": offer.cpus,
            "cpu_ram": offer.ram, "disk_space": offer.disk, "dph_total": offer.price, "dph_base": offer.price, "min_bid": offer.minBid, "is_bid": false,
            "geolocation": offer.geolocation, "reliability": 0.995, "reliability2": 0.995, "rentable": true, "rented": false, "verified": true,
            "verification": "verified", "direct_port_count": 20, "cuda_max_good": 12.4, "external": false, "public_ipaddr": "198.51.100.200",
        ]
    }

    private func instanceObject(_ instance: Instance) -> [String: Any] {
        let age = Date().timeIntervalSince(instance.createdAt)
        let status: Any = age < settings.activation.seconds / 2 ? NSNull() : age < settings.activation.seconds ? "loading" : "running"
        let running = age >= settings.activation.seconds
        let ssh = settings.publish(instance.ordinal, 22)
        var ports: [String: Any] = [:]
        if running {
            for port in [22] + instance.ports {
                ports["\(port)/tcp"] = [["HostIp": "0.0.0.0", "HostPort": String(settings.publish(instance.ordinal, port).port)]]
            }
        }
        return [
            "id": instance.id, "actual_status": status, "intended_status": "running", "cur_state": "running", "next_state": "running",
            "label": instance.label, "start_date": instance.createdAt.timeIntervalSince1970, "image_uuid": instance.image, "image_runtype": instance.runtype,
            "public_ipaddr": running ? ssh.ip : "", "ports": ports, "ssh_host": "ssh\(instance.ordinal % 9).vast.ai", "ssh_port": 10_000 + instance.ordinal,
            "extra_env": instance.env.map { [$0.0, $0.1] }, "onstart": instance.onstart, "gpu_name": instance.offer.gpu, "num_gpus": instance.offer.count,
            "gpu_ram": instance.offer.gpuRAM, "cpu_ram": instance.offer.ram, "disk_space": instance.disk, "dph_total": instance.bid ?? instance.offer.price,
            "is_bid": instance.bid != nil, "min_bid": instance.offer.minBid, "geolocation": instance.offer.geolocation, "machine_id": instance.offer.id / 10,
            "status_msg": running ? "success, running" : "pulling image",
        ]
    }

    // MARK: The env field

    /// `env` as the document's Docker-flag string (`-e K=V -p 8080:8080`) or the CLI's dictionary
    /// (`{"K": "V", "-p 8080:8080": "1"}`): the variables and the published ports; `nil` when unreadable.
    static func environment(_ value: Any?) -> (env: [(String, String)], ports: [Int])? {
        var env: [(String, String)] = []
        var ports: [Int] = []
        func port(_ flag: String) -> Bool {
            guard let first = flag.split(separator: ":").first.flatMap({ Int($0.split(separator: "/")[0]) }) else { return false }
            ports.append(first)
            return true
        }
        switch value {
        case nil, is NSNull:
            break
        case let text as String:
            guard let words = ShellWords.split(text) else { return nil }
            var index = 0
            while index < words.count {
                guard index + 1 < words.count else { return nil }
                switch words[index] {
                case "-e":
                    let pair = words[index + 1].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    env.append((String(pair[0]), pair.count > 1 ? String(pair[1]) : ""))
                case "-p": guard port(words[index + 1]) else { return nil }
                default: return nil
                }
                index += 2
            }
        case let dictionary as [String: String]:
            for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                if key.hasPrefix("-p ") { guard port(String(key.dropFirst(3))) else { return nil } } else { env.append((key, value)) }
            }
        default:
            return nil
        }
        return (env, ports)
    }

    // MARK: Answers

    /// JSON with exactly `application/json`: the CLI refuses a search answer with a charset.
    public static func json(_ status: Int, _ object: Any) -> FakeResponse {
        var response = FakeResponse.json(status, object)
        response.headers = [("Content-Type", "application/json")]
        return response
    }

    /// An error answer as Vast gives it.
    public static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        json(status, ["success": false, "error": code, "msg": message])
    }
}

/// POSIX shell words: single quotes keep everything, double quotes keep all but `\"`, `\\`, `\$`,
/// `` \` ``, a backslash outside quotes keeps the next character. How Vast reads its `env` string.
enum ShellWords {
    static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                while true {
                    guard let next = iterator.next() else { return nil }
                    if next == "'" { break }
                    current.append(next)
                }
            case "\"":
                inWord = true
                while true {
                    guard let next = iterator.next() else { return nil }
                    if next == "\"" { break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { return nil }
                        if !"\"\\$`".contains(escaped) { current.append("\\") }
                        current.append(escaped)
                    } else {
                        current.append(next)
                    }
                }
            case "\\":
                guard let next = iterator.next() else { return nil }
                inWord = true
                current.append(next)
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
