"""`casekit fiches build`: refresh the fiches' generated blocks, render them and their index to HTML and PDF.

HTML: Markdown rendered by mistune, with `style.css` (screen and print) inlined, so a page opens offline. Links
between fiches point to the HTML; links to notebooks are rebased to the output folder. PDF: one per fiche, by
Chromium headless (`chromium --print-to-pdf`) when it is installed; otherwise the HTML is kept and a French
message says how to install it.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import mistune
from tqdm import tqdm

from casekit.chromium import find_chromium, render_pdf
from casekit.errors import DataError
from casekit.fiches import FICHES_DIR, ROOT, fiche_paths, read_fiche, refresh_text
from casekit.fiches.blocks import FicheContext

OUT_DIR = ROOT / "sortie" / "fiches"
CSS = Path(__file__).with_name("style.css")
LINK_RE = re.compile(r'(href|src)="([^"#:]+)(#[^"]*)?"')
_markdown = mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)


def refresh_sources(sources: list[Path], context: FicheContext) -> list[Path]:
    """Rewrite the generated blocks of `sources` (and their charts); return the fiches that changed."""
    changed = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        new = refresh_text(text, context)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def _rebase(body: str, source: Path, out_dir: Path) -> str:
    """Fiche links → their HTML; other relative links (notebooks, images) → valid from `out_dir`."""
    def fix(match):
        attr, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        resolved = (source.parent / target).resolve()
        if resolved.suffix == ".md" and resolved.parent == source.parent.resolve():
            return f'{attr}="{resolved.stem}.html{anchor}"'
        return f'{attr}="{os.path.relpath(resolved, out_dir)}{anchor}"'
    return LINK_RE.sub(fix, body)


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>\n{CSS.read_text(encoding='utf-8')}</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
            "</body>\n</html>\n")


def render_html(source: Path, out_dir: Path) -> Path:
    fiche = read_fiche(source)
    body = _rebase(_markdown(fiche.text), source, out_dir)
    target = out_dir / f"{fiche.slug}.html"
    target.write_text(page(fiche.title, body), encoding="utf-8")
    return target


def render_index(sources: list[Path], out_dir: Path, with_pdf: bool) -> Path:
    rows = []
    for source in sources:
        fiche = read_fiche(source)
        pdf = f' — <a href="{fiche.slug}.pdf">PDF</a>' if with_pdf else ""
        rows.append(f'<li><a href="{fiche.slug}.html">{html.escape(fiche.title)}</a>{pdf}</li>')
    body = ("<h1>Fiches pratiques du crédit clients</h1>\n<p>Une fiche par méthode clé, chiffrée sur le cas fil "
            "rouge ; chaque fiche renvoie au notebook qui approfondit.</p>\n<ol>\n" + "\n".join(rows) + "\n</ol>\n")
    target = out_dir / "index.html"
    target.write_text(page("Fiches pratiques", body), encoding="utf-8")
    return target


def select(folder: Path, only: list[str] | None) -> list[Path]:
    """The fiches named in `only` (slugs, e.g. `dso`), or all of them; an unknown name is a French error."""
    sources = fiche_paths(folder)
    if not only:
        return sources
    unknown = sorted(set(only) - {p.stem for p in sources})
    if unknown:
        raise DataError(f"fiche(s) inconnue(s) : {', '.join(unknown)} (fiches : {', '.join(p.stem for p in sources)})")
    return [p for p in sources if p.stem in only]


def build(out_dir: Path = OUT_DIR, folder: Path = FICHES_DIR, pdf: bool = True, only: list[str] | None = None) -> dict:
    """Refresh, then render the fiches (all, or those in `only`) to HTML (and PDF) in `out_dir`, with the index of
    all fiches. Returns what was done."""
    folder = Path(folder)
    chosen = select(folder, only)
    changed = refresh_sources(chosen, FicheContext(img_dir=folder / "img"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = fiche_paths(folder)
    chromium = find_chromium() if pdf else None
    written = []
    for source in tqdm(chosen, desc="Fiches", unit="fiche"):
        html_path = render_html(source, out_dir)
        written.append(html_path)
        if chromium:
            written.append(render_pdf(html_path, chromium))
    written.append(render_index(sources, out_dir, chromium is not None))
    shutil.rmtree(out_dir / ".chromium-profile", ignore_errors=True)
    return {"changed": changed, "written": written, "pdf": chromium is not None}


def _build(args) -> int:
    result = build(Path(args.out), pdf=not args.no_pdf, only=args.names)
    for path in result["changed"]:
        print(f"Chiffres mis à jour : {path.relative_to(ROOT)}")
    fiches = sum(1 for p in result["written"] if p.suffix == ".html") - 1
    print(f"{fiches} fiches en HTML{' et PDF' if result['pdf'] else ''} ; index : {Path(args.out) / 'index.html'}")
    if not result["pdf"] and not args.no_pdf:
        print("PDF non produits : Chromium est absent (Debian : apt-get install chromium).")
    return 0


def _check(args) -> int:
    stale = [p for p in fiche_paths() if refresh_text(p.read_text(encoding="utf-8"), FicheContext())
             != p.read_text(encoding="utf-8")]
    for path in stale:
        print(f"Fiche à régénérer (casekit fiches build) : {path.relative_to(ROOT)}")
    print(f"{len(fiche_paths()) - len(stale)} fiches à jour sur {len(fiche_paths())}.")
    return 1 if stale else 0


def register(subparsers) -> None:
    """Add `casekit fiches build` and `casekit fiches check`."""
    fiches = subparsers.add_parser("fiches", help="Fiches pratiques : chiffres, HTML et PDF")
    commands = fiches.add_subparsers(dest="fiches_command", required=True)
    run = commands.add_parser("build", help="Mettre à jour les chiffres, produire HTML, PDF et index")
    run.add_argument("names", nargs="*", metavar="FICHE", help="fiches à produire (par défaut : toutes), ex. dso")
    run.add_argument("--out", default=str(OUT_DIR), help="dossier de sortie (par défaut : sortie/fiches/)")
    run.add_argument("--no-pdf", action="store_true", help="ne pas produire les PDF")
    run.set_defaults(func=_build)
    check = commands.add_parser("check", help="Vérifier que les chiffres des fiches sont ceux de casekit")
    check.set_defaults(func=_check)
