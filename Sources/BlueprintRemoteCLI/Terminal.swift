import ArgumentParser
import Foundation
import RemoteProviders

/// Where output goes: results on stdout, everything else on stderr; and the error convention of
/// `--json`: `{"error": {"code": …, "message": …, "field": …}}`.
enum Terminal {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((Redactor.standard.redact(text) + "\n").utf8))
    }

    /// Prints `{"<key>": value}`: every JSON document has exactly one top-level key naming what it holds.
    static func json<Value: Encodable>(_ key: String, _ value: Value) throws {
        let encoder = JSONEncoder()
        // Indented for a person at a terminal; compact for programs, where it is also faster.
        encoder.outputFormatting = isatty(STDOUT_FILENO) == 1 ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        let data = try encoder.encode([key: value])
        out(Redactor.standard.redact(String(decoding: data, as: UTF8.self)))
    }

    /// Rows as aligned columns, two spaces apart; the first row is the header.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for (number, row) in rows.enumerated() {
            if number > 0 { text.append("\n") }
            for (index, cell) in row.enumerated() {
                text.append(cell)
                if index < row.count - 1 { text.append(String(repeating: " ", count: widths[index] + 2 - cell.count)) }
            }
        }
        return text
    }

    struct ErrorBody: Encodable {
        let code: ErrorCode
        let message: String
        let field: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(field, forKey: .field)
        }

        enum CodingKeys: String, CodingKey { case code, message, field }
    }

    /// Reports a failure and returns the exit code.
    static func report(_ error: any Error, json: Bool) -> Int32 {
        let body: ErrorBody
        var exitCode: Int32 = 1
        if let failure = error as? any PrintedFailure, failure.printed { return exitCode }
        if let coded = error as? any CodedError {
            body = ErrorBody(code: coded.code, message: coded.message, field: coded.field)
            if coded.code == .usage { exitCode = 2 }
            if coded.code == .interrupted { exitCode = 130 }
        } else if let exit = error as? ExitCode {
            return exit.rawValue
        } else {
            let parserCode = BlueprintRemote.exitCode(for: error)
            if parserCode == .success {
                // --help and --version arrive here as "errors" of the parser.
                out(BlueprintRemote.fullMessage(for: error))
                return 0
            }
            if parserCode == .validationFailure {
                exitCode = 2
                if !json {
                    err(BlueprintRemote.fullMessage(for: error))
                    return exitCode
                }
                body = ErrorBody(code: .usage, message: BlueprintRemote.message(for: error), field: nil)
            } else {
                body = ErrorBody(code: .internal, message: Redactor.standard.redact("\(error)"), field: nil)
            }
        }
        if json {
            do {
                try Terminal.json("error", body)
            } catch {
                out(#"{"error": {"code": "internal", "message": "could not encode the error", "field": null}}"#)
            }
        } else {
            err("error: \(body.message)")
        }
        return exitCode
    }
}

/// A failure whose outcome a command already printed as JSON: only the exit status is owed.
protocol PrintedFailure: CodedError {
    var printed: Bool { get }
}

/// A usage mistake found after parsing (an unknown provider id on the command line, say).
struct UsageError: CodedError {
    let message: String
    let field: String?

    init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    var code: ErrorCode { .usage }
}
