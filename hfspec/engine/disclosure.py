"""Result cells → what may be published of them (diskretionering): the one rule, and the one
function every output uses for a cell's value and n.

A value is suppressed when its group has between 1 and k − 1 units (`0 < n < k`; a group with no
units has nothing to hide and shows as having no value), and, for counts, when the
count itself is between 1 and k − 1 (a small count is itself identifying), and, for shares, when
the people it counts (value × n) or those it leaves out are between 1 and k − 1 (a share of 1 in
58 names one person). A derived value is suppressed when any value it is computed from is.

That is *primary* suppression. *Secondary* suppression (`engine.secondary`, over the linked
tables of `engine.linked`) hides further cells so that a primary-suppressed one cannot be
computed back from totals, from `n` or from other key figures of the same output; a secondary
cell hides its value and its n. The default k is `hfspec.settings.DEFAULT_K`
(Danish statistics practice); `--suppress-below` sets it, 0 turns disclosure control off.
"""

from __future__ import annotations

from typing import Any


def suppress(n: int | None, value, is_count: bool, k: int, is_share: bool = False) -> bool:
    """Whether a cell is suppressed (primary suppression).

    >>> suppress(4, 2.0, False, 5), suppress(30, 3, True, 5), suppress(30, 0, True, 5), suppress(4, 1, True, 0)
    (True, True, False, False)
    >>> suppress(0, None, False, 5)
    False
    >>> suppress(58, 1 / 58, False, 5, is_share=True), suppress(58, 55 / 58, False, 5, is_share=True), suppress(58, 0.5, False, 5, is_share=True)
    (True, True, False)
    """
    if k <= 0:
        return False
    if n is not None and 0 < n < k:
        return True
    if is_count and isinstance(value, (int, float)) and 0 < value < k:
        return True
    if is_share and n and isinstance(value, (int, float)):
        people = round(value * n)
        if 0 < people < k or 0 < n - people < k:
            return True
    return False


def published(value: Any, n: int | None, suppressed: bool, k: int, secondary: bool = False) -> tuple[Any, int | None]:
    """(value, n) as an output may show them: a suppressed cell has no value, and its n is hidden
    when the group itself is too small (n < k). A large group whose small count was suppressed
    keeps its n: the group's size is no secret, the count is. A secondary-suppressed cell shows
    neither (its n is a margin of the hidden cell it protects).

    >>> published(0.25, 40, False, 5), published(3, 40, True, 5), published(0.5, 4, True, 5), published(58, 58, True, 5, True)
    ((0.25, 40), (None, 40), (None, None), (None, None))
    """
    if not suppressed:
        return value, n
    if secondary:
        return None, None
    return None, (None if n is not None and n < k else n)
