"""The ICANN public suffixes, walked label by label without parsing a URL.

The rules are tldextract's bundled snapshot (``suffix_list_urls=()``: never
fetched), read once through its public ``tlds`` list. tldextract answers the
same question, but for a bare host it first re-parses it as a URL, which costs
as much as everything else srcscore does for a host it has not seen. The walk
follows tldextract's trie exactly (tests compare the two on every rule of the
list and on random hosts): labels are matched from the right, punycode labels
decoded as tldextract decodes them, the longest rule wins, ``*.x`` rules take
one more label unless an ``!exception`` names it.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["label_walk", "split_host", "split_suffix"]


class _Rules(NamedTuple):
    suffixes: frozenset[str]  # plain rules: co.uk
    nodes: frozenset[str]  # every rule and every tail of one: the trie's nodes
    wildcards: frozenset[str]  # x for a *.x rule
    exceptions: frozenset[str]  # www.ck for a !www.ck rule


def _tails(rule: str) -> list[str]:
    labels = rule.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


_LOADED: list[_Rules] = []


def _rules() -> _Rules:
    # Not lru_cache: this runs once per new host, where a cache call is a cost.
    if not _LOADED:
        _LOADED.append(_load_rules())
    return _LOADED[0]


def _load_rules() -> _Rules:
    from ._urls import _extractor

    suffixes: set[str] = set()
    nodes: set[str] = set()
    wildcards: set[str] = set()
    exceptions: set[str] = set()
    for rule in _extractor().tlds:  # type: ignore[attr-defined]
        if rule.startswith("!"):
            exceptions.add(rule[1:])
            nodes.update(_tails(rule[1:])[1:])  # "!www.ck": a node for ck, none for www
        elif rule.startswith("*."):
            wildcards.add(rule[2:])
            nodes.update(_tails(rule[2:]))
        else:
            suffixes.add(rule)
            nodes.update(_tails(rule))
    return _Rules(*map(frozenset, (suffixes, nodes, wildcards, exceptions)))


def _decode(label: str) -> str:
    # As tldextract does: the list holds Unicode suffixes, hosts hold punycode.
    import idna

    try:
        return str(idna.decode(label))
    except (UnicodeError, IndexError):
        return label


def split_suffix(labels: list[str]) -> int:
    """Return the index of the first label of the public suffix of ``labels``.

    ``len(labels)`` when no rule matches (``localhost``, a bare ``ck``).
    """
    rules = _rules()
    start = i = len(labels)
    node = ""
    while i > 0:
        label = labels[i - 1]
        if label.startswith("xn--"):
            label = _decode(label)
        candidate = f"{label}.{node}" if node else label
        if candidate in rules.nodes:
            i -= 1
            node = candidate
            if candidate in rules.suffixes:
                start = i
            continue
        if node in rules.wildcards:  # *.ck takes this label too, unless !label.ck
            start = i if candidate in rules.exceptions else i - 1
        break
    return start


def label_walk(host: str) -> tuple[str, str]:
    """:func:`split_host` by :func:`split_suffix` on the host's labels (decoding punycode)."""
    labels = host.split(".")
    start = split_suffix(labels)
    suffix = ".".join(labels[start:])
    if 0 < start < len(labels) and labels[start - 1]:
        return f"{labels[start - 1]}.{suffix}", suffix
    return host, suffix


def split_host(host: str) -> tuple[str, str]:
    """Return ``(registrable_domain, public_suffix)`` of a host, as the label walk finds them.

    The same walk as :func:`split_suffix`, on the host string itself: each step
    looks up the host's tail from the next dot leftwards, so no list of labels
    is made or joined. Punycode labels need decoding: such hosts take the label
    walk. No suffix: ``(host, "")``; the host is a suffix, or the label before the
    suffix is empty: ``(host, suffix)``.
    """
    if "xn--" in host:
        return label_walk(host)
    rules = _rules()
    nodes = rules.nodes
    end = len(host)
    node_at = suffix_at = end + 1  # past the end: an empty node, no suffix
    while node_at > 0:
        at = host.rfind(".", 0, node_at - 1) + 1
        candidate = host[at:]
        if candidate in nodes:
            node_at = at
            if candidate in rules.suffixes:
                suffix_at = at
            continue
        if node_at <= end and host[node_at:] in rules.wildcards:
            suffix_at = node_at if candidate in rules.exceptions else at
        break
    if suffix_at > end:
        return host, ""
    suffix = host[suffix_at:]
    if suffix_at == 0:
        return host, suffix
    label_at = host.rfind(".", 0, suffix_at - 1) + 1
    if label_at == suffix_at - 1:  # an empty label before the suffix
        return host, suffix
    return host[label_at:], suffix
