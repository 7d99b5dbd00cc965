import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element, addressed by local names only: moto's EC2 namespace differs from AWS's
/// (no trailing slash), so nothing here looks at namespaces.
public struct XMLElement: Sendable, Equatable {
    public let name: String
    public var text: String
    public var children: [XMLElement]

    /// The first child with this local name.
    public subscript(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// Follows a path of local names: `element.at("instancesSet", "item")`.
    public func at(_ path: String...) -> XMLElement? {
        path.reduce(Optional(self)) { element, name in element?[name] }
    }

    /// The `item` children of a list element, as EC2 writes lists.
    public func items(_ name: String) -> [XMLElement] {
        self[name]?.children.filter { $0.name == "item" } ?? []
    }

    /// Every descendant (and self) with this local name, depth first.
    public func all(_ name: String) -> [XMLElement] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    public func string(_ name: String) -> String? {
        self[name].map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The element written back as XML (for passing an answer on as a response body).
    public func data() throws -> Data {
        Data(xml.utf8)
    }

    var xml: String {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return "<\(name)>\(children.isEmpty ? escaped : children.map(\.xml).joined())</\(name)>"
    }

    public static func parse(_ data: Data) throws -> XMLElement {
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw XMLTreeError(reason: parser.parserError.map { "\($0)" } ?? "not XML")
        }
        return root
    }
}

public struct XMLTreeError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "malformed XML: \(reason)" }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElement] = []
    var root: XMLElement?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XMLElement(name: local, text: "", children: []))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }
}
