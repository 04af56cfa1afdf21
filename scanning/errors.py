"""Typed errors of the scanning package.

Every error carries an English technical message (``str(err)``, safe for logs: no personal data) and a
Vietnamese ``user_message`` that says what happened and what to do, for the GUI.
"""

from __future__ import annotations


class StationError(Exception):
    """Base of every typed error the station raises on purpose."""

    exit_code: int = 1
    default_user_message: str = "Đã xảy ra lỗi. Vui lòng thử lại hoặc báo cho quản trị viên."

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or self.default_user_message


class ScannerError(StationError):
    """A scanner could not deliver a page. Pages delivered before the fault stay valid."""

    exit_code = 3
    default_user_message = "Máy quét gặp lỗi. Kiểm tra máy quét rồi quét lại; các trang đã quét vẫn được giữ."


class PaperJamError(ScannerError):
    default_user_message = (
        "Kẹt giấy trong máy quét. Mở nắp, gỡ tờ giấy bị kẹt, đặt lại các trang chưa quét rồi bấm Quét tiếp; "
        "các trang đã quét vẫn được giữ."
    )


class CoverOpenError(ScannerError):
    default_user_message = "Nắp máy quét đang mở. Đóng nắp rồi bấm Quét tiếp; các trang đã quét vẫn được giữ."


class NoDocumentsError(ScannerError):
    default_user_message = "Khay nạp giấy không có tài liệu. Đặt giấy vào khay rồi bấm Quét."


class DeviceBusyError(ScannerError):
    default_user_message = (
        "Máy quét đang bận (có thể một chương trình khác đang dùng). Đợi một lát rồi thử lại."
    )


class DeviceGoneError(ScannerError):
    default_user_message = (
        "Mất kết nối với máy quét (rút cáp hoặc tắt nguồn). Kiểm tra cáp và nguồn, rồi quét tiếp; "
        "các trang đã quét vẫn được giữ."
    )


class DeviceNotFoundError(ScannerError):
    default_user_message = "Không tìm thấy máy quét đã chọn. Kiểm tra cáp, nguồn, rồi chọn lại máy quét."


class UnsupportedOptionError(ScannerError):
    exit_code = 2
    default_user_message = (
        "Máy quét không hỗ trợ thiết lập đã chọn. Chọn nguồn giấy, độ phân giải hoặc chế độ màu khác."
    )


class ScanCancelledError(ScannerError):
    default_user_message = "Đã dừng quét. Các trang đã quét vẫn được giữ."


class ImportFailedError(StationError):
    """A file could not be read as pages. The message names the file and the reason."""

    exit_code = 4
    default_user_message = "Không đọc được tệp. Kiểm tra tệp có đúng định dạng ảnh hoặc PDF và không bị hỏng."


class UnsupportedFileError(ImportFailedError):
    default_user_message = "Định dạng tệp không được hỗ trợ. Dùng PDF, PNG, JPEG, TIFF, BMP hoặc WebP."


class CorruptFileError(ImportFailedError):
    default_user_message = "Tệp bị hỏng hoặc không đầy đủ, không đọc được. Quét lại hoặc lấy bản sao khác của tệp."


class FileTooLargeError(ImportFailedError):
    default_user_message = (
        "Trang trong tệp quá lớn để xử lý an toàn. Quét lại ở độ phân giải thấp hơn (300 dpi là đủ)."
    )


class EncryptedFileError(ImportFailedError):
    default_user_message = "Tệp PDF được đặt mật khẩu. Gỡ mật khẩu rồi nhập lại."
