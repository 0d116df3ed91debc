"""The camera fields every way into the database shares (submission, moderation, the OpenStreetMap import,
the demo seed): one rule per field, the vendor vocabulary, and direction maths."""
