"""Parse time and node count for each seed document (pure parsing, no database).

Run: .venv/bin/python benchmarks/ingest.py  (or `make bench` for every benchmark)
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from jalon.ingest import parse_path

SEEDS = Path(__file__).resolve().parents[1] / "src" / "jalon" / "demo" / "seeds"
REPEAT = 5


def main() -> list[dict]:
    rows = []
    for path in sorted(SEEDS.glob("*.txt")):
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            draft = parse_path(path)
            times.append(time.perf_counter() - t0)
        lines = path.read_text(encoding="utf-8").count("\n")
        rows.append({"file": path.name, "layout": draft.layout, "lines": lines,
                     "nodes": len(draft.nodes), "warnings": len(draft.warnings),
                     "median_ms": statistics.median(times) * 1000})
    print(f"{'seed':<28} {'layout':<14} {'lines':>6} {'nodes':>6} {'warn':>5} {'parse ms':>9}")
    for r in rows:
        print(f"{r['file']:<28} {r['layout']:<14} {r['lines']:>6} {r['nodes']:>6} "
              f"{r['warnings']:>5} {r['median_ms']:>9.1f}")
    return rows


if __name__ == "__main__":
    main()
