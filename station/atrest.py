"""Encryption at rest for what the station keeps on disk about citizens (captures, card images, previews).

Format (version 1): ``b"STSEAL" | 0x01 | nonce (12 bytes) | AES-256-GCM ciphertext + tag``. The header and
the file's *name* are the associated data, so a sealed file cannot be swapped with another one (page 2 put
in place of page 1) or have its header changed without the read failing. Sealed files must therefore
keep their name; moving them to another folder is fine.

The key is 32 random bytes, created once on first use and never logged. It lives in the OS keyring
(service ``digitization-station``, name ``at-rest-key``, base64). Where no OS keyring is usable (no
desktop session, keyring disabled, only keyrings.alt's plain files), it lives in the documented fallback
file ``<config dir>/at-rest.key`` (mode 0600). A key file that exists is always used first, so data sealed
in fallback mode stays readable if a keyring appears later. Losing the key makes sealed files unreadable:
that is the point; the backend keeps the confirmed copies.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import fcntl
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scanning.errors import StationError
from station.fsutil import fsync_dir, write_atomic, write_atomic_parts
from station.settings import config_dir

MAGIC = b"STSEAL"
VERSION = 1
HEADER = MAGIC + bytes([VERSION])
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
KEYRING_SERVICE = "digitization-station"
KEYRING_KEY_NAME = "at-rest-key"
KEY_FILE = "at-rest.key"
_LOCK_FILE = ".at-rest.lock"
# Large captures are encrypted in pieces: the library holds the GIL for each call, and a 20 MB capture in
# one call would pause the counter's window for ~30 ms. Same bytes on disk as the one-shot AESGCM.
CHUNK_BYTES = 1 << 20


class AtRestError(StationError):
    """A sealed file cannot be read (tampered, truncated, other key, a symlink) or the key is unavailable."""

    exit_code = 4  # ExitCode.INPUT (station/exit_codes.py)
    default_user_message = (
        "Không đọc được dữ liệu đã mã hoá trên máy (tệp hỏng, bị sửa hoặc khoá mã hoá không khớp). "
        "Không xoá gì cả; báo cho quản trị viên."
    )


class AtRestKeyError(AtRestError):
    exit_code = 7  # ExitCode.SETUP (station/exit_codes.py)
    default_user_message = (
        "Không lấy được khoá mã hoá dữ liệu trên máy (kho khoá của hệ thống bị khoá hoặc lỗi). "
        "Mở khoá kho khoá rồi thử lại, hoặc báo cho quản trị viên."
    )


# --- sealing ------------------------------------------------------------------------------------------------

def _aad(name: str) -> bytes:
    return HEADER + b"\0" + name.encode("utf-8", "surrogateescape")


def seal(data: bytes, *, name: str, key: bytes | None = None) -> bytes:
    """`data` encrypted and authenticated for a file called `name` (the bytes `write_sealed` writes)."""
    nonce = os.urandom(NONCE_BYTES)
    return HEADER + nonce + AESGCM(key or station_key()).encrypt(nonce, data, _aad(name))


def _check_header(blob: bytes, name: str) -> None:
    if len(blob) < len(HEADER) + NONCE_BYTES + TAG_BYTES or not blob.startswith(MAGIC):
        raise AtRestError(f"{name}: not a sealed file or truncated")
    if blob[len(MAGIC)] != VERSION:
        raise AtRestError(f"{name}: unknown sealed-file version {blob[len(MAGIC)]}")


def unseal(blob: bytes, *, name: str, key: bytes | None = None) -> bytes:
    _check_header(blob, name)
    nonce = blob[len(HEADER):len(HEADER) + NONCE_BYTES]
    try:
        return AESGCM(key or station_key()).decrypt(nonce, blob[len(HEADER) + NONCE_BYTES:], _aad(name))
    except InvalidTag:
        raise AtRestError(f"{name}: sealed file was modified, renamed or sealed with another key") from None


def is_sealed(path: Path) -> bool:
    """Whether `path` starts with the sealed-file header (no decryption; symlinks count as not sealed)."""
    try:
        return _read_nofollow(path, limit=len(HEADER)) == HEADER
    except (OSError, AtRestError):
        return False


def write_sealed(path: Path, data: bytes) -> None:
    """Seal `data` into `path`: temp file (0600, created exclusively, so never through a link) + fsync +
    rename over `path`, then fsync of the folder."""
    if len(data) <= CHUNK_BYTES:
        write_atomic(path, seal(data, name=path.name))
        return
    key, nonce = station_key(), os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(path.name))
    view = memoryview(data)

    def parts() -> Iterator[bytes]:
        yield HEADER + nonce
        for start in range(0, len(view), CHUNK_BYTES):
            yield encryptor.update(view[start:start + CHUNK_BYTES])
        yield encryptor.finalize() + encryptor.tag

    write_atomic_parts(path, parts())


def read_maybe_sealed(path: Path) -> bytes:
    """A file the station may have sealed (the counter's outgoing PDFs) or left plain (a `station process`
    output queued by `station upload`): its content either way. Sealed files go through read_sealed."""
    return read_sealed(path) if is_sealed(path) else path.read_bytes()


def read_sealed(path: Path) -> bytes:
    """The data sealed in `path`. Refuses symlinks and non-regular files; raises AtRestError when the file
    was tampered with, truncated or sealed with another key. A missing file raises FileNotFoundError."""
    blob = _read_nofollow(path)
    if len(blob) <= CHUNK_BYTES + len(HEADER) + NONCE_BYTES + TAG_BYTES:
        return unseal(blob, name=path.name)
    _check_header(blob, path.name)
    nonce = blob[len(HEADER):len(HEADER) + NONCE_BYTES]
    body = memoryview(blob)[len(HEADER) + NONCE_BYTES:-TAG_BYTES]
    decryptor = Cipher(algorithms.AES(station_key()), modes.GCM(nonce, blob[-TAG_BYTES:])).decryptor()
    decryptor.authenticate_additional_data(_aad(path.name))
    plain = bytearray(len(body))
    for start in range(0, len(body), CHUNK_BYTES):
        chunk = body[start:start + CHUNK_BYTES]
        plain[start:start + len(chunk)] = decryptor.update(chunk)
    try:
        decryptor.finalize()  # nothing is returned before the tag checked out
    except InvalidTag:
        raise AtRestError(f"{path.name}: sealed file was modified, renamed or sealed with another key") from None
    return bytes(plain)


def _read_nofollow(path: Path, *, limit: int = -1) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise AtRestError(f"{path.name}: refusing to read a symlink") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise AtRestError(f"{path.name}: not a regular file")
        return handle.read(limit)


# --- the key ------------------------------------------------------------------------------------------------

_key_lock = threading.Lock()
_key_cache: dict[str, bytes] = {}


def station_key() -> bytes:
    """The station's at-rest key (created on first use). Cached per config dir for this process."""
    folder = config_dir()
    with _key_lock:
        cached = _key_cache.get(str(folder))
        if cached is None:
            cached = _key_cache[str(folder)] = _load_or_create_key(folder)
        return cached


def forget_cached_key() -> None:
    """Drop the in-process copy (tests; after an administrator rotated the key)."""
    with _key_lock:
        _key_cache.clear()


def key_location() -> str:
    """Where the key is (or would be) kept, for `station` diagnostics; never the key itself."""
    key_file = config_dir() / KEY_FILE
    if key_file.exists() or os_keyring() is None:
        return str(key_file)
    return f"OS keyring ({KEYRING_SERVICE} / {KEYRING_KEY_NAME})"


def os_keyring() -> keyring.backend.KeyringBackend | None:
    """The OS keyring, or None when none is usable. keyrings.alt's file backends are plain files somewhere
    under the home folder, not a keyring: the documented key file is used instead."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration means: no keyring
        return None
    candidates: list[keyring.backend.KeyringBackend] = list(getattr(backend, "backends", None) or [backend])
    for candidate in candidates:
        if isinstance(candidate, keyring.backends.fail.Keyring):
            continue
        if type(candidate).__module__.startswith("keyrings.alt.file"):
            continue
        try:
            usable = float(getattr(candidate, "priority", 0)) > 0
        except Exception:  # some backends raise from `priority` when their service is missing
            usable = False
        if usable:
            return candidate
    return None


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise AtRestKeyError(f"at-rest key in {where} is malformed")
    return key


def _load_or_create_key(folder: Path) -> bytes:
    key_file = folder / KEY_FILE
    with _interprocess_lock(folder):
        try:
            return _decode_key(_read_nofollow(key_file).decode("ascii", "replace"), str(key_file))
        except FileNotFoundError:
            pass
        except OSError as err:
            raise AtRestKeyError(f"cannot read the at-rest key file {key_file}: {err.strerror}") from None
        backend = os_keyring()
        if backend is not None:
            return _keyring_key(backend)
        key = os.urandom(KEY_BYTES)
        write_atomic(key_file, base64.b64encode(key) + b"\n")
        fsync_dir(folder)
        return key


def _keyring_key(backend: keyring.backend.KeyringBackend) -> bytes:
    where = f"the OS keyring ({KEYRING_SERVICE}/{KEYRING_KEY_NAME})"
    try:
        stored = backend.get_password(KEYRING_SERVICE, KEYRING_KEY_NAME)
        if stored is not None:
            return _decode_key(stored, where)
        key = os.urandom(KEY_BYTES)
        backend.set_password(KEYRING_SERVICE, KEYRING_KEY_NAME, base64.b64encode(key).decode("ascii"))
        # Read back: a keyring that accepts writes but does not keep them would lose every sealed file.
        if backend.get_password(KEYRING_SERVICE, KEYRING_KEY_NAME) != base64.b64encode(key).decode("ascii"):
            raise AtRestKeyError(f"{where} did not keep the at-rest key")
        return key
    except keyring.errors.KeyringError as err:
        raise AtRestKeyError(f"{where} failed: {type(err).__name__}") from None


@contextlib.contextmanager
def _interprocess_lock(folder: Path) -> Iterator[None]:
    """Two stations starting together must not create two different keys."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(folder / _LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
