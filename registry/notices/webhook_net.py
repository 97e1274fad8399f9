"""The network side of a webhook delivery: which addresses may be reached, and
one POST to the address that was checked, within one deadline.

- An address is public only if it is global and does not embed a private IPv4
  address: NAT64 (64:ff9b::/96, and the local-use 64:ff9b:1::/48 entirely),
  6to4 (2002::/16), IPv4-mapped and Teredo addresses are judged by what they
  carry, since a gateway would deliver to that.
- The host name is resolved once; the connection goes to that checked address
  (TLS still verifies the name), so a second DNS answer cannot point it elsewhere.
- One deadline covers the whole delivery (connect, TLS, send, headers, body): a
  watchdog closes the socket when it passes, so a server trickling one byte at a
  time cannot hold a worker longer than that.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from registry.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
DEADLINE_SECONDS = 15.0
MAX_ANSWER = 4096


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address in NAT64_LOCAL:
        return False
    inner = embedded_ipv4(address)
    if inner is not None and not inner.is_global:
        return False
    return address.is_global


def resolve(url: str, *, allow_insecure_loopback: bool) -> Target:
    """The URL's target if every address it resolves to may be reached; else InvalidInput."""
    parts = urlsplit(url)
    if len(url) > 2000 or not parts.hostname or parts.username or parts.password:
        raise InvalidInput("url", "must be an absolute https URL without credentials")
    try:
        port = parts.port or (80 if parts.scheme == "http" else 443)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        raise InvalidInput("url", "the host name does not resolve") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    loopback = all(address.is_loopback for address in addresses)
    if loopback and allow_insecure_loopback:
        if parts.scheme not in ("https", "http"):
            raise InvalidInput("url", "must be an http(s) URL")
    elif parts.scheme != "https":
        raise InvalidInput("url", "must be an https URL")
    elif not all(is_public(address) for address in addresses):
        raise InvalidInput("url", "must point at a public address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, str(addresses[0]))


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the checked address; TLS verifies the certificate for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        raw = socket.create_connection((self.target.address, self.port), self.timeout)
        self.sock = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.port), self.timeout)


def post(
    target: Target, body: bytes, headers: dict[str, str], *, deadline: float = DEADLINE_SECONDS
) -> tuple[int, str]:
    """POST within `deadline` seconds in all; the status and the start of the answer.

    Raises OSError (TimeoutError when the deadline passed) or http.client.HTTPException.
    """
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout=deadline)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing to stop
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(deadline, expire)
    watchdog.daemon = True
    started = time.monotonic()
    watchdog.start()
    try:
        return _exchange(connection, target, body, headers, expired, started)
    finally:
        watchdog.cancel()
        connection.close()


def _exchange(
    connection: http.client.HTTPConnection,
    target: Target,
    body: bytes,
    headers: dict[str, str],
    expired: threading.Event,
    started: float,
) -> tuple[int, str]:
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(MAX_ANSWER).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        if not expired.is_set():
            raise
    if expired.is_set():  # a cut-off answer may parse: it is still a timeout
        raise TimeoutError(f"no complete answer within {time.monotonic() - started:.0f} s")
    return response.status, answer
