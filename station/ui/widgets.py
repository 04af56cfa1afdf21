"""The main window's parts: page strip delegate, zoomable preview, message bar, documents, dossier, uploads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ocr.models import CitizenId
from station.journal.models import RescanRequest
from station.ui.models import OutboxModel, PageRole, tr_badge
from uploader.models import Dossier, RequiredDocument

DOC_COLORS = ("#1a5fb4", "#26a269", "#a347ba", "#c64600", "#613583", "#1c71d8")
BADGE_COLOR = "#c01c28"
BLANK_COLOR = "#5f6b7a"


class PageDelegate(QStyledItemDelegate):
    """A thumbnail card: document colour band, page label, quality badges under the image."""

    THUMB = QSize(128, 180)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.THUMB.width() + 24, self.THUMB.height() + 64)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        document = int(index.data(PageRole.DOCUMENT) or 0)
        color = QColor(DOC_COLORS[document % len(DOC_COLORS)])
        palette: QPalette = option.palette
        painter.fillRect(rect.adjusted(2, 2, -2, -2), palette.highlight() if selected else palette.base())
        painter.fillRect(QRect(rect.left() + 2, rect.top() + 2, 6, rect.height() - 4), color)
        image = index.data(Qt.ItemDataRole.DecorationRole)
        area = QRect(rect.left() + 14, rect.top() + 6, self.THUMB.width(), self.THUMB.height())
        if isinstance(image, QImage) and not image.isNull():
            scaled = image.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            x = area.left() + (area.width() - scaled.width()) // 2
            painter.drawImage(x, area.top(), scaled)
            painter.setPen(QColor("#9a9996"))
            painter.drawRect(x, area.top(), scaled.width() - 1, scaled.height() - 1)
        font = QFont(painter.font())
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        painter.setFont(font)
        label_rect = QRect(rect.left() + 12, area.bottom() + 4, rect.width() - 16, 20)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft, str(index.data(Qt.ItemDataRole.DisplayRole)))
        issues: Sequence[str] = index.data(PageRole.ISSUES) or ()
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.75))
        small.setBold(True)
        painter.setFont(small)
        x, y = rect.left() + 12, label_rect.bottom() + 3
        if not index.data(PageRole.ANALYZED):
            painter.setPen(QColor(BLANK_COLOR))
            painter.drawText(QRect(x, y, rect.width() - 16, 18), Qt.AlignmentFlag.AlignLeft,
                             self.tr("checking…"))
        for issue in issues:
            text = tr_badge(issue)
            width = painter.fontMetrics().horizontalAdvance(text) + 10
            if x + width > rect.right() - 4:
                x, y = rect.left() + 12, y + 19
            badge = QRect(x, y, width, 17)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(BLANK_COLOR if issue == "blank" else BADGE_COLOR))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            x += width + 4
        painter.restore()


class PageStrip(QListView):
    """The thumbnail strip: keyboard navigable, drag to reorder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(PageDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Snap)
        self.setSpacing(4)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)


class PreviewView(QGraphicsView):
    """The large preview: fit to the window by default, Ctrl+wheel or +/- to zoom."""

    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        # Smooth scaling runs once per image or zoom into a cache, not at every repaint: the raster engine
        # scales in Qt's worker threads while the GUI thread waits, which stalled the event loop on a busy CPU.
        self._item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._scene.addItem(self._item)
        self.detail_shown = False
        self.setScene(self._scene)
        self.setBackgroundBrush(QColor("#3d3846"))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._fit = True
        self.zoom = 1.0

    def show_image(self, image: QImage | None) -> None:
        self.detail_shown = False
        self._item.setScale(1.0)
        if image is None or image.isNull():
            self._item.setPixmap(QPixmap())
            return
        self._item.setPixmap(QPixmap.fromImage(image))
        self._scene.setSceneRect(self._item.boundingRect())
        if self._fit:
            self.fit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def wants_detail(self) -> bool:
        """Zoomed past 1:1 on the reduced preview: the full-resolution page would show more."""
        return self.has_image() and not self.detail_shown and self.zoom > 1.0

    def show_detail(self, image: QImage) -> None:
        """Swap in the full-resolution page, scaled to the preview's size: the view stays where it is."""
        shown = self._item.pixmap().width()
        if image.isNull() or not shown:
            return
        self._item.setPixmap(QPixmap.fromImage(image))
        self._item.setScale(shown / image.width())
        self.detail_shown = True

    @property
    def shown_pixels(self) -> int:
        return self._item.pixmap().width()

    def fit(self) -> None:
        self._fit = True
        if self.has_image():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoom = self.transform().m11()
            self.zoomChanged.emit(self.zoom)

    def zoom_by(self, factor: float) -> None:
        if not self.has_image():
            return
        new = min(8.0, max(0.05, self.zoom * factor))
        self.scale(new / self.zoom, new / self.zoom)
        self.zoom = new
        self._fit = False
        self.zoomChanged.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()


class MessageBar(QFrame):
    """An inline, non-modal message at the top of the window (scanner faults, finish results)."""

    STYLES: ClassVar[dict[str, str]] = {
        "error": "background:#fbe3e4;border:2px solid #c01c28;border-radius:6px;color:#5c0a10;",
        "warning": "background:#fdf0d5;border:2px solid #c64600;border-radius:6px;color:#4d2100;",
        "info": "background:#e1efe6;border:2px solid #26a269;border-radius:6px;color:#0b3d1f;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.setStyleSheet(f"MessageBar{{{self.STYLES[kind]}}} QLabel{{border:none;background:transparent;}}")
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class DocumentsPanel(QGroupBox):
    """One row per document: its pages and its type/slot (from the dossier's list, or typed freely)."""

    docTypeChosen = Signal(int, str)  # document index, doc type code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Documents"))
        outer = QVBoxLayout(self)
        self._form = QWidget()
        self._layout = QFormLayout(self._form)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.combos: list[QComboBox] = []
        self.labels: list[QLabel] = []
        self._required: tuple[RequiredDocument, ...] = ()
        self._shown: list[tuple[str, int]] = []
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        outer.addWidget(self._form)
        outer.addWidget(self.missing_label)

    def set_required(self, required: Sequence[RequiredDocument]) -> None:
        self._required = tuple(required)
        self._shown = []  # force a rebuild with the new choices

    def show_documents(self, documents: Sequence[tuple[str, int]], missing: Sequence[str]) -> None:
        """documents: (doc type, page count) per document."""
        if [t for t, _ in documents] != [t for t, _ in self._shown]:
            self._rebuild(documents)
        elif list(documents) != self._shown:  # only page counts changed: relabel, keep the combos (and focus)
            for n, (_doc_type, pages) in enumerate(documents):
                self.labels[n].setText(self._label(n, pages))
            self._shown = list(documents)
        names = {r.code: r.name for r in self._required}
        if missing:
            self.missing_label.setText(self.tr("Missing required documents: {0}").format(
                "; ".join(names.get(m, m) for m in missing)))
            self.missing_label.setStyleSheet("color:#c01c28;font-weight:bold;")
        elif self._required:
            self.missing_label.setText(self.tr("All required documents are present."))
            self.missing_label.setStyleSheet("color:#26a269;font-weight:bold;")
        else:
            self.missing_label.setText("")

    def _rebuild(self, documents: Sequence[tuple[str, int]]) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self.combos = []
        self.labels = []
        for n, (doc_type, pages) in enumerate(documents):
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for required in self._required:
                mark = " *" if required.required else ""
                combo.addItem(f"{required.name}{mark}", required.code)
            index = combo.findData(doc_type)
            if index >= 0:
                combo.setCurrentIndex(index)
            else:
                combo.setEditText(doc_type)
            combo.activated.connect(lambda i, n=n, c=combo: self.docTypeChosen.emit(n, str(c.itemData(i))))
            line = combo.lineEdit()
            assert line is not None
            line.editingFinished.connect(lambda n=n, c=combo: self._typed(n, c))
            label = QLabel(self._label(n, pages))
            self._layout.addRow(label, combo)
            self.combos.append(combo)
            self.labels.append(label)
        self._shown = list(documents)

    def _label(self, n: int, pages: int) -> str:
        color = DOC_COLORS[n % len(DOC_COLORS)]
        return self.tr("<b style='color:{0}'>Document {1}</b> ({2} p.)").format(color, n + 1, pages)

    def _typed(self, n: int, combo: QComboBox) -> None:
        text = combo.currentText().strip()
        for i in range(combo.count()):
            if combo.itemText(i) == text:
                self.docTypeChosen.emit(n, str(combo.itemData(i)))
                return
        if text:
            self.docTypeChosen.emit(n, text)


class DossierPanel(QGroupBox):
    """The dossier code (read from the receipt or typed), the procedure, and the applicant from the CCCD."""

    codeEntered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dossier"))
        layout = QFormLayout(self)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("000.00.01.H22-250702-0013")
        self.code_edit.editingFinished.connect(lambda: self.codeEntered.emit(self.code_edit.text()))
        self.code_status = QLabel()
        self.code_status.setWordWrap(True)
        self.procedure = QLabel("—")
        self.procedure.setWordWrap(True)
        self.name = QLabel("—")
        self.id_number = QLabel("—")
        self.birth = QLabel("—")
        self.address = QLabel("—")
        self.address.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color:#c64600;")
        layout.addRow(self.tr("Dossier code (F2):"), self.code_edit)
        layout.addRow("", self.code_status)
        layout.addRow(self.tr("Procedure:"), self.procedure)
        layout.addRow(self.tr("Applicant:"), self.name)
        layout.addRow(self.tr("ID number:"), self.id_number)
        layout.addRow(self.tr("Date of birth:"), self.birth)
        layout.addRow(self.tr("Address:"), self.address)
        layout.addRow(self.warnings)

    def set_code(self, code: str) -> None:
        self.code_edit.setText(code)

    def set_status(self, text: str, ok: bool | None) -> None:
        color = {True: "#26a269", False: "#c01c28", None: "#5f6b7a"}[ok]
        self.code_status.setStyleSheet(f"color:{color};")
        self.code_status.setText(text)

    def show_dossier(self, dossier: Dossier | None) -> None:
        self.procedure.setText(f"{dossier.procedure_name} ({dossier.procedure_code})" if dossier else "—")

    def show_applicant(self, card: CitizenId | None, warnings: Sequence[str]) -> None:
        if card is None:
            for label in (self.name, self.id_number, self.birth, self.address):
                label.setText("—")
        else:
            self.name.setText(card.full_name or "—")
            self.id_number.setText(card.id_number or "—")
            self.birth.setText(card.date_of_birth.strftime("%d/%m/%Y") if card.date_of_birth else "—")
            self.address.setText(card.address or "—")
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))

    def clear(self) -> None:
        self.code_edit.clear()
        self.code_status.clear()
        self.show_dossier(None)
        self.show_applicant(None, ())


class UploadPanel(QGroupBox):
    """The outbox: what is queued, sending, sent or failed, with retry."""

    retryRequested = Signal(int)  # queue item id
    retryAllRequested = Signal()

    def __init__(self, model: OutboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Uploads"))
        self.model = model
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # the reason; its tooltip has it all
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Retry selected"))
        self.retry_all_button = QPushButton(self.tr("Retry all failed"))
        self.retry_button.clicked.connect(self._retry_selected)
        self.retry_all_button.clicked.connect(self.retryAllRequested)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.retry_all_button)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _retry_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.retryRequested.emit(self.model.item(rows[0].row()).id)


class RescanRequestsDialog(QDialog):
    """The supervisor's rescan requests for this counter: what to scan again and why; mark one done."""

    resolved = Signal(str)  # request id

    def __init__(self, requests: Sequence[RescanRequest], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rescan requests from the supervisor"))
        self.setMinimumSize(640, 360)
        self.list = QListWidget()
        for request in requests:
            text = self.tr("Dossier {0} · document {1} · page {2}\nReason: {3}{4}").format(
                request.dossier_code or "—", request.doc_type or "—", request.page_index, request.reason,
                f" — {request.note}" if request.note else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, request.request_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        done = QPushButton(self.tr("Rescanned — mark done"))
        done.clicked.connect(self._mark_done)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Scan these pages again, then mark each one done:")))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _mark_done(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.resolved.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        self.list.takeItem(self.list.row(item))
