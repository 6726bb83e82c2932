"""CI gates: the ``[gates]`` limits checked against a report's findings, per team.

A gate fails when its value is over its limit (the limit itself passes). A
gate whose finding could not be computed (thin data) or whose analysis did
not run is "not evaluated": it does not fail, and the reason is shown. An
analysis that found nothing to report (no PR waiting, nobody blocked) counts
as zero for the count gates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from leadkit.config import GATE_NAMES
from leadkit.errors import ConfigError
from leadkit.findings import Finding
from leadkit.report import Report

Status = Literal["pass", "fail", "skip"]


@dataclass(frozen=True)
class Gate:
    """How one ``[gates]`` key reads its value from a finding, and how it says it."""

    name: str
    kind: str
    """The finding kind the value comes from."""
    value: Callable[[dict[str, Any]], float | None]
    """The value from the finding's metrics; None when the finding cannot give one."""
    describe: Callable[[float, dict[str, Any]], str]
    """The value in words, for the failure line."""
    share: bool = False
    """A share between 0 and 1 (shown as a percentage)."""
    absent: float | None = 0.0
    """The value when the analysis ran and reported nothing; None means not evaluated."""
    why_none: str = ""
    """Why a computed finding gives no value (when ``value`` returns None)."""


def _plural(n: float, one: str, many: str) -> str:
    return one if n == 1 else many


def _count(n: float) -> str:
    return f"{n:g}"


def _pct(share: float) -> str:
    """A share as a percentage precise enough that a value just over its limit reads as over it."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


GATES: dict[str, Gate] = {
    g.name: g
    for g in (
        Gate(
            "max_review_queue",
            "review-queue",
            lambda m: m.get("pending"),
            lambda v, m: f"{_count(v)} {_plural(v, 'PR waits', 'PRs wait')} on the lead's review",
        ),
        Gate(
            "max_review_wait_hours",
            "review-queue",
            lambda m: m.get("oldest_waiting_hours"),
            lambda v, m: f"the oldest PR has waited {v:g} working hours for the lead's review",
        ),
        Gate(
            "max_lead_review_share",
            "review-concentration",
            lambda m: m.get("lead_review_share"),
            lambda v, m: (
                f"the lead reviewed {_pct(v)} of the PRs others merged "
                f"({m.get('reviewed_by_lead')} of {m.get('merged_by_others')})"
            ),
            share=True,
            absent=None,
        ),
        Gate(
            "max_sole_approver_share",
            "review-concentration",
            lambda m: m.get("sole_approver_share"),
            lambda v, m: (
                f"the lead alone approved {_pct(v)} of the PRs others merged "
                f"({m.get('sole_approver')} of {m.get('merged_by_others')})"
            ),
            share=True,
            absent=None,
        ),
        Gate(
            "max_interrupt_share",
            "interrupt-load",
            lambda m: m.get("interrupt_share"),
            lambda v, m: (
                f"{_pct(v)} of the lead's {m.get('activity')} actions were reactive "
                "or on others' items"
            ),
            share=True,
            absent=None,
        ),
        Gate(
            "max_blocked_people",
            "blocking-work",
            lambda m: m.get("blocked_people"),
            lambda v, m: (
                f"{_count(v)} {_plural(v, 'person is', 'people are')} blocked by work the lead holds"
            ),
        ),
        Gate(
            "max_lead_wip_ratio",
            "lead-wip",
            lambda m: m.get("ratio"),
            lambda v, m: (
                f"the lead holds {m.get('lead_open')} open things, {v:g}x the team median "
                f"of {m.get('team_median'):g}"
            ),
            why_none="the rest of the team holds no open work, so there is no ratio to compare",
        ),
        Gate(
            "max_stalled_items",
            "stalled-own-work",
            lambda m: len(m.get("stalled") or []),
            lambda v, m: (
                f"{_count(v)} of the lead's own {_plural(v, 'item has', 'items have')} stalled"
            ),
        ),
    )
}
assert set(GATES) == set(GATE_NAMES), "every [gates] key needs a Gate"


@dataclass(frozen=True)
class GateResult:
    """One gate checked for one team."""

    gate: str
    team: str
    status: Status
    limit: float
    value: float | None = None
    text: str = ""
    """The value in words (for a result with a value), or why it was not evaluated."""
    finding: str | None = None

    def line(self) -> str:
        """The one line ``--check`` prints for this result."""
        limit = _pct(self.limit) if GATES[self.gate].share else f"{self.limit:g}"
        if self.status == "skip":
            return f"gate {self.gate} not evaluated: {self.text} (team {self.team})"
        verb = "failed" if self.status == "fail" else "holds"
        return f"gate {self.gate} {verb}: {self.text}, limit {limit} (team {self.team})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "team": self.team,
            "status": self.status,
            "value": self.value,
            "limit": self.limit,
            "text": self.text,
            "finding": self.finding,
        }


def validate_gates(gates: Mapping[str, float]) -> None:
    """Reject limits that cannot mean what the user wants (a share of 60 meant as 60%)."""
    for name, limit in gates.items():
        if name not in GATES:
            known = ", ".join(sorted(GATES))
            raise ConfigError(f"gates.{name} is not a known gate (known: {known})")
        if not math.isfinite(limit):
            raise ConfigError(f"gates.{name} must be a finite number, got {limit!r}")
        if GATES[name].share and limit > 1:
            raise ConfigError(
                f"gates.{name} is a share between 0 and 1 (0.6 means 60%), got {limit:g}"
            )


def evaluate(report: Report, gates: Mapping[str, float]) -> list[GateResult]:
    """Every gate in ``gates`` (the config's ``[gates]``), for every team, in config order."""
    validate_gates(gates)
    results: list[GateResult] = []
    for team in report.teams:
        for name, limit in gates.items():
            results.append(_evaluate_one(report, GATES[name], team.name, float(limit)))
    return results


def _evaluate_one(report: Report, gate: Gate, team: str, limit: float) -> GateResult:
    found = [f for f in report.findings if f.team == team and f.kind == gate.kind]
    finding: Finding | None = found[0] if found else None
    if finding is None:
        reason = _why_absent(report, gate, team)
        if reason is not None or gate.absent is None:
            return GateResult(
                gate.name,
                team,
                "skip",
                limit,
                text=reason or f"the {gate.kind} analysis reported nothing",
            )
        value, text = gate.absent, gate.describe(gate.absent, {})
        return _judge(gate, team, limit, value, text, None)
    if not finding.computed:
        return GateResult(gate.name, team, "skip", limit, text=finding.message, finding=finding.id)
    raw = gate.value(finding.metrics)
    if raw is None:
        why = gate.why_none or f"the {gate.kind} finding gives no value for it"
        return GateResult(gate.name, team, "skip", limit, text=why, finding=finding.id)
    value = float(raw)
    return _judge(gate, team, limit, value, gate.describe(value, finding.metrics), finding.id)


def _judge(
    gate: Gate, team: str, limit: float, value: float, text: str, finding: str | None
) -> GateResult:
    status: Status = "fail" if value > limit else "pass"
    return GateResult(gate.name, team, status, limit, value, text, finding)


def _why_absent(report: Report, gate: Gate, team: str) -> str | None:
    """Why an analysis has no finding at all, when it did not simply find nothing."""
    run = report.analysis_run(gate.kind, team)
    if run is None:
        return f"the {gate.kind} analysis is not loaded"
    if run.status == "failed":
        return f"the {gate.kind} analysis failed (see the report's notes)"
    return None


def summary(results: list[GateResult]) -> tuple[list[str], int]:
    """The lines ``--check`` prints on stderr, and its exit code (1 when any gate failed)."""
    if not results:
        return ["no gates to check: add a [gates] table to the config (see config.example.toml)"], 0
    failed = [r for r in results if r.status == "fail"]
    skipped = [r for r in results if r.status == "skip"]
    lines = [r.line() for r in failed] + [r.line() for r in skipped]
    judged = len(results) - len(skipped)
    if failed:
        lines.append(f"{len(failed)} of {judged} evaluated gates failed")
        return lines, 1
    held = "the 1 evaluated gate holds" if judged == 1 else f"all {judged} evaluated gates hold"
    if skipped:
        lines.append(f"{held}; {len(skipped)} not evaluated")
    else:
        lines.append("the 1 gate holds" if judged == 1 else f"all {judged} gates hold")
    return lines, 0
