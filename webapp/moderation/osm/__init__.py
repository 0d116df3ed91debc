"""The moderators' review of an OpenStreetMap import: differences, deletions, links (`review`) and its pages
under /moderate/osm (`routes`)."""
