"""The exit status of every `station` command: one meaning per code.

Typed errors carry one of these as their ``exit_code`` (an ``int``, so the libraries need not import the
station); ``station/cli.py`` turns an error into its code in one place. The table in the README is
:data:`MEANINGS`, and a test keeps every member documented and every typed error class on a member.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PARTIAL = 1
    USAGE = 2
    DEVICE = 3
    INPUT = 4
    OUTPUT = 5
    UPLOAD = 6
    SETUP = 7
    SIGNATURE = 8
    INTERRUPTED = 130


# What each code means, for the README and `--help` texts (English; the CLI prints the Vietnamese message).
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "everything asked was done",
    ExitCode.PARTIAL: "the run went to the end but not everything was done: some input or page failed, or the run "
    "must be repeated to finish (a re-run continues where it stopped)",
    ExitCode.USAGE: "nothing was done as asked: bad arguments or settings, a refused (unsafe) path, a missing "
    "token, an unsupported scanner option",
    ExitCode.DEVICE: "the scanner failed (jam, cover open, gone, busy); pages scanned before are kept",
    ExitCode.INPUT: "an input cannot be read: unreadable or corrupt file, bad dossier folder or manifest, a "
    "missing or changed attachment, a sealed file that does not open",
    ExitCode.OUTPUT: "the output cannot be written: disk full, read-only or no permission, PDF/A not built",
    ExitCode.UPLOAD: "the upload failed or is stuck: an attachment failed permanently, the sender stalled, "
    "or --timeout passed",
    ExitCode.SETUP: "the station's installation is incomplete: Tesseract or its Vietnamese data, fonts, the sRGB "
    "profile, the keyring, or a database written by a newer version",
    ExitCode.SIGNATURE: "a document could not be signed (token missing or unplugged, wrong or locked PIN, expired or "
    "revoked certificate, timestamp server unreachable; the unsigned file is kept) or `station verify` found a "
    "file whose signatures are missing, broken or untrusted",
    ExitCode.INTERRUPTED: "stopped by Ctrl+C (SIGINT); what was finished before is kept",
}


def exit_code_of(value: int) -> ExitCode:
    """The member for an error's ``exit_code``; an unknown number is a bug, reported as PARTIAL."""
    try:
        return ExitCode(value)
    except ValueError:
        return ExitCode.PARTIAL
