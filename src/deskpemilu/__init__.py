"""Desk Pemilu: the election desk of a city or regency government."""
