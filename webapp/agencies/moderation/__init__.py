"""What moderators do to agencies: the queue of operator texts (`operator_decisions`), creating and editing
agencies (`agency_edits`), sharing relations (`relations`), what the data sets leave out, inferred and marked
(`agency_marks`), their pages (`routes`) and JSON (`api`), which read a form or a JSON body alike
(`form_values`)."""
