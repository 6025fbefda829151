"""Exceptions and warnings of immunoextract.

One root (`ImmunoextractError`) with branches that also inherit the builtin a
caller would expect, so `except ValueError` keeps working. Every error carries
the context a user needs to find the problem: the file, the line, the document.
Imports only the standard library.
"""
from typing import Iterable, Optional, Sequence


class ImmunoextractError(Exception):
    """Root of every error raised on purpose by immunoextract."""


class InputError(ImmunoextractError, ValueError):
    """Input a user gave cannot be read: names the file, the line or document, and what is wrong."""

    def __init__(
        self,
        problem: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        doc_id: Optional[str] = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.doc_id = doc_id
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path) + (f":{self.line}" if self.line is not None else ""))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.doc_id is not None:
            where.append(f"document {self.doc_id!r}")
        prefix = " ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem


class SchemaError(InputError):
    """A record breaks `ANNOTATION_SCHEMA.md` (offsets, labels, ids, argument types)."""


class FilingError(InputError):
    """A filing cannot be read: empty, binary, undecodable or structurally broken."""


class ModelError(ImmunoextractError, RuntimeError):
    """A pipeline cannot be loaded or does not have the components a command needs."""


class ImmunoextractWarning(UserWarning):
    """Root of the warnings emitted by immunoextract (conversion losses, skipped input)."""


def check_choices(component: str, setting: str, given: Iterable[str], allowed: Sequence[str], problem: str) -> None:
    """Raise an InputError naming the component, the setting and the values of `given` not in `allowed`
    (`[relation_rules] coordinated_lists: ALIAS_OF cannot be copied; choose from ...`)."""
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise InputError(f"[{component}] {setting}: {', '.join(unknown)} {problem}; choose from {', '.join(allowed)}")
