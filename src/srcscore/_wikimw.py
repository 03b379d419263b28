"""Wikitext -> nodes with `mwparserfromhell <https://github.com/earwig/mwparserfromhell>`_.

The optional engine of :mod:`._wikitext` (the ``wiki`` extra): its parse
tree is converted to the :class:`~._wikiscan.Node` list the built-in scanner
makes, with the same offsets into the input.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._wikiscan import _BLOCK_TAGS, _SKIP_CONTENT, Node


def _mwparser() -> Any:
    """The mwparserfromhell module, or None when it is not installed."""
    try:
        return importlib.import_module("mwparserfromhell")
    except ImportError:
        return None


def _scan_mw(module: Any, text: str) -> list[Node] | None:
    """Nodes of ``text`` from mwparserfromhell, or None if it does not round-trip."""
    code = module.parse(text, skip_style_tags=False)
    if str(code) != text:
        return None
    return _convert(code.nodes, 0)


def _convert(nodes: Any, offset: int) -> list[Node]:
    out: list[Node] = []
    pos = offset
    for node in nodes:
        raw = str(node)
        s, e = pos, pos + len(raw)
        pos = e
        kind = type(node).__name__
        if kind == "Text":
            out.append(Node("text", s, e, raw))
        elif kind == "HTMLEntity":
            out.append(Node("entity", s, e, str(node.normalize())))
        elif kind == "Heading":
            heading = _convert(node.title.nodes, s + int(node.level))
            out.append(Node("heading", s, e, children=heading, level=int(node.level)))
        elif kind == "Template":
            params = [
                (str(p.name).strip() if p.showkey else None, str(p.value)) for p in node.params
            ]
            out.append(Node("template", s, e, str(node.name).strip(), params=params))
        elif kind == "Wikilink":
            target = str(node.title)
            label = None
            if node.text is not None:
                label = _convert(node.text.nodes, s + 2 + len(target) + 1)
            out.append(Node("wikilink", s, e, target, label))
        elif kind == "ExternalLink":
            url = str(node.url)
            if not node.brackets:
                out.append(Node("text", s, e, raw))
                continue
            label = None
            if node.title is not None:
                gap = 0 if getattr(node, "suppress_space", False) else 1
                label = _convert(node.title.nodes, s + 1 + len(url) + gap)
            out.append(Node("extlink", s, e, url, label))
        elif kind == "Tag":
            out.append(_convert_tag(node, raw, s, e))
        else:  # Comment, Argument, anything new
            out.append(Node("skip", s, e))
    return out


def _convert_tag(node: Any, raw: str, s: int, e: int) -> Node:
    name = str(node.tag).strip().lower()
    markup = node.wiki_markup
    if markup and markup[0] in "*#:;":
        return Node("list", s, e, str(markup))
    if markup == "----":
        return Node("para", s, e)
    if name == "br":
        return Node("br", s, e)
    if name == "table" or name in _SKIP_CONTENT:
        return Node("skip", s, e)
    contents = "" if node.self_closing else str(node.contents)
    if markup:
        closing = str(node.closing_wiki_markup or "")
        contents_start = e - len(closing) - len(contents)
    else:
        contents_start = s + raw.rfind("</") - len(contents) if not node.self_closing else e
    if name in ("ref", "references"):
        return Node(name, s, e, contents)
    if name in ("nowiki", "pre"):
        return Node("text", s, e, contents)
    children = [] if node.self_closing else _convert(node.contents.nodes, contents_start)
    kind = "para" if name in _BLOCK_TAGS and not children else "tag"
    return Node(kind, s, e, name, children)
