"""What a CPR number looks like in text, for the tests that grep answers and logs for one."""

import re

# Ten digits (or six, a hyphen, four) standing as a token of their own: not inside a longer
# run of letters and digits such as a request id's hex or a UUID's last group, which can hold
# ten decimal digits in a row by chance (it made the log grep fail about once in a few runs).
TEN_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{6}-?\d{4}(?![0-9A-Za-z])")
