"""Wikipedia wikitext -> a Document: ``<ref>`` tags, citation templates, readable claims.

The source is cut into nodes (text, templates, links, ``<ref>`` tags,
headings...), each with its offsets in the input, by `mwparserfromhell
<https://github.com/earwig/mwparserfromhell>`_ when it is installed (the
``wiki`` extra) and otherwise by a built-in scanner that handles the common
cases. Either way the nodes are then read the same way:

* a ``<ref>`` cites from the sentence it ends; references are numbered as
  MediaWiki numbers them (in order of first use, a named ref reused with
  ``<ref name="a" />`` keeps its number; groups are numbered apart);
* a ref's URL is its citation template's ``doi`` (as ``https://doi.org/...``),
  else its ``url`` (or ``arxiv``, ``pmid``, ``pmc``, ``hdl``), else its first
  ``[http://url title]`` link or bare URL; its title is the template's
  ``title`` or the link's text;
* claim text is what a reader sees: ``[[Link|text]]`` is ``text``, bold and
  italics lose their quotes, most templates vanish and a few that print
  words (``{{convert}}``, ``{{lang}}``, ``{{nowrap}}``...) are rendered
  roughly; files, categories, tables and the reference, "External links",
  "See also" and "Further reading" sections are not claims.
"""

from __future__ import annotations

import html
import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Final

from ._formats import (
    _REFERENCE_HEADINGS_RE,
    Refs,
    Visible,
    clean_title,
    doi_url,
    entry_url,
    find_urls,
    finish,
    reference_url,
)
from ._models import Document, RefId

__all__ = ["parse_wikitext"]


@dataclass
class Node:
    """A piece of wikitext at ``[start, end)`` of the input.

    ``kind`` is one of ``text``, ``entity``, ``template``, ``wikilink``,
    ``extlink``, ``ref``, ``references``, ``heading``, ``list``, ``br``,
    ``para``, ``tag`` (formatting around ``children``) and ``skip``.
    """

    kind: str
    start: int
    end: int
    text: str = ""  # text, entity: what is shown; wikilink: target; extlink: URL; list: markers
    children: list[Node] | None = None  # link label, heading title, tag contents
    params: list[tuple[str | None, str]] = field(default_factory=list)  # template
    level: int = 0  # heading


# --- the built-in scanner -----------------------------------------------------------------

_HEADING_LINE_RE: Final = re.compile(r"(={1,6})(.+?)(={1,6})[ \t]*(?:<!--.*?-->[ \t]*)*$", re.M)
_LIST_RE: Final = re.compile(r"[*#:;]+")
_HR_RE: Final = re.compile(r"-{4,}")
_TAG_RE: Final = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>"
)
_ENTITY_RE: Final = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_MAGIC_RE: Final = re.compile(r"__[A-Z]+__")
_QUOTES_RE: Final = re.compile(r"'{2,5}")
_EXTLINK_START_RE: Final = re.compile(r"\[(?:https?:)?//", re.IGNORECASE)
_SKIP_CONTENT: Final = frozenset(
    """
    math gallery score syntaxhighlight source timeline imagemap templatedata graph mapframe
    maplink chem ce hiero inputbox categorytree charinsert indicator
    """.split()
)
_BLOCK_TAGS: Final = frozenset({"p", "div", "blockquote", "center", "table", "ul", "ol", "li"})
_SPECIAL: Final = re.compile(r"<|\{\{|\[|'{2}|&|__|\n")


def _match_braces(text: str, i: int, end: int, open_: str, close: str) -> int:
    """End (exclusive) of the ``open_ ... close`` construct at ``i``, nesting aware, or -1."""
    depth = 0
    j = i
    while j < end:
        if text.startswith("<!--", j):
            stop = text.find("-->", j + 4, end)
            j = end if stop < 0 else stop + 3
            continue
        if text.startswith("<nowiki>", j):
            stop = text.find("</nowiki>", j, end)
            j = end if stop < 0 else stop + 9
            continue
        if text.startswith(open_, j):
            depth += 1
            j += len(open_)
            continue
        if text.startswith(close, j):
            depth -= 1
            j += len(close)
            if depth == 0:
                return j
            continue
        j += 1
    return -1


def _split_top(text: str) -> list[str]:
    """Split on ``|`` outside nested templates, links and tags."""
    parts: list[str] = []
    depth_t = depth_l = 0
    current = 0
    j = 0
    while j < len(text):
        if text.startswith("<!--", j):
            stop = text.find("-->", j + 4)
            j = len(text) if stop < 0 else stop + 3
            continue
        if text.startswith("{{", j):
            depth_t += 1
            j += 2
            continue
        if text.startswith("}}", j) and depth_t:
            depth_t -= 1
            j += 2
            continue
        if text.startswith("[[", j):
            depth_l += 1
            j += 2
            continue
        if text.startswith("]]", j) and depth_l:
            depth_l -= 1
            j += 2
            continue
        if text[j] == "|" and not depth_t and not depth_l:
            parts.append(text[current:j])
            current = j + 1
        j += 1
    parts.append(text[current:])
    return parts


def _template_params(inner: str) -> tuple[str, list[tuple[str | None, str]]]:
    parts = _split_top(inner)
    params: list[tuple[str | None, str]] = []
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if eq and "{{" not in key and "[[" not in key and "<" not in key:
            params.append((key.strip(), value))
        else:
            params.append((None, part))
    return parts[0].strip(), params


def _scan(text: str, start: int = 0, end: int | None = None) -> list[Node]:
    """The built-in scanner: wikitext nodes of ``text[start:end]``."""
    end = len(text) if end is None else end
    nodes: list[Node] = []
    plain = i = start

    def flush(stop: int) -> None:
        if plain < stop:
            nodes.append(Node("text", plain, stop, text[plain:stop]))

    while i < end:
        line_start = i == start or text[i - 1] == "\n"
        if line_start:
            found = _line_construct(text, i, end)
            if found is not None:
                flush(i)
                nodes.append(found)
                plain = i = found.end
                continue
        match = _SPECIAL.search(text, i, end)
        if match is None:
            break
        i = match.start()
        if text[i] == "\n":
            i += 1
            continue
        found = _inline_construct(text, i, end)
        if found is None:
            i += 1
            continue
        flush(i)
        nodes.append(found)
        plain = i = found.end
    flush(end)
    return nodes


def _line_construct(text: str, i: int, end: int) -> Node | None:
    char = text[i]
    if char == "=":
        heading = _HEADING_LINE_RE.match(text, i, end)
        if heading:
            level = min(len(heading.group(1)), len(heading.group(3)))
            title_start, title_end = i + level, heading.end(2) + len(heading.group(3)) - level
            return Node(
                "heading",
                i,
                heading.end(),
                children=_scan(text, title_start, title_end),
                level=level,
            )
    if text.startswith("{|", i):
        depth, j = 0, i
        while j < end:
            if text.startswith("{|", j) and (j == 0 or text[j - 1] == "\n"):
                depth += 1
            elif text.startswith("|}", j) and (j == 0 or text[j - 1] in "\n \t"):
                depth -= 1
                if depth == 0:
                    return Node("skip", i, j + 2)
            j += 1
        return Node("skip", i, end)
    if char in "*#:;":
        markers = _LIST_RE.match(text, i, end)
        assert markers is not None
        return Node("list", i, markers.end(), markers.group())
    if char == "-":
        rule = _HR_RE.match(text, i, end)
        if rule:
            return Node("para", i, rule.end())
    return None


def _inline_construct(text: str, i: int, end: int) -> Node | None:
    if text.startswith("<!--", i):
        stop = text.find("-->", i + 4, end)
        return Node("skip", i, end if stop < 0 else stop + 3)
    if text.startswith("{{", i):
        close = _match_braces(text, i, end, "{{", "}}")
        if close < 0:
            return None
        name, params = _template_params(text[i + 2 : close - 2])
        return Node("template", i, close, name, params=params)
    if text.startswith("[[", i):
        close = _match_braces(text, i, end, "[[", "]]")
        if close < 0:
            return None
        inner = text[i + 2 : close - 2]
        target, bar, _ = inner.partition("|")
        if bar and "[[" not in target and "{{" not in target:
            label_start = i + 2 + len(target) + 1
            return Node("wikilink", i, close, target, _scan(text, label_start, close - 2))
        return Node("wikilink", i, close, inner)
    if text[i] == "[":
        if not _EXTLINK_START_RE.match(text, i, end):
            return None
        close = text.find("]", i, end)
        newline = text.find("\n", i, end)
        if close < 0 or (0 <= newline < close):
            return None
        inner = text[i + 1 : close]
        url, space, _ = inner.partition(" ")
        label = _scan(text, i + 1 + len(url) + 1, close) if space else None
        return Node("extlink", i, close + 1, url, label)
    if text.startswith("''", i):
        quotes = _QUOTES_RE.match(text, i, end)
        assert quotes is not None
        return Node("skip", i, quotes.end())
    if text[i] == "&":
        entity = _ENTITY_RE.match(text, i, end)
        if entity:
            return Node("entity", i, entity.end(), html.unescape(entity.group()))
        return None
    if text.startswith("__", i):
        magic = _MAGIC_RE.match(text, i, end)
        return Node("skip", i, magic.end()) if magic else None
    return _tag(text, i, end)


def _tag(text: str, i: int, end: int) -> Node | None:
    match = _TAG_RE.match(text, i, end)
    if match is None:
        return None
    closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(4)
    if closing:
        return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())
    if name in ("ref", "references"):
        if self_closing:
            return Node(name, i, match.end())
        stop = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, match.end(), end)
        if stop is None:
            return Node("skip", i, match.end())
        return Node(name, i, stop.end(), text[match.end() : stop.start()])
    if name in ("nowiki", "pre") or name in _SKIP_CONTENT:
        if self_closing:
            return Node("skip", i, match.end())
        stop = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, match.end(), end)
        stop_end = end if stop is None else stop.end()
        if name in _SKIP_CONTENT:
            return Node("skip", i, stop_end)
        inner_end = end if stop is None else stop.start()
        return Node("text", i, stop_end, text[match.end() : inner_end])
    if name == "br":
        return Node("br", i, match.end())
    return Node("para" if name in _BLOCK_TAGS else "skip", i, match.end())


# --- the mwparserfromhell engine ----------------------------------------------------------


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


def _nodes(text: str, engine: str) -> list[Node]:
    if engine not in ("auto", "mwparserfromhell", "builtin"):
        raise ValueError(f"unknown wikitext engine {engine!r}")
    if engine != "builtin":
        module = _mwparser()
        if module is None:
            if engine == "mwparserfromhell":
                raise ImportError("mwparserfromhell is not installed: pip install 'srcscore[wiki]'")
        else:
            try:
                found = _scan_mw(module, text)
            except Exception:  # a parser bug must not lose the document: use the scanner
                if engine == "mwparserfromhell":
                    raise
                found = None
            if found is not None:
                return found
    return _scan(text)


# --- templates ----------------------------------------------------------------------------

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


# --- references ---------------------------------------------------------------------------

_ATTR_RE: Final = re.compile(r"([a-zA-Z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'/>]+))")
_REF_OPEN_RE: Final = re.compile(r"<ref\b((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", re.IGNORECASE)
_REF_CLOSE_RE: Final = re.compile(r"</ref\s*>", re.IGNORECASE)
_HIDDEN_RE: Final = re.compile(
    r"<!--.*?(?:-->|\Z)|<nowiki\s*>.*?(?:</nowiki\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_DEFINITIONS_RE: Final = re.compile(
    r"<references\b[^<>]*?(?<!/)>.*?(?:</references\s*>|\Z)|\{\{\s*(?:reflist|references)\s*\|",
    re.IGNORECASE | re.DOTALL,
)
_CITATION_NAMES: Final = ("cite ", "citation", "vcite", "vancite", "harvc")
_ID_URLS: Final = (
    ("arxiv", "https://arxiv.org/abs/{}"),
    ("pmid", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    ("pmc", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{}/"),
    ("hdl", "https://hdl.handle.net/{}"),
)
_ALPHA: Final = "abcdefghijklmnopqrstuvwxyz"
_ROMAN: Final = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None).strip()
        for m in _ATTR_RE.finditer(raw)
    }


def _group_label(group: str, number: int) -> RefId:
    """How MediaWiki labels the ``number``-th ref of ``group``: 3, "a", "iv", "note 2"."""
    if not group:
        return number
    if group in ("lower-alpha", "upper-alpha"):
        label, n = "", number
        while n > 0:
            n, rest = divmod(n - 1, 26)
            label = _ALPHA[rest] + label
        return label.upper() if group.startswith("upper") else label
    if group in ("lower-roman", "upper-roman"):
        label, n = "", number
        for value, letters in _ROMAN:
            while n >= value:
                label, n = label + letters, n - value
        return label.upper() if group.startswith("upper") else label
    return f"{group} {number}"


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _definition_ranges(text: str) -> list[tuple[int, int]]:
    ranges = []
    for match in _DEFINITIONS_RE.finditer(text):
        if match.group().startswith("<"):
            ranges.append((match.start(), match.end()))
        else:
            close = _match_braces(text, match.start(), len(text), "{{", "}}")
            ranges.append((match.start(), len(text) if close < 0 else close))
    return ranges


@dataclass
class _RefTable:
    """Every ``<ref>`` of a page: the key each tag cites and each key's id and content."""

    key_at: dict[int, str] = field(default_factory=dict)
    label_at: dict[int, str] = field(default_factory=dict)
    ids: dict[str, RefId] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)


def _ref_table(text: str) -> _RefTable:
    """Number the refs in order of first use, as MediaWiki does, and find their contents."""
    visible = _blank(text, _HIDDEN_RE)
    definitions = _definition_ranges(visible)
    table = _RefTable()
    counters: dict[str, int] = {}
    anonymous = 0
    for match in _REF_OPEN_RE.finditer(visible):
        attrs = _attrs(match.group(1))
        name, group = attrs.get("name", ""), attrs.get("group", "")
        content = ""
        if not match.group(2):
            close = _REF_CLOSE_RE.search(visible, match.end())
            if close is not None:
                content = text[match.end() : close.start()]
        if name:
            key = f"ref:{group}:{name}"
            label = f'<ref name="{name}" />'
        else:
            anonymous += 1
            key = f"ref:{group}:#{anonymous}"
            label = "<ref>"
        if content.strip():
            table.contents.setdefault(key, content)
        if any(a <= match.start() < b for a, b in definitions):
            continue  # a list-defined ref: its definition, not a use
        table.key_at[match.start()] = key
        table.label_at[match.start()] = label
        if key not in table.ids:
            counters[group] = counters.get(group, 0) + 1
            table.ids[key] = _group_label(group, counters[group])
    return table


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


def citation(content: str) -> tuple[str | None, str | None]:
    """The URL and title of a ref's content (a citation template, a link, a bare URL)."""
    nodes = _scan(content)
    for node in nodes:
        if node.kind != "template":
            continue
        name = _template_name(node.text)
        params = {
            key.strip().lower(): _strip_comments(value).strip()
            for key, value in node.params
            if key is not None
        }
        if name == "doi":
            args = _positional(node.params)
            if args and args[0]:
                return doi_url(args[0]), None
        if not name.startswith(_CITATION_NAMES):
            continue
        named = clean_title(_plain(params.get("title") or params.get("script-title") or ""))
        named = named or clean_title(_plain(params.get("chapter", "")))
        doi = params.get("doi", "")
        if doi:
            return doi_url(doi), named
        cite_url = params.get("url", "")
        if cite_url:
            return reference_url(cite_url), named
        if name == "cite tweet" and params.get("user") and params.get("number"):
            return f"https://twitter.com/{params['user']}/status/{params['number']}", named
        for key, pattern in _ID_URLS:
            value = params.get(key, "")
            if value:
                return pattern.format(value.removeprefix("PMC")), named
        return None, named
    links = [(node.text, node.children) for node in nodes if node.kind == "extlink"]
    text = _plain(content)
    url = entry_url(content, [reference_url(u) for u, _ in links])
    title: str | None = None
    for link_url, label in links:
        if label is not None and reference_url(link_url) == url:
            words: list[str] = []
            _plain_nodes(label, words)
            title = "".join(words)
    if title is None:
        rest = text
        for a, b, _ in reversed(find_urls(text)):
            rest = rest[:a] + rest[b:]
        title = rest
    return url, clean_title(title)


def _strip_comments(value: str) -> str:
    return _HIDDEN_RE.sub("", value)


# --- rendering ----------------------------------------------------------------------------

_SKIP_LINK_PREFIXES: Final = ("file:", "image:", "category:", "media:")
_INTERWIKI_RE: Final = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*:", re.IGNORECASE)


class _Renderer:
    def __init__(self, source: str, table: _RefTable) -> None:
        self.source = source
        self.table = table
        self.vis = Visible()
        self.refs = Refs()
        self.skip_level = 0

    def top(self, nodes: list[Node]) -> None:
        for node in nodes:
            if node.kind == "heading":
                title = _plain_nodes_text(node.children or [])
                if self.skip_level and node.level > self.skip_level:
                    continue
                self.skip_level = node.level if _REFERENCE_HEADINGS_RE.match(title) else 0
                if not self.skip_level:
                    self.vis.paragraph()
                    start = self.vis.pos
                    self.render(node.children or [])
                    self.vis.titles.append((start, self.vis.pos))
                    self.vis.paragraph()
                continue
            if not self.skip_level:
                self.render([node])

    def render(self, nodes: list[Node]) -> None:
        vis = self.vis
        for node in nodes:
            kind = node.kind
            if kind == "text":
                if node.text == self.source[node.start : node.end]:
                    cursor = 0  # magic words (__NOTOC__) print nothing
                    for magic in _MAGIC_RE.finditer(node.text):
                        piece = node.text[cursor : magic.start()]
                        vis.prose(piece, node.start + cursor, self.refs)
                        cursor = magic.end()
                    vis.prose(node.text[cursor:], node.start + cursor, self.refs)
                else:
                    vis.add(node.text, node.start, node.end)
            elif kind == "entity":
                vis.add(node.text, node.start, node.end)
            elif kind == "template":
                vis.add(_template_text(node.text, node.params), node.start, node.end)
            elif kind == "wikilink":
                self._wikilink(node)
            elif kind == "extlink":
                url = reference_url(node.text if "://" in node.text else "https:" + node.text)
                start = vis.pos
                vis.cite(self.refs.link(url))
                if node.children:
                    self.render(node.children)
                    vis.links.append((start, vis.pos))
            elif kind == "ref":
                key = self.table.key_at.get(node.start)
                if key is not None:
                    vis.cite(key, self.table.label_at[node.start])
            elif kind == "list":
                if vis.chars[-2:] != ["-", " "]:  # "**" may come as one node or two
                    vis.newline()
                    if node.text[-1] in "*#":
                        vis.add("- ", node.start, node.end)
            elif kind == "br":
                vis.newline()
            elif kind == "para":
                vis.paragraph()
            elif kind == "tag" and node.children is not None:
                self.render(node.children)
            elif kind == "heading":
                vis.paragraph()
                start = vis.pos
                self.render(node.children or [])
                vis.titles.append((start, vis.pos))
                vis.paragraph()

    def _wikilink(self, node: Node) -> None:
        target = node.text.strip()
        low = target.lower()
        if low.startswith(_SKIP_LINK_PREFIXES) or (
            _INTERWIKI_RE.match(target) and not low.startswith(":")
        ):
            return
        if node.children is not None:
            self.render(node.children)
            return
        shown = target.lstrip(":")
        at = self.source.find(shown, node.start, node.end)
        self.vis.add(shown, at if at >= 0 else node.start, -1 if at >= 0 else node.end)


def _plain_nodes_text(nodes: list[Node]) -> str:
    out: list[str] = []
    _plain_nodes(nodes, out)
    return " ".join("".join(out).split())


def parse_wikitext(text: str, *, base_url: str | None = None, engine: str = "auto") -> Document:
    """Read Wikipedia wikitext into a Document.

    ``engine`` is ``"auto"`` (mwparserfromhell when installed, else the
    built-in scanner), ``"mwparserfromhell"`` or ``"builtin"``.
    """
    table = _ref_table(text)
    nodes = _nodes(text, engine)
    renderer = _Renderer(text, table)
    renderer.top(nodes)
    for key, ref_id in table.ids.items():
        content = table.contents.get(key)
        if content is None:
            continue  # used, never defined: claims citing it get a warning
        url, title = citation(content)
        renderer.refs.define(key, url, title, ref_id)
    return finish(renderer.vis, renderer.refs, text, [], base_url)
