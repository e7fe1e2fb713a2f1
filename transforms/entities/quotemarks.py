"""Where quotes are in a body, and how quote text is trimmed to a clean [start, end) span."""

from __future__ import annotations

_OPEN = "“\""  # an opening mark: curly, or a straight one at a word start


def quote_spans(body: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans of quoted text within a paragraph, marks included."""
    out: list[tuple[int, int]] = []
    a, b = para
    i = a
    while i < b:
        if body[i] in _OPEN and (body[i] == "“" or i == a or not body[i - 1].isalnum()):
            j = body.find("”" if body[i] == "“" else '"', i + 1, b)
            j = b - 1 if j < 0 else j  # a quote that runs on into the next paragraph
            out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


def strip_marks(body: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, quote marks and a trailing comma; keep the final stop."""
    while s < e and (body[s].isspace() or body[s] in "“”\"'"):
        s += 1
    while e > s and (body[e - 1].isspace() or body[e - 1] in "“”\",;:"):
        e -= 1
    return s, e


def trim_reported(body: str, s: int, e: int) -> tuple[int, int]:
    """Reported speech: trim spaces and the sentence's own stop; a quoted phrase at the end
    keeps both its marks ('the talks had been "productive."')."""
    while s < e and body[s].isspace():
        s += 1
    while e > s and (body[e - 1].isspace() or body[e - 1] in ",;:"):
        e -= 1
    text = body[s:e]
    opened = text.count("“") + text.count('"') - (1 if text.endswith('"') else 0)
    if text.endswith(("”", '"')) and opened and not (text.count('"') % 2):
        return s, e
    while e > s and body[e - 1] in ".!?":
        e -= 1
    return s, e
