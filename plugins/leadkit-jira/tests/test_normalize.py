"""Jira JSON into the model: recorded issues, links, history, comments, odd and broken input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from leadkit_jira.normalize import Normalizer, plain_value

from leadkit.errors import DataError
from leadkit.model.data import Assignment, Link, Transition


def cloud(**kwargs) -> Normalizer:
    kwargs.setdefault("source", "jira")
    kwargs.setdefault("server", "https://merico.atlassian.net")
    return Normalizer(cloud=True, **kwargs)


def test_recorded_cloud_issues_normalize(jp):
    """DevLake's recording of three Jira Cloud issues (agile board search, changelog expanded)."""
    raw = jp.devlake_rows("jira__raw_jira_api_issues.subset.csv")
    norm = cloud(custom_fields={"story_points": "customfield_10016", "sprint": "customfield_10020"})
    norm.learn_issues(raw)
    items = [norm.work_item(issue) for issue in raw]
    people = {p.id: p for p in norm.take_people()}

    first = items[0]
    assert first.key == "EE-1"
    assert first.url == "https://merico.atlassian.net/browse/EE-1"
    assert first.raw_type == "故事"
    assert first.type == "task"  # an unknown (localised) type name falls back to task
    assert first.created == datetime(2020, 6, 12, 0, 13, 13, 360000, tzinfo=UTC)
    assert first.resolved == datetime(2020, 6, 19, 6, 31, 18, 495000, tzinfo=UTC)
    assert first.labels == ("frontEnd", "Saas")
    assert first.assignee == "jira:5ecfbd0c730ec90c1999cadf"
    assert first.fields == {"story_points": None, "sprint": "EE Sprint 7"}
    assert first.comments and first.comments[0].by is not None
    # status changes come out oldest first, with the author as an account key
    assert first.transitions == tuple(sorted(first.transitions, key=lambda t: t.at))
    assert all(t.by and t.by.startswith("jira:") for t in first.transitions)
    for item in items:
        assert item.status_category in ("todo", "in_progress", "done")
        assert item.created.tzinfo is UTC
    assignee = people["jira:5ecfbd0c730ec90c1999cadf"]
    assert assignee.accounts[0].tracker == "jira"
    assert assignee.accounts[0].id == "5ecfbd0c730ec90c1999cadf"
    assert assignee.name == assignee.accounts[0].name
    # EE-1 has a duedate; every issue's fix version v2.7.0 is released: no date ahead.
    assert (first.due, first.due_source) == (
        datetime(2025, 3, 9, 23, 59, 59, tzinfo=UTC),
        "duedate",
    )
    assert [i.due for i in items[1:]] == [None, None]


def test_type_map_overrides_the_defaults(jp):
    raw = jp.devlake_rows("jira__raw_jira_api_issues.subset.csv")[0]
    assert cloud(type_map={"故事": "feature"}).work_item(raw).type == "feature"


def test_recorded_server_links_read_in_both_directions(jp):
    """DevLake's Jira Server issues: Blocks both ways, and Cloners as a plain relation."""
    raw = {
        i["key"]: i for i in jp.devlake_rows("jira__raw_jira_api_issue_relationships.subset.csv")
    }
    norm = Normalizer(source="dc", server="http://3.81.151.94:8080", cloud=False)
    one = norm.work_item(raw["DZFNK0168-1"])
    two = norm.work_item(raw["DZFNK0168-2"])
    four = norm.work_item(raw["DZFNK0168-4"])
    five = norm.work_item(raw["DZFNK0168-5"])
    assert Link("is-blocked-by", "DZFNK0168-5") in one.links
    assert Link("blocks", "DZFNK0168-22") in two.links
    assert Link("blocks", "DZFNK0168-1") in five.links
    assert all(link.kind == "relates" for link in four.links)
    # Data Center people are keyed by user name, with their email
    assert one.assignee == "jira:admin"
    admin = {p.id: p for p in norm.take_people()}["jira:admin"]
    assert admin.emails == ("hao.ke@merico.dev",)
    assert admin.accounts[0].email == "hao.ke@merico.dev"
    # ...and their user name is a login, for identity merging across trackers.
    assert admin.accounts[0].login == "admin"


def test_data_center_users_without_emails_carry_their_login(jp):
    """Data Center users as its REST v2 gives them: name, key, "Last, First", no email."""
    from .conftest import issue

    jane = {"name": "jdoe", "key": "JIRAUSER10100", "displayName": "Doe, Jane", "active": True}
    jenkins = {"name": "jenkins", "key": "jenkins", "displayName": "Jenkins", "active": True}
    norm = Normalizer(source="dc", server="https://jira.acme.example", cloud=False)
    item = norm.work_item(issue("PIPE-7", assignee=jane, reporter=jenkins))
    people = {p.id: p for p in norm.take_people()}
    assert item.assignee == "jira:jdoe"
    (account,) = people["jira:jdoe"].accounts
    assert (account.login, account.name, account.email) == ("jdoe", "Doe, Jane", None)
    assert not people["jira:jdoe"].is_automation
    assert people["jira:jenkins"].is_automation  # a CI server's user, by the one rule
    # A user named only by a generated key has no login to match on.
    ghost = norm.referenced("JIRAUSER10999", "Former Employee")
    assert ghost is not None
    assert norm.take_people()[0].accounts[0].login is None


def test_configured_blocks_link_types(jp):
    issue = jp.issue(
        "PIPE-1",
        issuelinks=[
            {"type": {"name": "Dependency"}, "outwardIssue": {"key": "PIPE-2"}},
            {"type": {"name": "Blocks"}, "inwardIssue": {"key": "PIPE-3"}},
        ],
    )
    item = cloud(blocks_link_types=["Dependency"]).work_item(issue)
    assert item.links == (Link("blocks", "PIPE-2"), Link("relates", "PIPE-3"))


def test_history_gives_transitions_and_assignments(jp):
    jamie = jp.user("acc-jamie", "Jamie Lead")
    t0 = jp.NOW - timedelta(days=5)
    issue = jp.issue(
        "PIPE-7",
        histories=[  # the search embeds newest first
            jp.history(
                "3",
                t0 + timedelta(days=2),
                jamie,
                jp.status_item("In Progress", "Testing", "3", "10002"),
            ),
            jp.history(
                "2",
                t0 + timedelta(days=1),
                jamie,
                jp.assignee_item("acc-owen", "Owen Dev", "acc-jamie", "Jamie Lead"),
                {"field": "labels", "fromString": "", "toString": "x"},
            ),
            jp.history("1", t0, jamie, jp.status_item("To Do", "In Progress", "1", "3")),
        ],
    )
    norm = cloud()
    norm.learn_status_list(
        [{"id": "10002", "name": "Testing", "statusCategory": {"key": "indeterminate"}}]
    )
    item = norm.work_item(issue)
    assert item.transitions == (
        Transition(t0, "In Progress", "To Do", "jira:acc-jamie", "in_progress"),
        Transition(
            t0 + timedelta(days=2), "Testing", "In Progress", "jira:acc-jamie", "in_progress"
        ),
    )
    assert item.assignments == (
        Assignment(t0 + timedelta(days=1), "jira:acc-jamie", "jira:acc-owen", "jira:acc-jamie"),
    )
    people = {p.id: p for p in norm.take_people()}
    assert people["jira:acc-owen"].name == "Owen Dev"


def test_transition_category_is_none_when_the_status_is_unknown(jp):
    issue = jp.issue(
        "PIPE-8",
        histories=[jp.history("1", jp.NOW, None, jp.status_item("Todo", "Parked", "1", "777"))],
    )
    norm = cloud()
    assert norm.unknown_statuses([issue]) == {"Parked"}
    (transition,) = norm.work_item(issue).transitions
    assert transition.to_category is None
    assert transition.by is None


def test_comments_questions_and_mentions_wiki_and_adf(jp):
    owen = jp.user("acc-owen", "Owen Dev")
    wiki = {
        "id": "1",
        "author": owen,
        "created": jp.jira_time(jp.NOW),
        "body": "[~accountid:acc-jamie] can you help with the test env? cc [~accountid:acc-priya]",
    }
    adf = {
        "id": "2",
        "author": owen,
        "created": jp.jira_time(jp.NOW - timedelta(hours=1)),
        "body": {
            "type": "doc",
            "version": 1,
            "content": [
                {
                    "type": "paragraph",
                    "content": [
                        {"type": "mention", "attrs": {"id": "acc-jamie", "text": "@Jamie"}},
                        {"type": "text", "text": " thanks, fixed."},
                    ],
                }
            ],
        },
    }
    item = cloud().work_item(jp.issue("PIPE-9", comments=[wiki, adf]))
    older, newer = item.comments
    assert older.mentions == ("jira:acc-jamie",) and not older.question
    assert newer.question
    assert newer.mentions == ("jira:acc-jamie", "jira:acc-priya")
    assert newer.by == "jira:acc-owen"


def test_recorded_comment_page_normalizes(jp):
    """atlassian-python-api's recorded /rest/api/2/issue/FOO-123/comment page."""
    page = jp.atlassian_response("rest_api_2_issue_FOO-123_comment_GET.py.txt")
    item = cloud().work_item(jp.issue("FOO-123", comments=page["comments"]))
    assert len(item.comments) == 2
    assert item.comments[0].by == "jira:557058:dc675182-d776-46f5-90fb-fe5637b71397"


def test_missing_and_null_fields_normalize_gracefully(jp):
    issue = {
        "key": "PIPE-10",
        "fields": {
            "summary": None,
            "issuetype": None,
            "status": None,
            "assignee": None,
            "reporter": None,
            "created": "2026-11-20T09:15:00.000+0000",
            "updated": None,
            "resolutiondate": None,
            "labels": None,
            "components": None,
            "issuelinks": None,
            "comment": None,
            "parent": None,
            "customfield_10016": None,
            "duedate": None,
            "fixVersions": None,
        },
    }
    norm = cloud(
        custom_fields={"story_points": "customfield_10016", "epic_link": "customfield_10014"}
    )
    item = norm.work_item(issue)
    assert item.title == ""
    assert item.type == "task" and item.raw_type is None
    assert item.status == "" and item.status_category == "todo"
    assert item.assignee is None and item.reporter is None
    assert item.created == item.updated == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    assert item.labels == () and item.links == () and item.comments == ()
    assert item.parent is None
    assert item.fields == {"story_points": None}
    assert item.due is None and item.due_source is None
    # no changelog at all, and a fields object with almost nothing in it
    bare = norm.work_item({"key": "PIPE-11", "fields": {"updated": "2026-11-20T09:15:00Z"}})
    assert bare.transitions == () and bare.created == bare.updated


def test_unknown_issue_types_become_tasks_and_known_names_map(jp):
    norm = cloud()

    def typed(name):
        return norm.work_item(jp.issue("PIPE-1", issuetype={"name": name})).type

    assert typed("Bug") == "bug"
    assert typed("Story") == "feature"
    assert typed("Epic") == "epic"
    assert typed("Sub-task") == "task"
    assert typed("Production Incident") == "incident"
    assert typed("Ops Request") == "ops"
    assert typed("Support ticket") == "support"
    assert typed("Test Execution") == "test"
    assert typed("Quantum Widget") == "task"


def test_parent_and_epic_link_and_custom_fields(jp):
    norm = cloud(
        custom_fields={
            "epic_link": "customfield_10014",
            "story_points": "customfield_10016",
            "team": "customfield_10001",
            "sprint": "customfield_10020",
        }
    )
    with_parent = norm.work_item(jp.issue("PIPE-2", parent={"key": "PIPE-1"}))
    assert with_parent.parent == "PIPE-1"
    epic = norm.work_item(
        jp.issue(
            "PIPE-3",
            customfield_10014="PIPE-100",
            customfield_10016=5.0,
            customfield_10001={"id": "t1", "name": "Platform"},
            customfield_10020=[
                {"id": 1, "name": "Sprint 41", "state": "closed"},
                {"id": 2, "name": "Sprint 42", "state": "active"},
            ],
        )
    )
    assert epic.parent == "PIPE-100"
    assert epic.fields == {"story_points": 5.0, "team": "Platform", "sprint": "Sprint 42"}
    dc_sprint = (
        "com.atlassian.greenhopper.service.sprint.Sprint@1a"
        "[id=3,rapidViewId=1,state=ACTIVE,name=Sprint 7,startDate=x]"
    )
    assert plain_value([dc_sprint]) == "Sprint 7"
    assert plain_value({"value": "Blue"}) == "Blue"


def test_status_category_comes_from_jira_not_from_the_name(jp):
    norm = cloud()
    item = norm.work_item(
        jp.issue("PIPE-4", status={"id": "9", "name": "Done-ish", "statusCategory": {"key": "new"}})
    )
    assert item.status_category == "todo"
    done = norm.work_item(
        jp.issue("PIPE-5", status={"id": "8", "name": "Shipped", "statusCategory": {"key": "done"}})
    )
    assert done.status_category == "done"


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        ({"key": "PIPE-1", "fields": []}, "PIPE-1 is malformed: fields is a list"),
        ({"key": "PIPE-1"}, "PIPE-1 is malformed: has no fields"),
        ({"key": "PIPE-1", "fields": {"created": "yesterday"}}, "PIPE-1 is malformed: created"),
        ({"key": "PIPE-1", "fields": {"summary": "x"}}, "PIPE-1 is malformed: has neither"),
        ({"fields": {}}, "issue number 1 of its page is malformed: has no key"),
        ("PIPE-1", "issue number 1 of its page is malformed: is a str"),
        (
            {"key": "PIPE-1", "fields": {"created": "2026-11-20T09:15:00Z", "issuelinks": {}}},
            "PIPE-1 is malformed: issuelinks is a dict",
        ),
        (
            {
                "key": "PIPE-1",
                "fields": {"created": "2026-11-20T09:15:00Z"},
                "changelog": {"histories": [{"created": 5, "items": [{"field": "status"}]}]},
            },
            "PIPE-1 is malformed: changelog history 0 created",
        ),
        (
            {"key": "PIPE-1", "fields": {"created": "2026-11-20T09:15:00Z", "duedate": "soon"}},
            "PIPE-1 is malformed: duedate is 'soon', not a time",
        ),
        (
            {
                "key": "PIPE-1",
                "fields": {
                    "created": "2026-11-20T09:15:00Z",
                    "fixVersions": [{"name": "2.4", "released": False, "releaseDate": 20261201}],
                },
            },
            "PIPE-1 is malformed: fixVersions[0].releaseDate is 20261201",
        ),
    ],
)
def test_malformed_issues_raise_data_error_naming_the_issue(issue, expected):
    with pytest.raises(DataError) as info:
        cloud().work_item(issue)
    assert expected in str(info.value)
    assert str(info.value).startswith("source 'jira': Jira issue ")


def test_app_accounts_are_bots_and_people_are_not(jp):
    """Jira Cloud marks Automation for Jira and other apps with accountType "app"."""
    from .conftest import issue, user

    automation = {
        **user("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "Automation for Jira"),
        "accountType": "app",
    }
    norm = cloud()
    norm.work_item(issue("PIPE-7", reporter=automation))
    people = {p.id: p for p in norm.take_people()}
    bot = people["jira:557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"]
    assert bot.accounts[0].bot is True and bot.is_automation
    jamie = people["jira:acc-jamie"]
    assert jamie.accounts[0].bot is False and not jamie.is_automation
