"""CCCD benchmark: fields-correct rate and ms per card side over generated scans and photos.

Run: `.venv/bin/python -m tests.benchmarks.bench_cccd [--quick]` (not collected by pytest). Every invented
person x card style x side is laid on a page per variant: clean flatbed, rotated (90/180/270), skewed
(±2..7°), noisy (blur + grain, gray lid) and phone-like (perspective, texture, uneven light). A side
counts as exact when every field it carries matches. Times are wall-clock for `read_cards` on the whole
page or photo (detection included), one thread, OMP_THREAD_LIMIT=1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from ocr.cccd import citizen_id_to_json, read_cards
from tests.cardgen import PEOPLE, Placement, expected_fields, flatbed_page, phone_photo, render_card
from tests.pagegen import Image

VARIANTS = ("clean", "rotated", "skewed", "noisy", "phone")


@dataclass
class Outcome:
    variant: str
    source: str  # "qr" (2021 front, 2024 back), "mrz" (2021 back), "ocr" (2024 front)
    fields_total: int
    fields_ok: int
    exact: bool
    found: bool
    ms: float


def make_image(variant: str, card: Image, k: int) -> tuple[Image, int | None]:
    if variant == "clean":
        return flatbed_page([Placement(card, 30 + 5 * (k % 5), 40 + 7 * (k % 7), 0)]), 300
    if variant == "rotated":
        return flatbed_page([Placement(card, 40, 50, (90, 180, 270)[k % 3])], blur_sigma=0.5, noise_sigma=2,
                            seed=k), 300
    if variant == "skewed":
        return flatbed_page([Placement(card, 35, 60, (2.0, -3.5, 5.0, -7.0)[k % 4])], blur_sigma=0.5, noise_sigma=2,
                            seed=k), 300
    if variant == "noisy":
        return flatbed_page([Placement(card, 30, 70, (0, 180, 4)[k % 3])], background=225, blur_sigma=1.1,
                            noise_sigma=8, seed=k), 300
    return phone_photo(card, seed=k), None


def source_of(style: str, side: str) -> str:
    if (style, side) in (("2021", "front"), ("2024", "back")):
        return "qr"
    return "mrz" if side == "back" else "ocr"


def run(quick: bool) -> list[Outcome]:
    people = PEOPLE[:2] if quick else PEOPLE
    read_cards(render_card(PEOPLE[0], style="2021", side="back"), 300)  # engines loaded outside the timings
    outcomes: list[Outcome] = []
    k = 0
    for variant in VARIANTS:
        for i, p in enumerate(people):
            for style in ("2021", "2024"):
                for side in ("front", "back"):
                    k += 1
                    image, dpi = make_image(variant, render_card(p, style=style, side=side, seed=i), k)
                    t0 = time.perf_counter()
                    cards = read_cards(image, dpi)
                    ms = (time.perf_counter() - t0) * 1000
                    expected = expected_fields(p, style, side)
                    got = citizen_id_to_json(cards[0]) if len(cards) == 1 else {}
                    ok = sum(1 for key, value in expected.items() if got.get(key) == value)
                    outcomes.append(Outcome(variant, source_of(style, side), len(expected), ok,
                                            ok == len(expected), len(cards) == 1, ms))
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.variant, o.source)].append(o)
        groups[(o.variant, "all")].append(o)
        groups[("total", o.source)].append(o)
        groups[("total", "all")].append(o)
    print(f"{'variant':<9} {'source':<5} {'sides':>5} {'found':>6} {'fields ok':>10} {'sides exact':>12} "
          f"{'ms median':>10} {'ms max':>8}")
    for variant in (*VARIANTS, "total"):
        for source in ("qr", "mrz", "ocr", "all"):
            g = groups.get((variant, source))
            if not g:
                continue
            fields = sum(o.fields_ok for o in g) / sum(o.fields_total for o in g)
            exact = sum(o.exact for o in g) / len(g)
            found = sum(o.found for o in g) / len(g)
            ms = [o.ms for o in g]
            print(f"{variant:<9} {source:<5} {len(g):>5} {found:>6.0%} {fields:>10.1%} {exact:>12.1%} "
                  f"{statistics.median(ms):>10.0f} {max(ms):>8.0f}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="two people instead of six")
    args = parser.parse_args(argv)
    report(run(args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
