"""Errors the transforms raise for input they cannot turn into a record."""

from __future__ import annotations


class ExtractionError(ValueError):
    """A page that holds no article text (empty, not HTML, or not an article page).

    The caller records the page as failed, with str(error) as the reason, and carries on.
    """
