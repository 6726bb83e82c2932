"""Reassigning a Jira issue for ``leadkit apply`` (a :class:`leadkit.pr.code_hosts.TicketWriter`).

``PUT /rest/api/2/issue/{key}/assignee`` with ``{"accountId": ...}`` on Cloud
(which identifies people only by account id) and ``{"name": ...}`` on Data
Center. Jira answers 204 with no body. The request goes through the source's
:class:`leadkit_jira.client.JiraClient`, so it is counted, retried on 429/503
within ``max_wait``, and its errors are one line with secrets redacted.
"""

from __future__ import annotations

from collections.abc import Callable

from leadkit_jira.client import JiraClient

TRACKER = "jira"


class JiraWrites:
    """Assigns issues on one Jira site."""

    tracker = TRACKER

    def __init__(self, client: JiraClient, is_cloud: Callable[[], bool]) -> None:
        self.client = client
        self.is_cloud = is_cloud

    def __repr__(self) -> str:
        return f"JiraWrites({self.client.server!r})"

    def reassign(self, key: str, to_account: str, from_account: str | None) -> str:
        """Assign ``key`` to the account ``to_account`` (accountId on Cloud, user name on DC)."""
        body = {"accountId": to_account} if self.is_cloud() else {"name": to_account}
        self.client.put(f"/rest/api/2/issue/{key}/assignee", body, what=f"assignee of {key}")
        return f"assigned {key} to {to_account}"

    def close(self) -> None:
        self.client.close()
