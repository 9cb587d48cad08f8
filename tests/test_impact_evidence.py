"""The bridge from an effect estimate with a CI to an outcome quantity and its uncertainty."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from doeagenda.errors import ParameterError
from doeagenda.impact import (
    apply_evidence,
    as_effect,
    deadweight_from_control,
    load_value_map,
    quantity_from_effect,
    sroi,
)


@dataclass
class FakeDiD:
    """Shape of the evaluation module's DiDResult (estimate, se, ci, alpha)."""

    estimate: float
    se: float
    ci: tuple[float, float]
    alpha: float = 0.05


def test_numbers_and_result_objects_give_the_same_effect():
    plain = as_effect(-12, -20, -4)
    obj = as_effect(FakeDiD(estimate=-12, se=4.0, ci=(-20.0, -4.0)))
    assert plain == obj
    assert plain.se == pytest.approx(16 / (2 * 1.959964), rel=1e-6)


def test_object_with_only_se():
    @dataclass
    class OnlySE:
        estimate: float
        se: float

    effect = as_effect(OnlySE(estimate=5.0, se=2.0))
    assert effect.ci_low == pytest.approx(5 - 1.959964 * 2, rel=1e-6)


def test_quantity_scaled_by_population_with_sd_from_ci():
    # 12 fewer GP contacts per 1,000 inhabitants, CI 4..20, 5,000 inhabitants -> 60 contacts
    evidence = quantity_from_effect(-12, -20, -4, population=5000, per=1000)
    assert evidence.quantity == pytest.approx(60)
    assert evidence.distribution.mean == pytest.approx(60)
    assert evidence.distribution.sd == pytest.approx(5 * 16 / (2 * 1.959964), rel=1e-6)
    # the distribution reproduces the scaled CI
    low, high = evidence.distribution.ppf(np.array([0.025, 0.975]))
    assert (low, high) == pytest.approx((20, 100), rel=1e-4)


def test_wrong_direction_gives_zero_quantity():
    evidence = quantity_from_effect(3, -1, 7, direction="decrease")
    assert evidence.quantity == 0
    assert evidence.distribution.mean == pytest.approx(-3)


def test_estimate_outside_ci_is_an_error():
    with pytest.raises(ParameterError, match="outside its interval"):
        as_effect(10, 1, 5)


def test_deadweight_from_control():
    assert deadweight_from_control(-15, -3) == pytest.approx(0.2)
    assert deadweight_from_control(-15, 2) == 0.0
    assert deadweight_from_control(-15, -30) == 1.0


def base_map() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "outcome": "minder_huisarts",
                "stakeholder": "ouderen",
                "actor": "zorgverzekeraar",
                "quantity": 1.0,
                "proxy": "huisarts_consult",
                "duration": 2,
                "deadweight": 0.4,
                "attribution": 0.2,
                "displacement": 0.0,
                "drop_off": 0.3,
            }
        ]
    )


def test_net_and_gross_routes_agree():
    # DiD: -12 per 1,000 (net). Gross: treated changed -15, control -3 -> deadweight 0.2.
    net_map, _ = apply_evidence(
        base_map(), "minder_huisarts", -12, -20, -4, population=5000, per=1000
    )
    gross_map, _ = apply_evidence(
        base_map(),
        "minder_huisarts",
        -15,
        -24,
        -6,
        population=5000,
        per=1000,
        net=False,
        control_change=-3,
    )
    assert net_map["deadweight"].item() == 0.0
    assert gross_map["deadweight"].item() == pytest.approx(0.2)
    net = sroi(net_map, 1000, discount_rate=0.0225)
    gross = sroi(gross_map, 1000, discount_rate=0.0225)
    assert net.present_value == pytest.approx(gross.present_value)


def test_evidence_uncertainty_reaches_the_monte_carlo():
    value_map = load_value_map("voorbeeld_maaltijden_ouderen")
    updated, dists = apply_evidence(
        value_map,
        "minder_huisartsconsulten",
        FakeDiD(estimate=-1.5, se=0.6, ci=(-2.7, -0.3)),
        population=60,
        per=1,
    )
    assert updated.outcomes.set_index("outcome").loc[
        "minder_huisartsconsulten", "quantity"
    ] == pytest.approx(90)
    assert "minder_huisartsconsulten.quantity" in dists
    assert len(dists) == len(value_map.distributions)  # replaced, not added
    mc = sroi(updated).uncertainty(n=4000, seed=0)
    drawn = mc.draws["minder_huisartsconsulten.quantity"]
    assert drawn.mean() == pytest.approx(90, rel=0.05)
    assert drawn.std() == pytest.approx(60 * 2.4 / (2 * 1.959964), rel=0.05)


def test_unknown_outcome():
    with pytest.raises(ParameterError, match="staat niet in de waardekaart"):
        apply_evidence(base_map(), "bestaat_niet", -1, -2, 0)


def test_real_did_result_from_evaluation_module():
    from doeagenda import evaluation

    result = evaluation.DiDResult(
        estimate=-12.0,
        se=4.0,
        ci=(-20.0, -4.0),
        pvalue=0.01,
        n_units=20,
        n_obs=200,
        method="twfe",
    )
    evidence = quantity_from_effect(result, population=5000, per=1000)
    assert evidence.quantity == pytest.approx(60)
    assert evidence.effect.level == pytest.approx(0.95)
    # with few clusters the bootstrap interval is the honest one and is used
    boot = evaluation.DiDResult(
        estimate=-12.0,
        se=4.0,
        ci=(-20.0, -4.0),
        pvalue=0.01,
        n_units=8,
        n_obs=80,
        method="twfe",
        boot_ci=(-30.0, 2.0),
        boot_weights="webb",
    )
    wide = as_effect(boot)
    assert (wide.ci_low, wide.ci_high) == (-30.0, 2.0)
