"""leadkit's benchmark: requests and time against the API's lower bound and a naive script.

Run with ``make bench`` (about 10 minutes on 2 cores). For each team size N it
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
and the time ratio for doubling the data.

Then end to end, as a user runs it: the same generated datasets written as an
interchange file (as ``leadkit export`` writes it) and synced into a store;
``json.load`` of that file timed in a fresh process, then ``leadkit report``
(JSON and text reports written to files) in a fresh process from the file (a
``file`` source) and from the store (``--db --offline``): wall time, peak RSS
(the child's own, from ``wait4``) and the reports' sizes.

It prints tables, each figure beside its target, and, last, the line
``bench: requests/lower_bound=R naive_requests/leadkit_requests=Q
naive_wall/leadkit_wall=W analysis_100k_s=S analysis_peak_mib=M
doubling_ratio=D e2e_100k_s=E e2e_over_jsonload=F store_over_jsonload=G
e2e_peak_mib=P report_json_mib=J e2e_doubling_ratio=H points_per_100_prs=C``, where
R is the worst ratio over all N, Q, W and C are measured at N = 1,000, and the
e2e figures at the largest e2e size. ``--quick`` runs small sizes only (about two
minutes).
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
QUICK_SIZES = ((10_000, 5_000), (20_000, 10_000))
"""``--quick``: the analysis and end-to-end runs at these sizes, and the sync at N = 200."""
E2E_NOW = "2026-11-23T09:00:00Z"
"""The generated datasets' "now" (:func:`tests.fakes.generate.model_dataset`)."""
HISTORY_DAYS = 90
TARGETS = {
    "requests/lower_bound": ("<=", 1.2),
    "naive_requests/leadkit_requests": (">=", 20.0),
    "naive_wall/leadkit_wall": (">=", 10.0),
    "no-change requests per repo/JQL": ("<=", 1.0),
    "analysis_100k_s": ("<=", 10.0),
    "analysis_peak_mib": ("<=", 1024.0),
    "doubling_ratio": ("<=", 2.2),
    "e2e_over_jsonload": ("<=", 4.0),
    "store_over_jsonload": ("<=", 4.0),
    "e2e_peak_mib": ("<=", 1024.0),
    "e2e_doubling_ratio": ("<=", 2.2),
    "report_json_mib": ("<=", 5.0),
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
    from leadkit.testing import org, org_config
    from tests.fakes.fake_github import github_repos, github_users
    from tests.fakes.fake_jira import FakeJira
    from tests.fakes.generate import jira_issues, jira_users
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
        config.write_text(org_config(members, sources=sources), encoding="utf-8")
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
    from leadkit.testing import org, org_config
    from tests.fakes.generate import event_count, model_dataset

    members = org(40)
    dataset = model_dataset(items, prs, members=members)
    config = parse_config(org_config(members))
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


def e2e_prepare(items: int, prs: int, workdir: Path) -> None:
    """In a fresh process: the generated dataset as an interchange file, a config and a store."""
    from leadkit.model.interchange import dataset_to_json, dumps
    from leadkit.session import RunOptions, Session
    from leadkit.testing import org, org_config
    from tests.fakes.generate import model_dataset

    members = org(40)
    dataset = model_dataset(items, prs, members=members)
    (workdir / "data.json").write_text(dumps(dataset_to_json(dataset)), encoding="utf-8")
    del dataset
    source = '[[sources]]\ntype = "file"\nname = "bench"\npath = "data.json"\n'
    (workdir / "leadkit.toml").write_text(org_config(members, sources=source), encoding="utf-8")
    options = RunOptions(
        config_path=str(workdir / "leadkit.toml"),
        db=str(workdir / "store.sqlite"),
        now=E2E_NOW,
        warn=lambda m: None,
    )
    Session.open(options).sync(full=True, echo=lambda line: None)


def jsonload_child(path: str) -> None:
    """In a fresh process: seconds ``json.load`` takes to read the file (the yardstick)."""
    started, cpu = time.perf_counter(), time.process_time()
    with open(path, encoding="utf-8") as handle:
        json.load(handle)
    print(json.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}))


@dataclass
class Child:
    """What one child process cost: wall and CPU seconds, its own peak RSS, and its stdout."""

    wall: float
    cpu: float
    """User plus system time: the wall time on an idle machine, not inflated by other load."""
    peak_mib: float
    out: str


def run_child(args: list[str], env: dict[str, str] | None = None) -> Child:
    """Run a child process and measure it (``wait4`` gives its own rusage)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{' '.join(args[:5])}... failed ({proc.returncode}):\n{err.read()}")
        return Child(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


@dataclass
class E2E:
    """One end-to-end size: json.load, and leadkit report from the file and from the store."""

    items: int
    prs: int
    jsonload: Child
    file: Child
    store: Child
    file_mib: float
    report_json_mib: float
    report_text_lines: int

    @property
    def file_x(self) -> float:
        """The report from the file over json.load of that file (CPU time)."""
        return self.file.cpu / self.jsonload.cpu

    @property
    def store_x(self) -> float:
        """The report from the store over json.load of the file (CPU time)."""
        return self.store.cpu / self.jsonload.cpu


def measure_e2e(items: int, prs: int, workdir: Path) -> E2E:
    """Build the files for one size, then time json.load and both read paths, each in a fresh process."""
    here = workdir / f"e2e-{items}"
    here.mkdir()
    me = [sys.executable, __file__]
    subprocess.run([*me, "--e2e-prepare", str(items), str(prs), str(here)], check=True, cwd=ROOT)
    data = here / "data.json"
    measured = json.loads(run_child([*me, "--jsonload-child", str(data)]).out)
    jsonload = Child(measured["wall"], measured["cpu"], 0.0, "")  # json.load alone, no start-up
    env = {**os.environ, "XDG_CACHE_HOME": str(here / "cache"), "CI": "true"}
    leadkit = [sys.executable, "-c", "from leadkit.cli import main; main()", "report"]
    common = ["--config", str(here / "leadkit.toml"), "--now", E2E_NOW]

    def report(name: str, extra: list[str]) -> Child:
        outputs = ["--format", "json", "-o", str(here / f"{name}.json")]
        outputs += ["--format", "text", "-o", str(here / f"{name}.txt")]
        return run_child([*leadkit, *common, *extra, *outputs], env)

    from_file = report("file", [])
    from_store = report("store", ["--db", str(here / "store.sqlite"), "--offline"])
    if (here / "file.json").read_bytes() != (here / "store.json").read_bytes():
        raise SystemExit("the reports from the file and from the store differ")
    return E2E(
        items,
        prs,
        jsonload,
        from_file,
        from_store,
        data.stat().st_size / 2**20,
        (here / "file.json").stat().st_size / 2**20,
        len((here / "file.txt").read_text(encoding="utf-8").splitlines()),
    )


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
    if math.isnan(value):
        return f"not run ({op} {limit:g})"
    ok = value <= limit if op == "<=" else value >= limit
    return f"{'ok' if ok else 'MISSED'} ({op} {limit:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per request")
    parser.add_argument("--repos", type=int, default=2, help="repositories the PRs spread over")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--skip-sync", action="store_true", help="no fake servers, no naive run")
    parser.add_argument("--skip-analysis", action="store_true")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes: sync at N = 200, analysis and end to end at 10k and 20k items",
    )
    parser.add_argument("--analysis-child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--e2e-prepare", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--jsonload-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.analysis_child:
        analysis_child(*args.analysis_child)
        return
    if args.e2e_prepare:
        items, prs, where = args.e2e_prepare
        e2e_prepare(int(items), int(prs), Path(where))
        return
    if args.jsonload_child:
        jsonload_child(args.jsonload_child)
        return
    sizes = [] if args.skip_sync else [int(s) for s in args.sizes.split(",")]
    big_sizes = QUICK_SIZES if args.quick else ANALYSIS_SIZES
    if args.quick and not args.skip_sync:
        sizes = [200]
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
    if rows:
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
        for items, prs in big_sizes:
            result = run_analysis(items, prs)
            analysis.append(result)
            print(
                f"{items:>8} {prs:>7} {result['events']:>9} {result['seconds']:>7.2f} "
                f"{result['peak_mib']:>9.0f} {result['findings']:>8}"
            )
        print("(identity merging plus every analysis; peak = the process's max RSS, data included)")
    e2e: list[E2E] = []
    if not args.skip_e2e:
        print()
        print(
            f"{'items':>8} {'PRs':>7} {'data MiB':>8} {'json.load s':>11} {'file s':>7} "
            f"{'store s':>7} {'file x':>6} {'store x':>7} {'file MiB':>8} {'store MiB':>9} "
            f"{'JSON MiB':>8} {'text lines':>10}"
        )
        with tempfile.TemporaryDirectory(prefix="leadkit-e2e-") as tmp:
            for items, prs in big_sizes:
                run = measure_e2e(items, prs, Path(tmp))
                e2e.append(run)
                print(
                    f"{items:>8} {prs:>7} {run.file_mib:>8.0f} {run.jsonload.cpu:>11.2f} "
                    f"{run.file.cpu:>7.2f} {run.store.cpu:>7.2f} {run.file_x:>6.2f} {run.store_x:>7.2f} "
                    f"{run.file.peak_mib:>8.0f} {run.store.peak_mib:>9.0f} "
                    f"{run.report_json_mib:>8.2f} {run.report_text_lines:>10}",
                    flush=True,
                )
                print(
                    f"{'':>16} wall s: json.load {run.jsonload.wall:.2f}, file {run.file.wall:.2f}, "
                    f"store {run.store.wall:.2f}",
                    flush=True,
                )
        print(
            "(`leadkit report` in a fresh process, JSON and text written to files: from the "
            "interchange file, and from the store with --offline. s = CPU seconds (user + sys) "
            "of the process, interpreter start included; x = over json.load's; "
            "MiB = the process's peak RSS)"
        )
    nan = float("nan")
    ratio = max((r.leadkit_requests / r.lower_bound for r in rows), default=nan)
    at_1000 = next((r for r in rows if r.n == 1000 and r.naive_requests), None)
    q = at_1000.naive_requests / at_1000.leadkit_requests if at_1000 else float("nan")  # type: ignore[operator]
    w = at_1000.naive_wall / at_1000.leadkit_wall if at_1000 else float("nan")  # type: ignore[operator]
    nochange = max((r.nochange_requests / r.units for r in rows), default=nan)
    row_1000 = next((r for r in rows if r.n == 1000), None)
    p = row_1000.points * 100 / row_1000.n if row_1000 else float("nan")
    s = analysis[-1]["seconds"] if analysis else float("nan")
    m = analysis[-1]["peak_mib"] if analysis else float("nan")
    d = analysis[-1]["seconds"] / analysis[0]["seconds"] if len(analysis) > 1 else float("nan")
    big = e2e[-1] if e2e else None
    e2e_s = big.file.cpu if big else nan
    e2e_x = big.file_x if big else nan
    store_x = big.store_x if big else nan
    e2e_peak = max(big.file.peak_mib, big.store.peak_mib) if big else nan
    report_mib = big.report_json_mib if big else nan
    e2e_d = e2e[-1].file.cpu / e2e[0].file.cpu if len(e2e) > 1 else nan
    print()
    for name, value in (
        ("requests/lower_bound", ratio),
        ("naive_requests/leadkit_requests", q),
        ("naive_wall/leadkit_wall", w),
        ("no-change requests per repo/JQL", nochange),
        ("analysis_100k_s", s),
        ("analysis_peak_mib", m),
        ("doubling_ratio", d),
        ("e2e_over_jsonload", e2e_x),
        ("store_over_jsonload", store_x),
        ("e2e_peak_mib", e2e_peak),
        ("e2e_doubling_ratio", e2e_d),
        ("report_json_mib", report_mib),
        ("points_per_100_prs", p),
    ):
        print(f"  {name:<34} {value:>8.2f}  {check(name, value)}")
    if big:
        print(
            f"  {'e2e_100k_s':<34} {e2e_s:>8.2f}  (target: 4 x json.load = "
            f"{4 * big.jsonload.cpu:.2f} s in this run)"
        )
    print(f"total bench time: {time.perf_counter() - began:.0f} s")
    print(
        f"bench: requests/lower_bound={ratio:.2f} naive_requests/leadkit_requests={q:.1f} "
        f"naive_wall/leadkit_wall={w:.1f} analysis_100k_s={s:.2f} analysis_peak_mib={m:.0f} "
        f"doubling_ratio={d:.2f} e2e_100k_s={e2e_s:.2f} e2e_over_jsonload={e2e_x:.2f} "
        f"store_over_jsonload={store_x:.2f} e2e_peak_mib={e2e_peak:.0f} "
        f"report_json_mib={report_mib:.2f} e2e_doubling_ratio={e2e_d:.2f} "
        f"points_per_100_prs={p:.1f}"
    )


if __name__ == "__main__":
    main()
