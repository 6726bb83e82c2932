"""review-ownership: a co-reviewer for each area only the lead reviews, and the CODEOWNERS patch."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.testing import Team, ago, finding, moved

from ..conftest import DEMO_NOW


def lead_only_pipeline(team: Team, *, owen: int = 4, tommy: int = 1) -> None:
    """pipeline/ reviewed by Jamie alone: Owen wrote most of it, Tommy some; ingest/ is shared."""
    for n in range(owen):
        team.merged_pr(10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"])
    for n in range(tommy):
        team.merged_pr(20 + n, author="tommy", reviewers=["jamie"], paths=["pipeline/io.py"])
    for n in range(3):
        team.merged_pr(30 + n, author="priya", reviewers=["owen"], paths=["ingest/load.py"])


def co_reviews(doc: dict[str, object]) -> list[dict[str, object]]:
    return [a for a in doc["actions"] if a["kind"] == "co-review"]  # type: ignore[index,union-attr]


def test_who_wrote_most_of_a_lead_only_area_is_named_its_co_reviewers() -> None:
    team = Team()
    lead_only_pipeline(team)
    doc = team.json()
    f = finding(doc, "review-ownership")
    assert f is not None and f["severity"] == "info"
    (area,) = f["metrics"]["areas"]
    assert area["co_reviewers"] == ["owen", "tommy"]  # most PRs first, at most two
    assert area["authored"] == {"owen": 4, "tommy": 1}
    assert area["codeowners_line"] == "/pipeline/ @jamie @owen @tommy"
    (action,) = co_reviews(doc)
    assert action["message"] == (
        "Make Owen and Tommy co-reviewers of pipeline/ in acme/app: wrote 4 and 1 of its merged "
        "PRs in the history and have room; add '/pipeline/ @jamie @owen @tommy' to CODEOWNERS"
    )


def test_someone_without_room_is_not_named() -> None:
    team = Team()
    lead_only_pipeline(team)
    team.item(  # Tommy's own work stalled: not the moment to give him more
        "DATA-1", assignee="tommy", created=ago(30), transitions=[moved("In Progress", ago(20))]
    )
    f = finding(team.json(), "review-ownership")
    assert f is not None
    assert f["metrics"]["areas"][0]["co_reviewers"] == ["owen"]


def test_areas_others_review_get_no_co_reviewer() -> None:
    team = Team()
    for n in range(3):
        team.merged_pr(30 + n, author="priya", reviewers=["owen"], paths=["ingest/load.py"])
    doc = team.json()
    assert finding(doc, "review-ownership") is None
    assert not co_reviews(doc)


def test_owners_suggest_prints_a_patch_against_the_current_file_and_writes_nothing(
    tmp_path: Path,
) -> None:
    current = tmp_path / "CODEOWNERS"
    current.write_text("# owners\n* @jrivera-dev\n/pipeline/ @jrivera-dev\n", encoding="utf-8")
    runner = CliRunner()
    args = ["owners", "--suggest", "--demo", "--now", DEMO_NOW]
    result = runner.invoke(cli, [*args, "--codeowners", str(current)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "--- a/.github/CODEOWNERS\n"
        "+++ b/.github/CODEOWNERS\n"
        "@@ -1,3 +1,3 @@\n"
        " # owners\n"
        " * @jrivera-dev\n"
        "-/pipeline/ @jrivera-dev\n"
        "+/pipeline/ @jrivera-dev @ohart\n"
    )
    assert current.read_text(encoding="utf-8").endswith("/pipeline/ @jrivera-dev\n")
    fresh = runner.invoke(cli, args)
    assert fresh.exit_code == 0
    assert fresh.stdout.splitlines() == [
        "--- /dev/null",
        "+++ b/.github/CODEOWNERS",
        "@@ -0,0 +1 @@",
        "+/pipeline/ @jrivera-dev @ohart",
    ]


def test_owners_suggest_refuses_a_repository_it_has_nothing_for() -> None:
    result = CliRunner().invoke(
        cli, ["owners", "--suggest", "--demo", "--now", DEMO_NOW, "--repo", "acme/other"]
    )
    assert result.exit_code == 2
    assert "no CODEOWNERS lines are suggested for acme/other" in result.output
    assert "Traceback" not in result.output
