"""HTTP/1.1 server on loopback (127.0.0.1, localhost or ::1; any other host is a ValueError) that
feeds requests to the core pipeline.

Every method reaches the core (which answers the ones it does not serve with a 405, never the
stdlib's 501 page). A JSON body over MAX_BODY is read and dropped up to MAX_DRAIN before its 413;
a bigger one, or an upload refused before it was read, is answered first and then read and dropped
(up to LINGER_BYTES / LINGER_SECONDS) so that a client still sending reads the answer, not a reset.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .core import MAX_BODY, EmulatorCore, RawRequest
from .protocol import DEFAULT_CODES, ApiError, request_id

log = logging.getLogger("ociconsole.emulator.http")

_REASONS = {int(code): phrase for code, (phrase, _desc) in BaseHTTPRequestHandler.responses.items()}
MAX_DRAIN = 64 * 1024 * 1024  # oversized JSON bodies up to this size are read before the 413
MAX_UPLOAD = 64 * 1024 * 1024 * 1024  # object bodies are streamed by their service
# After an answer that leaves part of the request body unread (a bigger 413, an upload refused before
# it was read), the rest is read and dropped, up to these bounds, before the connection is closed:
# closing with unread data makes the kernel reset the connection, and a client still sending its body
# (requests, http.client) then gets a broken pipe instead of the answer.
LINGER_BYTES = 1024 * 1024 * 1024
LINGER_SECONDS = 30.0
LINGER_IDLE = 2.0  # a client that sends nothing for this long is not waited for
# the only hosts the emulator listens on (its API is unauthenticated on the admin side of a signature)
LOOPBACK = {"127.0.0.1": socket.AF_INET, "localhost": socket.AF_INET, "::1": socket.AF_INET6}


# a header line the fast path takes as it is: a token name, a colon, a value without CR (anything else,
# folded lines included, goes to the stdlib's email parser, exactly as BaseHTTPRequestHandler reads it)
_SIMPLE_HEADER = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\r\n]*)\r?\n")


class _FastHeaders:
    """Request headers read without the email parser (BaseHTTPRequestHandler's headers cost ~20% of a
    signed GET's server time there): the HTTPMessage interface the emulator uses, with its semantics
    (`get` and `[]` give the first of repeated headers, `items()` every pair in order)."""

    __slots__ = ("_items", "_first")

    def __init__(self, items: list[tuple[str, str]]):
        self._items = items
        first: dict[str, str] = {}
        for k, v in items:
            first.setdefault(k.lower(), v)
        self._first = first  # lower-case name -> its first value: `get` without a scan of every header

    def get(self, name: str, failobj=None):
        return self._first.get(name.lower(), failobj)

    def __getitem__(self, name: str):
        return self.get(name)

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def get_all(self, name: str, failobj=None):
        name = name.lower()
        out = [v for k, v in self._items if k.lower() == name]
        return out or failobj

    def items(self):
        return list(self._items)

    def keys(self):
        return [k for k, _v in self._items]

    def values(self):
        return [v for _k, v in self._items]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._items)

    def __str__(self) -> str:
        return "".join(f"{k}: {v}\n" for k, v in self._items) + "\n"


def _parse_headers(rfile, message_class):
    """http.client.parse_headers (same limits, same exceptions), with a fast path for plain lines."""
    lines = http.client._read_headers(rfile)  # LineTooLong / HTTPException past the stdlib's limits
    items = []
    match = _SIMPLE_HEADER.fullmatch
    for line in lines[:-1]:
        m = match(line)
        if m is None:
            import email.parser
            return email.parser.Parser(_class=message_class).parsestr(b"".join(lines).decode("iso-8859-1"))
        items.append((m.group(1).decode("ascii"), m.group(2).decode("iso-8859-1")))
    return _FastHeaders(items)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # a client that stops sending mid-request is dropped, not waited for forever
    server_version = "ociconsole-emulator"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    sys_version = ""
    core: EmulatorCore  # set on the subclass made per server

    def __getattr__(self, name: str):
        # every method reaches the core, which answers the ones it does not serve (OPTIONS, TRACE,
        # CONNECT, FOO) with a 405 in OCI's shape instead of the stdlib's 501
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format, *args):
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s - %s", self.address_string(), format % args)

    def parse_request(self):
        """BaseHTTPRequestHandler.parse_request (Python 3.11-3.13: the same request-line checks and
        answers) reading the headers with _parse_headers."""
        self.command = None  # set in case of error on the first line
        self.request_version = version = self.default_request_version
        self.close_connection = True
        requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = requestline
        words = requestline.split()
        if len(words) == 0:
            return False
        if len(words) >= 3:  # enough to determine the protocol version
            version = words[-1]
            try:
                if not version.startswith("HTTP/"):
                    raise ValueError
                base_version_number = version.split("/", 1)[1]
                version_number = base_version_number.split(".")
                if len(version_number) != 2:
                    raise ValueError
                if any(not component.isdigit() for component in version_number):
                    raise ValueError("non digit in http version")
                if any(len(component) > 10 for component in version_number):
                    raise ValueError("unreasonable length http version")
                version_number = int(version_number[0]), int(version_number[1])
            except (ValueError, IndexError):
                self.send_error(400, f"Bad request version ({version!r})")
                return False
            if version_number >= (1, 1) and self.protocol_version >= "HTTP/1.1":
                self.close_connection = False
            if version_number >= (2, 0):
                self.send_error(505, f"Invalid HTTP version ({base_version_number})")
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(400, f"Bad request syntax ({requestline!r})")
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(400, f"Bad HTTP/0.9 request type ({command!r})")
                return False
        self.command, self.path = command, path
        if self.path.startswith("//"):  # gh-87389, as the stdlib does
            self.path = "/" + self.path.lstrip("/")
        try:
            self.headers = _parse_headers(self.rfile, self.MessageClass)
        except http.client.LineTooLong as err:
            self.send_error(431, "Line too long", str(err))
            return False
        except http.client.HTTPException as err:
            self.send_error(431, "Too many headers", str(err))
            return False
        conntype = self.headers.get("Connection", "")
        if conntype.lower() == "close":
            self.close_connection = True
        elif conntype.lower() == "keep-alive" and self.protocol_version >= "HTTP/1.1":
            self.close_connection = False
        expect = self.headers.get("Expect", "")
        if (expect.lower() == "100-continue" and self.protocol_version >= "HTTP/1.1"
                and self.request_version >= "HTTP/1.1"):
            if not self.handle_expect_100():
                return False
        return True

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
        te = self.headers.get("transfer-encoding", "")
        length = self.headers.get("content-length")
        if length is None and not te:
            return None  # no body (every GET): no need to ask the core whether it would stream one
        stream = self.core.streams_body(self.command, self.path)
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
                    raise _BadRequest(400, "Malformed chunked body") from None
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
        if length is None:
            return None
        try:
            n = int(length)
        except ValueError:
            raise _BadRequest(400, "Invalid content-length") from None
        if n < 0:
            raise _BadRequest(400, "Invalid content-length")
        if n > MAX_BODY and not stream:
            # read (and drop) a moderately oversized body so that the client sees the 413, not a reset;
            # a bigger one is answered first and read (bounded) after the answer
            if n > MAX_DRAIN:
                raise _BadRequest(413, "The request body is too large", unread=n)
            left = n
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
            raise _BadRequest(413, "The request body is too large")
        if n > MAX_UPLOAD:
            raise _BadRequest(413, "The request body is too large", unread=n)
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
            if e.unread:
                self._linger(e.unread)
            return
        except Exception:
            log.exception("emulator bug reading %s %s", self.command, self.path)
            self.send_error(500, "Internal error in the emulator")
            return
        resp = self.core.handle(RawRequest(self.command, self.path, self.headers, body,
                                            client=self.client_address[0] if self.client_address else ""))
        unread = 0
        if isinstance(body, (_LengthReader, _ChunkedReader)) and not body.done:
            self.close_connection = True  # the handler refused before reading it all: the rest is unread
            unread = body.left if isinstance(body, _LengthReader) else LINGER_BYTES
        try:
            if resp.action in ("reset", "lost"):
                self._abort()
                return
            if log.isEnabledFor(logging.DEBUG):
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
        if unread and resp.action is None:
            self._linger(unread)

    def _linger(self, unread: int) -> None:
        """After the answer: end our side (FIN after the answer), then read and drop up to `unread`
        bytes of the body the client is still sending (at most LINGER_BYTES / LINGER_SECONDS), so
        that the client, once done sending, reads the answer instead of a connection reset."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(LINGER_IDLE)
            left = min(unread, LINGER_BYTES)
            deadline = time.monotonic() + LINGER_SECONDS
            while left > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

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

    @property
    def left(self) -> int:
        return self._left

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
                    raise ApiError(400, "InvalidParameter", "Malformed chunked body") from None
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
    def __init__(self, status: int, message: str, unread: int = 0):
        super().__init__(message)
        self.status = status
        self.message = message
        self.unread = unread  # body bytes still to come after the answer


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


class _Server6(_Server):
    address_family = socket.AF_INET6


class HttpServer:
    def __init__(self, core: EmulatorCore, host: str = "127.0.0.1", port: int = 0):
        family = LOOPBACK.get(host) if isinstance(host, str) else None
        if family is None:
            raise ValueError(f"the emulator only binds to loopback ({', '.join(LOOPBACK)}), not {host!r}")
        handler = type("Handler", (_Handler,), {"core": core})
        self.httpd = (_Server6 if family == socket.AF_INET6 else _Server)((host, port), handler)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

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
