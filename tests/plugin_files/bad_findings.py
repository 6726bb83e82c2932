"""A finding kind whose findings the report cannot carry, as ``BAD_FINDING`` says:
``nan`` or ``inf`` in a metric, ``severity`` an unknown severity, ``fine`` none of these."""

import os

from leadkit import hookimpl
from leadkit.model.findings import Finding


def analyze(context):  # type: ignore[no-untyped-def]
    bad = os.environ.get("BAD_FINDING", "fine")
    metrics = {"share": 0.5, "weeks": [1.0, 2.0]}
    severity = "warn"
    if bad == "nan":
        metrics["share"] = float("nan")
    elif bad == "inf":
        metrics["weeks"] = [1.0, float("inf")]
    elif bad == "severity":
        severity = "critical"
    return [Finding(kind="bad-numbers", severity=severity, message="odd", metrics=metrics)]


@hookimpl
def register_analyses(register):  # type: ignore[no-untyped-def]
    register("bad-numbers", analyze)
