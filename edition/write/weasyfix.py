"""A guarded correction of WeasyPrint 70.0's line layout, so that footnotes stay with their calls.

When a line overflows the page exactly where ``orphans`` or ``widows`` forbid an earlier break,
WeasyPrint 70.0 moves footnotes already placed on the page to the next one to make room, then
accepts the line *without placing the footnotes called in that line*: those notes are never
printed, and the moved ones land a page after their calls. With that branch disabled, WeasyPrint
breaks the page before the line as orphans and widows allow, and its own ``_break_line`` takes the
moved lines' footnotes along. The change is one condition, applied to WeasyPrint's own source at
run time (nothing of WeasyPrint is copied here), only when that exact line is found; otherwise the
layout check in ``write.pdf`` still reports every note not printed on its call's page.
"""

from __future__ import annotations

import inspect

_BRANCH = "report = not context.in_column and can_break_now and not could_break_before"


def keep_footnotes_with_calls() -> bool:
    """Apply the correction once; return whether it is in force."""
    from weasyprint.layout import block

    if getattr(block, "_edition_footnote_fix", False):
        return True
    source = inspect.getsource(block._linebox_layout)
    if source.count(_BRANCH) != 1:
        return False
    exec(compile(source.replace(_BRANCH, "report = False"), block.__file__, "exec"), block.__dict__)
    block._edition_footnote_fix = True
    return True
