"""Making tracker text (titles, names, paths) inert wherever it is rendered.

A PR title must not inject markdown, HTML or links into a comment, nor
@-mention anyone, nor move a terminal's cursor.
"""

from __future__ import annotations

import html as _html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-9;?]*[A-Za-z]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
ZWSP = "\u200b"


def plain(text: str | None) -> str:
    """One line of text with terminal control sequences removed."""
    if not text:
        return ""
    return _CONTROL.sub("", text).replace("\n", " ").replace("\r", " ").strip()


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
