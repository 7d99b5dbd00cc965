import Logging
import ProviderTransport
import RemoteProvidersCore

/// What a driver factory is given: the environment to read credentials from, the shared transport
/// and the region asked for.
public struct DriverContext: Sendable {
    public let environment: Environment
    public let transport: HTTPTransport
    public let region: String?
    public let logger: Logger

    public init(environment: Environment, transport: HTTPTransport, region: String? = nil, logger: Logger) {
        self.environment = environment
        self.transport = transport
        self.region = region
        self.logger = logger
    }
}

/// Makes a provider's driver; throws `ProviderError` with `.invalidCredentials` when the
/// environment lacks what it needs.
public typealias DriverFactory = @Sendable (DriverContext) throws -> any CloudDriver

/// The one place drivers attach to provider ids. Adding a provider adds one line here and one
/// folder beside this file; nothing else changes.
public struct DriverRegistry: Sendable {
    private let factories: [ProviderID: DriverFactory]

    public init(_ factories: [ProviderID: DriverFactory]) {
        self.factories = factories
    }

    /// Every driver this build has.
    public static let standard = DriverRegistry([
        .aws: EC2Driver.factory,
        .digitalocean: DigitalOceanDriver.factory,
        .vultr: VultrDriver.factory,
        .hetzner: HetznerDriver.factory,
        .lium: LiumDriver.factory,
        .runpod: RunPodDriver.factory,
        .vastai: VastDriver.factory,
        .lambda: LambdaDriver.factory,
        .tensordock: TensorDockDriver.factory,
        .fluidstack: FluidstackDriver.factory,
        .paperspace: PaperspaceDriver.factory,
        .gcp: GCEDriver.factory,
        .azure: AzureDriver.factory,
    ])

    /// The API calls a deployment of `replicas` costs on each provider, for `plan`.
    public static let expectedCalls: [ProviderID: @Sendable (Int) -> [ExpectedCall]] = [
        .aws: EC2Driver.expectedCalls(replicas:),
        .digitalocean: DigitalOceanDriver.expectedCalls(replicas:),
        .vultr: VultrDriver.expectedCalls(replicas:),
        .hetzner: HetznerDriver.expectedCalls(replicas:),
        .lium: LiumDriver.expectedCalls(replicas:),
        .runpod: RunPodDriver.expectedCalls(replicas:),
        .vastai: VastDriver.expectedCalls(replicas:),
        .lambda: LambdaDriver.expectedCalls(replicas:),
        .tensordock: TensorDockDriver.expectedCalls(replicas:),
        .fluidstack: FluidstackDriver.expectedCalls(replicas:),
        .paperspace: PaperspaceDriver.expectedCalls(replicas:),
        .gcp: GCEDriver.expectedCalls(replicas:),
        .azure: AzureDriver.expectedCalls(replicas:),
    ]

    /// For providers whose credentials may come from where the tool runs (files, a metadata
    /// server): whether they can be found here, without a network call.
    public static let ambientCredentialsFound: [ProviderID: @Sendable (Environment) -> Bool] = [
        .aws: { environment in (try? AWSCredentialChain(environment: environment).credentials()) != nil },
        // On a VM of the cloud (its firmware says so) or with its metadata server named.
        .gcp: { environment in
            environment["GCE_METADATA_HOST"] != nil || environment["BLUEPRINT_REMOTE_ENDPOINT_GCP_METADATA"] != nil || GoogleCredentials.onGoogleCloud(environment)
        },
        .azure: { environment in
            environment["AZURE_SUBSCRIPTION_ID"] != nil && (environment["BLUEPRINT_REMOTE_ENDPOINT_AZURE_METADATA"] != nil || AzureCredentials.onAzure(environment))
        },
    ]

    public func hasDriver(for id: ProviderID) -> Bool { factories[id] != nil }

    public var providers: [ProviderID] { factories.keys.sorted() }

    public func driver(for id: ProviderID, context: DriverContext) throws -> any CloudDriver {
        guard let factory = factories[id] else {
            throw ProviderError.unsupported(
                "driver", provider: id, reason: "no driver for \(id) in this build yet; it is listed, not usable")
        }
        return try factory(context)
    }
}
