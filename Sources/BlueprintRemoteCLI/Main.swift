import ArgumentParser
import Foundation
import Logging
import RemoteProviders

/// Runs the command line and maps every outcome to the documented exit codes:
/// 0 success, 1 failure, 2 usage error (the parser's own default is 64).
@main
enum Main {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.contains("--json")
        let environment = Environment.process
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = environment["BLUEPRINT_REMOTE_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            return handler
        }
        let code: Int32
        do {
            var command = try BlueprintRemote.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            code = 0
        } catch {
            code = Terminal.report(error, json: json)
        }
        exit(code)
    }
}
