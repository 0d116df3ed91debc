"""Where things are: bounding boxes from the query string, and the public (verified) cameras in a box, near
a point, or counted in a map view. Every public camera query reads through here."""
