"""Typed errors of the uploader package.

``str(err)`` is an English technical message, safe for logs (never a token, never applicant data);
``user_message`` is Vietnamese and says what happened and what to do. ``retryable`` tells the outbox
whether the item goes to *failed-retrying* (network, overload) or *failed-permanent* (needs a fix).

The package has its own base, :class:`UploaderError`, with the same two attributes as the other libraries'
bases (``exit_code``, ``user_message``): the station's CLI and windows map them all through one Protocol
(``station.errors.UserFacingError``) without the uploader depending on the scanning library.
"""

from __future__ import annotations

from typing import ClassVar


class UploaderError(Exception):
    """Base of every typed error the uploader package raises on purpose."""

    exit_code: int = 1
    default_user_message: str = "Đã xảy ra lỗi khi gửi hồ sơ. Vui lòng thử lại hoặc báo cho quản trị viên."

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or self.default_user_message


class DatabaseVersionError(UploaderError):
    """A local database (outbox, journal) was written by a newer version of the program: not opened, so
    nothing this version does not understand is changed."""

    exit_code = 2
    default_user_message = (
        "Tệp dữ liệu trên máy trạm được tạo bởi phiên bản phần mềm mới hơn. Cập nhật phần mềm trạm rồi mở lại; "
        "dữ liệu vẫn được giữ nguyên."
    )


class UploadError(UploaderError):
    """Base of every error of the client side (outbox, sender, HTTP client, configuration)."""

    exit_code = 6  # ExitCode.UPLOAD (station/exit_codes.py)
    retryable: bool = False
    code: str = "upload_error"
    default_user_message = "Không gửi được hồ sơ lên hệ thống. Kiểm tra kết nối rồi thử lại; các tệp vẫn được giữ."


class ConfigError(UploadError):
    exit_code = 2
    code = "config_error"
    default_user_message = (
        "Cấu hình gửi hồ sơ chưa đúng (địa chỉ máy chủ, mã trạm hoặc khoá truy cập). Kiểm tra cấu hình."
    )


class TokenMissingError(ConfigError):
    code = "token_missing"
    default_user_message = (
        "Chưa có khoá truy cập máy chủ. Nhập khoá (station queue --store-token) hoặc đặt biến STATION_BACKEND_TOKEN."
    )


class TransportError(UploadError):
    """The network failed: refused, reset, dropped mid-body, timed out, TLS handshake failed."""

    retryable = True
    code = "network"
    default_user_message = "Mất kết nối tới máy chủ. Hồ sơ được giữ trong hàng đợi và sẽ tự gửi lại khi có mạng."


class TlsError(UploadError):
    """The server's certificate could not be verified: a configuration problem, not a transient one."""

    code = "tls"
    default_user_message = (
        "Không xác minh được chứng chỉ bảo mật của máy chủ. Báo quản trị viên kiểm tra chứng chỉ (CA) rồi thử lại."
    )


class BackendBusyError(UploadError):
    """429/503 (or another 5xx): the backend asks us to come back later."""

    retryable = True
    code = "busy"
    default_user_message = "Máy chủ đang bận. Hồ sơ được giữ trong hàng đợi và sẽ tự gửi lại sau ít phút."

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BackendRejectedError(UploadError):
    """A 4xx answer: the request itself is wrong; retrying unchanged will not help."""

    code = "rejected"
    default_user_message = "Máy chủ từ chối tệp đính kèm. Xem lý do, sửa rồi bấm Thử lại."

    _USER_MESSAGES: ClassVar[dict[int, str]] = {
        400: "Yêu cầu gửi lên không hợp lệ. Báo quản trị viên; tệp vẫn được giữ.",
        401: "Khoá truy cập máy chủ sai hoặc đã hết hạn. Cập nhật khoá truy cập rồi bấm Thử lại.",
        403: "Trạm này không được phép gửi vào hồ sơ này (hồ sơ đã đóng hoặc không có quyền). Kiểm tra rồi Thử lại.",
        404: "Không tìm thấy hồ sơ trên hệ thống. Kiểm tra mã hồ sơ (mã biên nhận) rồi bấm Thử lại.",
        409: "Hồ sơ đã có một tệp khác cho cùng mục này. Kiểm tra lại tài liệu đã gửi.",
        413: "Tệp quá lớn để gửi. Quét lại ở độ phân giải thấp hơn rồi gửi lại.",
        415: "Tệp không phải PDF hợp lệ. Tạo lại tệp PDF rồi gửi lại.",
        422: "Máy chủ không chấp nhận dữ liệu (mã hồ sơ, loại giấy tờ hoặc mã kiểm tra SHA-256). Kiểm tra rồi Thử lại.",
    }

    def __init__(self, message: str, *, status: int, error_code: str) -> None:
        super().__init__(message, user_message=self._USER_MESSAGES.get(status))
        self.status = status
        self.error_code = error_code


class TokenRefusedError(BackendRejectedError):
    """401: the token is wrong or expired. Not one item's fault: the sender pauses the whole queue (items keep
    their place and order) and tries again later, or at once after the token was updated."""

    default_user_message = (
        "Khoá truy cập máy chủ sai hoặc đã hết hạn. Việc gửi tạm dừng, hồ sơ vẫn được giữ theo đúng thứ tự; "
        "cập nhật khoá truy cập (station queue --store-token hoặc Cài đặt) để gửi tiếp."
    )

    def __init__(self, message: str, *, error_code: str = "unauthorized") -> None:
        super().__init__(message, status=401, error_code=error_code)
        self.user_message = self.default_user_message


class BadResponseError(UploadError):
    """The server answered something that is not the contract (HTML from a proxy, wrong URL, bad JSON)."""

    code = "bad_response"
    default_user_message = (
        "Máy chủ trả lời không đúng định dạng (có thể sai địa chỉ máy chủ hoặc bị proxy chặn). "
        "Kiểm tra địa chỉ máy chủ rồi bấm Thử lại."
    )


class WrongNetworkError(BadResponseError):
    """A web page (HTML) or other non-JSON answer where the contract's JSON was expected: a captive portal,
    a filtering proxy, or a wrong backend URL. Transient for the queue: it waits and tries again."""

    retryable = True
    code = "wrong_network"
    default_user_message = (
        "Máy chủ trả về một trang web thay vì dữ liệu: mạng Wi-Fi có thể đang đòi đăng nhập, proxy chặn, hoặc sai "
        "địa chỉ máy chủ. Hồ sơ được giữ và sẽ tự gửi lại; hãy đăng nhập mạng hoặc kiểm tra địa chỉ máy chủ."
    )


class LocalFileError(UploadError):
    """The local attachment vanished, changed after it was queued, or cannot be read."""

    exit_code = 4
    code = "local_file"
    default_user_message = (
        "Không tìm thấy hoặc không đọc được tệp cần gửi (tệp bị xoá, di chuyển hoặc thay đổi). "
        "Khôi phục tệp rồi bấm Thử lại."
    )


class ClientRequestError(UploadError):
    """The station could not build or handle the request (a bug or a bad local setting), not a network fault.
    Permanent for the item, but `station queue --retry-all` after the fix sends it again."""

    code = "client_error"
    default_user_message = (
        "Phần mềm trạm gặp lỗi khi chuẩn bị gửi tệp (không phải do mạng). Báo quản trị viên; tệp vẫn được giữ. "
        "Sau khi sửa, chạy station queue --retry-all để gửi lại."
    )


class QueueStorageError(UploadError):
    """The outbox database could not be read or written (disk full, I/O error, locked for too long)."""

    retryable = True
    code = "queue_storage"
    default_user_message = (
        "Không ghi được hàng đợi gửi hồ sơ (ổ đĩa đầy hoặc lỗi ổ đĩa). Giải phóng dung lượng ổ đĩa; "
        "hồ sơ vẫn được giữ và sẽ tự gửi tiếp."
    )


class SenderStalledError(UploadError):
    """The sender cannot make progress (its threads ended, the queue cannot be written, the token is refused):
    `station upload --wait` ends with this instead of waiting forever. The items stay queued."""

    code = "sender_stalled"
    default_user_message = (
        "Bộ gửi hồ sơ không thể tiếp tục (xem lý do). Hồ sơ vẫn nằm trong hàng đợi; sửa nguyên nhân rồi chạy lại."
    )


class CorruptQueueItemError(UploadError):
    code = "corrupt_queue_item"
    default_user_message = "Một mục trong hàng đợi bị hỏng. Đưa lại thư mục hồ sơ vào hàng đợi (station upload)."


class ManifestError(UploadError):
    exit_code = 4
    code = "manifest"
    default_user_message = "Thư mục hồ sơ không hợp lệ (thiếu hoặc hỏng manifest.json). Xử lý lại hồ sơ rồi gửi."


class SenderBusyError(UploadError):
    code = "sender_busy"
    default_user_message = "Một chương trình khác đang gửi hàng đợi này. Đợi chương trình đó gửi xong."


class QueueItemNotFoundError(UploadError):
    exit_code = 2
    code = "not_found"
    default_user_message = "Không có mục này trong hàng đợi. Xem danh sách bằng lệnh station queue."
