import Foundation
import RemoteProvidersCore

extension SecretSource {
    /// The secret's text: inline, from a variable of the controller's environment, or from a file
    /// (its trailing newline dropped, as editors add one).
    public func resolve(field: String, environment: Environment) throws -> Secret {
        switch self {
        case .value(let secret): return secret
        case .environment(let name):
            guard let value = environment[name] else {
                throw ValidationError(field: field, value: nil, rule: "names the variable \(name), which is not set")
            }
            return Secret(value)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError(field: field, value: path, rule: "names a file that cannot be read")
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            return Secret(text)
        }
    }
}

extension Workload {
    /// Replica `replica` of `spec` for `deploymentID`, its secrets read now.
    public init(spec: ServiceSpec, deploymentID: String, replica: Int, environment: Environment) throws {
        var secrets: [String: Secret] = [:]
        for (name, source) in spec.secrets { secrets[name] = try source.resolve(field: "secrets.\(name)", environment: environment) }
        let registryAuth = try spec.registryAuth.map {
            ResolvedRegistryAuth(server: $0.server, username: $0.username, password: try $0.password.resolve(field: "registry_auth.password", environment: environment))
        }
        self.init(
            deploymentID: deploymentID, service: spec.name, replica: replica, image: spec.image, command: spec.command ?? [],
            environment: spec.env, secrets: secrets, ports: spec.ports, cpus: spec.resources.cpus, memoryGB: spec.resources.memoryGB,
            gpus: spec.resources.gpu?.count ?? 0, exposure: spec.exposure.mode, pullPolicy: spec.pullPolicy, registryAuth: registryAuth,
            imageArchive: spec.imageArchive)
    }
}
