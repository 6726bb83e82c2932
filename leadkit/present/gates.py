"""CI gates: the ``[gates]`` limits checked against a report's findings, per team.

Each gate belongs to a finding kind (:attr:`leadkit.analyze.kinds.FindingKind.gates`),
which says how to read its value and how to say it. A gate fails when its
value is over its limit, or under it for a lower bound (:attr:`Gate.minimum`, a
``min_`` gate); the limit itself passes. A gate whose finding could
not be computed (thin data), whose analysis failed or did not run, is "not
evaluated": it does not fail, and the reason is shown. An analysis that
found nothing to report (no PR waiting, nobody blocked) counts as zero for
the count gates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from leadkit.analyze.kinds import FindingKind, Gate, Kinds, pct
from leadkit.model.findings import Finding
from leadkit.model.report import Report

Status = Literal["pass", "fail", "skip"]


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
    share: bool = False

    def line(self) -> str:
        """The one line ``--check`` prints for this result."""
        limit = pct(self.limit) if self.share else f"{self.limit:g}"
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


def evaluate(report: Report, gates: Mapping[str, float], kinds: Kinds) -> list[GateResult]:
    """Every gate in ``gates`` (the config's ``[gates]``), for every team, in config order.

    The config has refused unknown gates and impossible limits
    (:func:`leadkit.config.check_kind_keys`); a gate no loaded kind offers is one
    whose plugin did not load, so it is not evaluated.
    """
    known = kinds.gates()
    results: list[GateResult] = []
    for team in report.teams:
        # An older ``*_hours`` gate is checked as its ``*_days`` one, in this team's days.
        day_hours = team.working_time.day_hours if team.working_time else 24.0
        for name, limit in kinds.in_days(gates, day_hours).items():
            if name not in known:
                missing = ", ".join(report.not_loaded) or "none"
                why = f"no loaded analysis offers it (plugins not loaded: {missing})"
                results.append(GateResult(name, team.name, "skip", float(limit), text=why))
                continue
            kind, gate = known[name]
            results.append(_evaluate_one(report, kind, gate, team.name, float(limit)))
    return results


def _evaluate_one(
    report: Report, kind: FindingKind[Any], gate: Gate[Any], team: str, limit: float
) -> GateResult:
    found = [f for f in report.findings if f.team == team and f.kind == kind.kind]
    finding: Finding[Any] | None = found[0] if found else None
    skip = GateResult(gate.name, team, "skip", limit, share=gate.share)
    if finding is None:
        run = report.analysis_run(kind.kind, team)
        if run is None:
            return _with(skip, text=f"the {kind.kind} analysis is not loaded")
        if run.status == "failed":
            return _with(skip, text=f"the {kind.kind} analysis failed (see the report's notes)")
        if gate.absent is None:
            return _with(skip, text=f"the {kind.kind} analysis reported nothing")
        return _judge(skip, gate.absent, gate.describe(gate.absent, None), None, gate.minimum)
    if not finding.computed:
        return _with(skip, text=finding.message, finding=finding.id)
    raw = gate.value(finding.metrics)
    if raw is None:
        why = gate.why_none or f"the {kind.kind} finding gives no value for it"
        return _with(skip, text=why, finding=finding.id)
    value = float(raw)
    return _judge(skip, value, gate.describe(value, finding.metrics), finding.id, gate.minimum)


def _with(result: GateResult, **changes: Any) -> GateResult:
    return replace(result, **changes)


def _judge(
    base: GateResult, value: float, text: str, finding: str | None, minimum: bool = False
) -> GateResult:
    over = value < base.limit if minimum else value > base.limit
    status: Status = "fail" if over else "pass"
    return _with(base, status=status, value=value, text=text, finding=finding)


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
