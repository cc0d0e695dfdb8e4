// Every text the user sees, in Danish, in one place (an English file can sit beside it).

export const da = {
  appName: "Trivsel",
  signIn: {
    heading: "Log ind",
    intro: "Log ind med din arbejdsmail.",
    email: "E-mail",
    password: "Adgangskode",
    submit: "Log ind",
    submitting: "Logger ind …",
  },
  home: {
    signedInAs: (name: string) => `Logget ind som ${name}`,
    signOut: "Log ud",
    unsentWarning: (n: number) =>
      `${n} ${n === 1 ? "ændring er" : "ændringer er"} ikke sendt endnu. ` +
      "Logger du ud nu, slettes de fra denne enhed. Vil du logge ud alligevel?",
  },
  meetings: {
    heading: "Møder",
    none: "Ingen møder endnu. Når du er online, hentes dine forløb automatisk.",
    ofFive: (n: number) => `møde ${n} af 5`,
    open: "Åbn mødet",
    back: "Tilbage til møderne",
    kinds: { start: "Opstartsmøde", follow_up: "Opfølgningsmøde", closing: "Afslutningsmøde" } as Record<string, string>,
  },
  board: {
    heading: "Tavlen",
    columns: {
      worries: "Det der bekymrer",
      working: "Det der fungerer",
      next_steps: "Det vi vil se ske",
    } as Record<string, string>,
    newNote: (column: string) => `Ny note i «${column}»`,
    add: "Tilføj",
    edit: "Ret",
    save: "Gem",
    cancel: "Fortryd",
    remove: "Slet",
    notSent: "Ikke sendt endnu",
    rejected: (reason: string) => `Serveren afviste ændringen: ${reason}`,
    discard: "Kassér ændringen",
    conflict: (mine: string, theirs: string) =>
      `Din tekst «${mine}» blev samtidig ændret på en anden enhed til «${theirs}».`,
    restore: "Gendan min tekst",
    dismiss: "Behold den nye",
  },
  sync: {
    offline: (n: number) => (n ? `Offline – ${n} ${n === 1 ? "ændring venter" : "ændringer venter"}` : "Offline – alt er sendt"),
    waiting: (n: number) => `${n} ${n === 1 ? "ændring venter" : "ændringer venter"}`,
    syncing: "Sender og henter …",
    allSent: (time: string) => `Alt er sendt (${time})`,
    neverSynced: "Ikke synkroniseret endnu",
    signedOut: (n: number) => `Log ind igen for at sende ${n} ${n === 1 ? "ændring" : "ændringer"}`,
    outdated: "Appen skal opdateres: genindlæs siden. Dine ændringer er gemt på enheden.",
    error: "Kunne ikke sende lige nu – prøver igen om lidt.",
    rejected: (n: number) => `${n} ${n === 1 ? "ændring blev afvist" : "ændringer blev afvist"} – se mødet`,
    syncNow: "Send nu",
  },
  roles: {
    admin: "Administrator",
    family_unit: "Familieindgangen",
    educator: "Pædagog/lærer",
    psychologist: "PPR-psykolog",
  } as Record<string, string>,
  errors: {
    wrongCredentials: "Forkert e-mail eller adgangskode.",
    rateLimited: "For mange forsøg. Vent et øjeblik, og prøv igen.",
    offline: "Ingen forbindelse til serveren. Prøv igen, når du er online.",
    server: "Der skete en fejl på serveren. Prøv igen om lidt.",
    sessionExpired: "Siden er blevet for gammel. Genindlæs siden, og prøv igen.",
    invalid: "Ret de markerede felter.",
    unknown: "Noget gik galt. Prøv igen.",
  },
  rejections: {
    invalid: "Et felt er ikke udfyldt rigtigt.",
    not_found: "Mødet eller noten findes ikke længere, eller du har ikke adgang.",
    forbidden: "Din rolle må ikke ændre dette.",
  } as Record<string, string>,
  fields: {
    emailInvalid: "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
    required: "Skal udfyldes.",
  },
  loading: "Indlæser …",
};
