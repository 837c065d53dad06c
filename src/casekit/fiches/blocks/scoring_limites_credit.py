"""Blocks of `fiches/scoring-limites-credit.md`: the scoring grid with the board example, the credit policy by
class, and the fil rouge's classes, recommended limits, back-test and blocked orders."""

from __future__ import annotations

import pandas as pd

from casekit import fmt
from casekit.credit.risk import ACTIONS, BLOCK_DAYS, breaches_by_action, credit_limit_status, limit_breaches
from casekit.credit.scoring import (
    CLASS_CUTOFFS,
    MAX_TERMS_DAYS,
    TERMS_BY_CLASS,
    backtest_data,
    class_indicators,
    customer_features,
    discrimination_auc,
    evaluate_backtest,
    recommended_terms,
    recommended_terms_by_class,
    rules_table,
    score_breakdown,
    score_customers,
    weights_without,
)
from casekit.fiches.blocks import block, source_line
from casekit.fmt import NBSP

# The board example of notebook 04a: a customer 12 days late (2 more than last year), 5 % of invoices disputed,
# 6 years of relationship, 80 % of its limit used, rated 14/20, 30 % gross margin; it buys 50 000 € TTC a month.
EXAMPLE = {"days_late": 12.0, "late_trend": 2.0, "dispute_rate": 0.05, "seniority_years": 6.0, "limit_use": 0.80,
           "external_score": 14.0, "margin_rate": 0.30, "monthly_purchases": 50_000.0, "credit_limit": 80_000.0}
ACTION_LABELS = {ACTIONS["insolvent"]: "en procédure collective", ACTIONS["late"]: "en retard",
                 ACTIONS["review"]: "sans retard (limite à réviser)"}
SHORT_LABELS = {"days_late": "Retard moyen (12 mois)", "external_score": "Note externe (1 à 20)",
                "late_trend": "Tendance du retard", "dispute_rate": "Taux de litiges",
                "limit_use": "Utilisation de la limite", "seniority_years": "Ancienneté",
                "margin_rate": "Taux de marge brute"}
AUC_EXAMPLE = ([3, 4, 1, 3], [False, False, True, True])  # two good payers scored 3 and 4, two bad ones 1 and 3


def _grid(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def example_results():
    """The board example: its score breakdown, score and class, recommended limit, and the AUC example."""
    features = pd.DataFrame({k: [v] for k, v in EXAMPLE.items()}, index=pd.Index(["Exemple"], name="customer_id"))
    detail = score_breakdown(features, "Exemple")
    scores = score_customers(features)
    terms = recommended_terms(scores, features).loc["Exemple"]
    return detail, scores.loc["Exemple"], terms, discrimination_auc(*AUC_EXAMPLE)


@block("scoring_limites_credit_exemple")
def scoring_limites_credit_exemple(context) -> str:
    grid = rules_table()
    detail, score, terms, auc = example_results()
    rows = []
    for name, g in grid.iterrows():
        label = SHORT_LABELS.get(name, g["label"])
        d = detail.loc[name]
        rows.append([label, g["zero_at"], g["full_at"], fmt.number(g["weight"]), d["shown"],
                     fmt.number(d["points"], 1), fmt.number(d["contribution"], 1)])
    rows.append(["**Score**", "", "", fmt.number(grid["weight"].sum()), "", "",
                 f"**{fmt.number(score['score'], 1)}**"])
    months = TERMS_BY_CLASS[score["class"]].limit_months
    lines = [
        f"Score {fmt.number(score['score'], 1)} → **classe {score['class']}** ; achats de "
        f"{fmt.euros(terms['monthly_purchases'], 0)} TTC par mois → **limite** = {fmt.number(months, 1)} mois × "
        f"{fmt.euros(terms['monthly_purchases'], 0)} = **{fmt.euros(terms['recommended_limit'], 0)}** "
        f"(au millier supérieur).",
        "**Back-test** : classer à une date passée, observer les douze mois suivants ; **AUC** = probabilité "
        "qu'un bon payeur ait un meilleur score qu'un mauvais (0,5 : hasard ; Gini = 2 × AUC − 1). Bons notés 3 et "
        f"4, mauvais 1 et 3 : (3 paires gagnées + ½ égalité) / 4 = **{fmt.number(auc, 3)}**.",
    ]
    header = ["Critère", "0 point", "100 points", "Poids", "Exemple", "Points", "Contrib."]
    return "\n\n".join([_grid(header, rows), "\n".join(f"* {line}" for line in lines)])


@block("scoring_limites_credit_classes")
def scoring_limites_credit_classes(context) -> str:
    bounds = dict(CLASS_CUTOFFS)
    uppers = {c: next((bounds[u] for u, _ in reversed(CLASS_CUTOFFS[:i])), None)
              for i, (c, _) in enumerate(CLASS_CUTOFFS)}
    rows = []
    for cls, terms in TERMS_BY_CLASS.items():
        band = f"≥ {bounds[cls]}" if uppers[cls] is None else (  # scores are rounded to 0,1 point
            f"< {uppers[cls]}" if bounds[cls] == 0 else f"{bounds[cls]}{NBSP}à{NBSP}{fmt.number(uppers[cls] - 0.1, 1)}")
        terms_days = f"{MAX_TERMS_DAYS[cls]} j" if MAX_TERMS_DAYS[cls] else "comptant"
        rows.append([f"**{cls}**", band, f"{fmt.number(terms.limit_months, 1)}{NBSP}mois", terms.payment_method,
                     terms_days])
    header = ["Classe", "Score", "Limite", "Mode de paiement", "Délai"]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---|---:|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def fil_rouge_results(case, as_of):
    """What the fil rouge block shows: indicators and recommended limits per class at `as_of`, the fair back-test
    (no external rating) one year earlier against the one with it, and the blocked orders at `as_of`."""
    features = customer_features(case, as_of)
    scores = score_customers(features)
    items = case.open_items(as_of)
    indicators = class_indicators(scores, features, items, as_of, case.invoices)
    limits = recommended_terms_by_class(recommended_terms(scores, features))
    history = backtest_data(case, as_of - pd.DateOffset(years=1))
    fair = evaluate_backtest(history, weights_without("external_score"))
    full = evaluate_backtest(history)
    status = credit_limit_status(items, case.customers, as_of)
    actions = breaches_by_action(limit_breaches(status, late_days=BLOCK_DAYS))
    return indicators, limits, fair, full, status, actions


@block("scoring_limites_credit_fil_rouge")
def scoring_limites_credit_fil_rouge(context) -> str:
    indicators, limits, fair, full, status, actions = fil_rouge_results(context.case, context.as_of)
    bt = fair.by_class
    rows = []
    for cls in list(TERMS_BY_CLASS) + ["Total"]:
        i, lim = indicators.loc[cls], limits.loc[cls]
        late = fmt.percent(bt.at[cls, "late_invoice_rate"]) if cls in bt.index else ""
        bad = fmt.percent(bt.at[cls, "bad_rate"], 0) if cls in bt.index else ""
        name = "**Total**" if cls == "Total" else f"**{cls}**"
        rows.append([name, fmt.number(i["customers"]), fmt.percent(i["sales_share"]), fmt.percent(i["overdue_share"]),
                     fmt.euros(lim["credit_limit"], 0), fmt.euros(lim["recommended_limit"], 0), late, bad])
    header = ["Classe", "Clients", "Part du CA", "Échu / encours", "Limites actuelles", "Limites recommandées",
              f"Factures à + {fair.late_days} j*", "Mauvais payeurs*"]
    risky = indicators.loc[["D", "E"]]
    blocked = status[status["blocked"]]
    action_text = ", ".join(f"{int(n)} {ACTION_LABELS[a]}" for a, n in actions["customers"].items())
    lines = [
        f"\\* Back-test loyal : classes au {fmt.date(fair.as_of)} sans la note externe, suivies {fair.horizon_days} "
        f"jours ; mauvais payeur : défaillant ou plus de la moitié des factures à plus de {fair.late_days} jours.",
        f"* **AUC loyale : {fmt.number(fair.auc, 2)}** (Gini {fmt.number(fair.gini, 2)}), défaillances "
        f"{fmt.number(fair.auc_insolvency, 2)} ; avec la note d'aujourd'hui : {fmt.number(full.auc, 2)} (biaisée).",
        f"* Classes D et E : {fmt.percent(risky['sales_share'].sum())} du CA, "
        f"{fmt.percent(risky['overdue'].sum() / indicators.at['Total', 'overdue'])} de l'échu ; limites à réduire : "
        f"{int(limits.at['Total', 'to_reduce'])}, à relever : {int(limits.at['Total', 'to_raise'])}.",
        f"* **Bloqués** (règle à {BLOCK_DAYS} jours) : {len(blocked)} clients, "
        f"{fmt.euros(blocked['exposure'].sum(), 0)} d'encours ; au-delà de leur limite : {action_text}.",
    ]
    return "\n\n".join([_grid(header, rows), lines[0], "\n".join(lines[1:]), source_line(context)])
