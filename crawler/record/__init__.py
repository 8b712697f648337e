"""Stage 5, what a run leaves: takes the fetches and results, gives the sealed run folder
(WARC, texts, manifest chain), the history database, and the auditor's views of both."""
