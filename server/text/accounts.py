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

# The staff sign-in through the municipality's identity provider (server/auth/oidc_routes.py):
# a refusal page's heading and text, by the refusal's kind. Each says whom to ask: the
# municipality's login decides who may sign in and with which role, Trivsel's admins only
# which institution an id means.
SIGN_IN: dict[str, tuple[str, str]] = {
    "no_role": (
        "Du har ikke adgang til Trivsel",
        "Kommunens login kender dig, men du er ikke tildelt en rolle i Trivsel. Bed din leder "
        "om at få dig meldt ind i en af Trivsels grupper hos kommunens it-afdeling.",
    ),
    "loa": (
        "Dit login er ikke sikkert nok til Trivsel",
        "Trivsel kræver et login med to faktorer (sikringsniveau betydelig). Log ind igen med "
        "to faktorer, eller spørg kommunens it-afdeling, hvordan du gør.",
    ),
    "institution": (
        "Din institution er ikke sat op i Trivsel",
        "Kommunens login sender en institution, som Trivsel ikke kender. Bed kommunens "
        "Trivsel-administrator om at skrive institutionens id fra kommunens login "
        "(organisations-UUID eller EAN-nummer) på institutionen i Trivsel.",
    ),
    "email_taken": (
        "Der findes allerede en konto med din e-mail",
        "Trivsel kan ikke selv koble den til dit login hos kommunen. Bed kommunens "
        "Trivsel-administrator om at koble din konto til kommunens login.",
    ),
    "inactive": (
        "Din konto i Trivsel er lukket",
        "Bed kommunens Trivsel-administrator om at åbne den igen.",
    ),
    "failed": (
        "Login lykkedes ikke",
        "Prøv at logge ind igen fra Trivsels forside. Sker det igen, så kontakt kommunens "
        "it-afdeling.",
    ),
    "unavailable": (
        "Kommunens login svarer ikke",
        "Prøv igen om lidt. Sker det igen, så kontakt kommunens it-afdeling.",
    ),
}
SIGN_IN_BACK = "Til Trivsels forside"
