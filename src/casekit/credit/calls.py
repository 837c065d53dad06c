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

For notebook 05: whom to call (`overdue_by_customer`, `call_objectives`), the history (`call_history`,
`plot_customer_history`), the figures of the arguments (`argument_figures`, `ARGUMENT_GRID`, `OBJECTIONS`), the
script (`call_script`), the commitment (`check_commitment`, `confirmation_email`) and the measure of the results
(`call_scorecard`, `promise_kept_trend`, `promise_payment_delays`, `promise_delay_summary`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from casekit import fmt
from casekit.credit.disputes import collectable_on_disputed
from casekit.credit.dunning import DEFAULT_SCENARIO, check_scenario
from casekit.credit.forecast import customer_payment_delays
from casekit.credit.penalties import CREDIT_NOTE_OFFSET, FIXED_INDEMNITY, penalties
from casekit.credit.scoring import case_tables
from casekit.dates import to_timestamp
from casekit.errors import DataError
from casekit.plots import AGEING_COLORS, PALETTE, new_figure, percent_axis

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
    rates = promise_kept_rate(calls, by=None) if len(calls) else pd.DataFrame(columns=["kept_rate"])
    rate = rates["kept_rate"].iloc[0] if len(rates) else float("nan")  # calls without any promise: no rate
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


# ----------------------------------------------------------------------------------------------------------------
# Notebook 05: choosing whom to call, the history, arguments, script, commitment, and measuring the results.

UNREACHABLE = "Injoignable / message laissé"
PROCEEDINGS = "Procédure collective"
PROCEEDINGS_OBJECTIVE = ("Aucun appel de relance : le client est en procédure collective, déclarer la créance au "
                         "mandataire judiciaire")
OBJECTIVE_CATEGORIES = (  # (start of the objective's text, short label), in the order of the rules
    ("Relancer la promesse non tenue", "Promesse non tenue"),
    ("Faire le point sur le litige", "Litige en cours"),
    ("Faire affecter les règlements", "Règlements non lettrés"),
    ("Confirmer le paiement promis", "Promesse à confirmer"),
    ("Obtenir une date et un montant", "Retard important"),
    ("Obtenir une date de paiement", "Retard"),
    ("Appel de courtoisie", "Courtoisie"),
    ("Aucun appel de relance", PROCEEDINGS),
)
ARGUMENT_GRID = pd.DataFrame([
    ("Promesse non tenue", "Le règlement du montant promis sous 48 heures, par virement",
     "La parole donnée : le montant et la date de la promesse, que le client a lui-même fixés ; la relance suivante "
     "est déjà programmée", "Ferme et factuel, sans reproche"),
    ("Litige en cours", "Le paiement de la partie non contestée et une date de résolution",
     "Le litige ne bloque que le montant contesté ; le service responsable le traite dans un délai annoncé",
     "Coopératif : le gestionnaire est l'allié du client auprès du service"),
    ("Règlements non lettrés", "L'affectation des règlements reçus (avis de paiement), puis une date pour le solde",
     "Sans affectation, les factures restent échues dans nos comptes et les relances continuent",
     "Pédagogique"),
    ("Promesse à confirmer", "La confirmation du montant, de la date et du mode de paiement",
     "Le paiement est-il bien programmé ? Qui le valide ?", "Courtois, bref"),
    ("Retard important", "Une date et un montant précis, et l'annonce de l'étape suivante",
     "L'échéance convenue, les relances restées sans effet, les pénalités de retard et l'indemnité forfaitaire "
     "(art. L441-10 du Code de commerce), l'étape suivante du scénario", "Ferme"),
    ("Retard", "Une date de paiement", "L'échéance convenue et le relevé des factures échues", "Courtois"),
    ("Courtoisie", "La confirmation que les factures à échoir sont reçues et validées",
     "Détecter un litige ou un blocage avant l'échéance", "Relationnel"),
], columns=["category", "commitment", "argument", "tone"])
OBJECTIONS = pd.DataFrame([
    ("« Nous n'avons pas reçu la facture. »",
     "« Je vous l'envoie par courriel pendant que nous sommes en ligne : à quelle adresse ? » L'échéance convenue "
     "ne change pas.", "La date de paiement, une fois le duplicata reçu"),
    ("« La facture n'est pas validée, il manque le bon à payer. »",
     "« Qui doit la valider ? Pouvez-vous le relancer aujourd'hui, ou puis-je l'appeler directement ? »",
     "Le nom du valideur et la date de mise en paiement"),
    ("« Il y a un problème sur la livraison ou sur la facture. »",
     "Qualifier le litige (motif, factures, montant contesté), l'enregistrer et le transmettre au service "
     "responsable ; la partie non contestée reste due.", "Le paiement de la partie non contestée et sa date"),
    ("« Nous avons des difficultés de trésorerie. »",
     "Proposer un échéancier court et écrit, avec un premier versement immédiat ; en informer le credit manager "
     "(limite de crédit, livraisons en cours).", "Le premier versement et le calendrier du solde"),
    ("« Le paiement est déjà parti. »",
     "Demander la date, le montant, le mode et la référence du paiement ; vérifier l'encaissement deux jours plus "
     "tard.", "La référence du paiement (virement, chèque, LCR)"),
    ("« Nous payons toujours à 90 jours, c'est notre politique. »",
     "Rappeler le délai convenu et le plafond légal (60 jours date de facture ou 45 jours fin de mois, art. "
     "L441-10 du Code de commerce) ; les pénalités courent dès le lendemain de l'échéance.",
     "Une date dans le délai convenu"),
    ("« Le signataire est absent. »", "« Qui le remplace ? Quand revient-il ? » Obtenir un second signataire.",
     "Le nom du remplaçant ou une date de paiement au retour"),
], columns=["objection", "response", "commitment"])
LABELS_CALLS = {"calls": "Appels", "reached_rate": "Client joint", "promise_rate": "Appels avec promesse",
                "promises": "Promesses échues", "kept_rate": "Promesses tenues", "promised_amount": "Montant promis",
                "kept_amount": "Montant tenu", "kept_amount_rate": "Part du montant tenue",
                "mean_duration_min": "Durée moyenne (min)"}
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def objective_category(objective: str) -> str:
    """The short label of an objective produced by `suggested_objective` (« Promesse non tenue », « Litige en
    cours »…), or « Autre »."""
    for start, label in OBJECTIVE_CATEGORIES:
        if str(objective).startswith(start):
            return label
    return "Autre"


def _tables(case_or_tables, as_of) -> dict:
    """The tables of a `CaseStudy` (with its open items at `as_of`) or of a mapping that has `open_items`."""
    if hasattr(case_or_tables, "open_items"):
        return dict(case_or_tables.tables(), open_items=case_or_tables.open_items(as_of))
    return case_tables(case_or_tables, ("open_items",))


def overdue_by_customer(open_items: pd.DataFrame, as_of, customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The customers with overdue invoices at `as_of`, most overdue first (the order of a call list).

    Index `customer_id`; columns `customer_name`, `overdue` (invoices due before `as_of`), `disputed_overdue`
    (of which in dispute), `unapplied` (receipts and credit notes not matched, ≤ 0), `open_amount` (net),
    `oldest_days` (days overdue of the oldest invoice), `insolvent` (judgement on or before `as_of`, from
    `customers`' `insolvency_date`).
    """
    as_of = to_timestamp(as_of)
    items = open_items[open_items["document_date"] <= as_of]
    late = items[(items["amount"] > 0) & (items["due_date"] < as_of)]
    keys = items["customer_id"]
    out = pd.DataFrame({
        "customer_name": items.groupby(keys)["customer_name"].first().astype(object),
        "overdue": late.groupby("customer_id")["amount"].sum(),
        "disputed_overdue": late[late["disputed"].astype(bool)].groupby("customer_id")["amount"].sum(),
        "unapplied": items[items["amount"] < 0].groupby("customer_id")["amount"].sum(),
        "open_amount": items.groupby(keys)["amount"].sum(),
        "oldest_days": (as_of - late.groupby("customer_id")["due_date"].min()).dt.days})
    out[["overdue", "disputed_overdue", "unapplied"]] = out[["overdue", "disputed_overdue", "unapplied"]].fillna(0.0)
    out = out[out["overdue"] > 0.005].round(2)
    out["oldest_days"] = out["oldest_days"].astype(int)
    insolvent = pd.Series(False, index=out.index)
    if customers is not None and "insolvency_date" in customers.columns:
        judgement = customers.set_index("customer_id")["insolvency_date"]
        insolvent = out.index.to_series().map(judgement).le(as_of).fillna(False).astype(bool)
    out["insolvent"] = insolvent
    if customers is not None and "customer_name" in customers.columns:
        names = customers.drop_duplicates("customer_id").set_index("customer_id")["customer_name"].astype(object)
        out["customer_name"] = out.index.to_series().map(names).fillna(out["customer_name"])
    out.index.name = "customer_id"
    return out.reset_index().sort_values(["overdue", "customer_id"], ascending=[False, True], kind="stable") \
        .set_index("customer_id")


def call_objectives(case_or_tables, as_of, top: int | None = None, big_overdue: float = BIG_OVERDUE) -> pd.DataFrame:
    """Today's calls: every customer with overdue invoices (the `top` largest if given), its overdue amount,
    the objective of the call (`suggested_objective`, or no call for a customer in collective proceedings) and
    the objective's `category`. Most overdue first."""
    as_of = to_timestamp(as_of)
    tables = _tables(case_or_tables, as_of)
    ranking = overdue_by_customer(tables["open_items"], as_of, tables.get("customers"))
    if top is not None:
        ranking = ranking.head(top)
    objectives = [PROCEEDINGS_OBJECTIVE if row.insolvent else
                  call_preparation(tables, cid, as_of, big_overdue=big_overdue).objective
                  for cid, row in ranking.iterrows()]
    out = ranking[["customer_name", "overdue", "oldest_days"]].assign(objective=objectives)
    out["category"] = out["objective"].map(objective_category)
    return out


@dataclass(frozen=True)
class CallHistory:
    """A customer's calls up to `as_of` (see `call_history`): how many, how many reached the customer, the
    promises and what became of them (`kept`, `broken`, `pending` when due on or after `as_of`), amounts
    promised and broken, the usual contact and the average duration."""

    customer_id: str
    calls: int
    reached: int
    promises: int
    kept: int
    broken: int
    pending: int
    kept_rate: float
    promised_amount: float
    broken_amount: float
    first_call: pd.Timestamp
    last_call: pd.Timestamp
    main_contact: str
    mean_duration_min: float


def _status(calls: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """The promise status known at `as_of`: the recorded one when the promise date is before `as_of`, « À venir »
    otherwise, "" without a promise."""
    status = calls["promise_kept"].astype(str).where(calls["promise_date"] < as_of, PENDING)
    return status.where(calls["promise_amount"] > 0, "")


def call_history(calls: pd.DataFrame, customer_id: str, as_of, window_days: int | None = None) -> CallHistory:
    """The summary of `customer_id`'s calls up to `as_of` (and in the last `window_days` if given).

    Example: 3 calls, one unanswered, two promises (1 000 € kept, 800 € broken) → reached 2, kept rate 50 %,
    broken amount 800 €.
    """
    as_of = to_timestamp(as_of)
    c = calls[(calls["customer_id"] == customer_id) & (calls["call_date"] <= as_of)]
    if window_days is not None:
        c = c[c["call_date"] > as_of - pd.Timedelta(days=window_days)]
    status = _status(c, as_of)
    kept, broken = int((status == KEPT).sum()), int((status == BROKEN).sum())
    contacts = c["contact"].astype(str).value_counts()
    contacts = contacts.reset_index().sort_values(["count", "contact"], ascending=[False, True], kind="stable")
    return CallHistory(
        customer_id, len(c), int((c["outcome"].astype(str) != UNREACHABLE).sum()), int((status != "").sum()),
        kept, broken, int((status == PENDING).sum()), kept / (kept + broken) if kept + broken else float("nan"),
        round(float(c.loc[status != "", "promise_amount"].sum()), 2),
        round(float(c.loc[status == BROKEN, "promise_amount"].sum()), 2),
        c["call_date"].min() if len(c) else pd.NaT, c["call_date"].max() if len(c) else pd.NaT,
        str(contacts["contact"].iloc[0]) if len(contacts) else "",
        float(c["duration_min"].mean()) if len(c) else float("nan"))


def next_business_day(date) -> pd.Timestamp:
    """`date` itself on a weekday, the next Monday on a Saturday or Sunday (public holidays are not known)."""
    date = to_timestamp(date, "date")
    return date + pd.Timedelta(days=(7 - date.weekday()) % 7 if date.weekday() >= 5 else 0)


@dataclass(frozen=True)
class ArgumentFigures:
    """The figures a collector brings to a call (see `argument_figures`).

    `to_collect` = undisputed overdue + collectable part of the disputed overdue invoices + unapplied credits
    (≤ 0), never below 0: what to ask the customer for. `penalty` and `indemnity`: late-payment interest and
    40 € fixed indemnities due at `as_of` on the undisputed overdue invoices. `average_delay`: the customer's
    amount-weighted days late over the last 12 months (NaN without payment history). `level`: the dunning level
    its oldest undisputed invoice has reached in the scenario (`level_action` its action); `next_action`: the
    action of the next level (empty after the last one). `proposed_date`: the date to ask for (first business
    day from `as_of` + `promise_days`).
    """

    as_of: pd.Timestamp
    customer_id: str
    customer_name: str
    overdue: float
    undisputed_overdue: float
    collectable_disputed: float
    unapplied: float
    to_collect: float
    overdue_invoices: pd.DataFrame
    oldest_due_date: pd.Timestamp
    oldest_days: int
    penalty: float
    indemnity: float
    average_delay: float
    terms_label: str
    payment_method: str
    open_amount: float
    credit_limit: float
    limit_use: float
    level: int
    level_action: str
    next_action: str
    last_broken_date: pd.Timestamp
    last_broken_amount: float
    next_promise_date: pd.Timestamp
    next_promise_amount: float
    proposed_date: pd.Timestamp


def argument_figures(case_or_tables, customer_id: str, as_of, promise_days: int | None = None,
                     scenario: pd.DataFrame = DEFAULT_SCENARIO) -> ArgumentFigures:
    """The figures of the call to `customer_id` at `as_of`, from whatever tables are available (`open_items`
    required; `customers`, `disputes`, `calls`, `invoices` and `payments` when known).

    `promise_days` (the horizon of the payment to ask for): by default 2 days after a broken promise (the money
    was due already), 7 days otherwise. Example: undisputed overdue 3 000 €, a disputed overdue invoice of
    1 500 € contesting 1 000 €, an unapplied receipt of −800 € → to collect 3 000 + 500 − 800 = 2 700 €.
    """
    as_of = to_timestamp(as_of)
    tables = _tables(case_or_tables, as_of)
    items = tables["open_items"]
    items = items[(items["customer_id"] == customer_id) & (items["document_date"] <= as_of)]
    customers = tables.get("customers")
    row = {}
    if customers is not None and (customers["customer_id"] == customer_id).any():
        row = customers[customers["customer_id"] == customer_id].iloc[0].to_dict()
    elif items.empty:
        raise DataError(f"client « {customer_id} » inconnu")
    name = str(row.get("customer_name", items["customer_name"].iloc[0] if len(items) else customer_id))
    late = items[(items["amount"] > 0) & (items["due_date"] < as_of)]
    late = late.assign(days_overdue=(as_of - late["due_date"]).dt.days)
    undisputed = late[~late["disputed"].astype(bool)].sort_values(["due_date", "document_ref"], kind="stable")
    collectable = 0.0
    disputes = tables.get("disputes")
    if disputes is not None and late["disputed"].astype(bool).any():
        on_disputed = collectable_on_disputed(late, disputes[disputes["customer_id"] == customer_id], as_of)
        collectable = float(on_disputed.loc[on_disputed["overdue"], "collectable"].sum())
    unapplied = round(float(items.loc[items["amount"] < 0, "amount"].sum()), 2)
    undisputed_amount = round(float(undisputed["amount"].sum()), 2)
    to_collect = round(max(undisputed_amount + collectable + unapplied, 0.0), 2)
    judgement = row.get("insolvency_date", pd.NaT)
    insolvency = pd.Series({customer_id: judgement}) if pd.notna(judgement) else None
    pen = penalties(undisputed, as_of, insolvency_dates=insolvency)
    delay = float("nan")
    if tables.get("invoices") is not None and tables.get("payments") is not None:
        invoices, payments = tables["invoices"], tables["payments"]
        own = payments[(payments["customer_id"] == customer_id) & (payments["amount"] > 0)]
        if "due_date" in invoices.columns and len(own):
            delays = customer_payment_delays(invoices[invoices["customer_id"] == customer_id], own, as_of)
            if customer_id in delays.index:
                delay = float(delays.loc[customer_id, "average_delay"])
    oldest = int(undisputed["days_overdue"].max()) if len(undisputed) else 0
    steps = check_scenario(scenario)
    reached = steps[steps["days_from_due"] <= oldest] if len(undisputed) else steps.iloc[0:0]
    level = int(reached["level"].iloc[-1]) if len(reached) else 0
    following = steps[steps["level"] > level]
    calls = tables.get("calls")
    broken_date, broken_amount, next_date, next_amount = pd.NaT, 0.0, pd.NaT, 0.0
    if calls is not None:
        c = calls[(calls["customer_id"] == customer_id) & (calls["call_date"] <= as_of)
                  & (calls["promise_amount"] > 0)].sort_values(["promise_date", "call_date", "call_id"],
                                                                kind="stable")
        past = c[c["promise_date"] < as_of]
        if len(past) and str(past["promise_kept"].iloc[-1]) == BROKEN:
            broken_date, broken_amount = past["promise_date"].iloc[-1], float(past["promise_amount"].iloc[-1])
        coming = c[c["promise_date"] >= as_of]
        if len(coming):
            next_date, next_amount = coming["promise_date"].iloc[-1], float(coming["promise_amount"].iloc[-1])
    limit = float(row.get("credit_limit", float("nan")))
    open_amount = round(float(items["amount"].sum()), 2)
    return ArgumentFigures(
        as_of, customer_id, name, round(float(late["amount"].sum()), 2), undisputed_amount, round(collectable, 2),
        unapplied, to_collect, undisputed.reset_index(drop=True),
        undisputed["due_date"].min() if len(undisputed) else pd.NaT, oldest,
        round(float(pen["penalty"].sum()), 2), round(float(pen["indemnity"].sum()), 2), delay,
        str(row.get("terms_label", "") or ""), str(row.get("payment_method", "") or ""), open_amount, limit,
        open_amount / limit if limit and not math.isnan(limit) else float("nan"), level,
        str(reached["action"].iloc[-1]) if len(reached) else "",
        str(following["action"].iloc[0]) if len(following) else "", broken_date, broken_amount, next_date,
        next_amount, next_business_day(as_of + pd.Timedelta(days=promise_days if promise_days is not None else
                                                            2 if pd.notna(broken_date) else 7)))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def call_script(sheet: CallSheet, figures: ArgumentFigures, caller: str = "", company: str = "") -> str:
    """The call's script in French (Markdown), with the customer's figures: opening, discovery, arguments,
    objections, conclusion (the commitment to obtain) and what to do after the call."""
    caller = caller or sheet.customer.get("collector_name") or "[votre nom]"
    company = company or "[votre entreprise]"
    name = figures.customer_name
    category = objective_category(sheet.objective)
    grid = ARGUMENT_GRID.set_index("category")
    lines = [f"# Scénario d'appel — {name} ({figures.customer_id}), le {fmt.date(figures.as_of)}",
             f"**Objectif** : {sheet.objective}."]
    if category in grid.index:
        lines.append(f"**Engagement à obtenir** : {_lower(grid.loc[category, 'commitment'])} — ton : "
                     f"{grid.loc[category, 'tone'].lower()}.")
    lines += ["", "## 1. Ouverture (30 secondes)",
              f"- « Bonjour, {caller}, du service crédit clients de la société {company}. Je souhaiterais parler "
              "à la personne qui suit le règlement de nos factures. »"]
    n = len(figures.overdue_invoices)
    if n:
        first = figures.overdue_invoices.iloc[0]
        lines.append(f"- « Je vous appelle au sujet de {_plural(n, 'facture')} échue{'s' if n > 1 else ''} pour "
                     f"{fmt.euros(figures.undisputed_overdue)} ; la plus ancienne, {first['document_ref']}, est "
                     f"échue depuis le {fmt.date(first['due_date'])} ({figures.oldest_days} jours). »")
    else:
        lines.append("- « Je vous appelle pour faire le point sur vos prochaines échéances. »")
    lines += ["", "## 2. Découverte : faire parler le client",
              "- Question ouverte : « Qu'est-ce qui empêche aujourd'hui le règlement de ces factures ? »"]
    if pd.notna(figures.last_broken_date):
        lines.append(f"- « Vous nous aviez annoncé un règlement de {fmt.euros(figures.last_broken_amount)} pour le "
                     f"{fmt.date(figures.last_broken_date)} ; nous ne l'avons pas reçu. Que s'est-il passé ? »")
    if figures.unapplied < -0.005:
        lines.append(f"- « Nous avons reçu des règlements pour {fmt.euros(-figures.unapplied)} que nous ne pouvons "
                     "pas affecter : pouvez-vous m'indiquer les factures qu'ils soldent ? »")
    for d in sheet.open_disputes.itertuples():
        lines.append(f"- Litige {d.dispute_id} ({d.reason}, {fmt.euros(d.amount)}, ouvert le "
                     f"{fmt.date(d.opened_date)}) : « Le service concerné le traite ; en attendant, la partie non "
                     "contestée de la facture reste due. »")
    if pd.notna(figures.next_promise_date):
        lines.append(f"- « Le règlement de {fmt.euros(figures.next_promise_amount)} prévu le "
                     f"{fmt.date(figures.next_promise_date)} est-il bien programmé ? »")
    lines.append("- Reformuler la réponse du client avant d'argumenter : « Si je comprends bien, … »")
    lines += ["", "## 3. Arguments"]
    if n:
        terms = f" ({figures.terms_label})" if figures.terms_label else ""
        lines.append(f"- Les faits : les échéances convenues{terms} sont dépassées"
                     + (f" ; la plus ancienne en est au niveau {figures.level} du scénario de relance : "
                        f"{_lower(figures.level_action)}" if figures.level else "") + ".")
        lines.append(f"- Le cadre légal : des pénalités de retard sont exigibles dès le lendemain de l'échéance, sans "
                     f"rappel (art. L441-10 du Code de commerce) : {fmt.euros(figures.penalty)} à ce jour, plus "
                     f"l'indemnité forfaitaire de {fmt.euros(FIXED_INDEMNITY, 0)} par facture "
                     f"({fmt.euros(figures.indemnity, 0)}). Levier de négociation : y renoncer si le règlement "
                     "arrive à la date convenue (décision du credit manager).")
    if not math.isnan(figures.average_delay):
        lines.append(f"- Le comportement : sur douze mois, le client a payé en moyenne "
                     f"{fmt.days(figures.average_delay)} après l'échéance.")
    if not math.isnan(figures.limit_use):
        lines.append(f"- L'encours : {fmt.euros(figures.open_amount)} pour une limite de crédit de "
                     f"{fmt.euros(figures.credit_limit, 0)} ({fmt.percent(figures.limit_use, 0)} utilisés) ; "
                     "au-delà, les prochaines commandes ne pourraient plus être livrées sans règlement.")
    if category in grid.index:
        lines.append(f"- Argument clé pour cet objectif : {_lower(grid.loc[category, 'argument'])}.")
    lines += ["", "## 4. Objections prévisibles", "| Le client dit | Réponse préparée | Engagement visé |",
              "|---|---|---|"]
    lines += [f"| {o.objection} | {o.response} | {o.commitment} |" for o in OBJECTIONS.itertuples()]
    lines += ["", "## 5. Conclusion : l'engagement du client"]
    if figures.to_collect > 0.005:
        method = figures.payment_method.lower() if figures.payment_method else "virement"
        lines += [f"- Demander : {fmt.euros(figures.to_collect)} par {method} le "
                  f"{WEEKDAYS[figures.proposed_date.weekday()]} {fmt.date(figures.proposed_date)}.",
                  "- Reformuler : « Je récapitule : vous réglez [montant] par [mode] le [date], c'est bien "
                  "[interlocuteur] qui lance le paiement ? »",
                  "- Si le client ne peut pas tout régler : un échéancier écrit, avec un premier versement à cette "
                  "date."]
    else:
        lines.append("- Rien à réclamer une fois les règlements affectés : obtenir l'avis de paiement et vérifier "
                     "les factures à échoir.")
    if figures.next_action:
        lines.append(f"- Annoncer la suite sans menacer : « Sans règlement à cette date, l'étape suivante sera : "
                     f"{_lower(figures.next_action)}. »")
    elif figures.level:
        lines.append("- Annoncer la suite sans menacer : « Les factures les plus anciennes relèvent désormais du "
                     f"dernier niveau de notre procédure, {_lower(figures.level_action)} ; seul un règlement à "
                     "cette date permet de l'arrêter. »")
    lines.append("- Confirmer l'engagement par courriel le jour même.")
    check = next_business_day(figures.proposed_date + pd.Timedelta(days=2))
    lines += ["", "## 6. Après l'appel",
              "- Enregistrer l'appel, son résultat et la promesse (montant, date) dans l'outil de relance.",
              f"- Vérifier l'encaissement le {fmt.date(check)} ; rappeler le jour même si la promesse n'est pas "
              "tenue.",
              "- Transmettre au service responsable tout litige signalé pendant l'appel."]
    return "\n".join(lines)


@dataclass(frozen=True)
class CommitmentCheck:
    """What a promise obtained is worth (see `check_commitment`): `coverage` of the amount to collect,
    `uncovered` balance, `days` until the promised date, French `remarks`, and `firm` when nothing is missing."""

    amount: float
    date: pd.Timestamp
    coverage: float
    uncovered: float
    days: int
    remarks: tuple[str, ...]
    firm: bool


def check_commitment(figures: ArgumentFigures, amount: float, date, max_days: int = 10) -> CommitmentCheck:
    """Check a promise to pay against the amount to collect and a horizon of `max_days` after `as_of`.

    Example: 10 000 € to collect, 6 000 € promised in 15 days (max 10) → coverage 60 %, 4 000 € uncovered,
    two remarks (partial promise, date too far).
    """
    date = to_timestamp(date, "date")
    amount = float(amount)
    days = int((date - figures.as_of).days)
    due = figures.to_collect
    coverage = amount / due if due > 0.005 else float("nan")
    uncovered = round(max(due - amount, 0.0), 2)
    remarks = []
    if amount <= 0:
        remarks.append("Aucun montant : ce n'est pas un engagement ; obtenir un montant précis.")
    if days <= 0:
        remarks.append(f"La date doit être postérieure au {fmt.date(figures.as_of)}.")
    elif days > max_days:
        remarks.append(f"Date éloignée ({days} jours) : négocier un règlement avant le "
                       f"{fmt.date(figures.as_of + pd.Timedelta(days=max_days))}, ou un premier versement.")
    if date.weekday() >= 5:
        remarks.append(f"Le {fmt.date(date)} est un {WEEKDAYS[date.weekday()]} : le paiement ne sera exécuté "
                       f"qu'au jour ouvré suivant ({fmt.date(next_business_day(date))}).")
    if amount > 0 and due > 0.005 and amount < due - 0.005:
        remarks.append(f"Promesse partielle ({fmt.percent(coverage, 0)} du montant à encaisser) : obtenir un "
                       f"échéancier écrit pour le solde de {fmt.euros(uncovered)}.")
    if amount > due + 0.005:
        remarks.append("Montant supérieur au montant à encaisser : vérifier les factures visées par le règlement.")
    firm = not remarks
    if firm:
        remarks.append("Engagement complet et proche : le reformuler, puis le confirmer par écrit.")
    return CommitmentCheck(round(amount, 2), date, coverage, uncovered, days, tuple(remarks), firm)


def confirmation_email(figures: ArgumentFigures, amount: float, date, method: str = "virement",
                       contact: str = "", caller: str = "", company: str = "") -> str:
    """The confirmation e-mail sent after the call: the promised amount, date and method, the invoices it
    settles (oldest first, until the amount is reached; the last one possibly in part), the unapplied receipts to
    identify, and the next step."""
    date = to_timestamp(date, "date")
    company = company or "[votre entreprise]"
    invoices = figures.overdue_invoices
    before = invoices["amount"].cumsum().shift(fill_value=0.0)
    covered = invoices[before < float(amount) - 0.005].assign(
        part=(float(amount) - before).clip(upper=invoices["amount"]).round(2))
    lines = [f"Objet : confirmation de votre engagement de règlement — {company}", "",
             f"Bonjour{' ' + contact if contact else ''},", "",
             f"Suite à notre entretien téléphonique du {fmt.date(figures.as_of)}, je vous confirme votre engagement "
             f"de régler la somme de {fmt.euros(amount)} par {method} le {fmt.date(date)}, au titre des factures "
             "suivantes :"]
    lines += [f"- {r.document_ref}, échue le {fmt.date(r.due_date)} : {fmt.euros(r.amount)}"
              + (f", à hauteur de {fmt.euros(r.part)}" if r.part < r.amount - 0.005 else "")
              for r in covered.itertuples()]
    if float(amount) < figures.to_collect - 0.005:
        lines += ["", f"Le solde de {fmt.euros(figures.to_collect - float(amount))} fera l'objet de l'échéancier que "
                      "nous conviendrons par écrit."]
    if figures.unapplied < -0.005:
        lines += ["", f"Merci de nous indiquer également les factures réglées par vos paiements non identifiés "
                      f"({fmt.euros(-figures.unapplied)})."]
    lines += ["", "Je vous remercie de nous adresser l'avis de paiement dès son émission."]
    if figures.next_action:
        lines += ["", f"À défaut de règlement à cette date, nous poursuivrons le recouvrement "
                      f"({_lower(figures.next_action)}), et les pénalités de retard "
                      "prévues par nos conditions générales de vente ainsi que l'indemnité forfaitaire pour frais "
                      "de recouvrement de 40 € par facture seront exigibles (art. L441-10 du Code de commerce)."]
    lines += ["", "Cordialement,", caller or "[votre nom]", f"Service crédit clients — {company}"]
    return "\n".join(lines)


def promise_payment_delays(calls: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """For each promise to pay due before `as_of` whose outcome is known (« Oui » or « Non »), when the
    customer's cash actually covered it.

    Measured at the customer's level: `paid_date` is the first date after the call at which the customer's
    receipts since the call (credit-note offsets excluded, up to `as_of`) reach the promised amount (NaT if
    not by `as_of`); `days_after_promise` = `paid_date` − `promise_date` (negative when early). Columns:
    `call_id`, `customer_id`, `collector_id`, `call_date`, `promise_date`, `promise_amount`, `status`,
    `paid_date`, `days_after_promise`. Example: 1 000 € promised for 10/03 after a call on 01/03, receipts of
    600 € on 08/03 and 500 € on 14/03 → paid on 14/03, 4 days after the promise.
    """
    as_of = to_timestamp(as_of)
    c = calls[(calls["promise_amount"] > 0) & (calls["call_date"] <= as_of) & (calls["promise_date"] < as_of)]
    c = c.assign(status=_status(c, as_of))
    c = c[c["status"].isin([KEPT, BROKEN])]
    cash = payments[(payments["amount"] > 0) & (payments["payment_date"] <= as_of)]
    if "payment_method" in cash.columns:
        cash = cash[cash["payment_method"].astype(str) != CREDIT_NOTE_OFFSET]
    daily = cash.groupby(["customer_id", "payment_date"])["amount"].sum().reset_index()  # by customer, then date
    customers = pd.Index(daily["customer_id"].unique())
    cust = customers.get_indexer(daily["customer_id"]).astype(np.int64)
    cents = np.rint(daily.groupby("customer_id")["amount"].cumsum().to_numpy(float) * 100).astype(np.int64)
    days = daily["payment_date"].to_numpy("datetime64[D]").astype(np.int64)
    # one increasing key per customer and date, and per customer and cumulated cents: a customer's receipts
    # since the call reach the promise at the first key ≥ (customer, cents before the call + promised cents)
    by_date, by_cash = cust * 10**6 + days, cust * 10**13 + cents
    code = customers.get_indexer(c["customer_id"]).astype(np.int64)
    call_day = c["call_date"].to_numpy("datetime64[D]").astype(np.int64)
    before = np.searchsorted(by_date, code * 10**6 + call_day, side="right") - 1
    same = (before >= 0) & (cust[np.maximum(before, 0)] == code) if len(cust) else np.zeros(len(c), bool)
    base = np.where(same, cents[np.maximum(before, 0)] if len(cents) else 0, 0)
    target = code * 10**13 + base + np.rint(c["promise_amount"].to_numpy(float) * 100).astype(np.int64) - 1
    reach = np.searchsorted(by_cash, target, side="left")
    found = (code >= 0) & (reach < len(by_cash))
    found[found] = cust[reach[found]] == code[found]
    paid = pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns]")
    paid[found] = daily["payment_date"].to_numpy("datetime64[ns]")[reach[found]]
    out = c[["call_id", "customer_id", "collector_id", "call_date", "promise_date", "promise_amount", "status"]]
    out = out.assign(paid_date=paid)
    out["days_after_promise"] = (out["paid_date"] - out["promise_date"]).dt.days
    return out.reset_index(drop=True)


def promise_delay_summary(delays: pd.DataFrame, by: str | None = "status", tolerance_days: int = 2) -> pd.DataFrame:
    """Per `by` (a column of `promise_payment_delays`, or None for one row `Ensemble`): `promises`, `paid_share`
    (covered by `as_of`), `on_time_share` (covered at most `tolerance_days` after the promised date, out of all
    promises), `median_days` and `mean_days` after the promise (of those paid)."""
    keys = delays[by].astype(str) if by else pd.Series("Ensemble", index=delays.index)
    days = delays["days_after_promise"]
    out = pd.DataFrame({"promises": keys.groupby(keys).size(),
                        "paid_share": days.notna().groupby(keys).mean(),
                        "on_time_share": (days <= tolerance_days).groupby(keys).mean(),
                        "median_days": days.groupby(keys).median(),
                        "mean_days": days.groupby(keys).mean()})
    out.index.name = by or "all"
    return out


def promise_kept_trend(calls: pd.DataFrame, freq: str = "Q", as_of=None) -> pd.DataFrame:
    """Promises kept per period of their promised date (`freq` "Q" or "M"), as `promise_kept_rate`: `promises`,
    `kept`, `kept_rate`, `pending`; periods after `as_of` are left out."""
    if freq not in ("Q", "M"):
        raise DataError(f"fréquence « {freq} » inconnue (attendu : Q pour trimestre ou M pour mois)")
    c = calls[calls["promise_amount"] > 0]
    if as_of is not None:
        c = c[c["promise_date"] <= to_timestamp(as_of)]
    c = c.assign(period=c["promise_date"].dt.to_period(freq))
    out = promise_kept_rate(c, by="period", as_of=as_of)
    out.index = pd.PeriodIndex(out.index, freq=freq, name="period")
    return out.sort_index()


def call_scorecard(calls: pd.DataFrame, as_of, start=None, by: str = "collector_id") -> pd.DataFrame:
    """The results of the calls made in (`start`, `as_of`], per `by` and for the whole team (`Ensemble`):
    `calls`, `reached_rate` (the customer answered), `promise_rate` (calls ending with a promise), `promises`
    (due before `as_of`, outcome known), `kept_rate`, `promised_amount`, `kept_amount`, `kept_amount_rate`
    (amounts of those promises) and `mean_duration_min`."""
    as_of = to_timestamp(as_of)
    if by not in calls.columns:
        raise DataError(f"regroupement « {by} » absent du journal des appels")
    c = calls[calls["call_date"] <= as_of]
    if start is not None:
        c = c[c["call_date"] > to_timestamp(start, "start")]
    c = c.assign(status=_status(c, as_of))

    def summary(g: pd.DataFrame) -> dict:
        known = g[g["status"].isin([KEPT, BROKEN])]
        kept = known[known["status"] == KEPT]
        promised = float(known["promise_amount"].sum())
        return {"calls": len(g), "reached_rate": float((g["outcome"].astype(str) != UNREACHABLE).mean()),
                "promise_rate": float((g["promise_amount"] > 0).mean()), "promises": len(known),
                "kept_rate": len(kept) / len(known) if len(known) else float("nan"),
                "promised_amount": round(promised, 2), "kept_amount": round(float(kept["promise_amount"].sum()), 2),
                "kept_amount_rate": float(kept["promise_amount"].sum()) / promised if promised else float("nan"),
                "mean_duration_min": float(g["duration_min"].mean())}

    rows = {str(key): summary(g) for key, g in c.groupby(c[by].astype(str), sort=True)}
    if len(c):
        rows["Ensemble"] = summary(c)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(LABELS_CALLS))
    out.index.name = by
    return out


def plot_call_scorecard(scorecard: pd.DataFrame, names: dict | None = None,
                        title: str = "Promesses tenues par gestionnaire"):
    """Bars: the share of promises kept per collector (`call_scorecard`), the team's rate as a dashed line."""
    table = scorecard.drop(index="Ensemble", errors="ignore")
    labels = [(names or {}).get(i, i) for i in table.index]
    fig, ax = new_figure(title, ylabel="Promesses tenues")
    bars = ax.bar(labels, table["kept_rate"], color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{fmt.percent(r, 0)} de {int(n)}" for r, n in
                               zip(table["kept_rate"], table["promises"])], padding=4)
    if "Ensemble" in scorecard.index:
        ax.axhline(scorecard.loc["Ensemble", "kept_rate"], color=PALETTE[3], linestyle="--", linewidth=2,
                   label=f"Équipe : {fmt.percent(scorecard.loc['Ensemble', 'kept_rate'], 0)}")
        ax.legend(loc="lower right")
    ax.set_ylim(0, 1)
    percent_axis(ax)
    ax.grid(axis="x", visible=False)
    return fig


def plot_promise_kept_trend(trend: pd.DataFrame, title: str = "Taux de promesses tenues par trimestre"):
    """Line: the share of promises kept per period (`promise_kept_trend`), with the number of promises as bars
    on the right axis."""
    labels = [f"T{p.quarter} {p.year}" if p.freqstr.startswith("Q") else f"{p.month:02d}/{p.year}"
              for p in trend.index]
    x = np.arange(len(trend))
    fig, ax = new_figure(title, ylabel="Promesses tenues")
    right = ax.twinx()
    right.bar(x, trend["promises"], color=PALETTE[5], alpha=0.25, label="Promesses échues (échelle de droite)")
    right.set_ylabel("Nombre de promesses")
    right.grid(False)
    right.spines["right"].set_visible(True)
    ax.set_zorder(right.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.plot(x, trend["kept_rate"], color=PALETTE[0], marker="o", linewidth=2.5, label="Promesses tenues")
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_ylim(0, 1)
    percent_axis(ax)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="lower left")
    return fig


def plot_customer_history(case_or_tables, customer_id: str, as_of, months: int = 4, title: str | None = None):
    """The customer's last `months` on one time line: receipts, calls (by outcome), promises (kept, broken,
    to come), dunning actions (by level) and the due dates of the invoices still overdue at `as_of`."""
    as_of = to_timestamp(as_of)
    tables = _tables(case_or_tables, as_of)
    start = as_of - pd.DateOffset(months=months)
    lanes = ["Échéances dépassées", "Relances", "Promesses", "Appels", "Règlements reçus"]
    fig, ax = new_figure(title or f"Historique du client {customer_id} sur {months} mois", figsize=(14, 6))
    y = {lane: i for i, lane in enumerate(lanes)}

    def dated(name, column):
        t = tables.get(name)
        if t is None or column not in t.columns:
            return pd.DataFrame(columns=[column, "customer_id"])
        return t[(t["customer_id"] == customer_id) & (t[column] > start) & (t[column] <= as_of)]

    items = tables["open_items"]
    late = items[(items["customer_id"] == customer_id) & (items["amount"] > 0) & (items["due_date"] < as_of)
                 & (items["document_date"] <= as_of) & (items["due_date"] > start)]
    ax.scatter(late["due_date"], [y["Échéances dépassées"]] * len(late), marker="|", s=500, linewidths=3,
               color=PALETTE[5], label="Échéance d'une facture encore due")
    dunning = dated("dunning", "dunning_date")
    if len(dunning):
        for level, g in dunning.groupby("level"):
            ax.scatter(g["dunning_date"], [y["Relances"]] * len(g), marker="s", s=110,
                       color=AGEING_COLORS[min(int(level), len(AGEING_COLORS) - 1)], label=f"Relance niveau {level}")
    calls = dated("calls", "call_date")
    colors = {"Promesse de paiement": PALETTE[2], UNREACHABLE: PALETTE[5], "Règlement déjà émis": PALETTE[0],
              "Difficultés de trésorerie": PALETTE[1], "Litige signalé": PALETTE[3]}
    if len(calls):
        for outcome, g in calls.groupby(calls["outcome"].astype(str)):
            ax.scatter(g["call_date"], [y["Appels"]] * len(g), marker="o", s=110,
                       color=colors.get(outcome, PALETTE[4]), label=f"Appel : {_lower(outcome)}")
    t = tables.get("calls")
    if t is not None and len(t):
        p = t[(t["customer_id"] == customer_id) & (t["promise_amount"] > 0) & (t["call_date"] <= as_of)
              & (t["promise_date"] > start)]
        status = _status(p, as_of)
        for label, key, color, marker in (("tenue", KEPT, PALETTE[2], "D"), ("non tenue", BROKEN, PALETTE[3], "X"),
                                          ("à venir", PENDING, PALETTE[5], "D")):
            g = p[status == key]
            if len(g):
                ax.scatter(g["promise_date"], [y["Promesses"]] * len(g), marker=marker, s=130, color=color,
                           label=f"Promesse {label}")
    pay = dated("payments", "payment_date")
    if len(pay):
        pay = pay[pay["amount"] > 0]
        if "payment_method" in pay.columns:
            pay = pay[pay["payment_method"].astype(str) != CREDIT_NOTE_OFFSET]
        daily = pay.groupby("payment_date")["amount"].sum()
        if len(daily):
            ax.scatter(daily.index, [y["Règlements reçus"]] * len(daily), s=60 + 340 * daily / daily.max(),
                       color=PALETTE[7], alpha=0.7, label="Règlement reçu (taille : montant)")
    ax.axvline(as_of, color="black", linestyle=":", linewidth=1.5)
    ax.annotate(f"{fmt.date(as_of)}", (as_of, len(lanes) - 0.45), ha="center", fontsize=11)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlim(start, as_of + pd.Timedelta(days=20))
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: mdates.num2date(v).strftime("%m/%Y")))
    ax.grid(axis="y", visible=False)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=11)
    return fig


def call_text_html(text: str) -> str:
    """A plain-text sheet or script shown as preformatted HTML (for widgets)."""
    return ("<pre style='white-space:pre-wrap;font-size:14px;line-height:1.45;font-family:inherit'>"
            f"{html.escape(text)}</pre>")
