"""Geometry for the small attachment chart: two scores as points on a 2-D plane.

Pure Python; templates/attachment/partials/chart.html draws it as inline SVG (no chart
library, no script, no inline styles: the CSP forbids them, so colour comes from classes).
Avoidance runs left to right, anxiety bottom to top; the cut-off lines split the four
regions.
"""

from dataclasses import dataclass

from .assessment import CUTOFF, SCALE_MAX, SCALE_MIN, STYLE_GUIDES, classify

WIDTH = 320
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 44, 308, 12, 252  # plot area inside the view box


@dataclass(frozen=True)
class Region:
    style: str
    label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Point:
    label: str
    anxiety: float
    avoidance: float
    style: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    css: str
    text: str  # the point in words, for <desc> and the text equivalent


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    regions: tuple[Region, ...]
    points: tuple[Point, ...]
    ticks: tuple[tuple[int, float, float], ...]  # (value, x, y)
    cut_x: float
    cut_y: float
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def axis_x_label_y(self) -> int:
        return self.bottom + 36

    @property
    def axis_y_label_x(self) -> int:
        return 14

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def mid_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


def _x(avoidance: float) -> float:
    return LEFT + (avoidance - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (RIGHT - LEFT)


def _y(anxiety: float) -> float:
    return BOTTOM - (anxiety - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (BOTTOM - TOP)


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def describe_point(label: str, anxiety: float, avoidance: float) -> str:
    style = classify(anxiety, avoidance)
    guide = STYLE_GUIDES[style]
    return (
        f"{label}: anxiety {_fmt(anxiety)} and avoidance {_fmt(avoidance)} out of 7, "
        f"in the {guide.name.split(' (')[0].lower()} region: {guide.region}."
    )


def build_chart(
    chart_id: str, points: list[tuple[str, float, float]], *, title: str | None = None
) -> Chart:
    """points: (label, anxiety, avoidance). chart_id must be unique on the page."""
    cut_x, cut_y = _x(CUTOFF), _y(CUTOFF)
    pad = 8
    regions = (
        Region("anxious", "Anxious", LEFT, TOP, cut_x - LEFT, cut_y - TOP,
               LEFT + pad, TOP + 16, "start"),
        Region("disorganized", "Disorganized", cut_x, TOP, RIGHT - cut_x, cut_y - TOP,
               RIGHT - pad, TOP + 16, "end"),
        Region("secure", "Secure", LEFT, cut_y, cut_x - LEFT, BOTTOM - cut_y,
               LEFT + pad, BOTTOM - pad, "start"),
        Region("avoidant", "Avoidant", cut_x, cut_y, RIGHT - cut_x, BOTTOM - cut_y,
               RIGHT - pad, BOTTOM - pad, "end"),
    )  # fmt: skip
    drawn = []
    for index, (label, anxiety, avoidance) in enumerate(points):
        x, y = _x(avoidance), _y(anxiety)
        # Labels sit to the right of their point unless that would run off the plot.
        flip = x > RIGHT - 72
        drawn.append(
            Point(
                label=label,
                anxiety=anxiety,
                avoidance=avoidance,
                style=classify(anxiety, avoidance),
                x=round(x, 1),
                y=round(y, 1),
                label_x=round(x - 10 if flip else x + 10, 1),
                label_y=round(y + 4, 1),
                anchor="end" if flip else "start",
                css=f"chart-point chart-point--{index % 2 + 1}",
                text=describe_point(label, anxiety, avoidance),
            )
        )
    ticks = tuple((v, round(_x(v), 1), round(_y(v), 1)) for v in (SCALE_MIN, 4, SCALE_MAX))
    title = title or "Attachment chart: anxiety against avoidance"
    desc = (
        "Avoidance runs from 1 on the left to 7 on the right; anxiety from 1 at the bottom "
        "to 7 at the top. Lines at 4 divide four regions: secure (lower left), anxious "
        "(upper left), avoidant (lower right) and disorganized (upper right). "
        + " ".join(p.text for p in drawn)
    )
    return Chart(
        id=chart_id,
        title=title,
        desc=desc,
        regions=regions,
        points=tuple(drawn),
        ticks=ticks,
        cut_x=round(cut_x, 1),
        cut_y=round(cut_y, 1),
    )
