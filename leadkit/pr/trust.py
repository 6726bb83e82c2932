"""Who ticked what in leadkit's pull-request comment, from the host's edit history.

The comment is shared, editable text: anyone who can comment on the pull
request can tick a box, change a hidden id or add a line. So nothing in the
current body is trusted on its own. leadkit starts from the last version of
the comment that it wrote itself (saved by its own account *and* matching the
checksum leadkit put in it, see :func:`leadkit.pr.comment.written_by_leadkit`),
whose hidden state it trusts, and replays the later versions from the host's
edit history: a box ticked in a version belongs to whoever saved that version.

A tick counts only when it was made by an approver (the lead or a
``[comment] approvers`` account) *and* sits on a line exactly as leadkit wrote
it. A tick leadkit cannot attribute (no history, a version deleted from it, an
edit the history does not show, a deleted account) does not count. Either
way the caller resets the box and says why in one line; nothing refused is
ever carried out later under someone else's name.

On a host with no edit history but threaded replies (GitLab), ticks are not
read at all: :func:`vet_replies` takes approvals from ``apply <id>`` replies in
the comment's thread, each attributed to its author by the host. Only the id
is read from a reply, and only from a line of the reply's own that is the
command (:func:`leadkit.pr.comment.reply_ids`: quoted lines and code are not);
the caller matches it to a suggestion it recomputes. A reply edited after it
was posted is nobody's: the host keeps its first author, not the editor's.
Each reply is read once (the highest id read is kept in the hidden state), so
a refused reply is never carried out later, an accepted one never twice, and
an old reply edited into a command is never acted on. Refused replies are
summed up in one line per author, however many they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from leadkit.pr.code_hosts import History, Revision, ThreadReply
from leadkit.pr.comment import Parsed, State, parse, reply_ids, same_body, written_by_leadkit


@dataclass(frozen=True)
class Refusal:
    """A tick that does not count, and why (plain text, escaped when rendered)."""

    sid: str
    by: str
    """Who ticked it, or ``"someone"`` when leadkit cannot tell."""
    reason: str
    by_reply: bool = False
    """Asked for in a reply (GitLab), not ticked."""
    asked: tuple[str, ...] = ()
    """The ids the refused replies asked for (``sid`` is then the refusal's own key)."""
    replies: int = 0
    """How many replies this refusal sums up."""


@dataclass
class Vetting:
    """The ticks of the current body, sorted into those that count and those that do not."""

    parsed: Parsed
    """The current body as it stands."""
    state: State
    """The hidden state to keep: from leadkit's own last version, plus declines made since."""
    accepted: dict[str, str] = field(default_factory=dict)
    """Suggestion id to the approver who ticked it."""
    refused: list[Refusal] = field(default_factory=list)
    base: Parsed | None = None
    """leadkit's own last version of the comment, when one was found."""
    new_replies: int = 0
    """Replies in the thread read for the first time (their ids now kept in ``state``)."""


def vet(body: str, history: list[Revision] | None, me: str, approvers: Iterable[str]) -> Vetting:
    """Attribute every box ticked in ``body`` using ``history`` (oldest version first).

    ``history`` is ``[]`` for a comment never edited, None when the host gives
    none. ``me`` is the account leadkit posts as; ``approvers`` the logins whose
    ticks count (compared case-insensitively, as GitHub logins are).
    """
    parsed = parse(body)
    allowed = {a.casefold() for a in approvers}
    versions = list(history or [])
    if history is not None and not versions:
        versions = [Revision(me, body)]  # never edited: the body is as leadkit posted it
    base_at = next(
        (
            i
            for i in range(len(versions) - 1, -1, -1)
            if _same(versions[i].editor, me) and written_by_leadkit(versions[i].body)
        ),
        None,
    )
    if base_at is None:
        state = State(declined=list(parsed.state.declined), records=list(parsed.state.records))
        state.decline(o.sid for o in parsed.declined_now)
        why = (
            "the comment's edit history is not available"
            if history is None
            else history.cut
            if isinstance(history, History) and history.cut
            else "no version of the comment written by leadkit was found in its edit history"
        )
        out = Vetting(parsed, state)
        for sid in _open_ticks(parsed, state):
            out.refused.append(Refusal(sid, "someone", f"leadkit cannot tell who ticked it: {why}"))
        return out

    base = parse(versions[base_at].body)
    state = base.state
    state.decline(parsed.state.declined)
    state.decline(o.sid for o in parsed.declined_now)
    written = _lines(base)
    # Replay the versions saved after leadkit's own; None marks "cannot tell".
    origin: dict[str, str | None] = {s: state.ticked_by.get(s) for s in base.ticked}
    known = True
    later = versions[base_at + 1 :]
    if not later or not same_body(later[-1].body, body):
        later.append(Revision(None, body))  # an edit the history does not show
    for version in later:
        if version.body is None:
            known = False
            continue
        ticks = set(parse(version.body).ticked)
        origin = {
            s: (origin.get(s) if known and s in origin else (version.editor if known else None))
            for s in ticks
        }
        known = True
    out = Vetting(parsed, state, base=base)
    lines = _lines(parsed)
    for sid in _open_ticks(parsed, state):
        who = origin.get(sid)
        if who is None:
            out.refused.append(
                Refusal(sid, "someone", "leadkit cannot tell who ticked it from the edit history")
            )
        elif who.casefold() not in allowed:
            out.refused.append(
                Refusal(sid, who, f"ticked by {who}, who is not the lead or a [comment] approver")
            )
        elif lines.get(sid) != written.get(sid) or sid not in written:
            out.refused.append(
                Refusal(sid, who, "the ticked line is not as leadkit wrote it (changed or added)")
            )
        else:
            out.accepted[sid] = who
    return out


def vet_replies(body: str, replies: list[ThreadReply] | None, approvers: Iterable[str]) -> Vetting:
    """Sort the ``apply <id>`` lines of ``replies`` (oldest first) into those that count.

    Replies up to the state's ``replies_through`` were read before and are skipped;
    the mark moves past every reply read now (:attr:`Vetting.new_replies`). A reply
    counts when an approver wrote it and nobody edited it since; the others are
    refused, one :class:`Refusal` per author and reason, keyed so that each author
    keeps one line in the comment however many replies they send. Ticks in ``body``
    are ignored. With ``replies`` None (not asked), nothing is taken from the thread.
    """
    parsed = parse(body)
    state = parsed.state
    state.ticked_by = {}
    state.decline(o.sid for o in parsed.declined_now)
    allowed = {a.casefold() for a in approvers}
    out = Vetting(parsed, state)
    closed = state.done() | set(state.declined)
    refused: dict[tuple[str, str], list[ThreadReply]] = {}
    for reply in replies or ():
        if reply.id <= state.replies_through:
            continue
        out.new_replies += 1
        asked = reply_ids(reply.body)
        who = reply.author
        if not asked:
            continue
        if reply.edited:
            refused.setdefault((who or "someone", EDITED), []).append(reply)
        elif who is None or who.casefold() not in allowed:
            refused.setdefault((who or "someone", NOT_APPROVER), []).append(reply)
        else:
            for sid in asked:
                if sid not in closed and sid not in out.accepted:
                    out.accepted[sid] = who
    state.replies_through = max([state.replies_through, *(r.id for r in replies or ())])
    for (who, why), sent in refused.items():
        ids = tuple(dict.fromkeys(sid for reply in sent for sid in reply_ids(reply.body)))
        reason = (
            f"asked for by {who}, who is not the lead or a [comment] approver"
            if why == NOT_APPROVER
            else f"edited after it was posted (shown as {who}'s, but an edit can be anyone's "
            "who may edit it), so leadkit cannot tell who asked"
        )
        out.refused.append(
            Refusal(f"{why}:{who}", who, reason, by_reply=True, asked=ids, replies=len(sent))
        )
    return out


NOT_APPROVER = "reply"
EDITED = "edited-reply"
"""The keys of refused replies' lines: one per author and reason (``reply:tommy``)."""


def _open_ticks(parsed: Parsed, state: State) -> list[str]:
    """Ticked ids not yet carried out nor declined, each once."""
    done = state.done()
    return list(dict.fromkeys(s for s in parsed.ticked if s not in done | set(state.declined)))


def _lines(parsed: Parsed) -> dict[str, tuple[str, ...]]:
    """Each id's open lines (their text), so an altered or duplicated line shows."""
    out: dict[str, tuple[str, ...]] = {}
    for offer in parsed.offers:
        out[offer.sid] = (*out.get(offer.sid, ()), " ".join(offer.text.split()))
    return out


def _same(login: str | None, other: str) -> bool:
    return login is not None and login.casefold() == other.casefold()
