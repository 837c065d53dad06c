"""Externalisation calculators: credit insurance, factoring (cost, eligibility, PCG entries, CCV
reconciliation), outsourced collection, and the side-by-side comparison of the three solutions.

Import from the modules: `casekit.outsourcing.insurance`, `.factoring`, `.factoring_accounting`,
`.collection`, `.comparison`. Offer parameters are frozen dataclasses built from the fil rouge tables with
`Offer.from_row(row)` / `Offer.offers_from_table(df)`; move any parameter with `dataclasses.replace`.
"""
