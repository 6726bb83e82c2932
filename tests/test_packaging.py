"""leadkit installed as a user installs it: ``make dist``, then the wheels into a fresh venv.

The packages are built into a folder outside the source tree, installed with their
third-party dependencies from the package index as usual, and run from another folder, so
nothing of the checkout (``leadkit/`` on ``sys.path``, the editable installs) can stand in
for what the wheels ship. The first-party names are given as the wheel files themselves:
the package index has no ``leadkit*`` packages, and pip never asks it for a name it was
handed as a file.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from leadkit import __version__
from leadkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ("leadkit-github", "leadkit-gitlab", "leadkit-jira")
PACKAGES = {"leadkit": "leadkit"} | {p: p.replace("-", "_") for p in PLUGINS}
DOCUMENTS = [
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
    ROOT / "action.yml",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "plugins").glob("*/README.md")),
]
REPOSITORY = re.escape(f"git+https://github.com/OWNER/leadkit@v{__version__}")
FROM_GIT = re.compile(rf"[\w-]+ @ ({REPOSITORY}|\$\w+)(#subdirectory=plugins/leadkit-\w+)?")
TAKES_A_VALUE = {"-r", "-c", "-f", "--find-links", "--python", "-i", "--index-url"}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; its stdout, or the test fails showing what it printed."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheels_install_into_a_fresh_venv_and_run_outside_the_source_tree(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    run("make", "--no-print-directory", "dist", f"DIST={dist}", cwd=ROOT)
    wheels = {
        p: dist / f"{module}-{__version__}-py3-none-any.whl" for p, module in PACKAGES.items()
    }
    sdists = {p: dist / f"{module}-{__version__}.tar.gz" for p, module in PACKAGES.items()}
    assert sorted(dist.iterdir()) == sorted([*wheels.values(), *sdists.values()])
    for module in PACKAGES.values():  # a separately installed plugin type-checks against leadkit
        assert f"{module}/py.typed" in zipfile.ZipFile(wheels[module.replace("_", "-")]).namelist()

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    core_with_every_plugin = f"{wheels['leadkit']}[all]"  # the extra names the plugins' wheels
    plugin_wheels = [wheels[p] for p in PLUGINS]
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet"]
    run(*pip, core_with_every_plugin, *plugin_wheels, cwd=tmp_path)

    home = tmp_path / "user"
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}/usr/bin:/bin", "HOME": str(home)}
    env |= {"XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    leadkit = venv / "bin" / "leadkit"
    where = run(python, "-c", "import leadkit; print(leadkit.__file__)", cwd=elsewhere, env=env)
    assert Path(where.strip()).is_relative_to(venv)

    versions = run(leadkit, "--version", cwd=elsewhere, env=env).splitlines()
    assert versions == [f"leadkit {__version__}"] + [f"{p} {__version__} (plugin)" for p in PLUGINS]

    # the demo from the wheels (its data and the schemas are package data) is the checkout's
    installed = run(leadkit, "report", "--demo", "--format", "json", cwd=elsewhere, env=env)
    here = CliRunner().invoke(cli, ["report", "--demo", "--format", "json"])
    assert here.exit_code == 0 and json.loads(installed) == json.loads(here.stdout)
    assert run(leadkit, "report", "--demo", cwd=elsewhere, env=env).startswith("leadkit report\n")
    assert json.loads(run(leadkit, "schema", "report", cwd=elsewhere, env=env))["title"]

    listed = json.loads(run(leadkit, "plugins", "--json", cwd=elsewhere, env=env))
    installed_plugins = {p["distribution"]: p for p in listed if p["origin"] == "entry point"}
    assert sorted(installed_plugins) == list(PLUGINS)
    for plugin in installed_plugins.values():
        assert plugin["version"] == __version__ and plugin["error"] is None, plugin


def install_commands(text: str) -> list[str]:
    """What follows ``pip install`` in each command of a document: an inline code span in
    prose; in a code block (or YAML) the line and its continuations (after a backslash, or
    the next lines of a folded YAML command, which start with a quote or a long option)."""
    commands = []
    for n, part in enumerate(re.split(r"^\s*```.*$", text, flags=re.M)):
        if n % 2 == 0 and not text.startswith("name:"):  # prose, unless action.yml
            spans = re.findall(r"`([^`]*)`", part)
            commands += [span.replace("\n", " ") for span in spans if "pip install" in span]
            continue
        lines = part.splitlines()
        for i, line in enumerate(lines):
            if "pip install" not in line:
                continue
            command = line.split("pip install", 1)[1]
            for following in lines[i + 1 :]:
                more = following.strip().startswith(('"', "'", "--"))
                if not (command.rstrip().endswith("\\") or more):
                    break
                command = command.rstrip().removesuffix("\\") + " " + following.strip()
            commands.append(command.split(" # ", 1)[0])
    return [c.split("pip install", 1)[-1] for c in commands]


def test_every_install_line_installs_from_this_repository() -> None:
    """A path (the checkout, a plugin folder, the built wheels in dist/) or this repository
    at a release tag, never a bare name: none of leadkit's packages is on the package index,
    so a name there is whatever someone else published under it."""
    seen = 0
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        name = document.relative_to(ROOT)
        for url in re.findall(r"git\+https://\S+?(?=[\s\"#]|$)", text):
            assert re.fullmatch(REPOSITORY, url), f"{name}: {url}"
        for command in install_commands(text):
            seen += 1
            tokens = iter(shlex.split(command))
            for token in tokens:
                if token in TAKES_A_VALUE:
                    next(tokens)
                elif not token.startswith("-"):
                    local = token.startswith((".", "/", "$", "dist/", "plugins/"))
                    assert local or FROM_GIT.fullmatch(token), f"{name}: {token!r}"
    assert seen >= 8
