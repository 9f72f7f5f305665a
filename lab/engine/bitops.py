"""bitops commands (being written)."""
