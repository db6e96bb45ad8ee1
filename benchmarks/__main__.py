"""Run every ``bench_*`` module (or the ones named) and print one JSON line per figure."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def _modules(selected: list[str]) -> list[str]:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    return names


def main(argv: list[str]) -> int:
    failures = 0
    for name in _modules(argv):
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            for figure in module.run():
                print(figure.to_json(), flush=True)
        except Exception:
            failures += 1
            print(f"benchmark {name} failed:", file=sys.stderr)
            traceback.print_exc()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
