"""HTTP/1.1 server on loopback that feeds requests to the core pipeline."""

from __future__ import annotations

import json
import logging
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .core import MAX_BODY, EmulatorCore, RawRequest
from .protocol import DEFAULT_CODES, ApiError, request_id

log = logging.getLogger("ociconsole.emulator.http")

_REASONS = {int(code): phrase for code, (phrase, _desc) in BaseHTTPRequestHandler.responses.items()}
MAX_DRAIN = 64 * 1024 * 1024  # oversized JSON bodies up to this size are read before the 413
MAX_UPLOAD = 64 * 1024 * 1024 * 1024  # object bodies are streamed by their service


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # a client that stops sending mid-request is dropped, not waited for forever
    server_version = "ociconsole-emulator"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    sys_version = ""
    core: EmulatorCore  # set on the subclass made per server

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.debug("%s - %s", self.address_string(), format % args)

    def send_error(self, code, message=None, explain=None):
        """Protocol-level errors (bad request line, huge headers) in OCI's error shape."""
        body = json.dumps({"code": DEFAULT_CODES.get(code, "InvalidParameter"),
                           "message": message or explain or "Bad request"}).encode()
        try:
            self.send_response(code, message)
            self.send_header("content-type", "application/json")
            self.send_header("opc-request-id", request_id())
            self.send_header("content-length", str(len(body)))
            self.send_header("connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            pass
        self.close_connection = True

    def _read_body(self):
        """The body as bytes, or a reader for operations whose body the core streams (object uploads)."""
        stream = self.core.streams_body(self.command, self.path)
        te = self.headers.get("transfer-encoding", "")
        if "chunked" in te.lower() and stream:
            return _ChunkedReader(self.rfile)
        if "chunked" in te.lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadRequest(400, "Malformed chunked body")
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise _BadRequest(413, "The request body is too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = self.headers.get("content-length")
        if length is None:
            return None
        try:
            n = int(length)
        except ValueError:
            raise _BadRequest(400, "Invalid content-length")
        if n < 0:
            raise _BadRequest(400, "Invalid content-length")
        if n > MAX_BODY and not stream:
            # read (and drop) a moderately oversized body so that the client sees the 413, not a reset
            if n <= MAX_DRAIN:
                left = n
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 20))
                    if not chunk:
                        break
                    left -= len(chunk)
            raise _BadRequest(413, "The request body is too large")
        if n > MAX_UPLOAD:
            raise _BadRequest(413, "The request body is too large")
        if stream:
            return _LengthReader(self.rfile, n)
        data = self.rfile.read(n)
        if len(data) != n:
            raise _BadRequest(400, "The request body is shorter than content-length")
        return data

    def _handle(self):
        try:
            body = self._read_body()
        except _BadRequest as e:
            self.send_error(e.status, e.message)
            return
        except Exception:  # noqa: BLE001 - a bug answers 500 in OCI's shape, never a dropped connection
            log.exception("emulator bug reading %s %s", self.command, self.path)
            self.send_error(500, "Internal error in the emulator")
            return
        resp = self.core.handle(RawRequest(self.command, self.path, self.headers, body))
        if isinstance(body, (_LengthReader, _ChunkedReader)) and not body.done:
            self.close_connection = True  # the handler refused before reading it all: the rest is unread
        try:
            if resp.action in ("reset", "lost"):
                self._abort()
                return
            self.log_request(resp.status)
            head = [f"HTTP/1.1 {resp.status} {_REASONS.get(resp.status, '')}\r\n",
                    f"server: {self.server_version}\r\n"]
            for k, v in resp.headers.items():
                head.append(f"{k}: {v}\r\n")
            if "content-length" not in resp.headers:
                head.append(f"content-length: {len(resp.body)}\r\n")
            if self.close_connection:
                head.append("connection: close\r\n")
            head.append("\r\n")
            out = "".join(head).encode("latin-1", "replace")
            if self.command != "HEAD" and resp.stream is not None:
                self.wfile.write(out)
                for chunk in resp.stream:
                    self.wfile.write(chunk)
            else:
                # status, headers and body in one write: one segment for small answers
                self.wfile.write(out + resp.body if self.command != "HEAD" and resp.body else out)
        finally:
            close = getattr(resp.stream, "close", None)
            if close is not None:
                close()

    def _abort(self):
        """Reset the connection (RST) without a response."""
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle


class _LengthReader:
    """The next `n` bytes of a connection, read on demand."""

    def __init__(self, rfile, n: int):
        self._f = rfile
        self._left = n

    @property
    def done(self) -> bool:
        return self._left == 0

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = self._f.read(want)
        if not data:
            raise ApiError(400, "InvalidParameter", "The request body is shorter than content-length")
        self._left -= len(data)
        return data


class _ChunkedReader:
    """A chunked (transfer-encoding) body, decoded on demand."""

    def __init__(self, rfile):
        self._f = rfile
        self._left = 0
        self.done = False

    def read(self, size: int = -1) -> bytes:
        out = []
        want = size if size is not None and size >= 0 else 1 << 62
        while want > 0 and not self.done:
            if self._left == 0:
                line = self._f.readline(65537)
                try:
                    self._left = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise ApiError(400, "InvalidParameter", "Malformed chunked body")
                if self._left == 0:
                    while self._f.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    self.done = True
                    break
            data = self._f.read(min(want, self._left))
            if not data:
                raise ApiError(400, "InvalidParameter", "The chunked body ended early")
            out.append(data)
            self._left -= len(data)
            want -= len(data)
            if self._left == 0:
                self._f.readline(3)
        return b"".join(out)


class _BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *a, **kw):
        self.open_connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(*a, **kw)

    def process_request(self, request, client_address):
        with self._conn_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conn_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """Stopping means stopping: kept-alive client connections are closed too."""
        with self._conn_lock:
            conns = list(self.open_connections)
            self.open_connections.clear()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        log.debug("connection error from %s", client_address, exc_info=True)


class HttpServer:
    def __init__(self, core: EmulatorCore, host: str = "127.0.0.1", port: int = 0):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the emulator only binds to loopback")
        handler = type("Handler", (_Handler,), {"core": core})
        self.httpd = _Server((host, port), handler)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="oci-emulator-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        # shutdown() waits for serve_forever to notice (up to poll_interval); a connection wakes it now
        stopper = threading.Thread(target=self.httpd.shutdown, name="oci-emulator-stop", daemon=True)
        stopper.start()
        while stopper.is_alive():
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
            except OSError:
                pass
            stopper.join(0.01)
        self.httpd.server_close()
        self.httpd.close_open_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
