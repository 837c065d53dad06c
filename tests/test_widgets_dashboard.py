"""The dashboard month picker driven headlessly: pick a month end, read its indicators."""

import io

import matplotlib

matplotlib.use("Agg")


from PIL import Image  # noqa: E402

from casekit import fmt  # noqa: E402
from casekit.credit.dashboard import dashboard  # noqa: E402
from casekit.widgets.blitting import Blitter, frame_key  # noqa: E402
from casekit.widgets.dashboard import dashboard_simulator  # noqa: E402


def test_month_picker_shows_the_months_computed_when_built(case):
    sim = dashboard_simulator(case, months=["2025-11", "2025-12"], dso_target=65, chart=False)
    assert sim.month.value == "2025-12" and "Tableau de bord au 31/12/2025" in sim.result.value
    december = dashboard(case, "2025-12").indicators
    assert fmt.days(december["dso_accounting"]) in sim.result.value  # 70,7 jours
    assert "au-dessus de l'objectif de 65" in sim.result.value.replace("\u00a0", " ")
    sim.month.value = "2025-11"
    november = dashboard(case, "2025-11").indicators
    assert "Tableau de bord au 30/11/2025" in sim.result.value
    assert fmt.euros(november["receivables"], 0) in sim.result.value
    assert sim.board.indicators.equals(november)
    assert set(sim.boards) == {"2025-11", "2025-12"}  # both computed when the picker was built


def test_charts_are_a_png(case):
    sim = dashboard_simulator(case, months=["2025-12"])
    assert sim.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(sim.image.value)).size == (1280, 800)  # 16 × 10 inches at 80 dpi
    assert [str(o[1]) for o in sim.month.options] == ["2025-12"]
    assert sim.month.options[0][0] == "31/12/2025"


def test_a_month_picked_redraws_its_data_in_the_same_frame(case, monkeypatch):
    # one figure on scales covering both months: the second month is drawn over the first one's frame
    keys, png = [], Blitter.png
    monkeypatch.setattr(Blitter, "png", lambda self, figure: keys.append(frame_key(figure)) or png(self, figure))
    sim = dashboard_simulator(case, months=["2025-11", "2025-12"], dso_target=65)
    december = bytes(sim.image.value)
    sim.month.value = "2025-11"
    assert len(keys) == 2 and keys[0] == keys[1] is not None
    assert bytes(sim.image.value) != december
    aged = sim.chart.figure.axes[1]
    assert aged.texts[-1].get_text() == fmt.euros(sim.boards["2025-11"].aged["total"], 0)
    assert [bar.get_height() for bar in aged.patches] == list(sim.boards["2025-11"].aged.drop("total"))
