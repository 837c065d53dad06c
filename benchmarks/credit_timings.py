"""Run time of every issue-4 calculator on the fil rouge at 31/12/2025 (median of 5 runs, in milliseconds).

Usage: `python benchmarks/credit_timings.py`. Not a test: it prints a table and flags anything ≥ 1 s.
The open items and the case are loaded once; each line times the calculator alone (charts excluded).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import casekit  # noqa: E402
from casekit.credit import aged_balance as ab  # noqa: E402
from casekit.credit import (  # noqa: E402
    calls,
    dashboard,
    disputes,
    dso,
    dso_value,
    dunning,
    excel,
    forecast,
    penalties,
    priorities,
    scoring,
)

AS_OF = "2025-12-31"
RUNS = 5


def timings(case) -> list[tuple[str, float]]:
    items = case.open_items(AS_OF)
    sales = dso.monthly_sales(case.invoices)
    delays = forecast.customer_payment_delays(case.invoices, case.payments, AS_OF)
    features = scoring.customer_features(case, AS_OF)
    scores = scoring.score_customers(features)
    plan = dunning.action_plan(items, AS_OF, dunning_history=case.dunning)
    stats = dunning.recovery_by_level(case.dunning, case.payments, case.invoices)
    assignments = case.customers.set_index("customer_id")["collector_id"]
    fte = case.collectors.set_index("collector_id")["fte"]
    receivables = items["amount"].sum()
    aged = ab.aged_balance(items, AS_OF)
    xlsx = Path(tempfile.mkdtemp()) / "balance.xlsx"
    cases = {
        "open_items (case.open_items)": lambda: case.open_items(AS_OF),
        "dso_accounting": lambda: dso.dso_accounting(receivables, sales.iloc[-3:].sum(), 92),
        "dso_count_back": lambda: dso.dso_count_back(receivables, sales),
        "dso_gap_explanation": lambda: dso.dso_gap_explanation(receivables, sales),
        "dso_breakdown": lambda: dso.dso_breakdown(items, AS_OF, sales.iloc[-3:].sum(), 92),
        "monthly_sales": lambda: dso.monthly_sales(case.invoices),
        "monthly_dso (48 mois, 2 méthodes)": lambda: dso.monthly_dso(case),
        "dso_day_value": lambda: dso_value.dso_day_value(sales.iloc[-12:].sum()),
        "dso_change_impact": lambda: dso_value.dso_change_impact(sales.iloc[-12:].sum(), 70, 60, 0.047),
        "aged_balance": lambda: ab.aged_balance(items, AS_OF),
        "aged_balance_totals": lambda: ab.aged_balance_totals(items, AS_OF),
        "aged_balance_disputed_split": lambda: ab.aged_balance_disputed_split(items, AS_OF),
        "export_aged_balance_excel (écriture)": lambda: excel.export_aged_balance_excel(aged, xlsx,
                                                                                        as_of=AS_OF),
        "penalties": lambda: penalties.penalties(items, AS_OF),
        "penalties_by_customer": lambda: penalties.penalties_by_customer(items, AS_OF),
        "penalties_on_paid_invoices (2025)": lambda: penalties.penalties_on_paid_invoices(
            case.invoices, case.payments, "2025-01-01", AS_OF),
        "check_payment_terms": lambda: penalties.check_payment_terms(case.customers),
        "customer_features": lambda: scoring.customer_features(case, AS_OF),
        "score_customers": lambda: scoring.score_customers(features),
        "recommended_terms": lambda: scoring.recommended_terms(scores, features),
        "backtest_scoring (31/12/2023)": lambda: scoring.backtest_scoring(case, "2023-12-31"),
        "action_plan": lambda: dunning.action_plan(items, AS_OF, dunning_history=case.dunning),
        "recovery_by_level": lambda: dunning.recovery_by_level(case.dunning, case.payments, case.invoices),
        "expected_recovery": lambda: dunning.expected_recovery(plan, stats),
        "dispute_summary": lambda: disputes.dispute_summary(case.disputes, AS_OF),
        "open_dispute_ageing": lambda: disputes.open_dispute_ageing(case.disputes, AS_OF),
        "resolution_times": lambda: disputes.resolution_times(case.disputes),
        "overdue_explained_by_disputes": lambda: disputes.overdue_explained_by_disputes(items, AS_OF),
        "dispute_trend": lambda: disputes.dispute_trend(case.disputes),
        "call_preparation": lambda: calls.call_preparation(case, "C0258", AS_OF),
        "promise_kept_rate": lambda: calls.promise_kept_rate(case.calls),
        "call_outcomes": lambda: calls.call_outcomes(case.calls),
        "priority_list": lambda: priorities.priority_list(items, AS_OF, scores),
        "collector_workload": lambda: priorities.collector_workload(items, AS_OF, assignments, fte),
        "balance_portfolios": lambda: priorities.balance_portfolios(items, AS_OF, assignments, fte),
        "customer_payment_delays": lambda: forecast.customer_payment_delays(case.invoices, case.payments,
                                                                            AS_OF),
        "forecast_collections (semaines)": lambda: forecast.forecast_collections(items, AS_OF, delays, "W"),
        "forecast_collections (mois)": lambda: forecast.forecast_collections(items, AS_OF, delays, "M"),
        "backtest_forecast (30/06/2025)": lambda: forecast.backtest_forecast(case, "2025-06-30"),
        "dashboard (avec la figure)": lambda: dashboard.dashboard(case, "2025-12"),
    }
    out = []
    for name, func in cases.items():
        runs = []
        for _ in range(RUNS):
            start = time.perf_counter()
            func()
            runs.append(time.perf_counter() - start)
        out.append((name, statistics.median(runs)))
        if name.startswith("dashboard"):
            matplotlib.pyplot.close("all")
    return out


def main() -> int:
    case = casekit.load_case()
    results = timings(case)
    width = max(len(name) for name, _ in results)
    print(f"Calculateurs du poste clients sur le fil rouge au 31/12/2025 (médiane de {RUNS} exécutions), "
          f"pandas {pd.__version__}")
    for name, seconds in results:
        flag = "  ≥ 1 s !" if seconds >= 1 else ""
        print(f"  {name:<{width}}  {seconds * 1000:8.1f} ms{flag}")
    return 1 if any(seconds >= 1 for _, seconds in results) else 0


if __name__ == "__main__":
    sys.exit(main())
