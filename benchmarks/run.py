"""leadkit's benchmark: requests and time against the API's lower bound and a naive script.

Run with ``make bench`` (about 5 minutes on 2 cores). For each team size N it
starts a fake GitHub and a fake Jira on 127.0.0.1 with a latency per request
(``--latency``, default 20 ms), fills them with N generated PRs (over
``--repos`` repositories) and N generated Jira issues
(:mod:`tests.fakes.generate`), and measures:

- ``leadkit sync --full`` into a fresh store: requests counted by the servers
  against the lower bound ceil(n/100) per repository and per JQL, wall time,
  and the GraphQL points the fake GitHub charged by GitHub's documented rule;
- the naive baseline (:mod:`benchmarks.naive`: PyGithub and jira, per-item
  calls) on the same servers, at N = 200 and 1,000 only;
- a second ``leadkit sync`` with nothing changed: requests and time.

Then the analysis alone (identity merging plus every analysis, as ``leadkit
report`` runs it after fetching) on generated datasets of 50,000 items + 25,000
PRs and 100,000 items + 50,000 PRs, each in a fresh process: time, peak RSS
and the time ratio for doubling the data. It prints a table and, last, the
line ``bench: requests/lower_bound=R naive_requests/leadkit_requests=Q
naive_wall/leadkit_wall=W analysis_100k_s=S analysis_peak_mib=M
doubling_ratio=D points_per_100_prs=P``, where R is the worst ratio over all N
and Q, W and P are measured at N = 1,000.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = (200, 1000, 5000)
NAIVE_SIZES = (200, 1000)
ANALYSIS_SIZES = ((50_000, 25_000), (100_000, 50_000))
HISTORY_DAYS = 90
TARGETS = {
    "requests/lower_bound": ("<=", 1.2),
    "naive_requests/leadkit_requests": (">=", 20.0),
    "naive_wall/leadkit_wall": (">=", 10.0),
    "no-change requests per repo/JQL": ("<=", 1.0),
    "analysis_100k_s": ("<=", 10.0),
    "analysis_peak_mib": ("<=", 1024.0),
    "doubling_ratio": ("<=", 2.2),
    "points_per_100_prs": ("<=", 10.0),
}
"""points_per_100_prs: 1.5 x one nested connection per list leadkit needs (issue 13: ~10)."""
SOURCES = """
[analysis]
history_days = {history_days}

[[sources]]
type = "github"
name = "github"
base_url = "{github}"
repos = [{repos}]
token_env = "BENCH_GITHUB_TOKEN"

[[sources]]
type = "jira"
name = "jira"
server = "{jira}"
deployment = "cloud"
timezone = "UTC"
email_env = "BENCH_JIRA_EMAIL"
token_env = "BENCH_JIRA_TOKEN"
projects = ["PIPE"]
"""
ENV = {"BENCH_GITHUB_TOKEN": "bench-gh", "BENCH_JIRA_EMAIL": "b@x", "BENCH_JIRA_TOKEN": "bench-j"}


@dataclass
class Row:
    """One team size: leadkit, the lower bound, the naive script, and a no-change sync."""

    n: int
    lower_bound: int
    leadkit_requests: int
    leadkit_wall: float
    units: int
    """Repositories plus JQL searches (for the no-change target)."""
    nochange_requests: int
    nochange_wall: float
    points: int = 0
    """GraphQL points the full sync cost (the fake GitHub's ``rateLimit.cost``, summed)."""
    naive_requests: int | None = None
    naive_wall: float | None = None


def measure_team(n: int, *, repos: int, latency: float, naive: bool, workdir: Path) -> Row:
    """Run leadkit (full and no-change sync) and optionally the naive script for one N."""
    from benchmarks.naive import naive_github, naive_jira
    from leadkit.session import RunOptions, Session
    from tests.fakes.fake_jira import FakeJira
    from tests.fakes.generate import (
        config_toml,
        github_repos,
        github_users,
        jira_issues,
        jira_users,
        org,
    )
    from tests.fakes.github_rest import FakeGitHubREST

    now = datetime.now(UTC).replace(microsecond=0)
    members = org()
    fake_repos = github_repos(n, now=now, members=members, repos=repos)
    issues = jira_issues(n, now=now, members=members)
    names = [r.full_name for r in fake_repos]
    lower = sum(math.ceil(len(r.pulls) / 100) for r in fake_repos) + math.ceil(n / 100)
    with (
        FakeGitHubREST(
            fake_repos,
            users=github_users(members),
            token=ENV["BENCH_GITHUB_TOKEN"],
            latency=latency,
        ) as gh,
        FakeJira(issues, jira_users(members), latency=latency) as jira,
    ):
        for name in names:  # build the fakes' caches before anything is timed
            gh.repo_node(*name.split("/"))
        for issue in jira.issues:
            jira._render(issue)
        config = workdir / f"leadkit-{n}.toml"
        sources = SOURCES.format(
            github=gh.url,
            jira=jira.url,
            repos=", ".join(f'"{r}"' for r in names),
            history_days=HISTORY_DAYS,
        )
        config.write_text(config_toml(members, sources=sources), encoding="utf-8")
        db = workdir / f"store-{n}.sqlite"
        options = RunOptions(
            config_path=str(config), environ={**os.environ, **ENV}, db=str(db), warn=lambda m: None
        )

        def sync(full: bool) -> tuple[int, float]:
            gh.reset_counts()
            jira.reset_calls()
            started = time.perf_counter()
            Session.open(options).sync(full=full, echo=lambda line: None)
            return gh.count() + jira.count(), time.perf_counter() - started

        requests, wall = sync(True)
        points = gh.points()
        nochange_requests, nochange_wall = sync(False)
        row = Row(
            n, lower, requests, wall, len(names) + 1, nochange_requests, nochange_wall, points
        )
        if naive:
            gh.reset_counts()
            jira.reset_calls()
            since = now - timedelta(days=HISTORY_DAYS)
            bound = since.strftime("%Y-%m-%d %H:%M")
            jql = f'project in ("PIPE") AND updated >= "{bound}" ORDER BY created ASC'
            started = time.perf_counter()
            read_prs = naive_github(gh.url, ENV["BENCH_GITHUB_TOKEN"], names, since)
            read_issues = naive_jira(jira.url, "b@x", "bench-j", jql)
            row.naive_wall = time.perf_counter() - started
            row.naive_requests = gh.count() + jira.count()
            if (read_prs, read_issues) != (n, n):
                raise SystemExit(f"naive baseline read {read_prs} PRs, {read_issues} issues of {n}")
    return row


def analysis_child(items: int, prs: int) -> None:
    """In a fresh process: generate, then time identity merging and the analyses (JSON out)."""
    from leadkit.analyze.build import build_report
    from leadkit.collect.identity import resolve_identities
    from leadkit.config import parse_config
    from leadkit.model.codec import gc_paused
    from leadkit.plugins import load_plugins
    from tests.fakes.generate import config_toml, event_count, model_dataset, org

    members = org(40)
    dataset = model_dataset(items, prs, members=members)
    config = parse_config(config_toml(members))
    host = load_plugins(use_entry_points=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with gc_paused():  # as leadkit.session.Session.report does
        resolved = resolve_identities(dataset, config.people)
        report = build_report(resolved, config, host)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "items": items,
                "prs": prs,
                "events": event_count(dataset),
                "seconds": seconds,
                "rss_before_mib": before,
                "peak_mib": peak,
                "findings": len(report.findings),
            }
        )
    )


def run_analysis(items: int, prs: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--analysis-child", str(items), str(prs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def check(name: str, value: float) -> str:
    op, limit = TARGETS[name]
    ok = value <= limit if op == "<=" else value >= limit
    return f"{'ok' if ok else 'MISSED'} ({op} {limit:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per request")
    parser.add_argument("--repos", type=int, default=2, help="repositories the PRs spread over")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--skip-analysis", action="store_true")
    parser.add_argument("--analysis-child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.analysis_child:
        analysis_child(*args.analysis_child)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {machine()}; latency {args.latency * 1000:g} ms per request")
    began = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="leadkit-bench-") as tmp:
        for n in sizes:
            row = measure_team(
                n,
                repos=args.repos,
                latency=args.latency,
                naive=n in NAIVE_SIZES,
                workdir=Path(tmp),
            )
            rows.append(row)
            print(f"  N={n}: done ({time.perf_counter() - began:.0f} s so far)", flush=True)
    print()
    header = (
        f"{'N':>6} {'lower':>6} {'leadkit':>8} {'ratio':>6} {'wall s':>7} "
        f"{'naive':>7} {'naive s':>8} {'req x':>7} {'wall x':>7} {'no-change':>10} {'nc s':>6} "
        f"{'gql pts':>8} {'pts/100':>8}"
    )
    print(header)
    for r in rows:
        naive_req = f"{r.naive_requests}" if r.naive_requests is not None else "-"
        naive_s = f"{r.naive_wall:.2f}" if r.naive_wall is not None else "-"
        req_x = f"{r.naive_requests / r.leadkit_requests:.0f}x" if r.naive_requests else "-"
        wall_x = f"{r.naive_wall / r.leadkit_wall:.0f}x" if r.naive_wall else "-"
        print(
            f"{r.n:>6} {r.lower_bound:>6} {r.leadkit_requests:>8} "
            f"{r.leadkit_requests / r.lower_bound:>6.2f} {r.leadkit_wall:>7.2f} {naive_req:>7} "
            f"{naive_s:>8} {req_x:>7} {wall_x:>7} {r.nochange_requests:>10} {r.nochange_wall:>6.2f} "
            f"{r.points:>8} {r.points * 100 / r.n:>8.1f}"
        )
    print(
        "(requests counted by the fake servers; no-change = a second sync with nothing new; "
        "gql pts = GraphQL points of the full sync, charged by GitHub's documented rule)"
    )
    analysis: list[dict[str, float]] = []
    if not args.skip_analysis:
        print()
        print(
            f"{'items':>8} {'PRs':>7} {'events':>9} {'time s':>7} {'peak MiB':>9} {'findings':>8}"
        )
        for items, prs in ANALYSIS_SIZES:
            result = run_analysis(items, prs)
            analysis.append(result)
            print(
                f"{items:>8} {prs:>7} {result['events']:>9} {result['seconds']:>7.2f} "
                f"{result['peak_mib']:>9.0f} {result['findings']:>8}"
            )
        print("(identity merging plus every analysis; peak = the process's max RSS, data included)")
    ratio = max(r.leadkit_requests / r.lower_bound for r in rows)
    at_1000 = next((r for r in rows if r.n == 1000 and r.naive_requests), None)
    q = at_1000.naive_requests / at_1000.leadkit_requests if at_1000 else float("nan")  # type: ignore[operator]
    w = at_1000.naive_wall / at_1000.leadkit_wall if at_1000 else float("nan")  # type: ignore[operator]
    nochange = max(r.nochange_requests / r.units for r in rows)
    row_1000 = next((r for r in rows if r.n == 1000), None)
    p = row_1000.points * 100 / row_1000.n if row_1000 else float("nan")
    s = analysis[-1]["seconds"] if analysis else float("nan")
    m = analysis[-1]["peak_mib"] if analysis else float("nan")
    d = analysis[-1]["seconds"] / analysis[0]["seconds"] if len(analysis) > 1 else float("nan")
    print()
    for name, value in (
        ("requests/lower_bound", ratio),
        ("naive_requests/leadkit_requests", q),
        ("naive_wall/leadkit_wall", w),
        ("no-change requests per repo/JQL", nochange),
        ("analysis_100k_s", s),
        ("analysis_peak_mib", m),
        ("doubling_ratio", d),
        ("points_per_100_prs", p),
    ):
        print(f"  {name:<34} {value:>8.2f}  {check(name, value)}")
    print(f"total bench time: {time.perf_counter() - began:.0f} s")
    print(
        f"bench: requests/lower_bound={ratio:.2f} naive_requests/leadkit_requests={q:.1f} "
        f"naive_wall/leadkit_wall={w:.1f} analysis_100k_s={s:.2f} analysis_peak_mib={m:.0f} "
        f"doubling_ratio={d:.2f} points_per_100_prs={p:.1f}"
    )


if __name__ == "__main__":
    main()
