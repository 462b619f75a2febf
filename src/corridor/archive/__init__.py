"""The testimony archive: people under pseudonyms with sealed identities, consent per use,
interviews in Korean and English, HURIDOCS event coding, search, redaction review, exports
(JSON, Uwazi CSV, evidence records) and encrypted backups. See ``docs/archive.md``."""
