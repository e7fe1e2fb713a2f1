"""URL canonicalisation and the stable article id derived from it."""

from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never a document.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "ga_", "_hs", "hsa_", "oly_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mkt_tok", "_ga", "_gl", "spm", "ref_src", "cmpid", "s_cid",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Longer links are not articles' addresses (browsers and CDNs refuse past 8 KiB; httpx past
# 64 KiB, as an exception inside the fetch): such an item is skipped and recorded instead.
MAX_URL_CHARS = 4096


class InvalidUrl(ValueError):
    """A URL that cannot be fetched: not http(s), no host, credentials in it, or too long."""


def _shown(url: str) -> str:
    return repr(url if len(url) <= 120 else url[:117] + "...")


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING_KEYS or k.startswith(_TRACKING_PREFIXES)


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    # Resolve dot segments but keep a trailing slash, which servers treat as a different resource.
    trailing = path.endswith("/")
    resolved = posixpath.normpath(unquote(path))
    if resolved in (".", ""):
        resolved = "/"
    if not resolved.startswith("/"):
        resolved = "/" + resolved
    resolved = resolved.replace("//", "/")
    if trailing and not resolved.endswith("/"):
        resolved += "/"
    return quote(resolved, safe="/:@!$&'()*+,;=-._~%")


def resolve_url(link: str, base: str | None = None) -> str:
    """Make `link` absolute against `base` and check it is fetchable (http or https, a host)."""
    link = (link or "").strip()
    if len(link) > MAX_URL_CHARS:
        raise InvalidUrl(f"URL longer than {MAX_URL_CHARS} characters ({len(link):,}): "
                         f"{_shown(link)}")
    absolute = urljoin(base, link) if base else link
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise InvalidUrl(f"not an http(s) URL: {_shown(absolute)}")
    if not parts.hostname:
        raise InvalidUrl(f"URL has no host: {_shown(absolute)}")
    if parts.username is not None or parts.password is not None:
        # a feed has no business handing out credentials, and they would land in every log
        raise InvalidUrl("URL carries credentials: "
                         f"{_shown(f'{parts.scheme}://{parts.hostname}{parts.path}')}")
    return absolute


def canonicalize_url(url: str) -> str:
    """The URL an article is known by: no tracking parameters or fragment, normalised.

    Lower-cases scheme and host, drops default ports and dot segments, sorts the remaining
    query parameters. Raises InvalidUrl for anything that is not an absolute http(s) URL.
    """
    parts = urlsplit(resolve_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"bad port in URL: {url!r}") from exc
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, _normalise_path(parts.path), urlencode(sorted(query)), ""))


def article_id_for(canonical_url: str) -> str:
    """Stable article id: the first 16 bytes of SHA-256 of the canonical URL, as hex."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]
