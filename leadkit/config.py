"""Reading and validating ``leadkit.toml``.

Looked up in order: ``--config``, ``LEADKIT_CONFIG``, ``./leadkit.toml``, the
user config dir. Every error names the key and, where it can, the line.
Secrets are never in this file: it names environment variables instead.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from leadkit.analyze.areas import unit_pattern_problem
from leadkit.collect.sources import SourceConfig
from leadkit.errors import ConfigError
from leadkit.errors import shown as _show
from leadkit.model.findings import DEFAULT_EVIDENCE
from leadkit.secrets import variable_name_problem
from leadkit.timeutil import (
    DAY_NAMES,
    DEFAULT_WORKING_HOURS,
    MAX_SPAN_DAYS,
    WorkingClock,
    calendar_holidays,
    calendar_problem,
    duration_problem,
    parse_datetime,
    parse_duration,
    parse_holidays,
    parse_working_days,
    parse_working_hours,
    zone,
)

_LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(\[bot\])?$")
"""An account login as ``[comment] approvers`` and ``bot_login`` take (GitHub's, a bot's ``[bot]``)."""

REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
"""A repository as ``OWNER/NAME``."""

CONFIG_NAME = "leadkit.toml"

DEPRECATED_THRESHOLDS = ("lead_review_share_high", "interrupt_share_high", "wip_ratio_high")
"""Accepted with a warning: since severity was calibrated they change nothing."""

DEFAULT_KEEP_TYPES = ("epic",)
DEFAULT_KEEP_LABELS = ("architecture", "design", "security", "hiring", "confidential")
DEFAULT_REACTIVE_TYPES = ("bug", "incident", "support", "ops")


@dataclass(frozen=True)
class AwayPeriod:
    start: datetime
    end: datetime
    whole_days: bool = False
    """Given as days (``2026-12-01..2026-12-05``): whole days in each team's time zone,
    which :meth:`in_zone` gives; ``start`` and ``end`` are those days at midnight UTC."""

    def in_zone(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The period as UTC instants, whole days taken in ``tz``."""
        if not self.whole_days:
            return self.start, self.end
        first = datetime.combine(self.start.date(), time()).replace(tzinfo=tz)
        last = datetime.combine(self.end.date(), time()).replace(tzinfo=tz)
        return first.astimezone(UTC), last.astimezone(UTC)

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class PersonConfig:
    """A person as the config names them: their accounts, goals and time away."""

    id: str
    name: str | None = None
    emails: tuple[str, ...] = ()
    accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    growth: tuple[str, ...] = ()
    away: tuple[AwayPeriod, ...] = ()

    def is_away(self, start: datetime, end: datetime) -> bool:
        return any(p.covers(start, end) for p in self.away)


@dataclass(frozen=True)
class TeamConfig:
    """A team: its lead, members, and when it works."""

    name: str
    lead: str
    members: tuple[str, ...] = ()
    timezone: str = "UTC"
    working_days: frozenset[int] = frozenset(range(5))
    working_hours: tuple[int, int] = parse_working_hours(DEFAULT_WORKING_HOURS)
    """Minutes after local midnight the working day starts and ends (09:00-17:00)."""
    holidays: frozenset[date] = frozenset()
    """Days off from ``holidays``: single days, ranges expanded."""
    holiday_calendar: str | None = None
    """A country or subdivision (``DE-BY``) whose public holidays are days off too."""

    @property
    def day_hours(self) -> float:
        """How long the team's working day is, in hours (8 for 09:00-17:00)."""
        return (self.working_hours[1] - self.working_hours[0]) / 60

    def clock(self, first: date, last: date) -> WorkingClock:
        """The team's working clock, with the calendar's holidays from ``first`` to ``last``."""
        days = self.holidays
        if self.holiday_calendar:
            days = days | calendar_holidays(self.holiday_calendar, first, last)
        return WorkingClock(self.working_days, zone(self.timezone), self.working_hours, days)


@dataclass(frozen=True)
class DelegationConfig:
    """What stays with the lead; every other open item the lead holds is a candidate."""

    delegable_types: tuple[str, ...] = ()
    """Types that rank higher as hand-offs (they no longer decide what is delegable)."""
    keep_types: tuple[str, ...] = DEFAULT_KEEP_TYPES
    delegable_labels: tuple[str, ...] = ()
    """Labels that rank higher as hand-offs (they no longer decide what is delegable)."""
    keep_labels: tuple[str, ...] = DEFAULT_KEEP_LABELS
    overrides: dict[str, str] = field(default_factory=dict)
    candidates: int = 2
    max_items: int = 20
    """How many of the lead's items a report lists suggestions for (the most valuable
    hand-offs first) and lists of ``kept``; the rest are counted."""
    delegate_reviews: bool = True
    allow_reassign: bool = False


@dataclass(frozen=True)
class AnalysisConfig:
    since: str = "28d"
    history_days: int = 90
    reactive_types: tuple[str, ...] = DEFAULT_REACTIVE_TYPES
    reactive_labels: tuple[str, ...] = ("support", "incident", "interrupt", "ops", "bug")
    testing_statuses: tuple[str, ...] = ("test", "qa", "review", "verify", "validation")
    max_actions: int = 5
    evidence: int | None = DEFAULT_EVIDENCE
    """How many entries each evidence list in a report shows, with the total; None
    (``"all"``, ``--evidence all``): every entry, and suggestions for every item."""
    ignore_users: tuple[str, ...] = ()
    """Accounts that are not people (by login, account key or person id), on top of bots."""


@dataclass(frozen=True)
class AreasConfig:
    """``[areas]``: the folders people own, where the tree's shape does not say it."""

    units: tuple[str, ...] = ()
    """Folder patterns each naming areas as they are (``services/*``, ``acme/web:src/*``)."""
    fixtures: tuple[str, ...] = ()
    """More folder names of test data (``golden``, ``test/samples``), on top of the defaults."""


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    path: Path | None = None
    people: dict[str, PersonConfig] = field(default_factory=dict)
    teams: tuple[TeamConfig, ...] = ()
    sources: tuple[SourceConfig, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)
    """The ``[thresholds]`` the file sets; each kind declares its keys and defaults."""
    delegation: DelegationConfig = field(default_factory=DelegationConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    areas: AreasConfig = field(default_factory=AreasConfig)
    gates: dict[str, float] = field(default_factory=dict)
    plugin_paths: tuple[str, ...] = ()
    plugin_modules: tuple[str, ...] = ()
    plugin_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``[plugins.<name>]`` tables, by the name an analysis, renderer or publisher registered;
    once the plugins are loaded (:func:`leadkit.options.configure_plugins`), checked against
    what each declares and with every declared default filled in."""
    store: dict[str, Any] = field(default_factory=dict)
    comment: dict[str, Any] = field(default_factory=dict)
    publish: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``[publish.<publisher>]`` tables: ``slack.webhook_env``, ``github-issue.repo``/``labels``."""
    raw: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    """Where each ``thresholds.*``, ``gates.*`` and ``plugins.<name>.*`` key is set
    (``file, line N``), for the errors found once the plugins are loaded."""

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ConfigError(f"no source named '{name}' in the config (sources: {known})")

    def require_lead_people(self, team_name: str | None = None) -> None:
        """Every selected team's lead is a person in ``[people]``, or a ConfigError naming them.

        Without it the lead's accounts are guessed, and a lead leadkit cannot
        find would pass every gate for want of data.
        """
        for team in [self.team(team_name)] if team_name else self.teams:
            if team.lead not in self.people:
                raise ConfigError(
                    f"team '{team.name}': the lead '{team.lead}' is not a person in [people]; "
                    f"add [people.{team.lead}] with their tracker accounts"
                )

    def team(self, name: str | None) -> TeamConfig:
        if not self.teams:
            raise ConfigError("the config names no team: add [team] with a lead")
        if name is None:
            return self.teams[0]
        for team in self.teams:
            if team.name == name:
                return team
        known = ", ".join(t.name for t in self.teams)
        raise ConfigError(f"no team named '{name}' in the config (teams: {known})")


def user_config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user config folder (XDG on Linux, Application Support on macOS)."""
    env = os.environ if environ is None else environ
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "leadkit"
    if os.name == "nt":
        return Path(env.get("APPDATA", Path.home())) / "leadkit"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "leadkit"


def user_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user cache folder, where the store lives by default."""
    env = os.environ if environ is None else environ
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "leadkit"
    if os.name == "nt":
        return Path(env.get("LOCALAPPDATA", Path.home())) / "leadkit" / "Cache"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leadkit"


def find_config(explicit: str | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The config file to use, or None when there is none anywhere."""
    env = os.environ if environ is None else environ
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return path
    from_env = env.get("LEADKIT_CONFIG")
    if from_env:
        path = Path(from_env).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file not found: {from_env} (from LEADKIT_CONFIG)")
        return path
    for candidate in (Path.cwd() / CONFIG_NAME, user_config_dir(env) / CONFIG_NAME):
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path) -> Config:
    """Read and validate the config file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    """Validate TOML text as a leadkit config."""
    label = str(path) if path else "config"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: TOML syntax error: {exc}") from None
    return _Validator(raw, text, label, path).config()


_TOP_KEYS = {
    "team",
    "teams",
    "people",
    "sources",
    "thresholds",
    "delegation",
    "analysis",
    "areas",
    "gates",
    "plugins",
    "store",
    "comment",
    "publish",
}
_PERSON_KEYS = {"name", "email", "emails", "accounts", "growth", "away"}
_TEAM_KEYS = {
    "name",
    "lead",
    "members",
    "timezone",
    "working_days",
    "working_hours",
    "holidays",
    "holiday_calendar",
}


class _Validator:
    """Turns a parsed TOML document into a Config, naming the key and line of any error."""

    def __init__(self, raw: dict[str, Any], text: str, label: str, path: Path | None):
        self.raw = raw
        self.lines = text.splitlines()
        self.label = label
        self.path = path

    def fail(self, dotted: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where(dotted)}: {dotted} {problem}")

    def line_of(self, dotted: str) -> int | None:
        """Best-effort line number of a key such as ``sources[1].type`` or ``team.lead``."""
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", dotted)
        table: list[str] = []
        index: int | None = None
        key = parts[-1] if parts else dotted
        for part in parts[:-1]:
            if part.startswith("["):
                index = int(part[1:-1])
            else:
                table.append(part)
        if key.startswith("["):
            index = int(key[1:-1])
            key = ""
        header_hits = -1
        in_table = not table
        header_line: int | None = None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
            if header:
                name = header.group(1).replace('"', "").replace(" ", "")
                wanted = ".".join(table)
                if name == wanted:
                    header_hits += 1
                    in_table = index is None or header_hits == index
                    if in_table:
                        header_line = number
                else:
                    in_table = False
                continue
            if in_table and key and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
                return number
            if not table and key and stripped.startswith(f"{key}."):
                return number
        if not key or header_line is not None:
            return header_line
        for number, line in enumerate(self.lines, start=1):
            if re.match(rf'^\s*"?{re.escape(key)}"?\s*=', line):
                return number
        return None

    # -- typed getters ---------------------------------------------------------------

    def table(self, value: Any, dotted: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(dotted, f"must be a table, got {_show(value)}")
        return value

    def string(self, value: Any, dotted: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(dotted, f"must be a non-empty string, got {_show(value)}")
        return value.strip()

    def not_one_string(self, value: Any, dotted: str, what: str) -> None:
        """Refuse a bare string where a list is meant (``holidays = "2026-12-24"``)."""
        if isinstance(value, str):
            raise self.fail(dotted, f"must be a list of {what}, got {_show(value)}")

    def strings(self, value: Any, dotted: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(dotted, f"must be a list of strings, got {_show(value)}")
        return tuple(v.strip() for v in value if v.strip())

    def number(self, value: Any, dotted: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise self.fail(dotted, f"must be a non-negative number, got {_show(value)}")
        if "_share" in dotted.rsplit(".", 1)[-1] and value > 1:
            raise self.fail(
                dotted,
                f"is a share between 0 and 1 ({value / 100:g} means {value:g}%), got {value:g}",
            )
        return value

    def finite(self, value: Any, dotted: str) -> None:
        """NaN or infinity (TOML allows ``nan`` and ``inf``) anywhere under ``value`` fails."""
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(dotted, f"must be a finite number, got {_show(value)}")
        if isinstance(value, dict):
            for key, item in value.items():
                self.finite(item, f"{dotted}.{key}" if dotted else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.finite(item, f"{dotted}[{i}]")

    def boolean(self, value: Any, dotted: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(dotted, f"must be true or false, got {_show(value)}")
        return value

    def unknown(self, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                dotted = f"{prefix}.{key}" if prefix else key
                hint = ", ".join(sorted(allowed))
                raise self.fail(dotted, f"is not a known key (known here: {hint})")

    # -- sections -------------------------------------------------------------------

    def config(self) -> Config:
        self.finite(self.raw, "")
        self.unknown(self.raw, _TOP_KEYS, "")
        people = self.people()
        teams = self.teams(people)
        plugins = self.table(self.raw.get("plugins", {}), "plugins")
        return Config(
            path=self.path,
            people=people,
            teams=teams,
            sources=self.sources(),
            thresholds=self.numbers("thresholds"),
            delegation=self.delegation(),
            analysis=self.analysis(),
            areas=self.areas(),
            gates=self.numbers("gates"),
            plugin_paths=self.strings(plugins.get("paths", []), "plugins.paths"),
            plugin_modules=self.strings(plugins.get("modules", []), "plugins.modules"),
            plugin_options=self.plugin_tables(plugins),
            store=self.store(),
            comment=self.comment(),
            publish=self.publish(),
            raw=self.raw,
            origins=self.origins(),
        )

    def people(self) -> dict[str, PersonConfig]:
        people = self.table(self.raw.get("people", {}), "people")
        out: dict[str, PersonConfig] = {}
        for pid, body in people.items():
            prefix = f"people.{pid}"
            body = self.table(body, prefix)
            accounts: dict[str, tuple[str, ...]] = {}
            for key, value in body.items():
                if key in _PERSON_KEYS:
                    continue
                # Any other key names a tracker: github = "login", jira = "accountId".
                accounts[key] = self.strings(value, f"{prefix}.{key}")
            extra = self.table(body.get("accounts", {}), f"{prefix}.accounts")
            for key, value in extra.items():
                accounts[key] = (
                    *accounts.get(key, ()),
                    *self.strings(value, f"{prefix}.accounts.{key}"),
                )
            emails = (
                *self.strings(body.get("email", []), f"{prefix}.email"),
                *self.strings(body.get("emails", []), f"{prefix}.emails"),
            )
            name = body.get("name")
            out[pid] = PersonConfig(
                id=pid,
                name=self.string(name, f"{prefix}.name") if name is not None else None,
                emails=tuple(e.lower() for e in emails),
                accounts=accounts,
                growth=self.strings(body.get("growth", []), f"{prefix}.growth"),
                away=self.away(body.get("away", []), f"{prefix}.away"),
            )
        self.claimed_once(out)
        return out

    def claimed_once(self, people: dict[str, PersonConfig]) -> None:
        """One tracker account (or email) belongs to one person: two claims are an error."""
        owners: dict[tuple[str, str], str] = {}
        for pid, pc in people.items():
            claims = [
                (tracker.lower(), value, f"{tracker} account '{value}'", f"people.{pid}.{tracker}")
                for tracker, values in pc.accounts.items()
                for value in values
            ]
            claims.extend(("email", e, f"email '{e}'", f"people.{pid}.email") for e in pc.emails)
            for tracker, value, shown, dotted in claims:
                other = owners.setdefault((tracker, value.lower()), pid)
                if other != pid:
                    raise self.fail(
                        dotted,
                        f"claims the {shown}, which people.{other} also claims: "
                        f"one account belongs to one person (keep it in people.{other} "
                        f"or people.{pid}, not both)",
                    )

    def away(self, value: Any, dotted: str) -> tuple[AwayPeriod, ...]:
        if isinstance(value, str | dict):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(dotted, 'must be a list of periods like "2026-12-01..2026-12-05"')
        periods = []
        for entry in value:
            if isinstance(entry, str) and ".." in entry:
                first, _, last = entry.partition("..")
            elif isinstance(entry, dict) and "from" in entry and "to" in entry:
                first, last = str(entry["from"]), str(entry["to"])
            else:
                raise self.fail(dotted, f'has {_show(entry)}; write "2026-12-01..2026-12-05"')
            try:
                start = parse_datetime(first.strip())
                end = parse_datetime(last.strip())
            except Exception:
                raise self.fail(dotted, f"has a bad date in {_show(entry)}") from None
            whole_days = len(first.strip()) == 10 and len(last.strip()) == 10
            if len(last.strip()) == 10:
                end = end + timedelta(days=1)
            if end <= start:
                raise self.fail(dotted, f"has {_show(entry)}, which ends before it starts")
            periods.append(AwayPeriod(start, end, whole_days))
        return tuple(periods)

    def teams(self, people: dict[str, PersonConfig]) -> tuple[TeamConfig, ...]:
        single = self.raw.get("team")
        many = self.raw.get("teams")
        if single is not None and many is not None:
            raise self.fail("teams", "and [team] are both set; use one of them")
        bodies: list[tuple[str, Any]] = []
        if single is not None:
            bodies.append(("team", single))
        elif many is not None:
            if not isinstance(many, list):
                raise self.fail("teams", "must be an array of tables ([[teams]])")
            bodies.extend((f"teams[{i}]", body) for i, body in enumerate(many))
        teams = []
        seen: set[str] = set()
        for prefix, body in bodies:
            body = self.table(body, prefix)
            self.unknown(body, _TEAM_KEYS, prefix)
            if "lead" not in body:
                raise self.fail(f"{prefix}.lead", "is required: the id of the team's lead")
            lead = self.string(body["lead"], f"{prefix}.lead")
            self.not_one_string(
                body.get("members"), f"{prefix}.members", 'person ids like ["owen", "priya"]'
            )
            members = self.strings(body.get("members", []), f"{prefix}.members")
            name = self.string(body.get("name", "team"), f"{prefix}.name")
            if name in seen:
                raise self.fail(f"{prefix}.name", f"'{name}' names two teams")
            seen.add(name)
            tz_name = self.string(body.get("timezone", "UTC"), f"{prefix}.timezone")
            try:
                zone(tz_name)
            except ConfigError:
                raise self.fail(
                    f"{prefix}.timezone", f"is an unknown time zone {tz_name!r}"
                ) from None
            days_value = body.get("working_days", list(DAY_NAMES[:5]))
            self.not_one_string(
                days_value, f"{prefix}.working_days", 'days like ["mon", "tue", "wed"]'
            )
            try:
                days = parse_working_days(list(self.strings(days_value, f"{prefix}.working_days")))
            except ConfigError as exc:
                raise self.fail(f"{prefix}.working_days", str(exc)) from None
            if not days:
                raise self.fail(
                    f"{prefix}.working_days",
                    'names no day: list the days the team works, like ["mon", "tue", "wed", '
                    '"thu", "fri"]',
                )
            hours_text = self.string(
                body.get("working_hours", DEFAULT_WORKING_HOURS), f"{prefix}.working_hours"
            )
            try:
                hours = parse_working_hours(hours_text)
            except ConfigError as exc:
                raise self.fail(f"{prefix}.working_hours", f"= {exc}") from None
            holidays_value = body.get("holidays", [])
            self.not_one_string(
                holidays_value,
                f"{prefix}.holidays",
                'days and ranges like ["2026-12-24", "2026-12-28..2026-12-31"]',
            )
            try:
                holidays = parse_holidays(list(self.strings(holidays_value, f"{prefix}.holidays")))
            except ConfigError as exc:
                raise self.fail(f"{prefix}.holidays", f"entry {exc}") from None
            calendar = None
            if "holiday_calendar" in body:
                calendar = self.string(body["holiday_calendar"], f"{prefix}.holiday_calendar")
                problem = calendar_problem(calendar)
                if problem:
                    raise self.fail(f"{prefix}.holiday_calendar", problem)
            teams.append(
                TeamConfig(
                    name=name,
                    lead=lead,
                    members=tuple(m for m in members if m != lead),
                    timezone=tz_name,
                    working_days=days,
                    working_hours=hours,
                    holidays=holidays,
                    holiday_calendar=calendar,
                )
            )
        return tuple(teams)

    def sources(self) -> tuple[SourceConfig, ...]:
        value = self.raw.get("sources", [])
        if not isinstance(value, list):
            raise self.fail("sources", "must be an array of tables ([[sources]])")
        out = []
        names: set[str] = set()
        for i, body in enumerate(value):
            prefix = f"sources[{i}]"
            body = self.table(body, prefix)
            if "type" not in body:
                raise self.fail(prefix, 'has no type (e.g. type = "github")')
            type_name = self.string(body["type"], f"{prefix}.type")
            name = self.string(body.get("name", type_name), f"{prefix}.name")
            if name in names:
                raise self.fail(f"{prefix}.name", f"'{name}' names two sources")
            names.add(name)
            for key, item in body.items():
                if isinstance(item, str) and key.endswith(("token", "password", "secret")):
                    raise self.fail(
                        f"{prefix}.{key}",
                        "looks like a secret: put it in an environment variable and name "
                        f"the variable with {key}_env",
                    )
            where = self.where(prefix)
            options = {k: v for k, v in body.items() if k not in ("type", "name")}
            origins = {k: self.where(f"{prefix}.{k}") for k in options}
            out.append(
                SourceConfig(
                    name=name, type=type_name, options=options, where=where, origins=origins
                )
            )
        return tuple(out)

    def where(self, dotted: str) -> str:
        line = self.line_of(dotted)
        return f"{self.label}, line {line}" if line else self.label

    def numbers(self, section: str) -> dict[str, float]:
        """``[thresholds]`` or ``[gates]``: numbers; which keys exist, the kinds say later."""
        body = self.table(self.raw.get(section, {}), section)
        return {key: self.number(value, f"{section}.{key}") for key, value in body.items()}

    def plugin_tables(self, plugins: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """``[plugins.<name>]``: one table per analysis, renderer or publisher; which names
        and keys exist, the plugins declare (see :func:`leadkit.options.read_options`)."""
        return {
            name: self.table(body, f"plugins.{name}")
            for name, body in plugins.items()
            if name not in ("paths", "modules")
        }

    def origins(self) -> dict[str, str]:
        plugins = self.table(self.raw.get("plugins", {}), "plugins")
        dotted = [
            f"{section}.{key}"
            for section in ("thresholds", "gates")
            for key in self.table(self.raw.get(section, {}), section)
        ]
        out = {key: self.where(key) for key in dotted}
        for name, body in plugins.items():
            if isinstance(body, dict):
                out[f"plugins.{name}"] = self.where_table(f"plugins.{name}")
                out.update(
                    (f"plugins.{name}.{key}", self.where(f"plugins.{name}.{key}")) for key in body
                )
        return out

    def where_table(self, dotted: str) -> str:
        """Where the table ``[dotted]`` starts (its header), else the file."""
        wanted = dotted.replace('"', "")
        for number, line in enumerate(self.lines, start=1):
            header = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]", line)
            if header and header.group(1).replace('"', "").replace(" ", "") == wanted:
                return f"{self.label}, line {number}"
        return self.label

    def delegation(self) -> DelegationConfig:
        body = self.table(self.raw.get("delegation", {}), "delegation")
        allowed = {
            "delegable_types",
            "keep_types",
            "delegable_labels",
            "keep_labels",
            "overrides",
            "candidates",
            "max_items",
            "delegate_reviews",
            "allow_reassign",
        }
        self.unknown(body, allowed, "delegation")
        defaults = DelegationConfig()
        overrides = self.table(body.get("overrides", {}), "delegation.overrides")
        for key, value in overrides.items():
            if value not in ("delegate", "keep"):
                raise self.fail(f"delegation.overrides.{key}", 'must be "delegate" or "keep"')

        def lowered(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
            if key not in body:
                return default
            return tuple(v.lower() for v in self.strings(body[key], f"delegation.{key}"))

        candidates = body.get("candidates", defaults.candidates)
        if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 1:
            raise self.fail(
                "delegation.candidates", f"must be a whole number >= 1, got {_show(candidates)}"
            )
        max_items = body.get("max_items", defaults.max_items)
        if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
            raise self.fail(
                "delegation.max_items", f"must be a whole number >= 1, got {_show(max_items)}"
            )
        return DelegationConfig(
            delegable_types=lowered("delegable_types", defaults.delegable_types),
            keep_types=lowered("keep_types", defaults.keep_types),
            delegable_labels=lowered("delegable_labels", defaults.delegable_labels),
            keep_labels=lowered("keep_labels", defaults.keep_labels),
            overrides=dict(overrides),
            candidates=candidates,
            max_items=max_items,
            delegate_reviews=self.boolean(
                body.get("delegate_reviews", True), "delegation.delegate_reviews"
            ),
            allow_reassign=self.boolean(
                body.get("allow_reassign", False), "delegation.allow_reassign"
            ),
        )

    def analysis(self) -> AnalysisConfig:
        body = self.table(self.raw.get("analysis", {}), "analysis")
        allowed = {
            "since",
            "history_days",
            "reactive_types",
            "reactive_labels",
            "testing_statuses",
            "max_actions",
            "evidence",
            "ignore_users",
        }
        self.unknown(body, allowed, "analysis")
        defaults = AnalysisConfig()
        since = self.string(body.get("since", defaults.since), "analysis.since")
        problem = duration_problem(since)
        if problem:
            raise self.fail("analysis.since", f"= {since!r} {problem}")
        if parse_duration(since) <= timedelta(0):
            raise self.fail("analysis.since", f"must be longer than zero, got {since!r}")
        history = body.get("history_days", defaults.history_days)
        if (
            isinstance(history, bool)
            or not isinstance(history, int)
            or not 1 <= history <= MAX_SPAN_DAYS
        ):
            raise self.fail(
                "analysis.history_days",
                f"must be a whole number of days from 1 to {MAX_SPAN_DAYS}, got {_show(history)}",
            )
        max_actions = body.get("max_actions", defaults.max_actions)
        if isinstance(max_actions, bool) or not isinstance(max_actions, int) or max_actions < 0:
            raise self.fail(
                "analysis.max_actions", f"must be a whole number, got {_show(max_actions)}"
            )

        def lowered(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
            if key not in body:
                return default
            return tuple(v.lower() for v in self.strings(body[key], f"analysis.{key}"))

        return AnalysisConfig(
            since=since,
            history_days=history,
            reactive_types=lowered("reactive_types", defaults.reactive_types),
            reactive_labels=lowered("reactive_labels", defaults.reactive_labels),
            testing_statuses=lowered("testing_statuses", defaults.testing_statuses),
            max_actions=max_actions,
            evidence=self.evidence(body.get("evidence", defaults.evidence)),
            ignore_users=self.ignore_users(body.get("ignore_users", [])),
        )

    def areas(self) -> AreasConfig:
        """``[areas] units`` (folder patterns) and ``fixtures`` (folder names of test data)."""
        body = self.table(self.raw.get("areas", {}), "areas")
        self.unknown(body, {"units", "fixtures"}, "areas")
        units = self.strings(body.get("units", []), "areas.units")
        for pattern in units:
            problem = unit_pattern_problem(pattern)
            if problem:
                raise self.fail("areas.units", problem)
        fixtures = self.strings(body.get("fixtures", []), "areas.fixtures")
        for name in fixtures:
            parts = name.strip("/").split("/")
            if len(parts) > 2 or not all(parts) or any(c in name for c in "*?["):
                raise self.fail(
                    "areas.fixtures",
                    f"has {name!r}: write a folder name ('golden') or a test folder and the "
                    "folder of data in it ('test/samples')",
                )
        return AreasConfig(units=units, fixtures=fixtures)

    def evidence(self, value: Any) -> int | None:
        """``[analysis] evidence``: a whole number >= 1, or ``"all"`` (None)."""
        problem = evidence_problem(value)
        if problem:
            raise self.fail("analysis.evidence", problem)
        return None if value == "all" else int(value)

    def ignore_users(self, value: Any) -> tuple[str, ...]:
        """``[analysis] ignore_users``: a list of logins, account keys or person ids."""
        dotted = "analysis.ignore_users"
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(dotted, f"must be a list of logins or person ids, got {_show(value)}")
        for entry in value:
            if not entry.strip():
                raise self.fail(dotted, "has an empty entry")
        return tuple(dict.fromkeys(v.strip() for v in value))

    def store(self) -> dict[str, Any]:
        body = self.table(self.raw.get("store", {}), "store")
        self.unknown(body, {"path", "url", "password_env", "max_age"}, "store")
        out: dict[str, Any] = {}
        if "path" in body:
            out["path"] = self.string(body["path"], "store.path")
        if "url" in body:
            from leadkit.collect.pgstore import is_url, url_problem

            url = self.string(body["url"], "store.url")
            problem = "is not a postgresql:// URL" if not is_url(url) else url_problem(url)
            if problem:
                raise self.fail("store.url", problem)
            out["url"] = url
        if "password_env" in body:
            variable = self.string(body["password_env"], "store.password_env")
            problem = variable_name_problem(variable)
            if problem:
                raise self.fail("store.password_env", problem)
            out["password_env"] = variable
        if "max_age" in body:
            max_age = self.string(body["max_age"], "store.max_age")
            problem = duration_problem(max_age)
            if problem:
                raise self.fail("store.max_age", f"= {max_age!r} {problem}")
            out["max_age"] = max_age
        return out

    def comment(self) -> dict[str, Any]:
        body = self.table(self.raw.get("comment", {}), "comment")
        self.unknown(body, {"mentions", "approvers", "bot_login"}, "comment")
        out: dict[str, Any] = {
            "mentions": self.boolean(body.get("mentions", False), "comment.mentions")
        }
        approvers = self.strings(body.get("approvers", []), "comment.approvers")
        for login in approvers:
            if not _LOGIN_RE.match(login):
                raise self.fail(
                    "comment.approvers", f'must list account logins like "jamie-gh", got {login!r}'
                )
        out["approvers"] = approvers
        if "bot_login" in body:
            bot = self.string(body["bot_login"], "comment.bot_login")
            if not _LOGIN_RE.match(bot):
                raise self.fail(
                    "comment.bot_login",
                    f'must be an app\'s bot login like "my-app[bot]", got {bot!r}',
                )
            # An installation token posts as the app's bot, which REST spells "name[bot]".
            out["bot_login"] = bot if bot.endswith("[bot]") else f"{bot}[bot]"
        return out

    def publish(self) -> dict[str, dict[str, Any]]:
        """``[publish.slack] webhook_env`` (a variable's name: the URL is a secret) and
        ``[publish.github-issue] repo`` / ``labels``."""
        body = self.table(self.raw.get("publish", {}), "publish")
        self.unknown(body, {"slack", "github-issue"}, "publish")
        out: dict[str, dict[str, Any]] = {}
        if "slack" in body:
            slack = self.table(body["slack"], "publish.slack")
            self.unknown(slack, {"webhook_env"}, "publish.slack")
            variable = self.string(
                slack.get("webhook_env", "SLACK_WEBHOOK_URL"), "publish.slack.webhook_env"
            )
            problem = variable_name_problem(variable)
            if problem:
                raise self.fail("publish.slack.webhook_env", problem)
            out["slack"] = {"webhook_env": variable}
        if "github-issue" in body:
            issue = self.table(body["github-issue"], "publish.github-issue")
            self.unknown(issue, {"repo", "labels"}, "publish.github-issue")
            chosen: dict[str, Any] = {}
            if "repo" in issue:
                repo = self.string(issue["repo"], "publish.github-issue.repo")
                if not REPO_RE.match(repo):
                    raise self.fail(
                        "publish.github-issue.repo",
                        f'must be OWNER/NAME like "acme/team", got {repo!r}',
                    )
                chosen["repo"] = repo
            chosen["labels"] = self.strings(issue.get("labels", []), "publish.github-issue.labels")
            out["github-issue"] = chosen
        return out


def check_kind_keys(
    config: Config,
    thresholds: Collection[str],
    gates: Collection[str],
    *,
    partial: bool = False,
    warn: Callable[[str], None] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> None:
    """Refuse ``[thresholds]`` and ``[gates]`` keys no loaded finding kind declares.

    Run once the plugins are loaded (the kinds declare the keys). With
    ``partial`` (a plugin did not load: the key may be its own) an unknown key
    is let through. A threshold that no longer changes anything is a warning,
    and so is an older key in ``renamed`` (old key → the key that replaced it),
    which still works.
    """
    renamed = renamed or {}
    for section, known, keys in (
        ("thresholds", thresholds, config.thresholds),
        ("gates", gates, config.gates),
    ):
        for key in keys:
            dotted = f"{section}.{key}"
            where = config.origins.get(dotted, str(config.path or "config"))
            if section == "thresholds" and key in DEPRECATED_THRESHOLDS:
                if warn is not None:
                    warn(f"{where}: {dotted} no longer changes anything; remove it")
            elif key in renamed:
                if warn is not None:
                    warn(
                        f"{where}: {dotted} is deprecated: use {section}.{renamed[key]} "
                        "(working days; the hours are divided by the team's working day)"
                    )
            elif key not in known and not partial:
                hint = ", ".join(sorted(known))
                raise ConfigError(f"{where}: {dotted} is not a known key (known here: {hint})")


def evidence_problem(value: Any) -> str | None:
    """Why ``value`` is no evidence bound (a whole number >= 1 or ``"all"``); None when it is."""
    if value == "all":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f'must be a whole number >= 1 or "all", got {_show(value)}'
    return None
