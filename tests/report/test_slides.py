"""slides.pptx: title, scorecard (native table), one slide per chart with its takeaway."""

from __future__ import annotations

import base64

import pandas as pd
from pptx import Presentation

from hatoolkit.model.findings import FINDING_COLUMNS
from hatoolkit.report.scorecard import scorecard
from hatoolkit.report.slides import ChartSlide, write_slides

# 1x1 PNG
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg==")


def test_deck(tmp_path):
    png = tmp_path / "c.png"
    png.write_bytes(PIXEL)
    findings = pd.DataFrame(columns=list(FINDING_COLUMNS))
    coverage = pd.DataFrame({"check_id": ["HA001"], "family": ["inputs"], "error": [None]})
    path = write_slides(tmp_path / "s.pptx", title="High-availability audit: x", subtitle="as of now",
                        headline="No findings", card=scorecard(findings, coverage),
                        charts=[ChartSlide("Headroom <b>", "PRD-1 cannot fail over", png)])
    deck = Presentation(str(path))
    assert len(deck.slides) == 3
    assert deck.slide_width * 9 == deck.slide_height * 16
    table = next(s for s in deck.slides[1].shapes if s.has_table).table
    assert table.cell(1, 0).text == "Inputs and data gaps" and len(table.rows) == 8
    chart_texts = [s.text for s in deck.slides[2].shapes if s.has_text_frame]
    assert "Headroom <b>" in chart_texts and "PRD-1 cannot fail over" in chart_texts
