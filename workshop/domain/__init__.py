"""Pure domain: dataclasses, rules and tallies. No I/O, no SQL, no web framework."""
