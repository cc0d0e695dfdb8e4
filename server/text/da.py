"""Every Danish text the server makes (parents' pages, PDFs, calendar file, e-mails, the
titles of automatic tasks), in one place.

(The tablet app's texts are in pwa/src/i18n/da.ts.) Its English twin, ``en.py``, has the same
names, keys and placeholders (tests/server/test_english.py); ``server.text.catalogue`` picks
one by language.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.text import letters as _letters

LOCAL = ZoneInfo("Europe/Copenhagen")
# One long and one short date form, the same as the tablet's (pwa/src/ui/format.ts).
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
SHORT_MONTHS = (
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)

MEETING_KINDS = {
    "start": "Opstartsmøde",
    "follow_up": "Opfølgningsmøde",
    "closing": "Afslutningsmøde",
}
COLUMNS = {
    "worries": "Det der bekymrer",
    "working": "Det der fungerer",
    "next_steps": "Det vi vil se ske",
}
HOUSES = {  # the child's three houses (issue 25 §3), in the report only when shared
    "worries": "Huset med bekymringer",
    "good": "Huset med de gode ting",
    "dream": "Drømmehuset",
}
OWNERS = {
    "guardians": "Forældrene",
    "institution": "Dagtilbud/skole",
    "family_unit": "Familieindgangen",
    "psychologist": "PPR",
}
ROLES = {
    "guardian": "Forælder",
    "child": "Barnet",
    "educator": "Pædagog/lærer",
    "family_unit": "Familieindgangen",
    "psychologist": "PPR-psykolog",
    "other": "Andet",
}
PARTICIPATION = {
    "whole": "Barnet var med hele mødet",
    "part": "Barnet var med en del af mødet",
    "none": "Barnet var ikke med til mødet",
}
CONSENT_STATUS = {
    "requested": "Du er blevet bedt om dit samtykke.",
    "granted": "Du har givet samtykke {when}.",
    "declined": "Du har sagt nej {when}.",
    "withdrawn": "Du har trukket dit samtykke tilbage {when}.",
}
# The letter channel's words (its own module, whose rules are its docstring's).
LETTERS = _letters.T
LETTER_PAGE = _letters.PAGE

T: dict[str, str] = {
    "app": "Trivsel",
    # The language switch's landmark (server/parents/language.py).
    "language_nav": "Sprog",
    "lang": "da",
    "report_title": "Rapport fra trivselsmødet",
    "reports_heading": "Rapporter fra trivselsmøder",
    "no_reports": "Der er ingen rapporter endnu. Du får en besked, når der er en ny.",
    "about": "Om {child}",
    "held": "Mødet blev holdt {when}{place}.",
    "corrected": "Rettet {when}. Det er den rettede udgave, du ser.",
    "published": "Delt {when} af {by}.",
    "houses": "Barnets tre huse",
    "houses_intro": (
        "Det, barnet har sagt eller tegnet. Det er delt med jer efter aftale med barnet."
    ),
    "house_alt": "Barnets tegning",
    "house_empty": "Intet her.",
    "photos": "Billeder af tavlen",
    "photo_alt": "Billede af tavlen",
    "photo_full": "Vis billedet i fuld størrelse",
    "photo_heading": "Billede af tavlen fra mødet",
    "photo_unavailable": "Billedet kan ikke vises lige nu. Prøv igen om lidt.",
    "zoom_hint": "Knib med to fingre for at zoome.",
    "back": "Tilbage til rapporten",
    "board": "Tavlen",
    "no_notes": "Ingen noter.",
    "agreements": "Aftaler",
    "no_agreements": "Der blev ikke lavet aftaler.",
    "owner": "Hvem",
    "due": "Senest",
    "participants": "Deltagere",
    "dash": "\u2013",
    "present": "deltog",
    "absent": "deltog ikke",
    "child_perspective": "Barnets perspektiv",
    "next_meeting": "Næste møde",
    "no_next": "Der er ikke aftalt et nyt møde.",
    "add_to_calendar": "Tilføj til kalender",
    "download_pdf": "Hent som PDF",
    "access_log": "Hvem har set oplysningerne om dit barn",
    "access_log_intro": "Her kan du se, hvem i kommunen der har åbnet eller ændret "
    "oplysninger om dit barn i Trivsel.",
    "access_log_empty": "Ingen har åbnet oplysningerne endnu.",
    "access_log_since": "Her står de sidste {days} dage, fra {since}.",
    "access_log_older": "Vis de {days} dage før",
    "access_log_newest": "Vis de nyeste",
    "offline": "Du er offline. Du ser den udgave, der sidst blev hentet.",
    "offline_missing": "Du er offline, og siden er ikke gemt på denne telefon. Prøv igen, "
    "når du har forbindelse.",
    "offline_stale": "Du er offline, og telefonen har ikke haft forbindelse til Trivsel i "
    "over {days} dage. Derfor er det, den havde gemt, slettet. Rapporterne "
    "kan ses igen, når du har forbindelse.",
    "forget_heading": "Låner du telefonen?",
    "forget_intro": "Skal telefonen videre til en anden, eller har du lånt den? Så tryk "
    "her. Adgangen fra denne telefon lukkes, og alt, hvad den har gemt om "
    "dit barn, slettes.",
    "forget_button": "Glem denne telefon",
    "forgotten_title": "Telefonen er glemt",
    "forgotten": "Denne telefon har ikke længere adgang til rapporterne, og det, den havde "
    "gemt om dit barn, er slettet.",
    "forgotten_again": "Vil du læse rapporterne igen, så bed familieindgangen om et nyt "
    "link. Det sendes til din e-mail.",
    "pdf_failed_title": "PDF'en kan ikke laves",
    "pdf_failed": "Rapporten kunne ikke laves som PDF. Læs den på siden i stedet, "
    "eller kontakt familieindgangen, hvis I har brug for den som PDF.",
    "refused_title": "Siden kan ikke vises",
    "refused": "Linket virker ikke. Det kan være brugt, udløbet eller ikke være til dig. "
    "Kontakt familieindgangen, hvis du skal have et nyt link.",
    "refused_help": "Har du åbnet linket før? Så åbn det i den samme browser som første "
    "gang. Du kan også ringe til familieindgangen i din kommune eller tale med dit barns "
    "dagtilbud eller skole. De kan sende dig et nyt link.",
    "invitation_title": "Åbn rapporterne om dit barn",
    "invitation_text": "Tryk på knappen for at åbne rapporterne på denne telefon. Linket "
    "kan kun bruges én gang.",
    "invitation_button": "Åbn på denne telefon",
    "home_name": "Trivsel: rapporter om dit barn",
    # MitID (issue 20): the sign-in page, the one refusal, logging out.
    "mitid_title": "Log ind med MitID",
    "mitid_text": "Her kan du læse rapporterne fra trivselsmøderne om dit barn. Du logger "
    "ind med dit MitID. Så ved vi, at det er dig.",
    "mitid_button": "Log ind med MitID",
    "mitid_refused_title": "Du har ikke adgang",
    "mitid_refused": "Vi kan ikke vise dig noget om et barn. Det kan være, fordi du ikke har "
    "forældremyndighed i vores oplysninger. Det kan også være, fordi dit MitID ikke er "
    "sikkert nok til det her. Så skal du bruge MitID-appen eller en kodeviser.",
    "mitid_refused_contact": "Mener du, at du skal have adgang? Så ring til familieindgangen "
    "i din kommune eller tal med dit barns dagtilbud eller skole.",
    "mitid_again": "Log ind igen",
    "mitid_failed_title": "Login lykkedes ikke",
    "mitid_failed": "Du blev ikke logget ind. Prøv igen.",
    "mitid_unavailable": "MitID svarer ikke lige nu. Prøv igen om lidt.",
    "logout_heading": "Log ud",
    "logout_intro": "Når du logger ud, sletter telefonen det, den har gemt om dit barn.",
    "logout_button": "Log ud",
    "logged_out_title": "Du er logget ud",
    "logged_out": "Telefonen har slettet det, den havde gemt om dit barn. Du kan logge ind "
    "igen med MitID.",
    "calendar_summary": "Trivselsmøde om {child}",
    "mail_subject": "Ny rapport fra trivselsmødet om {child}",
    "mail_body": "Kære {name}\n\nRapporten fra trivselsmødet om {child} den {when} er klar.\n\n"
    "Åbn den her (linket virker én gang og udløber {expires}):\n{link}\n\n{signature}",
    "mail_invite_subject": "Link til rapporterne om {child}",
    "mail_invite_body": "Kære {name}\n\nHer er dit personlige link til rapporterne fra "
    "trivselsmøderne om {child} (linket virker én gang og udløber "
    "{expires}):\n{link}\n\n{signature}",
    "attachments_heading": "Dokumenter",
    "letters_link": "Breve",
    "attachments_none": "Der er ingen delte dokumenter.",
    "consent_heading": "Samtykke til trivselsforløbet",
    "consent_invitation_title": "Svar på spørgsmålet om samtykke",
    "consent_invitation_text": "Tryk på knappen for at åbne siden om samtykke på denne "
    "telefon. Linket kan kun bruges én gang.",
    # What a consent covers (issue 21): what is shared with whom, how long it is kept, how to
    # withdraw, where to complain. Datatilsynet is the Danish data protection authority.
    "consent_what_heading": "Hvad deler vi, og med hvem?",
    "consent_what": "Familieindgangen, dagtilbuddet eller skolen og eventuelt en psykolog "
    "fra PPR fortæller hinanden, hvad de ved om {child}s trivsel. De taler sammen på "
    "møderne. Det, der bliver sagt og aftalt, skriver de i en rapport. Den får I på "
    "telefonen. Andre får den ikke.",
    "consent_keep_heading": "Hvor længe gemmer vi det?",
    "consent_keep": "Oplysningerne i Trivsel bliver slettet {years} år efter, at forløbet er "
    "slut. Rapporterne gemmes også i kommunens sag om {child}. Der gælder kommunens "
    "regler for, hvor længe en sag gemmes.",
    "consent_stop_heading": "Hvis du fortryder",
    "consent_stop": "Du kan altid trække dit samtykke tilbage her på siden eller ved at "
    "sige det til Familieindgangen. Så deler vi ikke mere fra den dag. Det, der allerede "
    "er delt, bliver i sagen.",
    "consent_complain_heading": "Hvis du vil klage",
    "consent_complain": "Du kan klage til Datatilsynet over, hvordan kommunen bruger "
    "oplysninger om dig og dit barn.",
    "consent_complain_address": "Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby. "
    "Telefon 33 19 32 00.",
    "consent_complain_url": "https://www.datatilsynet.dk",
    "consent_withdraw_title": "Vil du trække samtykket tilbage?",
    "consent_withdraw_text": "Hvis du trækker dit samtykke tilbage, deler Familieindgangen, "
    "dagtilbuddet eller skolen og PPR ikke mere om {child} med hinanden i forløbet. Det, "
    "der allerede er delt, bliver i sagen. Du kan give samtykke igen senere.",
    "consent_withdraw_yes": "Ja, træk samtykket tilbage",
    "consent_withdraw_no": "Nej, behold samtykket",
    "consent_link": "Samtykke til trivselsforløbet",
    "consent_intro": "I et trivselsforløb taler familieindgangen, dagtilbuddet eller skolen "
    "og eventuelt PPR sammen om {child}. Det kræver dit samtykke. Du kan "
    "til enhver tid trække det tilbage.",
    "consent_none": "Der er ingen samtykker at tage stilling til.",
    "consent_grant": "Giv samtykke",
    "consent_decline": "Sig nej",
    "consent_withdraw": "Træk samtykket tilbage",
    "consent_saved": "Dit svar er gemt.",
    # Shown by the page itself (static/parent.js) when an answer is tapped without a network.
    "consent_offline": "Du er ikke på nettet, så dit svar er ikke sendt. Tryk igen, når "
    "telefonen har net.",
    "minutes": "Referat",
    "pdf_page": "Side {n}",
    "pdf_made": "Udskrevet fra Trivsel {when}. Version {version}.",
}


def when(moment: datetime | None) -> str:
    """'4. december 2026 kl. 14.30' in Danish local time ('' for none)."""
    if moment is None:
        return ""
    return f"{day(moment)} {clock(moment)}"


def day(moment: date | None) -> str:
    """'4. december 2026' (a moment is taken in Danish local time)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(LOCAL).date()
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def short_when(moment: datetime | None) -> str:
    """'4. dec. kl. 14.30': for what just happened (a log line), where the year is plain."""
    if moment is None:
        return ""
    local = moment.astimezone(LOCAL)
    return f"{local.day}. {SHORT_MONTHS[local.month - 1]} {clock(local)}"


def clock(moment: datetime) -> str:
    """'kl. 14.30', 'kl. 9.05' in Danish local time."""
    return f"kl. {hour_minute(moment)}"


def hour_minute(moment: datetime) -> str:
    """'14.30', '9.05' in Danish local time: the one way a time of day is written (never
    '09.05', which strftime's %H gives)."""
    local = moment.astimezone(LOCAL)
    return f"{local.hour}.{local.minute:02d}"


def plural(n: int, one: str, many: str) -> str:
    """'1 deltager', '3 deltagere', '2.000 noter': every count in words goes through here."""
    return f"{n:,}".replace(",", ".") + " " + (one if abs(n) == 1 else many)


# Follow-up tasks made when a meeting is finished (server/courses/followup.py).
TASKS = {
    "send_report": "Udgiv rapporten til forældrene og journalisér den",
    "send_agenda": "Send dagsorden til næste møde",
    "follow_up_parents": "Følg op med forældrene",
    "follow_up_child": "Følg op med barnet, som ikke var med i hele mødet",
    "hand_over": "Registrér overdragelsen til børne- og ungerådgiveren",
}

# Agenda letters (server/letters/agenda.py).
AGENDA_POINTS = {
    "start": [
        "Velkomst og præsentation",
        "Bekymringen: det der bekymrer os",
        "Det der fungerer",
        "Det vi vil se ske",
        "Aftaler og dato for næste møde",
    ],
    "follow_up": [
        "Velkomst",
        "Siden sidst: det vi ville se ske",
        "Det der bekymrer nu",
        "Det der fungerer",
        "Det vi vil se ske",
        "Aftaler og dato for næste møde",
    ],
    "closing": [
        "Velkomst",
        "Siden sidst: det vi ville se ske",
        "Hvordan går det nu?",
        "Afslutning af forløbet, og hvad der skal ske bagefter",
    ],
}
AGENDA = {
    "title": "Dagsorden",
    "meeting": "{kind} om {child} \u2013 møde {n} af 5",
    "intro": "Vi holder et møde om, hvordan {child} har det. Her kan du se, hvem der kommer, "
    "og hvad vi skal tale om.",
    "when": "Tid: {when}",
    "where": "Sted: {place}",
    "participants": "Hvem kommer?",
    "points": "Det taler vi om",
    "last_board": "Det vi ville se ske (fra sidste møde)",
    "mail_subject": "Dagsorden: {kind} om {child} {when}",
    "mail_body": "Kære {name}\n\nHer er dagsordenen til {kind_lower} om {child} {when}"
    "{place}. Den er vedhæftet som PDF.",
    # Before the signature (issue 21): a request after "Venlig hilsen" is easily missed.
    "mail_consent": "\n\nVi mangler dit samtykke til forløbet. Du kan give det her (linket "
    "virker én gang og udløber {expires}):\n{link}",
    "mail_signoff": "\n\n{signature}",
    "file_name": "dagsorden-{day}.pdf",
}


# The course as one story (issue 12): the report's review of the last meeting's agreements,
# the scaling question, the parents' own words, the time a meeting was held.
STORY = {
    "held_at": "Mødet blev holdt {day} og afsluttet kl. {time}{place}.",
    "planned": "Det var planlagt til {when}.",
    "review": "Siden sidst",
    "review_intro": "Det blev aftalt på mødet {when}, og sådan gik det:",
    "no_review": "Der blev ikke lavet aftaler på sidste møde.",
    "carried": "fortsat fra sidste møde",
    "scaling": "Skalaspørgsmålet",
    # Short sentences (issue 21, point 7): many parents read Danish with effort.
    "scaling_question": "Vi stiller det samme spørgsmål på hvert møde: Hvor godt har {child} "
    "det i dag? Alle svarer med et tal fra 0 til 10. 10 betyder, at {child} har det godt. Så "
    "skal vi ikke mødes mere. 0 betyder, at det ikke kan blive værre.",
    "scaling_chart": "Svarene møde for møde",
    "scaling_label": "Svar på skalaspørgsmålet om {child}, møde for møde",
    "scaling_meeting": "Møde {n}",
    "scaling_axis_meeting": "Møde",
    "scaling_axis_value": "Svar fra 0 til 10",
    "scaling_see_table": "Tabellen under tegningen viser de samme svar",
    "scaling_who": "Hvem",
    "scaling_none": "Ingen har svaret på skalaspørgsmålet endnu.",
    # Issue 25: each worry paired with a goal, and the goal's own scale.
    "goals": "Målene",
    "goals_intro": "Hver bekymring har et mål: det vi vil se ske i stedet. På hvert møde siger "
    "alle et tal fra 0 til 10 for hvert mål. 10 betyder, at målet er nået.",
    "goal_worry": "Bekymring",
    "goal_reached": "Målet blev nået {day}.",
    "goal_scale": "Svarene for målet møde for møde",
    "goal_none": "Ingen har svaret for dette mål endnu.",
    "comments": "Vores bemærkninger",
    # Says exactly who reads a comment (issue 21): its author, the course's staff, the case
    # file; the other guardian only when the author ticks "comment_share".
    "comments_intro": "Her kan du skrive en bemærkning til rapporten. Du kan selv læse den. "
    "Det kan de fagfolk, der arbejder med forløbet, også: Familieindgangen, dagtilbuddet "
    "eller skolen og PPR. Den bliver gemt i kommunens sag om dit barn sammen med rapporten. "
    "Den anden forælder kan kun læse den, hvis du sætter hak nedenfor.",
    "comments_none": "Der er ingen bemærkninger, du kan se.",
    "comment_share": "Den anden forælder må også læse min bemærkning",
    "comment_share_hint": "Uden hak kan den anden forælder ikke se den.",
    "comment_private": "Kun du og fagfolkene kan læse den.",
    "comment_shared": "Den anden forælder kan også læse den.",
    "comment_label": "Jeres bemærkning",
    "comment_send": "Send bemærkningen",
    "comment_by": "{who}, {when}",
    "comment_withdraw": "Træk bemærkningen tilbage",
    "comment_withdrawn": "Bemærkningen er trukket tilbage.",
    "comment_withdraw_offline": "Du er ikke på nettet, så bemærkningen er ikke trukket "
    "tilbage. Tryk igen, når telefonen har net.",
    "comment_saved": "Tak. Jeres bemærkning er sendt.",
    # Shown by the page itself (static/parent.js) when Send is tapped without a network: the
    # words stay in the field, and on this phone until they are sent (issue 21).
    "comment_offline": "Du er ikke på nettet, så bemærkningen er ikke sendt. Din tekst står "
    "her stadig. Tryk på Send bemærkningen igen, når telefonen har net.",
    "comment_too_long": "Højst {limit} tegn \u2013 du har skrevet {actual}. Din tekst står her "
    "stadig.",
    "comment_empty": "Skriv en bemærkning, før du sender.",
    "comment_bad_character": "Teksten indeholdt et tegn, som ikke kan gemmes. Vi har fjernet "
    "det \u2013 læs teksten igennem, og send den igen.",
    "comment_too_many": "I har skrevet {limit} bemærkninger til dette møde. Kontakt "
    "familieindgangen, hvis I vil sige mere.",
    "comments_pdf": "Forældrenes bemærkninger",
    "task_comment": "Læs forældrenes bemærkning til rapporten, og journalisér den",
    "agenda_review": "Aftalerne fra sidste møde (vi ser på, hvordan det er gået)",
}
OUTCOMES = {
    "done": "Udført",
    "not_done": "Ikke udført",
    "carried_on": "Fortsætter",
    None: "Ikke gennemgået",
}

# The parents' access log in words (server/parents/access_words.py): who, by name and where
# they work, and what they did, as a sentence.
ACCESS_WHO = {
    "family_unit": "{name} fra Familieindgangen",
    "educator": "{name} fra {place}",
    "educator_nowhere": "{name} fra dagtilbuddet eller skolen",
    "psychologist": "{name} fra PPR",
    "admin": "{name}, administrator",
    "system": "Trivsel (automatisk)",
}
ACCESS_TIMES = "{day}, {n} gange kl. {first}\u2013{last}"
ACCESS_TIMES_ONE = "{day}, {n} gange kl. {at}"
# A tablet's automatic fetch (issue 21): one line per tablet and day, said as what it is.
ACCESS_FETCH = "Tabletten hos {who} hentede forløbet for at kunne arbejde uden net"
ACCESS_FETCH_HEADING = "Tablets, der hentede forløbet"
ACCESS_FETCH_INTRO = (
    "Personalet bruger en tablet på møderne. Den henter forløbet af sig selv, så de kan "
    "arbejde, også uden net. Det betyder ikke, at nogen har læst det. Her står hver tablet "
    "én gang for hver dag."
)
ACCESS_OPENED_HEADING = "Hvem har åbnet eller ændret oplysningerne"
ACCESS = {
    "* child": "så barnets oplysninger",
    "list child": "så barnet på en liste over børn",
    "create child": "oprettede barnet i Trivsel",
    "update child": "ændrede barnets oplysninger",
    "* guardian": "så forældrenes kontaktoplysninger",
    "create guardian": "tilføjede en forælder",
    "update guardian": "ændrede forældrenes kontaktoplysninger",
    "read course": "så forløbet",
    "list course": "så forløbet i en oversigt",
    "create course": "oprettede trivselsforløbet",
    "update course": "ændrede forløbet",
    "delete course": "slettede forløbet",
    "course_handed_over": "registrerede, at børne- og ungerådgiveren har overtaget",
    "member_added": "gav en kollega adgang til forløbet",
    "member_removed": "fjernede en kollegas adgang til forløbet",
    "course_retention": "slettede forløbet, da opbevaringstiden var udløbet",
    "list course_member": "så, hvem der deltager i forløbet",
    "read meeting": "så et møde",
    "list meeting": "så forløbets møder",
    "create meeting": "planlagde et møde",
    "update meeting": "ændrede et møde",
    "delete meeting": "aflyste et møde",
    "meeting_finished": "afsluttede et møde",
    "* participant": "så, hvem der deltog i mødet",
    "create participant": "skrev en deltager på mødet",
    "update participant": "ændrede en deltagers fremmøde",
    "delete participant": "fjernede en deltager fra mødet",
    "* board_note": "så noterne på tavlen",
    "create board_note": "skrev en note på tavlen",
    "update board_note": "rettede en note på tavlen",
    "delete board_note": "slettede en note på tavlen",
    # The child's three houses are said as the meeting they belong to: that they exist is
    # the child's to share (they reach the parents only when shared, issue 25 §3), and a
    # line "skrev i barnets tre huse" would tell a parent what the child told staff about.
    "* houses": "så et møde",
    "create houses": "skrev på et møde",
    "update houses": "ændrede et møde",
    "delete houses": "ændrede et møde",
    "* board_photo": "så billederne af tavlen",
    "read board_photo": "så et billede af tavlen",
    "create board_photo": "tog et billede af tavlen",
    "delete board_photo": "slettede et billede af tavlen",
    "* agreement": "så mødets aftaler",
    "create agreement": "skrev en aftale",
    "update agreement": "ændrede en aftale",
    "delete agreement": "slettede en aftale",
    "* minutes": "læste mødets referat",
    "create minutes": "skrev mødets referat",
    "update minutes": "rettede mødets referat",
    "* scaling_answer": "så svarene på skalaspørgsmålet",
    "create scaling_answer": "noterede et svar på skalaspørgsmålet",
    "update scaling_answer": "ændrede et svar på skalaspørgsmålet",
    "delete scaling_answer": "fjernede et svar på skalaspørgsmålet",
    "* goal_pair": "så målene",
    "create goal_pair": "gav en bekymring et mål",
    "update goal_pair": "ændrede et mål",
    "delete goal_pair": "fjernede et mål",
    "* goal_score": "så svarene for målene",
    "create goal_score": "noterede et svar for et mål",
    "update goal_score": "ændrede et svar for et mål",
    "delete goal_score": "fjernede et svar for et mål",
    "* consent": "så jeres samtykke",
    "create consent": "noterede jeres samtykke",
    "update consent": "noterede jeres samtykke",
    "* task": "så forløbets opgaver",
    "update task": "markerede en opgave som udført",
    "* report": "læste rapporten fra mødet",
    "publish report": "delte rapporten med jer",
    "file report": "journaliserede rapporten i kommunens sagssystem",
    "* report_pdf": "hentede rapporten som PDF",
    "* report_reading": "så, at I har læst rapporten",
    "* filing": "så journaliseringen af rapporten",
    "* parent_comment": "læste jeres bemærkninger til rapporten",
    "* attachment": "så forløbets dokumenter",
    "read attachment": "åbnede et dokument",
    "create attachment": "tilføjede et dokument",
    "update attachment": "ændrede et dokument",
    "delete attachment": "slettede et dokument",
    "read agenda": "så dagsordenen",
    "create agenda": "sendte jer dagsordenen",
    "read letters": "så, om brevene til jer er kommet frem",
    "create invitation": "sendte jer et link til rapporterne",
    "list guardian_session": "så, hvilke telefoner der har adgang til rapporterne",
    "update guardian_session": "lukkede en telefons adgang til rapporterne",
    "sync pull": "hentede forløbet til sin tablet",
    "other": "åbnede eller ændrede oplysninger om barnet",
}


# Who sent this, and whom to call (issue 21, point 3): the layout of every parents' page, the
# e-mails, the agenda letter and the report PDF (server/parents/sender.py).
SENDER = {
    "logo_alt": "Logo for {municipality}",
    # Short words (issue 21, point 8): on a short page the footer is half of what is read.
    "heading": "Vil du spørge om noget?",
    "leader": "Du kan spørge {name} fra Familieindgangen.",
    "leader_line": "Kontakt: {name}, {reach}",
    "phone": "tlf. {phone}",
    "email": "e-mail {email}",
    "phone_label": "Tlf.",
    "email_label": "E-mail:",
    "municipality": "Du kan også ringe til kommunen.",
    "unit": "Familieindgangen, {municipality}",
    "privacy": "Sådan passer vi på jeres data",
    "privacy_mail": "Sådan passer vi på jeres data: {url}",
    "mail_regards": "Venlig hilsen",
    "pdf_heading": "Vil du spørge om noget?",
}

# Words a parent may not know (issue 21, point 7), explained where each first appears on a
# page: a <details> that opens without JavaScript (parent/words.html). Short sentences.
WORDS_ASK = "Hvad betyder {word}?"
WORDS = {
    "forloeb": (
        "trivselsforløb",
        "Et trivselsforløb er nogle møder om, hvordan dit barn har det. Der er højst fem "
        "møder på et halvt år. Vi finder sammen ud af, hvad der kan hjælpe barnet.",
    ),
    "familieindgangen": (
        "Familieindgangen",
        "Familieindgangen er en del af kommunen. Vi hjælper familier, når et barn ikke har "
        "det godt. Det er os, der leder møderne.",
    ),
    "ppr": (
        "PPR",
        "PPR er kommunens psykologer og andre fagfolk. De hjælper børn i dagtilbud og skole. "
        "PPR står for Pædagogisk Psykologisk Rådgivning.",
    ),
    "samtykke": (
        "samtykke",
        "Samtykke betyder, at du siger ja. Her siger du ja til, at vi må tale sammen om dit "
        "barn. Du kan altid sige nej igen.",
    ),
    "journal": (
        "journaliserede",
        "Kommunen skal gemme rapporten i sit system for sager. Det kaldes at journalisere. "
        "Jeres bemærkninger bliver gemt sammen med den.",
    ),
    "skala": (
        "skalaspørgsmålet",
        "Det er et spørgsmål med et tal fra 0 til 10. Vi stiller det på hvert møde. Så kan vi "
        "se, om det går bedre.",
    ),
}
