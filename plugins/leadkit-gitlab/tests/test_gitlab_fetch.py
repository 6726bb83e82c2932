"""The gitlab source against the fake GitLab: what it reads, what it costs, and its failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from leadkit_gitlab.adapter import OWNER_FILES

from leadkit.api import DataError, SourceError
from leadkit.cli import cli
from leadkit.testing import FakeClock, check_source

from .conftest import NOW, TOKEN, WINDOW, make_adapter
from .fake_gitlab import FakeIssue, FakeMilestone, FakeMR, FakeProject

T = NOW - timedelta(days=5)


def api_project() -> FakeProject:
    """MR !7 and issue #7 share an iid; the MR has a request, a removal, an approval and comments."""
    mr = FakeMR(
        7,
        "Retry uploads",
        "owen",
        T,
        T + timedelta(days=2),
        state="merged",
        merged=T + timedelta(days=2),
        description="Closes #7 and acme/web#3. Part of PIPE-210.",
        source_branch="owen/PIPE-211-retries",
        files=["services/ingest/src/main/java/com/acme/ingest/Retry.java", "docs/retries.md"],
        requests=[
            ("requested", "jamie", T + timedelta(minutes=5), "owen"),
            ("requested", "tommy", T + timedelta(minutes=5), "owen"),
            ("removed", "tommy", T + timedelta(hours=3), "owen"),
            ("requested", "priya", T + timedelta(hours=3), "owen"),
        ],
        reviewers_at_open=["sam"],
        approvals=[("jamie", T + timedelta(hours=2)), ("priya", T + timedelta(days=1))],
        unapprovals=[("jamie", T + timedelta(hours=4))],
        pushes=[(T + timedelta(hours=6), 2)],
        comments=[("jamie", T + timedelta(hours=1), "Why not use the backoff helper? @owen")],
        diff_comments=[
            ("priya", T + timedelta(hours=20), "nit: name"),
            ("priya", T + timedelta(hours=20, minutes=5), "and here"),
        ],
    )
    issue = FakeIssue(
        7,
        "Uploads fail on flaky network",
        "jamie",
        T - timedelta(days=3),
        T + timedelta(days=2),
        state="closed",
        closed=T + timedelta(days=2),
        labels=["bug", "workflow::in review"],
        assignees=["owen"],
        assigned=[("owen", T - timedelta(days=2), "jamie")],
        comments=[("owen", T, "On it.")],
        state_events=[
            ("closed", T + timedelta(days=1), "owen"),
            ("reopened", T + timedelta(days=1, hours=1), "jamie"),
            ("closed", T + timedelta(days=2), "owen"),
        ],
        links=[("is_blocked_by", "acme/web", 3)],
        epic=("acme", 4),
    )
    return FakeProject("acme/api", merge_requests=[mr], issues=[issue])


def web_project() -> FakeProject:
    blocker = FakeIssue(3, "CDN config", "priya", T, T, links=[("blocks", "acme/api", 7)])
    return FakeProject("acme/web", issues=[blocker])


def test_an_mr_and_an_issue_with_the_same_iid_stay_distinct_and_complete(serve):
    fake = serve([api_project(), web_project()])
    data = make_adapter(fake.url).collect(WINDOW)
    (review,) = data.reviews
    (item,) = data.work_items
    assert review.ref == "acme/api!7" and item.key == "acme/api#7"
    assert review.ref != item.key

    assert review.author == "gitlab:owen" and review.merged == T + timedelta(days=2)
    assert review.last_pushed == T + timedelta(hours=6)
    assert review.paths == (
        "services/ingest/src/main/java/com/acme/ingest/Retry.java",
        "docs/retries.md",
    )
    requests = {(r.reviewer, r.requested, r.removed) for r in review.review_requests}
    assert requests == {
        ("gitlab:jamie", T + timedelta(minutes=5), None),
        ("gitlab:tommy", T + timedelta(minutes=5), T + timedelta(hours=3)),
        ("gitlab:priya", T + timedelta(hours=3), None),
        ("gitlab:sam", T, None),  # set when the MR was opened: no note, the MR's time
    }
    assert all(r.by == "gitlab:owen" for r in review.review_requests)
    # Two diff comments five minutes apart are one "commented" review; approvals have their times.
    assert [(s.by, s.state, s.at) for s in review.reviews] == [
        ("gitlab:jamie", "dismissed", T + timedelta(hours=2)),  # approved, then unapproved
        ("gitlab:priya", "commented", T + timedelta(hours=20)),
        ("gitlab:priya", "approved", T + timedelta(days=1)),
    ]
    (question, *_) = review.comments
    assert question.by == "gitlab:jamie" and question.question
    assert question.mentions == ("gitlab:owen",)
    assert review.linked_keys == ("PIPE-211", "PIPE-210", "acme/api#7", "acme/web#3")

    assert item.status == "closed" and item.status_category == "done"
    assert item.type == "bug" and item.assignee == "gitlab:owen"
    assert item.parent == "acme&4"
    assert [(t.to_status, t.by) for t in item.transitions] == [
        ("closed", "gitlab:owen"),
        ("open", "gitlab:jamie"),
        ("closed", "gitlab:owen"),
    ]
    assert [(a.to, a.by) for a in item.assignments] == [("gitlab:owen", "gitlab:jamie")]
    assert [(link.kind, link.key) for link in item.links] == [("is-blocked-by", "acme/web#3")]
    people = {p.id: p for p in data.people}
    assert people["gitlab:owen"].accounts[0].login == "owen"
    assert all(t.tzinfo is not None for t in (review.created, review.updated, item.created))


def test_due_dates_come_from_an_issues_own_date_and_its_milestones(serve):
    """An issue is due on its own due_date or, when that is absent or later, its milestone's;
    an MR on its milestone's. GitLab sends days (``2026-03-13``); the model holds their end."""
    release = FakeMilestone("16.2", "2026-03-13", iid=2)
    project = FakeProject(
        "acme/api",
        merge_requests=[
            FakeMR(1, "Retry uploads", "owen", T, T, milestone=release),
            FakeMR(2, "Undated", "owen", T, T, milestone=FakeMilestone("Backlog", iid=3)),
        ],
        issues=[
            FakeIssue(3, "Earlier than its release", "jamie", T, T, due_date="2026-03-06",
                      milestone=release),
            FakeIssue(4, "Later than its release", "jamie", T, T, due_date="2026-03-20",
                      milestone=release),
            FakeIssue(5, "Nothing planned", "jamie", T, T),
        ],
    )  # fmt: skip
    data = make_adapter(serve([project]).url).collect(WINDOW)
    end = datetime(2026, 3, 13, 23, 59, 59, tzinfo=UTC)
    dues = {r.ref: (r.due, r.due_source, r.due_name) for r in data.reviews}
    dues.update((i.key, (i.due, i.due_source, i.due_name)) for i in data.work_items)
    assert dues == {
        "acme/api!1": (end, "milestone", "16.2"),
        "acme/api!2": (None, None, None),
        "acme/api#3": (end - timedelta(days=7), "duedate", None),
        "acme/api#4": (end, "milestone", "16.2"),
        "acme/api#5": (None, None, None),
    }


def test_the_source_passes_the_contract_every_source_passes(serve):
    """Valid pages with aware UTC times, refs once each, people present, incremental a subset:
    with an MR and an issue sharing iid 7, a bot, a cross-project link and an epic."""
    api = api_project()
    api.merge_requests.append(
        FakeMR(9, "Bump deps", "project_42_bot_3f9c2a", T, T + timedelta(days=4), files=["go.sum"])
    )
    fake = serve([api, web_project()])
    since = T + timedelta(days=3)  # after !7 and both issues changed, before !9
    result = check_source(make_adapter(fake.url, projects=["acme/*"]), WINDOW, updated_since=since)
    assert sorted(r.ref for r in result.dataset.reviews) == ["acme/api!7", "acme/api!9"]
    assert sorted(i.ref for i in result.dataset.work_items) == ["gl:acme/api#7", "gl:acme/web#3"]
    assert result.incremental is not None
    assert [r.ref for r in result.incremental.reviews] == ["acme/api!9"]
    bot = result.dataset.person("gitlab:project_42_bot_3f9c2a")
    assert bot is not None and bot.is_automation


def test_a_group_wildcard_lists_the_groups_projects_and_links_cross_projects(serve):
    archived = FakeProject("acme/old", archived=True, issues=[FakeIssue(1, "x", "owen", T, T)])
    fake = serve([api_project(), web_project(), archived])
    data = make_adapter(fake.url, projects=["acme/*"]).collect(WINDOW)
    assert sorted(i.key for i in data.work_items) == ["acme/api#7", "acme/web#3"]
    (blocker,) = [i for i in data.work_items if i.key == "acme/web#3"]
    assert [(link.kind, link.key) for link in blocker.links] == [("blocks", "acme/api#7")]
    (listing,) = [r for r in fake.requests if r.path == "/api/v4/groups/acme/projects"]
    assert listing.query["include_subgroups"] == "true"
    assert listing.query["with_shared"] == "false" and listing.query["archived"] == "false"


def many(n: int) -> FakeProject:
    mrs = [
        FakeMR(i, f"Change {i}", "owen", T, T + timedelta(minutes=i), files=[f"src/m{i}.py"])
        for i in range(1, n + 1)
    ]
    return FakeProject("acme/big", merge_requests=mrs)


@pytest.mark.parametrize("link_only", [False, True])
def test_lists_are_read_100_at_a_time_and_each_mr_costs_two_requests(serve, link_only):
    fake = serve([many(250)], link_only=link_only)
    adapter = make_adapter(fake.url, projects=["acme/big"], include_issues=False)
    data = adapter.collect(WINDOW)
    assert sorted(r.number for r in data.reviews) == list(range(1, 251))
    lists = [r for r in fake.requests if r.path.endswith("/merge_requests")]
    # 3 pages of updated MRs; the stale-open stream (none) costs one more.
    assert len(lists) == 4 and all(r.query.get("per_page") == "100" for r in lists)
    # The project has no CODEOWNERS: one request per place GitLab looks finds none.
    assert adapter.context.stats.requests == 4 + 2 * 250 + len(OWNER_FILES)
    assert adapter.context.stats.items == 250


def test_incremental_sync_asks_only_for_what_changed(serve):
    fake = serve([api_project(), web_project()])
    adapter = make_adapter(fake.url)
    full = adapter.collect(WINDOW)
    mark = T + timedelta(days=2)
    since = adapter.collect(WINDOW, updated_since=mark + timedelta(seconds=1))
    assert since.reviews == [] and since.work_items == []
    again = adapter.collect(WINDOW, updated_since=mark - timedelta(hours=1))
    assert {r.ref for r in again.reviews} <= {r.ref for r in full.reviews}
    assert [r.ref for r in again.reviews] == ["acme/api!7"]
    lists = [r for r in fake.requests if r.path.endswith(("/merge_requests", "/issues"))]
    incremental = lists[-4:]
    assert all("updated_after" in r.query and "updated_before" not in r.query for r in incremental)


def test_a_429_with_retry_after_and_a_502_are_waited_out_through_the_fake_clock(serve):
    fake = serve([api_project(), web_project()])
    mrs = fake.path("acme/api", "merge_requests")
    fake.fail(429, headers={"Retry-After": "7"}, body={"message": "Retry later"}, path=mrs)
    fake.fail(502, body={"message": "502 Bad Gateway"}, path=f"{mrs}/7/notes")
    sleeper = FakeClock()
    adapter = make_adapter(fake.url, clock=sleeper)
    data = adapter.collect(WINDOW)
    assert [r.ref for r in data.reviews] == ["acme/api!7"]
    assert sleeper.waits[0] == 7.0
    assert len(sleeper.waits) == 2 and 1.0 <= sleeper.waits[1] <= 1.1
    assert adapter.context.stats.retries == 2


def test_a_5xx_that_persists_fails_in_one_line_after_bounded_retries(serve):
    fake = serve([api_project()])
    fake.fail(503, body={"message": "503 Service Unavailable"}, times=50, path="/api/v4/projects/")
    with pytest.raises(SourceError) as caught:
        make_adapter(fake.url, max_retries=2).collect(WINDOW)
    message = str(caught.value)
    assert "HTTP 503" in message and "3 attempts" in message and "\n" not in message


def test_a_rejected_token_a_refusal_and_a_missing_project_are_one_line_without_the_token(serve):
    fake = serve([api_project()])
    with pytest.raises(SourceError, match="rejected the token in GITLAB_TOKEN"):
        make_adapter(fake.url, env={"GITLAB_TOKEN": "glpat-wrongwrongwrong"}).collect(WINDOW)
    fake.fail(403, body={"message": "403 Forbidden"}, path=fake.path("acme/api"))
    with pytest.raises(SourceError, match="HTTP 403") as refused:
        make_adapter(fake.url).collect(WINDOW)
    with pytest.raises(SourceError, match="project acme/gone was not found") as missing:
        make_adapter(fake.url, projects=["acme/gone"]).collect(WINDOW)
    with pytest.raises(SourceError, match="no group 'nobody'"):
        make_adapter(fake.url, projects=["nobody/*"]).collect(WINDOW)
    for caught in (refused, missing):
        assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("projects = []", "projects is required"),
        ('projects = ["justaname"]', "projects entry 'justaname' is not"),
        ('projects = "acme/api"', "projects must be a list of strings"),
        ('projects = ["a/b"]\nurl = "gitlab.example.com"', "url must be an http(s) URL"),
        ('projects = ["a/b"]\nurl = "https://gitlab.example.com/api/v4"', "url is the GitLab"),
        ('projects = ["a/b"]\nrepos = ["a/b"]', "repos is not a known option"),
        ('projects = ["a/b"]\nconcurrency = "4"', "concurrency must be an integer"),
        ('projects = ["a/b"]\ntoken_env = "glpat-abcdefabcdefabcdef"', "token_env"),
    ],
)
def test_bad_config_is_one_line_naming_the_key_and_its_line(tmp_path, line, expected):
    """Through the core, as a user meets it: ``leadkit config check`` (declared options)."""
    config = tmp_path / "leadkit.toml"
    config.write_text(
        f'[team]\nlead = "jamie"\n\n[[sources]]\ntype = "gitlab"\nname = "gl"\n{line}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["config", "check", "--config", str(config)], env={"GITLAB_TOKEN": TOKEN}
    )
    assert result.exit_code == 2, result.output
    (message,) = result.output.strip().splitlines()
    assert "source 'gl': " in message and expected in message
    assert "leadkit.toml, line" in message
    assert "glpat-abcdefabcdefabcdef" not in message


def test_unexpected_data_names_the_item(serve):
    fake = serve([api_project()])
    notes = fake.path("acme/api", "merge_requests", 7, "notes")
    fake.fail(200, body=[{"id": 1, "body": "x", "system": False}], path=notes)
    with pytest.raises(DataError, match=r"acme/api!7: missing 'created_at'"):
        make_adapter(fake.url, include_issues=False).collect(WINDOW)


def test_pages_merge_to_the_collected_dataset(serve):
    fake = serve([many(120)])
    adapter = make_adapter(fake.url, projects=["acme/big"])
    pages = list(adapter.pages(WINDOW))
    assert len([p for p in pages if p.reviews]) == 2
    assert sorted(r.number for p in pages for r in p.reviews) == list(range(1, 121))


def test_before_gitlab_15_7_paths_come_from_changes_and_diffs_is_tried_once(serve):
    fake = serve([many(3)], before_15_7=True)
    adapter = make_adapter(fake.url, projects=["acme/big"], include_issues=False, concurrency=1)
    data = adapter.collect(WINDOW)
    assert {r.number: r.paths for r in data.reviews} == {
        1: ("src/m1.py",),
        2: ("src/m2.py",),
        3: ("src/m3.py",),
    }
    assert fake.count("/diffs") == 1 and fake.count("/changes") == 3


def test_an_item_deleted_while_being_read_is_left_out_with_a_note(serve):
    fake = serve([api_project()])
    fake.fail(404, body={"message": "404 Not found"}, path=fake.path("acme/api", "issues", 7))
    data = make_adapter(fake.url).collect(WINDOW)
    assert [r.ref for r in data.reviews] == ["acme/api!7"]
    assert data.work_items == []
    assert data.notes == ["acme/api#7 was deleted or hidden while being read: it was left out"]


def test_times_with_an_offset_become_utc(serve):
    """Self-managed GitLab prints times in its own zone (``+02:00``); the model holds UTC."""
    fake = serve([api_project()])
    note = {
        "id": 1,
        "type": None,
        "body": "Is this still needed?",
        "author": fake.user("tommy"),
        "created_at": "2026-02-25T14:30:00.000+02:00",
        "updated_at": "2026-02-25T14:30:00.000+02:00",
        "system": False,
        "noteable_type": "MergeRequest",
        "noteable_iid": 7,
    }
    fake.fail(200, body=[note], path=fake.path("acme/api", "merge_requests", 7, "notes"))
    data = make_adapter(fake.url, include_issues=False).collect(WINDOW)
    (review,) = data.reviews
    (comment,) = review.comments
    assert comment.at == datetime(2026, 2, 25, 12, 30, tzinfo=UTC)
    assert comment.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("requested review from @ana", [("requested review from", ["ana"])]),
        (
            "requested review from @ana.b and removed review request for @r, @r1, and @r_2",
            [
                ("requested review from", ["ana.b"]),
                ("removed review request for", ["r", "r1", "r_2"]),
            ],
        ),
        ("assigned to @jo and unassigned @kim", [("assigned to", ["jo"]), ("unassigned", ["kim"])]),
        ("reassigned to @jo", [("reassigned to", ["jo"])]),
        ("approved this merge request", []),
        ("changed the description", []),
    ],
)
def test_system_notes_are_read_in_gitlabs_wording(body, expected):
    """Phrases as GitLab's own system-note specs write them (several changes in one note)."""
    from leadkit_gitlab.normalize import system_changes

    assert system_changes(body) == expected


def test_codeowners_are_read_where_gitlab_looks_first(serve):
    """CODEOWNERS, else docs/, else .gitlab/: the first found, stopping there; none, no rules."""
    api = api_project()
    api.files = {
        "docs/CODEOWNERS": "[Orders]\n/services/orders/ @acme/orders\n",
        ".gitlab/CODEOWNERS": "* @acme/everyone\n",
    }
    fake = serve([api, web_project()])
    adapter = make_adapter(fake.url, projects=["acme/api", "acme/web"])
    data = adapter.collect(WINDOW)
    found = {o.repo: (o.path, [(r.pattern, r.owners) for r in o.rules]) for o in data.code_owners}
    assert found == {
        "acme/api": ("docs/CODEOWNERS", [("/services/orders/", ("@acme/orders",))]),
        "acme/web": ("", []),
    }
    reads = [
        unquote(r.path.partition("/repository/files/")[2])
        for r in fake.requests
        if "/repository/files/" in r.path
    ]
    assert sorted(reads) == sorted(["CODEOWNERS", "docs/CODEOWNERS", *OWNER_FILES])


def test_a_token_that_may_not_read_files_still_syncs_and_the_report_says_so(serve):
    api = api_project()
    api.files = {"CODEOWNERS": None}
    fake = serve([api])
    adapter = make_adapter(fake.url, projects=["acme/api"])
    data = adapter.collect(WINDOW)
    assert [(o.repo, o.rules) for o in data.code_owners] == [("acme/api", ())]
    assert any("may not read CODEOWNERS of acme/api" in note for note in data.notes), data.notes
    assert data.reviews
