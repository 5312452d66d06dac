"""The `annotator` command line, one module per command. It never imports Qt unless the GUI
is asked for.

`main` runs it (the `annotator` script and `python -m annotator`); `parser` builds it; each
other module adds one command (`add_command`) and runs it (`run`). A command's module imports
nothing heavy until its command runs, so building the parser stays fast.
"""

from annotator.cli.main import main
from annotator.cli.parser import build_parser, parse_arguments
from annotator.cli.usage import Parser, UsageError

__all__ = ["Parser", "UsageError", "build_parser", "main", "parse_arguments"]
