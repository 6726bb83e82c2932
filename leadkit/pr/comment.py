"""The sticky pull-request comment: building its body and reading it back (pure functions).

The comment is found by :data:`MARKER`. Each suggestion is a task-list line
ending in a hidden id (``<!-- s:review:acme/dataflow#141:priya -->``), so
``leadkit apply`` can tell which boxes the lead ticked, struck out (``~~``)
or marked "declined". What was done and what was declined is kept in a
hidden JSON state at the end of the body, so later runs remember it even if
the visible lines are edited away.

All tracker text is escaped with :func:`inert` (``leadkit.present.escape.md`` plus a
broken-up "declin...", so a title such as "Handle declined payments" cannot
pass for the lead declining a suggestion).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from leadkit.present.escape import ZWSP, md, md_url

MARKER = "<!-- leadkit:delegation -->"
GITHUB_LIMIT = 65_536
"""GitHub rejects comment bodies longer than this many characters."""
BUDGET = GITHUB_LIMIT - 1_536
"""What leadkit allows itself, leaving room for the note of what was cut."""
MAX_RECORDS = 100
"""Results kept in the state (oldest dropped first)."""
HEADING = "### Delegation suggestions for this pull request"
NOTHING_LEFT = "Nothing is left to delegate on this pull request."
ALL_LEFT_OUT = (
    "Every suggestion for this pull request was left out (see below): the report lists them."
)
"""Said instead of :data:`NOTHING_LEFT` when suggestions exist but none fit the comment."""
HOW_TO = (
    "Tick a box to accept a suggestion: `leadkit apply` carries it out and records it here. "
    'To decline one, strike it out (`~~...~~`) or write "declined" on its line; '
    "it will not be suggested again."
)
HOW_TO_REPLY = (
    "To accept a suggestion, reply in this thread with its line `apply <id>` (one per line): "
    "`leadkit apply` carries out what the lead or a `[comment] approvers` account asks for there "
    "and records it here. Ticking a box in this note does nothing: this host keeps no record of "
    'who ticked it. To decline one, strike it out (`~~...~~`) or write "declined" on its line; '
    "it will not be suggested again."
)
"""The how-to on a host where approvals are replies in the comment's thread (GitLab)."""

_STATE_RE = re.compile(r"<!-- leadkit:state (.*?) -->", re.S)
_BOX_RE = re.compile(r"^\s*[-*+]\s+\[(?P<mark>[ xX])\]\s*(?P<text>.*)$")
_ITEM_RE = re.compile(r"^\s*[-*+]\s+(?P<text>.*)$")
_ID_RE = re.compile(r"<!--\s*(?P<kind>[sx]):(?P<sid>[^\s]+?)\s*-->")
_HEADING_RE = re.compile(r"^\s*(?:#{1,6}\s+(?P<h>.+?)|\*\*(?P<b>[^*]+?)\*\*:?)\s*$")
_STRUCK_RE = re.compile(r"(?<!\\)~~")
_DECLINED_RE = re.compile(r"(?i)\bdeclined?\b")
_DECLIN_RE = re.compile(r"(?i)(decl)(in)")
APPLY_WORD = "apply"
_APPLY_RE = re.compile(r"(?i)^ {0,3}(?P<tick>`?)apply[ \t]+(?P<sid>[^\s`]+)(?P=tick)[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


# -- ids and escaping -------------------------------------------------------------------


def _part(text: str) -> str:
    return quote(text, safe="/#@._-")


def suggestion_id(action: str, item_label: str, person: str) -> str:
    """A stable id for "``action`` ``item`` to ``person``"; safe inside an HTML comment."""
    return f"{_part(action)}:{_part(item_label)}:{_part(person)}"


def split_id(sid: str) -> tuple[str, str, str]:
    """``(action, item label, person)`` of an id made by :func:`suggestion_id`."""
    action, label, person = [*sid.split(":"), "", ""][:3]
    return unquote(action), unquote(label), unquote(person)


def inert(text: str | None) -> str:
    """Tracker text that renders literally and never reads as "declined"."""
    return _DECLIN_RE.sub(lambda m: m.group(1) + ZWSP + m.group(2), md(text))


def person_ref(name: str, login: str | None, mentions: bool) -> str:
    """``@login`` when mentions are on and the login is a valid one, else the escaped name."""
    if mentions and login and _LOGIN_RE.match(login):
        return f"@{login}"
    return inert(name)


# -- what the comment holds ---------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """One suggestion line: its id and its markdown (already escaped)."""

    sid: str
    text: str


@dataclass(frozen=True)
class Record:
    """What ``leadkit apply`` did (or could not do) for one suggestion."""

    sid: str
    ok: bool
    text: str
    """Plain text; escaped when rendered."""
    by: str
    at: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.sid, "ok": self.ok, "text": self.text, "by": self.by, "at": self.at}


@dataclass
class State:
    """The hidden memory of the comment: declined ids and results."""

    declined: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    ticked_by: dict[str, str] = field(default_factory=dict)
    """Ticks leadkit kept in its own version of the body, and the approver who made each."""
    replies_through: int = 0
    """The highest id of a reply in the comment's thread that ``leadkit apply`` has read:
    every reply up to it was seen (carried out, refused or not a command) and is never
    acted on again, whatever it says later. One number, so no flood of replies can push
    anything out of the state."""

    def done(self) -> set[str]:
        """Ids carried out successfully (never offered again)."""
        return {r.sid for r in self.records if r.ok}

    def record(self, new: Record) -> None:
        """Add a result, replacing an earlier one for the same id; past :data:`MAX_RECORDS`
        the oldest refusal goes first, so what was done is kept (and never offered again)."""
        self.records = [r for r in self.records if r.sid != new.sid] + [new]
        while len(self.records) > MAX_RECORDS:
            self.records.remove(next((r for r in self.records if not r.ok), self.records[0]))

    def decline(self, sids: Iterable[str]) -> None:
        for sid in sids:
            if sid not in self.declined:
                self.declined.append(sid)


@dataclass
class Parsed:
    """A comment body read back."""

    state: State = field(default_factory=State)
    offers: list[Offer] = field(default_factory=list)
    """Open suggestion lines, as they stand (ticked or not)."""
    ticked: list[str] = field(default_factory=list)
    declined_now: list[Offer] = field(default_factory=list)
    """Lines the lead struck out or marked declined since the last run."""
    declined_lines: list[Offer] = field(default_factory=list)
    """Lines already in the Declined section."""
    notes: list[str] = field(default_factory=list)
    """The "why" lines, as markdown."""


def review_offer(sid: str, to: str, lead: str, rationale: str) -> Offer:
    """Ask someone to review this PR in place of the lead (``to``: escaped name or mention).

    ``rationale`` is the reasons in plain words, never scores or counts
    (:func:`leadkit.present.outline.reasons_in_words`): the whole team reads the comment.
    """
    return Offer(
        sid, f"Ask {to} to review this pull request in place of {inert(lead)}: {inert(rationale)}"
    )


def delegate_offer(
    sid: str, label: str, title: str, url: str | None, to: str, rationale: str
) -> Offer:
    """Hand a ticket to someone (``to``: escaped name or mention; ``rationale`` as for
    :func:`review_offer`)."""
    target = md_url(url)
    ref = f"[{inert(label)}]({target})" if target else inert(label)
    return Offer(sid, f"Hand {ref} \u2018{inert(title)}\u2019 to {to}: {inert(rationale)}")


def note_line(text: str) -> str:
    """A "why" line from plain text."""
    return inert(text)


# -- rendering ----------------------------------------------------------------------------


def render(
    *,
    offers: list[Offer],
    notes: list[str],
    state: State,
    ticked: Iterable[str] = (),
    declined_lines: Sequence[Offer] = (),
    budget: int = BUDGET,
    by_reply: bool = False,
) -> str:
    """The whole comment body, cut to ``budget`` characters with a note of what was cut.

    ``by_reply``: the host takes approvals as replies in the comment's thread, so each
    line shows the ``apply <id>`` reply that accepts it (:data:`HOW_TO_REPLY`).
    """
    ticked_set = set(ticked)
    offers, notes = list(offers), list(notes)
    shown_records = list(state.records)
    declined_shown = list(declined_lines)
    cut_offers = cut_notes = cut_records = 0
    while True:
        body = _compose(
            offers, notes, state, ticked_set, shown_records, declined_shown,
            (cut_offers, cut_notes, cut_records), by_reply,
        )  # fmt: skip
        if len(body) <= budget:
            return body
        droppable = [o for o in offers if o.sid not in ticked_set]
        if droppable:
            offers.remove(droppable[-1])
            cut_offers += 1
        elif notes:
            notes.pop()
            cut_notes += 1
        elif shown_records:
            shown_records.pop(0)
            cut_records += 1
        elif declined_shown:
            declined_shown.pop(0)
            cut_records += 1
        elif offers:
            offers.pop()
            cut_offers += 1
        else:
            return body[:budget]


def _compose(
    offers: list[Offer],
    notes: list[str],
    state: State,
    ticked: set[str],
    records: list[Record],
    declined: list[Offer],
    cut: tuple[int, int, int],
    by_reply: bool = False,
) -> str:
    lines = [MARKER, HEADING, ""]
    if offers:
        lines += [HOW_TO_REPLY if by_reply else HOW_TO, ""]
        for offer in offers:
            mark = "x" if offer.sid in ticked else " "
            reply = f" (reply `{APPLY_WORD} {offer.sid}`)" if by_reply else ""
            lines.append(f"- [{mark}] {offer.text}{reply} <!-- s:{offer.sid} -->")
    else:
        lines.append(ALL_LEFT_OUT if cut[0] else NOTHING_LEFT)
    if notes:
        lines += ["", "**Why this pull request**", ""]
        lines += [f"- {note}" for note in notes]
    done = [r for r in records if r.ok]
    failed = [r for r in records if not r.ok]
    if done:
        lines += ["", "**Done**", ""]
        lines += [f"- {inert(r.text)}, by {inert(r.by)} at {inert(r.at)}" for r in done]
    if failed:
        lines += ["", "**Not carried out**", ""]
        lines += [f"- {inert(r.text)} ({inert(r.by)} at {inert(r.at)})" for r in failed]
    if declined:
        lines += ["", "**Declined**", ""]
        for offer in declined:
            text = offer.text if _STRUCK_RE.search(offer.text) else f"~~{offer.text}~~"
            lines.append(f"- {text} <!-- x:{offer.sid} -->")
    cut_offers, cut_notes, cut_records = cut
    if cut_offers or cut_notes or cut_records:
        parts = [
            f"{n} {what}{'' if n == 1 else 's'}"
            for n, what in (
                (cut_offers, "suggestion"),
                (cut_notes, "note"),
                (cut_records, "older result"),
            )
            if n
        ]
        lines += [
            "",
            f"_Left out to stay under GitHub's {GITHUB_LIMIT:,}-character limit: "
            + ", ".join(parts)
            + "._",
        ]
    doc: dict[str, Any] = {
        "v": 1,
        "declined": state.declined,
        "records": [r.as_dict() for r in state.records],
        "ticked_by": {s: by for s, by in state.ticked_by.items() if s in ticked},
    }
    if state.replies_through:
        doc["replies_through"] = state.replies_through
    doc["sum"] = _digest("\n".join(lines), doc)
    lines += ["", f"<!-- leadkit:state {_dump_state(doc)} -->"]
    return "\n".join(lines) + "\n"


def _digest(visible: str, doc: dict[str, Any]) -> str:
    """A checksum of a body as leadkit rendered it: its visible part and its state.

    Not a secret: it tells leadkit's own versions of the comment from hand edits
    saved by the same account (the lead running leadkit with their own token).
    """
    rest = {k: v for k, v in doc.items() if k != "sum"}
    text = visible.replace("\r\n", "\n").strip() + "\n" + json.dumps(rest, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def written_by_leadkit(body: str | None) -> bool:
    """Whether ``body`` is exactly as leadkit rendered it (no box ticked or line changed by hand)."""
    if not body:
        return False
    matches = list(_STATE_RE.finditer(body))
    if not matches:
        return False
    try:
        doc = json.loads(matches[-1].group(1))
    except ValueError:
        return False
    if not isinstance(doc, dict) or not isinstance(doc.get("sum"), str):
        return False
    return bool(doc["sum"] == _digest(body[: matches[-1].start()], doc))


def _dump_state(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=True, separators=(",", ":"))
    # Inside strings only (the state holds no numbers): nothing can close the HTML comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("-", "\\u002d")


# -- reading back -------------------------------------------------------------------------


def parse(body: str | None) -> Parsed:
    """Read a comment body: hidden state, open lines, ticks, new declines, notes."""
    out = Parsed()
    if not body:
        return out
    out.state = _load_state(body)
    section = ""
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = _HEADING_RE.match(line)
        if heading and not _BOX_RE.match(line):
            section = (heading.group("h") or heading.group("b") or "").strip().lower()
            continue
        box = _BOX_RE.match(line)
        item = _ITEM_RE.match(line)
        found = _ID_RE.search(line)
        if found is None:
            if item and section.startswith("why"):
                out.notes.append(item.group("text").strip())
            continue
        sid, kind = found.group("sid"), found.group("kind")
        line_match = box or item
        text = _ID_RE.sub("", line_match.group("text") if line_match else line).strip()
        offer = Offer(sid, text)
        if kind == "x":
            out.declined_lines.append(offer)
            out.state.decline([sid])
            continue
        if box is None:
            continue
        if "declin" in section or _STRUCK_RE.search(text) or _DECLINED_RE.search(text):
            out.declined_now.append(offer)
            continue
        out.offers.append(offer)
        if box.group("mark") in "xX":
            out.ticked.append(sid)
    return out


def _load_state(body: str) -> State:
    matches = _STATE_RE.findall(body)
    if not matches:
        return State()
    try:
        doc = json.loads(matches[-1])
    except ValueError:
        return State()
    if not isinstance(doc, dict):
        return State()
    declined = [s for s in doc.get("declined") or [] if isinstance(s, str)]
    records = []
    for raw in doc.get("records") or []:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            records.append(
                Record(
                    raw["id"],
                    bool(raw.get("ok")),
                    str(raw.get("text", "")),
                    str(raw.get("by", "")),
                    str(raw.get("at", "")),
                )
            )
    raw_ticks = doc.get("ticked_by")
    ticked_by = (
        {k: v for k, v in raw_ticks.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(raw_ticks, dict)
        else {}
    )
    # Before replies_through, the handled replies' ids were listed: the highest was read last.
    seen = [r for r in [doc.get("replies_through"), *(doc.get("replies") or [])] if _whole(r)]
    return State(
        declined=list(dict.fromkeys(declined)),
        records=records[-MAX_RECORDS:],
        ticked_by=ticked_by,
        replies_through=max(seen, default=0),
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def reply_ids(text: str) -> list[str]:
    """The suggestion ids a reply asks for: each line that is an ``apply <id>`` command.

    Only the reply's own words count: a quoted line (``> apply ...``, someone else's
    words), a line in fenced code (between ````` or ``~~~`` fences) or indented code (four
    spaces or a tab) is never a command; nor is ``apply`` inside a sentence.
    """
    out: dict[str, None] = {}
    fence = ""
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        opening = _FENCE_RE.match(line)
        if fence:
            if (
                opening
                and opening.group("fence")[0] == fence[0]
                and len(opening.group("fence")) >= len(fence)
            ):
                fence = ""
            continue
        if opening:
            fence = opening.group("fence")
            continue
        command = _APPLY_RE.match(line)
        if command is not None:
            out[command.group("sid")] = None
    return list(out)


def same_body(a: str | None, b: str | None) -> bool:
    """Equal once line endings are normalised (the browser sends CRLF after an edit)."""
    return (a or "").replace("\r\n", "\n").strip() == (b or "").replace("\r\n", "\n").strip()
