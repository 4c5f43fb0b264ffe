"""slides.pptx for architecture reviews: a title slide, the scorecard, one slide per key chart.

Charts come from the static export (PNG at 1920x1080, the same 16:9 as the slide), each with the
one-line takeaway its figure function computed. The scorecard is a native table, so it can be
edited and restyled in PowerPoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hatoolkit.report import theme
from hatoolkit.report.scorecard import SEVERITIES_WORST_FIRST


@dataclass(frozen=True)
class ChartSlide:
    title: str
    takeaway: str
    png: Path


def _rgb(hex_color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _text(slide, text: str, left, top, width, height, *, size: int, bold: bool = False, color: str = theme.INK):
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)
    return box


def write_slides(path: Path, *, title: str, subtitle: str, headline: str, card: pd.DataFrame,
                 charts: list[ChartSlide]) -> Path:
    """Write the deck; `card` is report.scorecard.scorecard(...)."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13.333 x 7.5 in
    blank = prs.slide_layouts[6]
    width = prs.slide_width

    slide = prs.slides.add_slide(blank)
    _text(slide, title, Inches(0.8), Inches(2.3), width - Inches(1.6), Inches(1.2), size=40, bold=True)
    _text(slide, subtitle, Inches(0.8), Inches(3.6), width - Inches(1.6), Inches(0.8), size=20, color=theme.MUTED)
    _text(slide, headline, Inches(0.8), Inches(4.5), width - Inches(1.6), Inches(1.0), size=20, color=theme.ACCENT)

    slide = prs.slides.add_slide(blank)
    _text(slide, "Scorecard by concern", Inches(0.5), Inches(0.3), width - Inches(1), Inches(0.8), size=28, bold=True)
    cols = ["title", *SEVERITIES_WORST_FIRST, "unknown", "verdict"]
    heads = ["Concern", *[s.capitalize() for s in SEVERITIES_WORST_FIRST], "Unknown", "Verdict"]
    shape = slide.shapes.add_table(len(card) + 1, len(cols), Inches(0.5), Inches(1.3), width - Inches(1),
                                   Inches(0.5) * (len(card) + 1))
    table = shape.table
    table.columns[0].width = Inches(3.4)
    table.columns[len(cols) - 1].width = Inches(3.2)
    for j in range(1, len(cols) - 1):
        table.columns[j].width = Inches(0.89)
    for j, head in enumerate(heads):
        table.cell(0, j).text = head
    for i, (_, row) in enumerate(card.iterrows(), start=1):
        for j, col in enumerate(cols):
            cell = table.cell(i, j)
            cell.text = str(row[col])
            run = cell.text_frame.paragraphs[0].runs[0]
            run.font.size = Pt(14)
            if col in SEVERITIES_WORST_FIRST and row[col]:
                run.font.bold = True
                run.font.color.rgb = _rgb(theme.SEVERITY_COLORS[col])

    for chart in charts:
        slide = prs.slides.add_slide(blank)
        _text(slide, chart.title, Inches(0.5), Inches(0.2), width - Inches(1), Inches(0.6), size=24, bold=True)
        pic_height = Inches(5.9)
        pic_width = int(pic_height * 16 / 9)
        slide.shapes.add_picture(str(chart.png), int((width - pic_width) / 2), Inches(0.85), pic_width, pic_height)
        _text(slide, chart.takeaway, Inches(0.5), Inches(6.8), width - Inches(1), Inches(0.6), size=16,
              color=theme.ACCENT)
    prs.save(str(path))
    return path
