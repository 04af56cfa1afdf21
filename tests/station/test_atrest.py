"""Encryption at rest: round trip, tamper and wrong-key detection, symlinks refused, private modes, the key."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from station import atrest
from station.atrest import AtRestError, AtRestKeyError, read_sealed, write_sealed

PAYLOAD = "Nguyễn Văn Ánh — Giấy tờ đất đai — số 001099012345".encode() + bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cấu hình"
    monkeypatch.setenv("STATION_CONFIG_DIR", str(folder))
    atrest.forget_cached_key()
    yield folder
    atrest.forget_cached_key()


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for a desktop keyring (none can run on a build machine)."""

    priority = 5

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.fail = fail

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail:
            raise keyring.errors.KeyringLocked("locked")
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_round_trip_is_private_and_unreadable_on_disk(tmp_path: Path, own_config_dir: Path) -> None:
    target = tmp_path / "phiên" / "trang-001.png.sealed"
    write_sealed(target, PAYLOAD)
    blob = target.read_bytes()
    assert blob.startswith(atrest.HEADER)
    assert "Nguyễn".encode() not in blob and b"001099012345" not in blob
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert read_sealed(target) == PAYLOAD
    key_file = own_config_dir / atrest.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_bytes())) == 32
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left behind


def test_same_data_sealed_twice_differs(tmp_path: Path) -> None:
    write_sealed(tmp_path / "a", PAYLOAD)
    first = (tmp_path / "a").read_bytes()
    write_sealed(tmp_path / "a", PAYLOAD)
    assert (tmp_path / "a").read_bytes() != first  # fresh nonce each time


@pytest.mark.parametrize("offset", [len(atrest.HEADER) + 3, -1, 40])
def test_any_flipped_byte_is_detected(tmp_path: Path, offset: int) -> None:
    target = tmp_path / "thẻ.png"
    write_sealed(target, PAYLOAD)
    blob = bytearray(target.read_bytes())
    blob[offset] ^= 0x01
    target.write_bytes(bytes(blob))
    with pytest.raises(AtRestError) as caught:
        read_sealed(target)
    assert "Nguyễn" not in str(caught.value) and caught.value.exit_code == 4  # ExitCode.INPUT
    assert "mã hoá" in caught.value.user_message


def test_truncated_header_and_version_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "p.png"
    write_sealed(target, PAYLOAD)
    blob = target.read_bytes()
    target.write_bytes(blob[:20])
    with pytest.raises(AtRestError, match="truncated"):
        read_sealed(target)
    target.write_bytes(atrest.MAGIC + b"\x02" + blob[len(atrest.HEADER):])
    with pytest.raises(AtRestError, match="version"):
        read_sealed(target)
    target.write_bytes(PAYLOAD)  # a plain file where a sealed one belongs
    with pytest.raises(AtRestError):
        read_sealed(target)


def test_swapped_files_are_detected(tmp_path: Path) -> None:
    write_sealed(tmp_path / "page-1", b"one")
    write_sealed(tmp_path / "page-2", b"two")
    os.replace(tmp_path / "page-2", tmp_path / "page-1")  # the name is authenticated
    with pytest.raises(AtRestError, match="renamed"):
        read_sealed(tmp_path / "page-1")


def test_other_key_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.png"
    write_sealed(target, PAYLOAD)
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "another-station"))
    with pytest.raises(AtRestError, match="another key"):
        read_sealed(target)


def test_key_is_created_once_and_kept(tmp_path: Path, own_config_dir: Path) -> None:
    write_sealed(tmp_path / "p", PAYLOAD)
    key_bytes = (own_config_dir / atrest.KEY_FILE).read_bytes()
    atrest.forget_cached_key()  # as a new process would
    assert read_sealed(tmp_path / "p") == PAYLOAD
    assert (own_config_dir / atrest.KEY_FILE).read_bytes() == key_bytes


def test_malformed_key_file_is_refused_not_replaced(tmp_path: Path, own_config_dir: Path) -> None:
    own_config_dir.mkdir(parents=True)
    (own_config_dir / atrest.KEY_FILE).write_text("không phải khoá\n", encoding="utf-8")
    with pytest.raises(AtRestKeyError, match="malformed"):
        write_sealed(tmp_path / "p", PAYLOAD)
    assert (own_config_dir / atrest.KEY_FILE).read_text(encoding="utf-8") == "không phải khoá\n"


def test_symlinks_are_refused_on_read_and_replaced_not_followed_on_write(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_sealed(real, PAYLOAD)
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(AtRestError, match="symlink"):
        read_sealed(link)
    assert not atrest.is_sealed(link)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"untouched")
    planted = tmp_path / "planted"
    planted.symlink_to(elsewhere)
    write_sealed(planted, PAYLOAD)
    assert elsewhere.read_bytes() == b"untouched"
    assert not planted.is_symlink() and read_sealed(planted) == PAYLOAD


def test_a_symlinked_key_file_is_refused(tmp_path: Path, own_config_dir: Path) -> None:
    own_config_dir.mkdir(parents=True)
    decoy = tmp_path / "decoy.key"
    decoy.write_bytes(base64.b64encode(bytes(32)))
    (own_config_dir / atrest.KEY_FILE).symlink_to(decoy)
    with pytest.raises(AtRestError, match="symlink"):
        write_sealed(tmp_path / "p", PAYLOAD)


def test_two_processes_starting_together_agree_on_one_key(tmp_path: Path, own_config_dir: Path) -> None:
    code = (
        "import hashlib, sys; from station import atrest; "
        "sys.stdout.write(hashlib.sha256(atrest.station_key()).hexdigest())"
    )
    env = {**os.environ, "STATION_CONFIG_DIR": str(own_config_dir)}
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env) for _ in range(4)]
    digests = {p.communicate(timeout=60)[0] for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(digests) == 1


def test_os_keyring_holds_the_key_when_usable(tmp_path: Path, own_config_dir: Path,
                                              memory_keyring: MemoryKeyring) -> None:
    write_sealed(tmp_path / "p", PAYLOAD)
    assert not (own_config_dir / atrest.KEY_FILE).exists()
    stored = memory_keyring.items[(atrest.KEYRING_SERVICE, atrest.KEYRING_KEY_NAME)]
    assert len(base64.b64decode(stored)) == 32
    atrest.forget_cached_key()
    assert read_sealed(tmp_path / "p") == PAYLOAD
    assert "keyring" in atrest.key_location()


def test_locked_keyring_is_a_typed_error_not_a_new_key(tmp_path: Path, own_config_dir: Path,
                                                       memory_keyring: MemoryKeyring) -> None:
    memory_keyring.fail = True
    with pytest.raises(AtRestKeyError) as caught:
        write_sealed(tmp_path / "p", PAYLOAD)
    assert "kho khoá" in caught.value.user_message
    assert not (own_config_dir / atrest.KEY_FILE).exists()
    assert not (tmp_path / "p").exists()


def test_plain_file_keyring_is_not_an_os_keyring() -> None:
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        assert atrest.os_keyring() is None
    finally:
        keyring.set_keyring(previous)


def test_large_files_are_sealed_in_chunks_in_the_same_format(tmp_path: Path) -> None:
    big = os.urandom(3 * atrest.CHUNK_BYTES + 12345)
    target = tmp_path / "ảnh chụp lớn.png"
    write_sealed(target, big)
    blob = target.read_bytes()
    assert atrest.unseal(blob, name=target.name) == big  # interchangeable with the one-shot form
    assert read_sealed(target) == big
    tampered = bytearray(blob)
    tampered[len(blob) // 2] ^= 0x80
    target.write_bytes(bytes(tampered))
    with pytest.raises(AtRestError, match="modified"):
        read_sealed(target)
    (tmp_path / "x").write_bytes(atrest.seal(big, name="x"))
    assert read_sealed(tmp_path / "x") == big
