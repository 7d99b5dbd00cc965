// Fills the store that BLUEPRINT_REMOTE_STATE names with COUNT deployments (each with one
// instance and a few events), for Benchmarks/status.sh.
//
//   store-seeder COUNT
import DeploymentStore
import Foundation
import RemoteProvidersCore

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10_000
let spec = try ServiceSpec.load(
    "name: bench\nimage: localhost/bench:1\nports: [\"8080\"]\nallowed_cidrs: [127.0.0.0/8]\nresources: {cpus: 2, memory_gb: 4}"
).spec

try await StoreOpener.withStore(.process) { store in
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<4 {
            group.addTask {
                for index in stride(from: worker, to: count, by: 4) {
                    let deployment = try await store.createDeployment(
                        NewDeployment(name: "bench-\(index)", spec: spec, expiresAt: Date().addingTimeInterval(3600), pricePerHour: 0.0832))
                    try await store.transition(deployment.id, to: .provisioning, reason: "seed")
                    try await store.recordInstance(InstanceRecord(
                        deploymentID: deployment.id, provider: .aws, region: "us-east-1", providerInstanceID: "i-\(deployment.id)",
                        address: "10.200.0.\(index % 250 + 2)", expiresAt: deployment.expiresAt))
                }
            }
        }
        try await group.waitForAll()
    }
    print("seeded \(count) deployments in \(ContinuousClock.now - started)")
}
