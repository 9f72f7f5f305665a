"""Run the doctests of every module under lab/ and widgets/ (imported normally, once)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lab


def _modules():
    names = []
    for pkg in (lab,):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
