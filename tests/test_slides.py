"""Slides: the rule that marks each cell, the marks committed in the notebooks, the decks nbconvert writes."""


import nbformat
import pytest

from casekit import slides
from casekit.editions import notebook_paths
from casekit.errors import DataError

v4 = nbformat.v4
PNG = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}, "metadata": {}}
WIDGET = {"output_type": "display_data", "metadata": {},
          "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2,
                                                                "version_minor": 0}, "text/plain": "VBox()"}}
TABLE = {"output_type": "display_data", "data": {"text/html": "<table></table>"}, "metadata": {}}


def code(outputs=(), tags=()):
    return v4.new_code_cell("x = 1", outputs=list(outputs), metadata={"tags": list(tags)})


@pytest.mark.parametrize("text, expected", [
    ("# Module 2", "slide"), ("## 3. La valeur d'un jour", "slide"), ("### 2.2 Épuisement", "subslide"),
    ("**Exercice 02.1** – Calculez", "subslide"), ("**Ce qu'il faut en retenir.** Un DSO…", "fragment"),
    ("Lecture du tableau :", "-"), ("#hashtag sans espace", "-"),
])
def test_markdown_cells(text, expected):
    assert slides.slide_type(v4.new_markdown_cell(text), started=True) == expected


@pytest.mark.parametrize("cell, started, expected", [
    (code([TABLE]), False, "skip"),                 # setup, before the first section
    (code([TABLE], ["parameters"]), True, "skip"),
    (code([], ["solution"]), True, "skip"),
    (code([TABLE], ["exercise"]), True, "skip"),   # a check shows the right answer
    (code([]), True, "skip"),                       # nothing to show once the code is hidden
    (code([PNG]), True, "subslide"),
    (code([WIDGET]), True, "subslide"),
    (code([TABLE]), True, "-"),
])
def test_code_cells(cell, started, expected):
    assert slides.slide_type(cell, started) == expected


def test_marking_a_notebook_and_marking_it_again():
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("Titre sans dièse"), code([TABLE]),
                                v4.new_markdown_cell("## 1. Section"), code([PNG]), code([TABLE])])
    assert slides.mark_slides(nb) == 5
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == ["slide", "skip", "slide", "subslide", "-"]
    assert slides.mark_slides(nb) == 0


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_committed_notebooks_are_marked(path):
    nb = nbformat.read(path, as_version=4)
    assert slides.mark_slides(nb) == 0, f"{path.name} : lancez `casekit slides mark` et validez les notebooks"
    kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    assert kinds[0] == "slide" and kinds.count("slide") >= 5


def test_exporter_uses_local_copies_when_given():
    local = slides.exporter("assets")
    assert local.reveal_url_prefix == "assets/reveal.js"
    assert local.widget_renderer_url == "assets/html-manager/dist/embed-amd.js"
    assert local.require_js_url == "assets/requirejs/require.js"
    assert local.jquery_url == "assets/jquery/dist/jquery.min.js"
    assert slides.exporter(None).reveal_url_prefix.startswith("https://")


def test_no_npm_means_no_local_copies(tmp_path, monkeypatch):
    monkeypatch.setattr(slides.shutil, "which", lambda name: None)
    assert slides.fetch_assets(tmp_path / "cache") is None


def test_a_complete_cache_is_reused_without_npm(tmp_path, monkeypatch):
    (tmp_path / ".complete").write_text("")
    monkeypatch.setattr(slides.shutil, "which", lambda name: pytest.fail("npm should not be called"))
    assert slides.fetch_assets(tmp_path) == tmp_path


def test_decks_are_written_outside_the_sources_only():
    with pytest.raises(DataError, match="hors des sources"):
        slides.build_slides(slides.ROOT / "notebooks" / "diapos")


def test_a_deck_hides_the_code_and_keeps_the_simulator(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Module test"),
        v4.new_markdown_cell("## 1. Simulateur"),
        v4.new_code_cell("import ipywidgets as w\nw.IntSlider(value=3, description='Curseur')"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    slides.mark_slides(nb)
    nbformat.write(nb, source / "99_test.ipynb")
    assets = tmp_path / "assets"
    (assets / "reveal.js").mkdir(parents=True)
    decks = slides.build_slides(tmp_path / "out", assets=assets, source=source)
    html = decks[0].read_text(encoding="utf-8")
    assert decks[0].name == "99_test.slides.html" and (tmp_path / "out" / "assets" / "reveal.js").is_dir()
    assert "application/vnd.jupyter.widget-state+json" in html and "IntSliderModel" in html
    assert "import ipywidgets" not in html                       # code hidden
    assert "cdnjs" not in html and "unpkg" not in html            # nothing fetched from the Internet
    assert html.count('<section') >= 3                            # title, section, sub-slide of the widget
    assert "99_test.slides.html" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
