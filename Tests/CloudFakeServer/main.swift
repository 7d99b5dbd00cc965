// Serves a cloud fake on a loopback port until interrupted, so the providers' own clients and
// other tools can be pointed at it:
//
//   swift run cloud-fake digitalocean|vultr|hetzner [--port P] [--token T] [--address IP]
import CloudFakes
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

guard let provider = arguments.first, !provider.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: cloud-fake digitalocean|vultr|hetzner [--port P] [--token T] [--address IP]\n".utf8))
    exit(2)
}
let port = option("--port").flatMap(Int.init) ?? 0
// Every server's public address, so a standalone fake's servers can be real test hosts.
let address = option("--address")
switch provider {
case "digitalocean":
    var settings = FakeDigitalOcean.Settings()
    if let token = option("--token") { settings.token = token }
    if let address { settings.address = { _ in address } }
    let fake = try await CloudFake(FakeDigitalOcean(settings), port: port)
    FileHandle.standardOutput.write(Data("digitalocean fake on \(fake.baseURL.absoluteString) (token \(settings.token))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }
case "vultr":
    var settings = FakeVultr.Settings()
    if let token = option("--token") { settings.apiKey = token }
    if let address { settings.address = { _ in address } }
    let fake = try await CloudFake(FakeVultr(settings), port: port)
    FileHandle.standardOutput.write(Data("vultr fake on \(fake.baseURL.absoluteString)/v2 (API key \(settings.apiKey))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }
case "hetzner":
    var settings = FakeHetzner.Settings()
    if let token = option("--token") { settings.token = token }
    if let address { settings.address = { _ in address } }
    let fake = try await CloudFake(FakeHetzner(settings), port: port)
    FileHandle.standardOutput.write(Data("hetzner fake on \(fake.baseURL.absoluteString)/v1 (token \(settings.token))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }
default:
    FileHandle.standardError.write(Data("cloud-fake: no fake for \(provider) yet (digitalocean, vultr, hetzner)\n".utf8))
    exit(2)
}
