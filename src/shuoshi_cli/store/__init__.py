"""The only code that talks to SQLite, through the standard sqlite3 module."""
