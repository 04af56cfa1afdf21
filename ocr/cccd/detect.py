"""Find ID-1 cards (85.6 x 54 mm) on a page or a photo and rectify each to a canonical card image.

Pure image functions, no I/O. A card is found as a card-shaped region that differs from the background:
on a flatbed scan the background is the (uniform) lid, on a phone photo it is whatever the card lies on,
so a few strategies are tried in turn. The rectified image is landscape; whether it is upside down
(180°) is for the reader to decide from what is on the card.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.models import Image

CARD_MM = (85.6, 53.98)
CARD_ASPECT = CARD_MM[0] / CARD_MM[1]  # 1.586
CANONICAL_DPI = 300
CANONICAL_SIZE = (round(CARD_MM[0] / 25.4 * CANONICAL_DPI), round(CARD_MM[1] / 25.4 * CANONICAL_DPI))  # 1011 x 638
_WORK_MAX_SIDE = 1000
_ASPECT_RANGE = (1.3, 1.95)  # a card seen at an angle (phone) still falls in here; A4 (1.41) needs more
_WHOLE_ASPECT_RANGE = (1.45, 1.75)
_MIN_SOLIDITY = 0.5

Quad = npt.NDArray[np.float32]  # (4, 2): top-left, top-right, bottom-right, bottom-left; long side first


@dataclass(frozen=True, eq=False)
class FoundCard:
    quad: Quad  # corners in the input image's pixels
    image: Image  # rectified, CANONICAL_SIZE, RGB or gray like the input
    method: str  # which strategy found it: "background", "bright", "edges", "whole"


def to_gray(image: Image) -> Image:
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def order_quad(points: npt.NDArray[np.float32]) -> Quad:
    """Order 4 corners clockwise from the top-left, then rotate so the first edge is a long side."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates (y down), starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))
    pts = np.roll(pts, -start, axis=0)
    top = np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])
    side = np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])
    if side > top:  # portrait as found: start from the corner that makes the card landscape
        pts = np.roll(pts, -1, axis=0)
    return np.asarray(pts, np.float32)


def rectify(image: Image, quad: Quad, size: tuple[int, int] = CANONICAL_SIZE) -> Image:
    w, h = size
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    border = (255, 255, 255) if image.ndim == 3 else 255
    out = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_AREA if _scale(quad, size) < 1 else cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return np.asarray(out, dtype=np.uint8)


def _scale(quad: Quad, size: tuple[int, int]) -> float:
    return float(size[0] / max(1.0, float(np.linalg.norm(quad[1] - quad[0]))))


def _quad_of(contour: npt.NDArray[np.int32]) -> Quad | None:
    """A 4-corner approximation of a card-shaped contour, or None when it is not card-shaped."""
    area = cv2.contourArea(contour)
    (_, _), (rw, rh), _ = rect = cv2.minAreaRect(contour)
    if min(rw, rh) < 1:
        return None
    aspect = max(rw, rh) / min(rw, rh)
    hull = cv2.convexHull(contour)
    hull_area = cv2.contourArea(hull)
    if hull_area <= 0 or area / hull_area < 0.85:
        return None
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = order_quad(approx.reshape(4, 2).astype(np.float32))
            long_side = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
            short_side = (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
            if short_side > 0 and _ASPECT_RANGE[0] <= long_side / short_side <= _ASPECT_RANGE[1]:
                if cv2.contourArea(approx) >= 0.9 * hull_area:
                    return quad
                break
    if not _ASPECT_RANGE[0] <= aspect <= _ASPECT_RANGE[1] or area / (rw * rh) < 0.85:
        return None
    return order_quad(cv2.boxPoints(rect).astype(np.float32))


def _fill_holes(mask: Image) -> Image:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _candidates(mask: Image, raw: Image | None, min_area: float, max_area: float) -> list[Quad]:
    """Card-shaped regions of `mask`; with `raw`, only those mostly covered by it (a solid card, not a
    block of text whose letters the morphology merged)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    quads: list[Quad] = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True):
        if not min_area <= cv2.contourArea(contour) <= max_area:
            continue
        quad = _quad_of(np.asarray(contour, np.int32))
        if quad is None:
            continue
        if raw is not None:
            inside = np.zeros_like(raw)
            cv2.fillConvexPoly(inside, quad.round().astype(np.int32), 255)
            if float(np.mean(raw[inside > 0] > 0)) < _MIN_SOLIDITY:
                continue
        quads.append(quad)
    return quads


def _background_mask(work: Image) -> Image:
    """Pixels that differ from the page's border colour (a flatbed lid, a uniform table)."""
    img = work.astype(np.int16)
    border = np.concatenate([img[:4].reshape(-1, img.shape[-1] if img.ndim == 3 else 1),
                             img[-4:].reshape(-1, img.shape[-1] if img.ndim == 3 else 1),
                             img[:, :4].reshape(-1, img.shape[-1] if img.ndim == 3 else 1),
                             img[:, -4:].reshape(-1, img.shape[-1] if img.ndim == 3 else 1)])
    bg = np.median(border, axis=0)
    spread = float(np.median(np.abs(border - bg))) + 1.0
    diff = np.abs(img - bg.astype(np.int16))
    diff = diff.max(axis=2) if diff.ndim == 3 else diff
    diff = cv2.GaussianBlur(diff.astype(np.float32), (0, 0), 1.5)
    threshold = max(5.0, 4.0 * spread)
    return np.asarray((diff > threshold) * 255, dtype=np.uint8)


def _bright_mask(work: Image) -> Image:
    """The bright, smooth region (a light card on a darker textured surface): Otsu on blurred lightness."""
    gray = cv2.GaussianBlur(to_gray(work), (0, 0), 3)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(mask, dtype=np.uint8)


def _edge_mask(work: Image) -> Image:
    gray = cv2.GaussianBlur(to_gray(work), (0, 0), 2)
    edges = cv2.Canny(gray, 20, 60)
    return np.asarray(cv2.dilate(edges, np.ones((3, 3), np.uint8)), dtype=np.uint8)


def find_card_quads(image: Image, dpi: int | None = None) -> list[tuple[Quad, str]]:
    """Corners of each card found in `image`, with the strategy that found it."""
    h, w = image.shape[:2]
    scale = min(1.0, _WORK_MAX_SIDE / max(h, w))
    work = np.asarray(cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA), np.uint8)
    work_area = work.shape[0] * work.shape[1]
    if dpi:
        expected = (CARD_MM[0] / 25.4 * dpi * scale) * (CARD_MM[1] / 25.4 * dpi * scale)
        min_area, max_area = 0.55 * expected, min(1.6 * expected, 0.98 * work_area)
    else:
        min_area, max_area = 0.04 * work_area, 0.98 * work_area
    k = max(3, round(min(work.shape[:2]) * 0.012)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    strategies = [("background", _background_mask, True), ("bright", _bright_mask, True)]
    if not dpi:  # a photo: the card's edges against whatever it lies on
        strategies.append(("edges", _edge_mask, False))
    for method, make, solid in strategies:
        raw = make(work)
        mask = _fill_holes(np.asarray(cv2.morphologyEx(raw, cv2.MORPH_CLOSE, kernel), np.uint8))
        mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), np.uint8)
        quads = _candidates(mask, raw if solid else None, min_area, max_area)
        if quads:
            return [(np.asarray(q / scale, np.float32), method) for q in quads]
    aspect = max(h, w) / min(h, w)
    size_ok = not dpi or 0.7 <= max(h, w) / (CARD_MM[0] / 25.4 * dpi) <= 1.4
    if _WHOLE_ASPECT_RANGE[0] <= aspect <= _WHOLE_ASPECT_RANGE[1] and size_ok:  # the image is the card itself
        corners = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
        return [(order_quad(corners), "whole")]
    return []


def find_cards(image: Image, dpi: int | None = None) -> list[FoundCard]:
    """Each card on the page, rectified to CANONICAL_SIZE (landscape; maybe upside down)."""
    return [FoundCard(quad, rectify(image, quad), method) for quad, method in find_card_quads(image, dpi)]
