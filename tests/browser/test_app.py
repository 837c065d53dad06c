"""The simulators app served by Voilà, in Chromium: no code on the page, every tab builds its simulators and each
simulator reacts to its controls."""

from __future__ import annotations

import pytest
from pages import ERROR_OUTPUT, exercise_simulator
from servers import start_voila

from casekit.app import TAB_TITLES, by_module
from conftest import VIEWPORT

MODULES = list(by_module())
LOAD_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def app_page(browser, workspace, store):
    server = start_voila(workspace / "voila", store)
    page = browser.new_page(viewport=VIEWPORT)
    try:  # Voilà runs the notebook before the page has loaded: a loaded machine needs more than 30 s
        page.goto(f"{server.url}/?token={server.token}", timeout=LOAD_TIMEOUT_MS)
        page.locator(".lm-TabBar-tab").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        yield page
    finally:
        page.close()
        server.stop()


def test_the_app_shows_no_code(app_page, artefacts):
    app_page.screenshot(path=artefacts / "application-0.png")
    assert app_page.locator(".jp-CodeCell .jp-InputArea:visible, .cm-editor:visible").count() == 0
    assert app_page.get_by_text("import ").count() == 0
    assert app_page.locator(".lm-TabBar-tab").all_inner_texts() == [TAB_TITLES[m] for m in MODULES]


@pytest.mark.parametrize("module", MODULES)
def test_each_tab_builds_and_reacts(module, app_page, artefacts):
    app_page.locator(".lm-TabBar-tab", has_text=TAB_TITLES[module]).click()
    pane = app_page.locator(".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden)")
    sections = pane.locator(":scope > .widget-vbox > .widget-vbox")
    sections.first.locator(".widget-output, .widget-html").nth(1).wait_for(timeout=60_000)
    assert pane.get_by_text("n'a pas pu être chargé").count() == 0
    for n in range(sections.count()):
        section = sections.nth(n)
        section.scroll_into_view_if_needed()
        try:
            exercise_simulator(section)
        finally:
            app_page.screenshot(path=artefacts / f"application-{module}-{n + 1}.png")
    assert pane.locator(ERROR_OUTPUT).count() == 0
