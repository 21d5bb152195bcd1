"""Text from data, shown as itself where Streamlit renders Markdown.

Streamlit renders Markdown in st.markdown, captions, alerts, subheaders and metric labels, with its own extras
(:smile: emoji, :material/icon: icons, :red[...] colour, $maths$). Names come from users' files and forms: a
consultation concern, a grant recipient, a priority or an event. "Drugs *dealing*" would show in italics,
"- dash" as a bullet, "---" as a rule. `plain` makes such text render as exactly what was typed; the sentences
the core writes (plain text, as the command line prints them) go through it on the pages too. (Tables are
HTML, escaped as HTML by components/tables.py, and need none of this.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A backslash before a character keeps it literal. Only the characters that can start markup are escaped, so the
# text stays readable where it is read as data (AppTest): "Anti-social behaviour" and "Tom & Jerry" are left alone.
_INLINE_MARKUP = re.compile(
    r":[^\s:]+:"  # Streamlit's :smile: and :material/info: icons
    r"|:(?=[A-Za-z]+\[)"  # Streamlit's :red[...] colour
    r"|[\\`*\[\]<>~$]"  # emphasis, code, links and images, html, strike-through, maths
    r"|(?<!\w)_|_(?!\w)"  # emphasis by underscore (never inside a word, so a URL's a_b_c stays as it is)
    r"|&(?=#?\w+;)")  # &amp; and &#42; (an entity would be decoded)
_LINE_START_MARKUP = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")  # headings, quotes, lists, rules (a cell is one line)


def _escape_inline(match: re.Match) -> str:
    found = match.group(0)
    if len(found) > 1:  # a :shortcode:, whose inside may need escaping too; "\/" keeps :material/icon: as text
        inside = _INLINE_MARKUP.sub(_escape_inline, found[1:-1]).replace("/", "\\/")
        return "\\:" + inside + "\\:"
    return "\\" + found


def plain(value: object) -> str:
    """The value as Markdown that renders as exactly its text (one line: a line break becomes a space)."""
    text = _INLINE_MARKUP.sub(_escape_inline, " ".join(str(value).splitlines()))
    return _LINE_START_MARKUP.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def bold(text: object) -> str:
    """The text in bold, as typed."""
    return f"**{plain(str(text).strip())}**"


def bullets(lines: Iterable[object]) -> str:
    """A bulleted list, each line as typed."""
    return "\n".join(f"- {plain(line)}" for line in lines)
