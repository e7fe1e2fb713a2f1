"""Storage: the DuckDB warehouse, its migrations and loaders, and the raw landing zone."""
