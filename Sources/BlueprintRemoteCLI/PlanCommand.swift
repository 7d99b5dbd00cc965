import ArgumentParser
import Foundation
import RemoteProviders

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what up would buy for a service, and why, before anything is bought.",
        discussion: """
            The cheapest offer that fits every requirement of the service file, on a provider `up` \
            can use here (a driver in this build and credentials set), then the order it falls back \
            in on capacity errors; the hourly price, the cost over the TTL (and the worst case if \
            failover ends on the dearest fallback), the API calls expected and the commands that will \
            run on each host. Every provider in the catalog is listed with its cheapest fit and, \
            where `up` cannot use it, why. Reads the catalog only: no network, no credentials needed.

            Exits 1 when nothing deployable fits (the plan says which requirement ruled out most).

            Examples:
              blueprint-remote plan examples/gpu-inference.yaml
              blueprint-remote plan examples/hello.yaml --provider ssh --hosts hosts.yaml --json
            """)

    @Argument(help: "The service file (YAML or JSON).") var service: String
    @Option(name: .long, help: "Only this provider (repeat or comma-separate); ssh and local plan on their pools.")
    var provider: [String] = []
    @Option(name: .long, help: "Only this region.") var region: String?
    @Option(name: .long, help: "Only this instance type (the provider's own name).") var type: String?
    @OptionGroup var hostOptions: HostOptions
    @Option(name: .long, help: "Time to live, for example 2h (default: the service file's ttl, else the config's).") var ttl: String?
    @Flag(name: .customLong("no-ttl"), help: "Never expire (no cost bound).") var noTTL = false
    @Option(name: .long, help: "How many fallbacks to show.") var fallbacks: Int = 5
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard (0...100).contains(fallbacks) else { throw UsageError("--fallbacks must be between 0 and 100", field: "fallbacks") }
        let environment = Environment.process
        let config = try ToolConfig.load(environment: environment)
        let spec = try ServiceSpec.load(contentsOf: service, config: config).spec
        let lifetime = try ttl != nil || noTTL
            ? InstanceLifetime.resolve(ttl: ttl, noTTL: noTTL, config: config)
            : spec.effectiveTTL(default: config.defaultTTL, allowNoTTL: false)
        let report = try await ServicePlan.make(
            spec, providers: try CatalogAccess.providers(provider), region: region, instanceType: type, hostOptions: hostOptions, ttl: lifetime,
            fallbacks: fallbacks, environment: environment, config: config)
        if output.json {
            try Terminal.json("plan", report)
        } else {
            Terminal.out(report.text)
        }
        if report.chosen == nil {
            throw PlanFailure(message: report.explanation ?? "nothing deployable fits", printed: output.json, overBudget: report.overBudget)
        }
    }
}

/// Nothing deployable fits: the plan (and why) is already printed.
struct PlanFailure: PrintedFailure {
    let message: String
    let printed: Bool
    var overBudget = false
    var code: ErrorCode { overBudget ? .budget : .noCapacity }
}

/// A budget that cannot be applied, or is exceeded before anything is bought.
struct BudgetError: CodedError {
    let message: String
    var code: ErrorCode { .budget }
    var field: String? { "max_total_cost" }
}

/// A plan for one service file, shaped for `plan --json` and for the text `plan` and `up` show.
struct ServicePlan: Encodable {
    struct Standing: Encodable {
        let provider: ProviderID
        let cheapest: OfferRow?
        let deployable: Bool
        let reason: String?
    }

    struct Elsewhere: Encodable {
        let offer: OfferRow
        let reason: String
    }

    let service: String
    let replicas: Int
    let ttl: TimeSpan?
    let requirements: ResourceSpec
    let chosen: OfferRow?
    let fallbacks: [OfferRow]
    let cheaperElsewhere: [Elsewhere]
    let hourlyPrice: Double?
    let expectedCost: Double?
    let worstCaseCost: Double?
    let maxTotalCost: Double?
    /// Something fits, but not within `max_total_cost` over the TTL.
    let overBudget: Bool
    let apiCalls: [ExpectedCall]
    let commands: [String]
    let providers: [Standing]
    let explanation: String?

    enum CodingKeys: String, CodingKey {
        case service, replicas, ttl, requirements, chosen, fallbacks, commands, providers, explanation
        case cheaperElsewhere = "cheaper_elsewhere"
        case hourlyPrice = "hourly_price"
        case expectedCost = "expected_cost"
        case worstCaseCost = "worst_case_cost"
        case maxTotalCost = "max_total_cost"
        case overBudget = "over_budget"
        case apiCalls = "api_calls"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(replicas, forKey: .replicas)
        try container.encode(ttl, forKey: .ttl)
        try container.encode(requirements, forKey: .requirements)
        try container.encode(chosen, forKey: .chosen)
        try container.encode(fallbacks, forKey: .fallbacks)
        try container.encode(cheaperElsewhere, forKey: .cheaperElsewhere)
        try container.encode(hourlyPrice, forKey: .hourlyPrice)
        try container.encode(expectedCost, forKey: .expectedCost)
        try container.encode(worstCaseCost, forKey: .worstCaseCost)
        try container.encode(maxTotalCost, forKey: .maxTotalCost)
        try container.encode(overBudget, forKey: .overBudget)
        try container.encode(apiCalls, forKey: .apiCalls)
        try container.encode(commands, forKey: .commands)
        try container.encode(providers, forKey: .providers)
        try container.encode(explanation, forKey: .explanation)
    }

    /// What a plan is made from: the requirements with the command line's narrowing applied,
    /// and a planner over the catalog (plus the named pools' hosts).
    struct Inputs: Sendable {
        /// With the budget's price cap applied.
        let requirements: ResourceSpec
        /// Without it: to tell "over budget" from "nothing fits".
        let unbudgeted: ResourceSpec
        let planner: Planner
        let catalog: Catalog
        /// `max_total_cost` (service file, else config) and the hourly cap per replica it means under the TTL.
        let budget: (total: Double, perReplicaHour: Double)?
    }

    static func inputs(
        _ spec: ServiceSpec, providers: [ProviderID], region: String? = nil, instanceType: String? = nil, hostOptions: HostOptions, ttl: TimeSpan?,
        environment: Environment, config: ToolConfig
    ) async throws -> Inputs {
        let catalog = try CatalogAccess.load(environment, config: config)
        var requirements = spec.resources
        if !providers.isEmpty { requirements.providers = providers }
        if let region { requirements.regions = [region] }
        let unbudgeted = requirements
        var budget: (total: Double, perReplicaHour: Double)?
        if let total = spec.maxTotalCost ?? config.maxTotalCost {
            guard let ttl else {
                throw BudgetError(message: "max_total_cost \(Money.total(total)) bounds nothing without a ttl: give the service a ttl, or drop the cap")
            }
            // The whole TTL on every replica must fit the total: that is a price cap per replica-hour.
            let cap = total / (Double(spec.replicas) * Double(ttl.seconds) / 3600)
            budget = (total, cap)
            requirements.maxPricePerHour = min(requirements.maxPricePerHour ?? cap, cap)
        }
        // The pools are priced at nothing and listed only when asked for by name.
        let pools = requirements.providers.filter(\.isPool)
        var offers = catalog.offers
        let hostsFile = hostOptions.hosts ?? environment[HostsFile.variable]
        if !pools.isEmpty {
            let requirements = requirements
            offers += try await StoreOpener.withStore(environment) { store in
                var found: [Offer] = []
                for pool in pools where pool == .local || hostsFile != nil {
                    found += try await hostOptions.pool(pool, store: store, environment: environment).driver.offers(for: requirements)
                }
                return found
            }
        }
        if let instanceType { offers = offers.filter { $0.instanceType == instanceType } }
        let planner = Planner(optimizer: Optimizer(offers: offers)) { provider in
            spec.containerCloudRefusal(provider) ?? CatalogAccess.notDeployable(provider, environment: environment, hostsFile: hostsFile != nil)
        }
        return Inputs(requirements: requirements, unbudgeted: unbudgeted, planner: planner, catalog: catalog, budget: budget)
    }

    static func make(
        _ spec: ServiceSpec, providers: [ProviderID], region: String? = nil, instanceType: String? = nil, hostOptions: HostOptions, ttl: TimeSpan?,
        fallbacks: Int, environment: Environment, config: ToolConfig
    ) async throws -> ServicePlan {
        let inputs = try await inputs(
            spec, providers: providers, region: region, instanceType: instanceType, hostOptions: hostOptions, ttl: ttl, environment: environment,
            config: config)
        return await make(spec, inputs: inputs, ttl: ttl, fallbacks: fallbacks, config: config)
    }

    static func make(_ spec: ServiceSpec, inputs: Inputs, ttl: TimeSpan?, fallbacks: Int, config: ToolConfig) async -> ServicePlan {
        let (requirements, planner, catalog) = (inputs.requirements, inputs.planner, inputs.catalog)
        let plan = planner.plan(requirements, replicas: spec.replicas, ttl: ttl, fallbacks: fallbacks)
        var explanation = plan.explanation
        var overBudget = false
        if plan.chosen == nil, let budget = inputs.budget, let cheapest = planner.plan(inputs.unbudgeted, replicas: spec.replicas, ttl: ttl, fallbacks: 0).chosen {
            overBudget = true
            let cost = cheapest.pricePerHour * Double(spec.replicas) * Double(ttl?.seconds ?? 0) / 3600
            explanation = "over budget: the cheapest fit (\(cheapest.offer.provider) \(cheapest.offer.instanceType) at \(Money.perHour(cheapest.pricePerHour))/h) costs \(Money.total(cost)) over the ttl; max_total_cost is \(Money.total(budget.total))"
        }
        let calls = plan.chosen.map { chosen in
            DriverRegistry.expectedCalls[chosen.offer.provider]?(spec.replicas)
                ?? ([.ssh, .local].contains(chosen.offer.provider) ? [] : [ExpectedCall("unknown", count: 0, note: "this provider's driver does not say")])
        } ?? []
        return ServicePlan(
            service: spec.name, replicas: spec.replicas, ttl: ttl, requirements: requirements,
            chosen: plan.chosen.map { OfferRow($0, catalog: catalog) }, fallbacks: plan.fallbacks.map { OfferRow($0, catalog: catalog) },
            cheaperElsewhere: plan.cheaperElsewhere.map { candidate in
                Elsewhere(offer: OfferRow(candidate, catalog: catalog), reason: plan.providers.first { $0.provider == candidate.offer.provider }?.notDeployable ?? "")
            },
            hourlyPrice: plan.hourlyPrice, expectedCost: plan.expectedCost, worstCaseCost: plan.worstCaseCost,
            maxTotalCost: inputs.budget?.total, overBudget: overBudget, apiCalls: calls,
            // A container cloud runs the image itself: nothing runs over SSH.
            commands: plan.chosen.map { ProviderDirectory.metadata(for: $0.offer.provider)?.kinds.contains(.container) == true } ?? true
                ? [] : await CommandPreview.commands(for: spec),
            providers: plan.providers.map { standing in
                Standing(
                    provider: standing.provider, cheapest: standing.cheapest.map { OfferRow($0, catalog: catalog) },
                    deployable: standing.notDeployable == nil, reason: standing.notDeployable)
            },
            explanation: explanation)
    }

    /// The few lines `up` shows before it goes ahead.
    var summary: String {
        guard let chosen else { return "plan: nothing fits: \(explanation ?? "no offer fits")" }
        let count = "\(replicas) replica\(replicas == 1 ? "" : "s")"
        if chosen.provider == .local { return "plan: \(count) on this machine, nothing to pay" }
        if chosen.provider == .ssh { return "plan: \(count) on hosts of the hosts file, nothing to pay" }
        var text = "plan: \(count), each on \(Self.describe(chosen))"
        if let hourlyPrice, hourlyPrice > 0 {
            text += "; \(Money.perHour(hourlyPrice))/h" + (expectedCost.map { ", \(Money.total($0)) over the ttl" } ?? "")
        }
        return text
    }

    /// The plan as a person reads it.
    var text: String {
        var lines: [String] = []
        let ttlText = ttl.map { "ttl \($0)" } ?? "no ttl"
        lines.append("Plan for \(service): \(replicas) replica\(replicas == 1 ? "" : "s"), \(ttlText)")
        lines.append("  needs:    \(Self.describe(requirements))")
        if let chosen {
            lines.append("  chosen:   \(Self.describe(chosen))")
            if let hourlyPrice {
                var cost = "  price:    \(Money.perHour(hourlyPrice))/h"
                if let expectedCost { cost += ", \(Money.total(expectedCost)) over the ttl" }
                if let worstCaseCost, let expectedCost, worstCaseCost > expectedCost { cost += " (worst case after failover \(Money.total(worstCaseCost)))" }
                lines.append(cost)
            }
            if let maxTotalCost { lines.append("  budget:   max_total_cost \(Money.total(maxTotalCost)) over the ttl (offers above it were left out)") }
        } else {
            lines.append("  chosen:   nothing: \(explanation ?? "no offer fits")")
        }
        if !fallbacks.isEmpty {
            lines.append("  fallback order on capacity errors:")
            for (index, row) in fallbacks.enumerated() { lines.append("    \(index + 1). \(Self.describe(row))") }
        }
        if !cheaperElsewhere.isEmpty {
            lines.append("  cheaper, but up cannot use them here:")
            for other in cheaperElsewhere { lines.append("    \(Self.describe(other.offer)): \(other.reason)") }
        }
        if !apiCalls.isEmpty {
            lines.append("  API calls expected:")
            for call in apiCalls { lines.append("    \(call.count)x \(call.call)" + (call.note.map { " (\($0))" } ?? "")) }
        }
        if let chosen, ProviderDirectory.metadata(for: chosen.provider)?.kinds.contains(.container) == true {
            lines.append("  on \(chosen.provider): the provider runs the image itself, with the service's env, command and ports; nothing runs over SSH")
        }
        if !commands.isEmpty {
            lines.append("  commands on each host (DEPLOYMENT is the deployment id, /home/USER the login home; as on a host with systemd):")
            for command in commands { lines.append("    \(command)") }
        }
        var table = [["PROVIDER", "CHEAPEST FIT", "PRICE/H", "UP CAN USE IT"]]
        for standing in providers {
            table.append([
                standing.provider.rawValue, standing.cheapest.map { "\($0.zone ?? $0.region) \($0.instanceType)" } ?? "nothing fits",
                standing.cheapest.map { Money.perHour($0.pricePerHour) } ?? "-", standing.reason.map { "no: \($0)" } ?? "yes",
            ])
        }
        lines.append("  providers:")
        lines += Terminal.table(table).split(separator: "\n").map { "    \($0)" }
        return lines.joined(separator: "\n")
    }

    static func describe(_ row: OfferRow) -> String {
        var text = "\(row.provider) \(row.zone ?? row.region) \(row.instanceType)"
        var parts: [String] = []
        if let vcpus = row.vcpus { parts.append("\(Money.amount(vcpus)) vCPU") }
        if let memory = row.memoryGB { parts.append("\(Money.amount(memory)) GB") }
        if let model = row.gpuModel { parts.append("\(row.gpus)x \(model)") }
        if !parts.isEmpty { text += " (\(parts.joined(separator: ", ")))" }
        return text + " \(row.market.rawValue) \(Money.perHour(row.pricePerHour))/h, \(row.source.hasPrefix("snapshot ") ? "snapshot \(Timestamp.format(row.observedAt).prefix(10))" : row.stale ? "stale" : "live")"
    }

    static func describe(_ spec: ResourceSpec) -> String {
        var parts = ["\(Money.amount(spec.cpus)) vCPU", "\(Money.amount(spec.memoryGB)) GB memory", "\(Money.amount(spec.diskGB)) GB disk", spec.arch.rawValue]
        if let gpu = spec.gpu {
            var text = "\(gpu.count)x \(gpu.models.isEmpty ? "any GPU" : gpu.models.joined(separator: " or "))"
            if let memory = gpu.minimumMemoryGB { text += " with >= \(Money.amount(memory)) GB" }
            parts.append(text)
        }
        parts.append(spec.spot == .never ? "on-demand" : spec.spot == .only ? "spot only" : "spot or on-demand")
        if spec.tee { parts.append("TEE") }
        if let cap = spec.maxPricePerHour { parts.append("at most \(Money.perHour(cap))/h") }
        if !spec.providers.isEmpty { parts.append("on \(spec.providers.map(\.rawValue).joined(separator: ", "))") }
        if !spec.regions.isEmpty { parts.append("in \(spec.regions.joined(separator: ", "))") }
        return parts.joined(separator: ", ")
    }
}
