// Provisions COUNT instances through the EC2 driver, CONCURRENCY at a time, waits until they run
// and terminates them in one batched call, for Benchmarks/ec2.sh. Prints the elapsed seconds. Reads the same environment as the tool
// (AWS_* credentials and region, BLUEPRINT_REMOTE_ENDPOINT_AWS).
//
//   ec2-bench COUNT CONCURRENCY
import CloudDrivers
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let count = arguments.first ?? 100
let concurrency = arguments.dropFirst().first ?? 10
let transport = try HTTPTransport()
let context = DriverContext(environment: .process, transport: transport, logger: Logger(label: "bench"))
let driver = try DriverRegistry.standard.driver(for: .aws, context: context)
let key = SSHKeyPair(comment: "bench").authorizedKey
let tags = ResourceTags(deployment: "dbench0000001", owner: UUID().uuidString.lowercased(), expires: Date().addingTimeInterval(3600))

/// Runs `work` for every index, at most `width` at a time.
func inParallel<T: Sendable>(_ indices: [Int], width: Int, _ work: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: T.self) { group in
        var results: [T] = []
        var next = indices.makeIterator()
        for _ in 0..<width { if let index = next.next() { group.addTask { try await work(index) } } }
        while let result = try await group.next() {
            results.append(result)
            if let index = next.next() { group.addTask { try await work(index) } }
        }
        return results
    }
}

let started = ContinuousClock.now
let ids = try await inParallel(Array(0..<count), width: concurrency) { index in
    try await driver.create(InstanceRequest(
        requestID: "dbench0000001-\(index)", name: "bench-\(index)", region: "", instanceType: "t3.micro", diskGB: 10,
        tags: tags, sshPublicKey: key)).id
}
// Wait until every instance runs: one batched describe per round.
while try await driver.describe(ids).contains(where: { $0.status != .running }) {
    try await Task.sleep(for: .milliseconds(100))
}
// Terminate them all: one batched call.
try await driver.terminate(ids)
let elapsed = ContinuousClock.now - started
try await transport.shutdown()
print(String(format: "%.3f", elapsed.timeInterval))
