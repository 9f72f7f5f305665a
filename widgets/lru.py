"""The LRU approximation figure, regenerated from the engine (redis.io's comparison of
theoretical LRU, Redis 2.8 and Redis 3.0 with 5 and 10 samples, as test-lru.rb draws it),
plus a hit-ratio table against true LRU on one request stream."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.scenarios.eviction import compare_policies, lru_figure_data, make_trace, true_lru_hit_ratio

from .common import COLORS, grid_shape

STATUS_CODE = {"evicted": 0, "kept": 1, "new": 2, "other-db": 3, "new-evicted": 4}
STATUS_COLORS = [COLORS["evicted"], COLORS["kept"], COLORS["new"], COLORS["other-db"],
                 COLORS["new-evicted"]]


def _discrete_scale():
    n = len(STATUS_COLORS)
    scale = []
    for i, c in enumerate(STATUS_COLORS):
        scale += [(i / n, c), ((i + 1) / n, c)]
    return scale


class LRUApproximationView:
    def __init__(self, room_keys: int = 2000, seed: int = 0, trace_requests: int = 20000,
                 trace_keys: int = 3000):
        self.results = lru_figure_data(room_keys, seed)
        trace = make_trace("zipf", trace_requests, trace_keys, seed)
        cap = room_keys // 2
        self.ideal = true_lru_hit_ratio(trace, cap)
        self.runs = compare_policies(trace, cap, [
            ("allkeys-lru", 5, "no-pool"), ("allkeys-lru", 5, "pool"),
            ("allkeys-lru", 10, "pool"), ("allkeys-lru", 5, "exact")], seed)

    def summary(self) -> str:
        lines = []
        for r in self.results:
            c = r.counts()
            lines.append(f"{r.label:<28} error {r.error:>8.1f}   evicted old {c.get('evicted', 0):>5}"
                         f"   kept old {c.get('kept', 0):>5}   new kept {c.get('new', 0):>4}")
        lines.append(f"hit ratio on a power-law trace (true LRU {self.ideal:.4f}):")
        for run in self.runs:
            lines.append(f"  {run.label:<36} {run.hit_ratio:.4f}")
        return "\n".join(lines)

    def figure(self) -> go.Figure:
        fig = make_subplots(rows=2, cols=2, subplot_titles=[
            f"{r.label} (error {r.error:.0f})" for r in self.results],
            horizontal_spacing=0.04, vertical_spacing=0.08)
        for n, r in enumerate(self.results):
            rows, cols = grid_shape(len(r.ids))
            z = [[None] * cols for _ in range(rows)]
            for i, s in enumerate(r.status):
                z[i // cols][i % cols] = STATUS_CODE[s]
            fig.add_trace(go.Heatmap(z=z, zmin=-0.5, zmax=len(STATUS_COLORS) - 0.5,
                                     colorscale=_discrete_scale(), showscale=n == 0, uid=f"lru-{n}",
                                     xgap=1, ygap=1, hoverinfo="skip",
                                     colorbar=dict(tickvals=list(STATUS_CODE.values()),
                                                   ticktext=list(STATUS_CODE.keys()))),
                          n // 2 + 1, n % 2 + 1)
        fig.update_xaxes(showticklabels=False)
        fig.update_yaxes(showticklabels=False, autorange="reversed")
        fig.update_layout(height=820, width=980, title="LRU approximation: old keys accessed "
                          "oldest-first, then new keys added until half are evicted")
        return fig

    def widget(self):
        import ipywidgets as W

        return W.VBox([W.HTML(f"<pre>{self.summary()}</pre>"), go.FigureWidget(self.figure())])
