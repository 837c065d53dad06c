"""Generate the fil rouge company, Hexaform SAS, from a fixed seed.

Everything is drawn from one `numpy.random.Generator`, in a fixed order, so that the same seed always gives
byte-identical CSV files. Behaviour is built in, not patched afterwards: payment delays by segment and country,
disputes that hold payment back, insolvent customers that stop paying before their judgement, dunning only on
invoices that are overdue in the ledger, calls and promises that follow the dunning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casekit.dates import due_dates

SEED = 20251231
AS_OF = pd.Timestamp("2025-12-31")
START = pd.Timestamp("2022-01-01")
YEARS = (2022, 2023, 2024, 2025)
REVENUE_TARGET = {2022: 35.4e6, 2023: 37.6e6, 2024: 39.5e6, 2025: 41.2e6}  # EUR excl. VAT
INVOICES_PER_YEAR = 6400
EXPORT_SHARE = 0.22
VAT_FR = 0.20
SEASONALITY = np.array([0.85, 0.90, 1.05, 1.05, 1.10, 1.15, 0.95, 0.55, 1.05, 1.15, 1.10, 0.95])
SEASONALITY = SEASONALITY / SEASONALITY.mean()

# segment: share of domestic customers, log-size mean, base days late, gross margin rate
SEGMENTS = {
    "Grand compte": (0.06, 13.3, 16.0, 0.24),
    "ETI": (0.16, 12.2, 11.0, 0.29),
    "PME": (0.45, 11.0, 9.0, 0.33),
    "TPE": (0.18, 9.9, 13.0, 0.37),
    "Distributeur": (0.15, 11.7, 17.0, 0.27),
}
# country: name, number of customers, extra days late, terms (days, end of month), VAT regime
COUNTRIES = {
    "DE": ("Allemagne", 12, -3.0, (30, False), "Autoliquidation intracommunautaire"),
    "BE": ("Belgique", 9, 3.0, (30, True), "Autoliquidation intracommunautaire"),
    "IT": ("Italie", 10, 24.0, (60, False), "Autoliquidation intracommunautaire"),
    "ES": ("Espagne", 8, 16.0, (60, False), "Autoliquidation intracommunautaire"),
    "NL": ("Pays-Bas", 5, -2.0, (30, False), "Autoliquidation intracommunautaire"),
    "CH": ("Suisse", 5, -1.0, (30, False), "Exportation hors UE"),
    "GB": ("Royaume-Uni", 5, 7.0, (60, False), "Exportation hors UE"),
    "MA": ("Maroc", 4, 26.0, (90, False), "Exportation hors UE"),
    "US": ("États-Unis", 2, 9.0, (60, False), "Exportation hors UE"),
}
N_DOMESTIC = 290
REGIONS = {
    "Auvergne-Rhône-Alpes": 0.28, "Île-de-France": 0.16, "Occitanie": 0.08, "Provence-Alpes-Côte d'Azur": 0.07,
    "Nouvelle-Aquitaine": 0.07, "Hauts-de-France": 0.07, "Grand Est": 0.07, "Pays de la Loire": 0.06,
    "Bourgogne-Franche-Comté": 0.05, "Bretagne": 0.04, "Normandie": 0.03, "Centre-Val de Loire": 0.02,
}
SOUTH = {"Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie"}
DOMESTIC_TERMS = {  # segment -> [((days, end_of_month), probability)]
    "Grand compte": [((60, False), 0.3), ((45, True), 0.3), ((30, True), 0.4)],
    "ETI": [((45, True), 0.35), ((60, False), 0.25), ((30, True), 0.4)],
    "PME": [((30, False), 0.45), ((45, True), 0.2), ((60, False), 0.15), ((30, True), 0.2)],
    "TPE": [((30, False), 0.75), ((30, True), 0.25)],
    "Distributeur": [((60, False), 0.3), ((45, True), 0.4), ((30, True), 0.3)],
}
SECTORS = {
    "Agroalimentaire": ["Laiteries", "Biscuiterie", "Conserverie", "Fromagerie", "Salaisons", "Chocolaterie"],
    "Cosmétique": ["Cosmétiques", "Parfums", "Laboratoires dermatologiques", "Savonnerie"],
    "Pharmacie": ["Laboratoires", "Pharma", "Galénique"],
    "Vins et spiritueux": ["Domaine", "Distillerie", "Maison", "Brasserie"],
    "Chimie": ["Chimie", "Résines", "Détergents"],
    "Industrie": ["Mécanique", "Ateliers", "Industries", "Électronique"],
    "Distribution": ["Distribution", "Négoce", "Comptoir", "Centrale d'achat"],
}
NAMES = ["Morel", "Lefort", "Bernard", "Giraud", "Chabert", "Roux", "Perrin", "Fauvel", "Brunet", "Vidal",
         "Marchal", "Lambert", "Garnier", "Rolland", "Berthier", "Collin", "Faure", "Mercier", "Blanc", "Guérin",
         "du Dauphiné", "de la Loire", "des Alpes", "du Vercors", "de Provence", "du Jura", "de l'Ouest",
         "du Beaujolais", "de Savoie", "des Monts d'Or", "du Léman", "de Bourgogne", "d'Armor", "du Forez",
         "Arnaud", "Besson", "Carrel", "Delorme", "Escoffier", "Fournier", "Gauthier", "Hugon", "Jacquet",
         "Laurent", "Mathieu", "Noël", "Olivier", "Pascal", "Renaud", "Sauvage", "Texier", "Vernet"]
EXPORT_NAMES = {
    "DE": (["Müller", "Schneider", "Becker", "Hoffmann", "Wagner", "Krause", "Neumann", "Vogel"],
           ["Verpackung", "Lebensmittel", "Kosmetik", "Pharma", "Feinkost"], ["GmbH", "AG", "GmbH & Co. KG"]),
    "BE": (["Dubois", "Peeters", "Janssens", "Lambert", "Claes", "Maes"],
           ["Brasserie", "Chocolaterie", "Cosmetics", "Distribution"], ["SA", "NV", "SRL"]),
    "IT": (["Rossi", "Bianchi", "Ferrari", "Colombo", "Ricci", "Marino"],
           ["Alimentari", "Cosmetici", "Farmaceutica", "Dolciaria"], ["S.r.l.", "S.p.A."]),
    "ES": (["García", "Martínez", "López", "Sánchez", "Romero"],
           ["Conservas", "Cosméticos", "Alimentación", "Bodegas"], ["S.L.", "S.A."]),
    "NL": (["Van Dijk", "De Vries", "Bakker", "Visser"], ["Verpakkingen", "Foods", "Cosmetics"], ["BV"]),
    "CH": (["Meier", "Keller", "Favre", "Rochat"], ["Kosmetik", "Pharma", "Chocolats"], ["AG", "SA"]),
    "GB": (["Harrison", "Whitfield", "Ashworth", "Pemberton"], ["Foods", "Beauty", "Distillers"], ["Ltd"]),
    "MA": (["Alaoui", "Bennani", "Tazi", "Berrada"], ["Conserveries", "Cosmétiques", "Agro"], ["SARL", "SA"]),
    "US": (["Bayside", "Redwood", "Lakeshore"], ["Cosmetics", "Foods"], ["Inc."]),
}
COLLECTORS = [
    ("G1", "Sophie Marchand", "Grands comptes et ETI (France)", 1.0, 58000.0, "français, anglais", "2016-09-01"),
    ("G2", "Karim Benali", "PME, TPE et distributeurs du Sud-Est (Auvergne-Rhône-Alpes, PACA, Occitanie)",
     1.0, 49000.0, "français, arabe", "2019-03-04"),
    ("G3", "Julie Lefèvre", "PME, TPE et distributeurs des autres régions", 0.8, 41000.0, "français", "2021-01-11"),
    ("G4", "Marco Rossi", "Export", 1.0, 54000.0, "français, anglais, italien, espagnol", "2018-05-14"),
]
SALES_REPS = ["Thomas Girard", "Claire Dumas", "Nicolas Petit", "Émilie Roche", "Antoine Leroy", "Sarah Haddad"]
INSOLVENCIES = [  # (judgement date, procedure, segment wanted)
    ("2023-05-16", "Liquidation judiciaire", "PME"),
    ("2024-02-13", "Redressement judiciaire", "Distributeur"),
    ("2024-10-08", "Liquidation judiciaire", "TPE"),
    ("2025-06-17", "Redressement judiciaire", "ETI"),
    ("2025-11-04", "Sauvegarde", "PME"),
]
DISPUTE_REASONS = {  # reason: (probability, department, median resolution days)
    "Prix non conforme au tarif": (0.24, "Commercial", 30),
    "Qualité / produit défectueux": (0.18, "Qualité", 42),
    "Quantité livrée différente": (0.17, "Logistique", 21),
    "Retard ou incident de livraison": (0.13, "Logistique", 18),
    "Erreur de facturation": (0.17, "Administration des ventes", 12),
    "Référence de commande manquante": (0.11, "Comptabilité clients", 9),
}
DUNNING_LEVELS = [  # level, days after due date, channel
    (1, 5, "Courriel"),
    (2, 15, "Téléphone"),
    (3, 30, "Courrier"),
    (4, 45, "Lettre recommandée (mise en demeure)"),
    (5, 75, "Transmission au contentieux"),
]


@dataclass
class _Events:
    """Ledger events collected while generating: allocations of payments and credit notes to documents."""

    rows: list

    def add(self, customer, date, method, doc, amount, ref=None):
        self.rows.append((customer, pd.Timestamp(date), method, doc, round(amount, 2), ref))


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Return every table of the fil rouge, keyed by table name (see `casekit.casestudy.schema`)."""
    rng = np.random.default_rng(seed)
    customers, hidden = _customers(rng)
    invoices = _invoices(rng, customers, hidden)
    invoices, disputes, payments = _settlement(rng, customers, hidden, invoices)
    dunning = _dunning(invoices, payments, disputes, customers)
    calls = _calls(rng, dunning, payments, disputes, customers, invoices)
    insurance_offers, factoring_offers, collection_offers = _offers()
    return {
        "company": _company(),
        "financials": _financials(rng, invoices, payments, customers),
        "collectors": _collectors(),
        "customers": customers,
        "invoices": invoices,
        "payments": payments,
        "disputes": disputes,
        "dunning": dunning,
        "calls": calls,
        "insurance_offers": insurance_offers,
        "insurance_limits": _insurance_limits(rng, customers, hidden, insurance_offers),
        "factoring_offers": factoring_offers,
        "collection_offers": collection_offers,
    }


# --------------------------------------------------------------------------------------------- customers

def _luhn_siren(rng) -> str:
    digits = list(rng.integers(0, 10, 8))
    digits[0] = rng.integers(3, 10)
    total = 0
    for i, d in enumerate(digits):
        d2 = d * 2 if i % 2 == 1 else d
        total += d2 - 9 if d2 > 9 else d2
    check = (10 - total % 10) % 10
    # the check digit sits at an even position from the right (index 8, not doubled)
    return "".join(str(d) for d in digits) + str(check)


def _vat_number(rng, country: str, siren: str) -> str:
    def n(k):
        return "".join(str(d) for d in rng.integers(0, 10, k))

    if country == "FR":
        key = (12 + 3 * (int(siren) % 97)) % 97
        return f"FR{key:02d}{siren}"
    return {
        "DE": lambda: "DE" + n(9), "BE": lambda: "BE0" + n(9), "IT": lambda: "IT" + n(11),
        "ES": lambda: "ESB" + n(8), "NL": lambda: "NL" + n(9) + "B01", "CH": lambda: f"CHE-{n(3)}.{n(3)}.{n(3)}",
        "GB": lambda: "GB" + n(9), "MA": lambda: "ICE" + n(15), "US": lambda: f"EIN {n(2)}-{n(7)}",
    }[country]()


def _pick(rng, options: dict | list, p=None):
    keys = list(options)
    return keys[rng.choice(len(keys), p=p if p is not None else [options[k] for k in keys])]


def _customers(rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    seg_names = list(SEGMENTS)
    seg_p = np.array([SEGMENTS[s][0] for s in seg_names])
    rows, used = [], set()
    for _ in range(N_DOMESTIC):
        seg = seg_names[rng.choice(len(seg_names), p=seg_p / seg_p.sum())]
        sector = "Distribution" if seg == "Distributeur" else _pick(rng, [s for s in SECTORS if s != "Distribution"],
                                                                     p=[0.32, 0.18, 0.12, 0.12, 0.08, 0.18])
        while True:
            name = f"{SECTORS[sector][rng.integers(len(SECTORS[sector]))]} {NAMES[rng.integers(len(NAMES))]}"
            if name not in used:
                used.add(name)
                break
        form = {"Grand compte": "SA", "ETI": "SAS", "PME": _pick(rng, ["SAS", "SARL", "SA"], p=[0.6, 0.3, 0.1]),
                "TPE": _pick(rng, ["SARL", "SASU", "EURL"], p=[0.5, 0.3, 0.2]), "Distributeur": "SAS"}[seg]
        rows.append(dict(customer_name=name, legal_form=form, country="FR", segment=seg, sector=sector,
                         region=_pick(rng, REGIONS)))
    for country, (_, count, *_rest) in COUNTRIES.items():
        surnames, words, forms = EXPORT_NAMES[country]
        for _ in range(count):
            while True:
                name = f"{surnames[rng.integers(len(surnames))]} {words[rng.integers(len(words))]}"
                if name not in used:
                    used.add(name)
                    break
            seg = _pick(rng, ["ETI", "PME", "Distributeur"], p=[0.3, 0.5, 0.2])
            sector = "Distribution" if seg == "Distributeur" else _pick(
                rng, ["Agroalimentaire", "Cosmétique", "Pharmacie", "Vins et spiritueux"], p=[0.4, 0.3, 0.15, 0.15])
            form = forms[rng.integers(len(forms))]
            rows.append(dict(customer_name=f"{name} {form}", legal_form=form, country=country, segment=seg,
                             sector=sector, region="Export"))
    df = pd.DataFrame(rows)
    n = len(df)
    export = (df["country"] != "FR").to_numpy()

    # sizes: lognormal by segment; export scaled to its share of the value
    mu = np.array([SEGMENTS[s][1] for s in df["segment"]])
    size = np.exp(mu + rng.normal(0, 0.95, n))
    size[export] *= EXPORT_SHARE / (1 - EXPORT_SHARE) * size[~export].sum() / size[export].sum()

    # payment behaviour (hidden): mean days late, trend, chronic late payers
    base = np.array([SEGMENTS[s][2] for s in df["segment"]])
    base[export] = 5.0 + np.array([COUNTRIES[c][2] for c in df.loc[export, "country"]])
    chronic = rng.random(n) < 0.11
    late_mean = base + chronic * rng.uniform(22, 42, n) + rng.normal(0, 3.5, n)
    trend = np.where(rng.random(n) < 0.15, rng.uniform(4, 10, n), 0.0) - np.where(
        rng.random(n) < 0.15, rng.uniform(2, 5, n), 0.0)
    dispute_prone = rng.random(n) < 0.15

    # terms and payment method
    terms = []
    for seg, c in zip(df["segment"], df["country"]):
        if c == "FR":
            opts = DOMESTIC_TERMS[seg]
            terms.append(opts[rng.choice(len(opts), p=[p for _, p in opts])][0])
        else:
            terms.append(COUNTRIES[c][3])
    df["payment_terms_days"] = [t[0] for t in terms]
    df["terms_end_of_month"] = [t[1] for t in terms]
    df["terms_label"] = [f"{d} jours fin de mois" if eom else f"{d} jours date de facture" for d, eom in terms]
    methods = []
    for seg, c in zip(df["segment"], df["country"]):
        if c == "FR":
            p = {"TPE": [0.45, 0.05, 0.30, 0.20]}.get(seg, [0.70, 0.25, 0.03, 0.02])
            methods.append(_pick(rng, ["Virement", "LCR", "Prélèvement SEPA", "Chèque"], p=p))
        elif c == "MA":
            methods.append(_pick(rng, ["Crédit documentaire", "Virement"], p=[0.5, 0.5]))
        else:
            methods.append("Virement")
    df["payment_method"] = methods
    direct_debit = df["payment_method"].isin(["LCR", "Prélèvement SEPA"]).to_numpy()
    late_mean = np.where(direct_debit & ~chronic, rng.normal(1.0, 1.0, n), late_mean)

    # dates
    founded = pd.to_datetime("1950-01-01") + pd.to_timedelta(rng.integers(0, 26000, n), unit="D")
    is_tpe = (df["segment"] == "TPE").to_numpy()
    founded = founded.where(~is_tpe, pd.to_datetime("2008-01-01") + pd.to_timedelta(rng.integers(0, 5000, n), "D"))
    since = pd.to_datetime("2009-01-01") + pd.to_timedelta(rng.integers(0, 6200, n), unit="D")
    newcomer = rng.random(n) < 0.12
    since = since.where(~newcomer, pd.to_datetime("2022-03-01") + pd.to_timedelta(rng.integers(0, 1200, n), "D"))
    since = pd.Series(np.maximum(since.to_numpy(), founded.to_numpy() + np.timedelta64(200, "D")))

    # insolvencies: among active, non-direct-debit customers of the wanted segment, mid-sized
    insolvency = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    procedure = pd.Series("", index=df.index, dtype=object)
    taken = set()
    for date, proc, seg in INSOLVENCIES:
        cand = np.flatnonzero((df["segment"] == seg).to_numpy() & ~direct_debit & ~export
                              & (since < pd.Timestamp(date) - pd.Timedelta(days=700)).to_numpy())
        cand = [i for i in cand if i not in taken]
        cand = sorted(cand, key=lambda i: -size[i])[2: 12]
        i = cand[rng.integers(len(cand))]
        taken.add(i)
        insolvency[i] = pd.Timestamp(date)
        procedure[i] = proc
        late_mean[i] = max(late_mean[i], 12.0)

    # external score 1-20: latent risk from behaviour and profile
    risk = (late_mean / 12 + chronic * 1.2 + is_tpe * 0.8 + (pd.Timestamp("2025-12-31") - founded).days.to_numpy()
            .clip(0, 7300) / 7300 * -1.0 + trend / 6 + rng.normal(0, 0.9, n))
    score = np.clip(np.round(15.5 - 2.6 * risk), 3, 20).astype(int)
    pre_failure_score = score.copy()
    failed = insolvency.notna().to_numpy()
    score[failed] = rng.integers(1, 4, failed.sum())
    pre_failure_score[failed] = rng.integers(7, 11, failed.sum())

    # margin, credit limit, collector, sales rep
    margin = np.array([SEGMENTS[s][3] for s in df["segment"]]) + rng.normal(0, 0.025, n)
    annual_ttc = size / size.sum() * REVENUE_TARGET[2025] * np.where(df["country"] == "FR", 1 + VAT_FR, 1.0)
    eff_terms = df["payment_terms_days"].to_numpy() + df["terms_end_of_month"].to_numpy() * 15
    limit = np.ceil(annual_ttc * (eff_terms + 30) / 365 / 5000) * 5000
    limit = np.where(score <= 6, np.ceil(limit * 0.5 / 5000) * 5000, limit)
    collector = np.where(export, "G4", np.where(df["segment"].isin(["Grand compte", "ETI"]), "G1",
                                                np.where(df["region"].isin(SOUTH), "G2", "G3")))

    # order customers by account opening date, then give ids
    order = np.argsort(since.to_numpy(), kind="stable")
    df = df.iloc[order].reset_index(drop=True)

    def reorder(values):
        return np.asarray(values)[order]

    df.insert(0, "customer_id", [f"C{i + 1:04d}" for i in range(n)])
    sirens = [_luhn_siren(rng) if c == "FR" else "" for c in df["country"]]
    df["siren"] = sirens
    df["vat_number"] = [_vat_number(rng, c, s) for c, s in zip(df["country"], sirens)]
    df["country_name"] = [("France" if c == "FR" else COUNTRIES[c][0]) for c in df["country"]]
    df["vat_regime"] = [("France (TVA 20 %)" if c == "FR" else COUNTRIES[c][4]) for c in df["country"]]
    df["sales_rep"] = [SALES_REPS[k] for k in rng.integers(0, len(SALES_REPS), n)]
    df["collector_id"] = reorder(collector)
    df["credit_limit"] = reorder(limit)
    df["external_score"] = reorder(score)
    df["gross_margin_rate"] = np.round(reorder(margin), 3)
    df["founded"] = reorder(founded.to_numpy())
    df["customer_since"] = reorder(since.to_numpy())
    df["insolvency_date"] = reorder(insolvency.to_numpy())
    df["insolvency_procedure"] = reorder(procedure.to_numpy())
    hidden = pd.DataFrame({
        "size": reorder(size), "late_mean": reorder(late_mean), "trend": reorder(trend),
        "chronic": reorder(chronic), "dispute_prone": reorder(dispute_prone),
        "pre_failure_score": reorder(pre_failure_score),
    })
    from casekit.casestudy.schema import BY_NAME
    return df[BY_NAME["customers"].column_names], hidden


# --------------------------------------------------------------------------------------------- invoices

def _business_days(year: int, month: int) -> pd.DatetimeIndex:
    days = pd.date_range(pd.Timestamp(year, month, 1), periods=pd.Timestamp(year, month, 1).days_in_month)
    return days[days.day_of_week < 5]


def _invoices(rng, customers: pd.DataFrame, hidden: pd.DataFrame) -> pd.DataFrame:
    size = hidden["size"].to_numpy()
    share = size / size.sum()
    count_weight = share ** 0.55
    per_year = INVOICES_PER_YEAR * count_weight / count_weight.sum()
    since = customers["customer_since"]
    insolvency = customers["insolvency_date"]
    since_list = list(since)
    last_day = [d - pd.Timedelta(days=10) if pd.notna(d) else pd.Timestamp.max for d in insolvency]
    growth = rng.normal(0, 0.08, (len(customers), len(YEARS)))
    rows = []
    for year_i, year in enumerate(YEARS):
        for month in range(1, 13):
            bdays = _business_days(year, month)
            month_start = pd.Timestamp(year, month, 1)
            active = (since <= month_start + pd.offsets.MonthEnd(0)) & (
                insolvency.isna() | (insolvency > month_start + pd.Timedelta(days=10)))
            lam = per_year / 12 * SEASONALITY[month - 1]
            counts = rng.poisson(lam)
            for i in np.flatnonzero(active.to_numpy() & (counts > 0)):
                mean_amount = share[i] * np.exp(growth[i, year_i]) / per_year[i]
                for _ in range(counts[i]):
                    day = bdays[rng.integers(len(bdays))]
                    if day < since_list[i] or day > last_day[i]:
                        continue
                    rows.append((i, day, mean_amount * rng.lognormal(-0.08, 0.4)))
    inv = pd.DataFrame(rows, columns=["cust", "document_date", "raw"])
    year = inv["document_date"].dt.year
    factor = year.map({y: REVENUE_TARGET[y] / inv.loc[year == y, "raw"].sum() for y in YEARS})
    inv["amount_excl_vat"] = (inv["raw"] * factor).round(2)
    inv = inv.sort_values(["document_date", "cust", "amount_excl_vat"], kind="stable").reset_index(drop=True)
    cust = customers.iloc[inv["cust"]].reset_index(drop=True)
    inv["customer_id"] = cust["customer_id"]
    seq = inv.groupby(inv["document_date"].dt.year).cumcount() + 1
    inv["document_ref"] = "FA" + inv["document_date"].dt.year.astype(str) + "-" + seq.map("{:05d}".format)
    inv["document_type"] = "Facture"
    inv["due_date"] = due_dates(inv["document_date"], cust["payment_terms_days"].to_numpy(),
                                cust["terms_end_of_month"].to_numpy())
    inv["vat_rate"] = np.where(cust["country"] == "FR", VAT_FR, 0.0)
    inv["vat_amount"] = (inv["amount_excl_vat"] * inv["vat_rate"]).round(2)
    inv["amount_incl_vat"] = (inv["amount_excl_vat"] + inv["vat_amount"]).round(2)
    margin_rate = cust["gross_margin_rate"].to_numpy() + rng.normal(0, 0.02, len(inv))
    inv["gross_margin"] = (inv["amount_excl_vat"] * margin_rate).round(2)
    inv["related_ref"] = ""
    inv["dispute_id"] = ""
    return inv.drop(columns=["raw"])


# --------------------------------------------------------------------------------------------- settlement

_WEEKEND_SHIFT = {5: pd.Timedelta(days=2), 6: pd.Timedelta(days=1)}


def _next_business_day(ts: pd.Timestamp) -> pd.Timestamp:
    shift = _WEEKEND_SHIFT.get(ts.day_of_week)
    return ts if shift is None else ts + shift


def _next_business_days(dates) -> pd.DatetimeIndex:
    """Vectorised `_next_business_day`."""
    return pd.DatetimeIndex(np.busday_offset(np.asarray(dates, dtype="datetime64[D]"), 0, roll="forward"))


def _fixed_payment_day(ts: pd.Timestamp) -> pd.Timestamp:
    """Large accounts pay in runs on the 10th and the 25th of the month."""
    if ts.day <= 10:
        return ts.replace(day=10)
    if ts.day <= 25:
        return ts.replace(day=25)
    return (ts + pd.offsets.MonthBegin(1)).replace(day=10)


def _settlement(rng, customers, hidden, inv):
    """Draw disputes, credit notes and payments; return invoices (with credit notes), disputes, payments."""
    n = len(inv)
    ci = inv["cust"].to_numpy()
    late_mean = hidden["late_mean"].to_numpy()[ci]
    trend = hidden["trend"].to_numpy()[ci]
    years_from_2024 = ((inv["document_date"] - pd.Timestamp("2024-01-01")).dt.days / 365.25).to_numpy()
    insolvency = customers["insolvency_date"].iloc[ci].reset_index(drop=True)
    stop_paying = insolvency - pd.to_timedelta(rng.integers(90, 150, n), unit="D")
    # deterioration in the 12 months before a judgement
    to_failure = (insolvency - inv["document_date"]).dt.days.to_numpy()
    ramp = np.where(np.isfinite(to_failure) & (to_failure < 365), (365 - np.nan_to_num(to_failure)) / 365 * 25, 0)
    mean = late_mean + trend * years_from_2024 + ramp
    delay = np.maximum(rng.normal(mean, 3 + 0.35 * np.abs(mean)), -8).round()
    method = customers["payment_method"].iloc[ci].to_numpy()
    lcr_rejected = rng.random(n) < 0.06
    delay = np.where(np.isin(method, ["LCR", "Prélèvement SEPA"]) & ~lcr_rejected & (mean < 5), 0, delay)
    segment = customers["segment"].iloc[ci].to_numpy()

    # disputes
    dispute_p = np.where(hidden["dispute_prone"].to_numpy()[ci], 0.12, 0.035)
    disputed = rng.random(n) < dispute_p
    reasons = list(DISPUTE_REASONS)
    events = _Events([])
    dispute_rows, credit_rows = [], []
    pay = _next_business_days(inv["due_date"] + pd.to_timedelta(delay, unit="D"))
    large = np.flatnonzero(segment == "Grand compte")
    fixed = pd.DatetimeIndex([_fixed_payment_day(pay[k]) for k in large])
    inv["_pay"] = pay
    inv.loc[large, "_pay"] = _next_business_days(fixed)
    refs = inv["document_ref"].tolist()
    customer_ids = inv["customer_id"].tolist()
    doc_dates = list(inv["document_date"])
    due = list(inv["due_date"])
    ttcs = inv["amount_incl_vat"].tolist()
    hts = inv["amount_excl_vat"].tolist()
    margins = inv["gross_margin"].tolist()
    vat_rates = inv["vat_rate"].tolist()
    pays = list(inv["_pay"])
    insolvency, stop_paying = list(insolvency), list(stop_paying)
    credit_seq = {}
    for k in np.flatnonzero(disputed):
        doc_date = doc_dates[k]
        opened = _next_business_day(doc_date + pd.Timedelta(days=int(rng.integers(8, 50))))
        if opened > AS_OF or (pd.notna(insolvency[k]) and opened > stop_paying[k]):
            disputed[k] = False
            continue
        reason = reasons[rng.choice(len(reasons), p=[DISPUTE_REASONS[r][0] for r in reasons])]
        dept, median = DISPUTE_REASONS[reason][1], DISPUTE_REASONS[reason][2]
        speed = 0.8 if opened.year == 2025 else 1.0
        closed = _next_business_day(opened + pd.Timedelta(days=int(np.ceil(median * speed * rng.lognormal(0, 0.5)))))
        ttc = ttcs[k]
        amount = ttc if rng.random() < 0.45 else round(ttc * rng.uniform(0.15, 0.6), 2)
        if closed > AS_OF:
            closed, outcome, credit = pd.NaT, "En cours", 0.0
        else:
            u = rng.random()
            outcome, credit = (("Avoir émis", amount) if u < 0.55 else
                               ("Geste commercial", round(amount * 0.5, 2)) if u < 0.70 else
                               ("Litige rejeté", 0.0))
        did = f"LIT-{len(dispute_rows) + 1:04d}"
        dispute_rows.append(dict(dispute_id=did, k=k, customer_id=customer_ids[k], reason=reason,
                                 owner_department=dept, amount=amount, opened_date=opened, closed_date=closed,
                                 outcome=outcome, credit_note_amount=credit))
        if credit > 0:
            year = closed.year
            credit_seq[year] = credit_seq.get(year, 0) + 1
            ref = f"AV{year}-{credit_seq[year]:04d}"
            vat_rate = vat_rates[k]
            ht = round(credit / (1 + vat_rate), 2)
            credit_rows.append(dict(cust=ci[k], customer_id=customer_ids[k], document_ref=ref,
                                    document_type="Avoir", document_date=closed, due_date=closed,
                                    amount_excl_vat=-ht, vat_rate=vat_rate, vat_amount=-round(credit - ht, 2),
                                    amount_incl_vat=-credit,
                                    gross_margin=-round(ht * (margins[k] / hts[k])
                                                        if hts[k] else 0, 2),
                                    related_ref=refs[k], dispute_id=did, _pay=pd.NaT))
            events.add(ci[k], closed, "Imputation d'avoir", refs[k], credit, ref="IM" + ref)
            events.add(ci[k], closed, "Imputation d'avoir", ref, -credit, ref="IM" + ref)
        # payment of the disputed invoice
        pay = pays[k]
        remainder = round(ttc - credit, 2)
        undisputed = round(ttc - amount, 2)
        after_close = pd.NaT if pd.isna(closed) else _next_business_day(
            max(closed, pay) + pd.Timedelta(days=int(rng.integers(5, 25))))
        if undisputed > 0:
            events.add(ci[k], pay, method[k], refs[k], undisputed)
            remainder = round(remainder - undisputed, 2)
        if remainder > 0 and pd.notna(after_close):
            events.add(ci[k], after_close, method[k], refs[k], remainder)

    # plain invoices: whole, or in two instalments; insolvent customers stop paying
    partial = rng.random(n) < 0.03
    split = rng.uniform(0.4, 0.7, n)
    gap = rng.integers(10, 30, n)
    for k in np.flatnonzero(~disputed):
        ref, ttc, pay = refs[k], ttcs[k], pays[k]
        if pd.notna(insolvency[k]) and due[k] > stop_paying[k]:
            continue
        if pd.notna(insolvency[k]) and pay > stop_paying[k]:
            pay = _next_business_day(stop_paying[k] - pd.Timedelta(days=int(rng.integers(1, 20))))
        if partial[k]:
            first = round(ttc * split[k], 2)
            early = max(doc_dates[k] + pd.Timedelta(days=5), pay - pd.Timedelta(days=int(gap[k])))
            events.add(ci[k], _next_business_day(early), method[k], ref, first)
            events.add(ci[k], pay, method[k], ref, round(ttc - first, 2))
        else:
            events.add(ci[k], pay, method[k], ref, ttc)

    credits = pd.DataFrame(credit_rows)
    invoices = pd.concat([inv, credits], ignore_index=True).drop(columns=["_pay"])
    invoices = invoices.sort_values(["document_date", "document_type", "document_ref"], kind="stable")
    invoices = invoices.reset_index(drop=True)

    pay = pd.DataFrame(events.rows, columns=["cust", "payment_date", "payment_method", "document_ref", "amount",
                                             "payment_ref"])
    pay = pay[pay["payment_date"] <= AS_OF].copy()
    pay["customer_id"] = customers["customer_id"].to_numpy()[pay["cust"]]
    cash = pay["payment_ref"].isna()
    keys = pay.loc[cash, ["payment_date", "customer_id"]].drop_duplicates().sort_values(
        ["payment_date", "customer_id"])
    keys["payment_ref"] = ("RG" + keys["payment_date"].dt.year.astype(str) + "-"
                           + (keys.groupby(keys["payment_date"].dt.year).cumcount() + 1).map("{:06d}".format))
    pay = pay.merge(keys, on=["payment_date", "customer_id"], how="left", suffixes=("", "_cash"))
    pay["payment_ref"] = pay["payment_ref"].fillna(pay.pop("payment_ref_cash"))
    # a few recent receipts are not lettered yet: unapplied cash, and the invoices they paid stay open
    recent = pay["payment_ref"].str.startswith("RG") & (pay["payment_date"] > AS_OF - pd.Timedelta(days=75))
    refs = np.sort(pay.loc[recent, "payment_ref"].unique())
    unapplied = set(refs[rng.random(len(refs)) < 0.04])
    is_unapplied = pay["payment_ref"].isin(unapplied)
    grouped = pay[is_unapplied].groupby(["payment_ref", "customer_id", "payment_date", "payment_method"],
                                        as_index=False)["amount"].sum()
    grouped["document_ref"] = ""
    pay = pd.concat([pay[~is_unapplied], grouped], ignore_index=True)
    pay["amount"] = pay["amount"].round(2)
    pay = pay.sort_values(["payment_date", "payment_ref", "document_ref"], kind="stable").reset_index(drop=True)
    payments = pay[["payment_ref", "customer_id", "payment_date", "payment_method", "document_ref", "amount"]]

    disputes = pd.DataFrame(dispute_rows)
    disputes["document_ref"] = inv["document_ref"].to_numpy()[disputes.pop("k")]
    disputes["amount"] = disputes["amount"].round(2)
    disputes = disputes[["dispute_id", "document_ref", "customer_id", "reason", "owner_department", "amount",
                         "opened_date", "closed_date", "outcome", "credit_note_amount"]]
    return invoices.drop(columns=["cust"]), disputes, payments


# --------------------------------------------------------------------------------------------- dunning, calls

def _paid_curve(payments: pd.DataFrame) -> dict:
    """document_ref -> (dates, cumulative amounts allocated), in date order."""
    lettered = payments[payments["document_ref"] != ""]
    refs = lettered["document_ref"].to_numpy()
    dates = lettered["payment_date"].to_numpy()
    amounts = lettered["amount"].to_numpy()
    order = np.lexsort((dates, refs))
    refs, dates, amounts = refs[order], dates[order], amounts[order]
    starts = np.flatnonzero(np.r_[True, refs[1:] != refs[:-1]])
    ends = np.r_[starts[1:], len(refs)]
    return {refs[a]: (dates[a:b], np.cumsum(amounts[a:b])) for a, b in zip(starts, ends)}


def _paid_by(curve, ref, date) -> float:
    if ref not in curve:
        return 0.0
    dates, cum = curve[ref]
    i = np.searchsorted(dates, np.datetime64(date), side="right")
    return float(cum[i - 1]) if i else 0.0


def _dunning(invoices, payments, disputes, customers):
    curve = _paid_curve(payments)
    disp = {r.document_ref: (r.opened_date, r.closed_date) for r in disputes.itertuples(index=False)}
    insolvency = customers.set_index("customer_id")["insolvency_date"].to_dict()
    docs = invoices[invoices["document_type"] == "Facture"]
    all_level_dates = np.column_stack([
        _next_business_days(docs["due_date"] + pd.Timedelta(days=d)) for _, d, _ in DUNNING_LEVELS])
    rows = []
    for doc, level_dates in zip(docs.itertuples(index=False), all_level_dates):
        ttc = doc.amount_incl_vat
        opened, closed = disp.get(doc.document_ref, (pd.NaT, pd.NaT))
        judgement = insolvency[doc.customer_id]
        level_dates = [pd.Timestamp(d) for d in level_dates]
        for j, (level, _, channel) in enumerate(DUNNING_LEVELS):
            date = level_dates[j]
            if date > AS_OF or (pd.notna(judgement) and date >= judgement):
                break
            due_now = round(ttc - _paid_by(curve, doc.document_ref, date), 2)
            if due_now <= 0.005:
                break
            if pd.notna(opened) and opened <= date and (pd.isna(closed) or date < closed):
                continue  # dunning is suspended while a dispute is open
            horizon = level_dates[j + 1] if j + 1 < len(level_dates) else date + pd.Timedelta(days=30)
            left = round(ttc - _paid_by(curve, doc.document_ref, min(horizon, AS_OF)), 2)
            if left <= 0.005:
                outcome = "Réglé avant le niveau suivant" if level < 5 else "Réglé après transmission"
            elif pd.notna(opened) and date < opened <= horizon:
                outcome = "Litige signalé"
            elif left < due_now - 0.005:
                outcome = "Paiement partiel"
            elif horizon > AS_OF:
                outcome = "En attente"
            else:
                outcome = "Sans effet"
            rows.append(dict(document_ref=doc.document_ref, customer_id=doc.customer_id, level=level,
                             dunning_date=date, days_overdue=(date - doc.due_date).days, channel=channel,
                             amount_due=due_now, outcome=outcome))
    df = pd.DataFrame(rows).sort_values(["dunning_date", "customer_id", "document_ref", "level"], kind="stable")
    df.insert(0, "dunning_id", [f"REL-{i + 1:06d}" for i in range(len(df))])
    return df.reset_index(drop=True)


def _calls(rng, dunning, payments, disputes, customers, invoices):
    curve = _paid_curve(payments)
    segment = customers.set_index("customer_id")["segment"].to_dict()
    collector = customers.set_index("customer_id")["collector_id"].to_dict()
    ttc = invoices.set_index("document_ref")["amount_incl_vat"].to_dict()
    opened = disputes.groupby("document_ref")["opened_date"].min().to_dict()
    contacts = ["Comptabilité fournisseurs", "Trésorier / DAF", "Acheteur", "Dirigeant"]
    rows = []

    def settled_on(refs):
        """Date when every invoice of the call is fully paid (NaT if not by the as-of date)."""
        last = pd.Timestamp.min
        for ref in refs:
            if _paid_by(curve, ref, AS_OF) < ttc[ref] - 0.005:
                return pd.NaT
            dates, cum = curve[ref]
            last = max(last, pd.Timestamp(dates[np.searchsorted(cum, ttc[ref] - 0.005)]))
        return last

    def paid_between(refs, start, end):
        return sum(_paid_by(curve, r, end) - _paid_by(curve, r, start) for r in refs)

    def one_call(date, customer, refs, amount, objective, follow_up):
        contact = "Dirigeant" if segment[customer] == "TPE" else contacts[rng.choice(4, p=[0.55, 0.2, 0.15, 0.1])]
        settled = settled_on(refs)
        disputed_soon = any(r in opened and date <= opened[r] <= date + pd.Timedelta(days=15) for r in refs)
        promise_amount, promise_date = 0.0, pd.NaT
        u = rng.random()
        if disputed_soon:
            outcome = "Litige signalé"
        elif pd.notna(settled) and settled <= date + pd.Timedelta(days=3):
            outcome = "Règlement déjà émis"
        elif pd.notna(settled) and settled <= date + pd.Timedelta(days=30):
            if u < 0.85:
                outcome, promise_amount = "Promesse de paiement", amount
                promise_date = _next_business_day(max(date + pd.Timedelta(days=1),
                                                      settled + pd.Timedelta(days=int(rng.integers(-4, 5)))))
            else:
                outcome = "Injoignable / message laissé"
        elif u < 0.45:
            outcome, promise_amount = "Promesse de paiement", amount
            promise_date = _next_business_day(date + pd.Timedelta(days=int(rng.integers(5, 16))))
        elif u < 0.75:
            outcome = "Injoignable / message laissé"
        else:
            outcome, promise_amount = "Difficultés de trésorerie", round(amount * 0.5, 2)
            promise_date = _next_business_day(date + pd.Timedelta(days=int(rng.integers(10, 25))))
        kept = ""
        if promise_amount > 0:
            if promise_date + pd.Timedelta(days=2) > AS_OF:
                kept = "À venir"
            else:
                got = paid_between(refs, date, promise_date + pd.Timedelta(days=2))
                kept = "Oui" if got >= promise_amount - 0.01 else "Non"
        rows.append(dict(call_date=date, customer_id=customer, collector_id=collector[customer],
                         contact=contact, objective=objective, amount_overdue=round(amount, 2), outcome=outcome,
                         promise_amount=promise_amount, promise_date=promise_date, promise_kept=kept,
                         duration_min=int(rng.integers(3, 16))))
        if kept == "Non" and not follow_up:
            again = _next_business_day(promise_date + pd.Timedelta(days=3))
            left = sum(ttc[r] - _paid_by(curve, r, again) for r in refs)
            if again <= AS_OF and left > 0.005:
                one_call(again, customer, refs, left, "Relancer une promesse non tenue", True)

    level2 = dunning[dunning["level"] == 2]
    for (date, customer), g in level2.groupby(["dunning_date", "customer_id"], sort=True):
        one_call(date, customer, list(g["document_ref"]), g["amount_due"].sum(), "Obtenir une date de paiement",
                 False)
    df = pd.DataFrame(rows).sort_values(["call_date", "customer_id", "objective"], kind="stable")
    df.insert(0, "call_id", [f"APP-{i + 1:05d}" for i in range(len(df))])
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------------------------- company, offers

def _company() -> pd.DataFrame:
    return pd.DataFrame([dict(
        name="Hexaform", legal_form="SAS", siren="481 592 637".replace(" ", ""),
        activity="Conception et fabrication d'emballages techniques (plastique et carton) pour l'industrie",
        naf_code="22.22Z", city="Villeurbanne (Rhône)", founded=pd.Timestamp("1987-03-02"), headcount=185,
        fiscal_year_end="31/12", as_of=AS_OF, standard_vat_rate=VAT_FR, overdraft_rate=0.062,
        dailly_rate=0.045, cost_of_capital=0.047, collection_team_overhead=38000.0)])


def _collectors() -> pd.DataFrame:
    df = pd.DataFrame(COLLECTORS, columns=["collector_id", "name", "portfolio", "fte", "loaded_annual_cost",
                                           "languages", "start_date"])
    df["start_date"] = pd.to_datetime(df["start_date"])
    return df


def _open_at(invoices, payments, date) -> pd.Series:
    """Receivables incl. VAT per customer at `date` (documents issued minus amounts allocated or received)."""
    issued = invoices[invoices["document_date"] <= date].groupby("customer_id")["amount_incl_vat"].sum()
    received = payments[payments["payment_date"] <= date].groupby("customer_id")["amount"].sum()
    return issued.sub(received, fill_value=0.0)


def _financials(rng, invoices, payments, customers) -> pd.DataFrame:
    rows = []
    insolvency = customers.set_index("customer_id")["insolvency_date"]
    for year, ebitda_rate, rate in ((2023, 0.081, 0.053), (2024, 0.074, 0.056), (2025, 0.069, 0.047)):
        docs = invoices[invoices["document_date"].dt.year == year]
        revenue = docs["amount_excl_vat"].sum()
        receivables = _open_at(invoices, payments, pd.Timestamp(year, 12, 31)).sum()
        failed = insolvency[insolvency.dt.year == year].index
        open_failed = _open_at(invoices, payments, pd.Timestamp(year, 12, 31)).reindex(failed).fillna(0).sum()
        inventory = revenue * rng.uniform(0.10, 0.12)
        payables = revenue * 0.62 * 1.2 * 52 / 365
        ebitda = revenue * ebitda_rate
        rows.append(dict(year=year, revenue_excl_vat=revenue, revenue_incl_vat=docs["amount_incl_vat"].sum(),
                         gross_margin=docs["gross_margin"].sum(), ebitda=ebitda,
                         net_income=(ebitda - revenue * 0.025 - receivables * rate * 0.5) * 0.75,
                         trade_receivables=receivables, inventory=inventory, trade_payables=payables,
                         working_capital=receivables + inventory - payables,
                         cash=revenue * rng.uniform(0.02, 0.04), borrowing_rate=rate,
                         bad_debt_losses=open_failed / 1.2))
    df = pd.DataFrame(rows)
    money = [c for c in df.columns if c not in ("year", "borrowing_rate")]
    df[money] = df[money].round(2)
    return df


def _offers():
    insurance = pd.DataFrame([
        dict(offer_id="ASS-A", insurer="Sécuricrédit", via_broker=False, broker="",
             policy_type="Police globale classique", premium_basis="CA assuré", premium_rate=0.0021,
             minimum_premium=60000.0, quotite=0.90, discretionary_limit=15000.0, discretionary_quotite=0.90,
             per_claim_deductible=0.0, aggregate_deductible=20000.0, max_indemnity_multiple=40.0,
             limit_request_fee=45.0, monitoring_fee_per_buyer=90.0, waiting_period_days=150,
             payment_delay_days=30, max_extension_days=60, insured_share_export=True),
        dict(offer_id="ASS-B", insurer="Garantia Crédit", via_broker=False, broker="",
             policy_type="Police à gestion concertée", premium_basis="CA assuré", premium_rate=0.0016,
             minimum_premium=45000.0, quotite=0.85, discretionary_limit=50000.0, discretionary_quotite=0.70,
             per_claim_deductible=1500.0, aggregate_deductible=0.0, max_indemnity_multiple=30.0,
             limit_request_fee=0.0, monitoring_fee_per_buyer=60.0, waiting_period_days=180,
             payment_delay_days=30, max_extension_days=90, insured_share_export=True),
        dict(offer_id="ASS-C", insurer="Sécuricrédit", via_broker=True, broker="Lumière Courtage",
             policy_type="Police globale classique", premium_basis="CA assuré", premium_rate=0.0017,
             minimum_premium=50000.0, quotite=0.90, discretionary_limit=25000.0, discretionary_quotite=0.90,
             per_claim_deductible=0.0, aggregate_deductible=15000.0, max_indemnity_multiple=40.0,
             limit_request_fee=25.0, monitoring_fee_per_buyer=60.0, waiting_period_days=150,
             payment_delay_days=30, max_extension_days=60, insured_share_export=True),
    ])
    factoring = pd.DataFrame([
        dict(offer_id="FAC-A", factor="Factobanque", contract_type="Affacturage classique notifié",
             notified=True, factoring_fee_rate=0.0025, minimum_factoring_fee=40000.0,
             financing_index="Euribor 3 mois", index_rate=0.0205, financing_margin=0.012, value_days=2,
             guarantee_fund_rate=0.10, per_invoice_fee=0.0, per_buyer_fee=60.0, dispute_fee=25.0,
             credit_insurance_included=True, guarantee_quotite=0.90, max_overdue_days=90, setup_fee=3000.0),
        dict(offer_id="FAC-B", factor="Finaxo Factor", contract_type="Affacturage confidentiel (non notifié)",
             notified=False, factoring_fee_rate=0.0018, minimum_factoring_fee=30000.0,
             financing_index="Euribor 3 mois", index_rate=0.0205, financing_margin=0.0095, value_days=3,
             guarantee_fund_rate=0.12, per_invoice_fee=4.5, per_buyer_fee=0.0, dispute_fee=40.0,
             credit_insurance_included=False, guarantee_quotite=0.0, max_overdue_days=60, setup_fee=5000.0),
    ])
    collection = pd.DataFrame([
        dict(offer_id="REC-A", provider="Recouvra Conseil", model="Agence de recouvrement", file_fee=0.0,
             annual_subscription=0.0, minimum_annual_fee=0.0, success_fee_0_90=0.08, success_fee_91_180=0.12,
             success_fee_181_365=0.18, success_fee_over_365=0.25, recovery_0_90=0.88, recovery_91_180=0.68,
             recovery_181_365=0.45, recovery_over_365=0.20, min_file_amount=300.0, handles_disputes=False,
             internal_fte_saved=2.5),
        dict(offer_id="REC-B", provider="ProRecouv Digital", model="Plateforme digitale", file_fee=8.0,
             annual_subscription=24000.0, minimum_annual_fee=30000.0, success_fee_0_90=0.05,
             success_fee_91_180=0.09, success_fee_181_365=0.15, success_fee_over_365=0.22, recovery_0_90=0.90,
             recovery_91_180=0.65, recovery_181_365=0.40, recovery_over_365=0.18, min_file_amount=0.0,
             handles_disputes=False, internal_fte_saved=1.5),
        dict(offer_id="INS-A", provider="Recouvra Insourcing", model="Insourcing", file_fee=0.0,
             annual_subscription=118000.0, minimum_annual_fee=118000.0, success_fee_0_90=0.0,
             success_fee_91_180=0.0, success_fee_181_365=0.0, success_fee_over_365=0.0, recovery_0_90=0.92,
             recovery_91_180=0.70, recovery_181_365=0.45, recovery_over_365=0.20, min_file_amount=0.0,
             handles_disputes=True, internal_fte_saved=2.0),
    ])
    return insurance, factoring, collection


def _insurance_limits(rng, customers, hidden, offers) -> pd.DataFrame:
    rows = []
    failed = customers["insolvency_date"].notna().to_numpy()
    score = np.where(failed, hidden["pre_failure_score"], customers["external_score"])
    for offer in offers.itertuples(index=False):
        strictness = 0.9 if offer.offer_id == "ASS-B" else 1.0
        for i in np.flatnonzero(customers["credit_limit"].to_numpy() > offer.discretionary_limit):
            requested = float(customers.at[i, "credit_limit"])
            s = score[i]
            share = 1.0 if s >= 15 else (rng.uniform(0.7, 1.0) if s >= 12 else rng.uniform(0.3, 0.6) if s >= 9
                                         else rng.uniform(0.0, 0.3) if s >= 6 else 0.0) * strictness
            granted = float(np.floor(requested * share / 1000) * 1000)
            decision = "Refus" if granted == 0 else "Accord total" if granted >= requested else "Accord partiel"
            rows.append(dict(offer_id=offer.offer_id, customer_id=customers.at[i, "customer_id"],
                             limit_requested=requested, limit_granted=granted, decision=decision))
    return pd.DataFrame(rows)
