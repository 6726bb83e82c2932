"""``leadkit people``: who is who across trackers, which accounts are bots, and how sure leadkit is.

One document (:func:`people_document`, the ``--json`` output) and its text
(:func:`people_text`): each person with their accounts, how each account was
matched and with what confidence; bots and service accounts apart, each with
why; the ``[people]`` lines that confirm or split the uncertain matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from leadkit.collect.identity import UNCERTAIN_BELOW, automation, proposed_config
from leadkit.config import Config
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


def people_document(dataset: Dataset, config: Config) -> dict[str, Any]:
    """Every person (``people``) and every bot or service account (``bots``, with ``reason``),
    their accounts with method and confidence, and ``proposed_config``."""
    bots = automation(dataset.people, config.analysis.ignore_users)
    roles: dict[str, str] = {t.lead: f"lead of {t.name}" for t in config.teams}
    for t in config.teams:
        for m in t.members:
            roles.setdefault(m, f"member of {t.name}")
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
