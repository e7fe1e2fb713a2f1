"""Which network addresses a fetched page may live at: the address classifier of the SSRF guard.

Feeds point newswire at pages; a hostile or compromised feed could point it at the machine's
own services or the cloud metadata endpoint instead. An address that is not globally routable
is refused unless the user's own feed lives on that very host.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def blocked_reason(address: str) -> str | None:
    """Why a page must not be fetched from `address` (an IP literal), or None if it is public.

    Unparseable input is blocked: the guard fails closed.
    """
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None:
            inner = blocked_reason(str(mapped))
            return f"{inner} (embedded in {ip})" if inner else None
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata lives here)"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_reserved:  # before is_private, which also covers 240.0.0.0/4
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "not globally routable"
    return None


def same_host(a: str | None, b: str | None) -> bool:
    """Host names compare case-insensitively, IP literals by value ('::1' == '0:0::1')."""
    if not a or not b:
        return False
    a, b = a.strip("[]").lower().rstrip("."), b.strip("[]").lower().rstrip(".")
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b
