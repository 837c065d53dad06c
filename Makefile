# Two commands do everything on a fresh machine with Python 3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-browser bench lab app slides install chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP) chromium
	$(BIN)/casekit data generate
	$(BIN)/casekit data validate
	$(BIN)/casekit data describe
	$(BIN)/casekit credit figures
	$(BIN)/casekit externalisation
	$(BIN)/casekit quiz check
	$(BIN)/casekit fiches build
	$(BIN)/casekit build trainee --out sortie/stagiaire
	$(BIN)/casekit reports --session notebooks/rapports/session_demo --out sortie/rapports
	$(BIN)/casekit data fec --as-of 2025-12-31 --out sortie/fil_rouge_FEC20251231.txt
	$(BIN)/casekit diagnostic --fec sortie/fil_rouge_FEC20251231.txt --as-of 2025-12-31 --terms 45 \
		--company "Hexaform SAS (cas fil rouge)" --out sortie/diagnostic
	@echo "Rapports de la session de démonstration : sortie/rapports/index.html"
	@echo "Diagnostic de l'entreprise (cas fil rouge) : sortie/diagnostic/diagnostic.html"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Every notebook, the slides and the Voilà app in Chromium (JupyterLab on loopback); screenshots in build/browser/.
test-browser: $(STAMP) chromium
	$(BIN)/python -m pytest tests/browser --browser -p no:cacheprovider -n 2 --dist load

# Figures on large ledgers (1 and 5 million FEC lines), calculators, notebooks, reports, simulators; not a test.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Chromium renders the fiches to PDF; installed from Debian when we are root, else the fiches stay in HTML.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "Chromium absent : fiches en HTML seulement (Debian : apt-get install chromium)."

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

app: $(STAMP)
	$(BIN)/casekit app

slides: $(STAMP)
	$(BIN)/casekit slides build --out sortie/diapositives

clean:
	rm -rf $(VENV) build dist src/*.egg-info
