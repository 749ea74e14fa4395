"""A clinic's logo upload, checked by its content (never its name or declared type).

PNG and JPEG must open as such with Pillow, within a size in bytes and in pixels (no decompression
bomb). An SVG is parsed and rebuilt from an allow-list of drawing elements and attributes: no
script, no event handler, no style sheet, no DOCTYPE or entity, no link or image that points
anywhere but inside the drawing itself, so a PDF render or a browser showing it fetches nothing.
"""
from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from interlude.errors import InvalidInput, PayloadTooLarge

MAX_LOGO_BYTES = 512 * 1024
MAX_PIXELS = 4096 * 4096
MAX_SVG_DEPTH = 40          # a drawing nested deeper is refused (no recursion blow-up)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset("""svg g path rect circle ellipse line polyline polygon text tspan defs title desc
    linearGradient radialGradient stop clipPath mask use symbol""".split())
SVG_ATTRIBUTES = frozenset("""id class viewBox width height x y x1 y1 x2 y2 cx cy r rx ry d points transform
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset stroke-opacity opacity clip-path clip-rule mask offset stop-color
    stop-opacity gradientUnits gradientTransform spreadMethod fx fy font-family font-size font-weight
    font-style text-anchor dominant-baseline letter-spacing preserveAspectRatio version
    href""".split())
# a paint or reference may point inside the drawing (url(#id)) and nowhere else
_OUTSIDE_REF = re.compile(r"url\s*\(\s*(?!['\"]?#)", re.I)


@dataclass(frozen=True)
class Logo:
    data: bytes
    extension: str        # png, jpg or svg
    content_type: str

    def key(self, clinic_id: str) -> str:
        """Named by its content: a new logo is a new key, so nothing cached by key shows the old one."""
        return f"branding/{clinic_id}/logo-{hashlib.sha256(self.data).hexdigest()[:20]}.{self.extension}"


def checked_logo(data: bytes) -> Logo:
    if not data:
        raise InvalidInput("logo: choose a PNG, JPEG or SVG file.")
    if len(data) > MAX_LOGO_BYTES:
        raise PayloadTooLarge(f"logo: at most {MAX_LOGO_BYTES // 1024} KB; save a smaller image and try again.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Logo(_checked_raster(data, "PNG"), "png", "image/png")
    if data.startswith(b"\xff\xd8\xff"):
        return Logo(_checked_raster(data, "JPEG"), "jpg", "image/jpeg")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data.lower():
        return Logo(sanitised_svg(data), "svg", "image/svg+xml")
    raise InvalidInput("logo: this file is not a PNG, JPEG or SVG image.")


def _checked_raster(data: bytes, kind: str) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != kind:
                raise InvalidInput(f"logo: this file is not a valid {kind} image.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidInput("logo: the image is too large in pixels; 4096 × 4096 at most.")
            image.verify()
    except InvalidInput:
        raise
    except Exception:
        raise InvalidInput(f"logo: this file is not a valid {kind} image.") from None
    return data


def sanitised_svg(data: bytes) -> bytes:
    """The drawing rebuilt from allowed elements and attributes only (see the module's docstring)."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise InvalidInput("logo: an SVG with a DOCTYPE or entities is not accepted; export it as plain SVG.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise InvalidInput("logo: this SVG file could not be read as XML.") from None
    if _local(root.tag) != "svg":
        raise InvalidInput("logo: this file is not an SVG image.")
    clean = _clean(root, 0)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _clean(element: ET.Element, depth: int) -> ET.Element:
    if depth > MAX_SVG_DEPTH:
        raise InvalidInput(f"logo: this SVG nests more than {MAX_SVG_DEPTH} levels deep; simplify it and try again.")
    copy = ET.Element(f"{{{SVG_NS}}}{_local(element.tag)}")
    for name, value in element.attrib.items():
        local = _local(name)
        if local not in SVG_ATTRIBUTES or _OUTSIDE_REF.search(value):
            continue
        if local == "href":
            if not value.startswith("#"):
                continue
            name = f"{{{XLINK_NS}}}href"
        copy.set(name if name.startswith("{") and local == "href" else local, value)
    copy.text = element.text if _local(element.tag) in ("text", "tspan", "title", "desc") else None
    for child in element:
        if _local(child.tag) in SVG_ELEMENTS and (child.tag.startswith(f"{{{SVG_NS}}}") or "}" not in child.tag):
            cleaned = _clean(child, depth + 1)
            cleaned.tail = None
            copy.append(cleaned)
    return copy
