"""Fuzz the live reference backend from its OpenAPI document with schemathesis (CLI, in a subprocess).

This module is also the schemathesis hooks module (SCHEMATHESIS_HOOKS=tests.uploader.test_backend_fuzz): it teaches
schemathesis to generate application/pdf bodies, half real PDFs, half arbitrary bytes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import zlib
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import strategies as st

from tests.backend_fixtures import ROOT, BackendProcess

_TINY_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R /Size 3 >>\n%%EOF\n"
)
schemathesis.openapi.media_type(
    "application/pdf",
    st.one_of(st.just(_TINY_PDF), st.binary(max_size=512).map(lambda b: b"%PDF-1.7\n" + b), st.binary(max_size=256)),
)

OPEN_DOSSIER = "000.00.01.H22-250703-0001"  # seeded


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Half of the uploads go to a dossier that exists, with the body's true SHA-256, so the fuzzer also
    reaches the storing, replay and conflict paths instead of stopping at 404 / 422."""
    if case.operation.method.upper() != "PUT" or not case.path_parameters:
        return
    att = str(case.path_parameters.get("attachment_id", ""))
    if zlib.crc32(att.encode()) % 2 == 0:
        case.path_parameters["code"] = OPEN_DOSSIER
        if isinstance(case.body, bytes) and case.headers is not None:
            case.headers["X-Content-SHA256"] = hashlib.sha256(case.body).hexdigest()


CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


def test_schemathesis_finds_no_server_errors_or_contract_violations(live: BackendProcess, tmp_path: Path) -> None:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.uploader.test_backend_fuzz", "NO_PROXY": "127.0.0.1"}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [
        str(ROOT / ".venv" / "bin" / "schemathesis"),
        "run",
        str(ROOT / "uploader" / "openapi.yaml"),
        "--url",
        live.url,
        "-H",
        f"Authorization: Bearer {live.token}",
        "--checks",
        CHECKS,
        "--max-examples",
        "30",
        "--seed",
        "20250702",
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        "--output-sanitize",
        "true",
    ]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-4000:]
    assert "15 passed" in report or "Tested: 15" in report, report[-2000:]
    assert "Serialization not possible" not in report
    log = (live.data_dir.parent / f"backend-{live.port}.log").read_text(errors="replace")
    assert "Exception in ASGI application" not in log
    stats = live.stats()  # the backend is still up, and the fuzzer reached the storing path
    assert stats["created"] + stats["replayed"] + stats["conflicts"] > 0, stats
