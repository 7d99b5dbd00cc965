import Foundation
import Testing

@testable import RemoteProvidersCore

/// A valid service file; each test changes one thing.
let validService = """
    name: hello
    image: localhost/hello:1
    command: [httpd, -f, -p, "8080"]
    ports: ["8080"]
    env: {GREETING: hi}
    resources: {cpus: 1, memory_gb: 1, disk_gb: 10, gpus: 0, spot: never, tee: false}
    health: {http: /, port: 8080}
    ttl: 2h
    target: vm
    runtime: podman
    replicas: 1
    providers: [ssh]
    max_price_per_hour: 2.0
    max_total_cost: 20.0
    allowed_cidrs: [203.0.113.0/24]
    """

/// The service file with `key` replaced (or added) as `line`, or removed when `line` is nil.
func service(replacing key: String, with line: String?) -> String {
    var lines = validService.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("\(key):") }
    if let line { lines.append(line) }
    return lines.joined(separator: "\n")
}

/// The errors a document raises; fails the test if it loads.
func validationErrors(_ text: String, config: ToolConfig = ToolConfig()) -> [ValidationError] {
    do {
        _ = try ServiceSpec.load(text, config: config)
        Issue.record("expected a validation error for:\n\(text)")
        return []
    } catch let error as ValidationErrors {
        return error.errors
    } catch let error as ValidationError {
        return [error]
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

func expectRejected(_ text: String, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let errors = validationErrors(text)
    #expect(errors.contains { $0.fieldPath == field }, "expected an error on \(field), got \(errors.map(\.message))", sourceLocation: sourceLocation)
}

@Suite struct ServiceSpecTests {
    @Test func loadsTheDocumentedExample() throws {
        let loaded = try ServiceSpec.load(validService)
        let spec = loaded.spec
        #expect(spec.name == "hello")
        #expect(spec.image == "localhost/hello:1")
        #expect(spec.command == ["httpd", "-f", "-p", "8080"])
        #expect(spec.ports == [PortMapping(hostPort: 8080, containerPort: 8080)])
        #expect(spec.env == ["GREETING": "hi"])
        #expect(spec.resources.cpus == 1 && spec.resources.memoryGB == 1 && spec.resources.diskGB == 10)
        #expect(spec.resources.gpu == nil)
        #expect(spec.resources.providers == [.ssh])
        #expect(spec.resources.maxPricePerHour == 2.0)
        #expect(spec.health?.probe == .http(path: "/", port: 8080))
        #expect(spec.ttl == .duration(.hours(2)))
        #expect(spec.runtime == .podman)
        #expect(spec.maxTotalCost == 20)
        #expect(spec.exposure.allowedCIDRs.map(\.description) == ["203.0.113.0/24"])
        #expect(loaded.warnings.isEmpty)
    }

    @Test func theSameServiceLoadsFromJSON() throws {
        let json = """
            {"name": "hello", "image": "localhost/hello:1", "ports": ["8080", 9090],
             "env": {"GREETING": "hi"}, "resources": {"cpus": 0.5, "memory_gb": 1, "gpus": 1, "gpu_models": ["H100"], "gpu_memory_gb": 80},
             "health": {"tcp": 8080, "start_period": "5m"}, "ttl": "1h30m"}
            """
        let spec = try ServiceSpec.load(json).spec
        #expect(spec.resources.cpus == 0.5)
        #expect(spec.resources.gpu == GPURequirement(count: 1, models: ["H100"], minimumMemoryGB: 80))
        #expect(spec.ports.map(\.containerPort) == [8080, 9090])
        #expect(spec.health?.startPeriod == .minutes(5))
        #expect(spec.ttl == .duration(TimeSpan(seconds: 5_400)))
    }

    @Test func defaultsAreDocumentedValuesAndTheOpenFirewallWarns() throws {
        let loaded = try ServiceSpec.load("name: web\nimage: nginx\nports: [\"80\"]")
        let spec = loaded.spec
        #expect(spec.ttl == nil)
        #expect(try spec.effectiveTTL(default: ServiceSpec.defaultTTL, allowNoTTL: false) == .hours(8))
        #expect(spec.runtime == nil)
        #expect(spec.pullPolicy == .missing)
        #expect(spec.exposure == Exposure(mode: .public, allowedCIDRs: [.anywhereIPv4]))
        #expect(spec.resources.spot == .never && spec.resources.arch == .x86_64)
        #expect(spec.replicas == 1 && spec.target == .vm)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.contains("0.0.0.0/0") == true)
    }

    @Test func ttlNoneNeedsTheFlag() throws {
        let spec = try ServiceSpec.load(service(replacing: "ttl", with: "ttl: none")).spec
        #expect(spec.ttl == TTLSetting.none)
        #expect(throws: ValidationError.self) { try spec.effectiveTTL(default: .hours(8), allowNoTTL: false) }
        #expect(try spec.effectiveTTL(default: .hours(8), allowNoTTL: true) == nil)
    }

    // MARK: Env values are data

    @Test func envValuesArriveByteExact() throws {
        let yaml = """
            name: hello
            image: localhost/hello:1
            env:
              MULTI: "line one\\nline two\\n"
              QUOTES: 'it''s "quoted"'
              SUBSHELL: "$(rm -rf /) `id` ${HOME} ; | & > <"
              BLOCK: |
                first
                  second
              NUMBERISH: 1.10
              EMPTY: ""
              UNICODE: "héllo ✓ 日本"
              BACKSLASH: 'C:\\path\\n'
            """
        let env = try ServiceSpec.load(yaml).spec.env
        #expect(env["MULTI"] == "line one\nline two\n")
        #expect(env["QUOTES"] == "it's \"quoted\"")
        #expect(env["SUBSHELL"] == "$(rm -rf /) `id` ${HOME} ; | & > <")
        #expect(env["BLOCK"] == "first\n  second\n")
        #expect(env["NUMBERISH"] == "1.10")
        #expect(env["EMPTY"] == "")
        #expect(env["UNICODE"] == "héllo ✓ 日本")
        #expect(env["BACKSLASH"] == "C:\\path\\n")

        let json = #"{"name": "hello", "image": "nginx", "env": {"A": "x\ny\"z'$(id)", "B": "\u0001tab\t"}}"#
        let fromJSON = try ServiceSpec.load(json).spec.env
        #expect(fromJSON["A"] == "x\ny\"z'$(id)")
        #expect(fromJSON["B"] == "\u{01}tab\t")
    }

    // MARK: Every rule, each naming its field

    @Test(arguments: [".nan", "NaN", "nan", ".inf", "-.inf", "inf", "-inf", "Infinity"])
    func nonFiniteSizesAreRejected(value: String) {
        expectRejected(service(replacing: "resources", with: "resources: {cpus: \(value)}"), field: "resources.cpus")
        expectRejected(service(replacing: "resources", with: "resources: {memory_gb: \(value)}"), field: "resources.memory_gb")
        expectRejected(service(replacing: "max_price_per_hour", with: "max_price_per_hour: \(value)"), field: "max_price_per_hour")
    }

    @Test(arguments: [
        ("cpus", "0"), ("cpus", "-1"), ("cpus", "100000"), ("memory_gb", "0"), ("memory_gb", "-0.5"), ("memory_gb", "1e9"),
        ("disk_gb", "-10"), ("disk_gb", "1e12"), ("gpus", "-1"), ("gpus", "64"), ("gpus", "1.5"), ("cpus", "\"two\""),
        ("cpus", "[1]"), ("gpu_memory_gb", "0"), ("spot", "sometimes"), ("tee", "maybe"), ("arch", "riscv"),
    ])
    func resourceSizesAreBounded(key: String, value: String) {
        let gpus = key == "gpu_memory_gb" ? ", gpus: 1" : ""
        expectRejected(service(replacing: "resources", with: "resources: {\(key): \(value)\(gpus)}"), field: "resources.\(key)")
    }

    @Test func gpuDetailsNeedGPUs() {
        expectRejected(service(replacing: "resources", with: "resources: {gpus: 0, gpu_models: [H100]}"), field: "resources.gpu_models")
        expectRejected(service(replacing: "resources", with: "resources: {gpu_memory_gb: 80}"), field: "resources.gpu_memory_gb")
        expectRejected(service(replacing: "resources", with: "resources: {gpus: 1, gpu_models: [\"H100; rm\"]}"), field: "resources.gpu_models[0]")
        // A typo would otherwise match nothing and read as "no capacity".
        expectRejected(service(replacing: "resources", with: "resources: {gpus: 1, gpu_models: [H1OO]}"), field: "resources.gpu_models[0]")
    }

    @Test(arguments: ["Hello", "hello world", "hello;rm -rf /", "$(id)", "-hello", "hello_1", "a.b", "\"\"", "'x`id`'"])
    func namesMustBeDNSLabels(name: String) {
        expectRejected(service(replacing: "name", with: "name: \(name)"), field: "name")
    }

    @Test func nameIsRequired() {
        expectRejected(service(replacing: "name", with: nil), field: "name")
    }

    @Test(arguments: ["\"busybox; rm -rf /\"", "\"$(curl evil)\"", "Ubuntu:22.04", "\"img:tag with space\"", "\"`id`\"", "\"a|b\""])
    func imagesMustBeOCIReferences(image: String) {
        expectRejected(service(replacing: "image", with: "image: \(image)"), field: "image")
    }

    @Test func imageIsRequiredExceptForNative() throws {
        expectRejected(service(replacing: "image", with: nil), field: "image")
        let native = service(replacing: "image", with: nil).replacingOccurrences(of: "runtime: podman", with: "runtime: native")
        #expect(try ServiceSpec.load(native).spec.image == nil)
        expectRejected(service(replacing: "runtime", with: "runtime: native"), field: "image")
        let nativeWithoutCommand = service(replacing: "image", with: nil)
            .replacingOccurrences(of: "runtime: podman", with: "runtime: native")
            .replacingOccurrences(of: "command: [httpd, -f, -p, \"8080\"]", with: "")
        expectRejected(nativeWithoutCommand, field: "command")
    }

    @Test(arguments: ["\"BAD-NAME\"", "\"1ABC\"", "\"A B\"", "\"$(id)\"", "\"A;B\"", "\"A=B\""])
    func envNamesArePOSIX(name: String) {
        expectRejected(service(replacing: "env", with: "env: {\(name): x}"), field: "env")
    }

    @Test func envValuesMustBeStrings() {
        expectRejected(service(replacing: "env", with: "env: {A: [1, 2]}"), field: "env.A")
        expectRejected(service(replacing: "env", with: "env: {A: null}"), field: "env.A")
        expectRejected(service(replacing: "env", with: "env: {A: \"nul\\0byte\"}"), field: "env.A")
        expectRejected(#"{"name": "a", "image": "nginx", "env": {"A": 1}}"#, field: "env.A")
    }

    @Test(arguments: ["\"0\"", "\"65536\"", "\"-1\"", "\"80:\"", "\"http\"", "\"8080; id\"", "\"1:2:3\"", "[8080]"])
    func portsAreInRange(port: String) {
        let errors = validationErrors(service(replacing: "ports", with: "ports: [\(port)]"))
        #expect(errors.contains { $0.fieldPath == "ports[0]" }, "\(errors.map(\.message))")
    }

    @Test func duplicateHostPortsAreRejected() {
        expectRejected(service(replacing: "ports", with: "ports: [\"8080\", \"8080:9090\"]"), field: "ports[1]")
    }

    @Test(arguments: ["2 hours", "1.5h", "30", "-1h", "0s", "400d", "forever", "1m2h"])
    func ttlsMustParse(ttl: String) {
        expectRejected(service(replacing: "ttl", with: "ttl: \"\(ttl)\""), field: "ttl")
    }

    @Test func unknownKeysAreRejectedAtEveryLevel() {
        expectRejected(validService + "\ncolour: blue", field: "colour")
        expectRejected(service(replacing: "resources", with: "resources: {cpus: 1, ram: 4}"), field: "resources.ram")
        expectRejected(service(replacing: "health", with: "health: {http: /, port: 8080, every: 5s}"), field: "health.every")
        expectRejected(#"{"name": "a", "image": "nginx", "Name": "b"}"#, field: "Name")
    }

    @Test func duplicateKeysAreRejected() {
        #expect(!validationErrors("name: a\nname: b\nimage: nginx").isEmpty)
    }

    @Test func healthChecksAreWellFormed() {
        expectRejected(service(replacing: "health", with: "health: {http: /, port: 9999}"), field: "health.port")
        expectRejected(service(replacing: "health", with: "health: {http: health, port: 8080}"), field: "health.http")
        expectRejected(service(replacing: "health", with: "health: {http: /}"), field: "health.port")
        expectRejected(service(replacing: "health", with: "health: {tcp: 8080, http: /, port: 8080}"), field: "health")
        expectRejected(service(replacing: "health", with: "health: {tcp: 8080, interval: 0s}"), field: "health.interval")
        expectRejected(service(replacing: "health", with: "health: {tcp: 8080, timeout: soon}"), field: "health.timeout")
        expectRejected(service(replacing: "health", with: "health: {tcp: 8080, retries: 0}"), field: "health.retries")
        expectRejected(service(replacing: "health", with: "health: {command: []}"), field: "health.command")
    }

    @Test func healthTimingIsRead() throws {
        let text = service(replacing: "health", with: "health: {tcp: 8080, interval: 30s, timeout: 10s, start_period: 10m, retries: 5}")
        let health = try #require(try ServiceSpec.load(text).spec.health)
        #expect(health == HealthCheck(probe: .tcp(port: 8080), interval: TimeSpan(seconds: 30), timeout: TimeSpan(seconds: 10),
            startPeriod: .minutes(10), retries: 5))
    }

    @Test func placementListsUseKnownProviders() {
        expectRejected(service(replacing: "providers", with: "providers: [aws, nimbus]"), field: "providers[1]")
        expectRejected(service(replacing: "providers", with: "providers: [aws]\nexclude_providers: [aws]"), field: "exclude_providers")
        expectRejected(service(replacing: "providers", with: "regions: [\"us east\"]"), field: "regions[0]")
    }

    @Test func replicasAndCostsAreBounded() {
        expectRejected(service(replacing: "replicas", with: "replicas: 0"), field: "replicas")
        expectRejected(service(replacing: "replicas", with: "replicas: 100000"), field: "replicas")
        expectRejected(service(replacing: "max_total_cost", with: "max_total_cost: -5"), field: "max_total_cost")
        expectRejected(service(replacing: "max_price_per_hour", with: "max_price_per_hour: 0"), field: "max_price_per_hour")
        expectRejected(service(replacing: "max_price_per_hour", with: "max_price_per_hour: 1e9"), field: "max_price_per_hour")
    }

    @Test func targetsAndRuntimes() {
        expectRejected(service(replacing: "target", with: "target: lambda"), field: "target")
        expectRejected(service(replacing: "runtime", with: "runtime: lxc"), field: "runtime")
        expectRejected(service(replacing: "target", with: "target: kubernetes"), field: "runtime")
    }

    @Test func exposureAndCIDRs() throws {
        expectRejected(service(replacing: "allowed_cidrs", with: "allowed_cidrs: [\"10.0.0.1/24\"]"), field: "allowed_cidrs[0]")
        expectRejected(service(replacing: "allowed_cidrs", with: "allowed_cidrs: [anywhere]"), field: "allowed_cidrs[0]")
        expectRejected(service(replacing: "allowed_cidrs", with: "allowed_cidrs: []"), field: "allowed_cidrs")
        expectRejected(validService + "\nexpose: private", field: "expose")
        let tunnel = try ServiceSpec.load(validService + "\nexpose: tunnel").spec
        #expect(tunnel.exposure.mode == .tunnel)
    }

    @Test func secretsAreNeverEchoed() throws {
        let secretValue = "s3cr3t-Value-That-Must-Not-Leak"
        let text = validService + "\nsecrets: {API_TOKEN: \(secretValue), DB_PASSWORD: {env: DB_PASSWORD}, KEY: {file: /run/key}}"
        let spec = try ServiceSpec.load(text).spec
        #expect(spec.secrets["API_TOKEN"] == .value(Secret(secretValue)))
        #expect(spec.secrets["DB_PASSWORD"] == .environment("DB_PASSWORD"))
        #expect(spec.secrets["KEY"] == .file("/run/key"))
        let encoded = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        #expect(!encoded.contains(secretValue))
        #expect(!"\(spec)".contains(secretValue))

        let errors = validationErrors(validService + "\nsecrets: {API_TOKEN: {vault: \(secretValue)}}")
        #expect(errors.contains { $0.fieldPath == "secrets.API_TOKEN.vault" })
        #expect(!errors.map(\.message).joined().contains(secretValue))
        expectRejected(validService + "\nsecrets: {GREETING: x}", field: "secrets.GREETING")
    }

    @Test func registryAuthAndImageSources() throws {
        let auth = validService + "\nregistry_auth: {server: \"localhost:5000\", username: bob, password: {env: REG_PASS}}"
        #expect(try ServiceSpec.load(auth).spec.registryAuth?.password == .environment("REG_PASS"))
        expectRejected(validService + "\nregistry_auth: {server: \"https://x\", username: bob, password: p}", field: "registry_auth.server")
        expectRejected(validService + "\nregistry_auth: {server: ghcr.io, password: p}", field: "registry_auth.username")
        expectRejected(validService + "\nimage_archive: /tmp/img.tar\npull_policy: always", field: "pull_policy")
        expectRejected(validService + "\npull_policy: sometimes", field: "pull_policy")
        #expect(try ServiceSpec.load(validService + "\nimage_archive: /tmp/img.tar").spec.imageArchive == "/tmp/img.tar")
    }

    @Test func reportsEveryProblemAtOnce() {
        let errors = validationErrors("name: Bad_Name\nimage: \"x y\"\nresources: {cpus: -1}\nttl: soon")
        #expect(Set(errors.map(\.fieldPath)) == ["name", "image", "resources.cpus", "ttl"])
        let message = ValidationErrors(errors).message
        #expect(message.contains("name: \"Bad_Name\""))
    }

    @Test func errorsShowTheValueSafely() {
        let errors = validationErrors(service(replacing: "name", with: "name: \"a\\nb\""))
        #expect(errors.first?.value == "\"a\\nb\"")
        #expect(errors.first?.message.contains("\n") == false)
    }

    @Test func malformedDocumentsAreRejected() {
        #expect(!validationErrors("name: [unclosed").isEmpty)
        #expect(!validationErrors("{\"name\": }").isEmpty)
        #expect(!validationErrors("- just\n- a list").isEmpty)
        #expect(!validationErrors("base: &b {cpus: 1}\nresources: *b\nname: a\nimage: nginx").isEmpty)
    }
}

@Suite struct ServiceSpecEncodingTests {
    @Test(arguments: ["hello.yaml", "hello-native.yaml", "gpu-inference.yaml", "hello.json"])
    func theEncodedFormIsAServiceFileThatReadsBackTheSame(example: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let original = try ServiceSpec.load(contentsOf: root.appendingPathComponent("examples/\(example)").path).spec
        let encoded = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
        let reread = try ServiceSpec.load(encoded, format: .json).spec
        #expect(reread == original)
    }
}
