"""Built-in publishers, registered through ``register_publishers``.

``github-summary`` appends the markdown report to the job summary file that
GitHub Actions names in ``$GITHUB_STEP_SUMMARY``. Outside Actions the variable
is unset; that is normal (a local run, GitLab CI), so the publisher says so in
its summary line and the run goes on with exit 0.
"""

from __future__ import annotations

from pathlib import Path

from leadkit import hookimpl
from leadkit.errors import LeadkitError
from leadkit.hookspecs import PublisherRegister
from leadkit.model.report import Report
from leadkit.present.publish import PublishContext

SUMMARY_LIMIT = 1024 * 1024
"""GitHub rejects a step's summary over 1 MiB, and then shows none of it."""


def github_summary(report: Report, context: PublishContext) -> str:
    """Append the markdown report to ``$GITHUB_STEP_SUMMARY`` (never overwrite: other steps write there)."""
    target = context.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if not target:
        return "skipped: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)"
    path = Path(target)
    text = context.render("markdown")
    try:
        used = path.stat().st_size if path.exists() else 0
        payload = text.encode("utf-8")
        if used + len(payload) + 1 > SUMMARY_LIMIT:
            note = (
                f"\n> leadkit: the report ({len(payload)} bytes) would push this job summary over "
                "GitHub's 1 MiB limit, so it was left out; write it with --output instead.\n"
            )
            payload = note.encode("utf-8")
        with path.open("ab") as handle:
            if used:
                handle.write(b"\n")
            handle.write(payload)
    except OSError as exc:
        raise LeadkitError(
            f"cannot append to the job summary {target} (GITHUB_STEP_SUMMARY): {exc.strerror}"
        ) from None
    return f"appended the markdown report to {target}"


@hookimpl
def register_publishers(register: PublisherRegister) -> None:
    register(
        "github-summary",
        github_summary,
        description="append the markdown report to $GITHUB_STEP_SUMMARY (GitHub Actions)",
    )
