"""A logo upload is checked by its content; an SVG is rebuilt from an allow-list (gateway/logos.py)."""
import io

import pytest
from PIL import Image

from gateway.logos import MAX_LOGO_BYTES, checked_logo
from interlude.errors import InvalidInput, PayloadTooLarge


def png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_png_and_jpeg_are_known_by_content_and_keyed_by_it():
    logo = checked_logo(png())
    assert (logo.extension, logo.content_type) == ("png", "image/png")
    assert logo.key("cln_1").startswith("branding/cln_1/logo-") and logo.key("cln_1") != checked_logo(png((41, 20))).key("cln_1")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="JPEG")
    assert checked_logo(out.getvalue()).extension == "jpg"


@pytest.mark.parametrize("data", [b"", b"GIF89a....", b"\x89PNG\r\n\x1a\nbroken", b"<html><script>1</script></html>"])
def test_anything_else_is_refused_with_a_clear_message(data):
    with pytest.raises(InvalidInput, match="logo"):
        checked_logo(data)


def test_a_large_file_is_refused():
    with pytest.raises(PayloadTooLarge):
        checked_logo(b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES)


def test_svg_loses_scripts_handlers_and_outside_references():
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
           b' viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
           b'<image href="https://evil.example/x.png"/><rect width="10" height="10" fill="url(https://evil.example/p)"'
           b' style="fill: red"/><circle r="3" fill="#123456" onclick="x()"/><use xlink:href="https://evil.example/#a"/>'
           b'<use xlink:href="#c"/><foreignObject><p>hi</p></foreignObject><text x="1">Harbour</text></svg>')
    clean = checked_logo(svg)
    text = clean.data.decode()
    assert clean.extension == "svg" and "<circle" in text and "Harbour" in text and 'fill="#123456"' in text
    for bad in ("script", "onload", "onclick", "evil.example", "image", "foreignObject", "style"):
        assert bad not in text, bad
    assert 'href="#c"' in text


def test_a_deeply_nested_svg_is_refused():
    deep = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 2000 + b"</g>" * 2000 + b"</svg>"
    with pytest.raises(InvalidInput, match="nests"):
        checked_logo(deep)


def test_svg_with_entities_is_refused():
    with pytest.raises(InvalidInput, match="DOCTYPE"):
        checked_logo(b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
