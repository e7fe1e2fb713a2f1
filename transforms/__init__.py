"""Pure transforms: bytes and text in, typed records out. No I/O of any kind."""
