"""The ``[[sources]] type = "jira"`` table, validated without touching the network."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from urllib.parse import urlsplit

from leadkit.api import WORK_TYPES, ConfigError, Option, SourceConfig, zone

DEPLOYMENTS = ("auto", "cloud", "datacenter")
CUSTOM_FIELDS = ("story_points", "team", "sprint", "epic_link")
DECLARED = (
    Option("server", str, doc="the Jira base URL, e.g. https://acme.atlassian.net", required=True),
    Option("deployment", str, "auto", '"cloud", "datacenter", or "auto" (known Cloud hosts)'),
    Option(
        "email_env",
        str,
        doc="the environment variable holding the account's email, for basic auth "
        "(Cloud: JIRA_EMAIL when unset); unset on Data Center: the token is a bearer PAT",
    ),
    Option("token_env", str, "JIRA_TOKEN", "the environment variable holding the API token"),
    Option("projects", list, [], 'project keys to read, e.g. ["PIPE"] (or give jql)'),
    Option("jql", str, doc="the issues to read, ANDed with the window's bound (or give projects)"),
    Option(
        "type_map",
        dict,
        {},
        'Jira issue types to leadkit work types, e.g. {Spike = "chore"}',
    ),
    Option("blocks_link_types", list, ["Blocks"], "issue link types that mean one blocks another"),
    Option(
        "fields",
        dict,
        {},
        f'custom field ids of {", ".join(CUSTOM_FIELDS)}, e.g. story_points = "customfield_10016"',
    ),
    Option("page_size", int, 100, "issues per search request (1-1000)"),
    Option("max_wait", float, 120.0, "seconds to wait out rate limits in all, then give up"),
    Option("max_retries", int, 4, "retries of a 5xx or a failed connection (0-20)"),
    Option("timeout", float, 30.0, "seconds per request"),
    Option(
        "timezone",
        str,
        doc="the Jira user's profile time zone, in which JQL reads dates (unset: bounds widen)",
    ),
)
"""The ``[[sources]]`` keys of a jira source; the core checks types and unknown keys."""
CLOUD_HOST_SUFFIXES = (".atlassian.net", ".jira.com", ".jira-dev.com")
_PROJECT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FIELD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class JiraSettings:
    """Everything the adapter reads from its source table, checked and typed."""

    name: str
    server: str
    deployment: str
    email_env: str | None
    token_env: str
    projects: tuple[str, ...] = ()
    jql: str | None = None
    type_map: dict[str, str] = field(default_factory=dict)
    blocks_link_types: tuple[str, ...] = ("Blocks",)
    fields: dict[str, str] = field(default_factory=dict)
    page_size: int = 100
    max_wait: float = 120.0
    max_retries: int = 4
    timeout: float = 30.0
    timezone: tzinfo | None = None
    """The Jira user's profile zone, in which JQL reads dates; None widens bounds instead."""

    @property
    def host_is_cloud(self) -> bool:
        host = (urlsplit(self.server).hostname or "").lower()
        return host.endswith(CLOUD_HOST_SUFFIXES)

    @property
    def uses_basic_auth(self) -> bool:
        """Cloud API tokens need basic auth with the email; a DC PAT is a bearer token."""
        if self.deployment == "cloud":
            return True
        if self.deployment == "datacenter":
            return self.email_env is not None
        return self.email_env is not None or self.host_is_cloud

    @property
    def credential_variables(self) -> tuple[str, ...]:
        if self.uses_basic_auth:
            return (self.email_env or "JIRA_EMAIL", self.token_env)
        return (self.token_env,)


def read_settings(source: SourceConfig) -> JiraSettings:
    """Validate ``source``; every error is a ConfigError naming the key (types and unknown
    keys: the core, from :data:`DECLARED`)."""
    server = source.require_str("server").strip().rstrip("/")
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(
            source, "server", f"must be a URL like https://acme.atlassian.net, got {server!r}"
        )
    if parts.username or parts.password:
        raise _fail(source, "server", "must not carry credentials: use email_env and token_env")

    deployment = (source.get_str("deployment", "auto") or "auto").strip().lower()
    if deployment in ("server", "data-center", "dc"):
        deployment = "datacenter"
    if deployment not in DEPLOYMENTS:
        raise _fail(
            source, "deployment", f'must be "auto", "cloud" or "datacenter", got {deployment!r}'
        )

    email_env = source.variable("email_env")
    token_env = source.variable("token_env", "JIRA_TOKEN") or "JIRA_TOKEN"

    projects = tuple(p.strip() for p in source.get_list("projects") if p.strip())
    for project in projects:
        if not _PROJECT_RE.match(project):
            raise _fail(source, "projects", f"has {project!r}, which is not a Jira project key")
    jql = source.get_str("jql")
    jql = jql.strip() if jql and jql.strip() else None
    if not projects and not jql:
        raise _fail(source, "projects", "or jql is required: which issues should leadkit read?")

    type_map: dict[str, str] = {}
    for raw, target in source.get_table("type_map").items():
        if not isinstance(target, str) or target.strip().lower() not in WORK_TYPES:
            raise _fail(
                source,
                f'type_map."{raw}"',
                f"must be one of {', '.join(WORK_TYPES)}, got {target!r}",
            )
        type_map[str(raw)] = target.strip().lower()

    blocks = tuple(source.get_list("blocks_link_types", ["Blocks"]))
    if not blocks:
        raise _fail(source, "blocks_link_types", "must name at least one link type")

    fields: dict[str, str] = {}
    for key, value in source.get_table("fields").items():
        if key not in CUSTOM_FIELDS:
            raise _fail(source, f"fields.{key}", f"is not one of {', '.join(CUSTOM_FIELDS)}")
        if not isinstance(value, str) or not _FIELD_RE.match(value.strip()):
            raise _fail(
                source, f"fields.{key}", f"must be a field id like customfield_10016, got {value!r}"
            )
        fields[key] = value.strip()

    page_size = source.get_int("page_size", 100)
    if not 1 <= page_size <= 1000:
        raise _fail(source, "page_size", f"must be between 1 and 1000, got {page_size}")
    max_retries = source.get_int("max_retries", 4)
    if not 0 <= max_retries <= 20:
        raise _fail(source, "max_retries", f"must be between 0 and 20, got {max_retries}")
    max_wait = source.get_number("max_wait", 120.0)
    timeout = source.get_number("timeout", 30.0)
    if timeout <= 0:
        raise _fail(source, "timeout", f"must be more than 0 seconds, got {timeout}")

    tz_name = source.get_str("timezone")
    tz: tzinfo | None = None
    if tz_name:
        try:
            tz = zone(tz_name)
        except ConfigError:
            raise _fail(source, "timezone", f"is an unknown time zone {tz_name!r}") from None

    return JiraSettings(
        name=source.name,
        server=server,
        deployment=deployment,
        email_env=email_env,
        token_env=token_env,
        projects=projects,
        jql=jql,
        type_map=type_map,
        blocks_link_types=blocks,
        fields=fields,
        page_size=page_size,
        max_wait=max_wait,
        max_retries=max_retries,
        timeout=timeout,
        timezone=tz,
    )


def _fail(source: SourceConfig, key: str, problem: str) -> ConfigError:
    """A ConfigError naming the source, the key and where the table is."""
    return source.fail(key, problem)


def read_credentials(
    settings: JiraSettings, source: SourceConfig, environ: Mapping[str, str]
) -> tuple[str | None, str]:
    """``(email, token)`` from the environment; email is None for bearer auth."""
    token = source.secret("token_env", "JIRA_TOKEN", environ)
    if not settings.uses_basic_auth:
        return None, token
    email = source.secret("email_env", "JIRA_EMAIL", environ)
    return email, token
