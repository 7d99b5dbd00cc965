import CloudFakes
import Foundation
import TestSupport
import Testing

@testable import BlueprintRemoteCLI
@testable import Catalog

/// `offers`, `plan` and `catalog` as a user runs them: on a fresh machine with no credentials
/// they answer from the bundled snapshot; `catalog refresh` merges live offers (EC2 on moto).
@Suite(.timeLimit(.minutes(3))) struct CatalogCommandTests {
    /// A fresh state folder of its own, and nothing else.
    static func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
        let folder = try temporaryDirectory()
        return ["BLUEPRINT_REMOTE_STATE": folder.appendingPathComponent("state.sqlite").path].merging(extra) { $1 }
    }

    static let awsCredentials = [
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_REGION": "us-east-1",
    ]

    static func rows(_ result: CLI.Result) throws -> [[String: Any]] {
        try #require(try result.json()["offers"] as? [[String: Any]])
    }

    static func service(_ text: String) throws -> String {
        let path = try temporaryDirectory().appendingPathComponent("service.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func offersAnswerOfflineFromTheSnapshotCheapestFirstWithEveryPricedProvider() throws {
        let environment = try Self.environment()
        let cpu = try CLI.run(["offers", "--cpus", "2", "--memory", "4", "--json"], environment: environment)
        #expect(cpu.status == 0, "\(cpu.stderr)")
        let rows = try Self.rows(cpu)
        #expect(rows.count > 100)
        let prices = rows.compactMap { $0["price_per_hour"] as? Double }
        #expect(prices.count == rows.count && prices == prices.sorted())
        for row in rows {
            for key in ["provider", "region", "instance_type", "vcpus", "memory_gb", "gpus", "gpu_model", "gpu_memory_gb", "price_per_hour", "spot_price_per_hour", "source", "observed_at"] {
                #expect(row.keys.contains(key), "\(key)")
            }
            #expect((row["vcpus"] as? Double ?? 2) >= 2 && (row["gpus"] as? Int) == 0)
            #expect((row["source"] as? String)?.hasPrefix("snapshot https://") == true)
        }
        let gpu = try Self.rows(try CLI.run(["offers", "--gpus", "1", "--json"], environment: environment))
        let priced = Set(Snapshot.load().offers.map(\.provider.rawValue))
        #expect(priced.count == 17)
        #expect(Set((rows + gpu).compactMap { $0["provider"] as? String }) == priced, "every provider with published prices appears")

        let h100 = try Self.rows(try CLI.run(["offers", "--gpu-model", "H100", "--gpus", "8", "--json"], environment: environment))
        #expect(!h100.isEmpty && h100.allSatisfy { ($0["gpu_model"] as? String)?.hasPrefix("H100-") == true && ($0["gpus"] as? Int ?? 0) >= 8 })
        let spot = try Self.rows(try CLI.run(["offers", "--spot", "--cpus", "2", "--json", "--limit", "5"], environment: environment))
        #expect(spot.count == 5 && spot.allSatisfy { $0["market"] as? String == "spot" && $0["price_per_hour"] as? Double == $0["spot_price_per_hour"] as? Double })

        let table = try CLI.run(["offers", "--cpus", "2"], environment: environment)
        #expect(table.status == 0 && table.stdout.hasPrefix("PROVIDER") && table.stdout.contains("snapshot 20"))
        #expect(table.stdout.split(separator: "\n").count == 26 && table.stderr.contains("of"))
    }

    @Test func offersRejectBadFlagsNamingTheField() throws {
        let environment = try Self.environment()
        let model = try CLI.run(["offers", "--gpu-model", "H1OO", "--json"], environment: environment)
        #expect(model.status == 2)
        let error = try #require(try model.json()["error"] as? [String: Any])
        #expect(error["field"] as? String == "gpu-model" && (error["message"] as? String)?.contains("H100") == true)
        #expect(try CLI.run(["offers", "--provider", "nosuch"], environment: environment).status == 2)
        let none = try CLI.run(["offers", "--cpus", "4000"], environment: environment)
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.contains("cpus ruled out"))
    }

    @Test func planWithoutCredentialsShowsEveryProviderAndWhyUpCannotUseIt() throws {
        let environment = try Self.environment()
        let file = try Self.service("name: web\nimage: nginx:1.27\nports: [\"80\"]\nresources: {cpus: 2, memory_gb: 4}\nttl: 10h\n")
        let result = try CLI.run(["plan", file, "--json"], environment: environment)
        #expect(result.status == 1, "nothing is deployable without credentials")
        let plan = try #require(try result.json()["plan"] as? [String: Any])
        #expect(plan["chosen"] is NSNull)
        let providers = try #require(plan["providers"] as? [[String: Any]])
        #expect(providers.count == 17)
        let aws = try #require(providers.first { $0["provider"] as? String == "aws" })
        #expect(aws["deployable"] as? Bool == false && (aws["reason"] as? String)?.contains("AWS_ACCESS_KEY_ID") == true)
        #expect(providers.contains { ($0["reason"] as? String)?.contains("no driver") == true })
        #expect(!(try #require(plan["cheaper_elsewhere"] as? [Any])).isEmpty)
        #expect((plan["explanation"] as? String)?.contains("cannot use") == true)
    }

    @Test func planWithCredentialsChoosesTheCheapestDeployableOfferAndShowsCostCallsAndCommands() throws {
        let environment = try Self.environment(Self.awsCredentials)
        let file = try Self.service(
            "name: web\nimage: nginx:1.27\nports: [\"80\"]\nresources: {cpus: 2, memory_gb: 4}\nreplicas: 2\nttl: 10h\nruntime: docker\nsecrets: {TOKEN: {env: NOT_SET_HERE}}\n")
        let result = try CLI.run(["plan", file, "--json"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try #require(try result.json()["plan"] as? [String: Any])
        let chosen = try #require(plan["chosen"] as? [String: Any])
        #expect(chosen["provider"] as? String == "aws")
        let price = try #require(chosen["price_per_hour"] as? Double)
        // No AWS offer in the snapshot that fits is cheaper.
        let cheapest = Snapshot.load().offers.filter {
            $0.provider == .aws && $0.gpu == nil && ($0.vcpus ?? 0) >= 2 && ($0.memoryGB ?? 0) >= 4 && $0.arch == .x86_64
        }.compactMap(\.onDemandPrice).min()
        #expect(price == cheapest)
        #expect(abs((plan["hourly_price"] as? Double ?? 0) - 2 * price) < 1e-9)
        #expect(abs((plan["expected_cost"] as? Double ?? 0) - 20 * price) < 1e-9)
        #expect((plan["worst_case_cost"] as? Double ?? 0) >= (plan["expected_cost"] as? Double ?? 0))
        #expect((plan["fallbacks"] as? [[String: Any]])?.count == 5)
        let calls = try #require(plan["api_calls"] as? [[String: Any]])
        #expect(calls.contains { $0["call"] as? String == "RunInstances" && $0["count"] as? Int == 2 })
        let commands = try #require(plan["commands"] as? [String])
        #expect(commands.contains { $0.contains("docker run --detach") && $0.contains("nginx:1.27") })
        #expect(commands.contains { $0.contains("reads its data from stdin") }, "the env file travels over stdin")

        let text = try CLI.run(["plan", file], environment: environment)
        #expect(text.status == 0)
        for words in ["chosen:   aws", "fallback order", "API calls expected", "RunInstances", "docker run", "UP CAN USE IT"] {
            #expect(text.stdout.contains(words), "\(words)")
        }
    }

    @Test func anEmptyPlanSaysWhichRequirementRuledOutMost() throws {
        let environment = try Self.environment(Self.awsCredentials)
        let file = try Self.service("name: big\nimage: x:1\nresources: {cpus: 4, memory_gb: 16, gpus: 1, gpu_memory_gb: 1000}\n")
        let result = try CLI.run(["plan", file, "--json"], environment: environment)
        #expect(result.status == 1)
        let plan = try #require(try result.json()["plan"] as? [String: Any])
        #expect((plan["explanation"] as? String)?.contains("gpu_memory_gb ruled out") == true)
        let text = try CLI.run(["plan", file], environment: environment)
        #expect(text.status == 1 && text.stdout.contains("chosen:   nothing: no offer fits: gpu_memory_gb"))
    }

    @Test func catalogRefreshMergesLiveOffersAndAHangingProviderStaysStale() throws {
        guard let moto = requiredService("BLUEPRINT_TEST_MOTO_URL", "moto") else { return }
        let environment = try Self.environment(Self.awsCredentials.merging(["BLUEPRINT_REMOTE_ENDPOINT_AWS": moto]) { $1 })
        let refresh = try CLI.run(["catalog", "refresh", "--json"], environment: environment)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        let report = try #require(try refresh.json()["catalog_refresh"] as? [String: Any])
        let providers = try #require(report["providers"] as? [[String: Any]])
        let aws = try #require(providers.first { $0["provider"] as? String == "aws" })
        #expect(aws["status"] as? String == "ok" && (aws["offers"] as? Int ?? 0) > 100)

        let live = try Self.rows(try CLI.run(["offers", "--provider", "aws", "--region", "us-east-1", "--cpus", "2", "--json"], environment: environment))
        #expect(live.contains { ($0["source"] as? String)?.hasPrefix("aws DescribeInstanceTypes (live)") == true && $0["stale"] as? Bool == false })
        let status = try #require(try CLI.run(["catalog", "status", "--json"], environment: environment).json()["catalog"] as? [String: Any])
        let rows = try #require(status["providers"] as? [[String: Any]])
        #expect((rows.first { $0["provider"] as? String == "aws" }?["live_rows"] as? Int ?? 0) > 100)

        // The same cache, now refreshed against an endpoint that never answers.
        let silent = try SilentPort()
        var hanging = environment
        hanging["BLUEPRINT_REMOTE_ENDPOINT_AWS"] = "http://127.0.0.1:\(silent.port)"
        let stalled = try CLI.run(["catalog", "refresh", "--timeout", "2", "--json"], environment: hanging)
        #expect(stalled.status == 1)
        let stalledAWS = try #require((try stalled.json()["catalog_refresh"] as? [String: Any])?["providers"] as? [[String: Any]])
            .first { $0["provider"] as? String == "aws" }
        #expect(stalledAWS?["status"] as? String == "stale" && (stalledAWS?["kept_rows"] as? Int ?? 0) > 100)
        #expect((stalledAWS?["error"] as? String)?.contains("no answer within 2s") == true)
        let stale = try Self.rows(try CLI.run(["offers", "--provider", "aws", "--region", "us-east-1", "--cpus", "2", "--json"], environment: environment))
        #expect(stale.contains { ($0["source"] as? String)?.contains("(live)") == true && $0["stale"] as? Bool == true })
    }

    @Test func liveGPUOffersOfTheContainerCloudsMergeAndListCheapestFirst() async throws {
        let lium = try await CloudFake(FakeLium())
        let runpod = try await CloudFake(FakeRunPod())
        let vast = try await CloudFake(FakeVast())
        let environment = try Self.environment([
            "VAST_API_KEY": FakeVast.Settings().apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VASTAI": vast.baseURL.absoluteString,
            "LIUM_API_KEY": FakeLium.Settings().apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LIUM": lium.baseURL.absoluteString + "/api",
            "RUNPOD_API_KEY": FakeRunPod.Settings().apiKey, "BLUEPRINT_REMOTE_ENDPOINT_RUNPOD": runpod.baseURL.absoluteString,
        ])
        let refresh = try CLI.run(["catalog", "refresh", "--json"], environment: environment)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        let providers = try #require((try refresh.json()["catalog_refresh"] as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(providers.first { $0["provider"] as? String == "lium" }?["offers"] as? Int == 6, "\(providers)")
        #expect(providers.first { $0["provider"] as? String == "runpod" }?["status"] as? String == "ok", "\(providers)")
        #expect(providers.first { $0["provider"] as? String == "vastai" }?["offers"] as? Int == 6, "\(providers)")

        let rows = try Self.rows(try CLI.run(["offers", "--gpus", "1", "--gpu-model", "H100", "--json"], environment: environment))
        let prices = rows.compactMap { $0["price_per_hour"] as? Double }
        #expect(prices.count == rows.count && prices == prices.sorted(), "cheapest first")
        let live = rows.filter { ($0["source"] as? String)?.contains("lium /executors") == true }
        #expect(live.count == 5, "every listed H100 node, the 8-GPU one included: \(live)")
        #expect(live.first?["instance_type"] as? String == "5e6f7a8b-9cad-4ecf-9041-404142434445" && live.first?["price_per_hour"] as? Double == 1.99)
        #expect(rows.contains { $0["provider"] as? String == "lium" && $0["instance_type"] as? String == "1x-H100" }, "the snapshot's any-node row stays beside them")
        let pod = try #require(rows.first { $0["provider"] as? String == "runpod" && $0["instance_type"] as? String == "NVIDIA H100 80GB HBM3" && $0["region"] as? String == "community" })
        #expect(pod["price_per_hour"] as? Double == 2.69 && (pod["source"] as? String)?.contains("runpod /v2/catalog/gpus") == true, "the live price over the snapshot's")
        let offer = try #require(rows.first { $0["provider"] as? String == "vastai" && $0["instance_type"] as? String == "9100004" })
        #expect(offer["price_per_hour"] as? Double == 1.89 && offer["gpu_model"] as? String == "H100-PCIE")
        try await lium.shutdown()
        try await runpod.shutdown()
        try await vast.shutdown()
    }

    @Test func liveOffersOfTheGPUVMCloudsMergeWithTheirCapacity() async throws {
        let lambda = try await CloudFake(FakeLambda())
        let environment = try Self.environment([
            "LAMBDA_API_KEY": FakeLambda.Settings().apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LAMBDA": lambda.baseURL.absoluteString + "/api/v1",
        ])
        let refresh = try CLI.run(["catalog", "refresh", "--json"], environment: environment)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        let providers = try #require((try refresh.json()["catalog_refresh"] as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(providers.first { $0["provider"] as? String == "lambda" }?["offers"] as? Int == 5, "one per type and region with capacity: \(providers)")

        let rows = try Self.rows(try CLI.run(["offers", "--gpus", "1", "--gpu-model", "H100", "--provider", "lambda", "--json"], environment: environment))
        let live = try #require(rows.first { $0["instance_type"] as? String == "gpu_1x_h100_pcie" && $0["region"] as? String == "us-west-1" })
        #expect(live["price_per_hour"] as? Double == 2.49 && (live["source"] as? String)?.contains("lambda /instance-types") == true, "the live price over the snapshot's")
        try await lambda.shutdown()
    }

    @Test func liveAzureOffersAreTheSubscriptionsSizesAtRetailPrices() async throws {
        let azure = try await CloudFake(FakeAzure())
        let settings = FakeAzure.Settings()
        let environment = try Self.environment([
            "AZURE_ACCESS_TOKEN": settings.staticToken, "AZURE_SUBSCRIPTION_ID": settings.subscription,
            "BLUEPRINT_REMOTE_ENDPOINT_AZURE": azure.baseURL.absoluteString, "BLUEPRINT_REMOTE_ENDPOINT_AZURE_PRICES": azure.baseURL.absoluteString + "/api/retail",
        ])
        let refresh = try CLI.run(["catalog", "refresh", "--provider", "azure", "--json"], environment: environment)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        let providers = try #require((try refresh.json()["catalog_refresh"] as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(providers.first { $0["provider"] as? String == "azure" }?["offers"] as? Int == 9, "\(providers)")
        let rows = try Self.rows(try CLI.run(["offers", "--gpus", "1", "--gpu-model", "T4", "--provider", "azure", "--json"], environment: environment))
        let live = try #require(rows.first { ($0["source"] as? String)?.contains("retail prices") == true }, "\(rows)")
        #expect(live["instance_type"] as? String == "Standard_NC4as_T4_v3" && live["price_per_hour"] as? Double == 0.526)
        try await azure.shutdown()
    }

    @Test func liveComputeEngineOffersArePricedFromTheBillingCatalogPerZone() async throws {
        let gce = try await CloudFake(FakeGCE())
        let environment = try Self.environment([
            "GCP_ACCESS_TOKEN": FakeGCE.Settings().staticToken, "GOOGLE_CLOUD_PROJECT": FakeGCE.Settings().project,
            "BLUEPRINT_REMOTE_ENDPOINT_GCP": gce.baseURL.absoluteString + "/compute/v1", "BLUEPRINT_REMOTE_ENDPOINT_GCP_BILLING": gce.baseURL.absoluteString + "/v1",
        ])
        let refresh = try CLI.run(["catalog", "refresh", "--provider", "gcp", "--json"], environment: environment)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        let providers = try #require((try refresh.json()["catalog_refresh"] as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(providers.first { $0["provider"] as? String == "gcp" }?["offers"] as? Int == 10, "\(providers)")
        let rows = try Self.rows(try CLI.run(["offers", "--gpus", "1", "--gpu-model", "L4", "--provider", "gcp", "--json"], environment: environment))
        let live = try #require(rows.first { ($0["source"] as? String)?.contains("cloudbilling") == true }, "\(rows)")
        #expect(live["instance_type"] as? String == "g2-standard-4" && live["price_per_hour"] as? Double == 0.705)
        try await gce.shutdown()
    }

    @Test func aPlanOnAContainerCloudRunsNothingOverSSHAndANativeServiceIsNotPlacedThere() throws {
        let environment = try Self.environment(["LIUM_API_KEY": "sk_plan"])
        let image = try Self.service("""
            name: liumplan
            image: nginx:1.27
            ports: ["8080"]
            resources: {gpus: 1, gpu_models: [H100]}
            providers: [lium]
            ttl: 2h
            """)
        let plan = try CLI.run(["plan", image], environment: environment)
        #expect(plan.status == 0 && plan.stdout.contains("chosen:   lium any 1x-H100"), "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("the provider runs the image itself") && !plan.stdout.contains("commands on each host"), "\(plan.stdout)")
        let native = try Self.service("""
            name: liumnative
            command: [/usr/local/bin/server]
            runtime: native
            resources: {gpus: 1, gpu_models: [H100]}
            providers: [lium]
            ttl: 2h
            """)
        let refused = try CLI.run(["plan", native, "--json"], environment: environment)
        let standing = try #require((try refused.json()["plan"] as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(refused.status == 1)
        #expect((standing.first { $0["provider"] as? String == "lium" }?["reason"] as? String)?.contains("lium runs container images") == true, "\(standing)")
    }

    @Test func upAsksBeforeBuyingAndNeverForFreeHosts() {
        #expect(Confirmation.decide(hourlyPrice: 0, yes: false, interactive: false) == .proceed)
        #expect(Confirmation.decide(hourlyPrice: nil, yes: false, interactive: false) == .proceed)
        #expect(Confirmation.decide(hourlyPrice: 0.5, yes: true, interactive: false) == .proceed)
        #expect(Confirmation.decide(hourlyPrice: 0.5, yes: false, interactive: true) == .ask)
        guard case .refuse(let reason) = Confirmation.decide(hourlyPrice: 0.5, yes: false, interactive: false) else {
            Issue.record("a paid plan without --yes and without a terminal must be refused")
            return
        }
        #expect(reason.contains("--yes") && reason.contains("$0.5000/h"))
    }
}
