"""Bar charts as server-rendered SVG (pure): no JavaScript, nothing fetched.

A chart is data (``Chart``); ``column_chart_svg`` draws columns over a
category axis (stacked when there are several series: kinds over time),
``bar_chart_svg`` horizontal bars for a ranking (municipalities per capita).
Each bar carries a ``<title>`` (the browser's tooltip, read by screen
readers), the SVG is ``role="img"`` with a label, and the templates put the
same figures in a table beside it (``templates/_scraper_chart.html``).
``month_chart``, ``kind_chart`` and ``capita_chart`` make charts of query rows.

Why not a Datasette chart plugin: datasette-plot needs Datasette 1.0;
datasette-vega (last release 2019) charts a table page in the browser;
datasette-dashboards ships Vega offline but renders through an inline script
and Vega's expression compiler needs ``unsafe-eval``, which the site's
Content-Security-Policy does not allow, and draws on pages of its own, not
ours (README, "Dependencies and why").
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, log10
from typing import Any

from markupsafe import Markup, escape

__all__ = [
    "Chart",
    "Series",
    "bar_chart_svg",
    "capita_chart",
    "column_chart_svg",
    "kind_chart",
    "month_chart",
    "nice_max",
]

#: Months shown in a "per month" chart at most (the newest ones).
MONTHS_SHOWN = 60
#: Kinds drawn as series of their own; the rest are "Övrigt".
KINDS_SHOWN = 4
#: Colours of the series, in order (readable on white, distinct in greyscale).
PALETTE = ("#1f5f99", "#e08a1e", "#3a9a5b", "#b8406e", "#7b5ea7", "#6b6b6b")


@dataclass(frozen=True)
class Series:
    """One series of a chart: a value per label."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A chart's data: categories (labels) and one or more series over them."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    #: What a value counts, for tooltips ("pressmeddelanden").
    unit: str = ""

    def totals(self) -> tuple[float, ...]:
        return tuple(sum(s.values[i] for s in self.series) for i in range(len(self.labels)))

    @property
    def empty(self) -> bool:
        return not self.labels or not any(self.totals())


def nice_max(value: float) -> float:
    """The axis maximum: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** int(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _svg_open(chart: Chart, width: int, height: int) -> str:
    label = escape(chart.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'aria-label="{label}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{label}</title>'
    )


def column_chart_svg(chart: Chart, *, width: int = 720, height: int = 260) -> Markup:
    """Columns over the labels, series stacked; empty when the chart has nothing."""
    if chart.empty:
        return Markup("")
    left, right, top, bottom = 44, 24, 10, 42
    legend = len(chart.series) > 1
    if legend:
        top += 22
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = chart.totals()
    top_value = nice_max(max(totals))
    n = len(chart.labels)
    slot = plot_w / n
    bar = max(1.0, slot * 0.8)
    parts = [_svg_open(chart, width, height)]
    ticks = (0.0, top_value / 2, top_value) if top_value % 2 == 0 else (0.0, top_value)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{_number(tick)}</text>'
        )
    every = max(1, ceil(n / 12))  # at most about 12 labels under the axis
    for i, label in enumerate(chart.labels):
        x = left + i * slot + (slot - bar) / 2
        base = top + plot_h
        for k, series in enumerate(chart.series):
            value = series.values[i]
            if not value:
                continue
            h = plot_h * value / top_value
            base -= h
            name = f"{series.name}: " if legend else ""
            tip = f"{label}: {name}{_number(value)} {chart.unit}".strip()
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
        if i % every == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="#333">{escape(label)}</text>'
            )
    if legend:
        x = left
        for k, series in enumerate(chart.series):
            parts.append(
                f'<rect x="{x}" y="4" width="12" height="12" '
                f'fill="{PALETTE[k % len(PALETTE)]}"/>'
                f'<text x="{x + 16}" y="14" font-size="12" fill="#333">'
                f"{escape(series.name)}</text>"
            )
            x += 28 + 7 * len(series.name)
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart_svg(chart: Chart, *, width: int = 720, row: int = 20) -> Markup:
    """Horizontal bars, one per label, first series only (a ranking)."""
    if chart.empty:
        return Markup("")
    values = chart.series[0].values
    left, right = 190, 60
    height = row * len(values) + 8
    top_value = max(values) or 1.0
    plot_w = width - left - right
    parts = [_svg_open(chart, width, height)]
    for i, (label, value) in enumerate(zip(chart.labels, values, strict=True)):
        y = 4 + i * row
        w = plot_w * value / top_value
        tip = f"{label}: {_number(value)} {chart.unit}".strip()
        parts.append(
            f'<text x="{left - 6}" y="{y + row * 0.7:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" '
            f'fill="{PALETTE[0]}"><title>{escape(tip)}</title></rect>'
            f'<text x="{left + w + 4:.1f}" y="{y + row * 0.7:.1f}" font-size="12" '
            f'fill="#333">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# --------------------------------------------------------------------------
# Charts from query rows


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def month_chart(counts: list[tuple[str, int]], title: str) -> Chart:
    """Releases per month, every month between the first and the last (at most the
    newest ``MONTHS_SHOWN``), months without releases as zero."""
    valid = [(m, n) for m, n in counts if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit()]
    if not valid:
        return Chart(title=title, labels=(), series=(), unit="pressmeddelanden")
    months = _month_range(valid[0][0], valid[-1][0])
    if len(months) > MONTHS_SHOWN:
        months = months[-MONTHS_SHOWN:]
        title += f" (de senaste {MONTHS_SHOWN} månaderna)"
    by_month = dict(valid)
    return Chart(
        title=title,
        labels=tuple(months),
        series=(Series("Pressmeddelanden", tuple(by_month.get(m, 0) for m in months)),),
        unit="pressmeddelanden",
    )


def kind_chart(rows: list[dict[str, Any]], title: str) -> Chart:
    """Releases per year, stacked by kind (the ``KINDS_SHOWN`` commonest, then "Övrigt")."""
    if not rows:
        return Chart(title=title, labels=(), series=(), unit="pressmeddelanden")
    totals: dict[str, int] = {}
    for row in rows:
        kind = row["kind"] or "Okänd typ"
        totals[kind] = totals.get(kind, 0) + row["n"]
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    shown = ranked if len(ranked) <= KINDS_SHOWN + 1 else ranked[:KINDS_SHOWN]
    names = shown + (["Övrigt"] if len(ranked) > len(shown) else [])
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))
    grid = {(y, name): 0 for y in years for name in names}
    for row in rows:
        kind = row["kind"] or "Okänd typ"
        grid[(row["year"], kind if kind in shown else "Övrigt")] += row["n"]
    return Chart(
        title=title,
        labels=tuple(str(y) for y in years),
        series=tuple(Series(name, tuple(grid[(y, name)] for y in years)) for name in names),
        unit="pressmeddelanden",
    )


def capita_chart(rows: list[dict[str, Any]], title: str) -> Chart:
    return Chart(
        title=title,
        labels=tuple(row["name"] for row in rows),
        series=(Series("Per 10 000 invånare", tuple(row["per_10000"] for row in rows)),),
        unit="per 10 000 invånare",
    )
