"""``leadkit comment`` / ``leadkit apply`` on a GitLab merge request, and the writes behind them.

The team of ``test_gitlab_report``: Priya's MR acme/api!8 waits on Jamie, and
Owen and Tommy could review it instead. The MR shares its number with nothing
here, but issue acme/api#20 is Jamie's, so refs of both kinds are in play.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.cli import cli

from .conftest import TOKEN, make_adapter
from .fake_gitlab import FakeGitLab
from .test_gitlab_report import GITLAB_SOURCE, PEOPLE, as_gitlab, story

MARKER = "<!-- leadkit"
ARGS = ["--repo", "acme/api", "--pr", "8", "--now", "2026-03-02T12:00:00Z"]


def run(fake: FakeGitLab, tmp_path: Path, command: str, *args: str) -> Any:
    config = tmp_path / "leadkit.toml"
    config.write_text(
        PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=fake.url), encoding="utf-8"
    )
    env = {
        "GITLAB_TOKEN": TOKEN,
        "GITHUB_TOKEN": None,
        "GITHUB_REPOSITORY": None,
        "GITHUB_EVENT_PATH": None,
        "LEADKIT_CONFIG": None,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    return CliRunner().invoke(cli, [command, "--config", str(config), *args, *ARGS], env=env)


def user_notes(fake: FakeGitLab) -> list[dict[str, Any]]:
    return [n for n in fake.notes.get(("acme/api", 8), []) if not n["system"]]


def test_comment_posts_one_note_on_the_mr_and_edits_it_in_place(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="jamie")
    first = run(fake, tmp_path, "comment")
    assert first.exit_code == 0, first.output
    (note,) = user_notes(fake)
    assert f"created comment {note['id']} on acme/api!8" in first.output
    assert MARKER in note["body"]
    assert "Ask Owen Ortiz to review" in note["body"]
    assert "Ask Tommy Tran to review" in note["body"]

    again = run(fake, tmp_path, "comment")
    assert again.exit_code == 0, again.output
    assert "up to date: not edited" in again.output

    note["body"] = note["body"].replace("Ask Tommy Tran", "Ask Tom")  # an older version
    edited = run(fake, tmp_path, "comment")
    assert edited.exit_code == 0, edited.output
    assert f"edited comment {note['id']} on acme/api!8" in edited.output
    assert len(user_notes(fake)) == 1 and "Ask Tommy Tran" in user_notes(fake)[0]["body"]
    puts = [w for w in fake.writes if w[0] == "PUT"]
    assert [w[1].endswith(f"/notes/{note['id']}") for w in puts] == [True]


def sids(body: str) -> dict[str, str]:
    """The suggestion ids in leadkit's note, by the person each suggestion names."""
    return {sid.rsplit(":", 1)[1]: sid for sid in re.findall(r"<!-- s:(\S+) -->", body)}


def reviewer_puts(fake: FakeGitLab) -> list[Any]:
    return [w[2]["reviewer_ids"] for w in fake.writes if "reviewer_ids" in (w[2] or {})]


def commented(fake: FakeGitLab, tmp_path: Path) -> dict[str, Any]:
    assert run(fake, tmp_path, "comment").exit_code == 0
    (note,) = user_notes(fake)
    return note


def test_the_note_says_how_to_approve_by_reply_and_that_ticks_do_nothing(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="jamie")
    note = commented(fake, tmp_path)
    ids = sids(note["body"])
    assert set(ids) == {"owen", "tommy"}
    assert f"(reply `apply {ids['owen']}`)" in note["body"]
    assert "reply in this thread" in note["body"]
    assert "Ticking a box in this note does nothing" in note["body"]

    note["body"] = note["body"].replace("- [ ]", "- [x]", 1)  # the lead ticks a box anyway
    result = run(fake, tmp_path, "apply")
    assert result.exit_code == 0, result.output
    assert "nothing to apply (a ticked box does nothing here" in result.output
    assert reviewer_puts(fake) == []


def test_the_leads_reply_is_carried_out_once_across_two_runs(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    owen = sids(note["body"])["owen"]
    fake.reply("acme/api", 8, note["id"], "jamie", f"Thanks!\napply {owen}\n")

    first = run(fake, tmp_path, "apply")
    assert first.exit_code == 0, first.output
    assert "requested the review of acme/api!8 from Owen Ortiz (owen)" in first.output
    ids = {u: fake.user(u)["id"] for u in ("jamie", "owen")}
    assert ids["owen"] in fake.reviewer_ids[("acme/api", 8)]
    (note,) = [n for n in user_notes(fake) if n["id"] == note["id"]]
    assert "asked for in a reply by jamie" in note["body"]
    assert f"apply {owen}" not in note["body"]  # done: no longer offered
    writes = reviewer_puts(fake)
    assert writes[0] == [ids["jamie"], ids["owen"]] and writes[-1] == [ids["owen"]]

    second = run(fake, tmp_path, "apply")
    assert second.exit_code == 0, second.output
    assert "nothing to apply" in second.output
    assert reviewer_puts(fake) == writes


def test_a_members_reply_is_refused_and_never_carried_out_later(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    ids = sids(note["body"])
    fake.reply("acme/api", 8, note["id"], "tommy", f"apply {ids['tommy']}")

    refused = run(fake, tmp_path, "apply")
    assert refused.exit_code == 0, refused.output
    assert (
        "not done: A reply asking for the review of acme/api!8 by tommy was not carried out: "
        "asked for by tommy, who is not the lead or a [comment] approver"
    ) in refused.output
    assert reviewer_puts(fake) == []
    (note,) = [n for n in user_notes(fake) if n["id"] == note["id"]]
    assert "asked for by tommy, who is not the lead" in note["body"]

    # The lead then approves something else: only that is done, never tommy's reply.
    fake.reply("acme/api", 8, note["id"], "jamie", f"apply {ids['owen']}")
    later = run(fake, tmp_path, "apply")
    assert later.exit_code == 0, later.output
    tommy = fake.user("tommy")["id"]
    assert reviewer_puts(fake) and all(tommy not in p for p in reviewer_puts(fake))
    assert "tommy" not in later.output.replace("Tommy", "")


def test_a_reply_naming_an_id_leadkit_does_not_propose_now_is_refused(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    forged = sids(note["body"])["owen"].rsplit(":", 1)[0] + ":priya"  # the MR's own author
    fake.reply("acme/api", 8, note["id"], "jamie", f"apply {forged}")

    result = run(fake, tmp_path, "apply")
    assert result.exit_code == 0, result.output
    assert (
        "not done: the review of acme/api!8 by priya: leadkit does not suggest this now"
        in result.output
    )
    assert reviewer_puts(fake) == []


def test_a_missing_mr_is_one_line_exit_2(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="jamie")
    config = tmp_path / "leadkit.toml"
    config.write_text(
        PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=fake.url), encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        ["comment", "--config", str(config), "--repo", "acme/api", "--pr", "99"],
        env={"GITLAB_TOKEN": TOKEN, "GITHUB_EVENT_PATH": None, "LEADKIT_CONFIG": None},
    )
    assert result.exit_code == 2
    assert "merge request acme/api!99 was not found" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_reviewer_and_assignee_writes_change_only_the_people_named(serve):
    fake = serve(as_gitlab(*story()), viewer="jamie")
    host = make_adapter(fake.url).review_host("acme/api")
    assert host.whoami() == "jamie" and host.tracker == "gitlab" and host.ref_sep == "!"
    host.check_pull("acme/api", 8)

    host.request_review("acme/api", 8, ["owen", "tommy"])
    ids = {u: fake.user(u)["id"] for u in ("jamie", "owen", "tommy", "priya")}
    assert fake.reviewer_ids[("acme/api", 8)] == [ids["jamie"], ids["owen"], ids["tommy"]]
    host.remove_review_request("acme/api", 8, ["jamie"])
    assert fake.reviewer_ids[("acme/api", 8)] == [ids["owen"], ids["tommy"]]

    # The next read sees the changes as GitLab records them: system notes with times.
    data = make_adapter(fake.url, include_issues=False).collect(_window())
    (mr,) = [r for r in data.reviews if r.number == 8]
    pending = {r.reviewer for r in mr.review_requests if r.removed is None}
    assert pending == {"gitlab:owen", "gitlab:tommy"}

    writer = make_adapter(fake.url).ticket_writer()
    said = writer.reassign("acme/api#20", "owen", "jamie")
    assert said == "assigned acme/api#20 to owen and unassigned jamie"
    assert fake.assignee_ids[("acme/api", 20)] == [ids["owen"]]


def _window() -> Any:
    from .conftest import WINDOW

    return WINDOW


def test_in_gitlab_ci_the_project_and_mr_come_from_the_pipeline_and_subgroups_work(
    serve, tmp_path: Path
):
    changes, tickets = story()
    (project,) = as_gitlab(changes, tickets)
    project.path = "acme/platform/api"
    fake = serve([project], viewer="jamie")
    config = tmp_path / "leadkit.toml"
    config.write_text(
        PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=fake.url), encoding="utf-8"
    )
    env = {
        "GITLAB_TOKEN": TOKEN,
        "GITLAB_CI": "true",
        "CI_PROJECT_PATH": "acme/platform/api",
        "CI_MERGE_REQUEST_IID": "8",
        "GITHUB_ACTIONS": None,
        "GITHUB_REPOSITORY": None,
        "GITHUB_EVENT_PATH": None,
        "LEADKIT_CONFIG": None,
    }
    result = CliRunner().invoke(
        cli, ["comment", "--config", str(config), "--now", "2026-03-02T12:00:00Z"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "on acme/platform/api!8" in result.output
    (note,) = [n for n in fake.notes[("acme/platform/api", 8)] if not n["system"]]
    assert "Ask Owen Ortiz to review" in note["body"]


# -- which replies count (issue 18) ---------------------------------------------------------


def the_note(fake: FakeGitLab, note: dict[str, Any]) -> dict[str, Any]:
    (now,) = [n for n in user_notes(fake) if n["id"] == note["id"]]
    return now


def shown(fake: FakeGitLab, note: dict[str, Any]) -> str:
    """The note as a reader sees it (without its hidden state)."""
    return str(the_note(fake, note)["body"]).split("<!-- leadkit:state")[0]


@pytest.mark.parametrize(
    "reply",
    [
        "> apply {owen}\n\nNo, please don't.",
        ">apply {owen}\nNo",
        "> > apply {owen}",
        "```\napply {owen}\n```\nThat is the command, but not yet.",
        "~~~text\napply {owen}\n~~~",
        "Not yet:\n\n    apply {owen}\n",
        "\tapply {owen}",
        "I will apply {owen} tomorrow",
    ],
    ids=[
        "quoted",
        "quoted-tight",
        "nested-quote",
        "fenced",
        "tilde-fenced",
        "indented",
        "tab",
        "prose",
    ],
)
def test_only_an_unquoted_command_line_of_the_reply_s_own_counts(serve, tmp_path: Path, reply: str):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    owen = sids(note["body"])["owen"]
    fake.reply("acme/api", 8, note["id"], "jamie", reply.format(owen=owen))

    result = run(fake, tmp_path, "apply")
    assert result.exit_code == 0, result.output
    assert "nothing to apply" in result.output
    assert reviewer_puts(fake) == []
    assert f"apply {owen}" in the_note(fake, note)["body"]  # still offered


def test_the_command_may_be_written_as_inline_code_among_other_lines(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    owen = sids(note["body"])["owen"]
    fake.reply(
        "acme/api", 8, note["id"], "jamie", f"> what do you think?\n\n`apply {owen}`\nthanks"
    )
    result = run(fake, tmp_path, "apply")
    assert result.exit_code == 0, result.output
    assert "requested the review of acme/api!8 from Owen Ortiz (owen)" in result.output


def test_a_reply_edited_after_it_was_posted_is_nobody_s_and_refused_once(serve, tmp_path: Path):
    """GitLab lets a Maintainer edit the lead's note and keeps the lead as its author."""
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    owen = sids(note["body"])["owen"]
    said = fake.reply("acme/api", 8, note["id"], "jamie", "Thanks, looking.")
    fake.edit("acme/api", 8, said["id"], f"apply {owen}", at=fake.now + timedelta(hours=1))

    refused = run(fake, tmp_path, "apply")
    assert refused.exit_code == 0, refused.output
    assert reviewer_puts(fake) == []
    line = (
        "A reply asking for the review of acme/api!8 by owen was not carried out: edited after "
        "it was posted (shown as jamie's"
    )
    assert f"not done: {line}" in refused.output
    assert shown(fake, note).count("edited after it was posted") == 1

    again = run(fake, tmp_path, "apply")
    assert "nothing to apply" in again.output and reviewer_puts(fake) == []
    assert shown(fake, note).count("edited after it was posted") == 1


def test_an_old_reply_edited_into_a_command_later_is_never_acted_on(serve, tmp_path: Path):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    owen = sids(note["body"])["owen"]
    said = fake.reply("acme/api", 8, note["id"], "jamie", "Thanks, looking.")
    first = run(fake, tmp_path, "apply")
    assert first.exit_code == 0 and "nothing to apply" in first.output
    assert f'"replies_through":{said["id"]}' in the_note(fake, note)["body"]  # seen: recorded

    said["body"] = f"apply {owen}"  # edited in place, times untouched: still never read again
    later = run(fake, tmp_path, "apply")
    assert later.exit_code == 0 and "nothing to apply" in later.output
    assert reviewer_puts(fake) == []


def test_a_flood_of_replies_is_one_line_per_author_and_keeps_the_leads_records(
    serve, tmp_path: Path
):
    fake = serve(as_gitlab(*story()), viewer="leadkit-bot")
    note = commented(fake, tmp_path)
    ids = sids(note["body"])
    fake.reply("acme/api", 8, note["id"], "jamie", f"apply {ids['owen']}")
    assert run(fake, tmp_path, "apply").exit_code == 0
    done_md = r"Requested the review of acme/api\!8 from Owen Ortiz \(owen\)"
    assert done_md in shown(fake, note)
    before = len(the_note(fake, note)["body"])

    for n in range(101):
        fake.reply("acme/api", 8, note["id"], "tommy", f"apply review:acme/api%218:x{n}")
    fake.reply("acme/api", 8, note["id"], "priya", f"apply {ids['tommy']}")
    flooded = run(fake, tmp_path, "apply")
    assert flooded.exit_code == 0, flooded.output
    refusals = [line for line in flooded.output.splitlines() if line.startswith("not done:")]
    assert refusals == [
        "not done: 101 replies asking for 101 suggestions were not carried out: asked for by "
        "tommy, who is not the lead or a [comment] approver",
        "not done: A reply asking for the review of acme/api!8 by tommy was not carried out: "
        "asked for by priya, who is not the lead or a [comment] approver",
    ]
    body = shown(fake, note)
    assert done_md in body and f"apply {ids['owen']}" not in body  # done, never offered again
    assert body.count("who is not the lead") == 2
    assert len(body) < before + 600
    assert all(
        tommy_id not in p for p in reviewer_puts(fake) for tommy_id in [fake.user("tommy")["id"]]
    )

    # A second flood by the same author replaces that author's line.
    fake.reply("acme/api", 8, note["id"], "tommy", "apply review:acme/api%218:y")
    assert run(fake, tmp_path, "apply").exit_code == 0
    body = shown(fake, note)
    assert body.count("asked for by tommy") == 1 and done_md in body
