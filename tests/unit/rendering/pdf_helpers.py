"""Reading rendered PDFs back, for the rendering tests."""
from __future__ import annotations

import io
import struct
import zlib

import pypdf
from pypdf.generic import IndirectObject, StreamObject

PASSWD_LINE = b"root:x:0:0"


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def every_byte(pdf: bytes) -> bytes:
    """The raw file plus every stream decoded: WeasyPrint compresses streams, so a file embedded
    as an attachment would not show in the raw bytes."""
    pdf_reader = reader(pdf)
    chunks = [pdf]
    for number in range(1, int(pdf_reader.trailer["/Size"])):
        try:
            obj = pdf_reader.get_object(IndirectObject(number, 0, pdf_reader))
        except Exception:  # free or compressed-away entries
            continue
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"\n".join(chunks)


def attachment_names(pdf: bytes) -> list[str]:
    return sorted(reader(pdf).attachments)


def tiny_png(width: int = 4, height: int = 4) -> bytes:
    """A valid grey PNG, built by hand so the tests need no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
