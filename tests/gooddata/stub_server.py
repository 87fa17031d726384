"""A contract stub of the GoodData endpoints ``deploy``/``store``/``refresh_cache`` call.

Not a GoodData server: it answers only the handful of JSON:API and layout endpoints the
gooddata-sdk methods we use send, keeps what was PUT in memory, and records every request so a
test can assert the exact calls and payloads. Anything else gets 501 and fails the test.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

JSON_API = "application/vnd.gooddata.api+json"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


@dataclass
class GoodDataStub:
    """Start with ``with GoodDataStub() as stub:``; ``stub.url`` is the host to point the SDK at."""

    fail_status: int | None = None  # answer every request with this status (error-path tests)
    requests: list[Request] = field(default_factory=list)
    data_sources: dict[str, dict] = field(default_factory=dict)
    workspaces: dict[str, dict] = field(default_factory=dict)
    layouts: dict[tuple[str, str], Any] = field(default_factory=dict)
    url: str = ""

    def __enter__(self) -> GoodDataStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub._handle(self, "GET")

            def do_POST(self) -> None:
                stub._handle(self, "POST")

            def do_PUT(self) -> None:
                stub._handle(self, "PUT")

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]

    # -- request handling -------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        self.requests.append(Request(method, parts.path, parse_qs(parts.query), body,
                                     {k.lower(): v for k, v in handler.headers.items()}))
        if self.fail_status:
            status, payload = self.fail_status, {"title": "stubbed failure"}
        else:
            status, payload = self._route(method, parts.path, body)
        data = b"" if payload is None else json.dumps(payload).encode()
        handler.send_response(status)
        if payload is not None:
            kind = JSON_API if "/entities/" in parts.path else "application/json"
            handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        for pattern, fn in (
            (r"/api/v1/entities/(dataSources|workspaces)(?:/([^/]+))?", self._entity),
            (r"/api/v1/layout/workspaces/([^/]+)/(logicalModel|analyticsModel)", self._layout),
            (r"/api/v1/actions/dataSources/([^/]+)/uploadNotification", self._notify),
        ):
            match = re.fullmatch(pattern, path)
            if match:
                return fn(method, *match.groups(), body)
        return 501, {"title": f"not stubbed: {method} {path}"}

    def _entity(self, method: str, kind: str, obj_id: str | None, body: Any) -> tuple[int, Any]:
        store = self.data_sources if kind == "dataSources" else self.workspaces
        if method == "POST" and obj_id is None:
            obj_id = body["data"]["id"]
            store[obj_id] = body["data"]["attributes"]
            return 201, self._out(kind, obj_id, store[obj_id])
        if obj_id not in store:
            return 404, {"title": "Not Found", "status": 404, "detail": f"{kind}/{obj_id}"}
        if method == "PUT":
            store[obj_id] = body["data"]["attributes"]
        return 200, self._out(kind, obj_id, store[obj_id])

    def _out(self, kind: str, obj_id: str, attributes: dict) -> dict:
        # Like the server: secrets are write-only and never come back.
        public = {k: v for k, v in attributes.items() if k not in ("password", "token")}
        entity_type = "dataSource" if kind == "dataSources" else "workspace"
        link = f"{self.url}/api/v1/entities/{kind}/{obj_id}"
        return {"data": {"id": obj_id, "type": entity_type, "attributes": public},
                "links": {"self": link}}

    def _layout(self, method: str, workspace: str, part: str, body: Any) -> tuple[int, Any]:
        if workspace not in self.workspaces:
            return 404, {"title": "Not Found", "detail": f"workspace {workspace}"}
        if method == "PUT":
            self.layouts[(workspace, part)] = body
            return 204, None
        if (workspace, part) not in self.layouts:
            return 404, {"title": "Not Found", "detail": f"{part} of {workspace}"}
        return 200, self.layouts[(workspace, part)]

    def _notify(self, method: str, data_source: str, body: Any) -> tuple[int, Any]:
        if method != "POST" or data_source not in self.data_sources:
            return 404, {"title": "Not Found", "detail": f"dataSources/{data_source}"}
        return 204, None
