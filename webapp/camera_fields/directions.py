"""Direction maths: how far apart two bearings are, and when a reported direction is one the camera already
has (compasses and guesses are rough)."""

# Two directions closer than this are the same direction.
SAME_DIRECTION_DEGREES = 20
# Two reports (or a report and a mapped camera) whose directions are this close may show the same camera:
# compasses, guesses and "NE"-style tags are rough.
COMPATIBLE_DIRECTION_DEGREES = 45


def angle_between(a: int, b: int) -> int:
    """The smaller angle between two compass bearings, 0..180."""
    difference = abs(a - b) % 360
    return min(difference, 360 - difference)


def direction_difference(proposed: list[int], known: list[int]) -> int | None:
    """The smallest angle between any proposed and any known direction; None when either is unknown."""
    if not proposed or not known:
        return None
    return min(angle_between(a, b) for a in proposed for b in known)


def new_directions(known: list[int], proposed: list[int]) -> list[int]:
    """The proposed directions that differ from every known one (and from each other)."""
    added: list[int] = []
    for direction in proposed:
        if all(angle_between(direction, other) >= SAME_DIRECTION_DEGREES for other in [*known, *added]):
            added.append(direction)
    return added


def directions_compatible(a: list[int], b: list[int]) -> bool:
    """Whether two cameras' directions allow them to be one camera: either is unknown, or some pair of
    bearings is within COMPATIBLE_DIRECTION_DEGREES."""
    difference = direction_difference(list(a), list(b))
    return difference is None or difference <= COMPATIBLE_DIRECTION_DEGREES
