"""Reports: the municipality profile and the batch runner for report sets.

The batch runner (``doeagenda batch``; see ``docs/batch.md``) executes notebooks for many
units on warm kernels and writes offline HTML, a manifest and an index page. Its public
names are imported lazily, so ``import doeagenda.reports.profile`` inside a notebook kernel
does not load papermill, nbconvert or dask.
"""

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
