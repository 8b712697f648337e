"""Stage 1, what the document cites: takes a document or a hand-kept citations.yaml,
gives validated ``Citations`` (sources, footnote references, claimed dates, pages)."""
