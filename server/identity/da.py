"""The Danish texts of the identity part that staff read (the API's field messages, the tasks
custody changes make). The parents' pages have theirs in server/text/da.py."""

from __future__ import annotations

# A field error on a CPR number: it never repeats the input (a real number with a typo).
CPR_INVALID = "Et CPR-nummer er 10 cifre (DDMMÅÅ-XXXX), og de første seks skal være en dato."

# The task a custody refresh leaves for the course's staff when the CPR service names a
# custody holder Trivsel has no guardian for: staff add them (nothing is invented).
CUSTODY_HOLDER_MISSING = (
    "CPR-registeret nævner en forældremyndighedsindehaver, som ikke er registreret som "
    "forælder: tilføj forælderen med CPR-nummer"
)
