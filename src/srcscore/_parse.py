"""Plain text and Markdown with ``[n]`` markers and a reference list -> a Document."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ._exceptions import InputError
from ._models import Claim, Document, Reference, RefId

__all__ = ["parse_text"]

_HEADING_RE: Final = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(references|sources|notes|citations|bibliography|"
    r"works cited|footnotes|links|endnotes)\s*(?:\*\*|__)?\s*:?\s*$",
    re.IGNORECASE,
)
_REF_LINE_RE: Final = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\[(\d{1,4})\]|(\d{1,4})[.)]|\^(\d{1,4})[.:]?)\s*:?\s*(.*?)\s*$"
)
_URL_RE: Final = re.compile(r"(?:https?://|//|www\.)[^\s<>\"'\]]+", re.IGNORECASE)
_MARKER_RE: Final = re.compile(r"\[(\d{1,4}(?:\s*[-–—,;]\s*\d{1,4})*)\]")
_MARKER_RUN_RE: Final = re.compile(r"(?:[ \t]*\[\d{1,4}(?:\s*[-–—,;]\s*\d{1,4})*\])+")
# End of sentence: terminal punctuation, closing quotes or brackets, then markers.
_END_RE: Final = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?:[ \t]*\[\d{1,4}(?:\s*[-–—,;]\s*\d{1,4})*\])*(?=\s|$)"
    r"|[。！？]+(?:\[\d{1,4}(?:\s*[-–—,;]\s*\d{1,4})*\])*"
)
_ABBREVIATIONS: Final = frozenset(
    """
    mr mrs ms dr prof sr jr st mt inc ltd co corp plc llc vs v e.g i.e etc al fig figs
    no nos vol pp p ed eds approx est dept gov gen col lt sgt capt rep sen jan feb mar
    apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m ph.d b.a m.a cf ca
    """.split()
)
_NEXT_CHAR_RE: Final = re.compile(r"\S")
_LAST_WORD_RE: Final = re.compile(r"([\w.]+)$")
_INITIALS_RE: Final = re.compile(r"(?:[a-z]\.)*[a-z]")
_BULLET_RE: Final = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_NEW_ITEM_RE: Final = re.compile(r"^\s*(?:[-*•+]|\d+[.)]|#)\s")
_SPACE_BEFORE_PUNCT_RE: Final = re.compile(r"\s+([.,;:!?])")
_DOUBLE_STOP_RE: Final = re.compile(r"(?<!\.)\.\.(?!\.)")
_SPACES_RE: Final = re.compile(r"\s+")
_MAX_RANGE: Final = 100
_TITLE_MAX_WORDS: Final = 12


def _expand(group: str, warnings: list[str]) -> list[int]:
    ids: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group.strip()):
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2:
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo > hi or hi - lo >= _MAX_RANGE:
                warnings.append(f"marker range [{part}] ignored: not a short ascending range")
                continue
            ids.extend(range(lo, hi + 1))
        elif part:
            ids.append(int(bounds[0]))
    return ids


def _split_reference_section(lines: list[str]) -> int | None:
    """Index of the first line of the reference list (after its heading), or None."""
    for index in range(len(lines) - 1, -1, -1):
        if _HEADING_RE.match(lines[index]):
            following = [ln for ln in lines[index + 1 :] if ln.strip()]
            if following and _REF_LINE_RE.match(following[0]):
                return index
    # No heading: the last run of numbered lines that carry URLs.
    start = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if _REF_LINE_RE.match(line) and _URL_RE.search(line):
            start = index
        elif line.strip() and start is not None:
            break
    return None if start is None else start - 1


def _parse_references(lines: list[str]) -> list[Reference]:
    refs: list[Reference] = []
    for line in lines:
        match = _REF_LINE_RE.match(line)
        url_match = _URL_RE.search(line)
        if match is None:
            # A URL on its own line completes a reference that had only a title.
            if url_match and refs and refs[-1].url is None and line.strip() == url_match.group():
                refs[-1] = Reference(refs[-1].id, url_match.group(), refs[-1].title)
                continue
            if line.strip():
                break  # the list is over; what follows is page boilerplate
            continue
        number = int(next(g for g in match.groups()[:3] if g is not None))
        rest = match.group(4)
        url = url_match.group() if url_match else None
        title = rest.replace(url, "") if url else rest
        title = title.strip(" \t.-–—:|,;<>") or None
        refs.append(Reference(number, url, title))
    return refs


def _is_boundary(text: str, end_start: int, end_stop: int, stop: int) -> bool:
    """Tell whether the terminal punctuation at ``end_start`` really ends a sentence."""
    if text[end_start] in "。！？":
        return True
    nxt = _NEXT_CHAR_RE.search(text, end_stop, stop)
    if nxt is None:
        return True
    first = nxt.group()
    if not (first.isupper() or first.isdigit() or first in "\"'“‘([*#-"):
        return False
    if text[end_start] != ".":
        return True
    word = _LAST_WORD_RE.search(text, max(0, end_start - 12), end_start)
    if word is None:
        return True
    token = word.group(1).lower().strip(".")
    if token in _ABBREVIATIONS:
        return False
    # Initials: "J. Smith", "U.S." style runs of single letters.
    return not _INITIALS_RE.fullmatch(token)


def _is_title(block: str) -> bool:
    stripped = block.strip()
    if stripped.startswith("#"):
        return True
    if _MARKER_RE.search(stripped) or stripped[-1:] in ".!?…。！？:;\"”'’)":
        return False
    return len(stripped.split()) <= _TITLE_MAX_WORDS


def _blocks(body: str) -> list[tuple[int, int]]:
    """Paragraph spans: lines join unless a line ends a sentence or starts a new item."""
    spans: list[tuple[int, int]] = []
    start = None
    pos = 0
    previous = ""
    for line in body.splitlines(keepends=True):
        content = line.strip()
        new_item = bool(_NEW_ITEM_RE.match(line))
        if not content or new_item or (start is not None and _ends_sentence(previous)):
            if start is not None:
                spans.append((start, pos))
            start = None
        if content and start is None:
            start = pos + (len(line) - len(line.lstrip()))
        previous = content
        pos += len(line)
    if start is not None:
        spans.append((start, pos))
    return spans


def _ends_sentence(line: str) -> bool:
    return bool(line) and (line[-1] in ".!?…。！？:" or line.endswith("]"))


def _sentences(body: str, start: int, stop: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = start
    for match in _END_RE.finditer(body, start, stop):
        if _is_boundary(body, match.start(), match.end(), stop):
            out.append((cursor, match.end()))
            cursor = match.end()
    if body[cursor:stop].strip():
        out.append((cursor, stop))
    return [_trim(body, a, b) for a, b in out if body[a:b].strip()]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _clean_claim(sentence: str) -> str:
    text = _MARKER_RE.sub("", sentence)
    text = _BULLET_RE.sub("", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    # "the U.S. [1]." loses its marker: keep one full stop, but leave an ellipsis alone.
    text = _DOUBLE_STOP_RE.sub(".", text)
    return _SPACES_RE.sub(" ", text).strip()


def parse_text(text: str, references: Sequence[Reference] | None = None) -> Document:
    """Segment a text into claims and read its reference list.

    Sentences become claims; a marker belongs to the sentence it ends (also
    when it follows the full stop); lines after the reference list are page
    boilerplate and are dropped; marker numbers with no reference and
    references never cited are reported in ``warnings``. When ``references``
    is given (a JSON document's list), markers cite those by id and the text's
    own list, if any, is ignored.
    """
    if not isinstance(text, str):
        raise InputError(f"text: expected str, got {type(text).__name__}")
    lines = text.splitlines(keepends=True)
    warnings: list[str] = []
    heading = _split_reference_section(lines)
    if heading is None:
        body, refs = text, []
    else:
        body = "".join(lines[:heading])
        refs = _parse_references([ln.rstrip("\r\n") for ln in lines[heading + 1 :]])
    if references is not None:
        if refs:
            warnings.append("the text's own reference list was ignored: 'references' was given")
        refs = list(references)
    # Markers are numbers; ids given as JSON may be strings ("1"): match on the text.
    numbers: dict[int, RefId] = {}
    for ref in refs:
        key = str(ref.id).strip()
        if key.isdigit():
            numbers.setdefault(int(key), ref.id)
    cited: set[RefId] = set()
    claims: list[Claim] = []
    for block_start, block_stop in _blocks(body):
        if _is_title(body[block_start:block_stop]):
            continue
        for a, b in _sentences(body, block_start, block_stop):
            sentence = body[a:b]
            clean = _clean_claim(sentence)
            if not any(c.isalpha() for c in clean):
                continue
            ids: list[RefId] = []
            for group in _MARKER_RE.findall(sentence):
                for number in _expand(group, warnings):
                    if number not in numbers:
                        warnings.append(
                            f"claim {len(claims) + 1} cites [{number}], "
                            "which is not in the reference list"
                        )
                    elif numbers[number] not in ids:
                        ids.append(numbers[number])
            cited.update(ids)
            claims.append(Claim(clean, tuple(ids), (a, b)))
    for ref in refs:
        if ref.id not in cited and str(ref.id).strip().isdigit():
            warnings.append(f"reference [{ref.id}] is never cited")
    if not claims:
        warnings.append("no claims found in the text")
    return Document(tuple(claims), tuple(refs), text=text, warnings=tuple(warnings))
