"""Charts as inline SVG drawn on the server by pygal: no JavaScript, nothing fetched at run time,
readable in a printout, and testable as text.

pygal escapes every label it writes (the SVG is built with lxml). Its output also carries a
script that configures pygal's optional tooltip library; this site loads no such library, so the
script is removed and the page runs no chart code at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pygal
from lxml import etree
from markupsafe import Markup
from pygal.style import Style

_FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', sans-serif"
_INK = "#1f2933"

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground=_INK,
    foreground_strong=_INK,
    foreground_subtle="#d9dee3",
    font_family=_FONT,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    colors=("#2f6f8f", "#c0603a", "#5b8c3a", "#8a5aa8", "#b08a1e", "#3a8c86", "#a8435a", "#5a6aa8"),
    value_colors=(_INK,),
    guide_stroke_color="#e4e8ec",
    major_guide_stroke_color="#d0d6dc",
)

_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


def _svg(chart: pygal.graph.graph.Graph, description: str) -> Markup:
    tree = chart.render_tree()
    for script in list(tree.iter("script", "{http://www.w3.org/2000/svg}script")):
        script.getparent().remove(script)
    tree.set("role", "img")
    tree.set("aria-label", description)
    return Markup(etree.tostring(tree, encoding="unicode"))


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last, so a quiet month shows as a gap, not as nothing."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def per_month_bars(counts: Counter, *, what: str, width: int) -> Markup | None:
    """A bar per month from the first to the last month counted; None when nothing is counted."""
    if not counts:
        return None
    months = months_between(min(counts), max(counts))
    chart = pygal.Bar(
        style=STYLE, js=[], show_legend=False, height=260, width=width, print_values=True,
        x_label_rotation=-35 if len(months) > 8 else 0, show_minor_x_labels=len(months) <= 24,
        x_labels_major_every=max(1, len(months) // 12), margin=12, min_scale=1, max_scale=6,
        y_title=what,
    )
    chart.x_labels = months
    chart.add(what, [counts.get(m, 0) or None for m in months])
    total = sum(counts.values())
    return _svg(chart, f"{what} per month, {months[0]} to {months[-1]}: {total} in all")


def coverage_by_outlet(items: Iterable[tuple[str | None, str | None]], *, what: str, width: int) -> Markup | None:
    """A dot per outlet and period, sized by how many items that outlet had then: who covered it,
    when, and how much. Periods are days for a short span, else months, else years."""
    dated = [(outlet or "(unknown outlet)", date) for outlet, date in items if date and _YEAR_MONTH.match(date)]
    if not dated:
        return None
    months = len(months_between(min(d[:7] for _, d in dated), max(d[:7] for _, d in dated)))
    cut = 10 if months <= 2 else 7 if months <= 36 else 4
    counts = Counter((outlet, date[:cut]) for outlet, date in dated)
    periods = sorted({p for _, p in counts})
    if cut == 7:
        periods = months_between(periods[0], periods[-1])
    outlets = [o for o, _ in Counter(o for o, _ in dated).most_common()]
    chart = pygal.Dot(
        style=STYLE, js=[], show_legend=False, height=max(140, 60 + 36 * len(outlets)), width=width,
        x_label_rotation=-35 if len(periods) > 8 else 0, margin=12, print_values=False,
        show_minor_x_labels=len(periods) <= 24, x_labels_major_every=max(1, len(periods) // 12),
    )
    chart.x_labels = periods
    for outlet in outlets:
        chart.add(outlet, [counts.get((outlet, p)) for p in periods])
    return _svg(chart, f"{what} by outlet and {({10: 'day', 7: 'month', 4: 'year'})[cut]}")
