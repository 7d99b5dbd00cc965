// Serves a cloud fake on a loopback port until interrupted, so the providers' own clients and
// other tools can be pointed at it:
//
//   swift run cloud-fake digitalocean|vultr|hetzner|lium|runpod|vastai|lambda|tensordock|fluidstack|paperspace|gcp|azure [--port P] [--token T] [--address IP]
import CloudFakes
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

guard let provider = arguments.first, !provider.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: cloud-fake digitalocean|vultr|hetzner|lium|runpod|vastai|lambda|tensordock|fluidstack|paperspace|gcp|azure [--port P] [--token T] [--address IP]\n".utf8))
    exit(2)
}
let port = option("--port").flatMap(Int.init) ?? 0
// Every server's public address, so a standalone fake's servers can be real test hosts.
let address = option("--address")
let token = option("--token")

/// Serves `api` until interrupted, after saying where and with which key.
func serve(_ api: some FakeAPI, path: String, key: String) async throws -> Never {
    let fake = try await CloudFake(api, port: port)
    FileHandle.standardOutput.write(Data("\(provider) fake on \(fake.baseURL.absoluteString)\(path) (key \(key))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }
}

switch provider {
case "digitalocean":
    var settings = FakeDigitalOcean.Settings()
    if let token { settings.token = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeDigitalOcean(settings), path: "", key: settings.token)
case "vultr":
    var settings = FakeVultr.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeVultr(settings), path: "/v2", key: settings.apiKey)
case "hetzner":
    var settings = FakeHetzner.Settings()
    if let token { settings.token = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeHetzner(settings), path: "/v1", key: settings.token)
case "lium":
    var settings = FakeLium.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.publish = { pod, port in (address, FakeLium.Settings().publish(pod, port).port) } }
    try await serve(FakeLium(settings), path: "/api", key: settings.apiKey)
case "runpod":
    var settings = FakeRunPod.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.publish = { pod, port in (address, FakeRunPod.Settings().publish(pod, port).port) } }
    try await serve(FakeRunPod(settings), path: "", key: settings.apiKey)
case "vastai":
    var settings = FakeVast.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.publish = { instance, port in (address, FakeVast.Settings().publish(instance, port).port) } }
    try await serve(FakeVast(settings), path: "", key: settings.apiKey)
case "lambda":
    var settings = FakeLambda.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeLambda(settings), path: "/api/v1", key: settings.apiKey)
case "tensordock":
    var settings = FakeTensorDock.Settings()
    if let token { settings.token = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeTensorDock(settings), path: "/api/v2", key: settings.token)
case "fluidstack":
    var settings = FakeFluidstack.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeFluidstack(settings), path: "", key: settings.apiKey)
case "paperspace":
    var settings = FakePaperspace.Settings()
    if let token { settings.apiKey = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakePaperspace(settings), path: "/v1", key: settings.apiKey)
case "gcp":
    var settings = FakeGCE.Settings()
    if let token { settings.staticToken = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeGCE(settings), path: "/compute/v1", key: settings.staticToken)
case "azure":
    var settings = FakeAzure.Settings()
    if let token { settings.staticToken = token }
    if let address { settings.address = { _ in address } }
    try await serve(FakeAzure(settings), path: "", key: settings.staticToken)
default:
    FileHandle.standardError.write(Data("cloud-fake: no fake for \(provider) yet (digitalocean, vultr, hetzner, lium, runpod, vastai, lambda, tensordock, fluidstack, paperspace, gcp, azure)\n".utf8))
    exit(2)
}
