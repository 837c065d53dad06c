"""Blocks of `fiches/balance-agee.md`: six open items aged on the board by due date and by invoice date, and the
fil rouge's aged balance with its reading (what the overdue is made of), its priorities and its Excel export."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from casekit import fmt
from casekit.context import overdue_qualification, portfolio_summary
from casekit.credit.aged_balance import (
    aged_balance,
    aged_balance_disputed_split,
    aged_balance_totals,
)
from casekit.credit.excel import excel_contents, export_aged_balances_excel
from casekit.credit.priorities import overdue_pareto, pareto_summary
from casekit.fiches.blocks import block, source_line
from casekit.openitems import canonical_open_items

# The board example: six open items of three customers at 31/12/2025 (an unapplied credit note, a disputed invoice).
EXAMPLE_AS_OF = pd.Timestamp("2025-12-31")
EXAMPLE_ITEMS = canonical_open_items(pd.DataFrame([
    # client, pièce, date de la pièce, échéance, montant TTC, en litige
    ("A", "FA-101", "2025-12-15", "2026-01-14", 12_000, False),  # 30 jours : non échue
    ("A", "FA-087", "2025-10-31", "2025-12-15", 8_000, False),   # 45 jours : 16 jours de retard, 61 jours d'âge
    ("B", "AV-012", "2025-12-10", "2025-12-10", -1_000, False),  # avoir non imputé
    ("B", "FA-064", "2025-09-30", "2025-11-14", 5_000, False),   # 47 jours de retard, 92 jours d'âge
    ("C", "FA-052", "2025-09-01", "2025-10-16", 4_000, False),   # 76 jours de retard, 121 jours d'âge
    ("C", "FA-031", "2025-07-31", "2025-08-30", 3_000, True),    # en litige : 123 jours de retard
], columns=["customer_id", "document_ref", "document_date", "due_date", "amount", "disputed"]))
SHORT = {"not_due": "Non échu", "total": "Total"}


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _short(column: str) -> str:
    """`1-30` → « 1–30 j », `>90` → « > 90 j »."""
    if column in SHORT:
        return SHORT[column]
    if column.startswith(">"):
        return f"> {column[1:]} j"
    return column.replace("-", "–") + " j"


def example_results() -> dict:
    """The board example: each item's bucket on both bases, the totals on both bases, the disputed split."""
    items = EXAMPLE_ITEMS
    buckets = {}
    for basis in ("due_date", "document_date"):
        per_item = aged_balance(items, EXAMPLE_AS_OF, by="document_ref", basis=basis).drop(columns="total")
        buckets[basis] = per_item.apply(lambda row: row[row != 0].index[0], axis=1)
    return dict(items=items, buckets=buckets,
                due=aged_balance_totals(items, EXAMPLE_AS_OF),
                invoice=aged_balance_totals(items, EXAMPLE_AS_OF, basis="document_date"),
                split=aged_balance_disputed_split(items, EXAMPLE_AS_OF))


@block("balance_agee_exemple")
def balance_agee_exemple(context) -> str:
    r = example_results()
    items, due, invoice, split = r["items"], r["due"], r["invoice"], r["split"]
    rows = [[f"{i.customer_id} · {i.document_ref}", fmt.date(i.document_date), fmt.date(i.due_date),
             fmt.euros(i.amount, 0), _short(r["buckets"]["due_date"][i.document_ref]),
             _short(r["buckets"]["document_date"][i.document_ref])] for i in items.itertuples()]
    detail = _grid(["Au " + fmt.date(EXAMPLE_AS_OF), "Date pièce", "Échéance", "Montant TTC", "Retard",
                    "Âge"], rows)
    columns = ["not_due", "1-30", "31-60", "61-90", ">90", "total"]
    ages = ["–"] + [fmt.euros(v, 0) for v in invoice.to_numpy()]
    totals = _grid(["Balance", "Non échu", "≤ 30 j", "31–60 j", "61–90 j", "> 90 j", "Total"], [
        ["Par échéance (retard)"] + [fmt.euros(due[c], 0) for c in columns],
        ["Par date de pièce (âge)"] + ages,
    ])
    overdue = due["total"] - due["not_due"]
    undisputed = overdue - (split.loc["disputed", "total"] - split.loc["disputed", "not_due"])
    reading = (f"Échu : {fmt.euros(due['total'], 0)} − {fmt.euros(due['not_due'], 0)} = **{fmt.euros(overdue, 0)}** "
               f"({fmt.percent(overdue / due['total'], 0)}), dont {fmt.euros(overdue - undisputed, 0)} en litige : "
               f"{fmt.euros(undisputed, 0)} à relancer, l'avoir AV-012 une fois imputé. Plus de 90 jours : "
               f"{fmt.euros(due['>90'], 0)} de retard, {fmt.euros(invoice['>90'], 0)} d'âge.")
    return "\n\n".join([detail, totals, reading])


def fil_rouge_results(context) -> dict:
    """The fil rouge's aged balance on both bases, its disputed split, what the overdue is made of, the Pareto of
    the undisputed overdue (customers in collective proceedings apart) and the Excel export of three views."""
    case, as_of, items = context.case, context.as_of, context.open_items
    proceedings = sorted(case.customers.loc[case.customers["insolvency_date"] <= as_of, "customer_id"])
    by_customer = aged_balance(items, as_of)
    split = aged_balance_disputed_split(items, as_of)
    collector_of = case.customers.set_index("customer_id")["collector_id"].map(
        case.collectors.set_index("collector_id")["name"]).rename("collector_id")
    names = items.groupby("customer_id")["customer_name"].first()
    sheets = {"Par client": (by_customer, "Balance âgée par client", names),
              "Par gestionnaire": (aged_balance(items, as_of, by=collector_of), "Balance âgée par gestionnaire"),
              "Litiges à part": (split, "Balance âgée, litiges à part")}
    with tempfile.TemporaryDirectory() as folder:
        contents = excel_contents(export_aged_balances_excel(sheets, Path(folder) / "balances.xlsx", as_of=as_of))
    return dict(due=aged_balance_totals(items, as_of), invoice=aged_balance_totals(items, as_of, basis="document_date"),
                split=split, summary=portfolio_summary(items, as_of), customers=len(by_customer),
                qualification=overdue_qualification(items, as_of, case.customers, case.calls),
                pareto=pareto_summary(overdue_pareto(items, as_of, exclude=proceedings)), excel=contents)


@block("balance_agee_fil_rouge")
def balance_agee_fil_rouge(context) -> str:
    r = fil_rouge_results(context)
    due, invoice, split, s, q = r["due"], r["invoice"], r["split"], r["summary"], r["qualification"]
    columns = list(due.index)
    grid = _grid([f"Au {fmt.date(context.as_of)}"] + [_short(c) for c in columns], [
        ["Montant TTC"] + [fmt.euros(due[c], 0) for c in columns],
        ["Part de l'encours"] + [fmt.percent(due[c] / due["total"]) for c in columns],
        ["dont en litige"] + [fmt.euros(split.loc["disputed", c], 0) for c in columns],
    ])

    def part(key):
        return fmt.euros(q.at[key, "amount"], 0)

    p, x = r["pareto"], r["excel"].set_index("sheet")
    reading = [
        f"* **Échu** {fmt.euros(s.overdue, 0)} ({fmt.percent(s.overdue_share)} de l'encours de {r['customers']} "
        f"clients), dont {fmt.euros(s.over_90, 0)} à plus de 90 jours de retard ; par date de pièce, "
        f"{fmt.euros(invoice['>90'], 0)} ont plus de 90 jours d'âge.",
        f"* **Qualifier l'échu** : procédures collectives {part('procedure')} ({q.at['procedure', 'customers']} "
        f"clients) → déclarer, déprécier ; litiges "
        f"{part('dispute')} → résoudre ; promesses en cours {part('promise')} → vérifier l'encaissement ; plus de "
        f"90 jours {part('over_90')} → mise en demeure ; retards simples {part('to_chase')} → scénario de relance.",
        f"* **Crédits non lettrés** : {fmt.euros(-s.credits, 0)}, dont {fmt.euros(-q.at['credit', 'amount'], 0)} "
        "déduits de l'échu : à lettrer d'abord.",
        f"* **Priorités** : {p.customers_needed} des {p.customers} clients en retard portent 80 % de l'échu hors "
        f"litige. **Export Excel** : {len(x)} feuilles ({', '.join(x.index).lower()}), total "
        f"{fmt.euros(x.at['Par client', 'total'], 0)} = balance.",
    ]
    return "\n\n".join([grid, "\n".join(reading), source_line(context)])
