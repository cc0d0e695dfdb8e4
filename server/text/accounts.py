"""Danish texts of the staff account e-mails (welcome and password links)."""

from __future__ import annotations

T: dict[str, str] = {
    "welcome_subject": "Din konto i Trivsel",
    "welcome_body": (
        "Hej {name}\n\n"
        "Der er oprettet en konto til dig i Trivsel ({email}).\n"
        "Vælg din egen adgangskode her:\n\n{link}\n\n"
        "Linket virker én gang og udløber {expires}. "
        "Har du ikke bedt om en konto, så skriv til kommunens administrator.\n"
    ),
    "reset_subject": "Vælg en ny adgangskode til Trivsel",
    "reset_body": (
        "Hej {name}\n\n"
        "En administrator har sendt dig et link, så du kan vælge en ny adgangskode til "
        "Trivsel:\n\n{link}\n\n"
        "Linket virker én gang og udløber {expires}. Din nuværende adgangskode virker, "
        "indtil du har valgt en ny. Har du ikke bedt om det, så skriv til kommunens "
        "administrator.\n"
    ),
}
