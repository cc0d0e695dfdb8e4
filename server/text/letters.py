"""Danish texts of the letter channel (server/letters/channel.py): what Digital Post shows
before a letter is opened, the e-mail notice, and the delivery states staff see.

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
    # E-mail mode: the notice. {link} is where the letter is read (the parents' pages).
    "notice_subject": "Nyt brev fra Familieindgangen",
    "notice_body": (
        "Hej\n\n"
        "Du har fået et nyt brev fra Familieindgangen.\n"
        "Du kan læse det på forældresiden, når du har logget ind:\n\n{link}\n\n"
        "Vi sender ikke brevet med e-mail, fordi det handler om et barn.\n"
    ),
}

# The state of a letter as the tablet shows it beside the agenda ({when}: day and time).
DELIVERY: dict[str, str] = {
    "kept": "Gemt på serveren (ikke sendt)",
    "pending": "Venter på at blive sendt",
    "sending": "Sendes nu",
    "sent_digital_post": "Sendt med Digital Post {when}",
    "sent_email": "Sendt som e-mail {when}",
    "delivered": "Modtaget i Digital Post {when}",
    "printed": "Sendt som papirbrev {when}",
    "failed": "Kunne ikke sendes – vi prøver igen",  # noqa: RUF001 - the Danish dash
    "failed_final": "Kunne ikke sendes",
    "unaddressable": "Ikke sendt: forælderen har intet CPR-nummer i Trivsel",
}
