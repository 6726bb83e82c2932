"""``leadkit comment`` and ``leadkit apply`` as a Python API.

:func:`run_comment` runs the normal pipeline, keeps the PR's one sticky
comment in step with the suggestions that concern the PR, and never posts a
second one. :func:`run_apply` carries out the boxes the lead ticked through
the source adapters' writers (:mod:`leadkit.pr.code_hosts`) and records the result in
the comment. Body building and parsing live in :mod:`leadkit.pr.comment`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from leadkit.analyze.kinds import Kinds, PullRequestView, reasons_in_words
from leadkit.collect.sources import SourceAdapter, SourceConfig
from leadkit.config import REPO_RE, PersonConfig
from leadkit.errors import ConfigError, LeadkitError
from leadkit.model.data import Dataset, Person, Review
from leadkit.model.report import Report
from leadkit.pr.code_hosts import (
    HostComment,
    IssueHost,
    ReviewHost,
    WriteRefused,
    issue_host_for,
    review_host_for,
    ticket_writer_for,
)
from leadkit.pr.comment import (
    MARKER,
    Offer,
    Record,
    State,
    delegate_offer,
    note_line,
    parse,
    person_ref,
    render,
    review_offer,
    same_body,
    split_id,
    suggestion_id,
)
from leadkit.pr.trust import Refusal, Vetting, vet, vet_replies
from leadkit.session import Session

Echo = Callable[[str], None]
H = TypeVar("H")
ACTIONS_BOT = "github-actions[bot]"
FALLBACK_HOST_TYPE = "github"
"""Source type used for the PR when no configured source offers a review host (``--demo``)."""


# -- which PR ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The pull request a command works on, and the Actions event that started it (if any)."""

    repo: str
    number: int
    event: Mapping[str, Any] = field(default_factory=dict)
    ref_sep: str = "#"
    """As :attr:`leadkit.model.data.Review.ref_sep`: ``!`` for a GitLab merge request."""

    @property
    def ref(self) -> str:
        return f"{self.repo}{self.ref_sep}{self.number}"


_NESTED_PROJECT_RE = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$")
"""A GitLab project path: a group, its subgroups, the project."""


def pr_target(repo: str | None, number: int | None, environ: Mapping[str, str]) -> Target:
    """``--repo``/``--pr``, defaulting to ``GITHUB_REPOSITORY`` and the event at ``GITHUB_EVENT_PATH``.

    In a GitLab CI merge-request pipeline they default to ``CI_PROJECT_PATH``
    and ``CI_MERGE_REQUEST_IID``, and ``--repo`` may name a project in a
    subgroup (``group/subgroup/name``).
    """
    if environ.get("GITLAB_CI") and not environ.get("GITHUB_ACTIONS"):
        repo = repo or environ.get("CI_PROJECT_PATH")
        iid = environ.get("CI_MERGE_REQUEST_IID") or ""
        if number is None and iid.isdigit():
            number = int(iid)
    event: dict[str, Any] = {}
    path = environ.get("GITHUB_EVENT_PATH")
    if path:
        try:
            loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot read the event payload at GITHUB_EVENT_PATH={path}: {exc}"
            ) from None
        event = loaded if isinstance(loaded, dict) else {}
    repo = repo or environ.get("GITHUB_REPOSITORY")
    if not repo:
        raise ConfigError("no repository: pass --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
    if not (REPO_RE.match(repo) or _NESTED_PROJECT_RE.match(repo)):
        raise ConfigError(
            f"--repo must be OWNER/NAME (GROUP/SUBGROUP/NAME on GitLab), got {repo!r}"
        )
    if number is None:
        pull = event.get("pull_request")
        issue = event.get("issue")
        if isinstance(pull, dict) and isinstance(pull.get("number"), int):
            number = pull["number"]
        elif isinstance(issue, dict) and isinstance(issue.get("number"), int):
            if "pull_request" not in issue:
                raise ConfigError(
                    f"{repo}#{issue['number']} is an issue, not a pull request: nothing to do"
                )
            number = issue["number"]
    if number is None:
        raise ConfigError(
            "no pull request: pass --pr N (or run on a pull_request or issue_comment event)"
        )
    if number < 1:
        raise ConfigError(f"--pr must be a positive number, got {number}")
    return Target(repo, number, event)


# -- hosts and adapters ------------------------------------------------------------------


def _adapters(session: Session) -> list[SourceAdapter]:
    chosen = session.options.sources
    return session.adapters(s for s in session.config.sources if not chosen or s.name in chosen)


def review_host(session: Session, adapters: list[SourceAdapter], repo: str) -> ReviewHost:
    """The configured source's review host for ``repo``, else a default GitHub one from the environment."""
    return _code_host(session, adapters, repo, review_host_for)


def issue_host(session: Session, repo: str) -> IssueHost:
    """The configured source's issue host for ``repo`` (``--publish github-issue``), else a
    default GitHub one from the environment (``GITHUB_TOKEN``, ``GITHUB_API_URL``)."""
    return _code_host(session, _adapters(session), repo, issue_host_for)


def _code_host(
    session: Session,
    adapters: list[SourceAdapter],
    repo: str,
    find: Callable[[list[SourceAdapter], str], H | None],
) -> H:
    found = find(adapters, repo)
    if found is not None:
        return found
    if FALLBACK_HOST_TYPE in session.plugins.sources:
        source = SourceConfig(FALLBACK_HOST_TYPE, FALLBACK_HOST_TYPE, {"repos": [repo]})
        made = find([session.adapter(source)], repo)
        if made is not None:
            return made
    raise LeadkitError(
        f"no source can write to {repo}: configure a [[sources]] of type github "
        "(is leadkit-github installed? `leadkit plugins` lists them)"
    )


def on_host(target: Target, host: ReviewHost) -> Target:
    """``target`` spelled as its host spells a request's ref (a GitLab host's ``ref_sep`` is ``!``)."""
    sep = getattr(host, "ref_sep", "#")
    return replace(target, ref_sep=sep) if isinstance(sep, str) and sep else target


def identity(host: ReviewHost | IssueHost, session: Session) -> str:
    """The account leadkit's comment is posted by: only a comment by it is leadkit's.

    The token's user (``GET /user``); for an app's installation token, which may
    not ask that, ``[comment] bot_login``, else the app's bot as GraphQL's
    ``viewer`` names it; for Actions' own token, ``github-actions[bot]``.
    """
    me = host.whoami()
    if me:
        return me
    configured = session.config.comment.get("bot_login")
    if configured:
        return str(configured)
    app = host.app_login()
    if app:
        return app
    if session.options.environ.get("GITHUB_ACTIONS") == "true":
        return ACTIONS_BOT
    raise ConfigError(
        "cannot tell which account the token posts as (GET /user was refused and GraphQL's "
        'viewer did not say): set [comment] bot_login = "APP-NAME[bot]"'
    )


def _close(*things: Any) -> None:
    for thing in things:
        close = getattr(thing, "close", None)
        if callable(close):
            close()


def _when(session: Session) -> str:
    """The run's time as records in the comment show it."""
    return session.window.end.strftime("%Y-%m-%d %H:%M UTC")


def _fork_message(target: Target, exc: LeadkitError) -> LeadkitError:
    return LeadkitError(
        f"the token cannot write to {target.ref}: a pull request from a fork gets a read-only "
        "token; run leadkit comment from a workflow on pull_request_target without checking "
        "out the PR's code, or give the token pull-requests: write (GitHub said: "
        f"{str(exc).split(': ', 1)[-1]})"
    )


# -- what concerns this PR --------------------------------------------------------------


def find_review(dataset: Dataset, repo: str, number: int) -> Review | None:
    return next((r for r in dataset.reviews if r.repo == repo and r.number == number), None)


def logins(
    person: Person | None, tracker: str, configured: PersonConfig | None = None
) -> list[str]:
    """A person's account names on one tracker (GitHub logins, Jira account ids).

    Accounts seen in the data come first, then those the config names (someone
    with no activity on a tracker yet still has the account the config gives).
    """
    found = [a.login or a.id for a in person.accounts if a.tracker == tracker] if person else []
    if configured is not None:
        found += configured.accounts.get(tracker, ())
    return list(dict.fromkeys(found))


def select(
    report: Report,
    dataset: Dataset,
    target: Target,
    kinds: Kinds,
    *,
    mentions: bool,
    tracker: str = "github",
    people: Mapping[str, PersonConfig] | None = None,
) -> tuple[list[Offer], list[str]]:
    """The suggestions (as lines with ids) and the "why" notes that concern this PR."""
    review = find_review(dataset, target.repo, target.number)
    linked = set(review.linked_keys) if review else set()
    leads = {t.name: t.lead for t in report.teams}
    items = {(i.source, i.key): i for i in dataset.work_items}
    offers: list[Offer] = []
    seen: set[str] = set()
    people = people or {}

    def to_ref(person_id: str) -> str:
        person = dataset.person(person_id)
        login = next(iter(logins(person, tracker, people.get(person_id))), None)
        return person_ref(report.person_name(person_id), login, mentions)

    for s in report.suggestions:
        lead = leads.get(s.team or "", s.from_)
        if s.action == "review" and s.item.label == target.ref:
            sid = suggestion_id("review", target.ref, s.to)
            offer = review_offer(sid, to_ref(s.to), report.person_name(lead), reasons_in_words(s))
        elif s.action == "delegate" and s.item.key in linked:
            item = items.get((s.item.source, s.item.key or ""))
            if item is None or item.assignee != lead or not item.is_open:
                continue
            sid = suggestion_id("delegate", s.item.key or "", s.to)
            offer = delegate_offer(
                sid, s.item.key or "", s.item.title, s.item.url, to_ref(s.to), reasons_in_words(s)
            )
        else:
            continue
        if sid not in seen:
            seen.add(sid)
            offers.append(offer)
    return offers, [note_line(n) for n in _notes(report, target, linked, kinds)]


def _notes(report: Report, target: Target, linked: set[str], kinds: Kinds) -> list[str]:
    """Plain sentences from the findings that involve this PR or its linked tickets."""
    out: list[str] = []
    leads = {t.name: t.lead for t in report.teams}
    for f in report.findings:
        kind = kinds.get(f.kind)
        if not f.computed or kind is None:
            continue
        lead = report.person_name(leads.get(f.team or "", ""))
        pr = PullRequestView(target.ref, frozenset(linked), lead, report.person_name)
        out.extend(kind.pr_notes(f, pr))
    return list(dict.fromkeys(out))


# -- leadkit comment ---------------------------------------------------------------------


@dataclass
class CommentResult:
    """What ``leadkit comment`` did: ``created``, ``edited``, ``unchanged`` or ``nothing``."""

    outcome: str
    body: str | None = None
    comment_id: int | None = None


def plan_body(
    existing: HostComment | None,
    offers: list[Offer],
    notes: list[str],
    vetting: Vetting | None,
    when: str,
    *,
    by_reply: bool = False,
) -> str | None:
    """The new body (None when there is nothing to post), remembering declines and ticks.

    Only what leadkit computes is written: the suggestions of this run (``offers``),
    ticks that ``vetting`` accepted (kept ticked until apply runs), refusals as one
    line each, and declined lines in leadkit's own words. Nothing from the current
    body is copied into leadkit's version.
    """
    state = vetting.state if vetting else State()
    accepted = dict(vetting.accepted) if vetting else {}
    for refusal in vetting.refused if vetting else ():
        state.record(Record(refusal.sid, False, refused_text(refusal), refusal.by, when))
    skip = set(state.declined) | state.done()
    kept = [o for o in offers if o.sid not in skip]
    fresh = {o.sid for o in kept}
    for sid, who in accepted.items():
        if sid not in fresh and sid not in skip:
            state.record(Record(sid, False, f"{describe(sid)}: {NO_LONGER}", who, when))
    state.ticked_by = {s: who for s, who in accepted.items() if s in fresh}
    if existing is None and not kept:
        return None
    return render(
        offers=kept,
        notes=notes,
        state=state,
        ticked=list(state.ticked_by),
        declined_lines=_declined_lines(vetting, offers),
        by_reply=by_reply,
    )


NO_LONGER = "leadkit no longer suggests this, so it was not carried out"
NOT_NOW = "leadkit does not suggest this now, so it was not carried out"
"""For an ``apply <id>`` reply naming an id that is not among this run's suggestions."""


def describe(sid: str) -> str:
    """A suggestion id in words, for the lines that say what was not done."""
    action, label, person = split_id(sid)
    if action == "review":
        return f"the review of {label} by {person}"
    if action == "delegate":
        return f"handing {label} to {person}"
    return f"the suggestion {sid}"


def refused_text(refusal: Refusal) -> str:
    """The one line a comment gives a tick (or a reply) that does not count."""
    if refusal.by_reply:
        asked = refusal.asked or (refusal.sid,)
        if refusal.replies <= 1 and len(asked) == 1:
            return f"A reply asking for {describe(asked[0])} was not carried out: {refusal.reason}"
        n, k = max(refusal.replies, 1), len(asked)
        replies = "A reply" if n == 1 else f"{n} replies"
        return (
            f"{replies} asking for {k} suggestion{'' if k == 1 else 's'} "
            f"{'was' if n == 1 else 'were'} not carried out: {refusal.reason}"
        )
    return f"A tick on {describe(refusal.sid)} was not carried out and was reset: {refusal.reason}"


def _declined_lines(vetting: Vetting | None, offers: list[Offer]) -> list[Offer]:
    """The Declined section: each declined id once, in leadkit's words (this run's or its own
    last version's), never in words typed into the comment."""
    if vetting is None:
        return []
    words = {o.sid: o for o in offers}
    if vetting.base is not None:
        for offer in [*vetting.base.offers, *vetting.base.declined_lines]:
            words.setdefault(offer.sid, offer)
    parsed = vetting.parsed
    shown = [o.sid for o in [*parsed.declined_lines, *parsed.declined_now]]
    if vetting.base is not None:
        shown = [o.sid for o in vetting.base.declined_lines] + shown
    return [words[s] for s in dict.fromkeys(shown) if s in words and s in vetting.state.declined]


def approver_logins(session: Session, tracker: str) -> list[str]:
    """Whose ticks count: each team lead's accounts on the host as the config names them,
    and ``[comment] approvers``. Never accounts only matched by name or email in the
    data: a teammate could take the lead's display name."""
    leads = [
        login
        for team in session.config.teams
        for login in logins(None, tracker, session.config.people.get(team.lead))
    ]
    return list(dict.fromkeys([*leads, *session.config.comment.get("approvers", ())]))


def by_reply(host: ReviewHost) -> bool:
    """Whether ``host`` takes approvals as replies in the comment's thread (GitLab)."""
    return callable(getattr(host, "comment_replies", None))


def _vet(
    host: ReviewHost,
    existing: HostComment,
    me: str,
    session: Session,
    target: Target | None = None,
) -> Vetting:
    """Whose approvals count: from the edit history, or on a reply host from the thread's
    replies (read only for ``apply``, given ``target``; ``comment`` leaves them for it)."""
    approvers = approver_logins(session, host.tracker)
    if by_reply(host):
        replies = (
            host.comment_replies(target.repo, target.number, existing)  # type: ignore[attr-defined]
            if target is not None
            else None
        )
        return vet_replies(existing.body, replies, approvers)
    history = host.comment_history(existing)
    return vet(existing.body, history, me, approvers)


def _suggestions(
    session: Session, target: Target, tracker: str
) -> tuple[Dataset, list[Offer], list[str]]:
    """Run the normal pipeline and return the suggestions and notes that concern the PR."""
    from leadkit.present.audience import default_audience

    dataset = session.dataset()
    # The whole team reads the comment: the team's report, with no count per person.
    report = session.report_for(default_audience(session.options.audience, "comment"))
    offers, notes = select(
        report,
        dataset,
        target,
        session.plugins.kinds,
        mentions=bool(session.config.comment.get("mentions", False)),
        tracker=tracker,
        people=session.config.people,
    )
    return dataset, offers, notes


def run_comment(session: Session, target: Target, *, dry_run: bool, echo: Echo) -> CommentResult:
    """Keep exactly one leadkit comment on the PR, edited only when its content changed."""
    session.require_lead_people()  # before the code host is asked anything
    adapters = _adapters(session)
    host: ReviewHost | None = None
    try:
        host = review_host(session, adapters, target.repo)
        target = on_host(target, host)
    except LeadkitError as exc:
        if not dry_run:
            raise
        echo(f"(dry run without a code host: {exc}; showing the body of a first comment)")
    try:
        me = None
        if host is not None:
            host.check_pull(target.repo, target.number)
            me = identity(host, session)
        tracker = host.tracker if host is not None else FALLBACK_HOST_TYPE
        _, offers, notes = _suggestions(session, target, tracker)
        existing = vetting = None
        if host is not None and me is not None:
            existing = host.find_comment(target.repo, target.number, MARKER, me)
            if existing is not None:
                vetting = _vet(host, existing, me, session)
        when = _when(session)
        replying = host is not None and by_reply(host)
        body = plan_body(existing, offers, notes, vetting, when, by_reply=replying)
        if body is None:
            echo(f"nothing to suggest for {target.ref}: no comment posted")
            return CommentResult("nothing")
        if existing is not None and same_body(existing.body, body):
            echo(f"comment {existing.id} on {target.ref} is up to date: not edited")
            return CommentResult("unchanged", body, existing.id)
        verb = "edit comment" if existing else "create a comment"
        if dry_run:
            echo(f"would {verb} on {target.ref}:\n\n{body}")
            return CommentResult("dry-run", body, existing.id if existing else None)
        assert host is not None and me is not None
        try:
            if existing is None:
                made = host.create_comment(target.repo, target.number, body, MARKER, me)
                echo(f"created comment {made.id} on {target.ref}")
                return CommentResult("created", body, made.id)
            made = host.edit_comment(target.repo, target.number, existing.id, body)
            echo(f"edited comment {existing.id} on {target.ref}")
            return CommentResult("edited", body, existing.id)
        except WriteRefused as exc:
            raise _fork_message(target, exc) from None
    finally:
        _close(host, *adapters)


# -- leadkit apply -----------------------------------------------------------------------


@dataclass
class ApplyResult:
    """What ``leadkit apply`` did; ``failed`` counts actions a tracker refused."""

    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    body: str | None = None


class _Refused(LeadkitError):
    """An action leadkit will not take (config, unknown person, not linked): recorded, not fatal."""


def _event_comment(target: Target) -> Mapping[str, Any] | None:
    comment = target.event.get("comment")
    return comment if isinstance(comment, dict) else None


def run_apply(session: Session, target: Target, *, dry_run: bool, echo: Echo) -> ApplyResult:
    """Carry out the ticked suggestions that count and record what was done.

    A tick counts when an approver made it (see :mod:`leadkit.pr.trust`) on a line
    leadkit wrote, and the suggestion is one leadkit makes again now: the
    pipeline runs afresh and only its suggestions are carried out, with its data
    (never ids, names or targets read from the comment).
    """
    result = ApplyResult()
    event_comment = _event_comment(target)
    if event_comment is not None and MARKER not in str(event_comment.get("body") or ""):
        echo(f"the edited comment on {target.ref} is not leadkit's: nothing to apply")
        return result
    session.require_lead_people()  # before the code host is asked anything
    adapters = _adapters(session)
    host = review_host(session, adapters, target.repo)
    target = on_host(target, host)
    writers: list[Any] = []
    try:
        me = identity(host, session)
        existing = host.find_comment(target.repo, target.number, MARKER, me)
        if existing is None:
            raise LeadkitError(f"no leadkit comment on {target.ref}: run leadkit comment first")
        if event_comment is not None and event_comment.get("id") not in (None, existing.id):
            echo(f"the edited comment on {target.ref} is not leadkit's: nothing to apply")
            return result
        parsed = parse(existing.body)
        replying = by_reply(host)
        nothing = (
            f"no reply asks for a suggestion on {target.ref}: nothing to apply"
            + (
                " (a ticked box does nothing here: reply `apply <id>` in the comment's thread)"
                if parsed.ticked
                else ""
            )
            if replying
            else f"no ticked suggestion on {target.ref}: nothing to apply"
        )
        if not replying and not parsed.ticked and not parsed.declined_now:
            echo(nothing)
            return result
        vetting = _vet(host, existing, me, session, target)
        if not vetting.accepted and not vetting.refused and not parsed.declined_now:
            echo(nothing)
            if not vetting.new_replies:
                return result
            # Replies read for the first time are recorded, so none is acted on later.
        dataset, offers, notes = _suggestions(session, target, host.tracker)
        current = {o.sid for o in offers}
        state = vetting.state
        when = _when(session)
        for refusal in vetting.refused:
            result.refused.append(refusal.sid)
            echo(f"not done: {refused_text(refusal)}")
        for sid, who in vetting.accepted.items():
            if sid not in current:
                why = NOT_NOW if replying else NO_LONGER
                result.refused.append(sid)
                state.record(Record(sid, False, f"{describe(sid)}: {why}", who, when))
                echo(f"not done: {describe(sid)}: {why}")
                continue
            try:
                text = _carry_out(sid, session, adapters, writers, host, dataset, target, dry_run)
            except _Refused as exc:
                result.refused.append(sid)
                state.record(Record(sid, False, str(exc), me, when))
                echo(f"not done: {exc}")
                continue
            except LeadkitError as exc:
                result.failed.append(sid)
                state.record(Record(sid, False, f"failed: {exc}", me, when))
                echo(f"failed: {exc}")
                continue
            result.done.append(sid)
            if dry_run:
                echo(f"dry run: would have {text}")
            else:
                how = "asked for in a reply by" if replying else "ticked by"
                line = f"{text[0].upper()}{text[1:]} ({how} {who})"
                state.record(Record(sid, True, line, me, when))
                echo(text)
        # Every tick is now done, refused or failed: none stays ticked.
        vetting.accepted = {}
        body = plan_body(existing, offers, notes, vetting, when, by_reply=replying)
        result.body = body
        if dry_run:
            echo("(dry run: nothing was changed)")
        elif body is not None and not same_body(existing.body, body):
            try:
                host.edit_comment(target.repo, target.number, existing.id, body)
            except WriteRefused as exc:
                raise _fork_message(target, exc) from None
            echo(f"recorded the results in comment {existing.id} on {target.ref}")
        return result
    finally:
        _close(host, *writers, *adapters)


def _team_of(session: Session, person_id: str) -> Any:
    for team in session.config.teams:
        if person_id in team.members and person_id != team.lead:
            return team
    raise _Refused(f"{person_id} is not a member of a team in the config: not carried out")


def _carry_out(
    sid: str,
    session: Session,
    adapters: list[SourceAdapter],
    writers: list[Any],
    host: ReviewHost,
    dataset: Dataset,
    target: Target,
    dry_run: bool,
) -> str:
    """Do one ticked suggestion; a one-line account of it (``would ...`` in a dry run)."""
    action, label, person_id = split_id(sid)
    team = _team_of(session, person_id)
    person, lead = dataset.person(person_id), dataset.person(team.lead)
    person_config = session.config.people.get(person_id)
    lead_config = session.config.people.get(team.lead)
    name = person.name if person else person_id
    lead_name = lead.name if lead else team.lead
    if action == "review":
        if label != target.ref:
            raise _Refused(f"the suggestion {sid} is about {label}, not {target.ref}")
        to = logins(person, host.tracker, person_config)
        if not to:
            raise _Refused(
                f"no {host.tracker} login is known for {name}: add "
                f'{host.tracker} = "LOGIN" to [people.{person_id}]'
            )
        lead_logins = [x for x in logins(lead, host.tracker, lead_config) if x != to[0]]
        text = f"requested the review of {target.ref} from {name} ({to[0]})"
        if lead_logins:
            text += f" and removed {lead_name}'s request"
        if not dry_run:
            host.request_review(target.repo, target.number, [to[0]])
            if lead_logins:
                host.remove_review_request(target.repo, target.number, lead_logins)
        return text
    if action == "delegate":
        review = find_review(dataset, target.repo, target.number)
        if review is None or label not in review.linked_keys:
            raise _Refused(f"{label} is not linked to {target.ref}: not reassigned")
        item = next((i for i in dataset.work_items if i.key == label), None)
        if item is None or item.assignee != team.lead or not item.is_open:
            raise _Refused(f"{label} is no longer an open item held by {lead_name}: not reassigned")
        if not session.config.delegation.allow_reassign:
            raise _Refused(
                f"{label} was not reassigned to {name}: reassigning tickets is not allowed "
                "(set [delegation] allow_reassign = true to let leadkit do it)"
            )
        adapter = next((a for a in adapters if a.source.name == item.source), None)
        writer = ticket_writer_for(adapter) if adapter is not None else None
        if writer is None:
            raise _Refused(f"source '{item.source}' cannot reassign {label}")
        writers.append(writer)
        accounts = logins(person, writer.tracker, person_config)
        if not accounts:
            raise _Refused(
                f"no {writer.tracker} account is known for {name}: add "
                f'{writer.tracker} = "ID" to [people.{person_id}]'
            )
        lead_account = next(iter(logins(lead, writer.tracker, lead_config)), None)
        if dry_run:
            return f"reassigned {label} from {lead_name} to {name} ({accounts[0]})"
        detail = writer.reassign(label, accounts[0], lead_account)
        return f"reassigned {label} from {lead_name} to {name} ({detail})"
    raise _Refused(f"leadkit does not know how to carry out '{action}' suggestions")
