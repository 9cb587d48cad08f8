"""The register format: column names, vocabularies and the voorbeeld register's location.

A leaf module (it imports nothing from :mod:`doeagenda.initiatives`), so the reader,
the checks, :mod:`~doeagenda.initiatives.privacy` and the voorbeeld generator share
these names without importing one another.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

__all__ = [
    "COLUMNS",
    "DOMAINS",
    "ENERGIE_2019",
    "EXTRA_COLUMNS",
    "FUNDERS",
    "KIND_LOCAL",
    "KIND_PRODUCTION",
    "KIND_SOLAR",
    "KIND_WIND",
    "LIST_SEPARATOR",
    "PARTNER_TYPES",
    "PEILDATUM",
    "PERSONAL_COLUMNS",
    "PROJECT_KINDS",
    "REGISTER_NAMES",
    "REQUIRED_COLUMNS",
    "SNAPSHOT_SOURCES",
    "STATUSES",
    "TARGET_GROUPS",
    "VOORBEELD",
    "register_path",
]

#: The literal that stands for the shipped, invented example register.
VOORBEELD = "voorbeeld"
#: The literal that stands for the shipped real register of energy cooperatives and
#: collective projects (Lokale Energie Monitor 2019, HIER opgewekt).
ENERGIE_2019 = "energie_2019"
#: Every register name ``load_register`` knows besides a file path (the notebooks'
#: parameter contract and the CLI check against this tuple).
REGISTER_NAMES = (ENERGIE_2019, VOORBEELD)

#: Kinds of initiative in the energy register (its ``thema`` and ``soort``);
#: ``thema == KIND_LOCAL`` marks a local energy cooperative.
KIND_LOCAL = "energiecoöperatie"
KIND_PRODUCTION = "productiecoöperatie"
KIND_SOLAR = "collectief zonproject"
KIND_WIND = "collectief windproject"
#: Kinds that are projects or project vehicles of initiatives, not initiatives of their own:
#: counts of initiatives (per 10,000 inhabitants, white spots, survival) leave them out,
#: as the monitor's own headline count (local cooperatives) does.
PROJECT_KINDS = (KIND_PRODUCTION, KIND_SOLAR, KIND_WIND)
#: ``bron`` of rows from a snapshot (a register without stop dates): they never enter
#: the survival analyses, which would otherwise count them as survivors.
SNAPSHOT_SOURCES = ("Lokale Energie Monitor 2019, HIER opgewekt",)

#: Columns of the register format, in order, with a short Dutch description.
COLUMNS: dict[str, str] = {
    "id": "unieke code van het initiatief (tekst of getal)",
    "naam": "naam van het initiatief",
    "gemeente_code": "CBS-gemeentecode, bijvoorbeeld GM0344",
    "wijk_code": "CBS-wijkcode binnen die gemeente, bijvoorbeeld WK034401 (mag leeg)",
    "domein": "één domein uit de vaste lijst",
    "thema": "vrije tekst (mag leeg)",
    "doelgroep": "één doelgroep uit de vaste lijst (mag leeg)",
    "startdatum": "datum als 2019-03-01 of 01-03-2019",
    "einddatum": "datum waarop het initiatief stopte; leeg = loopt nog",
    "status": "actief, gepauzeerd of gestopt (mag leeg: volgt dan uit einddatum)",
    "vrijwilligers": "aantal vrijwilligers, heel getal >= 0 (mag leeg)",
    "deelnemers": "aantal deelnemers per jaar, heel getal >= 0 (mag leeg)",
    "begroting_per_jaar": "begroting in euro per jaar, >= 0 (mag leeg)",
    "aandeel_gemeente": "deel van de begroting uit gemeentelijke subsidie, 0-100 % (mag leeg)",
    "financiers": "lijst met ';' ertussen, uit de vaste lijst (mag leeg)",
    "partners": "lijst met ';' ertussen, elk als 'naam (type)' (mag leeg)",
    "contactpersoon": "naam van de contactpersoon: wordt NOOIT getoond of gebruikt",
}
#: Optional columns for what a register such as the Lokale Energie Monitor records
#: (all may be empty; ``bron`` defaults to the file or register name).
EXTRA_COLUMNS: dict[str, str] = {
    "bron": "waar de regel vandaan komt (mag leeg: dan de naam van het bestand)",
    "soort": "soort initiatief, bijvoorbeeld energiecoöperatie (mag leeg)",
    "initiatiefnemer": "wie het initiatief nam, bijvoorbeeld bewonersinitiatief (mag leeg)",
    "vermogen_kwp": "zonnevermogen in kWp, >= 0 (mag leeg)",
    "vermogen_kw": "windvermogen in kW, >= 0 (mag leeg)",
    "opstelling": "dak, grond of water (mag leeg)",
    "regeling": "subsidieregeling, bijvoorbeeld postcoderoos of SDE (mag leeg)",
}
COLUMNS.update(EXTRA_COLUMNS)
#: Columns that must be present and filled.
REQUIRED_COLUMNS = ("id", "naam", "gemeente_code", "domein", "startdatum")
#: Separator inside list cells (financiers, partners).
LIST_SEPARATOR = ";"

DOMAINS = (
    "welzijn",
    "wonen",
    "zorg",
    "gezondheid",
    "ontmoeting",
    "energie",
    "groen",
    "voedsel",
    "mobiliteit",
    "cultuur",
    "sport",
    "onderwijs",
    "veiligheid",
    "werk",
)
TARGET_GROUPS = (
    "iedereen",
    "kinderen",
    "jongeren",
    "gezinnen",
    "ouderen",
    "mantelzorgers",
    "mensen met een beperking",
    "nieuwkomers",
    "mensen met een laag inkomen",
    "eenzame mensen",
)
STATUSES = ("actief", "gepauzeerd", "gestopt")
FUNDERS = (
    "gemeente",
    "provincie",
    "rijk",
    "fonds",
    "zorgverzekeraar",
    "woningcorporatie",
    "bank",
    "bedrijf",
    "eigen inkomsten",
    "donaties",
    "crowdfunding",
)
PARTNER_TYPES = (
    "gemeente",
    "provincie",
    "zorgaanbieder",
    "welzijnsorganisatie",
    "woningcorporatie",
    "fonds",
    "bank",
    "zorgverzekeraar",
    "bedrijf",
    "onderwijs",
    "maatschappelijke organisatie",
    "bewonersinitiatief",
    "overig",
)
#: Column names (lower case) that hold personal data: dropped on reading, never shown.
PERSONAL_COLUMNS = (
    "contactpersoon",
    "contact",
    "contactgegevens",
    "naam_contactpersoon",
    "email",
    "e-mail",
    "e_mail",
    "mail",
    "telefoon",
    "telefoonnummer",
    "tel",
    "mobiel",
    "adres",
    "straat",
    "huisnummer",
    "postcode",
    "geboortedatum",
    "bsn",
    "iban",
)
#: Date on which the invented voorbeeld register was "checked": running initiatives are censored here.
PEILDATUM = dt.date(2026, 1, 1)


def register_path(name: str | Path) -> Path:
    """Resolve a register argument to a file path.

    Parameters
    ----------
    name : str or Path
        A file path, or the literal ``"voorbeeld"`` for the shipped invented register
        ``doeagenda/data/voorbeeld/initiatieven_voorbeeld.csv``. (``"energie_2019"`` is
        not a file: :func:`~doeagenda.initiatives.register.load_register` builds it.)

    Returns
    -------
    Path
    """
    if isinstance(name, str) and name.strip().lower() == VOORBEELD:
        ref = resources.files("doeagenda.data").joinpath("voorbeeld/initiatieven_voorbeeld.csv")
        return Path(str(ref))
    return Path(name)
