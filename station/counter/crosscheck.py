"""The ID card read at the counter, checked against itself and against the dossier's applicant.

The warnings are typed (a kind and, for some, a detail) so that the window words them in the officer's
language; their order is the order they are shown in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ocr.cccd.crosscheck import fold_name
from ocr.models import CitizenId
from uploader.models import Applicant


class CardWarningKind(Enum):
    CARD_NOTE = "card-note"  # a note of the reader on the best side (detail: its text)
    CHECK_FAILED = "check-failed"  # a check on a card failed (detail: the check's name)
    SIDES_DIFFER = "sides-differ"  # the two sides carry different ID numbers
    ID_DIFFERS = "id-differs"  # the ID number is not the applicant's
    NAME_DIFFERS = "name-differs"  # the name is not the applicant's (diacritics and case folded)


@dataclass(frozen=True)
class CardWarning:
    kind: CardWarningKind
    detail: str = ""


@dataclass(frozen=True)
class CardCheck:
    card: CitizenId | None  # the side that says most (QR first, then one with a name)
    warnings: tuple[CardWarning, ...] = ()


def check_cards(cards: Sequence[CitizenId], applicant: Applicant | None) -> CardCheck:
    if not cards:
        return CardCheck(None)
    best = max(cards, key=lambda c: ("qr" in c.sources, c.full_name is not None))
    # The other side's notes (e.g. MRZ without diacritics) are moot once the best side is read.
    warnings = [CardWarning(CardWarningKind.CARD_NOTE, note) for note in best.warnings]
    for card in cards:
        warnings.extend(CardWarning(CardWarningKind.CHECK_FAILED, name) for name, ok in card.checks.items() if not ok)
    if len({c.id_number for c in cards if c.id_number}) > 1:
        warnings.append(CardWarning(CardWarningKind.SIDES_DIFFER))
    if applicant is not None:
        if applicant.id_number and best.id_number and applicant.id_number != best.id_number:
            warnings.append(CardWarning(CardWarningKind.ID_DIFFERS))
        if best.full_name and fold_name(applicant.name) != fold_name(best.full_name):
            warnings.append(CardWarning(CardWarningKind.NAME_DIFFERS))
    return CardCheck(best, tuple(dict.fromkeys(warnings)))
