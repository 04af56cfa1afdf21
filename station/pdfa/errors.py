"""Typed errors of the PDF/A builder. ``str(err)`` is English and log-safe; ``user_message`` is Vietnamese."""

from __future__ import annotations

from collections.abc import Sequence

from scanning.errors import StationError


class PdfaError(StationError):
    """Base of the errors raised while building or checking a PDF/A file."""

    exit_code = 5
    default_user_message = "Không tạo được tệp PDF/A. Thử lại; nếu vẫn lỗi, báo cho quản trị viên."


class IccProfileMissingError(PdfaError):
    """The sRGB ICC profile the output intent needs is not installed."""

    exit_code = 7  # ExitCode.SETUP (station/exit_codes.py)
    default_user_message = (
        "Thiếu hồ sơ màu sRGB (gói icc-profiles-free) nên không tạo được PDF/A. "
        "Báo quản trị viên cài gói icc-profiles-free rồi thử lại; các trang đã quét vẫn được giữ."
    )


class InvalidPageError(PdfaError):
    """A page handed to the builder cannot be placed in a PDF (bad image shape, dtype or resolution)."""

    exit_code = 2
    default_user_message = (
        "Một trang có ảnh hoặc độ phân giải không hợp lệ nên không đưa được vào PDF. Quét lại trang đó."
    )


class PdfaCheckFailedError(PdfaError):
    """The file just built failed the built-in PDF/A check; it was not delivered."""

    def __init__(self, failures: Sequence[str], *, detail: str = "") -> None:
        self.failures = tuple(failures)
        names = ", ".join(self.failures)
        message = f"PDF/A check failed: {names}" + (f" ({detail})" if detail else "")
        super().__init__(
            message,
            user_message=(
                "Tệp PDF vừa tạo không đạt chuẩn PDF/A nên chưa được lưu (lỗi kiểm tra: "
                f"{names}). Thử lại; nếu vẫn lỗi, báo cho quản trị viên."
            ),
        )


class PdfaWriteError(PdfaError):
    """The output file could not be written (disk full, read-only folder...). Nothing was left behind."""

    default_user_message = (
        "Không ghi được tệp PDF vào thư mục đích (ổ đĩa đầy hoặc không có quyền ghi). "
        "Giải phóng dung lượng hoặc chọn thư mục khác rồi thử lại; các trang đã quét vẫn được giữ."
    )
