"""CPU profile of bench/workers.py's local runs, run on demand (not part of the test suite).

    python bench/workers_cpu.py [--pages 60] [--html ../shared/eval/extraction/dev.jsonl]

Wall-clock speedups cannot be read on a busy machine: with the kernel's autogroup scheduling
(/proc/sys/kernel/sched_autogroup_enabled) the CPU is shared between sessions, not processes, so
a run's two processes share one session's slice and 2 workers show ~1x whatever the engine does.
CPU seconds do not depend on the load, so this prints, for 1 and 2 workers on the same pages and
from the same warm process as bench/workers.py (the ceiling's parse loads and warms the model
first): the CPU of the per-page side (ingest + the parse loop) in this process and in the helper
processes, and of the corpus-wide side (entities, stories, narratives, vectors), which only this
process runs after the parse. From those: the serial share s of the 1-worker run, Amdahl's bound
1/(s + (1-s)/2), and the 2-worker wall a quiet 2-core machine would give if the per-page CPU
(helpers' start and model load included) were split evenly between the two cores. That estimate
leaves out the wait at the end of the input for the helper's last tasks (at most two: one page,
or SHARED_PARSE_BATCH articles, each), so a quiet run can only come out below it.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

from workers import bench_pages, ceiling

CORPUS_WIDE = (("entities", "update_entities"), ("corpus", "update_stories"), ("narratives", "update_narratives"),
               ("corpus", "index_vectors"))


def helper_cpu() -> float:
    """CPU seconds so far of the helper processes engine/workers.py keeps (read from /proc)."""
    from presswatch.engine import workers

    helpers = workers._helpers  # the kept pool: a profile may read what the engine keeps private
    if helpers is None:
        return 0.0
    total = 0
    for pid in list(helpers[1]._processes or {}):
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profile(folder: Path, db: Path, workers: int) -> dict:
    """CPU seconds of one ingest + analyse run, split by side and process."""
    import presswatch.engine.corpus
    import presswatch.engine.entities
    import presswatch.engine.narratives
    from presswatch.engine.analyse import analyse
    from presswatch.engine.local import ingest
    from presswatch.engine.workers import shutdown_helpers
    from presswatch.store import Store

    modules = {"entities": presswatch.engine.entities, "corpus": presswatch.engine.corpus,
               "narratives": presswatch.engine.narratives}
    serial = [0.0]
    originals = []
    for module_name, name in CORPUS_WIDE:
        module, original = modules[module_name], getattr(modules[module_name], name)

        def timed(*args, _original=original, **kwargs):
            start = own_cpu()
            try:
                return _original(*args, **kwargs)
            finally:
                serial[0] += own_cpu() - start

        originals.append((module, name, original))
        setattr(module, name, timed)
    shutdown_helpers()  # each run starts its helpers, as a user's run does
    try:
        wall, own, helpers = time.perf_counter(), own_cpu(), helper_cpu()
        with Store(db) as store:
            ingest([str(folder)], store, workers=workers)
            analyse(store, workers=workers)
        wall, own, helpers = time.perf_counter() - wall, own_cpu() - own, helper_cpu() - helpers
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        shutdown_helpers()
    return {"wall_s": round(wall, 2), "per_page_here_cpu_s": round(own - serial[0], 2),
            "per_page_helpers_cpu_s": round(helpers, 2), "corpus_wide_cpu_s": round(serial[0], 2)}


def main() -> None:
    with bench_pages(__doc__.split("\n\n")[0]) as (tmp, folder, pages):
        ceiling(folder)
        one = profile(folder, tmp / "one.db", 1)
        two = profile(folder, tmp / "two.db", 2)
    one_cpu = one["per_page_here_cpu_s"] + one["corpus_wide_cpu_s"]
    serial_share = one["corpus_wide_cpu_s"] / one_cpu
    per_page_two = two["per_page_here_cpu_s"] + two["per_page_helpers_cpu_s"]
    quiet_two = two["corpus_wide_cpu_s"] + per_page_two / 2
    print(json.dumps({
        "pages": pages,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "workers_1": one,
        "workers_2": two,
        "serial_share": round(serial_share, 3),
        "amdahl_2_vs_1": round(1 / (serial_share + (1 - serial_share) / 2), 3),
        "helper_overhead_cpu_s": round(per_page_two - one["per_page_here_cpu_s"], 2),
        "quiet_estimate_2_vs_1": round(one_cpu / quiet_two, 3),
    }, indent=1))


if __name__ == "__main__":
    main()
