"""Agency name matching: the normaliser of names and operator texts (`names`, its word lists in `name_words`),
the matcher's proposals (`matcher`), and `flask agencies match` over every operator text (`operator_matching`,
queued as a job by `matching_job`)."""
