"""The doctest examples in newscrawl.extract's helpers and the item-building modules are tests too."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import newscrawl.extract as pkg

MODULES = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")) + [
    "newscrawl.articlebuild", "newscrawl.fingerprints", "newscrawl.loaders"]


@pytest.mark.parametrize("name", [pkg.__name__] + MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
