"""Typed errors of recognition (OCR, barcodes, separator sheets).

``str(err)`` is an English technical message, safe for logs (it never contains recognised text);
``user_message`` is Vietnamese and says what happened and what to do.

The package has its own base, :class:`RecognitionError`, with the same two attributes as the other libraries'
bases (``exit_code``, ``user_message``): the station maps them all through one Protocol
(``station.errors.UserFacingError``), and ``ocr`` depends on ``scanning`` only for the page models.
"""

from __future__ import annotations


class RecognitionError(Exception):
    """Base of the errors raised by the ocr package."""

    exit_code = 4  # ExitCode.INPUT: the page cannot be recognised (station/exit_codes.py)
    default_user_message = "Không nhận dạng được nội dung trang. Kiểm tra ảnh quét rồi thử lại."

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or self.default_user_message


class OcrEngineError(RecognitionError):
    """Tesseract could not be started: missing program, language model or tessdata folder."""

    exit_code = 7  # ExitCode.SETUP (station/exit_codes.py)
    default_user_message = (
        "Không khởi động được bộ nhận dạng chữ (Tesseract) hoặc thiếu gói tiếng Việt. "
        "Báo cho quản trị viên cài đặt tesseract-ocr và tesseract-ocr-vie; các trang đã quét vẫn được giữ."
    )


class OcrTimeoutError(RecognitionError):
    """Recognition of one page took longer than the configured limit and was stopped."""

    default_user_message = (
        "Nhận dạng chữ trên trang mất quá nhiều thời gian nên đã dừng. Trang vẫn được giữ, "
        "có thể lưu không kèm lớp chữ hoặc quét lại rõ hơn."
    )


class OcrFailedError(RecognitionError):
    """Tesseract ran but failed on this page (bad image, internal error)."""

    default_user_message = (
        "Không nhận dạng được chữ trên trang này. Trang vẫn được giữ; quét lại rõ hơn nếu cần lớp chữ."
    )


class InvalidImageError(RecognitionError):
    """The image handed to recognition is not a gray or RGB uint8 page."""

    exit_code = 2
    default_user_message = "Ảnh trang không hợp lệ để nhận dạng. Quét lại trang."


class BarcodeReaderError(RecognitionError):
    """The barcode reader failed (not: found nothing — that is an empty list)."""

    default_user_message = "Không đọc được mã vạch/mã QR trên trang. Trang vẫn được giữ; nhập thông tin bằng tay."


class SeparatorSheetError(RecognitionError):
    """A separator sheet cannot be made as asked (e.g. an unusable document type)."""

    exit_code = 2
    default_user_message = (
        "Không tạo được tờ phân tách. Kiểm tra loại tài liệu (không để trống, không quá 64 ký tự) "
        "và thư mục lưu tệp."
    )
