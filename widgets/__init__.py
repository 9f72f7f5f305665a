"""ipywidgets + plotly views of lab objects. Views ask ``lab`` for data and draw it."""
