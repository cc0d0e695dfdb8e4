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
    comingSoon: "Mødeappen kommer her.",
    signOut: "Log ud",
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
  fields: {
    emailInvalid: "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
    required: "Skal udfyldes.",
  },
  loading: "Indlæser …",
};
