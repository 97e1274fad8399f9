"""Who the client is, when the app runs behind reverse proxies.

The socket peer is the client unless it is one of REGISTRY_TRUSTED_PROXIES
(addresses or networks, e.g. `127.0.0.1, 10.0.0.0/8`). Then `Forwarded`
(RFC 7239) or else `X-Forwarded-For` names the chain; walking it from the right,
the first address that is not a trusted proxy is the client. Anything a client
could have written itself (the left of the chain) is never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The proxies whose forwarding headers are believed."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.names: frozenset[str] = frozenset()
        networks: list[Network] = []
        names: set[str] = set()
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry)  # a name such as "testclient" or "unix:" matched as is
        self.names = frozenset(names)
        self.networks = tuple(networks)

    def __bool__(self) -> bool:
        return bool(self.names or self.networks)

    def trusts(self, address: str) -> bool:
        if address in self.names:
            return True
        if not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def _forwarded_for(value: str) -> list[str]:
    """The `for=` addresses of an RFC 7239 Forwarded header, in order."""
    found = []
    for element in value.split(","):
        for pair in element.split(";"):
            key, _sep, item = pair.strip().partition("=")
            if key.strip().lower() == "for":
                found.append(_bare(item.strip().strip('"')))
    return found


def _bare(node: str) -> str:
    """An address without port or brackets: "[2001:db8::1]:443" -> "2001:db8::1"."""
    if node.startswith("["):
        return node[1:].split("]", 1)[0]
    if node.count(":") == 1:
        return node.split(":", 1)[0]
    return node


def forwarded_chain(headers: dict[bytes, bytes]) -> list[str]:
    """The addresses the proxies report, client first (Forwarded preferred)."""
    forwarded = headers.get(b"forwarded")
    if forwarded:
        return _forwarded_for(forwarded.decode("latin-1"))
    xff = headers.get(b"x-forwarded-for")
    if xff:
        return [_bare(part.strip()) for part in xff.decode("latin-1").split(",") if part.strip()]
    return []


def client_address(peer: str, headers: dict[bytes, bytes], trusted: TrustedProxies) -> str:
    """The client's address: the peer, or the nearest untrusted hop a trusted proxy reports."""
    if not trusted.trusts(peer):
        return peer
    address = peer
    for hop in reversed(forwarded_chain(headers)):
        if not _valid(hop):
            break  # "unknown", an obfuscated name, garbage: stop at the last good hop
        address = hop
        if not trusted.trusts(hop):
            break
    return address


def _valid(hop: str) -> bool:
    try:
        ipaddress.ip_address(hop)
    except ValueError:
        return False
    return True
