"""A local 工改 exchange endpoint and 投资 platform, served over real HTTP on a free port."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


class Counterpart:
    """GET /tables -> `tables`; POST /tables is kept in `received`; GET /projects/{code} ->
    `records[code]` or 404. Use as a context manager; `url` is its base address."""

    def __init__(self, *, tables: dict | None = None, records: dict | None = None):
        self.tables, self.records = tables or {}, records or {}
        self.received: list[dict] = []
        self.queries: list[str] = []

    def __enter__(self) -> Counterpart:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: object) -> None:
                raw = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                outer.queries.append(self.path)
                if parts.path == "/tables":
                    return self._send(200, outer.tables)
                if parts.path.startswith("/projects/"):
                    record = outer.records.get(unquote(parts.path.removeprefix("/projects/")))
                    return self._send(200, record) if record else self._send(404, {})
                return self._send(404, {})

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                doc = json.loads(body)
                outer.received.append(doc)
                return self._send(200, {"received": sum(len(v) for v in doc.values())})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
