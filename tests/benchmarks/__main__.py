"""`python -m tests.benchmarks`: run every `bench_*.py` module's `main()`, in name order."""

from __future__ import annotations

import importlib
import pkgutil

import tests.benchmarks as package

for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
    if module.startswith("bench_"):
        print(f"== {module}", flush=True)
        importlib.import_module(f"{package.__name__}.{module}").main()
