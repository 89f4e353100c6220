"""The leak gate on one 双公示 row, built in two stages so a clean row never pays for the full gate.

A gate's published strings (kept regions and public phones found in the decision's texts) only ever
*remove* hits: a phone inside them, a name inside one of them. So the hits of the full gate are a
subset of the hits of the same gate without them, and a row the cheaper gate finds clean is clean
for the full gate too. Only a row with a hit builds the full gate (the costly part: every identifier
rule run over every text field of the intake) and is judged by it, so the verdict is the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from gongshi.domain.intake import Intake
from gongshi.redaction import LeakGate, Policy
from gongshi.redaction.protected import protected_strings


def leaked_columns(
    intake: Intake, policy: Policy, names: Iterable[str], row: dict[str, str], text_keys: list[str]
) -> list[str]:
    """The text columns of `row` the leak gate stops (the first column when only their join leaks)."""
    values = [row[k] for k in text_keys if row.get(k)]
    if not values:
        return []
    names = tuple(names)
    joined = "\n".join(values)
    if not LeakGate(protected_strings(intake, policy), names=names).scan(joined):
        return []
    # The gate knows the intake's protected strings and the names redaction masked (those of the
    # full text included). The full text itself only feeds its list of published strings (public
    # phones, kept regions), which for a row's text are found in the row's own fields: scanning the
    # whole decision again for every row would double the export's time.
    gate = LeakGate.for_intake(msgspec.structs.replace(intake, full_text=None), policy, names=names)
    if not gate.scan(joined):
        return []
    present = [k for k in text_keys if row.get(k)]
    return [k for k in present if gate.scan(row[k])] or present[:1]
