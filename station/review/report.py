"""The PDF report for supervisors (reportlab, Noto Sans for Vietnamese, charts drawn with reportlab graphics)."""

from __future__ import annotations

import math
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from scanning.errors import StationError
from station.review.stats import QUALITY_BINS, GroupStats, Stats

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
FONT = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
ACCENT = colors.HexColor("#1f5f99")
REJECT = colors.HexColor("#c0392b")

TITLE = "Báo cáo chất lượng số hóa hồ sơ"
H_OVERVIEW = "Tổng quan"
H_OPERATORS = "Năng suất theo nhân viên"
H_STATIONS = "Năng suất theo trạm"
H_REASONS = "Tỷ lệ từ chối theo lý do"
H_QUALITY = "Phân bố điểm chất lượng"
H_UPLOAD = "Thời gian từ lúc quét đến khi máy chủ xác nhận"
H_DEFINITIONS = "Cách tính"


class ReportError(StationError):
    exit_code = 7  # ExitCode.SETUP (station/exit_codes.py)
    default_user_message = "Không tạo được báo cáo PDF. Kiểm tra phông chữ Noto (fonts-noto-core) và thư mục ghi."


def register_fonts(font_dir: Path = FONT_DIR) -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = font_dir / "NotoSans-Regular.ttf", font_dir / "NotoSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise ReportError(f"Vietnamese font missing: {regular} / {bold} (install fonts-noto-core)")
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def num(value: float, digits: int = 1) -> str:
    """Vietnamese number style: decimal comma, dot for thousands (1.234,5)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def pct(value: float) -> str:
    return f"{num(value * 100, 1)}%"


def day(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y") if text else "…"


ID_MAX_CHARS = 40


def label(value: object, max_chars: int = ID_MAX_CHARS) -> str:
    """An id or reason typed at some station, as plain text for a table cell or a chart: control characters
    dropped, NFC (precomposed Vietnamese, as the font shapes it), cut to a width the page can hold (a 10 000
    character id would otherwise make the table too wide to lay out and stop the report)."""
    text = "".join(c for c in unicodedata.normalize("NFC", str(value)) if unicodedata.category(c) != "Cc")
    return text if len(text) <= max_chars else text[:max_chars - 1] + "…"


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{num(value, 1)} phút"


_STYLES = {
    "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=23, textColor=ACCENT),
    "h": ParagraphStyle("h", fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10, spaceAfter=4,
                        textColor=ACCENT),
    "p": ParagraphStyle("p", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11, textColor=colors.HexColor("#555555")),
}


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float], numeric_from: int = 1) -> Table:
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b8c0")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fa")]),
    ]))
    return table


def _bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, color: colors.Color,
               width: float = 170 * mm, height: float = 60 * mm, horizontal: bool = False) -> Drawing:
    drawing = Drawing(width, height)
    if horizontal:  # reportlab stacks categories bottom-up: reverse so the list reads top-down
        labels, values = list(reversed(labels)), list(reversed(values))
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = 45 * mm if horizontal else 12 * mm
    chart.x, chart.y = left, 10 * mm
    chart.width, chart.height = width - left - 6 * mm, height - 20 * mm
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(values) if values else 0
    chart.valueAxis.valueMax = max(1.0, top * 1.15)
    if all(float(v).is_integer() for v in values):  # counts: whole-number ticks
        chart.valueAxis.valueStep = max(1, math.ceil(chart.valueAxis.valueMax / 6))
    chart.valueAxis.labelTextFormat = lambda v: num(v, 0 if float(v).is_integer() else 1)
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: num(v, 1 if v % 1 else 0)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    if horizontal:
        chart.barLabels.dx = 8
    else:
        chart.barLabels.dy = 6
    drawing.add(chart)
    drawing.add(String(left, height - 6 * mm, title, fontName=FONT_BOLD, fontSize=9, fillColor=ACCENT))
    return drawing


def _group_rows(groups: Sequence[GroupStats], with_operator: bool) -> list[list[str]]:
    head = ["Trạm", *(["Nhân viên"] if with_operator else []), "Trang", "Giờ HĐ", "Trang/giờ", "Hồ sơ",
            "Hồ sơ/ngày", "Đã duyệt", "Từ chối", "Tỷ lệ từ chối", "Điểm TB"]
    rows = [head]
    for g in groups:
        rows.append([label(g.station_id), *([label(g.operator_id)] if with_operator else []), str(g.pages),
                     str(g.active_hours),
                     num(g.pages_per_hour), str(g.dossiers), num(g.dossiers_per_day), str(g.reviewed),
                     str(g.rejected), pct(g.rejection_rate), num(g.mean_quality)])
    return rows


def build_report(stats: Stats, path: Path, *, filters: str = "", generated: datetime | None = None) -> Path:
    """Write the report atomically to `path`."""
    register_fonts()
    styles = _STYLES
    generated = generated or datetime.now().astimezone()
    story: list[object] = [
        Paragraph(TITLE, styles["title"]),
        Paragraph(f"Kỳ báo cáo: từ ngày {day(stats.date_from)} đến ngày {day(stats.date_to)}", styles["p"]),
    ]
    if filters:
        story.append(Paragraph(escape(f"Phạm vi: {label(filters, 300)}"), styles["p"]))  # text, never markup
    story.append(Paragraph(f"Lập lúc {generated.strftime('%H:%M %d/%m/%Y')}", styles["small"]))
    t = stats.total
    story += [
        Paragraph(H_OVERVIEW, styles["h"]),
        _table([
            ["Chỉ số", "Giá trị"],
            ["Số trang đã quét", str(t.pages)],
            ["Số hồ sơ hoàn thành", str(t.dossiers)],
            ["Trang bị gắn cờ chất lượng", f"{t.flagged} ({pct(t.flagged / t.pages if t.pages else 0)})"],
            ["Trang đã duyệt", str(t.reviewed)],
            ["Trang bị từ chối", f"{t.rejected} ({pct(t.rejection_rate)})"],
            ["Điểm chất lượng trung bình", num(t.mean_quality)],
            ["Từ quét đến xác nhận: trung vị", minutes(stats.upload_median_min)],
            ["Từ quét đến xác nhận: 90% số tệp trong vòng", minutes(stats.upload_p90_min)],
        ], [95 * mm, 60 * mm]),
    ]
    op_widths = [20 * mm, 21 * mm, 12 * mm, 13 * mm, 18 * mm, 12 * mm, 19 * mm, 16 * mm, 15 * mm, 20 * mm, 14 * mm]
    story += [Paragraph(H_OPERATORS, styles["h"]), _table(_group_rows(stats.operators, True), op_widths, 2),
              Spacer(1, 3 * mm)]
    if stats.operators:
        story.append(_bar_chart([f"{label(g.operator_id)} ({label(g.station_id)})" for g in stats.operators],
                                [g.pages_per_hour for g in stats.operators], title="Trang/giờ theo nhân viên",
                                color=ACCENT, horizontal=True,
                                height=max(40 * mm, (18 + 9 * len(stats.operators)) * mm)))
    st_widths = [28 * mm, 14 * mm, 14 * mm, 17 * mm, 13 * mm, 20 * mm, 17 * mm, 16 * mm, 23 * mm, 15 * mm]
    story += [Paragraph(H_STATIONS, styles["h"]), _table(_group_rows(stats.stations, False), st_widths)]
    reason_rows = [["Lý do", "Số trang", "Tỷ lệ (trên trang đã duyệt)"]]
    reason_rows += [[label(r.reason), str(r.rejected), pct(r.rate)] for r in stats.reasons]
    story.append(KeepTogether([
        Paragraph(H_REASONS, styles["h"]), _table(reason_rows, [70 * mm, 25 * mm, 50 * mm]), Spacer(1, 3 * mm),
        _bar_chart([label(r.reason) for r in stats.reasons], [r.rejected for r in stats.reasons],
                   title="Số trang bị từ chối theo lý do", color=REJECT, horizontal=True,
                   height=max(40 * mm, (18 + 7 * len(stats.reasons)) * mm)),
    ]))
    labels = [f"{10 * i}–{10 * i + 9}" if i < QUALITY_BINS - 1 else "90–100" for i in range(QUALITY_BINS)]
    story.append(KeepTogether([
        Paragraph(H_QUALITY, styles["h"]),
        _bar_chart(labels, list(stats.quality_bins), title="Số trang theo điểm chất lượng (0–100)", color=ACCENT),
        _table([["Điểm", *labels], ["Số trang", *(str(n) for n in stats.quality_bins)]],
               [16 * mm] + [15.4 * mm] * QUALITY_BINS),
    ]))
    delays = stats.upload_delays_min
    upload_parts: list[object] = [
        Paragraph(H_UPLOAD, styles["h"]),
        Paragraph(f"{len(delays)} tệp đã được máy chủ xác nhận. Trung vị {minutes(stats.upload_median_min)}, "
                  f"90% trong vòng {minutes(stats.upload_p90_min)}, lâu nhất "
                  f"{minutes(max(delays) if delays else None)}.", styles["p"]),
    ]
    if delays:
        edges = [5, 10, 15, 30, 60, 120, 240]
        names = ["0–5", "5–10", "10–15", "15–30", "30–60", "60–120", "120–240", ">240"]
        counts = [0] * len(names)
        for d in delays:
            counts[next((i for i, e in enumerate(edges) if d <= e), len(edges))] += 1
        upload_parts.append(_bar_chart(names, counts, title="Số tệp theo thời gian chờ (phút)", color=ACCENT))
    story.append(KeepTogether(upload_parts))
    story += [
        Paragraph(H_DEFINITIONS, styles["h"]),
        Paragraph("Trang/giờ = số trang ÷ số giờ hoạt động (giờ đồng hồ có ít nhất một trang được quét). "
                  "Hồ sơ/ngày = số hồ sơ ÷ số ngày có hồ sơ hoàn thành. Tỷ lệ từ chối = trang bị từ chối ÷ trang "
                  "đã duyệt (theo quyết định mới nhất). Từ quét đến xác nhận: với mỗi tệp máy chủ đã xác nhận, từ lúc "
                  "quét trang đầu tiên của giấy tờ đó đến lúc xác nhận. Thời gian theo giờ địa phương của trạm.",
                  styles["small"]),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title=TITLE, author="Digitization Station", lang="vi")
        doc.build(story)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
