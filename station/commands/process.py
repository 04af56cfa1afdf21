"""`station process INPUT... --out DIR`: headless batch digitization into PDF/A documents and manifests."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanning.errors import StationError
from scanning.models import ColorMode
from station.batch.split import SplitMode
from station.exit_codes import ExitCode, exit_code_of
from station.runtime import Runtime

if TYPE_CHECKING:
    from station.signing import TokenSession
    from station.signing.documents import DocumentSigner


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from station.pipeline import default_jobs

    parser = sub.add_parser(
        "process",
        help="digitize files, folders or a scanner's feeder into PDF/A documents per dossier",
        description="Cleans and recognises every page, splits the stream into dossiers (at each new dossier code) "
        "and documents (at separator sheets, blank pages or files), and writes "
        "DIR/<dossier>/NN-<type>.pdf plus manifest.json. Re-running after a crash continues where it stopped. "
        "Exit status 1 if anything failed (after finishing all the rest).",
    )
    parser.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", help="files or folders, in order")
    parser.add_argument("--device", help="read the pages from this scanner's feeder instead of files")
    parser.add_argument("--resolution", type=int, default=None, help="with --device: dpi (default from settings)")
    parser.add_argument("--mode", choices=[m.value for m in ColorMode], default=None,
                        help="with --device: colour mode (default from settings)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="backend_options",
                        help="with --device: a backend-specific SANE option (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="pages in parallel (default: cores)")
    parser.add_argument("--split", choices=[m.value for m in SplitMode], default=SplitMode.AUTO.value,
                        help="document boundaries: separator sheets if any else files (auto), separator, "
                        "blank, file")
    parser.add_argument("--lang", default=None, help="Tesseract languages (default from settings: vie+eng)")
    parser.add_argument("--pdf-dpi", type=int, default=300, help="resolution for rendering PDF inputs")
    parser.add_argument("--operator", default=None, help="operator id written into the PDF metadata")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--cluster", metavar="URL", default=None,
                        help="send the pages to `station worker`s on this Redis broker "
                        "(redis://[:PASSWORD@]HOST:PORT/DB or rediss://); --out must be on a folder the workers share")
    parser.add_argument("--sign", action="store_true",
                        help="sign every document with the officer's key (PAdES; token from STATION_PKCS11_*, PIN from "
                        "STATION_PKCS11_PIN); the manifest records the level")
    parser.add_argument("--officer", default=None, help="with --sign: the officer's name on the stamp (default: the "
                        "certificate's name)")
    parser.add_argument("--copy-form", choices=["SAO Y", "SAO LỤC", "TRÍCH SAO"], default=None,
                        help="with --sign and --agency: add the agency's true-copy signature "
                        "(STATION_PKCS11_AGENCY_KEY)")
    parser.add_argument("--agency", default=None, help="with --copy-form: the copying agency's name")
    parser.set_defaults(run=run)


def _open_signer(args: argparse.Namespace, runtime: Runtime) -> tuple[TokenSession | None, DocumentSigner | None]:
    """The token session and the signer of every document (`--sign`), opened before the first page: a wrong PIN
    or a missing token stops the run before any work. (None, None) without --sign."""
    from station.signing import EnvironmentPin, Role, SigningNotConfiguredError, TokenSession
    from station.signing.documents import DocumentSigner, TrueCopy
    from station.signing.models import CopyForm

    if not args.sign:
        return None, None
    if not runtime.signing.configured:
        raise SigningNotConfiguredError("station process --sign: signing is not configured")
    token = TokenSession(runtime.signing, EnvironmentPin())
    token.open()
    try:
        true_copy = TrueCopy(CopyForm(args.copy_form), args.agency) if args.copy_form else None
        return token, DocumentSigner(token, args.officer or token.signer_name(Role.OFFICER), true_copy)
    except BaseException:
        token.close()
        raise


def _inputs(args: argparse.Namespace) -> list[Path]:
    from station.commands.inspect import expand_inputs

    return list(expand_inputs(list(args.inputs)))


def _capture_from_device(args: argparse.Namespace, runtime: Runtime, work: Path) -> tuple[list[Path], bool]:
    """Scan the feeder into lossless files first: once captured, a page survives any later failure.
    Returns the files and whether the scanner stopped on a fault."""
    from scanning.drivers.sane_driver import SaneDriver
    from scanning.errors import ScannerError
    from scanning.models import ScanOptions, Source
    from station.commands.scan import parse_backend_options
    from station.output.pagedata import write_capture

    scanner = runtime.settings.scanner
    options = ScanOptions(source=Source.ADF, resolution=args.resolution or scanner.resolution,
                          mode=ColorMode(args.mode or scanner.mode))
    driver = SaneDriver(extra_options=parse_backend_options(args.backend_options))
    device: str = args.device
    files: list[Path] = []
    try:
        for page in driver.scan(device, options):
            path = work / f"scan-{page.index:04d}.png"
            write_capture(path, page)  # sealed (station.atrest): a scanned ID card never lies on disk in clear
            files.append(path)
            print(f"scanned page {page.index}", file=sys.stderr)
    except ScannerError as err:
        print(f"station: scanner stopped after {len(files)} page(s): {err}\n  {err.user_message}", file=sys.stderr)
        return files, True
    return files, False


def run(args: argparse.Namespace) -> int:
    from station.runtime import load_runtime

    if not args.inputs and not args.device:
        print("station process: give INPUT files/folders or --device", file=sys.stderr)
        return ExitCode.USAGE
    if bool(args.copy_form) != bool(args.agency) or (args.copy_form and not args.sign):
        print("station process: --copy-form and --agency go together, with --sign", file=sys.stderr)
        return ExitCode.USAGE
    runtime = load_runtime(args)
    try:
        token, signer = _open_signer(args, runtime)
    except StationError as err:
        print(f"station: {err}\n  {err.user_message}", file=sys.stderr)
        return exit_code_of(err.exit_code)
    try:
        return _run(args, runtime, signer)
    finally:
        if token is not None:
            token.close()


def _run(args: argparse.Namespace, runtime: Runtime, signer: DocumentSigner | None) -> int:
    from dataclasses import replace

    from station.batch.resume_log import WORK_DIR_NAME, private_dir
    from station.batch.runner import OutputNotWritableError, run_batch
    from station.cluster.dispatch import on_cluster

    options = on_cluster(runtime.process_options(args.out, split=SplitMode(args.split)), args.cluster, os.environ)
    scanner_fault = False
    capture_dir: Path | None = None
    if args.device:
        # Captures live beside the output until the run succeeded: a crash later never loses a scanned page.
        try:
            args.out.mkdir(mode=0o700, parents=True, exist_ok=True)
            capture_dir = private_dir(private_dir(args.out / WORK_DIR_NAME) / f"scan-{datetime.now():%Y%m%d-%H%M%S}")
        except OSError as err:
            refused = OutputNotWritableError(f"output folder {args.out} is not writable: {err.strerror or err}")
            print(f"station: {refused}\n  {refused.user_message}", file=sys.stderr)
            return exit_code_of(refused.exit_code)
        inputs, scanner_fault = _capture_from_device(args, runtime, capture_dir)
        if options.split is SplitMode.AUTO:
            options = replace(options, split=SplitMode.SEPARATOR)  # one feeder stack: one stream of pages
    else:
        inputs = _inputs(args)
    missing = [p for p in inputs if not p.exists()]
    for path in missing:
        print(f"station: {path}: no such file or folder", file=sys.stderr)
    inputs = [p for p in inputs if p.exists()]
    progress, close = _progress_bar(not args.quiet and sys.stderr.isatty())
    try:
        summary = run_batch(inputs, options, progress, signer)
    except StationError as err:  # what happened, and in Vietnamese what to do; the work done so far is kept
        print(f"station: {err}\n  {err.user_message}", file=sys.stderr)
        return exit_code_of(err.exit_code)
    finally:
        close()
    if capture_dir is not None:
        if summary.failures or scanner_fault:
            print(f"station: the scanned pages are kept in {capture_dir}; to finish this batch run:\n"
                  f"  station process {capture_dir} --out {args.out} --split separator", file=sys.stderr)
        else:
            shutil.rmtree(capture_dir, ignore_errors=True)
    for failure in summary.failures:
        print(f"station: {failure}", file=sys.stderr)
    rate = summary.pages / summary.elapsed_s * 60 if summary.elapsed_s else 0.0
    print(
        f"{summary.pages} page(s), {len(summary.documents)} document(s) in {len(summary.manifests)} dossier(s), "
        f"{summary.excluded} page(s) excluded, {len(summary.failures)} failure(s)"
        f"{' (resumed)' if summary.resumed else ''} — {summary.elapsed_s:.1f} s, {rate:.0f} pages/min -> {args.out}"
    )
    return ExitCode.PARTIAL if summary.failures or missing or scanner_fault else ExitCode.OK


def _progress_bar(enabled: bool) -> tuple[Any, Any]:
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(unit="page", desc="station process", file=sys.stderr, dynamic_ncols=True)

    def update(done: int, source: str) -> None:
        bar.n = done
        bar.set_postfix_str(Path(source).name, refresh=False)
        bar.refresh()

    return update, bar.close
