"""``doeagenda impact VALUEMAP.yaml``: print the SROI summary of a value map.

``doeagenda impact prijzen --zoek WORD`` looks the Kostenhandleiding 2024 table up instead.
"""

from __future__ import annotations

import logging

import typer

from doeagenda.errors import ParameterError

logger = logging.getLogger(__name__)

__all__ = ["register"]

#: The value-map argument that switches to the price lookup.
PRICE_LOOKUP = "prijzen"


def _print_prices(zoek: str | None, price_path: str | None) -> None:
    import pandas as pd

    from doeagenda.impact.prices import prices, search_prices

    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        if zoek is None:
            table = prices(None, price_path)
            year = int(table["doeljaar"].iloc[0])
            typer.echo(f"Prijzen in prijzen.yaml (geïndexeerd naar {year}):")
            shown = table[["waarde", "eenheid", "prijsjaar", "waarde_geindexeerd", "kh2024"]]
            typer.echo(shown.round(2).to_string())
            return
        hits = search_prices(zoek, path=price_path)
        if hits.empty:
            typer.echo(f"Geen rij van de KH2024-tabel bevat '{zoek}'.")
            return
        typer.echo(
            f"KH2024-rijen met '{zoek}' (Zorginstituut Nederland, Kostenhandleiding 2024, "
            "prijspeil 2022; geïndexeerd met CBS-CPI):"
        )
        typer.echo(hits.round(2).to_string())


def impact(
    waardekaart: str = typer.Argument(
        ...,
        help="Waardekaart (YAML-bestand, of de naam van een kaart in params/impact/), of "
        "'prijzen' om de prijstabel te bekijken (met --zoek).",
    ),
    disconteringsvoet: float | None = typer.Option(
        None,
        "--disconteringsvoet",
        "-r",
        help="Reële disconteringsvoet per jaar voor kosten en effecten, bv. 0.0225 "
        "(standaard: uit de kaart of 2,25%).",
    ),
    regime: str | None = typer.Option(
        None,
        "--regime",
        help="Discontoregime uit prijzen.yaml: 'mkba' (2,25%) of 'zorginstituut2024' "
        "(3% kosten, 1,5% effecten).",
    ),
    voet_kosten: float | None = typer.Option(
        None, "--disconteringsvoet-kosten", help="Aparte disconteringsvoet voor de kosten."
    ),
    voet_effecten: float | None = typer.Option(
        None, "--disconteringsvoet-effecten", help="Aparte disconteringsvoet voor de effecten."
    ),
    trekkingen: int = typer.Option(
        0,
        "--trekkingen",
        "-n",
        help="Aantal Monte-Carlotrekkingen voor de onzekerheid (0 = geen; kaart moet "
        "verdelingen noemen).",
    ),
    seed: int = typer.Option(0, "--seed", help="Startwaarde van de toevalsgenerator."),
    zoek: str | None = typer.Option(
        None, "--zoek", help="Met 'prijzen': zoekwoord in de KH2024-tabel, bv. 'thuis'."
    ),
    prijstabel: str | None = typer.Option(
        None, "--prijstabel", help="Andere prijstabel dan params/impact/prijzen.yaml."
    ),
) -> None:
    """Print the SROI summary, price origins, per-actor MKBA view and warnings of a value map."""
    import pandas as pd

    from doeagenda.impact.mkba import mkba
    from doeagenda.impact.prices import check_discount_rate
    from doeagenda.impact.reading import reading
    from doeagenda.impact.sroi import sroi
    from doeagenda.impact.valuemap import load_value_map
    from doeagenda.results import nl_text

    if waardekaart == PRICE_LOOKUP:
        _print_prices(zoek, prijstabel)
        return
    if zoek is not None:
        msg = f"--zoek werkt alleen met 'doeagenda impact {PRICE_LOOKUP}', niet met een waardekaart"
        raise ParameterError(msg)
    if trekkingen < 0:
        msg = f"--trekkingen moet >= 0 zijn, niet {trekkingen}"
        raise ParameterError(msg)
    for option, value in (
        ("--disconteringsvoet", disconteringsvoet),
        ("--disconteringsvoet-kosten", voet_kosten),
        ("--disconteringsvoet-effecten", voet_effecten),
    ):
        if value is not None:
            check_discount_rate(value, option)
    value_map = load_value_map(waardekaart, price_path=prijstabel)
    result = sroi(
        value_map,
        discount_rate=disconteringsvoet,
        regime=regime,
        discount_rate_costs=voet_kosten,
        discount_rate_effects=voet_effecten,
    )
    typer.echo(f"Waardekaart: {result.name}")
    typer.echo(result.formatted().to_string(header=False))
    typer.echo("")
    typer.echo(f"Herkomst van de prijzen (€, geïndexeerd naar {result.price_year}):")
    origins = result.price_origins()
    origins["aandeel_waarde"] = (100 * origins["aandeel_waarde"]).round(0)
    columns = ["uitkomst", "prijs", "waarde", "eenheid", "prijsjaar", "geindexeerd", "soort"]
    with pd.option_context("display.width", 200):
        typer.echo(
            nl_text(
                origins[[*columns, "kh2024", "aandeel_waarde"]]
                .rename(columns={"aandeel_waarde": "% van waarde"})
                .round(2),
                index=False,
            )
        )
    typer.echo(f"Aandeel van de waarde dat op aannames rust: {100 * result.assumption_share:.0f}%")
    typer.echo("")
    typer.echo("Per actor (contante waarde, €):")
    typer.echo(nl_text(mkba(result).summary()))
    uncertainty = None
    if trekkingen:
        uncertainty = result.uncertainty(n=trekkingen, seed=seed)
        typer.echo("")
        typer.echo(uncertainty.formatted().to_string(header=False))
    typer.echo("")
    typer.echo(str(reading(result, uncertainty)))


def register(app: typer.Typer) -> None:
    """Add the ``impact`` command to the root CLI ``app``."""
    app.command(
        name="impact",
        help="SROI en MKBA van een waardekaart (YAML) afdrukken; 'impact prijzen --zoek WOORD' "
        "zoekt in de Kostenhandleiding-2024-tabel.",
    )(impact)
