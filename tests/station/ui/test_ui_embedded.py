"""Embedded defaults: with nothing configured the app starts the reference backend on 127.0.0.1 (a free port,
a fresh token) and stops it on exit; the virtual feeder reads the shipped sample pages through SANE."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanning.models import ScanOptions
from station.runtime import load_runtime
from station.ui.services import EmbeddedBackend, embedded_upload, wants_embedded_backend
from station.workflow.samples import SAMPLE_DOSSIER_CODE, VirtualFeeder, sample_pages
from uploader.client import BackendClient


def test_the_embedded_backend_serves_the_sample_dossier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATION_BACKEND_URL", raising=False)
    monkeypatch.delenv("STATION_BACKEND_TOKEN", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "cấu hình"))  # no settings file: nothing configured
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path))
    runtime = load_runtime(None)
    assert wants_embedded_backend(runtime)
    backend = EmbeddedBackend(tmp_path / "backend")
    backend.start()
    try:
        assert backend.wait_healthy()
        config = embedded_upload(runtime.upload, backend)
        assert config.backend_url == backend.url and config.backend_url.startswith("http://127.0.0.1:")
        client = BackendClient(config)
        dossier = client.get_dossier(SAMPLE_DOSSIER_CODE)
        client.close()
        assert "cccd" in {d.code for d in dossier.required_documents}
    finally:
        backend.stop()
    assert backend.proc is not None and backend.proc.poll() is not None


def test_the_virtual_feeder_scans_the_samples_through_sane() -> None:
    feeder = VirtualFeeder(count=9)
    try:
        pages = list(feeder.scan("virtual-feeder", feeder.options(ScanOptions())))
    finally:
        feeder.close()
    assert [p.index for p in pages] == list(range(1, 10))
    assert all(p.source == "pnm:0" and p.dpi == 300 for p in pages)
    assert pages[0].image.shape == (3508, 2480)  # A4 at 300 dpi, as shipped
    assert len(sample_pages()) == 7 and all(p.stat().st_size < 400_000 for p in sample_pages())
    assert (pages[7].image == pages[0].image).all()  # the feeder cycles through the samples


def test_the_embedded_backend_gets_its_token_from_the_environment_not_argv(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("STATION_BACKEND_TOKENS_FILE", str(tmp_path / "thư mục khác" / "tokens.json"))  # not its
    backend = EmbeddedBackend(tmp_path / "máy chủ nhúng")
    backend.start()
    try:
        assert backend.wait_healthy() and backend.proc is not None
        proc = Path("/proc") / str(backend.proc.pid)
        argv = (proc / "cmdline").read_bytes().split(b"\0")
        assert backend.token.encode() not in b" ".join(argv) and b"--token" not in argv  # `ps` shows argv
        environ = (proc / "environ").read_bytes().split(b"\0")
        assert f"STATION_BACKEND_TOKEN={backend.token}".encode() in environ
        assert not any(v.startswith(b"STATION_BACKEND_TOKENS_FILE=") for v in environ)
        folders = {"STATION_DATA_DIR": str(tmp_path), "STATION_CONFIG_DIR": str(tmp_path / "cấu hình")}
        client = BackendClient(embedded_upload(load_runtime(None, environ=folders).upload, backend))
        try:
            assert client.get_dossier(SAMPLE_DOSSIER_CODE).code == SAMPLE_DOSSIER_CODE  # the token opens it
        finally:
            client.close()
    finally:
        backend.stop()
