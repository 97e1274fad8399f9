"""`make mutation`: mutmut over the modules that carry README promises, share killed per module.

mutmut reads its configuration from pyproject.toml ([tool.mutmut]: the modules
in `only_mutate`, the tests that cover them in `pytest_add_cli_args_test_selection`).
This runs it (optionally only for the modules whose path contains one of the
words given: `make mutation MODULES="diff tokens"`), then reads mutmut's
results and prints, per module, the share of mutants killed against the goal,
with every survivor that `equivalent.txt` (beside this file) does not list as
an equivalent mutant, with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL = 0.85
# pytest failed or errored, or ran out of CPU time (the mutant made the code hang, e.g. a
# loop that never ends): the mutant was noticed, as mutmut's own score counts it.
KILLED = {1, 3, 36, -24, 24, 152, 255}
NOT_RUN = {None, 34}  # not checked, skipped
NO_TEST = {5, 33}  # no test covers it: counted as a survivor, not left out


def promised_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def equivalents() -> dict[str, str]:
    """Mutant name → why it cannot be killed (it behaves exactly as the original)."""
    found = {}
    for line in (Path(__file__).parent / "equivalent.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, reason = line.partition(" ")
            found[name] = reason.strip()
    return found


#: Per module, the test files that cover it (of `pytest_add_cli_args_test_selection`): a
#: mutant runs only these (through REGISTRY_MUTATION_TESTS, read by tests/conftest.py), so a
#: module whose functions every test touches (settings) is not tested by the whole selection.
TESTS_BY_MODULE = {
    "registry/notices/tokens.py": [
        "tests/test_subscriptions.py",
        "tests/test_subscription_links.py",
    ],
    "registry/settings.py": ["tests/test_settings.py", "tests/test_settings_readme.py"],
    "registry/notices/webhooks.py": [
        "tests/test_changes_and_webhooks.py",
        "tests/test_webhook_delivery.py",
    ],
    "registry/notices/subscriptions.py": [
        "tests/test_subscriptions.py",
        "tests/test_subscription_links.py",
        "tests/test_changes_and_webhooks.py",  # the admin's list, count and removal
    ],
    "registry/services/snapshot.py": ["tests/test_snapshot.py", "tests/test_api_read.py"],
    "registry/services/diff.py": ["tests/test_diff.py", "tests/test_diff_every_field.py"],
    "registry/services/versions.py": [
        "tests/test_versions.py",
        "tests/test_notice_days.py",
        "tests/test_withdrawal_notices.py",
    ],
    "registry/notices/outbox.py": ["tests/test_outbox.py"],
    "registry/notices/worker.py": [
        "tests/test_worker_emails.py",
        "tests/test_worker_batches.py",
        "tests/test_worker_loop.py",
        "tests/test_worker.py",
        "tests/test_webhook_delivery.py",
    ],
    "registry/services/objections.py": [
        "tests/test_objection_submitting.py",
        "tests/test_objection_handling.py",
        "tests/test_objections.py",
        "tests/test_evidence.py",
    ],
}


def run_mutmut(words: list[str]) -> dict[str, float]:
    """Run mutmut over each chosen module in turn; {module: wall-clock seconds}."""
    # Mutants run in parallel, one per core unless REGISTRY_MUTATION_CHILDREN says fewer
    # (on a machine shared with other work: 1).
    children = os.environ.get("REGISTRY_MUTATION_CHILDREN") or str(os.cpu_count() or 1)
    seconds = {}
    for module in promised_modules():
        if words and not any(word in module for word in words):
            continue
        env = os.environ | {
            "REGISTRY_TEST_POSTGRES": "0",  # the SQLite half of the suite
            "REGISTRY_MUTATION_TESTS": " ".join(TESTS_BY_MODULE.get(module, [])),
        }
        pattern = module.removesuffix(".py").replace("/", ".") + "*"
        started = time.monotonic()
        subprocess.run(
            [str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", children, pattern],
            cwd=ROOT,
            env=env,
            check=False,
        )
        seconds[module] = time.monotonic() - started
    return seconds


def results() -> dict[str, dict[str, int | None]]:
    """{module path: {mutant name: exit code}} from mutmut's files."""
    by_module: dict[str, dict[str, int | None]] = defaultdict(dict)
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        module = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        by_module[module].update(codes)
    return by_module


def report(words: list[str], seconds: dict[str, float]) -> bool:
    known = equivalents()
    all_met = True
    for module in promised_modules():
        if words and not any(word in module for word in words):
            continue
        codes = results().get(module, {})
        ran = {name: code for name, code in codes.items() if code not in NOT_RUN}
        survivors = sorted(name for name, code in ran.items() if code not in KILLED)
        real = [name for name in survivors if name not in known]
        counted = len(ran) - (len(survivors) - len(real))
        share = (counted - len(real)) / counted if counted else 0.0
        met = share >= GOAL
        all_met &= met
        took = f"{seconds[module] / 60:5.1f} min" if module in seconds else ""
        print(
            f"{module:40} {share:6.1%} killed of {counted:4} "
            f"({'ok' if met else 'BELOW GOAL'}) {took}"
        )
        for name in real:
            print(f"    {'no test' if ran[name] in NO_TEST else 'survived'}: {name}")
        for name in sorted(set(survivors) - set(real)):
            print(f"    equivalent: {name}  ({known[name]})")
    return all_met


def main() -> int:
    words = sys.argv[1:]
    seconds = run_mutmut(words)
    print(f"\nmutants killed per module (goal {GOAL:.0%}; equivalents listed apart):")
    return 0 if report(words, seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
