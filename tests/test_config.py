"""Config lookup and validation: every error names the key and the line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from leadkit.config import check_kind_keys, find_config, load_config, parse_config
from leadkit.errors import ConfigError
from leadkit.plugins import load_plugins

BUILTIN_KINDS = load_plugins(use_entry_points=False, environ={}).kinds

GOOD = """\
[team]
name = "core"
lead = "jamie"
members = ["owen", "priya"]
timezone = "Europe/Berlin"
working_days = ["mon", "tue", "wed", "thu"]

[people.jamie]
name = "Jamie"
github = "jamie-gh"
jira = ["5b10ac8d", "jamie@example.com"]
growth = ["architecture"]

[people.owen]
email = "owen@example.com"
away = ["2026-12-01..2026-12-05"]

[[sources]]
type = "file"
name = "recorded"
path = "team.json"

[thresholds]
stalled_days = 10

[delegation.overrides]
"PIPE-1" = "keep"

[gates]
max_review_queue = 4
"""


def test_a_good_config_parses_to_typed_values() -> None:
    config = parse_config(GOOD)
    team = config.team(None)
    assert (team.name, team.lead, team.members) == ("core", "jamie", ("owen", "priya"))
    assert team.working_days == frozenset({0, 1, 2, 3})
    assert config.people["jamie"].accounts == {
        "github": ("jamie-gh",),
        "jira": ("5b10ac8d", "jamie@example.com"),
    }
    assert config.people["owen"].emails == ("owen@example.com",)
    away = config.people["owen"].away[0]
    assert (away.start.day, away.end.day) == (1, 6)  # the last day is included
    assert config.thresholds == {"stalled_days": 10}  # the kinds declare the defaults
    assert BUILTIN_KINDS.defaults()["quiet_days"] == 5
    assert config.delegation.overrides == {"PIPE-1": "keep"}
    assert config.gates == {"max_review_queue": 4}
    assert config.sources[0].name == "recorded" and config.sources[0].options == {
        "path": "team.json"
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[team]\nname = 'x'\n", "config, line 1: team.lead is required"),
        ("[[sources]]\nname = 'a'\n", "config, line 1: sources[0] has no type"),
        (
            "[[sources]]\ntype='file'\nname='a'\n[[sources]]\ntype='file'\nname='a'\n",
            "config, line 6: sources[1].name 'a' names two sources",
        ),
        (
            "[[sources]]\ntype = 'github'\ntoken = 'ghp_abc'\n",
            "config, line 3: sources[0].token looks like a secret",
        ),
        (
            "[team]\nlead='a'\ntimezone = 'Mars/Olympus'\n",
            "config, line 3: team.timezone is an unknown time zone 'Mars/Olympus'",
        ),
        (
            "[team]\nlead='a'\nworking_days = ['mon', 'funday']\n",
            "config, line 3: team.working_days working day 'funday'",
        ),
        ("[people.a]\naway = ['next week']\n", "config, line 2: people.a.away has 'next week'"),
        (
            "[delegation.overrides]\nX-1 = 'maybe'\n",
            'config, line 2: delegation.overrides.X-1 must be "delegate" or "keep"',
        ),
        ("[team]\nlead='a'\n[[teams]]\nlead='b'\n", "teams and [team] are both set"),
        ("colour = 'blue'\n", "config, line 1: colour is not a known key"),
        (
            "[analysis]\nsince = 'a while'\n",
            "config, line 2: analysis.since = 'a while' is not a duration",
        ),
        ("[areas]\nunit = ['services/*']\n", "config, line 2: areas.unit is not a known key"),
        (
            "[areas]\nunits = 'services//*'\n",
            "config, line 2: areas.units has 'services//*': every folder in it needs a name",
        ),
        (
            "[areas]\n\nunits = ['web:src/*']\n",
            "config, line 3: areas.units has 'web:src/*': a repository prefix is OWNER/NAME",
        ),
        ("[areas]\nunits = ['/']\n", "config, line 2: areas.units has '/', which names no folder"),
        ("[areas]\nunits = [3]\n", "config, line 2: areas.units must be a list of strings"),
        (
            "[areas]\nfixtures = ['a/b/c']\n",
            "config, line 2: areas.fixtures has 'a/b/c': write a folder name",
        ),
        ("areas = 3\n", "config, line 1: areas must be a table"),
    ],
)
def test_errors_name_the_key_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[team]\nlead = 'a'\n[thresholds]\nstaled_days = 3\n",
            "config, line 4: thresholds.staled_days is not a known key",
        ),
        ("[gates]\nmax_queue = 3\n", "config, line 2: gates.max_queue is not a known key"),
    ],
)
def test_keys_no_kind_declares_name_the_key_and_line(text: str, message: str) -> None:
    """[thresholds] and [gates] keys are the kinds': checked once the plugins are loaded."""
    config = parse_config(text)
    with pytest.raises(ConfigError) as info:
        check_kind_keys(config, BUILTIN_KINDS.settings(), BUILTIN_KINDS.gates())
    assert message in str(info.value)
    check_kind_keys(config, BUILTIN_KINDS.settings(), BUILTIN_KINDS.gates(), partial=True)


def test_thresholds_that_change_nothing_are_a_warning() -> None:
    config = parse_config("[thresholds]\nwip_ratio_high = 4\ninterrupt_share_high = 0.9\n")
    warnings: list[str] = []
    check_kind_keys(config, BUILTIN_KINDS.settings(), BUILTIN_KINDS.gates(), warn=warnings.append)
    assert warnings == [
        "config, line 2: thresholds.wip_ratio_high no longer changes anything; remove it",
        "config, line 3: thresholds.interrupt_share_high no longer changes anything; remove it",
    ]
    assert not {"wip_ratio_high", "interrupt_share_high"} & set(BUILTIN_KINDS.defaults())


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "leadkit.toml"
    path.write_text("[team]\nlead = \n")
    with pytest.raises(ConfigError, match=r"leadkit.toml: TOML syntax error: .*line 2"):
        load_config(path)


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    user = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user))
    assert find_config(None) is None
    (user / "leadkit").mkdir(parents=True)
    (user / "leadkit" / "leadkit.toml").write_text("")
    assert find_config(None) == user / "leadkit" / "leadkit.toml"
    (tmp_path / "leadkit.toml").write_text("")
    assert find_config(None) == tmp_path / "leadkit.toml"
    other = tmp_path / "other.toml"
    other.write_text("")
    monkeypatch.setenv("LEADKIT_CONFIG", str(other))
    assert find_config(None) == other
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("")
    assert find_config(str(explicit)) == explicit
    with pytest.raises(ConfigError, match=r"config file not found: nope\.toml"):
        find_config("nope.toml")
    monkeypatch.setenv("LEADKIT_CONFIG", "gone.toml")
    with pytest.raises(ConfigError, match=r"gone.toml \(from LEADKIT_CONFIG\)"):
        find_config(None)


def test_several_teams() -> None:
    config = parse_config(
        "[[teams]]\nname='a'\nlead='x'\n[[teams]]\nname='b'\nlead='y'\nmembers=['z']\n"
    )
    assert [t.name for t in config.teams] == ["a", "b"]
    assert config.team("b").members == ("z",)
    with pytest.raises(ConfigError, match=r"no team named 'c' in the config \(teams: a, b\)"):
        config.team("c")


def test_example_config_is_valid() -> None:
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    config = parse_config(example.read_text(), example)
    assert config.teams and config.sources
    warnings: list[str] = []
    check_kind_keys(config, BUILTIN_KINDS.settings(), BUILTIN_KINDS.gates(), warn=warnings.append)
    assert warnings == []
    # It shows every threshold the built-in kinds read, at its default.
    assert config.thresholds == BUILTIN_KINDS.defaults()


def test_the_old_hours_keys_warn_in_one_line_naming_the_new_key() -> None:
    config = parse_config(
        "[thresholds]\nreview_wait_warn_hours = 8\nreview_wait_high_hours = 24\n"
        "[gates]\nmax_review_wait_hours = 16\n"
    )
    warnings: list[str] = []
    check_kind_keys(
        config,
        BUILTIN_KINDS.settings(),
        BUILTIN_KINDS.gates(),
        warn=warnings.append,
        renamed=BUILTIN_KINDS.renamed(),
    )
    tail = "(working days; the hours are divided by the team's working day)"
    assert warnings == [
        "config, line 2: thresholds.review_wait_warn_hours is deprecated: "
        f"use thresholds.review_wait_warn_days {tail}",
        "config, line 3: thresholds.review_wait_high_hours is deprecated: "
        f"use thresholds.review_wait_high_days {tail}",
        f"config, line 5: gates.max_review_wait_hours is deprecated: use gates.max_review_wait_days {tail}",
    ]
    # Converted per team, by its working day: 24 working hours are 3 days of 8 h.
    assert BUILTIN_KINDS.thresholds(config.thresholds, 8.0)["review_wait_high_days"] == 3.0
    assert BUILTIN_KINDS.in_days(config.gates, 6.0) == {"max_review_wait_days": 16 / 6}


def test_a_team_sets_its_working_hours_holidays_and_calendar() -> None:
    config = parse_config(
        "[team]\nlead = 'jamie'\ntimezone = 'America/Los_Angeles'\n"
        "working_hours = '08:30-16:30'\n"
        "holidays = ['2026-12-24', '2026-12-31..2027-01-01']\nholiday_calendar = 'us-ca'\n"
    )
    (team,) = config.teams
    assert team.working_hours == (8 * 60 + 30, 16 * 60 + 30) and team.day_hours == 8.0
    assert sorted(d.isoformat() for d in team.holidays) == [
        "2026-12-24",
        "2026-12-31",
        "2027-01-01",
    ]
    clock = team.clock(date(2026, 1, 1), date(2026, 12, 31))
    # California's calendar: Thanksgiving and the day after, Christmas; listed days too.
    assert {date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 25)} <= clock.holidays
    assert date(2026, 12, 24) in clock.holidays
    # Defaults: 09:00-17:00, no holidays.
    (plain,) = parse_config("[team]\nlead = 'jamie'\n").teams
    assert plain.working_hours == (540, 1020) and not plain.holidays
    assert plain.holiday_calendar is None
