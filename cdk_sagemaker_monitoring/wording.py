"""Counts in messages people read: ``1 endpoint``, ``2 endpoints`` (never ``1 endpoints``)."""

from __future__ import annotations

__all__ = ["counted"]

#: Words whose plural is not the singular plus ``s`` (the ones these messages use).
_SINGULAR = {"entries": "entry", "GB": "GB", "analyzed": "analyzed"}


def counted(quantity: object, plural: str) -> str:
    """``f"{quantity:,} {plural}"`` with the head noun singular when ``quantity`` is 1.

    The head noun is the last word, or the word before ``analyzed``/``of``/``by``
    (``metrics analyzed by Metrics Insights alarms``); ``GB`` and other capitals stay as they are.
    """
    words = plural.split()
    if quantity == 1 and words:
        head = next((i - 1 for i, w in enumerate(words) if w in ("analyzed", "of", "by") and i > 0), len(words) - 1)
        word = words[head]
        if word in _SINGULAR:
            words[head] = _SINGULAR[word]
        elif word.endswith("s") and not word.isupper():
            words[head] = word[:-1]
    return f"{quantity:,} {' '.join(words)}"
