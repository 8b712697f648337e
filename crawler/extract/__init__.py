"""Stage 3, pure extraction: takes a response body, its URL and headers, gives ``Extracted``
(main text, title, language, published and modified dates with evidence, PDF pages)."""
