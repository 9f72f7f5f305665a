"""Expiry, tick by tick: how many keys are past their deadline but still in memory, and
whether the active expire cycle or a lazy lookup removed them.

``ExpiryView(hz=..., active_expire_effort=..., ...)`` wraps
``lab.scenarios.expiry.ExpiryLab``; the sliders re-run the (deterministic) experiment on a
fresh engine and update the existing traces in place.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.scenarios.expiry import ExpiryLab

HZ_CHOICES = [1, 2, 5, 10, 20, 50, 100]
COLORS = {"before": "#d62728", "after": "#ff9896", "active": "#1f77b4", "lazy": "#2ca02c"}


class ExpiryView:
    """Two panels on one time axis: expired-but-resident keys (when each cron fires and
    after its cycle) and the keys removed per tick, active vs lazy."""

    def __init__(self, n_volatile: int = 2000, n_persistent: int = 2000, ttl_ms: int = 2000,
                 jitter: float = 0.5, hz: int = 10, active_expire_effort: int = 1,
                 reads_per_tick: int = 0, seed: int = 0, duration_ms: int = 5000):
        self.params = dict(n_volatile=n_volatile, n_persistent=n_persistent, ttl_ms=ttl_ms,
                           jitter=jitter, hz=hz, active_expire_effort=active_expire_effort,
                           reads_per_tick=reads_per_tick, seed=seed)
        self.duration_ms = duration_ms
        self._fig: go.FigureWidget | None = None
        self._label = None
        self.controls: dict = {}
        self._simulate()

    # -- model ----------------------------------------------------------------------------
    def _simulate(self) -> None:
        self.lab = ExpiryLab(**self.params)
        self.lab.run(self.duration_ms)

    def configure(self, **changes) -> None:
        """Re-run the experiment with changed parameters, then redraw."""
        self.params.update(changes)
        self._simulate()
        self._redraw()

    @property
    def records(self):
        return self.lab.records

    # -- data -------------------------------------------------------------------------------
    def _series(self) -> dict[str, list]:
        recs = self.lab.records
        return {
            "t": [r.time_ms / 1000 for r in recs],
            "before": [r.stale_before for r in recs],
            "after": [r.stale for r in recs],
            "active": [r.active_removed for r in recs],
            "lazy": [r.lazy_removed for r in recs],
        }

    def title(self) -> str:
        p = self.params
        t = self.lab.totals()
        return (f"hz={p['hz']}, active-expire-effort={p['active_expire_effort']}, "
                f"reads/tick={p['reads_per_tick']}, jitter ±{p['jitter']:.0%}: "
                f"at most {t['peak_stale']} expired keys in memory")

    def summary(self) -> str:
        return self.lab.summary()

    # -- views ------------------------------------------------------------------------------
    def figure(self) -> go.Figure:
        s = self._series()
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                            row_heights=[0.55, 0.45], subplot_titles=(
                                "keys past their deadline, still in memory",
                                "keys removed per cron tick"))
        fig.add_trace(go.Scatter(x=s["t"], y=s["before"], mode="lines", line_shape="hv",
                                 name="when the cron fires", uid="stale-before",
                                 line=dict(color=COLORS["before"])), 1, 1)
        fig.add_trace(go.Scatter(x=s["t"], y=s["after"], mode="lines", line_shape="hv",
                                 name="after the cycle", uid="stale-after",
                                 line=dict(color=COLORS["after"], dash="dot")), 1, 1)
        fig.add_trace(go.Bar(x=s["t"], y=s["active"], name="active cycle", uid="active",
                             marker_color=COLORS["active"]), 2, 1)
        fig.add_trace(go.Bar(x=s["t"], y=s["lazy"], name="lazy (on access)", uid="lazy",
                             marker_color=COLORS["lazy"]), 2, 1)
        fig.update_layout(barmode="stack", title=dict(text=self.title(), font=dict(size=14)),
                          height=480, width=900, margin=dict(t=80, b=50),
                          legend=dict(orientation="h", y=-0.12))
        fig.update_xaxes(title="virtual time (s)", row=2, col=1)
        fig.update_yaxes(title="keys", rangemode="tozero", row=1, col=1)
        fig.update_yaxes(title="keys", rangemode="tozero", row=2, col=1)
        return fig

    def _redraw(self) -> None:
        """Replace the data of the four existing traces and the title (no new traces)."""
        if self._fig is not None:
            s = self._series()
            before, after, active, lazy = self._fig.data
            with self._fig.batch_update():
                before.x, before.y = s["t"], s["before"]
                after.x, after.y = s["t"], s["after"]
                active.x, active.y = s["t"], s["active"]
                lazy.x, lazy.y = s["t"], s["lazy"]
                self._fig.layout.title.text = self.title()
        if self._label is not None:
            self._label.value = self.summary()

    def widget(self):
        """Sliders (hz, active-expire-effort, reads per tick, TTL jitter) + live figure."""
        import ipywidgets as W

        self._fig = go.FigureWidget(self.figure())
        self._label = W.HTML()
        self._label.value = self.summary()
        style = {"description_width": "150px"}
        layout = W.Layout(width="440px")
        hz = W.SelectionSlider(options=HZ_CHOICES, value=self.params["hz"], description="hz",
                               continuous_update=False, style=style, layout=layout)
        effort = W.IntSlider(value=self.params["active_expire_effort"], min=1, max=10,
                             description="active-expire-effort", continuous_update=False,
                             style=style, layout=layout)
        reads = W.IntSlider(value=self.params["reads_per_tick"], min=0, max=500, step=50,
                            description="GETs per tick", continuous_update=False,
                            style=style, layout=layout)
        jitter = W.FloatSlider(value=self.params["jitter"], min=0.0, max=1.0, step=0.1,
                               description="TTL jitter (±)", continuous_update=False,
                               readout_format=".0%", style=style, layout=layout)

        def on_change(_change=None):
            self.configure(hz=hz.value, active_expire_effort=effort.value,
                           reads_per_tick=reads.value, jitter=jitter.value)

        for ctl in (hz, effort, reads, jitter):
            ctl.observe(on_change, names="value")
        self.controls = dict(hz=hz, effort=effort, reads=reads, jitter=jitter)
        return W.VBox([W.HBox([hz, effort]), W.HBox([reads, jitter]), self._label, self._fig])
