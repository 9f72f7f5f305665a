"""nbval settings for the chapters: don't compare plotly's static-figure JSON.

A static ``go.Figure`` output embeds plotly's whole default template; it is
deterministic but changes with every plotly upgrade, and the numbers a chapter teaches are
checked through the deterministic ``.summary()`` lines printed next to each figure.
"""

import nbval.plugin as _nbval

_orig_init = _nbval.IPyNbFile.__init__


def _init(self, *args, **kwargs):
    _orig_init(self, *args, **kwargs)
    self.skip_compare = (*tuple(self.skip_compare), "application/vnd.plotly.v1+json")


_nbval.IPyNbFile.__init__ = _init
