"""Vector tiles of the public map: density cells at low zoom, verified cameras at high zoom."""
