"""Small horizontal bar charts as data for an inline SVG (drawn by the template)."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
LABEL_WIDTH = 170
BAR_MAX = 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_max: int = BAR_MAX

    @property
    def width(self) -> int:
        return self.label_width + self.bar_max + 60


def bar_chart(title: str, counts: dict[str, int]) -> Chart:
    """Bars sorted by value (largest first), scaled to the largest."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max((v for _, v in items), default=0)
    bars = [
        Bar(
            label=label,
            value=value,
            y=i * BAR_HEIGHT,
            width=round(BAR_MAX * value / top) if top else 0,
        )
        for i, (label, value) in enumerate(items)
    ]
    return Chart(title=title, bars=bars, height=max(1, len(bars)) * BAR_HEIGHT)
