"""Real image files for tests, built with Pillow (and pillow-heif) in memory: good photos with metadata to
strip, and every kind of bad upload the submission must refuse."""

import io
import os
import secrets
import struct
import zlib
from fractions import Fraction

from PIL import ExifTags, Image, ImageCms
from PIL.TiffImagePlugin import IFDRational

# Distinctive strings planted in metadata, so tests can search stored bytes for them.
SECRET_COMMENT = b"SIGHTLINE-SECRET-COMMENT"
SECRET_XMP_TEXT = "SIGHTLINE-SECRET-XMP"
SECRET_MAKE = "SightlineSecretCam"
XMP_PACKET = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{SECRET_XMP_TEXT}"/>'
    "</rdf:RDF></x:xmpmeta>"
).encode()


def scene(width: int = 640, height: int = 480, mode: str = "RGB") -> Image.Image:
    """A picture with some structure (gradients and a block), so encoders have real work to do.

    A small block in the bottom-right corner gets a random colour: every sample is a different photo, so
    tests that count stored files are not fooled by a file an earlier test stored under the same hash."""
    image = Image.linear_gradient("L").resize((width, height))
    if mode == "L":
        return image
    red = image
    green = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    blue = Image.new("L", (width, height), 90)
    blue.paste(230, (width // 4, height // 4, width // 2, height // 2))
    picture = Image.merge("RGB", (red, green, blue))
    corner = (max(0, width - 16), max(0, height - 16), width, height)
    picture.paste(tuple(secrets.token_bytes(3)), corner)
    return picture.convert(mode) if mode != "RGB" else picture


def _rational_triple(value: float) -> tuple:
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = Fraction((minutes_float - minutes) * 60).limit_denominator(10_000)
    return (
        IFDRational(degrees, 1),
        IFDRational(minutes, 1),
        IFDRational(seconds.numerator, seconds.denominator),
    )


def gps_exif(lat: float, lon: float) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = SECRET_MAKE
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
    gps[ExifTags.GPS.GPSLatitude] = _rational_triple(abs(lat))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
    gps[ExifTags.GPS.GPSLongitude] = _rational_triple(abs(lon))
    return exif


ASCII, SHORT, LONG = 2, 3, 4


def raw_gps_exif(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """An EXIF block (little-endian TIFF) whose GPS IFD holds exactly `entries`: (tag, type, count, value).
    Values longer than four bytes go to a data area after the IFD, as the format wants."""
    gps_ifd_offset = 8 + 2 + 12 + 4
    data_offset = gps_ifd_offset + 2 + 12 * len(entries) + 4
    ifd0 = struct.pack("<H", 1) + struct.pack("<HHII", ExifTags.IFD.GPSInfo, LONG, 1, gps_ifd_offset)
    ifd0 += struct.pack("<I", 0)
    gps_ifd, data_area = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            gps_ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            gps_ifd += struct.pack("<HHII", tag, kind, count, data_offset + len(data_area))
            data_area += value + (b"\x00" if len(value) % 2 else b"")
    gps_ifd += struct.pack("<I", 0)
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd0 + gps_ifd + data_area


def malformed_gps_exifs() -> dict[str, Image.Exif | bytes]:
    """EXIF blocks whose GPS tags are broken in the ways real files are."""
    zero_denominators = Image.Exif()
    gps = zero_denominators.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(41, 0), IFDRational(0, 0), IFDRational(5, 0))
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(87, 0), IFDRational(37, 1), IFDRational(1, 0))

    # Pillow writes tags with the types the standard gives them, so wrong types are written by hand.
    wrong_types = raw_gps_exif(
        [
            (ExifTags.GPS.GPSLatitudeRef, SHORT, 1, struct.pack("<HH", 7, 0)),
            (ExifTags.GPS.GPSLatitude, ASCII, 16, b"forty-one north\x00"),
            (ExifTags.GPS.GPSLongitudeRef, ASCII, 2, b"W\x00\x00\x00"),
            (ExifTags.GPS.GPSLongitude, LONG, 1, struct.pack("<I", 87)),
        ]
    )

    too_short = Image.Exif()
    gps = too_short.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(41, 1), IFDRational(52, 1))
    gps[ExifTags.GPS.GPSLongitudeRef] = "Q"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(87, 1), IFDRational(37, 1), IFDRational(1, 1))

    out_of_range = Image.Exif()
    gps = out_of_range.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(141, 1), IFDRational(99, 1), IFDRational(1, 1))
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(987, 1), IFDRational(0, 1), IFDRational(0, 1))
    return {
        "zero_denominators": zero_denominators,
        "wrong_types": wrong_types,
        "too_short": too_short,
        "out_of_range": out_of_range,
    }


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg(
    width: int = 640,
    height: int = 480,
    *,
    gps: tuple[float, float] | None = None,
    exif: Image.Exif | None = None,
    orientation: int | None = None,
    metadata: bool = True,
    quality: int = 90,
) -> bytes:
    """A JPEG; with `metadata` it carries XMP, an ICC profile, a comment and EXIF (GPS when `gps` is given
    as lat, lon). `exif` may be an Image.Exif or raw EXIF bytes (see raw_gps_exif)."""
    exif = exif if exif is not None else (gps_exif(*gps) if gps else Image.Exif())
    options = {"quality": quality}
    if isinstance(exif, Image.Exif):
        if orientation is not None:
            exif[ExifTags.Base.Orientation] = orientation
        if metadata:
            exif.setdefault(ExifTags.Base.Make, SECRET_MAKE)
    if metadata:
        options.update(xmp=XMP_PACKET, icc_profile=srgb_icc(), comment=SECRET_COMMENT)
    if len(exif):
        options["exif"] = exif
    buffer = io.BytesIO()
    scene(width, height).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png(width: int = 640, height: int = 480, mode: str = "RGBA") -> bytes:
    image = scene(width, height).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=gps_exif(41.88, -87.63), icc_profile=srgb_icc() if mode == "RGB" else None)
    return buffer.getvalue()


def webp(width: int = 640, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    scene(width, height).save(buffer, "WEBP", quality=85, exif=gps_exif(41.88, -87.63), xmp=XMP_PACKET)
    return buffer.getvalue()


def heic(width: int = 640, height: int = 480, gps: tuple[float, float] | None = (41.88, -87.63)) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    options = {"quality": 80}
    if gps:
        options["exif"] = gps_exif(*gps).tobytes()
    scene(width, height).save(buffer, "HEIF", **options)
    return buffer.getvalue()


def noisy_jpeg(width: int, height: int) -> bytes:
    """Random pixels: a JPEG that hardly compresses, to reach a given file size with few pixels."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    whole = jpeg(800, 600, metadata=False)
    return whole[: len(whole) * 2 // 3]


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width x height (400 megapixels by default) that is only a few dozen KB long.

    Built by hand: Pillow would need the whole image in memory to write it.
    """
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    compressed = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def large_rgba_png(
    width: int = 7000, height: int = 7000, gps: tuple[float, float] | None = (41.88, -87.63)
) -> bytes:
    """A valid 8-bit RGBA PNG of width x height (49 MP, under the 50 MP cap, 196 MB once decoded) that is
    about 190 KB long, with its EXIF GPS in an eXIf chunk after the pixels, where Pillow's getexif() only
    finds it by decoding them all. Built by hand, a row at a time."""
    row = b"\x00" + b"\x00" * (width * 4)
    compressor = zlib.compressobj(9)
    compressed = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    exif = _png_chunk(b"eXIf", gps_exif(*gps).tobytes()) if gps else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", compressed)
        + exif
        + _png_chunk(b"IEND", b"")
    )


def gif() -> bytes:
    buffer = io.BytesIO()
    scene(64, 48).convert("P").save(buffer, "GIF")
    return buffer.getvalue()


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
    )


def pdf() -> bytes:
    buffer = io.BytesIO()
    scene(64, 48).save(buffer, "PDF")
    return buffer.getvalue()


def text_named_jpg() -> bytes:
    return b"This is not a photo, whatever its name says.\n" * 20


def zero_bytes() -> bytes:
    return b""
