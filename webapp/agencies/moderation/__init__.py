"""What moderators do to agencies: the queue of operator texts (`operator_decisions`), creating and editing
agencies (`agency_edits`), sharing relations (`relations`), what the data sets leave out, inferred and marked
(`agency_marks`), and their pages (`routes`)."""
