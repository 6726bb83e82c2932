"""The fake GitHub plus the REST endpoints a typical PyGithub script calls.

:class:`FakeGitHubREST` serves, from the same specs as the GraphQL fake,
``/repos/{o}/{r}``, ``/pulls`` (``state``, ``sort=updated``, ``direction``),
``/pulls/{n}/reviews``, ``/pulls/{n}/requested_reviewers`` (pending requests
only), ``/pulls/{n}/comments`` (review-thread comments), ``/pulls/{n}/files``
and ``/issues/{n}/comments``, with ``per_page``/``page`` and ``Link`` headers.
The benchmark's naive baseline runs PyGithub against it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo, iso


class FakeGitHubREST(FakeGitHub):
    """FakeGitHub with the REST pull-request endpoints (same request counting and latency)."""

    def _rest(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], Any]:
        parts = path.strip("/").split("/")
        if len(parts) < 3 or parts[0] != "repos":
            return super()._rest(path, query)
        full = f"{parts[1]}/{parts[2]}"
        repo = self.repos.get(full)
        if repo is None:
            return 404, {}, {"message": "Not Found"}
        rest = parts[3:]
        if not rest:
            return 200, {}, self._repo_json(repo)
        if rest == ["pulls"]:
            return self._page(path, query, [self._pull_json(full, p) for p in _pulls(repo, query)])
        if len(rest) == 3 and rest[0] in ("pulls", "issues") and rest[1].isdigit():
            pull = next((p for p in repo.pulls if p.number == int(rest[1])), None)
            if pull is None:
                return 404, {}, {"message": "Not Found"}
            if rest[0] == "issues" and rest[2] == "comments":
                return self._page(path, query, [_comment(c) for c in pull.comments])
            if rest[2] == "reviews":
                reviews = [
                    {
                        "id": i + 1,
                        "user": _user(login),
                        "state": state,
                        "submitted_at": iso(at),
                        "body": "",
                    }
                    for i, (login, state, at) in enumerate(pull.reviews)
                ]
                return self._page(path, query, reviews)
            if rest[2] == "requested_reviewers":
                return 200, {}, _pending(pull)
            if rest[2] == "comments":
                comments = [_comment(c) for thread in pull.threads for c in thread]
                return self._page(path, query, comments)
            if rest[2] == "files":
                files = [{"filename": f, "status": "modified"} for f in pull.files]
                return self._page(path, query, files)
        return 404, {}, {"message": "Not Found"}

    def _page(
        self, path: str, query: dict[str, list[str]], items: list[Any]
    ) -> tuple[int, dict[str, str], Any]:
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        extra = {}
        if page * per_page < len(items):
            params = {k: v[-1] for k, v in query.items()}
            params.update(per_page=str(per_page), page=str(page + 1))
            extra["Link"] = f'<{self.url}{path}?{urlencode(params)}>; rel="next"'
        return 200, extra, chunk

    def _repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        owner, _, name = repo.full_name.partition("/")
        return {
            "id": abs(hash(repo.full_name)) % 10**8,
            "name": name,
            "full_name": repo.full_name,
            "owner": _user(owner),
            "private": False,
            "archived": repo.archived,
            "url": f"{self.url}/repos/{repo.full_name}",
        }

    def _pull_json(self, full: str, p: FakePull) -> dict[str, Any]:
        base = f"{self.url}/repos/{full}"
        return {
            "id": p.number,
            "number": p.number,
            "url": f"{base}/pulls/{p.number}",
            "issue_url": f"{base}/issues/{p.number}",
            "html_url": f"https://github.com/{full}/pull/{p.number}",
            "title": p.title,
            "body": p.body,
            "user": _user(p.author),
            "state": "open" if p.state == "OPEN" else "closed",
            "draft": p.draft,
            "created_at": iso(p.created),
            "updated_at": iso(p.updated),
            "closed_at": iso(p.closed),
            "merged_at": iso(p.merged),
            "head": {"ref": p.branch, "label": p.branch},
        }


def _pulls(repo: FakeRepo, query: dict[str, list[str]]) -> list[FakePull]:
    state = query.get("state", ["open"])[0]
    pulls = [p for p in repo.pulls if state == "all" or (p.state == "OPEN") == (state == "open")]
    if query.get("sort", ["created"])[0] == "updated":
        key = lambda p: (iso(p.updated), p.number)  # noqa: E731
    else:
        key = lambda p: (iso(p.created), p.number)  # noqa: E731
    return sorted(pulls, key=key, reverse=query.get("direction", ["desc"])[0] == "desc")


def _user(login: str | None) -> dict[str, Any] | None:
    if login is None:
        return None
    return {"login": login, "id": abs(hash(login)) % 10**8, "type": "User"}


def _comment(spec: tuple[str, Any, str]) -> dict[str, Any]:
    login, at, body = spec
    return {
        "id": abs(hash((login, iso(at)))) % 10**9,
        "user": _user(login),
        "created_at": iso(at),
        "body": body,
    }


def _pending(pull: FakePull) -> dict[str, Any]:
    """Reviewers asked and not yet answered (a review or a removal ends a request)."""
    pending: dict[str, None] = {}
    events = [(iso(at), 0, kind, who) for kind, who, at, _ in pull.requests]
    events += [(iso(at), 1, "review", who) for who, _, at in pull.reviews]
    for _, _, kind, who in sorted(events):
        if kind == "requested":
            pending[who] = None
        else:
            pending.pop(who, None)
    users = [_user(w) for w in pending if "/" not in w]
    teams = [{"slug": w.split("/", 1)[1], "name": w} for w in pending if "/" in w]
    return {"users": users, "teams": teams}
