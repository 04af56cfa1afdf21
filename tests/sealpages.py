"""Colour document pages as a counter scans them: black Vietnamese text, a red round seal, a blue signature and
a pale coloured form field, then the scanner's blur and noise. Deterministic per seed.

`seal` marks the pixels where only the seal's ink lies (no text under it): the pixels whose colour the MRC
encoder must keep (CIEDE2000 against the source, see `delta_e_2000`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from tests import pagegen

Image = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

SEAL_INKS: tuple[tuple[int, int, int], ...] = ((205, 35, 45), (190, 25, 40), (220, 60, 60), (180, 40, 70))
SIGNATURE_INKS: tuple[tuple[int, int, int], ...] = ((25, 50, 170), (40, 60, 150), (20, 30, 120))
FIELD_FILLS: tuple[tuple[int, int, int], ...] = ((250, 245, 200), (215, 235, 250), (225, 245, 220))
SEAL_TEXT = "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH * THÀNH PHỐ HÀ NỘI *"


@dataclass(frozen=True)
class SealPage:
    image: Image  # RGB
    text: str  # ground truth of the body text (the seal's own text excluded)
    words: tuple[pagegen.WordBox, ...]  # the body text's word boxes (for a text layer)
    seal: Mask  # pixels of seal ink only
    signature: Mask  # pixels of signature ink only
    dpi: int


def _multiply(canvas: np.ndarray, layer: np.ndarray, color: tuple[int, int, int]) -> None:
    """Ink laid over what is printed (seal ink is translucent): multiply blend, in place."""
    alpha = layer.astype(np.float32)[..., None] / 255.0
    tint = np.array(color, np.float32) / 255.0
    canvas[:] = canvas * (1.0 - alpha + alpha * tint)


def _seal_layer(size: tuple[int, int], centre: tuple[int, int], dpi: int) -> np.ndarray:
    """A round seal 40 mm across: two rings, text around the inside of the outer ring, a star in the middle."""
    layer = PILImage.new("L", size, 0)
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    r = pagegen.mm_to_px(20, dpi)
    ring = max(2, dpi // 60)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=ring)
    inner = r - pagegen.mm_to_px(8, dpi)
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=255, width=max(1, ring // 2))
    font = ImageFont.truetype(pagegen.FONT_SANS_BOLD, size=max(8, pagegen.mm_to_px(3.6, dpi)))
    radius = r - pagegen.mm_to_px(4.5, dpi)
    for index, ch in enumerate(SEAL_TEXT):
        angle = -math.pi / 2 + 2 * math.pi * index / len(SEAL_TEXT)
        side = int(font.size)
        glyph = PILImage.new("L", (side * 2, side * 2), 0)
        ImageDraw.Draw(glyph).text((side // 2, side // 3), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=PILImage.Resampling.BILINEAR)
        x = round(cx + radius * math.cos(angle)) - glyph.width // 2
        y = round(cy + radius * math.sin(angle)) - glyph.height // 2
        layer.paste(255, (x, y), glyph)
    star = [(cx + inner * 0.7 * (1 if k % 2 == 0 else 0.4) * math.cos(-math.pi / 2 + k * math.pi / 5),
             cy + inner * 0.7 * (1 if k % 2 == 0 else 0.4) * math.sin(-math.pi / 2 + k * math.pi / 5))
            for k in range(10)]
    draw.polygon(star, fill=255)
    return np.asarray(layer, dtype=np.uint8)


def _signature_layer(size: tuple[int, int], origin: tuple[int, int], dpi: int, rng: np.random.Generator
                     ) -> np.ndarray:
    """A pen scribble: a few loops and a long flourish, about 45 x 15 mm, stroke 0.4 mm."""
    layer = np.zeros((size[1], size[0]), np.uint8)
    x0, y0 = origin
    width, height = pagegen.mm_to_px(45, dpi), pagegen.mm_to_px(15, dpi)
    t = np.linspace(0.0, 1.0, 600)
    loops = float(rng.uniform(3.0, 5.0))
    xs = x0 + width * t + 0.08 * width * np.sin(2 * math.pi * loops * t)
    ys = y0 + height / 2 + height / 2 * np.sin(2 * math.pi * loops * t + float(rng.uniform(0, 3))) * (1 - 0.5 * t)
    points = np.stack([xs, ys], axis=1).round().astype(np.int32)
    cv2.polylines(layer, [points], False, 255, max(2, pagegen.mm_to_px(0.4, dpi)), cv2.LINE_AA)
    return layer


def render_seal_page(seed: int = 0, *, dpi: int = 300, font_pt: float = 11.0, noise: float = 6.0,
                     blur: float = 0.6) -> SealPage:
    """A signed and sealed colour page. Seeds vary the lines, the inks, the field colour and the positions."""
    rng = np.random.default_rng(seed)
    start = int(rng.integers(0, len(pagegen.VIETNAMESE_LINES)))
    lines = [pagegen.VIETNAMESE_LINES[(start + k) % len(pagegen.VIETNAMESE_LINES)] for k in range(16)]
    base = pagegen.render_text_page(lines, dpi=dpi, font_pt=font_pt, color=False, ink=25)
    height, width = base.image.shape
    canvas = np.repeat(base.image[..., None], 3, axis=2).astype(np.float32)
    # Paper is not pure white on a scan.
    canvas *= np.array([0.985, 0.975, 0.955], np.float32)
    # A pale form field (box) with its label, below the text block.
    field_top = height - pagegen.mm_to_px(95, dpi)
    fill = FIELD_FILLS[seed % len(FIELD_FILLS)]
    x_left = pagegen.mm_to_px(20, dpi)
    box = (x_left, field_top, width - x_left, field_top + pagegen.mm_to_px(14, dpi))
    _multiply(canvas, _box(base.image.shape, box), fill)
    cv2.rectangle(canvas, box[:2], box[2:], (40.0, 40.0, 40.0), max(1, dpi // 150))
    # Signature, then the seal over its left part (as on real papers).
    sig_origin = (width // 2 + pagegen.mm_to_px(float(rng.uniform(5, 20)), dpi),
                  height - pagegen.mm_to_px(float(rng.uniform(55, 60)), dpi))
    signature = _signature_layer((width, height), sig_origin, dpi, rng)
    sig_ink = SIGNATURE_INKS[seed % len(SIGNATURE_INKS)]
    _multiply(canvas, signature, sig_ink)
    centre = (sig_origin[0] - pagegen.mm_to_px(float(rng.uniform(0, 8)), dpi),
              sig_origin[1] + pagegen.mm_to_px(float(rng.uniform(2, 8)), dpi))
    seal = _seal_layer((width, height), centre, dpi)
    seal_ink = SEAL_INKS[seed % len(SEAL_INKS)]
    _multiply(canvas, seal, seal_ink)
    image = np.clip(canvas, 0, 255).astype(np.uint8)
    if blur > 0:
        image = pagegen.blur(image, blur)
    if noise > 0:
        image = pagegen.add_noise(image, noise, seed=seed + 101)
    text_ink = base.image < 200
    seal_only = (seal >= 250) & (signature == 0) & ~cv2.dilate(text_ink.astype(np.uint8), np.ones((5, 5))).astype(bool)
    sig_only = (signature >= 250) & (seal == 0) & ~text_ink
    return SealPage(np.ascontiguousarray(image), base.text, base.words, _core(seal_only), _core(sig_only), dpi)


def _box(shape: tuple[int, ...], box: tuple[int, int, int, int]) -> np.ndarray:
    layer = np.zeros(shape[:2], np.uint8)
    layer[box[1]:box[3], box[0]:box[2]] = 255
    return layer


def _core(mask: np.ndarray) -> Mask:
    """The mask without its outer pixel: blur on the scan makes stroke edges a mix of ink and paper."""
    return np.asarray(cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)), dtype=bool)


def to_lab(image: Image) -> npt.NDArray[np.float32]:
    """sRGB (uint8) -> CIELAB (D65): L in 0..100."""
    return np.asarray(cv2.cvtColor(image.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab), dtype=np.float32)


def delta_e_2000(lab1: np.ndarray, lab2: np.ndarray) -> npt.NDArray[np.float64]:
    """CIEDE2000 colour difference per pixel (Sharma, Wu, Dalal 2005), kL = kC = kH = 1."""
    l1, a1, b1 = (lab1[..., i].astype(np.float64) for i in range(3))
    l2, a2, b2 = (lab2[..., i].astype(np.float64) for i in range(3))
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl = l2 - l1
    dc = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(np.abs(h1p - h2p) > 180, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2), h_sum / 2)
    h_bar = np.where(c1p * c2p == 0, h_sum, h_bar)
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    result: npt.NDArray[np.float64] = np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2
                                              + r_t * (dc / s_c) * (d_big_h / s_h))
    return result


def mean_delta_e(source: Image, rendered: Image, mask: Mask) -> float:
    """Mean CIEDE2000 over the masked pixels of two RGB images of the same size."""
    pixels = (source[mask].reshape(-1, 1, 3), rendered[mask].reshape(-1, 1, 3))
    return float(delta_e_2000(to_lab(pixels[0]), to_lab(pixels[1])).mean())
