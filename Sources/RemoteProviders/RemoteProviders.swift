// The library's public face: one import for everything a program needs.
@_exported import Catalog
@_exported import CloudDrivers
@_exported import DeploymentStore
@_exported import Orchestrator
@_exported import ProviderTransport
@_exported import RemoteExecution
@_exported import RemoteProvidersCore
@_exported import Workloads
