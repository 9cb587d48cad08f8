"""pandera schemas of the tidy tables and of user indicator files."""

from __future__ import annotations

import pandera.pandas as pa

# Wijk and buurt codes are the gemeente number plus two (wijk) or four (buurt) characters,
# which are letters in some gemeenten (Amsterdam: WK0363AA, BU0363AA01).
AREA_CODE = r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$"
ANY_CODE = r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4}|NL00)$"
INDICATOR_ID = r"^[a-z][a-z0-9_]*$"

AREAS = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(AREA_CODE), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "level": pa.Column(str, pa.Check.isin(["gemeente", "wijk", "buurt"])),
        "gemeente_code": pa.Column(str, pa.Check.str_matches(r"^GM\d{4}$")),
        "wijk_code": pa.Column(str, nullable=True),
        "provincie": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)

INDICATORS = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(ANY_CODE)),
        "indicator": pa.Column(str, pa.Check.str_matches(INDICATOR_ID)),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str, nullable=True),
        "source": pa.Column(str),
        "note": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
    unique=["code", "indicator", "year"],
)

DICTIONARY = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str, pa.Check.str_matches(INDICATOR_ID), unique=True),
        "label_nl": pa.Column(str),
        "label_en": pa.Column(str),
        "unit": pa.Column(str),
        "direction": pa.Column(float, pa.Check.isin([-1.0, 1.0]), nullable=True),
        "source": pa.Column(str),
        "years": pa.Column(str, nullable=True),
        "levels": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
        "estimate": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)

# The tidy RIVM table: one row per (code, survey year), one column per rivm_* id, values
# are percentages (NaN where RIVM gave no estimate or did not publish that age group).
RIVM = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(ANY_CODE)),
        "year": pa.Column(int, pa.Check.isin([2012, 2016, 2020])),
        r"^rivm_[a-z_]+_(18plus|18_64|65plus)$": pa.Column(
            float, pa.Check.in_range(0, 100), nullable=True, regex=True
        ),
    },
    strict=True,
    unique=["code", "year"],
)


# The tidy Leefbaarometer table: one row per (code, year) for wijken (2024 codes), gemeenten
# and NL; scores around 3-5, the deviation and the five dimensions are small contributions.
LEEFBAAROMETER = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(ANY_CODE)),
        "year": pa.Column(int, pa.Check.isin([2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022])),
        "lbm_score": pa.Column(float, pa.Check.in_range(2.0, 6.0), nullable=True),
        r"^lbm_(afwijking|fysieke_omgeving|overlast_onveiligheid|sociale_samenhang|voorzieningen|woningvoorraad)$": pa.Column(
            float, pa.Check.in_range(-2.0, 2.0), nullable=True, regex=True
        ),
        "wijken": pa.Column(int, pa.Check.ge(0)),
        "dekking": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "grens_gewijzigd": pa.Column(int, pa.Check.ge(0)),
    },
    strict=True,
    unique=["code", "year"],
)


def user_long_schema(known_codes: set[str]) -> pa.DataFrameSchema:
    """Schema of a user's indicator file after it is brought into long form."""
    return pa.DataFrameSchema(
        {
            "code": pa.Column(
                str,
                [
                    pa.Check.str_matches(ANY_CODE, error="a CBS area code like GM0344"),
                    pa.Check.isin(
                        sorted(known_codes), error="a code of KWB indeling 2024 (or NL00)"
                    ),
                ],
            ),
            "indicator": pa.Column(
                str, pa.Check.str_matches(INDICATOR_ID, error="a snake_case indicator id")
            ),
            "year": pa.Column(int, pa.Check.in_range(1990, 2100), coerce=True),
            "value": pa.Column(float, nullable=True, coerce=True),
            "unit": pa.Column(str, nullable=True),
            "source": pa.Column(str, nullable=True),
            "note": pa.Column(str, nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["code", "indicator", "year"],
        report_duplicates="exclude_first",
    )
