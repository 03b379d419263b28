"""What wikitext shows a reader: templates rendered roughly, nodes flattened to plain text.

Most templates print nothing in running text; a few that print words
(``{{convert}}``, ``{{lang}}``, ``{{nowrap}}``, ``{{as of}}``...) are
rendered roughly, so that claims read as they do on the page.
"""

from __future__ import annotations

from typing import Final

from ._wikiscan import Node, _scan

_RANGE_WORDS: Final = {"-": "–", "–": "–", "to": "to", "and": "and", "or": "or", "by": "by"}
_FIRST_PARAM: Final = frozenset(
    """
    nowrap nobr nowr small smaller big larger em strong var abbr tooltip sic ill
    visible anchor nbsp-separated lang-en un transl mono keypress code
    """.split()
)
_FIXED_TEXT: Final = {
    "'": "'",
    "'s": "'s",
    "snd": " – ",
    "spnd": " – ",
    "ndash": "–",
    "mdash": "—",
    "nbsp": " ",
    "!": "|",
    "=": "=",
    "dot": " · ",
    "·": " · ",
}


def _template_name(name: str) -> str:
    name = " ".join(name.replace("_", " ").split()).lower()
    return name[len("template:") :] if name.startswith("template:") else name


def _positional(params: list[tuple[str | None, str]]) -> list[str]:
    return [_plain(value).strip() for key, value in params if key is None or key.isdigit()]


def _template_text(name: str, params: list[tuple[str | None, str]]) -> str:
    """Roughly what a template prints in running text ('' for most)."""
    name = _template_name(name)
    if name in _FIXED_TEXT:
        return _FIXED_TEXT[name]
    args = _positional(params)
    if not args:
        return ""
    if name in ("convert", "cvt"):
        if len(args) >= 4 and args[1] in _RANGE_WORDS:
            word = _RANGE_WORDS[args[1]]
            joined = f"{args[0]}{word}{args[2]}" if word == "–" else f"{args[0]} {word} {args[2]}"
            return f"{joined} {args[3]}"
        return f"{args[0]} {args[1]}" if len(args) >= 2 else args[0]
    if name == "lang":
        return args[1] if len(args) >= 2 else ""
    if name.startswith("lang-") or name in _FIRST_PARAM:
        return args[0]
    if name == "as of":
        return "As of " + " ".join(args[:3])
    if name in ("circa", "c."):
        return "c. " + args[0]
    if name in ("us$", "usd"):
        return "US$" + args[0]
    return ""


def _plain(wikitext: str) -> str:
    """The readable text of a snippet of wikitext (a title, a template parameter)."""
    out: list[str] = []
    _plain_nodes(_scan(wikitext), out)
    return " ".join("".join(out).split())


def _plain_nodes(nodes: list[Node], out: list[str]) -> None:
    for node in nodes:
        if node.kind in ("text", "entity"):
            out.append(node.text)
        elif node.kind in ("wikilink", "extlink", "tag"):
            if node.children is not None:
                _plain_nodes(node.children, out)
            elif node.kind == "wikilink":
                out.append(node.text.lstrip(":").split("|")[-1])
        elif node.kind == "template":
            out.append(_template_text(node.text, node.params))
        elif node.kind in ("br", "para", "list"):
            out.append(" ")


def _plain_nodes_text(nodes: list[Node]) -> str:
    out: list[str] = []
    _plain_nodes(nodes, out)
    return " ".join("".join(out).split())
