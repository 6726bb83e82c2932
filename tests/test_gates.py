"""``leadkit report --check``: each [gates] limit holds at its value and fails just under it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit import demo
from leadkit.cli import cli
from leadkit.plugins import load_plugins
from leadkit.session import RunOptions, Session

from .conftest import DEMO_NOW
from .report_data import demo_config

# Where each gate reads its value in the JSON report, to set limits at the demo's numbers.
SOURCES = {
    "max_review_queue": ("review-queue", lambda m: m["pending"]),
    "max_review_wait_days": ("review-queue", lambda m: m["oldest_waiting_days"]),
    "max_lead_review_share": ("review-concentration", lambda m: m["lead_review_share"]),
    "max_sole_approver_share": ("review-concentration", lambda m: m["sole_approver_share"]),
    "max_interrupt_share": ("interrupt-load", lambda m: m["interrupt_share"]),
    "max_blocked_people": ("blocking-work", lambda m: m["blocked_people"]),
    "max_lead_wip_ratio": ("lead-wip", lambda m: m["ratio"]),
    "max_stalled_items": ("stalled-own-work", lambda m: len(m["stalled"])),
    "min_own_work_share": ("lead-time", lambda m: m["own_share"]),
}


GATES = load_plugins(use_entry_points=False, environ={}).kinds.gates()
GATE_NAMES = sorted(GATES)
"""Every gate the built-in kinds declare."""
MINIMUM = {name for name, (_, gate) in GATES.items() if gate.minimum}
"""The lower bounds: they fail under their limit."""


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", "--now", DEMO_NOW, *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_values() -> dict[str, float]:
    code, out, err = run(["--demo", "--format", "json"])
    assert code == 0, err
    findings = {f["kind"]: f["metrics"] for f in json.loads(out)["findings"] if f["computed"]}
    return {name: float(read(findings[kind])) for name, (kind, read) in SOURCES.items()}


def test_every_gate_name_has_a_check() -> None:
    assert set(SOURCES) == set(GATE_NAMES)


@pytest.mark.parametrize("gate", sorted(GATE_NAMES))
def test_gate_holds_at_its_value(gate: str, demo_values: dict[str, float], tmp_path: Path) -> None:
    config = demo_config(tmp_path, f"[gates]\n{gate} = {demo_values[gate]!r}\n")
    code, out, err = run(["--config", str(config), "--check"])
    assert code == 0, err
    assert err.strip().splitlines()[-1] == "the 1 gate holds"
    assert "leadkit report" in out  # the report was still written


@pytest.mark.parametrize("gate", sorted(GATE_NAMES))
def test_gate_fails_just_past_its_value(
    gate: str, demo_values: dict[str, float], tmp_path: Path
) -> None:
    value = demo_values[gate]
    assert value > 0, f"the demo should exercise {gate}"
    if gate in MINIMUM:
        limit = round(value + 0.01, 3)  # a lower bound fails just over the value
    else:
        limit = value - 1 if value >= 1 and value == int(value) else round(value - 0.01, 3)
    config = demo_config(tmp_path, f"[gates]\n{gate} = {limit!r}\n")
    code, out, err = run(["--config", str(config), "--check"])
    assert code == 1, err
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"gate {gate} failed: ") and lines[0].endswith("(team dataflow)")
    assert lines[-1] == "1 of 1 evaluated gates failed"
    assert "leadkit report" in out


def test_failure_line_names_value_and_limit(tmp_path: Path) -> None:
    config = demo_config(tmp_path, "[gates]\nmax_review_queue = 2\nmax_lead_review_share = 0.5\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert code == 1
    assert err.splitlines() == [
        "gate max_review_queue failed: 3 PRs wait on the lead's review, limit 2 (team dataflow)",
        "gate max_lead_review_share failed: the lead reviewed 77.8% of the PRs others merged "
        "(7 of 9), limit 50% (team dataflow)",
        "2 of 2 evaluated gates failed",
    ]


def test_demo_check_fails_on_its_example_gates() -> None:
    code, out, err = run(["--demo", "--check"])
    assert code == 1
    assert "gate max_review_wait_days failed" in err
    assert "gate max_interrupt_share failed" in err
    assert "gate max_review_queue" not in err  # 3 waiting, limit 5: holds, so not listed
    assert out.startswith("leadkit report")


def test_all_gates_hold(tmp_path: Path) -> None:
    body = "\n".join(f"{name} = 1000" for name in GATE_NAMES if "share" not in name)
    body += "\n" + "\n".join(
        f"{name} = {0.0 if name in MINIMUM else 1.0}" for name in GATE_NAMES if "share" in name
    )
    config = demo_config(tmp_path, f"[gates]\n{body}\n")
    code, _, err = run(["--config", str(config), "--check", "--format", "json"])
    assert code == 0
    assert err.strip() == f"all {len(GATE_NAMES)} gates hold"


def test_thin_data_is_not_evaluated_and_does_not_fail(tmp_path: Path) -> None:
    config = demo_config(tmp_path, "[gates]\nmax_interrupt_share = 0.1\nmax_blocked_people = 5\n")
    code, _, err = run(["--config", str(config), "--check", "--since", "1d"])
    assert code == 0, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("gate max_interrupt_share not evaluated: Jamie Rivera has ")
    assert "too few" in lines[0] and lines[0].endswith("(team dataflow)")
    assert lines[-1] == "the 1 evaluated gate holds; 1 not evaluated"


def test_an_analysis_that_is_not_loaded_is_not_evaluated(tmp_path: Path) -> None:
    config = demo_config(tmp_path, "[gates]\nmax_blocked_people = 0\n")
    env = {"LEADKIT_DISABLE_PLUGINS": "leadkit.builtins.kinds.blocking_work"}
    code, _, err = run(["--config", str(config), "--check"], env=env)
    assert code == 0, err
    assert (
        "gate max_blocked_people not evaluated: no loaded analysis offers it "
        "(plugins not loaded: leadkit.builtins.kinds.blocking_work) (team dataflow)"
    ) in err


def test_nothing_reported_counts_as_zero(tmp_path: Path) -> None:
    # Without issue links nothing is blocked: blocking-work reports nothing, which holds at 0.
    data = json.loads((demo.directory() / "team.json").read_text(encoding="utf-8"))
    for item in data["work_items"]:
        item.pop("links", None)
        item.pop("parent", None)
    file = tmp_path / "team.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    config = demo_config(tmp_path, "[gates]\nmax_blocked_people = 0\n", data=file)
    session = Session.open(RunOptions(config_path=str(config), now=DEMO_NOW))
    assert not any(f.kind == "blocking-work" for f in session.report().findings)
    (result,) = session.check_gates()
    assert (result.status, result.value) == ("pass", 0.0)
    code, _, err = run(["--config", str(config), "--check"])
    assert (code, err.strip()) == (0, "the 1 gate holds")


def test_share_over_one_is_an_error_before_any_output(tmp_path: Path) -> None:
    config = demo_config(tmp_path, "[gates]\nmax_lead_review_share = 60\n")
    out = tmp_path / "r.md"
    code, _, err = run(["--config", str(config), "--check", "-o", str(out)])
    assert code == 2
    assert err.strip() == (
        f"leadkit: error: {config}, line 38: gates.max_lead_review_share is a share "
        "between 0 and 1 (0.6 means 60%), got 60"
    )
    assert not out.exists()


def test_no_gates_configured_is_a_notice(tmp_path: Path) -> None:
    code, _, err = run(["--config", str(demo_config(tmp_path)), "--check"])
    assert code == 0
    assert "no gates to check" in err


def test_without_check_gates_are_ignored() -> None:
    code, _, err = run(["--demo"])
    assert code == 0 and "gate" not in err


def test_wait_gate_is_in_working_days(tmp_path: Path) -> None:
    # The demo's oldest PR has waited Monday 10:00 to Friday 16:00: 38 working hours, 4.75 days.
    config = demo_config(tmp_path, "[gates]\nmax_review_wait_days = 4.5\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert code == 1
    assert err.splitlines()[0] == (
        "gate max_review_wait_days failed: the oldest PR has waited 4.75 working days for the "
        "lead's review, limit 4.5 (team dataflow)"
    )
    config = demo_config(tmp_path, "[gates]\nmax_review_wait_days = 5\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert (code, err.strip()) == (0, "the 1 gate holds")


def test_the_old_hours_gate_still_works_with_a_warning_naming_the_new_key(tmp_path: Path) -> None:
    # 40 working hours are 5 working days of 8 h: the demo's 4.75 days hold.
    config = demo_config(tmp_path, "[gates]\nmax_review_wait_hours = 40\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert (code, err.splitlines()) == (
        0,
        [
            f"leadkit: warning: {config}, line 38: gates.max_review_wait_hours is deprecated: "
            "use gates.max_review_wait_days (working days; the hours are divided by the team's "
            "working day)",
            "the 1 gate holds",
        ],
    )
    # 36 working hours are 4.5 working days: it fails, checked and named as the new gate.
    config = demo_config(tmp_path, "[gates]\nmax_review_wait_hours = 36\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert code == 1
    assert err.splitlines()[1] == (
        "gate max_review_wait_days failed: the oldest PR has waited 4.75 working days for the "
        "lead's review, limit 4.5 (team dataflow)"
    )


def test_the_old_hours_gate_is_divided_by_the_teams_working_day(tmp_path: Path) -> None:
    # 20 working hours: 2.5 working days of 8 h (the demo's 4.75 fail), but 5 working days
    # of 4 h with 09:00-13:00, where the same wait (Monday 10:00 to Friday 13:00) is 19 h.
    config = demo_config(tmp_path, "[gates]\nmax_review_wait_hours = 20\n")
    code, _, err = run(["--config", str(config), "--check"])
    assert code == 1 and "limit 2.5 (team dataflow)" in err.splitlines()[1]
    text = config.read_text(encoding="utf-8").replace(
        'timezone = "Europe/London"', 'timezone = "Europe/London"\nworking_hours = "09:00-13:00"'
    )
    config.write_text(text, encoding="utf-8")
    code, _, err = run(["--config", str(config), "--check"])
    assert code == 0, err
    assert err.splitlines()[-1] == "the 1 gate holds"
