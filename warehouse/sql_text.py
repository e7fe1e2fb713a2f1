"""Text put into SQL where DuckDB takes no parameter (ATTACH, INSTALL, CREATE SECRET and
COPY take literals, not `?`)."""


def sql_string(text: str) -> str:
    """`text` as a single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
