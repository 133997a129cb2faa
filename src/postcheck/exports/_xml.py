"""What the XML readers (WordPress, Blogger) share: each file read on its own, errors named."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from ._base import Context, ExportError, Item, Source

FileReader = Callable[[Source, str, Context], Iterator[Item]]


def read_xml_files(src: Source, ctx: Context, suffixes: tuple[str, ...], read_file: FileReader) -> Iterator[Item]:
    """Run ``read_file`` on every file with one of ``suffixes``; a broken file becomes an ExportError."""
    for name in src.names():
        if not name.lower().endswith(suffixes):
            continue
        try:
            yield from read_file(src, name, ctx)
        except ParseError as exc:
            yield ExportError(name, f"malformed XML: {exc}")
        except DefusedXmlException as exc:
            yield ExportError(name, f"refused XML feature: {exc}")
        except (ValueError, OSError) as exc:
            yield ExportError(name, f"cannot read: {exc}")
