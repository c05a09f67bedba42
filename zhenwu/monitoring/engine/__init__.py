"""DuckDB screening engine (DESIGN.md §5): snapshot → rules → hits → clues."""
