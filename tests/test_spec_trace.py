"""The spec plugin's trace is what ../shared/tools/spec_coverage.py reads."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT.parent / "shared" / "tools" / "spec_coverage.py"

pytest_plugins = ["pytester"]


def test_plugin_writes_trace_that_the_coverage_tool_reads(pytester, tmp_path, monkeypatch):
    from tests import spec_plugin

    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    trace = tmp_path / "spec-trace.json"
    monkeypatch.setattr(spec_plugin, "TRACE_PATH", trace)
    monkeypatch.setattr(spec_plugin, "_outcomes", type(spec_plugin._outcomes)(spec_plugin._outcomes.default_factory))
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.spec("PORTAL-8.1", "PORTAL-8.2")
        def test_shown():
            assert True

        @pytest.mark.spec("PORTAL-8.3")
        def test_broken():
            assert False
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.spec_plugin", "-p", "no:django", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    data = json.loads(trace.read_text(encoding="utf-8"))
    assert data["PORTAL-8.1"] == {"passed": 1, "failed": 0, "skipped": 0}
    assert data["PORTAL-8.3"] == {"passed": 0, "failed": 1, "skipped": 0}
    if not TOOL.exists():
        pytest.skip("shared/tools/spec_coverage.py is not beside the checkout")
    report = subprocess.run([sys.executable, str(TOOL), str(trace), "--json"], capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    assert "PORTAL" in report.stdout


def test_second_session_adds_its_outcomes_to_the_trace(pytester, tmp_path, monkeypatch):
    """`make test` runs two sessions (plain, then transactional tests); the second adds to the first's trace."""
    from tests import spec_plugin

    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    trace = tmp_path / "spec-trace.json"
    trace.write_text(json.dumps({"PORTAL-8.1": {"passed": 2, "failed": 0, "skipped": 0}}), encoding="utf-8")
    monkeypatch.setattr(spec_plugin, "TRACE_PATH", trace)
    monkeypatch.setattr(spec_plugin, "_outcomes", type(spec_plugin._outcomes)(spec_plugin._outcomes.default_factory))
    monkeypatch.setenv("SPEC_TRACE_APPEND", "1")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.spec("PORTAL-8.1", "PORTAL-8.4")
        def test_shown_again():
            assert True
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.spec_plugin", "-p", "no:django", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    data = json.loads(trace.read_text(encoding="utf-8"))
    assert data["PORTAL-8.1"] == {"passed": 3, "failed": 0, "skipped": 0}
    assert data["PORTAL-8.4"] == {"passed": 1, "failed": 0, "skipped": 0}
