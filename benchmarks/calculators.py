"""Section « calculators »: the credit calculators on 1 million open items / 10 million invoice lines, each against
the same calculator on the fil rouge; the aged balance also against a per-row Python loop; and every calculator of
`casekit.credit` on the fil rouge (the slowest one reported)."""

from __future__ import annotations

import math
import statistics
import tempfile
from functools import cached_property
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from large_data import AS_OF, open_items, replicate, tables
from timing import Row, duration, run_step, seconds_of

import casekit
from casekit import fmt
from casekit.credit import aged_balance as ab
from casekit.credit import (
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

FULL = {"items": 1_000_000, "invoice_lines": 10_000_000, "runs": 5}  # the first run of a process is the slowest
QUICK = {"items": 100_000, "invoice_lines": 1_000_000, "runs": 2}
LIMIT_S = 2.0
FIL_ROUGE_LIMIT_S = 1.0


class Inputs:
    """The calculators' inputs: the fil rouge's (`items` None) or grown to `items` open items and `copies` copies
    of the invoices and payments. Scoring classes and payment delays are the fil rouge's, repeated."""

    def __init__(self, items: int | None = None, copies: int | None = None):
        self.count, self.copies = items, copies
        self.case = casekit.load_case()

    @cached_property
    def items(self) -> pd.DataFrame:
        return self.case.open_items(AS_OF) if self.count is None else open_items(self.count)

    @cached_property
    def tables(self) -> dict:
        return self.case.tables() if self.copies is None else tables(self.copies)

    def _repeated(self, series: pd.Series) -> pd.Series:
        if self.count is None:
            return series
        copies = math.ceil(self.count / len(self.case.open_items(AS_OF)))
        frame = replicate(series.rename_axis("customer_id").reset_index(), copies, ["customer_id"])
        return frame.set_index("customer_id").iloc[:, 0]

    @cached_property
    def classes(self) -> pd.Series:
        return self._repeated(scoring.score_customers(scoring.customer_features(self.case, AS_OF))["class"])

    @cached_property
    def delays(self) -> pd.Series:
        delays = forecast.customer_payment_delays(self.case.invoices, self.case.payments, AS_OF)
        return self._repeated(delays["average_delay"])


# name → (French label, the inputs it reads, the call on an `Inputs`)
CALCULATORS = {
    "aged_balance": ("Balance âgée (aged_balance)", "items", lambda d: ab.aged_balance(d.items, AS_OF)),
    "dso_accounting": ("DSO, méthode comptable sur 3 mois (dso_accounting)", "items+invoices",
                       lambda d: dso.dso_accounting(d.items["amount"].sum(), dso.sales_between(
                           d.tables["invoices"], dso.window_start(AS_OF, 3), AS_OF), 92)),
    "dso_count_back": ("DSO, méthode par épuisement (dso_count_back)", "items+invoices",
                       lambda d: dso.dso_count_back(d.items["amount"].sum(), dso.monthly_sales(d.tables["invoices"]))),
    "monthly_dso": ("DSO mensuel sur 48 mois, deux méthodes (monthly_dso)", "invoices",
                    lambda d: dso.monthly_dso(d.tables["invoices"], payments=d.tables["payments"])),
    "penalties": ("Pénalités de retard (penalties)", "items", lambda d: penalties.penalties(d.items, AS_OF)),
    "scoring": ("Score interne (customer_features + score_customers)", "invoices",
                lambda d: scoring.score_customers(scoring.customer_features(d.tables, AS_OF))),
    "priority_list": ("Liste de priorités (priority_list)", "items",
                      lambda d: priorities.priority_list(d.items, AS_OF, d.classes)),
    "payment_delays": ("Délais de paiement par client (customer_payment_delays)", "invoices",
                       lambda d: forecast.customer_payment_delays(d.tables["invoices"], d.tables["payments"], AS_OF)),
    "forecast": ("Prévision des encaissements, 13 semaines (forecast_collections)", "items",
                 lambda d: forecast.forecast_collections(d.items, AS_OF, d.delays, "W")),
}


def aged_balance_per_row(items: pd.DataFrame, as_of) -> dict:
    """The reference: what people write first, a loop over the rows filling a dict of buckets per customer."""
    as_of = pd.Timestamp(as_of)
    table = {}
    for item in items.itertuples(index=False):
        if item.document_date > as_of:
            continue
        late = (as_of - item.due_date).days
        bucket = "not_due" if late <= 0 else "1-30" if late <= 30 else "31-60" if late <= 60 else \
            "61-90" if late <= 90 else ">90"
        row = table.setdefault(item.customer_id, dict.fromkeys(["not_due", "1-30", "31-60", "61-90", ">90"], 0.0))
        row[bucket] += item.amount
    return table


def size(inputs: Inputs, kind: str) -> str:
    """`1 000 000 pièces`, `10 021 174 lignes de factures` or both."""
    parts = {"items": lambda: f"{fmt.number(len(inputs.items))} pièces",
             "invoices": lambda: f"{fmt.number(len(inputs.tables['invoices']))} lignes de factures"}
    return " + ".join(parts[part]() for part in kind.split("+"))


def calculator(name: str, items: int, copies: int, runs: int) -> dict:
    """One calculator on the grown data (`runs` times), then on the fil rouge (5 times)."""
    _, kind, call = CALCULATORS[name]
    grown, fil_rouge = Inputs(items, copies), Inputs()
    for inputs in (grown, fil_rouge):  # load and prepare outside the timings
        size(inputs, kind)
        _ = inputs.classes if name == "priority_list" else inputs.delays if name == "forecast" else None
    result = {"seconds": seconds_of(lambda: call(grown), runs), "size": size(grown, kind),
              "fil_rouge": statistics.median(seconds_of(lambda: call(fil_rouge), 5)),
              "fil_rouge_size": size(fil_rouge, kind)}
    if kind == "invoices":  # the floor: one lookup of every payment's document among the invoices
        tables = grown.tables
        result["lookup"] = statistics.median(seconds_of(
            lambda: forecast.invoiced_positions(tables["invoices"], tables["payments"]), runs))
    if name == "aged_balance":
        result["per_row"] = seconds_of(lambda: aged_balance_per_row(grown.items, AS_OF), max(1, runs - 1))
        loop = pd.DataFrame(aged_balance_per_row(grown.items, AS_OF)).T.sum(axis=1).round(2)
        vectorised = ab.aged_balance(grown.items, AS_OF)["total"]
        if not (loop.sort_index() - vectorised.sort_index()).abs().max() < 0.01:
            raise AssertionError("la boucle de référence et aged_balance ne donnent pas les mêmes totaux")
    return result


def fil_rouge_cases(case) -> dict:
    """Every calculator of `casekit.credit` on the fil rouge at 31/12/2025, by label."""
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
    return {
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
        "export_aged_balance_excel": lambda: excel.export_aged_balance_excel(aged, xlsx, as_of=AS_OF),
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
        "customer_payment_delays": lambda: forecast.customer_payment_delays(case.invoices, case.payments, AS_OF),
        "forecast_collections (semaines)": lambda: forecast.forecast_collections(items, AS_OF, delays, "W"),
        "forecast_collections (mois)": lambda: forecast.forecast_collections(items, AS_OF, delays, "M"),
        "backtest_forecast (30/06/2025)": lambda: forecast.backtest_forecast(case, "2025-06-30"),
        "dashboard (avec la figure)": lambda: plt.close(dashboard.dashboard(case, "2025-12").figure),
    }


def fil_rouge_calculators(runs: int) -> dict:
    """Each fil rouge calculator `runs` times; the runs of the slowest one (by median) and every median."""
    timings = {name: seconds_of(func, runs) for name, func in fil_rouge_cases(casekit.load_case()).items()}
    slowest = max(timings, key=lambda name: statistics.median(timings[name]))
    return {"seconds": timings[slowest], "slowest": slowest,
            "medians": {name: statistics.median(s) for name, s in timings.items()}}


def rows(quick: bool):
    sizes = QUICK if quick else FULL
    invoices = len(casekit.load_case().invoices)
    copies = math.ceil(sizes["invoice_lines"] / invoices)
    for name, (label, _, _) in CALCULATORS.items():
        result = run_step("calculators", "calculator", name=name, items=sizes["items"], copies=copies,
                          runs=sizes["runs"])
        reference = f"fil rouge ({result.data['fil_rouge_size']}) : {duration(result.data['fil_rouge'])}"
        if "lookup" in result.data:
            reference = (f"plancher, une recherche des pièces de tous les règlements (casekit.lookup) : "
                         f"{duration(result.data['lookup'])} ; " + reference)
        if "per_row" in result.data:
            reference = (f"boucle Python ligne à ligne : {duration(statistics.median(result.data['per_row']))} ; "
                         + reference)
        yield Row("Calculateurs", label, result.data["size"], result.seconds, result.peak_mb,
                  target=f"< {fmt.number(LIMIT_S)} s", limit_s=LIMIT_S, reference=reference)
    result = run_step("calculators", "fil_rouge_calculators", runs=3 if quick else 5)
    count = len(result.data["medians"])
    yield Row("Calculateurs", f"Les {count} calculateurs du fil rouge : le plus lent", "fil rouge",
              result.seconds, result.peak_mb, target=f"< {fmt.number(FIL_ROUGE_LIMIT_S)} s chacun",
              limit_s=FIL_ROUGE_LIMIT_S,
              reference=f"le plus lent : {result.data['slowest']} ; tous ensemble : "
                        f"{duration(sum(result.data['medians'].values()))}")
