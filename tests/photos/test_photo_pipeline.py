"""The photo pipeline on real images: accepted by content, re-encoded upright without any metadata, sized
for display and thumbnail, refused clearly when it is not a photo we take or too big to decode."""

import hashlib
import io

import pytest
from PIL import ExifTags, Image

from tests.support import photo_samples as samples
from webapp.photos.encoding import DISPLAY_LONG_SIDE, THUMB_LONG_SIDE, storage_key
from webapp.photos.exif_position import read_exif_position
from webapp.photos.pipeline import PhotoRejected, process_photo, sniff_format

MAX_PIXELS = 50_000_000


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_bare_jpeg(data: bytes) -> None:
    image = decoded(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert not image.getexif()
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "adobe"):
        assert key not in image.info, key
    assert b"Exif" not in data
    assert b"http://ns.adobe.com/xap" not in data
    assert samples.SECRET_COMMENT not in data
    assert samples.SECRET_XMP_TEXT.encode() not in data
    assert samples.SECRET_MAKE.encode() not in data
    assert b"ICC_PROFILE" not in data


@pytest.mark.parametrize(
    "build",
    [
        lambda: samples.jpeg(gps=(41.88, -87.63)),
        lambda: samples.png(mode="RGBA"),
        lambda: samples.png(mode="RGB"),
        lambda: samples.webp(),
        lambda: samples.heic(),
    ],
    ids=["jpeg", "png-rgba", "png-rgb-icc", "webp", "heic"],
)
def test_accepted_formats_come_out_as_bare_jpegs(app_context, build):
    result = process_photo(build(), MAX_PIXELS)
    for derivative in (result.display, result.thumb):
        assert_bare_jpeg(derivative.data)
        assert decoded(derivative.data).size == (derivative.width, derivative.height)
        assert derivative.content_hash == hashlib.sha256(derivative.data).hexdigest()
        assert derivative.key == storage_key(derivative.content_hash)
    assert (result.display.width, result.display.height) == (640, 480)
    assert max(result.thumb.width, result.thumb.height) == THUMB_LONG_SIDE


def test_the_file_name_plays_no_part(app_context):
    assert sniff_format(samples.png()) == "PNG"
    assert sniff_format(samples.heic()) == "HEIF"
    assert sniff_format(samples.webp()) == "WEBP"
    assert sniff_format(samples.jpeg()) == "JPEG"
    assert sniff_format(samples.text_named_jpg()) is None


def test_orientation_is_applied_before_the_tag_is_dropped(app_context):
    # Orientation 6: the sensor's 640 x 480 picture is to be shown rotated 90 degrees clockwise.
    result = process_photo(samples.jpeg(640, 480, orientation=6), MAX_PIXELS)
    assert (result.display.width, result.display.height) == (480, 640)
    upright = decoded(result.display.data)
    # The scene's bright blue block sits in the top-left quarter; after the rotation it is top-right.
    assert upright.getpixel((480 * 5 // 8, 640 * 3 // 8))[2] > 200
    assert upright.getpixel((480 * 3 // 8, 640 * 3 // 8))[2] < 150


def test_a_twelve_megapixel_jpeg_is_decoded_reduced_and_fits_the_display_size(app_context):
    result = process_photo(samples.jpeg(4000, 3000, metadata=False), MAX_PIXELS)
    # Draft mode decodes at half size (2000 x 1500): no upscaling, long side within the display limit.
    assert (result.display.width, result.display.height) == (2000, 1500)
    naive = process_photo(samples.jpeg(4000, 3000, metadata=False), MAX_PIXELS, use_draft=False)
    assert (naive.display.width, naive.display.height) == (DISPLAY_LONG_SIDE, 1536)


def test_large_png_is_scaled_to_the_display_size(app_context):
    result = process_photo(samples.png(3000, 1000, mode="RGB"), MAX_PIXELS)
    assert (result.display.width, result.display.height) == (DISPLAY_LONG_SIDE, 683)
    assert result.thumb.width == THUMB_LONG_SIDE


@pytest.mark.parametrize("mode", ["L", "CMYK", "P", "LA", "I;16"])
def test_unusual_colour_modes_become_rgb(app_context, mode):
    image = samples.scene(120, 80)
    image = image.convert("L").convert("I;16") if mode == "I;16" else image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG" if mode in ("L", "CMYK") else "PNG")
    result = process_photo(buffer.getvalue(), MAX_PIXELS)
    assert_bare_jpeg(result.display.data)


@pytest.mark.parametrize(
    ("build", "status", "code"),
    [
        (samples.zero_bytes, 400, "empty_photo"),
        (samples.text_named_jpg, 415, "unsupported_media_type"),
        (samples.gif, 415, "unsupported_media_type"),
        (samples.svg, 415, "unsupported_media_type"),
        (samples.pdf, 415, "unsupported_media_type"),
        (samples.truncated_jpeg, 422, "unreadable_photo"),
        (samples.png_bomb, 422, "too_many_pixels"),
    ],
    ids=["zero-bytes", "text", "gif", "svg", "pdf", "truncated-jpeg", "png-bomb"],
)
def test_refusals(app_context, build, status, code):
    with pytest.raises(PhotoRejected) as refusal:
        process_photo(build(), MAX_PIXELS)
    assert (refusal.value.status, refusal.value.code) == (status, code)
    assert refusal.value.message


def test_unsupported_types_are_named_in_the_refusal(app_context):
    with pytest.raises(PhotoRejected) as refusal:
        process_photo(samples.gif(), MAX_PIXELS)
    for name in ("JPEG", "PNG", "WebP", "HEIC"):
        assert name in refusal.value.message


def test_a_bomb_under_pillows_own_limit_is_refused_by_ours_before_decoding(app_context):
    # 100 megapixels: Pillow only warns at this size, our 50-megapixel cap refuses it from the header.
    with pytest.raises(PhotoRejected) as refusal:
        process_photo(samples.png_bomb(10_000, 10_000), MAX_PIXELS)
    assert refusal.value.code == "too_many_pixels"
    assert "10000 × 10000" in refusal.value.message
    assert "50 megapixels" in refusal.value.message


def test_too_many_bytes(app_context):
    with pytest.raises(PhotoRejected) as refusal:
        process_photo(samples.jpeg(), MAX_PIXELS, max_bytes=1000)
    assert (refusal.value.status, refusal.value.code) == (413, "photo_too_large")


@pytest.mark.parametrize(
    "build",
    [lambda: samples.jpeg(gps=(41.88, -87.63)), samples.heic, samples.webp, samples.png],
    ids=["jpeg", "heic", "webp", "png"],
)
def test_exif_position(app_context, build):
    lon, lat = read_exif_position(build())
    assert lon == pytest.approx(-87.63, abs=1e-5)
    assert lat == pytest.approx(41.88, abs=1e-5)


def test_southern_and_eastern_hemispheres(app_context):
    lon, lat = read_exif_position(samples.jpeg(gps=(-33.8688, 151.2093)))
    assert (lon, lat) == (pytest.approx(151.2093, abs=1e-5), pytest.approx(-33.8688, abs=1e-5))


@pytest.mark.parametrize("name", list(samples.malformed_gps_exifs()))
def test_malformed_gps_means_no_position_and_no_crash(app_context, name):
    data = samples.jpeg(exif=samples.malformed_gps_exifs()[name])
    assert read_exif_position(data) is None
    assert_bare_jpeg(process_photo(data, MAX_PIXELS).display.data)


def test_no_position_without_gps_or_without_an_image(app_context):
    assert read_exif_position(samples.jpeg(metadata=False)) is None
    assert read_exif_position(samples.text_named_jpg()) is None
    assert read_exif_position(samples.png_bomb()) is None
    assert read_exif_position(samples.jpeg(gps=(0.0, 0.0))) is None


def test_the_sample_really_carries_the_metadata_we_strip():
    """Without this, the metadata assertions above could pass on samples that never had any."""
    data = samples.jpeg(gps=(41.88, -87.63))
    image = Image.open(io.BytesIO(data))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert samples.SECRET_COMMENT in data and samples.SECRET_XMP_TEXT.encode() in data
    assert "icc_profile" in image.info
    for other in (samples.webp(), samples.heic(), samples.png()):
        assert samples.SECRET_MAKE.encode() in other
    assert samples.SECRET_XMP_TEXT.encode() in samples.webp()
