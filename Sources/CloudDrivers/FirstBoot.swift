import RemoteExecution
import RemoteProvidersCore

/// What root runs at a machine's first boot on clouds that install no key through their API
/// (Paperspace's startup script, TensorDock's cloud-init `runcmd`): the tool's key for the login
/// user, then the boot script (`InstanceRequest.userData`), when there is one.
enum FirstBoot {
    static func commands(key: String, user: String, userData: String?) throws -> [ShellCommand] {
        // One OpenSSH key line: a line break would add lines of its own to authorized_keys.
        _ = try KeyFingerprint.md5(key)
        guard !key.contains(where: \.isNewline) else {
            throw ValidationError(field: "ssh_public_key", value: nil, rule: "must be one OpenSSH public key line")
        }
        return [ShellCommand.authorizeKey(key, forUser: user)] + (userData.map { [ShellCommand("sh", "-c", $0)] } ?? [])
    }
}
