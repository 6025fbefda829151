"""The `immunoextract` command line: one module per subcommand, registered on one typer app."""
from ._util import app, main  # noqa: F401

# Subcommand modules register themselves on `app` when imported here.
from . import annotations, batch, convert, evaluate, extract, graph, read, render, timeline, train  # noqa: F401,E402
