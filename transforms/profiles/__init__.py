"""Site profiles: how to read one site's article pages. `get_profile(name)` is the registry.

Supporting another site means adding a module with a `PROFILE` and listing it here.
"""

from __future__ import annotations

from transforms.profiles import generic, xinhua
from transforms.profiles.base import Profile

_REGISTRY: dict[str, Profile] = {p.name: p for p in (xinhua.PROFILE, generic.PROFILE)}


def profile_names() -> tuple[str, ...]:
    """Names accepted by get_profile, sorted."""
    return tuple(sorted(_REGISTRY))


def get_profile(name: str) -> Profile:
    """The profile registered under `name`; ValueError naming the known ones otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(repr(n) for n in profile_names())
        raise ValueError(f"unknown site profile {name!r}; known profiles: {known}") from None


__all__ = ["Profile", "get_profile", "profile_names"]
