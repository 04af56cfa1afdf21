"""Typed signing errors. ``str(err)`` is English and log-safe (never a PIN, never a citizen's data);
``user_message`` is Vietnamese and says what to do. Nothing is lost on any of them: an unsigned file stays as it
was, and the counter keeps the document waiting for its signature."""

from __future__ import annotations

from scanning.errors import StationError
from station.signing.pin import PinTries


class SigningError(StationError):
    exit_code = 8  # ExitCode.SIGNATURE (station/exit_codes.py)
    default_user_message = ("Không ký số được tài liệu. Tài liệu chưa ký vẫn được giữ nguyên; kiểm tra token ký số "
                            "rồi thử lại.")


class SigningNotConfiguredError(SigningError):
    exit_code = 2  # ExitCode.USAGE
    default_user_message = ("Chưa cấu hình ký số: cần đường dẫn thư viện PKCS#11, tên token và nhãn khóa "
                            "(STATION_PKCS11_MODULE, STATION_PKCS11_TOKEN, STATION_PKCS11_KEY hoặc phần Ký số trong "
                            "cài đặt).")


class TokenMissingError(SigningError):
    default_user_message = ("Không tìm thấy token ký số (chưa cắm, đã rút ra hoặc sai tên token). Cắm token rồi thử "
                            "lại; tài liệu chưa ký vẫn được giữ và sẽ được ký khi có token.")


class KeyNotFoundError(SigningError):
    exit_code = 2  # ExitCode.USAGE: the settings name a key the token does not hold
    default_user_message = ("Không tìm thấy khóa hoặc chứng thư số có nhãn đã cấu hình trên token. Kiểm tra nhãn khóa "
                            "trong cài đặt (STATION_PKCS11_KEY / STATION_PKCS11_AGENCY_KEY); tài liệu chưa ký vẫn "
                            "được giữ.")


class PinRequiredError(SigningError):
    default_user_message = ("Cần mã PIN của token để ký. Nhập mã PIN (hoặc đặt STATION_PKCS11_PIN cho chạy tự động); "
                            "tài liệu chưa ký vẫn được giữ.")


class WrongPinError(SigningError):
    """The token refused the PIN. Signing stops at once: trying again by itself would lock the token."""

    def __init__(self, message: str, tries: PinTries) -> None:
        self.tries = tries
        if tries is PinTries.FINAL_TRY:
            left = " Token chỉ còn 1 lần thử: nhập sai lần nữa token sẽ bị khóa."
        elif tries is PinTries.COUNT_LOW:
            left = " Token báo còn ít lần thử; kiểm tra kỹ trước khi nhập lại."
        else:
            left = ""
        super().__init__(message, user_message="Mã PIN của token không đúng. Đã dừng ký để token không bị khóa." + left
                         + " Tài liệu chưa ký vẫn được giữ.")


class PinFinalTryError(SigningError):
    default_user_message = ("Token chỉ còn 1 lần thử mã PIN nên trạm không tự thử mã PIN đã lưu. Nhập mã PIN bằng tay "
                            "trên trạm; tài liệu chưa ký vẫn được giữ.")


class PinLockedError(SigningError):
    default_user_message = ("Token đã bị khóa mã PIN. Liên hệ quản trị viên hoặc nhà cung cấp chứng thư số để mở "
                            "khóa; tài liệu chưa ký vẫn được giữ.")


class CertificateExpiredError(SigningError):
    default_user_message = ("Chứng thư số trên token đã hết hạn (hoặc chưa có hiệu lực) nên không ký được. Gia hạn "
                            "chứng thư số hoặc dùng token khác; tài liệu chưa ký vẫn được giữ.")


class CertificateRevokedError(SigningError):
    default_user_message = ("Chứng thư số trên token đã bị thu hồi nên không ký được. Liên hệ tổ chức cung cấp "
                            "chứng thư số; tài liệu chưa ký vẫn được giữ.")


class TsaUnreachableError(SigningError):
    default_user_message = ("Không kết nối được máy chủ dấu thời gian (TSA) nên chưa ký. Kiểm tra mạng rồi thử lại; "
                            "tài liệu chưa ký vẫn được giữ.")


class StampFontMissingError(SigningError):
    exit_code = 7  # ExitCode.SETUP
    default_user_message = ("Thiếu phông chữ cho chữ ký số (gói fonts-liberation2). Báo quản trị viên cài đặt; tài "
                            "liệu chưa ký vẫn được giữ.")


class SignedFileError(SigningError):
    exit_code = 4  # ExitCode.INPUT
    default_user_message = "Không đọc được tệp PDF cần ký (tệp hỏng hoặc không phải PDF). Kiểm tra tệp rồi thử lại."
