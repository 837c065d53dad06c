"""Credit-management calculators (programme « Management du poste crédit clients »), one concept per module.

`dso` and `dso_value` (DSO, value of a day), `aged_balance` and `excel` (aged balance and its export),
`penalties` (late-payment penalties, LME terms), and the modules for scoring, dunning, disputes, calls,
priorities and cash forecast. Import from the modules or from `casekit` itself.
"""
