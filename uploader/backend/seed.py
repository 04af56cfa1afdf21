"""Sample procedures and dossiers the reference backend starts with.

Illustrative data: procedure names and document lists are examples for testing, not the national
catalogue; applicants are invented.
"""

from __future__ import annotations

from typing import Final

# (code, name, ((doc code, doc name, required), ...))
PROCEDURES: Final = (
    (
        "1.000656",
        "Đăng ký khai sinh",
        (
            ("to-khai", "Tờ khai đăng ký khai sinh", True),
            ("giay-chung-sinh", "Giấy chứng sinh", True),
            ("cccd", "Căn cước / CCCD của người đi đăng ký", True),
            ("giay-ket-hon", "Giấy chứng nhận kết hôn của cha mẹ", False),
        ),
    ),
    (
        "1.001612",
        "Đăng ký thường trú",
        (
            ("to-khai-cu-tru", "Tờ khai thay đổi thông tin cư trú (CT01)", True),
            ("giay-to-cho-o", "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", True),
            ("cccd", "Căn cước / CCCD", True),
        ),
    ),
    (
        "2.000908",
        "Chứng thực bản sao từ bản chính",
        (
            ("ban-chinh", "Bản chính giấy tờ cần chứng thực", True),
            ("ban-sao", "Bản sao cần chứng thực", True),
        ),
    ),
)

# (code, procedure, applicant name, id number, status)
DOSSIERS: Final = (
    ("000.00.01.H22-250702-0013", "1.000656", "Nguyễn Thị Minh Anh", "001190012345", "open"),
    ("000.00.01.H22-250702-0014", "1.001612", "Trần Văn Bình", "001085054321", "open"),
    ("000.00.01.H22-250703-0001", "2.000908", "Lê Hoàng Cúc", None, "open"),
    ("000.00.01.H22-250615-0002", "1.000656", "Phạm Quốc Dũng", "001092011111", "closed"),
)
