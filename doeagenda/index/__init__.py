"""Composite indices (the Buurzaamheidsindex): frameworks, construction, uncertainty, charts.

A Python counterpart of the JRC's COINr, following the OECD/JRC Handbook on
Constructing Composite Indicators. Typical use::

    from doeagenda.index import Framework, build_index, index_data

    fw = Framework.from_yaml("params/frameworks/buurzaamheid_gemeenten.yaml")
    result = build_index(index_data(fw), fw)
    result.summary(among=utrecht_codes)
    result.uncertainty(n=1000, seed=0).chart(highlight="GM0344")
"""

import lazy_loader as lazy

# SPEC 1: the public names are written once, in __init__.pyi, which type checkers read
# too; each loads its module on first use, so importing this package stays cheap.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
