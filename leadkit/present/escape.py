"""Making tracker text (titles, names, paths) inert wherever it is rendered.

A PR title must not inject markdown, HTML or links into a comment, nor
@-mention anyone, nor move a terminal's cursor.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

from leadkit.secrets import redact

_INVISIBLE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls, but tab and newline
    "\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"  # bidi overrides, zero-width
)
_ANSI = r"\x1b\[[0-9;?]*[A-Za-z]"
_CONTROL = re.compile(rf"{_ANSI}|[{_INVISIBLE}]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
ZWSP = "\u200b"
_CONTROL_BUT_ZWSP = re.compile(rf"{_ANSI}|(?!{ZWSP})[{_INVISIBLE}]")


def visible(text: str, *, keep_zwsp: bool = False) -> str:
    """``text`` without terminal escapes, C0/C1 controls (tab and newline stay),
    bidirectional overrides and zero-width characters.

    Tracker text can carry these to reorder what a reader sees (U+202E makes
    ``exe.txt`` read ``txt.exe``) or to hide words. ``keep_zwsp`` keeps U+200B,
    for a whole rendered output in which :func:`md` put it to break mentions.
    """
    return (_CONTROL_BUT_ZWSP if keep_zwsp else _CONTROL).sub("", text)


def visible_all(value: Any) -> Any:
    """``value`` (JSON-shaped: dicts, lists, strings) with :func:`visible` applied to every string."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {visible_all(k): visible_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [visible_all(v) for v in value]
    return value


def plain(text: str | None) -> str:
    """One line of text with control and invisible characters removed and secrets masked.

    Every escaper starts here, so a secret is masked before escaping could
    disguise it (markdown turns ``ghp_x`` into ``ghp\\_x``, which no later pass
    would recognise).
    """
    if not text:
        return ""
    return redact(visible(text)).replace("\n", " ").replace("\r", " ").strip()


def md(text: str | None) -> str:
    """Text that renders literally in GitHub-flavoured markdown: no markup, links, HTML or mentions."""
    value = plain(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = value.replace("@", "@" + ZWSP)
    # Break bare URLs and www. so they are not autolinked, and issue refs like #12.
    value = re.sub(r"(?i)(https?|ftp|mailto):", lambda m: m.group(1) + ZWSP + ":", value)
    value = re.sub(r"(?i)\bwww\\\.", "www" + ZWSP + "\\.", value)
    value = value.replace("\\#", "\\#" + ZWSP)
    return value


def slack(text: str | None) -> str:
    """Text that shows literally in Slack's mrkdwn: no links, no ``<!channel>``/``<!here>``,
    no ``<@U…>`` or ``@name`` mentions, no markup.

    Slack reads only ``<``, ``>`` and ``&`` as control characters (escaped as
    entities); ``@`` gets a zero-width space so a plain ``@channel`` or
    ``@name`` never notifies, and one after each ``*``, ``_``, ``~`` and
    backtick so they cannot open bold, italics, strikethrough or code.
    """
    value = plain(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("@", "@" + ZWSP)
    return re.sub(r"([*_~`])", "\\1" + ZWSP, value)


def md_url(url: str | None) -> str | None:
    """A URL safe to put in a markdown link target, or None when it is not http(s)."""
    if not url or not re.match(r"^https?://[^\s<>()\[\]`\"']+$", url):
        return None
    return url


def html(text: str | None) -> str:
    """Text escaped for HTML bodies and attributes."""
    return _html.escape(plain(text), quote=True)


_MERMAID_LOOKALIKES = str.maketrans(
    {
        '"': "\u201d",  # would close a quoted label
        "`": "\u2018",  # markdown code fences
        "\\": "/",
        "%": "\uff05",  # %% starts a comment or an %%{init}%% directive
        "#": "\uff03",  # #quot; style entity codes
        ";": ",",
        "<": "\u2039",
        ">": "\u203a",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
    }
)


def mermaid(text: str | None, limit: int = 40) -> str:
    """A label safe inside a quoted Mermaid string: one line, no quote, fence, comment or entity."""
    value = plain(text).translate(_MERMAID_LOOKALIKES)
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "\u2026"
    return value
