"""Run every example in README.md and docs/**/*.md as a test, with Sybil.

Three kinds of example are checked:

* fenced ``python`` blocks: doctest style (``>>>``) is run as a doctest, any
  other ``python`` block is executed as is;
* MyST ``{doctest}`` directives, as doctests;
* fenced ``console`` blocks: each ``$ srcscore ...`` line is run in-process
  through :func:`srcscore._cli.main` with the repository root as working
  directory, and its standard output and error, together, must match the lines
  below it (doctest comparison with ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``).
  ``$ echo $?`` prints the exit status of the previous command, and a final
  ``< FILE`` feeds a file as standard input. Any other command or shell syntax
  fails the test, so no console example is silently skipped.

``sh`` blocks (install commands) are not examples and are not run.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import shlex
import sys
from collections.abc import Iterable
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser

ROOT = Path(__file__).resolve().parent
_PROMPT = "$ "


class ConsoleCommand:
    """One ``$ command`` line of a console block and the output it should print."""

    def __init__(self, command: str, want: str) -> None:
        self.command = command
        self.want = want

    def __repr__(self) -> str:
        return f"ConsoleCommand({self.command!r})"


def _run_srcscore(argv: list[str]) -> tuple[int, str]:
    """Run ``srcscore argv`` in-process at the repository root; return (status, output).

    ``< FILE`` at the end of ``argv`` feeds FILE (relative to the root) as standard input.
    """
    from srcscore._cli import main

    stdin_data = b""
    if len(argv) >= 2 and argv[-2] == "<":
        stdin_data = (ROOT / argv[-1]).read_bytes()
        argv = argv[:-2]
    if "<" in argv or ">" in argv or "|" in argv:
        raise ValueError(f"unsupported shell syntax in {argv!r}: only a final '< FILE'")
    stdin = io.TextIOWrapper(io.BytesIO(stdin_data), encoding="utf-8")
    output = io.StringIO()
    cwd, saved_stdin = os.getcwd(), sys.stdin
    os.chdir(ROOT)
    sys.stdin = stdin
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                status = main(argv)
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(cwd)
        sys.stdin = saved_stdin
    return status, output.getvalue()


def _evaluate_console(example: Example) -> str | None:
    commands: list[ConsoleCommand] = example.parsed
    namespace = example.namespace
    checker = doctest.OutputChecker()
    flags = ELLIPSIS | NORMALIZE_WHITESPACE
    for cmd in commands:
        argv = shlex.split(cmd.command)
        if argv == ["echo", "$?"]:
            if "console_status" not in namespace:
                return f"{cmd.command!r}: no command ran before it"
            got = f"{namespace['console_status']}\n"
        elif argv and argv[0] == "srcscore":
            status, got = _run_srcscore(argv[1:])
            namespace["console_status"] = status
        else:
            return f"console examples may only run 'srcscore ...' or 'echo $?', not {cmd.command!r}"
        if not checker.check_output(cmd.want, got, flags):
            want_example = doctest.Example(cmd.command, cmd.want)
            diff = checker.output_difference(want_example, got, flags)
            return f"$ {cmd.command}\n{diff}"
    return None


class ConsoleParser:
    """Find fenced ``console`` blocks and turn them into runnable commands."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer("console")

    def __call__(self, document: Document) -> Iterable[Region]:
        """Yield one region per console block, its commands parsed."""
        for region in self.lexer(document):
            commands: list[ConsoleCommand] = []
            for line in region.lexemes["source"].splitlines():
                if line.startswith(_PROMPT):
                    commands.append(ConsoleCommand(line[len(_PROMPT) :].strip(), ""))
                elif commands:
                    commands[-1].want += line + "\n"
                elif line.strip():
                    raise ValueError(
                        f"{document.path}: console block has output before any '$ ' command"
                    )
            if not commands:
                raise ValueError(f"{document.path}: console block without a '$ ' command")
            region.parsed = commands
            region.evaluator = _evaluate_console
            yield region


def _enter_root(namespace: dict[str, Any]) -> None:
    # Examples name files relative to the repository root (examples/, docs/examples/).
    namespace["_sybil_cwd"] = os.getcwd()
    os.chdir(ROOT)


def _leave_root(namespace: dict[str, Any]) -> None:
    os.chdir(namespace.pop("_sybil_cwd"))


class _DocsSybil(Sybil):
    """Collect README.md and docs/**/*.md exactly once, never the built site."""

    def should_parse(self, path: Path) -> bool:
        try:
            relative = path.resolve().relative_to(ROOT)
        except ValueError:
            return False
        parts = relative.parts
        if parts == ("README.md",):
            return True
        return (
            len(parts) >= 2
            and parts[0] == "docs"
            and relative.suffix == ".md"
            and "_build" not in parts
        )


pytest_collect_file = _DocsSybil(
    parsers=[
        PythonCodeBlockParser(),
        DocTestDirectiveParser(),
        ConsoleParser(),
    ],
    setup=_enter_root,
    teardown=_leave_root,
    name="docs",
).pytest()
