"""Bewonersinitiatieven in beeld: register, zichtbaarheid, verduurzaming en samenspel.

* :mod:`~doeagenda.initiatives.register` — the register format, :func:`load_register`
  and :func:`check_register` (all problems at once);
* :mod:`~doeagenda.initiatives.privacy` — personal data never shown, small wijk counts
  suppressed;
* :mod:`~doeagenda.initiatives.visibility` — counts per gemeente/wijk, per 10,000
  inhabitants, per domain and target group, province map, white spots;
* :mod:`~doeagenda.initiatives.survival` — continuity: Kaplan–Meier, log-rank, Cox model,
  proportional-hazards check, continuity-risk list;
* :mod:`~doeagenda.initiatives.network` — the collaboration network of initiatives and
  partners;
* :mod:`~doeagenda.initiatives.voorbeeld` — generator of the invented voorbeeld register;
* :mod:`~doeagenda.initiatives.summary` — a short Dutch summary (CLI and notebook);
* :mod:`~doeagenda.initiatives.energie_register` — the real register ``"energie_2019"``
  (Lokale Energie Monitor 2019, HIER opgewekt) in the register format;
* :mod:`~doeagenda.initiatives.energie` — energy cooperatives and collective solar per
  inhabitant (gemeente, provincie, NL, rank), founding curve, initiators;
* :mod:`~doeagenda.initiatives.in_gemeente` — the register's caveats and a gemeente's
  initiatives by name;
* :mod:`~doeagenda.initiatives.combine` — several registers as one (unique ids,
  duplicates counted once).

Every function taking ``register`` accepts a path (CSV/XLSX), the literal
``"voorbeeld"`` (the shipped invented register), ``"energie_2019"`` (the Lokale Energie
Monitor 2019), a list of those (combined) or an already loaded DataFrame.
"""

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
