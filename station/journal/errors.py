"""Typed errors of the station journal (exit code and Vietnamese message, as every station error)."""

from __future__ import annotations

from scanning.errors import StationError


class JournalError(StationError):
    exit_code = 2
    default_user_message = "Không ghi/đọc được nhật ký trạm. Kiểm tra đường dẫn và quyền ghi rồi thử lại."


class UnknownPageError(JournalError):
    default_user_message = "Không tìm thấy trang này trong nhật ký."


class InvalidReviewError(JournalError):
    default_user_message = "Quyết định duyệt không hợp lệ: khi từ chối phải chọn một lý do trong danh sách."
