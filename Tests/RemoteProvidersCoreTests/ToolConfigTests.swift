import Foundation
import Testing

@testable import RemoteProvidersCore

@Suite struct ToolConfigTests {
    @Test func readsDefaultsAndCaps() throws {
        let config = try ToolConfig.parse("""
            default_ttl: 4h
            regions: [us-east-1]
            max_price_per_hour: 3
            max_total_cost: 50
            allowed_cidrs: [198.51.100.0/24]
            catalog_max_age: 6h
            ssh_wait: 10m
            """)
        #expect(config.defaultTTL == .hours(4))
        #expect(config.catalogMaxAge == .hours(6))
        #expect(config.sshWait == .minutes(10))
        #expect(config.regions == ["us-east-1"])
        #expect(config.maxPricePerHour == 3)
        let spec = try ServiceSpec.load("name: a\nimage: nginx\nports: [\"80\"]", config: config)
        #expect(spec.spec.resources.regions == ["us-east-1"])
        #expect(spec.spec.resources.maxPricePerHour == 3)
        #expect(spec.spec.maxTotalCost == 50)
        #expect(spec.spec.exposure.allowedCIDRs.map(\.description) == ["198.51.100.0/24"])
        #expect(spec.warnings.isEmpty)
        #expect(try spec.spec.effectiveTTL(default: config.defaultTTL, allowNoTTL: false) == .hours(4))
    }

    @Test func aServiceMayNotExceedTheCaps() {
        let config = ToolConfig(maxPricePerHour: 1, maxTotalCost: 10)
        let errors = validationErrors("name: a\nimage: nginx\nmax_price_per_hour: 2\nmax_total_cost: 11", config: config)
        #expect(Set(errors.map(\.fieldPath)) == ["max_price_per_hour", "max_total_cost"])
    }

    @Test func rejectsUnknownKeysAndBadValues() {
        #expect(throws: ValidationErrors.self) { try ToolConfig.parse("default_ttl: 0s") }
        #expect(throws: ValidationErrors.self) { try ToolConfig.parse("colour: blue") }
        #expect(throws: ValidationErrors.self) { try ToolConfig.parse("max_price_per_hour: .nan") }
        #expect(throws: ValidationErrors.self) { try ToolConfig.parse("catalog_max_age: 0s") }
        #expect(throws: ValidationErrors.self) { try ToolConfig.parse("ssh_wait: 5s") }
    }

    @Test func findsTheFileFromTheEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config.yaml")
        try "default_ttl: 30m\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ToolConfig.load(environment: Environment(["BLUEPRINT_REMOTE_CONFIG": file.path])).defaultTTL == .minutes(30))
        #expect(ToolConfig.path(environment: Environment(["HOME": "/home/x"])) == "/home/x/.config/blueprint-remote/config.yaml")
        #expect(try ToolConfig.load(environment: Environment(["HOME": directory.path])) == ToolConfig())
        #expect(throws: ValidationError.self) {
            try ToolConfig.load(environment: Environment(["BLUEPRINT_REMOTE_CONFIG": directory.appendingPathComponent("none").path]))
        }
    }
}
