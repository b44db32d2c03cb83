"""Unicode, scripts, transliteration and legal forms: names to comparable keys."""
