"""``--publish slack``: a Block Kit digest posted to a fake incoming webhook on 127.0.0.1."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from leadkit.builtins.publishers import slack_payload
from leadkit.cli import cli
from leadkit.testing import Team, ago, request
from tests.fakes.fake_slack import HOOK_PATH, FakeSlack

from .conftest import DEMO_NOW

RUN = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/dataflow",
    "GITHUB_RUN_ID": "4242",
}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["report", "--demo", "--now", DEMO_NOW, "--publish", "slack", *args], env=env
    )
    return result.exit_code, result.stdout, result.stderr


def mrkdwn(payload: dict) -> str:
    """Every mrkdwn text of the payload, joined."""
    texts = []
    for block in payload["blocks"]:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return "\n".join(texts)


def test_the_demo_digest_has_the_top_actions_the_counts_and_a_link() -> None:
    with FakeSlack() as slack:
        code, out, err = run({"SLACK_WEBHOOK_URL": slack.webhook, **RUN})
        assert code == 0, err
        assert (
            err.strip()
            == "leadkit: slack: posted the digest to the Slack webhook in SLACK_WEBHOOK_URL"
        )
        [payload] = slack.posts
    blocks = payload["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context"]
    assert blocks[0]["text"] == {"type": "plain_text", "text": "leadkit: team dataflow"}
    actions = blocks[1]["text"]["text"]
    assert actions.startswith("*Top actions*\n1. ")
    # The channel is the team's: the delegation to Owen, but no check-in with Tommy.
    assert "Owen" in actions and "Tommy" not in actions and "Check in" not in actions
    counted = blocks[2]["text"]["text"]
    assert counted.startswith("*Findings*\n")
    assert "• HIGH `review-queue`: 3 items" in counted.splitlines()
    assert "quiet-work" not in counted
    footer = blocks[3]["elements"][0]["text"]
    assert footer.startswith("<https://github.com/acme/dataflow/actions/runs/4242|Full report")
    assert payload["text"].startswith("leadkit report for dataflow: ")
    assert out.startswith("leadkit report")  # the text report still goes to stdout


def test_no_link_outside_ci_and_a_configured_variable(tmp_path: Path) -> None:
    config = tmp_path / "leadkit.toml"
    config.write_text('[publish.slack]\nwebhook_env = "TEAM_DIGEST_HOOK"\n', encoding="utf-8")
    with FakeSlack() as slack:
        code, _, err = run({"TEAM_DIGEST_HOOK": slack.webhook}, "--config", str(config))
        assert code == 0, err
        assert "TEAM_DIGEST_HOOK" in err
        [payload] = slack.posts
    assert "Full report" not in mrkdwn(payload)


def test_tracker_text_cannot_ping_the_channel_or_anyone() -> None:
    team = Team(lead="jamie", members=["owen", "priya"], name="core <!here>")
    team.people["owen"] = dataclasses.replace(
        team.people["owen"], name="Owen <!channel> & <@U024BE7LH> @here"
    )
    for n in range(3):
        team.pr(
            41 + n,
            author="owen",
            paths=["pipeline/run.py"],
            created=ago(5),
            requests=[request("jamie", ago(5))],
        )
    payload = slack_payload(team.report(), None)
    text = mrkdwn(payload)
    assert "Owen &lt;!channel&gt; &amp; &lt;@\u200bU024BE7LH&gt; @\u200bhere" in text
    assert "<!" not in text and "<@" not in text and "@here" not in text
    assert payload["text"].startswith("leadkit report for core &lt;!here&gt;: ")
    header = payload["blocks"][0]["text"]
    assert header == {"type": "plain_text", "text": "leadkit: team core <!here>"}  # shown as is
    rest = [b for b in payload["blocks"] if b["type"] != "header"]
    assert "<!" not in json.dumps(rest, ensure_ascii=False)


@pytest.mark.parametrize("status", [404, 500])
def test_a_refused_post_is_one_line_with_the_url_masked(status: int) -> None:
    with FakeSlack() as slack:
        slack.status, slack.reply = status, f"invalid_token for {HOOK_PATH}"
        code, _, err = run({"SLACK_WEBHOOK_URL": slack.webhook})
        assert code == 2
        assert err.startswith(
            f"leadkit: error: the Slack webhook in SLACK_WEBHOOK_URL answered HTTP {status}"
        )
        assert err.count("\n") == 1
        for form in (
            slack.webhook,
            HOOK_PATH,
            quote(HOOK_PATH, safe=""),
            base64.b64encode(slack.webhook.encode()).decode()[:40],
            "s3cretHookKey",
        ):
            assert form not in err


KEY = HOOK_PATH.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    "echo",
    [
        json.dumps({"error": "invalid_token", "url": "WEBHOOK"}),  # Python writes / as is
        '{"url":"' + "WEBHOOK".replace("/", "\\/") + '"}',  # the JSON-escaped path: \/
        '{"path":"' + HOOK_PATH.replace("/", "\\/") + '"}',
        f"no such key: {KEY}",  # the last segment alone
        f"no such key: {quote(KEY)}; channel {HOOK_PATH.split('/')[2]}",
    ],
)
def test_a_webhook_echoing_its_secret_in_any_form_shows_the_status_and_a_masked_body(
    echo: str,
) -> None:
    with FakeSlack() as slack:
        slack.status, slack.reply = 403, echo.replace("WEBHOOK", slack.webhook)
        code, _, err = run({"SLACK_WEBHOOK_URL": slack.webhook})
    assert code == 2 and err.count("\n") == 1
    assert "SLACK_WEBHOOK_URL answered HTTP 403: " in err and "***" in err
    assert KEY not in err and "s3cretHookKey" not in err
    assert HOOK_PATH.replace("/", "\\/") not in err


def test_an_unreachable_or_missing_webhook_is_one_line() -> None:
    with FakeSlack() as slack:
        url = slack.webhook
    code, _, err = run({"SLACK_WEBHOOK_URL": url})  # the server is gone
    assert code == 2 and err.count("\n") == 1 and "s3cretHookKey" not in err
    assert "cannot reach the Slack webhook in SLACK_WEBHOOK_URL" in err
    code, _, err = run({})
    assert code == 2 and "SLACK_WEBHOOK_URL is not set" in err
    code, _, err = run({"SLACK_WEBHOOK_URL": "not a url s3cretHookKey"})
    assert code == 2 and "must hold a Slack webhook URL" in err and "s3cretHookKey" not in err


def test_the_webhook_variable_is_validated(tmp_path: Path) -> None:
    config = tmp_path / "leadkit.toml"
    config.write_text(
        '[publish.slack]\nwebhook_env = "https://hooks.slack.com/services/T0/B0/Xsecret99"\n',
        encoding="utf-8",
    )
    code, _, err = run({}, "--config", str(config))
    assert code == 2 and "publish.slack.webhook_env must name an environment variable" in err
    assert "Xsecret99" not in err
    config.write_text('[publish.slack]\nurl = "x"\n', encoding="utf-8")
    code, _, err = run({}, "--config", str(config))
    assert code == 2 and "publish.slack.url is not a known key" in err


def test_a_token_in_tracker_text_never_reaches_the_channel() -> None:
    from leadkit.builtins.publishers import slack_post
    from leadkit.present.publish import PublishContext

    pasted = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" * 2
    team = Team(lead="jamie", members=["owen", "priya"])
    team.people["owen"] = dataclasses.replace(team.people["owen"], name=f"Owen {pasted}")
    for n in range(3):
        team.pr(
            41 + n,
            author="owen",
            paths=["p/x.py"],
            created=ago(5),
            requests=[request("jamie", ago(5))],
        )
    report = team.report()
    with FakeSlack() as slack:
        context = PublishContext(
            report, {"SLACK_WEBHOOK_URL": slack.webhook}, team.config(), lambda *_: ""
        )
        assert "posted the digest" in slack_post(report, context)
        [payload] = slack.posts
    assert pasted not in json.dumps(payload, ensure_ascii=False)
    assert "Owen *\u200b*\u200b*\u200b has waited" in mrkdwn(payload)  # masked, then escaped
