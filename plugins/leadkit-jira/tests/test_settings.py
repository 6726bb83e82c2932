"""Config validation: offline, and every error names the key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import responses
from leadkit_jira.jql import build_jql, strip_order
from leadkit_jira.settings import read_settings

from leadkit.collect.selection import Selection
from leadkit.errors import ConfigError


@responses.activate
def test_valid_config_builds_without_network(make_source):
    source = make_source(
        type_map={"Spike": "chore"},
        fields={"story_points": "customfield_10016", "epic_link": "customfield_10014"},
        page_size=50,
        max_wait=30,
    )
    assert source.settings.page_size == 50
    assert source.settings.type_map == {"Spike": "chore"}
    assert source.settings.uses_basic_auth
    assert source.settings.credential_variables == ("JIRA_EMAIL", "JIRA_TOKEN")
    assert len(responses.calls) == 0
    assert source.context.stats.requests == 0


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"server": "acme.atlassian.net"}, "server"),
        ({"server": "https://bob:pw@acme.atlassian.net"}, "server"),
        ({"deployment": "onprem"}, "deployment"),
        ({"projects": [], "jql": None}, "projects"),
        ({"projects": ["PIPE X"]}, "projects"),
        ({"type_map": {"Spike": "research"}}, 'type_map."Spike"'),
        ({"fields": {"velocity": "customfield_1"}}, "fields.velocity"),
        ({"fields": {"story_points": "Story Points!"}}, "fields.story_points"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "100"}, "page_size"),
        ({"max_wait": -1}, "max_wait"),
        ({"timeout": 0}, "timeout"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"token_env": "MY TOKEN"}, "token_env"),
        ({"blocks_link_types": []}, "blocks_link_types"),
        ({"projcets": ["PIPE"]}, "projcets"),
    ],
)
def test_bad_config_names_the_key(make_source, options, key):
    with pytest.raises(ConfigError) as info:
        make_source(**options)
    message = str(info.value)
    assert f"source 'jira': {key} " in message
    assert "\n" not in message


def test_missing_credentials_name_the_variable(make_source):
    with pytest.raises(ConfigError, match="JIRA_TOKEN"):
        make_source(environ={"JIRA_EMAIL": "a@b.c"})
    with pytest.raises(ConfigError, match="JIRA_EMAIL"):
        make_source(environ={"JIRA_TOKEN": "abcdef"})


def test_datacenter_uses_a_bearer_pat(make_source):
    source = make_source(
        server="https://jira.acme.example",
        deployment="datacenter",
        environ={"JIRA_PAT": "pat-123456"},
        token_env="JIRA_PAT",
    )
    assert not source.settings.uses_basic_auth
    assert source.settings.credential_variables == ("JIRA_PAT",)


def test_auto_deployment_knows_atlassian_hosts_without_a_request(make_source):
    assert make_source(deployment="auto").is_cloud()
    assert make_source(deployment="auto").context.stats.requests == 0


def test_default_jql_bounds_projects_by_the_look_back_and_keeps_open_items(make_source):
    settings = make_source(projects=["PIPE", "OPS"], timezone="UTC").settings
    since = datetime(2026, 8, 25, 0, 0, tzinfo=UTC)
    assert build_jql(settings, Selection(since, changed_only=False)) == (
        'project in ("PIPE", "OPS") AND (updated >= "2026-08-25 00:00" '
        "OR statusCategory != Done) ORDER BY created ASC, key ASC"
    )


def test_jql_bound_is_written_in_the_jira_users_zone(make_source):
    settings = make_source(timezone="Europe/Berlin").settings
    since = datetime(2026, 8, 25, 0, 0, tzinfo=UTC)
    assert 'updated >= "2026-08-25 02:00"' in build_jql(settings, Selection(since, False))


def test_jql_bound_is_widened_when_the_users_zone_is_unknown(make_source):
    settings = make_source().settings
    since = datetime(2026, 8, 25, 0, 0, tzinfo=UTC)
    assert 'updated >= "2026-08-24 10:00"' in build_jql(settings, Selection(since, False))


def test_configured_jql_is_anded_with_the_bound_and_loses_its_order(make_source):
    settings = make_source(
        projects=[], jql='project = PIPE AND labels = "team-a" order by rank', timezone="UTC"
    ).settings
    since = datetime(2026, 8, 25, 0, 0, tzinfo=UTC)
    jql = build_jql(settings, Selection(since, changed_only=True))
    assert jql == (
        '(project = PIPE AND labels = "team-a") AND updated >= "2026-08-24 23:58" '
        "ORDER BY created ASC, key ASC"
    )
    assert strip_order("project = X") == "project = X"


def test_settings_reader_is_importable_on_its_own():
    from leadkit.collect.sources import SourceConfig

    settings = read_settings(
        SourceConfig(
            name="j", type="jira", options={"server": "https://x.atlassian.net/", "jql": "a = b"}
        )
    )
    assert settings.server == "https://x.atlassian.net"
    assert settings.deployment == "auto"
    assert settings.blocks_link_types == ("Blocks",)
