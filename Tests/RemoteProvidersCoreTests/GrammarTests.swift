import Testing

@testable import RemoteProvidersCore

@Suite struct GrammarTests {
    @Test(arguments: [
        "busybox", "localhost/hello:1", "docker.io/library/nginx:1.27", "ghcr.io/org/app@sha256:" + String(repeating: "a", count: 64),
        "127.0.0.1:5000/hello:latest", "registry.example.com:5000/a/b/c:v1.2-rc_3", "my-app__x.y", "[::1]:5000/img:tag",
    ])
    func acceptsImageReferences(image: String) {
        #expect(Grammar.isImageReference(image))
    }

    @Test(arguments: [
        "", "Busybox", "busybox; rm -rf /", "busybox && curl x", "$(whoami)/img", "img:tag with space", "img:", "img@sha256:abc",
        "`id`", "img\nname", "-img", "img:" + String(repeating: "t", count: 129), String(repeating: "a", count: 256),
        "a//b", "img|sh",
    ])
    func rejectsImageReferences(image: String) {
        #expect(!Grammar.isImageReference(image))
    }

    @Test func dnsLabels() {
        for good in ["hello", "a", "web-1", String(repeating: "a", count: 63)] { #expect(Grammar.isDNSLabel(good), "\(good)") }
        for bad in ["", "Hello", "-web", "web-", "web_1", "web.1", "a;b", "$(x)", String(repeating: "a", count: 64), "wéb"] {
            #expect(!Grammar.isDNSLabel(bad), "\(bad)")
        }
    }

    @Test func environmentNames() {
        for good in ["A", "_", "PATH", "my_var_2", "_X1"] { #expect(Grammar.isEnvironmentName(good)) }
        for bad in ["", "1A", "A-B", "A B", "A=B", "$(x)", "A;B", "Ä"] { #expect(!Grammar.isEnvironmentName(bad), "\(bad)") }
    }

    @Test func cidrs() throws {
        #expect(try CIDR.parse("0.0.0.0/0").get().isAnywhere)
        #expect(try CIDR.parse("203.0.113.0/24").get().description == "203.0.113.0/24")
        #expect(try CIDR.parse("2001:db8::/32").get().isIPv6)
        #expect(CIDR.parse("10.0.0.1/24") == .failure(.hostBitsSet(suggestion: "10.0.0.0/24")))
        #expect(CIDR.parse("2001:db8::1/32") == .failure(.hostBitsSet(suggestion: "2001:db8::/32")))
        for bad in ["10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "10.0.0.0/-1", "abc/8", "10.0.0.0/8/8", "::/129", "10.0.0.0/ 8"] {
            #expect((try? CIDR.parse(bad).get()) == nil, "\(bad)")
        }
    }

    @Test func ports() {
        #expect(PortMapping(parsing: "8080") == PortMapping(hostPort: 8080, containerPort: 8080))
        #expect(PortMapping(parsing: "80:8080") == PortMapping(hostPort: 80, containerPort: 8080))
        #expect(PortMapping(parsing: "53/udp") == PortMapping(hostPort: 53, containerPort: 53, transport: .udp))
        for bad in ["0", "65536", "-1", "80:", ":80", "1:2:3", "80/sctp", "8o", "", " 80", "99999999999"] {
            #expect(PortMapping(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func loopbackAndPrivateAddresses() {
        for address in ["127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "::1", "fd00::1", "fe80::1"] {
            #expect(IPAddress.isLoopbackOrPrivate(address), "\(address)")
        }
        for address in ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "example.com", ""] {
            #expect(!IPAddress.isLoopbackOrPrivate(address), "\(address)")
        }
    }
}
