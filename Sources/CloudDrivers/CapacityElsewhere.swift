import RemoteProvidersCore

/// A no-capacity error that says where to go next, for providers that list where they have
/// capacity now (Lambda, Fluidstack, TensorDock): scoped to the region asked when another region
/// has the same thing (named in the message, so `up` tries the next offer), to the whole provider
/// when none has (no region of it is worth a try).
enum CapacityElsewhere {
    static func error(
        _ provider: ProviderID, operation: String?, httpStatus: Int? = nil, message: String, region: String, elsewhere: [String]
    ) -> ProviderError {
        let others = Set(elsewhere).subtracting([region]).sorted()
        return ProviderError(
            others.isEmpty ? .noCapacity(.provider) : .noCapacity(.region(region)), provider: provider, operation: operation, httpStatus: httpStatus,
            message: message + (others.isEmpty ? "; no region has it now" : "; available now in \(others.joined(separator: ", "))"))
    }
}
