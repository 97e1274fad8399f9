"""`make bench`: run every bench_*.py module's main(), each printing its ratios."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    only = set(sys.argv[1:])
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("bench_") and (not only or module.name in only):
            print(f"\n== {module.name} ==", flush=True)
            importlib.import_module(f"tests.benchmarks.{module.name}").main()


main()
