"""The photo benchmark's helpers (the benchmark itself is not part of the suite)."""

from bench.photos import encoded, median_ms, photo_like_picture


def test_median_ms_times_each_run_after_a_warm_up():
    calls = []
    median, fastest, slowest = median_ms(lambda: calls.append(1), runs=5)
    assert len(calls) == 6
    assert 0 <= fastest <= median <= slowest


def test_the_picture_compresses_like_a_photo_not_a_test_card():
    picture = photo_like_picture(800, 600)
    assert picture.size == (800, 600) and picture.mode == "RGB"
    # A flat or gradient-only picture would compress to a few kB; noise and edges keep it photo-sized.
    assert len(encoded(picture, "JPEG")) > 80_000
