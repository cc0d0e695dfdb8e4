"""Danish texts of the letter channel (server/letters/channel.py): what Digital Post shows
before a letter is opened, and the e-mail notice. (The tablet words the delivery states
itself: pwa/src/i18n/da.ts, ``letters``.)

None of these may name a child or repeat anything from a meeting: the title and notification
of a Digital Post message are shown (and pushed to phones) before the recipient signs in, and
an e-mail crosses servers nobody in the municipality controls."""

from __future__ import annotations

T: dict[str, str] = {
    # Digital Post: the message's title and its notification.
    "title": "Nyt brev fra Familieindgangen",
    "notification": "Du har fået et nyt brev fra Familieindgangen. Log ind for at læse det.",
    # The cover letter's file name inside the Digital Post message.
    "cover_name": "brev.pdf",
    # The cover letter's label beside the letter itself.
    "cover_label": "Følgebrev",
    # E-mail mode: the notice. {link} is where the letter is read (the parents' pages).
    "notice_subject": "Nyt brev fra Familieindgangen",
    "notice_body": (
        "Hej\n\n"
        "Du har fået et nyt brev fra Familieindgangen.\n"
        "Du kan læse det på forældresiden, når du har logget ind:\n\n{link}\n\n"
        "Vi sender ikke brevet med e-mail, fordi det handler om et barn.\n\n{signature}"
    ),
}

# The parents' page of letters (/p/letters): the letter itself is read here, behind the
# parent's sign-in.
PAGE: dict[str, str] = {
    "heading": "Breve",
    "none": "Du har ingen breve fra Familieindgangen lige nu.",
    "agenda": "Dagsorden til {kind_lower} {when}",
    "open": "Åbn brevet (PDF)",
}
