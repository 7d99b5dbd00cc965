/// The metadata of every provider in ../shared/PROVIDERS.md, in that document's order.
///
/// This is data only. Drivers attach to these ids through `DriverRegistry`; a provider without a
/// driver is still listed, and says so.
public enum ProviderDirectory {
    public static func metadata(for id: ProviderID) -> ProviderMetadata? {
        all.first { $0.id == id }
    }

    public static var ids: [ProviderID] { all.map(\.id) }

    private static func token(_ name: String, aliases: [String] = [], role: String = "API token") -> CredentialVariable {
        CredentialVariable(name, aliases: aliases, role: role)
    }

    private static func bearer(_ variable: CredentialVariable, optional: [CredentialVariable] = []) -> [CredentialScheme] {
        [CredentialScheme("API key", required: [variable], optional: optional)]
    }

    public static let all: [ProviderMetadata] = [
        ProviderMetadata(
            id: .aws, displayName: "AWS EC2", kinds: [.vm],
            baseURL: "https://ec2.{region}.amazonaws.com",
            credentialSchemes: [
                CredentialScheme(
                    "access key",
                    required: [
                        token("AWS_ACCESS_KEY_ID", role: "access key id"),
                        token("AWS_SECRET_ACCESS_KEY", role: "secret access key"),
                    ],
                    optional: [token("AWS_SESSION_TOKEN", role: "session token")]),
                CredentialScheme(
                    "shared credentials file",
                    required: [],
                    optional: [
                        CredentialVariable("AWS_PROFILE", role: "profile name", secret: false),
                        CredentialVariable(
                            "AWS_SHARED_CREDENTIALS_FILE", role: "credentials file (default ~/.aws/credentials)",
                            secret: false, path: true),
                    ],
                    ambient: "~/.aws/credentials and ~/.aws/config"),
            ],
            contractSource: "moto; botocore EC2 model (2016-11-15)"),
        ProviderMetadata(
            id: .gcp, displayName: "Google Compute Engine", kinds: [.vm, .gpu],
            baseURL: "https://compute.googleapis.com/compute/v1",
            secondaryEndpoints: [
                "OAUTH": "https://oauth2.googleapis.com/token",
                "BILLING": "https://cloudbilling.googleapis.com/v1",
                "METADATA": "http://metadata.google.internal/computeMetadata/v1",
            ],
            credentialSchemes: [
                CredentialScheme(
                    "service account key",
                    required: [
                        CredentialVariable(
                            "GOOGLE_APPLICATION_CREDENTIALS", role: "service account key file", secret: false, path: true),
                        CredentialVariable(
                            "GOOGLE_CLOUD_PROJECT", aliases: ["GCP_PROJECT_ID"], role: "project id", secret: false),
                    ]),
                CredentialScheme(
                    "access token",
                    required: [
                        token("GCP_ACCESS_TOKEN", role: "OAuth access token"),
                        CredentialVariable(
                            "GOOGLE_CLOUD_PROJECT", aliases: ["GCP_PROJECT_ID"], role: "project id", secret: false),
                    ]),
                CredentialScheme("metadata server", required: [], ambient: "the GCE metadata server"),
            ],
            contractSource: "Compute Engine discovery document; google-cloud-compute"),
        ProviderMetadata(
            id: .azure, displayName: "Azure VMs", kinds: [.vm, .gpu],
            baseURL: "https://management.azure.com",
            secondaryEndpoints: [
                "LOGIN": "https://login.microsoftonline.com",
                "METADATA": "http://169.254.169.254/metadata",
                "PRICES": "https://prices.azure.com/api/retail",
            ],
            credentialSchemes: [
                CredentialScheme(
                    "client secret",
                    required: [
                        CredentialVariable("AZURE_TENANT_ID", role: "tenant id", secret: false),
                        CredentialVariable("AZURE_CLIENT_ID", role: "client id", secret: false),
                        token("AZURE_CLIENT_SECRET", role: "client secret"),
                        CredentialVariable("AZURE_SUBSCRIPTION_ID", role: "subscription id", secret: false),
                    ]),
                CredentialScheme(
                    "access token",
                    required: [
                        token("AZURE_ACCESS_TOKEN", role: "bearer token"),
                        CredentialVariable("AZURE_SUBSCRIPTION_ID", role: "subscription id", secret: false),
                    ]),
                CredentialScheme(
                    "managed identity",
                    required: [CredentialVariable("AZURE_SUBSCRIPTION_ID", role: "subscription id", secret: false)],
                    ambient: "the Azure instance metadata service"),
            ],
            contractSource: "Azure REST API specs; azure-mgmt-compute"),
        ProviderMetadata(
            id: .digitalocean, displayName: "DigitalOcean", kinds: [.vm, .gpu],
            baseURL: "https://api.digitalocean.com",
            credentialSchemes: bearer(token("DIGITALOCEAN_TOKEN", aliases: ["DIGITALOCEAN_ACCESS_TOKEN", "DO_API_TOKEN"])),
            contractSource: "openapi/digitalocean.json; pydo"),
        ProviderMetadata(
            id: .vultr, displayName: "Vultr", kinds: [.vm, .gpu],
            baseURL: "https://api.vultr.com/v2",
            credentialSchemes: bearer(token("VULTR_API_KEY", role: "API key")),
            contractSource: "openapi/vultr.json"),
        ProviderMetadata(
            id: .hetzner, displayName: "Hetzner Cloud", kinds: [.vm],
            baseURL: "https://api.hetzner.cloud/v1",
            credentialSchemes: bearer(token("HCLOUD_TOKEN", aliases: ["HETZNER_API_TOKEN"])),
            contractSource: "openapi/hetzner.json; hcloud"),
        ProviderMetadata(
            id: .lambda, displayName: "Lambda Cloud", kinds: [.gpu, .vm],
            baseURL: "https://cloud.lambda.ai/api/v1",
            credentialSchemes: bearer(token("LAMBDA_API_KEY", aliases: ["LAMBDA_LABS_API_KEY"], role: "API key")),
            contractSource: "Lambda's API document 1.8.3; lambda-cloud-api-client, lambda-ai-cloud-api-client"),
        ProviderMetadata(
            id: .runpod, displayName: "RunPod", kinds: [.gpu, .container],
            // REST v2: v1 (rest.runpod.io/v1, PROVIDERS.md) was retired on 2026-12-01. Paths carry /v2.
            baseURL: "https://api.runpod.io",
            credentialSchemes: bearer(token("RUNPOD_API_KEY", role: "API key")),
            contractSource: "RunPod REST API v2 openapi.json (Tests/Contracts/runpod.json)"),
        ProviderMetadata(
            id: .vastai, displayName: "Vast.ai", kinds: [.gpu, .container],
            baseURL: "https://console.vast.ai",
            credentialSchemes: bearer(token("VAST_API_KEY", aliases: ["VAST_AI_API_KEY"], role: "API key")),
            contractSource: "openapi/vastai.yaml; vastai"),
        ProviderMetadata(
            id: .lium, displayName: "Bittensor Lium (subnet 51)", kinds: [.gpu, .container],
            baseURL: "https://lium.io/api",
            credentialSchemes: bearer(token("LIUM_API_KEY", role: "API key")),
            contractSource: "lium-io (Lium's own client)"),
        ProviderMetadata(
            id: .paperspace, displayName: "Paperspace", kinds: [.gpu, .vm],
            baseURL: "https://api.paperspace.com/v1",
            credentialSchemes: bearer(token("PAPERSPACE_API_KEY", role: "API key")),
            contractSource: "Paperspace's openapi.json (Tests/Contracts/paperspace.json)"),
        ProviderMetadata(
            id: .fluidstack, displayName: "Fluidstack", kinds: [.gpu, .vm],
            baseURL: "https://platform.fluidstack.io",
            credentialSchemes: bearer(token("FLUIDSTACK_API_KEY", role: "API key")),
            contractSource: "fluidstack (the SDK generated from Fluidstack's API definition)"),
        ProviderMetadata(
            id: .tensordock, displayName: "TensorDock", kinds: [.gpu, .vm],
            baseURL: "https://dashboard.tensordock.com/api/v2",
            credentialSchemes: bearer(
                token("TENSORDOCK_API_KEY", role: "API key"),
                optional: [token("TENSORDOCK_API_TOKEN", role: "API token (where required)")]),
            contractSource: "TensorDock API v2 pages (examples only)"),
        ProviderMetadata(
            id: .crusoe, displayName: "Crusoe Cloud", kinds: [.gpu, .vm],
            baseURL: "https://api.crusoecloud.com/v1alpha5",
            credentialSchemes: [
                CredentialScheme(
                    "HMAC key",
                    required: [
                        CredentialVariable("CRUSOE_API_KEY", role: "access key id", secret: false),
                        token("CRUSOE_API_SECRET", role: "secret key"),
                        CredentialVariable("CRUSOE_PROJECT_ID", role: "project id", secret: false),
                    ])
            ],
            contractSource: "Crusoe API docs (HMAC-signed requests)"),
        ProviderMetadata(
            id: .coreweave, displayName: "CoreWeave", kinds: [.kubernetes, .gpu],
            baseURL: nil,
            credentialSchemes: [
                CredentialScheme(
                    "kubeconfig",
                    required: [
                        CredentialVariable(
                            "KUBECONFIG", aliases: ["COREWEAVE_KUBECONFIG"], role: "kubeconfig file", secret: false,
                            path: true)
                    ])
            ],
            contractSource: "Kubernetes API"),
        ProviderMetadata(
            id: .ionet, displayName: "io.net", kinds: [.gpu, .vm],
            baseURL: "https://api.io.solutions/enterprise/v1/io-cloud",
            credentialSchemes: bearer(token("IONET_API_KEY", aliases: ["IO_NET_API_KEY"], role: "API key")),
            contractSource: "io.net API docs; ionet-cloud"),
        ProviderMetadata(
            id: .primeintellect, displayName: "Prime Intellect", kinds: [.gpu, .vm],
            baseURL: "https://api.primeintellect.ai/api/v1",
            credentialSchemes: bearer(token("PRIME_API_KEY", aliases: ["PRIME_INTELLECT_API_KEY"], role: "API key")),
            contractSource: "Prime Intellect API docs; prime"),
        ProviderMetadata(
            id: .render, displayName: "Render Network", kinds: [.gpu],
            baseURL: nil,
            credentialSchemes: bearer(token("RENDER_API_KEY", role: "API key")),
            contractSource: "none: Render Network publishes no compute API"),
        ProviderMetadata(
            id: .akash, displayName: "Akash Network", kinds: [.gpu, .container],
            baseURL: "https://console-api.akash.network",
            credentialSchemes: bearer(token("AKASH_API_KEY", aliases: ["AKASH_API_TOKEN"], role: "Console API key")),
            contractSource: "Akash Console API docs; akash"),
        ProviderMetadata(
            id: .ssh, displayName: "Bring-your-own SSH hosts", kinds: [.byo],
            baseURL: nil,
            credentialSchemes: [
                CredentialScheme(
                    "hosts file",
                    required: [
                        CredentialVariable(
                            "BLUEPRINT_REMOTE_SSH_HOSTS", role: "hosts file (or --hosts FILE)", secret: false, path: true)
                    ])
            ],
            contractSource: "OpenSSH"),
        ProviderMetadata(
            id: .local, displayName: "This machine", kinds: [.byo],
            baseURL: nil, credentialSchemes: [], contractSource: "none: runs here"),
        ProviderMetadata(
            id: .kubernetes, displayName: "Any Kubernetes cluster", kinds: [.kubernetes],
            baseURL: nil,
            credentialSchemes: [
                CredentialScheme(
                    "kubeconfig",
                    required: [],
                    optional: [
                        CredentialVariable(
                            "KUBECONFIG", role: "kubeconfig file (default ~/.kube/config)", secret: false, path: true)
                    ],
                    ambient: "~/.kube/config")
            ],
            contractSource: "Kubernetes API"),
    ]
}
