"""Every English text the server makes for parents (issue 21, point 8): the same names and
keys as ``da.py``, the same placeholders, in short plain sentences.

A parent chooses English on the parents' pages (server/parents/language.py); letters, notices
and e-mails then go in English too. The staff app stays Danish. Names of places and units
("Familieindgangen", "PPR", "Datatilsynet") stay as the parent will hear them on the phone;
each is explained where it first appears (``WORDS``).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.text import letters_en as _letters

LOCAL = ZoneInfo("Europe/Copenhagen")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SHORT_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

MEETING_KINDS = {
    "start": "First meeting",
    "follow_up": "Follow-up meeting",
    "closing": "Last meeting",
}
COLUMNS = {
    "worries": "What worries us",
    "working": "What works",
    "next_steps": "What we want to see",
}
HOUSES = {  # the child's three houses (issue 25 §3), in the report only when shared
    "worries": "The house of worries",
    "good": "The house of good things",
    "dream": "The house of dreams",
}
OWNERS = {
    "guardians": "The parents",
    "institution": "Daycare/school",
    "family_unit": "Familieindgangen",
    "psychologist": "PPR",
}
ROLES = {
    "guardian": "Parent",
    "child": "The child",
    "educator": "Teacher",
    "family_unit": "Familieindgangen",
    "psychologist": "PPR psychologist",
    "other": "Other",
}
PARTICIPATION = {
    "whole": "The child was at the whole meeting",
    "part": "The child was at part of the meeting",
    "none": "The child was not at the meeting",
}
CONSENT_STATUS = {
    "requested": "We have asked for your consent.",
    "granted": "You gave your consent {when}.",
    "declined": "You said no {when}.",
    "withdrawn": "You took back your consent {when}.",
}
# The letter channel's words (its own module, whose rules are its docstring's).
LETTERS = _letters.T
LETTER_PAGE = _letters.PAGE

T: dict[str, str] = {
    "app": "Trivsel",
    # The language switch's landmark (server/parents/language.py).
    "language_nav": "Language",
    "lang": "en",
    "report_title": "Report from the meeting",
    "reports_heading": "Reports from the meetings",
    "no_reports": "There are no reports yet. We will send you a message when there is one.",
    "about": "About {child}",
    "held": "The meeting was on {when}{place}.",
    "corrected": "Corrected {when}. You see the corrected report.",
    "published": "Shared {when} by {by}.",
    "houses": "The child's three houses",
    "houses_intro": (
        "What the child said or drew. It is shared with you as agreed with the child."
    ),
    "house_alt": "The child's drawing",
    "house_empty": "Nothing here.",
    "photos": "Photos of the board",
    "photo_alt": "Photo of the board",
    "photo_unavailable": "The photo cannot be shown right now. Try again in a moment.",
    "photo_full": "Show the photo in full size",
    "photo_heading": "Photo of the board from the meeting",
    "zoom_hint": "Use two fingers to zoom.",
    "back": "Back to the report",
    "board": "The board",
    "no_notes": "No notes.",
    "agreements": "What we agreed",
    "no_agreements": "We made no plans.",
    "owner": "Who",
    "due": "By",
    "participants": "Who took part",
    "dash": "\u2013",
    "present": "came",
    "absent": "did not come",
    "child_perspective": "What the child says",
    "next_meeting": "Next meeting",
    "no_next": "No new meeting is planned.",
    "add_to_calendar": "Add to calendar",
    "download_pdf": "Get it as a PDF",
    "access_log": "Who has seen the facts about your child",
    "access_log_intro": "Here you can see who in the town hall has opened or changed facts "
    "about your child in Trivsel.",
    "access_log_empty": "No one has opened the facts yet.",
    "access_log_since": "Here are the last {days} days, from {since}.",
    "access_log_older": "Show the {days} days before",
    "access_log_newest": "Show the newest",
    "offline": "You are offline. You see the copy the phone got last.",
    "offline_missing": "You are offline, and this page is not kept on this phone. Try again "
    "when you are online.",
    "offline_stale": "You are offline. The phone has not been in touch with Trivsel for "
    "over {days} days. So what it kept has been deleted. You can read the reports again "
    "when you are online.",
    "forget_heading": "Is this phone on loan?",
    "forget_intro": "Will the phone go to someone else, or is it on loan? Then tap here. "
    "This phone can then no longer open the reports. All it kept about your child is "
    "deleted.",
    "forget_button": "Forget this phone",
    "forgotten_title": "The phone is forgotten",
    "forgotten": "This phone can no longer open the reports. What it kept about your child "
    "is deleted.",
    "forgotten_again": "Do you want to read the reports again? Then ask Familieindgangen for "
    "a new link. It is sent to your e-mail.",
    "pdf_failed_title": "We cannot make the PDF",
    "pdf_failed": "We could not make the report as a PDF. Read it on the page. Or call "
    "Familieindgangen if you need a PDF.",
    "refused_title": "We cannot show this page",
    "refused": "The link does not work. It may be used, too old or not for you. Call "
    "Familieindgangen if you need a new link.",
    "refused_help": "Have you opened the link before? Then open it in the same browser as "
    "the first time. You can also call Familieindgangen in your town. Or talk to the staff "
    "at your child's daycare or school. They can send you a new link.",
    "invitation_title": "Open the reports about your child",
    "invitation_text": "Tap the button to open the reports on this phone. The link works "
    "only once.",
    "invitation_button": "Open on this phone",
    "home_name": "Trivsel: reports about your child",
    "mitid_title": "Log in with MitID",
    "mitid_text": "Here you can read the reports from the meetings about your child. You "
    "log in with your MitID. Then we know it is you.",
    "mitid_button": "Log in with MitID",
    "mitid_refused_title": "You do not have access",
    "mitid_refused": "We cannot show you anything about a child. It may be because we have "
    "no record that you have custody. It may also be because your MitID is not safe enough "
    "for this. Then you must use the MitID app or a code display.",
    "mitid_refused_contact": "Do you think you should have access? Then call Familieindgangen "
    "in your town. Or talk to the staff at your child's daycare or school.",
    "mitid_again": "Log in again",
    "mitid_failed_title": "You were not logged in",
    "mitid_failed": "The login did not work. Try again.",
    "mitid_unavailable": "MitID does not answer right now. Try again soon.",
    "logout_heading": "Log out",
    "logout_intro": "When you log out, the phone deletes what it kept about your child.",
    "logout_button": "Log out",
    "logged_out_title": "You are logged out",
    "logged_out": "The phone has deleted what it kept about your child. You can log in "
    "again with MitID.",
    "calendar_summary": "Meeting about {child}",
    "mail_subject": "New report from the meeting about {child}",
    "mail_body": "Dear {name}\n\nThe report from the meeting about {child} on {when} is ready."
    "\n\nOpen it here. The link works once. It ends on {expires}.\n{link}\n\n{signature}",
    "mail_invite_subject": "Link to the reports about {child}",
    "mail_invite_body": "Dear {name}\n\nHere is your own link to the reports from the "
    "meetings about {child}. The link works once. It ends on {expires}.\n{link}\n\n"
    "{signature}",
    "attachments_heading": "Papers",
    "letters_link": "Letters",
    "attachments_none": "There are no shared papers.",
    "consent_heading": "Consent to the course",
    "consent_invitation_title": "Answer the question about consent",
    "consent_invitation_text": "Tap the button to open the page about consent on this "
    "phone. The link works only once.",
    "consent_what_heading": "What do we share, and with whom?",
    "consent_what": "Familieindgangen, the daycare or school and maybe a psychologist from "
    "PPR tell each other what they know about how {child} is. They talk at the meetings. "
    "They write what is said and agreed in a report. You get it on your phone. No one else "
    "gets it.",
    "consent_keep_heading": "How long do we keep it?",
    "consent_keep": "The facts in Trivsel are deleted {years} years after the course ends. "
    "The reports are also kept in the town's case file about {child}. The town's rules say "
    "how long a case file is kept.",
    "consent_stop_heading": "If you change your mind",
    "consent_stop": "You can take back your consent at any time. Do it here on the page. Or "
    "tell Familieindgangen. Then we share no more from that day. What is shared already "
    "stays in the case file.",
    "consent_complain_heading": "If you want to complain",
    "consent_complain": "You can complain to Datatilsynet about how the town uses facts "
    "about you and your child. Datatilsynet is the Danish data protection office.",
    "consent_complain_address": "Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby. "
    "Phone +45 33 19 32 00.",
    "consent_complain_url": "https://www.datatilsynet.dk",
    "consent_withdraw_title": "Do you want to take back your consent?",
    "consent_withdraw_text": "If you take back your consent, Familieindgangen, the daycare "
    "or school and PPR share no more about {child} with each other. What is shared already "
    "stays in the case file. You can give consent again later.",
    "consent_withdraw_yes": "Yes, take back my consent",
    "consent_withdraw_no": "No, keep my consent",
    "consent_link": "Consent to the course",
    "consent_intro": "In a course, Familieindgangen, the daycare or school and maybe PPR "
    "talk about {child}. For that we need your consent. You can take it back at any time.",
    "consent_none": "There is no consent to answer.",
    "consent_grant": "Give consent",
    "consent_decline": "Say no",
    "consent_withdraw": "Take back my consent",
    "consent_saved": "Your answer is saved.",
    # Shown by the page itself (static/parent.js) when an answer is tapped without a network.
    "consent_offline": "You are not online, so your answer is not sent. Tap again when the "
    "phone is online.",
    "minutes": "Notes from the meeting",
    "pdf_page": "Page {n}",
    "pdf_made": "Printed from Trivsel {when}. Version {version}.",
}


def when(moment: datetime | None) -> str:
    """'4 December 2026 at 14:30' in Danish local time ('' for none)."""
    if moment is None:
        return ""
    return f"{day(moment)} {clock(moment)}"


def day(moment: date | None) -> str:
    """'4 December 2026' (a moment is taken in Danish local time)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(LOCAL).date()
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def short_when(moment: datetime | None) -> str:
    """'4 Dec at 14:30': for what just happened (a log line), where the year is plain."""
    if moment is None:
        return ""
    local = moment.astimezone(LOCAL)
    return f"{local.day} {SHORT_MONTHS[local.month - 1]} {clock(local)}"


def clock(moment: datetime) -> str:
    """'at 14:30', 'at 9:05' in Danish local time."""
    return f"at {hour_minute(moment)}"


def hour_minute(moment: datetime) -> str:
    """'14:30', '9:05' in Danish local time (the 24-hour clock the meetings are held by)."""
    local = moment.astimezone(LOCAL)
    return f"{local.hour}:{local.minute:02d}"


def plural(n: int, one: str, many: str) -> str:
    """'1 participant', '3 participants', '2,000 notes'."""
    return f"{n:,} " + (one if abs(n) == 1 else many)


# Staff's tasks (the staff app is Danish; kept so both catalogues have the same names).
TASKS = {
    "send_report": "Publish the report to the parents and file it",
    "send_agenda": "Send the agenda for the next meeting",
    "follow_up_parents": "Follow up with the parents",
    "follow_up_child": "Follow up with the child, who was not at the whole meeting",
    "hand_over": "Record the handover to the child and youth adviser",
}

AGENDA_POINTS = {
    "start": [
        "Welcome and who we are",
        "The worry: what worries us",
        "What works",
        "What we want to see",
        "Plans and date of the next meeting",
    ],
    "follow_up": [
        "Welcome",
        "Since last time: what we wanted to see",
        "What worries us now",
        "What works",
        "What we want to see",
        "Plans and date of the next meeting",
    ],
    "closing": [
        "Welcome",
        "Since last time: what we wanted to see",
        "How are things now?",
        "Ending the course, and what happens next",
    ],
}
AGENDA = {
    "title": "Agenda",
    "meeting": "{kind} about {child} \u2013 meeting {n} of 5",
    "intro": "We will meet to talk about how {child} is. Here you can see who comes and what "
    "we will talk about.",
    "when": "Time: {when}",
    "where": "Place: {place}",
    "participants": "Who comes?",
    "points": "What we will talk about",
    "last_board": "What we wanted to see (from the last meeting)",
    "mail_subject": "Agenda: {kind} about {child} {when}",
    "mail_body": "Dear {name}\n\nHere is the agenda for the {kind_lower} about {child} {when}"
    "{place}. It is attached as a PDF.",
    "mail_consent": "\n\nWe need your consent to the course. You can give it here. The link "
    "works once. It ends on {expires}.\n{link}",
    "mail_signoff": "\n\n{signature}",
    "file_name": "agenda-{day}.pdf",
}

STORY = {
    "held_at": "The meeting was on {day} and ended at {time}{place}.",
    "planned": "It was planned for {when}.",
    "review": "Since last time",
    "review_intro": "This was agreed at the meeting on {when}, and this is how it went:",
    "no_review": "No plans were made at the last meeting.",
    "carried": "goes on from the last meeting",
    "scaling": "The scale question",
    "scaling_question": "We ask the same question at each meeting: How is {child} doing "
    "today? Each of us answers with a number from 0 to 10. 10 means that {child} is doing "
    "well. Then we need not meet any more. 0 means that it cannot get worse.",
    "scaling_chart": "The answers, meeting by meeting",
    "scaling_label": "Answers to the scale question about {child}, meeting by meeting",
    "scaling_meeting": "Meeting {n}",
    "scaling_axis_meeting": "Meeting",
    "scaling_axis_value": "Answer from 0 to 10",
    "scaling_see_table": "The table below the chart shows the same answers",
    "scaling_who": "Who",
    "scaling_none": "No one has answered the scale question yet.",
    "goals": "The goals",
    "goals_intro": "Each worry has a goal: what we want to see instead. At each meeting, "
    "everyone gives each goal a number from 0 to 10. 10 means the goal is reached.",
    "goal_worry": "Worry",
    "goal_reached": "The goal was reached on {day}.",
    "goal_scale": "The answers for the goal, meeting by meeting",
    "goal_none": "No one has answered for this goal yet.",
    "comments": "Our comments",
    "comments_intro": "Here you can write a comment on the report. You can read it. So can "
    "the staff who work on the course: Familieindgangen, the daycare or school and PPR. It "
    "is kept in the town's case file about your child with the report. The other parent can "
    "only read it if you tick the box below.",
    "comments_none": "There are no comments you can see.",
    "comment_share": "The other parent may also read my comment",
    "comment_share_hint": "With no tick, the other parent cannot see it.",
    "comment_private": "Only you and the staff can read it.",
    "comment_shared": "The other parent can also read it.",
    "comment_label": "Your comment",
    "comment_send": "Send the comment",
    "comment_by": "{who}, {when}",
    "comment_withdraw": "Take back the comment",
    "comment_withdrawn": "The comment is taken back.",
    "comment_withdraw_offline": "You are not online, so the comment is not taken back. Tap "
    "again when the phone is online.",
    "comment_saved": "Thank you. Your comment is sent.",
    "comment_offline": "You are not online, so the comment is not sent. Your text is still "
    "here. Tap Send the comment again when the phone is online.",
    "comment_too_long": "At most {limit} letters \u2013 you wrote {actual}. Your text is "
    "still here.",
    "comment_empty": "Write a comment before you send.",
    "comment_bad_character": "The text had a sign we cannot save. We took it out \u2013 read "
    "the text again, and send it again.",
    "comment_too_many": "You have written {limit} comments on this meeting. Call "
    "Familieindgangen if you want to say more.",
    "comments_pdf": "The parents' comments",
    "task_comment": "Read the parents' comment on the report, and file it",
    "agenda_review": "The plans from the last meeting (we look at how it went)",
}
OUTCOMES = {
    "done": "Done",
    "not_done": "Not done",
    "carried_on": "Goes on",
    None: "Not looked at",
}

ACCESS_WHO = {
    "family_unit": "{name} from Familieindgangen",
    "educator": "{name} from {place}",
    "educator_nowhere": "{name} from the daycare or school",
    "psychologist": "{name} from PPR",
    "admin": "{name}, administrator",
    "system": "Trivsel (by itself)",
}
ACCESS_TIMES = "{day}, {n} times from {first} to {last}"
ACCESS_TIMES_ONE = "{day}, {n} times at {at}"
ACCESS_FETCH = "The tablet of {who} got the course to work with no net"
ACCESS_FETCH_HEADING = "Tablets that got the course"
ACCESS_FETCH_INTRO = (
    "The staff use a tablet at the meetings. It gets the course by itself, so they can work "
    "with no net too. It does not mean that anyone read it. Each tablet is here once for "
    "each day."
)
ACCESS_OPENED_HEADING = "Who opened or changed the facts"
ACCESS = {
    "* child": "saw the child's facts",
    "list child": "saw the child on a list of children",
    "create child": "added the child to Trivsel",
    "update child": "changed the child's facts",
    "* guardian": "saw the parents' contact facts",
    "create guardian": "added a parent",
    "update guardian": "changed the parents' contact facts",
    "read course": "saw the course",
    "list course": "saw the course in a list",
    "create course": "started the course",
    "update course": "changed the course",
    "delete course": "deleted the course",
    "course_handed_over": "noted that the child and youth adviser took over",
    "member_added": "gave a colleague access to the course",
    "member_removed": "took a colleague's access to the course away",
    "course_retention": "deleted the course when its time was up",
    "list course_member": "saw who takes part in the course",
    "read meeting": "saw a meeting",
    "list meeting": "saw the meetings of the course",
    "create meeting": "planned a meeting",
    "update meeting": "changed a meeting",
    "delete meeting": "called off a meeting",
    "meeting_finished": "ended a meeting",
    "* participant": "saw who came to the meeting",
    "create participant": "put a person on the meeting's list",
    "update participant": "changed who came to the meeting",
    "delete participant": "took a person off the meeting's list",
    "* board_note": "saw the notes on the board",
    "create board_note": "wrote a note on the board",
    "update board_note": "changed a note on the board",
    "delete board_note": "deleted a note on the board",
    # Said as the meeting they belong to (server/text/da.py says why).
    "* houses": "saw a meeting",
    "create houses": "wrote on a meeting",
    "update houses": "changed a meeting",
    "delete houses": "changed a meeting",
    "* board_photo": "saw the photos of the board",
    "read board_photo": "saw a photo of the board",
    "create board_photo": "took a photo of the board",
    "delete board_photo": "deleted a photo of the board",
    "* agreement": "saw the plans from the meeting",
    "create agreement": "wrote a plan",
    "update agreement": "changed a plan",
    "delete agreement": "deleted a plan",
    "* minutes": "read the notes of the meeting",
    "create minutes": "wrote the notes of the meeting",
    "update minutes": "changed the notes of the meeting",
    "* scaling_answer": "saw the answers to the scale question",
    "create scaling_answer": "wrote down an answer to the scale question",
    "update scaling_answer": "changed an answer to the scale question",
    "delete scaling_answer": "took away an answer to the scale question",
    "* goal_pair": "saw the goals",
    "create goal_pair": "gave a worry a goal",
    "update goal_pair": "changed a goal",
    "delete goal_pair": "took away a goal",
    "* goal_score": "saw the answers for the goals",
    "create goal_score": "wrote down an answer for a goal",
    "update goal_score": "changed an answer for a goal",
    "delete goal_score": "took away an answer for a goal",
    "* consent": "saw your consent",
    "create consent": "wrote down your consent",
    "update consent": "wrote down your consent",
    "* task": "saw the tasks of the course",
    "update task": "marked a task as done",
    "* report": "read the report from the meeting",
    "publish report": "shared the report with you",
    "file report": "filed the report in the town's case system",
    "* report_pdf": "got the report as a PDF",
    "* report_reading": "saw that you have read the report",
    "* filing": "saw the filing of the report",
    "* parent_comment": "read your comments on the report",
    "* attachment": "saw the papers of the course",
    "read attachment": "opened a paper",
    "create attachment": "added a paper",
    "update attachment": "changed a paper",
    "delete attachment": "deleted a paper",
    "read agenda": "saw the agenda",
    "create agenda": "sent you the agenda",
    "read letters": "saw if the letters to you got there",
    "create invitation": "sent you a link to the reports",
    "list guardian_session": "saw which phones can open the reports",
    "update guardian_session": "closed a phone's access to the reports",
    "sync pull": "got the course on a tablet",
    "other": "opened or changed facts about the child",
}

SENDER = {
    "logo_alt": "Logo of {municipality}",
    "heading": "Do you want to ask us something?",
    "leader": "You can ask {name} from Familieindgangen.",
    "leader_line": "Contact: {name}, {reach}",
    "phone": "phone {phone}",
    "email": "e-mail {email}",
    "phone_label": "Phone",
    "email_label": "E-mail:",
    "municipality": "You can also call the town hall.",
    "unit": "Familieindgangen, {municipality}",
    "privacy": "How we take care of your data",
    "privacy_mail": "How we take care of your data: {url}",
    "mail_regards": "Kind regards",
    "pdf_heading": "Do you want to ask us something?",
}

WORDS_ASK = "What does {word} mean?"
WORDS = {
    "forloeb": (
        "course",
        "A course is a few meetings about how your child is. There are at most five meetings "
        "in half a year. Together we find out what can help the child.",
    ),
    "familieindgangen": (
        "Familieindgangen",
        "Familieindgangen is a part of the town hall. We help families when a child is not "
        "well. We lead the meetings.",
    ),
    "ppr": (
        "PPR",
        "PPR are the town's psychologists and other experts. They help children in daycare "
        "and school. PPR is short for Pædagogisk Psykologisk Rådgivning.",
    ),
    "samtykke": (
        "consent",
        "Consent means that you say yes. Here you say yes to us talking about your child. "
        "You can always say no again.",
    ),
    "journal": (
        "filed",
        "The town must keep the report in its system for cases. This is called to file it. "
        "Your comments are kept with it.",
    ),
    "skala": (
        "the scale question",
        "It is a question with a number from 0 to 10. We ask it at each meeting. Then we can "
        "see if things get better.",
    ),
}
