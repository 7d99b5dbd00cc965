import Testing

@testable import RemoteProvidersCore

@Suite struct ProviderDirectoryTests {
    /// The ids of ../shared/PROVIDERS.md, in its order.
    static let documented = [
        "aws", "gcp", "azure", "digitalocean", "vultr", "hetzner", "lambda", "runpod", "vastai", "lium", "paperspace",
        "fluidstack", "tensordock", "crusoe", "coreweave", "ionet", "primeintellect", "render", "akash", "ssh", "local",
        "kubernetes",
    ]

    @Test func listsEveryProviderOnceWithValidIds() {
        #expect(ProviderDirectory.ids.map(\.rawValue) == Self.documented)
        for id in ProviderDirectory.ids { #expect(ProviderID(rawValue: id.rawValue) == id) }
    }

    @Test func idGrammar() {
        #expect(ProviderID(rawValue: "aws") != nil)
        for bad in ["", "AWS", "digital-ocean", "a b", "vast.ai", "x;y"] { #expect(ProviderID(rawValue: bad) == nil) }
        #expect(ProviderID.digitalocean.environmentSuffix == "DIGITALOCEAN")
    }

    @Test func credentialVariablesFollowTheRegistry() throws {
        func names(_ id: ProviderID) throws -> [String] {
            try #require(ProviderDirectory.metadata(for: id)).credentialVariables.map(\.name)
        }
        #expect(try names(.digitalocean) == ["DIGITALOCEAN_TOKEN"])
        let token = try #require(ProviderDirectory.metadata(for: .digitalocean)?.credentialVariables.first)
        #expect(token.aliases == ["DIGITALOCEAN_ACCESS_TOKEN", "DO_API_TOKEN"])
        #expect(try names(.hetzner) == ["HCLOUD_TOKEN"])
        #expect(try names(.crusoe) == ["CRUSOE_API_KEY", "CRUSOE_API_SECRET", "CRUSOE_PROJECT_ID"])
        #expect(try names(.aws).prefix(3) == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
        #expect(ProviderDirectory.metadata(for: .vultr)?.baseURL == "https://api.vultr.com/v2")
        #expect(ProviderDirectory.metadata(for: .render)?.baseURL == nil)
        #expect(ProviderDirectory.metadata(for: .gcp)?.endpointVariable(for: "oauth") == "BLUEPRINT_REMOTE_ENDPOINT_GCP_OAUTH")
    }

    @Test func credentialStatusPrefersTheFirstNameAndReportsAliases() throws {
        let metadata = try #require(ProviderDirectory.metadata(for: .digitalocean))
        let viaAlias = CredentialStatus(metadata: metadata, environment: Environment(["DO_API_TOKEN": "x"]))
        #expect(viaAlias.state == .configured(scheme: "API key"))
        #expect(viaAlias.variables.first?.setAs == "DO_API_TOKEN")
        let both = CredentialStatus(metadata: metadata, environment: Environment(["DO_API_TOKEN": "x", "DIGITALOCEAN_TOKEN": "y"]))
        #expect(both.variables.first?.setAs == "DIGITALOCEAN_TOKEN")
        let empty = CredentialStatus(metadata: metadata, environment: Environment(["DIGITALOCEAN_TOKEN": ""]))
        #expect(empty.state == .missing)
    }

    @Test func credentialStatusNeedsAWholeScheme() throws {
        let crusoe = try #require(ProviderDirectory.metadata(for: .crusoe))
        #expect(CredentialStatus(metadata: crusoe, environment: Environment(["CRUSOE_API_KEY": "k"])).state == .missing)
        let all = Environment(["CRUSOE_API_KEY": "k", "CRUSOE_API_SECRET": "s", "CRUSOE_PROJECT_ID": "p"])
        #expect(CredentialStatus(metadata: crusoe, environment: all).isConfigured)
        let local = try #require(ProviderDirectory.metadata(for: .local))
        #expect(CredentialStatus(metadata: local, environment: Environment([:])).state == .notNeeded)
        let azure = try #require(ProviderDirectory.metadata(for: .azure))
        let onlySubscription = CredentialStatus(metadata: azure, environment: Environment(["AZURE_SUBSCRIPTION_ID": "s"]))
        #expect(onlySubscription.state == .ambient(scheme: "managed identity", source: "the Azure instance metadata service"))
        let token = CredentialStatus(
            metadata: azure, environment: Environment(["AZURE_SUBSCRIPTION_ID": "s", "AZURE_ACCESS_TOKEN": "t"]))
        #expect(token.state == .configured(scheme: "access token"))
    }
}
