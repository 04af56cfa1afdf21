"""`station sign FILE.pdf... --as officer|agency`: sign existing PDF files in place, atomically."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from station.exit_codes import ExitCode
from station.signing import (
    AgencyStamp,
    CopyForm,
    EnvironmentPin,
    OfficerStamp,
    Role,
    SigningNotConfiguredError,
    TokenSession,
    sign_file,
)
from station.signing.document import scan_time_of
from station.signing.errors import SignedFileError
from station.signing.models import Stamp

SUMMARY = "sign PDF files in place with the officer's or the agency's key (PKCS#11 token)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sign", help=SUMMARY,
        description="Adds a PAdES signature to each FILE as an incremental update (the signed bytes are kept): the "
        "officer's visible stamp at the top left of page 1, or the agency's true-copy text at the top right. Token "
        "from STATION_PKCS11_MODULE / STATION_PKCS11_TOKEN / STATION_PKCS11_KEY (agency: STATION_PKCS11_AGENCY_KEY), "
        "PIN from STATION_PKCS11_PIN, timestamps from STATION_TSA_URL. Exit status 8 when signing stopped.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="PDF files, signed in place")
    parser.add_argument("--as", dest="role", choices=[role.value for role in Role], required=True,
                        help="which signature")
    parser.add_argument("--officer", help="officer's name on the stamp (default: the certificate's name)")
    parser.add_argument("--copy-form", choices=[form.value for form in CopyForm], help="with --as agency")
    parser.add_argument("--agency", help="with --as agency: the copying agency's name")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from station.runtime import load_runtime

    role = Role(args.role)
    if role is Role.AGENCY and not (args.copy_form and args.agency):
        print("station sign: --as agency needs --copy-form and --agency", file=sys.stderr)
        return ExitCode.USAGE
    config = load_runtime(args).signing
    if not config.configured:
        raise SigningNotConfiguredError("station sign: signing is not configured")
    failed = 0
    with TokenSession(config, EnvironmentPin()) as token:
        for path in args.files:
            try:
                level = sign_file(path, token, _stamp(args, role, path, token))
            except SignedFileError as err:  # this file only; token faults stop the run (raised)
                print(f"station: {path}: {err}\n  {err.user_message}", file=sys.stderr)
                failed += 1
                continue
            print(f"{path}: signed as {role.value} (PAdES {level.value})")
    return ExitCode.PARTIAL if failed else ExitCode.OK


def _stamp(args: argparse.Namespace, role: Role, path: Path, token: TokenSession) -> Stamp:
    if role is Role.AGENCY:
        return AgencyStamp(CopyForm(args.copy_form), args.agency, datetime.now(UTC))
    try:
        scanned = scan_time_of(path.read_bytes())
    except OSError:
        scanned = None
    return OfficerStamp(args.officer or token.signer_name(Role.OFFICER), scanned or datetime.now(UTC))
