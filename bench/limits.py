"""Size limits benchmark, run on demand (not part of the test suite).

    python bench/limits.py [--sizes 1 2 4 8 16] [--kinds dump_lines dump_article html]

Times extraction and its peak memory on generated inputs of 1, 2, 4, 8 and 16 MB (the reader's cap
is 20 MB), and bare `trafilatura.extract` on the same HTML in the same run, then prints JSON:

- `dump_lines`: a text dump of short lines (about ten characters each, 100,000 per MB), the shape
  that once made the text-dump extractor quadratic;
- `dump_article`: a text dump of a news page repeated: menus, a headline, a byline, wrapped paragraphs;
- `html`: an HTML news page with one long article (sections of a heading, paragraphs, a list and a
  table, repeated until the size is reached) between a navigation bar and a sidebar.

Each measurement runs in a fresh forked process, so one input's memory never counts against the
next: `peak_mb` is the process's peak resident memory during the extraction over what it held before
(Linux: /proc/self/status VmHWM, reset through /proc/self/clear_refs). Goals, checked in `ok`: time
grows at most 2.2x per doubling of the input, and presswatch's HTML extraction stays within 2x of
bare trafilatura's time at every size. The checks read CPU time (`cpu_seconds`): on a shared machine
wall time (`seconds`, also reported) swings with the other processes' load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from itertools import pairwise

import trafilatura

from presswatch.extract import extract
from presswatch.records import HTML, TEXT, Page

MB = 1_000_000
GROWTH_GOAL = 2.2  # time ratio per doubling of the input
TRAFILATURA_GOAL = 2.0  # presswatch's HTML time over bare trafilatura's
WARMUP_BYTES = 20_000
WORDS = (  # noqa: SIM905
    "the council said on monday that its new harbour plan would cost more than expected and that "
    "residents of the eastern district had raised concerns about traffic noise and the loss of a park "
    "where children played every afternoon while officials promised a review before the vote in spring"
).split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _wrapped(text: str, width: int = 76, margin: str = "   ") -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width - len(margin):
            lines.append(margin + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [margin + line] if line else lines


def dump_lines(size: int, rng: random.Random) -> str:
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choices(WORDS, k=2))[:12]
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)


def dump_article(size: int, rng: random.Random) -> str:
    parts, total = [], 0
    while total < size:
        block = ["     * " + w.capitalize() for w in rng.sample(WORDS, 8)] + [""]
        block += ["   " + _sentence(rng).rstrip(".").title(), "", "   By Ann Example", "   12 March 2024", ""]
        for _ in range(12):
            block += _wrapped(_paragraph(rng)) + [""]
        block += ["   Share this article  Facebook  Twitter  E-mail", "   © 2024 The Example Ledger", ""]
        text = "\n".join(block)
        parts.append(text)
        total += len(text) + 1
    return "\n".join(parts)


def html_page(size: int, rng: random.Random) -> str:
    nav = "<nav><ul>" + "".join(f"<li><a href='/{w}'>{w.title()}</a></li>" for w in WORDS[:12]) + "</ul></nav>"
    head = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour plan | The Example Ledger"
            f"</title></head><body><header>{nav}</header><article><h1>{_sentence(rng).rstrip('.')}</h1>"
            "<p class='byline'>By Ann Example, 12 March 2024</p>")
    tail = ("</article><aside><h3>Related</h3>" + "".join(f"<a href='/r{i}'>{_sentence(rng)}</a>" for i in range(4))
            + "</aside><footer>© 2024 The Example Ledger</footer></body></html>")
    parts, total = [head], len(head) + len(tail)
    while total < size:
        section = [f"<h2>{_sentence(rng).rstrip('.')}</h2>"] + [f"<p>{_paragraph(rng)}</p>" for _ in range(8)]
        section.append("<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(3)) + "</ul>")
        section.append("<table>" + "".join(f"<tr><td>{w}</td><td>{rng.randint(1, 999)}</td></tr>"
                                           for w in rng.sample(WORDS, 4)) + "</table>")
        block = "".join(section)
        parts.append(block)
        total += len(block)
    parts.append(tail)
    return "".join(parts)


GENERATORS = {"dump_lines": (dump_lines, TEXT), "dump_article": (dump_article, TEXT), "html": (html_page, HTML)}


def _peak_rss() -> int:
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmHWM"].split()[0]) * 1024, int(fields["VmRSS"].split()[0]) * 1024


def _measure(job: tuple[str, int, str]) -> dict:
    """In a fresh process: seconds and peak memory of one extraction (or bare trafilatura's)."""
    kind, size_mb, runner = job
    generate, page_kind = GENERATORS[kind]
    def run_once(content: str) -> int:
        if runner == "presswatch":
            return len(extract(Page.make(f"{kind}-{len(content)}", page_kind, content)).body)
        return len(trafilatura.extract(content) or "")

    run_once(generate(WARMUP_BYTES, random.Random(0)))  # models and lazy imports loaded outside the timing
    content = generate(size_mb * MB, random.Random(size_mb))
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak to the current resident size
    _, before = _peak_rss()
    start, cpu_start = time.perf_counter(), time.process_time()
    error = None
    try:
        chars = run_once(content)
    except Exception as exc:  # noqa: BLE001 - a failure is reported beside the figures
        chars, error = 0, f"{type(exc).__name__}: {exc}"
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak, _ = _peak_rss()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3), "peak_mb": round((peak - before) / MB, 1), "body_chars": chars,
            "input_chars": len(content), **({"error": error} if error else {})}


def run(sizes: list[int], kinds: list[str]) -> dict:
    jobs = [(kind, size, "presswatch") for kind in kinds for size in sizes]
    if "html" in kinds:
        jobs += [("html", size, "trafilatura") for size in sizes]
    context = multiprocessing.get_context("fork")
    results: dict[str, dict] = {}
    for job in jobs:
        print(f"measuring {job}", file=sys.stderr, flush=True)
        with context.Pool(1) as pool:  # a fresh process per measurement
            results.setdefault(f"{job[0]}/{job[2]}", {})[f"{job[1]}MB"] = pool.apply(_measure, (job,))
    checks = {}
    for name, by_size in results.items():
        times = [by_size[f"{s}MB"]["cpu_seconds"] for s in sizes]
        growth = [round(b / max(a, 1e-3), 2) for a, b in pairwise(times)]
        checks[name] = {"growth_per_doubling": growth, "ok": all(g <= GROWTH_GOAL for g in growth)}
    if "html" in kinds:
        ratios = [round(results["html/presswatch"][f"{s}MB"]["cpu_seconds"]
                        / max(results["html/trafilatura"][f"{s}MB"]["cpu_seconds"], 1e-3), 2) for s in sizes]
        checks["html_vs_trafilatura"] = {"ratio": ratios, "ok": all(r <= TRAFILATURA_GOAL for r in ratios)}
    return {"sizes_mb": sizes, "results": results, "checks": checks,
            "ok": all(check["ok"] for check in checks.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--kinds", nargs="+", choices=sorted(GENERATORS), default=list(GENERATORS))
    args = parser.parse_args(argv)
    report = run(args.sizes, args.kinds)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
