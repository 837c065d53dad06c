"""The outsourced-collection simulator driven headlessly: move a control, read the new figures."""

import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.outsourcing.collection import (  # noqa: E402
    CollectionOffer,
    InHouseTeam,
    collection_portfolio,
    compare_options,
)
from casekit.widgets.collection import collection_simulator  # noqa: E402


@pytest.fixture()
def sim(case):
    return collection_simulator(case, thresholds=(60, 90))


def _row(case, days, fee=1.0, rec=1.0, salaries=202_000.0, offer="REC-A"):
    team = InHouseTeam(3.8, salaries, 38_000)
    offers = [o.scaled(fee, rec) for o in CollectionOffer.offers_from_table(case.collection_offers).values()]
    table = compare_options(collection_portfolio(case, None, days), team, offers)
    return table.set_index("option_id").loc[offer]


def test_starts_at_60_days_with_the_offers(sim, case):
    assert sim.controls["threshold"].value == 60 and sim.controls["salaries"].value == 202_000
    # the in-house team: 202 000 € of salaries + 38 000 € of overhead
    assert f"coût réel <b>{fmt.euros(240_000, 0)}</b>" in sim.result.value
    assert f"coût réel <b>{fmt.euros(_row(case, 60)['real_cost'], 0)}</b>" in sim.result.value
    assert "← meilleure option" in sim.result.value


def test_moving_the_threshold_changes_the_real_cost(sim, case):
    start = time.process_time()
    sim.controls["threshold"].value = 90
    assert time.process_time() - start < 1.0  # reacts well under a second (CPU time: robust to a busy machine)
    row = _row(case, 90)
    # internal cost kept by REC-A: 240 000 − 2,5 × 202 000 / 3,8 = 107 105 €
    assert f"coût interne conservé {fmt.euros(107_105, 0)}" in sim.result.value
    assert f"coût réel <b>{fmt.euros(row['real_cost'], 0)}</b>" in sim.result.value
    assert "Dossiers transmis à <b>90 jours</b>" in sim.result.value


def test_no_success_fee_and_dearer_team(sim, case):
    sim.controls["fee_scale"].value = 0.0
    # REC-A without success fees charges nothing: its real cost is the internal cost kept, 107 105 €
    assert f"coût réel <b>{fmt.euros(107_105, 0)}</b> (honoraires {fmt.euros(0, 0)}" in sim.result.value
    sim.controls["salaries"].value = 250_000
    # in-house: 250 000 + 38 000 = 288 000; REC-A: 288 000 − 2,5 × 250 000 / 3,8 = 123 526 €
    assert f"coût réel <b>{fmt.euros(288_000, 0)}</b>" in sim.result.value
    assert f"coût réel <b>{fmt.euros(123_526, 0)}</b>" in sim.result.value


def test_recovery_rates_move_the_net_cash(sim, case):
    before = sim.result.value
    sim.controls["recovery_scale"].value = 0.8
    assert sim.result.value != before
    row = _row(case, 60, rec=0.8)
    assert f"trésorerie nette <b>{fmt.euros(row['net_cash'], 0)}</b>" in sim.result.value
