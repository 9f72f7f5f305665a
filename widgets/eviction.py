"""Eviction sampling, step by step: which keys Redis sampled, how the pool of 16 ranks
them, and which key it evicted — all read from the engine's ``evict`` probe.

``EvictionView(policy=..., samples=..., ...)`` wraps ``lab.scenarios.eviction.EvictionLab``.
``HitRatioView`` replays one request stream against several policies side by side.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.scenarios.eviction import (
    CacheRun,
    EvictionLab,
    compare_policies,
    make_trace,
    true_lru_hit_ratio,
)

from .common import COLORS, grid_shape

POLICIES = ["allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
            "volatile-ttl", "volatile-random"]
WORKLOADS = ["zipf", "uniform", "scan"]


def _score_label(policy: str) -> str:
    if policy.endswith("lfu"):
        return "LFU counter"
    if policy == "volatile-ttl":
        return "TTL (s)"
    return "idle (s)"


class EvictionView:
    """The keyspace as a grid coloured by the policy's score, the sampled keys and the
    victim of the last eviction, and the eviction pool as a ranked bar chart."""

    def __init__(self, policy: str = "allkeys-lru", samples: int = 5, n_keys: int = 400,
                 capacity_keys: int = 200, workload: str = "zipf", seed: int = 0,
                 warmup: int = 2000):
        self.params = dict(policy=policy, samples=samples, n_keys=n_keys,
                           capacity_keys=capacity_keys, workload=workload, seed=seed)
        self.warmup = warmup
        self._fig: go.FigureWidget | None = None
        self._label = None
        self.lab = EvictionLab(**self.params)
        self.lab.fill()
        self.lab.run(warmup)
        self.last = self.lab.step()

    # -- model ----------------------------------------------------------------------------
    def configure(self, **changes) -> None:
        """Apply control changes to the running engine (CONFIG SET), then redraw."""
        self.params.update(changes)
        self.lab.configure(**changes)
        self._redraw()

    def step(self, n: int = 1) -> dict | None:
        """Advance to the n-th next eviction and redraw."""
        for _ in range(n):
            rec = self.lab.step()
            if rec is not None:
                self.last = rec
        self._redraw()
        return self.last

    # -- data for drawing --------------------------------------------------------------------
    def _grid(self):
        """Heatmap cells as 1-D columns (x, y, z): one cell per key id, z = the policy's
        score or NaN when the key is not in memory. 1-D float arrays travel to the
        front end as binary buffers (no JSON, so NaN is fine, and no per-cell work)."""
        scores = self.lab.scores()
        n = len(scores)
        _rows, cols = grid_shape(n)
        if getattr(self, "_xy", None) is None or len(self._xy[0]) != n:
            ids = np.arange(n, dtype=np.int32)
            self._xy = (ids % cols, ids // cols)
        z = np.array(scores, dtype=float)  # None -> nan
        return self._xy[0], self._xy[1], z, cols

    def _marks(self, cols: int):
        rec = self.last or {}
        sx, sy = [], []
        for _dbid, key, _score in rec.get("samples") or []:
            i = int(key.split(b":")[1])
            sy.append(i // cols)
            sx.append(i % cols)
        vx, vy = [], []
        if rec.get("victim") is not None:
            i = int(rec["victim"].split(b":")[1])
            vy.append(i // cols)
            vx.append(i % cols)
        return sx, sy, vx, vy

    def _pool(self):
        """Pool entries at the decision, left (worst) to right (best), as the score the
        pool sorts by: idle seconds (LRU), 255 - LFU counter (LFU), seconds to expiry
        (volatile-ttl). Entries scored under a previous policy keep their old score, as
        in Redis (the pool survives a CONFIG SET of the policy)."""
        rec = self.last or {}
        pool = rec.get("pool_ranked") or rec.get("pool_before") or []
        policy = self.params["policy"]
        names = [p[1].decode() for p in pool]
        if policy == "volatile-ttl":
            now = self.lab.engine.mstime
            return names, [max(0.0, ((1 << 64) - 1 - p[0] - now) / 1000) for p in pool]
        if policy.endswith("lfu"):
            return names, [float(p[0]) for p in pool]
        return names, [p[0] / 1000 for p in pool]

    def _bar_colors(self, names: list[str]) -> list[str]:
        """Red: the victim; grey: a ghost (its key was already gone, so Redis skipped it);
        blue: a live candidate."""
        victim = self.last["victim"].decode() if self.last and self.last.get("victim") else None
        d = self.lab.engine.dbs[0].dict
        return [COLORS["victim"] if n == victim else
                ("#bbbbbb" if n.encode() not in d else "#9ecae1") for n in names]

    def _pool_axis_title(self) -> str:
        policy = self.params["policy"]
        if policy == "volatile-ttl":
            return "seconds to expiry"
        if policy.endswith("lfu"):
            return "pool score: 255 - LFU counter"
        return "pool score: idle seconds"

    def _zrange(self, z) -> tuple[float, float]:
        finite = z[~np.isnan(z)]
        top = float(finite.max()) if finite.size else 1.0
        if self.params["policy"].endswith("lfu"):
            return 0.0, max(10.0, top)
        return 0.0, max(1.0, top)

    # -- views ------------------------------------------------------------------------------
    def figure(self) -> go.Figure:
        gx, gy, z, cols = self._grid()
        sx, sy, vx, vy = self._marks(cols)
        names, scores = self._pool()
        fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.12,
                            subplot_titles=("keyspace", "eviction pool (best candidate right)"))
        zmin, zmax = self._zrange(z)
        fig.add_trace(go.Heatmap(x=gx, y=gy, z=z, zmin=zmin, zmax=zmax,
                                 hovertemplate="row %{y}, col %{x}: %{z}<extra></extra>",
                                 colorscale="Viridis",
                                 colorbar=dict(title=dict(text=_score_label(self.params["policy"]),
                                                          side="top"),
                                               orientation="h", x=0.22, y=-0.12, len=0.42,
                                               thickness=10),
                                 uid="grid", name="keys"), 1, 1)
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="markers", uid="samples", name="sampled",
                                 marker=dict(symbol="circle-open", size=12, color=COLORS["sample"],
                                             line=dict(width=2))), 1, 1)
        fig.add_trace(go.Scatter(x=vx, y=vy, mode="markers", uid="victim", name="evicted",
                                 marker=dict(symbol="x", size=14, color=COLORS["victim"])), 1, 1)
        colors = self._bar_colors(names)
        fig.add_trace(go.Bar(x=list(range(len(names))), y=scores, text=names, uid="pool",
                             marker_color=colors, name="pool", hovertext=names), 1, 2)
        fig.update_yaxes(autorange="reversed", showticklabels=False, row=1, col=1)
        fig.update_xaxes(showticklabels=False, row=1, col=1)
        fig.update_xaxes(title="pool slot", range=[-0.5, 15.5], row=1, col=2)
        fig.update_yaxes(title=self._pool_axis_title(), type="log", row=1, col=2)
        fig.update_layout(title=dict(text=self.title(), font=dict(size=14)), height=480,
                          width=900, showlegend=True, margin=dict(l=20, r=20, t=70, b=90),
                          legend=dict(orientation="h", x=0.55, y=-0.12))
        return fig

    def title(self) -> str:
        """Short figure title: policy, samples and the last victim."""
        e = self.lab.engine
        victim = self.last["victim"].decode() if self.last and self.last.get("victim") else "-"
        return (f"{self.params['policy']}, samples={e.config.maxmemory_samples}: "
                f"{e.stat_evictedkeys} evictions, last victim {victim}")

    def summary(self) -> str:
        rec = self.last
        tail = ""
        if rec:
            ranked = rec.get("pool_ranked") or []
            tail = (f"; last eviction: {rec['victim'].decode()} "
                    f"({len(rec['samples'] or [])} keys sampled, {len(ranked)} candidates "
                    f"ranked, freed {rec['used_before'] - rec['used_after']} B)")
        return self.lab.summary() + tail

    def _redraw(self) -> None:
        """Update only what changed: the grid's z, the marks, the pool bars, the title."""
        if self._fig is None:
            return
        _gx, _gy, z, cols = self._grid()
        sx, sy, vx, vy = self._marks(cols)
        names, scores = self._pool()
        grid, samples, victim_mark, pool = self._fig.data
        summary = self.summary()
        zmin, zmax = self._zrange(z)
        with self._fig.batch_update():
            grid.z = z
            grid.zmin, grid.zmax = zmin, zmax
            grid.colorbar.title.text = _score_label(self.params["policy"])
            self._fig.layout.yaxis2.title.text = self._pool_axis_title()
            samples.x, samples.y = sx, sy
            victim_mark.x, victim_mark.y = vx, vy
            pool.x, pool.y, pool.text = list(range(len(names))), scores, names
            pool.marker.color = self._bar_colors(names)
            self._fig.layout.title.text = self.title()
        if self._label is not None:
            self._label.value = summary

    def widget(self):
        """Controls (policy, samples, maxmemory, workload) + live figure + step buttons."""
        import ipywidgets as W

        self._fig = go.FigureWidget(self.figure())
        self._label = W.HTML(self.summary(), layout=W.Layout(width="900px"))
        policy = W.Dropdown(options=POLICIES, value=self.params["policy"], description="policy")
        samples = W.IntSlider(value=self.params["samples"], min=1, max=20,
                              description="samples", continuous_update=False)
        capacity = W.IntSlider(value=self.params["capacity_keys"], min=20,
                               max=self.params["n_keys"], step=10, description="maxmemory (keys)",
                               continuous_update=False)
        workload = W.Dropdown(options=WORKLOADS, value=self.params["workload"], description="workload")
        step1 = W.Button(description="next eviction")
        step10 = W.Button(description="10 evictions")

        def on_change(_change=None):
            self.configure(policy=policy.value, samples=samples.value,
                           capacity_keys=capacity.value, workload=workload.value)

        for ctl in (policy, samples, capacity, workload):
            ctl.observe(on_change, names="value")
        step1.on_click(lambda _b: self.step(1))
        step10.on_click(lambda _b: self.step(10))
        self.controls = dict(policy=policy, samples=samples, capacity=capacity,
                             workload=workload, step1=step1, step10=step10)
        return W.VBox([W.HBox([policy, workload]), W.HBox([samples, capacity]),
                       W.HBox([step1, step10]), self._label, self._fig])


class HitRatioView:
    """Several policies on the same request stream: hit ratio over time and a table
    against a perfect LRU of the same size."""

    def __init__(self, workload: str = "zipf", n_requests: int = 20000, n_keys: int = 2000,
                 capacity_keys: int = 500, seed: int = 0,
                 configs: list[tuple[str, int, str]] | None = None, window: int = 1000):
        self.workload = workload
        self.capacity_keys = capacity_keys
        self.trace = make_trace(workload, n_requests, n_keys, seed)
        self.runs: list[CacheRun] = compare_policies(self.trace, capacity_keys, configs, seed,
                                                     window)
        self.ideal = true_lru_hit_ratio(self.trace, capacity_keys)
        self.window = window

    def table(self) -> list[tuple[str, float, int]]:
        rows = [("true LRU (reference)", round(self.ideal, 4), 0)]
        rows += [(r.label, round(r.hit_ratio, 4), r.evicted) for r in self.runs]
        return rows

    def summary(self) -> str:
        lines = [f"{self.workload} workload, {len(self.trace)} requests, cache of "
                 f"{self.capacity_keys} keys"]
        lines += [f"  {name:<32} hit ratio {ratio:.4f}   evictions {ev}"
                  for name, ratio, ev in self.table()]
        return "\n".join(lines)

    def figure(self) -> go.Figure:
        fig = go.Figure()
        for r in self.runs:
            xs = [(i + 1) * self.window for i in range(len(r.window_hit_ratio))]
            fig.add_trace(go.Scatter(x=xs, y=r.window_hit_ratio, mode="lines", name=r.label,
                                     uid=r.label))
        fig.add_hline(y=self.ideal, line_dash="dot", annotation_text="true LRU")
        fig.update_layout(title=f"hit ratio per {self.window} requests ({self.workload})",
                          xaxis_title="requests", yaxis_title="hit ratio", height=400, width=900)
        return fig

    def widget(self):
        import ipywidgets as W

        return W.VBox([W.HTML(f"<pre>{self.summary()}</pre>"), go.FigureWidget(self.figure())])
