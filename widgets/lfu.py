"""LFU counter explorer: counter vs hits for several ``lfu-log-factor`` values, and decay
of a counter over idle minutes for ``lfu-decay-time`` values. Data from real engines
(``lab.scenarios.lfu``)."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.scenarios.lfu import counter_growth, decay_curve


class LFUExplorer:
    def __init__(self, factors: tuple[int, ...] = (0, 1, 10, 100), max_hits: int = 100_000,
                 decay_times: tuple[int, ...] = (0, 1, 2, 10), decay_hits: int = 1000,
                 minutes: int = 60, seed: int = 0):
        self.factors = factors
        self.decay_times = decay_times
        self.decay_hits = decay_hits
        self.seed = seed
        self.checkpoints = _log_checkpoints(max_hits)
        self.minutes = list(range(0, minutes + 1, max(1, minutes // 30)))
        self.growth = {f: counter_growth(f, self.checkpoints, seed) for f in factors}
        self.decay = {d: decay_curve(decay_hits, d, self.minutes, seed=seed) for d in decay_times}

    def summary(self) -> str:
        lines = ["counter after N hits (lfu-log-factor: counters at "
                 + ", ".join(str(c) for c in self.checkpoints if c in (100, 1000, 10_000, 100_000))
                 + " hits)"]
        for f, vals in self.growth.items():
            picked = [v for c, v in zip(self.checkpoints, vals) if c in (100, 1000, 10_000, 100_000)]
            lines.append(f"  factor {f:>3}: {picked}")
        lines.append(f"decay of a key hit {self.decay_hits} times, counter after "
                     f"{self.minutes[-1]} idle minutes:")
        for d, vals in self.decay.items():
            lines.append(f"  lfu-decay-time {d:>2}: {vals[0]} -> {vals[-1]}")
        return "\n".join(lines)

    def figure(self) -> go.Figure:
        fig = make_subplots(rows=1, cols=2, subplot_titles=(
            "counter vs hits (lfu-log-factor)", f"decay after {self.decay_hits} hits (lfu-decay-time)"))
        for f, vals in self.growth.items():
            fig.add_trace(go.Scatter(x=self.checkpoints, y=vals, mode="lines", name=f"factor {f}",
                                     uid=f"growth-{f}"), 1, 1)
        for d, vals in self.decay.items():
            fig.add_trace(go.Scatter(x=self.minutes, y=vals, mode="lines", line_shape="hv",
                                     name=f"decay-time {d}", uid=f"decay-{d}"), 1, 2)
        fig.update_xaxes(type="log", title="hits", row=1, col=1)
        fig.update_yaxes(title="OBJECT FREQ", range=[0, 260], row=1, col=1)
        fig.update_xaxes(title="idle minutes", row=1, col=2)
        fig.update_layout(height=400, width=980)
        return fig

    def widget(self):
        import ipywidgets as W

        fig = go.FigureWidget(self.figure())
        factor = W.IntSlider(value=10, min=0, max=255, description="log factor",
                             continuous_update=False)
        extra = {"uid": "custom"}

        def on_factor(change):
            vals = counter_growth(change["new"], self.checkpoints, self.seed)
            with fig.batch_update():
                names = [t.uid for t in fig.data]
                if extra["uid"] in names:
                    tr = fig.data[names.index(extra["uid"])]
                    tr.y, tr.name = vals, f"factor {change['new']} (slider)"
                else:
                    fig.add_trace(go.Scatter(x=self.checkpoints, y=vals, mode="lines",
                                             name=f"factor {change['new']} (slider)",
                                             uid=extra["uid"], line=dict(dash="dash")), 1, 1)

        factor.observe(on_factor, names="value")
        self.controls = {"factor": factor}
        return W.VBox([factor, fig])


def _log_checkpoints(max_hits: int) -> list[int]:
    pts = [0]
    v = 1
    while v <= max_hits:
        for m in (1, 2, 5):
            if v * m <= max_hits:
                pts.append(v * m)
        v *= 10
    return sorted(set(pts))
