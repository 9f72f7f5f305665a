"""Shared notebook setup for the chapters."""

from __future__ import annotations

COLORS = {
    "kept": "#666666",
    "evicted": "#dddddd",
    "new": "#2ca02c",
    "other-db": "#d62728",
    "new-evicted": "#f4c7c3",
    "victim": "#d62728",
    "sample": "#ff7f0e",
}


def setup_notebook() -> None:
    """Deterministic, offline-friendly plotly output: the ``plotly_mimetype`` renderer
    (no embedded 4.8 MB plotly.js, no CDN, no random div ids)."""
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype"
    pio.templates.default = "plotly_white"


def grid_shape(n: int) -> tuple[int, int]:
    """Rows and columns of a near-square grid holding ``n`` cells.

    >>> grid_shape(400), grid_shape(10)
    ((20, 20), (3, 4))
    """
    cols = 1
    while cols * cols < n:
        cols += 1
    rows = (n + cols - 1) // cols
    return rows, cols
