"""Stage 4, pure verdicts: takes a reference, its source and what was fetched and extracted,
gives one result per reference (link, date, title, pages, passage) and whether it fails."""
