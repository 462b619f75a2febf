"""The web service: server-rendered pages (Korean and English) and a JSON API over the same functions."""
