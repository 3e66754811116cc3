"""Evidence files: the allow-list, the real type of a file, and image metadata stripping.

Evidence may one day be shown to the business, so nothing in it may point back at the inspector:
images are decoded and re-encoded with Pillow, which writes the pixels and nothing else (no EXIF
with its GPS position, device or time, no XMP, IPTC, ICC profile or text chunks). A photo's EXIF
orientation is applied to the pixels first, so the cleaned image still shows the right way up.
PDFs are checked by their signature and kept as they are.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
ALLOWED_CONTENT_TYPES: tuple[str, ...] = (JPEG, PNG, PDF)
MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Far above any phone camera (≈ 50 MP), far below a decompression bomb.
MAX_PIXELS = 80_000_000

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
_EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
_ORIENTATION = 0x0112


class EvidenceRejectedError(ValueError):
    """The file is not what it claims to be, or cannot be read as one."""


@dataclass(frozen=True)
class CleanedFile:
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(content: bytes) -> str | None:
    """The content type a file's leading bytes prove, among the allowed ones."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    return None


def extension_for(content_type: str) -> str:
    return _EXTENSIONS.get(content_type, "")


def clean(content: bytes, declared_type: str) -> CleanedFile:
    """Verify the file is the declared type and return it without metadata, with its SHA-256."""
    actual = sniff(content)
    if actual is None or actual != declared_type:
        raise EvidenceRejectedError(f"the file is not {declared_type}")
    cleaned = _strip_image(content, declared_type) if declared_type in _FORMATS else content
    return CleanedFile(cleaned, declared_type, hashlib.sha256(cleaned).hexdigest())


def _strip_image(content: bytes, content_type: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=[_FORMATS[content_type]])
            if image.width * image.height > MAX_PIXELS:
                raise EvidenceRejectedError("the image is too large")
            image.load()
            rotated = image.getexif().get(_ORIENTATION, 1) != 1
            oriented = ImageOps.exif_transpose(image) if rotated else image
            out = io.BytesIO()
            if content_type == JPEG:
                if not rotated:
                    # The original quantisation tables and subsampling: the pixels stay as they were.
                    image.save(out, "JPEG", quality="keep", optimize=False)
                else:
                    oriented.save(out, "JPEG", quality=95)
            else:
                oriented.save(out, "PNG")
        except EvidenceRejectedError:
            raise
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise EvidenceRejectedError("the image cannot be read") from exc
    return out.getvalue()
