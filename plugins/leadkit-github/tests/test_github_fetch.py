"""Fetching against the fake GitHub on 127.0.0.1: pagination, request counts, normalization."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from leadkit_github.graphql import MILESTONE, OWNER_FILES

from leadkit.model.data import Comment, ReviewRequest, ReviewSubmission

from .conftest import NOW, WINDOW, make_adapter
from .fake_github import FakeIssue, FakeMilestone, FakePull, FakeRepo, generate_pulls

AUTHORS = ["jamie", "owen", "tommy", "priya"]


def bound(n: int) -> int:
    """The issue's budget: 1.2 x the pages needed (at least one request)."""
    return max(1, math.floor(1.2 * math.ceil(n / 100)))


def test_pages_of_100_cost_ceil_n_over_100_requests(serve):
    pulls = generate_pulls(250, now=NOW, authors=AUTHORS)
    fake = serve([FakeRepo("acme/api", pulls=pulls)])
    adapter = make_adapter(fake.url)
    pages = list(adapter.pages(WINDOW))
    data = adapter.collect(WINDOW)
    assert len(data.reviews) == 250
    assert len(pages) == 3  # one partial dataset per page, as it arrives
    assert fake.count(operation="RepoPage") == 6  # two runs of three pages
    assert adapter.context.stats.requests == 6
    assert adapter.context.stats.graphql_points == fake.points()  # what GitHub charged
    assert adapter.context.stats.items == 500


def test_request_counts_stay_within_1_2_times_pages(serve):
    measured = {}
    for n in (1, 99, 100, 101, 450, 1000):
        pulls = generate_pulls(n, now=NOW, authors=AUTHORS, seed=n)
        fake = serve([FakeRepo("acme/api", pulls=pulls)])
        adapter = make_adapter(fake.url)
        data = adapter.collect(WINDOW)
        assert len(data.reviews) == n
        measured[n] = fake.count()
        assert fake.count() == adapter.context.stats.requests
        assert fake.count() <= bound(n), (n, fake.count())
    assert measured == {1: 1, 99: 1, 100: 1, 101: 2, 450: 5, 1000: 10}


def test_issues_ride_in_the_same_requests_as_prs(serve):
    pulls = generate_pulls(150, now=NOW, authors=AUTHORS)
    issues = [
        FakeIssue(n, f"Issue {n}", "owen", NOW - timedelta(days=5), NOW - timedelta(days=1))
        for n in range(1000, 1180)
    ]
    fake = serve([FakeRepo("acme/api", pulls=pulls, issues=issues)])
    data = make_adapter(fake.url).collect(WINDOW)
    assert len(data.reviews) == 150 and len(data.work_items) == 180
    assert fake.count() == 2  # max(ceil(150/100), ceil(180/100)), not 2 + 2


def test_old_closed_prs_are_skipped_and_old_open_prs_kept(serve):
    old = NOW - timedelta(days=200)
    pulls = [
        FakePull(1, "recent", "owen", NOW - timedelta(days=3), NOW - timedelta(days=1)),
        FakePull(2, "old merged", "owen", old, old, state="MERGED", merged=old, closed=old),
        FakePull(3, "old but open", "tommy", old, old + timedelta(days=1)),
    ]
    fake = serve([FakeRepo("acme/api", pulls=pulls)])
    data = make_adapter(fake.url).collect(WINDOW)
    assert sorted(r.number for r in data.reviews) == [1, 3]
    assert fake.count() == 2  # the probe found a stale open PR: one more request


def test_incremental_sync_with_nothing_new_costs_one_request_per_repo(serve):
    pulls = generate_pulls(300, now=NOW - timedelta(days=2), authors=AUTHORS)
    issues = [FakeIssue(7, "old", "owen", NOW - timedelta(days=9), NOW - timedelta(days=8))]
    repos = [FakeRepo(f"acme/r{i}", pulls=pulls, issues=issues) for i in range(3)]
    fake = serve(repos)
    adapter = make_adapter(fake.url, repos=["acme/r0", "acme/r1", "acme/r2"])
    data = adapter.collect(WINDOW, updated_since=NOW - timedelta(hours=1))
    assert data.reviews == [] and data.work_items == []
    assert fake.count() == 3
    first = fake.requests[0]
    assert first.variables["since"] == "2026-03-02T11:00:00Z"
    # No probe: only what changed, and the CODEOWNERS files (blobs: no points).
    assert first.reads == {"pullRequests", "issues", *OWNER_FILES}


def test_incremental_sync_reads_only_what_changed(serve):
    pulls = generate_pulls(120, now=NOW - timedelta(days=3), authors=AUTHORS)
    pulls[5].updated = NOW - timedelta(minutes=5)
    fake = serve([FakeRepo("acme/api", pulls=pulls)])
    data = make_adapter(fake.url).collect(WINDOW, updated_since=NOW - timedelta(hours=1))
    assert [r.number for r in data.reviews] == [pulls[5].number]
    assert fake.count() == 1


def _old_issues() -> list[FakeIssue]:
    old = NOW - timedelta(days=200)
    return [
        FakeIssue(1, "recent", "owen", NOW - timedelta(days=3), NOW - timedelta(days=1)),
        FakeIssue(2, "old open, mine", "owen", old - timedelta(days=5), old, assignees=["jamie"]),
        FakeIssue(3, "old closed", "owen", old, old, state="CLOSED", closed=old),
        FakeIssue(4, "older open", "priya", old, old - timedelta(days=30)),
    ]


def test_old_open_issues_are_kept_and_old_closed_ones_skipped(serve):
    fake = serve([FakeRepo("acme/api", issues=_old_issues())])
    data = make_adapter(fake.url).collect(WINDOW)
    assert sorted(i.key for i in data.work_items) == ["acme/api#1", "acme/api#2", "acme/api#4"]
    mine = next(i for i in data.work_items if i.key == "acme/api#2")
    assert mine.assignee == "github:jamie" and mine.updated == NOW - timedelta(days=200)
    assert fake.count() == 2  # the probe found a stale open issue: one more request
    first, second = (s.reads for s in fake.requests)
    assert "oldestOpenIssue" in first and "staleIssues" not in first
    assert "oldestOpenIssue" not in second and "staleIssues" in second


def test_incremental_sync_does_not_refetch_old_open_issues(serve):
    fake = serve([FakeRepo("acme/api", issues=_old_issues())])
    data = make_adapter(fake.url).collect(WINDOW, updated_since=NOW - timedelta(hours=1))
    assert data.work_items == []
    assert fake.count() == 1
    sent = fake.requests[0].reads
    assert "oldestOpenIssue" not in sent and "staleIssues" not in sent


def test_old_open_issues_cost_one_request_more_at_most(serve):
    measured = {}
    old = NOW - timedelta(days=200)
    for n in (1, 99, 100, 101, 450):
        pulls = generate_pulls(n, now=NOW, authors=AUTHORS, seed=n)
        stale = [
            FakeIssue(5000 + k, f"stale {k}", "owen", old, old + timedelta(minutes=k))
            for k in range(40)
        ]
        fake = serve([FakeRepo("acme/api", pulls=pulls, issues=stale)])
        data = make_adapter(fake.url).collect(WINDOW)
        assert len(data.reviews) == n and len(data.work_items) == 40
        measured[n] = fake.count()
        assert fake.count() <= bound(n) + 1, (n, fake.count())
    # The stale stream rides along from the second request on: free when PRs need one.
    assert measured == {1: 2, 99: 2, 100: 2, 101: 2, 450: 5}


def test_many_old_open_issues_are_paged_oldest_first(serve):
    old = NOW - timedelta(days=200)
    stale = [
        FakeIssue(k, f"stale {k}", "owen", old, old + timedelta(hours=k), state=state)
        for k in range(1, 301)
        for state in ["CLOSED" if k % 6 == 0 else "OPEN"]
    ]
    recent = [
        FakeIssue(k, f"recent {k}", "owen", NOW - timedelta(days=2), NOW - timedelta(days=1))
        for k in range(1000, 1030)
    ]
    fake = serve([FakeRepo("acme/api", issues=stale + recent)])
    data = make_adapter(fake.url).collect(WINDOW)
    keys = {i.key for i in data.work_items}
    assert len(data.work_items) == len(keys) == 250 + 30
    assert "acme/api#6" not in keys and "acme/api#299" in keys
    assert fake.count() == 4  # the probe's request, then three pages of 100 open issues


def test_include_issues_false_sends_no_issue_probe(serve):
    fake = serve([FakeRepo("acme/api", issues=_old_issues())])
    data = make_adapter(fake.url, include_issues=False).collect(WINDOW)
    assert data.work_items == [] and fake.count() == 1
    assert fake.requests[0].reads == {"pullRequests", "oldestOpen", *OWNER_FILES}


def test_review_requests_added_removed_and_rerequested(serve):
    t = NOW - timedelta(days=4)
    pull = FakePull(
        12,
        "PIPE-7: multi-stage pipeline",
        "owen",
        t,
        NOW - timedelta(hours=2),
        branch="pipe-7-stages",
        body="Closes #3. See also OPS-12.",
        requests=[
            ("requested", "jamie", t + timedelta(hours=1), "owen"),
            ("requested", "priya", t + timedelta(hours=1), "owen"),
            ("removed", "priya", t + timedelta(hours=5), "owen"),
            ("removed", "jamie", t + timedelta(days=1), "owen"),
            ("requested", "jamie", t + timedelta(days=2), "owen"),
        ],
        reviews=[
            ("tommy", "COMMENTED", t + timedelta(hours=3)),
            ("jamie", "PENDING", t + timedelta(hours=4)),
            ("jamie", "CHANGES_REQUESTED", t + timedelta(days=2, hours=3)),
        ],
        draft=True,
        files=["pipeline/stages.py", "pipeline/tests/test_stages.py"],
        comments=[("jamie", t + timedelta(hours=6), "Why not reuse the runner? @owen")],
        threads=[
            [("priya", t + timedelta(hours=7), "nit"), ("owen", t + timedelta(hours=8), "ok")]
        ],
        closes=[("acme/api", 3)],
        last_commit=t + timedelta(days=1, hours=2),
    )
    fake = serve(
        [FakeRepo("acme/api", pulls=[pull])], users={"jamie": ("Jamie Lee", "jamie@example.com")}
    )
    data = make_adapter(fake.url).collect(WINDOW)
    (review,) = data.reviews
    assert review.draft is True
    assert review.author == "github:owen"
    assert review.branch == "pipe-7-stages"
    assert review.last_pushed == t + timedelta(days=1, hours=2)
    assert review.review_requests == (
        ReviewRequest(
            "github:jamie", t + timedelta(hours=1), t + timedelta(days=1), by="github:owen"
        ),
        ReviewRequest(
            "github:priya", t + timedelta(hours=1), t + timedelta(hours=5), by="github:owen"
        ),
        ReviewRequest("github:jamie", t + timedelta(days=2), None, by="github:owen"),
    )
    assert review.reviews == (
        ReviewSubmission("github:tommy", "commented", t + timedelta(hours=3)),
        ReviewSubmission("github:jamie", "changes_requested", t + timedelta(days=2, hours=3)),
    )
    assert review.comments[0] == Comment(
        "github:jamie", t + timedelta(hours=6), question=True, mentions=("github:owen",)
    )
    assert [c.by for c in review.comments] == ["github:jamie", "github:priya", "github:owen"]
    assert review.paths == ("pipeline/stages.py", "pipeline/tests/test_stages.py")
    assert review.linked_keys == ("PIPE-7", "OPS-12", "acme/api#3")
    assert review.url == "https://github.com/acme/api/pull/12"
    jamie = next(p for p in data.people if p.id == "github:jamie")
    assert jamie.name == "Jamie Lee" and jamie.emails == ("jamie@example.com",)
    assert jamie.accounts[0].login == "jamie" and jamie.accounts[0].tracker == "github"
    owen = next(p for p in data.people if p.id == "github:owen")
    assert owen.name == "owen" and owen.emails == ()


def test_team_requests_expand_to_members_when_readable(serve):
    t = NOW - timedelta(days=2)
    pulls = [
        FakePull(1, "a", "owen", t, t, requests=[("requested", "acme/core", t, "owen")]),
        FakePull(2, "b", "tommy", t, t, requests=[("requested", "acme/secret", t, "tommy")]),
        FakePull(3, "c", "priya", t, t, requests=[("requested", "acme/core", t, "priya")]),
    ]
    fake = serve(
        [FakeRepo("acme/api", pulls=pulls)],
        teams={"acme/core": ["jamie", "priya"], "acme/secret": None},
    )
    data = make_adapter(fake.url).collect(WINDOW)
    by_number = {r.number: r for r in data.reviews}
    assert by_number[1].review_requests == (
        ReviewRequest(None, t, team="acme/core", by="github:owen"),
        ReviewRequest("github:jamie", t, team="acme/core", by="github:owen"),
        ReviewRequest("github:priya", t, team="acme/core", by="github:owen"),
    )
    assert by_number[2].review_requests == (
        ReviewRequest(None, t, team="acme/secret", by="github:tommy"),
    )
    assert any(n.startswith("could not read members of team acme/secret") for n in data.notes)
    # Each team's members are read once per run, not once per PR.
    assert fake.count(graphql=False) == 2


def test_team_request_removal_closes_member_requests(serve):
    t = NOW - timedelta(days=2)
    pull = FakePull(
        1,
        "a",
        "owen",
        t,
        t,
        requests=[
            ("requested", "acme/core", t, "owen"),
            ("removed", "acme/core", t + timedelta(hours=1), "owen"),
        ],
    )
    fake = serve([FakeRepo("acme/api", pulls=[pull])], teams={"acme/core": ["jamie"]})
    (review,) = make_adapter(fake.url).collect(WINDOW).reviews
    assert [r.removed for r in review.review_requests] == [t + timedelta(hours=1)] * 2


def test_issues_become_work_items(serve):
    t = NOW - timedelta(days=10)
    issues = [
        FakeIssue(
            3,
            "Test env broken?",
            "owen",
            t,
            NOW - timedelta(days=1),
            labels=["bug", "env"],
            assignees=["jamie"],
            comments=[("jamie", t + timedelta(hours=1), "Which runner? @owen")],
            events=[
                ("assigned", t + timedelta(minutes=5), "owen", "jamie"),
                ("closed", t + timedelta(days=1), "jamie", None),
                ("reopened", t + timedelta(days=2), "owen", None),
            ],
        ),
        FakeIssue(4, "Write docs", "priya", t, t, labels=["documentation"]),
        FakeIssue(
            6, "Cache warmup", "owen", t, t, labels=["status: in progress"], assignees=["owen"]
        ),
        FakeIssue(
            5,
            "Done thing",
            "priya",
            t,
            t + timedelta(days=1),
            state="CLOSED",
            closed=t + timedelta(days=1),
            assignees=["priya"],
            events=[("unassigned", t + timedelta(hours=1), "priya", "owen")],
        ),
    ]
    fake = serve([FakeRepo("acme/api", issues=issues)])
    items = {i.key: i for i in make_adapter(fake.url).collect(WINDOW).work_items}
    bug = items["acme/api#3"]
    assert (bug.type, bug.raw_type, bug.status, bug.status_category) == (
        "bug",
        "bug",
        "open",
        "todo",  # assigned, but no label says the work started
    )
    assert bug.assignee == "github:jamie" and bug.reporter == "github:owen"
    assert bug.components == ("acme/api",) and bug.labels == ("bug", "env")
    assert [(tr.to_status, tr.by) for tr in bug.transitions] == [
        ("closed", "github:jamie"),
        ("open", "github:owen"),
    ]
    assert bug.assignments[0].to == "github:jamie" and bug.assignments[0].by == "github:owen"
    assert bug.comments[0].question and bug.comments[0].mentions == ("github:owen",)
    assert bug.url == "https://github.com/acme/api/issues/3"
    # A label saying the work started makes an open issue in progress; an assignee alone does not.
    started = items["acme/api#6"]
    assert (started.status, started.status_category) == ("open", "in_progress")
    docs = items["acme/api#4"]
    assert (docs.type, docs.status_category, docs.assignee) == ("docs", "todo", None)
    done = items["acme/api#5"]
    assert (done.status, done.status_category, done.type) == ("closed", "done", "task")
    assert done.resolved == t + timedelta(days=1)
    assert done.assignments[0].from_ == "github:owen" and done.assignments[0].to is None


def test_milestone_due_dates_reach_issues_and_prs_at_no_extra_cost(serve):
    """GitHub sends a milestone's due day as its start in US Pacific time (08:00Z in winter,
    as recorded in pygithub's Search.testSearchIssues); the model holds the end of that day."""
    t = NOW - timedelta(days=2)
    release = FakeMilestone("Release 2.4", "2026-03-06T08:00:00Z", number=7)
    pulls = [
        FakePull(1, "Retry batches", "owen", t, t, milestone=release),
        FakePull(2, "No milestone", "owen", t, t),
    ]
    issues = [
        FakeIssue(3, "Cut the release", "jamie", t, t, milestone=release),
        FakeIssue(4, "Someday", "jamie", t, t, milestone=FakeMilestone("Backlog")),  # no date
    ]
    fake = serve([FakeRepo("acme/api", pulls=pulls, issues=issues)])
    data = make_adapter(fake.url).collect(WINDOW)
    due = datetime(2026, 3, 6, 23, 59, 59, tzinfo=UTC)
    prs = {r.number: r for r in data.reviews}
    items = {i.key: i for i in data.work_items}
    assert (prs[1].due, prs[1].due_source, prs[1].due_name) == (due, "milestone", "Release 2.4")
    assert (prs[2].due, prs[2].due_source, prs[2].due_name) == (None, None, None)
    three, four = items["acme/api#3"], items["acme/api#4"]
    assert (three.due, three.due_source, three.due_name) == (due, "milestone", "Release 2.4")
    assert (four.due, four.due_source) == (None, None)
    # A milestone is an object, not a connection: a page costs what it cost without it.
    (page,) = [s for s in fake.requests if s.query]
    assert page.query and page.query.count(MILESTONE) == 2  # on PRs and on issues
    assert page.cost == fake.cost(page.query.replace(MILESTONE, ""), page.variables)


def test_include_issues_false_skips_issues(serve):
    issues = [FakeIssue(1, "x", "owen", NOW - timedelta(days=1), NOW - timedelta(days=1))]
    fake = serve([FakeRepo("acme/api", issues=issues)])
    data = make_adapter(fake.url, include_issues=False).collect(WINDOW)
    assert data.work_items == []
    assert "issues" not in fake.requests[0].reads


def test_overflowing_lists_are_completed_in_batched_follow_ups(serve):
    t = NOW - timedelta(days=3)
    pulls = generate_pulls(180, now=NOW, authors=AUTHORS)
    big = pulls[0]
    big.files = [f"src/f{i}.py" for i in range(260)]
    big.comments = [("owen", t + timedelta(minutes=i), f"c{i}") for i in range(120)]
    big.threads = [[("jamie", t + timedelta(minutes=i), f"t{i}") for i in range(45)]] + [
        [("priya", t, "short")] for _ in range(40)
    ]
    big.reviews = [("jamie", "COMMENTED", t + timedelta(minutes=i)) for i in range(70)]
    other = pulls[1]
    other.requests = [("requested", "jamie", t + timedelta(minutes=i), "owen") for i in range(60)]
    fake = serve([FakeRepo("acme/api", pulls=pulls)])
    data = make_adapter(fake.url).collect(WINDOW)
    by_number = {r.number: r for r in data.reviews}
    done = by_number[big.number]
    assert len(done.paths) == 260
    assert len(done.comments) == 120 + 45 + 40
    assert len(done.reviews) == 70
    assert len(by_number[other.number].review_requests) == 60
    assert len(data.reviews) == 180
    # 2 pages + follow-ups batched: files (2 more pages), comments, reviews, threads,
    # thread comments, timeline all ride together: 2 follow-up requests.
    assert fake.count(operation="RepoPage") == 2
    assert fake.count(operation="FollowUp") == 2


def test_repositories_are_fetched_concurrently(serve):
    repos = [
        FakeRepo(f"acme/r{i}", pulls=generate_pulls(30, now=NOW, authors=AUTHORS, seed=i))
        for i in range(6)
    ]
    fake = serve(repos, latency=0.05)
    adapter = make_adapter(fake.url, repos=["acme/*"], concurrency=3)
    data = adapter.collect(WINDOW)
    assert len(data.reviews) == 180
    assert {r.repo for r in data.reviews} == {f"acme/r{i}" for i in range(6)}
    assert fake.count(graphql=True) == 6 and fake.count(graphql=False) == 1


def test_org_star_falls_back_to_user_repos_and_skips_archived(serve):
    repos = [
        FakeRepo("octo/one", pulls=generate_pulls(2, now=NOW, authors=AUTHORS)),
        FakeRepo("octo/old", archived=True),
    ]
    fake = serve(repos, owners={"octo": "User"})
    data = make_adapter(fake.url, repos=["octo/*"]).collect(WINDOW)
    assert {r.repo for r in data.reviews} == {"octo/one"}
    assert [s.path for s in fake.requests[:2]] == ["/orgs/octo/repos", "/users/octo/repos"]


def test_ghes_base_url_uses_api_graphql(serve):
    fake = serve([FakeRepo("acme/api", pulls=generate_pulls(3, now=NOW, authors=AUTHORS))])
    adapter = make_adapter(f"{fake.url}/api/v3", repos=["acme/*"])
    data = adapter.collect(WINDOW)
    assert len(data.reviews) == 3
    assert {s.path for s in fake.requests} == {"/api/v3/orgs/acme/repos", "/api/graphql"}


def test_github_api_url_is_the_default_base_url(serve):
    fake = serve([FakeRepo("acme/api", pulls=generate_pulls(2, now=NOW, authors=AUTHORS))])
    adapter = make_adapter(None, env={"GITHUB_TOKEN": "tok-abcdef", "GITHUB_API_URL": fake.url})
    fake.token = "tok-abcdef"
    assert len(adapter.collect(WINDOW).reviews) == 2


def test_codeowners_ride_in_the_first_page_at_no_cost(serve):
    """GitHub reads .github/CODEOWNERS, else CODEOWNERS, else docs/CODEOWNERS: so does the
    adapter, in the first request of each repository, for no extra request or point."""
    pulls = generate_pulls(30, now=NOW, authors=AUTHORS)
    owned = FakeRepo(
        "acme/api",
        pulls=pulls,
        files={
            ".github/CODEOWNERS": "# who owns what\n/services/orders/ @acme/orders @owen\n",
            "CODEOWNERS": "* @acme/everyone\n",
        },
    )
    docs = FakeRepo("acme/web", pulls=pulls, files={"docs/CODEOWNERS": "/src/cart/ @kim\n"})
    bare = FakeRepo("acme/ops", pulls=pulls)
    fake = serve([owned, docs, bare])
    adapter = make_adapter(fake.url, repos=["acme/api", "acme/web", "acme/ops"])
    data = adapter.collect(WINDOW)
    found = {o.repo: (o.path, [(r.pattern, r.owners) for r in o.rules]) for o in data.code_owners}
    assert found == {
        "acme/api": (".github/CODEOWNERS", [("/services/orders/", ("@acme/orders", "@owen"))]),
        "acme/web": ("docs/CODEOWNERS", [("/src/cart/", ("@kim",))]),
        "acme/ops": ("", []),
    }
    assert fake.count(operation="RepoPage") == 3  # one page of each repository
    plain = serve([FakeRepo(r.full_name, pulls=pulls) for r in (owned, docs, bare)])
    make_adapter(plain.url, repos=["acme/api", "acme/web", "acme/ops"]).collect(WINDOW)
    assert fake.points() == plain.points() and fake.count() == plain.count()


def test_a_token_that_may_not_read_files_still_syncs_and_the_report_says_so(serve):
    """A GitHub App without contents access gets FORBIDDEN on the CODEOWNERS blob: a note."""
    pulls = generate_pulls(5, now=NOW, authors=AUTHORS)
    fake = serve([FakeRepo("acme/api", pulls=pulls, files={".github/CODEOWNERS": None})])
    adapter = make_adapter(fake.url, repos=["acme/api"])
    data = adapter.collect(WINDOW)
    assert len(data.reviews) == 5
    assert [(o.repo, o.rules) for o in data.code_owners] == [("acme/api", ())]
    assert any(
        "GitHub did not give .github/CODEOWNERS of repository acme/api" in note
        and "Resource not accessible" in note
        for note in data.notes
    ), data.notes
