"""The trainer's decks (nbconvert reveal.js) in Chromium, offline: every marked slide is there, the simulators are
drawn as widgets (not as `VBox(…)` text) with their chart, and nothing is fetched from the Internet."""

from __future__ import annotations

import nbformat
import pytest

from casekit.editions import NOTEBOOKS
from casekit.slides import build_slides, fetch_assets
from conftest import VIEWPORT

DECKS = ["02_valeur_jour_dso", "09_recouvrement_externalise"]
REVEAL = "assets/reveal.js/dist/reveal.js"


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    assets = fetch_assets()
    assert assets, "npm introuvable : les diapositives ne peuvent pas embarquer reveal.js et les widgets"
    return build_slides(tmp_path_factory.mktemp("diapositives"), DECKS, assets)


def marked_slides(stem: str) -> int:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide") for c in nb.cells)


@pytest.mark.parametrize("stem", DECKS)
def test_deck_shows_the_simulators_offline(stem, decks, browser, artefacts):
    deck = next(d for d in decks if d.name.startswith(stem))
    page = browser.new_page(viewport=VIEWPORT)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=30_000)
    total = page.evaluate(f"new Promise(done => require(['{REVEAL}'], R => done(R.getTotalSlides())))")
    assert total == marked_slides(stem)
    assert page.get_by_text("VBox(children").count() == 0
    slider = page.locator(".reveal .widget-slider").first
    slider.wait_for(state="attached", timeout=30_000)
    position = slider.evaluate("s => Array.from(document.querySelectorAll('.slides > section')).findIndex("
                               "h => h.contains(s)) + ',' + Array.from(s.closest('.slides > section')"
                               ".querySelectorAll(':scope > section')).findIndex(v => v.contains(s))")
    h, v = map(int, position.split(","))
    page.evaluate(f"require(['{REVEAL}'], R => R.slide({h}, {v}))")
    page.wait_for_timeout(1000)
    page.screenshot(path=artefacts / f"diapositives-{stem}.png")
    present = page.locator(".reveal section.present section.present, .reveal section.present").last
    assert present.locator(".widget-slider").count() >= 1
    assert present.locator("img").count() >= 1, "le graphique du simulateur manque"
    assert not fetched, f"requêtes vers Internet : {fetched}"
    page.close()
