"""The trainer's slides: each course notebook as a reveal.js deck, built by nbconvert from the executed notebook.

Why not jupyterlab-rise (live slides inside JupyterLab)? Checked in Chromium with jupyterlab-rise 0.43.1 and
ipywidgets 8.1.9: the slides show a widget's text (`VBox(children=…)`) instead of the simulator (the extension's
issue #119). nbconvert's slides render the widgets from the state saved at execution (the simulator as it first
appears; to move it, the trainer switches to JupyterLab or to the app, `casekit app`).

Cells carry the standard `slideshow.slide_type` metadata, set by `slide_type` (`casekit slides mark`): every
section (`#`, `##`) opens a slide, sub-sections, exercises, charts and simulators open a sub-slide (below, in
reveal.js), "ce qu'il faut en retenir" appears as a fragment, and code the audience needs not see is skipped (setup,
solutions, checks, cells without output). The decks hide the code: a credit manager reads results, not Python.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from tqdm import tqdm

from casekit.editions import NOTEBOOKS, OUTPUT_DIR, ROOT, execute_notebook, in_sources, notebook_paths, select_notebooks
from casekit.errors import DataError

ASSETS_CACHE = ROOT / "build" / "slides-assets"
# npm packages served beside the decks, so that they work without Internet: reveal.js, the widget renderer.
NPM_PACKAGES = {"reveal.js@4.6.1": ["dist", "plugin/notes"], "@jupyter-widgets/html-manager@1.0.15": ["dist"],
                "requirejs@2.3.8": ["require.js"], "jquery@2.2.4": ["dist/jquery.min.js"]}
# The notebooks use neither LaTeX nor Mermaid diagrams: the decks load empty modules instead of fetching them.
NO_MATHJAX = "data:text/javascript,"
NO_MERMAID = "data:text/javascript,export default {initialize() {}};"
# reveal.js's white theme (its fonts are local) with headings as written, and long titles that fit.
STYLE = ("<style>.reveal h1, .reveal h2, .reveal h3 {text-transform: none;} .reveal h1 {font-size: 1.7em;} "
         ".reveal h2 {font-size: 1.3em;} .reveal {font-size: 30px;}</style>")
SKIPPED_TAGS = {"parameters", "solution", "exercise"}
CHART = "image/png"
WIDGET = "application/vnd.jupyter.widget-view+json"


def _outputs(cell) -> set[str]:
    kinds = set()
    for output in cell.get("outputs", []):
        kinds.add(output["output_type"])
        kinds.update(output.get("data", {}))
    return kinds


def slide_type(cell, started: bool) -> str:
    """The reveal.js role of a cell; `started` is False before the first section heading (the setup)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    text = cell.source.lstrip()
    if cell.cell_type == "markdown":
        if text.startswith(("# ", "## ")):
            return "slide"
        if text.startswith(("### ", "**Exercice")):
            return "subslide"
        return "fragment" if text.startswith("**Ce qu'il faut en retenir") else "-"
    outputs = _outputs(cell)
    if not started or tags & SKIPPED_TAGS or not outputs:
        return "skip"
    return "subslide" if outputs & {CHART, WIDGET} else "-"


def mark_slides(nb) -> int:
    """Set `slideshow.slide_type` on every cell of `nb`; return how many cells changed."""
    started, changed = False, 0
    for index, cell in enumerate(nb.cells):
        started = started or (cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "))
        kind = "slide" if index == 0 else slide_type(cell, started)
        if cell.metadata.get("slideshow", {}).get("slide_type") != kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
            changed += 1
    return changed


def mark_notebooks(paths=None) -> int:
    """Mark the course notebooks in place (only those that change are rewritten); return the cells changed."""
    total = 0
    for path in paths or notebook_paths():
        nb = nbformat.read(path, as_version=4)
        changed = mark_slides(nb)
        if changed:
            nbformat.write(nb, path)
        total += changed
    return total


def fetch_assets(cache: Path = ASSETS_CACHE) -> Path | None:
    """reveal.js, the widget renderer and require.js from the npm registry (`npm pack`), kept in `cache`;
    None when npm is missing or fails (the decks then load them from the Internet)."""
    cache = Path(cache)
    if (cache / ".complete").is_file():
        return cache
    npm = shutil.which("npm")
    if npm is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run([npm, "pack", "--silent", *NPM_PACKAGES], cwd=tmp, capture_output=True, text=True,
                                timeout=300)
        archives = sorted(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or len(archives) != len(NPM_PACKAGES):
            return None
        shutil.rmtree(cache, ignore_errors=True)
        for (package, parts), archive in zip(NPM_PACKAGES.items(), _by_package(archives)):
            _extract(archive, cache / package.rsplit("@", 1)[0].split("/")[-1], parts)
    (cache / ".complete").write_text("\n".join(NPM_PACKAGES))
    return cache


def _by_package(archives: list[Path]) -> list[Path]:
    """The archives in the order of NPM_PACKAGES (npm names them `scope-name-version.tgz`)."""
    def name(package: str) -> str:
        return package.lstrip("@").replace("/", "-").replace("@", "-")
    return [next(a for a in archives if a.name == f"{name(p)}.tgz") for p in NPM_PACKAGES]


def _extract(archive: Path, target: Path, parts: list[str]) -> None:
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and not m.name.endswith(".map")
                   and any(m.name == f"package/{p}" or m.name.startswith(f"package/{p}/") for p in parts)]
        for member in members:
            member.name = member.name.removeprefix("package/")
        tar.extractall(target, members=members, filter="data")


def exporter(assets: str | None) -> SlidesExporter:
    """nbconvert's reveal.js exporter, code hidden; `assets`: URL prefix of the local copies (None: Internet)."""
    slides = SlidesExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            reveal_theme="white", reveal_transition="none", reveal_scroll=True,
                            reveal_number="c/t", mathjax_url=NO_MATHJAX, mermaid_js_url=NO_MERMAID)
    if assets:
        slides.reveal_url_prefix = f"{assets}/reveal.js"
        slides.widget_renderer_url = f"{assets}/html-manager/dist/embed-amd.js"
        slides.require_js_url = f"{assets}/requirejs/require.js"
        slides.jquery_url = f"{assets}/jquery/dist/jquery.min.js"
    return slides


def build_slides(out: Path, names=None, assets: Path | None = None, source: Path = NOTEBOOKS) -> list[Path]:
    """Write one deck per course notebook into `out` (`<notebook>.slides.html`, and `index.html`); each notebook
    is executed on a copy so that its simulators' state is saved. Returns the decks written."""
    out = Path(out).resolve()
    if in_sources(out):
        raise DataError("le dossier des diapositives doit être hors des sources (par exemple sortie/)", path=out)
    paths = select_notebooks(names, source)
    out.mkdir(parents=True, exist_ok=True)
    if assets:
        shutil.copytree(assets, out / "assets", dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete"))
    slides, decks = exporter("assets" if assets else None), []
    with tempfile.TemporaryDirectory(prefix="casekit_diapos_") as tmp:
        for path in tqdm(paths, desc="Diapositives", unit="notebook"):
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            execute_notebook(copy, kernel_cwd=source, keep_widgets=True)
            body, _ = slides.from_notebook_node(nbformat.read(copy, as_version=4))
            body = body.replace("</head>", STYLE + "</head>", 1)
            deck = out / f"{path.stem}.slides.html"
            deck.write_text(body, encoding="utf-8")
            decks.append(deck)
    (out / "index.html").write_text(_index(decks), encoding="utf-8")
    return decks


def _index(decks: list[Path]) -> str:
    items = "".join(f'<li><a href="{d.name}">{d.name.removesuffix(".slides.html")}</a></li>' for d in decks)
    return ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Diapositives</title></head>"
            f"<body><h1>Diapositives de la formation</h1><ul>{items}</ul>"
            "<p>Flèches ← → : sections ; ↑ ↓ : pages d'une section ; Échap : vue d'ensemble.</p></body></html>")


def _build(args) -> int:
    assets = None if args.online else fetch_assets()
    if assets is None and not args.online:
        print("npm indisponible : les diapositives chargeront reveal.js et les widgets depuis Internet.")
    decks = build_slides(Path(args.out), args.names, assets)
    print(f"{len(decks)} présentation(s) dans {args.out} ; ouvrez {Path(args.out) / 'index.html'}")
    return 0


def _mark(args) -> int:
    print(f"Métadonnées de diapositives : {mark_notebooks()} cellule(s) mise(s) à jour.")
    return 0


def register(subparsers) -> None:
    """Add `casekit slides build [NOM…] --out DOSSIER [--online]` and `casekit slides mark`."""
    slides = subparsers.add_parser("slides", help="Diapositives reveal.js des notebooks, pour le formateur")
    commands = slides.add_subparsers(dest="slides_command", required=True)
    build = commands.add_parser("build", help="Écrire une présentation par notebook (code masqué)")
    build.add_argument("names", nargs="*", help="début du nom des notebooks (ex. 02 04a) ; par défaut tous")
    build.add_argument("--out", default=str(OUTPUT_DIR / "diapositives"), help="dossier de sortie")
    build.add_argument("--online", action="store_true",
                       help="charger reveal.js et les widgets depuis Internet (sans npm)")
    build.set_defaults(func=_build)
    mark = commands.add_parser("mark", help="Marquer les cellules des notebooks (diapositive, fragment, masquée)")
    mark.set_defaults(func=_mark)
