"""The three externalisation solutions side by side on the fil rouge."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from casekit.outsourcing.collection import real_cost_of_options  # noqa: E402
from casekit.outsourcing.comparison import SOLUTION_LABELS, compare_solutions, plot_solutions  # noqa: E402
from casekit.outsourcing.factoring import compare_factoring_offers  # noqa: E402
from casekit.outsourcing.insurance import compare_insurance_offers  # noqa: E402


def test_compare_solutions(case):
    ins = compare_insurance_offers(case)
    fac = compare_factoring_offers(case)
    col = real_cost_of_options(case)
    df = compare_solutions(case, insurance=ins, factoring=fac, collection=col).set_index("solution")
    assert list(df.index) == list(SOLUTION_LABELS)
    best_ins = ins.sort_values("net_cost").iloc[0]
    assert df.at["insurance", "offer_id"] == best_ins["offer_id"]
    assert df.at["insurance", "risk_transferred"] == pytest.approx(best_ins["covered"])
    best_fac = fac.sort_values("effective_rate").iloc[0]
    assert df.at["factoring", "cash_effect"] == pytest.approx(best_fac["average_cash"])
    best_col = col.iloc[1:].sort_values("net_cash", ascending=False).iloc[0]
    # collection: cost and cash against the in-house team; the credit risk is not transferred
    assert df.at["collection", "annual_cost"] == pytest.approx(best_col["real_cost"] - col.at[0, "real_cost"])
    assert df.at["collection", "risk_transferred"] == 0
    assert df["risk"].str.len().gt(0).all() and df["control"].str.len().gt(0).all()
    assert isinstance(plot_solutions(df.reset_index()), Figure)


def test_compare_solutions_computes_its_own_tables(case):
    df = compare_solutions(case, "31/12/2025")
    assert len(df) == 3 and df["annual_cost"].notna().all()
