"""ipywidgets + plotly views of lab objects. Views ask ``lab`` for data and draw it; they
never implement Redis behaviour themselves.

Every view has ``.figure()`` (a static ``plotly.graph_objects.Figure``), ``.summary()``
(deterministic text a notebook prints for nbval) and ``.widget()`` (the live
ipywidgets layout with controls, updating only the traces that changed).
"""

from .common import setup_notebook

__all__ = ["setup_notebook"]
