"""A generated part of a text file, between two marker lines (the docs pages that code keeps current).

``replace_between`` writes it, ``between`` reads it back; the tests compare what a page holds with
what the generator gives now.
"""

from __future__ import annotations


def replace_between(text: str, begin: str, end: str, generated: str) -> str:
    """``text`` with the part between the markers ``begin`` and ``end`` replaced by ``generated``."""
    start = text.find(begin)
    stop = text.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"the markers {begin!r} and {end!r} are missing")
    return text[: start + len(begin)] + "\n\n" + generated + "\n" + text[stop:]


def between(text: str, begin: str, end: str) -> str:
    """What ``text`` holds between the markers (as :func:`replace_between` writes it)."""
    start = text.index(begin) + len(begin)
    return text[start: text.index(end)]
