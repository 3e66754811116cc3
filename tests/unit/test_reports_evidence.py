"""Evidence files: the real type by signature, and images rewritten without metadata."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, PngImagePlugin
from PIL.ExifTags import GPS, IFD, Base

from nazer.domain.evidence import JPEG, PDF, PNG, EvidenceRejectedError, clean, sniff
from tests.support.reports_factories import jpeg_with_gps, tiny_pdf


def test_signatures_decide_the_type():
    assert sniff(jpeg_with_gps()) == JPEG
    assert sniff(tiny_pdf()) == PDF
    assert sniff(b"GIF89a....") is None
    assert sniff(b"") is None


def test_a_jpeg_loses_gps_device_and_time_but_keeps_its_pixels():
    # Given a photo whose EXIF carries a GPS position, a device and a time
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(IFD.GPSInfo)
    # When it is cleaned
    cleaned = clean(original, JPEG)
    # Then no EXIF remains, the picture is the same size and (near enough) the same pixels
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"Exif" not in cleaned.content and b"Samsung" not in cleaned.content and b"SM-A525F" not in cleaned.content
    before = Image.open(io.BytesIO(original)).convert("RGB")
    after = image.convert("RGB")
    assert after.size == before.size
    raw_before, raw_after = before.tobytes(), after.tobytes()
    mean_error = sum(abs(a - b) for a, b in zip(raw_before, raw_after, strict=True)) / len(raw_before)
    assert mean_error < 2  # re-encoded with the original quantisation tables
    assert cleaned.sha256 == hashlib.sha256(cleaned.content).hexdigest()


def test_a_rotated_photo_is_turned_upright_before_its_orientation_tag_goes():
    image = Image.new("RGB", (60, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[Base.Orientation] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    cleaned = Image.open(io.BytesIO(clean(out.getvalue(), JPEG).content))
    assert cleaned.size == (20, 60)
    assert len(cleaned.getexif()) == 0


def test_a_png_loses_text_chunks_and_exif_and_keeps_exact_pixels():
    image = Image.new("RGBA", (16, 16), (1, 2, 3, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Reza Rezaei")
    exif = Image.Exif()
    exif.get_ifd(IFD.GPSInfo)[GPS.GPSLatitudeRef] = "N"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif)
    cleaned = clean(out.getvalue(), PNG)
    result = Image.open(io.BytesIO(cleaned.content))
    assert result.info == {} or set(result.info) <= {"dpi", "gamma"}
    assert b"Reza" not in cleaned.content
    assert result.mode == image.mode and result.tobytes() == image.tobytes()


def test_a_pdf_is_kept_as_it_is():
    pdf = tiny_pdf()
    cleaned = clean(pdf, PDF)
    assert cleaned.content == pdf and cleaned.sha256 == hashlib.sha256(pdf).hexdigest()


@pytest.mark.parametrize(
    ("content", "declared"),
    [
        (b"%PDF-1.4 not an image", JPEG),  # a PDF declared as a photo
        (b"MZ\x90\x00 an executable", PDF),
        (b"\xff\xd8\xff but not really a jpeg", JPEG),  # the right signature, a broken file
        (jpeg_with_gps(), PNG),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(content, declared):
    with pytest.raises(EvidenceRejectedError):
        clean(content, declared)
