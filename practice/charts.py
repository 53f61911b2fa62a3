"""Small server-rendered SVG charts: coordinates computed here, drawn by a template."""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


@dataclass
class Series:
    name: str
    css: str  # "a" or "b": the colour in app.css
    values: list[float | None]  # one per x position; None leaves a gap
    segments: list[str] = field(default_factory=list)  # "x,y x,y ..." polylines
    dots: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, value


@dataclass
class Chart:
    title: str
    description: str
    labels: list[str]
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: float = HEIGHT - BOTTOM
    right_x: float = WIDTH - RIGHT


def line_chart(
    title: str, description: str, labels: list[str], series: list[Series], *, y_min=1, y_max=5
) -> Chart:
    count = len(labels)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - (v - y_min) / (y_max - y_min)), 1)

    for s in series:
        current: list[str] = []
        for i, value in enumerate(s.values):
            if value is None:
                if current:
                    s.segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{x(i)},{y(value)}")
            s.dots.append((x(i), y(value), value))
        if current:
            s.segments.append(" ".join(current))
    step = max(1, count // 6)
    x_ticks = [(x(i), labels[i]) for i in range(0, count, step)]
    y_ticks = [(y(v), str(v)) for v in range(int(y_min), int(y_max) + 1)]
    return Chart(title, description, labels, series, y_ticks, x_ticks)
