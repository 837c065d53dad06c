"""Fixtures of the browser tests: a copy of the notebooks, JupyterLab serving it, Chromium driven by Playwright.

Screenshots are written to `build/browser/` (kept after the run, to be looked at).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from servers import start_lab

from casekit.chromium import CHROMIUM_FLAGS, find_chromium
from casekit.editions import NOTEBOOKS

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "browser"
VIEWPORT = {"width": 1400, "height": 900}


def pytest_sessionstart(session):
    """Screenshots of the previous run removed once, by the main process (not by each xdist worker)."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(ARTEFACTS, ignore_errors=True)


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """A copy of the notebooks (Run All and autosave must not touch the committed ones) and an empty store."""
    root = tmp_path_factory.mktemp("salle")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns("rapports", ".ipynb_checkpoints"))
    (root / "reponses").mkdir()
    return root


@pytest.fixture(scope="session")
def store(workspace) -> Path:
    return workspace / "reponses"


@pytest.fixture(scope="session")
def lab(workspace, store):
    server = start_lab(workspace / "notebooks", workspace / "lab", store)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("Chromium introuvable : `make chromium` l'installe (Debian : apt-get install chromium)")
    flags = [f for f in CHROMIUM_FLAGS if f not in ("--headless", "--no-pdf-header-footer")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=flags)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
