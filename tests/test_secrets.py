"""Secrets never leave the process, in any encoding; a badly set token is refused unseen.

Each test names the defect it covers (issue 11, "Secrets in every encoding").
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.secrets import redact, remember_secret

from .conftest import DEMO_NOW

TOKEN = "tok/3f9c+1d2e=7a8b"
"""Has characters that URL-encoding, JSON and base64 all change."""


def test_redact_masks_a_secret_in_every_encoding() -> None:
    remember_secret(TOKEN)
    forms = {
        "as given": TOKEN,
        "quote": quote(TOKEN, safe=""),
        "quote keeping /": quote(TOKEN),
        "quote_plus": quote_plus(TOKEN),
        "basic auth of the lead": base64.b64encode(f"lead@acme.example:{TOKEN}".encode()).decode(),
        "basic auth of another user": base64.b64encode(f"x:{TOKEN}".encode()).decode(),
        "url-safe base64": base64.urlsafe_b64encode(f"bot:{TOKEN}".encode()).decode(),
        "the token alone in base64": base64.b64encode(TOKEN.encode()).decode(),
    }
    for name, form in forms.items():
        shown = redact(f"server said: {form}.")
        assert form not in shown and "***" in shown, name


@pytest.mark.parametrize(
    "header",
    [
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN",
        "authorization: token 0123456789abcdef0123456789abcdef01234567",
        "Authorization: Basic dXNlcjpub3QtcmVtZW1iZXJlZC0xMjM0NQ==",
        '"Authorization": "Basic dXNlcjpub3QtcmVtZW1iZXJlZC0xMjM0NQ=="',
        "clone https://x-access-token:v1.abc123def456@github.com/acme/api",
        "used ghp_16C7e42F292c6912E7710c838347Ae178B4a and github_pat_11ABCDEFG0abcdefghijklmnop",
    ],
)
def test_headers_and_token_shapes_are_masked_even_when_never_remembered(header: str) -> None:
    shown = redact(header)
    assert "***" in shown
    for secret in ("eyJhbGci", "0123456789abcdef", "dXNlcjpu", "v1.abc123", "ghp_16C7", "11ABCDEF"):
        assert secret not in shown


def test_ordinary_words_after_authorization_or_basic_are_left_alone() -> None:
    text = "Fix authorization: header parsing; basic authentication; Bearer tokens explained"
    assert redact(text) == text


def _config(tmp_path: Path, token_env_line: str) -> Path:
    config = tmp_path / "leadkit.toml"
    config.write_text(
        '[team]\nlead = "jamie"\n[[sources]]\ntype = "github"\nname = "gh"\n'
        f'repos = ["acme/api"]\nbase_url = "http://127.0.0.1:9"\n{token_env_line}\n',
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize(
    "pasted",
    [
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz",
        "Zm9vYmFyOmJhejEyMzQ1Njc4OTBxd2VydHk=",
    ],
    ids=["ghp", "fine-grained", "base64"],
)
def test_a_token_pasted_into_token_env_is_refused_without_printing_it(
    tmp_path: Path, pasted: str
) -> None:
    config = _config(tmp_path, f'token_env = "{pasted}"')
    for args in (["report"], ["--debug", "report"], ["config", "check"]):
        result = CliRunner().invoke(cli, [*args, "--config", str(config)], env={})
        shown = result.output + result.stderr
        assert result.exit_code == 2, shown
        assert "token_env must name an environment variable" in shown
        assert pasted not in shown and pasted[:12] not in shown


def test_a_token_with_a_line_break_is_refused_and_no_part_of_it_is_printed(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path, "")
    first, second = "ghp_FirstHalfOfAPastedToken012", "SecondLineOfThePastedToken0123"
    for debug in ([], ["--debug"]):
        result = CliRunner().invoke(
            cli,
            [*debug, "report", "--config", str(config), "--now", DEMO_NOW],
            env={"GITHUB_TOKEN": f"{first}\n{second}\n"},
        )
        shown = result.output + result.stderr
        assert result.exit_code == 2
        assert "environment variable GITHUB_TOKEN holds several lines" in shown
        assert first not in shown and second not in shown
        assert "Traceback" not in shown or debug


def test_a_secret_reaching_a_rendered_report_is_masked_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes carry tracker error text into reports, files, exports and PR comments."""
    monkeypatch.chdir(tmp_path)
    remember_secret(TOKEN)
    basic = base64.b64encode(f"lead@acme.example:{TOKEN}".encode()).decode()
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["export", "--demo", "--now", DEMO_NOW, "-o", "data.json"]).exit_code
        == 0
    )
    doc = json.loads((tmp_path / "data.json").read_text())
    doc["notes"] = [f"Jira said: Authorization: Basic {basic} (token {quote_plus(TOKEN)})"]
    (tmp_path / "data.json").write_text(json.dumps(doc))
    demo = Path(__file__).resolve().parent.parent / "leadkit" / "demo" / "leadkit.toml"
    (tmp_path / "leadkit.toml").write_text(
        demo.read_text().replace('path = "team.json"', 'path = "data.json"')
    )
    formats = ["text", "markdown", "html", "json"]
    args = ["report", "--now", DEMO_NOW]
    for fmt in formats:
        args += ["--format", fmt, "-o", f"out.{fmt}"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    stdout = runner.invoke(cli, ["report", "--now", DEMO_NOW]).stdout
    exported = runner.invoke(cli, ["export", "--now", DEMO_NOW]).stdout
    for text in [stdout, exported, *((tmp_path / f"out.{f}").read_text() for f in formats)]:
        assert "Jira said" in text
        assert basic not in text and TOKEN not in text and quote_plus(TOKEN) not in text


@pytest.mark.parametrize(
    "secret",
    ["ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4", "tok_with_under_scores_42.and-dots"],
)
@pytest.mark.parametrize("escaper", ["plain", "md", "html", "slack", "mermaid"])
def test_a_secret_in_tracker_text_is_masked_before_escaping_could_disguise_it(
    secret: str, escaper: str
) -> None:
    """Markdown escaping turns ``ghp_x`` into ``ghp\\_x``: masking must come first."""
    from leadkit.present import escape

    remember_secret("tok_with_under_scores_42.and-dots")
    shown = getattr(escape, escaper)(f"Rotate {secret} before Friday")
    undone = shown.replace("\\", "").replace("\u200b", "").replace("\uff3f", "_")
    assert "Rotate" in undone
    assert secret not in undone
    assert secret[:12] not in undone


def test_a_secret_url_is_masked_in_its_distinctive_parts_and_json_escaped() -> None:
    """A server may echo a secret URL's path, its key segment alone, or write ``/`` as ``\\/``."""
    url = "https://hooks.example.com/hooks/team42/Zk3jQ9wLmN0pR7sT?sig=Sg9fK2mX4qP1"
    remember_secret(url)
    remember_secret(TOKEN)
    key = "Zk3jQ9wLmN0pR7sT"
    for shown in (
        url.replace("/", "\\/"),
        "/hooks/team42/Zk3jQ9wLmN0pR7sT",
        key,
        f'{{"key": "{key}"}}',
        "sig=Sg9fK2mX4qP1",
        TOKEN.replace("/", "\\/"),
    ):
        masked = redact(f"server said: {shown}.")
        assert "***" in masked, shown
        assert key not in masked and "Sg9fK2mX4qP1" not in masked and "3f9c" not in masked
    # Ordinary words of the URL stay readable: they are not distinctive.
    assert redact("see the hooks page of team42") == "see the hooks page of team42"
