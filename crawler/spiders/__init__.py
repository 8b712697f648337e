"""Scrapy spiders of citecheck."""
