"""What the station's front ends (CLI, windows) need to know of any library's typed error.

Each library has its own error base (``scanning.errors.StationError``, ``ocr.errors.RecognitionError``,
``uploader.errors.UploaderError``), all carrying an ``exit_code`` and a Vietnamese ``user_message``. Front
ends map them through :class:`UserFacingError` (structural) or catch :data:`USER_FACING_ERRORS` (the
bases, for ``except``).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ocr.errors import RecognitionError
from scanning.errors import StationError
from uploader.errors import UploaderError


@runtime_checkable
class UserFacingError(Protocol):
    """A typed error: what the process exits with, and what the officer reads (Vietnamese)."""

    exit_code: int
    user_message: str


# The error bases of the libraries, for `except USER_FACING_ERRORS as err:` (err is a UserFacingError).
USER_FACING_ERRORS: tuple[type[Exception], ...] = (StationError, RecognitionError, UploaderError)


def user_facing(err: BaseException) -> UserFacingError | None:
    """`err` as a typed error, or None when it is not one (a bug, an OSError, ...)."""
    return err if isinstance(err, UserFacingError) else None
