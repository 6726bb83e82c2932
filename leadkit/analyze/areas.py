"""Code areas as people own them: the folder a file's work belongs to.

A code area is the unit people work in: in a monorepo a service or package
folder (``services/orders/``), in a small repository a top folder
(``pipeline/``). It is found, for each file, from what the data shows:

1. ``[areas] units`` in the config: a folder a pattern names is an area as it
   is, never merged upward and never split.
2. Where the repository says so: a folder its CODEOWNERS names, or one
   holding an ``OWNERS`` file or a package manifest (``go.mod``,
   ``package.json``, ``pyproject.toml``...) that the history's PRs touched.
3. The tree's shape: each child of a folder of sibling units is one (a
   folder named ``services``, ``packages``, ``apps``, ``libs``, ``cmd``...,
   or any folder with many child folders whose PRs each stay in one).
4. Below that (at least the top folder), one level deeper while the
   folder's subfolders are worked on by different people.

Fixture folders (``testdata/``, ``fixtures/``, ``__snapshots__/``,
``test/data/``...) are never areas: a file in one counts as a file of the
folder that holds it. Nothing here reads the dataset: the analysis context
builds the tree (:class:`AreaNode` per folder) and asks :class:`AreaMap`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache

FIXTURE_DIRS = frozenset(
    {
        "testdata",
        "test_data",
        "test-data",
        "fixtures",
        "fixture",
        "__fixtures__",
        "__snapshots__",
        "snapshots",
        "__mocks__",
        "golden",
        "goldens",
        "testfiles",
    }
)
"""Folder names that hold test data, never code someone owns."""
FIXTURE_PAIRS = frozenset(
    (test, data)
    for test in ("test", "tests", "spec", "specs", "__tests__")
    for data in ("data", "resources", "files", "assets")
)
"""A test folder's folder of data (``test/data/``, ``src/test/resources/``): both count as
the folder that holds the test folder."""

CONTAINERS = frozenset(
    {
        "services",
        "packages",
        "apps",
        "libs",
        "cmd",
        "crates",
        "plugins",
        "modules",
        "microservices",
        "projects",
    }
)
"""Folder names whose child folders are sibling units (a monorepo's services, packages...).
Not ``components``: a UI's components are worked on together (the shape still tells)."""

MARKERS = frozenset(
    {
        "OWNERS",
        "CODEOWNERS",
        "go.mod",
        "package.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Cargo.toml",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "composer.json",
        "Gemfile",
        "mix.exs",
        "pubspec.yaml",
        "Package.swift",
    }
)
"""File names that make the folder holding them a unit of its own (a module, a package)."""

SHAPE_MIN_UNITS = 4
"""Child folders a folder needs before its shape alone makes each of them a unit."""
SHAPE_MIN_PRS = 10
"""PRs under a folder before its shape is judged."""
SHAPE_ONE_CHILD_SHARE = 0.8
"""Share of those PRs that stay inside one child folder for the children to be units."""

_SEGMENT = re.compile(r"^[^/]+$")


@lru_cache(maxsize=1 << 16)
def path_dirs(path: str) -> tuple[str, ...]:
    """The directories a file lives in, outermost first: ``a/b/c.py`` gives ``a/``, ``a/b/``.

    Cached: a large history names the same paths many times, and every area
    question (familiarity, lead-only areas, away-risk) starts from this.
    """
    parts = path.strip("/").split("/")[:-1]
    return tuple("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))


def parent_dir(directory: str) -> str:
    """``a/b/`` gives ``a/``; a top folder gives the root, ``""``."""
    return directory.rstrip("/").rpartition("/")[0] + "/" if "/" in directory.rstrip("/") else ""


def leaf(directory: str) -> str:
    """``services/orders/`` gives ``orders``; the root gives ``""``."""
    return directory.rstrip("/").rpartition("/")[2]


@dataclass(slots=True)
class AreaNode:
    """One directory of one repository, as the history's PRs saw it."""

    people: set[str] = field(default_factory=set)
    """Who reviewed a PR under it, or authored one that was merged or closed."""
    reviewers: set[str] = field(default_factory=set)
    """Who reviewed someone else's PR under it."""
    merged_reviewed: list[str] = field(default_factory=list)
    """Merged PRs under it that someone other than their author reviewed."""
    children: set[str] = field(default_factory=set)
    prs: int = 0
    """PRs under it."""
    one_child: int = 0
    """PRs under it that stay inside one of its child folders."""
    marked: bool = False
    """A PR touched an ``OWNERS`` file or a package manifest directly in it."""


class Folding:
    """Fixture folders folded into the folder that holds them."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        names, pairs = set(FIXTURE_DIRS), set(FIXTURE_PAIRS)
        for entry in extra:
            first, _, second = entry.strip("/").lower().partition("/")
            if second:
                pairs.add((first, second))
            else:
                names.add(first)
        self.names = frozenset(names)
        self.pairs = frozenset(pairs)
        self._dirs: dict[str, tuple[str, ...]] = {}

    def dirs(self, path: str) -> tuple[str, ...]:
        """The folders a file counts in, outermost first, up to (not into) a fixture folder."""
        folder = path.strip("/").rpartition("/")[0]
        known = self._dirs.get(folder)
        if known is not None:
            return known
        dirs = path_dirs(path)
        previous = ""
        for i, d in enumerate(dirs):
            name = leaf(d).lower()
            if name in self.names:
                dirs = dirs[:i]
                break
            if (previous, name) in self.pairs:  # test/data/: the folder holding test/
                dirs = dirs[: i - 1]
                break
            previous = name
        self._dirs[folder] = dirs
        return dirs


@dataclass(frozen=True, slots=True)
class UnitPattern:
    """A folder pattern: ``services/*``, ``acme/web:src/features/*``, ``**/cmd/*``.

    ``*`` and ``?`` match within one folder name, ``**`` any number of folders;
    an ``OWNER/NAME:`` prefix limits it to that repository (a glob too).
    """

    repo: str | None
    segments: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> UnitPattern:
        """Read a pattern; :func:`unit_pattern_problem` says first whether it is one."""
        repo, sep, path = text.strip().partition(":")
        if not sep:
            repo, path = "", repo
        segments = tuple(s for s in path.strip().strip("/").split("/"))
        return cls(repo or None, segments)

    def matches(self, repo: str, directory: str) -> bool:
        """Whether ``directory`` (``services/orders/``) of ``repo`` is a folder this names."""
        if self.repo is not None and not fnmatchcase(repo, self.repo):
            return False
        return _match(self.segments, tuple(directory.strip("/").split("/")))


def _match(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], head) and _match(rest, parts[1:])


def unit_pattern_problem(text: str) -> str | None:
    """Why ``text`` is not a folder pattern; None when it is."""
    repo, sep, path = text.partition(":")
    if not sep:
        repo, path = "", repo
    if sep and "/" not in repo.strip():
        return f"has {text!r}: a repository prefix is OWNER/NAME, as in 'acme/web:src/*'"
    path = path.strip().strip("/")
    if not path:
        return f"has {text!r}, which names no folder (write e.g. 'services/*')"
    for segment in path.split("/"):
        if not _SEGMENT.match(segment) or segment in (".", ".."):
            return (
                f"has {text!r}: every folder in it needs a name ('services/*', not 'a//b' or '..')"
            )
    return None


def codeowners_units(rules: Iterable[str]) -> tuple[UnitPattern, ...]:
    """The folders CODEOWNERS patterns name, as unit patterns.

    ``/services/orders/`` and ``services/orders/**`` name ``services/orders/``;
    ``docs/`` (no inner slash) names any ``docs`` folder; a pattern of files
    (``*.js``, ``/Makefile``) or of everything (``*``) names no folder that a
    PR's files live in, and is left out.
    """
    out: list[UnitPattern] = []
    for raw in rules:
        text = raw.strip()
        if not text or text.startswith(("#", "!")):
            continue
        directory = text.endswith("/")
        body = text.rstrip("/")
        while body.endswith(("/**", "/*")):
            body = body.rpartition("/")[0]
            directory = True
        anchored = body.startswith("/") or "/" in body.lstrip("/")
        body = body.strip("/")
        if not body or body in ("*", "**"):
            continue
        last = body.rpartition("/")[2]
        if not directory and ("." in last or "*" in last):
            continue  # a file pattern (*.js, Makefile.am): no folder
        if unit_pattern_problem(body) is not None:
            continue
        pattern = UnitPattern.parse(body if anchored else f"**/{body}")
        out.append(pattern)
    return tuple(out)


class AreaMap:
    """The owned area of each file, from the tree the history's PRs make.

    ``tree``: per (repo, folder), what the PRs under it show (fixture folders
    already folded); ``configured``: ``[areas] units``; ``owned``: per
    repository, the folders its CODEOWNERS names; ``lead``: left out when
    ownership is compared (a lead reviews everywhere).
    """

    def __init__(
        self,
        tree: Mapping[tuple[str, str], AreaNode],
        folding: Folding,
        *,
        configured: Iterable[UnitPattern] = (),
        owned: Mapping[str, tuple[UnitPattern, ...]] | None = None,
        lead: str | None = None,
    ) -> None:
        self.tree = tree
        self.folding = folding
        self.configured = tuple(configured)
        self.owned = dict(owned or {})
        self.lead = lead
        self._areas: dict[tuple[str, str], str] = {}
        self._splits: dict[tuple[str, str], bool] = {}
        self._containers: dict[tuple[str, str], bool] = {}
        self._above: dict[tuple[str, str], bool] = {}

    def area(self, repo: str, path: str) -> str:
        """The owned area of a file: ``org/app:services/orders/``, ``org/app:/`` at the root.

        Cached per folder, so a large history computes each area once.
        """
        dirs = self.folding.dirs(path)
        key = (repo, dirs[-1] if dirs else "")
        area = self._areas.get(key)
        if area is None:
            area = self._areas[key] = f"{repo}:{self._area_dir(repo, dirs) or '/'}"
        return area

    def _area_dir(self, repo: str, dirs: tuple[str, ...]) -> str:
        if not dirs:
            return ""
        for d in reversed(dirs):
            if self._configured(repo, d):
                return d
        chosen = self.floor(repo, dirs)
        for child in dirs[dirs.index(chosen) + 1 :]:
            if not self.splits(repo, chosen):
                break
            chosen = child
        return chosen

    def _configured(self, repo: str, directory: str) -> bool:
        return any(p.matches(repo, directory) for p in self.configured)

    def is_unit(self, repo: str, directory: str) -> bool:
        """A folder the config, CODEOWNERS, a manifest or a container makes a unit."""
        if self._configured(repo, directory):
            return True
        node = self.tree.get((repo, directory))
        if node is not None and node.marked:
            return True
        if any(p.matches(repo, directory) for p in self.owned.get(repo, ())):
            return True
        parent = parent_dir(directory)
        return bool(parent) and self.is_container(repo, parent)

    def floor(self, repo: str, dirs: tuple[str, ...]) -> str:
        """The shallowest folder a file's area may be: its deepest unit, else its top folder."""
        for d in reversed(dirs):
            if self.is_unit(repo, d):
                return d
        return dirs[0]

    def is_container(self, repo: str, directory: str) -> bool:
        """A folder of sibling units: named so (``services/``), or shaped so.

        Shaped so: at least ``SHAPE_MIN_UNITS`` child folders, and of at least
        ``SHAPE_MIN_PRS`` PRs under it, ``SHAPE_ONE_CHILD_SHARE`` stay inside one.
        """
        key = (repo, directory)
        known = self._containers.get(key)
        if known is not None:
            return known
        node = self.tree.get(key)
        found = False
        if node is not None and node.children:
            if leaf(directory).lower() in CONTAINERS:
                found = True
            else:
                found = (
                    len(node.children) >= SHAPE_MIN_UNITS
                    and node.prs >= SHAPE_MIN_PRS
                    and node.one_child >= SHAPE_ONE_CHILD_SHARE * node.prs
                )
        self._containers[key] = found
        return found

    def splits(self, repo: str, directory: str) -> bool:
        """Ownership differs below ``directory``: two of its subfolders share nobody.

        The lead is left out of the comparison: a lead reviews everywhere, so their
        presence says nothing about who owns a folder.
        """
        key = (repo, directory)
        cached = self._splits.get(key)
        if cached is not None:
            return cached
        node = self.tree.get(key)
        groups = []
        if node is not None:
            for child in sorted(node.children):
                groups.append(self.tree[(repo, child)].people - {self.lead})
        splits = any(a.isdisjoint(b) for i, a in enumerate(groups) for b in groups[i + 1 :])
        self._splits[key] = splits
        return splits

    def is_area(self, repo: str, directory: str) -> bool:
        """Some file's owned area (a file directly in it is in it), and no folder of units.

        The root always is: "all of the repository" is its own answer.
        """
        if not directory:
            return True
        if self.above_units(repo, directory):
            return False
        return self.area(repo, f"{directory}-") == f"{repo}:{directory}"

    def above_units(self, repo: str, directory: str) -> bool:
        """A folder that holds units (``services/``): never an area of its own to report.

        The root is never above: "all of the repository" is its own answer.
        """
        key = (repo, directory)
        known = self._above.get(key)
        if known is not None:
            return known
        node = self.tree.get(key)
        found = bool(directory) and node is not None
        if found and node is not None and not self.is_container(repo, directory):
            found = any(
                self.is_unit(repo, child) or self.above_units(repo, child)
                for child in sorted(node.children)
            )
        self._above[key] = found
        return found
