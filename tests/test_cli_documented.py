"""Every `xxgk` command and option is documented in the README."""
from __future__ import annotations

import argparse
from pathlib import Path

from ingest.cli import make_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_in_the_readme() -> None:
    missing = [f"xxgk {opt}" for action in make_parser()._actions for opt in action.option_strings
               if opt.startswith("--") and opt != "--help" and f"xxgk {opt}" not in README]
    for name, sub in _subcommands().items():
        if f"xxgk {name}" not in README:
            missing.append(f"xxgk {name}")
        for action in sub._actions:
            missing += [f"xxgk {name} {opt}" for opt in action.option_strings
                        if opt.startswith("--") and opt != "--help" and opt not in README]
    assert missing == []
