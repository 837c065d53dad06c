"""Shared fixtures: the fil rouge, a small FEC of the project's own extracted from it, and closing charts."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from casekit import fec_from_case, load_case, write_fec  # noqa: E402

SMALL_FEC_CUSTOMERS = 15
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


@pytest.fixture(scope="session")
def small_fec(tmp_path_factory):
    """The FEC of 15 fil rouge customers (every 20th one, 2022–2025), as a company would export it."""
    case = load_case()
    fec = fec_from_case(case, "2025-12-31")
    customers = set(case.customers["customer_id"].iloc[::20].head(SMALL_FEC_CUSTOMERS))
    entries = fec.loc[fec["CompAuxNum"].isin(customers), ["JournalCode", "EcritureNum"]].drop_duplicates()
    small = fec.merge(entries, on=["JournalCode", "EcritureNum"])
    return write_fec(small, tmp_path_factory.mktemp("fec") / "999999999FEC20251231.txt")


@pytest.fixture(scope="module")
def case():
    """The fil rouge, loaded once per test module."""
    return load_case()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the charts a test drew, so that figures do not pile up across tests."""
    yield
    plt.close("all")


def pytest_addoption(parser):
    parser.addoption("--browser", action="store_true",
                     help="also run the browser tests of tests/browser (JupyterLab and Voilà in Chromium)")


def pytest_ignore_collect(collection_path, config):
    """The browser tests run only with `--browser` (`make test-browser`), not in `make test`."""
    if collection_path.is_relative_to(BROWSER_TESTS) and not config.getoption("--browser"):
        return True
    return None
