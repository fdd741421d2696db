"""yaml-language-server, as VS Code's YAML extension runs it, asked what it finds wrong in a registry: a
small Language Server Protocol client over the server's stdin and stdout. Each answer is awaited by its
message, never by a delay (a deadline only stops a server that never answers)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

SERVER = shutil.which("yaml-language-server")
# check-jsonschema as installed beside this Python (make test installs it with the bench tools).
CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
DEADLINE = 120  # seconds: a server that says nothing for this long is stuck, not slow


class Server:
    def __init__(self, folder: Path) -> None:
        assert SERVER is not None
        self.process = subprocess.Popen(
            [SERVER, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.watchdog = threading.Timer(DEADLINE, self.process.kill)  # ends a reply that never comes
        self.watchdog.start()
        self.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}})
        self.notify("initialized", {})
        # validation on, with the schema named in each file's modeline (below)
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {"validate": True}}})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("yaml-language-server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if message.get("method") == "workspace/configuration":  # the server asks for its settings
            settings = [{"validate": True} for _ in message["params"]["items"]]
            self.send({"id": message["id"], "result": settings})
        elif "id" in message and "method" in message:  # any other request of the server's: no answer needed
            self.send({"id": message["id"], "result": None})
        return message

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, path: Path, schema: Path) -> list[str]:
        """The problems the server finds in `path`'s text checked against `schema`: its messages."""
        uri = path.as_uri()
        text = f"# yaml-language-server: $schema={schema.as_uri()}\n" + path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                return [d["message"] for d in message["params"]["diagnostics"]]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=DEADLINE)
        finally:
            self.watchdog.cancel()
            self.process.kill()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process.wait()
