"""Horizontal bar charts as plain SVG, drawn by the server (no JavaScript, no chart library).

The geometry is worked out here; templates/cases/_bar_chart.html draws it. Every chart
goes out with a data table of the same numbers, so nothing depends on seeing the bars.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
LABEL_W = 210  # room for "Disciplinary referral" and "Not decided yet"
VALUE_W = 48
BAR_H = 22
GAP = 10
PAD = 8


@dataclass
class Bar:
    label: str
    value: int
    width: float
    y: float
    key: str = ""
    detail: str = ""  # a longer description for the data table (a clause's subject)

    @property
    def text_y(self) -> float:
        return self.y + BAR_H / 2

    @property
    def value_x(self) -> float:
        return LABEL_W + self.width + 6


@dataclass
class BarChart:
    slug: str  # for element ids
    title: str
    description: str
    unit: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return PAD * 2 + max(1, len(self.bars)) * (BAR_H + GAP) - GAP

    @property
    def label_x(self) -> int:
        return LABEL_W - 8

    @property
    def axis_x(self) -> int:
        return LABEL_W

    @property
    def bar_h(self) -> int:
        return BAR_H

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def empty(self) -> bool:
        return self.total == 0


Row = tuple[str, int, str, str]  # label, value, key, detail


def bar_chart(slug: str, title: str, rows: list[Row], description: str = "", unit: str = "cases") -> BarChart:
    """A chart of ``rows`` with the bars scaled to the largest value."""
    peak = max((r[1] for r in rows), default=0) or 1
    room = WIDTH - LABEL_W - VALUE_W
    chart = BarChart(slug, title, description, unit)
    for i, (label, value, key, detail) in enumerate(rows):
        width = round(room * value / peak, 1) if value else 0.0
        chart.bars.append(Bar(label, value, width, PAD + i * (BAR_H + GAP), key, detail))
    return chart
