"""Charts as inline SVG drawn on the server (by pygal; the volume chart and the co-mention graph by hand): no JavaScript, nothing fetched at run time,
readable in a printout, and testable as text.

pygal escapes every label it writes (the SVG is built with lxml). Its output also carries a
script that configures pygal's optional tooltip library; this site loads no such library, so the
script is removed and the page runs no chart code at all.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

import pygal
from lxml import etree
from markupsafe import Markup
from pygal.style import Style

from presswatch.query import CoMentions, Volume
from presswatch.records import NATIONALITY, ORGANIZATION, PERSON, PLACE, UNKNOWN_OUTLET, dated_to_month

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

_SVG = "http://www.w3.org/2000/svg"


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
    dated = [(outlet or UNKNOWN_OUTLET, date) for outlet, date in items if dated_to_month(date)]
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


# Outlets drawn as their own series in a volume chart; the rest are summed as one, so the legend
# stays readable and the colours stay apart (STYLE has eight).
VOLUME_OUTLETS = 7
# Heights of the charts drawn by hand, in pixels (their width is the column they are shown in).
VOLUME_HEIGHT, GRAPH_HEIGHT = 300, 440


def volume_bars(found: Volume, *, width: int) -> Markup | None:
    """Bars per period stacked by outlet (the busiest VOLUME_OUTLETS, then the others together),
    with a legend below; None when nothing dated was counted.

    Drawn by hand, not by pygal: pygal writes a tooltip group per bar (about 600 bytes each), so a
    year of weeks by seven outlets came to 200 kB of page; a bar here is one rect and its title."""
    if not found.periods:
        return None
    series = [(v.outlet, v.counts) for v in found.outlets[:VOLUME_OUTLETS]]
    rest = found.outlets[VOLUME_OUTLETS:]
    if rest:
        series.append((f"{len(rest)} other outlets", tuple(map(sum, zip(*(v.counts for v in rest))))))
    labels = [_period_label(p, found.interval) for p in found.periods]
    colours = STYLE.colors
    legend_rows = math.ceil(len(series) / 3)
    left, right, top, bottom = 72, 12, 12, 64
    height = VOLUME_HEIGHT
    plot_h = height - top - bottom
    total_h = height + 22 * legend_rows
    plot_w = width - left - right
    totals = [sum(c[i] for _, c in series) for i in range(len(labels))]
    step = _tick_step(max(totals))
    top_value = step * math.ceil(max(totals) / step)
    slot = plot_w / len(labels)
    bar_w = max(1.0, slot * 0.8)
    dated = found.total - found.undated
    svg = _svg_root(width, total_h, f"{found.kind}s per {found.interval} by outlet, {labels[0]} to {labels[-1]}:"
                                    f" {dated} dated")
    axis = etree.SubElement(svg, f"{{{_SVG}}}g", **{"font-family": _FONT, "font-size": "12", "fill": _INK})
    for value in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * value / top_value
        etree.SubElement(axis, f"{{{_SVG}}}line", x1=str(left), x2=str(width - right), y1=f"{y:.1f}", y2=f"{y:.1f}",
                         stroke="#e4e8ec")
        etree.SubElement(axis, f"{{{_SVG}}}text", x=str(left - 6), y=f"{y + 4:.1f}", **{"text-anchor": "end"}).text = str(value)
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        if i % every == 0:
            x, y = left + slot * (i + 0.5), top + plot_h + 14
            etree.SubElement(axis, f"{{{_SVG}}}text", x=f"{x:.1f}", y=f"{y:.1f}", transform=f"rotate(-35 {x:.1f} {y:.1f})",
                             **{"text-anchor": "end"}).text = label
    bars = etree.SubElement(svg, f"{{{_SVG}}}g")
    for i, label in enumerate(labels):
        base = 0
        for k, (outlet, counts) in enumerate(series):
            if counts[i]:
                y0 = top + plot_h - plot_h * (base + counts[i]) / top_value
                rect = etree.SubElement(bars, f"{{{_SVG}}}rect", x=f"{left + slot * i + (slot - bar_w) / 2:.1f}",
                                        y=f"{y0:.1f}", width=f"{bar_w:.1f}", height=f"{plot_h * counts[i] / top_value:.1f}",
                                        fill=colours[k % len(colours)])
                etree.SubElement(rect, f"{{{_SVG}}}title").text = f"{label}: {counts[i]} from {outlet}"
                base += counts[i]
    legend = etree.SubElement(svg, f"{{{_SVG}}}g", **{"font-family": _FONT, "font-size": "12", "fill": _INK})
    column_w = (width - left) / 3
    for k, (outlet, counts) in enumerate(series):
        x, y = left + column_w * (k % 3), height + 22 * (k // 3)
        etree.SubElement(legend, f"{{{_SVG}}}rect", x=f"{x:.1f}", y=f"{y - 10:.1f}", width="12", height="12",
                         fill=colours[k % len(colours)])
        name = outlet if len(outlet) <= 30 else outlet[:29] + "…"
        etree.SubElement(legend, f"{{{_SVG}}}text", x=f"{x + 17:.1f}", y=f"{y:.1f}").text = f"{name} ({sum(counts)})"
    return Markup(etree.tostring(svg, encoding="unicode"))


def _tick_step(highest: int) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most five gridlines up to `highest`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if highest / (factor * magnitude) <= 5:
                return factor * magnitude
        magnitude *= 10


def _svg_root(width: int, height: int, description: str):
    svg = etree.Element(f"{{{_SVG}}}svg", nsmap={None: _SVG}, viewBox=f"0 0 {width} {height}", width=str(width),
                        height=str(height), role="img")
    svg.set("aria-label", description)
    return svg


def _period_label(first_day: str, interval: str) -> str:
    return first_day[:7] if interval == "month" else first_day


# Node colours per entity type in the co-mention graph, from STYLE's palette.
TYPE_COLOURS = {PERSON: "#2f6f8f", ORGANIZATION: "#c0603a", PLACE: "#5b8c3a", NATIONALITY: "#8a5aa8"}


def co_mention_graph(found: CoMentions, href: Callable[[str], str], *, width: int) -> Markup | None:
    """The entity in the middle, the entities named with it around it (the nearer the top, the more
    articles they share; a thicker line, more shared articles; a bigger dot, more), lines between
    the neighbours most often named together; each dot links to its entity. None without neighbours.

    Drawn by hand: pygal has no network graph, and a star with a ring needs no layout algorithm
    (no graph library is vendored). Every label goes through lxml, which escapes it."""
    if not found.neighbours:
        return None
    most = max(n.articles for n in found.neighbours)
    height = GRAPH_HEIGHT
    cx, cy = width / 2, height / 2
    # An ellipse leaves the sides room for labels that run outwards.
    rx, ry = max(80.0, width / 2 - 170), height / 2 - 45
    place: dict[str, tuple[float, float, float]] = {}  # id -> x, y, cosine of its angle
    for i, neighbour in enumerate(found.neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / len(found.neighbours)
        place[neighbour.entity.id] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle), math.cos(angle))
    svg = _svg_root(width, height, f"entities named in the same articles as {found.centre.name}")
    etree.SubElement(svg, f"{{{_SVG}}}title").text = f"Named with {found.centre.name}"
    lines = etree.SubElement(svg, f"{{{_SVG}}}g", stroke="#b7c2cb", fill="none")
    # Only the strongest links between neighbours (two per neighbour): all of them make a mesh
    # when a few articles name everyone (the API gives them all).
    for link in found.links[:2 * len(found.neighbours)]:
        (x1, y1, _), (x2, y2, _) = place[link.source], place[link.target]
        etree.SubElement(lines, f"{{{_SVG}}}line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}",
                         **{"stroke-width": f"{0.5 + 2 * link.articles / most:.2f}", "stroke-opacity": "0.55"})
    spokes = etree.SubElement(svg, f"{{{_SVG}}}g", stroke=_INK, fill="none")
    for neighbour in found.neighbours:
        x, y, _ = place[neighbour.entity.id]
        etree.SubElement(spokes, f"{{{_SVG}}}line", x1=f"{cx:.1f}", y1=f"{cy:.1f}", x2=f"{x:.1f}", y2=f"{y:.1f}",
                         **{"stroke-width": f"{1 + 5 * neighbour.articles / most:.2f}", "stroke-opacity": "0.35"})
    nodes = etree.SubElement(svg, f"{{{_SVG}}}g", **{"font-family": _FONT, "font-size": "13", "fill": _INK})
    for neighbour in found.neighbours:
        x, y, cos = place[neighbour.entity.id]
        radius = 5 + 9 * math.sqrt(neighbour.articles / most)
        anchor, dx = ("start", radius + 5) if cos > 0.25 else ("end", -radius - 5) if cos < -0.25 else ("middle", 0)
        dy = 4 if anchor != "middle" else (-radius - 6 if y < cy else radius + 15)
        _node(nodes, href(neighbour.entity.id), x, y, radius, TYPE_COLOURS.get(neighbour.entity.type, "#5a6aa8"),
              f"{neighbour.entity.name} ({neighbour.articles})", anchor, dx, dy,
              f"{neighbour.entity.name}: named in {neighbour.articles} of {found.centre.name}'s {found.articles} articles")
    _node(nodes, href(found.centre.id), cx, cy, 16, TYPE_COLOURS.get(found.centre.type, "#5a6aa8"),
          found.centre.name, "middle", 0, 34, f"{found.centre.name}: {found.articles} articles", bold=True)
    return Markup(etree.tostring(svg, encoding="unicode"))


def _node(parent, link: str, x: float, y: float, radius: float, colour: str, label: str, anchor: str, dx: float,
          dy: float, tip: str, *, bold: bool = False) -> None:
    a = etree.SubElement(parent, f"{{{_SVG}}}a", href=link)
    etree.SubElement(a, f"{{{_SVG}}}title").text = tip
    etree.SubElement(a, f"{{{_SVG}}}circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{radius:.1f}", fill=colour,
                     stroke="#fff", **{"stroke-width": "1.5"})
    text = etree.SubElement(a, f"{{{_SVG}}}text", x=f"{x + dx:.1f}", y=f"{y + dy:.1f}",
                            **{"text-anchor": anchor, "paint-order": "stroke", "stroke": "#fff",
                               "stroke-width": "3", "font-weight": "700" if bold else "400"})
    text.text = label
