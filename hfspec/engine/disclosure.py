"""Disclosure control (diskretionering): which result cells must not be shown as numbers.

A value is suppressed when its group has fewer than `k` units (`n < k`), and, for counts, when the
count itself is between 1 and k − 1 (a small count is itself identifying). A derived value is
suppressed when any value it is computed from is. Danish statistics practice uses k = 5.
"""

from __future__ import annotations

#: Default smallest group size that may be shown (Danish practice: counts under 5 are suppressed).
DEFAULT_K = 5


def suppress(n: int | None, value, is_count: bool, k: int) -> bool:
    """Whether a cell is suppressed.

    >>> suppress(4, 2.0, False, 5), suppress(30, 3, True, 5), suppress(30, 0, True, 5), suppress(4, 1, True, 0)
    (True, True, False, False)
    """
    if k <= 0:
        return False
    if n is not None and n < k:
        return True
    if is_count and isinstance(value, (int, float)) and 0 < value < k:
        return True
    return False
