"""Screening of the documents compliance teams handle: orders, goods, sites, payments."""
