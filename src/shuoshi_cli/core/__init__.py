"""The pure core: facts, rules and figures. Standard library, dateutil and chinesecalendar only:
no I/O, no clock, no SQL."""
