"""``leadkit owners --suggest``: the CODEOWNERS lines review-ownership proposes, as a patch.

The lines come from the report's ``review-ownership`` findings (one per code
area only the lead reviews: the lead and one or two co-reviewers). The patch
is a unified diff against the repository's current file: the text given with
``--codeowners FILE``, or a new ``.github/CODEOWNERS`` when the data shows the
repository has none. A rule for the same pattern is replaced (its owners kept,
the co-reviewers added); any other line is added at the end, where it wins
(the last matching rule does). Nothing is ever written: a lead reads the patch
and applies it (``git apply``) if they agree.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from leadkit.errors import LeadkitError
from leadkit.model.data import CODEOWNERS_PATHS, Dataset
from leadkit.model.report import Report


class OwnersError(LeadkitError):
    """What ``owners --suggest`` cannot do: one line, exit 2."""


def suggested_lines(report: Report) -> dict[str, list[str]]:
    """Per repository, the CODEOWNERS lines the report's findings propose.

    Any kind proposes lines the same way (review-ownership built in, or a plugin's):
    its metrics' ``areas`` each carry a ``repo`` and a ``codeowners_line``; the core
    names no kind.
    """
    out: dict[str, list[str]] = {}
    for finding in report.findings:
        if not finding.computed:
            continue
        for area in getattr(finding.metrics, "areas", None) or ():
            line = getattr(area, "codeowners_line", None)
            repo = getattr(area, "repo", None)
            if not isinstance(line, str) or not isinstance(repo, str):
                continue
            lines = out.setdefault(repo, [])
            if line not in lines:
                lines.append(line)
    return out


def merged(current: str, lines: Iterable[str]) -> str:
    """``current`` with each line's rule added: a rule for the same pattern takes the new
    owners too; a new pattern goes at the end."""
    text = current.splitlines()
    for line in lines:
        pattern, *owners = line.split()
        for n, old in enumerate(text):
            body = old.split(" #", 1)[0].split()
            if body and body[0] == pattern:
                kept = body[1:] + [o for o in owners if o not in body[1:]]
                text[n] = " ".join([pattern, *kept])
                break
        else:
            text.append(line)
    return "\n".join(text) + "\n" if text else ""


def suggest_patch(
    report: Report, dataset: Dataset, current: str | None, repo: str | None = None
) -> str:
    """The unified diff adding the suggested lines (empty when there is nothing to add).

    ``current``: the repository's CODEOWNERS text (``--codeowners FILE``), for one repository;
    ``repo`` picks it when the report suggests lines for several.
    """
    lines = suggested_lines(report)
    if repo is not None:
        if repo not in lines:
            listed = ", ".join(sorted(lines)) or "none"
            raise OwnersError(f"no CODEOWNERS lines are suggested for {repo} (suggested: {listed})")
        lines = {repo: lines[repo]}
    if current is not None and len(lines) > 1:
        raise OwnersError(
            f"lines are suggested for {len(lines)} repositories ({', '.join(sorted(lines))}): "
            "name the one --codeowners is for with --repo"
        )
    known = {o.repo: o for o in dataset.code_owners}
    out: list[str] = []
    for name, added in sorted(lines.items()):
        if current is None and name in known and known[name].rules:
            raise OwnersError(
                f"{name} has {known[name].path}: give its current text with --codeowners FILE"
            )
        path = known[name].path if name in known else CODEOWNERS_PATHS[0]
        before = current or ""
        after = merged(before, added)
        out.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{path}" if before else "/dev/null",
                tofile=f"b/{path}",
            )
        )
    return "".join(out)
