"""A thin HTTP proxy in front of moto that injects EC2 faults, for the driver's fault tests.

    python3 scripts/moto-faults.py LISTEN_PORT MOTO_URL

POST /_faults with JSON {"action": "RunInstances", "mode": "error"|"drop", "code": "...",
"message": "...", "status": 500, "count": 1} queues a fault for the next matching EC2 Action:
`error` answers AWS's XML error without asking moto; `drop` lets moto do the work, then closes
the connection without an answer (a lost response). DELETE /_faults clears the queue;
GET /_faults lists the Actions seen and "upstream_seconds", the time at least one request was
with moto (the provider's share of a benchmark's wall time). Everything else goes to moto unchanged, except that
RunInstances honours ClientToken as EC2 documents it (moto does not): a repeated token gets the
first answer again instead of a second instance. A drop fault with "forget_token": true skips
that, to test a driver's own lookup.
"""
import http.client, json, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, target = int(sys.argv[1]), urllib.parse.urlsplit(sys.argv[2])
lock = threading.Lock()
faults, seen, tokens = [], [], {}
# Time with at least one request at moto: overlapping requests count once.
busy = {"in_flight": 0, "since": 0.0, "seconds": 0.0}

ERROR = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
         '<Message>{message}</Message></Error></Errors><RequestID>fault-injected</RequestID></Response>')


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self, body):
        with lock:
            if busy["in_flight"] == 0:
                busy["since"] = time.monotonic()
            busy["in_flight"] += 1
        try:
            return self.forward_now(body)
        finally:
            with lock:
                busy["in_flight"] -= 1
                if busy["in_flight"] == 0:
                    busy["seconds"] += time.monotonic() - busy["since"]

    def forward_now(self, body):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        headers["Host"] = self.headers.get("Host", target.netloc)
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data, response.getheaders()

    def handle_one(self):
        body = self.body()
        if self.path.startswith("/_faults"):
            with lock:
                if self.command == "POST":
                    fault = json.loads(body)
                    faults.extend([fault] * int(fault.get("count", 1)))
                elif self.command == "DELETE":
                    faults.clear()
                    seen.clear()
                    tokens.clear()
                    busy["seconds"] = 0.0
                payload = json.dumps({"queued": len(faults), "seen": seen, "upstream_seconds": round(busy["seconds"], 4)}).encode()
            return self.reply(200, payload, [("Content-Type", "application/json")])
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        action = form.get("Action", [""])[0]
        token = form.get("ClientToken", [None])[0] if action == "RunInstances" else None
        with lock:
            if action:
                seen.append(action)
            fault = next((f for f in faults if f["action"] == action), None)
            if fault:
                faults.remove(fault)
        if token and token in tokens and not fault:
            status, data, headers = tokens[token]
            return self.reply(status, data, headers)
        if fault and fault.get("mode", "error") == "error":
            xml = ERROR.format(code=fault["code"], message=fault.get("message", fault["code"])).encode()
            return self.reply(int(fault.get("status", 400)), xml, [("Content-Type", "text/xml")])
        status, data, headers = self.forward(body)
        if token and status == 200 and not (fault and fault.get("forget_token")):
            with lock:
                tokens[token] = (status, data, headers)
        if fault:  # drop: moto did the work; the answer is lost with the connection
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.reply(status, data, headers)

    do_GET = do_POST = do_PUT = do_DELETE = handle_one


ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
