"""Uploaded images are decoded in full and encoded again (issue #11, finding 5): what is stored
and served is pixels we wrote, so bytes after the image's end (an executable, HTML), metadata and
malformed chunks never reach another browser. A file that does not decode completely is refused."""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from interlude.errors import UnsupportedMediaType

MAX_PIXELS = 40_000_000   # a 8000 x 5000 photo; a decompression bomb is refused before decoding
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def reencode_image(data: bytes, content_type: str) -> bytes:
    fmt = PIL_FORMATS[content_type]
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UnsupportedMediaType(f"The image is {image.width} x {image.height} pixels: "
                                           f"make it smaller than {MAX_PIXELS // 1_000_000} megapixels.")
            image.load()   # every pixel decoded: a truncated or corrupt file fails here
            out = io.BytesIO()
            if fmt == "JPEG":
                (image if image.mode in ("RGB", "L") else image.convert("RGB")).save(out, "JPEG", quality=90)
            else:
                kept = image if image.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else image.convert("RGBA")
                kept.save(out, "PNG")
            return out.getvalue()
    except UnsupportedMediaType:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UnsupportedMediaType(f"The file is not a complete {fmt} image: export it again as {fmt} "
                                   "and upload that.") from None
