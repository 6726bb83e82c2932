"""``leadkit people``: who is who across trackers, who is on each team, which accounts are bots.

One document (:func:`people_document`, the ``--json`` output) and its text
(:func:`people_text`): each person with their accounts, how each account was
matched and with what confidence; each team's members and the people left
out, each with why, and the ``members`` line that adds someone; bots and
service accounts apart, each with why; the ``[people]`` lines that confirm or
split the uncertain matches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from leadkit.analyze.membership import Membership
from leadkit.collect.identity import UNCERTAIN_BELOW, automation, proposed_config
from leadkit.config import Config, TeamConfig
from leadkit.model.data import Dataset, Person
from leadkit.present.escape import plain


def _accounts(person: Person) -> list[dict[str, Any]]:
    matches = {m.account: m for m in person.matches}
    out = []
    for a in person.accounts:
        match = matches.get(a.key)
        out.append(
            {
                "account": a.key,
                "name": a.name,
                "method": match.method if match else None,
                "confidence": match.confidence if match else None,
            }
        )
    return out


def _team(team: TeamConfig, membership: Membership) -> dict[str, Any]:
    members = list(membership.member_ids)
    return {
        "name": team.name,
        "lead": team.lead,
        "rule": membership.rule,
        "members": [
            {"person": w.person, "reason": w.reason, "detail": w.detail} for w in membership.members
        ],
        "left_out": [
            {"person": w.person, "reason": w.reason, "detail": w.detail}
            for w in membership.left_out
            if w.reason != "bot"
        ],
        "add_member": f"members = {json.dumps([*members, 'PERSON-ID'])}",
    }


def people_document(
    dataset: Dataset, config: Config, teams: Iterable[tuple[TeamConfig, Membership]] = ()
) -> dict[str, Any]:
    """Every person (``people``), each team's members and who was left out (``teams``), every
    bot or service account (``bots``, with ``reason``), and ``proposed_config``."""
    bots = automation(dataset.people, config.analysis.ignore_users)
    teams = list(teams)
    roles: dict[str, str] = {}
    for team, membership in teams:
        roles.setdefault(team.lead, f"lead of {team.name}")
        for pid in membership.member_ids:
            roles.setdefault(pid, f"member of {team.name}")
    humans = [p for p in dataset.people if p.id not in bots or p.id in roles]
    return {
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "role": roles.get(p.id),
                "emails": list(p.emails),
                "accounts": _accounts(p),
            }
            for p in humans
        ],
        "teams": [_team(team, membership) for team, membership in teams],
        "bots": [
            {
                "id": p.id,
                "name": p.name,
                "reason": bots[p.id],
                "accounts": _accounts(p),
            }
            for p in dataset.people
            if p.id in bots and p.id not in roles
        ],
        "proposed_config": proposed_config(humans),
    }


_RULES = {
    "configured": "the members [team] members lists",
    "assigned": "whoever was assigned at least min_samples of the team's items in the history window",
    "authored": "the team's items are assigned to nobody but the lead, so whoever authored at "
    "least min_samples PRs in its repositories in the history window",
}


def people_text(doc: dict[str, Any]) -> Iterable[str]:
    """The document as lines for a terminal (tracker text made plain)."""
    for p in doc["people"]:
        role = f"  ({p['role']})" if p["role"] else ""
        yield f"{plain(p['id'])}  {plain(p['name'])}{role}"
        for a in p["accounts"]:
            sure = a["confidence"] is None or a["confidence"] >= UNCERTAIN_BELOW
            flag = "" if sure else "  <- please confirm"
            how = f"{a['method']:<9} {a['confidence']:.2f}" if a["method"] else ""
            shown = plain(a["name"]) if a["name"] else ""
            yield f"    {plain(a['account']):<40} {how}  {shown}{flag}"
    names = {p["id"]: p["name"] for p in doc["people"]}

    def who(pid: str) -> str:
        return f"{plain(names.get(pid, pid))} ({plain(pid)})" if pid in names else plain(pid)

    for team in doc["teams"]:
        yield ""
        yield f"Team {plain(team['name'])}, led by {who(team['lead'])}: {_RULES[team['rule']]}."
        for w in team["members"]:
            yield f"    member      {who(w['person'])}: {plain(w['detail'])}"
        if team["rule"] == "configured":
            n = len(team["left_out"])
            if n:
                people = "person in the data is" if n == 1 else "people in the data are"
                yield f"    ({n} more {people} not listed.)"
            continue
        for w in team["left_out"]:
            yield f"    not member  {who(w['person'])}: {plain(w['detail'])}"
        yield "    To add someone the rule left out, list the members in the config:"
        yield "        [team]  # or the team's [[teams]] table"
        yield f"        {plain(team['add_member'])}"
    if doc["bots"]:
        yield ""
        yield "Bots and service accounts (not people: never members, never suggested):"
        for b in doc["bots"]:
            accounts = ", ".join(plain(a["account"]) for a in b["accounts"])
            yield f"    {plain(b['name'])} ({accounts}): {plain(b['reason'])}"
        yield ("    (A bot missing here? Add its login to [analysis] ignore_users.)")
    if doc["proposed_config"]:
        yield ""
        yield "Some accounts were matched by login or name. If these are right, add this to"
        yield "your config so the match is certain; if not, use the commented lines that split"
        yield "them instead:"
        yield ""
        yield doc["proposed_config"]
