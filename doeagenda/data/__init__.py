"""Shipped open data (CBS; RIVM health estimates) and the loading API.

Friendly layer (these names are binding; other modules build on them):

* :func:`areas` — gemeenten, wijken, buurten of KWB indeling 2024;
* :func:`indicators` — indicator values, long or wide;
* :func:`dictionary` — labels, units and directions of the indicators;
* :func:`boundaries` — gemeente (2022) and wijk (2024) polygons as GeoJSON;
* :func:`read_indicator_file` — a user's own CSV/XLSX, validated, in the same long form;
* :func:`population` — inhabitants per area;
* :func:`has_rivm`, :func:`rivm_coverage` — whether a 2024 area has RIVM health estimates
  (``rivm_*`` indicators, indeling 2020) or shows *geen gegevens (indeling gewijzigd na 2020)*;
* :func:`has_lbm`, :func:`lbm_coverage`, :func:`leefbaarometer` — the Leefbaarometer 3.0
  (``lbm_*`` indicators, wijken indeling 2022, 2002–2022) per wijk and gemeente, and an
  area's figures against its gemeente, provincie and the Netherlands.

The strict layer underneath: :mod:`doeagenda.data.io` (raw CBS files),
:mod:`doeagenda.data.build` (derivation of the tidy tables), :mod:`doeagenda.data.schemas`.
See ``doeagenda/data/PROVENANCE.md`` for sources and licence (CBS, CC BY 4.0; RIVM
StatLine 50090NED and 50140NED, and the Leefbaarometer 3.0 of BZK, whose figures are
estimates, not counts).
"""

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
