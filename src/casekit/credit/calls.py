"""Collection calls: the preparation sheet of a call, promise-to-pay kept rate and call outcomes.

Objective of the call, first rule that applies (`suggested_objective`):
1. the latest promise to pay (dated before `as_of`) was not kept and an undisputed amount is still overdue →
   chase the broken promise;
2. an open dispute on the customer's invoices → review the dispute, collect the undisputed part;
3. unapplied credits (receipts or credit notes not matched, amount < 0) → have the customer say which
   invoices they settle;
4. a promise falls due on or after `as_of` → confirm the payment promised;
5. undisputed overdue invoices of `big_overdue` (default 10 000 €) or more in total, or one more than 30
   days overdue → obtain a payment date and amount, and announce the next dunning step;
6. any other overdue invoice → obtain a payment date;
7. nothing of the above → courtesy call: check that the invoices to come are received and approved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from casekit import fmt
from casekit.credit.scoring import case_tables
from casekit.dates import to_timestamp
from casekit.errors import DataError

KEPT, BROKEN, PENDING = "Oui", "Non", "À venir"
BIG_OVERDUE = 10_000.0


def promise_kept_rate(calls: pd.DataFrame, by: str | None = "collector_id", as_of=None) -> pd.DataFrame:
    """Promises to pay kept, per `by` (a column of `calls`, or None for one row `Ensemble`).

    Only promises whose outcome is known count (`promise_kept` "Oui" or "Non"; "À venir" is shown apart);
    with `as_of`, only calls up to `as_of` whose promise date is before `as_of`. Columns `promises`, `kept`,
    `kept_rate`, `pending`. Example: 3 "Oui", 1 "Non", 2 "À venir" → 3 / 4 = 75 %.
    """
    c = calls[calls["promise_kept"].astype(str).isin([KEPT, BROKEN, PENDING])]
    if as_of is not None:
        as_of = to_timestamp(as_of)
        c = c[c["call_date"] <= as_of]
        c = c.assign(promise_kept=c["promise_kept"].astype(str).where(c["promise_date"] < as_of, PENDING))
    if by is not None and by not in c.columns:
        raise DataError(f"regroupement « {by} » absent du journal des appels")
    keys = c[by].astype(str) if by else pd.Series("Ensemble", index=c.index)
    status = c["promise_kept"].astype(str)
    out = pd.DataFrame({"kept": (status == KEPT).groupby(keys).sum(),
                        "broken": (status == BROKEN).groupby(keys).sum(),
                        "pending": (status == PENDING).groupby(keys).sum()}).astype(int)
    out["promises"] = out["kept"] + out["broken"]
    out["kept_rate"] = out["kept"] / out["promises"].where(out["promises"] > 0)
    out.index.name = by or "all"
    return out[["promises", "kept", "kept_rate", "pending"]]


def call_outcomes(calls: pd.DataFrame, by: str | None = "collector_id", share: bool = False) -> pd.DataFrame:
    """Calls per `by` and outcome (counts, or shares of the row with `share=True`), plus `total` calls and
    `mean_duration_min`."""
    if by is not None and by not in calls.columns:
        raise DataError(f"regroupement « {by} » absent du journal des appels")
    keys = calls[by].astype(str) if by else pd.Series("Ensemble", index=calls.index)
    counts = pd.crosstab(keys, calls["outcome"].astype(str))
    total = counts.sum(axis=1)
    out = counts.div(total, axis=0) if share else counts
    out = out.assign(total=total, mean_duration_min=calls["duration_min"].groupby(keys).mean())
    out.index.name = by or "all"
    out.columns.name = None
    return out


@dataclass(frozen=True)
class CallSheet:
    """Everything to prepare a call to one customer at `as_of` (see `call_preparation`).

    `open_amount`: net open items (credits included); `overdue_amount`: overdue invoices (> 0), disputed or
    not; `objective`: the first applicable objective, `other_points` the others.
    """

    as_of: pd.Timestamp
    customer: dict
    calls: pd.DataFrame
    promise_kept_rate: float
    open_items: pd.DataFrame
    open_amount: float
    overdue_amount: float
    open_disputes: pd.DataFrame
    dunning: pd.DataFrame
    objective: str
    other_points: tuple[str, ...]


def suggested_objective(as_of, calls: pd.DataFrame, overdue: pd.DataFrame, disputes: pd.DataFrame,
                        big_overdue: float = BIG_OVERDUE) -> list[str]:
    """The applicable objectives, most important first (rules in the module docstring); `calls` are the
    customer's calls up to `as_of`, `overdue` its items due before `as_of` (with `days_overdue`; credits
    included), `disputes` its open ones."""
    as_of = to_timestamp(as_of)
    points = []
    undisputed = overdue[~overdue["disputed"].astype(bool) & (overdue["amount"] > 0)]
    amount = float(undisputed["amount"].sum())
    credits = float(overdue.loc[overdue["amount"] < 0, "amount"].sum())
    promises = calls[calls["promise_amount"] > 0].sort_values(["promise_date", "call_date", "call_id"],
                                                              kind="stable") if len(calls) else calls
    past = promises[promises["promise_date"] < as_of] if len(promises) else promises
    if len(past) and str(past["promise_kept"].iloc[-1]) == BROKEN and amount > 0.005:
        last = past.iloc[-1]
        points.append(f"Relancer la promesse non tenue du {fmt.date(last['promise_date'])} "
                      f"({fmt.euros(last['promise_amount'])} promis)")
    for _, d in disputes.iterrows():
        points.append(f"Faire le point sur le litige {d['dispute_id']} ({d['reason']}, "
                      f"{fmt.euros(d['amount'])}, ouvert le {fmt.date(d['opened_date'])}) et obtenir le "
                      "paiement de la partie non contestée")
    if credits < -0.005:
        points.append(f"Faire affecter les règlements et avoirs non lettrés ({fmt.euros(-credits)}) : "
                      "quelles factures le client a-t-il réglées ?")
    coming = promises[promises["promise_date"] >= as_of] if len(promises) else promises
    if len(coming):
        nxt = coming.iloc[-1]
        points.append(f"Confirmer le paiement promis pour le {fmt.date(nxt['promise_date'])} "
                      f"({fmt.euros(nxt['promise_amount'])})")
    if amount > 0.005:
        oldest = int(undisputed["days_overdue"].max())
        if amount >= big_overdue or oldest > 30:
            points.append(f"Obtenir une date et un montant de paiement pour les {fmt.euros(amount)} échus "
                          f"(retard maximal {oldest} jours) et annoncer la prochaine étape de relance")
        else:
            points.append(f"Obtenir une date de paiement pour les {fmt.euros(amount)} échus")
    if not points:
        points.append("Appel de courtoisie : vérifier la bonne réception et la validation des factures "
                      "à échoir")
    return points


def call_preparation(case_or_tables, customer_id: str, as_of, last_n: int = 5,
                     big_overdue: float = BIG_OVERDUE) -> CallSheet:
    """The preparation sheet of a call to `customer_id` at `as_of`.

    `case_or_tables`: the fil rouge (`CaseStudy`) or a mapping with `open_items` (canonical table, required)
    and, when available, `customers`, `collectors`, `calls`, `disputes`, `dunning`. Shows the last `last_n`
    calls and dunning actions. Example: `call_preparation(case, "C0142", "2023-03-31")`.
    """
    as_of = to_timestamp(as_of)
    if hasattr(case_or_tables, "open_items"):
        tables = dict(case_or_tables.tables(), open_items=case_or_tables.open_items(as_of))
    else:
        tables = case_tables(case_or_tables, ("open_items",))
    items = tables["open_items"]
    items = items[(items["customer_id"] == customer_id) & (items["document_date"] <= as_of)]
    customers = tables.get("customers")
    if items.empty and (customers is None or not (customers["customer_id"] == customer_id).any()):
        raise DataError(f"client « {customer_id} » inconnu")
    items = items.assign(days_overdue=(as_of - items["due_date"]).dt.days)
    overdue = items[items["days_overdue"] > 0]
    customer = {"customer_id": customer_id,
                "customer_name": items["customer_name"].iloc[0] if len(items) else customer_id}
    if customers is not None and (customers["customer_id"] == customer_id).any():
        row = customers[customers["customer_id"] == customer_id].iloc[0]
        customer.update({k: row[k] for k in ("customer_name", "segment", "country_name", "terms_label",
                                            "payment_method", "credit_limit", "external_score",
                                            "collector_id") if k in row.index})
        judgement = row["insolvency_date"] if "insolvency_date" in row.index else pd.NaT
        if pd.notna(judgement) and judgement <= as_of:
            customer["insolvency_date"] = judgement
        collectors = tables.get("collectors")
        if collectors is not None and "collector_id" in customer:
            names = collectors.set_index("collector_id")["name"]
            customer["collector_name"] = names.get(customer["collector_id"], "")
    calls = _of(tables.get("calls"), customer_id, "call_date", as_of)
    if len(calls):
        calls = calls.assign(promise_kept=calls["promise_kept"].astype(str).where(
            calls["promise_date"] < as_of, PENDING).where(calls["promise_amount"] > 0, ""))
    rate = promise_kept_rate(calls, by=None)["kept_rate"].iloc[0] if len(calls) else float("nan")
    disputes = tables.get("disputes")
    open_disp = pd.DataFrame(columns=["dispute_id", "reason", "amount", "opened_date"])
    if disputes is not None:
        d = disputes[(disputes["customer_id"] == customer_id) & (disputes["opened_date"] <= as_of)]
        open_disp = d[d["closed_date"].isna() | (d["closed_date"] > as_of)]
    dunning = _of(tables.get("dunning"), customer_id, "dunning_date", as_of)
    points = suggested_objective(as_of, calls, overdue, open_disp, big_overdue)
    overdue_invoices = round(float(overdue.loc[overdue["amount"] > 0, "amount"].sum()), 2)
    return CallSheet(as_of, customer, calls.tail(last_n).reset_index(drop=True), float(rate),
                     items.reset_index(drop=True), round(float(items["amount"].sum()), 2),
                     overdue_invoices, open_disp.reset_index(drop=True),
                     dunning.tail(last_n).reset_index(drop=True), points[0], tuple(points[1:]))


def _of(table: pd.DataFrame | None, customer_id: str, date_column: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The customer's rows dated up to `as_of`, oldest first (an empty frame without a table)."""
    if table is None:
        return pd.DataFrame(columns=[date_column])
    rows = table[(table["customer_id"] == customer_id) & (table[date_column] <= as_of)]
    return rows.sort_values(date_column, kind="stable")


def format_call_sheet(sheet: CallSheet) -> str:
    """The sheet as French plain text (Markdown-compatible), ready to print or to show in a notebook."""
    c = sheet.customer
    name = c.get("customer_name", c["customer_id"])
    lines = [f"# Fiche de préparation d'appel — {name} ({c['customer_id']})",
             f"Au {fmt.date(sheet.as_of)}"]
    ident = [("Segment", c.get("segment")), ("Pays", c.get("country_name")),
             ("Conditions de paiement", c.get("terms_label")), ("Mode de paiement", c.get("payment_method")),
             ("Limite de crédit", fmt.euros(c["credit_limit"]) if "credit_limit" in c else None),
             ("Note externe", f"{c['external_score']}/20" if "external_score" in c else None),
             ("Gestionnaire", c.get("collector_name") or c.get("collector_id"))]
    lines += [f"- {label} : {value}" for label, value in ident if value is not None and str(value) != ""]
    if pd.notna(c.get("insolvency_date", pd.NaT)):
        lines.append(f"- ATTENTION : procédure collective ouverte le {fmt.date(c['insolvency_date'])} — "
                     "déclarer la créance, aucune relance amiable")
    lines += ["", "## Objectif de l'appel", sheet.objective]
    if sheet.other_points:
        lines += ["", "Autres points à traiter :"] + [f"- {p}" for p in sheet.other_points]
    lines += ["", "## Encours", f"- Encours total : {fmt.euros(sheet.open_amount)}",
              f"- Factures échues : {fmt.euros(sheet.overdue_amount)}"]
    items = sheet.open_items
    overdue = items[(items["days_overdue"] > 0) & (items["amount"] > 0)]
    lines += [f"  - {r.document_ref} échue le {fmt.date(r.due_date)} ({r.days_overdue} jours) : "
              f"{fmt.euros(r.amount)}{' — en litige' if r.disputed else ''}" for r in overdue.itertuples()]
    credits = items[items["amount"] < 0]
    if len(credits):
        lines.append(f"- Règlements et avoirs non lettrés : {fmt.euros(credits['amount'].sum())}")
        lines += [f"  - {r.document_ref} du {fmt.date(r.document_date)} : {fmt.euros(r.amount)}"
                  for r in credits.itertuples()]
    lines += ["", "## Derniers appels"]
    if len(sheet.calls):
        for r in sheet.calls.itertuples():
            promise = (f" ; promesse de {fmt.euros(r.promise_amount)} pour le {fmt.date(r.promise_date)} "
                       f"(tenue : {r.promise_kept})") if r.promise_amount > 0 else ""
            lines.append(f"- {fmt.date(r.call_date)} — {r.contact} : {r.outcome}{promise}")
        rate = "–" if pd.isna(sheet.promise_kept_rate) else fmt.percent(sheet.promise_kept_rate, 0)
        lines.append(f"- Promesses tenues : {rate}")
    else:
        lines.append("- Aucun appel enregistré")
    lines += ["", "## Litiges ouverts"]
    lines += [f"- {r.dispute_id} ({r.reason}) : {fmt.euros(r.amount)}, ouvert le {fmt.date(r.opened_date)}"
              for r in sheet.open_disputes.itertuples()] or ["- Aucun"]
    lines += ["", "## Dernières relances"]
    lines += [f"- {fmt.date(r.dunning_date)} — niveau {r.level} ({r.channel}) sur {r.document_ref} : "
              f"{fmt.euros(r.amount_due)}" for r in sheet.dunning.itertuples()] or ["- Aucune"]
    return "\n".join(lines)
