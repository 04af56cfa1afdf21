"""The `station` entry point: commands load lazily, their summaries agree, every command parses --help."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from station import cli


def _subparser_action(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise AssertionError("no subcommands")


def test_the_summary_table_says_what_each_command_module_says() -> None:
    loaded = _subparser_action(cli.build_parser())
    own = {choice.dest: choice.help for choice in loaded._choices_actions}
    assert own == {cli.command_name(module): summary for module, summary in cli.COMMANDS.items()}


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from station import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
        "    cli.main(['--help'])\n"
        "assert 'separator-sheet' in out.getvalue() and 'Căn cước' in out.getvalue(), out.getvalue()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('station.commands.') or m in ('fastapi', 'cv2'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("module", list(cli.COMMANDS))
def test_only_the_named_command_is_loaded_and_its_help_works(module: str, capsys: pytest.CaptureFixture[str]) -> None:
    word = cli.command_name(module)
    parser = cli.build_parser(["-v", word, "--help"])
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["-v", word, "--help"])
    assert stop.value.code == 0
    assert f"usage: station {word}" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["quét-thử"])
    assert stop.value.code == 2
    assert "quét-thử" in capsys.readouterr().err
