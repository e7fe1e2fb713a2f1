"""Pure transforms: bytes and text in, typed records out. No network, no warehouse, no
landing zone: nothing here reads or writes the project's data. The one exception to "no I/O"
is loading the spaCy model and the gazetteers (pycountry, the bundled tables) from installed
packages, once per process."""
