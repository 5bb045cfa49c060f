"""pytest plugin: collects `@pytest.mark.spec("ID", ...)` outcomes into reports/spec-trace.json.

The trace maps each tender item ID to {"passed": n, "failed": n, "skipped": n};
`python ../shared/tools/spec_coverage.py` reads it.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

TRACE_PATH = Path(__file__).resolve().parent.parent / "reports" / "spec-trace.json"
_outcomes: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})


def _spec_ids(item) -> list[str]:
    ids: list[str] = []
    for marker in item.iter_markers(name="spec"):
        ids.extend(str(arg) for arg in marker.args)
    return ids


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    ids = _spec_ids(item)
    if ids:
        # user_properties travel with the report to the xdist controller.
        outcome.get_result().user_properties.append(("spec_ids", ids))


def pytest_runtest_logreport(report):
    ids = next((value for name, value in report.user_properties if name == "spec_ids"), None)
    if not ids:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        result = "passed" if report.passed else "skipped" if report.skipped else "failed"
        for spec_id in ids:
            _outcomes[spec_id][result] += 1


def pytest_sessionfinish(session, exitstatus):
    # Under xdist only the controller writes; workers send their reports to it.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if not _outcomes:
        return
    TRACE_PATH.parent.mkdir(parents=True, exist_ok=True)
    outcomes = {spec_id: dict(counts) for spec_id, counts in _outcomes.items()}
    if os.environ.get("SPEC_TRACE_APPEND") and TRACE_PATH.exists():    # the suite's second session (tests/parallel.py)
        for spec_id, counts in json.loads(TRACE_PATH.read_text(encoding="utf-8")).items():
            for result, number in counts.items():
                outcomes.setdefault(spec_id, {"passed": 0, "failed": 0, "skipped": 0})[result] += number
    TRACE_PATH.write_text(json.dumps(dict(sorted(outcomes.items())), ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
