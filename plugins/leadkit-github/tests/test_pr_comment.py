"""``leadkit comment`` and ``leadkit apply`` end to end, against the fake GitHub (and fake Jira).

Jamie leads; Owen's PR acme/dataflow#141 (branch ``PIPE-201-retry``) waits on
Jamie's review; Priya has written the ingestion code before and has capacity;
Tommy has touched it once. So the comment offers Priya and Tommy as reviewers.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.model.data import TEXT_LIMIT
from leadkit.pr.comment import MARKER, NOTHING_LEFT, parse

from .fake_github import FakeGitHub, FakeIssue, FakePull, FakeRepo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TOKEN = "ghp_prCommentTOKEN0123456789"
REPO = "acme/dataflow"
ARGS = ["--repo", REPO, "--pr", "141", "--now", "2026-11-23T09:00:00Z"]

CONFIG = """
[team]
lead = "jamie"
members = ["owen", "priya", "tommy"]

[people.jamie]
name = "Jamie Rivera"
github = "jamie-gh"

[people.owen]
name = "Owen Hart"
github = "owen-gh"

[people.priya]
name = "Priya Shah"
github = "priya-gh"
growth = ["ingestion"]

[people.tommy]
github = "tommy-gh"
{extra}
[[sources]]
type = "github"
name = "gh"
base_url = "{url}"
repos = ["acme/dataflow"]
include_issues = {issues}
"""


def history() -> list[FakePull]:
    """Merged ingestion PRs: Priya wrote four (Jamie reviewed), Tommy one."""
    pulls = []
    for n, author in ((101, "priya-gh"), (102, "priya-gh"), (103, "priya-gh"), (104, "tommy-gh")):
        at = NOW - (30 - n % 100) * DAY
        pulls.append(
            FakePull(
                n,
                f"Ingestion change {n}",
                author,
                at,
                at + DAY,
                state="MERGED",
                merged=at + DAY,
                closed=at + DAY,
                files=["ingestion/loader.py"],
                requests=[("requested", "jamie-gh", at, author)],
                reviews=[("jamie-gh", "APPROVED", at + DAY / 2)],
            )
        )
    return pulls


def pr(title: str = "Retry failed ingestion batches", closes: list | None = None) -> FakePull:
    return FakePull(
        141,
        title,
        "owen-gh",
        NOW - 4 * DAY,
        NOW - 3 * DAY,
        branch="PIPE-201-retry",
        files=["ingestion/retry.py"],
        requests=[("requested", "jamie-gh", NOW - 3 * DAY, "owen-gh")],
        closes=closes or [],
    )


def fake(pull: FakePull | None = None, issues: list[FakeIssue] | None = None, **kw) -> FakeGitHub:
    repo = FakeRepo(REPO, pulls=[*history(), pull or pr()], issues=issues or [])
    users = {"tommy-gh": ("Tommy Lindqvist", None)}
    users.update(kw.pop("users", {}))
    gh = FakeGitHub([repo], token=TOKEN, users=users, **kw)
    gh.now = NOW
    return gh


@pytest.fixture
def run(tmp_path: Path):
    """``run(gh, "comment", *args, extra=..., env=...)`` through the CLI."""

    def invoke(gh: FakeGitHub, command: str, *args: str, extra: str = "", env=None, issues=False):
        config = tmp_path / "leadkit.toml"
        config.write_text(
            CONFIG.format(url=gh.url, extra=extra, issues="true" if issues else "false"),
            encoding="utf-8",
        )
        environ = {
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_API_URL": None,
            "GITHUB_REPOSITORY": None,
            "GITHUB_EVENT_PATH": None,
            "GITHUB_ACTIONS": None,
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "LEADKIT_CONFIG": None,
            "LEADKIT_PLUGINS": None,
            "LEADKIT_DISABLE_PLUGINS": None,
            **(env or {}),
        }
        base = [command, "--config", str(config)]
        return CliRunner().invoke(cli, [*base, *args], env=environ)

    return invoke


def comments(gh: FakeGitHub) -> list[dict]:
    return gh.comments.get((REPO, 141), [])


def writes(gh: FakeGitHub, method: str | None = None, fragment: str = "") -> list:
    return [w for w in gh.writes if (method is None or w[0] == method) and fragment in w[1]]


def ours(gh: FakeGitHub) -> dict:
    """leadkit's comment (the first with the marker by the token's account)."""
    return next(c for c in comments(gh) if MARKER in c["body"] and c["user"]["login"] == gh.poster)


def tick(gh: FakeGitHub, who: str, how: str = "x", by: str | None = "jamie-gh") -> None:
    """Edit leadkit's comment as ``by`` (the lead by default) would in the browser:
    tick (``x``), strike (``~``) or decline ``who``'s suggestion."""
    comment = ours(gh)
    lines = []
    for line in comment["body"].split("\n"):
        if line.startswith("- [ ]") and f":{who} -->" in line:
            if how == "x":
                line = "- [x]" + line[5:]
            elif how == "~":
                text, _, hidden = line[6:].partition(" <!--")
                line = f"- [ ] ~~{text}~~ <!--{hidden}"
            else:
                line = line.replace(" <!--", " declined <!--")
        lines.append(line)
    gh.edit_comment(comment, "\r\n".join(lines), by)  # browsers send CRLF


# -- comment ---------------------------------------------------------------------------


def test_comment_twice_leaves_one_comment_and_the_second_run_edits_nothing(run):
    with fake() as gh:
        first = run(gh, "comment", *ARGS)
        assert first.exit_code == 0, first.output
        assert "created comment" in first.output
        body = comments(gh)[0]["body"]
        second = run(gh, "comment", *ARGS)
        assert second.exit_code == 0, second.output

    assert len(comments(gh)) == 1
    assert len(writes(gh, "POST", "/comments")) == 1
    assert writes(gh, "PATCH") == []  # nothing changed: no edit, no notification
    assert "up to date" in second.output
    assert body.startswith(MARKER)
    assert "- [ ] Ask Priya Shah to review this pull request in place of Jamie Rivera" in body
    assert "<!-- s:review:acme/dataflow#141:priya -->" in body
    assert "<!-- s:review:acme/dataflow#141:tommy -->" in body
    assert "Owen Hart has waited" in body
    assert "@" not in body.split("<!-- leadkit:state")[0]  # nobody is mentioned by default


def test_a_changed_comment_is_edited_in_place_and_says_when_nothing_is_left(run):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        first_id = comments(gh)[0]["id"]
        # Jamie's request is withdrawn: nothing waits on the lead any more.
        pull = gh.repos[REPO].pulls[-1]
        pull.requests.append(("removed", "jamie-gh", NOW - DAY, "owen-gh"))
        gh.invalidate()
        result = run(gh, "comment", *ARGS)
        assert result.exit_code == 0, result.output
        again = run(gh, "comment", *ARGS)

    assert [c["id"] for c in comments(gh)] == [first_id]
    assert len(writes(gh, "PATCH")) == 1
    assert NOTHING_LEFT in comments(gh)[0]["body"]
    assert "s:review" not in comments(gh)[0]["body"]
    assert "up to date" in again.output


def test_nothing_to_say_and_no_comment_yet_posts_nothing(run):
    quiet = pr()
    quiet.requests = [("requested", "priya-gh", NOW - DAY, "owen-gh")]
    with fake(quiet) as gh:
        result = run(gh, "comment", *ARGS)
    assert result.exit_code == 0, result.output
    assert "no comment posted" in result.output
    assert gh.writes == []


def test_mentions_when_the_config_asks_for_them(run):
    with fake() as gh:
        result = run(gh, "comment", *ARGS, extra="[comment]\nmentions = true\n")
    assert result.exit_code == 0, result.output
    body = comments(gh)[0]["body"]
    assert "Ask @priya-gh to review" in body
    assert "@jamie-gh" not in body  # the lead is never pinged


def test_the_marker_is_found_past_the_first_page_and_other_peoples_markers_are_ignored(run):
    with fake() as gh:
        gh.add_comment(REPO, 141, f"{MARKER} fake state from someone else", "mallory")
        for n in range(130):
            gh.add_comment(REPO, 141, f"chatter {n}", "owen-gh")
        assert run(gh, "comment", *ARGS).exit_code == 0
        gh.reset_counts()
        result = run(gh, "comment", *ARGS)
        pages = [s for s in gh.requests if s.method == "GET" and s.path.endswith("/comments")]

    assert result.exit_code == 0, result.output
    ours = [c for c in comments(gh) if c["user"]["login"] == "leadkit-bot"]
    assert len(ours) == 1 and len(comments(gh)) == 132
    assert len(pages) == 2  # 100 per page, followed through the Link header
    assert comments(gh)[0]["body"].endswith("someone else")  # untouched


def test_tracker_text_full_of_markdown_html_and_mentions_renders_inert(run):
    evil = (
        "**bold** <img src=x onerror=alert(1)> [click](https://evil.example) @everyone "
        "# Heading ~~gone~~ declined <!-- s:review:acme/dataflow#141:mallory --> `code` |a|b|"
    )
    issue = FakeIssue(
        9,
        evil,
        "owen-gh",
        NOW - 10 * DAY,
        NOW - 2 * DAY,
        labels=["bug", "ingestion"],
        assignees=["jamie-gh"],
    )
    users = {"tommy-gh": ("Tommy <script>alert(1)</script> @admin ~~x~~", None)}
    with fake(pr(closes=[(REPO, 9)]), issues=[issue], users=users) as gh:
        result = run(gh, "comment", *ARGS, issues=True)
    assert result.exit_code == 0, result.output
    body = comments(gh)[0]["body"]
    visible = body.split("<!-- leadkit:state")[0]
    assert "acme/dataflow\\#\u200b9" in visible or "acme/dataflow#9" in visible
    for raw in ("<img", "<script", "](https://evil", "@everyone", "@admin", "**bold**", "\n# "):
        assert raw not in visible, raw
    assert "s:review:acme/dataflow#141:mallory" not in body
    parsed = parse(body)
    assert parsed.declined_now == []  # the words in the title do not decline anything
    assert all(o.sid.split(":")[-1] in {"priya", "tommy", "owen"} for o in parsed.offers)
    assert any(o.sid.startswith("delegate:acme/dataflow#9:") for o in parsed.offers)


def test_a_403_on_posting_gives_one_clear_line_and_exit_2(run):
    with fake() as gh:
        gh.fail(
            403,
            {"message": "Resource not accessible by integration"},
            path="/comments",
            method="POST",
        )
        result = run(gh, "comment", *ARGS)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "leadkit: error: the token cannot write to acme/dataflow#141: a pull request from a fork "
        "gets a read-only token; run leadkit comment from a workflow on pull_request_target"
    )
    assert "Resource not accessible by integration" in lines[0]
    assert comments(gh) == []


def test_a_404_names_the_pull_request(run):
    with fake() as gh:
        result = run(gh, "comment", "--repo", REPO, "--pr", "999")
    assert result.exit_code == 2
    assert "acme/dataflow#999" in result.stderr
    assert "Traceback" not in result.output


def test_repo_and_pr_default_from_the_actions_environment(run, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 141}}), encoding="utf-8")
    env = {"GITHUB_REPOSITORY": REPO, "GITHUB_EVENT_PATH": str(event)}
    with fake() as gh:
        result = run(gh, "comment", "--now", "2026-11-23T09:00:00Z", env=env)
    assert result.exit_code == 0, result.output
    assert len(comments(gh)) == 1


def test_dry_run_changes_nothing(run):
    with fake() as gh:
        result = run(gh, "comment", *ARGS, "--dry-run")
        assert result.exit_code == 0, result.output
        assert "would create a comment" in result.output and MARKER in result.output
        assert gh.writes == []
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya")
        before = comments(gh)[0]["body"]
        applied = run(gh, "apply", *ARGS, "--dry-run")
    assert applied.exit_code == 0, applied.output
    assert "dry run: would have requested the review of acme/dataflow#141 from Priya" in (
        applied.output
    )
    assert len(gh.writes) == 1  # only the comment created before
    assert comments(gh)[0]["body"] == before


# -- apply -----------------------------------------------------------------------------


def test_apply_requests_the_ticked_review_removes_the_leads_and_records_it(run):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya")
        result = run(gh, "apply", *ARGS)
        assert result.exit_code == 0, result.output
        recorded = comments(gh)[0]["body"]
        # The next comment run sees the new requests: nothing waits on Jamie now.
        after = run(gh, "comment", *ARGS)
        assert after.exit_code == 0, after.output

    assert writes(gh, "POST", "requested_reviewers") == [
        ("POST", f"/repos/{REPO}/pulls/141/requested_reviewers", {"reviewers": ["priya-gh"]})
    ]
    assert writes(gh, "DELETE", "requested_reviewers") == [
        ("DELETE", f"/repos/{REPO}/pulls/141/requested_reviewers", {"reviewers": ["jamie-gh"]})
    ]
    assert "**Done**" in recorded
    done_line = next(line for line in recorded.splitlines() if "Priya" in line and "by " in line)
    assert "Requested the review of acme/dataflow\\#\u200b141 from Priya Shah" in done_line
    assert "by leadkit\\-bot at 2026\\-11\\-23 09:00 UTC" in done_line
    assert "ticked by jamie\\-gh" in done_line
    assert "s:review:acme/dataflow#141:priya" not in recorded  # no longer offered
    assert "- [ ] Ask Tommy" in recorded
    final = comments(gh)[0]["body"]
    assert len(comments(gh)) == 1
    assert NOTHING_LEFT in final and "**Done**" in final


def test_apply_with_nothing_ticked_does_nothing(run):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        result = run(gh, "apply", *ARGS)
    assert result.exit_code == 0
    assert "nothing to apply" in result.output
    assert len(gh.writes) == 1


@pytest.mark.parametrize("how", ["~", "declined"])
def test_a_declined_suggestion_is_remembered_and_not_repeated(run, how):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "tommy", how)
        assert run(gh, "comment", *ARGS).exit_code == 0
        once = comments(gh)[0]["body"]
        # The lead deletes the Declined section: the hidden state still remembers.
        gh.edit_comment(
            comments(gh)[0],
            once.split("**Declined**")[0] + once[once.index("<!-- leadkit:state") :],
            "jamie-gh",
        )
        assert run(gh, "comment", *ARGS).exit_code == 0
        twice = comments(gh)[0]["body"]

    for body in (once, twice):
        assert "<!-- s:review:acme/dataflow#141:tommy -->" not in body
        assert "- [ ] Ask Priya Shah" in body
        assert "review:acme/dataflow#141:tommy" in parse(body).state.declined
    assert "<!-- x:review:acme/dataflow#141:tommy -->" in once
    assert len(comments(gh)) == 1


def test_apply_refuses_ticks_from_someone_other_than_the_lead(run, tmp_path):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya", by="owen-gh")
        event = tmp_path / "event.json"
        event.write_text(
            json.dumps(
                {
                    "issue": {"number": 141, "pull_request": {}},
                    "comment": {"body": comments(gh)[0]["body"]},
                    "sender": {"login": "owen-gh"},
                }
            ),
            encoding="utf-8",
        )
        env = {"GITHUB_REPOSITORY": REPO, "GITHUB_EVENT_PATH": str(event)}
        result = run(gh, "apply", "--now", "2026-11-23T09:00:00Z", env=env)
    assert result.exit_code == 0, result.output
    assert "not the lead" in result.output
    assert writes(gh, fragment="requested_reviewers") == []


def test_apply_reassigns_a_github_issue_only_when_allowed(run):
    issue = FakeIssue(
        9,
        "Flaky ingestion retry test",
        "owen-gh",
        NOW - 10 * DAY,
        NOW - 2 * DAY,
        labels=["bug"],
        assignees=["jamie-gh"],
    )
    with fake(pr(closes=[(REPO, 9)]), issues=[issue]) as gh:
        assert run(gh, "comment", *ARGS, issues=True).exit_code == 0
        body = comments(gh)[0]["body"]
        who = re.search(r"s:delegate:acme/dataflow#9:(\w+)", body).group(1)
        tick(gh, who)
        refused = run(gh, "apply", *ARGS, issues=True)
        assert refused.exit_code == 0, refused.output
        assert writes(gh, fragment="assignees") == []
        assert "allow_reassign" in comments(gh)[0]["body"]
        tick(gh, who)
        allowed = run(
            gh, "apply", *ARGS, issues=True, extra="[delegation]\nallow_reassign = true\n"
        )
    assert allowed.exit_code == 0, allowed.output
    login = f"{who}-gh"
    assert writes(gh, "POST", "assignees") == [
        ("POST", f"/repos/{REPO}/issues/9/assignees", {"assignees": [login]})
    ]
    assert writes(gh, "DELETE", "assignees")[0][2] == {"assignees": ["jamie-gh"]}
    assert gh.repos[REPO].issues[0].assignees == [login]
    assert "Reassigned acme/dataflow\\#\u200b9 from Jamie Rivera" in comments(gh)[0]["body"]


# -- who may act: the comment is shared, editable text ------------------------------------


def visible(body: str) -> str:
    return body.split("<!-- leadkit:state")[0]


def not_done_lines(body: str) -> list[str]:
    section = visible(body).split("**Not carried out**")
    return (
        [x for x in section[1].split("**")[0].splitlines() if x.startswith("- ")]
        if len(section) > 1
        else []
    )


def rewrite(gh: FakeGitHub, old: str, new: str, by: str, *, recorded: bool = True) -> None:
    """``by`` replaces ``old`` with ``new`` in leadkit's comment (a browser edit)."""
    comment = ours(gh)
    assert old in comment["body"], old
    gh.edit_comment(comment, comment["body"].replace(old, new), by, recorded=recorded)


def test_a_members_tick_is_never_carried_out_not_even_after_the_leads_unrelated_edit(run):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya", by="owen-gh")  # Owen ticks "ask Priya" on his own PR
        tick(gh, "tommy", "declined")  # then Jamie edits the comment for something else
        first = run(gh, "apply", *ARGS)
        assert first.exit_code == 0, first.output
        after_refusal = ours(gh)["body"]
        rewrite(gh, "**Why this pull request**", "**Why this pull request** ", "jamie-gh")
        second = run(gh, "apply", *ARGS)
        assert second.exit_code == 0, second.output
        assert writes(gh, fragment="requested_reviewers") == []
        # The lead's own tick of the same suggestion is carried out, in the lead's name.
        tick(gh, "priya")
        third = run(gh, "apply", *ARGS)
        assert third.exit_code == 0, third.output
        final = ours(gh)["body"]

    assert "ticked by owen-gh, who is not the lead or a [comment] approver" in first.output
    (line,) = not_done_lines(after_refusal)
    assert "ticked by owen\\-gh, who is not the lead" in line and "reset" in line
    assert "- [ ] Ask Priya Shah" in after_refusal  # the box was reset
    assert "**Done**" not in after_refusal
    assert "nothing to apply" in second.output
    assert writes(gh, "POST", "requested_reviewers") == [
        ("POST", f"/repos/{REPO}/pulls/141/requested_reviewers", {"reviewers": ["priya-gh"]})
    ]
    done = next(x for x in visible(final).splitlines() if x.startswith("- Requested"))
    assert "ticked by jamie\\-gh" in done
    assert len(comments(gh)) == 1


@pytest.mark.parametrize("to", ["owen", "tommy"])
def test_a_tampered_hidden_id_cannot_redirect_the_review(run, to):
    """Owen rewrites the id on Priya's line (to himself, or to Tommy's real suggestion);
    Jamie, reading "Ask Priya", ticks it. Nothing is requested from anyone."""
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        rewrite(
            gh,
            "s:review:acme/dataflow#141:priya -->",
            f"s:review:acme/dataflow#141:{to} -->",
            "owen-gh",
        )
        comment = ours(gh)
        gh.edit_comment(
            comment,
            "\n".join(
                "- [x]" + x[5:] if x.startswith("- [ ] Ask Priya") else x
                for x in comment["body"].split("\n")
            ),
            "jamie-gh",
        )
        result = run(gh, "apply", *ARGS)
        body = ours(gh)["body"]

    assert result.exit_code == 0, result.output
    assert writes(gh, fragment="requested_reviewers") == []
    assert "not as leadkit wrote it" in result.output
    (line,) = not_done_lines(body)
    assert "not as leadkit wrote it" in line
    # leadkit's next version is its own again: the ids are leadkit's, nothing ticked.
    assert "<!-- s:review:acme/dataflow#141:priya -->" in body
    assert "- [x]" not in body
    assert "s:review:acme/dataflow#141:owen" not in body


@pytest.mark.parametrize("ticker", ["owen-gh", "jamie-gh"])
def test_a_forged_reassign_line_is_ignored(run, ticker):
    """A line leadkit never wrote (here: hand acme/dataflow#9 to Owen) is not carried out,
    whether its author ticks it or the lead does, even with reassigning allowed."""
    issue = FakeIssue(
        9, "Flaky ingestion retry test", "owen-gh", NOW - 10 * DAY, NOW - 2 * DAY,
        labels=["bug"], assignees=["jamie-gh"],
    )  # fmt: skip
    extra = "[delegation]\nallow_reassign = true\n"
    forged = "- [ ] Hand acme/dataflow#9 to Owen Hart <!-- s:delegate:acme/dataflow#9:owen -->"
    with fake(pr(closes=[(REPO, 9)]), issues=[issue]) as gh:
        assert run(gh, "comment", *ARGS, issues=True, extra=extra).exit_code == 0
        rewrite(
            gh,
            "\n\n**Why this pull request**",
            f"\n{forged}\n\n**Why this pull request**",
            "owen-gh",
        )
        rewrite(gh, forged, "- [x]" + forged[5:], ticker)
        result = run(gh, "apply", *ARGS, issues=True, extra=extra)
        body = ours(gh)["body"]

    assert result.exit_code == 0, result.output
    assert writes(gh, fragment="assignees") == []
    assert gh.repos[REPO].issues[0].assignees == ["jamie-gh"]
    assert "handing acme/dataflow#9 to owen" in result.output
    assert "Hand acme/dataflow#9 to Owen Hart" not in body  # not copied into leadkit's version


def test_under_an_app_token_imitations_are_ignored_and_three_runs_leave_one_comment(run):
    imitation = f"{MARKER}\n- [x] Ask Owen Hart to review <!-- s:review:acme/dataflow#141:owen -->"
    env = {"GITHUB_ACTIONS": "true"}
    with fake(app="leadkit-app") as gh:
        fakes = [
            gh.add_comment(REPO, 141, imitation, "mallory"),
            gh.add_comment(REPO, 141, imitation, "github-actions[bot]"),
        ]
        first = run(gh, "comment", *ARGS, env=env)
        second = run(gh, "comment", *ARGS, env=env)
        gh.repos[REPO].pulls[-1].requests.append(("removed", "jamie-gh", NOW - DAY, "owen-gh"))
        gh.invalidate()
        third = run(gh, "comment", *ARGS, env=env)
        applied = run(gh, "apply", *ARGS, env=env)

    for result in (first, second, third, applied):
        assert result.exit_code == 0, result.output
    assert "created comment" in first.output
    assert "up to date" in second.output and "edited comment" in third.output
    mine = [c for c in comments(gh) if c["user"]["login"] == "leadkit-app[bot]"]
    assert len(mine) == 1 and len(comments(gh)) == 3
    assert NOTHING_LEFT in mine[0]["body"]
    assert [c["body"] for c in fakes] == [imitation, imitation]  # never adopted nor edited
    assert all(str(c["id"]) not in w[1] for c in fakes for w in writes(gh, "PATCH"))
    assert "nothing to apply" in applied.output
    assert writes(gh, fragment="requested_reviewers") == []


def test_an_app_token_uses_bot_login_from_the_config_without_asking(run):
    extra = '[comment]\nbot_login = "leadkit-app"\n'
    with fake(app="leadkit-app") as gh:
        gh.add_comment(REPO, 141, f"{MARKER} imitation", "owen-gh")
        for _ in range(3):
            assert run(gh, "comment", *ARGS, extra=extra).exit_code == 0
        viewer_asked = gh.count(operation="LeadkitViewer")
    assert viewer_asked == 0
    assert [c["user"]["login"] for c in comments(gh)] == ["owen-gh", "leadkit-app[bot]"]


def test_a_token_whose_account_cannot_be_told_is_one_clear_line(run):
    with fake(app="leadkit-app") as gh:
        gh.fail(
            403, {"message": "Resource not accessible by integration"}, path="/graphql", times=5
        )
        result = run(gh, "comment", *ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "leadkit: error: cannot tell which account the token posts as (GET /user was refused "
        'and GraphQL\'s viewer did not say): set [comment] bot_login = "APP-NAME[bot]"'
    ]
    assert comments(gh) == []


def test_a_tick_by_an_approver_is_carried_out(run):
    extra = '[comment]\napprovers = ["sam-gh"]\n'
    with fake() as gh:
        assert run(gh, "comment", *ARGS, extra=extra).exit_code == 0
        tick(gh, "tommy", by="Sam-GH")  # logins are case-insensitive
        result = run(gh, "apply", *ARGS, extra=extra)
    assert result.exit_code == 0, result.output
    assert writes(gh, "POST", "requested_reviewers")[0][2] == {"reviewers": ["tommy-gh"]}
    assert "ticked by Sam\\-GH" in ours(gh)["body"]


@pytest.mark.parametrize("how", ["not in the history", "by a deleted account"])
def test_a_tick_leadkit_cannot_attribute_is_refused(run, how):
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        old = "- [ ] Ask Priya Shah"
        if how == "by a deleted account":
            rewrite(gh, old, "- [x] Ask Priya Shah", None)
        else:  # Jamie edits, then a tick the history does not show (yet) appears
            rewrite(gh, "**Why this pull request**", "**Why this pull request** ", "jamie-gh")
            rewrite(gh, old, "- [x] Ask Priya Shah", "jamie-gh", recorded=False)
        result = run(gh, "apply", *ARGS)
        body = ours(gh)["body"]
    assert result.exit_code == 0, result.output
    assert writes(gh, fragment="requested_reviewers") == []
    (line,) = not_done_lines(body)
    assert "cannot tell who ticked it" in line
    assert "- [ ] Ask Priya Shah" in body


def test_the_lead_running_leadkit_with_their_own_token_can_tick(run):
    """The token is Jamie's: leadkit's versions and Jamie's ticks are saved by one account,
    told apart by the checksum leadkit keeps in its own versions."""
    with fake(viewer="jamie-gh") as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya")
        result = run(gh, "apply", *ARGS)
    assert result.exit_code == 0, result.output
    assert writes(gh, "POST", "requested_reviewers")[0][2] == {"reviewers": ["priya-gh"]}


def test_comment_keeps_the_leads_tick_and_resets_a_members(run):
    """``comment`` (on a push) runs before ``apply``: it keeps the lead's tick for apply,
    resets a member's with one line, and apply then does only the lead's."""
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya")
        tick(gh, "tommy", by="owen-gh")
        assert run(gh, "comment", *ARGS).exit_code == 0
        between = ours(gh)["body"]
        result = run(gh, "apply", *ARGS)
    assert result.exit_code == 0, result.output
    assert "- [x] Ask Priya Shah" in between and "- [ ] Ask Tommy" in between
    (line,) = not_done_lines(between)
    assert "owen\\-gh" in line
    assert [w[2] for w in writes(gh, "POST", "requested_reviewers")] == [
        {"reviewers": ["priya-gh"]}
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[comment]\napprovers = ["jamie gh"]\n', "comment.approvers"),
        ('[comment]\napprovers = "sam-gh"\nbot_login = "<b>"\n', "comment.bot_login"),
        ("[comment]\napprover = []\n", "approver"),
    ],
)
def test_bad_comment_config_is_one_line_and_exit_2(run, extra, message):
    with fake() as gh:
        result = run(gh, "comment", *ARGS, extra=extra)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert message in line
    assert gh.writes == []


def test_a_leads_tick_on_a_suggestion_leadkit_no_longer_makes_is_not_carried_out(run):
    """apply recomputes: Jamie ticked "ask Priya", then Owen withdrew Jamie's review request."""
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        tick(gh, "priya")
        gh.repos[REPO].pulls[-1].requests.append(("removed", "jamie-gh", NOW - DAY, "owen-gh"))
        gh.invalidate()
        result = run(gh, "apply", *ARGS)
        body = ours(gh)["body"]
    assert result.exit_code == 0, result.output
    assert writes(gh, fragment="requested_reviewers") == []
    (line,) = not_done_lines(body)
    assert "no longer suggests this" in line
    assert NOTHING_LEFT in body


# -- a long edit history (issue 18) ---------------------------------------------------------


def test_the_leads_tick_counts_after_101_edits_by_someone_else(run):
    """GitHub lists 100 edits a page, newest first: leadkit reads back to its own version."""
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        comment = ours(gh)
        posted = comment["body"]
        for n in range(101):  # a teammate fiddles with whitespace, 101 times
            gh.edit_comment(comment, posted + "\n" * (n % 2), "sam-gh")
        tick(gh, "priya")
        result = run(gh, "apply", *ARGS)
        history_reads = gh.count(graphql=True, operation="LeadkitCommentHistory")
    assert result.exit_code == 0, result.output
    assert writes(gh, "POST", "requested_reviewers")[0][2] == {"reviewers": ["priya-gh"]}
    assert "ticked by jamie\\-gh" in ours(gh)["body"]
    assert history_reads == 2


def test_a_history_too_long_to_read_is_said_and_nothing_is_carried_out(run, monkeypatch):
    import leadkit_github.writes as github_writes

    monkeypatch.setattr(github_writes, "HISTORY_PAGES", 2)
    with fake() as gh:
        assert run(gh, "comment", *ARGS).exit_code == 0
        comment = ours(gh)
        posted = comment["body"]
        for n in range(201):
            gh.edit_comment(comment, posted + "\n" * (n % 2), "sam-gh")
        tick(gh, "priya")
        result = run(gh, "apply", *ARGS)
    assert result.exit_code == 0, result.output
    assert writes(gh, "POST", "requested_reviewers") == []
    assert (
        "leadkit cannot tell who ticked it: its edit history has more than 200 edits and "
        "leadkit's own last version is not among the newest 200 it reads"
    ) in result.output


def test_a_huge_linked_issue_title_is_cut_and_never_empties_the_comment(run):
    """Seven 100,000-character titles once left nothing but "Nothing is left to delegate"
    beside "Left out ... suggestions": the title is cut at TEXT_LIMIT and the offer stays."""
    issue = FakeIssue(
        9,
        "Loader retries " + "x" * 100_000,
        "owen-gh",
        NOW - 10 * DAY,
        NOW - 2 * DAY,
        labels=["bug", "ingestion"],
        assignees=["jamie-gh"],
    )
    with fake(pr("Retry " + "y" * 100_000, closes=[(REPO, 9)]), issues=[issue]) as gh:
        result = run(gh, "comment", *ARGS, issues=True)
    assert result.exit_code == 0, result.output
    body = comments(gh)[0]["body"]
    assert len(body) < 20_000
    assert NOTHING_LEFT not in body and "Left out" not in body
    assert "Loader retries xxx" in body and "x" * TEXT_LIMIT not in body
    assert any(o.sid.startswith("delegate:acme/dataflow#9:") for o in parse(body).offers)
